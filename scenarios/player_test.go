package scenarios

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestPlayer(t *testing.T) {
	ctx := context.Background()
	s := mustParse(t, "x.md", front+"\n"+console("$ count", "1")+console("$ count", "3")+console("$ count", "4", "$ echo a", "b"))
	p, err := NewPlayer(s, fakeOpts)
	if err != nil {
		t.Fatal(err)
	}
	fake := func() *fakeRunner { return p.Runner().(*fakeRunner) }
	sr, err := p.Step(ctx)
	if err != nil || !sr.Passed || sr.Kind != StepSetup || sr.Step != s.Steps[0] || p.Next() != 1 {
		t.Fatalf("Step = %+v, %v", sr, err)
	}
	// The learner types a command between steps.
	res, err := p.Exec(ctx, "vm", "count")
	if err != nil || res.Output != "2\n" || !res.Matched || res.Command != nil || res.Host != "vm" {
		t.Fatalf("Exec = %+v, %v", res, err)
	}
	if sr, err = p.Step(ctx); err != nil || !sr.Passed {
		t.Fatalf("step 2 = %+v, %v", sr, err)
	}
	sr, err = p.Step(ctx)
	if err != nil || sr.Passed || len(sr.Results) != 2 || !sr.Results[0].Matched || sr.Results[1].Matched || sr.Results[1].Diff == "" {
		t.Fatalf("step 3 = %+v, %v", sr, err)
	}
	if !p.Done() || len(p.Results()) != 3 || len(p.History()) != 5 {
		t.Errorf("Done %v, %d results, %d in history", p.Done(), len(p.Results()), len(p.History()))
	}
	if _, err := p.Step(ctx); !errors.Is(err, ErrNoMoreSteps) {
		t.Errorf("Step after the end: %v", err)
	}

	// Back replays steps 1 and 2 and the learner's command on a fresh world.
	old := fake()
	if err := p.Back(ctx); err != nil {
		t.Fatal(err)
	}
	if fake() == old || p.Next() != 2 || len(p.Results()) != 2 || fake().count != 3 {
		t.Errorf("after Back: next %d, %d results, count %d", p.Next(), len(p.Results()), fake().count)
	}
	if got, want := strings.Join(fake().lines, ","), "workstation:count,vm:count,workstation:count"; got != want {
		t.Errorf("replayed %s, want %s", got, want)
	}
	// Back again drops step 2 and keeps the learner's command before it.
	if err := p.Back(ctx); err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(fake().lines, ","), "workstation:count,vm:count"; got != want || p.Next() != 1 {
		t.Errorf("replayed %s, want %s; next %d", got, want, p.Next())
	}
	if err := p.Back(ctx); err != nil {
		t.Fatal(err)
	}
	if len(fake().lines) != 0 || p.Next() != 0 || len(p.History()) != 0 {
		t.Errorf("after going back to the start: %v", fake().lines)
	}
	// RunAll stops at the step that does not match: without the
	// learner's command, step 2 counts 2.
	all, err := p.RunAll(ctx)
	if err != nil || len(all) != 2 || all[1].Passed || p.Done() {
		t.Errorf("RunAll = %d results, %v", len(all), err)
	}
	if err := p.Goto(ctx, 1); err != nil || p.Next() != 1 || fake().count != 1 {
		t.Errorf("Goto(1): %v, next %d", err, p.Next())
	}
	if err := p.Goto(ctx, 3); err != nil || p.Next() != 3 {
		t.Errorf("Goto(3): %v, next %d", err, p.Next())
	}
	if err := p.Goto(ctx, 4); err == nil {
		t.Error("Goto(4) succeeded")
	}
	if err := p.Reset(); err != nil || p.Next() != 0 || len(fake().lines) != 0 {
		t.Errorf("Reset: %v", err)
	}
	if res, err := p.Exec(ctx, "nowhere", "broken"); err != nil || res.Exit != 1 || res.Output != "the runner broke\n" || !res.Chunks[0].Stderr {
		t.Errorf("Exec of a failing runner = %+v, %v", res, err)
	}
	if _, _, err := p.Check(ctx); !errors.Is(err, ErrNotExercise) {
		t.Errorf("Check on a plain scenario: %v", err)
	}
	if _, err := p.Solve(ctx); !errors.Is(err, ErrNotExercise) {
		t.Errorf("Solve on a plain scenario: %v", err)
	}
}

func TestPlayerExercise(t *testing.T) {
	ctx := context.Background()
	s := mustParse(t, "ex.md", exerciseSrc)
	p, err := NewPlayer(s, fakeOpts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.RunAll(ctx); err != nil {
		t.Fatal(err)
	}
	ok, rep, err := p.Check(ctx)
	if err != nil || ok || len(rep.Results) != 1 {
		t.Fatalf("Check on the starting state = %v, %v", ok, err)
	}
	// The learner gets it wrong, then right.
	p.Exec(ctx, "", "set x 1")
	if ok, _, _ := p.Check(ctx); ok {
		t.Error("Check passed with x=1")
	}
	p.Exec(ctx, "", "set x 2")
	if ok, rep, _ := p.Check(ctx); !ok || !rep.Passed {
		t.Errorf("Check with x=2 failed: %s", rep)
	}
	// Back to the start: a fresh world, where the check fails again.
	if err := p.Back(ctx); err != nil {
		t.Fatal(err)
	}
	if ok, _, _ := p.Check(ctx); ok {
		t.Error("Check passed after going back")
	}
	// Solve runs the setup and the solution.
	sol, err := p.Solve(ctx)
	if err != nil || len(sol) != 2 || !sol[0].Passed || !sol[1].Passed || sol[0].Kind != StepSolution {
		t.Fatalf("Solve = %+v, %v", sol, err)
	}
	if ok, _, _ := p.Check(ctx); !ok {
		t.Error("Check failed after Solve")
	}
	if more, err := p.Solve(ctx); err != nil || len(more) != 0 {
		t.Errorf("Solve again = %v, %v", more, err)
	}
}

func TestPlayerReplay(t *testing.T) {
	ctx := context.Background()
	s := mustParse(t, "ex.md", exerciseSrc)
	p, _ := NewPlayer(s, fakeOpts)
	p.Step(ctx)
	p.Exec(ctx, "vm", "set x 1")
	p.Check(ctx)
	p.Solve(ctx)
	saved := p.Actions()
	want := []Action{{Kind: StepSetup}, {Kind: ActionCommand, Host: "vm", Line: "set x 1"}, {Kind: StepCheck}, {Kind: StepSolution}, {Kind: StepSolution, Index: 1}}
	if len(saved) != len(want) {
		t.Fatalf("Actions = %+v", saved)
	}
	for i := range want {
		if saved[i] != want[i] {
			t.Errorf("action %d = %+v, want %+v", i, saved[i], want[i])
		}
	}
	// After a reload: a new player replays the saved actions.
	q, _ := NewPlayer(s, fakeOpts)
	if err := q.Replay(ctx, saved); err != nil {
		t.Fatal(err)
	}
	if q.Next() != 1 || len(q.History()) != len(p.History()) || q.Runner().(*fakeRunner).vals["x"] != "2" {
		t.Errorf("after Replay: next %d, %d commands", q.Next(), len(q.History()))
	}
	for _, bad := range [][]Action{{{Kind: StepSetup, Index: 3}}, {{Kind: StepSolution, Index: 1}}, {{Kind: "dance"}}} {
		if err := q.Replay(ctx, bad); err == nil {
			t.Errorf("Replay(%+v) succeeded", bad)
		}
	}
}

func TestPlayerRunnerErrorIsOutput(t *testing.T) {
	ctx := context.Background()
	s := mustParse(t, "x.md", front+"\n"+console("$ count", "1")+console("$ broken", "$ count", "2"))
	p, _ := NewPlayer(s, fakeOpts)
	p.Step(ctx)
	sr, err := p.Step(ctx)
	if err != nil || sr.Passed || sr.Results[0].Output != "the runner broke\n" || sr.Results[0].Matched || !sr.Results[1].Matched {
		t.Fatalf("Step = %+v, %v", sr, err)
	}
	if err := p.Back(ctx); err != nil || p.Next() != 1 {
		t.Fatalf("Back: %v, next %d", err, p.Next())
	}
	if err := p.Goto(ctx, 2); err != nil || p.Next() != 2 {
		t.Fatalf("Goto(2): %v", err)
	}
}
