package app

import (
	"reflect"
	"testing"

	"github.com/miplay/miplay/scenarios"
)

// TestParseLibraryFile checks that parsing one file of the library, as
// the player does before the gallery has parsed them all, gives what
// Library gives.
func TestParseLibraryFile(t *testing.T) {
	list, err := Library()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range list {
		got := parseLibraryFile(Slug(want))
		if got == nil {
			t.Errorf("%s: not found", Slug(want))
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: parsed alone, it differs from Library's", Slug(want))
		}
	}
	for _, slug := range []string{"", "nope", "README", "../scenarios/hello", "a/b", "."} {
		if s := parseLibraryFile(slug); s != nil {
			t.Errorf("parseLibraryFile(%q) = %s, want nil", slug, s.Name)
		}
	}
}

// TestLibraryReusesParsedFiles checks that the whole library, parsed after
// the player parsed one file, keeps that file's scenario instead of parsing
// it again, and is otherwise what ParseFS gives.
func TestLibraryReusesParsedFiles(t *testing.T) {
	want, wantErr := scenarios.ParseFS(scenarios.Library)
	if len(want) < 2 {
		t.Fatalf("the library has %d scenarios, want 2 or more", len(want))
	}
	l := &library{fsys: scenarios.Library}
	one := l.find(Slug(want[1]))
	if one == nil {
		t.Fatalf("%s: not found", Slug(want[1]))
	}
	if l.find("nope") != nil {
		t.Error(`find("nope") found a scenario`)
	}
	got, err := l.all()
	if (err == nil) != (wantErr == nil) {
		t.Errorf("error %v, want %v", err, wantErr)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the library parsed after one file differs from ParseFS's")
	}
	if len(got) > 1 && got[1] != one {
		t.Errorf("%s was parsed again", Slug(want[1]))
	}
	if l.find(Slug(want[1])) != one {
		t.Errorf("after the whole parse, find returns another %s", Slug(want[1]))
	}
}
