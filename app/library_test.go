package app

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/miplay/miplay/app/worker"
	"github.com/miplay/miplay/scenarios"
)

var updateLibrary = flag.Bool("update", false, "rewrite app/library/*.json and app/library/openings/*.json from scenarios/*.md")

// TestLibraryFiles checks that app/library holds one file per scenario of
// scenarios.Library, each the scenario as the engine parses it, and
// app/library/openings one per scenario, each its start in the player as
// the engine answers (wire.PlayOpening); with -update, it writes them.
func TestLibraryFiles(t *testing.T) {
	list, err := scenarios.ParseFS(scenarios.Library)
	if err != nil {
		t.Fatalf("the library does not parse: %v", err)
	}
	h := worker.NewHost()
	want := map[string][]byte{} // by path, from app
	for _, s := range list {
		ws := worker.Scenario(s)
		b, err := json.MarshalIndent(ws, "", "\t")
		if err != nil {
			t.Fatal(err)
		}
		want[filepath.Join(libraryDir, ws.Slug()+".json")] = append(b, '\n')
		opening, err := h.Opening(context.Background(), ws.Slug())
		if err != nil {
			t.Fatalf("%s: the opening: %v", s.Name, err)
		}
		// Compact: the page's program carries these, and they are most
		// of the library's bytes.
		if b, err = json.Marshal(opening); err != nil {
			t.Fatal(err)
		}
		want[filepath.Join(openingsDir, ws.Slug()+".json")] = append(b, '\n')
	}
	var have []string
	for _, dir := range []string{libraryDir, openingsDir} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
		have = append(have, files...)
	}
	if *updateLibrary {
		for _, f := range have {
			if _, ok := want[f]; !ok {
				if err := os.Remove(f); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := os.MkdirAll(openingsDir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, b := range want {
			if err := os.WriteFile(name, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	const fix = "; run: go test ./app -run TestLibraryFiles -update"
	for _, f := range have {
		if _, ok := want[f]; !ok {
			t.Errorf("%s: no such scenario in scenarios/%s", f, fix)
		}
	}
	for name, b := range want {
		got, err := os.ReadFile(name)
		if err != nil {
			t.Errorf("%s is missing%s", name, fix)
			continue
		}
		if !bytes.Equal(got, b) {
			t.Errorf("%s is out of date with scenarios/%s%s", name, strings.TrimSuffix(filepath.Base(name), ".json")+".md", fix)
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

// TestLibraryOpeningsDecode checks that the page reads each opening as the
// engine answers it, the first step decoded when asked.
func TestLibraryOpeningsDecode(t *testing.T) {
	parsed, err := scenarios.ParseFS(scenarios.Library)
	if err != nil {
		t.Fatal(err)
	}
	h := worker.NewHost()
	l := &library{fsys: libraryFiles}
	for _, s := range parsed {
		slug := worker.Scenario(s).Slug()
		want, err := h.Opening(context.Background(), slug)
		if err != nil {
			t.Fatal(err)
		}
		o := l.opening(slug)
		if o == nil {
			t.Errorf("%s: no opening", slug)
			continue
		}
		if l.opening(slug) != o {
			t.Errorf("%s: the opening was decoded twice", slug)
		}
		first, err := o.first()
		if err != nil {
			t.Errorf("%s: %v", slug, err)
		}
		if !reflect.DeepEqual(o.Open, want.Open) || !reflect.DeepEqual(first, want.First) {
			t.Errorf("%s: decoded, the opening differs from the engine's", slug)
		}
	}
	for _, slug := range []string{"", "nope", "../library/hello", "a/b"} {
		if o := l.opening(slug); o != nil {
			t.Errorf("opening(%q) = %v, want nil", slug, o)
		}
	}
}
