package shell

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"github.com/miplay/miplay/engine"
)

// The small programs of GNU coreutils that tutorials pipe az and curl
// into. Each keeps GNU's output and messages for what it models and
// refuses the rest by name.

func registerCoreutils() {
	for _, c := range []*Command{
		{Name: "cat", Summary: "Print files or standard input.", Synopsis: "cat [FILE]...",
			Simulates: "Concatenating files of the host's in-memory file system and standard input (`-` or no file). Formatting options are not simulated.",
			Flags:     flagsOf(catOpts), Run: runCat},
		{Name: "base64", Summary: "Encode or decode Base64.", Synopsis: "base64 [-d] [-w COLS] [FILE]",
			Simulates: "GNU base64: standard alphabet, output wrapped at 76 columns unless -w says otherwise; -d stops with `base64: invalid input` (exit 1) at the first character outside the alphabet or a missing padding, after printing what it decoded, as GNU does with the unpadded Base64url of a JWT.",
			Flags:     flagsOf(base64Opts), Run: runBase64},
		{Name: "cut", Summary: "Print selected fields, characters or bytes of each line.", Synopsis: "cut -d DELIM -f LIST [FILE]...",
			Simulates: "Fields (-f, with -d and -s), characters (-c) and bytes (-b) with GNU's LIST syntax (N, N-M, N-, -M, comma-separated).",
			Flags:     flagsOf(cutOpts), Run: runCut},
		{Name: "head", Summary: "Print the first lines or bytes of input.", Synopsis: "head [-n N] [-c N] [FILE]...",
			Simulates: "-n and -c with positive counts (and the old `-N` form); headers between several files.",
			Flags:     flagsOf(headOpts), Run: runHead},
		{Name: "tr", Summary: "Translate or delete characters.", Synopsis: "tr [-d] [-s] SET1 [SET2]",
			Simulates: "Single-byte sets with ranges (a-z), escapes (\\n, \\t, \\\\) and the classes [:lower:], [:upper:], [:digit:], [:alpha:], [:alnum:], [:space:]; -d deletes, -s squeezes. SET2 shorter than SET1 is padded with its last character, as in GNU.",
			Flags:     flagsOf(trOpts), Run: runTr},
		{Name: "printenv", Summary: "Print environment variables.", Synopsis: "printenv [NAME]...",
			Simulates: "The exported variables of the host's shell, sorted by name (a real printenv prints them in environment order).",
			Run:       runPrintenv},
		{Name: "env", Summary: "Print the environment, or run a command in a changed one.", Synopsis: "env [-i] [-u NAME] [NAME=VALUE]... [COMMAND [ARG]...]",
			Simulates: "Printing the exported variables (sorted by name) and running a simulated command with variables set, unset (-u) or cleared (-i).",
			Flags:     flagsOf(envOpts), Run: runEnv},
		{Name: "hostname", Summary: "Print the host's name.", Synopsis: "hostname",
			Simulates: "The workstation's name, a VM's name, a scale set instance's computer name (prefix and six base-36 digits), or a web app container's ID. Setting it, and -i/-I/-f, are not simulated.",
			Run:       runHostname},
		{Name: "whoami", Summary: "Print the user name.", Synopsis: "whoami",
			Simulates: "The user the host's shell runs as: the admin's name on the workstation, azureuser on VMs, root in App Service's SSH console.",
			Run:       runWhoami},
		{Name: "date", Summary: "Print the simulated date and time.", Synopsis: "date [-u] [-d DATE] [+FORMAT]",
			Simulates: "The simulated clock, always in UTC: GNU's default format, +FORMAT with the common % directives, -I/--iso-8601, -R, --rfc-3339, and -d with `now`, `@SECONDS` or an RFC 3339 time. Relative dates (`-d '+1 hour'`) and setting the clock are not simulated.",
			Flags:     flagsOf(dateOpts), Run: runDate},
		{Name: "wc", Summary: "Count lines, words and bytes.", Synopsis: "wc [-l] [-w] [-c] [-m] [FILE]...",
			Simulates: "GNU wc's counts and column widths.",
			Flags:     flagsOf(wcOpts), Run: runWc},
		{Name: "sleep", Summary: "Advance the simulated clock.", Synopsis: "sleep NUMBER[SUFFIX]...",
			Simulates: "Moves the world's clock forward at once by the sum of its arguments (suffixes s, m, h, d; fractions allowed), as GNU sleep would wait: tokens expire, credentials rotate and role assignments propagate. `infinity` and more than 365 days at once are refused.",
			Run:       runSleep},
	} {
		register(c)
	}
}

// readInput reads a file operand, or standard input for "-".
func readInput(p *Proc, name string) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(p.Stdin)
	}
	return p.ReadFile(name)
}

// fileProblem words a file error as coreutils does: "No such file or directory".
func fileProblem(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

var catOpts = []opt{
	{short: 'n', long: "number", notSimulated: true, summary: "number the lines"},
	{short: 'b', long: "number-nonblank", notSimulated: true, summary: "number non-empty lines"},
	{short: 'A', long: "show-all", notSimulated: true, summary: "show non-printing characters"},
	{short: 'E', long: "show-ends", notSimulated: true, summary: "show $ at line ends"},
	{short: 's', long: "squeeze-blank", notSimulated: true, summary: "squeeze empty lines"},
	{short: 'T', long: "show-tabs", notSimulated: true, summary: "show tabs as ^I"},
	{short: 'v', long: "show-nonprinting", notSimulated: true, summary: "show control characters"},
	{short: 'e', notSimulated: true, summary: "-vE"},
	{short: 'u', summary: "ignored, as in GNU"},
}

func runCat(p *Proc, args []string) int {
	_, files, ok := parseOpts(p, "cat", args, catOpts)
	if !ok {
		return 1
	}
	if len(files) == 0 {
		files = []string{"-"}
	}
	status := 0
	for _, f := range files {
		b, err := readInput(p, f)
		if err != nil {
			fmt.Fprintf(p.Stderr, "cat: %s: %s\n", f, fileProblem(err))
			status = 1
			continue
		}
		p.Stdout.Write(b)
	}
	return status
}

var base64Opts = []opt{
	{short: 'd', long: "decode", summary: "decode data"},
	{short: 'w', long: "wrap", arg: "COLS", summary: "wrap encoded lines after COLS characters (0 disables)"},
	{short: 'i', long: "ignore-garbage", notSimulated: true, summary: "ignore non-alphabet characters when decoding"},
}

func runBase64(p *Proc, args []string) int {
	got, files, ok := parseOpts(p, "base64", args, base64Opts)
	if !ok {
		return 1
	}
	decode, wrap := false, 76
	for _, o := range got {
		switch o.short {
		case 'd':
			decode = true
		case 'w':
			n, err := strconv.Atoi(o.val)
			if err != nil || n < 0 {
				fmt.Fprintf(p.Stderr, "base64: invalid wrap size: '%s'\n", o.val)
				return 1
			}
			wrap = n
		}
	}
	if len(files) > 1 {
		fmt.Fprintf(p.Stderr, "base64: extra operand '%s'\nTry 'base64 --help' for more information.\n", files[1])
		return 1
	}
	name := "-"
	if len(files) == 1 {
		name = files[0]
	}
	in, err := readInput(p, name)
	if err != nil {
		fmt.Fprintf(p.Stderr, "base64: %s: %s\n", name, fileProblem(err))
		return 1
	}
	if decode {
		out, ok := gnuBase64Decode(in)
		p.Stdout.Write(out)
		if !ok {
			fmt.Fprintln(p.Stderr, "base64: invalid input")
			return 1
		}
		return 0
	}
	enc := base64.StdEncoding.EncodeToString(in)
	var b strings.Builder
	for wrap > 0 && len(enc) > wrap {
		b.WriteString(enc[:wrap])
		b.WriteByte('\n')
		enc = enc[wrap:]
	}
	b.WriteString(enc)
	if b.Len() > 0 {
		b.WriteByte('\n')
	}
	io.WriteString(p.Stdout, b.String())
	return 0
}

// gnuBase64Decode decodes as GNU base64 -d: newlines are skipped; at the
// first bad character or a truncated final group it returns what it
// decoded so far, the bits of a partial group included, and false.
func gnuBase64Decode(in []byte) ([]byte, bool) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	var out []byte
	var acc uint32
	n, pad := 0, 0
	for _, c := range in {
		if c == '\n' {
			continue
		}
		if c == '=' {
			if n < 2 {
				return out, false
			}
			pad++
			if n+pad == 4 {
				n, pad, acc = 0, 0, 0
			}
			continue
		}
		if pad > 0 {
			return out, false
		}
		v := strings.IndexByte(alphabet, c)
		if v < 0 {
			return out, false
		}
		acc = acc<<6 | uint32(v)
		n++
		switch n {
		case 2:
			out = append(out, byte(acc>>4))
		case 3:
			out = append(out, byte(acc>>2))
		case 4:
			out = append(out, byte(acc))
			n, acc = 0, 0
		}
	}
	return out, n == 0 && pad == 0
}

var cutOpts = []opt{
	{short: 'd', long: "delimiter", arg: "DELIM", summary: "use DELIM instead of TAB for field delimiter"},
	{short: 'f', long: "fields", arg: "LIST", summary: "select only these fields"},
	{short: 'c', long: "characters", arg: "LIST", summary: "select only these characters"},
	{short: 'b', long: "bytes", arg: "LIST", summary: "select only these bytes"},
	{short: 's', long: "only-delimited", summary: "do not print lines not containing delimiters"},
	{long: "output-delimiter", arg: "STRING", summary: "use STRING as the output delimiter"},
	{long: "complement", notSimulated: true, summary: "complement the set of selected fields"},
	{short: 'z', long: "zero-terminated", notSimulated: true, summary: "lines end with NUL"},
	{short: 'n', summary: "ignored, as in GNU"},
}

type span struct{ lo, hi int } // 1-based, inclusive; hi 0 means to the end

func parseList(list string) ([]span, string) {
	var out []span
	for _, part := range strings.Split(list, ",") {
		if part == "" {
			return nil, "invalid byte, character or field list"
		}
		lo, hi, isRange := strings.Cut(part, "-")
		var s span
		var err error
		switch {
		case !isRange:
			if s.lo, err = strconv.Atoi(lo); err != nil {
				return nil, fmt.Sprintf("invalid field value '%s'", part)
			}
			s.hi = s.lo
		default:
			s.lo = 1
			if lo != "" {
				if s.lo, err = strconv.Atoi(lo); err != nil {
					return nil, fmt.Sprintf("invalid field range")
				}
			}
			if hi != "" {
				if s.hi, err = strconv.Atoi(hi); err != nil {
					return nil, "invalid field range"
				}
				if s.hi < s.lo {
					return nil, "invalid decreasing range"
				}
			} else if lo == "" {
				return nil, "invalid range with no endpoint: -"
			}
		}
		if s.lo < 1 || (isRange && hi != "" && s.hi < 1) {
			return nil, "fields and positions are numbered from 1"
		}
		out = append(out, s)
	}
	return out, ""
}

func (s span) has(i int) bool { return i >= s.lo && (s.hi == 0 || i <= s.hi) }

func selected(spans []span, i int) bool {
	for _, s := range spans {
		if s.has(i) {
			return true
		}
	}
	return false
}

func runCut(p *Proc, args []string) int {
	got, files, ok := parseOpts(p, "cut", args, cutOpts)
	if !ok {
		return 1
	}
	fail := func(msg string) int {
		fmt.Fprintf(p.Stderr, "cut: %s\nTry 'cut --help' for more information.\n", msg)
		return 1
	}
	var mode byte
	var list string
	delim, onlyDelim := "\t", false
	outDelim, haveOutDelim := "", false
	delimSet := false
	for _, o := range got {
		switch {
		case o.short == 'f' || o.short == 'c' || o.short == 'b':
			if mode != 0 {
				return fail("only one list may be specified")
			}
			mode, list = o.short, o.val
		case o.short == 'd':
			if len(o.val) != 1 {
				return fail("the delimiter must be a single character")
			}
			delim, delimSet = o.val, true
		case o.short == 's':
			onlyDelim = true
		case o.long == "output-delimiter":
			outDelim, haveOutDelim = o.val, true
		}
	}
	if mode == 0 {
		return fail("you must specify a list of bytes, characters, or fields")
	}
	if mode != 'f' && (delimSet || onlyDelim) {
		return fail("an input delimiter may be specified only when operating on fields")
	}
	spans, msg := parseList(list)
	if msg != "" {
		return fail(msg)
	}
	if !haveOutDelim {
		outDelim = delim
		if mode != 'f' {
			outDelim = ""
		}
	}
	return eachLine(p, "cut", files, func(line string) {
		switch mode {
		case 'f':
			if !strings.Contains(line, delim) {
				if !onlyDelim {
					fmt.Fprintln(p.Stdout, line)
				}
				return
			}
			var keep []string
			for i, f := range strings.Split(line, delim) {
				if selected(spans, i+1) {
					keep = append(keep, f)
				}
			}
			fmt.Fprintln(p.Stdout, strings.Join(keep, outDelim))
		default:
			// Characters and bytes are the same in the C locale GNU cut uses.
			var b strings.Builder
			for i := 0; i < len(line); i++ {
				if selected(spans, i+1) {
					b.WriteByte(line[i])
				}
			}
			fmt.Fprintln(p.Stdout, b.String())
		}
	})
}

// eachLine calls f on each line of the files (standard input for none or
// "-"), without the newline.
func eachLine(p *Proc, cmd string, files []string, f func(string)) int {
	if len(files) == 0 {
		files = []string{"-"}
	}
	status := 0
	for _, name := range files {
		b, err := readInput(p, name)
		if err != nil {
			fmt.Fprintf(p.Stderr, "%s: %s: %s\n", cmd, name, fileProblem(err))
			status = 1
			continue
		}
		sc := bufio.NewScanner(bytes.NewReader(b))
		sc.Buffer(nil, len(b)+1)
		for sc.Scan() {
			f(sc.Text())
		}
	}
	return status
}

var headOpts = []opt{
	{short: 'n', long: "lines", arg: "N", summary: "print the first N lines"},
	{short: 'c', long: "bytes", arg: "N", summary: "print the first N bytes"},
	{short: 'q', long: "quiet", summary: "never print headers"},
	{short: 'v', long: "verbose", summary: "always print headers"},
	{short: 'z', long: "zero-terminated", notSimulated: true, summary: "lines end with NUL"},
}

func runHead(p *Proc, args []string) int {
	// The old form: head -5.
	if len(args) > 0 && len(args[0]) > 1 && args[0][0] == '-' {
		if _, err := strconv.Atoi(args[0][1:]); err == nil {
			args = append([]string{"-n", args[0][1:]}, args[1:]...)
		}
	}
	got, files, ok := parseOpts(p, "head", args, headOpts)
	if !ok {
		return 1
	}
	lines, bytesN, headers := 10, -1, len(files) > 1
	for _, o := range got {
		switch o.short {
		case 'n', 'c':
			n, err := strconv.Atoi(o.val)
			if err != nil || n < 0 {
				what := "lines"
				if o.short == 'c' {
					what = "bytes"
				}
				if strings.HasPrefix(o.val, "-") {
					fmt.Fprintf(p.Stderr, "head: negative counts (all but the last N %s) are not simulated in miplay\n", what)
					return 1
				}
				fmt.Fprintf(p.Stderr, "head: invalid number of %s: '%s'\n", what, o.val)
				return 1
			}
			if o.short == 'n' {
				lines, bytesN = n, -1
			} else {
				bytesN = n
			}
		case 'q':
			headers = false
		case 'v':
			headers = true
		}
	}
	if len(files) == 0 {
		files = []string{"-"}
	}
	status := 0
	for i, name := range files {
		b, err := readInput(p, name)
		if err != nil {
			fmt.Fprintf(p.Stderr, "head: cannot open '%s' for reading: %s\n", name, fileProblem(err))
			status = 1
			continue
		}
		if headers {
			if i > 0 {
				fmt.Fprintln(p.Stdout)
			}
			shown := name
			if name == "-" {
				shown = "standard input"
			}
			fmt.Fprintf(p.Stdout, "==> %s <==\n", shown)
		}
		if bytesN >= 0 {
			p.Stdout.Write(b[:min(bytesN, len(b))])
			continue
		}
		end := 0
		for n := 0; n < lines && end < len(b); n++ {
			if j := bytes.IndexByte(b[end:], '\n'); j >= 0 {
				end += j + 1
			} else {
				end = len(b)
			}
		}
		p.Stdout.Write(b[:end])
	}
	return status
}

var trOpts = []opt{
	{short: 'd', long: "delete", summary: "delete characters in SET1"},
	{short: 's', long: "squeeze-repeats", summary: "squeeze repeated characters of the last set"},
	{short: 'c', long: "complement", notSimulated: true, summary: "use the complement of SET1"},
	{short: 'C', notSimulated: true, summary: "use the complement of SET1"},
	{short: 't', long: "truncate-set1", notSimulated: true, summary: "truncate SET1 to the length of SET2"},
}

func runTr(p *Proc, args []string) int {
	got, sets, ok := parseOpts(p, "tr", args, trOpts)
	if !ok {
		return 1
	}
	del, squeeze := false, false
	for _, o := range got {
		switch o.short {
		case 'd':
			del = true
		case 's':
			squeeze = true
		}
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(p.Stderr, "tr: "+format+"\nTry 'tr --help' for more information.\n", a...)
		return 1
	}
	want := 2
	if del && !squeeze || !del && squeeze {
		want = 1
	}
	switch {
	case len(sets) == 0:
		return fail("missing operand")
	case len(sets) < want:
		if del || squeeze {
			return fail("missing operand after '%s'\nTwo strings must be given when both deleting and squeezing repeats.", sets[0])
		}
		return fail("missing operand after '%s'\nTwo strings must be given when translating.", sets[0])
	case len(sets) > want && !(squeeze && !del && len(sets) == 2):
		if del && !squeeze {
			return fail("extra operand '%s'\nOnly one string may be given when deleting without squeezing repeats.", sets[want])
		}
		return fail("extra operand '%s'", sets[len(sets)-1])
	}
	set1, msg := expandSet(sets[0])
	if msg != "" {
		return fail("%s", msg)
	}
	var set2 []byte
	if len(sets) > 1 {
		if set2, msg = expandSet(sets[1]); msg != "" {
			return fail("%s", msg)
		}
	}
	in, err := io.ReadAll(p.Stdin)
	if err != nil {
		return 1
	}
	var table [256]int
	for i := range table {
		table[i] = i
	}
	inSet1 := [256]bool{}
	for _, c := range set1 {
		inSet1[c] = true
	}
	translate := !del && len(set2) > 0
	if translate {
		if len(set2) == 0 {
			return fail("when not truncating set1, string2 must be non-empty")
		}
		for i, c := range set1 {
			j := min(i, len(set2)-1)
			table[c] = int(set2[j])
		}
	}
	squeezeSet := [256]bool{}
	last := set1
	if len(sets) > 1 {
		last = set2
	}
	for _, c := range last {
		squeezeSet[c] = true
	}
	out := make([]byte, 0, len(in))
	for _, c := range in {
		if del && inSet1[c] {
			continue
		}
		if translate {
			c = byte(table[c])
		}
		if squeeze && squeezeSet[c] && len(out) > 0 && out[len(out)-1] == c {
			continue
		}
		out = append(out, c)
	}
	p.Stdout.Write(out)
	return 0
}

// expandSet expands a tr set: escapes, ranges and a few classes.
func expandSet(s string) ([]byte, string) {
	classes := map[string]string{
		"lower": "abcdefghijklmnopqrstuvwxyz", "upper": "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "digit": "0123456789",
		"space": " \t\n\v\f\r", "blank": " \t",
	}
	classes["alpha"] = classes["lower"] + classes["upper"]
	classes["alnum"] = classes["alpha"] + classes["digit"]
	var raw []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '[' && i+1 < len(s) && s[i+1] == ':' {
			if end := strings.Index(s[i+2:], ":]"); end >= 0 {
				name := s[i+2 : i+2+end]
				set, ok := classes[name]
				if !ok {
					if strings.Contains("cntrl graph print punct xdigit", name) && name != "" {
						return nil, fmt.Sprintf("the class [:%s:] is not simulated in miplay", name)
					}
					return nil, fmt.Sprintf("invalid character class '%s'", name)
				}
				raw = append(raw, set...)
				i += end + 3
				continue
			}
		}
		if c == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 'n':
				c = '\n'
			case 't':
				c = '\t'
			case 'r':
				c = '\r'
			case '\\':
				c = '\\'
			default:
				c = s[i]
			}
		}
		if i+2 < len(s) && s[i+1] == '-' {
			hi := s[i+2]
			if hi < c {
				return nil, fmt.Sprintf("range-endpoints of '%c-%c' are in reverse collating sequence order", c, hi)
			}
			for x := int(c); x <= int(hi); x++ {
				raw = append(raw, byte(x))
			}
			i += 2
			continue
		}
		raw = append(raw, c)
	}
	return raw, ""
}

func runPrintenv(p *Proc, args []string) int {
	for _, a := range args {
		if strings.HasPrefix(a, "-") {
			fmt.Fprintf(p.Stderr, "printenv: option %s is not simulated in miplay\n", a)
			return 2
		}
	}
	env := p.Environ()
	if len(args) == 0 {
		for _, kv := range env {
			fmt.Fprintln(p.Stdout, kv)
		}
		return 0
	}
	status := 0
	for _, name := range args {
		found := false
		for _, kv := range env {
			if k, v, _ := strings.Cut(kv, "="); k == name {
				fmt.Fprintln(p.Stdout, v)
				found = true
				break
			}
		}
		if !found {
			status = 1
		}
	}
	return status
}

var envOpts = []opt{
	{short: 'i', long: "ignore-environment", summary: "start with an empty environment"},
	{short: 'u', long: "unset", arg: "NAME", summary: "remove NAME from the environment"},
	{short: '0', long: "null", notSimulated: true, summary: "end each output line with NUL"},
	{short: 'C', long: "chdir", arg: "DIR", notSimulated: true, summary: "change the working directory"},
	{short: 'S', long: "split-string", arg: "S", notSimulated: true, summary: "split S into arguments"},
}

func runEnv(p *Proc, args []string) int {
	// Options stop at the first NAME=VALUE or command, as in GNU env.
	i := 0
	for i < len(args) && strings.HasPrefix(args[i], "-") && args[i] != "-" {
		if args[i] == "--" {
			i++
			break
		}
		if (args[i] == "-u" || args[i] == "--unset") && i+1 < len(args) {
			i += 2
			continue
		}
		i++
	}
	got, _, ok := parseOpts(p, "env", args[:i], envOpts)
	if !ok {
		return 125
	}
	vars := map[string]string{}
	var order []string
	set := func(k, v string) {
		if _, ok := vars[k]; !ok {
			order = append(order, k)
		}
		vars[k] = v
	}
	clear := false
	for _, o := range got {
		if o.short == 'i' {
			clear = true
		}
	}
	if !clear {
		for _, kv := range p.Environ() {
			k, v, _ := strings.Cut(kv, "=")
			set(k, v)
		}
	}
	for _, o := range got {
		if o.short == 'u' {
			delete(vars, o.val)
		}
	}
	rest := args[i:]
	for len(rest) > 0 && strings.Contains(rest[0], "=") {
		k, v, _ := strings.Cut(rest[0], "=")
		set(k, v)
		rest = rest[1:]
	}
	var list []string
	for _, k := range sortedNames(vars) {
		list = append(list, k+"="+vars[k])
	}
	if len(rest) == 0 {
		for _, kv := range list {
			fmt.Fprintln(p.Stdout, kv)
		}
		return 0
	}
	child := *p
	child.Environ = func() []string { return list }
	child.Getenv = func(name string) string { return vars[name] }
	c := lookup(rest[0])
	if c == nil {
		if realPrograms()[rest[0]] || interpBuiltin(rest[0]) {
			fmt.Fprintf(p.Stderr, "env: '%s': not simulated in miplay\n", rest[0])
			return 127
		}
		fmt.Fprintf(p.Stderr, "env: '%s': No such file or directory\n", rest[0])
		return 127
	}
	return runCommand(&child, c, rest[1:])
}

func runHostname(p *Proc, args []string) int {
	if len(args) > 0 {
		if strings.HasPrefix(args[0], "-") {
			fmt.Fprintf(p.Stderr, "hostname: option %s is not simulated in miplay\n", args[0])
			return 1
		}
		fmt.Fprintln(p.Stderr, "hostname: you must be root to change the host name")
		return 1
	}
	fmt.Fprintln(p.Stdout, p.shellBase().hostname)
	return 0
}

func runWhoami(p *Proc, args []string) int {
	if len(args) > 0 {
		fmt.Fprintf(p.Stderr, "whoami: extra operand '%s'\nTry 'whoami --help' for more information.\n", args[0])
		return 1
	}
	fmt.Fprintln(p.Stdout, p.shellBase().user)
	return 0
}

// shellBase returns the host's starting environment.
func (p *Proc) shellBase() hostBase {
	if p.shell != nil {
		return p.shell.base
	}
	var b hostBase
	p.Cloud.Do(func(w *engine.World) { b, _ = baseFor(w, p.Host) })
	return b
}

var dateOpts = []opt{
	{short: 'u', long: "utc", summary: "print Coordinated Universal Time (always the case in miplay)"},
	{short: 'd', long: "date", arg: "STRING", summary: "display the time described by STRING: now, @SECONDS or RFC 3339"},
	{short: 'I', long: "iso-8601", summary: "ISO 8601 date; -Iseconds, -Iminutes, -Ihours, -Ins for more"},
	{short: 'R', long: "rfc-email", summary: "RFC 5322 format"},
	{long: "rfc-3339", arg: "FMT", summary: "RFC 3339 format: date, seconds or ns"},
	{short: 's', long: "set", arg: "STRING", notSimulated: true, summary: "set the time"},
	{short: 'r', long: "reference", arg: "FILE", notSimulated: true, summary: "last modification time of FILE"},
	{short: 'f', long: "file", arg: "DATEFILE", notSimulated: true, summary: "like --date once for each line of DATEFILE"},
}

func runDate(p *Proc, args []string) int {
	// -I takes an optional attached argument, which getopt cannot say.
	iso := ""
	var rest []string
	for _, a := range args {
		switch {
		case a == "-I" || a == "--iso-8601":
			iso = "date"
		case strings.HasPrefix(a, "-I") && !strings.HasPrefix(a, "--"):
			iso = a[2:]
		case strings.HasPrefix(a, "--iso-8601="):
			iso = strings.TrimPrefix(a, "--iso-8601=")
		default:
			rest = append(rest, a)
		}
	}
	got, operands, ok := parseOpts(p, "date", rest, dateOpts)
	if !ok {
		return 1
	}
	t := p.Session.Now().UTC()
	format := "%a %b %e %H:%M:%S %Z %Y"
	for _, o := range got {
		switch {
		case o.short == 'd':
			d, ok := parseDate(t, o.val)
			if !ok {
				if strings.ContainsAny(o.val, "+-") || strings.Contains(o.val, " ") {
					fmt.Fprintf(p.Stderr, "date: relative dates ('%s') are not simulated in miplay: use now, @SECONDS or an RFC 3339 time\n", o.val)
				} else {
					fmt.Fprintf(p.Stderr, "date: invalid date '%s'\n", o.val)
				}
				return 1
			}
			t = d
		case o.short == 'R':
			format = "%a, %d %b %Y %H:%M:%S %z"
		case o.long == "rfc-3339":
			switch o.val {
			case "date":
				format = "%F"
			case "seconds":
				format = "%F %T%:z"
			case "ns":
				format = "%F %T.%N%:z"
			default:
				fmt.Fprintf(p.Stderr, "date: invalid argument '%s' for '--rfc-3339'\n", o.val)
				return 1
			}
		}
	}
	switch iso {
	case "":
	case "date":
		format = "%F"
	case "hours":
		format = "%FT%H%:z"
	case "minutes":
		format = "%FT%H:%M%:z"
	case "seconds":
		format = "%FT%T%:z"
	case "ns":
		format = "%FT%T,%N%:z"
	default:
		fmt.Fprintf(p.Stderr, "date: invalid argument '%s' for '--iso-8601'\n", iso)
		return 1
	}
	if len(operands) > 1 {
		fmt.Fprintf(p.Stderr, "date: extra operand '%s'\nTry 'date --help' for more information.\n", operands[1])
		return 1
	}
	if len(operands) == 1 {
		if !strings.HasPrefix(operands[0], "+") {
			fmt.Fprintf(p.Stderr, "date: setting the clock is not simulated in miplay (use sleep to move it forward)\n")
			return 1
		}
		format = operands[0][1:]
	}
	fmt.Fprintln(p.Stdout, strftime(t, format))
	return 0
}

// parseDate understands the forms of -d miplay models.
func parseDate(now time.Time, s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	switch {
	case s == "now" || s == "":
		return now, true
	case strings.HasPrefix(s, "@"):
		sec, err := strconv.ParseFloat(s[1:], 64)
		if err != nil {
			return time.Time{}, false
		}
		return time.Unix(0, int64(sec*1e9)).UTC(), true
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// strftime formats t as GNU date does for the common directives.
func strftime(t time.Time, format string) string {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' || i+1 == len(format) {
			b.WriteByte(c)
			continue
		}
		i++
		if format[i] == ':' && i+1 < len(format) && format[i+1] == 'z' {
			b.WriteString(t.Format("-07:00"))
			i++
			continue
		}
		switch format[i] {
		case '%':
			b.WriteByte('%')
		case 'a':
			b.WriteString(t.Format("Mon"))
		case 'A':
			b.WriteString(t.Format("Monday"))
		case 'b', 'h':
			b.WriteString(t.Format("Jan"))
		case 'B':
			b.WriteString(t.Format("January"))
		case 'c':
			b.WriteString(strftime(t, "%a %b %e %H:%M:%S %Y"))
		case 'C':
			fmt.Fprintf(&b, "%02d", t.Year()/100)
		case 'd':
			fmt.Fprintf(&b, "%02d", t.Day())
		case 'D':
			b.WriteString(strftime(t, "%m/%d/%y"))
		case 'e':
			fmt.Fprintf(&b, "%2d", t.Day())
		case 'F':
			b.WriteString(strftime(t, "%Y-%m-%d"))
		case 'H':
			fmt.Fprintf(&b, "%02d", t.Hour())
		case 'I':
			fmt.Fprintf(&b, "%02d", (t.Hour()+11)%12+1)
		case 'j':
			fmt.Fprintf(&b, "%03d", t.YearDay())
		case 'k':
			fmt.Fprintf(&b, "%2d", t.Hour())
		case 'l':
			fmt.Fprintf(&b, "%2d", (t.Hour()+11)%12+1)
		case 'm':
			fmt.Fprintf(&b, "%02d", int(t.Month()))
		case 'M':
			fmt.Fprintf(&b, "%02d", t.Minute())
		case 'n':
			b.WriteByte('\n')
		case 'N':
			fmt.Fprintf(&b, "%09d", t.Nanosecond())
		case 'p':
			b.WriteString(t.Format("PM"))
		case 'r':
			b.WriteString(strftime(t, "%I:%M:%S %p"))
		case 'R':
			b.WriteString(strftime(t, "%H:%M"))
		case 's':
			fmt.Fprintf(&b, "%d", t.Unix())
		case 'S':
			fmt.Fprintf(&b, "%02d", t.Second())
		case 't':
			b.WriteByte('\t')
		case 'T':
			b.WriteString(strftime(t, "%H:%M:%S"))
		case 'u':
			wd := int(t.Weekday())
			if wd == 0 {
				wd = 7
			}
			fmt.Fprintf(&b, "%d", wd)
		case 'w':
			fmt.Fprintf(&b, "%d", int(t.Weekday()))
		case 'x':
			b.WriteString(strftime(t, "%m/%d/%y"))
		case 'X':
			b.WriteString(strftime(t, "%H:%M:%S"))
		case 'y':
			fmt.Fprintf(&b, "%02d", t.Year()%100)
		case 'Y':
			fmt.Fprintf(&b, "%d", t.Year())
		case 'z':
			b.WriteString(t.Format("-0700"))
		case 'Z':
			b.WriteString(t.Format("MST"))
		default:
			b.WriteByte('%')
			b.WriteByte(format[i])
		}
	}
	return b.String()
}

var wcOpts = []opt{
	{short: 'l', long: "lines", summary: "print the newline counts"},
	{short: 'w', long: "words", summary: "print the word counts"},
	{short: 'c', long: "bytes", summary: "print the byte counts"},
	{short: 'm', long: "chars", summary: "print the character counts"},
	{short: 'L', long: "max-line-length", notSimulated: true, summary: "print the maximum display width"},
}

func runWc(p *Proc, args []string) int {
	got, files, ok := parseOpts(p, "wc", args, wcOpts)
	if !ok {
		return 1
	}
	var show [4]bool // lines, words, chars, bytes: GNU's column order
	for _, o := range got {
		switch o.short {
		case 'l':
			show[0] = true
		case 'w':
			show[1] = true
		case 'm':
			show[2] = true
		case 'c':
			show[3] = true
		}
	}
	if show == [4]bool{} {
		show = [4]bool{true, true, false, true}
	}
	names := files
	if len(names) == 0 {
		names = []string{"-"}
	}
	type row struct {
		counts [4]int
		name   string
	}
	var rows []row
	var total [4]int
	status, sawStdin, size := 0, false, 0
	for _, name := range names {
		b, err := readInput(p, name)
		if err != nil {
			fmt.Fprintf(p.Stderr, "wc: %s: %s\n", name, fileProblem(err))
			status = 1
			continue
		}
		if name == "-" {
			sawStdin = true
		} else {
			size += len(b)
		}
		c := [4]int{bytes.Count(b, []byte{'\n'}), len(bytes.Fields(b)), len([]rune(string(b))), len(b)}
		for i := range total {
			total[i] += c[i]
		}
		shown := name
		if len(files) == 0 {
			shown = ""
		}
		rows = append(rows, row{c, shown})
	}
	if len(names) > 1 {
		rows = append(rows, row{total, "total"})
	}
	nshow := 0
	for _, s := range show {
		if s {
			nshow++
		}
	}
	// GNU sizes the columns from the files' total size, or 7 for a pipe.
	width := len(strconv.Itoa(size))
	if sawStdin {
		width = max(width, 7)
	}
	if nshow == 1 && len(rows) == 1 {
		width = 1
	}
	for _, r := range rows {
		var cols []string
		for i, s := range show {
			if s {
				cols = append(cols, fmt.Sprintf("%*d", width, r.counts[i]))
			}
		}
		line := strings.Join(cols, " ")
		if r.name != "" {
			line += " " + r.name
		}
		fmt.Fprintln(p.Stdout, line)
	}
	return status
}

// maxSleep bounds one sleep: the clock moves in one step, and the
// engine's background work (credential rotation) runs for all of it.
const maxSleep = 365 * 24 * time.Hour

func runSleep(p *Proc, args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(p.Stderr, "sleep: missing operand\nTry 'sleep --help' for more information.")
		return 1
	}
	var total time.Duration
	bad := false
	for _, a := range args {
		if a == "inf" || a == "infinity" {
			fmt.Fprintln(p.Stderr, "sleep: sleeping forever is not simulated in miplay")
			return 1
		}
		d, ok := parseSleep(a)
		if !ok {
			fmt.Fprintf(p.Stderr, "sleep: invalid time interval '%s'\n", a)
			bad = true
			continue
		}
		total += d
		if total > maxSleep {
			fmt.Fprintln(p.Stderr, "sleep: miplay moves the clock at most 365 days at a time")
			return 1
		}
	}
	if bad {
		fmt.Fprintln(p.Stderr, "Try 'sleep --help' for more information.")
		return 1
	}
	if err := p.Ctx.Err(); err != nil {
		return 130
	}
	var err error
	p.Cloud.Do(func(w *engine.World) { err = w.Advance(total) })
	if err != nil {
		fmt.Fprintf(p.Stderr, "sleep: %v\n", err)
		return 1
	}
	return 0
}

// parseSleep reads one GNU sleep argument: a non-negative decimal number
// and an optional s, m, h or d.
func parseSleep(a string) (time.Duration, bool) {
	unit := time.Second
	switch {
	case strings.HasSuffix(a, "s"):
		a = a[:len(a)-1]
	case strings.HasSuffix(a, "m"):
		unit, a = time.Minute, a[:len(a)-1]
	case strings.HasSuffix(a, "h"):
		unit, a = time.Hour, a[:len(a)-1]
	case strings.HasSuffix(a, "d"):
		unit, a = 24*time.Hour, a[:len(a)-1]
	}
	if a == "" || strings.ContainsAny(a, "eExXpP_") || strings.HasPrefix(a, "-") {
		return 0, false
	}
	f, err := strconv.ParseFloat(a, 64)
	if err != nil || f < 0 || f > float64(maxSleep)/float64(unit)+1 {
		if err == nil && f >= 0 {
			return maxSleep + time.Second, true
		}
		return 0, false
	}
	return time.Duration(f * float64(unit)), true
}

func interpBuiltin(name string) bool {
	switch name {
	case "echo", "printf", "test", "[", "true", "false", "pwd", "cd", "read", "export", "set", "unset", "eval", "source", ".", "exit":
		return true
	}
	return false
}
