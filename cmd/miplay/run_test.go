//go:build !wasm

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/miplay/miplay/scenarios"
)

// echoRunner prints its command line's words after "echo", and fails with
// status 3 for "fail".
type echoRunner struct{}

func (echoRunner) Run(ctx context.Context, host, line string, stdout, stderr io.Writer) (int, error) {
	words := strings.Fields(line)
	switch words[0] {
	case "echo":
		fmt.Fprintln(stdout, strings.Join(words[1:], " "))
	case "fail":
		fmt.Fprintln(stderr, "failed")
		return 3, nil
	}
	return 0, nil
}

// withEchoRunner makes the scenarios run on echoRunner.
func withEchoRunner(t *testing.T) {
	old := scenarios.NewRunner
	scenarios.NewRunner = func(scenarios.FrontMatter) (scenarios.Runner, error) { return echoRunner{}, nil }
	t.Cleanup(func() { scenarios.NewRunner = old })
}

// writeFiles writes files into a temporary directory and returns it.
func writeFiles(t *testing.T, files map[string]string) string {
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const scenarioHead = "---\ntitle: T\nlevel: beginner\n---\n\nSay it.\n\n```console\n"

func TestRun(t *testing.T) {
	withEchoRunner(t)
	dir := writeFiles(t, map[string]string{
		"a.md":      scenarioHead + "$ echo hi\nhi\n```\n",
		"b.md":      scenarioHead + "$ echo hi\nho\n```\n",
		"c.md":      scenarioHead + "$ fail\nfailed\n[exit 3]\n```\n",
		"bad.md":    "no front matter\n",
		"README.md": "not a scenario\n",
	})
	t.Chdir(dir)

	code, stdout, stderr := runMiplay(t, "run", "a.md", "c.md")
	if code != 0 || stdout != "PASS a.md\nPASS c.md\n" || stderr != "" {
		t.Errorf("run a.md c.md: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}

	code, stdout, stderr = runMiplay(t, "run", ".")
	want := `FAIL a.md
`[:0] + `PASS a.md
FAIL b.md
    b.md:9: echo hi: want "ho", got "hi" (output line 1)
    --- want
    +++ got
    @@ -1 +1 @@
    -ho
    +hi
FAIL bad.md
    bad.md:1: expected front matter: a first line ---, then YAML with title and level, then a line ---
PASS c.md
`
	if code != 1 || stdout != want || stderr != "miplay run: 2 of 4 files failed\n" {
		t.Errorf("run .: exit %d\nstdout:\n%s\nwant:\n%s\nstderr:\n%s", code, stdout, want, stderr)
	}

	code, stdout, _ = runMiplay(t, "run", "--verbose", "a.md")
	if want := "=== a.md\n# step 1 (a.md:8)\n$ echo hi\nhi\nPASS a.md\n"; code != 0 || stdout != want {
		t.Errorf("run --verbose: exit %d\n%s\nwant:\n%s", code, stdout, want)
	}
}

func TestRunJSON(t *testing.T) {
	withEchoRunner(t)
	dir := writeFiles(t, map[string]string{
		"a.md": scenarioHead + "$ echo hi\nhi\n```\n",
		"b.md": scenarioHead + "$ echo hi\nho\n$ fail\n```\n",
	})
	t.Chdir(dir)
	code, stdout, _ := runMiplay(t, "run", "--json", "--keep-going", "a.md", "b.md")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 2 {
		t.Fatalf("stdout:\n%s", stdout)
	}
	var a, b runReport
	if err := json.Unmarshal([]byte(lines[0]), &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(lines[1]), &b); err != nil {
		t.Fatal(err)
	}
	if !a.Passed || a.Name != "a.md" || a.Steps != 1 || len(a.Failures) != 0 || !strings.Contains(lines[0], `"failures":[]`) {
		t.Errorf("a.md: %s", lines[0])
	}
	if b.Passed || len(b.Failures) != 2 {
		t.Fatalf("b.md: %s", lines[1])
	}
	f := b.Failures[1]
	if f.File != "b.md" || f.Line != 11 || f.Command != "fail" || f.Want != "" || f.Got != "failed\n[exit 3]" || f.Diff == "" {
		t.Errorf("second failure: %+v", f)
	}
}

func TestRunUpdate(t *testing.T) {
	withEchoRunner(t)
	dir := writeFiles(t, map[string]string{"a.md": scenarioHead + "$ echo hi\nho\n$ fail\n```\n"})
	t.Chdir(dir)
	code, stdout, _ := runMiplay(t, "run", "--update", "a.md")
	if code != 0 || stdout != "UPDATED a.md\n" {
		t.Errorf("run --update: exit %d\n%s", code, stdout)
	}
	got, _ := os.ReadFile("a.md")
	if want := scenarioHead + "$ echo hi\nhi\n$ fail\nfailed\n[exit 3]\n```\n"; string(got) != want {
		t.Errorf("updated file:\n%s\nwant:\n%s", got, want)
	}
	code, stdout, _ = runMiplay(t, "run", "--update", "a.md")
	if code != 0 || stdout != "PASS a.md\n" {
		t.Errorf("second run --update: exit %d\n%s", code, stdout)
	}
}

func TestRunAndCheckUsage(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"run"}, "name at least one scenario file or directory"},
		{[]string{"run", "--jsn", "x.md"}, "flag provided but not defined: -jsn"},
		{[]string{"run", "--json", "--verbose", "x.md"}, "--json and --verbose do not go together"},
		{[]string{"check"}, "name at least one scenario file or directory"},
		{[]string{"check", "--strict", "x.md"}, "flag provided but not defined: -strict"},
	}
	for _, tt := range tests {
		code, _, stderr := runMiplay(t, tt.args...)
		if code != 2 || !strings.Contains(stderr, tt.want) || !strings.Contains(stderr, "usage: miplay "+tt.args[0]) {
			t.Errorf("miplay %s: exit %d, stderr:\n%s\nwant exit 2 and %q", strings.Join(tt.args, " "), code, stderr, tt.want)
		}
	}
	code, _, stderr := runMiplay(t, "run", filepath.Join(t.TempDir(), "missing.md"))
	if code != 1 || !strings.Contains(stderr, "missing.md: no such file") {
		t.Errorf("run of a missing file: exit %d, %s", code, stderr)
	}
}
