package scenarios

import (
	"testing"
	"testing/fstest"
)

func TestIsScenarioFile(t *testing.T) {
	for name, want := range map[string]bool{"a.md": true, "dir/b.md": true, "README.md": false, "readme.md": false, "a.txt": false, "md": false} {
		if got := IsScenarioFile(name); got != want {
			t.Errorf("IsScenarioFile(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestParseFS(t *testing.T) {
	good := front + "\nText.\n\n```console\n$ echo\n```\n"
	fsys := fstest.MapFS{
		"b.md":      {Data: []byte(good)},
		"a.md":      {Data: []byte(good)},
		"bad.md":    {Data: []byte("nope")},
		"README.md": {Data: []byte("# The library")},
		"notes.txt": {Data: []byte("x")},
		"sub/c.md":  {Data: []byte(good)},
	}
	list, err := ParseFS(fsys)
	if err == nil || err.Error() != "bad.md:1: expected front matter: a first line ---, then YAML with title and level, then a line ---" {
		t.Errorf("err = %v", err)
	}
	if len(list) != 2 || list[0].Name != "a.md" || list[1].Name != "b.md" {
		t.Errorf("ParseFS = %v", list)
	}
}
