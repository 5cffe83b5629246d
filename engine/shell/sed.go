package shell

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A small, exact subset of GNU sed 4.9: the s command and p, d, q, Q and
// =, with addresses (a line, $, /regex/, first~step), ranges, ! and { }
// blocks. Every other command says it is not simulated. Regular
// expressions are GNU's basic or extended ones (posixre.go), matched
// leftmost-longest; error messages carry GNU's "-e expression #N, char M".

func registerSed() {
	register(&Command{Name: "sed", Summary: "Stream editor: substitute and select lines.", Synopsis: "sed [-n] [-E] [-i[SUFFIX]] [-s] {SCRIPT | -e SCRIPT | -f FILE}... [FILE]...",
		Simulates: "GNU sed 4.9 with the commands s (flags g, p, N and I; & and \\1-\\9 in the replacement), y, p, d, q and Q (with an exit status) and =; addresses N, $, /REGEX/ (and \\cREGEXc, with I), FIRST~STEP, ranges ADDR1,ADDR2 and ADDR1,+N, negation with !, { } blocks, # comments, and the empty regular expression meaning the last one used. Basic or extended (-E, -r) regular expressions, -n (or #n), -e, -f, -s, -i[SUFFIX] on the host's in-memory files, and GNU's messages and exit statuses. Other commands (a, i, c, h, G, x, n, N, b, t, r, w, ...), \\U and friends in replacements, and -z are not simulated.",
		Flags:     flagsOf(sedOpts), Run: runSed})
}

var sedOpts = []opt{
	{short: 'n', long: "quiet", summary: "suppress automatic printing of pattern space"},
	{long: "silent", summary: "same as --quiet"},
	{short: 'e', long: "expression", arg: "script", summary: "add the script to the commands to be executed"},
	{short: 'f', long: "file", arg: "script-file", summary: "add the contents of script-file to the commands to be executed"},
	{short: 'E', long: "regexp-extended", summary: "use extended regular expressions in the script"},
	{short: 'r', summary: "same as -E"},
	{short: 'i', long: "in-place", arg: "SUFFIX", summary: "-i[SUFFIX], --in-place[=SUFFIX]: edit files in place (makes backup if SUFFIX supplied)"},
	{short: 's', long: "separate", summary: "consider files as separate rather than as a single continuous long stream"},
	{short: 'u', long: "unbuffered", summary: "flush output more often (no effect in miplay)"},
	{long: "sandbox", summary: "operate in sandbox mode (e/r/w commands are not simulated anyway)"},
	{long: "follow-symlinks", summary: "follow symlinks when processing in place (there are none)"},
	{short: 'z', long: "null-data", notSimulated: true, summary: "separate lines by NUL characters"},
	{short: 'l', long: "line-length", arg: "N", notSimulated: true, summary: "specify the desired line-wrap length for the `l' command"},
	{long: "posix", notSimulated: true, summary: "disable all GNU extensions"},
	{long: "debug", notSimulated: true, summary: "annotate program execution"},
}

// sedUsage is GNU sed 4.9's usage, which it prints after a usage error.
const sedUsage = `Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...

  -n, --quiet, --silent
                 suppress automatic printing of pattern space
      --debug
                 annotate program execution
  -e script, --expression=script
                 add the script to the commands to be executed
  -f script-file, --file=script-file
                 add the contents of script-file to the commands to be executed
  --follow-symlinks
                 follow symlinks when processing in place
  -i[SUFFIX], --in-place[=SUFFIX]
                 edit files in place (makes backup if SUFFIX supplied)
  -l N, --line-length=N
                 specify the desired line-wrap length for the ` + "`l'" + ` command
  --posix
                 disable all GNU extensions.
  -E, -r, --regexp-extended
                 use extended regular expressions in the script
                 (for portability use POSIX -E).
  -s, --separate
                 consider files as separate rather than as a single,
                 continuous long stream.
      --sandbox
                 operate in sandbox mode (disable e/r/w commands).
  -u, --unbuffered
                 load minimal amounts of data from the input files and flush
                 the output buffers more often
  -z, --null-data
                 separate lines by NUL characters
      --help     display this help and exit
      --version  output version information and exit

If no -e, --expression, -f, or --file option is given, then the first
non-option argument is taken as the sed script to interpret.  All
remaining arguments are names of input files; if no input files are
specified, then the standard input is read.

GNU sed home page: <https://www.gnu.org/software/sed/>.
General help using GNU software: <https://www.gnu.org/gethelp/>.
`

// A sedError is a script error, as "-e expression #N, char M: message".
type sedError struct {
	where string // "-e expression #1, char 5" or "file F line L"
	msg   string
}

func (e *sedError) Error() string { return e.where + ": " + e.msg }

type sedAddrKind int

const (
	addrNone sedAddrKind = iota
	addrLine
	addrLast
	addrRegex
	addrStep // first~step
	addrPlus // ,+N (second address only)
)

type sedAddr struct {
	kind        sedAddrKind
	n, step     int
	re          *regexp.Regexp // nil with kind addrRegex: the last regex used
	ignoreCase  bool
	source      string // for the empty regex
	unsimulated string
}

type sedReplPart struct {
	text  string
	group int // -1 for text, 0 for &, 1-9 for \N
}

type sedCmd struct {
	a1, a2   sedAddr
	negate   bool
	name     byte
	blockEnd int // '{': the index of its '}'
	// y
	from, to []rune
	// s
	re       *regexp.Regexp // nil: the last regex used
	repl     []sedReplPart
	global   bool
	nth      int
	print    bool
	exitCode int
	// range state
	active   bool
	rangeEnd int
}

// sedScript is a compiled script.
type sedScript struct {
	cmds   []*sedCmd
	quiet  bool // #n on the first line
	syntax reSyntax
}

// A sedParser reads one script chunk (an -e expression or a file).
type sedParser struct {
	src    string
	i      int
	where  func(i int) string
	syntax reSyntax
}

func (sp *sedParser) fail(msg string) error {
	return &sedError{where: sp.where(sp.i), msg: msg}
}

func (sp *sedParser) eof() bool { return sp.i >= len(sp.src) }

func (sp *sedParser) peek() byte {
	if sp.eof() {
		return 0
	}
	return sp.src[sp.i]
}

func (sp *sedParser) next() byte {
	c := sp.peek()
	sp.i++
	return c
}

func (sp *sedParser) skipSpace() {
	for !sp.eof() && (sp.peek() == ' ' || sp.peek() == '\t') {
		sp.i++
	}
}

func runSed(p *Proc, args []string) int {
	// -i takes an optional attached suffix, which getopt cannot say.
	inPlace, suffix := false, ""
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			rest = append(rest, args[i:]...)
			i = len(args)
			continue
		case nextIsValue(sedOpts, a) && !strings.HasSuffix(a, "i") && i+1 < len(args):
			rest = append(rest, a, args[i+1])
			i++
			continue
		case a == "--in-place" || strings.HasPrefix(a, "--in-place="):
			inPlace, suffix = true, strings.TrimPrefix(strings.TrimPrefix(a, "--in-place"), "=")
			continue
		case len(a) > 1 && a[0] == '-' && a[1] != '-':
			if j := strings.IndexByte(a, 'i'); j > 0 && !strings.ContainsAny(a[1:j], "efl") {
				inPlace, suffix = true, a[j+1:]
				if j > 1 {
					rest = append(rest, a[:j])
				}
				continue
			}
		}
		rest = append(rest, a)
	}
	var msg bytes.Buffer
	q := *p
	q.Stderr = &msg
	got, operands, ok := parseOpts(&q, "sed", rest, sedOpts)
	if !ok {
		s := msg.String()
		s = strings.TrimSuffix(s, "Try 'sed --help' for more information.\n")
		if !strings.Contains(s, "not simulated") {
			s += sedUsage
		}
		io.WriteString(p.Stderr, s)
		return 1
	}
	quiet, separate := false, inPlace
	syntax := reBasic
	type chunk struct {
		text, where string
		file        bool
	}
	var chunks []chunk
	nExpr := 0
	for _, o := range got {
		switch {
		case o.short == 'n' || o.long == "silent":
			quiet = true
		case o.short == 'E' || o.short == 'r':
			syntax = reExtended
		case o.short == 's':
			separate = true
		case o.short == 'e':
			nExpr++
			chunks = append(chunks, chunk{text: o.val, where: fmt.Sprintf("-e expression #%d", nExpr)})
		case o.short == 'f':
			b, err := readInput(p, o.val)
			if err != nil {
				fmt.Fprintf(p.Stderr, "sed: couldn't open file %s: %s\n", o.val, fileProblem(err))
				return 1
			}
			chunks = append(chunks, chunk{text: strings.TrimSuffix(string(b), "\n"), where: o.val, file: true})
		}
	}
	if len(chunks) == 0 {
		if len(operands) == 0 {
			io.WriteString(p.Stderr, sedUsage)
			return 1
		}
		chunks = append(chunks, chunk{text: operands[0], where: "-e expression #1"})
		operands = operands[1:]
	}
	script := &sedScript{syntax: syntax}
	var open []int
	for ci, ch := range chunks {
		where := func(i int) string { return fmt.Sprintf("%s, char %d", ch.where, i) }
		if ch.file {
			src := ch.text
			where = func(i int) string {
				return fmt.Sprintf("file %s line %d", ch.where, strings.Count(src[:min(i, len(src))], "\n")+1)
			}
		}
		if ci == 0 && (ch.text == "#n" || strings.HasPrefix(ch.text, "#n\n")) {
			script.quiet = true
		}
		sp := &sedParser{src: ch.text, where: where, syntax: syntax}
		if err := sp.parse(script, &open); err != nil {
			fmt.Fprintf(p.Stderr, "sed: %v\n", err)
			return 1
		}
	}
	if len(open) > 0 {
		// GNU reports the unmatched { at the end of the last expression.
		last := chunks[len(chunks)-1]
		fmt.Fprintf(p.Stderr, "sed: %s, char 0: unmatched `{'\n", last.where)
		return 1
	}
	if inPlace && len(operands) == 0 {
		fmt.Fprintln(p.Stderr, "sed: no input files")
		return 4
	}
	run := &sedRun{p: p, script: script, quiet: quiet || script.quiet}
	if len(operands) == 0 {
		operands = []string{"-"}
	}
	status := 0
	// The input: one stream, or one per file with -s and -i.
	type input struct {
		name  string
		lines []string
		noEOL bool
	}
	var streams [][]input
	var cur []input
	for _, f := range operands {
		b, err := readInput(p, f)
		if err != nil {
			fmt.Fprintf(p.Stderr, "sed: can't read %s: %s\n", f, fileProblem(err))
			status = 2
			continue
		}
		in := input{name: f, lines: splitLines(b), noEOL: len(b) > 0 && b[len(b)-1] != '\n'}
		if separate {
			streams = append(streams, []input{in})
		} else {
			cur = append(cur, in)
		}
	}
	if !separate {
		streams = [][]input{cur}
	}
	for _, stream := range streams {
		var lines []string
		var noEOL []bool
		for _, in := range stream {
			for i, l := range in.lines {
				lines = append(lines, l)
				noEOL = append(noEOL, in.noEOL && i == len(in.lines)-1)
			}
		}
		var out bytes.Buffer
		run.out = &out
		if !inPlace {
			run.out = p.Stdout
		}
		if inPlace {
			run.pending = false
		}
		if separate {
			run.reset()
		}
		code, quit, err := run.stream(lines, noEOL)
		if err != nil {
			fmt.Fprintf(p.Stderr, "sed: %v\n", err)
			return 1
		}
		if inPlace && len(stream) == 1 {
			name := stream[0].name
			if suffix != "" {
				backup := suffix
				if strings.Contains(suffix, "*") {
					backup = strings.ReplaceAll(suffix, "*", name)
				} else {
					backup = name + suffix
				}
				old, _ := p.ReadFile(name)
				if err := p.WriteFile(backup, old); err != nil {
					fmt.Fprintf(p.Stderr, "sed: cannot rename %s: %s\n", name, fileProblem(err))
					return 4
				}
			}
			if err := p.WriteFile(name, out.Bytes()); err != nil {
				fmt.Fprintf(p.Stderr, "sed: couldn't open temporary file %s: %s\n", name, fileProblem(err))
				return 4
			}
		}
		if quit {
			return code
		}
	}
	return status
}

// parse compiles a chunk of script, appending to the script's commands.
// open holds the indexes of the { not yet closed.
func (sp *sedParser) parse(script *sedScript, open *[]int) error {
	for {
		// Skip blanks, newlines and semicolons between commands.
		for !sp.eof() && strings.IndexByte(" \t\n;", sp.peek()) >= 0 {
			sp.i++
		}
		if sp.eof() {
			return nil
		}
		if sp.peek() == '#' {
			for !sp.eof() && sp.peek() != '\n' {
				sp.i++
			}
			continue
		}
		cmd := &sedCmd{}
		a1, err := sp.address(false)
		if err != nil {
			return err
		}
		cmd.a1 = a1
		if a1.kind != addrNone {
			sp.skipSpace()
			if sp.peek() == ',' {
				sp.i++
				sp.skipSpace()
				a2, err := sp.address(true)
				if err != nil {
					return err
				}
				if a2.kind == addrNone {
					return sp.fail("unexpected `,'")
				}
				cmd.a2 = a2
			}
		}
		sp.skipSpace()
		for sp.peek() == '!' {
			sp.i++
			cmd.negate = true
			sp.skipSpace()
		}
		if sp.eof() {
			return sp.fail("missing command")
		}
		c := sp.next()
		cmd.name = c
		if cmd.a1.kind == addrLine && cmd.a1.n == 0 && cmd.a2.kind != addrRegex {
			return sp.fail("invalid usage of line address 0")
		}
		switch c {
		case '{':
			*open = append(*open, len(script.cmds))
			script.cmds = append(script.cmds, cmd)
			continue
		case '}':
			if len(*open) == 0 {
				return sp.fail("unexpected `}'")
			}
			if cmd.a1.kind != addrNone {
				return sp.fail("} doesn't want any addresses")
			}
			o := (*open)[len(*open)-1]
			*open = (*open)[:len(*open)-1]
			script.cmds[o].blockEnd = len(script.cmds)
			script.cmds = append(script.cmds, cmd)
		case '#':
			if cmd.a1.kind != addrNone {
				return sp.fail("comments don't accept any addresses")
			}
			for !sp.eof() && sp.peek() != '\n' {
				sp.i++
			}
			continue
		case 'p', 'd', '=':
			script.cmds = append(script.cmds, cmd)
		case 'q', 'Q':
			if cmd.a2.kind != addrNone {
				return sp.fail("command only uses one address")
			}
			sp.skipSpace()
			start := sp.i
			for !sp.eof() && sp.peek() >= '0' && sp.peek() <= '9' {
				sp.i++
			}
			if sp.i > start {
				n, _ := strconv.Atoi(sp.src[start:sp.i])
				cmd.exitCode = n
			}
			script.cmds = append(script.cmds, cmd)
		case 's':
			if err := sp.subst(cmd); err != nil {
				return err
			}
			script.cmds = append(script.cmds, cmd)
			continue // subst read what follows
		case 'y':
			if err := sp.translit(cmd); err != nil {
				return err
			}
			script.cmds = append(script.cmds, cmd)
		case 'a', 'i', 'c', 'h', 'H', 'g', 'G', 'x', 'n', 'N', 'D', 'P', 'l', 'b', 't', 'T', ':', 'r', 'R', 'w', 'W', 'e', 'F', 'v', 'z', 'L':
			return sp.fail(fmt.Sprintf("the `%c' command is not simulated in miplay (simulated: s, y, p, d, q, Q, =, { })", c))
		default:
			return sp.fail(fmt.Sprintf("unknown command: `%c'", c))
		}
		if err := sp.endOfCommand(); err != nil {
			return err
		}
	}
}

// endOfCommand accepts what may follow a command: blanks, then the end,
// a newline, ";", "}" or "#".
func (sp *sedParser) endOfCommand() error {
	sp.skipSpace()
	if sp.eof() || strings.IndexByte("\n;}#", sp.peek()) >= 0 {
		return nil
	}
	sp.i++
	return sp.fail("extra characters after command")
}

// address reads an address, if there is one.
func (sp *sedParser) address(second bool) (sedAddr, error) {
	var a sedAddr
	c := sp.peek()
	switch {
	case c >= '0' && c <= '9':
		start := sp.i
		for !sp.eof() && sp.peek() >= '0' && sp.peek() <= '9' {
			sp.i++
		}
		n, _ := strconv.Atoi(sp.src[start:sp.i])
		a = sedAddr{kind: addrLine, n: n}
		if sp.peek() == '~' && !second {
			sp.i++
			start := sp.i
			for !sp.eof() && sp.peek() >= '0' && sp.peek() <= '9' {
				sp.i++
			}
			step, _ := strconv.Atoi(sp.src[start:sp.i])
			a = sedAddr{kind: addrStep, n: n, step: step}
		}
	case c == '+' && second:
		sp.i++
		start := sp.i
		for !sp.eof() && sp.peek() >= '0' && sp.peek() <= '9' {
			sp.i++
		}
		if sp.i == start {
			return a, sp.fail("expected newer version of sed")
		}
		n, _ := strconv.Atoi(sp.src[start:sp.i])
		a = sedAddr{kind: addrPlus, n: n}
	case c == '~' && second:
		sp.i++
		return a, sp.fail("addresses ADDR,~N are not simulated in miplay")
	case c == '$':
		sp.i++
		a = sedAddr{kind: addrLast}
	case c == '/' || c == '\\':
		sp.i++
		delim := byte('/')
		if c == '\\' {
			if sp.eof() {
				return a, sp.fail("unexpected end of file")
			}
			delim = sp.next()
		}
		text, ok := sp.untilDelim(delim, true)
		if !ok {
			return a, sp.fail("unterminated address regex")
		}
		a = sedAddr{kind: addrRegex}
		for !sp.eof() && (sp.peek() == 'I' || sp.peek() == 'M') {
			if sp.next() == 'M' {
				return a, sp.fail("the M flag of addresses is not simulated in miplay")
			}
			a.ignoreCase = true
		}
		if text != "" {
			re, err := sp.compile(text, a.ignoreCase)
			if err != nil {
				return a, err
			}
			a.re = re
		}
	}
	return a, nil
}

// untilDelim reads up to an unescaped delim, as GNU's match_slash:
// "\delim" stands for delim, in a regex "\n" for a newline and a bracket
// expression may hold the delim, and an unescaped newline ends the text
// too early (it is left unread, for the error's position).
func (sp *sedParser) untilDelim(delim byte, regex bool) (string, bool) {
	var b strings.Builder
	for !sp.eof() {
		c := sp.peek()
		switch {
		case c == '\n':
			return "", false
		case c == delim:
			sp.i++
			return b.String(), true
		case c == '[' && regex:
			end, ok := sedBracketEnd(sp.src, sp.i)
			if !ok {
				sp.i = len(sp.src)
				return "", false
			}
			b.WriteString(sp.src[sp.i:end])
			sp.i = end
			continue
		case c == '\\':
			sp.i++
			if sp.eof() {
				return "", false
			}
			d := sp.next()
			switch {
			case d == '\n':
				b.WriteByte('\n')
			case d == delim && !(!regex && d == '&'):
				b.WriteByte(d)
			case d == 'n' && regex:
				b.WriteString(`\n`)
			default:
				b.WriteByte('\\')
				b.WriteByte(d)
			}
			continue
		}
		sp.i++
		b.WriteByte(c)
	}
	return "", false
}

// sedBracketEnd finds the end of the bracket expression at s[i].
func sedBracketEnd(s string, i int) (int, bool) {
	j := i + 1
	if j < len(s) && s[j] == '^' {
		j++
	}
	if j < len(s) && s[j] == ']' {
		j++
	}
	for j < len(s) {
		switch {
		case s[j] == '\n':
			return 0, false
		case s[j] == '[' && j+1 < len(s) && strings.IndexByte(":.=", s[j+1]) >= 0:
			end := strings.Index(s[j+2:], string(s[j+1])+"]")
			if end < 0 {
				return 0, false
			}
			j += end + 4
		case s[j] == ']':
			return j + 1, true
		default:
			j++
		}
	}
	return 0, false
}

// translit reads a y command after the "y".
func (sp *sedParser) translit(cmd *sedCmd) error {
	if sp.eof() {
		return sp.fail("unterminated `y' command")
	}
	delim := sp.next()
	read := func() ([]rune, bool) {
		var out []rune
		for !sp.eof() {
			c := sp.next()
			switch {
			case c == '\n':
				sp.i--
				return nil, false
			case c == delim:
				return out, true
			case c == '\\' && !sp.eof():
				d := sp.next()
				switch d {
				case delim:
					out = append(out, rune(d))
				case 'n':
					out = append(out, '\n')
				case '\\':
					out = append(out, '\\')
				default:
					out = append(out, '\\', rune(d))
				}
			default:
				r, size := utf8.DecodeRuneInString(sp.src[sp.i-1:])
				sp.i += size - 1
				out = append(out, r)
			}
		}
		return nil, false
	}
	from, ok := read()
	if !ok {
		return sp.fail("unterminated `y' command")
	}
	to, ok := read()
	if !ok {
		return sp.fail("unterminated `y' command")
	}
	if len(from) != len(to) {
		return sp.fail("strings for `y' command are different lengths")
	}
	cmd.from, cmd.to = from, to
	return nil
}

// compile translates a sed regex.
func (sp *sedParser) compile(text string, ignoreCase bool) (*regexp.Regexp, error) {
	for _, esc := range []string{`\c`, `\d`, `\o`, `\x`} {
		if containsEscape(text, esc[1]) {
			return nil, sp.fail(fmt.Sprintf("the %s escape is not simulated in miplay", esc))
		}
	}
	goRe, _, err := translatePOSIX(text, sp.syntax, reSed)
	if err != nil {
		return nil, sp.fail(reErrorText(err))
	}
	if ignoreCase {
		goRe = "(?i)" + goRe
	}
	re, err := regexp.Compile(goRe)
	if err != nil {
		return nil, sp.fail("this regular expression is not simulated in miplay")
	}
	re.Longest()
	return re, nil
}

// containsEscape reports whether s has a backslash escape \c (not \\c).
func containsEscape(s string, c byte) bool {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '\\' {
			if s[i+1] == c {
				return true
			}
			i++
		}
	}
	return false
}

// subst reads an s command after the "s".
func (sp *sedParser) subst(cmd *sedCmd) error {
	if sp.eof() {
		return sp.fail("unterminated `s' command")
	}
	delim := sp.next()
	if delim == '\n' || delim == '\\' {
		return sp.fail("unterminated `s' command")
	}
	reText, ok := sp.untilDelim(delim, true)
	if !ok {
		return sp.fail("unterminated `s' command")
	}
	replText, ok := sp.untilDelim(delim, false)
	if !ok {
		return sp.fail("unterminated `s' command")
	}
	ignoreCase := false
flags:
	for !sp.eof() {
		c := sp.peek()
		switch {
		case c == 'g':
			sp.i++
			if cmd.global {
				return sp.fail("multiple `g' options to `s' command")
			}
			cmd.global = true
		case c == 'p':
			sp.i++
			if cmd.print {
				return sp.fail("multiple `p' options to `s' command")
			}
			cmd.print = true
		case c == 'i' || c == 'I':
			sp.i++
			ignoreCase = true
		case c >= '0' && c <= '9':
			if cmd.nth != 0 {
				sp.i++
				return sp.fail("multiple number options to `s' command")
			}
			start := sp.i
			for !sp.eof() && sp.peek() >= '0' && sp.peek() <= '9' {
				sp.i++
			}
			n, _ := strconv.Atoi(sp.src[start:sp.i])
			if n == 0 {
				return sp.fail("number option to `s' command may not be zero")
			}
			cmd.nth = n
		case c == 'm' || c == 'M' || c == 'e' || c == 'w':
			sp.i++
			return sp.fail(fmt.Sprintf("the `%c' option of `s' is not simulated in miplay", c))
		case c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '}' || c == '#':
			break flags
		default:
			sp.i++
			return sp.fail("unknown option to `s'")
		}
	}
	if err := sp.endOfCommand(); err != nil {
		if se, ok := err.(*sedError); ok {
			se.msg = "unknown option to `s'"
		}
		return err
	}
	if reText != "" {
		re, err := sp.compile(reText, ignoreCase)
		if err != nil {
			return err
		}
		cmd.re = re
	}
	repl, err := sp.replacement(replText, cmd.re)
	if err != nil {
		return err
	}
	cmd.repl = repl
	return nil
}

// replacement parses the right-hand side of an s command.
func (sp *sedParser) replacement(s string, re *regexp.Regexp) ([]sedReplPart, error) {
	var parts []sedReplPart
	var text strings.Builder
	flush := func() {
		if text.Len() > 0 {
			parts = append(parts, sedReplPart{text: text.String(), group: -1})
			text.Reset()
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '&':
			flush()
			parts = append(parts, sedReplPart{group: 0})
		case c == '\\' && i+1 < len(s):
			i++
			d := s[i]
			switch {
			case d >= '1' && d <= '9':
				n := int(d - '0')
				if re != nil && n > re.NumSubexp() {
					return nil, sp.fail(fmt.Sprintf("invalid reference \\%d on `s' command's RHS", n))
				}
				flush()
				parts = append(parts, sedReplPart{group: n})
			case d == 'n':
				text.WriteByte('\n')
			case d == 't':
				text.WriteByte('\t')
			case d == 'a':
				text.WriteByte('\a')
			case d == 'f':
				text.WriteByte('\f')
			case d == 'r':
				text.WriteByte('\r')
			case d == 'v':
				text.WriteByte('\v')
			case strings.IndexByte("LUluEcdox", d) >= 0:
				return nil, sp.fail(fmt.Sprintf("\\%c in a replacement is not simulated in miplay", d))
			default:
				text.WriteByte(d)
			}
		default:
			text.WriteByte(c)
		}
	}
	flush()
	return parts, nil
}

// sedRun executes a script.
type sedRun struct {
	p       *Proc
	script  *sedScript
	quiet   bool
	out     io.Writer
	pending bool           // the last line written lacked its newline
	lastRe  *regexp.Regexp // the last regex used, for //
}

func (r *sedRun) reset() {
	for _, c := range r.script.cmds {
		c.active = false
	}
}

// write prints text that ends a line; noEOL leaves its newline out, as
// sed does for a last line without one.
func (r *sedRun) write(s string, noEOL bool) {
	if r.pending {
		io.WriteString(r.out, "\n")
	}
	io.WriteString(r.out, s)
	r.pending = noEOL
	if !noEOL {
		io.WriteString(r.out, "\n")
	}
}

var errNoPreviousRegex = &sedError{where: "-e expression #1, char 0", msg: "no previous regular expression"}

func (r *sedRun) useRe(re *regexp.Regexp) (*regexp.Regexp, error) {
	if re == nil {
		if r.lastRe == nil {
			return nil, errNoPreviousRegex
		}
		return r.lastRe, nil
	}
	r.lastRe = re
	return re, nil
}

func (r *sedRun) matchAddr(a sedAddr, line string, n int, last bool) (bool, error) {
	switch a.kind {
	case addrLine:
		return n == a.n, nil
	case addrLast:
		return last, nil
	case addrStep:
		if a.step <= 0 {
			return n == a.n, nil
		}
		return n >= a.n && (n-a.n)%a.step == 0, nil
	case addrRegex:
		re, err := r.useRe(a.re)
		if err != nil {
			return false, err
		}
		return re.MatchString(line), nil
	}
	return true, nil
}

// selects reports whether a command applies to the line, as GNU's
// match_address_p, ranges included.
func (r *sedRun) selects(c *sedCmd, line string, n int, last bool) (bool, error) {
	if c.a1.kind == addrNone {
		return true, nil
	}
	if c.a2.kind == addrNone {
		return r.matchAddr(c.a1, line, n, last)
	}
	if !c.active {
		ok := false
		if c.a1.kind == addrLine && c.a1.n == 0 {
			// 0,/re/: the range is active from the start, so the regex
			// may end it on the first line.
			ok = n == 1
			if ok {
				m, err := r.matchAddr(c.a2, line, n, last)
				if err != nil {
					return false, err
				}
				if m {
					return true, nil
				}
				c.active = true
				return true, nil
			}
			return false, nil
		}
		m, err := r.matchAddr(c.a1, line, n, last)
		if err != nil || !m {
			return false, err
		}
		switch c.a2.kind {
		case addrLine:
			if n >= c.a2.n {
				return true, nil
			}
		case addrPlus:
			if c.a2.n == 0 {
				return true, nil
			}
			c.rangeEnd = n + c.a2.n
		case addrLast:
			if last {
				return true, nil
			}
		}
		c.active = true
		return true, nil
	}
	switch c.a2.kind {
	case addrLine:
		if n >= c.a2.n {
			c.active = false
		}
		return n <= c.a2.n, nil
	case addrPlus:
		if n >= c.rangeEnd {
			c.active = false
		}
		return n <= c.rangeEnd, nil
	case addrLast:
		if last {
			c.active = false
		}
		return true, nil
	default:
		m, err := r.matchAddr(c.a2, line, n, last)
		if err != nil {
			return false, err
		}
		if m {
			c.active = false
		}
		return true, nil
	}
}

// stream runs the script over the lines of one input stream. quit is
// true when q or Q ended it, with the exit code.
func (r *sedRun) stream(lines []string, noEOL []bool) (code int, quit bool, err error) {
	cmds := r.script.cmds
	for li, line := range lines {
		n := li + 1
		last := li == len(lines)-1
		ps := line
		deleted := false
	cycle:
		for ci := 0; ci < len(cmds); ci++ {
			c := cmds[ci]
			if c.name == '}' {
				continue
			}
			sel, err := r.selects(c, ps, n, last)
			if err != nil {
				return 0, false, err
			}
			if sel == c.negate {
				if c.name == '{' {
					ci = c.blockEnd
				}
				continue
			}
			switch c.name {
			case 'p':
				r.write(ps, noEOL[li])
			case '=':
				r.write(strconv.Itoa(n), false)
			case 'd':
				deleted = true
				break cycle
			case 'q':
				if !r.quiet {
					r.write(ps, noEOL[li])
				}
				return c.exitCode, true, nil
			case 'Q':
				return c.exitCode, true, nil
			case 'y':
				ps = strings.Map(func(r rune) rune {
					for i, f := range c.from {
						if f == r {
							return c.to[i]
						}
					}
					return r
				}, ps)
			case 's':
				re, err := r.useRe(c.re)
				if err != nil {
					return 0, false, err
				}
				var done bool
				ps, done = substitute(re, ps, c)
				if done && c.print {
					r.write(ps, noEOL[li])
				}
			}
		}
		if !deleted && !r.quiet {
			r.write(ps, noEOL[li])
		}
	}
	return 0, false, nil
}

// substitute applies an s command to the pattern space.
func substitute(re *regexp.Regexp, ps string, c *sedCmd) (string, bool) {
	matches := re.FindAllStringSubmatchIndex(ps, -1)
	if len(matches) == 0 {
		return ps, false
	}
	var b strings.Builder
	prev := 0
	done := false
	for k, m := range matches {
		count := k + 1
		if count < max(c.nth, 1) || !c.global && count > max(c.nth, 1) {
			continue
		}
		b.WriteString(ps[prev:m[0]])
		for _, part := range c.repl {
			if part.group < 0 {
				b.WriteString(part.text)
				continue
			}
			if s, e := m[2*part.group], m[2*part.group+1]; s >= 0 {
				b.WriteString(ps[s:e])
			}
		}
		prev = m[1]
		done = true
	}
	if !done {
		return ps, false
	}
	b.WriteString(ps[prev:])
	return b.String(), true
}
