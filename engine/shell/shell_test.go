package shell

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/miplay/miplay/engine"
	"github.com/miplay/miplay/engine/azure"
)

var update = flag.Bool("update", false, "rewrite COMMANDS.md and the expected output of testdata/*.txt")

// testHost is a fixed web server beside the simulated cloud, so curl's
// tests do not depend on the Azure handlers' answers.
const testHost = "test.example"

// newTestWorld is a small world: a VM, a two-instance scale set, a web
// app, a function app and a storage account in one group.
func newTestWorld(tb testing.TB) *azure.Cloud {
	tb.Helper()
	w := engine.New(engine.Options{})
	must := func(_ any, err error) {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
	}
	must(w.CreateResourceGroup("rg-demo", "westeurope"))
	spec := func(name string) engine.ResourceSpec { return engine.ResourceSpec{Group: "rg-demo", Name: name} }
	must(w.CreateVM(spec("vm-web")))
	must(w.CreateScaleSet(spec("vmss-web"), 2))
	plan, err := w.CreatePlan(spec("plan-demo"), "B1")
	must(plan, err)
	app, err := w.CreateSite(spec("app-orders"), plan.ID, engine.WebApp)
	must(app, err)
	app.Site.AppSettings["VAULT_URL"] = "https://kv-demo.vault.azure.net/"
	must(w.CreateSite(spec("func-jobs"), plan.ID, engine.FunctionApp))
	must(w.CreateStorageAccount(spec("stdemo")))
	return azure.New(w)
}

func newTestSession(tb testing.TB) *Session {
	cloud := newTestWorld(tb)
	return New(cloud, Options{Transport: func(from string) http.RoundTripper {
		return testTransport{next: cloud.Transport(from)}
	}})
}

type testTransport struct{ next http.RoundTripper }

func (t testTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Hostname() != testHost {
		return t.next.RoundTrip(r)
	}
	rec := &response{header: http.Header{}, status: 200}
	if r.Body == nil {
		r.Body = http.NoBody
	}
	testHandler(rec, r)
	rec.header.Set("Content-Length", strconv.Itoa(rec.body.Len()))
	return &http.Response{
		StatusCode: rec.status, Status: fmt.Sprintf("%d %s", rec.status, http.StatusText(rec.status)),
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: rec.header, Body: io.NopCloser(bytes.NewReader(rec.body.Bytes())),
		ContentLength: int64(rec.body.Len()), Request: r,
	}, nil
}

type response struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *response) Header() http.Header         { return r.header }
func (r *response) Write(b []byte) (int, error) { return r.body.Write(b) }
func (r *response) WriteHeader(s int)           { r.status = s }

// testHandler serves test.example: /json, /text, /status/N, /echo,
// /redirect.
func testHandler(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/json":
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		io.WriteString(w, `{"name":"vm-web","tags":{"env":"dev","b":1,"a":2},"ids":[1,2,3],"ok":true,"none":null}`)
	case r.URL.Path == "/text":
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, "hello")
	case strings.HasPrefix(r.URL.Path, "/status/"):
		code, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/status/"))
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		fmt.Fprintf(w, `{"status":%d}`, code)
	case r.URL.Path == "/echo":
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprintf(w, "%s %s\n", r.Method, r.URL.RequestURI())
		for _, k := range []string{"Authorization", "Content-Type", "Metadata", "X-Identity-Header", "User-Agent", "Accept"} {
			if v := r.Header.Get(k); v != "" {
				fmt.Fprintf(w, "%s: %s\n", k, v)
			}
		}
		if len(body) > 0 {
			fmt.Fprintf(w, "\n%s\n", body)
		}
	case r.URL.Path == "/redirect":
		w.Header().Set("Location", "https://test.example/text")
		w.WriteHeader(http.StatusFound)
	default:
		w.WriteHeader(http.StatusNotFound)
	}
}

// A section of a txtar archive.
type section struct {
	name string
	data string
}

// parseTxtar reads the txtar format (golang.org/x/tools/txtar): a comment,
// then sections that each start with a "-- name --" line.
func parseTxtar(data string) (comment string, sections []section) {
	lines := strings.SplitAfter(data, "\n")
	cur := -1
	var b strings.Builder
	flush := func() {
		if cur < 0 {
			comment = b.String()
		} else {
			sections[cur].data = b.String()
		}
		b.Reset()
	}
	for _, l := range lines {
		t := strings.TrimRight(l, "\n")
		if strings.HasPrefix(t, "-- ") && strings.HasSuffix(t, " --") && len(t) > 6 {
			flush()
			sections = append(sections, section{name: strings.TrimSpace(t[3 : len(t)-3])})
			cur = len(sections) - 1
			continue
		}
		b.WriteString(l)
	}
	flush()
	return comment, sections
}

func formatTxtar(comment string, sections []section) string {
	var b strings.Builder
	b.WriteString(comment)
	for _, s := range sections {
		fmt.Fprintf(&b, "-- %s --\n", s.name)
		b.WriteString(s.data)
	}
	return b.String()
}

// A step is one command of a transcript and what it must print.
type step struct {
	line       int // in the section, 1-based
	host, cmd  string
	stdout     []string
	stderr     []string
	noEOL      bool
	exit       int
	rawContext string
}

// parseTranscript reads a transcript: "HOST$ command" lines ("$ " alone
// is the workstation; a trailing backslash continues the command),
// followed by the expected stdout lines, stderr lines prefixed "2> ",
// "[no eol]" when stdout does not end with a newline, and "[exit N]".
func parseTranscript(text string) ([]step, error) {
	var steps []step
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if host, cmd, ok := promptLine(l); ok {
			start := i + 1
			for strings.HasSuffix(cmd, "\\") && i+1 < len(lines) {
				i++
				cmd = cmd[:len(cmd)-1] + "\n" + lines[i]
			}
			steps = append(steps, step{line: start, host: host, cmd: cmd})
			continue
		}
		if len(steps) == 0 {
			if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
				continue
			}
			return nil, fmt.Errorf("line %d: output before any command: %q", i+1, l)
		}
		s := &steps[len(steps)-1]
		switch {
		case strings.HasPrefix(l, "2> ") || l == "2>":
			s.stderr = append(s.stderr, strings.TrimPrefix(strings.TrimPrefix(l, "2>"), " "))
		case l == "[no eol]":
			s.noEOL = true
		case strings.HasPrefix(l, "[exit ") && strings.HasSuffix(l, "]"):
			n, err := strconv.Atoi(l[6 : len(l)-1])
			if err != nil {
				return nil, fmt.Errorf("line %d: bad exit line %q", i+1, l)
			}
			s.exit = n
		default:
			s.stdout = append(s.stdout, l)
		}
	}
	return steps, nil
}

func promptLine(l string) (host, cmd string, ok bool) {
	i := strings.Index(l, "$ ")
	if i < 0 || strings.ContainsAny(l[:i], " \t\"'") {
		return "", "", false
	}
	host = l[:i]
	if host == "" {
		host = azure.Workstation
	}
	return host, l[i+2:], true
}

// render writes a step back in transcript form from what it printed.
func render(s step, stdout, stderr string, exit int) string {
	var b strings.Builder
	prompt := s.host
	if prompt == azure.Workstation {
		prompt = ""
	}
	fmt.Fprintf(&b, "%s$ %s\n", prompt, strings.ReplaceAll(s.cmd, "\n", "\\\n"))
	if stdout != "" {
		b.WriteString(strings.TrimSuffix(stdout, "\n"))
		b.WriteString("\n")
		if !strings.HasSuffix(stdout, "\n") {
			b.WriteString("[no eol]\n")
		}
	}
	if stderr != "" {
		for _, l := range strings.Split(strings.TrimSuffix(stderr, "\n"), "\n") {
			if l == "" {
				b.WriteString("2>\n")
			} else {
				fmt.Fprintf(&b, "2> %s\n", l)
			}
		}
	}
	if exit != 0 {
		fmt.Fprintf(&b, "[exit %d]\n", exit)
	}
	return b.String()
}

// TestTranscripts runs testdata/*.txt: each section is a transcript run
// in a fresh session on the test world.
func TestTranscripts(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.txt")
	if len(files) == 0 {
		t.Fatal("no testdata/*.txt")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			runTranscriptFile(t, file)
		})
	}
}

// runTranscriptFile runs one transcript file: each section is a
// transcript in a fresh session on the test world, compared byte for byte
// (stdout, stderr as "2> " lines, and the exit status). -update rewrites
// the expected output from what ran.
func runTranscriptFile(t *testing.T, file string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	comment, sections := parseTxtar(string(data))
	if len(sections) == 0 {
		t.Fatalf("%s: no sections", file)
	}
	changed := false
	for si := range sections {
		sec := &sections[si]
		t.Run(sec.name, func(t *testing.T) {
			steps, err := parseTranscript(sec.data)
			if err != nil {
				t.Fatalf("%s: %s: %v", file, sec.name, err)
			}
			s := newTestSession(t)
			var out strings.Builder
			for _, st := range steps {
				var stdout, stderr bytes.Buffer
				exit, err := s.Run(context.Background(), st.host, st.cmd, &stdout, &stderr)
				if err != nil {
					stderr.WriteString("[error] " + err.Error() + "\n")
				}
				got := render(st, stdout.String(), stderr.String(), exit)
				want := render(st, expectStdout(st), expectStderr(st), st.exit)
				if got != want {
					if !*update {
						t.Errorf("%s: section %s, line %d: %s$ %s\n--- got ---\n%s--- want ---\n%s", file, sec.name, st.line, st.host, st.cmd, got, want)
					}
					changed = true
				}
				out.WriteString(got)
			}
			if *update {
				sec.data = keepLeadingComments(sec.data) + out.String()
			}
		})
	}
	if *update && changed {
		if err := os.WriteFile(file, []byte(formatTxtar(comment, sections)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func keepLeadingComments(text string) string {
	var b strings.Builder
	for _, l := range strings.SplitAfter(text, "\n") {
		if _, _, ok := promptLine(strings.TrimRight(l, "\n")); ok {
			break
		}
		b.WriteString(l)
	}
	return b.String()
}

func expectStdout(s step) string {
	if len(s.stdout) == 0 {
		return ""
	}
	out := strings.Join(s.stdout, "\n")
	if !s.noEOL {
		out += "\n"
	}
	return out
}

func expectStderr(s step) string {
	if len(s.stderr) == 0 {
		return ""
	}
	return strings.Join(s.stderr, "\n") + "\n"
}

// run is a test helper: one line on a host, its outputs and exit status.
func run(t testing.TB, s *Session, host, line string) (stdout, stderr string, exit int) {
	t.Helper()
	var o, e bytes.Buffer
	exit, err := s.Run(context.Background(), host, line, &o, &e)
	if err != nil {
		t.Fatalf("%s$ %s: %v", host, line, err)
	}
	return o.String(), e.String(), exit
}
