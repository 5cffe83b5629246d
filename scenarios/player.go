package scenarios

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
)

// A Player runs a scenario a step at a time, as the browser's player does:
// run the next step, run them all, step back, type commands of one's own,
// and for an exercise check the goal or show the solution.
//
// Stepping back replays everything before the step on a fresh world: the
// engine is deterministic, so the world after a replay is the one the
// learner saw. A Player is not safe for concurrent use, except for the
// function PrepareBack returns.
type Player struct {
	s    *Scenario
	opts RunOptions
	playerState

	// prepared is the state Back will need, built ahead by PrepareBack.
	mu       sync.Mutex
	prepared *playerState
}

// playerState is everything a replay rebuilds.
type playerState struct {
	r       Runner
	next    int              // the next step of s.Steps to run
	solved  int              // the solution's steps run so far
	results []*StepResult    // of s.Steps, by index
	history []*CommandResult // every command run, in order
	journal []Action         // what to replay
}

// An Action is one thing a player did: run a step, a solution step or the
// check, or a command of the learner's. Actions are what the browser saves
// to restore a session after a reload; see Player.Actions and
// Player.Replay.
type Action struct {
	// Kind is StepSetup, StepSolution, StepCheck or ActionCommand.
	Kind  StepKind `json:"kind"`
	Index int      `json:"index,omitempty"` // the step's index
	Host  string   `json:"host,omitempty"`  // the command's host, "" for the workstation
	Line  string   `json:"line,omitempty"`  // the command line
}

// ActionCommand is the Kind of an Action that runs a learner's command.
const ActionCommand StepKind = "command"

// NewPlayer returns a player at the start of s, on a fresh world.
func NewPlayer(s *Scenario, opts RunOptions) (*Player, error) {
	p := &Player{s: s, opts: opts}
	if err := p.reset(); err != nil {
		return nil, err
	}
	return p, nil
}

func (p *Player) reset() error {
	r, err := p.opts.newRunner(p.s.FrontMatter)
	if err != nil {
		return err
	}
	p.playerState = playerState{r: r}
	return nil
}

// Scenario returns the scenario being played.
func (p *Player) Scenario() *Scenario { return p.s }

// Runner returns the runner of the current world: the UI's panels read
// the cloud through it (the simulated shell's Session has a Cloud
// method). It changes when the player steps back or resets.
func (p *Player) Runner() Runner { return p.r }

// Next returns the index of the next step to run; len(Scenario().Steps)
// when all have run.
func (p *Player) Next() int { return p.next }

// Done reports whether every step has run.
func (p *Player) Done() bool { return p.next >= len(p.s.Steps) }

// Results returns the results of the steps run so far; element i is step
// i's.
func (p *Player) Results() []*StepResult { return p.results }

// History returns every command run on the current world, in order:
// steps, checks and the learner's own.
func (p *Player) History() []*CommandResult { return p.history }

// ErrNoMoreSteps is returned by Step when every step has run.
var ErrNoMoreSteps = errors.New("scenarios: no more steps")

// Step runs the next step. A mismatch is in the result, not an error.
func (p *Player) Step(ctx context.Context) (*StepResult, error) {
	if p.Done() {
		return nil, ErrNoMoreSteps
	}
	return p.runStep(ctx, StepSetup, p.next)
}

func (p *Player) runStep(ctx context.Context, kind StepKind, i int) (*StepResult, error) {
	var st *Step
	if kind == StepSolution {
		st = p.s.Exercise.Solution[i]
	} else {
		st = p.s.Steps[i]
	}
	// In the player a runner's error, such as a host the scenario has
	// not created, is shown as the command's output: the step does not
	// match, and stepping back replays it the same way.
	sr, err := runStep(ctx, p.r, p.s, kind, st, nil, true, true)
	p.history = append(p.history, sr.Results...)
	p.journal = append(p.journal, Action{Kind: kind, Index: i})
	if err != nil {
		return sr, err
	}
	switch kind {
	case StepSetup:
		p.results = append(p.results, sr)
		p.next++
	case StepSolution:
		p.solved++
	}
	return sr, nil
}

// RunAll runs the remaining steps, stopping after a step that does not
// match, and returns their results.
func (p *Player) RunAll(ctx context.Context) ([]*StepResult, error) {
	var out []*StepResult
	for !p.Done() {
		sr, err := p.Step(ctx)
		if sr != nil {
			out = append(out, sr)
		}
		if err != nil || !sr.Passed {
			return out, err
		}
	}
	return out, nil
}

// Back undoes the last step: it replays, on a fresh world, everything
// done before that step ran (steps, checks, the learner's commands). At
// the start it resets the world.
func (p *Player) Back(ctx context.Context) error {
	return p.Goto(ctx, max(0, p.next-1))
}

// PrepareBack returns a function that builds, on a world of its own, the
// state that stepping back from here leads to, so that a later Back swaps
// it in instead of replaying: the replay then happens while the learner
// reads, not after the click. The function may run on another goroutine
// while the player is used; the state it builds is used only if the player
// is still where it was when PrepareBack was called.
func (p *Player) PrepareBack() func(ctx context.Context) error {
	prefix := p.backPrefix(max(0, p.next-1))
	return func(ctx context.Context) error {
		q := &Player{s: p.s, opts: p.opts}
		if err := q.replay(ctx, prefix); err != nil {
			return err
		}
		p.mu.Lock()
		p.prepared = &q.playerState
		p.mu.Unlock()
		return nil
	}
}

// backPrefix is the part of the journal that a world just before step n
// has done.
func (p *Player) backPrefix(n int) []Action {
	keep := len(p.journal)
	for i, e := range p.journal {
		if e.Kind == StepSetup && e.Index >= n {
			keep = i
			break
		}
	}
	if n == 0 {
		keep = 0
	}
	return slices.Clone(p.journal[:keep])
}

// takePrepared returns the prepared state if it is the one for journal.
func (p *Player) takePrepared(journal []Action) (*playerState, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	st := p.prepared
	if st == nil || !slices.Equal(st.journal, journal) {
		return nil, false
	}
	p.prepared = nil
	return st, true
}

// Goto brings the player to just before step n: forward by running steps,
// back by replaying on a fresh world everything done before step n ran.
func (p *Player) Goto(ctx context.Context, n int) error {
	if n < 0 || n > len(p.s.Steps) {
		return fmt.Errorf("scenarios: no step %d: the scenario has %d", n, len(p.s.Steps))
	}
	if n < p.next || (n == 0 && len(p.journal) > 0) {
		prefix := p.backPrefix(n)
		if st, ok := p.takePrepared(prefix); ok {
			p.playerState = *st
		} else if err := p.replay(ctx, prefix); err != nil {
			return err
		}
	}
	for p.next < n {
		if _, err := p.Step(ctx); err != nil {
			return err
		}
	}
	return nil
}

// Reset goes back to the start on a fresh world.
func (p *Player) Reset() error { return p.reset() }

// Actions returns what the player did on the current world, in order.
func (p *Player) Actions() []Action { return append([]Action(nil), p.journal...) }

// Replay resets the world and does the actions again, such as those
// Actions returned before a reload. The engine is deterministic, so the
// world is the one the actions made.
func (p *Player) Replay(ctx context.Context, actions []Action) error {
	return p.replay(ctx, actions)
}

func (p *Player) replay(ctx context.Context, journal []Action) error {
	journal = append([]Action(nil), journal...)
	if err := p.reset(); err != nil {
		return err
	}
	for _, a := range journal {
		var err error
		switch a.Kind {
		case StepSetup, StepSolution:
			if a.Kind == StepSetup && a.Index != p.next || a.Kind == StepSolution && (p.s.Exercise == nil || a.Index != p.solved) {
				return fmt.Errorf("scenarios: cannot replay %s %d: the next is %d", a.Kind, a.Index, map[bool]int{true: p.next, false: p.solved}[a.Kind == StepSetup])
			}
			_, err = p.runStep(ctx, a.Kind, a.Index)
		case StepCheck:
			_, _, err = p.Check(ctx)
		case ActionCommand:
			_, err = p.Exec(ctx, a.Host, a.Line)
		default:
			return fmt.Errorf("scenarios: cannot replay an action of kind %q", a.Kind)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// Exec runs a command line of the learner's own on host ("" for the
// workstation). It has no expected output; its result always matches. A
// runner's error, such as a host that does not exist, is in the output,
// as a terminal would show it; the error is for cancellation.
func (p *Player) Exec(ctx context.Context, host, line string) (*CommandResult, error) {
	res, err := exec(ctx, p.r, nil, host, line)
	err = softFail(ctx, res, err)
	p.history = append(p.history, res)
	p.journal = append(p.journal, Action{Kind: ActionCommand, Host: host, Line: line})
	return res, err
}

// ErrNotExercise is returned by Check and Solve for a scenario that is not
// an exercise.
var ErrNotExercise = errors.New("scenarios: not an exercise")

// Check runs the exercise's check on the current world and reports whether
// the goal is reached.
func (p *Player) Check(ctx context.Context) (bool, *Report, error) {
	if p.s.Exercise == nil {
		return false, nil, ErrNotExercise
	}
	ok, rep, err := p.s.Exercise.Check(ctx, p.r)
	p.history = append(p.history, rep.Results...)
	p.journal = append(p.journal, Action{Kind: StepCheck})
	return ok, rep, err
}

// Solve runs the remaining steps and then the solution's steps that have
// not run yet, and returns the solution's results.
func (p *Player) Solve(ctx context.Context) ([]*StepResult, error) {
	if p.s.Exercise == nil {
		return nil, ErrNotExercise
	}
	for !p.Done() {
		if _, err := p.Step(ctx); err != nil {
			return nil, err
		}
	}
	var out []*StepResult
	for p.solved < len(p.s.Exercise.Solution) {
		sr, err := p.runStep(ctx, StepSolution, p.solved)
		if err != nil {
			return out, err
		}
		out = append(out, sr)
	}
	return out, nil
}
