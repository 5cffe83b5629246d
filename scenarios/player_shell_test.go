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
