//go:build !wasm

package app

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/miplay/miplay/app/store"
	"github.com/miplay/miplay/app/wire"
)

// A workbench opens on a library scenario by its slug, on another by its
// file, or on a fresh world.
func TestBenchOpening(t *testing.T) {
	lib, ok, err := findScenario("exercise-vm-identity")
	if err != nil || !ok {
		t.Fatalf("the library's exercise-vm-identity: %v, library %v", err, ok)
	}
	if got := benchOpening(lib, true, 2); !reflect.DeepEqual(got, wire.WorkbenchOpenRequest{Slug: "exercise-vm-identity", Step: 2}) {
		t.Errorf("a library scenario: %+v", got)
	}
	up := &wire.Scenario{Name: "mine.md", Source: "---\ntitle: Mine\n---\n"}
	if got := benchOpening(up, false, 1); got.Slug != "" || got.Name != "mine.md" || got.Source != up.Source || got.Step != 1 {
		t.Errorf("an uploaded scenario: %+v", got)
	}
	if got := benchOpening(nil, false, 3); !reflect.DeepEqual(got, wire.WorkbenchOpenRequest{}) {
		t.Errorf("a fresh world: %+v", got)
	}
	if _, _, err := findScenario("no-such-scenario"); err == nil || err.Error() != `there is no scenario "no-such-scenario" in the library or among the ones you uploaded` {
		t.Errorf("a missing scenario: %v", err)
	}
	cmds := []store.Command{{Line: "echo"}, {Host: "vm-web", Line: "hostname", Solution: true}}
	back := make([]store.Command, 0, len(cmds))
	for _, c := range benchCommands(cmds) {
		back = append(back, savedCommand(c))
	}
	if !reflect.DeepEqual(back, cmds) {
		t.Errorf("commands there and back: %+v", back)
	}
}

// A save that comes after a later one of the same record is dropped, and
// the writes never overlap.
func TestSaveQueue(t *testing.T) {
	var q saveQueue
	var wrote []string
	a1, b1, a2 := q.ticket(), q.ticket(), q.ticket()
	q.write("a", a2, func() { wrote = append(wrote, "a2") })
	q.write("a", a1, func() { wrote = append(wrote, "a1") })
	q.write("b", b1, func() { wrote = append(wrote, "b1") })
	if want := []string{"a2", "b1"}; !reflect.DeepEqual(wrote, want) {
		t.Errorf("wrote %q, want %q", wrote, want)
	}

	var mu sync.Mutex
	in, most := 0, 0
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		n := q.ticket()
		wg.Add(2)
		work := func() {
			mu.Lock()
			in++
			most = max(most, in)
			mu.Unlock()
			time.Sleep(time.Millisecond)
			mu.Lock()
			in--
			mu.Unlock()
		}
		go func() { defer wg.Done(); q.write(fmt.Sprint("r", i%3), n, work) }()
		go func() { defer wg.Done(); q.update(work) }()
	}
	wg.Wait()
	if most != 1 {
		t.Errorf("%d writes at once", most)
	}
}

// A session is closed when its owner drops it, whether the engine's answer
// came before or after.
func TestBenchOwnerClosesTheSession(t *testing.T) {
	ctx := context.Background()
	open := func() int {
		u, err := callEngine[wire.WorkbenchUpdate](ctx, wire.MethodWorkbenchOpen, wire.WorkbenchOpenRequest{})
		if err != nil {
			t.Fatal(err)
		}
		return u.Session
	}
	closed := func(id int) bool {
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			_, err := callEngine[wire.WorkbenchUpdate](ctx, wire.MethodWorkbenchRun, wire.WorkbenchRunRequest{Session: id, Line: "echo"})
			if wire.IsCode(err, wire.CodeNoSession) {
				return true
			}
			time.Sleep(5 * time.Millisecond)
		}
		return false
	}
	before := &sessionOwner{}
	id := open()
	if !before.adopt(id) {
		t.Fatal("an owner not dropped refused its session")
	}
	before.drop()
	if !closed(id) {
		t.Errorf("a session adopted then dropped is still open")
	}
	after := &sessionOwner{}
	after.drop()
	id = open()
	if after.adopt(id) {
		t.Errorf("a dropped owner adopted a session")
	}
	if !closed(id) {
		t.Errorf("a session that came after its owner was dropped is still open")
	}
	var none *sessionOwner
	none.drop() // no owner, no session: nothing to do
}

// exerciseHarness mounts the exercise page as sandboxHarness mounts the
// sandbox.
type exerciseHarness struct {
	*exercisePage
	ctx app.Context
	e   app.TestEngine
}

func (h *exerciseHarness) OnPreRender(ctx app.Context) { h.ctx = ctx }

func mountExercise(t *testing.T, slug string) *exerciseHarness {
	t.Helper()
	h := &exerciseHarness{exercisePage: &exercisePage{slug: slug, sc: libraryScenario(slug)}, e: app.NewTestEngine()}
	if err := h.e.Load(h); err != nil {
		t.Fatal(err)
	}
	h.e.ConsumeAll()
	h.start(h.ctx, false)
	h.e.ConsumeAll()
	if h.session == 0 {
		t.Fatalf("the exercise did not start: %s", h.problem)
	}
	t.Cleanup(func() { h.OnDismount() })
	return h
}

// groups lists the terminal's groups, each as its label and its number of
// commands, as the end-to-end tests read them.
func groups(entries []termEntry) string {
	var out []string
	n := 0
	for i, e := range entries {
		n++
		if i == len(entries)-1 || entries[i+1].Group != e.Group {
			out = append(out, fmt.Sprintf("%s: %d", e.Group, n))
			n = 0
		}
	}
	return strings.Join(out, " | ")
}

// The exercise page: its setup in the terminal, a check that fails, the
// learner's command, the solution, a check that passes.
func TestExercisePage(t *testing.T) {
	const slug = "exercise-vm-identity"
	h := mountExercise(t, slug)
	x := h.sc.Exercise
	setup := 0
	for _, st := range h.sc.Steps {
		setup += len(st.Commands)
	}
	if got := len(h.term.Entries); got != setup || h.term.Entries[0].Group != "setup, step 1" {
		t.Fatalf("after the start, the terminal: %s", groups(h.term.Entries))
	}
	if len(h.panels.Seq.Exchanges) == 0 || h.panels.LastFrom != 0 {
		t.Errorf("the request flow of the setup: %d exchanges from #%d", len(h.panels.Seq.Exchanges), h.panels.LastFrom)
	}
	if !reflect.DeepEqual(h.hosts, []string{"", "vm-web"}) {
		t.Errorf("hosts = %q", h.hosts)
	}

	h.runCheck(h.ctx, app.Event{})
	h.e.ConsumeAll()
	if h.check == nil || h.check.Passed || len(h.check.Rows) != len(x.CheckStep.Commands) || h.solved {
		t.Fatalf("the check on the starting world: %+v", h.check)
	}
	for _, e := range h.term.Entries[setup:] {
		if e.Group != "check" || !e.Cmd.Matched || e.Cmd.Diff != "" || e.Cmd.Want != nil {
			t.Errorf("a check's command in the terminal: %+v", e)
		}
	}
	html := app.HTMLString(h)
	for _, want := range []string{"Not yet: the goal is not reached.", "The goal expects", "check__row--failed"} {
		if !strings.Contains(html, want) {
			t.Errorf("the failed check lacks %q", want)
		}
	}

	h.run(h.ctx, "", "echo mine")
	h.e.ConsumeAll()
	h.run(h.ctx, "vm-nothing", "hostname")
	h.e.ConsumeAll()
	if h.status != `there is no host "vm-nothing" in this world; the hosts are $ vm-web$` {
		t.Errorf("a command on a missing host: status %q", h.status)
	}
	h.showSolution(h.ctx, app.Event{})
	h.e.ConsumeAll()
	if !h.solution || h.status != "" {
		t.Fatalf("the solution: ran %v, status %q", h.solution, h.status)
	}
	var sol []store.Command
	for _, st := range x.Solution {
		for _, c := range st.Commands {
			sol = append(sol, store.Command{Host: c.Host, Line: c.Text, Solution: true})
		}
	}
	if want := append([]store.Command{{Line: "echo mine"}}, sol...); !reflect.DeepEqual(h.cmds, want) {
		t.Errorf("the learner's commands: %+v, want %+v", h.cmds, want)
	}
	var want []string
	for _, st := range h.sc.Steps {
		if len(st.Commands) > 0 {
			want = append(want, fmt.Sprintf("setup, step %d: %d", st.Index+1, len(st.Commands)))
		}
	}
	want = append(want, fmt.Sprintf("check: %d", len(x.CheckStep.Commands)), "your commands: 1", fmt.Sprintf("solution: %d", len(sol)))
	if got := groups(h.term.Entries); got != strings.Join(want, " | ") {
		t.Errorf("the terminal's groups: %s, want %s", got, strings.Join(want, " | "))
	}

	h.runCheck(h.ctx, app.Event{})
	h.e.ConsumeAll()
	if h.check == nil || !h.check.Passed || !h.solved {
		t.Errorf("the check after the solution: %+v, solved %v", h.check, h.solved)
	}
	// (go-app writes an element's attributes in a map's order.)
	if html := app.HTMLString(h); !strings.Contains(html, "Passed: the goal is reached.") || !strings.Contains(html, ">Passed</span>") {
		t.Errorf("the page does not say the exercise passed")
	}

	// Start over: the setup only, on a new session.
	old := h.session
	h.startOver(h.ctx, app.Event{})
	h.e.ConsumeAll()
	if h.session == old || len(h.term.Entries) != setup || len(h.cmds) != 0 || h.solution || h.check != nil {
		t.Errorf("after starting over: session %d (was %d), %d entries, %d commands, solution %v", h.session, old, len(h.term.Entries), len(h.cmds), h.solution)
	}
}
