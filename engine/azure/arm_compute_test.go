package azure

import (
	"fmt"
	"strings"
	"testing"

	"github.com/miplay/miplay/engine"
	"github.com/miplay/miplay/engine/rbac"
)

func TestARMVMWithBothIdentities(t *testing.T) {
	f := newARMFixture(t)
	rg := f.sub + "/resourceGroups/rg"
	r := f.call("PUT", rg+"/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-web?api-version=2023-01-31", f.admin,
		map[string]any{"location": "westeurope"}).must(t, 201)
	uami := r.json(t)
	uamiID := uami["id"].(string)
	if !strings.Contains(uamiID, "/resourcegroups/rg/") {
		t.Errorf("identity ID %s: want lower-case resourcegroups", uamiID)
	}
	props := uami["properties"].(map[string]any)

	r = f.call("PUT", rg+"/providers/Microsoft.Compute/virtualMachines/vm-web", f.admin, map[string]any{
		"location":   "westeurope",
		"tags":       map[string]string{"app": "web"},
		"identity":   map[string]any{"type": "SystemAssigned, UserAssigned", "userAssignedIdentities": map[string]any{uamiID: map[string]any{}}},
		"properties": map[string]any{"hardwareProfile": map[string]any{"vmSize": "Standard_B1s"}},
	}).must(t, 201)
	created := string(r.body)

	var vm *engine.Resource
	f.do(func(w *engine.World) { vm, _ = w.FindResource("rg", engine.TypeVM, "vm-web") })
	si := vm.Identity.SystemAssigned
	want := fmt.Sprintf(`{"name":"vm-web","id":"%s/providers/Microsoft.Compute/virtualMachines/vm-web","type":"Microsoft.Compute/virtualMachines","location":"westeurope","tags":{"app":"web"},`+
		`"identity":{"type":"SystemAssigned, UserAssigned","principalId":"%s","tenantId":"%s","userAssignedIdentities":{"%s":{"principalId":"%s","clientId":"%s"}}},`+
		`"properties":{"vmId":"%s","provisioningState":"Succeeded","timeCreated":"2026-01-15T09:00:00.0000000+00:00"}}`,
		rg, si.PrincipalID, si.TenantID, uamiID, props["principalId"], props["clientId"], stableGUID("vmId", vm.ID, vm.Created.String()))
	got := string(f.call("GET", rg+"/providers/Microsoft.Compute/virtualMachines/vm-web", f.admin, nil).must(t, 200).body)
	if got != want {
		t.Errorf("GET vm-web\n got %s\nwant %s", got, want)
	}
	if created != want {
		t.Errorf("PUT answer differs from GET\n got %s\nwant %s", created, want)
	}

	// Both lists show it.
	for _, path := range []string{rg + "/providers/Microsoft.Compute/virtualMachines", f.sub + "/providers/Microsoft.Compute/virtualMachines"} {
		list := f.call("GET", path, f.admin, nil).must(t, 200).json(t)["value"].([]any)
		if len(list) != 1 || list[0].(map[string]any)["name"] != "vm-web" {
			t.Errorf("GET %s: %v", path, list)
		}
	}
	// The generic resources list carries the identity block too.
	res := f.call("GET", f.sub+"/resources?$filter=name eq 'vm-web'&api-version=2022-09-01", f.admin, nil).must(t, 200).json(t)["value"].([]any)
	if len(res) != 1 || res[0].(map[string]any)["identity"].(map[string]any)["principalId"] != si.PrincipalID {
		t.Errorf("resources list: %v", res)
	}
}

func TestARMVMIdentityPatch(t *testing.T) {
	f := newARMFixture(t)
	rg := f.sub + "/resourceGroups/rg"
	vmPath := rg + "/providers/Microsoft.Compute/virtualMachines/vm1"
	f.call("PUT", vmPath, f.admin, map[string]any{"location": "westeurope"}).must(t, 201)
	var id1, id2 string
	f.do(func(w *engine.World) {
		a, _ := w.CreateUserIdentity(engine.ResourceSpec{Group: "rg", Name: "id-one"})
		b, _ := w.CreateUserIdentity(engine.ResourceSpec{Group: "rg", Name: "id-two"})
		id1, id2 = a.ID, b.ID
	})
	state := func() (string, []string) {
		var typ string
		var users []string
		f.do(func(w *engine.World) {
			vm, _ := w.FindResource("rg", engine.TypeVM, "vm1")
			typ, users = vm.Identity.Type(), append([]string(nil), vm.Identity.UserAssigned...)
		})
		return typ, users
	}
	steps := []struct {
		name      string
		identity  map[string]any
		wantType  string
		wantUsers int
	}{
		// az vm identity assign -g rg -n vm1
		{"enable system-assigned", map[string]any{"type": "SystemAssigned"}, "SystemAssigned", 0},
		// az vm identity assign --identities id-one
		{"add one", map[string]any{"type": "SystemAssigned, UserAssigned", "userAssignedIdentities": map[string]any{id1: map[string]any{}}}, "SystemAssigned, UserAssigned", 1},
		{"add another", map[string]any{"type": "SystemAssigned,UserAssigned", "userAssignedIdentities": map[string]any{id2: map[string]any{}}}, "SystemAssigned, UserAssigned", 2},
		// az vm identity remove --identities id-one
		{"remove one", map[string]any{"type": "SystemAssigned, UserAssigned", "userAssignedIdentities": map[string]any{id1: nil}}, "SystemAssigned, UserAssigned", 1},
		// az vm identity remove (system-assigned)
		{"remove system", map[string]any{"type": "UserAssigned"}, "UserAssigned", 1},
		{"none", map[string]any{"type": "None"}, "None", 0},
	}
	for _, s := range steps {
		r := f.call("PATCH", vmPath, f.admin, map[string]any{"identity": s.identity}).must(t, 200)
		typ, users := state()
		if typ != s.wantType || len(users) != s.wantUsers {
			t.Errorf("%s: identity %s with %d user-assigned, want %s with %d\n%s", s.name, typ, len(users), s.wantType, s.wantUsers, r.body)
		}
	}
	// With no identity, GET leaves the block out.
	if _, ok := f.call("GET", vmPath, f.admin, nil).json(t)["identity"]; ok {
		t.Error("identity block shown for type None")
	}
	// Invalid requests change nothing.
	bad := []map[string]any{
		{"type": "Bogus"},
		{"type": "UserAssigned"},
		{"type": "SystemAssigned", "userAssignedIdentities": map[string]any{id1: map[string]any{}}},
	}
	for _, b := range bad {
		f.call("PATCH", vmPath, f.admin, map[string]any{"identity": b}).must(t, 400)
	}
	r := f.call("PATCH", vmPath, f.admin, map[string]any{"identity": map[string]any{"type": "UserAssigned", "userAssignedIdentities": map[string]any{rg + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/ghost": map[string]any{}}}}).must(t, 400)
	if code, _ := r.errorCode(t); code != "FailedIdentityOperation" {
		t.Errorf("unknown identity: %s", r.body)
	}
	if typ, _ := state(); typ != "None" {
		t.Errorf("a refused request changed the identity to %s", typ)
	}
	// A PUT states the whole set.
	f.call("PUT", vmPath, f.admin, map[string]any{"location": "westeurope", "identity": map[string]any{"type": "UserAssigned", "userAssignedIdentities": map[string]any{id1: map[string]any{}, id2: map[string]any{}}}}).must(t, 200)
	f.call("PUT", vmPath, f.admin, map[string]any{"location": "westeurope", "identity": map[string]any{"type": "UserAssigned", "userAssignedIdentities": map[string]any{id2: map[string]any{}}}}).must(t, 200)
	if typ, users := state(); typ != "UserAssigned" || len(users) != 1 || !strings.EqualFold(users[0], id2) {
		t.Errorf("after PUT: %s %v", typ, users)
	}
	f.call("PATCH", rg+"/providers/Microsoft.Compute/virtualMachines/ghost", f.admin, map[string]any{"tags": map[string]string{}}).must(t, 404)
}

func TestARMAssignIdentityNeedsAssignAction(t *testing.T) {
	f := newARMFixture(t)
	rg := f.sub + "/resourceGroups/rg"
	vm, tok := f.managedVM("vm-ops")
	oid := vm.Identity.SystemAssigned.PrincipalID
	f.grant(rg, "Virtual Machine Contributor", oid)
	var uami *engine.Resource
	f.do(func(w *engine.World) {
		uami, _ = w.CreateUserIdentity(engine.ResourceSpec{Group: "rg", Name: "id-app"})
	})
	vmPath := rg + "/providers/Microsoft.Compute/virtualMachines/vm-ops"
	body := map[string]any{"identity": map[string]any{"type": "SystemAssigned, UserAssigned", "userAssignedIdentities": map[string]any{uami.ID: map[string]any{}}}}

	r := f.call("PATCH", vmPath, tok, body).must(t, 403)
	want := fmt.Sprintf("The client '%s' with object id '%s' has permission to perform action 'Microsoft.Compute/virtualMachines/write' on scope '%s'; however, it does not have permission to perform action 'Microsoft.ManagedIdentity/userAssignedIdentities/assign/action' on the linked scope(s) '%s' or the linked scope(s) are invalid.",
		vm.Identity.SystemAssigned.ClientID, oid, vmPath, uami.ID)
	if code, msg := r.errorCode(t); code != "LinkedAuthorizationFailed" || msg != want {
		t.Errorf("got %s: %s\nwant %s", code, msg, want)
	}
	f.do(func(w *engine.World) {
		if len(vm.Identity.UserAssigned) != 0 {
			t.Error("the refused request assigned the identity")
		}
	})
	// Enabling the system-assigned identity needs only write on the VM.
	f.call("PATCH", vmPath, tok, map[string]any{"identity": map[string]any{"type": "SystemAssigned"}}).must(t, 200)

	// With the assign action on the identity, it works.
	f.do(func(w *engine.World) {
		_, err := w.CreateCustomRole(rbac.RoleDefinition{RoleName: "Identity Assigner", Description: "Assign user-assigned identities.",
			Permissions:      []rbac.Permission{{Actions: []string{"Microsoft.ManagedIdentity/userAssignedIdentities/assign/action"}}},
			AssignableScopes: []string{f.sub}})
		if err != nil {
			t.Fatal(err)
		}
	})
	f.grant(uami.ID, "Identity Assigner", oid)
	f.call("PATCH", vmPath, tok, body).must(t, 200)
}

func TestARMScaleSet(t *testing.T) {
	f := newARMFixture(t)
	path := f.sub + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/vmss-web"
	r := f.call("PUT", path, f.admin, map[string]any{"location": "westeurope"}).must(t, 400)
	if _, msg := r.errorCode(t); msg != "Required parameter 'sku' is missing (null)." {
		t.Errorf("no sku: %s", msg)
	}
	r = f.call("PUT", path, f.admin, map[string]any{"location": "westeurope", "sku": map[string]any{"name": "Standard_B1s", "capacity": 2},
		"identity": map[string]any{"type": "SystemAssigned"}}).must(t, 201)
	m := r.json(t)
	if m["sku"].(map[string]any)["capacity"] != 2.0 || m["identity"].(map[string]any)["type"] != "SystemAssigned" {
		t.Errorf("created %s", r.body)
	}
	hosts := func() int {
		n := 0
		f.do(func(w *engine.World) {
			for _, h := range w.Hosts() {
				if h.Kind == engine.HostScaleSetInstance {
					n++
				}
			}
		})
		return n
	}
	if hosts() != 2 {
		t.Errorf("%d instances, want 2", hosts())
	}
	f.call("PATCH", path, f.admin, map[string]any{"sku": map[string]any{"capacity": 3}}).must(t, 200)
	if hosts() != 3 {
		t.Errorf("after scaling: %d instances, want 3", hosts())
	}
	f.call("PATCH", path, f.admin, map[string]any{"sku": map[string]any{"capacity": 5000}}).must(t, 400)
	f.call("GET", f.sub+"/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets", f.admin, nil).must(t, 200)
	f.call("DELETE", path, f.admin, nil).must(t, 200)
	f.call("DELETE", path, f.admin, nil).must(t, 204)
	if hosts() != 0 {
		t.Errorf("%d instances after delete", hosts())
	}
}

func TestARMDeleteVMDeletesItsPrincipal(t *testing.T) {
	f := newARMFixture(t)
	vm, _ := f.managedVM("vm-gone")
	oid := vm.Identity.SystemAssigned.PrincipalID
	f.call("DELETE", f.sub+"/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-gone", f.admin, nil).must(t, 200)
	f.do(func(w *engine.World) {
		if sp, ok := w.PrincipalByObjectID(oid); !ok || sp.Exists() {
			t.Error("the system-assigned principal outlived its VM")
		}
	})
}

func TestARMListFiltersWhatTheCallerMayRead(t *testing.T) {
	f := newARMFixture(t)
	vm, tok := f.managedVM("vm-self")
	f.do(func(w *engine.World) { w.CreateVM(engine.ResourceSpec{Group: "rg", Name: "vm-other"}) })
	// No role at all: the list is refused.
	r := f.call("GET", f.sub+"/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines", tok, nil).must(t, 403)
	if _, msg := r.errorCode(t); !strings.Contains(msg, "over scope '"+f.sub+"/resourceGroups/rg/providers/Microsoft.Compute'") {
		t.Errorf("collection scope: %s", msg)
	}
	// Reader on its own VM: the list shows that VM only.
	f.grant(vm.ID, "Reader", vm.Identity.SystemAssigned.PrincipalID)
	list := f.call("GET", f.sub+"/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines", tok, nil).must(t, 200).json(t)["value"].([]any)
	if len(list) != 1 || list[0].(map[string]any)["name"] != "vm-self" {
		t.Errorf("filtered list: %v", list)
	}
	groups := f.call("GET", f.sub+"/resourcegroups", tok, nil).must(t, 200).json(t)["value"].([]any)
	if len(groups) != 0 {
		t.Errorf("Reader on a VM sees resource groups %v", groups)
	}
}
