package scenarios_test

import (
	"context"
	"testing"

	"github.com/miplay/miplay/engine"
	"github.com/miplay/miplay/scenarios"
)

// TestPlayerStepBackIsExact plays a library scenario on the simulated
// shell, steps back and runs the step again: the output is the same, to
// the byte, IDs and times included.
func TestPlayerStepBackIsExact(t *testing.T) {
	ctx := context.Background()
	s, err := scenarios.Parse("imds-token.md", mustRead("imds-token.md"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := scenarios.NewPlayer(s, scenarios.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Cloud() == nil {
		t.Fatal("Cloud() = nil for the simulated shell")
	}
	all, err := p.RunAll(ctx)
	if err != nil || len(all) != len(s.Steps) {
		t.Fatalf("RunAll: %d steps, %v", len(all), err)
	}
	for _, sr := range all {
		if !sr.Passed {
			t.Fatalf("step at line %d does not pass", sr.Step.Line)
		}
	}
	events := func() int {
		n := 0
		p.Cloud().Do(func(w *engine.World) { n = len(w.Events(0)) })
		return n
	}
	before := events()
	for back := len(s.Steps); back > 0; back-- {
		if err := p.Back(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if p.Next() != 0 || events() >= before {
		t.Fatalf("after stepping back to the start: next %d, %d events (was %d)", p.Next(), events(), before)
	}
	again, err := p.RunAll(ctx)
	if err != nil || len(again) != len(all) {
		t.Fatalf("RunAll again: %d steps, %v", len(again), err)
	}
	for i := range all {
		for j, r := range all[i].Results {
			if got := again[i].Results[j]; got.Output != r.Output || got.Exit != r.Exit {
				t.Errorf("step %d command %d: first run %q, replay %q", i+1, j+1, r.Output, got.Output)
			}
		}
	}
	if events() != before {
		t.Errorf("the replayed world has %d events, the first %d", events(), before)
	}
}

// TestPlayerPrepareBack checks that a back step prepared ahead, on another
// goroutine, is swapped in without a replay, and leads to the same world as
// a replay would: the same events and the same output when the step runs
// again.
func TestPlayerPrepareBack(t *testing.T) {
	ctx := context.Background()
	s, err := scenarios.Parse("03-read-a-blob-with-imds.md", mustRead("03-read-a-blob-with-imds.md"))
	if err != nil {
		t.Fatal(err)
	}
	runners := 0
	opts := scenarios.RunOptions{NewRunner: func(fm scenarios.FrontMatter) (scenarios.Runner, error) {
		runners++
		return scenarios.NewRunner(fm)
	}}
	plain, _ := scenarios.NewPlayer(s, opts)
	prepared, _ := scenarios.NewPlayer(s, opts)
	for _, p := range []*scenarios.Player{plain, prepared} {
		if _, err := p.RunAll(ctx); err != nil {
			t.Fatal(err)
		}
	}
	events := func(p *scenarios.Player) int {
		n := 0
		p.Cloud().Do(func(w *engine.World) { n = len(w.Events(0)) })
		return n
	}

	done := make(chan error)
	prepare := prepared.PrepareBack()
	go func() { done <- prepare(ctx) }()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	before := runners
	if err := prepared.Back(ctx); err != nil {
		t.Fatal(err)
	}
	if runners != before {
		t.Errorf("Back made %d new runners after PrepareBack, want none", runners-before)
	}
	if err := plain.Back(ctx); err != nil {
		t.Fatal(err)
	}
	if prepared.Next() != plain.Next() || events(prepared) != events(plain) {
		t.Fatalf("prepared back: step %d, %d events; replayed back: step %d, %d events",
			prepared.Next(), events(prepared), plain.Next(), events(plain))
	}
	a, err1 := prepared.Step(ctx)
	b, err2 := plain.Step(ctx)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	for i := range a.Results {
		if a.Results[i].Output != b.Results[i].Output {
			t.Errorf("command %d after a prepared back: %q, after a replay: %q", i+1, a.Results[i].Output, b.Results[i].Output)
		}
	}

	// A preparation made before the player moved is not used.
	stale := prepared.PrepareBack()
	if err := prepared.Back(ctx); err != nil {
		t.Fatal(err)
	}
	if err := stale(ctx); err != nil {
		t.Fatal(err)
	}
	before = runners
	if err := prepared.Back(ctx); err != nil {
		t.Fatal(err)
	}
	if runners == before {
		t.Errorf("Back used a preparation made for another step")
	}
}
