package app

import (
	"reflect"
	"testing"
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
