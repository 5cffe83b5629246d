package shell

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// GNU grep 3.11, as Azure Cloud Shell has it: basic, extended and fixed
// patterns (translated into Go's regexp by posixre.go, leftmost-longest),
// the usual output options, context, GNU's messages and its exit statuses
// (0 a line selected, 1 none, 2 trouble).

func registerGrep() {
	for _, c := range []*Command{
		{Name: "grep", Summary: "Print lines that match patterns.", Synopsis: "grep [OPTION]... PATTERNS [FILE]...",
			Simulates: "GNU grep 3.11 in the C.UTF-8 locale: basic (-G, the default), extended (-E) and fixed-string (-F) patterns, several patterns (-e, -f, or newlines in PATTERNS), -i -v -w -x -c -l -L -q -s -o -n -h -H -m, context (-A, -B, -C, -NUM) with `--` between groups, standard input as `-` or `(standard input)`, binary input (a NUL byte, or a selected line that is not UTF-8) reported as `grep: NAME: binary file matches`. Exit status 0 when a line is selected, 1 when none, 2 on trouble (also when another file matched, unless -q). Regular expressions follow GNU: `\\(` `\\)` `\\{` `\\}` `\\|` `\\+` `\\?` in basic ones, character classes such as [[:alnum:]], `\\w` `\\s` `\\b`, a `*` at the start taken literally (basic) or warned about (extended), stray backslashes warned about, and regcomp's error messages. -P reads the pattern as Go's RE2 syntax, which is a subset of PCRE's with the same meaning. Not simulated, with an explicit error: back-references, Perl's lookaround and \\K, recursive search (-r), -z, -Z, -b, -T, --color=always, and -o together with context.",
			Flags:     flagsOf(grepOpts), Run: runGrep},
		{Name: "egrep", Summary: "grep -E, obsolescent.", Synopsis: "egrep [OPTION]... PATTERNS [FILE]...",
			Simulates: "The script GNU grep installs: it warns `egrep: warning: egrep is obsolescent; using grep -E` and runs grep -E.",
			Run: func(p *Proc, args []string) int {
				fmt.Fprintln(p.Stderr, "egrep: warning: egrep is obsolescent; using grep -E")
				return runGrep(p, append([]string{"-E"}, args...))
			}},
		{Name: "fgrep", Summary: "grep -F, obsolescent.", Synopsis: "fgrep [OPTION]... PATTERNS [FILE]...",
			Simulates: "The script GNU grep installs: it warns `fgrep: warning: fgrep is obsolescent; using grep -F` and runs grep -F.",
			Run: func(p *Proc, args []string) int {
				fmt.Fprintln(p.Stderr, "fgrep: warning: fgrep is obsolescent; using grep -F")
				return runGrep(p, append([]string{"-F"}, args...))
			}},
	} {
		register(c)
	}
}

var grepOpts = []opt{
	{short: 'E', long: "extended-regexp", summary: "PATTERNS are extended regular expressions"},
	{short: 'F', long: "fixed-strings", summary: "PATTERNS are strings"},
	{short: 'G', long: "basic-regexp", summary: "PATTERNS are basic regular expressions (the default)"},
	{short: 'P', long: "perl-regexp", summary: "PATTERNS is a Perl regular expression, read as Go's (RE2) syntax; lookaround and \\K are not simulated"},
	{short: 'e', long: "regexp", arg: "PATTERNS", summary: "use PATTERNS for matching"},
	{short: 'f', long: "file", arg: "FILE", summary: "take PATTERNS from FILE, one a line"},
	{short: 'i', long: "ignore-case", summary: "ignore case distinctions in patterns and data"},
	{short: 'y', summary: "obsolete synonym for -i"},
	{long: "no-ignore-case", summary: "do not ignore case distinctions (default)"},
	{short: 'w', long: "word-regexp", summary: "match only whole words"},
	{short: 'x', long: "line-regexp", summary: "match only whole lines"},
	{short: 'z', long: "null-data", notSimulated: true, summary: "a data line ends in 0 byte, not newline"},
	{short: 's', long: "no-messages", summary: "suppress error messages about unreadable files"},
	{short: 'v', long: "invert-match", summary: "select non-matching lines"},
	{short: 'V', long: "version", notSimulated: true, summary: "display version information and exit"},
	{short: 'm', long: "max-count", arg: "NUM", summary: "stop after NUM selected lines"},
	{short: 'b', long: "byte-offset", notSimulated: true, summary: "print the byte offset with output lines"},
	{short: 'n', long: "line-number", summary: "print line number with output lines"},
	{long: "line-buffered", summary: "flush output on every line (no effect in miplay)"},
	{short: 'H', long: "with-filename", summary: "print file name with output lines"},
	{short: 'h', long: "no-filename", summary: "suppress the file name prefix on output"},
	{long: "label", arg: "LABEL", summary: "use LABEL as the standard input file name prefix"},
	{short: 'o', long: "only-matching", summary: "show only nonempty parts of lines that match"},
	{short: 'q', long: "quiet", summary: "suppress all normal output; exit 0 at the first selected line"},
	{long: "silent", summary: "same as --quiet"},
	{long: "binary-files", arg: "TYPE", summary: "assume that binary files are TYPE: binary, text or without-match"},
	{short: 'a', long: "text", summary: "equivalent to --binary-files=text"},
	{short: 'I', summary: "equivalent to --binary-files=without-match"},
	{short: 'd', long: "directories", arg: "ACTION", summary: "how to handle directories: read (an error) or skip"},
	{short: 'D', long: "devices", arg: "ACTION", summary: "how to handle devices: read or skip (there are none)"},
	{short: 'r', long: "recursive", notSimulated: true, summary: "like --directories=recurse"},
	{short: 'R', long: "dereference-recursive", notSimulated: true, summary: "likewise, but follow all symlinks"},
	{long: "include", arg: "GLOB", notSimulated: true, summary: "search only files that match GLOB"},
	{long: "exclude", arg: "GLOB", notSimulated: true, summary: "skip files that match GLOB"},
	{long: "exclude-from", arg: "FILE", notSimulated: true, summary: "skip files that match any file pattern from FILE"},
	{long: "exclude-dir", arg: "GLOB", notSimulated: true, summary: "skip directories that match GLOB"},
	{short: 'L', long: "files-without-match", summary: "print only names of FILEs with no selected lines"},
	{short: 'l', long: "files-with-matches", summary: "print only names of FILEs with selected lines"},
	{short: 'c', long: "count", summary: "print only a count of selected lines per FILE"},
	{short: 'T', long: "initial-tab", notSimulated: true, summary: "make tabs line up"},
	{short: 'Z', long: "null", notSimulated: true, summary: "print 0 byte after FILE name"},
	{short: 'B', long: "before-context", arg: "NUM", summary: "print NUM lines of leading context"},
	{short: 'A', long: "after-context", arg: "NUM", summary: "print NUM lines of trailing context"},
	{short: 'C', long: "context", arg: "NUM", summary: "print NUM lines of output context (also -NUM)"},
	{long: "group-separator", arg: "SEP", summary: "print SEP on line between matches with context"},
	{long: "no-group-separator", summary: "do not print separator for matches with context"},
	{long: "color", arg: "WHEN", summary: "--color[=WHEN], --colour[=WHEN]: never and auto (no color: output is not a terminal); always is not simulated"},
	{short: 'U', long: "binary", summary: "do not strip CR characters at EOL (no effect on Linux)"},
}

const grepUsage = "Usage: grep [OPTION]... PATTERNS [FILE]..."

// parseOptsUsage is parseOpts for programs that print their usage line
// before "Try '... --help'", as grep and sed do.
func parseOptsUsage(p *Proc, cmd, usage string, args []string, opts []opt) ([]gotOpt, []string, bool) {
	var msg bytes.Buffer
	q := *p
	q.Stderr = &msg
	got, operands, ok := parseOpts(&q, cmd, args, opts)
	if !ok {
		s := msg.String()
		try := fmt.Sprintf("Try '%s --help' for more information.\n", cmd)
		if strings.HasSuffix(s, try) {
			s = strings.TrimSuffix(s, try) + usage + "\n" + try
		}
		io.WriteString(p.Stderr, s)
	}
	return got, operands, ok
}

// nextIsValue reports whether the argument is an option that takes the
// next argument as its value ("-m" in "-m -1", "--file" in "--file x").
func nextIsValue(opts []opt, a string) bool {
	switch {
	case strings.HasPrefix(a, "--"):
		if strings.Contains(a, "=") {
			return false
		}
		o := findLong(opts, a[2:])
		return o != nil && o.arg != ""
	case len(a) > 1 && a[0] == '-':
		for j := 1; j < len(a); j++ {
			o := findShort(opts, a[j])
			if o == nil {
				return false
			}
			if o.arg != "" {
				return j == len(a)-1
			}
		}
	}
	return false
}

// grepConfig is a grep command line, parsed.
type grepConfig struct {
	matcher                  string // "G", "E" or "F"
	patterns                 []string
	patternSet               bool // -e or -f given
	ignoreCase, word, line   bool
	invert, count, quiet     bool
	only, number, noMessages bool
	list                     byte // 'l', 'L' or 0
	withName                 int  // 1 -H, 0 -h, -1 by the number of files
	maxCount                 int  // -1 for no limit
	before, after            int  // -1 when not given
	groupSep                 *string
	label                    string
	binaryMode               string // binary, text, without-match
	skipDirs                 bool
}

func runGrep(p *Proc, args []string) int {
	// Options getopt cannot describe: --color's optional argument and -NUM.
	var rest []string
	contextNum := ""
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		if nextIsValue(grepOpts, a) && i+1 < len(args) {
			rest = append(rest, a, args[i+1])
			i++
			continue
		}
		name, val, hasVal := strings.Cut(a, "=")
		if name == "--color" || name == "--colour" {
			switch {
			case !hasVal, val == "never", val == "no", val == "none", val == "auto", val == "tty", val == "if-tty":
			case val == "always", val == "yes", val == "force":
				fmt.Fprintln(p.Stderr, "grep: --color=always is not simulated in miplay: the terminal shows no colors")
				return 2
			default:
				fmt.Fprintf(p.Stderr, "grep: --color=%s: grep prints its --help here, which is not simulated in miplay\n", val)
				return 2
			}
			continue
		}
		if len(a) > 1 && a[0] == '-' && a[1] >= '0' && a[1] <= '9' {
			if _, err := strconv.Atoi(a[1:]); err == nil {
				contextNum = a[1:]
				continue
			}
		}
		rest = append(rest, a)
	}
	got, operands, ok := parseOptsUsage(p, "grep", grepUsage, rest, grepOpts)
	if !ok {
		return 2
	}
	cfg := grepConfig{withName: -1, maxCount: -1, before: -1, after: -1, label: "(standard input)", binaryMode: "binary"}
	ctxArg := func(v string) (int, bool) {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			fmt.Fprintf(p.Stderr, "grep: %s: invalid context length argument\n", v)
			return 0, false
		}
		return n, true
	}
	if contextNum != "" {
		n, _ := strconv.Atoi(contextNum)
		cfg.before, cfg.after = n, n
	}
	for _, o := range got {
		key := string(o.short)
		if o.short == 0 {
			key = o.long
		}
		switch key {
		case "E", "F", "G", "P":
			if cfg.matcher != "" && cfg.matcher != key {
				fmt.Fprintln(p.Stderr, "grep: conflicting matchers specified")
				return 2
			}
			cfg.matcher = key
		case "e":
			cfg.patterns = append(cfg.patterns, strings.Split(o.val, "\n")...)
			cfg.patternSet = true
		case "f":
			b, err := readInput(p, o.val)
			if err != nil {
				fmt.Fprintf(p.Stderr, "grep: %s: %s\n", o.val, fileProblem(err))
				return 2
			}
			s := strings.TrimSuffix(string(b), "\n")
			if len(b) > 0 {
				cfg.patterns = append(cfg.patterns, strings.Split(s, "\n")...)
			}
			cfg.patternSet = true
		case "i", "y":
			cfg.ignoreCase = true
		case "no-ignore-case":
			cfg.ignoreCase = false
		case "w":
			cfg.word = true
		case "x":
			cfg.line = true
		case "s":
			cfg.noMessages = true
		case "v":
			cfg.invert = true
		case "m":
			n, err := strconv.ParseInt(o.val, 10, 64)
			if err != nil {
				fmt.Fprintln(p.Stderr, "grep: invalid max count")
				return 2
			}
			cfg.maxCount = int(min(n, 1<<31))
			if n < 0 {
				cfg.maxCount = -1
			}
		case "n":
			cfg.number = true
		case "H":
			cfg.withName = 1
		case "h":
			cfg.withName = 0
		case "label":
			cfg.label = o.val
		case "o":
			cfg.only = true
		case "q", "silent":
			cfg.quiet = true
		case "binary-files":
			switch o.val {
			case "binary", "text", "without-match":
				cfg.binaryMode = o.val
			default:
				fmt.Fprintln(p.Stderr, "grep: unknown binary-files type")
				return 2
			}
		case "a":
			cfg.binaryMode = "text"
		case "I":
			cfg.binaryMode = "without-match"
		case "d":
			switch o.val {
			case "read":
				cfg.skipDirs = false
			case "skip":
				cfg.skipDirs = true
			case "recurse":
				fmt.Fprintln(p.Stderr, "grep: recursive search (-d recurse) is not simulated in miplay")
				return 2
			default:
				fmt.Fprintln(p.Stderr, "grep: invalid argument '"+o.val+"' for '--directories'\nValid arguments are:\n  - 'read'\n  - 'recurse'\n  - 'skip'\n"+grepUsage+"\nTry 'grep --help' for more information.")
				return 2
			}
		case "D":
			if o.val != "read" && o.val != "skip" {
				fmt.Fprintln(p.Stderr, "grep: unknown devices method")
				return 2
			}
		case "L", "l":
			cfg.list = o.short
		case "c":
			cfg.count = true
		case "A", "B", "C":
			n, ok := ctxArg(o.val)
			if !ok {
				return 2
			}
			if o.short != 'B' {
				cfg.after = n
			}
			if o.short != 'A' {
				cfg.before = n
			}
		case "group-separator":
			s := o.val
			cfg.groupSep = &s
		case "no-group-separator":
			s := "\x00none"
			cfg.groupSep = &s
		}
	}
	if cfg.quiet {
		cfg.list = 0
	}
	if cfg.quiet || cfg.list != 0 {
		cfg.count = false
	}
	if !cfg.patternSet {
		if len(operands) == 0 {
			fmt.Fprintln(p.Stderr, grepUsage+"\nTry 'grep --help' for more information.")
			return 2
		}
		cfg.patterns = strings.Split(operands[0], "\n")
		operands = operands[1:]
	}
	if cfg.only && (cfg.before > 0 || cfg.after > 0) {
		fmt.Fprintln(p.Stderr, "grep: -o together with context (-A, -B, -C) is not simulated in miplay")
		return 2
	}
	if cfg.maxCount == 0 {
		return 1
	}
	m, code := newGrepMatcher(p, &cfg)
	if m == nil {
		return code
	}
	files := operands
	if len(files) == 0 {
		files = []string{"-"}
	}
	if cfg.withName < 0 {
		cfg.withName = 0
		if len(files) > 1 {
			cfg.withName = 1
		}
	}
	g := &grepRun{p: p, cfg: &cfg, m: m}
	for _, f := range files {
		if g.file(f) {
			return 0 // -q and a selected line
		}
	}
	switch {
	case g.errSeen:
		return 2
	case g.selected:
		return 0
	}
	return 1
}

// A grepMatcher finds the matches of the patterns in a line.
type grepMatcher struct {
	re *regexp.Regexp // nil: no patterns, nothing matches
	// For -w: the patterns anchored at a start (at0 at the start of the
	// line, mid after a non-word character) and at both ends (whole0,
	// wholeMid) for trying shorter matches.
	word                       bool
	at0, mid, whole0, wholeMid *regexp.Regexp
}

// newGrepMatcher compiles the patterns, printing warnings and errors.
func newGrepMatcher(p *Proc, cfg *grepConfig) (*grepMatcher, int) {
	if len(cfg.patterns) == 0 {
		return &grepMatcher{}, 0
	}
	if cfg.matcher == "P" && len(cfg.patterns) > 1 {
		fmt.Fprintln(p.Stderr, "grep: the -P option only supports a single pattern")
		return nil, 2
	}
	flags := ""
	if cfg.ignoreCase {
		flags = "(?i)"
	}
	// body translates the patterns with the given line anchors.
	body := func(beg, end string, warn bool) (string, bool) {
		var alts []string
		var warnings []string
		for _, pat := range cfg.patterns {
			switch cfg.matcher {
			case "F":
				alts = append(alts, regexp.QuoteMeta(pat))
				continue
			case "P":
				// Go's syntax is a subset of PCRE's with the same meaning;
				// what it lacks does not compile and is refused below.
				alts = append(alts, pat)
				continue
			}
			syntax := reBasic
			if cfg.matcher == "E" {
				syntax = reExtended
			}
			re, w, err := translateAnchored(pat, syntax, reGrep, beg, end)
			if err != nil {
				fmt.Fprintf(p.Stderr, "grep: %s\n", reErrorText(err))
				return "", false
			}
			warnings = append(warnings, w...)
			alts = append(alts, re)
		}
		if warn {
			for _, w := range warnings {
				fmt.Fprintf(p.Stderr, "grep: warning: %s\n", w)
			}
		}
		return "(?:" + strings.Join(alts, ")|(?:") + ")", true
	}
	compile := func(expr string) (*regexp.Regexp, bool) {
		re, err := regexp.Compile(flags + expr)
		if err != nil {
			if cfg.matcher == "P" {
				fmt.Fprintln(p.Stderr, "grep: the pattern uses Perl features Go's regular expressions lack (lookaround, \\K, back-references, possessive or atomic groups), which are not simulated in miplay")
			} else {
				fmt.Fprintf(p.Stderr, "grep: this pattern is not simulated in miplay: %v\n", err)
			}
			return nil, false
		}
		if cfg.matcher != "P" {
			re.Longest()
		}
		return re, true
	}
	all, ok := body("^", "$", true)
	if !ok {
		return nil, 2
	}
	m := &grepMatcher{}
	if cfg.line {
		all = "^" + all + "$"
	}
	if m.re, ok = compile(all); !ok {
		return nil, 2
	}
	if cfg.word && !cfg.line {
		m.word = true
		mid, _ := body(reNever, "$", false)
		whole0, _ := body("^", reNever, false)
		wholeMid, _ := body(reNever, reNever, false)
		for _, c := range []struct {
			re   **regexp.Regexp
			expr string
		}{{&m.at0, "^" + all}, {&m.mid, "^" + mid}, {&m.whole0, "^" + whole0 + "$"}, {&m.wholeMid, "^" + wholeMid + "$"}} {
			if *c.re, ok = compile(c.expr); !ok {
				return nil, 2
			}
		}
	}
	return m, 0
}

// reErrorText words a translation error for the program's message.
func reErrorText(err error) string {
	var re *reError
	if errors.As(err, &re) && re.notSimulated {
		return re.msg + " in miplay"
	}
	return err.Error()
}

// isWordRune is GNU's word constituent: a letter, a digit or "_".
func isWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// matches returns the matches of a line, leftmost-longest: all of them
// for -o, else the first, as only whether there is one matters.
func (m *grepMatcher) matches(line string, all bool) [][2]int {
	if m.re == nil {
		return nil
	}
	if !m.word {
		if !all {
			if loc := m.re.FindStringIndex(line); loc != nil {
				return [][2]int{{loc[0], loc[1]}}
			}
			return nil
		}
		var out [][2]int
		for _, loc := range m.re.FindAllStringIndex(line, -1) {
			out = append(out, [2]int{loc[0], loc[1]})
		}
		return out
	}
	if !m.re.MatchString(line) {
		return nil
	}
	// -w, as GNU grep does it: at each place a match may start (the start
	// of the line, or after a non-word character), the longest match must
	// be followed by a non-word character or the end of the line, or else
	// a shorter non-empty one at that place.
	var out [][2]int
	for s := 0; s <= len(line); {
		if s > 0 {
			if r, _ := utf8.DecodeLastRuneInString(line[:s]); isWordRune(r) {
				_, size := utf8.DecodeRuneInString(line[s:])
				s += max(size, 1)
				continue
			}
		}
		at, whole := m.mid, m.wholeMid
		if s == 0 {
			at, whole = m.at0, m.whole0
		}
		e := -1
		if loc := at.FindStringIndex(line[s:]); loc != nil {
			e = s + loc[1]
			for e > s && wordAfter(line, e) {
				e = shorter(whole, line, s, e)
			}
			if wordAfter(line, e) {
				e = -1
			}
		}
		if e >= 0 {
			out = append(out, [2]int{s, e})
			if !all {
				return out
			}
			if e > s {
				s = e
				continue
			}
		}
		if s == len(line) {
			break
		}
		_, size := utf8.DecodeRuneInString(line[s:])
		s += size
	}
	return out
}

// shorter finds the longest non-empty match starting at s that ends
// before e, or returns s.
func shorter(whole *regexp.Regexp, line string, s, e int) int {
	for e > s {
		_, size := utf8.DecodeLastRuneInString(line[:e])
		e -= size
		if e > s && whole.MatchString(line[s:e]) {
			return e
		}
	}
	return s
}

func wordAfter(line string, i int) bool {
	if i >= len(line) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(line[i:])
	return isWordRune(r)
}

// grepRun is one run of grep over its files.
type grepRun struct {
	p                 *Proc
	cfg               *grepConfig
	m                 *grepMatcher
	used              bool // something was printed, for group separators
	selected, errSeen bool
}

// file greps one file; it returns true when grep must exit 0 at once (-q).
func (g *grepRun) file(name string) bool {
	cfg, p := g.cfg, g.p
	data, err := readInput(p, name)
	shown := name
	if name == "-" {
		shown = cfg.label
	}
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) && pe.Err == errIsDir && cfg.skipDirs {
			return false
		}
		if !cfg.noMessages {
			fmt.Fprintf(p.Stderr, "grep: %s: %s\n", name, fileProblem(err))
		}
		g.errSeen = true
		return false
	}
	binary := cfg.binaryMode != "text" && bytes.IndexByte(data, 0) >= 0
	if binary && cfg.binaryMode == "without-match" {
		return false
	}
	text := string(data)
	lines := strings.SplitAfter(text, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	quiet := cfg.quiet || cfg.list != 0 || cfg.count || binary
	count, lastOut, pending := 0, -1, 0
	newFile := true
	encodingErrors := false
	prefix := func(i int, sep string) string {
		var b strings.Builder
		if cfg.withName == 1 {
			b.WriteString(shown + sep)
		}
		if cfg.number {
			b.WriteString(strconv.Itoa(i+1) + sep)
		}
		return b.String()
	}
	emit := func(i int, sep, s string) {
		if cfg.binaryMode != "text" && !utf8.ValidString(s) {
			encodingErrors = true
			return
		}
		io.WriteString(p.Stdout, prefix(i, sep)+s+"\n")
	}
	contextOn := cfg.before >= 0 || cfg.after >= 0
	for i, raw := range lines {
		line := strings.TrimSuffix(raw, "\n")
		if cfg.maxCount >= 0 && count >= cfg.maxCount {
			// Trailing context after the last selected line, whatever it is.
			if pending == 0 || quiet {
				break
			}
			emit(i, "-", line)
			lastOut, pending = i, pending-1
			continue
		}
		found := g.m.matches(line, cfg.only && !cfg.invert && !quiet)
		if (len(found) > 0) == cfg.invert {
			if pending > 0 && !quiet {
				emit(i, "-", line)
				lastOut, pending = i, pending-1
			}
			continue
		}
		count++
		g.selected = true
		if cfg.quiet {
			return true
		}
		if cfg.list != 0 || binary && !cfg.count {
			break
		}
		if quiet {
			continue
		}
		start := i
		if cfg.before > 0 {
			start = max(lastOut+1, i-cfg.before)
		}
		if contextOn && g.used && (newFile || start != lastOut+1) {
			sep := "--"
			if cfg.groupSep != nil {
				sep = *cfg.groupSep
			}
			if sep != "\x00none" {
				io.WriteString(p.Stdout, sep+"\n")
			}
		}
		for j := start; j < i; j++ {
			emit(j, "-", strings.TrimSuffix(lines[j], "\n"))
		}
		if cfg.only {
			for _, f := range found {
				if f[1] > f[0] {
					emit(i, ":", line[f[0]:f[1]])
				}
			}
		} else {
			emit(i, ":", line)
		}
		lastOut, g.used, newFile = i, true, false
		pending = max(cfg.after, 0)
	}
	if cfg.count {
		if cfg.withName == 1 {
			fmt.Fprintf(p.Stdout, "%s:%d\n", shown, count)
		} else {
			fmt.Fprintf(p.Stdout, "%d\n", count)
		}
	}
	switch {
	case cfg.list == 'l' && count > 0, cfg.list == 'L' && count == 0:
		fmt.Fprintln(p.Stdout, shown)
	}
	if !cfg.count && cfg.list == 0 && (encodingErrors || binary && count > 0) {
		fmt.Fprintf(p.Stderr, "grep: %s: binary file matches\n", shown)
	}
	return false
}
