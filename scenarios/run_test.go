package scenarios

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

func mustParse(t testing.TB, name, src string) *Scenario {
	t.Helper()
	s, err := Parse(name, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func console(lines ...string) string {
	return "Narration.\n\n```console\n" + strings.Join(lines, "\n") + "\n```\n\n"
}

func TestRun(t *testing.T) {
	tests := []struct {
		name string
		body string
		err  string // "" if it passes; else the whole error
	}{
		{"pass", console("$ echo hi", "hi", "", "$ fail 2 no", "no", "[exit 2]", "$ set a b", "vm-1$ host", "vm-1"), ""},
		{"wildcards", console("$ echo a b c", "a ... c", "$ mixed", "...", "$ mixed", "out 1", "...", "$ mixed", "...", "out 2"), ""},
		{"interleaved", console("$ mixed", "out 1", "err 1", "out 2"), ""},
		{"continued", console("$ echo a \\", "  b", "a b"), ""},
		{"wrong line", console("$ echo hi", "hi", "$ echo a b", "a c"),
			"x.md:11: echo a b: want \"a c\", got \"a b\" (output line 1)\n--- want\n+++ got\n@@ -1 +1 @@\n-a c\n+a b"},
		{"wrong exit", console("$ fail 3 bad", "bad"),
			"x.md:9: fail 3 bad: want exit 0, got exit 3\n--- want\n+++ got\n@@ -1 +1,2 @@\n bad\n+[exit 3]"},
		{"expected failure", console("$ echo ok", "ok", "[exit 1]"),
			"x.md:9: echo ok: want exit 1, got exit 0\n--- want\n+++ got\n@@ -1,2 +1 @@\n ok\n-[exit 1]"},
		{"unexpected output", console("$ echo surprise"),
			"x.md:9: echo surprise: want no output, got 1 line\n--- want\n+++ got\n@@ -0,0 +1 @@\n+surprise"},
		{"missing output", console("$ set a b", "something"),
			"x.md:9: set a b: want 1 line, got no output\n--- want\n+++ got\n@@ -1 +0,0 @@\n-something"},
		{"stops at first", console("$ echo 1", "2", "$ echo 3", "4"),
			"x.md:9: echo 1: want \"2\", got \"1\" (output line 1)\n--- want\n+++ got\n@@ -1 +1 @@\n-2\n+1"},
		{"runner error", console("$ broken"), "x.md:9: broken: the runner broke"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustParse(t, "x.md", front+"\n"+tt.body)
			res, err := Run(context.Background(), s, nil, fakeOpts)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.err {
				t.Errorf("error:\n%s\nwant:\n%s", got, tt.err)
			}
			if res.Passed != (tt.err == "") {
				t.Errorf("Passed = %v", res.Passed)
			}
		})
	}
}

func TestRunKeepGoing(t *testing.T) {
	s := mustParse(t, "x.md", front+"\n"+console("$ echo 1", "2", "$ echo 3", "4")+console("$ echo 5", "5"))
	opts := fakeOpts
	opts.KeepGoing = true
	res, err := Run(context.Background(), s, nil, opts)
	var f *Failure
	if !errors.As(err, &f) || f.Line != 9 {
		t.Fatalf("err = %v, want the failure at line 9", err)
	}
	if len(res.Failures) != 2 || res.Failures[1].Line != 11 || len(res.Steps) != 2 {
		t.Errorf("failures = %v, steps = %d", res.Failures, len(res.Steps))
	}
	if got, want := strings.Join(res.Failures[1].Got, "|"), "3"; got != want {
		t.Errorf("Got = %q, want %q", got, want)
	}
}

func TestRunVerbose(t *testing.T) {
	s := mustParse(t, "x.md", front+"\n"+console("$ echo hi", "hi", "vm$ fail 1 no", "...", "[exit 1]"))
	var out bytes.Buffer
	opts := fakeOpts
	opts.Verbose = true
	if _, err := Run(context.Background(), s, &out, opts); err != nil {
		t.Fatal(err)
	}
	want := "# step 1 (x.md:8)\n$ echo hi\nhi\nvm$ fail 1 no\nno\n[exit 1]\n"
	if out.String() != want {
		t.Errorf("transcript:\n%s\nwant:\n%s", out.String(), want)
	}
}

func TestRunChunks(t *testing.T) {
	s := mustParse(t, "x.md", front+"\n"+console("$ mixed", "..."))
	res, err := Run(context.Background(), s, nil, fakeOpts)
	if err != nil {
		t.Fatal(err)
	}
	r := res.Steps[0].Results[0]
	want := []Chunk{{false, "out 1\n"}, {true, "err 1\n"}, {false, "out 2\n"}}
	if len(r.Chunks) != len(want) {
		t.Fatalf("chunks = %+v", r.Chunks)
	}
	for i := range want {
		if r.Chunks[i] != want[i] {
			t.Errorf("chunk %d = %+v, want %+v", i, r.Chunks[i], want[i])
		}
	}
	if r.Output != "out 1\nerr 1\nout 2\n" || r.Host != "" || r.Text != "mixed" || !r.Matched {
		t.Errorf("result = %+v", r)
	}
}

func TestRunNoRunner(t *testing.T) {
	s := mustParse(t, "x.md", front+"\n"+console("$ echo"))
	_, err := Run(context.Background(), s, nil, RunOptions{NewRunner: func(FrontMatter) (Runner, error) { return nil, errors.New("no cloud") }})
	if err == nil || err.Error() != "x.md:1: no cloud" {
		t.Errorf("err = %v", err)
	}
}

func TestRunCanceled(t *testing.T) {
	s := mustParse(t, "x.md", front+"\n"+console("$ echo"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, s, nil, fakeOpts); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestRunFrontMatter(t *testing.T) {
	s := mustParse(t, "x.md", "---\ntitle: T\nlevel: beginner\nseed: 42\npropagation: 5m\n---\n"+console("$ echo"))
	var got FrontMatter
	opts := RunOptions{NewRunner: func(fm FrontMatter) (Runner, error) { got = fm; return newFake(fm) }}
	if _, err := Run(context.Background(), s, nil, opts); err != nil {
		t.Fatal(err)
	}
	if got.Seed != 42 || got.Propagation.Minutes() != 5 {
		t.Errorf("NewRunner got %+v", got)
	}
}

func TestCheckExercise(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		src  string
		err  string
	}{
		{"good", exerciseSrc, ""},
		{"check passes before", strings.Replace(exerciseSrc, "$ set y 1", "$ set x 2", 1),
			"ex.md:19: check: every check command matches before the solution: the check must fail on the starting state (after the setup steps)"},
		{"solution does not reach the goal", strings.Replace(exerciseSrc, "$ set x 2", "$ set x 3", 1),
			"ex.md:39: get x: want \"2\", got \"3\" (output line 1)\n--- want\n+++ got\n@@ -1 +1 @@\n-2\n+3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustParse(t, "ex.md", tt.src)
			res, err := CheckExercise(ctx, s, fakeOpts)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.err {
				t.Errorf("error:\n%s\nwant:\n%s", got, tt.err)
			}
			if tt.err == "" {
				var kinds []string
				for _, sr := range res.Steps {
					kinds = append(kinds, string(sr.Kind))
				}
				if got, want := strings.Join(kinds, ","), "step,check-before,solution,solution,check"; got != want {
					t.Errorf("steps = %s, want %s", got, want)
				}
			}
		})
	}
	s := mustParse(t, "x.md", front+"\n"+console("$ echo"))
	if _, err := CheckExercise(ctx, s, fakeOpts); err == nil || !strings.HasPrefix(err.Error(), "x.md:1: not an exercise") {
		t.Errorf("CheckExercise on a plain scenario: %v", err)
	}
}

func TestExerciseCheck(t *testing.T) {
	ctx := context.Background()
	s := mustParse(t, "ex.md", exerciseSrc)
	r, _ := newFake(s.FrontMatter)
	ok, rep, err := s.Exercise.Check(ctx, r)
	if err != nil || ok || rep.Passed {
		t.Fatalf("Check on an empty world = %v, %v", ok, err)
	}
	want := "check failed: 0 of 1 commands print what the goal expects\nline 20: $ get x: want exit 0, got exit 1\n--- want\n+++ got\n@@ -1 +1,2 @@\n-2\n+x: not set\n+[exit 1]\n"
	if rep.String() != want {
		t.Errorf("report:\n%s\nwant:\n%s", rep, want)
	}
	r.Run(ctx, Workstation, "set x 2", nil, nil)
	ok, rep, err = s.Exercise.Check(ctx, r)
	if err != nil || !ok || rep.String() != "check passed: 1 of 1 commands print what the goal expects\n" {
		t.Errorf("Check after the solution = %v, %v, %s", ok, err, rep)
	}
}

func TestCheckRunnerErrorIsAMismatch(t *testing.T) {
	// A check that names a host the solution creates fails on the
	// starting state with the runner's error, which is not a broken
	// scenario.
	src := strings.Replace(exerciseSrc, "```console check\n$ get x\n2\n", "```console check\n$ get x\n2\n$ broken\n[exit 1]\n", 1)
	s := mustParse(t, "ex.md", src)
	res, err := CheckExercise(context.Background(), s, fakeOpts)
	// After the solution, broken still fails the same way: the check
	// expects exactly that, so the exercise passes.
	if err == nil {
		t.Fatal("passed; want the check's broken command to mismatch its output")
	}
	if !strings.Contains(err.Error(), "+the runner broke") || res.Steps[1].Kind != StepCheckBefore || !res.Steps[1].Passed {
		t.Errorf("err = %v", err)
	}
}
