package azure

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miplay/miplay/engine"
	"github.com/miplay/miplay/engine/token"
)

// miFixture is a world with compute hosts in every identity setup the
// token endpoints distinguish, and the Cloud serving it.
//
//	vm-sys      system-assigned only
//	vm-none     no identity
//	vm-one      one user-assigned (id-a)
//	vm-two      two user-assigned (id-a, id-b)
//	vm-both     system-assigned and id-a
//	vmss-web_0  an instance of a scale set with a system-assigned identity
//	app-web     a web app with a system-assigned identity
//	app-func    a function app with id-a only
//	app-plain   a web app with no identity
type miFixture struct {
	w     *engine.World
	c     *Cloud
	sys   map[string]*engine.SystemIdentity // by resource name
	ids   map[string]*engine.Resource       // user-assigned identities by name
	sites map[string]*engine.Resource
}

func newMIFixture(t testing.TB) *miFixture {
	t.Helper()
	w := engine.New(engine.Options{Seed: 7})
	f := &miFixture{w: w, sys: map[string]*engine.SystemIdentity{}, ids: map[string]*engine.Resource{}, sites: map[string]*engine.Resource{}}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err := w.CreateResourceGroup("rg", "")
	must(err)
	for _, name := range []string{"id-a", "id-b"} {
		r, err := w.CreateUserIdentity(engine.ResourceSpec{Group: "rg", Name: name})
		must(err)
		f.ids[name] = r
	}
	vms := map[string]struct {
		system bool
		users  []string
	}{
		"vm-sys":  {true, nil},
		"vm-none": {false, nil},
		"vm-one":  {false, []string{"id-a"}},
		"vm-two":  {false, []string{"id-a", "id-b"}},
		"vm-both": {true, []string{"id-a"}},
	}
	for _, name := range []string{"vm-sys", "vm-none", "vm-one", "vm-two", "vm-both"} {
		vm, err := w.CreateVM(engine.ResourceSpec{Group: "rg", Name: name})
		must(err)
		setup := vms[name]
		if setup.system {
			si, err := w.EnableSystemAssigned(vm.ID)
			must(err)
			f.sys[name] = si
		}
		for _, u := range setup.users {
			must(w.AssignUserIdentity(vm.ID, f.ids[u].ID))
		}
	}
	ss, err := w.CreateScaleSet(engine.ResourceSpec{Group: "rg", Name: "vmss-web"}, 1)
	must(err)
	si, err := w.EnableSystemAssigned(ss.ID)
	must(err)
	f.sys["vmss-web"] = si
	plan, err := w.CreatePlan(engine.ResourceSpec{Group: "rg", Name: "plan"}, "B1")
	must(err)
	for _, s := range []struct {
		name   string
		kind   engine.SiteKind
		system bool
		users  []string
	}{
		{"app-web", engine.WebApp, true, nil},
		{"app-func", engine.FunctionApp, false, []string{"id-a"}},
		{"app-plain", engine.WebApp, false, nil},
	} {
		site, err := w.CreateSite(engine.ResourceSpec{Group: "rg", Name: s.name}, plan.ID, s.kind)
		must(err)
		f.sites[s.name] = site
		if s.system {
			si, err := w.EnableSystemAssigned(site.ID)
			must(err)
			f.sys[s.name] = si
		}
		for _, u := range s.users {
			must(w.AssignUserIdentity(site.ID, f.ids[u].ID))
		}
	}
	f.c = New(w)
	return f
}

func (f *miFixture) clientID(name string) string {
	if r, ok := f.ids[name]; ok {
		return r.UserIdentity.ClientID
	}
	return f.sys[name].ClientID
}

// miResponse is a response read in full.
type miResponse struct {
	status int
	header http.Header
	body   string
}

// send sends a request from a host through the Cloud's transport.
func (f *miFixture) send(t testing.TB, from, method, rawURL string, header map[string]string, body string) miResponse {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, rawURL, rd)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := f.c.Client(from).Do(req)
	if err != nil {
		t.Fatalf("%s %s from %s: %v", method, rawURL, from, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return miResponse{resp.StatusCode, resp.Header, string(b)}
}

const miIMDSURL = "http://169.254.169.254/metadata/identity/oauth2/token"

var miMetadata = map[string]string{"Metadata": "true"}

func (f *miFixture) imds(t testing.TB, from, query string) miResponse {
	t.Helper()
	return f.send(t, from, http.MethodGet, miIMDSURL+"?"+query, miMetadata, "")
}

// lastExchange returns the last exchange recorded in the world's log.
func (f *miFixture) lastExchange(t testing.TB) engine.Exchange {
	t.Helper()
	var ex *engine.Exchange
	f.c.Do(func(w *engine.World) {
		evs := w.Events(0)
		for i := len(evs) - 1; i >= 0; i-- {
			if rs, ok := evs[i].(*engine.RequestServed); ok {
				ex = &rs.Exchange
				return
			}
		}
	})
	if ex == nil {
		t.Fatal("no RequestServed event in the log")
	}
	return *ex
}

func (f *miFixture) lastToken(t testing.TB) engine.IssuedToken {
	t.Helper()
	var tok engine.IssuedToken
	f.c.Do(func(w *engine.World) {
		toks := w.Tokens()
		if len(toks) == 0 {
			t.Fatal("no token issued")
		}
		tok = toks[len(toks)-1]
	})
	return tok
}

var miGUIDRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// miCheckIMDSHeaders checks the headers every IMDS answer carries.
func miCheckIMDSHeaders(t *testing.T, r miResponse) {
	t.Helper()
	if got := r.header.Get("Server"); got != "IMDS/150.870.65.1854" {
		t.Errorf("Server = %q, want IMDS/150.870.65.1854", got)
	}
	if got := r.header.Get("x-ms-request-id"); !miGUIDRE.MatchString(got) {
		t.Errorf("x-ms-request-id = %q, want a GUID", got)
	}
	if got := r.header.Get("Content-Type"); got != "application/json; charset=utf-8" {
		t.Errorf("Content-Type = %q", got)
	}
}

func TestIMDSErrors(t *testing.T) {
	f := newMIFixture(t)
	const (
		noMetadata = `{"error":"invalid_request","error_description":"Required metadata header not specified"}`
		notFound   = `{"error":"invalid_request","error_description":"Identity not found"}`
		malformed  = `{"error":"invalid_request","error_description":"The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed."}`
		noVersion  = `{"error":"Bad request. api-version was not specified in the request. For more information refer to aka.ms/azureimds","newest-versions":["2021-12-13","2021-11-15","2021-11-01"]}`
		badVersion = `{"error":"Bad request. api-version is invalid or was not specified in the request. For more information refer to aka.ms/azureimds","newest-versions":["2021-12-13","2021-11-15","2021-11-01"]}`
		ok         = "api-version=2018-02-01&resource=https://storage.azure.com/"
	)
	idB := f.ids["id-b"].UserIdentity
	tests := []struct {
		name     string
		from     string
		method   string
		header   map[string]string
		query    string
		status   int
		body     string
		decision string // a phrase the recorded decision must contain
	}{
		{"no Metadata header", "vm-sys", "GET", nil, ok, 400, noMetadata, "no Metadata: true header"},
		{"Metadata header not lower case", "vm-sys", "GET", map[string]string{"Metadata": "True"}, ok, 400, noMetadata, "in lower case"},
		{"Metadata header false", "vm-sys", "GET", map[string]string{"Metadata": "false"}, ok, 400, noMetadata, "Metadata: true"},
		{"probe without query or header", "vm-sys", "GET", nil, "", 400, noMetadata, "Metadata: true"},
		{"X-Forwarded-For", "vm-sys", "GET", map[string]string{"Metadata": "true", "X-Forwarded-For": "10.0.0.4"}, ok, 400,
			`{"error":"invalid_request","error_description":"Request contains an X-Forwarded-For header; IMDS does not accept proxied requests"}`, "X-Forwarded-For"},
		{"duplicate api-version", "vm-sys", "GET", miMetadata, ok + "&api-version=2018-02-01", 400, malformed, `"api-version" more than once`},
		{"duplicate resource", "vm-sys", "GET", miMetadata, ok + "&resource=https://vault.azure.net", 400, malformed, `"resource" more than once`},
		{"bad escape", "vm-sys", "GET", miMetadata, ok + "&client_id=%zz", 400, malformed, "malformed"},
		{"missing api-version", "vm-sys", "GET", miMetadata, "resource=https://storage.azure.com/", 400, noVersion, "no api-version"},
		{"empty api-version", "vm-sys", "GET", miMetadata, "api-version=&resource=https://storage.azure.com/", 400, noVersion, "no api-version"},
		{"version before the identity category", "vm-sys", "GET", miMetadata, "api-version=2017-12-01&resource=https://storage.azure.com/", 400, badVersion, `"2017-12-01"`},
		{"unknown version", "vm-sys", "GET", miMetadata, "api-version=2018-02-02&resource=https://storage.azure.com/", 400, badVersion, "not one IMDS supports"},
		{"missing resource", "vm-sys", "GET", miMetadata, "api-version=2018-02-01", 400,
			`{"error":"invalid_request","error_description":"Required audience parameter not specified"}`, "no resource"},
		{"two selectors", "vm-two", "GET", miMetadata, ok + "&client_id=" + idB.ClientID + "&object_id=" + idB.PrincipalID, 400,
			`{"error":"invalid_request","error_description":"Only one of client_id, object_id or msi_res_id may be specified"}`, "at most one"},
		{"no identity", "vm-none", "GET", miMetadata, ok, 400, notFound, "has no managed identity"},
		{"several user-assigned, no selector", "vm-two", "GET", miMetadata, ok, 400,
			`{"error":"invalid_request","error_description":"Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request"}`, "several user-assigned"},
		{"identity not assigned", "vm-sys", "GET", miMetadata, ok + "&client_id=" + idB.ClientID, 400, notFound, "not assigned to vm-sys"},
		{"object ID not assigned", "vm-one", "GET", miMetadata, ok + "&object_id=" + idB.PrincipalID, 400, notFound, "not assigned to vm-one"},
		{"resource ID not assigned", "vm-one", "GET", miMetadata, ok + "&msi_res_id=" + f.ids["id-b"].ID, 400, notFound, "not assigned"},
		{"App Service spelling is ignored", "vm-two", "GET", miMetadata, ok + "&mi_res_id=" + f.ids["id-b"].ID, 400,
			`{"error":"invalid_request","error_description":"Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request"}`, "ignored mi_res_id"},
		{"POST", "vm-sys", "POST", miMetadata, ok, 405,
			`{"error":"invalid_request","error_description":"The HTTP method (verb) isn't supported on the endpoint."}`, "only GET"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := f.send(t, tt.from, tt.method, miIMDSURL+"?"+tt.query, tt.header, "")
			if r.status != tt.status || r.body != tt.body {
				t.Errorf("got %d %s\nwant %d %s", r.status, r.body, tt.status, tt.body)
			}
			miCheckIMDSHeaders(t, r)
			ex := f.lastExchange(t)
			if ex.Caller != tt.from || ex.Service != "IMDS" || ex.Status != tt.status || !strings.Contains(ex.Decision, tt.decision) {
				t.Errorf("recorded %s -> %s %d %q; want decision containing %q", ex.Caller, ex.Service, ex.Status, ex.Decision, tt.decision)
			}
		})
	}
}

func TestIMDSUnknownResource(t *testing.T) {
	f := newMIFixture(t)
	r := f.imds(t, "vm-sys", "api-version=2018-02-01&resource=https://managements.azure.com")
	want := regexp.MustCompile(`^\{"error":"invalid_resource","error_description":"AADSTS500011: The resource principal named https://managements.azure.com was not found in the tenant named Contoso\. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant\. You might have sent your authentication request to the wrong tenant\. Trace ID: [0-9a-f-]{36} Correlation ID: [0-9a-f-]{36} Timestamp: 2026-01-15 09:00:00Z"\}$`)
	if r.status != 400 || !want.MatchString(r.body) {
		t.Errorf("got %d %s", r.status, r.body)
	}
	miCheckIMDSHeaders(t, r)
	// Selection comes before Entra ID: a VM without identity never asks.
	r = f.imds(t, "vm-none", "api-version=2018-02-01&resource=https://managements.azure.com")
	if want := `{"error":"invalid_request","error_description":"Identity not found"}`; r.body != want {
		t.Errorf("no identity, unknown resource: got %s, want %s", r.body, want)
	}
}

// miIMDSWant is the exact IMDS body for a token.
func miIMDSWant(tok engine.IssuedToken, expiresIn int64, resource string) string {
	return fmt.Sprintf(`{"access_token":"%s","client_id":"%s","expires_in":"%d","expires_on":"%d","ext_expires_in":"%d","not_before":"%d","resource":"%s","token_type":"Bearer"}`,
		tok.Raw, tok.ClientID, expiresIn, tok.Claims.ExpiresAt, expiresIn-1, tok.Claims.NotBefore, resource)
}

func TestIMDSToken(t *testing.T) {
	f := newMIFixture(t)
	r := f.imds(t, "vm-sys", "api-version=2018-02-01&resource=https%3A%2F%2Fstorage.azure.com%2F")
	tok := f.lastToken(t)
	if want := miIMDSWant(tok, 86400, "https://storage.azure.com/"); r.status != 200 || r.body != want {
		t.Fatalf("got %d %s\nwant 200 %s", r.status, r.body, want)
	}
	miCheckIMDSHeaders(t, r)
	start := engine.DefaultStart
	c := tok.Claims
	if c.ExpiresAt != start.Unix()+86400 || c.NotBefore != start.Unix()-300 || c.Audience != "https://storage.azure.com/" ||
		c.AppID != f.clientID("vm-sys") || c.ObjectID != f.sys["vm-sys"].PrincipalID || c.Version != "1.0" {
		t.Errorf("claims = %+v", c)
	}
	ex := f.lastExchange(t)
	if ex.Status != 200 || ex.TokenID != tok.ID || !strings.Contains(ex.Decision, "asked Entra ID") || !strings.Contains(ex.Response, "Server: IMDS/150.870.65.1854") {
		t.Errorf("recorded %+v", ex)
	}
	// Every version from 2018-02-01 on is accepted.
	for _, v := range []string{"2019-08-15", "2021-02-01", "2021-12-13"} {
		if r := f.imds(t, "vm-sys", "api-version="+v+"&resource=https://storage.azure.com/"); r.status != 200 {
			t.Errorf("api-version %s: %d %s", v, r.status, r.body)
		}
	}
	// SDK headers are tolerated.
	r = f.send(t, "vm-sys", "GET", miIMDSURL+"?api-version=2018-02-01&resource=https://vault.azure.net", map[string]string{
		"Metadata": "true", "x-client-SKU": "MSAL.Go", "x-client-Ver": "1.4.2", "x-ms-client-request-id": "x", "Accept": "application/json"}, "")
	if r.status != 200 {
		t.Errorf("with SDK headers: %d %s", r.status, r.body)
	}
}

func TestIMDSSelectors(t *testing.T) {
	f := newMIFixture(t)
	ok := "api-version=2018-02-01&resource=https://management.azure.com/"
	idA, idB := f.ids["id-a"], f.ids["id-b"]
	tests := []struct {
		name, from, query string
		wantClient        string
		wantMIRID         string // the xms_mirid claim
		wantAzRID         bool   // xms_az_rid present: user-assigned
	}{
		{"system-assigned by default", "vm-sys", ok, f.clientID("vm-sys"), "/resourcegroups/rg/providers/Microsoft.Compute/virtualMachines/vm-sys", false},
		{"sole user-assigned by default", "vm-one", ok, f.clientID("id-a"), "/userAssignedIdentities/id-a", true},
		{"system-assigned wins over user-assigned", "vm-both", ok, f.clientID("vm-both"), "/virtualMachines/vm-both", false},
		{"user-assigned by client_id", "vm-both", ok + "&client_id=" + idA.UserIdentity.ClientID, f.clientID("id-a"), "/userAssignedIdentities/id-a", true},
		{"client_id in upper case", "vm-two", ok + "&client_id=" + strings.ToUpper(idB.UserIdentity.ClientID), f.clientID("id-b"), "/userAssignedIdentities/id-b", true},
		{"object_id", "vm-two", ok + "&object_id=" + idA.UserIdentity.PrincipalID, f.clientID("id-a"), "/userAssignedIdentities/id-a", true},
		{"msi_res_id", "vm-two", ok + "&msi_res_id=" + idB.ID, f.clientID("id-b"), "/userAssignedIdentities/id-b", true},
		{"system-assigned by its object_id", "vm-both", ok + "&object_id=" + f.sys["vm-both"].PrincipalID, f.clientID("vm-both"), "/virtualMachines/vm-both", false},
		{"empty selector means default", "vm-sys", ok + "&client_id=", f.clientID("vm-sys"), "/virtualMachines/vm-sys", false},
		{"scale set instance", "vmss-web_0", ok, f.clientID("vmss-web"), "/virtualMachineScaleSets/vmss-web", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := f.imds(t, tt.from, tt.query)
			if r.status != 200 {
				t.Fatalf("got %d %s", r.status, r.body)
			}
			var body map[string]string
			if err := json.Unmarshal([]byte(r.body), &body); err != nil {
				t.Fatal(err)
			}
			_, c, err := token.Decode(body["access_token"])
			if err != nil {
				t.Fatal(err)
			}
			if body["client_id"] != tt.wantClient || c.AppID != tt.wantClient {
				t.Errorf("client_id = %s, appid = %s, want %s", body["client_id"], c.AppID, tt.wantClient)
			}
			if !strings.HasSuffix(c.MIResourceID, tt.wantMIRID) || !strings.Contains(c.MIResourceID, "/resourcegroups/") {
				t.Errorf("xms_mirid = %s, want …%s", c.MIResourceID, tt.wantMIRID)
			}
			if (c.AzureResourceID != "") != tt.wantAzRID {
				t.Errorf("xms_az_rid = %q", c.AzureResourceID)
			}
		})
	}
}

func TestIMDSCache(t *testing.T) {
	f := newMIFixture(t)
	q := "api-version=2018-02-01&resource=https://storage.azure.com/"
	first := f.imds(t, "vm-sys", q)
	tok := f.lastToken(t)
	if err := f.advance(time.Hour + 30*time.Second); err != nil {
		t.Fatal(err)
	}
	second := f.imds(t, "vm-sys", q)
	if want := miIMDSWant(tok, 86400-3630, "https://storage.azure.com/"); second.body != want {
		t.Errorf("cached answer:\ngot  %s\nwant %s", second.body, want)
	}
	if f.lastToken(t).ID != tok.ID {
		t.Error("a second token was issued while the first was cached")
	}
	if ex := f.lastExchange(t); ex.TokenID != tok.ID || !strings.Contains(ex.Decision, "cached token") || !strings.Contains(ex.Decision, "82770 s") {
		t.Errorf("recorded %q (token %s)", ex.Decision, ex.TokenID)
	}
	if first.body == second.body {
		t.Error("expires_in did not count down")
	}
	// Another spelling of the resource is another cache entry, and another aud.
	r := f.imds(t, "vm-sys", "api-version=2018-02-01&resource=https://storage.azure.com")
	if other := f.lastToken(t); other.ID == tok.ID || other.Audience != "https://storage.azure.com" || !strings.Contains(r.body, `"expires_in":"86400"`) {
		t.Errorf("resource without slash: token %s aud %s, body %s", other.ID, other.Audience, r.body)
	}
	// Another host with the same identity setup has its own cache.
	f.imds(t, "vm-both", q)
	if f.lastToken(t).Host != "vm-both" {
		t.Error("vm-both got vm-sys's cached token")
	}
	// Close to expiry the cache gives way to a new token.
	if err := f.advance(23 * time.Hour); err != nil {
		t.Fatal(err)
	}
	f.imds(t, "vm-sys", q)
	if fresh := f.lastToken(t); fresh.ID == tok.ID || fresh.Audience != "https://storage.azure.com/" {
		t.Errorf("near expiry: got token %s again", fresh.ID)
	}
}

func (f *miFixture) advance(d time.Duration) (err error) {
	f.c.Do(func(w *engine.World) { err = w.Advance(d) })
	return err
}

func TestIMDSUnreachable(t *testing.T) {
	f := newMIFixture(t)
	for _, from := range []string{Workstation, "app-web", "app-func"} {
		req, _ := http.NewRequest("GET", miIMDSURL+"?api-version=2018-02-01&resource=https://storage.azure.com/", nil)
		req.Header.Set("Metadata", "true")
		_, err := f.c.Client(from).Do(req)
		var ue *UnreachableError
		if !errors.As(err, &ue) {
			t.Errorf("from %s: err = %v, want *UnreachableError", from, err)
		}
	}
	// The Handler answers 504, as a proxy that got no answer does.
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", miIMDSURL+"?api-version=2018-02-01&resource=https://storage.azure.com/", nil)
	f.c.Handler(Workstation).ServeHTTP(rec, req)
	if rec.Code != http.StatusGatewayTimeout {
		t.Errorf("Handler from the workstation: %d", rec.Code)
	}
}

func TestIMDSOtherEndpoints(t *testing.T) {
	f := newMIFixture(t)
	tests := []struct {
		path   string
		header map[string]string
		status int
		body   string
	}{
		{"/metadata/instance?api-version=2021-02-01", nil, 400, `{"error":"Bad request. Required metadata header not specified"}`},
		{"/metadata/instance", miMetadata, 400, `{"error":"Bad request. api-version was not specified in the request. For more information refer to aka.ms/azureimds","newest-versions":["2021-12-13","2021-11-15","2021-11-01"]}`},
		{"/metadata/instance/compute?api-version=2021-02-01", miMetadata, 501, `{"error":"Not simulated: miplay models only the managed identity endpoint /metadata/identity/oauth2/token of the Instance Metadata Service."}`},
		{"/metadata/versions", miMetadata, 501, `{"error":"Not simulated: miplay models only the managed identity endpoint /metadata/identity/oauth2/token of the Instance Metadata Service."}`},
		{"/metadata/identity/oauth2/token/", miMetadata, 404, `{"error":"Not found"}`},
		{"/", nil, 404, `{"error":"Not found"}`},
	}
	for _, tt := range tests {
		r := f.send(t, "vm-sys", "GET", "http://169.254.169.254"+tt.path, tt.header, "")
		if r.status != tt.status || r.body != tt.body {
			t.Errorf("GET %s: got %d %s\nwant %d %s", tt.path, r.status, r.body, tt.status, tt.body)
		}
	}
}

func TestIMDSFaultInjection(t *testing.T) {
	f := newMIFixture(t)
	q := "api-version=2018-02-01&resource=https://storage.azure.com/"
	if err := f.c.InjectIMDSFault("vm-sys", 410, 2); err != nil {
		t.Fatal(err)
	}
	if err := f.c.InjectIMDSFault("VM-SYS", 500, 1); err != nil {
		t.Fatal(err)
	}
	const (
		gone     = `{"error":"gone","error_description":"IMDS is going through updates"}`
		internal = `{"error":"unknown","error_description":"Failed to retrieve token from the Active directory. For details see logs in <file path>"}`
	)
	for i, want := range []struct {
		status int
		body   string
	}{{410, gone}, {410, gone}, {500, internal}} {
		r := f.imds(t, "vm-sys", q)
		if r.status != want.status || r.body != want.body {
			t.Errorf("request %d: got %d %s, want %d %s", i, r.status, r.body, want.status, want.body)
		}
		miCheckIMDSHeaders(t, r)
		if ex := f.lastExchange(t); !strings.Contains(ex.Decision, "injected fault") {
			t.Errorf("request %d: decision %q", i, ex.Decision)
		}
	}
	if r := f.imds(t, "vm-sys", q); r.status != 200 {
		t.Errorf("after the faults: %d %s", r.status, r.body)
	}
	// Faults are per host.
	if err := f.c.InjectIMDSFault("vm-sys", 404, 1); err != nil {
		t.Fatal(err)
	}
	if r := f.imds(t, "vm-both", q); r.status != 200 {
		t.Errorf("vm-both got vm-sys's fault: %d", r.status)
	}
	if r := f.imds(t, "vm-sys", q); r.status != 404 || r.body != `{"error":"not_found","error_description":"IMDS endpoint is updating"}` {
		t.Errorf("404 fault: %d %s", r.status, r.body)
	}
	if err := f.c.InjectIMDSFault("vm-sys", 429, 1); err != nil {
		t.Fatal(err)
	}
	if r := f.imds(t, "vm-sys", q); r.status != 429 || r.body != `{"error":"throttled","error_description":"API Rate Limits have been exceeded"}` {
		t.Errorf("429 fault: %d %s", r.status, r.body)
	}
	// A count of zero clears what is staged.
	f.c.InjectIMDSFault("vm-sys", 500, 3)
	f.c.InjectIMDSFault("vm-sys", 500, 0)
	if r := f.imds(t, "vm-sys", q); r.status != 200 {
		t.Errorf("after clearing: %d", r.status)
	}
	for _, bad := range []struct {
		host          string
		status, count int
	}{
		{"vm-sys", 503, 1}, {"vm-sys", 400, 1}, {"vm-sys", 410, -1}, {"app-web", 410, 1}, {"vm-nope", 410, 1}, {Workstation, 410, 1},
	} {
		if err := f.c.InjectIMDSFault(bad.host, bad.status, bad.count); err == nil {
			t.Errorf("InjectIMDSFault(%q, %d, %d) = nil, want an error", bad.host, bad.status, bad.count)
		}
	}
}

func TestIMDSRateLimit(t *testing.T) {
	f := newMIFixture(t)
	q := "api-version=2018-02-01&resource=https://storage.azure.com/"
	// Off by default.
	for i := 0; i < 30; i++ {
		if r := f.imds(t, "vm-sys", q); r.status != 200 {
			t.Fatalf("limit off, request %d: %d", i+1, r.status)
		}
	}
	f.c.SetIMDSRateLimit(true)
	for i := 0; i < 20; i++ {
		if r := f.imds(t, "vm-sys", q); r.status != 200 {
			t.Fatalf("request %d: %d %s", i+1, r.status, r.body)
		}
	}
	r := f.imds(t, "vm-sys", q)
	if want := `{"error":"throttled","error_description":"API Rate Limits have been exceeded"}`; r.status != 429 || r.body != want {
		t.Errorf("21st request: got %d %s, want 429 %s", r.status, r.body, want)
	}
	miCheckIMDSHeaders(t, r)
	if ex := f.lastExchange(t); !strings.Contains(ex.Decision, "request 21") {
		t.Errorf("decision %q", ex.Decision)
	}
	// Other VMs have their own budget.
	if r := f.imds(t, "vm-both", q); r.status != 200 {
		t.Errorf("vm-both: %d", r.status)
	}
	// The next simulated second starts afresh.
	f.advance(time.Second)
	if r := f.imds(t, "vm-sys", q); r.status != 200 {
		t.Errorf("next second: %d", r.status)
	}
	f.c.SetIMDSRateLimit(false)
	for i := 0; i < 25; i++ {
		if r := f.imds(t, "vm-sys", q); r.status != 200 {
			t.Fatalf("limit switched off, request %d: %d", i+1, r.status)
		}
	}
}

// TestIMDSConcurrency holds five requests in flight and sends a sixth
// through the Handler, as the emulator serves it.
func TestIMDSConcurrency(t *testing.T) {
	f := newMIFixture(t)
	h := f.c.Handler("vm-sys")
	get := func() *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", miIMDSURL+"?api-version=2018-02-01&resource=https://storage.azure.com/", nil)
		req.Header.Set("Metadata", "true")
		h.ServeHTTP(rec, req)
		return rec
	}
	var releases []func()
	for i := 0; i < 5; i++ {
		release, throttled := f.c.imds.enter("IMDS", "vm-sys")
		if throttled {
			t.Fatalf("limit off: request %d throttled", i+1)
		}
		releases = append(releases, release)
	}
	if rec := get(); rec.Code != 200 {
		t.Errorf("limit off, sixth in flight: %d", rec.Code)
	}
	f.c.SetIMDSRateLimit(true)
	rec := get()
	if want := `{"error":"throttled","error_description":"API Rate Limits have been exceeded"}`; rec.Code != 429 || rec.Body.String() != want {
		t.Errorf("sixth in flight: got %d %s", rec.Code, rec.Body)
	}
	if ex := f.lastExchange(t); !strings.Contains(ex.Decision, "5 requests from vm-sys were already in flight") {
		t.Errorf("decision %q", ex.Decision)
	}
	// Another VM is not affected.
	if rec := f.imds(t, "vm-both", "api-version=2018-02-01&resource=https://storage.azure.com/"); rec.status != 200 {
		t.Errorf("vm-both: %d", rec.status)
	}
	releases[0]()
	releases[0]() // releasing twice counts once
	if rec := get(); rec.Code != 200 {
		t.Errorf("after one finished: %d %s", rec.Code, rec.Body)
	}
	// Four in flight now; a fifth held makes the next one the sixth again,
	// unless the double release was counted twice.
	release, _ := f.c.imds.enter("IMDS", "vm-sys")
	if rec := get(); rec.Code != 429 {
		t.Errorf("released twice counted twice: %d", rec.Code)
	}
	release()
	for _, r := range releases[1:] {
		r()
	}

	// Many goroutines at once: every answer is a token or a 429, and no
	// request stays counted in flight.
	f.advance(time.Second)
	var wg sync.WaitGroup
	codes := make(chan int, 40)
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes <- get().Code
		}()
	}
	wg.Wait()
	close(codes)
	n200 := 0
	for code := range codes {
		switch code {
		case 200:
			n200++
		case 429:
		default:
			t.Errorf("concurrent request: %d", code)
		}
	}
	if n200 == 0 || n200 > 20 {
		t.Errorf("%d of 40 concurrent requests in one simulated second succeeded, want 1 to 20", n200)
	}
	s := f.c.imds.s
	s.mu.Lock()
	left := len(s.inflight)
	s.mu.Unlock()
	if left != 0 {
		t.Errorf("requests still counted in flight: %v", s.inflight)
	}
}

// TestIMDSDeterministic checks that request IDs come from the world's seed.
func TestIMDSDeterministic(t *testing.T) {
	run := func() []string {
		f := newMIFixture(t)
		var out []string
		for _, q := range []string{"api-version=2018-02-01&resource=https://storage.azure.com/", "resource=x"} {
			r := f.imds(t, "vm-sys", q)
			out = append(out, r.header.Get("X-Ms-Request-Id"), r.body)
		}
		return out
	}
	a, b := run(), run()
	if strings.Join(a, "\n") != strings.Join(b, "\n") {
		t.Errorf("two runs differ:\n%q\n%q", a, b)
	}
}

// FuzzIMDSQuery sends arbitrary queries and headers to IMDS: the answer is
// always a token or an error status, with a JSON body.
func FuzzIMDSQuery(f *testing.F) {
	fx := newMIFixture(f)
	clientA := fx.clientID("id-a")
	for _, seed := range []struct{ query, metadata, forwarded string }{
		{"api-version=2018-02-01&resource=https://storage.azure.com/", "true", ""},
		{"api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net&client_id=" + clientA, "true", ""},
		{"api-version=2018-02-01&resource=https://management.azure.com/&msi_res_id=" + fx.ids["id-b"].ID, "true", ""},
		{"api-version=2018-02-01&api-version=2018-02-01", "true", ""},
		{"resource=%zz", "true", ""},
		{"", "", ""},
		{"api-version=2018-02-01&resource=x", "true", "1.2.3.4"},
		{"api-version=2099-99-99&resource=https://storage.azure.com/&object_id=;&client_id=a", "TRUE", ""},
	} {
		f.Add(seed.query, seed.metadata, seed.forwarded)
	}
	var n int
	f.Fuzz(func(t *testing.T, query, metadata, forwarded string) {
		// A fresh world now and then keeps the log from growing for ever.
		if n++; n%500 == 0 {
			fx = newMIFixture(t)
		}
		req, err := http.NewRequest("GET", miIMDSURL, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.URL.RawQuery = query
		if metadata != "" {
			req.Header.Set("Metadata", metadata)
		}
		if forwarded != "" {
			req.Header.Set("X-Forwarded-For", forwarded)
		}
		for _, from := range []string{"vm-sys", "vm-two"} {
			resp, err := fx.c.Client(from).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			miCheckFuzzAnswer(t, resp, body)
		}
	})
}

func miCheckFuzzAnswer(t *testing.T, resp *http.Response, body []byte) {
	t.Helper()
	if s := resp.StatusCode; s != 200 && (s < 400 || s > 599) {
		t.Errorf("status %d", s)
	}
	if !json.Valid(body) {
		t.Errorf("status %d, body not JSON: %q", resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q", ct)
	}
}
