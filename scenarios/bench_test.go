package scenarios_test

import (
	"context"
	"io/fs"
	"testing"

	"github.com/miplay/miplay/scenarios"
)

func libraryFiles(b *testing.B) map[string][]byte {
	files := map[string][]byte{}
	entries, err := fs.ReadDir(scenarios.Library, ".")
	if err != nil {
		b.Fatal(err)
	}
	for _, e := range entries {
		if scenarios.IsScenarioFile(e.Name()) {
			src, _ := fs.ReadFile(scenarios.Library, e.Name())
			files[e.Name()] = src
		}
	}
	return files
}

// BenchmarkParseLibrary parses every file of the library once per
// iteration.
func BenchmarkParseLibrary(b *testing.B) {
	files := libraryFiles(b)
	size := 0
	for _, src := range files {
		size += len(src)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for name, src := range files {
			if _, err := scenarios.Parse(name, src); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkRunLibrary runs every file of the library once per iteration,
// each on a fresh world.
func BenchmarkRunLibrary(b *testing.B) {
	list, err := scenarios.ParseFS(scenarios.Library)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range list {
			if _, err := scenarios.Run(ctx, s, nil, scenarios.RunOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	}
}
