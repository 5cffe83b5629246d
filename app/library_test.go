package app

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/miplay/miplay/app/worker"
	"github.com/miplay/miplay/scenarios"
)

var updateLibrary = flag.Bool("update", false, "rewrite app/library/*.json from scenarios/*.md")

// TestLibraryFiles checks that app/library holds one file per scenario of
// scenarios.Library, each the scenario as the engine parses it; with
// -update, it writes them.
func TestLibraryFiles(t *testing.T) {
	list, err := scenarios.ParseFS(scenarios.Library)
	if err != nil {
		t.Fatalf("the library does not parse: %v", err)
	}
	want := map[string][]byte{}
	for _, s := range list {
		b, err := json.MarshalIndent(worker.Scenario(s), "", "\t")
		if err != nil {
			t.Fatal(err)
		}
		want[worker.Scenario(s).Slug()+".json"] = append(b, '\n')
	}
	if *updateLibrary {
		old, _ := filepath.Glob(filepath.Join(libraryDir, "*.json"))
		for _, f := range old {
			if _, ok := want[filepath.Base(f)]; !ok {
				if err := os.Remove(f); err != nil {
					t.Fatal(err)
				}
			}
		}
		for name, b := range want {
			if err := os.WriteFile(filepath.Join(libraryDir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	const fix = "; run: go test ./app -run TestLibraryFiles -update"
	got, _ := filepath.Glob(filepath.Join(libraryDir, "*.json"))
	for _, f := range got {
		if _, ok := want[filepath.Base(f)]; !ok {
			t.Errorf("%s: no such scenario in scenarios/%s", f, fix)
		}
	}
	for name, b := range want {
		have, err := os.ReadFile(filepath.Join(libraryDir, name))
		if err != nil {
			t.Errorf("%s/%s is missing%s", libraryDir, name, fix)
			continue
		}
		if !bytes.Equal(have, b) {
			t.Errorf("%s/%s is out of date with scenarios/%s%s", libraryDir, name, name[:len(name)-len(".json")]+".md", fix)
		}
	}
}

// TestLibraryDecodes checks that the pages' library is the engine's: the
// whole list and each scenario found alone.
func TestLibraryDecodes(t *testing.T) {
	parsed, err := scenarios.ParseFS(scenarios.Library)
	if err != nil {
		t.Fatal(err)
	}
	l := &library{fsys: libraryFiles}
	one := l.find(worker.Scenario(parsed[1]).Slug())
	list, err := l.all()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != len(parsed) {
		t.Fatalf("the library has %d scenarios, want %d", len(list), len(parsed))
	}
	for i, s := range parsed {
		if !reflect.DeepEqual(list[i], worker.Scenario(s)) {
			t.Errorf("%s: decoded, it differs from the engine's parse", s.Name)
		}
	}
	if list[1] != one {
		t.Errorf("%s was decoded twice", parsed[1].Name)
	}
	for _, slug := range []string{"", "nope", "README", "../scenarios/hello", "a/b", "."} {
		if s := l.find(slug); s != nil {
			t.Errorf("find(%q) = %s, want nil", slug, s.Name)
		}
	}
}
