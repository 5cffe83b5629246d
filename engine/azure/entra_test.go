package azure

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/miplay/miplay/engine"
	"github.com/miplay/miplay/engine/token"
)

const miLogin = "https://login.microsoftonline.com"

// miApp is an app registration with a client secret, the world without
// managed identities.
type miApp struct {
	clientID, secret string
}

func (f *miFixture) registerApp(t testing.TB) miApp {
	t.Helper()
	var a miApp
	f.c.Do(func(w *engine.World) {
		app, _ := w.RegisterApplication("app-ci")
		s := w.AddClientSecret(app, "ci", 0)
		a = miApp{app.AppID, s.Value}
	})
	return a
}

func (f *miFixture) tenantID() (id string) {
	f.c.Do(func(w *engine.World) { id = w.Tenant.ID })
	return id
}

// miCorrelation is the client-request-id the tests send; Entra ID adopts it
// as the correlation ID.
const miCorrelation = "5e7a1d2c-0b1f-4c3a-9d8e-7f6a5b4c3d2e"

func (f *miFixture) postToken(t testing.TB, tenant, version string, form url.Values, header map[string]string) miResponse {
	t.Helper()
	path := "/oauth2/token"
	if version == "v2" {
		path = "/oauth2/v2.0/token"
	}
	h := map[string]string{"Content-Type": "application/x-www-form-urlencoded", "client-request-id": miCorrelation}
	for k, v := range header {
		h[k] = v
	}
	return f.send(t, Workstation, http.MethodPost, miLogin+"/"+tenant+path, h, form.Encode())
}

// miEntraError is the exact error body Entra ID gives for r, whose trace ID
// is in its x-ms-request-id header.
func miEntraError(r miResponse, at time.Time, errCode string, code int, desc string) string {
	trace := r.header.Get("X-Ms-Request-Id")
	ts := at.UTC().Format("2006-01-02 15:04:05Z")
	return fmt.Sprintf(`{"error":"%s","error_description":"%s Trace ID: %s Correlation ID: %s Timestamp: %s","error_codes":[%d],"timestamp":"%s","trace_id":"%s","correlation_id":"%s","error_uri":"https://login.microsoftonline.com/error?code=%d"}`,
		errCode, desc, trace, miCorrelation, ts, code, ts, trace, miCorrelation, code)
}

func TestEntraClientCredentials(t *testing.T) {
	f := newMIFixture(t)
	app := f.registerApp(t)
	tid := f.tenantID()
	start := engine.DefaultStart.Unix()

	// v2.0, tenant by ID, secret in the body.
	r := f.postToken(t, tid, "v2", url.Values{"grant_type": {"client_credentials"}, "client_id": {app.clientID},
		"client_secret": {app.secret}, "scope": {"https://management.azure.com/.default"}}, nil)
	tok := f.lastToken(t)
	if want := `{"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_token":"` + tok.Raw + `"}`; r.status != 200 || r.body != want {
		t.Fatalf("v2.0: got %d %s\nwant %s", r.status, r.body, want)
	}
	for k, want := range map[string]string{"Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store, no-cache", "Pragma": "no-cache", "Client-Request-Id": miCorrelation} {
		if got := r.header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	c := tok.Claims
	// A v1.0 token, for ARM, from the v2.0 endpoint: iss sts.windows.net and appid.
	if c.Audience != "https://management.azure.com" || c.Issuer != "https://sts.windows.net/"+tid+"/" || c.Version != "1.0" ||
		c.AppID != app.clientID || c.AppIDACR != "1" || c.IDType != "app" || c.IssuedAt != start-300 || c.ExpiresAt != start+3599 {
		t.Errorf("claims = %+v", c)
	}
	if ex := f.lastExchange(t); ex.Service != "Entra ID" || ex.Caller != Workstation || ex.TokenID != tok.ID || !strings.Contains(ex.Decision, "client secret") {
		t.Errorf("recorded %+v", ex)
	}

	// v1.0, tenant by domain, secret by HTTP Basic.
	basic := base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(app.clientID) + ":" + url.QueryEscape(app.secret)))
	r = f.postToken(t, "contoso.onmicrosoft.com", "v1", url.Values{"grant_type": {"client_credentials"}, "resource": {"https://vault.azure.net"}},
		map[string]string{"Authorization": "Basic " + basic})
	tok = f.lastToken(t)
	want := fmt.Sprintf(`{"token_type":"Bearer","expires_in":"3599","ext_expires_in":"3599","expires_on":"%d","not_before":"%d","resource":"https://vault.azure.net","access_token":"%s"}`,
		start+3599, start-300, tok.Raw)
	if r.status != 200 || r.body != want {
		t.Fatalf("v1.0: got %d %s\nwant %s", r.status, r.body, want)
	}
	if tok.Audience != "https://vault.azure.net" {
		t.Errorf("aud = %s", tok.Audience)
	}

	// MSAL adds OpenID Connect scopes to every request; a client credentials
	// grant ignores them.
	r = f.postToken(t, tid, "v2", url.Values{"grant_type": {"client_credentials"}, "client_id": {app.clientID},
		"client_secret": {app.secret}, "scope": {"https://graph.microsoft.com/.default openid offline_access profile"}}, nil)
	if tok = f.lastToken(t); r.status != 200 || tok.Audience != "https://graph.microsoft.com" {
		t.Errorf("with OpenID Connect scopes: %d %s", r.status, r.body)
	}

	// expires_in is computed from the token, not a constant.
	f.advance(time.Minute)
	r = f.postToken(t, tid, "v1", url.Values{"grant_type": {"client_credentials"}, "client_id": {app.clientID},
		"client_secret": {app.secret}, "resource": {"https://management.azure.com/"}}, nil)
	if !strings.Contains(r.body, `"expires_in":"3599"`) || !strings.Contains(r.body, fmt.Sprintf(`"expires_on":"%d"`, start+60+3599)) {
		t.Errorf("a minute later: %s", r.body)
	}
}

func TestEntraErrors(t *testing.T) {
	f := newMIFixture(t)
	app := f.registerApp(t)
	tid := f.tenantID()
	good := func(changes ...string) url.Values {
		v := url.Values{"grant_type": {"client_credentials"}, "client_id": {app.clientID}, "client_secret": {app.secret}, "scope": {"https://management.azure.com/.default"}}
		for i := 0; i+1 < len(changes); i += 2 {
			if changes[i+1] == "" {
				v.Del(changes[i])
			} else {
				v.Set(changes[i], changes[i+1])
			}
		}
		return v
	}
	unknownClient := "3f0a1b2c-4d5e-4f60-8a7b-9c0d1e2f3a4b"
	tests := []struct {
		name     string
		tenant   string
		version  string
		form     url.Values
		status   int
		errCode  string
		code     int
		desc     string
		decision string
	}{
		{"wrong secret", tid, "v2", good("client_secret", "not-the-secret"), 401, "invalid_client", 7000215,
			"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '" + app.clientID + "'.", "not one of app"},
		{"unknown client", tid, "v2", good("client_id", unknownClient), 400, "unauthorized_client", 700016,
			"AADSTS700016: Application with identifier '" + unknownClient + "' was not found in the directory 'Contoso'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.", "no application"},
		{"unknown client without secret", tid, "v2", good("client_id", unknownClient, "client_secret", ""), 400, "unauthorized_client", 700016,
			"AADSTS700016: Application with identifier '" + unknownClient + "' was not found in the directory 'Contoso'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.", "no application"},
		{"a managed identity's client ID", tid, "v2", good("client_id", f.clientID("vm-sys")), 400, "unauthorized_client", 700016,
			"AADSTS700016: Application with identifier '" + f.clientID("vm-sys") + "' was not found in the directory 'Contoso'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.", "no application"},
		{"no secret", tid, "v2", good("client_secret", ""), 401, "invalid_client", 7000218,
			"AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.", "no client_secret"},
		{"no grant_type", tid, "v2", good("grant_type", ""), 400, "invalid_request", 900144,
			"AADSTS900144: The request body must contain the following parameter: 'grant_type'.", "no grant_type"},
		{"no client_id", tid, "v2", good("client_id", ""), 400, "invalid_request", 900144,
			"AADSTS900144: The request body must contain the following parameter: 'client_id'.", "no client_id"},
		{"no scope", tid, "v2", good("scope", ""), 400, "invalid_request", 900144,
			"AADSTS900144: The request body must contain the following parameter: 'scope'.", "no scope"},
		{"no resource on v1.0", tid, "v1", good("scope", ""), 400, "invalid_request", 900144,
			"AADSTS900144: The request body must contain the following parameter: 'resource'.", "no resource"},
		{"unsupported grant type", tid, "v2", good("grant_type", "client_credential"), 400, "unsupported_grant_type", 70003,
			"AADSTS70003: The app requested an unsupported grant type 'client_credential'.", "not an OAuth grant type"},
		{"scope without /.default", tid, "v2", good("scope", "https://management.azure.com/user_impersonation"), 400, "invalid_scope", 1002012,
			"AADSTS1002012: The provided value for scope https://management.azure.com/user_impersonation is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).", "/.default"},
		{"several scopes", tid, "v2", good("scope", "https://management.azure.com/.default https://vault.azure.net/.default"), 400, "invalid_scope", 70011,
			"AADSTS70011: The provided value for the input parameter 'scope' is not valid. The scope https://management.azure.com/.default https://vault.azure.net/.default is not valid.", "not several"},
		{"unknown resource", tid, "v2", good("scope", "https://managements.azure.com/.default"), 400, "invalid_resource", 500011,
			"AADSTS500011: The resource principal named https://managements.azure.com was not found in the tenant named Contoso. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.", "no API named"},
		{"unknown tenant ID", "0b0c0d0e-1111-4222-8333-444455556666", "v2", good(), 400, "invalid_request", 90002,
			"AADSTS90002: Tenant '0b0c0d0e-1111-4222-8333-444455556666' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.", "no tenant"},
		{"unknown tenant domain", "fabrikam.onmicrosoft.com", "v1", good(), 400, "invalid_request", 90002,
			"AADSTS90002: Tenant 'fabrikam.onmicrosoft.com' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.", "no tenant"},
		{"common", "common", "v2", good(), 400, "invalid_request", 50059,
			"AADSTS50059: No tenant-identifying information found in either the request or implied by any provided credentials.", "names no tenant"},
		{"organizations", "organizations", "v2", good(), 400, "invalid_request", 50059,
			"AADSTS50059: No tenant-identifying information found in either the request or implied by any provided credentials.", "names no tenant"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := f.postToken(t, tt.tenant, tt.version, tt.form, nil)
			if want := miEntraError(r, engine.DefaultStart, tt.errCode, tt.code, tt.desc); r.status != tt.status || r.body != want {
				t.Errorf("got %d %s\nwant %d %s", r.status, r.body, tt.status, want)
			}
			if !miGUIDRE.MatchString(r.header.Get("X-Ms-Request-Id")) {
				t.Errorf("x-ms-request-id = %q", r.header.Get("X-Ms-Request-Id"))
			}
			if ex := f.lastExchange(t); ex.Service != "Entra ID" || ex.Status != tt.status || !strings.Contains(ex.Decision, tt.decision) {
				t.Errorf("recorded %s %d %q, want decision containing %q", ex.Service, ex.Status, ex.Decision, tt.decision)
			}
		})
	}

	t.Run("GET", func(t *testing.T) {
		r := f.send(t, Workstation, "GET", miLogin+"/"+tid+"/oauth2/v2.0/token", map[string]string{"client-request-id": miCorrelation}, "")
		want := miEntraError(r, engine.DefaultStart, "invalid_request", 900561, "AADSTS900561: The endpoint only accepts POST, OPTIONS requests. Received a GET request.")
		if r.status != 400 || r.body != want {
			t.Errorf("got %d %s\nwant %s", r.status, r.body, want)
		}
	})
	t.Run("JSON body", func(t *testing.T) {
		r := f.send(t, Workstation, "POST", miLogin+"/"+tid+"/oauth2/v2.0/token", map[string]string{"client-request-id": miCorrelation, "Content-Type": "application/json"},
			`{"grant_type":"client_credentials"}`)
		want := miEntraError(r, engine.DefaultStart, "invalid_request", 900144, "AADSTS900144: The request body must contain the following parameter: 'grant_type'.")
		if r.status != 400 || r.body != want {
			t.Errorf("got %d %s\nwant %s", r.status, r.body, want)
		}
	})
	t.Run("grant not simulated", func(t *testing.T) {
		r := f.postToken(t, tid, "v2", good("grant_type", "password"), nil)
		trace := r.header.Get("X-Ms-Request-Id")
		want := `{"error":"unsupported_grant_type","error_description":"Not simulated: miplay's Entra ID supports only grant_type=client_credentials; the 'password' grant is not simulated. Trace ID: ` + trace +
			` Correlation ID: ` + miCorrelation + ` Timestamp: 2026-01-15 09:00:00Z","timestamp":"2026-01-15 09:00:00Z","trace_id":"` + trace + `","correlation_id":"` + miCorrelation + `"}`
		if r.status != 400 || r.body != want {
			t.Errorf("got %d %s\nwant %s", r.status, r.body, want)
		}
	})
	t.Run("correlation ID made up", func(t *testing.T) {
		r := f.send(t, Workstation, "POST", miLogin+"/"+tid+"/oauth2/token", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, "grant_type=client_credentials")
		var body struct {
			CorrelationID string `json:"correlation_id"`
		}
		if err := json.Unmarshal([]byte(r.body), &body); err != nil || !miGUIDRE.MatchString(body.CorrelationID) || r.header.Get("Client-Request-Id") != "" {
			t.Errorf("correlation_id %q, client-request-id %q (%v)", body.CorrelationID, r.header.Get("Client-Request-Id"), err)
		}
	})
}

func TestEntraExpiredSecret(t *testing.T) {
	f := newMIFixture(t)
	app := f.registerApp(t)
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {app.clientID}, "client_secret": {app.secret}, "scope": {"https://graph.microsoft.com/.default"}}
	if r := f.postToken(t, f.tenantID(), "v2", form, nil); r.status != 200 {
		t.Fatalf("fresh secret: %d %s", r.status, r.body)
	}
	if err := f.advance(365 * 24 * time.Hour); err != nil {
		t.Fatal(err)
	}
	r := f.postToken(t, f.tenantID(), "v2", form, nil)
	want := miEntraError(r, engine.DefaultStart.Add(365*24*time.Hour), "invalid_client", 7000222,
		"AADSTS7000222: The provided client secret keys for app '"+app.clientID+"' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.")
	if r.status != 401 || r.body != want {
		t.Errorf("got %d %s\nwant %s", r.status, r.body, want)
	}
	if ex := f.lastExchange(t); !strings.Contains(ex.Decision, "expired") {
		t.Errorf("decision %q", ex.Decision)
	}
}

func TestEntraDiscovery(t *testing.T) {
	f := newMIFixture(t)
	tid := f.tenantID()
	v2 := `{"token_endpoint":"https://login.microsoftonline.com/TID/oauth2/v2.0/token","token_endpoint_auth_methods_supported":["client_secret_post","private_key_jwt","client_secret_basic"],"jwks_uri":"https://login.microsoftonline.com/TID/discovery/v2.0/keys","response_modes_supported":["query","fragment","form_post"],"subject_types_supported":["pairwise"],"id_token_signing_alg_values_supported":["RS256"],"response_types_supported":["code","id_token","code id_token","id_token token"],"scopes_supported":["openid","profile","email","offline_access"],"issuer":"https://login.microsoftonline.com/TID/v2.0","request_uri_parameter_supported":false,"userinfo_endpoint":"https://graph.microsoft.com/oidc/userinfo","authorization_endpoint":"https://login.microsoftonline.com/TID/oauth2/v2.0/authorize","device_authorization_endpoint":"https://login.microsoftonline.com/TID/oauth2/v2.0/devicecode","http_logout_supported":true,"frontchannel_logout_supported":true,"end_session_endpoint":"https://login.microsoftonline.com/TID/oauth2/v2.0/logout","claims_supported":["sub","iss","cloud_instance_name","cloud_instance_host_name","cloud_graph_host_name","msgraph_host","aud","exp","iat","auth_time","acr","nonce","preferred_username","name","tid","ver","at_hash","c_hash","email"],"kerberos_endpoint":"https://login.microsoftonline.com/TID/kerberos","tenant_region_scope":"WW","cloud_instance_name":"microsoftonline.com","cloud_graph_host_name":"graph.windows.net","msgraph_host":"graph.microsoft.com","rbac_url":"https://pas.windows.net"}`
	v1Common := `{"token_endpoint":"https://login.microsoftonline.com/common/oauth2/token","token_endpoint_auth_methods_supported":["client_secret_post","private_key_jwt","client_secret_basic"],"jwks_uri":"https://login.microsoftonline.com/common/discovery/keys","response_modes_supported":["query","fragment","form_post"],"subject_types_supported":["pairwise"],"id_token_signing_alg_values_supported":["RS256"],"response_types_supported":["code","id_token","code id_token","token id_token","token"],"scopes_supported":["openid"],"issuer":"https://sts.windows.net/{tenantid}/","microsoft_multi_refresh_token":true,"authorization_endpoint":"https://login.microsoftonline.com/common/oauth2/authorize","device_authorization_endpoint":"https://login.microsoftonline.com/common/oauth2/devicecode","http_logout_supported":true,"frontchannel_logout_supported":true,"end_session_endpoint":"https://login.microsoftonline.com/common/oauth2/logout","claims_supported":["sub","iss","cloud_instance_name","cloud_instance_host_name","cloud_graph_host_name","msgraph_host","aud","exp","iat","auth_time","acr","amr","nonce","email","given_name","family_name","nickname"],"check_session_iframe":"https://login.microsoftonline.com/common/oauth2/checksession","userinfo_endpoint":"https://login.microsoftonline.com/common/openid/userinfo","kerberos_endpoint":"https://login.microsoftonline.com/common/kerberos","tenant_region_scope":null,"cloud_instance_name":"microsoftonline.com","cloud_graph_host_name":"graph.windows.net","msgraph_host":"graph.microsoft.com","rbac_url":"https://pas.windows.net"}`
	tests := []struct {
		path string
		want string
	}{
		{"/" + tid + "/v2.0/.well-known/openid-configuration", strings.ReplaceAll(v2, "TID", tid)},
		// A tenant named by its domain is answered with its ID.
		{"/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration", strings.ReplaceAll(v2, "TID", tid)},
		{"/common/.well-known/openid-configuration", v1Common},
	}
	for _, tt := range tests {
		r := f.send(t, Workstation, "GET", miLogin+tt.path, nil, "")
		if r.status != 200 || r.body != tt.want {
			t.Errorf("GET %s:\ngot  %d %s\nwant %s", tt.path, r.status, r.body, tt.want)
		}
		if r.header.Get("Cache-Control") != "max-age=86400, private" || r.header.Get("Content-Type") != "application/json; charset=utf-8" {
			t.Errorf("GET %s: headers %v", tt.path, r.header)
		}
	}
	// Issuers and key locations, per reference §4.
	for _, tt := range []struct{ path, issuer, jwks, token string }{
		{"/" + tid + "/.well-known/openid-configuration", "https://sts.windows.net/" + tid + "/", miLogin + "/common/discovery/keys", miLogin + "/" + tid + "/oauth2/token"},
		{"/common/v2.0/.well-known/openid-configuration", miLogin + "/{tenantid}/v2.0", miLogin + "/common/discovery/v2.0/keys", miLogin + "/common/oauth2/v2.0/token"},
		{"/organizations/v2.0/.well-known/openid-configuration", miLogin + "/{tenantid}/v2.0", miLogin + "/organizations/discovery/v2.0/keys", miLogin + "/organizations/oauth2/v2.0/token"},
	} {
		r := f.send(t, Workstation, "GET", miLogin+tt.path, nil, "")
		var doc struct{ Issuer, JWKSURI, TokenEndpoint string }
		var raw map[string]any
		json.Unmarshal([]byte(r.body), &raw)
		doc.Issuer, _ = raw["issuer"].(string)
		doc.JWKSURI, _ = raw["jwks_uri"].(string)
		doc.TokenEndpoint, _ = raw["token_endpoint"].(string)
		if doc.Issuer != tt.issuer || doc.JWKSURI != tt.jwks || doc.TokenEndpoint != tt.token {
			t.Errorf("GET %s: issuer %s, jwks_uri %s, token_endpoint %s", tt.path, doc.Issuer, doc.JWKSURI, doc.TokenEndpoint)
		}
	}
	// The issuer in the discovery document is the one in the tokens.
	f.imds(t, "vm-sys", "api-version=2018-02-01&resource=https://management.azure.com/")
	if iss := f.lastToken(t).Claims.Issuer; iss != "https://sts.windows.net/"+tid+"/" {
		t.Errorf("token iss = %s", iss)
	}
	r := f.send(t, Workstation, "GET", miLogin+"/nowhere.example/.well-known/openid-configuration", map[string]string{"client-request-id": miCorrelation}, "")
	want := miEntraError(r, engine.DefaultStart, "invalid_tenant", 90002, "AADSTS90002: Tenant 'nowhere.example' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.")
	if r.status != 400 || r.body != want {
		t.Errorf("unknown tenant: got %d %s\nwant %s", r.status, r.body, want)
	}
	r = f.send(t, Workstation, "GET", miLogin+"/"+tid+"/oauth2/v2.0/authorize?client_id=x", nil, "")
	if r.status != 501 || !strings.Contains(r.body, "not simulated") {
		t.Errorf("authorize: %d %s", r.status, r.body)
	}
}

func TestEntraKeys(t *testing.T) {
	f := newMIFixture(t)
	var keys *token.KeySet
	f.c.Do(func(w *engine.World) { keys = w.Keys() })
	tid := f.tenantID()
	for _, tt := range []struct {
		path string
		want []byte
	}{
		{"/common/discovery/keys", keys.JWKS()},
		{"/" + tid + "/discovery/keys", keys.JWKS()},
		{"/common/discovery/v2.0/keys", keys.JWKSV2()},
		{"/contoso.onmicrosoft.com/discovery/v2.0/keys", keys.JWKSV2()},
	} {
		r := f.send(t, Workstation, "GET", miLogin+tt.path, nil, "")
		if r.status != 200 || r.body != string(tt.want) {
			t.Errorf("GET %s: %d %s", tt.path, r.status, r.body)
		}
		var set struct{ Keys []map[string]any }
		if err := json.Unmarshal([]byte(r.body), &set); err != nil || len(set.Keys) == 0 {
			t.Fatalf("GET %s: %v", tt.path, err)
		}
		for _, k := range set.Keys {
			for _, private := range []string{"d", "p", "q", "dp", "dq", "qi"} {
				if _, ok := k[private]; ok {
					t.Errorf("GET %s: key %v has private member %q", tt.path, k["kid"], private)
				}
			}
		}
	}
	if r := f.send(t, Workstation, "GET", miLogin+"/fabrikam.com/discovery/keys", nil, ""); r.status != 400 || !strings.Contains(r.body, `"error":"invalid_tenant"`) {
		t.Errorf("unknown tenant: %d %s", r.status, r.body)
	}
}

// TestEntraKeysVerifyIMDSToken checks an IMDS token's signature with
// nothing but the published JWKS, as a resource server does.
func TestEntraKeysVerifyIMDSToken(t *testing.T) {
	f := newMIFixture(t)
	r := f.imds(t, "vm-one", "api-version=2018-02-01&resource=https://vault.azure.net")
	var body struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal([]byte(r.body), &body); err != nil {
		t.Fatal(err)
	}
	jwks := f.send(t, "vm-one", "GET", miLogin+"/common/discovery/keys", nil, "")
	var set struct {
		Keys []struct{ Kid, N, E string }
	}
	if err := json.Unmarshal([]byte(jwks.body), &set); err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(body.AccessToken, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d parts", len(parts))
	}
	hdr, _ := base64.RawURLEncoding.DecodeString(parts[0])
	var header struct{ Alg, Kid, X5t string }
	json.Unmarshal(hdr, &header)
	if header.Alg != "RS256" || header.Kid == "" || header.Kid != header.X5t {
		t.Fatalf("header = %s", hdr)
	}
	for _, k := range set.Keys {
		if k.Kid != header.Kid {
			continue
		}
		n, _ := base64.RawURLEncoding.DecodeString(k.N)
		e, _ := base64.RawURLEncoding.DecodeString(k.E)
		pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
		sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
		sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
		if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig); err != nil {
			t.Fatalf("signature does not verify with the published key: %v", err)
		}
		// And a token altered in transit does not.
		sum = sha256.Sum256([]byte(parts[0] + "." + parts[1] + "x"))
		if rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig) == nil {
			t.Fatal("an altered token verifies")
		}
		return
	}
	t.Fatalf("no published key has kid %s", header.Kid)
}
