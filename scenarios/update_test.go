package scenarios

import (
	"context"
	"strings"
	"testing"
)

func TestUpdate(t *testing.T) {
	tests := []struct {
		name string
		body string
		want string // the console block's lines after Update
	}{
		{"matching kept", "$ echo a b\na ...", "$ echo a b\na ..."},
		{"new output", "$ echo a b\nold", "$ echo a b\na b"},
		{"no output before", "$ echo hi", "$ echo hi\nhi"},
		{"output removed", "$ set a b\nleftover\n\n$ echo x\nx", "$ set a b\n\n$ echo x\nx"},
		{"exit added", "$ fail 4 bad\nbad", "$ fail 4 bad\nbad\n[exit 4]"},
		{"exit removed", "$ echo ok\nok\n[exit 1]", "$ echo ok\nok"},
		{"exit changed", "$ fail 2 no\n[exit 1]", "$ fail 2 no\nno\n[exit 2]"},
		{"wildcards kept", "$ mixed\nout ...\n...\nerr 9", "$ mixed\nout ...\n..."},
		{"wildcard line kept", "$ mixed\nout 1\nerr ...\nout 3", "$ mixed\nout 1\nerr ...\nout 2"},
		{"blank separator kept", "$ echo a\nb\n\n\n$ echo c\nc", "$ echo a\na\n\n\n$ echo c\nc"},
		{"continued", "$ echo a \\\n  b\nc", "$ echo a \\\n  b\na b"},
		{"hosts", "vm$ host\nx", "vm$ host\nvm"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			head := front + "\nSome *narration* stays.\n\n```console\n"
			tail := "\n```\n\nThe end.  \n"
			s := mustParse(t, "x.md", head+tt.body+tail)
			out, err := Update(context.Background(), s, fakeOpts)
			if err != nil {
				t.Fatal(err)
			}
			if want := head + tt.want + tail; string(out) != want {
				t.Errorf("Update:\n%s\nwant:\n%s", out, want)
			}
			s2 := mustParse(t, "x.md", string(out))
			if _, err := Run(context.Background(), s2, nil, fakeOpts); err != nil {
				t.Errorf("the updated file does not pass: %v", err)
			}
		})
	}
}

func TestUpdateIndented(t *testing.T) {
	src := front + "\n- In a list:\n\n  ```console\n  $ echo hi\n  old\n  ```\n"
	s := mustParse(t, "x.md", src)
	out, err := Update(context.Background(), s, fakeOpts)
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Replace(src, "  old", "  hi", 1); string(out) != want {
		t.Errorf("Update:\n%s\nwant:\n%s", out, want)
	}
}

func TestUpdateExercise(t *testing.T) {
	src := strings.Replace(exerciseSrc, "$ get x\n2\n```\n`\n\n## Hints", "$ get x\n5\n```\n`\n\n## Hints", 1)
	src = strings.Replace(exerciseSrc, "$ set x 2\n", "$ set x 7\n", 1)
	s := mustParse(t, "ex.md", src)
	out, err := Update(context.Background(), s, fakeOpts)
	if err != nil {
		t.Fatal(err)
	}
	// Both the check and the solution's own get x now expect 7.
	want := strings.ReplaceAll(src, "$ get x\n2\n", "$ get x\n7\n")
	if string(out) != want {
		t.Errorf("Update:\n%s\nwant:\n%s", out, want)
	}
}

func TestUpdateErrors(t *testing.T) {
	tests := []struct {
		name, body, err string
	}{
		{"prompt in output", "$ echo $ rm", `x.md:9: echo $ rm: output line "$ rm" reads as a command`},
		{"fence in output", "$ echo ```", "x.md:9: echo ```: output line \"```\" would close the console block"},
		{"exit in output", "$ echo [exit 3]", `x.md:9: echo [exit 3]: the last output line "[exit 3]" reads as an exit status`},
		{"runner error", "$ broken", "x.md:9: broken: the runner broke"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustParse(t, "x.md", front+"\nText.\n\n```console\n"+tt.body+"\n```\n")
			_, err := Update(context.Background(), s, fakeOpts)
			if err == nil || !strings.HasPrefix(err.Error(), tt.err) {
				t.Errorf("err = %v, want %s", err, tt.err)
			}
		})
	}
}
