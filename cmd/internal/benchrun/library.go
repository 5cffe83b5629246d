package main

import (
	"context"
	"fmt"
	"io/fs"
	"os/exec"
	"slices"
	"time"

	"github.com/miplay/miplay/scenarios"
)

// measureLibrary times `go test ./scenarios -run TestScenarios -count=1`,
// what a scenario author's CI runs, beside the same command with no test
// selected: the build, link and start that every go test pays. Each is the
// fastest of 3 runs, interleaved: on a shared machine, other work only ever
// adds time.
func measureLibrary(ctx context.Context, cfg *config, t *table) error {
	gotest := func(run string) (time.Duration, error) {
		cmd := exec.CommandContext(ctx, cfg.goCmd, "test", "./scenarios", "-run", run, "-count=1")
		t0 := time.Now()
		out, err := cmd.CombinedOutput()
		if err != nil {
			return 0, fmt.Errorf("go test ./scenarios -run %s: %v\n%s", run, err, out)
		}
		return time.Since(t0), nil
	}
	// Once untimed, so that both timed runs find the package built.
	if _, err := gotest("^$"); err != nil {
		return err
	}
	var full, empty []float64
	for range 3 {
		d, err := gotest("^$")
		if err != nil {
			return err
		}
		empty = append(empty, ms(d))
		if d, err = gotest("^TestScenarios$"); err != nil {
			return err
		}
		full = append(full, ms(d))
	}
	n := 0
	if entries, err := fs.ReadDir(scenarios.Library, "."); err == nil {
		for _, e := range entries {
			if scenarios.IsScenarioFile(e.Name()) {
				n++
			}
		}
	}
	t.add("Scenario library under go test", row{
		Figure: fmt.Sprintf("go test ./scenarios -run TestScenarios (%d files; fastest of 3)", n),
		Ours:   slices.Min(full), Base: slices.Min(empty), BaseName: "-run '^$'", Unit: unitMS,
	})
	return nil
}
