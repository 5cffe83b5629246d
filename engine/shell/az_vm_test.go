package shell

import (
	"strconv"
	"strings"
	"testing"

	"github.com/miplay/miplay/engine/azure"
)

func TestAzImageAliases(t *testing.T) {
	for _, tc := range []struct {
		in      string
		windows bool
		ok      bool
	}{
		{"Ubuntu2204", false, true},
		{"ubuntu2404", false, true},
		{"win2016datacenter", true, true},
		{"Canonical:ubuntu-24_04-lts:server:latest", false, true},
		{"MicrosoftWindowsServer:WindowsServer:2022-datacenter-g2:latest", true, true},
		{"UbuntuLTS", false, false},
		{"a:b:c", false, false},
	} {
		img, err := resolveImage(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("resolveImage(%q) error = %v, want ok %v", tc.in, err, tc.ok)
			continue
		}
		if err == nil && img.windows != tc.windows {
			t.Errorf("resolveImage(%q).windows = %v, want %v", tc.in, img.windows, tc.windows)
		}
	}
}

func TestAzFakeAddressesStable(t *testing.T) {
	id := "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-web"
	a, b := fakeAddresses(id), fakeAddresses(strings.ToUpper(id))
	if a != b {
		t.Errorf("addresses depend on case: %v, %v", a, b)
	}
	if c := fakeAddresses(id + "2"); c.public == a.public && c.mac == a.mac {
		t.Errorf("two VMs got the same addresses: %v", a)
	}
	if !strings.HasPrefix(a.mac, "00-0D-3A-") || a.private != "10.0.0.4" {
		t.Errorf("addresses = %+v", a)
	}
}

func TestAzRemoveIdentities(t *testing.T) {
	uami := "/subscriptions/s/resourcegroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1"
	both := map[string]any{"type": identitySystemUser, "principalId": "p", "userAssignedIdentities": map[string]any{uami: map[string]any{}}}
	for _, tc := range []struct {
		name     string
		existing map[string]any
		req      identityRequest
		wantType string
		wantUAI  bool
		wantErr  string
	}{
		{"system from both", both, identityRequest{System: true}, identityUser, false, ""},
		{"user from both", both, identityRequest{User: []string{strings.ToUpper(uami)}}, identitySystem, false, ""},
		{"both from both", both, identityRequest{System: true, User: []string{uami}}, identityNone, false, ""},
		{"system only", map[string]any{"type": identitySystem}, identityRequest{System: true}, identityNone, false, ""},
		{"missing user", both, identityRequest{User: []string{uami + "x"}}, "", false, "are not associated with"},
	} {
		got, err := removeIdentities(tc.existing, tc.req, "vm-web")
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%s: err = %v, want %q", tc.name, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got["type"] != tc.wantType {
			t.Errorf("%s: type = %v, want %v", tc.name, got["type"], tc.wantType)
		}
		if _, ok := got["userAssignedIdentities"]; ok != tc.wantUAI {
			t.Errorf("%s: userAssignedIdentities present = %v, want %v", tc.name, ok, tc.wantUAI)
		}
	}
}

// azExamplePrelude sets the variables the examples of the vm, vmss,
// identity, role, appservice, webapp and functionapp commands use, on the
// test world.
var azExamplePrelude = []string{
	`export SUB=$(az account show --query id -o tsv)`,
	`az identity create -g rg-demo -n id-reader -o none`,
	`export UAMI_ID=$(az identity show -g rg-demo -n id-reader --query id -o tsv)`,
	`export PRINCIPAL_ID=$(az vm identity assign -g rg-demo -n vm-web --query systemAssignedIdentity -o tsv)`,
	`az vm identity assign -g rg-demo -n vm-web --identities $UAMI_ID -o none`,
	`az vmss identity assign -g rg-demo -n vmss-web --identities [system] $UAMI_ID -o none`,
	`export STORAGE_ID=$(az storage account show -g rg-demo -n stdemo --query id -o tsv)`,
	`export ASSIGNMENT_ID=$(az role assignment create --assignee-object-id $PRINCIPAL_ID --assignee-principal-type ServicePrincipal --role "Storage Blob Data Reader" --scope $STORAGE_ID --query id -o tsv)`,
	`export CONN=$(az storage account show-connection-string -g rg-demo -n stdemo -o tsv)`,
	`az appservice plan create -g rg-demo -n plan-empty --is-linux -o none`,
	`echo '{"Name": "Reader Plus", "Description": "Reads, and lists keys", "Actions": ["*/read", "Microsoft.Storage/storageAccounts/listKeys/action"], "AssignableScopes": ["/subscriptions/'$SUB'"]}' > reader-plus.json`,
}

// TestAzExamplesRun runs every example of these commands, each in a fresh
// session on the test world after the prelude: the help must not show a
// command line that fails in the playground.
func TestAzExamplesRun(t *testing.T) {
	groups := []string{"vm ", "vmss ", "identity ", "role ", "appservice ", "webapp ", "functionapp "}
	n := 0
	for _, cmd := range azCommands() {
		mine := false
		for _, g := range groups {
			mine = mine || strings.HasPrefix(cmd.Path, g)
		}
		if !mine {
			continue
		}
		for _, ex := range cmd.Examples {
			host, line, ok := promptLine(ex)
			if !ok {
				t.Errorf("az %s: example %q has no prompt", cmd.Path, ex)
				continue
			}
			n++
			s := newTestSession(t)
			for _, p := range azExamplePrelude {
				if _, stderr, exit := run(t, s, azure.Workstation, p); exit != 0 {
					t.Fatalf("prelude %q: exit %d\n%s", p, exit, stderr)
				}
			}
			if cmd.Path == "role definition create" {
				// The inline example creates a role of its own name.
				line = strings.Replace(line, "Blob Lister", "Blob Lister "+strconv.Itoa(n), 1)
			}
			if _, stderr, exit := run(t, s, host, line); exit != 0 {
				t.Errorf("az %s: example %s$ %s: exit %d\n%s", cmd.Path, host, line, exit, stderr)
			}
		}
	}
	if n < 40 {
		t.Errorf("only %d examples ran", n)
	}
}
