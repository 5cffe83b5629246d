package shell

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/itchyny/gojq"
)

// jq is github.com/itchyny/gojq behind jq 1.7's command line and output
// format. gojq keeps objects as Go maps, so the key order jq would keep is
// restored at output time from the order keys had in the input and in the
// filter's object constructions (see keyOrder).

var jqOpts = []Flag{
	{Name: "--raw-output", Short: "-r", Summary: "print strings without quotes"},
	{Name: "--join-output", Short: "-j", Summary: "like -r, without newlines"},
	{Name: "--compact-output", Short: "-c", Summary: "one line per value"},
	{Name: "--slurp", Short: "-s", Summary: "read all inputs into one array"},
	{Name: "--raw-input", Short: "-R", Summary: "read lines as strings"},
	{Name: "--null-input", Short: "-n", Summary: "run the filter once, on null"},
	{Name: "--exit-status", Short: "-e", Summary: "exit 1 if the last output is false or null, 4 if there was none"},
	{Name: "--sort-keys", Short: "-S", Summary: "sort object keys"},
	{Name: "--ascii-output", Short: "-a", Summary: "escape non-ASCII characters"},
	{Name: "--monochrome-output", Short: "-M", Summary: "accepted; colors are never printed"},
	{Name: "--tab", Summary: "indent with tabs"},
	{Name: "--indent", Arg: "N", Summary: "indent with N spaces (0 to 7)"},
	{Name: "--arg", Arg: "NAME VALUE", Summary: "bind $NAME to the string VALUE"},
	{Name: "--argjson", Arg: "NAME JSON", Summary: "bind $NAME to a JSON value"},
	{Name: "--slurpfile", Arg: "NAME FILE", Summary: "bind $NAME to the array of the JSON values in FILE"},
	{Name: "--rawfile", Arg: "NAME FILE", Summary: "bind $NAME to the text of FILE"},
	{Name: "--args", Summary: "the remaining arguments are strings in $ARGS.positional"},
	{Name: "--jsonargs", Summary: "the remaining arguments are JSON values in $ARGS.positional"},
	{Name: "--from-file", Short: "-f", Arg: "FILE", Summary: "read the filter from FILE"},
	{Name: "--color-output", Short: "-C", Summary: "not simulated: colored output"},
	{Name: "--seq", Summary: "not simulated: RFC 7464 output"},
	{Name: "--stream", Summary: "not simulated: streaming parse"},
	{Name: "--raw-output0", Summary: "not simulated: NUL after each output"},
}

func registerJq() {
	register(&Command{
		Name:     "jq",
		Summary:  "Filter JSON: jq 1.7 on gojq.",
		Synopsis: "jq [options] [FILTER] [FILE]...",
		Simulates: "jq 1.7's command line, output format (two-space indentation, keys in input order, colors off) and exit statuses (2 usage, 3 compile error, 5 runtime or input error, -e's 1 and 4). " +
			"`env` and `$ENV` are the host's exported variables; `now` is the simulated clock. The language is gojq's: runtime error texts are gojq's (`expected an object but got: string (\"x\")` where jq says `Cannot index string with \"x\"`), keys of objects built by `to_entries`-style functions come out sorted, and modules are not simulated.",
		Flags: jqOpts,
		Run:   runJq,
	})
}

type jqConfig struct {
	filter                            string
	haveFilter                        bool
	files                             []string
	raw, join, compact, slurp, rawIn  bool
	null, exitStatus, sortKeys, ascii bool
	tab                               bool
	indent                            int
	varNames                          []string
	varValues                         []any
	named                             map[string]any
	positional                        []any
}

// jqSwitches are the options that only turn something on, by long and
// short name.
var jqSwitches = []struct {
	long  string
	short rune
	set   func(*jqConfig)
}{
	{"--raw-output", 'r', func(c *jqConfig) { c.raw = true }},
	{"--join-output", 'j', func(c *jqConfig) { c.raw, c.join = true, true }},
	{"--compact-output", 'c', func(c *jqConfig) { c.compact = true }},
	{"--slurp", 's', func(c *jqConfig) { c.slurp = true }},
	{"--raw-input", 'R', func(c *jqConfig) { c.rawIn = true }},
	{"--null-input", 'n', func(c *jqConfig) { c.null = true }},
	{"--exit-status", 'e', func(c *jqConfig) { c.exitStatus = true }},
	{"--sort-keys", 'S', func(c *jqConfig) { c.sortKeys = true }},
	{"--ascii-output", 'a', func(c *jqConfig) { c.ascii = true }},
	{"--monochrome-output", 'M', func(*jqConfig) {}}, // colors are always off
	{"--tab", 0, func(c *jqConfig) { c.tab = true }},
}

// jqSwitch sets the switch with this long name, or this short one.
func (c *jqConfig) jqSwitch(long string, short rune) bool {
	for _, s := range jqSwitches {
		if (long != "" && s.long == long) || (short != 0 && s.short == short) {
			s.set(c)
			return true
		}
	}
	return false
}

func jqUsage(p *Proc, msg string) int {
	fmt.Fprintf(p.Stderr, "jq: %s\nUse jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://jqlang.github.io/jq\n", msg)
	return 2
}

func parseJqArgs(p *Proc, args []string) (*jqConfig, int) {
	c := &jqConfig{indent: 2, named: map[string]any{}}
	bind := func(name string, v any) {
		c.varNames = append(c.varNames, "$"+name)
		c.varValues = append(c.varValues, v)
		c.named[name] = v
	}
	restArgs, restJSON := false, false
	for i := 0; i < len(args); i++ {
		a := args[i]
		need := func(n int) ([]string, bool) {
			if i+n >= len(args) {
				return nil, false
			}
			vals := args[i+1 : i+1+n]
			i += n
			return vals, true
		}
		// fromFile is -f FILE: the filter is read from FILE, and a filter
		// given before it is one more input file.
		fromFile := func() int {
			v, ok := need(1)
			if !ok {
				return jqUsage(p, "-f takes a parameter")
			}
			if c.haveFilter {
				c.files = append(c.files, c.filter)
			}
			data, err := p.ReadFile(v[0])
			if err != nil {
				fmt.Fprintf(p.Stderr, "jq: error: Could not open %s: %s\n", v[0], fileProblem(err))
				return 2
			}
			c.filter, c.haveFilter = string(data), true
			return 0
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			switch {
			case !c.haveFilter:
				c.filter, c.haveFilter = a, true
			case restArgs:
				c.positional = append(c.positional, a)
			case restJSON:
				v, err := decodeOne(a)
				if err != nil {
					fmt.Fprintf(p.Stderr, "jq: Invalid JSON text passed to --jsonargs\n")
					return nil, 2
				}
				c.positional = append(c.positional, v)
			default:
				c.files = append(c.files, a)
			}
			continue
		}
		if a == "--" {
			for _, rest := range args[i+1:] {
				if !c.haveFilter {
					c.filter, c.haveFilter = rest, true
				} else if restArgs {
					c.positional = append(c.positional, rest)
				} else {
					c.files = append(c.files, rest)
				}
			}
			break
		}
		if strings.HasPrefix(a, "--") {
			if c.jqSwitch(a, 0) {
				continue
			}
			switch a {
			case "--args":
				restArgs, restJSON = true, false
			case "--jsonargs":
				restArgs, restJSON = false, true
			case "--indent":
				v, ok := need(1)
				if !ok {
					return nil, jqUsage(p, "--indent takes one parameter")
				}
				n, err := strconv.Atoi(v[0])
				if err != nil || n < -1 || n > 7 {
					return nil, jqUsage(p, "Cannot indent more than 7 characters")
				}
				c.indent = n
			case "--arg":
				v, ok := need(2)
				if !ok {
					return nil, jqUsage(p, "--arg takes two parameters (e.g. --arg varname value)")
				}
				bind(v[0], v[1])
			case "--argjson":
				v, ok := need(2)
				if !ok {
					return nil, jqUsage(p, "--argjson takes two parameters (e.g. --argjson varname text)")
				}
				val, err := decodeOne(v[1])
				if err != nil {
					return nil, jqUsage(p, "Invalid JSON text passed to --argjson")
				}
				bind(v[0], val)
			case "--slurpfile", "--rawfile":
				v, ok := need(2)
				if !ok {
					return nil, jqUsage(p, a+" takes two parameters (e.g. "+a+" varname filename)")
				}
				data, err := p.ReadFile(v[1])
				if err != nil {
					fmt.Fprintf(p.Stderr, "jq: error: Could not open %s: %s\n", v[1], fileProblem(err))
					return nil, 2
				}
				if a == "--rawfile" {
					bind(v[0], string(data))
					continue
				}
				vals, _, perr := decodeAll(data, nil)
				if perr != "" {
					fmt.Fprintf(p.Stderr, "jq: Bad JSON in --slurpfile %s %s: %s\n", v[0], v[1], perr)
					return nil, 2
				}
				bind(v[0], vals)
			case "--from-file":
				if code := fromFile(); code != 0 {
					return nil, code
				}
			case "--color-output", "--seq", "--stream", "--raw-output0", "--stream-errors", "--unbuffered", "--ascii", "--debug-dump-disasm", "--debug-trace":
				if a == "--unbuffered" {
					continue
				}
				fmt.Fprintf(p.Stderr, "jq: option %s is not simulated in miplay\n", a)
				return nil, 2
			default:
				return nil, jqUsage(p, "Unknown option: "+a)
			}
			continue
		}
		for _, ch := range a[1:] {
			if c.jqSwitch("", ch) {
				continue
			}
			switch ch {
			case 'f':
				if code := fromFile(); code != 0 {
					return nil, code
				}
			case 'C':
				fmt.Fprintln(p.Stderr, "jq: option -C is not simulated in miplay")
				return nil, 2
			default:
				return nil, jqUsage(p, "Unknown option: "+a)
			}
		}
	}
	if !c.haveFilter {
		c.filter = "."
	}
	return c, 0
}

// jqInput is one input value and where it ended, for error positions.
type jqInput struct {
	v    any
	line int
}

func runJq(p *Proc, args []string) int {
	c, code := parseJqArgs(p, args)
	if c == nil {
		return code
	}
	order := newKeyOrder()
	q, err := gojq.Parse(c.filter)
	if err != nil {
		return jqCompileError(p, c.filter, err)
	}
	order.fromQuery(q)
	order.add([]string{"positional", "named"})
	// Deterministic time: the simulated clock, and UTC for local time.
	defs, _ := gojq.Parse(`def now: $__miplay_now; def localtime: gmtime; .`)
	q.FuncDefs = append(defs.FuncDefs[:2:2], q.FuncDefs...)
	names := append([]string{"$__miplay_now", "$ARGS"}, c.varNames...)
	positional := c.positional
	if positional == nil {
		positional = []any{}
	}
	values := append([]any{float64(p.Session.Now().UnixNano()) / 1e9, map[string]any{"positional": positional, "named": c.named}}, c.varValues...)

	// Inputs.
	var data []byte
	status := 0
	readFailed := false
	if len(c.files) == 0 {
		data, _ = io.ReadAll(p.Stdin)
	} else {
		for _, f := range c.files {
			b, err := readInput(p, f)
			if err != nil {
				fmt.Fprintf(p.Stderr, "jq: error: Could not open %s: %s\n", f, fileProblem(err))
				readFailed = true
				continue
			}
			data = append(data, b...)
		}
	}
	var inputs []jqInput
	parseErr := ""
	switch {
	case c.rawIn && c.slurp:
		inputs = []jqInput{{string(data), bytes.Count(data, []byte{'\n'})}}
	case c.rawIn:
		lines := strings.SplitAfter(string(data), "\n")
		for i, l := range lines {
			if l == "" {
				continue
			}
			inputs = append(inputs, jqInput{strings.TrimSuffix(l, "\n"), i + 1})
		}
	default:
		var vals []any
		var ends []int
		vals, ends, parseErr = decodeAll(data, order)
		for i, v := range vals {
			inputs = append(inputs, jqInput{v, ends[i]})
		}
		if c.slurp {
			arr := make([]any, len(vals))
			copy(arr, vals)
			inputs = []jqInput{{arr, bytes.Count(data, []byte{'\n'})}}
			if parseErr != "" {
				inputs = nil
			}
		}
	}

	// With -n, the inputs are there for input and inputs.
	next := 0
	iter := &jqInputIter{inputs: &inputs, next: &next}
	code2, err := gojq.Compile(q,
		gojq.WithEnvironLoader(p.Environ),
		gojq.WithVariables(names),
		gojq.WithInputIter(iter),
		gojq.WithFunction("debug", 0, 0, func(v any, _ []any) any {
			fmt.Fprintf(p.Stderr, "[\"DEBUG:\",%s]\n", jqEncode(v, order, c.encodeOpts(true)))
			return v
		}),
		gojq.WithFunction("stderr", 0, 0, func(v any, _ []any) any {
			io.WriteString(p.Stderr, jqEncode(v, order, c.encodeOpts(true)))
			return v
		}),
		gojq.WithFunction("input_filename", 0, 0, func(any, []any) any {
			if len(c.files) > 0 {
				return c.files[len(c.files)-1]
			}
			return nil
		}),
	)
	if err != nil {
		return jqCompileError(p, c.filter, err)
	}
	var last any
	outputs := 0
	runOne := func(in any, where string) bool {
		it := code2.RunWithContext(p.Ctx, in, values...)
		for {
			v, ok := it.Next()
			if !ok {
				return true
			}
			if err, isErr := v.(error); isErr {
				var halt *gojq.HaltError
				if errors.As(err, &halt) {
					if hv := halt.Value(); hv != nil {
						if s, ok := hv.(string); ok {
							io.WriteString(p.Stderr, s)
						} else {
							fmt.Fprintln(p.Stderr, jqEncode(hv, order, c.encodeOpts(true)))
						}
					}
					status = halt.ExitCode()
					return false
				}
				if p.Ctx.Err() != nil {
					status = 130
					return false
				}
				fmt.Fprintf(p.Stderr, "jq: error (at %s)%s\n", where, jqErrorText(err, order, c))
				status = 5
				continue
			}
			outputs++
			last = v
			c.print(p, v, order)
		}
	}
	where := func(in jqInput) string {
		if len(c.files) > 0 {
			return fmt.Sprintf("%s:%d", c.files[len(c.files)-1], in.line)
		}
		return fmt.Sprintf("<stdin>:%d", in.line)
	}
	if c.null {
		runOne(nil, "<unknown>")
	} else {
		for next < len(inputs) {
			in := inputs[next]
			next++
			if !runOne(in.v, where(in)) {
				break
			}
		}
	}
	if parseErr != "" {
		fmt.Fprintf(p.Stderr, "jq: parse error: %s\n", parseErr)
		return 5
	}
	if readFailed {
		return 2
	}
	if status != 0 {
		return status
	}
	if c.exitStatus {
		switch {
		case outputs == 0:
			return 4
		case last == nil || last == false:
			return 1
		}
	}
	return 0
}

type jqInputIter struct {
	inputs *[]jqInput
	next   *int
}

func (it *jqInputIter) Next() (any, bool) {
	if *it.next >= len(*it.inputs) {
		return nil, false
	}
	v := (*it.inputs)[*it.next].v
	*it.next++
	return v, true
}

// jqErrorText words a runtime error as jq does: the message of error(),
// with "(not a string)" for non-string values.
func jqErrorText(err error, order *keyOrder, c *jqConfig) string {
	var ve gojq.ValueError
	if errors.As(err, &ve) {
		v := ve.Value()
		if s, ok := v.(string); ok {
			return ": " + s
		}
		return " (not a string): " + jqEncode(v, order, c.encodeOpts(true))
	}
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, "cannot iterate over: "); ok {
		msg = "Cannot iterate over " + rest
	}
	return ": " + msg
}

// jqCompileError reports a filter that does not parse or compile, as jq
// does, with exit status 3.
func jqCompileError(p *Proc, filter string, err error) int {
	msg := err.Error()
	var pe *gojq.ParseError
	switch {
	case errors.As(err, &pe):
		msg = "syntax error, " + msg
	case strings.HasPrefix(msg, "function not defined: "):
		msg = strings.TrimPrefix(msg, "function not defined: ") + " is not defined"
	case strings.HasPrefix(msg, "variable not defined: "):
		msg = strings.TrimPrefix(msg, "variable not defined: ") + " is not defined"
	}
	fmt.Fprintf(p.Stderr, "jq: error: %s at <top-level>, line 1:\n%s\njq: 1 compile error\n", msg, filter)
	return 3
}

type encodeOpts struct {
	indent   int // -1 compact
	tab      bool
	sortKeys bool
	ascii    bool
}

func (c *jqConfig) encodeOpts(compact bool) encodeOpts {
	o := encodeOpts{indent: c.indent, tab: c.tab, sortKeys: c.sortKeys, ascii: c.ascii}
	if compact || c.compact || (c.indent == 0 && !c.tab) {
		o.indent, o.tab = -1, false
	}
	return o
}

func (c *jqConfig) print(p *Proc, v any, order *keyOrder) {
	var s string
	if str, ok := v.(string); ok && c.raw {
		s = str
	} else {
		s = jqEncode(v, order, c.encodeOpts(false))
	}
	if !c.join {
		s += "\n"
	}
	io.WriteString(p.Stdout, s)
}

// decodeOne decodes one JSON text (for --argjson).
func decodeOne(s string) (any, error) {
	vals, _, perr := decodeAll([]byte(s), nil)
	if perr != "" || len(vals) != 1 {
		return nil, errors.New("invalid JSON")
	}
	return vals[0], nil
}

// decodeAll decodes a stream of JSON values, noting object key orders,
// the line each value ended on (jq's "at <stdin>:N"), and jq's wording of
// the first problem.
func decodeAll(data []byte, order *keyOrder) (vals []any, ends []int, problem string) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	for {
		v, err := decodeValue(dec, order)
		if err == io.EOF {
			return vals, ends, ""
		}
		if err != nil {
			return vals, ends, jqParseProblem(data, dec, err)
		}
		off := int(dec.InputOffset())
		line := bytes.Count(data[:off], []byte{'\n'})
		if rest := bytes.TrimLeft(data[off:], " \t\r"); len(rest) > 0 && rest[0] == '\n' {
			line++
		}
		vals = append(vals, v)
		ends = append(ends, line)
	}
}

func decodeValue(dec *json.Decoder, order *keyOrder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			m := map[string]any{}
			var keys []string
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, unexpected(err)
				}
				k, ok := kt.(string)
				if !ok {
					return nil, errors.New("Objects must consist of key:value pairs")
				}
				v, err := decodeValue(dec, order)
				if err != nil {
					return nil, unexpected(err)
				}
				if _, dup := m[k]; !dup {
					keys = append(keys, k)
				}
				m[k] = v
			}
			if _, err := dec.Token(); err != nil {
				return nil, unexpected(err)
			}
			order.add(keys)
			return m, nil
		case '[':
			arr := []any{}
			for dec.More() {
				v, err := decodeValue(dec, order)
				if err != nil {
					return nil, unexpected(err)
				}
				arr = append(arr, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, unexpected(err)
			}
			return arr, nil
		}
		return nil, fmt.Errorf("Unmatched '%c'", t)
	case json.Number:
		return jqNumber(t), nil
	}
	return tok, nil
}

func unexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// jqNumber turns a JSON number into gojq's types: int, *big.Int or float64.
func jqNumber(n json.Number) any {
	s := string(n)
	if !strings.ContainsAny(s, ".eE") {
		if i, err := strconv.ParseInt(s, 10, 64); err == nil && i >= math.MinInt && i <= math.MaxInt {
			return int(i)
		}
		if b, ok := new(big.Int).SetString(s, 10); ok {
			return b
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		// Out of range: jq prints the largest double.
		if strings.HasPrefix(s, "-") {
			return -math.MaxFloat64
		}
		return math.MaxFloat64
	}
	return f
}

// jqParseProblem words an input error as jq's parser would.
func jqParseProblem(data []byte, dec *json.Decoder, err error) string {
	pos := func(off int) string {
		if off > len(data) {
			off = len(data)
		}
		line := bytes.Count(data[:off], []byte{'\n'}) + 1
		col := off - (bytes.LastIndexByte(data[:off], '\n') + 1)
		return fmt.Sprintf("at line %d, column %d", line, col)
	}
	var se *json.SyntaxError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		if bytes.Count(data, []byte{'"'})%2 == 1 {
			return "Unfinished string at EOF " + pos(len(data))
		}
		return "Unfinished JSON term at EOF " + pos(len(data))
	case errors.As(err, &se):
		// The bad token starts after the last good one.
		start := int(dec.InputOffset())
		for start < len(data) && strings.IndexByte(" \t\r\n:,", data[start]) >= 0 {
			start++
		}
		end := start
		for end < len(data) && strings.IndexByte("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.+-_", data[end]) >= 0 {
			end++
		}
		if end > start {
			// jq reports after the token and the character that ended it.
			after := end
			if after < len(data) {
				after++
			}
			kind := "Invalid numeric literal"
			if c := data[start]; c == 't' || c == 'f' || c == 'n' {
				kind = "Invalid literal"
			}
			return kind + " " + pos(after)
		}
		return "Invalid JSON text " + pos(int(se.Offset))
	}
	msg := err.Error()
	return msg + " " + pos(int(dec.InputOffset()))
}

// keyOrder remembers the order of object keys in the inputs and in the
// filter's object constructions, so output keeps jq's insertion order.
type keyOrder struct {
	bySet map[string][]string // sorted key set -> order first seen
	seqs  [][]string
	rank  map[string]int // first appearance of each key anywhere
}

func newKeyOrder() *keyOrder {
	return &keyOrder{bySet: map[string][]string{}, rank: map[string]int{}}
}

func (o *keyOrder) add(keys []string) {
	if o == nil || len(keys) == 0 {
		return
	}
	for _, k := range keys {
		if _, ok := o.rank[k]; !ok {
			o.rank[k] = len(o.rank)
		}
	}
	sig := setSignature(keys)
	if _, ok := o.bySet[sig]; !ok {
		o.bySet[sig] = keys
		if len(o.seqs) < 256 {
			o.seqs = append(o.seqs, keys)
		}
	}
}

func setSignature(keys []string) string {
	s := append([]string(nil), keys...)
	sort.Strings(s)
	return strings.Join(s, "\x00")
}

// fromQuery records the keys of the filter's object constructions, which
// jq outputs in the order written.
func (o *keyOrder) fromQuery(q *gojq.Query) {
	var walk func(v reflect.Value)
	seen := map[uintptr]bool{}
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if v.IsNil() || seen[v.Pointer()] {
				return
			}
			seen[v.Pointer()] = true
			if obj, ok := v.Interface().(*gojq.Object); ok {
				var keys []string
				for _, kv := range obj.KeyVals {
					switch {
					case kv.Key != "":
						keys = append(keys, strings.TrimPrefix(kv.Key, "$"))
					case kv.KeyString != nil && len(kv.KeyString.Queries) == 0:
						keys = append(keys, kv.KeyString.Str)
					}
				}
				if len(keys) == len(obj.KeyVals) {
					// Constructions win over inputs with the same keys.
					delete(o.bySet, setSignature(keys))
				}
				o.add(keys)
			}
			walk(v.Elem())
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				if v.Type().Field(i).IsExported() {
					walk(v.Field(i))
				}
			}
		case reflect.Slice:
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i))
			}
		}
	}
	walk(reflect.ValueOf(q))
}

// sorted returns an object's keys in the order jq would print them.
func (o *keyOrder) sorted(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if o == nil || len(keys) < 2 {
		return keys
	}
	if seq, ok := o.bySet[strings.Join(keys, "\x00")]; ok {
		return seq
	}
	// The closest known object: its order for the keys it shares, then the
	// others by first appearance, then by name.
	var best []string
	bestN := 0
	for _, seq := range o.seqs {
		n := 0
		for _, k := range seq {
			if _, ok := m[k]; ok {
				n++
			}
		}
		if n > bestN {
			best, bestN = seq, n
		}
	}
	pos := map[string]int{}
	for i, k := range best {
		pos[k] = i
	}
	sort.SliceStable(keys, func(i, j int) bool {
		pi, iok := pos[keys[i]]
		pj, jok := pos[keys[j]]
		switch {
		case iok && jok:
			return pi < pj
		case iok != jok:
			return iok
		}
		ri, iok := o.rank[keys[i]]
		rj, jok := o.rank[keys[j]]
		switch {
		case iok && jok:
			return ri < rj
		case iok != jok:
			return iok
		}
		return false
	})
	return keys
}

// jqEncode formats a value as jq 1.7 does.
func jqEncode(v any, order *keyOrder, o encodeOpts) string {
	var b strings.Builder
	encodeValue(&b, v, order, o, 0)
	return b.String()
}

func encodeValue(b *strings.Builder, v any, order *keyOrder, o encodeOpts, depth int) {
	newline := func(d int) {
		if o.indent < 0 {
			return
		}
		b.WriteByte('\n')
		if o.tab {
			b.WriteString(strings.Repeat("\t", d))
		} else {
			b.WriteString(strings.Repeat(" ", d*o.indent))
		}
	}
	switch v := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(v))
	case int:
		b.WriteString(strconv.Itoa(v))
	case *big.Int:
		b.WriteString(v.String())
	case float64:
		b.WriteString(jqFloat(v))
	case json.Number:
		b.WriteString(v.String())
	case string:
		jqString(b, v, o.ascii)
	case []any:
		if len(v) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			newline(depth + 1)
			encodeValue(b, e, order, o, depth+1)
		}
		newline(depth)
		b.WriteByte(']')
	case map[string]any:
		if len(v) == 0 {
			b.WriteString("{}")
			return
		}
		var keys []string
		if o.sortKeys {
			for k := range v {
				keys = append(keys, k)
			}
			sort.Strings(keys)
		} else {
			keys = order.sorted(v)
		}
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			newline(depth + 1)
			jqString(b, k, o.ascii)
			b.WriteByte(':')
			if o.indent >= 0 {
				b.WriteByte(' ')
			}
			encodeValue(b, v[k], order, o, depth+1)
		}
		newline(depth)
		b.WriteByte('}')
	default:
		// gojq gives only the types above; anything else is a bug of ours.
		fmt.Fprintf(b, "%q", fmt.Sprint(v))
	}
}

// jqFloat prints a double as jq does: integers without a fraction below
// 1e17, and C's %.17g switch to exponents, with the shortest digits.
func jqFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "null"
	case math.IsInf(f, 1):
		f = math.MaxFloat64
	case math.IsInf(f, -1):
		f = -math.MaxFloat64
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e17 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	e := strconv.FormatFloat(f, 'e', -1, 64) // d.ddde±XX
	mant, expStr, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(expStr)
	if exp < -4 || exp >= 17 {
		sign := "+"
		if exp < 0 {
			sign, exp = "-", -exp
		}
		return fmt.Sprintf("%se%s%02d", mant, sign, exp)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// jqString writes a JSON string as jq does: control characters and DEL
// escaped, other characters as they are (or \uXXXX with -a).
func jqString(b *strings.Builder, s string, ascii bool) {
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(b, `\u%04x`, r)
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
		case ascii && r > 0x7f:
			if r > 0xffff {
				r1, r2 := utf16.EncodeRune(r)
				fmt.Fprintf(b, `\u%04x\u%04x`, r1, r2)
			} else {
				fmt.Fprintf(b, `\u%04x`, r)
			}
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
}
