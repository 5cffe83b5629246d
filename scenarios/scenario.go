package scenarios

import (
	"fmt"
	"strings"
	"time"
)

// A Scenario is a parsed scenario file.
type Scenario struct {
	// Name is the file name the scenario was parsed under; every error
	// and problem starts with it.
	Name        string
	FrontMatter FrontMatter
	// Steps are the console blocks in document order. In an exercise they
	// are the setup that builds the starting state; the solution's steps
	// are in Exercise.Solution.
	Steps []*Step
	// Tail is the Markdown after the last step (or after the last
	// section of an exercise), trimmed of blank lines.
	Tail string
	// Exercise is set when the front matter says exercise: true.
	Exercise *Exercise

	src []byte
}

// Source returns the file the scenario was parsed from. The caller must not
// modify it.
func (s *Scenario) Source() []byte { return s.src }

// FrontMatter is the YAML header of a scenario file.
type FrontMatter struct {
	Title   string   // required
	Summary string   // one or two sentences for the gallery
	Level   Level    // required: beginner, intermediate or advanced
	Tags    []string // free-form, lower case by convention
	// Seed determines every ID the simulated cloud hands out; zero means
	// the engine's default.
	Seed uint64
	// Start is the simulated time the world starts at; zero means the
	// engine's default.
	Start time.Time
	// Propagation is the RBAC propagation delay; zero means role
	// assignments take effect at once.
	Propagation time.Duration
	// Exercise marks the file as an exercise: it must have a goal, a
	// check block and a solution.
	Exercise bool
}

// A Level says how much a scenario expects its reader to know.
type Level string

// The levels a scenario can have.
const (
	Beginner     Level = "beginner"
	Intermediate Level = "intermediate"
	Advanced     Level = "advanced"
)

// Levels lists the valid levels, easiest first.
var Levels = []Level{Beginner, Intermediate, Advanced}

// A Step is one console block and the narration before it.
type Step struct {
	// Index is the step's position in Scenario.Steps or
	// Exercise.Solution, from 0.
	Index int
	// Line is the line of the block's opening fence.
	Line int
	// Narration is the Markdown source between the previous step (or
	// section heading, or front matter) and this block, trimmed of blank
	// lines.
	Narration string
	Commands  []*Command

	end int // offset just past the closing fence line
}

// A Command is one command line of a step and the output it should print.
type Command struct {
	// Line is the line of the prompt.
	Line int
	// Host is the compute resource the command runs in, or "" for the
	// learner's workstation (the prompt `$`).
	Host string
	// Text is the command as the shell reads it: continued lines are kept
	// with their backslash and newline.
	Text string
	// Want is the expected output, one element per line, without the
	// [exit N] line and without trailing blank lines.
	Want []string
	// Exit is the expected exit status, from a last line [exit N].
	Exit int

	// The expected output in the source, for Update: [wantStart, wantEnd)
	// covers Want and the exit line; indent is the block's indentation.
	wantStart, wantEnd int
	indent             string
}

// Prompt returns the command's prompt: "$" or "host$".
func (c *Command) Prompt() string { return c.Host + "$" }

// String returns the command as written in the file, prompt included.
func (c *Command) String() string { return c.Prompt() + " " + c.Text }

// Short returns the command on one line, continuations folded, for error
// messages.
func (c *Command) Short() string { return shortCommand(c.Text) }

// WantLines returns the expected transcript: Want, then [exit N] if the
// command should fail.
func (c *Command) WantLines() []string {
	if c.Exit == 0 {
		return c.Want
	}
	return append(append([]string(nil), c.Want...), exitLine(c.Exit))
}

func exitLine(n int) string { return fmt.Sprintf("[exit %d]", n) }

func shortCommand(text string) string {
	if !strings.Contains(text, "\n") {
		return text
	}
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		l = strings.TrimSpace(l)
		if i < len(lines)-1 {
			l = strings.TrimSpace(strings.TrimSuffix(l, `\`))
		}
		lines[i] = l
	}
	return strings.Join(lines, " ")
}

// An Exercise is the part of a scenario file that sets the learner a task:
// the sections "## Goal", "## Hints" and "## Solution", and a
// ```console check block.
type Exercise struct {
	// Goal is the Markdown of the "## Goal" section, heading excluded.
	Goal string
	// Hints are the items of the first list in "## Hints", as Markdown,
	// in the order a learner should see them.
	Hints []string
	// CheckStep holds the check commands and the output they print once the
	// goal is reached. On the starting state at least one of them must
	// not match.
	CheckStep *Step
	// Solution is the console blocks of "## Solution".
	Solution []*Step
}

// An Error is a problem with a scenario file, or a mismatch when running
// it, at a line of the file.
type Error struct {
	File    string
	Line    int
	Col     int    // the column, where known (front matter); 0 if not
	Command string // the command, on one line; "" if the problem is not a command's
	Msg     string
}

// Error returns "file:line: command: message", with ":col" after the line
// when the column is known, and without "command: " when there is none.
func (e *Error) Error() string {
	pos := fmt.Sprintf("%s:%d", e.File, e.Line)
	if e.Col > 0 {
		pos += fmt.Sprintf(":%d", e.Col)
	}
	if e.Command != "" {
		return fmt.Sprintf("%s: %s: %s", pos, e.Command, e.Msg)
	}
	return fmt.Sprintf("%s: %s", pos, e.Msg)
}

// An ErrorList is every problem found in a file, in line order. Parse
// returns one when the file has errors.
type ErrorList []*Error

func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap returns the errors, for errors.Is and errors.As.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}
