package engine

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/miplay/miplay/engine/rbac"
)

const (
	blobRead   = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"
	storageURI = "https://storage.azure.com/"
)

// fixture is a world with a resource group "rg", a VM "vm-web" and a
// storage account "stdemo" with a container "docs".
type fixture struct {
	w  *World
	vm *Resource
	st *Resource
}

func newFixture(t *testing.T, opts Options) fixture {
	t.Helper()
	w := New(opts)
	must(t, second(w.CreateResourceGroup("rg", "")))
	vm, err := w.CreateVM(ResourceSpec{Group: "rg", Name: "vm-web"})
	must(t, err)
	st, err := w.CreateStorageAccount(ResourceSpec{Group: "rg", Name: "stdemo"})
	must(t, err)
	must(t, second(w.CreateContainer(st, "docs")))
	return fixture{w, vm, st}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func second[T any](_ T, err error) error { return err }

func (f fixture) host(t *testing.T, name string) Host {
	t.Helper()
	h, ok := f.w.Host(name)
	if !ok {
		t.Fatalf("no host %q", name)
	}
	return h
}

func TestNewWorld(t *testing.T) {
	w := New(Options{Seed: 7})
	if w.Now() != DefaultStart {
		t.Errorf("Now() = %v, want %v", w.Now(), DefaultStart)
	}
	if w.Admin == nil || !strings.HasSuffix(w.Admin.UserPrincipalName, "@contoso.onmicrosoft.com") {
		t.Errorf("admin = %+v", w.Admin)
	}
	as := w.RoleAssignments()
	if len(as) != 1 || as[0].Scope != w.Subscription.Scope() || as[0].PrincipalID != w.Admin.ObjectID {
		t.Fatalf("assignments = %+v, want Owner on the subscription for the admin", as)
	}
	if d := w.Authorize(w.Admin.ObjectID, "Microsoft.Compute/virtualMachines/write", w.Subscription.Scope()+"/resourceGroups/x", false); !d.Allowed {
		t.Errorf("admin cannot write a VM: %s", d.Reason)
	}
	other := New(Options{Seed: 8})
	if w.Tenant.ID == other.Tenant.ID {
		t.Errorf("seeds 7 and 8 gave the same tenant ID %s", w.Tenant.ID)
	}
	if again := New(Options{Seed: 7}); again.Tenant.ID != w.Tenant.ID || again.Subscription.ID != w.Subscription.ID {
		t.Errorf("seed 7 gave different IDs on a second world")
	}
}

func TestGUIDShape(t *testing.T) {
	s := idSource{seed: 1}
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		g := s.GUID()
		if len(g) != 36 || g[14] != '4' || !strings.ContainsRune("89ab", rune(g[19])) {
			t.Fatalf("GUID %q is not a version 4 GUID", g)
		}
		if seen[g] {
			t.Fatalf("GUID %q repeated", g)
		}
		seen[g] = true
	}
}

func TestSystemAssignedLifecycle(t *testing.T) {
	f := newFixture(t, Options{})
	w := f.w
	first, err := w.EnableSystemAssigned(f.vm.ID)
	must(t, err)
	again, _ := w.EnableSystemAssigned(f.vm.ID)
	if again.PrincipalID != first.PrincipalID {
		t.Errorf("enabling twice made a new principal")
	}
	sp, err := w.ServicePrincipal(first.PrincipalID)
	must(t, err)
	if sp.DisplayName != "vm-web" || sp.Type != ManagedIdentityPrincipal || sp.ResourceID != f.vm.ID {
		t.Errorf("principal = %+v", sp)
	}
	if !reflect.DeepEqual(sp.AlternativeNames, []string{"isExplicit=False", f.vm.ID}) {
		t.Errorf("alternative names = %v", sp.AlternativeNames)
	}
	must(t, second(w.AssignRole(f.st.ID, "Storage Blob Data Reader", first.PrincipalID, "")))

	must(t, w.DisableSystemAssigned(f.vm.ID))
	if f.vm.Identity.Type() != "None" {
		t.Errorf("type after disable = %q", f.vm.Identity.Type())
	}
	if _, err := w.ServicePrincipal(first.PrincipalID); !IsFault(err, "Request_ResourceNotFound") {
		t.Errorf("principal still found after disable: %v", err)
	}
	// The assignment stays, orphaned.
	name, kind, exists := w.PrincipalName(first.PrincipalID)
	if len(w.RoleAssignments()) != 2 || exists || name != "" || kind != "Unknown" {
		t.Errorf("orphaned assignment: %d assignments, principal %q %q %v", len(w.RoleAssignments()), name, kind, exists)
	}
	second, _ := w.EnableSystemAssigned(f.vm.ID)
	if second.PrincipalID == first.PrincipalID || second.ClientID == first.ClientID {
		t.Errorf("re-enabling reused the old principal %s", first.PrincipalID)
	}
	// The new principal does not inherit the orphaned assignment.
	if d := w.Authorize(second.PrincipalID, blobRead, f.st.ID, true); d.Allowed {
		t.Errorf("new principal inherited the old one's role: %s", d.Reason)
	}
	// Deleting the resource deletes its identity too.
	must(t, w.DeleteResource(f.vm.ID))
	if _, err := w.ServicePrincipal(second.PrincipalID); err == nil {
		t.Errorf("principal survived its resource")
	}
}

func TestUserAssignedLifecycle(t *testing.T) {
	f := newFixture(t, Options{})
	w := f.w
	ui, err := w.CreateUserIdentity(ResourceSpec{Group: "rg", Name: "id-shared"})
	must(t, err)
	if !strings.Contains(ui.ID, "/resourcegroups/rg/") {
		t.Errorf("user-assigned identity ID %s: Azure writes resourcegroups in lower case", ui.ID)
	}
	vm2, _ := w.CreateVM(ResourceSpec{Group: "rg", Name: "vm-two"})
	ss, _ := w.CreateScaleSet(ResourceSpec{Group: "rg", Name: "vmss-web"}, 2)
	for _, r := range []*Resource{f.vm, vm2, ss} {
		must(t, w.AssignUserIdentity(r.ID, ui.ID))
	}
	must(t, w.AssignUserIdentity(f.vm.ID, ui.ID)) // idempotent
	if got := len(f.vm.Identity.UserAssigned); got != 1 {
		t.Errorf("assigning twice gave %d references", got)
	}
	// The same principal everywhere.
	for _, name := range []string{"vm-web", "vm-two", "vmss-web_0", "vmss-web_1"} {
		id, fail := w.SelectIdentity(f.host(t, name), Selector{})
		if fail != "" || id.PrincipalID != ui.UserIdentity.PrincipalID || !id.UserAssigned {
			t.Errorf("%s: selected %+v, %q", name, id, fail)
		}
	}
	// Deleting a VM leaves the identity.
	must(t, w.DeleteResource(vm2.ID))
	if _, err := w.ServicePrincipal(ui.UserIdentity.PrincipalID); err != nil {
		t.Errorf("identity principal gone with a VM it was assigned to: %v", err)
	}
	// Deleting the identity leaves the references on the resources.
	must(t, w.DeleteResource(ui.ID))
	if got := f.vm.Identity.UserAssigned; len(got) != 1 || got[0] != ui.ID {
		t.Errorf("references after deleting the identity = %v, want the dangling reference", got)
	}
	if refs := w.UserIdentities(f.vm); refs[0].Exists {
		t.Errorf("dangling reference resolves: %+v", refs[0])
	}
	if _, fail := w.SelectIdentity(f.host(t, "vm-web"), Selector{}); fail != IdentityDeleted {
		t.Errorf("selection with the identity deleted = %q, want %q", fail, IdentityDeleted)
	}
}

func TestSelectIdentity(t *testing.T) {
	f := newFixture(t, Options{})
	w := f.w
	a, _ := w.CreateUserIdentity(ResourceSpec{Group: "rg", Name: "id-a"})
	b, _ := w.CreateUserIdentity(ResourceSpec{Group: "rg", Name: "id-b"})
	vmNone, _ := w.CreateVM(ResourceSpec{Group: "rg", Name: "vm-none"})
	vmOne, _ := w.CreateVM(ResourceSpec{Group: "rg", Name: "vm-one"})
	vmTwo, _ := w.CreateVM(ResourceSpec{Group: "rg", Name: "vm-two"})
	vmBoth, _ := w.CreateVM(ResourceSpec{Group: "rg", Name: "vm-both"})
	_ = vmNone
	must(t, w.AssignUserIdentity(vmOne.ID, a.ID))
	must(t, w.AssignUserIdentity(vmTwo.ID, a.ID))
	must(t, w.AssignUserIdentity(vmTwo.ID, b.ID))
	sys, _ := w.EnableSystemAssigned(vmBoth.ID)
	must(t, w.AssignUserIdentity(vmBoth.ID, b.ID))

	tests := []struct {
		host     string
		sel      Selector
		wantOID  string
		wantFail SelectionFailure
	}{
		{"vm-none", Selector{}, "", NoIdentity},
		{"vm-one", Selector{}, a.UserIdentity.PrincipalID, ""},
		{"vm-two", Selector{}, "", MultipleUserAssigned},
		{"vm-two", Selector{ClientID: b.UserIdentity.ClientID}, b.UserIdentity.PrincipalID, ""},
		{"vm-two", Selector{ObjectID: a.UserIdentity.PrincipalID}, a.UserIdentity.PrincipalID, ""},
		{"vm-two", Selector{ResourceID: b.ID}, b.UserIdentity.PrincipalID, ""},
		{"vm-two", Selector{ResourceID: strings.ToUpper(b.ID)}, b.UserIdentity.PrincipalID, ""},
		{"vm-two", Selector{ClientID: "00000000-0000-0000-0000-000000000000"}, "", IdentityNotAssigned},
		{"vm-one", Selector{ClientID: b.UserIdentity.ClientID}, "", IdentityNotAssigned},
		{"vm-both", Selector{}, sys.PrincipalID, ""},
		{"vm-both", Selector{ClientID: b.UserIdentity.ClientID}, b.UserIdentity.PrincipalID, ""},
		{"vm-both", Selector{ClientID: sys.ClientID}, sys.PrincipalID, ""},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%+v", tt.host, tt.sel), func(t *testing.T) {
			got, fail := w.SelectIdentity(f.host(t, tt.host), tt.sel)
			if fail != tt.wantFail || got.PrincipalID != tt.wantOID {
				t.Errorf("got %q, %q; want %q, %q", got.PrincipalID, fail, tt.wantOID, tt.wantFail)
			}
		})
	}
}

func TestHosts(t *testing.T) {
	f := newFixture(t, Options{})
	w := f.w
	ss, _ := w.CreateScaleSet(ResourceSpec{Group: "rg", Name: "vmss-web"}, 2)
	plan, _ := w.CreatePlan(ResourceSpec{Group: "rg", Name: "plan"}, "B1")
	_, err := w.CreateSite(ResourceSpec{Group: "rg", Name: "app-orders"}, plan.ID, WebApp)
	must(t, err)
	_, err = w.CreateSite(ResourceSpec{Group: "rg", Name: "func-jobs"}, plan.ID, FunctionApp)
	must(t, err)
	var got []string
	for _, h := range w.Hosts() {
		got = append(got, fmt.Sprintf("%s:%s:%v", h.Name, h.Kind, h.IMDS()))
	}
	want := []string{"vm-web:vm:true", "vmss-web_0:vmss-instance:true", "vmss-web_1:vmss-instance:true", "app-orders:webapp:false", "func-jobs:functionapp:false"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("hosts = %v, want %v", got, want)
	}
	h := f.host(t, "vmss-web_1")
	if h.ID != ss.ID+"/virtualMachines/1" || h.Owner != ss {
		t.Errorf("instance host = %+v", h)
	}
	if err := w.DeleteResource(plan.ID); !IsFault(err, "Conflict") {
		t.Errorf("deleting a plan with apps: %v, want a Conflict", err)
	}
}

func TestResourceValidation(t *testing.T) {
	w := New(Options{})
	w.CreateResourceGroup("rg", "")
	tests := []struct {
		name string
		err  error
		code string
	}{
		{"storage name with capitals", second(w.CreateStorageAccount(ResourceSpec{Group: "rg", Name: "StDemo"})), "AccountNameInvalid"},
		{"storage name too short", second(w.CreateStorageAccount(ResourceSpec{Group: "rg", Name: "st"})), "AccountNameInvalid"},
		{"vault name with double hyphen", second(w.CreateKeyVault(ResourceSpec{Group: "rg", Name: "kv--demo"})), "VaultNameNotValid"},
		{"missing group", second(w.CreateVM(ResourceSpec{Group: "nope", Name: "vm"})), "ResourceGroupNotFound"},
		{"bad group name", second(w.CreateResourceGroup("rg!", "")), "InvalidResourceGroup"},
		{"scale set capacity", second(w.CreateScaleSet(ResourceSpec{Group: "rg", Name: "ss"}, -1)), "InvalidParameter"},
	}
	for _, tt := range tests {
		if !IsFault(tt.err, tt.code) {
			t.Errorf("%s: got %v, want fault %s", tt.name, tt.err, tt.code)
		}
	}
	must(t, second(w.CreateStorageAccount(ResourceSpec{Group: "rg", Name: "stdemo"})))
	w.CreateResourceGroup("rg2", "")
	if err := second(w.CreateStorageAccount(ResourceSpec{Group: "rg2", Name: "stdemo"})); !IsFault(err, "StorageAccountAlreadyTaken") {
		t.Errorf("storage names are global: got %v", err)
	}
	if err := second(w.CreateVM(ResourceSpec{Group: "RG", Name: "vm"})); err != nil {
		t.Errorf("resource group names are case-insensitive: %v", err)
	}
	if err := second(w.CreateVM(ResourceSpec{Group: "rg", Name: "VM"})); !IsFault(err, "Conflict") {
		t.Errorf("VM names are case-insensitive within a group: %v", err)
	}
}

func TestDeleteResourceGroupDeletesIdentities(t *testing.T) {
	f := newFixture(t, Options{})
	sys, _ := f.w.EnableSystemAssigned(f.vm.ID)
	ui, _ := f.w.CreateUserIdentity(ResourceSpec{Group: "rg", Name: "id-a"})
	must(t, f.w.DeleteResourceGroup("rg"))
	for _, oid := range []string{sys.PrincipalID, ui.UserIdentity.PrincipalID} {
		if _, err := f.w.ServicePrincipal(oid); err == nil {
			t.Errorf("principal %s survived its resource group", oid)
		}
	}
	if len(f.w.Resources()) != 0 || len(f.w.ResourceGroups()) != 0 {
		t.Errorf("left %d resources and %d groups", len(f.w.Resources()), len(f.w.ResourceGroups()))
	}
}

func TestRoleAssignments(t *testing.T) {
	f := newFixture(t, Options{})
	w := f.w
	sys, _ := w.EnableSystemAssigned(f.vm.ID)
	containerScope := f.st.ID + "/blobServices/default/containers/docs"
	tests := []struct {
		name             string
		scope, role, oid string
		ptype            rbac.PrincipalType
		wantCode         string
	}{
		{"at a resource", f.st.ID, "Storage Blob Data Reader", sys.PrincipalID, "", ""},
		{"twice", f.st.ID, "storage blob data reader", sys.PrincipalID, "", "RoleAssignmentExists"},
		{"at a container", containerScope, "Storage Blob Data Contributor", sys.PrincipalID, "", ""},
		{"unknown role", f.st.ID, "Blob Wizard", sys.PrincipalID, "", "RoleDefinitionDoesNotExist"},
		{"unknown principal", f.st.ID, "Reader", "11111111-1111-4111-8111-111111111111", "", "PrincipalNotFound"},
		{"unknown principal with a type", f.st.ID, "Reader", "11111111-1111-4111-8111-111111111111", "ServicePrincipal", ""},
		{"missing resource", w.ResourceID("rg", TypeStorageAccount, "nope"), "Reader", sys.PrincipalID, "", "ResourceNotFound"},
		{"missing group", w.Subscription.Scope() + "/resourceGroups/nope", "Reader", sys.PrincipalID, "", "ResourceGroupNotFound"},
		{"by role GUID", w.Subscription.Scope() + "/resourceGroups/rg", "acdd72a7-3385-48ef-bd42-f606fba81ae7", sys.PrincipalID, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := w.AssignRole(tt.scope, tt.role, tt.oid, tt.ptype)
			if tt.wantCode == "" && err != nil || tt.wantCode != "" && !IsFault(err, tt.wantCode) {
				t.Errorf("err = %v, want %q", err, tt.wantCode)
			}
		})
	}
	var f2 *Fault
	_, err := w.AssignRole(f.st.ID, "Reader", "22222222-2222-4222-8222-222222222222", "")
	if !errors.As(err, &f2) || !strings.Contains(f2.Message, "does not exist in the directory "+w.Tenant.ID) {
		t.Errorf("PrincipalNotFound message = %v", err)
	}
}

func TestControlPlaneIsNotDataPlane(t *testing.T) {
	f := newFixture(t, Options{})
	w := f.w
	sys, _ := w.EnableSystemAssigned(f.vm.ID)
	scope := f.st.ID + "/blobServices/default/containers/docs/blobs/a.txt"
	for _, role := range []string{"Owner", "Contributor", "Reader", "Storage Account Contributor"} {
		t.Run(role, func(t *testing.T) {
			w := New(Options{})
			w.CreateResourceGroup("rg", "")
			st, _ := w.CreateStorageAccount(ResourceSpec{Group: "rg", Name: "stdemo"})
			vm, _ := w.CreateVM(ResourceSpec{Group: "rg", Name: "vm"})
			id, _ := w.EnableSystemAssigned(vm.ID)
			must(t, second(w.AssignRole(st.ID, role, id.PrincipalID, "")))
			if d := w.Authorize(id.PrincipalID, blobRead, st.ID+"/blobServices/default/containers/docs", true); d.Allowed {
				t.Errorf("%s can read blobs: %s", role, d.Reason)
			}
		})
	}
	must(t, second(w.AssignRole(f.st.ID, "Storage Blob Data Reader", sys.PrincipalID, "")))
	if d := w.Authorize(sys.PrincipalID, blobRead, scope, true); !d.Allowed {
		t.Errorf("Storage Blob Data Reader cannot read: %s", d.Reason)
	}
	if d := w.Authorize(sys.PrincipalID, "Microsoft.Storage/storageAccounts/listKeys/action", f.st.ID, false); d.Allowed {
		t.Errorf("a data role lists keys: %s", d.Reason)
	}
}

func TestPropagation(t *testing.T) {
	f := newFixture(t, Options{Propagation: 5 * time.Minute})
	w := f.w
	sys, _ := w.EnableSystemAssigned(f.vm.ID)
	a, err := w.AssignRole(f.st.ID, "Storage Blob Data Reader", sys.PrincipalID, "")
	must(t, err)
	steps := []struct {
		advance time.Duration
		do      func()
		want    bool
	}{
		{0, nil, false},
		{4 * time.Minute, nil, false},
		{time.Minute, nil, true},
		{0, func() { w.DeleteRoleAssignment(a.ID) }, true},
		{4*time.Minute + 59*time.Second, nil, true},
		{time.Second, nil, false},
	}
	for i, s := range steps {
		must(t, w.Advance(s.advance))
		if s.do != nil {
			s.do()
		}
		if d := w.Authorize(sys.PrincipalID, blobRead, f.st.ID, true); d.Allowed != s.want {
			t.Errorf("step %d at +%s: allowed = %v, want %v (%s)", i, w.Now().Sub(DefaultStart), d.Allowed, s.want, d.Reason)
		}
	}
}

func TestManagedIdentityTokenClaims(t *testing.T) {
	f := newFixture(t, Options{})
	w := f.w
	sys, _ := w.EnableSystemAssigned(f.vm.ID)
	ui, _ := w.CreateUserIdentity(ResourceSpec{Group: "rg", Name: "id-a"})
	must(t, w.AssignUserIdentity(f.vm.ID, ui.ID))
	h := f.host(t, "vm-web")

	tok, cached, err := w.ManagedIdentityToken(h, Selector{}, storageURI, ViaIMDS)
	must(t, err)
	c := tok.Claims
	iss := "https://sts.windows.net/" + w.Tenant.ID + "/"
	checks := []struct{ name, got, want string }{
		{"aud", c.Audience, storageURI},
		{"iss", c.Issuer, iss},
		{"idp", c.IdP, iss},
		{"appid", c.AppID, sys.ClientID},
		{"appidacr", c.AppIDACR, "2"},
		{"oid", c.ObjectID, sys.PrincipalID},
		{"sub", c.Subject, sys.PrincipalID},
		{"tid", c.TenantID, w.Tenant.ID},
		{"ver", c.Version, "1.0"},
		{"idtyp", c.IDType, "app"},
		{"xms_mirid", c.MIResourceID, "/subscriptions/" + w.Subscription.ID + "/resourcegroups/rg/providers/Microsoft.Compute/virtualMachines/vm-web"},
		{"xms_az_rid", c.AzureResourceID, ""},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %q, want %q", ch.name, ch.got, ch.want)
		}
	}
	if cached || c.IssuedAt != w.Now().Add(-5*time.Minute).Unix() || c.NotBefore != c.IssuedAt || c.ExpiresAt-c.NotBefore != 86700 {
		t.Errorf("cached=%v iat=%d nbf=%d exp=%d", cached, c.IssuedAt, c.NotBefore, c.ExpiresAt)
	}
	got, fail := w.ValidateToken(tok.Raw, []string{storageURI})
	if fail != nil || got.ObjectID != sys.PrincipalID {
		t.Errorf("own token does not validate: %v", fail)
	}

	ut, _, err := w.ManagedIdentityToken(h, Selector{ClientID: ui.UserIdentity.ClientID}, "https://vault.azure.net", ViaIMDS)
	must(t, err)
	if ut.Claims.MIResourceID != claimResourceID(ui.ID) || ut.Claims.AzureResourceID != claimResourceID(f.vm.ID) {
		t.Errorf("user-assigned xms_mirid=%q xms_az_rid=%q", ut.Claims.MIResourceID, ut.Claims.AzureResourceID)
	}

	var ee *EntraError
	if _, _, err := w.ManagedIdentityToken(h, Selector{}, "https://example.com/", ViaIMDS); !errors.As(err, &ee) || ee.Code != 500011 {
		t.Errorf("unknown resource: %v", err)
	}
}

func TestTokenCache(t *testing.T) {
	f := newFixture(t, Options{})
	w := f.w
	w.EnableSystemAssigned(f.vm.ID)
	h := f.host(t, "vm-web")
	first, _, _ := w.ManagedIdentityToken(h, Selector{}, storageURI, ViaIMDS)
	steps := []struct {
		advance    time.Duration
		resource   string
		wantCached bool
		wantSame   bool
	}{
		{time.Hour, storageURI, true, true},
		{0, "https://storage.azure.com", false, false}, // a different resource string is a different cache entry
		{22 * time.Hour, storageURI, true, true},
		{54 * time.Minute, storageURI, true, true},            // 23h54m: six minutes left
		{time.Minute + time.Second, storageURI, false, false}, // under five minutes left: a new token
	}
	for i, s := range steps {
		w.Advance(s.advance)
		tok, cached, err := w.ManagedIdentityToken(h, Selector{}, s.resource, ViaIMDS)
		must(t, err)
		if cached != s.wantCached || (tok.Raw == first.Raw) != s.wantSame {
			t.Errorf("step %d: cached=%v same=%v, want %v %v", i, cached, tok.Raw == first.Raw, s.wantCached, s.wantSame)
		}
	}
}

func TestTokenOutlivesIdentity(t *testing.T) {
	f := newFixture(t, Options{})
	w := f.w
	sys, _ := w.EnableSystemAssigned(f.vm.ID)
	w.AssignRole(f.st.ID, "Storage Blob Data Reader", sys.PrincipalID, "")
	tok, _, _ := w.ManagedIdentityToken(f.host(t, "vm-web"), Selector{}, storageURI, ViaIMDS)
	must(t, w.DisableSystemAssigned(f.vm.ID))
	if _, _, err := w.ManagedIdentityToken(f.host(t, "vm-web"), Selector{}, storageURI, ViaIMDS); err == nil {
		t.Fatal("a token for a disabled identity")
	}
	w.Advance(23 * time.Hour)
	c, fail := w.ValidateToken(tok.Raw, []string{storageURI})
	if fail != nil {
		t.Fatalf("token refused before expiry: %v", fail)
	}
	if d := w.Authorize(c.ObjectID, blobRead, f.st.ID, true); !d.Allowed {
		t.Errorf("RBAC refused a token of a deleted identity before expiry: %s", d.Reason)
	}
	w.Advance(2 * time.Hour)
	if _, fail := w.ValidateToken(tok.Raw, []string{storageURI}); fail == nil {
		t.Errorf("token accepted after expiry")
	}
}

func TestClientSecrets(t *testing.T) {
	w := New(Options{})
	app, sp := w.RegisterApplication("legacy-app")
	s := w.AddClientSecret(app, "rbac", 0)
	if s.End.Sub(s.Start) != 365*24*time.Hour || s.Hint != s.Value[:3] || len(s.Value) != 40 {
		t.Errorf("secret = %+v", s)
	}
	tok, err := w.ClientCredentialsToken(app.AppID, s.Value, "https://management.azure.com/")
	must(t, err)
	if tok.Claims.AppIDACR != "1" || tok.Claims.ObjectID != sp.ObjectID {
		t.Errorf("claims = %+v", tok.Claims)
	}
	codes := []struct {
		name        string
		client, sec string
		advance     time.Duration
		want        int
	}{
		{"wrong secret", app.AppID, "nope", 0, 7000215},
		{"unknown client", "33333333-3333-4333-8333-333333333333", s.Value, 0, 700016},
		{"expired", app.AppID, s.Value, 366 * 24 * time.Hour, 7000222},
	}
	for _, c := range codes {
		w.Advance(c.advance)
		_, err := w.ClientCredentialsToken(c.client, c.sec, "https://management.azure.com/")
		var ee *EntraError
		if !errors.As(err, &ee) || ee.Code != c.want {
			t.Errorf("%s: %v, want AADSTS%d", c.name, err, c.want)
		}
	}
	fresh := w.ResetClientSecrets(app, 0)
	if _, err := w.ClientCredentialsToken(app.AppID, fresh.Value, "https://management.azure.com/"); err != nil {
		t.Errorf("reset secret refused: %v", err)
	}
}

func TestCredentialRotation(t *testing.T) {
	f := newFixture(t, Options{})
	w := f.w
	sys, _ := w.EnableSystemAssigned(f.vm.ID)
	sp, _ := w.ServicePrincipal(sys.PrincipalID)
	before := sp.Credential.Thumbprint
	mark := len(w.Events(0))
	w.Advance(100 * 24 * time.Hour)
	var rotations []*CredentialRotated
	for _, e := range w.Events(mark) {
		if r, ok := e.(*CredentialRotated); ok {
			rotations = append(rotations, r)
		}
	}
	if len(rotations) != 2 || sp.Credential.Thumbprint == before {
		t.Fatalf("%d rotations in 100 days, want 2 (every 45 days)", len(rotations))
	}
	if got := rotations[0].Meta().At.Sub(DefaultStart); got != 45*24*time.Hour {
		t.Errorf("first rotation at +%s, want +45 days", got)
	}
}

func TestAdvanceBackwards(t *testing.T) {
	if err := New(Options{}).Advance(-time.Second); err == nil {
		t.Error("the clock moved backwards")
	}
}

func TestParseResourceID(t *testing.T) {
	tests := []struct {
		id      string
		want    ResourceIDParts
		wantErr bool
	}{
		{"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm", ResourceIDParts{"s", "rg", "Microsoft.Compute", "Microsoft.Compute/virtualMachines", "vm", ""}, false},
		{"/subscriptions/s/resourcegroups/rg/providers/Microsoft.Storage/storageAccounts/st/blobServices/default/containers/docs",
			ResourceIDParts{"s", "rg", "Microsoft.Storage", "Microsoft.Storage/storageAccounts/blobServices/containers", "docs", "/subscriptions/s/resourcegroups/rg/providers/Microsoft.Storage/storageAccounts/st/blobServices/default"}, false},
		{"/subscriptions/s", ResourceIDParts{Subscription: "s"}, false},
		{"/subscriptions/s/resourceGroups/rg", ResourceIDParts{Subscription: "s", ResourceGroup: "rg"}, false},
		{"/subs/s", ResourceIDParts{}, true},
		{"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines", ResourceIDParts{}, true},
		{"", ResourceIDParts{}, true},
	}
	for _, tt := range tests {
		got, err := ParseResourceID(tt.id)
		if (err != nil) != tt.wantErr || (!tt.wantErr && got != tt.want) {
			t.Errorf("ParseResourceID(%q) = %+v, %v; want %+v, err %v", tt.id, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestForget(t *testing.T) {
	w := New(Options{})
	for i := 0; i < 10; i++ {
		w.Advance(time.Minute)
	}
	n := w.NextSeq()
	if n != len(w.Events(0)) {
		t.Fatalf("NextSeq() = %d, want %d events", n, len(w.Events(0)))
	}
	w.Forget(n - 3)
	if got := len(w.Events(0)); got != 3 {
		t.Errorf("after Forget(%d): %d events, want 3", n-3, got)
	}
	if got := w.Events(0)[0].Meta().Seq; got != n-3 {
		t.Errorf("first kept event has Seq %d, want %d", got, n-3)
	}
	if got := w.Events(n - 1); len(got) != 1 || got[0].Meta().Seq != n-1 {
		t.Errorf("Events(%d) after Forget = %v, want the last event", n-1, got)
	}
	w.Advance(time.Minute)
	if got := w.Events(n)[0].Meta().Seq; got != n || w.NextSeq() != n+1 {
		t.Errorf("a new event has Seq %d and NextSeq is %d; want %d and %d", got, w.NextSeq(), n, n+1)
	}
	w.Forget(0) // forgetting what is already gone changes nothing
	w.Forget(1 << 30)
	if len(w.Events(0)) != 0 || w.NextSeq() != n+1 {
		t.Errorf("Forget past the end: %d events, NextSeq %d", len(w.Events(0)), w.NextSeq())
	}
}

func TestLighten(t *testing.T) {
	w := New(Options{})
	served := func() *RequestServed {
		e := &RequestServed{Exchange: Exchange{Caller: "workstation", Service: "ARM", Method: "GET", URL: "https://management.azure.com/x", Status: 200,
			Request: "GET /x HTTP/1.1\r\n\r\n", Response: "HTTP/1.1 200 OK\r\n\r\n{}", Decision: "allowed"}}
		w.Record(e)
		return e
	}
	check := func() *AccessChecked {
		w.Authorize("00000000-0000-0000-0000-000000000001", "Microsoft.Resources/subscriptions/read", w.Subscription.Scope(), false)
		return w.Events(w.NextSeq() - 1)[0].(*AccessChecked)
	}
	old, oldCheck := served(), check()
	mark := w.NextSeq()
	recent, recentCheck := served(), check()
	if len(oldCheck.Decision.Considered) == 0 {
		t.Fatal("the access check considered no assignment: the test checks nothing")
	}
	var before []string
	for _, e := range w.Events(0) {
		before = append(before, e.Summary())
	}

	w.Lighten(mark)
	if old.Exchange.Request != "" || old.Exchange.Response != "" || oldCheck.Decision.Considered != nil {
		t.Errorf("before the mark: request %q, response %q, %d considered; want them dropped", old.Exchange.Request, old.Exchange.Response, len(oldCheck.Decision.Considered))
	}
	if old.Exchange.URL == "" || old.Exchange.Decision == "" || oldCheck.Decision.Reason == "" {
		t.Errorf("Lighten dropped what the log's readers need: %+v, reason %q", old.Exchange, oldCheck.Decision.Reason)
	}
	if recent.Exchange.Request == "" || recent.Exchange.Response == "" || len(recentCheck.Decision.Considered) == 0 {
		t.Errorf("after the mark: request %q, response %q, %d considered; want them kept", recent.Exchange.Request, recent.Exchange.Response, len(recentCheck.Decision.Considered))
	}
	var after []string
	for _, e := range w.Events(0) {
		after = append(after, e.Summary())
	}
	if !slices.Equal(before, after) {
		t.Errorf("summaries changed:\n%q\n%q", before, after)
	}

	// Lightening again, or less far, changes nothing more; further does.
	w.Lighten(0)
	w.Lighten(mark)
	if recent.Exchange.Request == "" {
		t.Error("Lighten(0) after Lighten(mark) dropped a later request")
	}
	w.Lighten(1 << 30)
	if recent.Exchange.Response != "" || recentCheck.Decision.Considered != nil {
		t.Error("Lighten past the end kept the last exchange's body")
	}
}
