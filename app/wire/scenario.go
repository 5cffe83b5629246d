package wire

import (
	"fmt"
	"path"
	"strings"
	"time"
)

// A Scenario is a parsed scenario file as the pages read it: the text to
// show, without the parser's bookkeeping. Package worker converts it from a
// scenarios.Scenario, field for field; the fields mean what they mean there.
type Scenario struct {
	Name        string // the file name it was parsed under
	FrontMatter FrontMatter
	Steps       []*Step
	Tail        string
	// TailHTML is Tail rendered by the engine's Markdown renderer, safe to
	// put in the page (worker.MarkdownHTML), without its title when there
	// is no step.
	TailHTML string
	Exercise *Exercise
	// Source is the file itself, for Download and Share.
	Source string
}

// Slug is the scenario's name in URLs: its file name without ".md".
func (s *Scenario) Slug() string { return strings.TrimSuffix(path.Base(s.Name), ".md") }

// FrontMatter is a scenario's YAML header (scenarios.FrontMatter).
type FrontMatter struct {
	Title       string
	Summary     string
	Level       Level
	Tags        []string
	Seed        uint64
	Start       time.Time
	Propagation time.Duration
	Exercise    bool
}

// A Level says how much a scenario expects its reader to know.
type Level string

// The levels a scenario can have, as scenarios.Levels.
const (
	Beginner     Level = "beginner"
	Intermediate Level = "intermediate"
	Advanced     Level = "advanced"
)

// Levels lists the valid levels, easiest first.
func Levels() []Level { return []Level{Beginner, Intermediate, Advanced} }

// A Step is one console block and the narration before it.
type Step struct {
	Index     int
	Line      int
	Narration string
	// HTML is Narration rendered by the engine's Markdown renderer, safe to
	// put in the page (worker.MarkdownHTML); the first step's is without
	// the file's title, which the pages show apart.
	HTML     string
	Commands []*Command
}

// A Command is one command line of a step and the output it should print.
type Command struct {
	Line int
	Host string
	Text string
	Want []string
	Exit int
}

// Prompt returns the command's prompt as the file writes it: "$" or
// "host$".
func (c *Command) Prompt() string { return c.Host + "$" }

// String returns the command as written in the file, prompt included.
func (c *Command) String() string { return c.Prompt() + " " + c.Text }

// WantLines returns the expected transcript: Want, then [exit N] if the
// command should fail.
func (c *Command) WantLines() []string {
	if c.Exit == 0 {
		return c.Want
	}
	return append(append([]string(nil), c.Want...), exitLine(c.Exit))
}

func exitLine(n int) string { return fmt.Sprintf("[exit %d]", n) }

// An Exercise is the part of a scenario file that sets the learner a task.
type Exercise struct {
	Goal      string
	GoalHTML  string // Goal rendered, as Step.HTML
	Hints     []string
	HintsHTML []string // each hint rendered, as Step.HTML
	CheckStep *Step
	Solution  []*Step
}

// A Chunk is one write of a command to stdout or stderr.
type Chunk struct {
	Stderr bool
	Text   string
}

// A CommandResult is what one command did (scenarios.CommandResult).
type CommandResult struct {
	// Command is the scenario's command, or nil for the learner's.
	Command *Command
	Host    string
	Text    string
	Output  string
	Chunks  []Chunk
	Exit    int
	Matched bool
	Diff    string
	// Solution is set on the commands of an exercise's solution.
	Solution bool
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

// OutputLines splits output into lines as scenario files write them:
// trailing spaces and trailing blank lines dropped (scenarios.OutputLines).
func OutputLines(out string) []string {
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\r")
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// A Report is the outcome of an exercise's check.
type Report struct {
	Passed  bool
	Results []*CommandResult
	// Text says whether the check passed and, if not, which commands did
	// not print what the goal expects (scenarios.Report.String).
	Text string
}

// A FileError is one problem with a scenario file, at a line
// (scenarios.Error).
type FileError struct {
	File    string
	Line    int
	Col     int
	Command string
	Msg     string
}

func (e *FileError) Error() string {
	pos := fmt.Sprintf("%s:%d", e.File, e.Line)
	if e.Col > 0 {
		pos += fmt.Sprintf(":%d", e.Col)
	}
	if e.Command != "" {
		return fmt.Sprintf("%s: %s: %s", pos, e.Command, e.Msg)
	}
	return fmt.Sprintf("%s: %s", pos, e.Msg)
}

// FileErrors is every problem found in a file, in line order
// (scenarios.ErrorList).
type FileErrors []*FileError

func (l FileErrors) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}
