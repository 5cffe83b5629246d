package scenarios

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/miplay/miplay/engine/azure"
)

// A Runner runs command lines in a simulated cloud. The simulated shell
// of engine/shell is one; tests may use others. host is
// [github.com/miplay/miplay/engine/azure.Workstation] or a compute
// resource's name. The exit status is the command's; the error is for
// failures of the runner itself, not of the command.
type Runner interface {
	Run(ctx context.Context, host, line string, stdout, stderr io.Writer) (exit int, err error)
}

// NewRunner returns a Runner on a fresh simulated cloud set up as the
// front matter says (seed, start, propagation). It is the simulated
// shell of engine/shell; RunOptions.NewRunner overrides it for one run.
var NewRunner func(fm FrontMatter) (Runner, error) = newShellRunner

// Workstation is the host name the Runner gets for the prompt `$`.
const Workstation = azure.Workstation

// RunOptions configure Run, Update, CheckExercise and NewPlayer.
type RunOptions struct {
	// Verbose writes every command and its output to the writer Run
	// gets, as a transcript.
	Verbose bool
	// KeepGoing runs the remaining commands after a mismatch. Later
	// mismatches are often consequences of the first.
	KeepGoing bool
	// NewRunner, if set, is used instead of the package's NewRunner.
	NewRunner func(fm FrontMatter) (Runner, error)
}

func (o RunOptions) newRunner(fm FrontMatter) (Runner, error) {
	if o.NewRunner != nil {
		return o.NewRunner(fm)
	}
	if NewRunner == nil {
		return nil, errors.New("scenarios: no Runner: set NewRunner or RunOptions.NewRunner")
	}
	return NewRunner(fm)
}

// A Chunk is one write of a command to stdout or stderr.
type Chunk struct {
	Stderr bool
	Text   string
}

// A CommandResult is what one command did.
type CommandResult struct {
	// Command is the scenario's command, or nil for a command typed by
	// the learner (Player.Exec).
	Command *Command
	Host    string // "" for the workstation
	Text    string // the command line
	// Output is stdout and stderr interleaved in the order they were
	// written, as a terminal shows them; Chunks has the same text with
	// the stream of each write.
	Output string
	Chunks []Chunk
	Exit   int
	// Matched reports whether the output and exit status are the
	// expected ones; always true for a learner's command.
	Matched bool
	// Diff is a unified diff from the expected transcript to the actual
	// one when Matched is false.
	Diff string
}

// GotLines returns the actual transcript: the output's lines, then
// [exit N] if the command failed.
func (r *CommandResult) GotLines() []string {
	lines := OutputLines(r.Output)
	if r.Exit != 0 {
		lines = append(lines, exitLine(r.Exit))
	}
	return lines
}

// A StepKind says what part of a scenario a step result is from.
type StepKind string

// The kinds of step results.
const (
	StepSetup       StepKind = "step"         // a step of Scenario.Steps
	StepCheckBefore StepKind = "check-before" // the exercise's check on the starting state: must not match
	StepSolution    StepKind = "solution"     // a step of Exercise.Solution
	StepCheck       StepKind = "check"        // the exercise's check after the solution: must match
)

// A StepResult is what the commands of one step did.
type StepResult struct {
	Kind    StepKind
	Step    *Step
	Results []*CommandResult
	// Passed reports whether every command matched (for
	// StepCheckBefore: whether at least one did not).
	Passed bool
}

// A Result is the outcome of running a scenario.
type Result struct {
	Name     string
	Passed   bool
	Steps    []*StepResult
	Failures []*Failure
}

// A Failure is a command whose output or exit status was not the
// expected one, or an exercise whose check did not behave.
type Failure struct {
	File    string
	Line    int
	Command string   // on one line; "" for a failure that is not a command's
	Want    []string // the expected transcript, [exit N] last if not 0
	Got     []string // the actual transcript
	Diff    string
	Msg     string // what went wrong, when there is no diff to show
}

// Error returns "file:line: command: want … got …" and the diff.
func (f *Failure) Error() string {
	e := &Error{File: f.File, Line: f.Line, Command: f.Command, Msg: f.Msg}
	if f.Msg == "" {
		e.Msg = summarize(f.Want, f.Got)
		if f.Diff != "" {
			e.Msg += "\n" + strings.TrimRight(f.Diff, "\n")
		}
	}
	return e.Error()
}

// summarize says in one line how two transcripts differ.
func summarize(want, got []string) string {
	wantExit, gotExit := "exit 0", "exit 0"
	if n := len(want); n > 0 && isExitLine(want[n-1]) {
		wantExit = strings.Trim(want[n-1], "[]")
		want = want[:n-1]
	}
	if n := len(got); n > 0 && isExitLine(got[n-1]) {
		gotExit = strings.Trim(got[n-1], "[]")
		got = got[:n-1]
	}
	if wantExit != gotExit {
		return fmt.Sprintf("want %s, got %s", wantExit, gotExit)
	}
	for i := 0; i < len(want) && i < len(got); i++ {
		if want[i] == Ellipsis {
			break
		}
		if !MatchLine(want[i], got[i]) {
			return fmt.Sprintf("want %q, got %q (output line %d)", want[i], got[i], i+1)
		}
	}
	switch {
	case len(got) == 0:
		return fmt.Sprintf("want %s, got no output", plural(len(want), "line"))
	case len(want) == 0:
		return fmt.Sprintf("want no output, got %s", plural(len(got), "line"))
	}
	return "want (-) and got (+) differ"
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// capture records a command's stdout and stderr in one stream.
type capture struct {
	b      strings.Builder
	chunks []Chunk
}

type captureWriter struct {
	c      *capture
	stderr bool
}

func (w captureWriter) Write(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	w.c.b.Write(p)
	if n := len(w.c.chunks); n > 0 && w.c.chunks[n-1].Stderr == w.stderr {
		w.c.chunks[n-1].Text += string(p)
	} else {
		w.c.chunks = append(w.c.chunks, Chunk{Stderr: w.stderr, Text: string(p)})
	}
	return len(p), nil
}

// exec runs one command line and records what it did. A nil c means a
// learner's command, which has nothing to match.
func exec(ctx context.Context, r Runner, c *Command, host, text string) (*CommandResult, error) {
	var cp capture
	h := host
	if h == "" {
		h = Workstation
	}
	exit, err := r.Run(ctx, h, text, captureWriter{&cp, false}, captureWriter{&cp, true})
	res := &CommandResult{Command: c, Host: host, Text: text, Output: cp.b.String(), Chunks: cp.chunks, Exit: exit, Matched: true}
	if err != nil {
		return res, err
	}
	if c != nil {
		got := OutputLines(res.Output)
		res.Matched = exit == c.Exit && Match(c.Want, got)
		if !res.Matched {
			res.Diff = Diff(c.Want, c.Exit, got, exit)
		}
	}
	return res, nil
}

// softFail turns a runner's error into output, for commands whose
// failure is the learner's to see rather than a broken scenario: an
// exercise's check on a world without the host it names yet, and commands
// the learner types. Cancellation stays an error.
func softFail(ctx context.Context, res *CommandResult, err error) error {
	if err == nil || ctx.Err() != nil {
		return err
	}
	if res.Output != "" && !strings.HasSuffix(res.Output, "\n") {
		res.Output += "\n"
	}
	msg := err.Error() + "\n"
	res.Output += msg
	res.Chunks = append(res.Chunks, Chunk{Stderr: true, Text: msg})
	if res.Exit == 0 {
		res.Exit = 1
	}
	if c := res.Command; c != nil {
		got := OutputLines(res.Output)
		res.Matched = res.Exit == c.Exit && Match(c.Want, got)
		if !res.Matched {
			res.Diff = Diff(c.Want, c.Exit, got, res.Exit)
		}
	}
	return nil
}

// runStep runs the commands of a step, stopping after the first mismatch
// unless keepGoing. It writes a transcript to log if log is not nil. With
// soft, a runner's error is output that does not match, as for a check.
func runStep(ctx context.Context, r Runner, s *Scenario, kind StepKind, st *Step, log io.Writer, keepGoing, soft bool) (*StepResult, error) {
	sr := &StepResult{Kind: kind, Step: st, Passed: true}
	if log != nil {
		if kind == StepCheck || kind == StepCheckBefore {
			fmt.Fprintf(log, "# %s (%s:%d)\n", kindName(kind), s.Name, st.Line)
		} else {
			fmt.Fprintf(log, "# %s %d (%s:%d)\n", kindName(kind), st.Index+1, s.Name, st.Line)
		}
	}
	for _, c := range st.Commands {
		res, err := exec(ctx, r, c, c.Host, c.Text)
		if soft || kind == StepCheckBefore || kind == StepCheck {
			err = softFail(ctx, res, err)
		}
		if log != nil {
			fmt.Fprintf(log, "%s\n", c)
			for _, l := range res.GotLines() {
				fmt.Fprintln(log, l)
			}
		}
		if err != nil {
			return sr, &Error{File: s.Name, Line: c.Line, Command: c.Short(), Msg: err.Error()}
		}
		sr.Results = append(sr.Results, res)
		if !res.Matched {
			sr.Passed = false
			if !keepGoing && kind != StepCheckBefore {
				break
			}
		}
	}
	if kind == StepCheckBefore {
		sr.Passed = !sr.Passed
	}
	return sr, nil
}

func kindName(k StepKind) string {
	switch k {
	case StepSolution:
		return "solution step"
	case StepCheckBefore:
		return "check before the solution"
	case StepCheck:
		return "check"
	}
	return "step"
}

// failure describes a command that did not match.
func failure(s *Scenario, res *CommandResult) *Failure {
	c := res.Command
	return &Failure{File: s.Name, Line: c.Line, Command: c.Short(), Want: c.WantLines(), Got: res.GotLines(), Diff: res.Diff}
}

// Run runs every step of a scenario on a fresh simulated cloud and
// compares each command's output with the expected one. For an exercise it
// runs the setup steps, the check (which must not match), the solution's
// steps and the check again (which must match). It stops at the first
// mismatch unless opts.KeepGoing. With opts.Verbose it writes a transcript
// to out, which may be nil otherwise.
//
// The error is the first *Failure, formatted as
// "file:line: command: want … got …" with a unified diff, or an *Error
// if the runner itself failed.
func Run(ctx context.Context, s *Scenario, out io.Writer, opts RunOptions) (*Result, error) {
	res := &Result{Name: s.Name}
	r, err := opts.newRunner(s.FrontMatter)
	if err != nil {
		return res, &Error{File: s.Name, Line: 1, Msg: err.Error()}
	}
	var log io.Writer
	if opts.Verbose {
		log = out
	}
	var firstErr error
	fail := func(f *Failure) {
		res.Failures = append(res.Failures, f)
		if firstErr == nil {
			firstErr = f
		}
	}
	run := func(kind StepKind, st *Step) (stop bool, err error) {
		sr, err := runStep(ctx, r, s, kind, st, log, opts.KeepGoing, false)
		if err != nil {
			return true, err
		}
		res.Steps = append(res.Steps, sr)
		if sr.Passed {
			return false, nil
		}
		if kind == StepCheckBefore {
			fail(&Failure{File: s.Name, Line: st.Line, Msg: "check: every check command matches before the solution: the check must fail on the starting state (after the setup steps)"})
			return false, nil // the solution may still be worth checking
		}
		for _, cr := range sr.Results {
			if !cr.Matched {
				fail(failure(s, cr))
			}
		}
		return !opts.KeepGoing, nil
	}
	for _, x := range s.plan() {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		stop, err := run(x.kind, x.st)
		if err != nil {
			return res, err
		}
		if stop {
			break
		}
	}
	res.Passed = len(res.Failures) == 0
	return res, firstErr
}

// CheckExercise runs an exercise as Run does and so proves that its
// check fails on the starting state and passes after its solution. It is
// an error to call it on a scenario that is not an exercise.
func CheckExercise(ctx context.Context, s *Scenario, opts RunOptions) (*Result, error) {
	if s.Exercise == nil {
		return &Result{Name: s.Name}, &Error{File: s.Name, Line: 1, Msg: "not an exercise: expected exercise: true in the front matter"}
	}
	return Run(ctx, s, nil, opts)
}

// planned is one step of a scenario's run, in order.
type planned struct {
	kind StepKind
	st   *Step
}

// plan lists the steps a run goes through: the steps, and for an exercise
// the check, the solution and the check again.
func (s *Scenario) plan() []planned {
	var p []planned
	for _, st := range s.Steps {
		p = append(p, planned{StepSetup, st})
	}
	if x := s.Exercise; x != nil && x.CheckStep != nil {
		p = append(p, planned{StepCheckBefore, x.CheckStep})
		for _, st := range x.Solution {
			p = append(p, planned{StepSolution, st})
		}
		p = append(p, planned{StepCheck, x.CheckStep})
	}
	return p
}
