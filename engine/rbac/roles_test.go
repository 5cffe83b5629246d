package rbac_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/miplay/miplay/engine/rbac"
)

func TestBuiltInRoles(t *testing.T) {
	roles := rbac.BuiltInRoles()
	seenID := map[string]bool{}
	seenName := map[string]bool{}
	for _, r := range roles {
		if err := r.Validate(); err != nil {
			t.Errorf("built-in role %q does not validate: %v", r.RoleName, err)
		}
		if r.RoleType != rbac.BuiltInRole {
			t.Errorf("role %q has RoleType %q, want %q", r.RoleName, r.RoleType, rbac.BuiltInRole)
		}
		if len(r.AssignableScopes) != 1 || r.AssignableScopes[0] != "/" {
			t.Errorf("role %q has AssignableScopes %q, want [\"/\"]", r.RoleName, r.AssignableScopes)
		}
		if r.Description == "" {
			t.Errorf("role %q has no description", r.RoleName)
		}
		if seenID[r.ID] || seenName[r.RoleName] {
			t.Errorf("role %q (%s) appears twice", r.RoleName, r.ID)
		}
		seenID[r.ID], seenName[r.RoleName] = true, true
	}

	// The ones the brief and the reference pin down exactly.
	want := []struct {
		name, id, description string
	}{
		{"Owner", rbac.OwnerRoleID, "Grants full access to manage all resources, including the ability to assign roles in Azure RBAC."},
		{"Contributor", rbac.ContributorRoleID, "Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC, manage assignments in Azure Blueprints, or share image galleries."},
		{"Reader", rbac.ReaderRoleID, "View all resources, but does not allow you to make any changes."},
		{"Storage Blob Data Reader", rbac.StorageBlobDataReaderRoleID, "Allows for read access to Azure Storage blob containers and data"},
		{"Key Vault Secrets User", rbac.KeyVaultSecretsUserRoleID, "Read secret contents. Only works for key vaults that use the 'Azure role-based access control' permission model."},
		{"Storage Blob Data Owner", "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", ""},
		{"Storage Account Contributor", "17d1049b-9a84-46fb-8f53-869881c3d3ab", ""},
		{"Key Vault Secrets Officer", "b86a8fe4-44ce-4948-aee5-eccb2c155cd7", ""},
		{"Key Vault Administrator", "00482a5a-887f-4fb3-b363-3b7fe8e74483", ""},
		{"Azure Service Bus Data Owner", "090c5cfd-751d-490a-894a-3ce6f1109419", ""},
		{"Managed Identity Contributor", "e40ec5ca-96e0-45a2-b4ff-59039f2c2b59", ""},
		{"Virtual Machine Contributor", "9980e02c-c2be-4d73-94e8-173b1dc7cf3c", ""},
		{"Website Contributor", "de139f84-1756-47ae-9be6-808fbbe84772", ""},
		{"User Access Administrator", "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", ""},
		{"Role Based Access Control Administrator", "f58310d9-a9f6-439a-9e8d-f62e7b41a168", ""},
		{"Storage Blob Data Contributor", "ba92f5b4-2d11-453d-a403-e96b0029c9fe", ""},
		{"Key Vault Reader", "21090545-7ca7-4776-b22c-e363652d74d2", ""},
		{"Azure Service Bus Data Sender", "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39", ""},
		{"Azure Service Bus Data Receiver", "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0", ""},
		{"Managed Identity Operator", "f1a07417-d97a-45cb-824c-7a7467783830", ""},
	}
	if len(roles) != len(want) {
		t.Errorf("BuiltInRoles() has %d roles, want %d", len(roles), len(want))
	}
	for _, w := range want {
		r, ok := rbac.FindRole(roles, w.name)
		if !ok {
			t.Errorf("built-in role %q is missing", w.name)
			continue
		}
		if r.ID != w.id {
			t.Errorf("role %q has ID %s, want %s", w.name, r.ID, w.id)
		}
		if w.description != "" && r.Description != w.description {
			t.Errorf("role %q has description\n%q, want\n%q", w.name, r.Description, w.description)
		}
	}
}

func TestBuiltInRolesFreshCopy(t *testing.T) {
	a := rbac.BuiltInRoles()
	a[0].RoleName = "changed"
	a[0].Permissions[0].Actions[0] = "changed"
	a[0].AssignableScopes[0] = "changed"
	b := rbac.BuiltInRoles()
	if b[0].RoleName != "Owner" || b[0].Permissions[0].Actions[0] != "*" || b[0].AssignableScopes[0] != "/" {
		t.Errorf("changing one BuiltInRoles result changed the next: %+v", b[0])
	}
	// Key Vault Secrets Officer and Administrator share their actions list
	// in the source; a copy must not alias it.
	officer, _ := rbac.FindRole(b, "Key Vault Secrets Officer")
	officer.Permissions[0].Actions[0] = "changed"
	admin, _ := rbac.FindRole(b, "Key Vault Administrator")
	if admin.Permissions[0].Actions[0] == "changed" {
		t.Error("Key Vault Secrets Officer and Key Vault Administrator share an actions slice")
	}
}

func TestBuiltInRolesJSON(t *testing.T) {
	owner, _ := rbac.FindRole(rbac.BuiltInRoles(), "Owner")
	b, err := json.Marshal(owner)
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	want := `{"name":"8e3af657-a8ff-443c-a75c-2fe8c4bcb635","roleName":"Owner","description":"Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.","roleType":"BuiltInRole","permissions":[{"actions":["*"],"notActions":[],"dataActions":[],"notDataActions":[]}],"assignableScopes":["/"]}`
	if got != want {
		t.Errorf("json.Marshal(Owner) =\n%s\nwant\n%s", got, want)
	}
}

func TestFindRole(t *testing.T) {
	roles := append(rbac.BuiltInRoles(), rbac.RoleDefinition{
		ID:       "11111111-2222-3333-4444-555555555555",
		RoleName: "Blob Peeker",
		RoleType: rbac.CustomRole,
	})
	tests := []struct {
		key    string
		want   string // role name, "" for not found
		wantOK bool
	}{
		{"Storage Blob Data Reader", "Storage Blob Data Reader", true},
		{"storage blob data reader", "Storage Blob Data Reader", true},
		{"  Reader ", "Reader", true},
		{rbac.StorageBlobDataReaderRoleID, "Storage Blob Data Reader", true},
		{strings.ToUpper(rbac.OwnerRoleID), "Owner", true},
		{sub + "/providers/Microsoft.Authorization/roleDefinitions/" + rbac.ContributorRoleID, "Contributor", true},
		{"/providers/Microsoft.Authorization/roleDefinitions/" + rbac.ReaderRoleID, "Reader", true},
		{strings.ToLower(sub) + "/providers/microsoft.authorization/roledefinitions/" + rbac.ReaderRoleID, "Reader", true},
		{"Blob Peeker", "Blob Peeker", true},
		{"11111111-2222-3333-4444-555555555555", "Blob Peeker", true},
		{"Storage Blob Data", "", false},
		{"", "", false},
		{"00000000-0000-0000-0000-000000000000", "", false},
		{sub + "/providers/Microsoft.Authorization/roleDefinitions/", "", false},
	}
	for _, tt := range tests {
		r, ok := rbac.FindRole(roles, tt.key)
		if ok != tt.wantOK || r.RoleName != tt.want {
			t.Errorf("FindRole(%q) = %q, %v; want %q, %v", tt.key, r.RoleName, ok, tt.want, tt.wantOK)
		}
	}
}

func TestLookupIn(t *testing.T) {
	lookup := rbac.LookupIn(rbac.BuiltInRoles())
	tests := []struct {
		id     string
		want   string
		wantOK bool
	}{
		{rbac.OwnerRoleID, "Owner", true},
		{strings.ToUpper(rbac.OwnerRoleID), "Owner", true},
		{sub + "/providers/Microsoft.Authorization/roleDefinitions/" + rbac.ReaderRoleID, "Reader", true},
		{"Owner", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		r, ok := lookup(tt.id)
		if ok != tt.wantOK || r.RoleName != tt.want {
			t.Errorf("lookup(%q) = %q, %v; want %q, %v", tt.id, r.RoleName, ok, tt.want, tt.wantOK)
		}
	}
}

func TestResourceID(t *testing.T) {
	owner, _ := rbac.FindRole(rbac.BuiltInRoles(), "Owner")
	tests := []struct {
		subscription, want string
	}{
		{"s1", "/subscriptions/s1/providers/Microsoft.Authorization/roleDefinitions/" + rbac.OwnerRoleID},
		{"", "/providers/Microsoft.Authorization/roleDefinitions/" + rbac.OwnerRoleID},
	}
	for _, tt := range tests {
		if got := owner.ResourceID(tt.subscription); got != tt.want {
			t.Errorf("ResourceID(%q) = %q, want %q", tt.subscription, got, tt.want)
		}
	}
}

func TestAllows(t *testing.T) {
	const (
		blobRead   = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"
		blobDelete = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete"
		rolesWrite = "Microsoft.Authorization/roleAssignments/write"
		sbSend     = "Microsoft.ServiceBus/namespaces/messages/send/action"
		getSecret  = "Microsoft.KeyVault/vaults/secrets/getSecret/action"
	)
	roles := rbac.BuiltInRoles()
	tests := []struct {
		role   string
		action string
		data   bool
		want   bool
	}{
		{"Owner", rolesWrite, false, true},
		{"Owner", blobRead, true, false},
		{"Contributor", "Microsoft.Compute/virtualMachines/start/action", false, true},
		{"Contributor", rolesWrite, false, false},
		{"Contributor", "microsoft.authorization/roleassignments/WRITE", false, false},
		{"Contributor", "Microsoft.Authorization/roleAssignments/read", false, true},
		{"Contributor", blobRead, true, false},
		{"Reader", "Microsoft.Storage/storageAccounts/read", false, true},
		{"Reader", "Microsoft.Storage/storageAccounts/write", false, false},
		{"Reader", blobRead, true, false},
		{"User Access Administrator", rolesWrite, false, true},
		{"Role Based Access Control Administrator", rolesWrite, false, true},
		{"Role Based Access Control Administrator", "Microsoft.Authorization/policyAssignments/write", false, false},
		{"Storage Blob Data Reader", blobRead, true, true},
		{"Storage Blob Data Reader", blobRead, false, false},
		{"Storage Blob Data Reader", blobDelete, true, false},
		{"Storage Blob Data Contributor", blobDelete, true, true},
		{"Storage Blob Data Owner", blobDelete, true, true},
		{"Storage Blob Data Owner", "Microsoft.Storage/storageAccounts/blobServices/containers/delete", false, true},
		{"Storage Account Contributor", "Microsoft.Storage/storageAccounts/listKeys/action", false, true},
		{"Storage Account Contributor", blobRead, true, false},
		{"Key Vault Secrets User", getSecret, true, true},
		{"Key Vault Secrets User", "Microsoft.KeyVault/vaults/secrets/setSecret/action", true, false},
		{"Key Vault Secrets Officer", "Microsoft.KeyVault/vaults/secrets/setSecret/action", true, true},
		{"Key Vault Administrator", "Microsoft.KeyVault/vaults/keys/encrypt/action", true, true},
		{"Key Vault Reader", getSecret, true, false},
		{"Key Vault Reader", "Microsoft.KeyVault/vaults/secrets/readMetadata/action", true, true},
		{"Azure Service Bus Data Sender", sbSend, true, true},
		{"Azure Service Bus Data Sender", "Microsoft.ServiceBus/namespaces/messages/receive/action", true, false},
		{"Azure Service Bus Data Receiver", "Microsoft.ServiceBus/namespaces/messages/receive/action", true, true},
		{"Azure Service Bus Data Owner", sbSend, true, true},
		{"Azure Service Bus Data Owner", "Microsoft.ServiceBus/namespaces/write", false, true},
		{"Managed Identity Operator", "Microsoft.ManagedIdentity/userAssignedIdentities/assign/action", false, true},
		{"Managed Identity Operator", "Microsoft.ManagedIdentity/userAssignedIdentities/x/assign/action", false, true},
		{"Managed Identity Contributor", "Microsoft.ManagedIdentity/userAssignedIdentities/write", false, true},
		{"Managed Identity Contributor", "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write", false, true},
		{"Virtual Machine Contributor", "Microsoft.Compute/virtualMachines/write", false, true},
		{"Virtual Machine Contributor", "Microsoft.Network/virtualNetworks/write", false, false},
		{"Website Contributor", "Microsoft.Web/sites/config/write", false, true},
		{"Website Contributor", "Microsoft.Web/serverFarms/write", false, false},
	}
	for _, tt := range tests {
		r, ok := rbac.FindRole(roles, tt.role)
		if !ok {
			t.Fatalf("no role %q", tt.role)
		}
		if got := r.Allows(tt.action, tt.data); got != tt.want {
			t.Errorf("%s.Allows(%q, data=%v) = %v, want %v", tt.role, tt.action, tt.data, got, tt.want)
		}
	}
}

func TestValidate(t *testing.T) {
	valid := func() rbac.RoleDefinition {
		return rbac.RoleDefinition{
			ID:       "11111111-2222-3333-4444-555555555555",
			RoleName: "Blob Peeker",
			RoleType: rbac.CustomRole,
			Permissions: []rbac.Permission{{
				Actions:     []string{"Microsoft.Storage/storageAccounts/blobServices/containers/read"},
				DataActions: []string{"Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"},
			}},
			AssignableScopes: []string{sub},
		}
	}
	tests := []struct {
		name    string
		edit    func(*rbac.RoleDefinition)
		wantErr []string // substrings; none means valid
	}{
		{"valid", func(*rbac.RoleDefinition) {}, nil},
		{"no id yet", func(d *rbac.RoleDefinition) { d.ID = "" }, nil},
		{"empty role type counts as custom", func(d *rbac.RoleDefinition) { d.RoleType = "" }, nil},
		{"star action", func(d *rbac.RoleDefinition) { d.Permissions[0].Actions = []string{"*"} }, nil},
		{"star read", func(d *rbac.RoleDefinition) { d.Permissions[0].Actions = []string{"*/read"} }, nil},
		{"data only", func(d *rbac.RoleDefinition) { d.Permissions[0].Actions = nil }, nil},
		{"two scopes", func(d *rbac.RoleDefinition) { d.AssignableScopes = []string{sub, rg2, mg} }, nil},
		{"no name", func(d *rbac.RoleDefinition) { d.RoleName = " " }, []string{"the role name is empty"}},
		{"long name", func(d *rbac.RoleDefinition) { d.RoleName = strings.Repeat("n", 513) }, []string{"513 characters long; the limit is 512"}},
		{"long description", func(d *rbac.RoleDefinition) { d.Description = strings.Repeat("d", 2049) }, []string{"the limit is 2048"}},
		{"bad id", func(d *rbac.RoleDefinition) { d.ID = "peeker" }, []string{`role id "peeker" is not a GUID`}},
		{"bad type", func(d *rbac.RoleDefinition) { d.RoleType = "Custom" }, []string{`role type "Custom"`}},
		{"no permissions", func(d *rbac.RoleDefinition) { d.Permissions = nil }, []string{"no permissions block"}},
		{"empty block", func(d *rbac.RoleDefinition) { d.Permissions[0] = rbac.Permission{NotActions: []string{"*/write"}} }, []string{"neither actions nor dataActions"}},
		{"no namespace", func(d *rbac.RoleDefinition) { d.Permissions[0].Actions = []string{"Storage/storageAccounts/read"} }, []string{`"Storage" is not a resource provider namespace`}},
		{"namespace only", func(d *rbac.RoleDefinition) { d.Permissions[0].Actions = []string{"Microsoft.Storage"} }, []string{"names no resource type"}},
		{"space", func(d *rbac.RoleDefinition) {
			d.Permissions[0].Actions = []string{"Microsoft.Storage/storage Accounts/read"}
		}, []string{"contains ' '"}},
		{"empty segment", func(d *rbac.RoleDefinition) { d.Permissions[0].Actions = []string{"Microsoft.Storage//read"} }, []string{"empty path segment"}},
		{"empty string", func(d *rbac.RoleDefinition) { d.Permissions[0].NotActions = []string{""} }, []string{"notActions[0] \"\": it is empty"}},
		{"two wildcards", func(d *rbac.RoleDefinition) { d.Permissions[0].Actions = []string{"Microsoft.Storage/*/blobs/*"} }, []string{"only one wildcard"}},
		{"star data action", func(d *rbac.RoleDefinition) { d.Permissions[0].DataActions = []string{"*"} }, []string{"dataActions[0] \"*\": a data action must name its resource provider"}},
		{"star read data action", func(d *rbac.RoleDefinition) { d.Permissions[0].DataActions = []string{"*/read"} }, []string{"a data action must name its resource provider"}},
		{"control-plane provider in data actions", func(d *rbac.RoleDefinition) {
			d.Permissions[0].DataActions = []string{"Microsoft.Authorization/roleAssignments/write"}
		}, []string{"Microsoft.Authorization has no data plane"}},
		{"no scopes", func(d *rbac.RoleDefinition) { d.AssignableScopes = nil }, []string{"no assignable scopes"}},
		{"root scope", func(d *rbac.RoleDefinition) { d.AssignableScopes = []string{"/"} }, []string{`cannot be assignable at the root scope "/"`}},
		{"bad scope", func(d *rbac.RoleDefinition) { d.AssignableScopes = []string{"/subscriptions"} }, []string{"assignableScopes[0]: invalid scope", "missing subscription id"}},
		{"wildcard scope", func(d *rbac.RoleDefinition) { d.AssignableScopes = []string{"/subscriptions/*"} }, []string{"wildcard"}},
		{"two management groups", func(d *rbac.RoleDefinition) {
			d.AssignableScopes = []string{mg, "/providers/Microsoft.Management/managementGroups/other"}
		}, []string{"2 management groups"}},
		{"every problem reported", func(d *rbac.RoleDefinition) {
			d.RoleName = ""
			d.AssignableScopes = []string{"/"}
		}, []string{"the role name is empty", "root scope"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := valid()
			tt.edit(&d)
			err := d.Validate()
			if len(tt.wantErr) == 0 {
				if err != nil {
					t.Errorf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate() = nil, want error containing %q", tt.wantErr)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate() = %q, want it to contain %q", err, w)
				}
			}
		})
	}
}

func TestValidateBuiltInMayUseRoot(t *testing.T) {
	owner, _ := rbac.FindRole(rbac.BuiltInRoles(), "Owner")
	if err := owner.Validate(); err != nil {
		t.Errorf("Owner.Validate() = %v", err)
	}
	owner.RoleType = rbac.CustomRole
	if err := owner.Validate(); err == nil || !strings.Contains(err.Error(), "root scope") {
		t.Errorf("Owner as a custom role: Validate() = %v, want the root scope rejected", err)
	}
}

func TestCheckAssignable(t *testing.T) {
	custom := rbac.RoleDefinition{
		RoleName:         "Blob Peeker",
		RoleType:         rbac.CustomRole,
		Permissions:      []rbac.Permission{{DataActions: []string{"Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"}}},
		AssignableScopes: []string{mg, rg},
	}
	reader, _ := rbac.FindRole(rbac.BuiltInRoles(), "Reader")
	tests := []struct {
		name    string
		role    rbac.RoleDefinition
		scope   string
		mgs     []string
		wantErr string
	}{
		{"built-in anywhere", reader, container, nil, ""},
		{"built-in at management group", reader, mg, nil, ""},
		{"custom inside assignable scope", custom, account, nil, ""},
		{"custom at assignable scope", custom, rg, nil, ""},
		{"custom outside", custom, rg2, nil, `only at "` + mg + `", "` + rg + `"`},
		{"custom above", custom, sub, nil, "cannot be assigned at scope"},
		{"custom in subscription under its management group", custom, otherSub, []string{mg}, ""},
		{"custom with data actions at management group", custom, mg, nil, "cannot be assigned at management group scope"},
		{"invalid scope", reader, "/subscriptions", nil, "missing subscription id"},
	}
	for _, tt := range tests {
		err := tt.role.CheckAssignable(tt.scope, tt.mgs...)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("%s: CheckAssignable(%q) = %v, want nil", tt.name, tt.scope, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("%s: CheckAssignable(%q) = %v, want error containing %q", tt.name, tt.scope, err, tt.wantErr)
		}
	}
}
