package app

import (
	"context"
	"strings"
	"testing"

	"github.com/miplay/miplay/app/store"
	"github.com/miplay/miplay/app/wire"
)

func parse(t *testing.T, name, src string) *wire.Scenario {
	t.Helper()
	s, err := parseScenario(context.Background(), name, src)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestBuildGalleryAndFilter(t *testing.T) {
	a := parse(t, "a.md", "---\ntitle: Read a blob\nsummary: With IMDS.\nlevel: beginner\ntags: [storage, imds]\n---\n\nOne.\n\n```console\n$ echo 1\n1\n```\n\nTwo.\n\n```console\n$ echo 2\n2\n```\n")
	b := parse(t, "b.md", "---\ntitle: Key Vault\nlevel: advanced\ntags: [key-vault]\nexercise: true\n---\n\nSet up.\n\n```console\n$ echo 1\n1\n```\n\n## Goal\n\nDo it.\n\n```console check\n$ echo ok\nok\n```\n\n## Hints\n\n- Look.\n\n## Solution\n\n```console\n$ echo done\ndone\n```\n")
	items := BuildGallery([]*wire.Scenario{a, b}, []store.ExerciseProgress{
		{Scenario: "a", Step: 1},
		{Scenario: "b", Step: 9, Solved: true},
		{Scenario: "gone", Step: 3},
	}, false)
	if len(items) != 2 {
		t.Fatalf("%d items", len(items))
	}
	if it := items[0]; it.Slug != "a" || it.Steps != 2 || it.Done != 1 || it.Status() != "1 of 2 steps" || it.Exercise {
		t.Errorf("a = %+v, status %q", it, it.Status())
	}
	if it := items[1]; it.Slug != "b" || !it.Exercise || it.Done != 1 || !it.Passed || it.Status() != "Passed" {
		t.Errorf("b = %+v, status %q", it, it.Status())
	}
	if a, b := items[0].Path(), items[1].Path(); a != "/play/a" || b != "/exercise/b" {
		t.Errorf("paths = %q, %q: want the player for a scenario, the workspace for an exercise", a, b)
	}
	if got := (GalleryItem{Steps: 3}).Status(); got != "Not started" {
		t.Errorf("status = %q", got)
	}
	if got := (GalleryItem{Steps: 3, Done: 3}).Status(); got != "Finished" {
		t.Errorf("status = %q", got)
	}

	tests := []struct {
		f    GalleryFilter
		want string
	}{
		{GalleryFilter{}, "a b"},
		{GalleryFilter{Query: "BLOB imds"}, "a"},
		{GalleryFilter{Query: "blob vault"}, ""},
		{GalleryFilter{Query: "key-vault"}, "b"},
		{GalleryFilter{Level: "advanced"}, "b"},
		{GalleryFilter{Tag: "storage"}, "a"},
		{GalleryFilter{Tag: "stor"}, ""},
		{GalleryFilter{Kind: "exercise"}, "b"},
		{GalleryFilter{Kind: "scenario"}, "a"},
		{GalleryFilter{Level: "beginner", Tag: "key-vault"}, ""},
	}
	for _, tt := range tests {
		var got []string
		for _, it := range items {
			if tt.f.Match(it) {
				got = append(got, it.Slug)
			}
		}
		if s := strings.Join(got, " "); s != tt.want {
			t.Errorf("%+v: %q, want %q", tt.f, s, tt.want)
		}
	}
	if got := strings.Join(galleryTags(items), " "); got != "imds key-vault storage" {
		t.Errorf("tags = %q", got)
	}
}
