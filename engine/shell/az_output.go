package shell

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/jmespath-community/go-jmespath/pkg/api"
	"github.com/jmespath-community/go-jmespath/pkg/functions"
	"github.com/jmespath-community/go-jmespath/pkg/parsing"
)

// print writes a command's result as az does: through --query, then in the
// --output format (json by default).
func (c *azCall) print(result any) error {
	var order [][]string
	queryActive := c.has("--query")
	if c.cmd.Table != nil && !queryActive && strings.EqualFold(c.str("--output"), "table") {
		// The command's table transformer picks the columns and their order.
		var cols []string
		result, cols = c.cmd.Table(result)
		order, queryActive = [][]string{cols}, true
	}
	v, err := normalizeJSON(result)
	if err != nil {
		return err
	}
	if q := c.str("--query"); q != "" {
		expr, err := api.Compile(q, orderedObjectFunctions...)
		if err != nil {
			return usagef("ERROR: argument --query: invalid jmespath_type value: '%s'", q)
		}
		if v, err = expr.Search(v); err != nil {
			return clierrf("%s", err)
		}
		order = multiselectOrders(q)
	}
	out, err := formatAz(v, strings.ToLower(c.str("--output")), queryActive, order)
	if err != nil {
		return err
	}
	fmt.Fprint(c.p.Stdout, out)
	return nil
}

// orderedObjectFunctions replace JMESPath's keys() and values(), which
// would follow Go's random map order, with versions in sorted key order, so
// the same query always prints the same thing.
var orderedObjectFunctions = []functions.FunctionEntry{
	{Name: "keys", Arguments: []functions.ArgSpec{{Types: []functions.JpType{functions.JpObject}}}, Handler: func(args []any) (any, error) {
		m := args[0].(map[string]any)
		out := make([]any, 0, len(m))
		for _, k := range sortedKeys(m) {
			out = append(out, k)
		}
		return out, nil
	}},
	{Name: "values", Arguments: []functions.ArgSpec{{Types: []functions.JpType{functions.JpObject}}}, Handler: func(args []any) (any, error) {
		m := args[0].(map[string]any)
		out := make([]any, 0, len(m))
		for _, k := range sortedKeys(m) {
			out = append(out, m[k])
		}
		return out, nil
	}},
}

// normalizeJSON turns any JSON-marshalable value into the plain maps,
// slices, strings, json.Numbers, bools and nils that JMESPath works on.
func normalizeJSON(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("az: result is not JSON: %w", err)
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var out any
	if err := d.Decode(&out); err != nil {
		return nil, err
	}
	return numbersToFloat(out), nil
}

// numbersToFloat converts json.Numbers to float64 for JMESPath's
// comparisons, keeping integers integral when printed (formatNumber).
func numbersToFloat(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			t[k] = numbersToFloat(x)
		}
	case []any:
		for i, x := range t {
			t[i] = numbersToFloat(x)
		}
	case json.Number:
		f, _ := t.Float64()
		return f
	}
	return v
}

// formatAz renders a value in one of az's output formats.
func formatAz(v any, format string, queryActive bool, order [][]string) (string, error) {
	switch format {
	case "", "json", "jsonc": // jsonc is json when stdout is not a terminal
		return pythonJSON(v) + "\n", nil
	case "none":
		return "", nil
	case "tsv":
		return formatTSV(v, order), nil
	case "table":
		return formatTable(v, queryActive, order)
	case "yaml", "yamlc":
		return "", clierrf("--output %s is not simulated in miplay: use json, jsonc, tsv, table or none.", format)
	}
	return "", usagef("ERROR: argument --output/-o: invalid choice: '%s'", format)
}

// pythonJSON renders v as Python's json.dumps(indent=2, sort_keys=True,
// ensure_ascii=False) does, which is how az prints JSON.
func pythonJSON(v any) string {
	var b strings.Builder
	writePyJSON(&b, v, 0)
	return b.String()
}

func writePyJSON(b *strings.Builder, v any, depth int) {
	indent := func(d int) { b.WriteString("\n" + strings.Repeat("  ", d)) }
	switch t := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(t))
	case float64:
		b.WriteString(formatNumber(t))
	case string:
		b.WriteString(pyString(t))
	case []any:
		if len(t) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteString("[")
		for i, x := range t {
			if i > 0 {
				b.WriteString(",")
			}
			indent(depth + 1)
			writePyJSON(b, x, depth+1)
		}
		indent(depth)
		b.WriteString("]")
	case map[string]any:
		if len(t) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteString("{")
		for i, k := range sortedKeys(t) {
			if i > 0 {
				b.WriteString(",")
			}
			indent(depth + 1)
			b.WriteString(pyString(k) + ": ")
			writePyJSON(b, t[k], depth+1)
		}
		indent(depth)
		b.WriteString("}")
	default:
		fmt.Fprintf(b, "%v", t)
	}
}

// pyString quotes a string as Python's json module does with
// ensure_ascii=False: only quotes, backslashes and control characters are
// escaped.
func pyString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			if r < 0x20 {
				fmt.Fprintf(&b, `\u%04x`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

func formatNumber(f float64) string {
	if f == float64(int64(f)) && f < 1e15 && f > -1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// multiselectOrders finds the key order of every multiselect hash in a
// query ({Name:name, Id:id}): az keeps that order in tsv and table output,
// while Go maps do not.
func multiselectOrders(q string) [][]string {
	node, err := parsing.NewParser().Parse(q)
	if err != nil {
		return nil
	}
	var out [][]string
	var walk func(n parsing.ASTNode)
	walk = func(n parsing.ASTNode) {
		if n.NodeType == parsing.ASTMultiSelectHash {
			var keys []string
			for _, kv := range n.Children {
				if s, ok := kv.Value.(string); ok {
					keys = append(keys, s)
				}
			}
			out = append(out, keys)
		}
		for _, ch := range n.Children {
			walk(ch)
		}
	}
	walk(node)
	return out
}

// orderedKeys returns a map's keys in a query's order when the map came
// from a multiselect hash, else sorted.
func orderedKeys(m map[string]any, order [][]string) []string {
	for _, keys := range order {
		if len(keys) != len(m) {
			continue
		}
		match := true
		for _, k := range keys {
			if _, ok := m[k]; !ok {
				match = false
				break
			}
		}
		if match {
			return keys
		}
	}
	return sortedKeys(m)
}

// formatTSV follows knack's _TsvOutput: one line per item; objects give
// their values (query order, else sorted by key), lists inside a row give
// their length, objects inside a row give an empty field.
func formatTSV(v any, order [][]string) string {
	items, ok := v.([]any)
	if !ok {
		items = []any{v}
	}
	var b strings.Builder
	for _, item := range items {
		switch t := item.(type) {
		case map[string]any:
			for i, k := range orderedKeys(t, order) {
				if i > 0 {
					b.WriteByte('\t')
				}
				b.WriteString(tsvField(t[k]))
			}
		case []any:
			for i, x := range t {
				if i > 0 {
					b.WriteByte('\t')
				}
				b.WriteString(tsvField(x))
			}
		case bool:
			b.WriteString(strconv.FormatBool(t))
		default:
			b.WriteString(tsvField(t))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// tsvField is Python's str() of a value inside a row.
func tsvField(v any) string {
	switch t := v.(type) {
	case nil:
		return "None"
	case bool:
		if t {
			return "True"
		}
		return "False"
	case float64:
		return formatNumber(t)
	case string:
		return t
	case []any:
		return strconv.Itoa(len(t))
	case map[string]any:
		return ""
	}
	return fmt.Sprint(v)
}

// formatTable follows knack's _TableOutput and tabulate's "simple" format:
// scalar fields only, id/type/etag skipped, headers capitalized, cells
// stripped of surrounding white space, and each column as wide as its
// widest cell or its header and two spaces (tabulate's MIN_PADDING). A
// missing value (None, a key some rows lack) is an empty cell. Nothing to
// show (no rows, or rows with no scalar field) prints an empty line, as
// tabulate returns "" and knack adds the newline. Trailing spaces that
// tabulate pads the last column with are trimmed: a terminal shows nothing
// there, and scenario files stay clean.
func formatTable(v any, queryActive bool, order [][]string) (string, error) {
	items, ok := v.([]any)
	if !ok {
		items = []any{v}
	}
	var headers []string
	seen := map[string]bool{}
	var rows []map[string]string
	for _, item := range items {
		row := map[string]string{}
		add := func(k, val string) {
			if !seen[k] {
				seen[k] = true
				headers = append(headers, k)
			}
			row[k] = val
		}
		switch t := item.(type) {
		case map[string]any:
			keys := sortedKeys(t)
			if queryActive {
				keys = orderedKeys(t, order)
			}
			for _, k := range keys {
				if k == "id" || k == "type" || k == "etag" {
					continue
				}
				switch t[k].(type) {
				case nil, []any, map[string]any:
					continue
				}
				add(strings.ToUpper(k[:1])+k[1:], tableCell(t[k]))
			}
		case []any:
			for i, x := range t {
				add(fmt.Sprintf("Column%d", i+1), tableCell(x))
			}
		default:
			add("Result", tableCell(t))
		}
		rows = append(rows, row)
	}
	if len(items) == 0 || len(headers) == 0 {
		return "\n", nil
	}
	widths := make([]int, len(headers))
	for i, h := range headers {
		widths[i] = len([]rune(h)) + 2
		for _, r := range rows {
			widths[i] = max(widths[i], len([]rune(r[h])))
		}
	}
	var b strings.Builder
	line := func(cells []string) {
		var l strings.Builder
		for i, c := range cells {
			if i > 0 {
				l.WriteString("  ")
			}
			l.WriteString(c + strings.Repeat(" ", widths[i]-len([]rune(c))))
		}
		b.WriteString(strings.TrimRight(l.String(), " ") + "\n")
	}
	line(headers)
	dashes := make([]string, len(headers))
	for i := range headers {
		dashes[i] = strings.Repeat("-", widths[i])
	}
	line(dashes)
	for _, r := range rows {
		cells := make([]string, len(headers))
		for i, h := range headers {
			cells[i] = r[h]
		}
		line(cells)
	}
	return b.String(), nil
}

// tableCell is how tabulate shows a value: None as an empty cell, strings
// without surrounding white space.
func tableCell(v any) string {
	if v == nil {
		return ""
	}
	return strings.TrimSpace(tsvField(v))
}
