//go:build !wasm

package worker

import (
	"context"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/miplay/miplay/app/wire"

	"github.com/miplay/miplay/engine"
	"github.com/miplay/miplay/engine/azure"
	"github.com/miplay/miplay/engine/shell"
)

// completionCloud is a cloud with a few resources, made by running az in
// the simulated shell.
func completionCloud(t *testing.T) *azure.Cloud {
	t.Helper()
	cloud := azure.New(engine.New(engine.Options{}))
	s := shell.New(cloud, shell.Options{})
	for _, line := range []string{
		"az group create -n rg-shop -l westeurope -o none",
		"az group create -n rg-data -l westeurope -o none",
		"az vm create -g rg-shop -n vm-web --image Ubuntu2204 --generate-ssh-keys -o none",
		"az vm create -g rg-shop -n vm-worker --image Ubuntu2204 --generate-ssh-keys -o none",
		"az storage account create -g rg-data -n stshop -o none",
		"az identity create -g rg-shop -n id-reader -o none",
	} {
		var errb strings.Builder
		if exit, err := s.Run(context.Background(), azure.Workstation, line, io.Discard, &errb); exit != 0 || err != nil {
			t.Fatalf("%s: exit %d, %v\n%s", line, exit, err, errb.String())
		}
	}
	return cloud
}

// completionWorld is the names of completionCloud's world.
func completionWorld(t *testing.T) WorldNames {
	t.Helper()
	var n WorldNames
	completionCloud(t).Do(func(w *engine.World) { n = WorldNamesOf(w) })
	return n
}

func TestComplete(t *testing.T) {
	names := completionWorld(t)
	table := DefaultCommandTable()
	tests := []struct {
		line string
		want []string
	}{
		{"cu", []string{"curl", "cut"}},
		{"a", []string{"az"}},
		{"az ", nil}, // checked below: every top-level group
		{"az v", []string{"vm", "vmss"}},
		{"az vm ide", []string{"identity"}},
		{"az vm identity ", []string{"assign", "remove", "show"}},
		{"az vm identity assign --re", []string{"--remove", "--resource-group"}[1:]},
		{"az vm identity assign -g rg-shop --n", []string{"--name"}},
		{"az vm identity assign -g ", []string{"rg-data", "rg-shop"}},
		{"az vm identity assign -g rg-s", []string{"rg-shop"}},
		{"az vm identity assign --resource-group=rg-shop -n ", []string{"vm-web", "vm-worker"}},
		{"az vm show -g rg-shop -n vm-w", []string{"vm-web", "vm-worker"}},
		{"az storage account show -n ", []string{"stshop"}},
		{"az storage account keys list --account-name s", []string{"stshop"}},
		{"az group show -n rg-", []string{"rg-data", "rg-shop"}},
		{"az identity show -g rg-shop -n ", []string{"id-reader"}},
		{"az vm identity assign -g rg-shop -n vm-web --identities ", []string{"[system]", "id-reader"}},
		{"az vm show -o t", []string{"table", "tsv"}},
		{"az role assignment create --role Storage", nil},
		{"az role assignment create --role \"Storage Blob Data R", []string{`"Storage Blob Data Reader"`}},
		{"az role assignment create --role Own", []string{"Owner"}},
		{"az vm show --output json --o", []string{"--only-show-errors"}}, // --output used
		{"az nothing ", nil},
		{"curl -s --hea", []string{"--head", "--header"}},
		{"echo hi | jq --raw", []string{"--raw-input", "--raw-output", "--raw-output0", "--rawfile"}},
		{"X=$(az vm sh", []string{"show"}},
		{"az vm list && az gr", []string{"group"}},
	}
	for _, tt := range tests {
		c := Complete(tt.line, len(tt.line), table, names)
		if tt.line == "az " {
			for _, g := range []string{"account", "group", "identity", "login", "role", "storage", "vm", "vmss", "webapp"} {
				if !slices.Contains(c.Candidates, g) {
					t.Errorf("Complete(%q) = %q, lacks %q", tt.line, c.Candidates, g)
				}
			}
			continue
		}
		if tt.line == "az role assignment create --role Storage" {
			if len(c.Candidates) < 3 {
				t.Errorf("Complete(%q) = %q, want the Storage roles", tt.line, c.Candidates)
			}
			for _, r := range c.Candidates {
				if !strings.HasPrefix(r, `"Storage `) || !strings.HasSuffix(r, `"`) {
					t.Errorf("Complete(%q): candidate %q is not a quoted Storage role", tt.line, r)
				}
			}
			continue
		}
		if !reflect.DeepEqual(c.Candidates, tt.want) {
			t.Errorf("Complete(%q) = %q, want %q", tt.line, c.Candidates, tt.want)
		}
	}
}

func TestCompletionApply(t *testing.T) {
	names := completionWorld(t)
	table := DefaultCommandTable()
	tests := []struct {
		line   string
		cursor int // -1: the end
		want   string
		wantAt int // -1: the end
	}{
		{"az vm ide", -1, "az vm identity ", -1},
		{"az vm show -n vm-w", -1, "az vm show -n vm-w", -1}, // vm-web and vm-worker share only "vm-w"
		{"az vm show -n vm-we", -1, "az vm show -n vm-web ", -1},
		{"az role assignment create --role \"Storage Blob Data R", -1, `az role assignment create --role "Storage Blob Data Reader" `, -1},
		{"az role assignment create --role Storage", -1, `az role assignment create --role "Storage `, -1},
		{"az gr -n rg-shop", len("az gr"), "az group -n rg-shop", len("az group")},
		{"nothing-matches", -1, "nothing-matches", -1},
	}
	for _, tt := range tests {
		cursor := tt.cursor
		if cursor < 0 {
			cursor = len(tt.line)
		}
		got, at := Complete(tt.line, cursor, table, names).Apply(tt.line, cursor)
		wantAt := tt.wantAt
		if wantAt < 0 {
			wantAt = len(tt.want)
		}
		if got != tt.want || at != wantAt {
			t.Errorf("completing %q at %d = %q at %d, want %q at %d", tt.line, cursor, got, at, tt.want, wantAt)
		}
	}
}

func TestSplitCommand(t *testing.T) {
	tests := []struct {
		in    string
		words []string
		start int
	}{
		{"", []string{""}, 0},
		{"az vm", []string{"az", "vm"}, 3},
		{"az vm ", []string{"az", "vm", ""}, 6},
		{`echo "a b" | jq .x`, []string{"jq", ".x"}, 16},
		{`az role x --role "Storage Bl`, []string{"az", "role", "x", "--role", `"Storage Bl`}, 17},
		{`a\ b c`, []string{`a\ b`, "c"}, 5},
	}
	for _, tt := range tests {
		words, start := splitCommand(tt.in)
		if !reflect.DeepEqual(words, tt.words) || start != tt.start {
			t.Errorf("splitCommand(%q) = %q, %d; want %q, %d", tt.in, words, start, tt.words, tt.start)
		}
	}
}

// completionSession is a session with a world, as the workbench's are.
type completionSession struct{ cloud *azure.Cloud }

func (s completionSession) do(f func(w *engine.World)) { s.cloud.Do(f) }

// TestCompleteMethod completes through the Host, as the page does: with
// the names of the session's world, across JSON.
func TestCompleteMethod(t *testing.T) {
	h := NewHost()
	ctx := context.Background()
	id := h.open(completionSession{completionCloud(t)})
	for _, tt := range []struct {
		line   string
		cursor int
		want   wire.Completion
	}{
		{"az vm show -g rg-shop -n vm-w", -1, wire.Completion{Start: 25, Word: "vm-w", Candidates: []string{"vm-web", "vm-worker"}}},
		{"az storage account show -n ", -1, wire.Completion{Start: 27, Candidates: []string{"stshop"}}},
		{"az gr -n rg-shop", len("az gr"), wire.Completion{Start: 3, Word: "gr", Candidates: []string{"group"}}},
		{"nothing-matches", -1, wire.Completion{Word: "nothing-matches"}},
	} {
		cursor := tt.cursor
		if cursor < 0 {
			cursor = len(tt.line)
		}
		got, err := wire.Call[wire.Completion](ctx, h, wire.MethodComplete, wire.CompleteRequest{Session: id, Line: tt.line, Cursor: cursor})
		if err != nil {
			t.Fatalf("complete %q: %v", tt.line, err)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("complete %q at %d = %+v, want %+v", tt.line, cursor, got, tt.want)
		}
	}

	// A session with no world yet still completes commands.
	empty := h.open(completionSession{azure.New(engine.New(engine.Options{}))})
	got, err := wire.Call[wire.Completion](ctx, h, wire.MethodComplete, wire.CompleteRequest{Session: empty, Line: "az vm show -g ", Cursor: 14})
	if err != nil || len(got.Candidates) != 0 {
		t.Errorf("complete a group in an empty world = %+v, %v; want no candidate", got, err)
	}

	h.closeSession(id)
	if _, err := wire.Call[wire.Completion](ctx, h, wire.MethodComplete, wire.CompleteRequest{Session: id, Line: "az ", Cursor: 3}); !wire.IsCode(err, wire.CodeNoSession) {
		t.Errorf("complete in a closed session: %v, want %s", err, wire.CodeNoSession)
	}
}
