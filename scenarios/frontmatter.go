package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/miplay/miplay/engine/shell"
)

// frontMatterKeys are the keys a front matter may have, in the order the
// documentation lists them.
var frontMatterKeys = []string{"title", "summary", "level", "tags", "seed", "start", "propagation", "exercise"}

// frontMatterTypes says what each key's value must be.
var frontMatterTypes = map[string]string{
	"title": "a string", "summary": "a string", "level": "beginner, intermediate or advanced",
	"tags": "a list of words, like [imds, storage]", "seed": "a whole number from 0 to 18446744073709551615",
	"start": "an RFC 3339 time like 2026-01-15T09:00:00Z", "propagation": "a duration like 10m or 90s",
	"exercise": "true or false",
}

// rawFrontMatter is the YAML as written; FrontMatter is what it means.
type rawFrontMatter struct {
	Title, Summary, Level, Start, Propagation string
	Tags                                      []string
	Seed                                      uint64
	Exercise                                  bool
}

// parseFrontMatter decodes the YAML between the --- lines. firstLine is the
// file line of the YAML's first line; the file's line of YAML line n is
// firstLine+n-1. fenceLine is the line of the opening ---.
//
// The YAML is read into yaml.Nodes, not decoded into a struct, so that
// every key and value keeps its line and column: unknown keys, duplicate
// keys and values of the wrong type are each reported where they are, all
// of them, in our words.
func (p *parseState) parseFrontMatter(data []byte, firstLine, fenceLine int) FrontMatter {
	var fm FrontMatter
	at := func(yamlLine int) int {
		if yamlLine < 1 {
			return fenceLine
		}
		return firstLine + yamlLine - 1
	}

	docs, err := readYAML(data)
	if err != nil {
		line, msg := yamlErrorLine(err, data)
		p.errorf(at(line), "front matter: %s", msg)
		return fm
	}
	if len(docs) > 1 {
		p.errorf(fenceLine, "front matter: expected one YAML document, found %d", len(docs))
		return fm
	}
	if len(docs) == 0 || len(docs[0].Content) == 0 {
		p.errorf(fenceLine, "front matter is empty: expected at least title and level")
		return fm
	}
	m := docs[0].Content[0]
	if m.Kind != yaml.MappingNode {
		p.errorf(at(m.Line), "front matter: expected key: value pairs (title, level, ...), found %s", describeNode(m))
		return fm
	}

	type pos struct{ line, col int }
	valuePos := map[string]pos{}
	keyLine := map[string]int{}
	bad := map[string]bool{} // keys whose value was reported as of the wrong type
	var raw rawFrontMatter
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		kd := deref(k)
		if kd.Kind != yaml.ScalarNode {
			p.errorAt(at(k.Line), k.Column, "front matter: a key must be a word, found %s: expected one of %s", describeNode(kd), strings.Join(frontMatterKeys, ", "))
			continue
		}
		key := kd.Value
		if !isFrontMatterKey(key) || kd.Tag == "!!merge" {
			p.errorAt(at(k.Line), k.Column, "front matter: %s", unknownKey(key))
			continue
		}
		if first, ok := keyLine[key]; ok {
			p.errorAt(at(k.Line), k.Column, "front matter: duplicate key %q: it is already set on line %d", key, first)
			continue
		}
		keyLine[key] = at(k.Line)
		valuePos[key] = pos{at(v.Line), v.Column}
		if n := raw.decode(key, v); n != nil {
			p.errorAt(at(n.Line), n.Column, "front matter: %s: expected %s", key, frontMatterTypes[key])
			bad[key] = true
		}
	}

	// errorf reports a problem with the value of key, or with the front
	// matter if the key is missing. A value of the wrong type was
	// reported already.
	errorf := func(key, format string, args ...any) {
		if bad[key] {
			return
		}
		if ps, ok := valuePos[key]; ok {
			p.errorAt(ps.line, ps.col, format, args...)
			return
		}
		p.errorf(fenceLine, format, args...)
	}
	fm.Title = strings.TrimSpace(raw.Title)
	if fm.Title == "" {
		errorf("title", "front matter: missing title: expected title: a sentence that says what happens")
	}
	fm.Summary = strings.TrimSpace(raw.Summary)
	fm.Level = Level(raw.Level)
	switch fm.Level {
	case Beginner, Intermediate, Advanced:
	case "":
		errorf("level", "front matter: missing level: expected level: beginner, intermediate or advanced")
	default:
		errorf("level", "front matter: level %q: expected beginner, intermediate or advanced", raw.Level)
	}
	for _, t := range raw.Tags {
		if t = strings.TrimSpace(t); t == "" {
			errorf("tags", "front matter: empty tag: expected a list of words, like tags: [imds, storage]")
			continue
		}
		fm.Tags = append(fm.Tags, t)
	}
	fm.Seed = raw.Seed
	if raw.Start != "" {
		t, err := time.Parse(time.RFC3339, raw.Start)
		if err != nil {
			errorf("start", "front matter: start %q: expected an RFC 3339 time like 2026-01-15T09:00:00Z", raw.Start)
		}
		fm.Start = t.UTC()
	}
	if raw.Propagation != "" {
		d, err := time.ParseDuration(raw.Propagation)
		switch {
		case err != nil:
			errorf("propagation", "front matter: propagation %q: expected a duration like 10m or 90s", raw.Propagation)
		case d < 0:
			errorf("propagation", "front matter: propagation %q: expected a duration of zero or more", raw.Propagation)
		}
		fm.Propagation = d
	}
	fm.Exercise = raw.Exercise
	return fm
}

// decode sets the field of key from the value v. It returns nil, or the
// node that is not of the key's type (v, or an item of a list). A null
// value (key: with nothing, or ~) leaves the field empty.
func (raw *rawFrontMatter) decode(key string, v *yaml.Node) *yaml.Node {
	n := deref(v)
	if n.ShortTag() == "!!null" {
		return nil
	}
	var target any
	switch key {
	case "tags":
		if n.Kind != yaml.SequenceNode {
			return v
		}
		// Item by item: yaml.v3 would drop a null item, which is an
		// empty tag.
		for _, item := range n.Content {
			var tag string
			if d := deref(item); d.Kind != yaml.ScalarNode {
				return item
			} else if d.ShortTag() != "!!null" && decodeNode(d, &tag) != nil {
				return item
			}
			raw.Tags = append(raw.Tags, tag)
		}
		return nil
	case "seed":
		// By tag, not by what yaml.v3 would convert: it would make 1.5
		// a seed of 1.
		if n.ShortTag() != "!!int" {
			return v
		}
		target = &raw.Seed
	case "exercise":
		// By tag: yaml.v3 would also take YAML 1.1's yes, no, on and off.
		if n.ShortTag() != "!!bool" {
			return v
		}
		target = &raw.Exercise
	default: // the string keys: any scalar, as written
		if n.Kind != yaml.ScalarNode {
			return v
		}
		target = raw.text(key)
	}
	if err := decodeNode(n, target); err != nil {
		return v
	}
	return nil
}

// text returns the field of a string key.
func (raw *rawFrontMatter) text(key string) *string {
	switch key {
	case "title":
		return &raw.Title
	case "summary":
		return &raw.Summary
	case "level":
		return &raw.Level
	case "start":
		return &raw.Start
	}
	return &raw.Propagation
}

// deref returns the node an alias (*name) stands for.
func deref(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		return n.Alias
	}
	return n
}

// describeNode names what a node is, for "expected ..., found ...".
func describeNode(n *yaml.Node) string {
	switch {
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case n.Kind == yaml.MappingNode:
		return "key: value pairs"
	case n.ShortTag() == "!!null":
		return "nothing"
	}
	return strconv.Quote(n.Value)
}

// readYAML parses every YAML document of data into nodes. It guards
// against panics in the YAML library: a malformed front matter must be an
// error with a line, never a crash.
func readYAML(data []byte) (docs []*yaml.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			docs, err = nil, fmt.Errorf("cannot read YAML: %v", r)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc yaml.Node
		switch err := dec.Decode(&doc); {
		case errors.Is(err, io.EOF):
			return docs, nil
		case err != nil:
			return nil, err
		}
		docs = append(docs, &doc)
	}
}

func decodeNode(n *yaml.Node, v any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("cannot decode YAML: %v", r)
		}
	}()
	return n.Decode(v)
}

// yamlErrorLine returns the line of data a yaml.v3 syntax error is on (0
// if unknown) and its message without the line. yaml.v3 writes errors as
// "yaml: line N: problem", and N needs reading: the scanner counts lines
// from 1 but the parser from 0, and
// either leaves out a line that counts as 0. Errors of the reader (bad
// UTF-8, control characters) have no line: it is found in data.
func yamlErrorLine(err error, data []byte) (line int, msg string) {
	msg = strings.TrimPrefix(err.Error(), "yaml: ")
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if n, problem, ok := strings.Cut(rest, ": "); ok {
			if l, err := strconv.Atoi(n); err == nil {
				line, msg = l, problem
			}
		}
	}
	switch {
	case isReaderProblem(msg):
		return badCharLine(data), msg
	case isParserProblem(msg):
		line++
	case line == 0 && strings.HasPrefix(msg, "unknown anchor '"):
		name, _, _ := strings.Cut(strings.TrimPrefix(msg, "unknown anchor '"), "'")
		return aliasLine(data, name), msg
	case line == 0 && isComposerProblem(msg):
		return 0, msg // where is not known
	case line == 0:
		line = 1
	}
	// The end of the YAML is the closing --- line.
	return min(line, bytes.Count(data, []byte("\n"))+1), msg
}

// isParserProblem says whether msg is a problem of yaml.v3's parser
// (parserc.go), whose line numbers count from 0.
func isParserProblem(msg string) bool {
	switch msg {
	case "did not find expected ',' or ']'", "did not find expected ',' or '}'",
		"did not find expected '-' indicator", "did not find expected <document start>",
		"did not find expected <stream-start>", "did not find expected key",
		"did not find expected node content", "found duplicate %TAG directive",
		"found duplicate %YAML directive", "found incompatible YAML document",
		"found undefined tag handle":
		return true
	}
	return strings.HasPrefix(msg, "expected ") && strings.Contains(msg, " event but got ")
}

// isReaderProblem says whether msg is a problem of yaml.v3's reader
// (readerc.go), which comes without a line.
func isReaderProblem(msg string) bool {
	switch msg {
	case "control characters are not allowed", "invalid leading UTF-8 octet",
		"invalid trailing UTF-8 octet", "incomplete UTF-8 octet sequence",
		"invalid length of a UTF-8 sequence", "invalid Unicode character",
		"incomplete UTF-16 character", "incomplete UTF-16 surrogate pair",
		"expected low surrogate area", "unexpected low surrogate area":
		return true
	}
	return false
}

// isComposerProblem says whether msg is one of the problems yaml.v3 finds
// after parsing (decode.go), such as an alias without its anchor, which
// come without a line.
func isComposerProblem(msg string) bool {
	for _, p := range []string{"anchor ", "document contains excessive aliasing", "attempted to go past the end", "cannot decode node"} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}

// aliasLine returns the line of the first alias *name in data, or 0.
func aliasLine(data []byte, name string) int {
	for i, l := range strings.Split(string(data), "\n") {
		for rest := l; ; {
			j := strings.Index(rest, "*"+name)
			if j < 0 {
				break
			}
			rest = rest[j+1+len(name):]
			// An alias's name runs to a space or a flow indicator.
			if rest == "" || strings.ContainsRune(" \t\r,[]{}", rune(rest[0])) {
				return i + 1
			}
		}
	}
	return 0
}

// badCharLine returns the line of the first byte of data that YAML does
// not allow: one that is not UTF-8, or a control character other than tab,
// line feed and carriage return. It returns 0 if there is none.
func badCharLine(data []byte) int {
	line := 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size == 1,
			r < 0x20 && r != '\t' && r != '\n' && r != '\r',
			r >= 0x7f && r <= 0x9f && r != 0x85,
			r == 0xfffe || r == 0xffff:
			return line
		case r == '\n':
			line++
		}
		i += size
	}
	return 0
}

func isFrontMatterKey(k string) bool {
	for _, f := range frontMatterKeys {
		if k == f {
			return true
		}
	}
	return false
}

func unknownKey(k string) string {
	msg := fmt.Sprintf("unknown key %q: expected one of %s", k, strings.Join(frontMatterKeys, ", "))
	if s := suggest(k, frontMatterKeys); s != "" {
		msg = fmt.Sprintf("unknown key %q (did you mean %q?): expected one of %s", k, s, strings.Join(frontMatterKeys, ", "))
	}
	return msg
}

// suggest returns the candidate closest to word, if it is close enough to
// be a typo.
func suggest(word string, candidates []string) string {
	// One edit in a short word, two in a longer one.
	limit := 1
	if len(word) > 4 {
		limit = 2
	}
	best, bestDist := "", limit+1
	for _, c := range candidates {
		if d := shell.TypoDistance(strings.ToLower(word), strings.ToLower(c)); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}
