package worker

// A workbench is the world behind a free terminal: the sandbox's, or an
// exercise's. It is a session of the Host: the page opens it, runs the
// learner's commands on it, and gets back what changed
// (wire.WorkbenchUpdate), which the page adds to what it shows.

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"reflect"
	"strings"
	"sync"

	"github.com/miplay/miplay/app/wire"
	"github.com/miplay/miplay/engine"
	"github.com/miplay/miplay/scenarios"
)

// workbench is a world the learner types commands into, started fresh or
// from a scenario's first steps.
type workbench struct {
	// mu is held by each call that runs something on the workbench or
	// reads its history; the world itself is under its cloud's lock (do).
	mu       sync.Mutex
	scenario *scenarios.Scenario
	player   *scenarios.Player
	commands []wire.WorkbenchCommand // the learner's own, in order
	last     int                     // the sequence number of the last command's first event
	// solution holds the results of the commands of an exercise's
	// solution.
	solution map[*scenarios.CommandResult]bool
	// kinds says where the scenario's commands come from: a setup step,
	// the check, the solution.
	kinds map[*scenarios.Command]wire.WorkbenchEntry

	// What the page was sent: the results and commands before these, and
	// the panels' state.
	sentResults  int
	sentCommands int
	panels       panelsBuilder
}

// benchEmptyScenario is what a fresh sandbox plays: no step, the engine's
// defaults.
func benchEmptyScenario() *scenarios.Scenario {
	return &scenarios.Scenario{Name: "sandbox.md", FrontMatter: scenarios.FrontMatter{Title: "Sandbox", Level: scenarios.Beginner}}
}

func benchSlug(s *scenarios.Scenario) string { return strings.TrimSuffix(path.Base(s.Name), ".md") }

// newWorkbench returns a workbench on a fresh world, or, if s is not nil,
// on the world of s after its first steps have run.
func newWorkbench(ctx context.Context, s *scenarios.Scenario, steps int) (*workbench, error) {
	if s == nil {
		s, steps = benchEmptyScenario(), 0
	}
	if steps < 0 || steps > len(s.Steps) {
		return nil, fmt.Errorf("%s has %d steps: there is no step %d to start from", benchSlug(s), len(s.Steps), steps)
	}
	p, err := scenarios.NewPlayer(s, scenarios.RunOptions{})
	if err != nil {
		return nil, err
	}
	if err := p.Goto(ctx, steps); err != nil {
		return nil, err
	}
	b := &workbench{scenario: s, player: p, kinds: map[*scenarios.Command]wire.WorkbenchEntry{}}
	for _, st := range s.Steps {
		for _, c := range st.Commands {
			b.kinds[c] = wire.WorkbenchEntry{Kind: wire.EntrySetup, Step: st.Index}
		}
	}
	if x := s.Exercise; x != nil {
		if x.CheckStep != nil {
			for _, c := range x.CheckStep.Commands {
				b.kinds[c] = wire.WorkbenchEntry{Kind: wire.EntryCheck}
			}
		}
		for _, st := range x.Solution {
			for _, c := range st.Commands {
				b.kinds[c] = wire.WorkbenchEntry{Kind: wire.EntrySolution}
			}
		}
	}
	return b, nil
}

// Hosts returns where a command can run now: "" (the workstation) first,
// then every compute host of the world.
func (b *workbench) Hosts() []string {
	hosts := []string{""}
	b.do(func(w *engine.World) {
		for _, h := range w.Hosts() {
			hosts = append(hosts, h.Name)
		}
	})
	return hosts
}

func (b *workbench) hasHost(host string) bool {
	for _, h := range b.Hosts() {
		if strings.EqualFold(h, host) {
			return true
		}
	}
	return false
}

// unknownHostError is a command on a host that does not exist (yet, or
// any more).
type unknownHostError struct {
	Host  string
	Hosts []string
}

func (e *unknownHostError) Error() string {
	names := make([]string, len(e.Hosts))
	for i, h := range e.Hosts {
		names[i] = wire.Prompt(h)
	}
	return fmt.Sprintf("there is no host %q in this world; the hosts are %s", e.Host, strings.Join(names, " "))
}

// Run runs a command line of the learner's on host ("" for the
// workstation) and records it. A host that does not exist is an error,
// and nothing is recorded.
func (b *workbench) Run(ctx context.Context, host, line string) (*scenarios.CommandResult, error) {
	return b.run(ctx, wire.WorkbenchCommand{Host: host, Line: line})
}

func (b *workbench) run(ctx context.Context, c wire.WorkbenchCommand) (*scenarios.CommandResult, error) {
	c.Line = strings.TrimSpace(c.Line)
	if c.Line == "" {
		return nil, fmt.Errorf("empty command")
	}
	if c.Host != "" && !b.hasHost(c.Host) {
		return nil, &unknownHostError{Host: c.Host, Hosts: b.Hosts()}
	}
	b.last = b.NextSeq()
	res, err := b.player.Exec(ctx, c.Host, c.Line)
	if err != nil {
		return res, err
	}
	b.commands = append(b.commands, c)
	if c.Solution {
		if b.solution == nil {
			b.solution = map[*scenarios.CommandResult]bool{}
		}
		b.solution[res] = true
	}
	return res, nil
}

// RunSolution runs the commands of the exercise's solution and records
// them, marked as the solution's.
func (b *workbench) RunSolution(ctx context.Context) error {
	x := b.scenario.Exercise
	if x == nil {
		return scenarios.ErrNotExercise
	}
	for _, st := range x.Solution {
		for _, c := range st.Commands {
			if _, err := b.run(ctx, wire.WorkbenchCommand{Host: c.Host, Line: c.Text, Solution: true}); err != nil {
				return err
			}
		}
	}
	return nil
}

// IsSolution reports whether r is the result of a command of the
// exercise's solution, run by RunSolution or replayed.
func (b *workbench) IsSolution(r *scenarios.CommandResult) bool { return b.solution[r] }

// SolutionRan reports whether the exercise's solution has run on this
// world.
func (b *workbench) SolutionRan() bool { return len(b.solution) > 0 }

// Replay runs saved or shared commands, in order. It stops at the first
// command whose host does not exist at that point, and says which. The
// pages show the requests of the last command only, so the raw exchanges
// of the others are dropped as it goes (engine.World.Lighten): a long
// history is never all in memory at once.
func (b *workbench) Replay(ctx context.Context, cmds []wire.WorkbenchCommand) error {
	for i, c := range cmds {
		if i > 0 {
			b.do(func(w *engine.World) { w.Lighten(b.last) })
		}
		if _, err := b.run(ctx, c); err != nil {
			return fmt.Errorf("command %d (%s %s): %w", i+1, wire.Prompt(c.Host), benchShortLine(c.Line), err)
		}
	}
	return nil
}

func benchShortLine(l string) string {
	if len(l) > 60 {
		return l[:57] + "..."
	}
	return l
}

// Commands returns the learner's commands, in order.
func (b *workbench) Commands() []wire.WorkbenchCommand {
	return append([]wire.WorkbenchCommand(nil), b.commands...)
}

// Transcript returns every command run on the world, in order: the
// scenario's steps, then the learner's commands (and, in an exercise, its
// checks and solution).
func (b *workbench) Transcript() []*scenarios.CommandResult { return b.player.History() }

// do calls f with the world, under the cloud's lock. It makes a workbench
// a worldSession, whose tokens and decisions the panels' details read,
// and whose names Tab completes.
func (b *workbench) do(f func(w *engine.World)) {
	if c := b.player.Cloud(); c != nil {
		c.Do(f)
	}
}

// history returns what a scenario file written from this workbench
// starts from (wire.ScenarioFromHistoryRequest.Session): the front matter
// of the scenario it was forked from and the commands of the steps that
// ran; and the learner's commands. It makes a workbench a historySession.
func (b *workbench) history() (wire.HistorySource, []wire.HistoryCommand) {
	b.mu.Lock()
	defer b.mu.Unlock()
	fm := b.scenario.FrontMatter
	src := wire.HistorySource{FrontMatter: wire.FrontMatter{
		Title: fm.Title, Summary: fm.Summary, Level: wire.Level(fm.Level), Tags: fm.Tags,
		Seed: fm.Seed, Start: fm.Start, Propagation: fm.Propagation,
	}}
	cmds := make([]wire.HistoryCommand, len(b.commands))
	for i, c := range b.commands {
		cmds[i] = wire.HistoryCommand{Host: c.Host, Line: c.Line}
	}
	if b.scenario.Steps == nil {
		return src, cmds
	}
	src.From = benchSlug(b.scenario)
	for _, a := range b.player.Actions() {
		if a.Kind != scenarios.StepSetup {
			continue
		}
		for _, c := range b.scenario.Steps[a.Index].Commands {
			src.Setup = append(src.Setup, wire.HistoryCommand{Host: c.Host, Line: c.Text})
		}
	}
	return src, cmds
}

// Events returns the world's log from sequence number from on.
func (b *workbench) Events(from int) []engine.Event {
	var evs []engine.Event
	b.do(func(w *engine.World) { evs = w.Events(from) })
	return evs
}

// NextSeq is the sequence number of the world's next event: where the
// events of the next command will start.
func (b *workbench) NextSeq() int {
	n := 0
	b.do(func(w *engine.World) { n = w.NextSeq() })
	return n
}

// update is what changed since the last update: the results and commands
// not sent yet, and the panels, whose request flow starts at mark (the
// sequence number of the first event of the call's commands). sel is what
// the page shows.
func (b *workbench) update(mark int, sel wire.WorkbenchSelection) wire.WorkbenchUpdate {
	u := wire.WorkbenchUpdate{SolutionRan: b.SolutionRan(), Hosts: b.Hosts(), LastFrom: mark}
	results := b.Transcript()[b.sentResults:]
	b.sentResults += len(results)
	if len(results) > wire.MaxScrollback {
		// The terminal would trim these at once: see wire.MaxScrollback.
		u.Skipped = len(results) - wire.KeepScrollback
		results = results[u.Skipped:]
	}
	for _, r := range results {
		e, ok := b.kinds[r.Command]
		switch {
		case ok && r.Command != nil:
		case b.IsSolution(r):
			e = wire.WorkbenchEntry{Kind: wire.EntrySolution}
		default:
			e = wire.WorkbenchEntry{Kind: wire.EntryCommand}
		}
		e.Cmd = termCommand(r)
		u.Entries = append(u.Entries, e)
	}
	u.Commands = append(u.Commands, b.commands[b.sentCommands:]...)
	b.sentCommands = len(b.commands)
	b.do(func(w *engine.World) { b.panels.snapshot(w, &u, sel) })
	return u
}

// benchSetError puts a call's failure in its update.
func benchSetError(u *wire.WorkbenchUpdate, err error) {
	if err == nil {
		return
	}
	u.Error = err.Error()
	var unknown *unknownHostError
	if errors.As(err, &unknown) {
		u.ErrorCode = wire.CodeUnknownHost
	}
}

// panelsBuilder builds the panels of one workbench's world, command after
// command, and sends the page only what changed: the event log's new
// lines, and the lists of the world's view that differ from the last ones
// sent, from their first item that does. The page keeps the lists that
// did not change as they are, the same slices, which go-app, comparing a
// panel's props with the last ones, finds equal at once, leaving the
// panel alone.
type panelsBuilder struct {
	world    wire.WorldView // as the page has it
	built    bool
	logTotal int // events in the log the page has been sent
}

// snapshot fills the panels of u from w. The world then drops the raw
// exchanges and the considered assignments of older events
// (engine.World.Lighten): the panels have their summaries, and nothing
// will show the rest again. Last, it selects what the page shows, as
// settle did: the token of sel if the world still has it, else the
// newest; and the last exchange that RBAC checked (or the last one).
func (pb *panelsBuilder) snapshot(w *engine.World, u *wire.WorkbenchUpdate, sel wire.WorkbenchSelection) {
	if !pb.built || benchChanges(w.Events(pb.logTotal)) {
		v := BuildWorldView(w)
		var d wire.WorldDelta
		d.Changed.Resources, d.Kept.Resources, d.Resources = benchDiff(pb.built, pb.world.Resources, v.Resources)
		d.Changed.Principals, d.Kept.Principals, d.Principals = benchDiff(pb.built, pb.world.Principals, v.Principals)
		d.Changed.Assignments, d.Kept.Assignments, d.Assignments = benchDiff(pb.built, pb.world.Assignments, v.Assignments)
		d.Changed.Tokens, d.Kept.Tokens, d.Tokens = benchDiff(pb.built, pb.world.Tokens, v.Tokens)
		pb.world, pb.built = v, true
		u.World = d
	}
	u.World.Clock = pb.world.Clock
	u.Seq = BuildSequence(w.Events(u.LastFrom))
	u.Events = pb.events(w)
	w.Lighten(benchOldestShown(u.LastFrom, u.Seq))

	tokens := pb.world.Tokens
	kept := sel.Token != "" && benchHasToken(tokens, sel.Token) && len(tokens) == sel.Tokens
	switch {
	case kept && sel.Detail && pb.world.Clock.Now.Equal(sel.Now):
		// The same token at the same time: decoded, and its signature
		// checked, already.
		u.TokenKept = true
	case kept:
		u.Token = sel.Token
	case len(tokens) > 0:
		u.Token = tokens[len(tokens)-1].ID
	}
	if u.Token != "" {
		if d, ok := BuildTokenDetail(w, u.Token); ok {
			u.TokenDetail = &d
		}
	}
	u.Exchange = len(u.Seq.Exchanges) - 1
	for i := len(u.Seq.Exchanges) - 1; i >= 0; i-- {
		if u.Seq.Exchanges[i].DecisionSeq >= 0 {
			u.Exchange = i
			break
		}
	}
	if u.Exchange >= 0 {
		if x := u.Seq.Exchanges[u.Exchange]; x.DecisionSeq >= 0 {
			if d, ok := BuildDecision(w, x.DecisionSeq); ok {
				d = foldDecision(d)
				u.Decision = &d
			}
		}
	}
	// The raw exchanges are sent for the selected one only: the others'
	// come with the exchange method when the learner picks one.
	for i := range u.Seq.Exchanges {
		if i != u.Exchange {
			u.Seq.Exchanges[i].Request, u.Seq.Exchanges[i].Response = "", ""
		}
	}
}

// events returns the lines of the events of w the page has not listed
// yet. Events that the page's trim would drop at once are not summarized
// at all.
func (pb *panelsBuilder) events(w *engine.World) wire.EventsDelta {
	next := w.NextSeq()
	from := max(pb.logTotal, next-wire.KeepEventLines)
	d := wire.EventsDelta{Reset: from > pb.logTotal, Total: next}
	for _, e := range w.Events(from) {
		m := e.Meta()
		d.Lines = append(d.Lines, wire.EventLine{Seq: m.Seq, At: m.At.UTC().Format("15:04:05"), Summary: e.Summary()})
	}
	pb.logTotal = next
	return d
}

func benchHasToken(tokens []wire.TokenRowVM, id string) bool {
	for _, t := range tokens {
		if t.ID == id {
			return true
		}
	}
	return false
}

// benchChanges reports whether events change what WorldView shows. The engine
// records every change of the world as an event, so a command whose
// events only read it (requests served, access checked, tokens from a
// cache) leaves the view as it was; building it again would cost as much
// as the world is big.
func benchChanges(events []engine.Event) bool {
	for _, e := range events {
		switch e.(type) {
		case *engine.RequestServed, *engine.AccessChecked, *engine.TokenServedFromCache:
		default:
			return true
		}
	}
	return false
}

// benchDiff compares a list of the view with the one the page has (if it
// has one: sent): whether it changed, and if so how many of its first
// items did not, and the items after them.
func benchDiff[T any](sent bool, old, new []T) (changed bool, kept int, more []T) {
	if sent && len(old) == len(new) && reflect.DeepEqual(old, new) {
		return false, 0, nil
	}
	if sent {
		for kept < len(old) && kept < len(new) && reflect.DeepEqual(old[kept], new[kept]) {
			kept++
		}
	}
	return true, kept, new[kept:]
}

// benchOldestShown is the sequence number of the oldest event the panels may
// read again from the world: the first event of the last command, or the
// access check behind one of the requests drawn, which a click on its
// arrow explains.
func benchOldestShown(lastFrom int, seq wire.SequenceVM) int {
	n := lastFrom
	for _, x := range seq.Exchanges {
		n = min(n, x.Seq)
		if x.DecisionSeq >= 0 {
			n = min(n, x.DecisionSeq)
		}
	}
	return n
}

// The workbench's methods.

func (h *Host) workbenchOpen(ctx context.Context, req wire.WorkbenchOpenRequest) (wire.WorkbenchUpdate, error) {
	var s *scenarios.Scenario
	var err error
	switch {
	case req.Slug != "":
		s, err = benchScenarios.scenario(req.Slug)
	case req.Name != "" || req.Source != "":
		s, err = scenarios.Parse(req.Name, []byte(req.Source))
	}
	if err != nil {
		return wire.WorkbenchUpdate{}, err
	}
	b, err := newWorkbench(ctx, s, req.Step)
	if err != nil {
		return wire.WorkbenchUpdate{}, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	var replayErr error
	if len(req.Commands) > 0 {
		replayErr = b.Replay(ctx, req.Commands)
		if replayErr != nil && req.Strict {
			return wire.WorkbenchUpdate{}, replayErr
		}
	}
	mark := b.NextSeq()
	switch {
	case len(b.commands) > 0:
		mark = b.last // the requests of the last command replayed
	case req.ShowSetup:
		mark = 0 // the setup's
	}
	u := b.update(mark, req.Selection)
	benchSetError(&u, replayErr)
	u.Session = h.open(b)
	return u, nil
}

// lockedWorkbench returns the workbench session id, locked.
func (h *Host) lockedWorkbench(id int) (*workbench, error) {
	b, err := session[*workbench](h, id)
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	return b, nil
}

func (h *Host) workbenchRun(ctx context.Context, req wire.WorkbenchRunRequest) (wire.WorkbenchUpdate, error) {
	b, err := h.lockedWorkbench(req.Session)
	if err != nil {
		return wire.WorkbenchUpdate{}, err
	}
	defer b.mu.Unlock()
	mark := b.NextSeq()
	_, err = b.Run(ctx, req.Host, req.Line)
	u := b.update(mark, req.Selection)
	benchSetError(&u, err)
	u.Session = req.Session
	return u, nil
}

func (h *Host) workbenchSolution(ctx context.Context, req wire.WorkbenchRequest) (wire.WorkbenchUpdate, error) {
	b, err := h.lockedWorkbench(req.Session)
	if err != nil {
		return wire.WorkbenchUpdate{}, err
	}
	defer b.mu.Unlock()
	mark := b.NextSeq()
	err = b.RunSolution(ctx)
	u := b.update(mark, req.Selection)
	benchSetError(&u, err)
	u.Session = req.Session
	return u, nil
}

func (h *Host) workbenchCheck(ctx context.Context, req wire.WorkbenchRequest) (wire.WorkbenchCheckResponse, error) {
	b, err := h.lockedWorkbench(req.Session)
	if err != nil {
		return wire.WorkbenchCheckResponse{}, err
	}
	defer b.mu.Unlock()
	mark := b.NextSeq()
	_, rep, err := b.player.Check(ctx)
	resp := wire.WorkbenchCheckResponse{Update: b.update(mark, req.Selection)}
	resp.Update.Session = req.Session
	if err != nil {
		benchSetError(&resp.Update, err)
		return resp, nil
	}
	resp.Report = Report(rep)
	return resp, nil
}

// benchScenarios is the library's scenarios a workbench starts from,
// each parsed once.
var benchScenarios = &benchLibrary{fsys: scenarios.Library}

type benchLibrary struct {
	fsys fs.FS
	mu   sync.Mutex
	one  map[string]*scenarios.Scenario
}

// scenario returns the library's scenario slug.
func (l *benchLibrary) scenario(slug string) (*scenarios.Scenario, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if s, ok := l.one[slug]; ok {
		return s, nil
	}
	name := slug + ".md"
	if !fs.ValidPath(name) || path.Base(name) != name || !scenarios.IsScenarioFile(name) {
		return nil, fmt.Errorf("there is no scenario %q in the library", slug)
	}
	src, err := fs.ReadFile(l.fsys, name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("there is no scenario %q in the library", slug)
	}
	if err != nil {
		return nil, err
	}
	s, err := scenarios.Parse(name, src)
	if err != nil {
		return nil, err
	}
	if l.one == nil {
		l.one = map[string]*scenarios.Scenario{}
	}
	l.one[slug] = s
	return s, nil
}
