package shell

import (
	"os"
	"strings"
	"testing"
)

// TestCommandReferenceUpToDate fails when COMMANDS.md no longer matches
// the command table.
func TestCommandReferenceUpToDate(t *testing.T) {
	got := Reference(newTestSession(t).Commands())
	if *update {
		if err := os.WriteFile("COMMANDS.md", []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile("COMMANDS.md")
	if err != nil || string(want) != got {
		t.Fatal("COMMANDS.md is stale: run go test ./engine/shell -run TestCommandReferenceUpToDate -update")
	}
}

// TestCommandsDocumented keeps every command's usage complete enough to
// make a useful reference.
func TestCommandsDocumented(t *testing.T) {
	cmds := newTestSession(t).Commands()
	for i, c := range cmds {
		if c.Summary == "" || c.Synopsis == "" || c.Simulates == "" {
			t.Errorf("%s: needs a Summary, a Synopsis and a Simulates", c.Name)
		}
		if !strings.HasPrefix(c.Synopsis, c.Name) {
			t.Errorf("%s: synopsis %q does not start with the name", c.Name, c.Synopsis)
		}
		if i > 0 && cmds[i-1].Name >= c.Name {
			t.Errorf("Commands not sorted: %s before %s", cmds[i-1].Name, c.Name)
		}
		for _, f := range c.Flags {
			if f.Name == "" || f.Summary == "" {
				t.Errorf("%s: flag %+v needs a Name and a Summary", c.Name, f)
			}
		}
	}
}
