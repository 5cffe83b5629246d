package azure

import (
	"fmt"
	"strings"
	"testing"

	"github.com/miplay/miplay/engine"
	"github.com/miplay/miplay/engine/rbac"
)

const (
	raAPI = "?api-version=2022-04-01"
	guidA = "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f1"
	guidB = "1a2b3c4d-5e6f-4a0b-9c1d-2e3f4a5b6c7d"
)

// assignBody is the body az role assignment create sends.
func (f *armFixture) assignBody(roleID, principal string) map[string]any {
	return map[string]any{"properties": map[string]any{
		"roleDefinitionId": f.sub + "/providers/Microsoft.Authorization/roleDefinitions/" + roleID,
		"principalId":      principal, "principalType": "ServicePrincipal"}}
}

func TestARMRoleAssignmentLifecycle(t *testing.T) {
	f := newARMFixture(t)
	var st *engine.Resource
	var adminOID string
	f.do(func(w *engine.World) {
		st, _ = w.CreateStorageAccount(engine.ResourceSpec{Group: "rg", Name: "stdemo"})
		adminOID = w.Admin.ObjectID
	})
	vm, tok := f.managedVM("vm-web")
	oid := vm.Identity.SystemAssigned.PrincipalID

	path := st.ID + "/providers/Microsoft.Authorization/roleAssignments/" + guidA
	r := f.call("PUT", path+raAPI, f.admin, f.assignBody(rbac.StorageBlobDataReaderRoleID, oid)).must(t, 201)
	want := fmt.Sprintf(`{"properties":{"roleDefinitionId":"%s/providers/Microsoft.Authorization/roleDefinitions/%s","principalId":"%s","principalType":"ServicePrincipal","scope":"%s",`+
		`"condition":null,"conditionVersion":null,"createdOn":"2026-01-15T09:00:00.0000000Z","updatedOn":"2026-01-15T09:00:00.0000000Z","createdBy":"%s","updatedBy":"%s",`+
		`"delegatedManagedIdentityResourceId":null,"description":null},"id":"%s","type":"Microsoft.Authorization/roleAssignments","name":"%s"}`,
		f.sub, rbac.StorageBlobDataReaderRoleID, oid, st.ID, adminOID, adminOID, path, guidA)
	if string(r.body) != want {
		t.Errorf("PUT\n got %s\nwant %s", r.body, want)
	}
	// The assignment takes effect: the identity may now read blobs.
	f.do(func(w *engine.World) {
		if d := w.Authorize(oid, "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read", st.ID+"/blobServices/default/containers/docs", true); !d.Allowed {
			t.Errorf("not effective: %s", d.Reason)
		}
	})
	// PUT again is idempotent; another name for the same grant conflicts.
	if got := string(f.call("PUT", path+raAPI, f.admin, f.assignBody(rbac.StorageBlobDataReaderRoleID, oid)).must(t, 200).body); got != want {
		t.Errorf("second PUT\n got %s\nwant %s", got, want)
	}
	r = f.call("PUT", st.ID+"/providers/Microsoft.Authorization/roleAssignments/"+guidB+raAPI, f.admin, f.assignBody(rbac.StorageBlobDataReaderRoleID, oid)).must(t, 409)
	if code, msg := r.errorCode(t); code != "RoleAssignmentExists" || msg != "The role assignment already exists." {
		t.Errorf("duplicate: %s: %s", code, msg)
	}
	r = f.call("PUT", path+raAPI, f.admin, f.assignBody(rbac.ReaderRoleID, oid)).must(t, 409)
	if code, _ := r.errorCode(t); code != "RoleAssignmentUpdateNotPermitted" {
		t.Errorf("changing an assignment: %s", r.body)
	}
	if got := string(f.call("GET", path+raAPI, tok, nil).must(t, 403).body); !strings.Contains(got, "Microsoft.Authorization/roleAssignments/read") {
		t.Errorf("identity without read: %s", got)
	}
	if got := string(f.call("GET", path+raAPI, f.admin, nil).must(t, 200).body); got != want {
		t.Errorf("GET\n got %s\nwant %s", got, want)
	}
	if got := string(f.call("DELETE", path+raAPI, f.admin, nil).must(t, 200).body); got != want {
		t.Errorf("DELETE\n got %s\nwant %s", got, want)
	}
	f.call("DELETE", path+raAPI, f.admin, nil).must(t, 204)
	r = f.call("GET", path+raAPI, f.admin, nil).must(t, 404)
	if code, msg := r.errorCode(t); code != "RoleAssignmentNotFound" || msg != "The role assignment '"+guidA+"' is not found." {
		t.Errorf("after delete: %s: %s", code, msg)
	}
}

func TestARMRoleAssignmentErrors(t *testing.T) {
	f := newARMFixture(t)
	vm, _ := f.managedVM("vm1")
	oid := vm.Identity.SystemAssigned.PrincipalID
	rg := f.sub + "/resourceGroups/rg"
	tests := []struct {
		name, path string
		body       any
		status     int
		code       string
	}{
		{"unknown role", rg, f.assignBody("99999999-9999-4999-8999-999999999999", oid), 400, "RoleDefinitionDoesNotExist"},
		{"no principal", rg, f.assignBody(rbac.ReaderRoleID, ""), 400, "InvalidPrincipalId"},
		{"name not a GUID", rg + "/providers/Microsoft.Authorization/roleAssignments/not-a-guid", f.assignBody(rbac.ReaderRoleID, oid), 400, "InvalidRoleAssignmentId"},
		{"missing group", f.sub + "/resourceGroups/nope", f.assignBody(rbac.ReaderRoleID, oid), 404, "ResourceGroupNotFound"},
		{"missing resource", rg + "/providers/Microsoft.Storage/storageAccounts/nope", f.assignBody(rbac.ReaderRoleID, oid), 404, "ResourceNotFound"},
		{"condition", rg, map[string]any{"properties": map[string]any{"roleDefinitionId": rbac.ReaderRoleID, "principalId": oid, "condition": "x"}}, 400, "NotSimulated"},
		{"bad JSON", rg, "{not json", 400, "InvalidRequestContent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := tt.path
			if !strings.Contains(path, "roleAssignments") {
				path += "/providers/Microsoft.Authorization/roleAssignments/" + guidA
			}
			r := f.call("PUT", path+raAPI, f.admin, tt.body).must(t, tt.status)
			if code, msg := r.errorCode(t); code != tt.code {
				t.Errorf("got %s: %s, want %s", code, msg, tt.code)
			}
		})
	}
	// Without principalType, ARM looks the principal up in the directory.
	body := f.assignBody(rbac.ReaderRoleID, "5d5c5b5a-0000-4000-8000-000000000000")
	delete(body["properties"].(map[string]any), "principalType")
	r := f.call("PUT", rg+"/providers/Microsoft.Authorization/roleAssignments/"+guidA+raAPI, f.admin, body).must(t, 400)
	if code, _ := r.errorCode(t); code != "PrincipalNotFound" {
		t.Errorf("unknown principal: %s", r.body)
	}
}

func TestARMRoleAssignmentListFilters(t *testing.T) {
	f := newARMFixture(t)
	var st, uami *engine.Resource
	var adminOID string
	f.do(func(w *engine.World) {
		st, _ = w.CreateStorageAccount(engine.ResourceSpec{Group: "rg", Name: "stdemo"})
		uami, _ = w.CreateUserIdentity(engine.ResourceSpec{Group: "rg", Name: "id-app"})
		adminOID = w.Admin.ObjectID
	})
	vm, _ := f.managedVM("vm1")
	vmOID := vm.Identity.SystemAssigned.PrincipalID
	uamiOID := uami.UserIdentity.PrincipalID
	rg := f.sub + "/resourceGroups/rg"
	f.grant(rg, "Reader", vmOID)
	f.grant(st.ID, "Storage Blob Data Reader", uamiOID)
	f.grant(st.ID, "Storage Blob Data Contributor", vmOID)

	principals := func(path string) []string {
		t.Helper()
		var out []string
		for _, v := range f.call("GET", path, f.admin, nil).must(t, 200).json(t)["value"].([]any) {
			p := v.(map[string]any)["properties"].(map[string]any)
			out = append(out, p["principalId"].(string)+"@"+p["scope"].(string))
		}
		return out
	}
	list := "/providers/Microsoft.Authorization/roleAssignments" + raAPI
	tests := []struct {
		name, path string
		want       []string
	}{
		{"subscription: at, below", f.sub + list, []string{adminOID + "@" + f.sub, vmOID + "@" + rg, uamiOID + "@" + st.ID, vmOID + "@" + st.ID}},
		{"group: above and below", rg + list, []string{adminOID + "@" + f.sub, vmOID + "@" + rg, uamiOID + "@" + st.ID, vmOID + "@" + st.ID}},
		{"group atScope(): at and above", rg + list + "&$filter=atScope()", []string{adminOID + "@" + f.sub, vmOID + "@" + rg}},
		{"account atScope()", st.ID + list + "&$filter=atScope()", []string{adminOID + "@" + f.sub, vmOID + "@" + rg, uamiOID + "@" + st.ID, vmOID + "@" + st.ID}},
		{"principalId eq", f.sub + list + "&$filter=principalId eq '" + vmOID + "'", []string{vmOID + "@" + rg, vmOID + "@" + st.ID}},
		{"assignedTo", f.sub + list + "&$filter=assignedTo('" + uamiOID + "')", []string{uamiOID + "@" + st.ID}},
		{"atScope() and assignedTo", rg + list + "&$filter=atScope()+and+assignedTo('" + vmOID + "')", []string{vmOID + "@" + rg}},
	}
	for _, tt := range tests {
		if got := principals(tt.path); strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("%s:\n got %v\nwant %v", tt.name, got, tt.want)
		}
	}
	r := f.call("GET", f.sub+list+"&$filter=atScope()+and+principalId+eq+'"+vmOID+"'", f.admin, nil).must(t, 400)
	if code, _ := r.errorCode(t); code != "UnsupportedQuery" {
		t.Errorf("atScope() and principalId eq: %s", r.body)
	}

	// Deleting the user-assigned identity orphans its assignment: it is
	// still listed, with the principal ID of an identity that is gone.
	f.call("DELETE", rg+"/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-app?api-version=2023-01-31", f.admin, nil).must(t, 200)
	got := principals(st.ID + list + "&$filter=atScope()")
	if !contains(got, uamiOID+"@"+st.ID) {
		t.Errorf("orphaned assignment not listed: %v", got)
	}
	f.do(func(w *engine.World) {
		if _, _, exists := w.PrincipalName(uamiOID); exists {
			t.Error("the identity's principal still exists")
		}
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestARMRoleDefinitions(t *testing.T) {
	f := newARMFixture(t)
	defs := "/providers/Microsoft.Authorization/roleDefinitions"
	r := f.call("GET", f.sub+"/resourceGroups/rg"+defs+raAPI+"&$filter=roleName+eq+'storage blob data reader'", f.admin, nil).must(t, 200)
	list := r.json(t)["value"].([]any)
	if len(list) != 1 {
		t.Fatalf("roleName filter: %s", r.body)
	}
	want := fmt.Sprintf(`{"properties":{"roleName":"Storage Blob Data Reader","type":"BuiltInRole","description":"%s","assignableScopes":["/"],`+
		`"permissions":[{"actions":["Microsoft.Storage/storageAccounts/blobServices/containers/read","Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action"],"notActions":[],`+
		`"dataActions":["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"],"notDataActions":[]}],"createdOn":null,"updatedOn":null,"createdBy":null,"updatedBy":null},`+
		`"id":"%s/providers/Microsoft.Authorization/roleDefinitions/%s","type":"Microsoft.Authorization/roleDefinitions","name":"%s"}`,
		"Allows for read access to Azure Storage containers and blobs", f.sub, rbac.StorageBlobDataReaderRoleID, rbac.StorageBlobDataReaderRoleID)
	var role rbac.RoleDefinition
	f.do(func(w *engine.World) { role, _ = w.Role(rbac.StorageBlobDataReaderRoleID) })
	want = strings.Replace(want, "Allows for read access to Azure Storage containers and blobs", role.Description, 1)
	if got := string(f.call("GET", f.sub+defs+"/"+rbac.StorageBlobDataReaderRoleID+raAPI, f.admin, nil).must(t, 200).body); got != want {
		t.Errorf("GET\n got %s\nwant %s", got, want)
	}
	all := f.call("GET", f.sub+defs+raAPI, f.admin, nil).must(t, 200).json(t)["value"].([]any)
	var n int
	f.do(func(w *engine.World) { n = len(w.RoleDefinitions()) })
	if len(all) != n {
		t.Errorf("listed %d roles, want %d", len(all), n)
	}
	custom := f.call("GET", f.sub+defs+raAPI+"&$filter=type+eq+'CustomRole'", f.admin, nil).must(t, 200).json(t)["value"].([]any)
	if len(custom) != 0 {
		t.Errorf("custom roles: %v", custom)
	}
	// At the root, role definitions have tenant-level IDs.
	root := f.call("GET", defs+"/"+rbac.ReaderRoleID+raAPI, f.admin, nil).must(t, 200).json(t)
	if root["id"] != defs+"/"+rbac.ReaderRoleID {
		t.Errorf("root ID %v", root["id"])
	}
	f.call("GET", f.sub+defs+"/99999999-9999-4999-8999-999999999999"+raAPI, f.admin, nil).must(t, 404)

	// az role definition create.
	r = f.call("PUT", f.sub+defs+"/"+guidB+raAPI, f.admin, map[string]any{"properties": map[string]any{
		"roleName": "Blob Lister", "description": "Lists containers.",
		"permissions":      []map[string]any{{"actions": []string{"Microsoft.Storage/storageAccounts/blobServices/containers/read"}}},
		"assignableScopes": []string{f.sub + "/resourceGroups/rg"}}}).must(t, 201)
	if p := r.json(t)["properties"].(map[string]any); p["type"] != "CustomRole" || p["createdOn"] != "2026-01-15T09:00:00.0000000Z" {
		t.Errorf("custom role: %s", r.body)
	}
	// It can be assigned in its assignable scope only.
	vm, _ := f.managedVM("vm1")
	f.call("PUT", f.sub+"/resourceGroups/rg/providers/Microsoft.Authorization/roleAssignments/"+guidA+raAPI, f.admin, f.assignBody(guidB, vm.Identity.SystemAssigned.PrincipalID)).must(t, 201)
	r = f.call("PUT", f.sub+"/providers/Microsoft.Authorization/roleAssignments/2b3c4d5e-6f70-4182-a394-a5b6c7d8e9f0"+raAPI, f.admin, f.assignBody(guidB, vm.Identity.SystemAssigned.PrincipalID)).must(t, 403)
	if code, _ := r.errorCode(t); code != "RoleDefinitionNotAssignableAtScope" {
		t.Errorf("outside assignable scopes: %s", r.body)
	}
}
