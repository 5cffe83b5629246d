package app

// A workbench is the world behind a free terminal: the sandbox's, or an
// exercise's. It is plain Go over scenarios.Player, with no browser code,
// so it is tested natively; the pages only call it and render what it
// returns.

import (
	"context"
	"fmt"
	"strings"

	"github.com/miplay/miplay/app/store"
	"github.com/miplay/miplay/engine"
	"github.com/miplay/miplay/engine/azure"
	"github.com/miplay/miplay/scenarios"
)

// workbench is a world the learner types commands into, started fresh or
// from a scenario's first steps.
type workbench struct {
	scenario *scenarios.Scenario
	player   *scenarios.Player
	commands []store.Command // the learner's own, in order
	last     int             // the sequence number of the last command's first event
	// solution holds the results of the commands of an exercise's
	// solution.
	solution map[*scenarios.CommandResult]bool
}

// emptyScenario is what a fresh sandbox plays: no step, the engine's
// defaults.
func emptyScenario() *scenarios.Scenario {
	return &scenarios.Scenario{Name: "sandbox.md", FrontMatter: scenarios.FrontMatter{Title: "Sandbox", Level: scenarios.Beginner}}
}

// newWorkbench returns a workbench on a fresh world, or, if s is not nil,
// on the world of s after its first steps have run.
func newWorkbench(ctx context.Context, s *scenarios.Scenario, steps int) (*workbench, error) {
	if s == nil {
		s, steps = emptyScenario(), 0
	}
	if steps < 0 || steps > len(s.Steps) {
		return nil, fmt.Errorf("%s has %d steps: there is no step %d to start from", engineSlug(s), len(s.Steps), steps)
	}
	p, err := scenarios.NewPlayer(s, scenarios.RunOptions{})
	if err != nil {
		return nil, err
	}
	if err := p.Goto(ctx, steps); err != nil {
		return nil, err
	}
	return &workbench{scenario: s, player: p}, nil
}

// Hosts returns where a command can run now: "" (the workstation) first,
// then every compute host of the world.
func (b *workbench) Hosts() []string {
	hosts := []string{""}
	b.Do(func(w *engine.World) {
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
		names[i] = prompt(h)
	}
	return fmt.Sprintf("there is no host %q in this world; the hosts are %s", e.Host, strings.Join(names, " "))
}

// Run runs a command line of the learner's on host ("" for the
// workstation) and records it. A host that does not exist is an error,
// and nothing is recorded.
func (b *workbench) Run(ctx context.Context, host, line string) (*scenarios.CommandResult, error) {
	return b.run(ctx, store.Command{Host: host, Line: line})
}

func (b *workbench) run(ctx context.Context, c store.Command) (*scenarios.CommandResult, error) {
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
			if _, err := b.run(ctx, store.Command{Host: c.Host, Line: c.Text, Solution: true}); err != nil {
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
func (b *workbench) Replay(ctx context.Context, cmds []store.Command) error {
	for i, c := range cmds {
		if i > 0 {
			b.Do(func(w *engine.World) { w.Lighten(b.last) })
		}
		if _, err := b.run(ctx, c); err != nil {
			return fmt.Errorf("command %d (%s %s): %w", i+1, prompt(c.Host), shortLine(c.Line), err)
		}
	}
	return nil
}

func shortLine(l string) string {
	if len(l) > 60 {
		return l[:57] + "..."
	}
	return l
}

// Commands returns the learner's commands, in order.
func (b *workbench) Commands() []store.Command { return append([]store.Command(nil), b.commands...) }

// Transcript returns every command run on the world, in order: the
// scenario's steps, then the learner's commands (and, in an exercise, its
// checks and solution).
func (b *workbench) Transcript() []*scenarios.CommandResult { return b.player.History() }

// Do calls f with the world, under the cloud's lock.
func (b *workbench) Do(f func(w *engine.World)) {
	if c := b.cloud(); c != nil {
		c.Do(f)
	}
}

func (b *workbench) cloud() *azure.Cloud { return b.player.Cloud() }

// Names returns what completion offers from the world now.
func (b *workbench) Names() WorldNames {
	var n WorldNames
	b.Do(func(w *engine.World) { n = WorldNamesOf(w) })
	return n
}

// Source returns what a scenario generated from this workbench starts
// from: the front matter of the scenario it was forked from, and the
// commands of the steps that ran.
func (b *workbench) Source(title string) HistorySource {
	src := HistorySource{Title: title, FrontMatter: b.scenario.FrontMatter}
	src.FrontMatter.Exercise = false
	if b.scenario.Steps == nil {
		return src
	}
	src.From = engineSlug(b.scenario)
	for _, a := range b.player.Actions() {
		if a.Kind != scenarios.StepSetup {
			continue
		}
		for _, c := range b.scenario.Steps[a.Index].Commands {
			src.Setup = append(src.Setup, store.Command{Host: c.Host, Line: c.Text})
		}
	}
	return src
}

// Events returns the world's log from sequence number from on.
func (b *workbench) Events(from int) []engine.Event {
	var evs []engine.Event
	b.Do(func(w *engine.World) { evs = w.Events(from) })
	return evs
}

// LastFrom is the sequence number of the first event of the last command
// run: where its requests start.
func (b *workbench) LastFrom() int { return b.last }

// NextSeq is the sequence number of the world's next event: where the
// events of the next command will start.
func (b *workbench) NextSeq() int {
	n := 0
	b.Do(func(w *engine.World) { n = w.NextSeq() })
	return n
}
