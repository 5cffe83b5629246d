//go:build !wasm

package app

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/miplay/miplay/app/store"
)

func TestWorkbenchReplay(t *testing.T) {
	ctx := context.Background()
	cmds := []store.Command{
		{Line: "az group create -n rg-shop -l westeurope -o none"},
		{Line: "az vm create -g rg-shop -n vm-web --image Ubuntu2204 --generate-ssh-keys -o none"},
		{Host: "vm-web", Line: "hostname"},
		{Line: "export GREETING=hello"},
		{Host: "vm-web", Line: "echo $GREETING"},
	}
	a, err := newWorkbench(ctx, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := a.Hosts(); !reflect.DeepEqual(got, []string{""}) {
		t.Errorf("hosts of a fresh world = %q", got)
	}
	if err := a.Replay(ctx, cmds); err != nil {
		t.Fatal(err)
	}
	if got := a.Hosts(); !reflect.DeepEqual(got, []string{"", "vm-web"}) {
		t.Errorf("hosts = %q, want the workstation and vm-web", got)
	}
	if got := a.Commands(); !reflect.DeepEqual(got, cmds) {
		t.Errorf("commands = %+v", got)
	}
	tr := a.Transcript()
	if len(tr) != len(cmds) || tr[2].Output != "vm-web\n" || tr[4].Output != "hello\n" {
		t.Errorf("transcript: %d commands; hostname printed %q, echo %q", len(tr), tr[2].Output, tr[4].Output)
	}

	// The same commands on a fresh world give the same world: the engine
	// is deterministic.
	b, _ := newWorkbench(ctx, nil, 0)
	if err := b.Replay(ctx, a.Commands()); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(summaries(a), summaries(b)) {
		t.Errorf("replaying gave another event log")
	}

	// A command on a host that does not exist is refused and not recorded.
	c, _ := newWorkbench(ctx, nil, 0)
	err = c.Replay(ctx, []store.Command{{Line: "echo one"}, {Host: "vm-web", Line: "hostname"}})
	var unknown *unknownHostError
	if !errors.As(err, &unknown) || !strings.Contains(err.Error(), "command 2") || !strings.Contains(err.Error(), `no host "vm-web"`) {
		t.Errorf("replaying on a missing host: %v", err)
	}
	if n := len(c.Commands()); n != 1 {
		t.Errorf("%d commands recorded, want 1", n)
	}
	if _, err := c.Run(ctx, "", "   "); err == nil {
		t.Errorf("an empty command ran")
	}
}

func TestWorkbenchFork(t *testing.T) {
	ctx := context.Background()
	s := engineScenario(libraryScenario("exercise-vm-identity"))
	if s == nil {
		t.Fatal("no exercise-vm-identity in the library: the test needs an exercise")
	}
	b, err := newWorkbench(ctx, s, len(s.Steps))
	if err != nil {
		t.Fatal(err)
	}
	if got := b.Hosts(); !reflect.DeepEqual(got, []string{"", "vm-web"}) {
		t.Errorf("hosts after the setup = %q", got)
	}
	if len(b.Transcript()) == 0 || len(b.Commands()) != 0 {
		t.Errorf("after the setup: %d results, %d commands of the learner's", len(b.Transcript()), len(b.Commands()))
	}
	if _, err := newWorkbench(ctx, s, len(s.Steps)+1); err == nil {
		t.Errorf("a fork past the last step worked")
	}
	n := b.Names()
	if !reflect.DeepEqual(n.VMs, []string{"vm-web"}) || !reflect.DeepEqual(n.Groups, []string{"rg-shop"}) {
		t.Errorf("names: VMs %q, groups %q", n.VMs, n.Groups)
	}
}

func summaries(b *workbench) []string {
	var out []string
	for _, e := range b.Events(0) {
		out = append(out, e.Summary())
	}
	return out
}

// A sandbox forked from a library scenario: the file starts from the
// scenario's world (its seed, its steps) and passes.
func TestScenarioFromForkedSandbox(t *testing.T) {
	ctx := context.Background()
	lib, err := Library()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range lib {
		steps := len(s.Steps)
		b, err := newWorkbench(ctx, engineScenario(s), steps)
		if err != nil {
			t.Fatalf("%s: %v", s.Name, err)
		}
		if _, err := b.Run(ctx, "", "az group list --query [].name -o tsv"); err != nil {
			t.Fatal(err)
		}
		src, err := ScenarioFromHistory(ctx, b.Source("Fork of "+s.FrontMatter.Title), b.Commands())
		if err != nil {
			t.Fatal(err)
		}
		runGenerated(t, src)
		if !strings.Contains(string(src), "started from `"+Slug(s)+"`") {
			t.Errorf("%s: the file does not say where it started", s.Name)
		}
	}
}

// The solution's commands keep their mark through a replay, so that the
// exercise's terminal labels them after a reload.
func TestWorkbenchSolutionSurvivesReplay(t *testing.T) {
	ctx := context.Background()
	sc := engineScenario(libraryScenario("exercise-vm-identity"))
	if sc == nil || sc.Exercise == nil || len(sc.Exercise.Solution) == 0 {
		t.Fatal("no exercise-vm-identity with a solution in the library")
	}
	a, err := newWorkbench(ctx, sc, len(sc.Steps))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Run(ctx, "", "echo mine"); err != nil {
		t.Fatal(err)
	}
	if a.SolutionRan() {
		t.Errorf("SolutionRan before RunSolution")
	}
	if err := a.RunSolution(ctx); err != nil {
		t.Fatal(err)
	}
	b, _ := newWorkbench(ctx, sc, len(sc.Steps))
	if err := b.Replay(ctx, a.Commands()); err != nil {
		t.Fatal(err)
	}
	for _, w := range []*workbench{a, b} {
		if !w.SolutionRan() {
			t.Errorf("SolutionRan = false after the solution")
		}
		var got []string
		for _, r := range w.Transcript() {
			if r.Command == nil {
				got = append(got, fmt.Sprintf("%s %v", r.Text, w.IsSolution(r)))
			}
		}
		want := []string{"echo mine false"}
		for _, st := range sc.Exercise.Solution {
			for _, c := range st.Commands {
				want = append(want, c.Text+" true")
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("the learner's commands and whether each is the solution's:\n got %q\nwant %q", got, want)
		}
	}
}
