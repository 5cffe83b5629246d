package shell

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestRandomIsDeterministic(t *testing.T) {
	line := `echo $RANDOM $((RANDOM % 100)) $(echo $RANDOM) ${#RANDOM}`
	a, _, _ := run(t, newTestSession(t), "workstation", line)
	b, _, _ := run(t, newTestSession(t), "workstation", line)
	if a != b {
		t.Errorf("$RANDOM differs between identical sessions: %q and %q", a, b)
	}
	c, _, _ := run(t, newTestSession(t), "vm-web", line)
	if a == c {
		t.Errorf("$RANDOM is the same sequence on two hosts: %q", a)
	}
	pid1, _, _ := run(t, newTestSession(t), "workstation", "echo $$ $PPID")
	pid2, _, _ := run(t, newTestSession(t), "workstation", "echo $$ $PPID")
	if pid1 != pid2 || strings.TrimSpace(pid1) == "" {
		t.Errorf("$$ is not stable: %q, %q", pid1, pid2)
	}
}

func TestBuiltinsAskTheCommandTable(t *testing.T) {
	s := newTestSession(t)
	for _, tc := range []struct{ line, stdout, stderr string }{
		{"type curl echo if", "curl is /usr/bin/curl\necho is a shell builtin\nif is a shell keyword\n", ""},
		{"command -v jq az", "/usr/bin/jq\n/usr/bin/az\n", ""},
		{"command -v ssh || echo none", "none\n", ""},
		{"f() { echo hi; }; type f", "f is a function\n", ""},
		{"type -t curl", "file\n", ""},
		{"/usr/bin/curl -s https://test.example/text", "hello", ""},
		{"./setup.sh", "", "bash: ./setup.sh: No such file or directory\n"},
		{"echo x > s.sh; ./s.sh", "", "bash: ./s.sh: Permission denied\n"},
		{"kill 1", "", "bash: kill: the builtin is not simulated in miplay\n"},
		{"time sleep 1", "", "bash: time: not simulated in miplay: commands take no simulated time; compare `date` before and after `sleep` instead\n"},
		{"diff <(echo a) <(echo b)", "", "bash: process substitution <(...) is not simulated in miplay: use a pipe or a file instead\n"},
		{"echo 'echo sourced $1' > lib.sh; source lib.sh one; . ./lib.sh two", "sourced one\nsourced two\n", ""},
		{"mkdir_test=1; cd /tmp && pwd && cd /nope", "/tmp\n", "bash: cd: /nope: No such file or directory\n"},
		{"echo hi > /tmp/a.txt; echo /tmp/*.txt", "/tmp/a.txt\n", ""},
		{"echo hi > /no/such/dir/f", "", "bash: /no/such/dir/f: No such file or directory\n"},
	} {
		stdout, stderr, _ := run(t, s, "workstation", tc.line)
		if stdout != tc.stdout || stderr != tc.stderr {
			t.Errorf("%s\ngot  stdout %q stderr %q\nwant stdout %q stderr %q", tc.line, stdout, stderr, tc.stdout, tc.stderr)
		}
	}
}

func TestHelpListsCommands(t *testing.T) {
	stdout, _, exit := run(t, newTestSession(t), "workstation", "help")
	if exit != 0 || !strings.Contains(stdout, "  curl ") || !strings.Contains(stdout, "  jq ") {
		t.Errorf("help: exit %d\n%s", exit, stdout)
	}
}

func TestUnknownHost(t *testing.T) {
	s := newTestSession(t)
	_, err := s.Run(context.Background(), "vm-nope", "echo", nil, nil)
	var uh *UnknownHostError
	if !errors.As(err, &uh) || !strings.Contains(err.Error(), "vm-web") {
		t.Fatalf("got %v, want an UnknownHostError naming the hosts", err)
	}
	// Host names match without regard to case, as Azure's do.
	if out, _, _ := run(t, s, "VM-WEB", "hostname"); out != "vm-web\n" {
		t.Errorf("VM-WEB: hostname = %q", out)
	}
}

func TestCancelStopsLongCommands(t *testing.T) {
	s := newTestSession(t)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	exit, err := s.Run(ctx, "workstation", "while true; do x=1; done", nil, nil)
	if exit != 130 || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got exit %d, err %v; want 130 and the context's error", exit, err)
	}
	// The host's shell still works afterwards.
	if out, _, _ := run(t, s, "workstation", "echo ok"); out != "ok\n" {
		t.Errorf("after cancel: %q", out)
	}
}

func TestSmallPrograms(t *testing.T) {
	s := newTestSession(t)
	for _, tc := range []struct {
		line, stdout, stderr string
		exit                 int
	}{
		{"printf 'eyJhbGciOiJSUzI1NiJ9' | base64 -d", `{"alg":"RS256"}`, "", 0},
		{"printf 'eyJhbGciOi' | base64 -d", `{"alg":`, "base64: invalid input\n", 1},
		{"printf abc | base64", "YWJj\n", "", 0},
		{"head -c 100 /dev/null | base64 -w0", "", "", 0},
		{"printf 'a.b.c' | cut -d. -f2", "b\n", "", 0},
		{"echo abcdef | cut -c2-4", "bcd\n", "", 0},
		{"echo a | cut -d ab -f1", "", "cut: the delimiter must be a single character\nTry 'cut --help' for more information.\n", 1},
		{"echo x | cut -f 0", "", "cut: fields and positions are numbered from 1\nTry 'cut --help' for more information.\n", 1},
		{"printf '1\\n2\\n3\\n' | head -n 2", "1\n2\n", "", 0},
		{"printf '1\\n2\\n3\\n' | head -1", "1\n", "", 0},
		{"echo a-b_c | tr -- '-_' '+/'", "a+b/c\n", "", 0},
		{"echo hello | tr -d l", "heo\n", "", 0},
		{"echo aaa | tr -s a", "a\n", "", 0},
		{"echo Hi | tr '[:lower:]' '[:upper:]'", "HI\n", "", 0},
		{"echo hi | wc -c", "3\n", "", 0},
		{"echo hi | wc", "      1       1       3\n", "", 0},
		{"printf 'a\\nb\\n' > f; wc -l f", "2 f\n", "", 0},
		{"cat -n f", "", "cat: option -n is not simulated in miplay\n", 1},
		{"cat -z", "", "cat: invalid option -- 'z'\nTry 'cat --help' for more information.\n", 1},
		{"export A=1; printenv A", "1\n", "", 0},
		{"printenv NOPE", "", "", 1},
		{"env -i B=2 printenv", "B=2\n", "", 0},
		{"whoami", "ada\n", "", 0},
		{"date -u +%Y-%m-%dT%H:%M:%SZ", "2026-01-15T09:00:00Z\n", "", 0},
		{"date -Iseconds", "2026-01-15T09:00:00+00:00\n", "", 0},
		{"date -d @0 +%F", "1970-01-01\n", "", 0},
		{"date -d '+1 hour'", "", "date: relative dates ('+1 hour') are not simulated in miplay: use now, @SECONDS or an RFC 3339 time\n", 1},
		{"sleep", "", "sleep: missing operand\nTry 'sleep --help' for more information.\n", 1},
		{"sleep 400d", "", "sleep: miplay moves the clock at most 365 days at a time\n", 1},
	} {
		stdout, stderr, exit := run(t, s, "workstation", tc.line)
		if stdout != tc.stdout || stderr != tc.stderr || exit != tc.exit {
			t.Errorf("%s\ngot  %q %q exit %d\nwant %q %q exit %d", tc.line, stdout, stderr, exit, tc.stdout, tc.stderr, tc.exit)
		}
	}
}

// FuzzRun runs arbitrary lines on a small world: nothing panics, the
// interpreter never fails for reasons of its own, and no program reports
// an internal error.
func FuzzRun(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.txt")
	for _, file := range files {
		data, _ := os.ReadFile(file)
		for _, l := range strings.Split(string(data), "\n") {
			if _, cmd, ok := promptLine(l); ok {
				f.Add(cmd)
			}
		}
	}
	for _, s := range []string{"", "$((1/0))", "${x:?unset}", "echo $((RANDOM))", "a=(1 2); echo ${a[@]}", "exit 300", "cd ..; cd ..; pwd",
		"cat /dev/stdin <<< hi", "read x <<< v; echo $x", "echo {a,b}", "set -e; false; echo no", "jq -n 'input'", "curl -w '%{'", "sleep 1e3"} {
		f.Add(s)
	}
	cloud := newTestWorld(f)
	f.Fuzz(func(t *testing.T, line string) {
		s := New(cloud, Options{})
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		var out, errb bytes.Buffer
		host := "workstation"
		if len(line)%3 == 1 {
			host = "vm-web"
		}
		_, err := s.Run(ctx, host, line, &out, &errb)
		if err != nil && ctx.Err() == nil {
			t.Fatalf("%q: %v\nstderr: %s", line, err, errb.String())
		}
		if strings.Contains(errb.String(), "internal error in miplay") {
			t.Fatalf("%q: %s", line, errb.String())
		}
	})
}

// BenchmarkRun100 runs 100 simple command lines on one host.
func BenchmarkRun100(b *testing.B) {
	lines := []string{
		"x=$((x+1))",
		`echo "$x" | tr 0-9 a-j`,
		`printf '{"a":%d}' "$x" | jq -c .a`,
		"echo a,b,c | cut -d, -f2 > out.txt",
		"test -f out.txt && cat out.txt",
	}
	for b.Loop() {
		s := newTestSession(b)
		for i := 0; i < 100; i++ {
			var out bytes.Buffer
			if _, err := s.Run(context.Background(), "workstation", lines[i%len(lines)], &out, &out); err != nil {
				b.Fatal(err)
			}
		}
	}
}
