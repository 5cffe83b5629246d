package scenarios

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// Parse reads a scenario file. name is used in errors, as in
// "hello.md:12: ...". The file is:
//
//   - YAML front matter between a first line --- and a closing --- line,
//     with the keys title and level (required), summary, tags, seed,
//     start (RFC 3339), propagation (a Go duration such as 10m) and
//     exercise (true or false). Unknown keys are errors.
//   - Markdown, in which every fenced code block whose info string is
//     `console` is a [Step]. The Markdown since the previous step is its
//     narration.
//   - In a console block, a line `$ cmd` is a command on the workstation
//     and `host$ cmd` a command inside the compute resource host (a name
//     of letters, digits, '.', '_' and '-'). A command continues onto the
//     next line while its line ends in a backslash. The lines after a
//     command, up to the next command, are its expected output; trailing
//     blank lines are ignored, and a last line [exit N] says that the
//     command fails with status N (1 to 255).
//   - An exercise (exercise: true) also has the sections "## Goal",
//     "## Hints" (a list, one hint per item) and "## Solution" (console
//     blocks), and one block ```console check whose commands must not all
//     match their expected output on the starting state and must match
//     after the solution. Console blocks before the first of these
//     sections set up the starting state.
//
// The error, if any, is an [ErrorList] naming file:line for every problem.
func Parse(name string, src []byte) (*Scenario, error) {
	s, errs := parse(name, src)
	if len(errs) > 0 {
		return nil, errs
	}
	return s, nil
}

type parseState struct {
	name   string
	src    []byte
	starts []int // offset of the start of each line
	errs   ErrorList
}

func (p *parseState) errorf(line int, format string, args ...any) {
	p.errorAt(line, 0, format, args...)
}

// errorAt reports a problem at a line and column (0 if unknown).
func (p *parseState) errorAt(line, col int, format string, args ...any) {
	if line < 1 {
		line = 1
	}
	p.errs = append(p.errs, &Error{File: p.name, Line: line, Col: max(col, 0), Msg: fmt.Sprintf(format, args...)})
}

// lineOf returns the 1-based line of a byte offset.
func (p *parseState) lineOf(off int) int {
	return sort.Search(len(p.starts), func(i int) bool { return p.starts[i] > off })
}

// lineStart returns the offset of the start of a 1-based line, or len(src)
// past the last line.
func (p *parseState) lineStart(line int) int {
	if line-1 < len(p.starts) && line >= 1 {
		return p.starts[line-1]
	}
	return len(p.src)
}

// lineText returns a line without its newline.
func (p *parseState) lineText(line int) string {
	if line < 1 || line > len(p.starts) {
		return ""
	}
	end := p.lineStart(line + 1)
	return strings.TrimRight(string(p.src[p.starts[line-1]:end]), "\r\n")
}

func (p *parseState) numLines() int { return len(p.starts) }

// section names the part of an exercise file a block is in.
type section int

const (
	sectionSetup section = iota // before the first exercise section
	sectionGoal
	sectionHints
	sectionSolution
	sectionOther // after the first exercise section, in another one
)

var sectionNames = map[string]section{"goal": sectionGoal, "hints": sectionHints, "hint": sectionHints, "solution": sectionSolution}

func parse(name string, src []byte) (*Scenario, ErrorList) {
	p := &parseState{name: name, src: src}
	p.starts = append(p.starts, 0)
	for i, c := range src {
		if c == '\n' && i+1 < len(src) {
			p.starts = append(p.starts, i+1)
		}
	}
	s := &Scenario{Name: name, src: src}
	if len(bytes.TrimSpace(src)) == 0 {
		p.errorf(1, "empty file: expected front matter between --- lines, then Markdown with at least one ```console block")
		return s, p.errs
	}

	body := p.frontMatter(s)
	if body < 0 {
		return s, p.errs
	}
	p.body(s, body)
	sort.SliceStable(p.errs, func(i, j int) bool { return p.errs[i].Line < p.errs[j].Line })
	return s, p.errs
}

// frontMatter parses the front matter and returns the offset of the
// Markdown after it, or -1 if there is no telling where it ends.
func (p *parseState) frontMatter(s *Scenario) int {
	if strings.TrimRight(p.lineText(1), " \t") != "---" {
		p.errorf(1, "expected front matter: a first line ---, then YAML with title and level, then a line ---")
		return 0
	}
	for l := 2; l <= p.numLines(); l++ {
		t := strings.TrimRight(p.lineText(l), " \t")
		if t == "---" || t == "..." {
			s.FrontMatter = p.parseFrontMatter(p.src[p.lineStart(2):p.lineStart(l)], 2, 1)
			return p.lineStart(l + 1)
		}
	}
	p.errorf(1, "front matter is not closed: expected a line --- after the YAML")
	return -1
}

// block is a fenced code block of the body.
type block struct {
	info      string
	line      int // the opening fence
	start     int // offset of the opening fence line
	end       int // offset past the closing fence line
	lines     []blockLine
	sect      section
	narrStart int // where the narration before it starts
}

type blockLine struct {
	text   string
	line   int
	start  int // offset of the source line (indentation included)
	indent string
}

// isHostName and exitStatus are plain code, not package-level regexps,
// which would be compiled on every start-up of the browser's player, where
// start-up code runs slowly. forms_test.go holds them to their regexps.

// isHostName reports whether s is a host name as a prompt writes it:
// ^[A-Za-z0-9][A-Za-z0-9._-]*$.
func isHostName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case i > 0 && (c == '.' || c == '_' || c == '-'):
		default:
			return false
		}
	}
	return true
}

// exitStatus returns N of an exit line "[exit N]" and whether s is one:
// ^\[exit (-?[0-9]+)\]$.
func exitStatus(s string) (string, bool) {
	rest, ok := strings.CutPrefix(s, "[exit ")
	if !ok {
		return "", false
	}
	n, ok := strings.CutSuffix(rest, "]")
	digits := strings.TrimPrefix(n, "-")
	if !ok || digits == "" {
		return "", false
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return "", false
		}
	}
	return n, true
}

// isExitLine reports whether s is an exit line "[exit N]".
func isExitLine(s string) bool {
	_, ok := exitStatus(s)
	return ok
}

func (p *parseState) body(s *Scenario, off int) {
	md := p.src[off:]
	doc := goldmark.DefaultParser().Parse(text.NewReader(md))

	isEx := s.FrontMatter.Exercise
	var ex Exercise
	sect := sectionSetup
	narrStart := off      // where the next step's narration starts
	tailEnd := len(p.src) // where Tail ends: the first exercise section
	goalStart, goalLine := -1, 0
	goalEnd := len(p.src)
	sawSection := map[section]int{}
	var blocks []*block
	var checkBlocks []*block

	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if h, ok := n.(*ast.Heading); ok && h.Level <= 2 {
			start, next, title := p.heading(h, md, off)
			if goalStart >= 0 && goalEnd == len(p.src) {
				goalEnd = start
			}
			if !isEx {
				continue
			}
			newSect, isExSect := sectionNames[strings.ToLower(title)]
			switch {
			case isExSect && h.Level == 2:
				if l, dup := sawSection[newSect]; dup {
					p.errorf(p.lineOf(start), "second ## %s section: expected one (the first is at line %d)", title, l)
				}
				sawSection[newSect] = p.lineOf(start)
				if sect == sectionSetup {
					tailEnd = start
				}
				sect = newSect
				narrStart = next
				if newSect == sectionGoal {
					goalStart, goalLine, goalEnd = next, p.lineOf(start), len(p.src)
				}
			case sect != sectionSetup:
				sect = sectionOther
			}
			continue
		}
		if sect == sectionHints && ex.Hints == nil {
			if l, ok := n.(*ast.List); ok {
				ex.Hints = p.hints(l, md, off)
				if ex.Hints == nil {
					ex.Hints = []string{}
				}
			}
		}
		// Console blocks may be nested in lists and quotes.
		_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
			if !entering {
				return ast.WalkContinue, nil
			}
			fb, ok := c.(*ast.FencedCodeBlock)
			if !ok {
				return ast.WalkContinue, nil
			}
			b := p.fenced(fb, md, off)
			if b == nil {
				return ast.WalkSkipChildren, nil
			}
			b.sect, b.narrStart = sect, narrStart
			if b.info == "console check" {
				checkBlocks = append(checkBlocks, b)
			} else {
				blocks = append(blocks, b)
			}
			narrStart = b.end
			return ast.WalkSkipChildren, nil
		})
	}

	// Steps.
	lastSetupEnd := off
	for _, b := range blocks {
		st := p.step(b)
		switch b.sect {
		case sectionSetup:
			st.Index = len(s.Steps)
			s.Steps = append(s.Steps, st)
			lastSetupEnd = b.end
		case sectionSolution:
			st.Index = len(ex.Solution)
			ex.Solution = append(ex.Solution, st)
		case sectionGoal, sectionHints:
			p.errorf(b.line, "a ```console block in ## %s would not run: use ```sh for an example, or move it to ## Solution", map[section]string{sectionGoal: "Goal", sectionHints: "Hints"}[b.sect])
		default:
			p.errorf(b.line, "a ```console block after the exercise's sections: expected setup steps before ## Goal and the solution's steps in ## Solution")
		}
	}
	if lastSetupEnd < tailEnd {
		s.Tail = trimBlankLines(string(p.src[lastSetupEnd:tailEnd]))
	}

	for i, b := range checkBlocks {
		if !isEx {
			p.errorf(b.line, "a ```console check block in a file that is not an exercise: expected exercise: true in the front matter, or ```console")
			continue
		}
		if i > 0 {
			p.errorf(b.line, "second ```console check block: expected one (the first is at line %d)", checkBlocks[0].line)
			continue
		}
		ex.CheckStep = p.step(b)
	}

	if !isEx {
		if len(blocks) == 0 && len(p.errs) == 0 {
			p.errorf(p.lineOf(off), "no ```console block: expected at least one step")
		}
		return
	}
	last := p.numLines()
	if goalStart < 0 {
		p.errorf(last, "exercise without a ## Goal section: expected one that says what the learner must achieve")
	} else {
		ex.Goal = trimBlankLines(string(p.src[goalStart:goalEnd]))
		if ex.Goal == "" {
			p.errorf(goalLine, "## Goal is empty: expected what the learner must achieve")
		}
	}
	if ex.CheckStep == nil && len(checkBlocks) == 0 {
		p.errorf(last, "exercise without a ```console check block: expected the commands that show the goal is reached, with their output")
	}
	if _, ok := sawSection[sectionSolution]; !ok {
		p.errorf(last, "exercise without a ## Solution section: expected one with the ```console blocks that reach the goal")
	} else if len(ex.Solution) == 0 {
		p.errorf(sawSection[sectionSolution], "## Solution has no ```console block: expected the commands that reach the goal")
	}
	if l, ok := sawSection[sectionHints]; ok && len(ex.Hints) == 0 {
		p.errorf(l, "## Hints has no list: expected one hint per list item")
	}
	s.Exercise = &ex
}

// heading returns where a heading starts, where the text after it starts,
// and its title.
func (p *parseState) heading(h *ast.Heading, md []byte, off int) (start, next int, title string) {
	lines := h.Lines()
	var b strings.Builder
	lastLine := 0
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		b.Write(seg.Value(md))
		lastLine = p.lineOf(off + seg.Start)
	}
	if h.Pos() >= 0 {
		start = p.lineStart(p.lineOf(off + h.Pos()))
	} else if lastLine > 0 {
		start = p.lineStart(lastLine)
	}
	if lastLine == 0 {
		lastLine = p.lineOf(start)
	}
	// A setext heading's underline.
	if u := strings.TrimSpace(p.lineText(lastLine + 1)); u != "" && strings.Trim(u, "=-") == "" && !strings.HasPrefix(strings.TrimSpace(p.lineText(lastLine)), "#") {
		lastLine++
	}
	title = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(b.String()), "#"))
	return start, p.lineStart(lastLine + 1), title
}

// hints returns the Markdown of each item of a list.
func (p *parseState) hints(l *ast.List, md []byte, off int) []string {
	var hints []string
	for item := l.FirstChild(); item != nil; item = item.NextSibling() {
		lo, hi := -1, -1
		_ = ast.Walk(item, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
			if !entering || c.Type() != ast.TypeBlock {
				return ast.WalkContinue, nil
			}
			lines := c.Lines()
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				if lo < 0 || seg.Start < lo {
					lo = seg.Start
				}
				if seg.Stop > hi {
					hi = seg.Stop
				}
			}
			return ast.WalkContinue, nil
		})
		if lo < 0 {
			continue
		}
		h := dedent(string(md[lo:hi]))
		if h != "" {
			hints = append(hints, h)
		}
	}
	return hints
}

// dedent trims the text and removes from its continuation lines the
// indentation they share.
func dedent(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	common := -1
	for _, l := range lines[1:] {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, " \t"))
		if common < 0 || n < common {
			common = n
		}
	}
	for i := 1; i < len(lines) && common > 0; i++ {
		if len(lines[i]) >= common {
			lines[i] = lines[i][common:]
		} else {
			lines[i] = strings.TrimLeft(lines[i], " \t")
		}
	}
	return strings.Join(lines, "\n")
}

// fenced turns a fenced code block into a block if it is a console block.
func (p *parseState) fenced(fb *ast.FencedCodeBlock, md []byte, off int) *block {
	var info []string
	if fb.Info != nil {
		info = strings.Fields(string(fb.Info.Segment.Value(md)))
	}
	pos := fb.Pos()
	if pos < 0 {
		return nil
	}
	fence := off + pos
	b := &block{info: strings.Join(info, " "), line: p.lineOf(fence), start: p.lineStart(p.lineOf(fence))}
	fenceChar := p.src[fence]
	fenceLen := 0
	for i := fence; i < len(p.src) && p.src[i] == fenceChar; i++ {
		fenceLen++
	}
	lastLine := b.line
	lines := fb.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		l := p.lineOf(off + seg.Start)
		ls := p.lineStart(l)
		t := strings.TrimRight(string(seg.Value(md)), "\r\n")
		indent := ""
		if off+seg.Start > ls {
			indent = string(p.src[ls : off+seg.Start])
		}
		b.lines = append(b.lines, blockLine{text: t, line: l, start: ls, indent: indent})
		lastLine = l
	}
	closing := strings.TrimLeft(p.lineText(lastLine+1), " \t>")
	n := len(closing) - len(strings.TrimLeft(closing, string(fenceChar)))
	closed := lastLine+1 <= p.numLines() && n >= fenceLen && strings.TrimSpace(closing[n:]) == ""
	if closed {
		b.end = p.lineStart(lastLine + 2)
	} else {
		b.end = p.lineStart(lastLine + 1)
	}
	if len(info) == 0 || info[0] != "console" {
		if !closed {
			p.errorf(b.line, "code block %s%s is not closed: expected a line %s after its last line (%d); it hides the rest of the file", strings.Repeat(string(fenceChar), fenceLen), b.info, strings.Repeat(string(fenceChar), fenceLen), lastLine)
		}
		return nil
	}
	if b.info != "console" && b.info != "console check" {
		p.errorf(b.line, "```%s: expected ```console for a step or ```console check for an exercise's check", b.info)
		return nil
	}
	if !closed {
		p.errorf(b.line, "```%s block is not closed: expected a line %s after its last line (%d)", b.info, strings.Repeat(string(fenceChar), fenceLen), lastLine)
	}
	return b
}

// step parses the commands of a console block.
func (p *parseState) step(b *block) *Step {
	st := &Step{Line: b.line, end: b.end}
	if b.narrStart < b.start {
		st.Narration = trimBlankLines(string(p.src[b.narrStart:b.start]))
	}
	var cur *Command
	var out []blockLine
	reportedStray := false
	finish := func() {
		if cur == nil {
			return
		}
		p.finishCommand(cur, out)
		st.Commands = append(st.Commands, cur)
		cur, out = nil, nil
	}
	for i := 0; i < len(b.lines); i++ {
		l := b.lines[i]
		host, cmd, ok := splitPrompt(l.text)
		if !ok {
			if cur != nil {
				out = append(out, l)
			} else if strings.TrimSpace(l.text) != "" && !reportedStray {
				p.errorf(l.line, "expected a command (`$ command` or `host$ command`) before output, found %q", l.text)
				reportedStray = true
			}
			continue
		}
		finish()
		first := l
		text := cmd
		last := l.text
		for continues(last) {
			if i+1 >= len(b.lines) {
				p.errorf(l.line, "the command's last line ends in \\ but the block ends: expected the rest of the command")
				break
			}
			i++
			last = b.lines[i].text
			text += "\n" + last
		}
		text = strings.TrimRight(text, " \t")
		if strings.TrimSpace(text) == "" {
			p.errorf(first.line, "empty command: expected a command after %s$", host)
		}
		cur = &Command{Line: first.line, Host: host, Text: text, indent: first.indent}
		// Expected output starts on the line after the command.
		if i+1 < len(b.lines) {
			cur.wantStart = b.lines[i+1].start
		} else {
			cur.wantStart = p.lineStart(p.lineOf(b.lines[i].start) + 1)
		}
	}
	finish()
	if len(st.Commands) == 0 && !reportedStray {
		p.errorf(b.line, "empty ```%s block: expected at least one command line `$ command`", b.info)
	}
	return st
}

// finishCommand sets a command's expected output from the lines after it.
func (p *parseState) finishCommand(c *Command, out []blockLine) {
	for len(out) > 0 && strings.TrimSpace(out[len(out)-1].text) == "" {
		out = out[:len(out)-1]
	}
	if len(out) == 0 {
		c.wantEnd = c.wantStart
		return
	}
	c.wantStart = out[0].start
	c.wantEnd = p.lineStart(out[len(out)-1].line + 1)
	for i, l := range out {
		status, ok := exitStatus(strings.TrimSpace(l.text))
		if !ok {
			c.Want = append(c.Want, strings.TrimRight(l.text, " \t"))
			continue
		}
		n, err := strconv.Atoi(status)
		switch {
		case i != len(out)-1:
			p.errorf(l.line, "%s: [exit N] must be the command's last expected line", c.Short())
		case err != nil || n < 0 || n > 255:
			p.errorf(l.line, "%s: %s: expected an exit status from 1 to 255", c.Short(), l.text)
		case n == 0:
			p.errorf(l.line, "%s: [exit 0]: a command that succeeds shows no exit line; remove it", c.Short())
		default:
			c.Exit = n
		}
	}
}

// splitPrompt reports whether a console line is a command, and splits it
// into host and command.
func splitPrompt(line string) (host, cmd string, ok bool) {
	i := strings.Index(line, "$")
	if i < 0 {
		return "", "", false
	}
	if i+1 < len(line) && line[i+1] != ' ' {
		return "", "", false
	}
	if i > 0 && !isHostName(line[:i]) {
		return "", "", false
	}
	if i+1 >= len(line) {
		return line[:i], "", true
	}
	return line[:i], line[i+2:], true
}

// continues reports whether a command line ends in an unescaped backslash.
func continues(line string) bool {
	n := len(line) - len(strings.TrimRight(line, `\`))
	return n%2 == 1
}

// trimBlankLines removes blank lines at the start and end of s, and
// trailing spaces of the last line.
func trimBlankLines(s string) string {
	lines := strings.Split(s, "\n")
	for len(lines) > 0 && strings.TrimSpace(lines[0]) == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, "\r")
	}
	return strings.Join(lines, "\n")
}
