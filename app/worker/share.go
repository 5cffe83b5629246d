package worker

// A sandbox's history written as a scenario file (the sandbox's "Download
// .md"): the commands run again on a fresh world, which the engine does.

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/miplay/miplay/app/wire"
	"github.com/miplay/miplay/scenarios"
)

// A historySession is a session whose history ScenarioFromHistory can
// write: a sandbox's workbench.
type historySession interface {
	// history returns what the session's world started from and the
	// learner's commands, in the order they ran.
	history() (wire.HistorySource, []wire.HistoryCommand)
}

// scenarioFromHistory answers wire.MethodScenarioFromHistory.
func (h *Host) scenarioFromHistory(ctx context.Context, req wire.ScenarioFromHistoryRequest) (wire.ScenarioFromHistoryResponse, error) {
	src, cmds := req.Source, req.Commands
	if req.Session != 0 {
		s, err := session[historySession](h, req.Session)
		if err != nil {
			return wire.ScenarioFromHistoryResponse{}, err
		}
		src, cmds = s.history()
		if req.Source.Title != "" {
			src.Title = req.Source.Title
		}
	}
	b, err := ScenarioFromHistory(ctx, src, cmds)
	if err != nil {
		return wire.ScenarioFromHistoryResponse{}, err
	}
	return wire.ScenarioFromHistoryResponse{Source: string(b)}, nil
}

// ScenarioFromHistory turns a sandbox history into a scenario file: every
// command, run again on a fresh world, with the output it prints there,
// as a console block. The engine is deterministic, so the file passes
// `miplay run`. Output lines that the format would read as something else
// (a prompt, an [exit N] line, a closing fence) are written as patterns
// that match them. A command that cannot run at all (its host does not
// exist) is left out and the narration says so.
func ScenarioFromHistory(ctx context.Context, src wire.HistorySource, cmds []wire.HistoryCommand) ([]byte, error) {
	if len(src.Setup)+len(cmds) == 0 {
		return nil, errors.New("the sandbox has no command yet: run one, then download")
	}
	fm := scenarios.FrontMatter{
		Title: src.FrontMatter.Title, Level: scenarios.Level(src.FrontMatter.Level),
		Seed: src.FrontMatter.Seed, Start: src.FrontMatter.Start, Propagation: src.FrontMatter.Propagation,
	}
	r, err := scenarios.NewRunner(fm)
	if err != nil {
		return nil, err
	}
	title := oneLine(src.Title)
	if title == "" {
		title = "My sandbox"
	}
	var b strings.Builder
	b.WriteString("---\n")
	fmt.Fprintf(&b, "title: %s\n", strconv.Quote(title))
	b.WriteString("summary: Commands typed in the miplay sandbox, with what they printed.\n")
	level := fm.Level
	if level == "" {
		level = scenarios.Beginner
	}
	fmt.Fprintf(&b, "level: %s\n", level)
	b.WriteString("tags: [sandbox]\n")
	if fm.Seed != 0 {
		fmt.Fprintf(&b, "seed: %d\n", fm.Seed)
	}
	if !fm.Start.IsZero() {
		fmt.Fprintf(&b, "start: %s\n", fm.Start.UTC().Format(time.RFC3339Nano))
	}
	if fm.Propagation != 0 {
		fmt.Fprintf(&b, "propagation: %s\n", fm.Propagation)
	}
	b.WriteString("---\n\n")
	fmt.Fprintf(&b, "# %s\n\n", title)
	b.WriteString("This file was written by miplay from a sandbox: each command below ran on a\nfresh simulated tenant, and the output under it is what it printed.\n")

	// run runs one command; ok is false if it could not run at all.
	run := func(c wire.HistoryCommand) (res ranCommand, ok bool, err error) {
		var out strings.Builder
		host := c.Host
		if host == "" {
			host = scenarios.Workstation
		}
		exit, err := r.Run(ctx, host, c.Line, &out, &out)
		if err != nil {
			return res, false, ctx.Err()
		}
		return ranCommand{c, scenarios.OutputLines(out.String()), exit}, true, nil
	}
	if len(src.Setup) > 0 {
		fmt.Fprintf(&b, "\nThe sandbox started from %s. These commands set up that state:\n\n", codeSpan(src.From))
		var setup []ranCommand
		for _, c := range src.Setup {
			res, ok, err := run(c)
			if err != nil {
				return nil, err
			}
			if ok {
				setup = append(setup, res)
			}
		}
		b.WriteString(consoleBlock(setup...))
	}
	for i, c := range cmds {
		res, ok, err := run(c)
		if err != nil {
			return nil, err
		}
		if !ok {
			fmt.Fprintf(&b, "\nCommand %d ran on %s, which did not exist at that point, so it is left out:\n\n    %s\n", i+1, codeSpan(c.Host), c.Line)
			continue
		}
		where := "On the workstation:"
		if c.Host != "" {
			where = "Inside " + codeSpan(c.Host) + ":"
		}
		fmt.Fprintf(&b, "\n%s\n\n%s", where, consoleBlock(res))
	}
	return []byte(b.String()), nil
}

// ranCommand is a command and what it printed.
type ranCommand struct {
	c    wire.HistoryCommand
	out  []string
	exit int
}

// consoleBlock writes commands and their output as one console block.
func consoleBlock(cmds ...ranCommand) string {
	fence := "```"
	for _, rc := range cmds {
		for _, l := range rc.out {
			t := strings.TrimLeft(l, " \t")
			n := len(t) - len(strings.TrimLeft(t, "`"))
			if n >= len(fence) {
				fence = strings.Repeat("`", n+1)
			}
		}
	}
	var b strings.Builder
	b.WriteString(fence + "console\n")
	for _, rc := range cmds {
		line := rc.c.Line
		if n := len(line) - len(strings.TrimRight(line, `\`)); n%2 == 1 {
			// A trailing backslash would continue the command onto the
			// next line; a space after it does not, and parsing drops
			// the space.
			line += " "
		}
		b.WriteString(wire.Prompt(rc.c.Host) + " " + line + "\n")
		for _, l := range rc.out {
			b.WriteString(safeOutputLine(l) + "\n")
		}
		if rc.exit != 0 {
			fmt.Fprintf(&b, "[exit %d]\n", rc.exit)
		}
	}
	b.WriteString(fence + "\n")
	return b.String()
}

var (
	exitLineRE   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\[exit (-?[0-9]+)\]$`) })
	promptLineRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([A-Za-z0-9][A-Za-z0-9._-]*)?\$( |$)`) })
)

// safeOutputLine returns an expected-output line that matches l and that
// the scenario format reads as nothing but output. "..." matches any text
// within a line, so:
//   - control characters and invalid UTF-8 become "...";
//   - a line that looks like a prompt gets "..." right after its "$" ("$ x"
//     becomes "$... x", which matches it and is not a prompt);
//   - an [exit N] line gets "..." at its end.
//
// A line that holds "..." already matches itself.
func safeOutputLine(l string) string {
	var b strings.Builder
	for i, w := 0, 0; i < len(l); i += w {
		r, size := utf8.DecodeRuneInString(l[i:])
		w = size
		if (r == utf8.RuneError && size == 1) || (unicode.IsControl(r) && r != '\t') || r == '\u2028' || r == '\u2029' {
			if !strings.HasSuffix(b.String(), scenarios.Ellipsis) {
				b.WriteString(scenarios.Ellipsis)
			}
			continue
		}
		b.WriteRune(r)
	}
	l = b.String()
	if promptLineRE().MatchString(l) {
		i := strings.IndexByte(l, '$')
		return l[:i+1] + scenarios.Ellipsis + l[i+1:]
	}
	if exitLineRE().MatchString(strings.TrimSpace(l)) {
		return l + scenarios.Ellipsis
	}
	return l
}

// oneLine folds text onto one line of printable characters.
func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// codeSpan writes text as a Markdown code span.
func codeSpan(s string) string {
	return "`" + strings.ReplaceAll(oneLine(s), "`", "'") + "`"
}
