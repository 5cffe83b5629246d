package workload

import (
	"context"
	"strings"
	"testing"

	"github.com/miplay/miplay/scenarios"
)

func TestReplay(t *testing.T) {
	s, _, err := Replay(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := scenarios.Run(context.Background(), s, nil, scenarios.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, st := range s.Steps {
		for _, c := range st.Commands {
			if c.Exit != 0 {
				t.Errorf("%s: exit %d", c.Text, c.Exit)
			}
		}
	}
}

// TestSandboxCommands runs the sandbox session natively: every command
// must succeed, or the browser would measure error messages.
func TestSandboxCommands(t *testing.T) {
	ctx := context.Background()
	p, err := scenarios.NewPlayer(&scenarios.Scenario{Name: "sandbox.md"}, scenarios.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	lines := SandboxCommands(60)
	if len(lines) != 60 {
		t.Fatalf("%d lines", len(lines))
	}
	for _, l := range lines {
		res, err := p.Exec(ctx, "", l)
		if err != nil {
			t.Fatalf("%s: %v", l, err)
		}
		if res.Exit != 0 {
			t.Errorf("%s: exit %d\n%s", l, res.Exit, strings.Join(res.GotLines(), "\n"))
		}
	}
}

// BenchmarkStepBack steps back from the end of the replay scenario: a
// replay of its first 19 steps (95 commands) on a fresh world.
func BenchmarkStepBack(b *testing.B) {
	ctx := context.Background()
	s, _, err := Replay(ctx)
	if err != nil {
		b.Fatal(err)
	}
	p, err := scenarios.NewPlayer(s, scenarios.RunOptions{})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := p.RunAll(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := p.Back(ctx); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if _, err := p.Step(ctx); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}
