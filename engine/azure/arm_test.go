package azure

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/miplay/miplay/engine"
	"github.com/miplay/miplay/engine/rbac"
)

// armFixture is a cloud with a resource group "rg", as the admin sees it
// from the workstation.
type armFixture struct {
	t     *testing.T
	cloud *Cloud
	w     *engine.World // only inside cloud.Do, or between requests
	admin string        // the admin's ARM token
	sub   string        // /subscriptions/{id}
}

func newARMFixture(t *testing.T) *armFixture {
	t.Helper()
	w := engine.New(engine.Options{Seed: 7})
	if _, err := w.CreateResourceGroup("rg", "westeurope"); err != nil {
		t.Fatal(err)
	}
	tok, err := w.UserToken("https://management.azure.com/")
	if err != nil {
		t.Fatal(err)
	}
	return &armFixture{t: t, cloud: New(w), w: w, admin: tok.Raw, sub: w.Subscription.Scope()}
}

// armResponse is an answer, decoded.
type armResponse struct {
	status int
	header http.Header
	body   []byte
}

func (r armResponse) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v\n%s", err, r.body)
	}
	return m
}

// errorCode returns ARM's or Graph's error code and message.
func (r armResponse) errorCode(t *testing.T) (string, string) {
	t.Helper()
	e, _ := r.json(t)["error"].(map[string]any)
	code, _ := e["code"].(string)
	msg, _ := e["message"].(string)
	return code, msg
}

// call sends a request to ARM (paths starting with /subscriptions or
// /providers) or to Graph (paths starting with /v1.0) with a token. An
// api-version is added to ARM paths unless the path has one or
// apiVersion is "-".
func (f *armFixture) call(method, path, tok string, body any) armResponse {
	f.t.Helper()
	return f.callFrom(Workstation, method, path, tok, body)
}

func (f *armFixture) callFrom(from, method, path, tok string, body any) armResponse {
	f.t.Helper()
	host := ARMHost
	if strings.HasPrefix(path, "/v1.0") || strings.HasPrefix(path, "/beta") || path == "/" {
		host = GraphHost
	} else if !strings.Contains(path, "api-version=") {
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		path += sep + "api-version=2024-07-01"
	}
	var rd io.Reader
	if body != nil {
		if s, ok := body.(string); ok {
			rd = strings.NewReader(s)
		} else {
			b, err := json.Marshal(body)
			if err != nil {
				f.t.Fatal(err)
			}
			rd = bytes.NewReader(b)
		}
	}
	req, err := http.NewRequest(method, "https://"+host+path, rd)
	if err != nil {
		f.t.Fatal(err)
	}
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := f.cloud.Client(from).Do(req)
	if err != nil {
		f.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return armResponse{resp.StatusCode, resp.Header, b}
}

// must fails the test unless the answer has the wanted status.
func (r armResponse) must(t *testing.T, status int) armResponse {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d\n%s", r.status, status, r.body)
	}
	return r
}

// do runs f on the world between requests.
func (f *armFixture) do(fn func(w *engine.World)) { f.cloud.Do(fn) }

// managedVM creates a VM with a system-assigned identity and returns the
// identity's ARM token as code on the VM would get it.
func (f *armFixture) managedVM(name string) (vm *engine.Resource, tok string) {
	f.t.Helper()
	f.do(func(w *engine.World) {
		var err error
		vm, err = w.CreateVM(engine.ResourceSpec{Group: "rg", Name: name})
		if err != nil {
			f.t.Fatal(err)
		}
		if _, err := w.EnableSystemAssigned(vm.ID); err != nil {
			f.t.Fatal(err)
		}
		h, _ := w.Host(name)
		it, _, err := w.ManagedIdentityToken(h, engine.Selector{}, "https://management.azure.com/", engine.ViaIMDS)
		if err != nil {
			f.t.Fatal(err)
		}
		tok = it.Raw
	})
	return vm, tok
}

// grant assigns a role directly in the world.
func (f *armFixture) grant(scope, role, principal string) {
	f.t.Helper()
	f.do(func(w *engine.World) {
		if _, err := w.AssignRole(scope, role, principal, rbac.PrincipalServicePrincipal); err != nil {
			f.t.Fatal(err)
		}
	})
}

func TestARMRequiresAPIVersion(t *testing.T) {
	f := newARMFixture(t)
	r := f.call("GET", f.sub+"/resourcegroups?api-version=", f.admin, nil).must(t, 400)
	code, msg := r.errorCode(t)
	if code != "MissingApiVersionParameter" || msg != "The api-version query parameter (?api-version=) is required for all requests." {
		t.Errorf("got %s: %s", code, msg)
	}
	r = f.call("GET", f.sub+"/resourcegroups?api-version=2019", f.admin, nil).must(t, 400)
	if code, _ := r.errorCode(t); code != "InvalidApiVersionParameter" {
		t.Errorf("malformed api-version: code %s", code)
	}
}

func TestARMAuthentication(t *testing.T) {
	f := newARMFixture(t)
	var storageTok, expired, coreTok, noSlash string
	f.do(func(w *engine.World) {
		old, _ := w.UserToken("https://management.azure.com/")
		expired = old.Raw
		w.Advance(2 * time.Hour)
		st, _ := w.UserToken("https://storage.azure.com/")
		storageTok = st.Raw
	})
	var now string
	f.do(func(w *engine.World) { now = w.Now().Format("1/2/2006 3:04:05 PM") })
	expiry := engine.DefaultStart.Add(engine.UserTokenLifetime).Format("1/2/2006 3:04:05 PM")

	path := f.sub + "/resourcegroups"
	tests := []struct {
		name, auth  string
		code, msg   string
		challenge   string
		wantSuccess bool
	}{
		{name: "no token", code: "AuthenticationFailed", msg: "Authentication failed. The 'Authorization' header is missing.",
			challenge: `Bearer authorization_uri="https://login.windows.net/", error="invalid_token", error_description="The authentication failed because of missing 'Authorization' header."`},
		{name: "not bearer", auth: "Basic YWRhOnNlY3JldA==", code: "AuthenticationFailedInvalidHeader", msg: "Authentication failed. The 'Authorization' header is provided in an invalid format."},
		{name: "garbage", auth: "Bearer not.a.token", code: "InvalidAuthenticationToken", msg: "The access token is invalid."},
		{name: "storage audience", auth: "Bearer " + storageTok, code: "InvalidAuthenticationTokenAudience",
			msg: "The access token has been obtained for wrong audience or resource 'https://storage.azure.com/'. It should exactly match with one of the allowed audiences 'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/','https://management.azure.com'."},
		{name: "expired", auth: "Bearer " + expired, code: "ExpiredAuthenticationToken",
			msg: fmt.Sprintf("The access token expiry UTC time '%s' is earlier than current UTC time '%s'.", expiry, now)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", "https://"+ARMHost+path+"?api-version=2022-09-01", nil)
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			resp, err := f.cloud.Client(Workstation).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			r := armResponse{resp.StatusCode, resp.Header, b}.must(t, 401)
			if code, msg := r.errorCode(t); code != tt.code || msg != tt.msg {
				t.Errorf("got %s: %s\nwant %s: %s", code, msg, tt.code, tt.msg)
			}
			ch := r.header.Get("WWW-Authenticate")
			if !strings.HasPrefix(ch, `Bearer authorization_uri="https://login.windows.net/", error="invalid_token"`) {
				t.Errorf("WWW-Authenticate = %q", ch)
			}
			if tt.challenge != "" && ch != tt.challenge {
				t.Errorf("WWW-Authenticate = %q, want %q", ch, tt.challenge)
			}
		})
	}
	// The audiences az and the SDKs ask for, with and without the slash.
	f.do(func(w *engine.World) {
		a, _ := w.UserToken("https://management.core.windows.net/")
		coreTok = a.Raw
		b, _ := w.UserToken("https://management.azure.com")
		noSlash = b.Raw
	})
	for _, tok := range []string{coreTok, noSlash} {
		f.call("GET", path, tok, nil).must(t, 200)
	}
}

func TestARMResourceGroups(t *testing.T) {
	f := newARMFixture(t)
	path := f.sub + "/resourcegroups/rg-app"
	r := f.call("PUT", path, f.admin, map[string]any{"location": "West Europe", "tags": map[string]string{"env": "dev"}}).must(t, 201)
	want := fmt.Sprintf(`{"id":"%s/resourceGroups/rg-app","name":"rg-app","type":"Microsoft.Resources/resourceGroups","location":"westeurope","tags":{"env":"dev"},"properties":{"provisioningState":"Succeeded"}}`, f.sub)
	if string(r.body) != want {
		t.Errorf("PUT body\n got %s\nwant %s", r.body, want)
	}
	if r.header.Get("x-ms-request-id") == "" || r.header.Get("x-ms-correlation-request-id") == "" {
		t.Errorf("missing ARM request ID headers: %v", r.header)
	}
	f.call("PUT", path, f.admin, map[string]any{"location": "westeurope"}).must(t, 200)
	r = f.call("PUT", path, f.admin, map[string]any{"location": "eastus"}).must(t, 409)
	if code, _ := r.errorCode(t); code != "InvalidResourceGroupLocation" {
		t.Errorf("location change: %s", r.body)
	}
	r = f.call("PUT", f.sub+"/resourcegroups/rg-x", f.admin, map[string]any{}).must(t, 400)
	if code, _ := r.errorCode(t); code != "LocationRequired" {
		t.Errorf("no location: %s", r.body)
	}
	r = f.call("PATCH", path, f.admin, map[string]any{"tags": map[string]string{"team": "a"}}).must(t, 200)
	if tags := r.json(t)["tags"].(map[string]any); tags["team"] != "a" || len(tags) != 1 {
		t.Errorf("PATCH tags: %s", r.body)
	}
	if f.call("HEAD", path, f.admin, nil).must(t, 204); len(f.call("HEAD", f.sub+"/resourcegroups/nope", f.admin, nil).must(t, 404).body) != 0 {
		t.Errorf("HEAD answered with a body")
	}
	list := f.call("GET", f.sub+"/resourcegroups", f.admin, nil).must(t, 200).json(t)["value"].([]any)
	if len(list) != 2 {
		t.Errorf("list has %d groups, want 2", len(list))
	}
	f.call("GET", path, f.admin, nil).must(t, 200)
	f.call("DELETE", path, f.admin, nil).must(t, 200)
	r = f.call("GET", path, f.admin, nil).must(t, 404)
	if code, msg := r.errorCode(t); code != "ResourceGroupNotFound" || msg != "Resource group 'rg-app' could not be found." {
		t.Errorf("after delete: %s: %s", code, msg)
	}
	f.call("DELETE", path, f.admin, nil).must(t, 404)
}

func TestARMSubscriptions(t *testing.T) {
	f := newARMFixture(t)
	subs := f.call("GET", "/subscriptions?api-version=2022-12-01", f.admin, nil).must(t, 200).json(t)["value"].([]any)
	if len(subs) != 1 || subs[0].(map[string]any)["id"] != f.sub {
		t.Errorf("admin sees %v", subs)
	}
	// A managed identity with no role sees no subscription: az login
	// --identity then says "No access was configured for the VM".
	vm, tok := f.managedVM("vm-a")
	subs = f.call("GET", "/subscriptions?api-version=2022-12-01", tok, nil).must(t, 200).json(t)["value"].([]any)
	if len(subs) != 0 {
		t.Errorf("identity without roles sees %v", subs)
	}
	f.grant(vm.ID, "Reader", vm.Identity.SystemAssigned.PrincipalID)
	subs = f.call("GET", "/subscriptions?api-version=2022-12-01", tok, nil).must(t, 200).json(t)["value"].([]any)
	if len(subs) != 1 {
		t.Errorf("identity with Reader on its VM sees %v", subs)
	}
	f.call("GET", "/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups", f.admin, nil).must(t, 404)
}

func TestARMAuthorizationFailed(t *testing.T) {
	f := newARMFixture(t)
	vm, tok := f.managedVM("vm-reader")
	oid := vm.Identity.SystemAssigned.PrincipalID
	appID := vm.Identity.SystemAssigned.ClientID
	rg := f.sub + "/resourceGroups/rg"
	f.grant(rg, "Reader", oid)

	f.call("GET", rg+"/providers/Microsoft.Compute/virtualMachines/vm-reader", tok, nil).must(t, 200)
	path := rg + "/providers/Microsoft.Compute/virtualMachines/vm-new"
	r := f.call("PUT", path, tok, map[string]any{"location": "westeurope"}).must(t, 403)
	want := fmt.Sprintf("The client '%s' with object id '%s' does not have authorization to perform action 'Microsoft.Compute/virtualMachines/write' over scope '%s' or the scope is invalid. If access was recently granted, please refresh your credentials.", appID, oid, path)
	if code, msg := r.errorCode(t); code != "AuthorizationFailed" || msg != want {
		t.Errorf("got %s: %s\nwant AuthorizationFailed: %s", code, msg, want)
	}

	// A user is named by UPN.
	var upn, userTok string
	f.do(func(w *engine.World) {
		upn = w.Admin.UserPrincipalName
		for _, a := range w.RoleAssignments() {
			w.DeleteRoleAssignment(a.ID)
		}
		ut, _ := w.UserToken("https://management.azure.com/")
		userTok = ut.Raw
	})
	r = f.call("GET", rg, userTok, nil).must(t, 403)
	if _, msg := r.errorCode(t); !strings.HasPrefix(msg, "The client '"+upn+"' with object id '") {
		t.Errorf("user denial: %s", msg)
	}

	// The exchange records the decision.
	var last engine.Exchange
	f.do(func(w *engine.World) {
		for _, e := range w.Events(0) {
			if rs, ok := e.(*engine.RequestServed); ok {
				last = rs.Exchange
			}
		}
	})
	if last.Service != "ARM" || last.Status != 403 || !strings.HasPrefix(last.Decision, "Denied:") || last.DecisionID < 0 {
		t.Errorf("recorded exchange: %+v", last)
	}
}

func TestARMContributorCannotAssignRoles(t *testing.T) {
	f := newARMFixture(t)
	vm, tok := f.managedVM("vm-contrib")
	oid := vm.Identity.SystemAssigned.PrincipalID
	f.grant(f.sub, "Contributor", oid)
	path := f.sub + "/resourceGroups/rg/providers/Microsoft.Authorization/roleAssignments/11111111-2222-4333-8444-555555555555"
	body := map[string]any{"properties": map[string]any{
		"roleDefinitionId": f.sub + "/providers/Microsoft.Authorization/roleDefinitions/" + rbac.OwnerRoleID,
		"principalId":      oid, "principalType": "ServicePrincipal"}}
	r := f.call("PUT", path+"?api-version=2022-04-01", tok, body).must(t, 403)
	want := fmt.Sprintf("The client '%s' with object id '%s' does not have authorization or an ABAC condition not fulfilled to perform action 'Microsoft.Authorization/roleAssignments/write' over scope '%s' or the scope is invalid. If access was recently granted, please refresh your credentials.",
		vm.Identity.SystemAssigned.ClientID, oid, path)
	if code, msg := r.errorCode(t); code != "AuthorizationFailed" || msg != want {
		t.Errorf("got %s: %s\nwant %s", code, msg, want)
	}
	// The Contributor can still create resources.
	f.call("PUT", f.sub+"/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-ok", tok, map[string]any{"location": "westeurope"}).must(t, 201)
}

func TestARMNotFound(t *testing.T) {
	f := newARMFixture(t)
	tests := []struct {
		path, code, msg string
	}{
		{f.sub + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/nope", "ResourceNotFound",
			"The Resource 'Microsoft.Compute/virtualMachines/nope' under resource group 'rg' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix"},
		{f.sub + "/resourceGroups/missing/providers/Microsoft.Storage/storageAccounts/nope", "ResourceGroupNotFound", "Resource group 'missing' could not be found."},
		{f.sub + "/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/nope", "ResourceNotFound",
			"The Resource 'Microsoft.ManagedIdentity/userAssignedIdentities/nope' under resource group 'rg' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix"},
	}
	for _, tt := range tests {
		r := f.call("GET", tt.path, f.admin, nil).must(t, 404)
		if code, msg := r.errorCode(t); code != tt.code || msg != tt.msg {
			t.Errorf("GET %s: %s: %s", tt.path, code, msg)
		}
	}
}

func TestARMUnknownPaths(t *testing.T) {
	f := newARMFixture(t)
	rg := f.sub + "/resourceGroups/rg"
	tests := []struct {
		method, path string
		status       int
		code         string
	}{
		{"GET", rg + "/providers/Microsoft.Bogus/things/x", 404, "InvalidResourceNamespace"},
		{"GET", rg + "/providers/Microsoft.Network/virtualNetworks/vnet", 400, "NotSimulated"},
		{"GET", rg + "/providers/Microsoft.Compute/disks/d", 400, "NotSimulated"},
		{"GET", rg + "/providers/Microsoft.Compute/gizmos/g", 400, "InvalidResourceType"},
		{"POST", rg + "/providers/Microsoft.Compute/virtualMachines/vm/start", 400, "NotSimulated"},
		{"POST", rg + "/providers/Microsoft.Compute/virtualMachines/vm", 400, "NotSimulated"},
		{"GET", "/tenants", 400, "InvalidRequestUri"},
	}
	for _, tt := range tests {
		r := f.call(tt.method, tt.path, f.admin, nil).must(t, tt.status)
		if code, msg := r.errorCode(t); code != tt.code {
			t.Errorf("%s %s: %s: %s", tt.method, tt.path, code, msg)
		}
	}
	_, msg := f.call("GET", rg+"/providers/Microsoft.Compute/gizmos/g", f.admin, nil).errorCode(t)
	if msg != "The resource type 'gizmos' could not be found in the namespace 'Microsoft.Compute' for api version '2024-07-01'." {
		t.Errorf("InvalidResourceType message: %s", msg)
	}
}

func TestARMRoutes(t *testing.T) {
	routes := ARMRoutes()
	if len(routes) < 50 {
		t.Fatalf("only %d routes", len(routes))
	}
	seen := map[string]bool{}
	for _, r := range routes {
		key := r.Method + " " + strings.ToLower(r.Path)
		if seen[key] {
			t.Errorf("duplicate route %s", key)
		}
		seen[key] = true
		if r.Summary == "" || len(r.APIVersions) == 0 || !strings.HasPrefix(r.Path, "/") && !strings.HasPrefix(r.Path, "{scope}/") {
			t.Errorf("incomplete route %+v", r)
		}
		for _, v := range r.APIVersions {
			if !validAPIVersion(v) {
				t.Errorf("%s: api-version %q", key, v)
			}
		}
	}
	// The table is a copy.
	routes[0].APIVersions[0] = "changed"
	if ARMRoutes()[0].APIVersions[0] == "changed" {
		t.Error("ARMRoutes shares its slices")
	}
	for _, r := range GraphRoutes() {
		if r.Summary == "" || r.Action == "" || !strings.HasPrefix(r.Path, "/") {
			t.Errorf("incomplete Graph route %+v", r)
		}
	}
}

func TestARMGenericResources(t *testing.T) {
	f := newARMFixture(t)
	f.managedVM("vm1")
	f.do(func(w *engine.World) {
		w.CreateStorageAccount(engine.ResourceSpec{Group: "rg", Name: "stdemo"})
		w.CreateUserIdentity(engine.ResourceSpec{Group: "rg", Name: "id-app"})
	})
	q := "api-version=2022-09-01"
	tests := []struct {
		path  string
		names []string
	}{
		{f.sub + "/resources?" + q, []string{"vm1", "stdemo", "id-app"}},
		{f.sub + "/resourceGroups/rg/resources?" + q, []string{"vm1", "stdemo", "id-app"}},
		{f.sub + "/resources?$filter=resourceType+eq+'Microsoft.Storage/storageAccounts'&" + q, []string{"stdemo"}},
		{f.sub + "/resources?$filter=name+eq+'vm1'+and+location+eq+'westeurope'&" + q, []string{"vm1"}},
	}
	for _, tt := range tests {
		var got []string
		for _, v := range f.call("GET", tt.path, f.admin, nil).must(t, 200).json(t)["value"].([]any) {
			got = append(got, v.(map[string]any)["name"].(string))
		}
		if strings.Join(got, ",") != strings.Join(tt.names, ",") {
			t.Errorf("GET %s: %v, want %v", tt.path, got, tt.names)
		}
	}
	f.call("GET", f.sub+"/resources?$filter=plan+eq+'x'&"+q, f.admin, nil).must(t, 400)
	f.call("GET", f.sub+"/resourceGroups/nope/resources?"+q, f.admin, nil).must(t, 404)
	sub := f.call("GET", f.sub+"?api-version=2022-12-01", f.admin, nil).must(t, 200).json(t)
	if sub["subscriptionId"] != strings.TrimPrefix(f.sub, "/subscriptions/") || sub["state"] != "Enabled" {
		t.Errorf("subscription: %v", sub)
	}
}
