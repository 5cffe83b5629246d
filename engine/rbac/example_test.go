package rbac_test

import (
	"fmt"
	"time"

	"github.com/miplay/miplay/engine/rbac"
)

// A VM's managed identity tries to read a blob. Owner on the subscription is
// not enough: it grants control-plane actions only. Storage Blob Data Reader
// on the storage account grants the data action.
func ExampleAuthorize() {
	const (
		vm      = "5f0c1e9a-0000-4000-8000-000000000001"
		sub     = "/subscriptions/00000000-0000-0000-0000-000000000001"
		account = sub + "/resourceGroups/app/providers/Microsoft.Storage/storageAccounts/st1"
	)
	roles := rbac.LookupIn(rbac.BuiltInRoles())
	start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	req := rbac.Request{
		PrincipalID: vm,
		Action:      "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
		DataAction:  true,
		Scope:       account + "/blobServices/default/containers/photos",
		At:          start,
	}
	owner := rbac.Assignment{
		ID:               rbac.AssignmentID(sub, "a1"),
		Scope:            sub,
		RoleDefinitionID: rbac.OwnerRoleID,
		PrincipalID:      vm,
		Created:          start,
	}

	d := rbac.Authorize(req, []rbac.Assignment{owner}, roles, 0)
	fmt.Println(d.Allowed)
	fmt.Println(d.Reason)

	reader := rbac.Assignment{
		ID:               rbac.AssignmentID(account, "a2"),
		Scope:            account,
		RoleDefinitionID: rbac.StorageBlobDataReaderRoleID,
		PrincipalID:      vm,
		Created:          start,
	}
	d = rbac.Authorize(req, []rbac.Assignment{owner, reader}, roles, 0)
	fmt.Println(d.Allowed)
	fmt.Println(d.Reason)
	for _, c := range d.Considered {
		fmt.Printf("%s: %s\n", c.RoleName, c.Outcome)
	}
	// Output:
	// false
	// Denied: no role assignment for principal '5f0c1e9a-0000-4000-8000-000000000001' grants data action 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read' at scope '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/app/providers/Microsoft.Storage/storageAccounts/st1/blobServices/default/containers/photos'; role 'Owner' grants actions '*' but a data action needs dataActions; Owner has none.
	// true
	// Allowed: role 'Storage Blob Data Reader' assigned at scope '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/app/providers/Microsoft.Storage/storageAccounts/st1' grants data action 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read' through 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'.
	// Owner: ControlPlaneOnly
	// Storage Blob Data Reader: Grants
}

// A new role assignment takes a while to propagate.
func ExampleAuthorize_propagation() {
	const (
		vm    = "5f0c1e9a-0000-4000-8000-000000000001"
		vault = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/app/providers/Microsoft.KeyVault/vaults/kv1"
	)
	assigned := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	a := rbac.Assignment{
		ID:               rbac.AssignmentID(vault, "a1"),
		Scope:            vault,
		RoleDefinitionID: rbac.KeyVaultSecretsUserRoleID,
		PrincipalID:      vm,
		Created:          assigned,
	}
	for _, after := range []time.Duration{time.Minute, 10 * time.Minute} {
		req := rbac.Request{
			PrincipalID: vm,
			Action:      "Microsoft.KeyVault/vaults/secrets/getSecret/action",
			DataAction:  true,
			Scope:       vault + "/secrets/db-password",
			At:          assigned.Add(after),
		}
		d := rbac.Authorize(req, []rbac.Assignment{a}, rbac.LookupIn(rbac.BuiltInRoles()), 10*time.Minute)
		fmt.Printf("after %v: %v, %s\n", after, d.Allowed, d.Considered[0].Outcome)
	}
	// Output:
	// after 1m0s: false, NotYetEffective
	// after 10m0s: true, Grants
}

func ExampleMatchAction() {
	fmt.Println(rbac.MatchAction("*", "Microsoft.Compute/virtualMachines/start/action"))
	fmt.Println(rbac.MatchAction("*/read", "Microsoft.Storage/storageAccounts/read"))
	fmt.Println(rbac.MatchAction("*/read", "Microsoft.Storage/storageAccounts/write"))
	fmt.Println(rbac.MatchAction("Microsoft.ServiceBus/*/send/action", "Microsoft.ServiceBus/namespaces/messages/send/action"))
	fmt.Println(rbac.MatchAction("Microsoft.Authorization/*/Write", "microsoft.authorization/roleassignments/write"))
	// Output:
	// true
	// true
	// false
	// true
	// true
}

func ExampleScopeContains() {
	const rg = "/subscriptions/s1/resourceGroups/app"
	fmt.Println(rbac.ScopeContains("/", rg))
	fmt.Println(rbac.ScopeContains("/subscriptions/s1", rg+"/providers/Microsoft.Web/sites/web1"))
	fmt.Println(rbac.ScopeContains(rg+"/providers/Microsoft.Web/sites/web1", rg))
	fmt.Println(rbac.ScopeContains(rg, "/subscriptions/s1/resourceGroups/app2"))
	// Output:
	// true
	// true
	// false
	// false
}

func ExampleFindRole() {
	roles := rbac.BuiltInRoles()
	for _, key := range []string{
		"storage blob data reader",
		"2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
		"/subscriptions/s1/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
	} {
		r, ok := rbac.FindRole(roles, key)
		fmt.Println(r.RoleName, ok)
	}
	// Output:
	// Storage Blob Data Reader true
	// Storage Blob Data Reader true
	// Storage Blob Data Reader true
}

func ExampleRoleDefinition_Validate() {
	role := rbac.RoleDefinition{
		RoleName: "Blob Peeker",
		RoleType: rbac.CustomRole,
		Permissions: []rbac.Permission{{
			DataActions: []string{"*/read"},
		}},
		AssignableScopes: []string{"/"},
	}
	fmt.Println(role.Validate())
	// Output:
	// rbac: role "Blob Peeker": permissions[0].dataActions[0] "*/read": a data action must name its resource provider (such as Microsoft.Storage); a leading '*' belongs in actions
	// rbac: role "Blob Peeker": assignableScopes[0]: a custom role cannot be assignable at the root scope "/"
}
