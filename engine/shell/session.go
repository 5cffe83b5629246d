package shell

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/miplay/miplay/engine"
	"github.com/miplay/miplay/engine/azure"
	"mvdan.cc/sh/v3/interp"
	"mvdan.cc/sh/v3/syntax"
)

// Options configure a Session. The zero value is valid.
type Options struct {
	// Transport, if set, replaces Cloud.Transport for the programs that
	// send HTTP requests (curl, az): tests use it to put a fixed server
	// beside the cloud. It receives the calling host's name.
	Transport func(from string) http.RoundTripper
}

// A Session is the simulated terminal of one scenario: a shell per host,
// each kept for the whole session, over one Cloud. It is safe for
// concurrent use; lines run one at a time.
type Session struct {
	mu    sync.Mutex
	cloud *azure.Cloud
	opts  Options
	seed  uint64
	hosts map[string]*hostShell // by the host's own name
}

// hostShell is one host's shell: its interpreter, environment and files.
type hostShell struct {
	name   string
	base   hostBase
	env    *hostEnviron
	fs     *memFS
	runner *interp.Runner
	out    switchWriter
	errw   switchWriter
	state  map[string]any // Proc.State
}

// New returns a Session on cloud. No shell starts until a line runs on it.
func New(cloud *azure.Cloud, opts Options) *Session {
	s := &Session{cloud: cloud, opts: opts, hosts: map[string]*hostShell{}}
	cloud.Do(func(w *engine.World) { s.seed = w.Options().Seed })
	return s
}

// Cloud returns the cloud the session runs against.
func (s *Session) Cloud() *azure.Cloud { return s.cloud }

// Client returns the HTTP client programs on host use: requests are served
// in process as that host sees them, and redirects are not followed.
func (s *Session) Client(host string) *Client {
	if s.opts.Transport == nil {
		return &Client{Transport: s.cloud.Transport(host)}
	}
	return &Client{Transport: s.opts.Transport(host)}
}

// Now returns the simulated time.
func (s *Session) Now() time.Time {
	var t time.Time
	s.cloud.Do(func(w *engine.World) { t = w.Now() })
	return t
}

// Hosts lists the hosts a line can run on: the workstation, then every
// compute host of the world in creation order.
func (s *Session) Hosts() []string {
	names := []string{azure.Workstation}
	s.cloud.Do(func(w *engine.World) {
		for _, h := range w.Hosts() {
			names = append(names, h.Name)
		}
	})
	return names
}

// An UnknownHostError is returned by Run for a host that does not exist.
type UnknownHostError struct {
	Host  string
	Known []string
}

func (e *UnknownHostError) Error() string {
	return fmt.Sprintf("unknown host %q: the hosts are %s", e.Host, strings.Join(e.Known, ", "))
}

// Run runs one command line on host (azure.Workstation or a compute
// host's name) and returns its exit status. The line may hold several
// lines; continuations must already be joined. Shell errors (syntax,
// command not found, a failing command) are reported on stderr as bash
// would and give a non-zero exit; err is non-nil only when the line could
// not run at all: an unknown host, or ctx cancelled (exit 130).
func (s *Session) Run(ctx context.Context, host, line string, stdout, stderr io.Writer) (exit int, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if stdout == nil {
		stdout = io.Discard
	}
	if stderr == nil {
		stderr = io.Discard
	}
	h, err := s.host(host)
	if err != nil {
		return 127, err
	}
	out, errw := &lockedWriter{w: stdout}, &lockedWriter{w: stderr}
	h.out.set(out)
	h.errw.set(errw)
	defer h.out.set(io.Discard)
	defer h.errw.set(io.Discard)

	file, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(line), "")
	if err != nil {
		fmt.Fprintln(errw, parseMessage(err))
		return 2, nil
	}
	if msg := rewrite(file); msg != "" {
		fmt.Fprintf(errw, "bash: %s\n", msg)
		return 2, nil
	}
	for _, st := range file.Stmts {
		err = h.runner.Run(ctx, st)
		if ctx.Err() != nil {
			return 130, ctx.Err()
		}
		if h.runner.Exited() {
			break
		}
	}
	var status interp.ExitStatus
	switch {
	case err == nil:
		return 0, nil
	case errors.As(err, &status):
		return int(status), nil
	}
	// A fatal interpreter error is a bug of ours, not the learner's.
	fmt.Fprintf(errw, "bash: %v\n", err)
	return 1, err
}

// parseMessage words a parse error as bash does: "bash: line 1: ...".
func parseMessage(err error) string {
	var pe syntax.ParseError
	if errors.As(err, &pe) {
		return fmt.Sprintf("bash: line %d: syntax error: %s", pe.Pos.Line(), pe.Text)
	}
	var le syntax.LangError
	if errors.As(err, &le) {
		return fmt.Sprintf("bash: line %d: syntax error: %s", le.Pos.Line(), strings.TrimPrefix(le.Error(), le.Pos.String()+": "))
	}
	return "bash: " + err.Error()
}

// host returns the shell of a host, starting it on first use, with its
// environment brought up to date: app settings, the workstation's exports.
func (s *Session) host(name string) (*hostShell, error) {
	var (
		b      hostBase
		ok     bool
		canon  = name
		known  []string
		wsBase hostBase
	)
	s.cloud.Do(func(w *engine.World) {
		if strings.EqualFold(name, azure.Workstation) {
			canon = azure.Workstation
		} else if h, found := w.Host(name); found {
			canon = h.Name
		}
		b, ok = baseFor(w, canon)
		wsBase, _ = baseFor(w, azure.Workstation)
		if !ok {
			known = []string{azure.Workstation}
			for _, h := range w.Hosts() {
				known = append(known, h.Name)
			}
		}
	})
	if !ok {
		return nil, &UnknownHostError{Host: name, Known: known}
	}
	h := s.hosts[canon]
	if h == nil {
		var err error
		if h, err = s.start(canon, b); err != nil {
			return nil, err
		}
		s.hosts[canon] = h
	}
	h.base = b
	fresh := newHostEnviron(b, 0, 0)
	h.env.base = fresh.base
	if canon != azure.Workstation {
		h.env.shared = s.workstationExports(wsBase)
	}
	return h, nil
}

// workstationExports is what the workstation exported beyond its own
// starting environment: the copy-and-paste stand-in.
func (s *Session) workstationExports(base hostBase) map[string]string {
	ws := s.hosts[azure.Workstation]
	if ws == nil {
		return nil
	}
	out := map[string]string{}
	for name, v := range ws.runner.Vars {
		if !v.IsSet() || !v.Exported || strings.HasPrefix(name, "\x00") {
			continue
		}
		str := v.String()
		if b, ok := base.env[name]; ok && b == str {
			continue // the workstation's own HOME, PATH, ...
		}
		out[name] = str
	}
	return out
}

// start makes a host's shell.
func (s *Session) start(name string, b hostBase) (*hostShell, error) {
	h := &hostShell{name: name, base: b, state: map[string]any{}}
	h.out.set(io.Discard)
	h.errw.set(io.Discard)
	h.fs = newMemFS(b.home, s.Now)
	// Each host's $RANDOM is its own deterministic sequence.
	pid := 1000 + int(hashString(name)%30000)
	h.env = newHostEnviron(b, s.seed^hashString(name), pid)
	r, err := interp.New(
		interp.Env(h.env),
		// Set the directory directly: interp.Dir stats the real file system.
		func(r *interp.Runner) error { r.Dir = b.home; return nil },
		interp.StdIO(nil, &h.out, &h.errw),
		interp.OpenHandler(h.fs.open),
		interp.StatHandler(h.fs.stat),
		interp.AccessHandler(h.fs.access),
		interp.ReadDirHandler2(h.fs.readDir),
		interp.CallHandler(s.callHandler(h)),
		interp.ExecHandlers(func(interp.ExecHandlerFunc) interp.ExecHandlerFunc {
			// The default handler runs real programs: never call it.
			return s.execHandler(h)
		}),
	)
	if err != nil {
		return nil, err
	}
	h.runner = r
	return h, nil
}

// switchWriter lets a host's long-lived interpreter write to the writers
// of the current Run.
type switchWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *switchWriter) set(w io.Writer) {
	s.mu.Lock()
	s.w = w
	s.mu.Unlock()
}

func (s *switchWriter) Write(b []byte) (int, error) {
	s.mu.Lock()
	w := s.w
	s.mu.Unlock()
	return w.Write(b)
}

// lockedWriter serializes the writes of a pipeline's commands, which run
// concurrently.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

// sortedNames returns a map's keys in order.
func sortedNames[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
