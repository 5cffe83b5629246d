package azure

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/miplay/miplay/engine"
)

const miAppServiceURL = AppServiceIdentityEndpoint

func (f *miFixture) identityHeader(site string) string { return f.sites[site].Site.IdentityHeader }

// appService sends a token request from a site with its own identity header.
func (f *miFixture) appService(t testing.TB, site, query string) miResponse {
	t.Helper()
	return f.send(t, site, http.MethodGet, miAppServiceURL+"?"+query, map[string]string{"X-IDENTITY-HEADER": f.identityHeader(site)}, "")
}

// miCheckAppServiceError checks a Kestrel error answer: status, message, and
// a correlation ID that is the same in the body and the header.
func miCheckAppServiceError(t *testing.T, r miResponse, status int, message string) {
	t.Helper()
	corr := r.header.Get("X-CORRELATION-ID")
	want := fmt.Sprintf(`{"statusCode":%d,"message":"%s","correlationId":"%s"}`, status, message, corr)
	if r.status != status || r.body != want || !miGUIDRE.MatchString(corr) {
		t.Errorf("got %d %s\nwant %d %s", r.status, r.body, status, want)
	}
	miCheckKestrelHeaders(t, r)
}

func miCheckKestrelHeaders(t *testing.T, r miResponse) {
	t.Helper()
	if got := r.header.Get("Server"); got != "Kestrel" {
		t.Errorf("Server = %q, want Kestrel", got)
	}
	if got := r.header.Get("Content-Type"); got != "application/json; charset=utf-8" {
		t.Errorf("Content-Type = %q", got)
	}
	if got := r.header.Get("X-CORRELATION-ID"); !miGUIDRE.MatchString(got) {
		t.Errorf("X-CORRELATION-ID = %q", got)
	}
}

func TestAppServiceErrors(t *testing.T) {
	f := newMIFixture(t)
	const (
		ok           = "resource=https://vault.azure.net&api-version=2019-08-01"
		unableToLoad = "Unable to load the proper Managed Identity."
	)
	idA, idB := f.ids["id-a"], f.ids["id-b"]
	tests := []struct {
		name     string
		site     string
		header   map[string]string // nil: the site's own X-IDENTITY-HEADER
		query    string
		status   int
		message  string
		decision string
	}{
		{"legacy 2017-09-01", "app-web", map[string]string{"secret": "x"}, "resource=https://vault.azure.net&api-version=2017-09-01", 400,
			"Not simulated: miplay models only api-version 2019-08-01 of the App Service identity endpoint; the legacy 2017-09-01 protocol (secret header, clientid parameter) is not simulated.", "Not simulated"},
		{"missing api-version", "app-web", nil, "resource=https://vault.azure.net", 400, "The api-version is missing or not supported. Use api-version=2019-08-01.", "no api-version"},
		{"IMDS api-version", "app-web", nil, "resource=https://vault.azure.net&api-version=2018-02-01", 400, "The api-version is missing or not supported. Use api-version=2019-08-01.", `"2018-02-01" is not supported`},
		{"missing X-IDENTITY-HEADER", "app-web", map[string]string{}, ok, 401, "Unauthorized: the X-IDENTITY-HEADER header is missing or does not match IDENTITY_HEADER.", "no X-IDENTITY-HEADER"},
		{"wrong X-IDENTITY-HEADER", "app-web", map[string]string{"X-IDENTITY-HEADER": "guess"}, ok, 401, "Unauthorized: the X-IDENTITY-HEADER header is missing or does not match IDENTITY_HEADER.", "does not match"},
		{"another site's header", "app-web", map[string]string{"X-IDENTITY-HEADER": f.identityHeader("app-func")}, ok, 401, "Unauthorized: the X-IDENTITY-HEADER header is missing or does not match IDENTITY_HEADER.", "does not match"},
		{"missing resource", "app-web", nil, "api-version=2019-08-01", 400, "The resource parameter is required.", "no resource"},
		{"principal_id and object_id", "app-func", nil, ok + "&principal_id=" + idA.UserIdentity.PrincipalID + "&object_id=" + idA.UserIdentity.PrincipalID, 400,
			"Only one of client_id, principal_id (object_id) or mi_res_id may be specified.", "mutually exclusive"},
		{"client_id and mi_res_id", "app-func", nil, ok + "&client_id=" + idA.UserIdentity.ClientID + "&mi_res_id=" + idA.ID, 400,
			"Only one of client_id, principal_id (object_id) or mi_res_id may be specified.", "mutually exclusive"},
		{"only user-assigned, no selector", "app-func", nil, ok, 400, unableToLoad, "uses only the system-assigned one"},
		{"legacy clientid is ignored", "app-func", nil, ok + "&clientid=" + idA.UserIdentity.ClientID, 400, unableToLoad, "ignored clientid"},
		{"no identity", "app-plain", nil, ok, 400, unableToLoad, "has no managed identity"},
		{"identity not assigned", "app-web", nil, ok + "&client_id=" + idB.UserIdentity.ClientID, 400, unableToLoad, "not assigned to app-web"},
		{"IMDS spelling msi_res_id is ignored", "app-func", nil, ok + "&msi_res_id=" + idA.ID, 400, unableToLoad, "ignored msi_res_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := tt.header
			if h == nil {
				h = map[string]string{"X-IDENTITY-HEADER": f.identityHeader(tt.site)}
			}
			r := f.send(t, tt.site, "GET", miAppServiceURL+"?"+tt.query, h, "")
			miCheckAppServiceError(t, r, tt.status, tt.message)
			ex := f.lastExchange(t)
			if ex.Caller != tt.site || ex.Service != "App Service identity" || ex.Status != tt.status || !strings.Contains(ex.Decision, tt.decision) {
				t.Errorf("recorded %s -> %s %d %q; want decision containing %q", ex.Caller, ex.Service, ex.Status, ex.Decision, tt.decision)
			}
		})
	}
}

func TestAppServiceOtherRequests(t *testing.T) {
	f := newMIFixture(t)
	h := map[string]string{"X-IDENTITY-HEADER": f.identityHeader("app-web")}
	r := f.send(t, "app-web", "GET", "http://"+AppServiceIdentityHost+"/msi/other?api-version=2019-08-01", h, "")
	if r.status != 404 || r.body != "" || r.header.Get("Server") != "Kestrel" {
		t.Errorf("unknown path: %d %q %v", r.status, r.body, r.header)
	}
	r = f.send(t, "app-web", "POST", miAppServiceURL+"?resource=https://vault.azure.net&api-version=2019-08-01", h, "")
	miCheckAppServiceError(t, r, 405, "The HTTP method is not allowed. Use GET.")
	// The path is matched as ASP.NET routes are: without regard to case.
	r = f.send(t, "app-web", "GET", "http://"+AppServiceIdentityHost+"/MSI/token?resource=https://vault.azure.net&api-version=2019-08-01", h, "")
	if r.status != 200 {
		t.Errorf("/MSI/token: %d %s", r.status, r.body)
	}
	r = f.appService(t, "app-web", "resource=https://managements.azure.com&api-version=2019-08-01")
	want := regexp.MustCompile(`^\{"statusCode":400,"message":"AADSTS500011: The resource principal named https://managements.azure.com was not found in the tenant named Contoso\. .* Trace ID: [0-9a-f-]{36} Correlation ID: [0-9a-f-]{36} Timestamp: 2026-01-15 09:00:00Z","correlationId":"[0-9a-f-]{36}"\}$`)
	if r.status != 400 || !want.MatchString(r.body) {
		t.Errorf("unknown resource: %d %s", r.status, r.body)
	}
}

// miAppServiceWant is the exact 2019-08-01 body for a token.
func miAppServiceWant(tok engine.IssuedToken, resource string) string {
	return fmt.Sprintf(`{"access_token":"%s","expires_on":"%d","resource":"%s","token_type":"Bearer","client_id":"%s"}`,
		tok.Raw, tok.Claims.ExpiresAt, resource, tok.ClientID)
}

func TestAppServiceToken(t *testing.T) {
	f := newMIFixture(t)
	idA := f.ids["id-a"]
	tests := []struct {
		name, site, query string
		wantClient        string
		userAssigned      bool
	}{
		{"system-assigned by default", "app-web", "", f.clientID("app-web"), false},
		{"system-assigned by client_id", "app-web", "&client_id=" + f.clientID("app-web"), f.clientID("app-web"), false},
		{"user-assigned by client_id", "app-func", "&client_id=" + idA.UserIdentity.ClientID, f.clientID("id-a"), true},
		{"user-assigned by principal_id", "app-func", "&principal_id=" + idA.UserIdentity.PrincipalID, f.clientID("id-a"), true},
		{"user-assigned by object_id", "app-func", "&object_id=" + idA.UserIdentity.PrincipalID, f.clientID("id-a"), true},
		{"user-assigned by mi_res_id", "app-func", "&mi_res_id=" + idA.ID, f.clientID("id-a"), true},
		{"parameter names in upper case", "app-func", "&CLIENT_ID=" + idA.UserIdentity.ClientID, f.clientID("id-a"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resource := "https://vault.azure.net"
			r := f.appService(t, tt.site, "resource="+resource+"&api-version=2019-08-01"+tt.query)
			tok := f.lastToken(t)
			if want := miAppServiceWant(tok, resource); r.status != 200 || r.body != want {
				t.Fatalf("got %d %s\nwant 200 %s", r.status, r.body, want)
			}
			miCheckKestrelHeaders(t, r)
			if tok.ClientID != tt.wantClient || (tok.Claims.AzureResourceID != "") != tt.userAssigned || tok.Via != engine.ViaAppService {
				t.Errorf("token: client %s, xms_az_rid %q, via %s", tok.ClientID, tok.Claims.AzureResourceID, tok.Via)
			}
			if tt.userAssigned && !strings.HasSuffix(tok.Claims.AzureResourceID, "/providers/Microsoft.Web/sites/"+tt.site) {
				t.Errorf("xms_az_rid = %s", tok.Claims.AzureResourceID)
			}
			if ex := f.lastExchange(t); ex.Status != 200 || ex.TokenID != tok.ID {
				t.Errorf("recorded status %d token %s", ex.Status, ex.TokenID)
			}
		})
	}
}

func TestAppServiceCache(t *testing.T) {
	f := newMIFixture(t)
	q := "resource=https://storage.azure.com/&api-version=2019-08-01"
	first := f.appService(t, "app-web", q)
	tok := f.lastToken(t)
	f.advance(2 * time.Hour)
	second := f.appService(t, "app-web", q)
	if first.body != second.body || f.lastToken(t).ID != tok.ID {
		t.Errorf("second answer differs:\n%s\n%s", first.body, second.body)
	}
	if ex := f.lastExchange(t); !strings.Contains(ex.Decision, "cached token") || !strings.Contains(ex.Decision, "79200 s") {
		t.Errorf("decision %q", ex.Decision)
	}
}

func TestAppServiceUnreachable(t *testing.T) {
	f := newMIFixture(t)
	for _, from := range []string{Workstation, "vm-sys", "vmss-web_0"} {
		req, _ := http.NewRequest("GET", miAppServiceURL+"?resource=https://vault.azure.net&api-version=2019-08-01", nil)
		_, err := f.c.Client(from).Do(req)
		var ue *UnreachableError
		if !errors.As(err, &ue) {
			t.Errorf("from %s: err = %v, want *UnreachableError", from, err)
		}
	}
	// Through the Handler, as the emulator serves a site.
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", miAppServiceURL+"?resource=https://vault.azure.net&api-version=2019-08-01", nil)
	req.Header.Set("X-IDENTITY-HEADER", f.identityHeader("app-web"))
	f.c.Handler("app-web").ServeHTTP(rec, req)
	if rec.Code != 200 || rec.Header().Get("Server") != "Kestrel" {
		t.Errorf("Handler: %d %s", rec.Code, rec.Body)
	}
}

func TestHostEnvironment(t *testing.T) {
	f := newMIFixture(t)
	f.c.Do(func(w *engine.World) { f.sites["app-web"].Site.AppSettings["GREETING"] = "hello" })
	tests := []struct {
		host string
		want map[string]string
	}{
		{"app-web", map[string]string{
			"IDENTITY_ENDPOINT": "http://169.254.255.2:8081/msi/token", "IDENTITY_HEADER": f.identityHeader("app-web"),
			"MSI_ENDPOINT": "http://169.254.255.2:8081/msi/token", "MSI_SECRET": f.identityHeader("app-web"),
			"WEBSITE_SITE_NAME": "app-web", "WEBSITE_HOSTNAME": "app-web.azurewebsites.net", "WEBSITE_RESOURCE_GROUP": "rg",
			"HOME": "/home", "GREETING": "hello",
		}},
		{"app-func", map[string]string{
			"IDENTITY_ENDPOINT": "http://169.254.255.2:8081/msi/token", "IDENTITY_HEADER": f.identityHeader("app-func"),
			"MSI_ENDPOINT": "http://169.254.255.2:8081/msi/token", "MSI_SECRET": f.identityHeader("app-func"),
			"WEBSITE_SITE_NAME": "app-func", "WEBSITE_HOSTNAME": "app-func.azurewebsites.net", "WEBSITE_RESOURCE_GROUP": "rg",
			"HOME": "/home", "FUNCTIONS_EXTENSION_VERSION": "~4", "AzureWebJobsScriptRoot": "/home/site/wwwroot",
		}},
		{"app-plain", map[string]string{
			"WEBSITE_SITE_NAME": "app-plain", "WEBSITE_HOSTNAME": "app-plain.azurewebsites.net", "WEBSITE_RESOURCE_GROUP": "rg", "HOME": "/home",
		}},
		{"vm-sys", map[string]string{}},
		{"vmss-web_0", map[string]string{}},
		{Workstation, nil},
	}
	for _, tt := range tests {
		got := f.c.HostEnvironment(tt.host)
		if fmt.Sprint(got) != fmt.Sprint(tt.want) || (got == nil) != (tt.want == nil) {
			t.Errorf("HostEnvironment(%q)\ngot  %v\nwant %v", tt.host, got, tt.want)
		}
	}
	// The environment is what the endpoint checks against.
	env := f.c.HostEnvironment("app-web")
	r := f.send(t, "app-web", "GET", env["IDENTITY_ENDPOINT"]+"?resource=https://vault.azure.net&api-version=2019-08-01",
		map[string]string{"X-IDENTITY-HEADER": env["IDENTITY_HEADER"]}, "")
	if r.status != 200 {
		t.Errorf("token with the environment's endpoint and header: %d %s", r.status, r.body)
	}
}

// FuzzAppServiceQuery sends arbitrary queries and identity headers to the
// App Service token service: the answer is always a token or an error
// status, with a JSON body.
func FuzzAppServiceQuery(f *testing.F) {
	fx := newMIFixture(f)
	header := fx.identityHeader("app-func")
	idA := fx.ids["id-a"]
	for _, seed := range []struct{ query, header string }{
		{"resource=https://vault.azure.net&api-version=2019-08-01&client_id=" + idA.UserIdentity.ClientID, header},
		{"resource=https%3A%2F%2Fstorage.azure.com%2F&api-version=2019-08-01&mi_res_id=" + idA.ID, header},
		{"resource=https://vault.azure.net&api-version=2019-08-01", header},
		{"resource=https://vault.azure.net&api-version=2017-09-01&clientid=x", "secret"},
		{"resource=%zz&api-version=2019-08-01&principal_id=%&object_id=;", header},
		{"", ""},
		{"api-version=2019-08-01&api-version=2019-08-01&resource=a&resource=b", header},
	} {
		f.Add(seed.query, seed.header)
	}
	var n int
	f.Fuzz(func(t *testing.T, query, identityHeader string) {
		if n++; n%500 == 0 {
			fx = newMIFixture(t)
		}
		req, err := http.NewRequest("GET", miAppServiceURL, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.URL.RawQuery = query
		req.Header.Set("X-IDENTITY-HEADER", identityHeader)
		for _, from := range []string{"app-func", "app-web"} {
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
