package scenarios

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

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
	Title       string   `yaml:"title"`
	Summary     string   `yaml:"summary"`
	Level       string   `yaml:"level"`
	Tags        []string `yaml:"tags"`
	Seed        uint64   `yaml:"seed"`
	Start       string   `yaml:"start"`
	Propagation string   `yaml:"propagation"`
	Exercise    bool     `yaml:"exercise"`
}

// parseFrontMatter decodes the YAML between the --- lines. firstLine is the
// file line of the YAML's first line; the file's line of YAML line n is
// firstLine+n-1. fenceLine is the line of the opening ---.
func (p *parseState) parseFrontMatter(data []byte, firstLine, fenceLine int) FrontMatter {
	var fm FrontMatter
	at := func(yamlLine int) int {
		if yamlLine < 1 {
			return fenceLine
		}
		return firstLine + yamlLine - 1
	}
	type pos struct{ line, col int }
	valuePos := map[string]pos{}
	yamlError := func(err error) {
		var ye yaml.Error
		line, col := fenceLine, 0
		msg := err.Error()
		if errors.As(err, &ye) {
			msg = ye.GetMessage()
			if tk := ye.GetToken(); tk != nil && tk.Position != nil {
				line, col = at(tk.Position.Line), tk.Position.Column
			}
			var unknown *yaml.UnknownFieldError
			if errors.As(err, &unknown) && ye.GetToken() != nil {
				msg = unknownKey(ye.GetToken().Value)
			}
			var typeErr *yaml.TypeError
			var overflow *yaml.OverflowError
			var nodeType *yaml.UnexpectedNodeTypeError
			if errors.As(err, &typeErr) || errors.As(err, &overflow) || errors.As(err, &nodeType) {
				for key, ps := range valuePos {
					if ps.line == line {
						msg = fmt.Sprintf("%s: expected %s", key, frontMatterTypes[key])
					}
				}
			}
		}
		p.errorAt(line, col, "front matter: %s", strings.TrimSpace(msg))
	}

	file, err := parseYAML(data)
	if err != nil {
		yamlError(err)
		return fm
	}
	var body ast.Node
	if len(file.Docs) > 1 {
		p.errorf(fenceLine, "front matter: expected one YAML document, found %d", len(file.Docs))
		return fm
	}
	if len(file.Docs) == 1 {
		body = file.Docs[0].Body
	}
	if body == nil {
		p.errorf(fenceLine, "front matter is empty: expected at least title and level")
		return fm
	}
	m, ok := body.(*ast.MappingNode)
	if !ok {
		if mv, ok1 := body.(*ast.MappingValueNode); ok1 {
			m = &ast.MappingNode{BaseNode: &ast.BaseNode{}, Values: []*ast.MappingValueNode{mv}}
		} else {
			p.errorf(at(nodeLine(body)), "front matter: expected key: value pairs (title, level, ...), found %s", body.Type())
			return fm
		}
	}
	unknown := false
	for _, mv := range m.Values {
		key := mv.Key.String()
		if !isFrontMatterKey(key) {
			p.errorAt(at(nodeLine(mv.Key)), nodeColumn(mv.Key), "front matter: %s", unknownKey(key))
			unknown = true
			continue
		}
		valuePos[key] = pos{at(nodeLine(mv.Value)), nodeColumn(mv.Value)}
		if mv.Value == nil || nodeLine(mv.Value) == 0 {
			valuePos[key] = pos{at(nodeLine(mv.Key)), nodeColumn(mv.Key)}
		}
	}
	var raw rawFrontMatter
	var opts []yaml.DecodeOption
	if !unknown { // unknown keys were reported above, all of them
		opts = append(opts, yaml.Strict())
	}
	if err := decodeYAML(body, &raw, opts...); err != nil {
		yamlError(err)
		return fm
	}

	// errorf reports a problem with the value of key, or with the front
	// matter if the key is missing.
	errorf := func(key, format string, args ...any) {
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

// parseYAML and decodeYAML guard against panics in the YAML library: a
// malformed front matter must be an error with a line, never a crash.
func parseYAML(data []byte) (f *ast.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("cannot read YAML: %v", r)
		}
	}()
	return parser.ParseBytes(data, 0)
}

func decodeYAML(node ast.Node, v any, opts ...yaml.DecodeOption) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("cannot decode YAML: %v", r)
		}
	}()
	return yaml.NodeToValue(node, v, opts...)
}

func nodeColumn(n ast.Node) int {
	if n == nil {
		return 0
	}
	if tk := n.GetToken(); tk != nil && tk.Position != nil {
		return tk.Position.Column
	}
	return 0
}

func nodeLine(n ast.Node) int {
	if n == nil {
		return 0
	}
	if tk := n.GetToken(); tk != nil && tk.Position != nil {
		return tk.Position.Line
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
