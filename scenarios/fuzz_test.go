package scenarios

import (
	"context"
	"regexp"
	"strings"
	"testing"
)

// FuzzParse checks that no input makes Parse or Lint panic, that every
// error names a line, and that what parses is consistent with its source.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "---\n", "---\n---\n", front, front + "\n```console\n$ echo\n```\n",
		exerciseSrc, "---\ntitle: [\n---\n", "---\n- a\n- b\n---\n",
		front + "> ```console\n> $ a \\\n> b\n> out\n> ```\n",
		front + "- x\n\n  ```console\n  vm$ a\n  [exit 2]\n  ```\n",
		front + "~~~~console\n$ a\n~~~\n~~~~\n```console check\n```\n",
		"---\ntitle: T\nlevel: beginner\nexercise: true\n---\n## Goal\n## Hints\n- a\n## Solution\n",
	} {
		f.Add([]byte(s))
	}
	entries, _ := library.ReadDir(".")
	for _, e := range entries {
		b, _ := library.ReadFile(e.Name())
		f.Add(b)
	}
	lineRE := regexp.MustCompile(`^f\.md:\d+(:\d+)?: `)
	old := Commands
	Commands = func() []string { return []string{"az", "curl"} }
	defer func() { Commands = old }()
	f.Fuzz(func(t *testing.T, src []byte) {
		s, err := Parse("f.md", src)
		if err != nil {
			list, ok := err.(ErrorList)
			if !ok || len(list) == 0 {
				t.Fatalf("error is %T %v, want a non-empty ErrorList", err, err)
			}
			for _, e := range list {
				if e.Line < 1 || !lineRE.MatchString(e.Error()) {
					t.Fatalf("error without a line: %q", e.Error())
				}
			}
		} else {
			steps := append([]*Step(nil), s.Steps...)
			if x := s.Exercise; x != nil {
				steps = append(steps, x.Solution...)
				steps = append(steps, x.CheckStep)
			}
			for _, st := range steps {
				if len(st.Commands) == 0 {
					t.Fatalf("step at line %d has no commands", st.Line)
				}
				for _, c := range st.Commands {
					if c.wantStart < 0 || c.wantStart > c.wantEnd || c.wantEnd > len(src) {
						t.Fatalf("command at line %d: expected output at [%d, %d) of %d bytes", c.Line, c.wantStart, c.wantEnd, len(src))
					}
				}
			}
		}
		if err == nil {
			// Update's output must parse: it rewrites only expected
			// output, and refuses output that would read as syntax.
			if _, err := Update(context.Background(), s, fakeOpts); err != nil && !lineRE.MatchString(err.Error()) {
				t.Fatalf("Update: %v", err)
			}
		}
		for _, p := range Lint("f.md", src) {
			if p.Line < 1 || !strings.HasPrefix(p.String(), "f.md:") {
				t.Fatalf("problem without a line: %q", p.String())
			}
		}
	})
}
