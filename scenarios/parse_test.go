package scenarios

import (
	"regexp"
	"strings"
	"testing"
)

const front = "---\ntitle: T\nlevel: beginner\n---\n"

func TestParse(t *testing.T) {
	src := `---
title: Hello
summary: Say hello.
level: intermediate
tags: [a, b]
seed: 7
start: 2026-02-01T10:00:00Z
propagation: 10m
---

# Hello

First we say hello:

` + "```console" + `
$ echo hello
hello
vm-web$ fail 3 \
    nope
nope
[exit 3]

$ echo bye
` + "```" + `

Then ` + "`sh`" + ` blocks are narration:

` + "```sh" + `
$ not a step
` + "```" + `

` + "```console" + `
$ count
...
` + "```" + `

The end.
`
	s, err := Parse("hello.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	fm := s.FrontMatter
	if fm.Title != "Hello" || fm.Summary != "Say hello." || fm.Level != Intermediate || strings.Join(fm.Tags, ",") != "a,b" || fm.Seed != 7 ||
		fm.Start.Format("2006-01-02T15:04") != "2026-02-01T10:00" || fm.Propagation.String() != "10m0s" {
		t.Errorf("front matter = %+v", fm)
	}
	if len(s.Steps) != 2 {
		t.Fatalf("got %d steps, want 2", len(s.Steps))
	}
	st := s.Steps[0]
	if st.Line != 15 || st.Narration != "# Hello\n\nFirst we say hello:" {
		t.Errorf("step 0: line %d narration %q", st.Line, st.Narration)
	}
	type cmd struct {
		line int
		host string
		text string
		want string
		exit int
	}
	var got []cmd
	for _, c := range st.Commands {
		got = append(got, cmd{c.Line, c.Host, c.Text, strings.Join(c.Want, "|"), c.Exit})
	}
	want := []cmd{
		{16, "", "echo hello", "hello", 0},
		{18, "vm-web", "fail 3 \\\n    nope", "nope", 3},
		{23, "", "echo bye", "", 0},
	}
	if len(got) != len(want) {
		t.Fatalf("commands = %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("command %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if c := st.Commands[1]; c.Short() != "fail 3 nope" || c.String() != "vm-web$ fail 3 \\\n    nope" {
		t.Errorf("Short = %q, String = %q", c.Short(), c.String())
	}
	if n := s.Steps[1].Narration; n != "Then `sh` blocks are narration:\n\n```sh\n$ not a step\n```" {
		t.Errorf("step 1 narration = %q", n)
	}
	if s.Tail != "The end." {
		t.Errorf("Tail = %q", s.Tail)
	}
	if s.Exercise != nil {
		t.Errorf("Exercise = %+v, want nil", s.Exercise)
	}
}

const exerciseSrc = `---
title: Set x
level: beginner
exercise: true
---

# Set x

Start with y:

` + "```console" + `
$ set y 1
` + "```" + `

## Goal

Make x be 2.

` + "```console check" + `
$ get x
2
` + "```" + `

## Hints

- Use ` + "`set`" + `.
- It takes a key
  and a value.

## Solution

` + "```console" + `
$ set x 2
` + "```" + `

Then look:

` + "```console" + `
$ get x
2
` + "```" + `
`

func TestParseExercise(t *testing.T) {
	s, err := Parse("ex.md", []byte(exerciseSrc))
	if err != nil {
		t.Fatal(err)
	}
	x := s.Exercise
	if x == nil {
		t.Fatal("no exercise")
	}
	if len(s.Steps) != 1 || s.Steps[0].Commands[0].Text != "set y 1" {
		t.Errorf("setup steps = %+v", s.Steps)
	}
	if want := "Make x be 2.\n\n```console check\n$ get x\n2\n```"; x.Goal != want {
		t.Errorf("Goal = %q, want %q", x.Goal, want)
	}
	if got := strings.Join(x.Hints, "|"); got != "Use `set`.|It takes a key\nand a value." {
		t.Errorf("Hints = %q", got)
	}
	if x.CheckStep == nil || x.CheckStep.Line != 19 || x.CheckStep.Commands[0].Text != "get x" {
		t.Errorf("Check = %+v", x.CheckStep)
	}
	if len(x.Solution) != 2 || x.Solution[0].Narration != "" || x.Solution[1].Narration != "Then look:" {
		t.Errorf("Solution = %+v", x.Solution)
	}
	if s.Tail != "" {
		t.Errorf("Tail = %q", s.Tail)
	}
}

func TestParseErrors(t *testing.T) {
	block := func(s string) string { return "```console\n" + s + "```\n" }
	tests := []struct {
		name string
		src  string
		want string // a line of the error
	}{
		{"empty", "", "x.md:1: empty file"},
		{"blank", "\n  \n", "x.md:1: empty file"},
		{"no front matter", "# Hi\n", "x.md:1: expected front matter"},
		{"unclosed front matter", "---\ntitle: x\n", "x.md:1: front matter is not closed"},
		{"empty front matter", "---\n---\n", "x.md:1: front matter is empty"},
		{"unknown key", "---\ntitle: T\nlevel: beginner\ntitel: x\n---\n" + block("$ echo\n"), `x.md:4:1: front matter: unknown key "titel" (did you mean "title"?)`},
		{"two unknown keys", "---\ntitle: T\nfoo: 1\nlevel: beginner\nbar: 2\n---\n" + block("$ echo\n"), `x.md:5:1: front matter: unknown key "bar"`},
		{"bad level", "---\ntitle: T\nlevel: expert\n---\n" + block("$ echo\n"), `x.md:3:8: front matter: level "expert": expected beginner, intermediate or advanced`},
		{"no level", "---\ntitle: T\n---\n" + block("$ echo\n"), `x.md:1: front matter: missing level`},
		{"no title", "---\nlevel: beginner\n---\n" + block("$ echo\n"), `x.md:1: front matter: missing title`},
		{"bad start", front[:len(front)-4] + "start: yesterday\n---\n" + block("$ echo\n"), `x.md:4:8: front matter: start "yesterday": expected an RFC 3339 time`},
		{"bad propagation", front[:len(front)-4] + "propagation: 10 minutes\n---\n" + block("$ echo\n"), `x.md:4:14: front matter: propagation "10 minutes": expected a duration`},
		{"bad seed", front[:len(front)-4] + "seed: lots\n---\n" + block("$ echo\n"), `x.md:4:7: front matter: seed: expected a whole number`},
		{"bad tags", front[:len(front)-4] + "tags: {a: 1}\n---\n" + block("$ echo\n"), `x.md:4:7: front matter: tags: expected a list of words`},
		{"bad exercise", front[:len(front)-4] + "exercise: maybe\n---\n" + block("$ echo\n"), `x.md:4:11: front matter: exercise: expected true or false`},
		{"bad yaml", "---\ntitle: [a\nlevel: beginner\n---\n", `x.md:3: front matter: did not find expected ',' or ']'`},
		{"yaml list", "---\n- a\n---\n", `x.md:2: front matter: expected key: value pairs`},
		{"no blocks", front + "Just text.\n", "x.md:5: no ```console block"},
		{"output first", front + block("hello\n$ echo\n"), `x.md:6: expected a command`},
		{"empty block", front + block(""), "x.md:5: empty ```console block"},
		{"empty command", front + block("$ \n"), "x.md:6: empty command"},
		{"continued past end", front + block("$ echo \\\n"), "x.md:6: the command's last line ends in \\"},
		{"exit not last", front + block("$ echo\n[exit 1]\nmore\n"), "x.md:7: echo: [exit N] must be the command's last expected line"},
		{"exit 0", front + block("$ echo\n[exit 0]\n"), "x.md:7: echo: [exit 0]: a command that succeeds shows no exit line"},
		{"exit 300", front + block("$ echo\n[exit 300]\n"), "x.md:7: echo: [exit 300]: expected an exit status from 1 to 255"},
		{"unclosed", front + "```console\n$ echo\n", "x.md:5: ```console block is not closed"},
		{"bad info", front + "```console foo\n$ echo\n```\n", "x.md:5: ```console foo: expected ```console"},
		{"check outside exercise", front + block("$ echo\n") + "```console check\n$ echo\n```\n", "x.md:8: a ```console check block in a file that is not an exercise"},
		{"exercise without sections", "---\ntitle: T\nlevel: beginner\nexercise: true\n---\n" + block("$ echo\n"), "x.md:8: exercise without a ## Goal section"},
		{"console in hints", strings.Replace(exerciseSrc, "- Use", "```console\n$ echo\n```\n\n- Use", 1), "x.md:26: a ```console block in ## Hints would not run"},
		{"two checks", strings.Replace(exerciseSrc, "## Hints", "```console check\n$ echo\n```\n\n## Hints", 1), "x.md:24: second ```console check block"},
		{"no solution blocks", exerciseSrc[:strings.Index(exerciseSrc, "## Solution")] + "## Solution\n\nJust do it.\n", "x.md:30: ## Solution has no ```console block"},
		{"hints without list", strings.Replace(exerciseSrc, "- Use `set`.\n- It takes a key\n  and a value.", "Use set.", 1), "x.md:24: ## Hints has no list"},
	}
	lineRE := regexp.MustCompile(`^x\.md:\d+(:\d+)?: `)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("x.md", []byte(tt.src))
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			for _, l := range strings.Split(err.Error(), "\n") {
				if !lineRE.MatchString(l) {
					t.Errorf("error line %q has no file:line", l)
				}
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error:\n%s\nwant it to contain:\n%s", err, tt.want)
			}
		})
	}
}

func TestSplitPrompt(t *testing.T) {
	tests := []struct {
		line, host, cmd string
		ok              bool
	}{
		{"$ az", "", "az", true},
		{"$", "", "", true},
		{"vm-web$ curl x", "vm-web", "curl x", true},
		{"vmss-web_0$ ls", "vmss-web_0", "ls", true},
		{"app.x$ ls", "app.x", "ls", true},
		{"$HOME", "", "", false},
		{"cost: $ 5", "", "", false},
		{"-x$ ls", "", "", false},
		{"  $ ls", "", "", false},
		{`{"a": "$ b"}`, "", "", false},
		{"hello", "", "", false},
	}
	for _, tt := range tests {
		host, cmd, ok := splitPrompt(tt.line)
		if host != tt.host || cmd != tt.cmd || ok != tt.ok {
			t.Errorf("splitPrompt(%q) = %q, %q, %v; want %q, %q, %v", tt.line, host, cmd, ok, tt.host, tt.cmd, tt.ok)
		}
	}
}
