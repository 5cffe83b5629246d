package shell

import (
	"bytes"
	"fmt"
	"io"
	"math/big"
	"sort"
	"strconv"
	"strings"
)

// sort, uniq, tail, tee and seq from GNU coreutils 9, in the C.UTF-8
// locale the simulated hosts have: byte order is code point order, and
// messages quote values as ‘this’.

func registerTextutils() {
	for _, c := range []*Command{
		{Name: "sort", Summary: "Sort lines of text.", Synopsis: "sort [-r] [-n] [-u] [-f] [-b] [-s] [-t SEP] [-k KEYDEF]... [-o FILE] [FILE]...",
			Simulates: "GNU sort in the C.UTF-8 locale (byte order): whole lines or keys (-k F[.C][OPTS][,F[.C][OPTS]] with the options b, f, n, r), fields split at blanks or at -t SEP, numeric order (-n: leading blanks, a sign, digits and a fraction; anything else is 0), -r, -u (the first of equal lines), -f, -b, -s and -o. Equal keys fall back to the whole line, in byte order, unless -s or -u. Other orderings (-h, -g, -V, -M, -R), -c and merging are not simulated.",
			Flags:     flagsOf(sortOpts), Run: runSort},
		{Name: "uniq", Summary: "Report or omit repeated lines.", Synopsis: "uniq [-c] [-d] [-D] [-u] [-i] [-f N] [-s N] [-w N] [INPUT [OUTPUT]]",
			Simulates: "GNU uniq: adjacent equal lines, compared after skipping fields (-f) and characters (-s) and up to -w characters, optionally ignoring case (-i); -c counts as `%7d LINE`.",
			Flags:     flagsOf(uniqOpts), Run: runUniq},
		{Name: "tail", Summary: "Print the last lines or bytes of input.", Synopsis: "tail [-n [+]N] [-c [+]N] [FILE]...",
			Simulates: "-n and -c, counted from the end or, with +N, from the start; the old forms -N and +N; headers between several files. Following a file (-f, -F) is not simulated.",
			Flags:     flagsOf(tailOpts), Run: runTail},
		{Name: "tee", Summary: "Copy standard input to standard output and files.", Synopsis: "tee [-a] [FILE]...",
			Simulates: "Writing standard input to standard output and to each FILE of the host's in-memory file system, replacing it or appending (-a).",
			Flags:     flagsOf(teeOpts), Run: runTee},
		{Name: "seq", Summary: "Print a sequence of numbers.", Synopsis: "seq [-s SEP] [-w] [FIRST [INCREMENT]] LAST",
			Simulates: "GNU seq with integers and decimal fractions (printed with as many decimals as FIRST or INCREMENT has, and computed exactly), -s and -w. Exponents, hexadecimal numbers and -f are not simulated; one run prints at most 100000 numbers.",
			Flags:     flagsOf(seqOpts), Run: runSeq},
	} {
		register(c)
	}
}

// gnuQuote quotes a value as coreutils does in a UTF-8 locale.
func gnuQuote(s string) string { return "‘" + s + "’" }

// splitLines splits input into lines without their newlines; a last line
// without one is still a line.
func splitLines(b []byte) []string {
	if len(b) == 0 {
		return nil
	}
	s := strings.TrimSuffix(string(b), "\n")
	return strings.Split(s, "\n")
}

// ---- sort ----

var sortOpts = []opt{
	{short: 'r', long: "reverse", summary: "reverse the result of comparisons"},
	{short: 'n', long: "numeric-sort", summary: "compare according to string numerical value"},
	{short: 'u', long: "unique", summary: "output only the first of an equal run"},
	{short: 'f', long: "ignore-case", summary: "fold lower case to upper case characters"},
	{short: 'b', long: "ignore-leading-blanks", summary: "ignore leading blanks"},
	{short: 's', long: "stable", summary: "stabilize sort by disabling last-resort comparison"},
	{short: 't', long: "field-separator", arg: "SEP", summary: "use SEP instead of non-blank to blank transition"},
	{short: 'k', long: "key", arg: "KEYDEF", summary: "sort via a key; KEYDEF gives location and type"},
	{short: 'o', long: "output", arg: "FILE", summary: "write result to FILE instead of standard output"},
	{short: 'h', long: "human-numeric-sort", notSimulated: true, summary: "compare human readable numbers (e.g., 2K 1G)"},
	{short: 'g', long: "general-numeric-sort", notSimulated: true, summary: "compare according to general numerical value"},
	{short: 'V', long: "version-sort", notSimulated: true, summary: "natural sort of (version) numbers within text"},
	{short: 'M', long: "month-sort", notSimulated: true, summary: "compare (unknown) < 'JAN' < ... < 'DEC'"},
	{short: 'R', long: "random-sort", notSimulated: true, summary: "shuffle, but group identical keys"},
	{short: 'd', long: "dictionary-order", notSimulated: true, summary: "consider only blanks and alphanumeric characters"},
	{short: 'i', long: "ignore-nonprinting", notSimulated: true, summary: "consider only printable characters"},
	{short: 'c', long: "check", notSimulated: true, summary: "check for sorted input; do not sort"},
	{short: 'C', notSimulated: true, summary: "like -c, but do not report first bad line"},
	{short: 'm', long: "merge", notSimulated: true, summary: "merge already sorted files; do not sort"},
	{short: 'z', long: "zero-terminated", notSimulated: true, summary: "line delimiter is NUL, not newline"},
	{short: 'S', long: "buffer-size", arg: "SIZE", notSimulated: true, summary: "use SIZE for main memory buffer"},
	{short: 'T', long: "temporary-directory", arg: "DIR", notSimulated: true, summary: "use DIR for temporaries"},
	{long: "parallel", arg: "N", notSimulated: true, summary: "change the number of sorts run concurrently to N"},
}

// A sortKey is a -k KEYDEF, or the whole line with the global options.
type sortKey struct {
	sword, schar int // 0-based field and character of the start; sword -1: the start of the line
	eword, echar int // eword -1: the end of the line; echar 0: the end of the field
	blankStart   bool
	blankEnd     bool
	fold         bool
	numeric      bool
	reverse      bool
}

func (k *sortKey) hasOrdering() bool {
	return k.blankStart || k.blankEnd || k.fold || k.numeric
}

func runSort(p *Proc, args []string) int {
	got, files, ok := parseOpts(p, "sort", args, sortOpts)
	if !ok {
		return 2
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(p.Stderr, "sort: "+format+"\n", a...)
		return 2
	}
	var global sortKey
	var keys []*sortKey
	unique, stable := false, false
	tab := -1 // the -t byte, or -1 for blank-separated fields
	output, haveOutput := "", false
	for _, o := range got {
		switch o.short {
		case 'r':
			global.reverse = true
		case 'n':
			global.numeric = true
		case 'u':
			unique = true
		case 'f':
			global.fold = true
		case 'b':
			global.blankStart, global.blankEnd = true, true
		case 's':
			stable = true
		case 't':
			switch {
			case o.val == "":
				return fail("empty tab")
			case len(o.val) > 1 && o.val != `\0`:
				return fail("multi-character tab %s", gnuQuote(o.val))
			case o.val == `\0`:
				tab = 0
			default:
				if tab >= 0 && tab != int(o.val[0]) {
					return fail("incompatible tabs")
				}
				tab = int(o.val[0])
			}
		case 'k':
			k, msg := parseSortKey(o.val)
			if msg != "" {
				if strings.Contains(msg, "invalid count at start of") {
					return fail("%s", msg)
				}
				return fail("%s: invalid field specification %s", msg, gnuQuote(o.val))
			}
			keys = append(keys, k)
		case 'o':
			if haveOutput && output != o.val {
				return fail("multiple output files specified")
			}
			output, haveOutput = o.val, true
		}
	}
	for _, k := range keys {
		if !k.hasOrdering() && !k.reverse {
			k.blankStart, k.blankEnd, k.fold, k.numeric, k.reverse = global.blankStart, global.blankEnd, global.fold, global.numeric, global.reverse
		}
	}
	if len(keys) == 0 && global.hasOrdering() {
		g := global
		g.sword, g.eword = -1, -1
		keys = []*sortKey{&g}
	}
	if len(files) == 0 {
		files = []string{"-"}
	}
	var lines []string
	for _, f := range files {
		b, err := readInput(p, f)
		if err != nil {
			return fail("cannot read: %s: %s", f, fileProblem(err))
		}
		lines = append(lines, splitLines(b)...)
	}
	cmp := func(a, b string) int {
		if len(keys) > 0 {
			if d := keyCompare(keys, tab, a, b); d != 0 || unique || stable {
				return d
			}
		}
		d := strings.Compare(a, b)
		if global.reverse {
			d = -d
		}
		return d
	}
	sort.SliceStable(lines, func(i, j int) bool { return cmp(lines[i], lines[j]) < 0 })
	var out strings.Builder
	for i, l := range lines {
		if unique && i > 0 && cmp(lines[i-1], l) == 0 {
			continue
		}
		out.WriteString(l)
		out.WriteByte('\n')
	}
	if haveOutput && output != "-" {
		if err := p.WriteFile(output, []byte(out.String())); err != nil {
			return fail("open failed: %s: %s", output, fileProblem(err))
		}
		return 0
	}
	io.WriteString(p.Stdout, out.String())
	return 0
}

// parseSortKey reads a KEYDEF as GNU sort does; the message is GNU's.
func parseSortKey(spec string) (*sortKey, string) {
	k := &sortKey{}
	s := spec
	var countErr string
	count := func(what string) (int, bool) {
		i := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == 0 {
			countErr = what + ": invalid count at start of " + gnuQuote(s)
			return 0, false
		}
		n, err := strconv.Atoi(s[:i])
		if err != nil {
			n = 1 << 30
		}
		s = s[i:]
		return n, true
	}
	opts := func(start bool) {
		for len(s) > 0 {
			switch s[0] {
			case 'b':
				if start {
					k.blankStart = true
				} else {
					k.blankEnd = true
				}
			case 'f':
				k.fold = true
			case 'n':
				k.numeric = true
			case 'r':
				k.reverse = true
			default:
				return
			}
			s = s[1:]
		}
	}
	n, ok := count("invalid number at field start")
	if !ok {
		return nil, countErr
	}
	if n == 0 {
		return nil, "field number is zero"
	}
	k.sword = n - 1
	if strings.HasPrefix(s, ".") {
		s = s[1:]
		c, ok := count("invalid number after '.'")
		if !ok {
			return nil, countErr
		}
		if c == 0 {
			return nil, "character offset is zero"
		}
		k.schar = c - 1
	}
	if k.sword == 0 && k.schar == 0 {
		k.sword = -1
	}
	if len(s) > 0 && strings.IndexByte("dghiMRV", s[0]) >= 0 {
		return nil, "ordering option '" + s[:1] + "' is not simulated in miplay"
	}
	opts(true)
	k.eword = -1
	if strings.HasPrefix(s, ",") {
		s = s[1:]
		e, ok := count("invalid number after ','")
		if !ok {
			return nil, countErr
		}
		if e == 0 {
			return nil, "field number is zero"
		}
		k.eword = e - 1
		if strings.HasPrefix(s, ".") {
			s = s[1:]
			c, ok := count("invalid number after '.'")
			if !ok {
				return nil, countErr
			}
			k.echar = c
		}
		opts(false)
	}
	if s != "" {
		return nil, "stray character in field spec"
	}
	return k, ""
}

func isSortBlank(c byte) bool { return c == ' ' || c == '\t' }

// keyBounds returns the key's part of a line, as GNU's begfield and
// limfield find it.
func keyBounds(k *sortKey, tab int, line string) string {
	lim := len(line)
	beg := 0
	if k.sword >= 0 {
		ptr := 0
		for w := k.sword; ptr < lim && w > 0; w-- {
			if tab >= 0 {
				for ptr < lim && int(line[ptr]) != tab {
					ptr++
				}
				if ptr < lim {
					ptr++
				}
			} else {
				for ptr < lim && isSortBlank(line[ptr]) {
					ptr++
				}
				for ptr < lim && !isSortBlank(line[ptr]) {
					ptr++
				}
			}
		}
		if k.blankStart {
			for ptr < lim && isSortBlank(line[ptr]) {
				ptr++
			}
		}
		beg = min(lim, ptr+k.schar)
	}
	end := lim
	if k.eword >= 0 {
		ptr := 0
		eword := k.eword
		if k.echar == 0 {
			eword++
		}
		for ; ptr < lim && eword > 0; eword-- {
			if tab >= 0 {
				for ptr < lim && int(line[ptr]) != tab {
					ptr++
				}
				if ptr < lim && (eword > 1 || k.echar != 0) {
					ptr++
				}
			} else {
				for ptr < lim && isSortBlank(line[ptr]) {
					ptr++
				}
				for ptr < lim && !isSortBlank(line[ptr]) {
					ptr++
				}
			}
		}
		if k.echar != 0 {
			if k.blankEnd {
				for ptr < lim && isSortBlank(line[ptr]) {
					ptr++
				}
			}
			ptr = min(lim, ptr+k.echar)
		}
		end = ptr
	}
	if end < beg {
		end = beg
	}
	return line[beg:end]
}

// keyCompare compares two lines by the keys, as GNU's keycompare.
func keyCompare(keys []*sortKey, tab int, a, b string) int {
	for _, k := range keys {
		ka, kb := keyBounds(k, tab, a), keyBounds(k, tab, b)
		var d int
		switch {
		case k.numeric:
			d = numCompare(ka, kb)
		case k.fold:
			d = strings.Compare(upperASCII(ka), upperASCII(kb))
		default:
			d = strings.Compare(ka, kb)
		}
		if d != 0 {
			if k.reverse {
				return -d
			}
			return d
		}
	}
	return 0
}

func upperASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// numCompare compares the numbers at the start of two keys as sort -n
// does: leading blanks, an optional '-', digits, an optional fraction;
// anything else counts as zero.
func numCompare(a, b string) int {
	na, nb := sortNumber(a), sortNumber(b)
	return na.Cmp(nb)
}

func sortNumber(s string) *big.Rat {
	i := 0
	for i < len(s) && isSortBlank(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && s[i] == '-' {
		neg = true
		i++
	}
	start := i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	intPart := s[start:i]
	frac := ""
	if i < len(s) && s[i] == '.' {
		j := i + 1
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		frac = s[i+1 : j]
	}
	r := new(big.Rat)
	if intPart == "" && frac == "" {
		return r
	}
	r.SetString("0" + intPart + "." + frac + "0")
	if neg {
		r.Neg(r)
	}
	return r
}

// ---- uniq ----

var uniqOpts = []opt{
	{short: 'c', long: "count", summary: "prefix lines by the number of occurrences"},
	{short: 'd', long: "repeated", summary: "only print duplicate lines, one for each group"},
	{short: 'D', summary: "print all duplicate lines"},
	{short: 'u', long: "unique", summary: "only print unique lines"},
	{short: 'i', long: "ignore-case", summary: "ignore differences in case when comparing"},
	{short: 'f', long: "skip-fields", arg: "N", summary: "avoid comparing the first N fields"},
	{short: 's', long: "skip-chars", arg: "N", summary: "avoid comparing the first N characters"},
	{short: 'w', long: "check-chars", arg: "N", summary: "compare no more than N characters in lines"},
	{long: "all-repeated", arg: "METHOD", notSimulated: true, summary: "like -D, but allow separating groups"},
	{long: "group", arg: "METHOD", notSimulated: true, summary: "show all items, separating groups with an empty line"},
	{short: 'z', long: "zero-terminated", notSimulated: true, summary: "line delimiter is NUL, not newline"},
}

func runUniq(p *Proc, args []string) int {
	got, operands, ok := parseOpts(p, "uniq", args, uniqOpts)
	if !ok {
		return 1
	}
	count, repeated, all, unique, fold := false, false, false, false, false
	skipFields, skipChars, checkChars := 0, 0, -1
	for _, o := range got {
		switch o.short {
		case 'c':
			count = true
		case 'd':
			repeated = true
		case 'D':
			all = true
		case 'u':
			unique = true
		case 'i':
			fold = true
		case 'f', 's', 'w':
			n, err := strconv.Atoi(o.val)
			if err != nil || n < 0 {
				what := map[byte]string{'f': "number of fields to skip", 's': "number of bytes to skip", 'w': "number of bytes to compare"}[o.short]
				fmt.Fprintf(p.Stderr, "uniq: %s: invalid %s\n", o.val, what)
				return 1
			}
			switch o.short {
			case 'f':
				skipFields = n
			case 's':
				skipChars = n
			case 'w':
				checkChars = n
			}
		}
	}
	if len(operands) > 2 {
		fmt.Fprintf(p.Stderr, "uniq: extra operand %s\nTry 'uniq --help' for more information.\n", gnuQuote(operands[2]))
		return 1
	}
	if all && count {
		fmt.Fprintln(p.Stderr, "uniq: printing all duplicated lines and repeat counts is meaningless\nTry 'uniq --help' for more information.")
		return 1
	}
	in := "-"
	if len(operands) > 0 {
		in = operands[0]
	}
	b, err := readInput(p, in)
	if err != nil {
		fmt.Fprintf(p.Stderr, "uniq: %s: %s\n", in, fileProblem(err))
		return 1
	}
	key := func(l string) string {
		i := 0
		for f := 0; f < skipFields; f++ {
			for i < len(l) && isSortBlank(l[i]) {
				i++
			}
			for i < len(l) && !isSortBlank(l[i]) {
				i++
			}
		}
		i = min(len(l), i+skipChars)
		k := l[i:]
		if checkChars >= 0 && len(k) > checkChars {
			k = k[:checkChars]
		}
		if fold {
			k = strings.ToUpper(k)
		}
		return k
	}
	lines := splitLines(b)
	var out strings.Builder
	for i := 0; i < len(lines); {
		j := i + 1
		for j < len(lines) && key(lines[j]) == key(lines[i]) {
			j++
		}
		n := j - i
		switch {
		case all:
			if n > 1 {
				for _, l := range lines[i:j] {
					out.WriteString(l + "\n")
				}
			}
		case repeated && n == 1, unique && n > 1:
		case count:
			fmt.Fprintf(&out, "%7d %s\n", n, lines[i])
		default:
			out.WriteString(lines[i] + "\n")
		}
		i = j
	}
	if len(operands) == 2 && operands[1] != "-" {
		if err := p.WriteFile(operands[1], []byte(out.String())); err != nil {
			fmt.Fprintf(p.Stderr, "uniq: %s: %s\n", operands[1], fileProblem(err))
			return 1
		}
		return 0
	}
	io.WriteString(p.Stdout, out.String())
	return 0
}

// ---- tail ----

var tailOpts = []opt{
	{short: 'n', long: "lines", arg: "[+]N", summary: "output the last N lines, or from line N with +N"},
	{short: 'c', long: "bytes", arg: "[+]N", summary: "output the last N bytes, or from byte N with +N"},
	{short: 'q', long: "quiet", summary: "never output headers giving file names"},
	{long: "silent", summary: "same as --quiet"},
	{short: 'v', long: "verbose", summary: "always output headers giving file names"},
	{short: 'f', long: "follow", notSimulated: true, summary: "output appended data as the file grows"},
	{short: 'F', notSimulated: true, summary: "same as --follow=name --retry"},
	{long: "retry", notSimulated: true, summary: "keep trying to open a file if it is inaccessible"},
	{short: 's', long: "sleep-interval", arg: "N", notSimulated: true, summary: "with -f, sleep N seconds between iterations"},
	{long: "pid", arg: "PID", notSimulated: true, summary: "with -f, terminate after process PID dies"},
	{short: 'z', long: "zero-terminated", notSimulated: true, summary: "line delimiter is NUL, not newline"},
}

func runTail(p *Proc, args []string) int {
	// The old forms: tail -5, tail +5, tail -5c.
	if len(args) > 0 && len(args[0]) > 1 && (args[0][0] == '-' || args[0][0] == '+') {
		a := args[0]
		num := strings.TrimRight(a[1:], "lcb")
		unit := a[1+len(num):]
		if _, err := strconv.Atoi(num); err == nil && len(unit) <= 1 && (unit != "b") {
			opt := "-n"
			if unit == "c" {
				opt = "-c"
			}
			if a[0] == '+' {
				num = "+" + num
			}
			args = append([]string{opt, num}, args[1:]...)
		}
	}
	got, files, ok := parseOpts(p, "tail", args, tailOpts)
	if !ok {
		return 1
	}
	count, fromStart, bytesMode := 10, false, false
	headers := len(files) > 1
	for _, o := range got {
		switch {
		case o.short == 'n' || o.short == 'c':
			v := o.val
			from := strings.HasPrefix(v, "+")
			v = strings.TrimPrefix(strings.TrimPrefix(v, "+"), "-")
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				what := "lines"
				if o.short == 'c' {
					what = "bytes"
				}
				fmt.Fprintf(p.Stderr, "tail: invalid number of %s: %s\n", what, gnuQuote(o.val))
				return 1
			}
			count, fromStart, bytesMode = n, from, o.short == 'c'
		case o.short == 'q' || o.long == "silent":
			headers = false
		case o.short == 'v':
			headers = true
		}
	}
	if len(files) == 0 {
		files = []string{"-"}
	}
	status := 0
	first := true
	for _, name := range files {
		b, err := readInput(p, name)
		if err != nil {
			fmt.Fprintf(p.Stderr, "tail: cannot open '%s' for reading: %s\n", name, fileProblem(err))
			status = 1
			continue
		}
		if headers {
			if !first {
				fmt.Fprintln(p.Stdout)
			}
			shown := name
			if name == "-" {
				shown = "standard input"
			}
			fmt.Fprintf(p.Stdout, "==> %s <==\n", shown)
		}
		first = false
		p.Stdout.Write(tailOf(b, count, fromStart, bytesMode))
	}
	return status
}

// tailOf returns what tail prints of b.
func tailOf(b []byte, n int, fromStart, bytesMode bool) []byte {
	if bytesMode {
		if fromStart {
			return b[min(len(b), max(n-1, 0)):]
		}
		return b[max(0, len(b)-n):]
	}
	if fromStart {
		start := 0
		for line := 1; line < n && start < len(b); line++ {
			i := bytes.IndexByte(b[start:], '\n')
			if i < 0 {
				return nil
			}
			start += i + 1
		}
		return b[start:]
	}
	end := len(b)
	// A last line without a newline counts as a line.
	pos := end
	if pos > 0 && b[pos-1] == '\n' {
		pos--
	}
	for k := 0; k < n; k++ {
		i := bytes.LastIndexByte(b[:pos], '\n')
		if i < 0 {
			return b
		}
		if k == n-1 {
			return b[i+1:]
		}
		pos = i
	}
	return b[end:]
}

// ---- tee ----

var teeOpts = []opt{
	{short: 'a', long: "append", summary: "append to the given FILEs, do not overwrite"},
	{short: 'i', long: "ignore-interrupts", summary: "ignore interrupt signals (no effect in miplay)"},
	{short: 'p', summary: "diagnose errors writing to non pipes (no effect in miplay)"},
	{long: "output-error", arg: "MODE", notSimulated: true, summary: "set behavior on write error"},
}

func runTee(p *Proc, args []string) int {
	got, files, ok := parseOpts(p, "tee", args, teeOpts)
	if !ok {
		return 1
	}
	appendMode := false
	for _, o := range got {
		if o.short == 'a' {
			appendMode = true
		}
	}
	in, err := io.ReadAll(p.Stdin)
	if err != nil {
		return 1
	}
	status := 0
	for _, f := range files {
		if f == "-" {
			p.Stdout.Write(in)
			continue
		}
		data := in
		if appendMode {
			if old, err := p.ReadFile(f); err == nil {
				data = append(old, in...)
			}
		}
		if err := p.WriteFile(f, data); err != nil {
			fmt.Fprintf(p.Stderr, "tee: %s: %s\n", f, fileProblem(err))
			status = 1
		}
	}
	p.Stdout.Write(in)
	return status
}

// ---- seq ----

var seqOpts = []opt{
	{short: 's', long: "separator", arg: "STRING", summary: "use STRING to separate numbers (default: \\n)"},
	{short: 'w', long: "equal-width", summary: "equalize width by padding with leading zeroes"},
	{short: 'f', long: "format", arg: "FORMAT", notSimulated: true, summary: "use printf style floating-point FORMAT"},
}

// seqMax bounds the numbers one seq prints.
const seqMax = 100000

// A seqNum is a decimal operand: its value scaled by 10^decimals.
type seqNum struct {
	text     string
	decimals int
	width    int
}

func runSeq(p *Proc, args []string) int {
	// Options stop at the first operand, a negative number included.
	i := 0
	for i < len(args) {
		a := args[i]
		if a == "--" {
			i++
			break
		}
		if len(a) < 2 || a[0] != '-' || a[1] == '.' || a[1] >= '0' && a[1] <= '9' {
			break
		}
		i++
		if nextIsValue(seqOpts, a) && i < len(args) {
			i++
		}
	}
	got, rest, ok := parseOpts(p, "seq", args[:i], seqOpts)
	if !ok {
		return 1
	}
	operands := append(rest, args[i:]...)
	sep, equal := "\n", false
	for _, o := range got {
		switch o.short {
		case 's':
			sep = o.val
		case 'w':
			equal = true
		}
	}
	usage := func(format string, a ...any) int {
		fmt.Fprintf(p.Stderr, "seq: "+format+"\nTry 'seq --help' for more information.\n", a...)
		return 1
	}
	switch {
	case len(operands) == 0:
		return usage("missing operand")
	case len(operands) > 3:
		return usage("extra operand %s", gnuQuote(operands[3]))
	}
	var nums []seqNum
	for _, a := range operands {
		n, ok := parseSeqNum(a)
		if !ok {
			if seqUnsimulated().MatchString(strings.TrimSpace(a)) {
				fmt.Fprintf(p.Stderr, "seq: %s: exponents and hexadecimal numbers are not simulated in miplay\n", gnuQuote(a))
				return 1
			}
			return usage("invalid floating point argument: %s", gnuQuote(a))
		}
		nums = append(nums, n)
	}
	first, step, last := seqNum{text: "1", width: 1}, seqNum{text: "1", width: 1}, nums[len(nums)-1]
	if len(nums) >= 2 {
		first = nums[0]
	}
	if len(nums) == 3 {
		step = nums[1]
	}
	// Computed exactly, scaled by 10^scale; printed with as many decimals
	// as FIRST or INCREMENT has (LAST's only bound the sequence).
	prec := max(first.decimals, step.decimals)
	scale := max(prec, last.decimals)
	scaled := func(n seqNum) *big.Int {
		digits := strings.Replace(strings.TrimPrefix(n.text, "+"), ".", "", 1)
		v, _ := new(big.Int).SetString(digits, 10)
		return v.Mul(v, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale-n.decimals)), nil))
	}
	stepText := "1"
	if len(operands) == 3 {
		stepText = operands[1]
	}
	return seqPrint(p, scaled(first), scaled(step), scaled(last), scale, prec, sep, equal, first, last, stepText)
}

func seqPrint(p *Proc, first, step, last *big.Int, scaleDigits, prec int, sep string, equal bool, f, l seqNum, stepText string) int {
	if step.Sign() == 0 {
		// GNU names the increment as given.
		fmt.Fprintf(p.Stderr, "seq: invalid Zero increment value: %s\nTry 'seq --help' for more information.\n", gnuQuote(stepText))
		return 1
	}
	width := 0
	if equal {
		fw := f.width + (prec - f.decimals)
		lw := l.width + (prec - l.decimals)
		if l.decimals > 0 && prec == 0 {
			lw--
		}
		if l.decimals == 0 && prec > 0 {
			lw++
		}
		if f.decimals == 0 && prec > 0 {
			fw++
		}
		width = max(fw, lw)
	}
	format := func(v *big.Int) string {
		// v is scaled by 10^scaleDigits; print with prec decimals.
		neg := v.Sign() < 0
		digits := new(big.Int).Abs(v).String()
		if len(digits) <= scaleDigits {
			digits = strings.Repeat("0", scaleDigits-len(digits)+1) + digits
		}
		intPart, frac := digits[:len(digits)-scaleDigits], digits[len(digits)-scaleDigits:]
		frac = frac[:prec]
		s := intPart
		if prec > 0 {
			s += "." + frac
		}
		if neg && strings.Trim(s, "0.") != "" {
			s = "-" + s
		}
		if len(s) < width {
			if strings.HasPrefix(s, "-") {
				s = "-" + strings.Repeat("0", width-len(s)) + s[1:]
			} else {
				s = strings.Repeat("0", width-len(s)) + s
			}
		}
		return s
	}
	var out strings.Builder
	x := new(big.Int).Set(first)
	n := 0
	for step.Sign() > 0 && x.Cmp(last) <= 0 || step.Sign() < 0 && x.Cmp(last) >= 0 {
		if n == seqMax {
			io.WriteString(p.Stdout, out.String())
			fmt.Fprintf(p.Stderr, "seq: miplay prints at most %d numbers at a time\n", seqMax)
			return 1
		}
		if n > 0 {
			out.WriteString(sep)
		}
		out.WriteString(format(x))
		x.Add(x, step)
		n++
	}
	if n > 0 {
		out.WriteString("\n")
	}
	io.WriteString(p.Stdout, out.String())
	return 0
}

// seqUnsimulated are numbers GNU seq reads that miplay does not:
// exponents, hexadecimal, infinities.
var seqUnsimulated = lazyRegexp(`^[+-]?((\d+\.?\d*|\.\d+)[eE][+-]?\d+|0[xX][0-9a-fA-F.]+([pP][+-]?\d+)?|(?i:inf|infinity|nan))$`)

// parseSeqNum reads a decimal operand: an optional sign, digits and an
// optional fraction.
func parseSeqNum(a string) (seqNum, bool) {
	s := strings.TrimLeft(a, " \t")
	body := strings.TrimPrefix(strings.TrimPrefix(s, "+"), "-")
	intPart, frac, hasDot := strings.Cut(body, ".")
	if intPart == "" && frac == "" {
		return seqNum{}, false
	}
	for _, part := range []string{intPart, frac} {
		for _, c := range part {
			if c < '0' || c > '9' {
				return seqNum{}, false
			}
		}
	}
	text := s
	if intPart == "" {
		text = strings.Replace(s, ".", "0.", 1)
	}
	n := seqNum{text: text, width: len(text)}
	if hasDot {
		n.decimals = len(frac)
		if frac == "" {
			n.width-- // "5." prints as "5"
		}
	}
	if strings.HasPrefix(text, "+") {
		n.width--
	}
	return n, true
}
