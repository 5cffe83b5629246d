package engine_test

import (
	"fmt"

	"github.com/miplay/miplay/engine"
)

// A new world has a tenant, a subscription and an admin who is Owner on it.
func ExampleNew() {
	w := engine.New(engine.Options{Seed: 42})
	fmt.Println(w.Tenant.DisplayName, w.Tenant.DefaultDomain)
	fmt.Println(w.Admin.UserPrincipalName)
	for _, a := range w.RoleAssignments() {
		role, _ := w.Role(a.RoleDefinitionID)
		fmt.Println(role.RoleName, "at", a.Scope == w.Subscription.Scope())
	}
	// Output:
	// Contoso contoso.onmicrosoft.com
	// ada@contoso.onmicrosoft.com
	// Owner at true
}

// Enabling a system-assigned identity makes Azure create a service
// principal named after the resource.
func ExampleWorld_EnableSystemAssigned() {
	w := engine.New(engine.Options{})
	w.CreateResourceGroup("rg-demo", "westeurope")
	vm, _ := w.CreateVM(engine.ResourceSpec{Group: "rg-demo", Name: "vm-web"})
	id, _ := w.EnableSystemAssigned(vm.ID)
	sp, _ := w.ServicePrincipal(id.PrincipalID)
	fmt.Println(vm.Identity.Type())
	fmt.Println(sp.DisplayName, sp.Type, sp.AlternativeNames[0])
	// Output:
	// SystemAssigned
	// vm-web ManagedIdentity isExplicit=False
}

// Authorize explains its decision. Owner on the subscription is a control
// plane role: it does not let anyone read blobs.
func ExampleWorld_Authorize() {
	w := engine.New(engine.Options{})
	w.CreateResourceGroup("rg-demo", "westeurope")
	st, _ := w.CreateStorageAccount(engine.ResourceSpec{Group: "rg-demo", Name: "stdemo"})
	blobRead := "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"
	d := w.Authorize(w.Admin.ObjectID, blobRead, st.ID+"/blobServices/default/containers/docs", true)
	fmt.Println(d.Allowed)
	w.AssignRole(st.ID, "Storage Blob Data Reader", w.Admin.ObjectID, "")
	d = w.Authorize(w.Admin.ObjectID, blobRead, st.ID+"/blobServices/default/containers/docs", true)
	fmt.Println(d.Allowed)
	// Output:
	// false
	// true
}

// A VM's code asks its token service for a token; Entra issues one for the
// VM's identity, and asking again within its lifetime returns the same one.
func ExampleWorld_ManagedIdentityToken() {
	w := engine.New(engine.Options{})
	w.CreateResourceGroup("rg-demo", "westeurope")
	vm, _ := w.CreateVM(engine.ResourceSpec{Group: "rg-demo", Name: "vm-web"})
	w.EnableSystemAssigned(vm.ID)
	host, _ := w.Host("vm-web")
	tok, cached, _ := w.ManagedIdentityToken(host, engine.Selector{}, "https://storage.azure.com/", engine.ViaIMDS)
	fmt.Println(tok.Claims.Audience, tok.Claims.AppIDACR, tok.Claims.ExpiresAt-tok.Claims.NotBefore, cached)
	again, cached, _ := w.ManagedIdentityToken(host, engine.Selector{}, "https://storage.azure.com/", engine.ViaIMDS)
	fmt.Println(again.Raw == tok.Raw, cached)
	// Output:
	// https://storage.azure.com/ 2 86700 false
	// true true
}
