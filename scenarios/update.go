package scenarios

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"strings"
)

// Update runs a scenario and returns its file with every expected output
// rewritten from what ran; everything else is kept byte for byte. A
// command whose output matches keeps its lines as written. One that does
// not gets the actual output, except that lines of the old expected
// output that still match (those with "..." wildcards included) are kept,
// and a non-zero exit status gets an [exit N] line. An exercise's check is
// rewritten from its run after the solution.
//
// Update runs every command even after a mismatch. It fails if the runner
// fails or if an output line cannot be written as expected output (a line
// that would read as a command or close the block).
func Update(ctx context.Context, s *Scenario, opts RunOptions) ([]byte, error) {
	opts.KeepGoing = true
	opts.Verbose = false
	res, err := Run(ctx, s, nil, opts)
	if res == nil || (err != nil && !isFailure(err)) {
		return nil, err
	}
	type edit struct {
		start, end int
		text       string
	}
	var edits []edit
	for _, sr := range res.Steps {
		if sr.Kind == StepCheckBefore {
			continue
		}
		for _, cr := range sr.Results {
			if cr.Matched {
				continue
			}
			c := cr.Command
			lines, err := updatedLines(c, cr)
			if err != nil {
				return nil, &Error{File: s.Name, Line: c.Line, Command: c.Short(), Msg: err.Error()}
			}
			var b strings.Builder
			for _, l := range lines {
				b.WriteString(strings.TrimRight(c.indent+l, " \t"))
				b.WriteByte('\n')
			}
			edits = append(edits, edit{c.wantStart, c.wantEnd, b.String()})
		}
	}
	if len(res.Steps) < len(s.plan()) {
		return nil, fmt.Errorf("%s: not every step ran", s.Name)
	}
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].start < edits[j].start })
	var out bytes.Buffer
	pos := 0
	for _, e := range edits {
		if e.start < pos {
			continue // the same command, in a check that ran twice
		}
		out.Write(s.src[pos:e.start])
		out.WriteString(e.text)
		pos = e.end
	}
	out.Write(s.src[pos:])
	if _, err := Parse(s.Name, out.Bytes()); err != nil {
		return nil, fmt.Errorf("%s: the updated file does not parse: %w", s.Name, err)
	}
	return out.Bytes(), nil
}

func isFailure(err error) bool {
	_, ok := err.(*Failure)
	return ok
}

// updatedLines returns a command's new expected lines: the actual
// output, keeping expected lines that still match.
func updatedLines(c *Command, cr *CommandResult) ([]string, error) {
	got := OutputLines(cr.Output)
	var lines []string
	for _, o := range align(c.Want, got) {
		switch o.kind {
		case ' ':
			lines = append(lines, c.Want[o.want])
		case '.':
			lines = append(lines, Ellipsis)
		case '+':
			l := got[o.got]
			if _, _, ok := splitPrompt(l); ok {
				return nil, fmt.Errorf("output line %q reads as a command: it cannot be expected output; change the command", l)
			}
			if t := strings.TrimLeft(l, " \t"); strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
				return nil, fmt.Errorf("output line %q would close the console block: it cannot be expected output", l)
			}
			lines = append(lines, l)
		}
	}
	if n := len(lines); n > 0 && cr.Exit == 0 && isExitLine(lines[n-1]) {
		return nil, fmt.Errorf("the last output line %q reads as an exit status: it cannot be expected output", lines[n-1])
	}
	if cr.Exit != 0 {
		lines = append(lines, exitLine(cr.Exit))
	}
	return lines, nil
}
