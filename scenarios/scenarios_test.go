package scenarios_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/miplay/miplay/scenarios"
)

var update = flag.Bool("update", false, "rewrite the scenario files' expected output from what runs")

// TestScenarios runs every scenario file of the library as a subtest; with
// -update it rewrites their expected output instead.
func TestScenarios(t *testing.T) {
	files, _ := filepath.Glob("*.md")
	for _, file := range files {
		if !scenarios.IsScenarioFile(file) {
			continue
		}
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			s, err := scenarios.Parse(file, src)
			if err != nil {
				t.Fatal(err)
			}
			if !*update {
				if _, err := scenarios.Run(t.Context(), s, nil, scenarios.RunOptions{}); err != nil {
					t.Fatal(err)
				}
				return
			}
			out, err := scenarios.Update(t.Context(), s, scenarios.RunOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out, src) {
				if err := os.WriteFile(file, out, 0o666); err != nil {
					t.Fatal(err)
				}
				t.Logf("updated %s", file)
			}
		})
	}
}

// TestLibraryLint checks every scenario file as miplay check does.
func TestLibraryLint(t *testing.T) {
	files, _ := filepath.Glob("*.md")
	for _, file := range files {
		if !scenarios.IsScenarioFile(file) {
			continue
		}
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range scenarios.Lint(file, src) {
			if p.Warning {
				t.Log(p)
			} else {
				t.Error(p)
			}
		}
	}
}

// TestLibraryEmbedded checks that Library holds the files on disk, so the
// browser and miplay see what go test checks.
func TestLibraryEmbedded(t *testing.T) {
	if *update {
		t.Skip("the embedded copy is the one from before -update")
	}
	list, err := scenarios.ParseFS(scenarios.Library)
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("*.md")
	var want []string
	for _, f := range files {
		if scenarios.IsScenarioFile(f) {
			want = append(want, f)
		}
	}
	if len(list) != len(want) {
		t.Fatalf("Library has %d scenarios, the directory %d", len(list), len(want))
	}
	for i, s := range list {
		disk, _ := os.ReadFile(want[i])
		if s.Name != want[i] || !bytes.Equal(s.Source(), disk) {
			t.Errorf("Library's %s differs from the file %s: rebuild", s.Name, want[i])
		}
	}
}
