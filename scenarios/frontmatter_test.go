package scenarios

import (
	"reflect"
	"testing"
	"time"
)

// TestFrontMatterErrors pins every error of a front matter, in full: file
// line, column where known, and message. The front matter starts on line 2.
func TestFrontMatterErrors(t *testing.T) {
	const tl = "title: T\nlevel: beginner\n"
	tests := []struct {
		name, yaml, want string
	}{
		// Syntax errors: yaml.v3 says the line, not the column. Its parser
		// counts lines from 0 and its scanner from 1; both are line 3 here.
		{"parser error", "title: [a\nlevel: beginner\n", `x.md:3: front matter: did not find expected ',' or ']'`},
		{"scanner error", "title: T\nlevel: @x\n", `x.md:3: front matter: found character that cannot start any token`},
		{"scanner error on the first line", "a: b: c\n", `x.md:2: front matter: mapping values are not allowed in this context`},
		{"parser error on the first line", "title: }\n", `x.md:2: front matter: did not find expected node content`},
		{"parser error after a mapping", "title: T\n- x\n", `x.md:3: front matter: did not find expected key`},
		{"unclosed flow ends at the closing fence", "{title: T,\n level: x\n", `x.md:4: front matter: did not find expected ',' or '}'`},
		{"tab", "title: T\n\tlevel: beginner\n", `x.md:3: front matter: found a tab character that violates indentation`},
		{"control character", tl + "summary: \"a\x01\"\n", `x.md:4: front matter: control characters are not allowed`},
		{"bad UTF-8", tl + "summary: \"a\xff\"\n", `x.md:4: front matter: invalid leading UTF-8 octet`},
		{"unknown alias", tl + "summary: *s\n", `x.md:4: front matter: unknown anchor 's' referenced`},
		{"two documents", "title: T\n--- x\n", `x.md:1: front matter: expected one YAML document, found 2`},
		{"only a comment", "# nothing\n", `x.md:1: front matter is empty: expected at least title and level`},
		{"a scalar", "hello\n", `x.md:2: front matter: expected key: value pairs (title, level, ...), found "hello"`},

		// Keys.
		{"unknown key", tl + "sumary: S\n", `x.md:4:1: front matter: unknown key "sumary" (did you mean "summary"?): expected one of title, summary, level, tags, seed, start, propagation, exercise`},
		{"unknown key, no suggestion", tl + "colour: red\n", `x.md:4:1: front matter: unknown key "colour": expected one of title, summary, level, tags, seed, start, propagation, exercise`},
		{"merge key", tl + "<<: {seed: 1}\n", `x.md:4:1: front matter: unknown key "<<": expected one of title, summary, level, tags, seed, start, propagation, exercise`},
		{"list as a key", tl + "[a]: x\n", `x.md:4:1: front matter: a key must be a word, found a list: expected one of title, summary, level, tags, seed, start, propagation, exercise`},
		{"duplicate key", tl + "level: advanced\n", `x.md:4:1: front matter: duplicate key "level": it is already set on line 3`},

		// Values of the wrong type, each where it is, all of them, and the
		// other keys still checked.
		{"every wrong value", "title: [T]\nlevel: expert\nseed: 1.5\nexercise: yes\ntags: [a, [b]]\n",
			"x.md:2:8: front matter: title: expected a string\n" +
				`x.md:3:8: front matter: level "expert": expected beginner, intermediate or advanced` + "\n" +
				"x.md:4:7: front matter: seed: expected a whole number from 0 to 18446744073709551615\n" +
				"x.md:5:11: front matter: exercise: expected true or false\n" +
				"x.md:6:11: front matter: tags: expected a list of words, like [imds, storage]"},
		{"seed too big", tl + "seed: 18446744073709551616\n", `x.md:4:7: front matter: seed: expected a whole number from 0 to 18446744073709551615`},
		{"negative seed", tl + "seed: -1\n", `x.md:4:7: front matter: seed: expected a whole number from 0 to 18446744073709551615`},
		{"quoted seed", tl + "seed: \"12\"\n", `x.md:4:7: front matter: seed: expected a whole number from 0 to 18446744073709551615`},
		{"quoted boolean", tl + "exercise: \"true\"\n", `x.md:4:11: front matter: exercise: expected true or false`},
		{"null tag", tl + "tags: [a, ~]\n", `x.md:4:7: front matter: empty tag: expected a list of words, like tags: [imds, storage]`},
		{"null title", "title:\nlevel: beginner\n", `x.md:2:7: front matter: missing title: expected title: a sentence that says what happens`},
		{"typed title", "title: !!int T\nlevel: beginner\n", `x.md:2:8: front matter: title: expected a string`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("x.md", []byte("---\n"+tt.yaml+"---\n```console\n$ echo\n```\n"))
			if err == nil {
				t.Fatalf("no error, want:\n%s", tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("error:\n%s\nwant:\n%s", err, tt.want)
			}
		})
	}
}

// TestFrontMatterValues checks what valid YAML means.
func TestFrontMatterValues(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       FrontMatter
	}{
		{"quoted keys and values", "\"title\": 'It''s'\n'level': \"beginner\"\n", FrontMatter{Title: "It's", Level: Beginner}},
		{"numbers as text, as written", "title: 1.50\nsummary: true\nlevel: beginner\ntags: [a, 1, true]\n", FrontMatter{Title: "1.50", Summary: "true", Level: Beginner, Tags: []string{"a", "1", "true"}}},
		{"block scalars", "title: >\n  folded\n  title\nsummary: |\n  two\n  lines\nlevel: beginner\n", FrontMatter{Title: "folded title", Summary: "two\nlines", Level: Beginner}},
		{"block list", "title: T\nlevel: beginner\ntags:\n  - a\n  - b\n", FrontMatter{Title: "T", Level: Beginner, Tags: []string{"a", "b"}}},
		{"flow mapping", "{title: T, level: advanced}\n", FrontMatter{Title: "T", Level: Advanced}},
		{"alias", "title: &t T\nsummary: *t\nlevel: beginner\n", FrontMatter{Title: "T", Summary: "T", Level: Beginner}},
		{"integers", "title: T\nlevel: beginner\nseed: 0x10\n", FrontMatter{Title: "T", Level: Beginner, Seed: 16}},
		{"largest seed", "title: T\nlevel: beginner\nseed: 18446744073709551615\n", FrontMatter{Title: "T", Level: Beginner, Seed: 18446744073709551615}},
		{"nulls are absent", "title: T\nlevel: beginner\nseed: ~\ntags:\nexercise: null\n", FrontMatter{Title: "T", Level: Beginner}},
		{"every key", "title: T\nsummary: S\nlevel: intermediate\ntags: [x]\nseed: 7\nstart: 2026-02-01T10:00:00+01:00\npropagation: 90s\nexercise: false\n",
			FrontMatter{Title: "T", Summary: "S", Level: Intermediate, Tags: []string{"x"}, Seed: 7, Start: time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC), Propagation: 90 * time.Second}},
		{"CRLF", "title: T\r\nlevel: beginner\r\n", FrontMatter{Title: "T", Level: Beginner}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse("x.md", []byte("---\n"+tt.yaml+"---\n```console\n$ echo\n```\n"))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(s.FrontMatter, tt.want) {
				t.Errorf("front matter = %#v\nwant %#v", s.FrontMatter, tt.want)
			}
		})
	}
}
