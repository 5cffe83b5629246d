//go:build !wasm

package app

import (
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/miplay/miplay/bench/workload"
)

// sandboxHarness mounts the sandbox page in go-app's test engine and keeps
// the page's own context, so that a command runs as in the browser: the
// engine's workbench session runs it, in Async, across the same JSON as
// the browser's worker (natively, a Host in this process); then the page
// re-renders and go-app diffs it against what is mounted (with no DOM
// natively, but the same Go work).
type sandboxHarness struct {
	*sandboxPage
	ctx app.Context
	e   app.TestEngine
}

func (h *sandboxHarness) OnPreRender(ctx app.Context) {
	h.ctx = ctx
	h.sandboxPage.OnPreRender(ctx)
}

// mountSandbox mounts a sandbox on a fresh world.
func mountSandbox(t testing.TB) *sandboxHarness {
	t.Helper()
	h := &sandboxHarness{sandboxPage: &sandboxPage{}, e: app.NewTestEngine()}
	if err := h.e.Load(h); err != nil {
		t.Fatal(err)
	}
	h.e.ConsumeAll()
	h.start(h.ctx, true)
	h.e.ConsumeAll()
	if h.session == 0 {
		t.Fatalf("the sandbox did not start: %s", h.problem)
	}
	t.Cleanup(func() { h.OnDismount() })
	return h
}

// enter runs a command line as the prompt's Enter does, and waits until
// the page has shown it.
func (h *sandboxHarness) enter(t testing.TB, line string) {
	t.Helper()
	h.enterOn(t, "", line)
}

// enterOn runs a command line on a host.
func (h *sandboxHarness) enterOn(t testing.TB, host, line string) {
	t.Helper()
	h.run(h.ctx, host, line)
	h.e.ConsumeAll()
	if h.status != "" {
		t.Fatalf("%s: %s", line, h.status)
	}
}

// lastExit is the exit status of the last command in the terminal.
func (h *sandboxHarness) lastExit() int {
	if len(h.term.Entries) == 0 {
		return 0
	}
	return h.term.Entries[len(h.term.Entries)-1].Cmd.Exit
}

// sessionFigures are what a session of commands cost, as counted by the
// Go runtime.
type sessionFigures struct {
	first, last cost   // the first and last 50 commands, per command
	live        uint64 // heap in use after the session, after a GC
	commands    int
	elements    int // HTML elements of the page after the session
	scrollback  int // commands in the terminal's DOM
	failed      []string
}

type cost struct {
	allocs, bytes float64
	ms            float64
}

// runSession types n commands into a mounted sandbox page.
func runSession(t testing.TB, n int) sessionFigures {
	h := mountSandbox(t)
	lines := workload.SandboxCommands(n)
	var f sessionFigures
	var ms runtime.MemStats
	measure := func(from, to int) cost {
		runtime.ReadMemStats(&ms)
		a0, b0, t0 := ms.Mallocs, ms.TotalAlloc, time.Now()
		for _, l := range lines[from:to] {
			h.enter(t, l)
			if h.lastExit() != 0 {
				f.failed = append(f.failed, l)
			}
		}
		d := time.Since(t0)
		runtime.ReadMemStats(&ms)
		k := float64(to - from)
		return cost{allocs: float64(ms.Mallocs-a0) / k, bytes: float64(ms.TotalAlloc-b0) / k, ms: float64(d.Microseconds()) / 1000 / k}
	}
	const window = 50
	f.first = measure(0, window)
	measure(window, n-window)
	f.last = measure(n-window, n)
	runtime.GC()
	runtime.ReadMemStats(&ms)
	f.live = ms.HeapAlloc
	f.commands = len(h.cmds)
	f.elements, f.scrollback = countElements(h), countClass(h, "term-cmd")
	runtime.KeepAlive(h)
	return f
}

// BenchmarkSandboxSession runs the browser benchmark's 500 commands
// through the sandbox page natively and reports, per command, what the
// first and the last 50 allocated (a command that costs more as the
// session grows shows here), and the heap in use at the end.
//
//	go test ./app -run '^$' -bench SandboxSession -benchtime 1x
func BenchmarkSandboxSession(b *testing.B) {
	for b.Loop() {
		f := runSession(b, 500)
		if len(f.failed) > 0 || f.commands != 500 {
			b.Fatalf("%d commands of %d failed, the first: %v", len(f.failed), f.commands, f.failed)
		}
		b.ReportMetric(f.first.allocs, "allocs/cmd-first50")
		b.ReportMetric(f.last.allocs, "allocs/cmd-last50")
		b.ReportMetric(f.first.bytes/1e3, "kB/cmd-first50")
		b.ReportMetric(f.last.bytes/1e3, "kB/cmd-last50")
		b.ReportMetric(f.last.ms, "ms/cmd-last50")
		b.ReportMetric(float64(f.live)/1e6, "MB-live")
		b.ReportMetric(float64(f.elements), "elements")
		b.ReportMetric(float64(f.scrollback), "cmds-shown")
	}
}

// countElements counts the HTML elements of a mounted component, from the
// markup go-app writes of it (text is escaped: every '<' opens a tag).
func countElements(c app.UI) int {
	s := app.HTMLString(c)
	n := 0
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '<' && s[i+1] != '/' {
			n++
		}
	}
	return n
}

// countClass counts the elements whose class list starts with cls.
func countClass(c app.UI, cls string) int {
	s := app.HTMLString(c)
	return strings.Count(s, `class="`+cls+`"`) + strings.Count(s, `class="`+cls+` `)
}
