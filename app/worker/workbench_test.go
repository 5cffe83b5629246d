package worker

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/miplay/miplay/app/wire"
	"github.com/miplay/miplay/engine"
	"github.com/miplay/miplay/scenarios"
)

// The workbench is both a session with a world and one with a history.
var (
	_ worldSession   = (*workbench)(nil)
	_ historySession = (*workbench)(nil)
)

func TestWorkbenchReplay(t *testing.T) {
	ctx := context.Background()
	cmds := []wire.WorkbenchCommand{
		{Line: "az group create -n rg-shop -l westeurope -o none"},
		{Line: "az vm create -g rg-shop -n vm-web --image Ubuntu2204 --generate-ssh-keys -o none"},
		{Host: "vm-web", Line: "hostname"},
		{Line: "export GREETING=hello"},
		{Host: "vm-web", Line: "echo $GREETING"},
	}
	a, err := newWorkbench(ctx, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := a.Hosts(); !reflect.DeepEqual(got, []string{""}) {
		t.Errorf("hosts of a fresh world = %q", got)
	}
	if err := a.Replay(ctx, cmds); err != nil {
		t.Fatal(err)
	}
	if got := a.Hosts(); !reflect.DeepEqual(got, []string{"", "vm-web"}) {
		t.Errorf("hosts = %q, want the workstation and vm-web", got)
	}
	if got := a.Commands(); !reflect.DeepEqual(got, cmds) {
		t.Errorf("commands = %+v", got)
	}
	tr := a.Transcript()
	if len(tr) != len(cmds) || tr[2].Output != "vm-web\n" || tr[4].Output != "hello\n" {
		t.Errorf("transcript: %d commands; hostname printed %q, echo %q", len(tr), tr[2].Output, tr[4].Output)
	}

	// The same commands on a fresh world give the same world: the engine
	// is deterministic.
	b, _ := newWorkbench(ctx, nil, 0)
	if err := b.Replay(ctx, a.Commands()); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(summaries(a), summaries(b)) {
		t.Errorf("replaying gave another event log")
	}

	// A command on a host that does not exist is refused and not recorded.
	c, _ := newWorkbench(ctx, nil, 0)
	err = c.Replay(ctx, []wire.WorkbenchCommand{{Line: "echo one"}, {Host: "vm-web", Line: "hostname"}})
	var unknown *unknownHostError
	if !errors.As(err, &unknown) || !strings.Contains(err.Error(), "command 2") || !strings.Contains(err.Error(), `no host "vm-web"`) {
		t.Errorf("replaying on a missing host: %v", err)
	}
	if n := len(c.Commands()); n != 1 {
		t.Errorf("%d commands recorded, want 1", n)
	}
	if _, err := c.Run(ctx, "", "   "); err == nil {
		t.Errorf("an empty command ran")
	}
}

func TestWorkbenchFork(t *testing.T) {
	ctx := context.Background()
	s, err := benchScenarios.scenario("exercise-vm-identity")
	if err != nil {
		t.Fatalf("the test needs the library's exercise-vm-identity: %v", err)
	}
	b, err := newWorkbench(ctx, s, len(s.Steps))
	if err != nil {
		t.Fatal(err)
	}
	if got := b.Hosts(); !reflect.DeepEqual(got, []string{"", "vm-web"}) {
		t.Errorf("hosts after the setup = %q", got)
	}
	if len(b.Transcript()) == 0 || len(b.Commands()) != 0 {
		t.Errorf("after the setup: %d results, %d commands of the learner's", len(b.Transcript()), len(b.Commands()))
	}
	if _, err := newWorkbench(ctx, s, len(s.Steps)+1); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("exercise-vm-identity has %d steps: there is no step %d", len(s.Steps), len(s.Steps)+1)) {
		t.Errorf("a fork past the last step: %v", err)
	}
	var n WorldNames
	b.do(func(w *engine.World) { n = WorldNamesOf(w) })
	if !reflect.DeepEqual(n.VMs, []string{"vm-web"}) || !reflect.DeepEqual(n.Groups, []string{"rg-shop"}) {
		t.Errorf("names: VMs %q, groups %q", n.VMs, n.Groups)
	}
	if _, err := benchScenarios.scenario("no-such-scenario"); err == nil || err.Error() != `there is no scenario "no-such-scenario" in the library` {
		t.Errorf("a slug the library lacks: %v", err)
	}
	if _, err := benchScenarios.scenario("../scenarios/hello"); err == nil {
		t.Errorf("a path for a slug was read")
	}
}

func summaries(b *workbench) []string {
	var out []string
	for _, e := range b.Events(0) {
		out = append(out, e.Summary())
	}
	return out
}

// A sandbox forked from a library scenario: the file written from its
// history starts from the scenario's world (its seed, its steps) and
// passes.
func TestScenarioFromForkedSandbox(t *testing.T) {
	ctx := context.Background()
	entries, err := fs.ReadDir(scenarios.Library, ".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !scenarios.IsScenarioFile(e.Name()) {
			continue
		}
		slug := strings.TrimSuffix(e.Name(), ".md")
		s, err := benchScenarios.scenario(slug)
		if err != nil {
			t.Fatalf("%s: %v", slug, err)
		}
		b, err := newWorkbench(ctx, s, len(s.Steps))
		if err != nil {
			t.Fatalf("%s: %v", s.Name, err)
		}
		if _, err := b.Run(ctx, "", "az group list --query [].name -o tsv"); err != nil {
			t.Fatal(err)
		}
		src, cmds := b.history()
		src.Title = "Fork of " + s.FrontMatter.Title
		file, err := ScenarioFromHistory(ctx, src, cmds)
		if err != nil {
			t.Fatal(err)
		}
		runGenerated(t, file)
		if !strings.Contains(string(file), "started from `"+slug+"`") {
			t.Errorf("%s: the file does not say where it started", s.Name)
		}
	}
}

// The solution's commands keep their mark through a replay, so that the
// exercise's terminal labels them after a reload.
func TestWorkbenchSolutionSurvivesReplay(t *testing.T) {
	ctx := context.Background()
	sc, err := benchScenarios.scenario("exercise-vm-identity")
	if err != nil || sc.Exercise == nil || len(sc.Exercise.Solution) == 0 {
		t.Fatalf("no exercise-vm-identity with a solution in the library: %v", err)
	}
	a, err := newWorkbench(ctx, sc, len(sc.Steps))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Run(ctx, "", "echo mine"); err != nil {
		t.Fatal(err)
	}
	if a.SolutionRan() {
		t.Errorf("SolutionRan before RunSolution")
	}
	if err := a.RunSolution(ctx); err != nil {
		t.Fatal(err)
	}
	b, _ := newWorkbench(ctx, sc, len(sc.Steps))
	if err := b.Replay(ctx, a.Commands()); err != nil {
		t.Fatal(err)
	}
	for _, w := range []*workbench{a, b} {
		if !w.SolutionRan() {
			t.Errorf("SolutionRan = false after the solution")
		}
		var got []string
		for _, r := range w.Transcript() {
			if r.Command == nil {
				got = append(got, fmt.Sprintf("%s %v", r.Text, w.IsSolution(r)))
			}
		}
		want := []string{"echo mine false"}
		for _, st := range sc.Exercise.Solution {
			for _, c := range st.Commands {
				want = append(want, c.Text+" true")
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("the learner's commands and whether each is the solution's:\n got %q\nwant %q", got, want)
		}
	}
}

// lightenedSession is a session whose outputs depend on what the engine
// reads back from its log: who created a role assignment, when a key was
// renewed, when a resource changed, when a custom role was made.
var lightenedSession = []string{
	"az group create -n rg-l -l westeurope -o none",
	"az storage account create -g rg-l -n stl -o none",
	"sleep 90",
	"az storage account keys renew -g rg-l -n stl --key primary -o none",
	"az vm create -g rg-l -n vm-l --image Ubuntu2204 --assign-identity -o none --only-show-errors --generate-ssh-keys",
	"sleep 30",
	"az role assignment create --assignee-object-id $(az vm identity show -g rg-l -n vm-l --query principalId -o tsv) --assignee-principal-type ServicePrincipal --role \"Storage Blob Data Reader\" --scope $(az storage account show -g rg-l -n stl --query id -o tsv) -o none",
	"az identity create -g rg-l -n id-l -o none",
	"sleep 45",
	"az vm identity assign -g rg-l -n vm-l --identities id-l -o none",
	"az role definition create --role-definition '{\"Name\":\"Reader Plus\",\"Actions\":[\"*/read\"],\"AssignableScopes\":[\"/subscriptions/'$(az account show --query id -o tsv)'\"]}' -o none",
	"az role assignment list --all --query \"[].{role:roleDefinitionName, by:createdBy, on:createdOn}\" -o json",
	"az storage account show -g rg-l -n stl --query keyCreationTime",
	"az resource list -g rg-l --query \"[].{n:name, c:changedTime}\" -o json",
	"az role definition list --custom-role-only --query \"[].createdOn\" -o json",
}

// The panels' update lightens the world's log as the session goes (see
// engine.World.Lighten): every command prints what it prints on a world
// whose log is whole, so the file a sandbox downloads, replayed by
// miplay run on such a world, passes.
func TestLightenedSessionPrintsTheSame(t *testing.T) {
	ctx := context.Background()
	lean, err := newWorkbench(ctx, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	whole, _ := newWorkbench(ctx, nil, 0)
	var u wire.WorkbenchUpdate
	for _, l := range lightenedSession {
		mark := lean.NextSeq()
		a, errA := lean.Run(ctx, "", l)
		u = lean.update(mark, wire.WorkbenchSelection{})
		b, errB := whole.Run(ctx, "", l)
		if errA != nil || errB != nil || b.Exit != 0 {
			t.Fatalf("%s: %v, %v, exit %d: %s", l, errA, errB, b.Exit, b.Output)
		}
		if a.Output != b.Output || a.Exit != b.Exit {
			t.Errorf("%s\nprints, on the lightened world:\n%s[exit %d]\non the whole one:\n%s[exit %d]", l, a.Output, a.Exit, b.Output, b.Exit)
		}
	}
	if !reflect.DeepEqual(summaries(lean), summaries(whole)) {
		t.Errorf("the logs' summaries differ")
	}
	// The test is not vacuous: the lightened world dropped bodies, but not
	// those of the last command, whose requests the panels show.
	raw := func(b *workbench, to int) (n int) {
		for _, e := range b.Events(0)[:to] {
			if r, ok := e.(*engine.RequestServed); ok {
				n += len(r.Exchange.Request) + len(r.Exchange.Response)
			}
		}
		return n
	}
	if got, all := raw(lean, u.LastFrom), raw(whole, u.LastFrom); got != 0 || all == 0 {
		t.Errorf("before the last command, the lightened log holds %d bytes of exchanges, the whole one %d", got, all)
	}
	if len(u.Seq.Exchanges) == 0 {
		t.Fatal("the last command made no request: the test shows nothing of the panels")
	}
	// The update carries the selected exchange's raw text only; the world
	// has kept the others' for a click.
	for i, x := range u.Seq.Exchanges {
		if sent := x.Request != "" && x.Response != ""; sent != (i == u.Exchange) {
			t.Errorf("exchange #%d of the last command: raw text sent %v, selected %v", x.Seq, sent, i == u.Exchange)
		}
		var r *engine.RequestServed
		lean.do(func(w *engine.World) { r, _ = w.Events(x.Seq)[0].(*engine.RequestServed) })
		if r == nil || r.Exchange.Request == "" || r.Exchange.Response == "" {
			t.Errorf("exchange #%d of the last command lost its request or response", x.Seq)
		}
	}
	if u.Decision == nil || len(u.Decision.Considered) == 0 {
		t.Errorf("the last command's decision = %+v, want one with the assignments it considered", u.Decision)
	}
	// The decision is still there for a click after the update.
	x := u.Seq.Exchanges[u.Exchange]
	var d wire.DecisionVM
	var ok bool
	lean.do(func(w *engine.World) { d, ok = BuildDecision(w, x.DecisionSeq) })
	if !ok || len(d.Considered) != len(u.Decision.Considered) {
		t.Errorf("the decision read again: %v, %d assignments, want %d", ok, len(d.Considered), len(u.Decision.Considered))
	}
}

// An update sends the lists of the world's view only when they change,
// and the page's view, applied the updates, is the world's.
func TestWorkbenchUpdateSendsWhatChanged(t *testing.T) {
	ctx := context.Background()
	b, err := newWorkbench(ctx, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var view wire.WorldView // the page's
	run := func(line string) wire.WorkbenchUpdate {
		t.Helper()
		mark := b.NextSeq()
		if _, err := b.Run(ctx, "", line); err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		u := b.update(mark, wire.WorkbenchSelection{})
		view.Apply(u.World)
		var want wire.WorldView
		b.do(func(w *engine.World) { want = BuildWorldView(w) })
		if !reflect.DeepEqual(view, want) {
			t.Fatalf("after %s, the page's view:\n%+v\nthe world's:\n%+v", line, view, want)
		}
		return u
	}
	first := run("az group create -n rg-r -l westeurope -o none")
	if c := first.World.Changed; !c.Resources || !c.Principals || !c.Assignments || !c.Tokens {
		t.Errorf("the first update does not send every list: %+v", c)
	}
	created := run("az identity create -g rg-r -n id-one -o none")
	if c := created.World.Changed; !c.Resources || !c.Principals || c.Assignments || c.Tokens || len(created.World.Resources) != 1 {
		t.Errorf("an identity created: changed %+v, %d resources sent", c, len(created.World.Resources))
	}
	read := run("az identity list -g rg-r --query [].name -o tsv")
	if read.World.Changed != (wire.WorldChanges{}) || read.World.Resources != nil || read.World.Principals != nil {
		t.Errorf("a read sent lists: %+v", read.World)
	}
	if len(read.Seq.Exchanges) == 0 || read.Events.Total <= created.Events.Total || len(read.Events.Lines) != read.Events.Total-created.Events.Total {
		t.Errorf("the read's requests and events: %d exchanges, %d events then %d, %d lines", len(read.Seq.Exchanges), created.Events.Total, read.Events.Total, len(read.Events.Lines))
	}
	// A list that grew sends its new items only.
	changed := run("az identity create -g rg-r -n id-two -o none")
	if c := changed.World; !c.Changed.Resources || c.Kept.Resources != 1 || len(c.Resources) != 1 || c.Resources[0].Name != "id-two" || len(view.Resources) != 2 {
		t.Errorf("after a second identity: kept %d, sent %+v", c.Kept.Resources, c.Resources)
	}
	// The clock is part of the view: sleep is a change.
	slept := run("sleep 60")
	if !slept.World.Clock.Now.Equal(changed.World.Clock.Now.Add(time.Minute)) || slept.World.Changed.Resources {
		t.Errorf("after sleep 60 the clock shows %s, was %s; changed %+v", slept.World.Clock.Now, changed.World.Clock.Now, slept.World.Changed)
	}
	// One that lost an item in the middle sends what follows it.
	run("az identity create -g rg-r -n id-three -o none")
	removed := run("az identity delete -g rg-r -n id-two")
	if c := removed.World; !c.Changed.Resources || c.Kept.Resources != 1 || len(c.Resources) != 1 || c.Resources[0].Name != "id-three" {
		t.Errorf("after the deletion of the second of three: kept %d, sent %+v", c.Kept.Resources, c.Resources)
	}
	deleted := run("az group delete -n rg-r --yes")
	if !deleted.World.Changed.Resources || len(view.Resources) != 0 {
		t.Errorf("after the group's deletion: changed %+v, the page lists %d resources", deleted.World.Changed, len(view.Resources))
	}
}

// The event lines are sent once each, in a row; past what the page keeps,
// only the last are summarized, and the page is told to drop its own.
func TestWorkbenchEventLines(t *testing.T) {
	w := engine.New(engine.Options{})
	var pb panelsBuilder
	var lines []wire.EventLine // the page's, untrimmed
	add := func(d wire.EventsDelta) {
		if d.Reset {
			lines = nil
		}
		lines = append(lines, d.Lines...)
	}
	add(pb.events(w))
	for i := 0; i < 150; i++ {
		w.Advance(time.Minute)
		d := pb.events(w)
		if len(d.Lines) != 1 || d.Reset || d.Total != w.NextSeq() || d.Lines[0].Seq != w.NextSeq()-1 {
			t.Fatalf("after %d events: %+v", w.NextSeq(), d)
		}
		add(d)
	}
	if len(lines) != w.NextSeq() || lines[len(lines)-1].Summary != "Clock advanced by 1m0s" {
		t.Errorf("%d lines for %d events, the last %+v", len(lines), w.NextSeq(), lines[len(lines)-1])
	}
	for j := 1; j < len(lines); j++ {
		if lines[j].Seq != lines[j-1].Seq+1 {
			t.Fatalf("lines not in a row: #%d then #%d", lines[j-1].Seq, lines[j].Seq)
		}
	}
	if d := pb.events(w); len(d.Lines) != 0 || d.Reset || d.Total != w.NextSeq() {
		t.Errorf("no new event: %+v", d)
	}
	// Many events at once: only the last KeepEventLines.
	for i := 0; i < 500; i++ {
		w.Advance(time.Second)
	}
	d := pb.events(w)
	if !d.Reset || len(d.Lines) != wire.KeepEventLines || d.Lines[0].Seq != w.NextSeq()-wire.KeepEventLines || d.Total != w.NextSeq() {
		t.Errorf("after 500 events at once: reset %v, %d lines from #%d, total %d", d.Reset, len(d.Lines), d.Lines[0].Seq, d.Total)
	}
}

func call[Resp, Req any](t *testing.T, h *Host, method string, req Req) Resp {
	t.Helper()
	resp, err := wire.Call[Resp](context.Background(), h, method, req)
	if err != nil {
		t.Fatalf("%s: %v", method, err)
	}
	return resp
}

// The sandbox through the Host, as the page calls it: open, run, the
// failures of a command, a replay, a share link's strict replay, close.
func TestWorkbenchMethods(t *testing.T) {
	h := NewHost()
	ctx := context.Background()
	open := call[wire.WorkbenchUpdate](t, h, wire.MethodWorkbenchOpen, wire.WorkbenchOpenRequest{})
	if open.Session == 0 || !reflect.DeepEqual(open.Hosts, []string{""}) || len(open.Entries) != 0 || open.Error != "" || open.Exchange != -1 {
		t.Errorf("a fresh sandbox: %+v", open)
	}
	id := open.Session
	run := func(host, line string) wire.WorkbenchUpdate {
		t.Helper()
		return call[wire.WorkbenchUpdate](t, h, wire.MethodWorkbenchRun, wire.WorkbenchRunRequest{Session: id, Host: host, Line: line})
	}
	u := run("", "az group create -n rg-m -l westeurope --query name -o tsv")
	if len(u.Entries) != 1 || u.Entries[0].Kind != wire.EntryCommand || u.Entries[0].Cmd.Text != "az group create -n rg-m -l westeurope --query name -o tsv" ||
		u.Entries[0].Cmd.Chunks[0].Text != "rg-m\n" || !reflect.DeepEqual(u.Commands, []wire.WorkbenchCommand{{Line: "az group create -n rg-m -l westeurope --query name -o tsv"}}) {
		t.Errorf("a command's update: %+v", u)
	}
	if u.Session != id || len(u.Seq.Exchanges) == 0 || u.LastFrom != open.Events.Total {
		t.Errorf("the command's requests: session %d, %d exchanges from #%d (the open's log had %d)", u.Session, len(u.Seq.Exchanges), u.LastFrom, open.Events.Total)
	}

	bad := run("vm-x", "hostname")
	if bad.Error != `there is no host "vm-x" in this world; the hosts are $` || bad.ErrorCode != wire.CodeUnknownHost || len(bad.Entries) != 0 || len(bad.Commands) != 0 {
		t.Errorf("a command on a missing host: %+v", bad)
	}
	if empty := run("", "  "); empty.Error != "empty command" || len(empty.Commands) != 0 {
		t.Errorf("an empty command: %+v", empty)
	}

	// Saved commands replay on open; one whose host is missing stops the
	// replay, and says so.
	saved := []wire.WorkbenchCommand{{Line: "echo one"}, {Line: "echo two"}, {Host: "vm-x", Line: "hostname"}, {Line: "echo four"}}
	re := call[wire.WorkbenchUpdate](t, h, wire.MethodWorkbenchOpen, wire.WorkbenchOpenRequest{Commands: saved})
	if len(re.Entries) != 2 || len(re.Commands) != 2 || !strings.HasPrefix(re.Error, `command 3 (vm-x$ hostname): there is no host "vm-x"`) || re.Session == id {
		t.Errorf("a replay that stops: %d entries, %d commands, error %q", len(re.Entries), len(re.Commands), re.Error)
	}
	// Strict, it fails, and leaves no session.
	before := len(h.sessions)
	_, err := wire.Call[wire.WorkbenchUpdate](ctx, h, wire.MethodWorkbenchOpen, wire.WorkbenchOpenRequest{Commands: saved, Strict: true})
	if err == nil || !strings.HasPrefix(err.Error(), "command 3 (vm-x$ hostname)") || len(h.sessions) != before {
		t.Errorf("a strict replay that stops: %v; %d sessions, were %d", err, len(h.sessions), before)
	}

	// More commands than the terminal keeps: only the last are sent.
	var many []wire.WorkbenchCommand
	for i := 1; i <= 450; i++ {
		many = append(many, wire.WorkbenchCommand{Line: fmt.Sprintf("echo %d", i)})
	}
	long := call[wire.WorkbenchUpdate](t, h, wire.MethodWorkbenchOpen, wire.WorkbenchOpenRequest{Commands: many})
	if long.Skipped != 450-wire.KeepScrollback || len(long.Entries) != wire.KeepScrollback || long.Entries[0].Cmd.Text != "echo 351" || len(long.Commands) != 450 {
		t.Errorf("450 commands replayed: %d skipped, %d sent from %q, %d commands", long.Skipped, len(long.Entries), long.Entries[0].Cmd.Text, len(long.Commands))
	}
	exactly := call[wire.WorkbenchUpdate](t, h, wire.MethodWorkbenchOpen, wire.WorkbenchOpenRequest{Commands: many[:wire.MaxScrollback]})
	if exactly.Skipped != 0 || len(exactly.Entries) != wire.MaxScrollback {
		t.Errorf("%d commands replayed: %d skipped, %d sent", wire.MaxScrollback, exactly.Skipped, len(exactly.Entries))
	}

	// A fork of a library scenario, and of a file sent.
	fork := call[wire.WorkbenchUpdate](t, h, wire.MethodWorkbenchOpen, wire.WorkbenchOpenRequest{Slug: "exercise-vm-identity", Step: 1})
	if len(fork.Entries) == 0 || fork.Entries[0].Kind != wire.EntrySetup || fork.Entries[0].Step != 0 || len(fork.Commands) != 0 {
		t.Errorf("a fork after one step: %+v", fork.Entries)
	}
	src := "---\ntitle: Mine\nlevel: beginner\n---\n\n# Mine\n\nOne.\n\n```console\n$ echo one\none\n```\n\nTwo.\n\n```console\n$ echo two\ntwo\n```\n"
	up := call[wire.WorkbenchUpdate](t, h, wire.MethodWorkbenchOpen, wire.WorkbenchOpenRequest{Name: "mine.md", Source: src, Step: 2})
	if len(up.Entries) != 2 || up.Entries[1].Step != 1 || up.Entries[1].Cmd.Text != "echo two" {
		t.Errorf("an uploaded file after two steps: %+v", up.Entries)
	}
	if _, err := wire.Call[wire.WorkbenchUpdate](ctx, h, wire.MethodWorkbenchOpen, wire.WorkbenchOpenRequest{Name: "mine.md", Source: src, Step: 3}); err == nil || err.Error() != "mine has 2 steps: there is no step 3 to start from" {
		t.Errorf("past the last step: %v", err)
	}
	if _, err := wire.Call[wire.WorkbenchUpdate](ctx, h, wire.MethodWorkbenchOpen, wire.WorkbenchOpenRequest{Name: "bad.md", Source: "---\ntitle: x\nlevel: expert\n---\n"}); err == nil {
		t.Errorf("a file that does not parse opened")
	} else if we := (*wire.Error)(nil); !errors.As(err, &we) || len(we.Problems) == 0 {
		t.Errorf("a file that does not parse: %v, want its problems", err)
	}

	// The session's details, its history, and its end.
	if _, err := wire.Call[wire.DecisionResponse](ctx, h, wire.MethodDecision, wire.DecisionRequest{Session: id, Seq: u.Seq.Exchanges[0].DecisionSeq}); err != nil {
		t.Errorf("a decision of the sandbox: %v", err)
	}
	file := call[wire.ScenarioFromHistoryResponse](t, h, wire.MethodScenarioFromHistory, wire.ScenarioFromHistoryRequest{Session: id, Source: wire.HistorySource{Title: "Mine"}})
	if !strings.Contains(file.Source, "$ az group create -n rg-m -l westeurope --query name -o tsv\nrg-m\n") {
		t.Errorf("the sandbox's file:\n%s", file.Source)
	}
	call[struct{}](t, h, wire.MethodClose, wire.CloseRequest{Session: id})
	if _, err := wire.Call[wire.WorkbenchUpdate](ctx, h, wire.MethodWorkbenchRun, wire.WorkbenchRunRequest{Session: id, Line: "echo"}); !wire.IsCode(err, wire.CodeNoSession) {
		t.Errorf("a command after close: %v", err)
	}
}

// An exercise through the Host: its setup's requests shown, the check,
// the solution, and each command's kind.
func TestWorkbenchExercise(t *testing.T) {
	h := NewHost()
	sc, err := benchScenarios.scenario("exercise-vm-identity")
	if err != nil {
		t.Fatal(err)
	}
	open := call[wire.WorkbenchUpdate](t, h, wire.MethodWorkbenchOpen, wire.WorkbenchOpenRequest{Slug: "exercise-vm-identity", Step: len(sc.Steps), ShowSetup: true})
	if open.LastFrom != 0 || len(open.Seq.Exchanges) == 0 || open.SolutionRan {
		t.Errorf("the exercise's start: requests from #%d, %d exchanges", open.LastFrom, len(open.Seq.Exchanges))
	}
	id := open.Session
	check := func() wire.WorkbenchCheckResponse {
		t.Helper()
		return call[wire.WorkbenchCheckResponse](t, h, wire.MethodWorkbenchCheck, wire.WorkbenchRequest{Session: id})
	}
	failed := check()
	if failed.Report == nil || failed.Report.Passed || len(failed.Report.Results) != len(sc.Exercise.CheckStep.Commands) || !strings.Contains(failed.Report.Text, "check failed") {
		t.Fatalf("the check on the starting world: %+v", failed.Report)
	}
	for _, e := range failed.Update.Entries {
		if e.Kind != wire.EntryCheck {
			t.Errorf("a check's command is a %q", e.Kind)
		}
	}
	if len(failed.Update.Entries) != len(sc.Exercise.CheckStep.Commands) || len(failed.Update.Commands) != 0 {
		t.Errorf("the check's update: %d entries, %d commands", len(failed.Update.Entries), len(failed.Update.Commands))
	}
	sol := call[wire.WorkbenchUpdate](t, h, wire.MethodWorkbenchSolution, wire.WorkbenchRequest{Session: id})
	if !sol.SolutionRan || sol.Error != "" || len(sol.Commands) == 0 || !sol.Commands[0].Solution || sol.Entries[0].Kind != wire.EntrySolution {
		t.Errorf("the solution: %+v", sol)
	}
	if passed := check(); passed.Report == nil || !passed.Report.Passed || !passed.Report.Results[0].Matched {
		t.Errorf("the check after the solution: %+v", passed.Report)
	}

	// A reload replays the solution as the solution's.
	re := call[wire.WorkbenchUpdate](t, h, wire.MethodWorkbenchOpen, wire.WorkbenchOpenRequest{Slug: "exercise-vm-identity", Step: len(sc.Steps), Commands: sol.Commands, ShowSetup: true})
	if !re.SolutionRan || re.Entries[len(re.Entries)-1].Kind != wire.EntrySolution || re.LastFrom == 0 {
		t.Errorf("the solution replayed: ran %v, the last entry %+v, requests from #%d", re.SolutionRan, re.Entries[len(re.Entries)-1], re.LastFrom)
	}

	// A sandbox is no exercise.
	sb := call[wire.WorkbenchUpdate](t, h, wire.MethodWorkbenchOpen, wire.WorkbenchOpenRequest{})
	nx := call[wire.WorkbenchCheckResponse](t, h, wire.MethodWorkbenchCheck, wire.WorkbenchRequest{Session: sb.Session})
	if nx.Report != nil || nx.Update.Error != "scenarios: not an exercise" {
		t.Errorf("a sandbox's check: %+v", nx)
	}
}

// Each update brings the token the page will show, decoded, and the
// decision behind the request it will select, so that the page needs no
// second call.
func TestWorkbenchSelection(t *testing.T) {
	h := NewHost()
	open := call[wire.WorkbenchUpdate](t, h, wire.MethodWorkbenchOpen, wire.WorkbenchOpenRequest{Commands: []wire.WorkbenchCommand{
		{Line: "az group create -n rg-s -l westeurope -o none"},
		{Line: "az vm create -g rg-s -n vm-s --image Ubuntu2204 --assign-identity --generate-ssh-keys -o none --only-show-errors"},
	}})
	id := open.Session
	var view wire.WorldView
	view.Apply(open.World)
	token, detail := open.Token, open.TokenDetail
	run := func(host, line string) wire.WorkbenchUpdate {
		t.Helper()
		sel := wire.WorkbenchSelection{Token: token, Detail: detail != nil, Tokens: len(view.Tokens), Now: view.Clock.Now}
		u := call[wire.WorkbenchUpdate](t, h, wire.MethodWorkbenchRun, wire.WorkbenchRunRequest{Session: id, Host: host, Line: line, Selection: sel})
		view.Apply(u.World)
		if !u.TokenKept {
			token, detail = u.Token, u.TokenDetail
		}
		return u
	}
	const imds = `curl -s -H Metadata:true "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/"`
	first := run("vm-s", imds)
	if first.TokenKept || first.Token == "" || first.TokenDetail == nil || first.TokenDetail.ID != first.Token || first.Token != view.Tokens[len(view.Tokens)-1].ID {
		t.Fatalf("after a token: %q kept %v, detail %v", first.Token, first.TokenKept, first.TokenDetail)
	}
	// A command that changes no token keeps the one shown, decoded.
	if u := run("", "echo hi"); !u.TokenKept || u.Token != "" || u.TokenDetail != nil {
		t.Errorf("echo: kept %v, token %q", u.TokenKept, u.Token)
	}
	// Time moved: the same token, decoded again (its lifetime changed).
	if u := run("", "sleep 60"); u.TokenKept || u.Token != first.Token || u.TokenDetail == nil || u.TokenDetail.ID != first.Token {
		t.Errorf("sleep: kept %v, token %q", u.TokenKept, u.Token)
	}
	// A new token: the newest is shown.
	second := run("vm-s", strings.Replace(imds, "management.azure.com", "storage.azure.com", 1))
	if second.Token == first.Token || second.TokenDetail == nil || second.Token != view.Tokens[len(view.Tokens)-1].ID {
		t.Errorf("a second token: %q, first %q", second.Token, first.Token)
	}
	// The request RBAC checked is selected, with its decision.
	checked := run("", "az group show -n rg-s --query name -o tsv")
	if checked.Exchange < 0 || checked.Decision == nil || checked.Seq.Exchanges[checked.Exchange].DecisionSeq != checked.Decision.Seq || !checked.Decision.Allowed {
		t.Errorf("the checked request: exchange %d of %d, decision %+v", checked.Exchange, len(checked.Seq.Exchanges), checked.Decision)
	}
	// Another exchange, and the decision behind it, on a click.
	sel := checked.Seq.Exchanges[checked.Exchange]
	for i, x := range checked.Seq.Exchanges {
		got := call[wire.ExchangeResponse](t, h, wire.MethodExchange, wire.ExchangeRequest{Session: id, Seq: x.Seq, DecisionSeq: x.DecisionSeq})
		if !got.Found || !strings.HasPrefix(got.Request, x.Method+" ") || !strings.Contains(got.Response, fmt.Sprint(x.Status)) || (got.Decision != nil) != (x.DecisionSeq >= 0) {
			t.Errorf("exchange %d (#%d %s %s): %+v", i, x.Seq, x.Method, x.URL, got)
		}
		if i == checked.Exchange && (got.Request != sel.Request || got.Response != sel.Response || got.Decision.Seq != checked.Decision.Seq) {
			t.Errorf("the selected exchange, asked for, differs from the one sent")
		}
	}
	if got := call[wire.ExchangeResponse](t, h, wire.MethodExchange, wire.ExchangeRequest{Session: id, Seq: checked.Decision.Seq, DecisionSeq: -1}); got.Found {
		t.Errorf("an event that is no exchange was found: %+v", got)
	}
	if u := run("", "echo no requests"); u.Exchange != -1 || u.Decision != nil {
		t.Errorf("a command with no request: exchange %d, decision %v", u.Exchange, u.Decision)
	}
}
