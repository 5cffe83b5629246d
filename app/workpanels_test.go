//go:build !wasm

package app

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/miplay/miplay/engine"
	"github.com/miplay/miplay/scenarios"
)

func echoResults(from, to int) []*scenarios.CommandResult {
	var out []*scenarios.CommandResult
	for i := from; i < to; i++ {
		out = append(out, &scenarios.CommandResult{Text: fmt.Sprintf("echo %d", i), Output: fmt.Sprintf("%d\n", i), Matched: true})
	}
	return out
}

// The scrollback keeps the last commands: past maxScrollback it drops the
// oldest in one go, down to keepScrollback, and counts what it dropped.
func TestScrollbackTrims(t *testing.T) {
	group := func(*scenarios.CommandResult) string { return "" }
	results := echoResults(0, 450)
	var s scrollback
	for n := 1; n <= len(results); n++ {
		before := s.Entries
		s.sync(results[:n], group, nil)
		if s.Trimmed+len(s.Entries) != n {
			t.Fatalf("after %d results: %d shown + %d trimmed", n, len(s.Entries), s.Trimmed)
		}
		if len(s.Entries) > maxScrollback {
			t.Fatalf("after %d results: %d shown, more than %d", n, len(s.Entries), maxScrollback)
		}
		if last := s.Entries[len(s.Entries)-1].Cmd.Text; last != results[n-1].Text {
			t.Fatalf("after %d results, the last entry is %q", n, last)
		}
		trimmed := len(s.Entries) < len(before)+1
		// A trim happens exactly when the scrollback would pass its
		// maximum, and leaves keepScrollback entries.
		if trimmed != (len(before) == maxScrollback) || trimmed && len(s.Entries) != keepScrollback {
			t.Fatalf("after %d results: %d entries, from %d", n, len(s.Entries), len(before))
		}
		// Without a trim, the entries shown before are the same values,
		// so go-app leaves their DOM alone.
		if !trimmed && len(before) > 0 && !reflect.DeepEqual(s.Entries[:len(before)], before) {
			t.Fatalf("after %d results the earlier entries changed", n)
		}
	}
	if s.Trimmed != 303 || len(s.Entries) != 147 || s.Entries[0].Cmd.Text != "echo 303" {
		t.Errorf("after 450 results one at a time: %d trimmed, %d shown from %q", s.Trimmed, len(s.Entries), s.Entries[0].Cmd.Text)
	}

	// Many at once, as after a replay: only the last keepScrollback.
	var r scrollback
	r.sync(results, group, func(e *termEntry) { e.Group = "replayed" })
	if r.Trimmed != 350 || len(r.Entries) != keepScrollback || r.Entries[0].Cmd.Text != "echo 350" || r.Entries[0].Group != "replayed" {
		t.Errorf("450 at once: %d trimmed, %d shown from %+v", r.Trimmed, len(r.Entries), r.Entries[0])
	}
	r.sync(results, group, nil) // nothing new
	if r.Trimmed != 350 || len(r.Entries) != keepScrollback {
		t.Errorf("a sync with nothing new changed the scrollback: %d trimmed, %d shown", r.Trimmed, len(r.Entries))
	}
}

// The event log lists the last events, trimmed in one go like the
// scrollback, and counts them all.
func TestEventLinesTrim(t *testing.T) {
	w := engine.New(engine.Options{})
	var l eventLines
	l.sync(w) // the world's first events
	for i := 0; i < 350; i++ {
		w.Advance(time.Minute)
		before := len(l.Lines)
		l.sync(w)
		n := len(l.Lines)
		if l.Total != w.NextSeq() || n > maxEventLines || l.Lines[n-1].Seq != w.NextSeq()-1 {
			t.Fatalf("after %d events: %d lines, total %d, the last #%d", w.NextSeq(), n, l.Total, l.Lines[n-1].Seq)
		}
		if n != before+1 && !(before == maxEventLines && n == keepEventLines) {
			t.Fatalf("after %d events: %d lines, from %d", w.NextSeq(), n, before)
		}
		for j := 1; j < n; j++ {
			if l.Lines[j].Seq != l.Lines[j-1].Seq+1 {
				t.Fatalf("lines not in a row: #%d then #%d", l.Lines[j-1].Seq, l.Lines[j].Seq)
			}
		}
	}
	if l.Lines[0].Summary != "Clock advanced by 1m0s" {
		t.Errorf("a line reads %q", l.Lines[0].Summary)
	}
	// Many events at once: only the last keepEventLines are summarized.
	for i := 0; i < 500; i++ {
		w.Advance(time.Second)
	}
	l.sync(w)
	if len(l.Lines) != keepEventLines || l.Lines[0].Seq != w.NextSeq()-keepEventLines || l.Total != w.NextSeq() {
		t.Errorf("after 500 events at once: %d lines from #%d, total %d", len(l.Lines), l.Lines[0].Seq, l.Total)
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

// The panels' builder lightens the world's log as the session goes (see
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
	var pb panelsBuilder
	var ps worldPanels
	for _, l := range lightenedSession {
		mark := lean.NextSeq()
		a, errA := lean.Run(ctx, "", l)
		ps = pb.snapshot(lean, mark)
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
	if got, all := raw(lean, ps.LastFrom), raw(whole, ps.LastFrom); got != 0 || all == 0 {
		t.Errorf("before the last command, the lightened log holds %d bytes of exchanges, the whole one %d", got, all)
	}
	if len(ps.Seq.Exchanges) == 0 {
		t.Fatal("the last command made no request: the test shows nothing of the panels")
	}
	ps.settle(nil)
	for _, x := range ps.Seq.Exchanges {
		if x.Request == "" || x.Response == "" {
			t.Errorf("exchange #%d of the last command lost its request or response", x.Seq)
		}
	}
	if ps.decision == nil || len(ps.decision.Considered) == 0 {
		t.Errorf("the last command's decision = %+v, want one with the assignments it considered", ps.decision)
	}
}

// A command that only reads the world leaves the panels' lists as they
// were, the same slices; one that changes it shows the change.
func TestPanelsReuseWhatDidNotChange(t *testing.T) {
	ctx := context.Background()
	b, err := newWorkbench(ctx, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var pb panelsBuilder
	run := func(line string) worldPanels {
		t.Helper()
		mark := b.NextSeq()
		if _, err := b.Run(ctx, "", line); err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		return pb.snapshot(b, mark)
	}
	run("az group create -n rg-r -l westeurope -o none")
	first := run("az identity create -g rg-r -n id-one -o none")
	read := run("az identity list -g rg-r --query [].name -o tsv")
	if len(first.World.Resources) != 1 || len(read.World.Resources) != 1 || &first.World.Resources[0] != &read.World.Resources[0] ||
		&first.World.Principals[0] != &read.World.Principals[0] {
		t.Errorf("a read made new lists: %d resources, then %d", len(first.World.Resources), len(read.World.Resources))
	}
	if len(read.Seq.Exchanges) == 0 || read.Events.Total <= first.Events.Total {
		t.Errorf("the read's requests are not shown: %d exchanges, %d events then %d", len(read.Seq.Exchanges), first.Events.Total, read.Events.Total)
	}
	changed := run("az identity create -g rg-r -n id-two -o none")
	if len(changed.World.Resources) != 2 || changed.World.Resources[1].Name != "id-two" || len(changed.World.Principals) != 2 {
		t.Errorf("after a change: resources %+v", changed.World.Resources)
	}
	if &changed.World.Resources[0] == &read.World.Resources[0] {
		t.Errorf("the changed list is the old slice")
	}
	// The clock is part of the view: sleep is a change.
	slept := run("sleep 60")
	if !slept.World.Clock.Now.Equal(changed.World.Clock.Now.Add(time.Minute)) {
		t.Errorf("after sleep 60 the clock shows %s, was %s", slept.World.Clock.Now, changed.World.Clock.Now)
	}
}

// In the page, the terminal shows the last commands and says how many it
// no longer shows; the sandbox still has them all, for its history, its
// share link and its download.
func TestSandboxTrimsScrollback(t *testing.T) {
	h := mountSandbox(t)
	const n = maxScrollback + 5
	for i := 1; i <= n; i++ {
		h.enter(t, fmt.Sprintf("echo %d", i))
	}
	html := app.HTMLString(h)
	if got := countClass(h, "term-cmd"); got != n-maxScrollback-1+keepScrollback {
		t.Errorf("%d commands in the terminal's DOM, want %d", got, n-maxScrollback-1+keepScrollback)
	}
	for _, want := range []string{
		fmt.Sprintf(`data-commands="%d"`, n),
		fmt.Sprintf("%d earlier commands not shown: the terminal keeps the last %d to %d.", maxScrollback+1-keepScrollback, keepScrollback, maxScrollback),
		fmt.Sprintf("echo %d", n),
	} {
		if !strings.Contains(html, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(html, ">echo 1<") {
		t.Errorf("the first command is still in the terminal")
	}
	if got := len(h.bench.Commands()); got != n {
		t.Errorf("the sandbox has %d commands, want %d", got, n)
	}
	if len(h.history) != n || h.history[0] != "echo 1" {
		t.Errorf("the prompt's history has %d lines from %q", len(h.history), h.history[0])
	}
	src, err := ScenarioFromHistory(context.Background(), h.bench.Source("Trimmed"), h.bench.Commands())
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(string(src), "\n$ echo "); got != n {
		t.Errorf("the downloaded file has %d commands, want %d", got, n)
	}
	runGenerated(t, src)
}

// A decision folds the assignments of other principals past a few, and
// lists them when asked.
func TestDecisionFoldsOtherPrincipals(t *testing.T) {
	decision := func(others int) *DecisionVM {
		d := &DecisionVM{Allowed: true, Reason: "Allowed."}
		d.Considered = append(d.Considered, ConsideredVM{RoleName: "Reader", Outcome: "ScopeDoesNotApply"})
		for i := 0; i < others; i++ {
			d.Considered = append(d.Considered, ConsideredVM{RoleName: fmt.Sprintf("Other %d", i), Outcome: "OtherPrincipal"})
		}
		d.Considered = append(d.Considered, ConsideredVM{RoleName: "Storage Blob Data Reader", Outcome: "Grants", Grants: true})
		return d
	}
	render := func(ui app.UI) string {
		e := app.NewTestEngine()
		if err := e.Load(ui.(app.Composer)); err != nil {
			t.Fatal(err)
		}
		e.ConsumeAll()
		return app.HTMLString(ui)
	}
	inline := render(&decisionPanel{VM: decision(maxOthersInline)})
	if n := strings.Count(inline, `considered__row`); n != maxOthersInline+2 || strings.Contains(inline, "considered__fold") {
		t.Errorf("with %d other principals: %d rows, fold %v", maxOthersInline, n, strings.Contains(inline, "considered__fold"))
	}
	folded := render(&decisionPanel{VM: decision(maxOthersInline + 1)})
	if n := strings.Count(folded, `considered__row`); n != 2 || !strings.Contains(folded, fmt.Sprintf("Show the %d assignments to other principals", maxOthersInline+1)) ||
		!strings.Contains(folded, "is-granting") {
		t.Errorf("with %d other principals: %d rows listed, the page:\n%s", maxOthersInline+1, n, folded)
	}
	open := render(&otherPrincipalRows{Rows: decision(7).Considered[1:8], open: true})
	if n := strings.Count(open, `considered__row`); n != 7 || !strings.Contains(open, "Hide the 7 assignments") || !regexp.MustCompile(`aria-expanded[ >]`).MatchString(open) {
		t.Errorf("opened: %d rows, the page:\n%s", n, open)
	}
}

// The lists beside the terminal show their last items past maxListed, in
// a window that moves listStep items at a time, and all of them on a
// click.
func TestSideListsFold(t *testing.T) {
	for n, from := range map[int]int{1: 0, maxListed: 0, maxListed + 1: listStep, 3*listStep - 1: listStep, 3 * listStep: 2 * listStep, 101: 75} {
		if got := listedFrom(n); got != from {
			t.Errorf("listedFrom(%d) = %d, want %d", n, got, from)
		}
		if shown := n - listedFrom(n); n > maxListed && (shown < listStep || shown >= maxListed) {
			t.Errorf("a list of %d shows %d", n, shown)
		}
	}
	resources := func(n int) []ResourceVM {
		var out []ResourceVM
		for i := 1; i <= n; i++ {
			out = append(out, ResourceVM{Name: fmt.Sprintf("id-%03d", i), TypeLabel: "user-assigned identity"})
		}
		return out
	}
	render := func(p *resourcesPanel) string {
		e := app.NewTestEngine()
		if err := e.Load(p); err != nil {
			t.Fatal(err)
		}
		e.ConsumeAll()
		return app.HTMLString(p)
	}
	whole := render(&resourcesPanel{VM: resources(maxListed)})
	if n := strings.Count(whole, `class="item resource"`); n != maxListed || strings.Contains(whole, "list-fold") {
		t.Errorf("%d resources: %d listed, folded: %v", maxListed, n, strings.Contains(whole, "list-fold"))
	}
	folded := render(&resourcesPanel{VM: resources(101)})
	if n := strings.Count(folded, `class="item resource"`); n != 26 || !strings.Contains(folded, "The last 26 of 101 resources.") ||
		!strings.Contains(folded, "Show all 101") || !strings.Contains(folded, `data-name="id-101"`) || strings.Contains(folded, `data-name="id-075"`) {
		t.Errorf("101 resources, folded: %d listed; the page:\n%s", n, folded)
	}
	all := render(&resourcesPanel{VM: resources(101), all: true})
	if n := strings.Count(all, `class="item resource"`); n != 101 || !strings.Contains(all, "All 101 resources.") {
		t.Errorf("101 resources, all: %d listed", n)
	}
}
