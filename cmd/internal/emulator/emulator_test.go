package emulator

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miplay/miplay/engine"
	"github.com/miplay/miplay/engine/token"
	"github.com/miplay/miplay/scenarios"
)

func envNames(env []string) []string {
	var names []string
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		names = append(names, k)
	}
	return names
}

func TestEnv(t *testing.T) {
	common := []string{"MIPLAY_TENANT_ID", "MIPLAY_ISSUER", "MIPLAY_OPENID_CONFIGURATION", "MIPLAY_JWKS_URI", "MIPLAY_BLOB_STEMULATOR", "MIPLAY_VAULT_KV_EMULATOR"}
	for _, c := range []struct {
		host string
		mode Mode
		want []string
	}{
		{appWeb, AppServiceMode, append([]string{"IDENTITY_ENDPOINT", "IDENTITY_HEADER", "WEBSITE_SITE_NAME", "WEBSITE_HOSTNAME", "WEBSITE_RESOURCE_GROUP"}, common...)},
		{vmSys, IMDSMode, append([]string{"AZURE_POD_IDENTITY_AUTHORITY_HOST", "HTTP_PROXY"}, common...)},
		{"VM-TWO", IMDSMode, append([]string{"AZURE_POD_IDENTITY_AUTHORITY_HOST", "HTTP_PROXY"}, common...)},
	} {
		t.Run(c.host, func(t *testing.T) {
			r := start(t, c.host, nil)
			if r.Mode() != c.mode {
				t.Errorf("mode %s, want %s", r.Mode(), c.mode)
			}
			if got := envNames(r.Env()); strings.Join(got, " ") != strings.Join(c.want, " ") {
				t.Errorf("Env names:\n got %v\nwant %v", got, c.want)
			}
			tenant := r.identities(t).tenant
			for name, want := range map[string]string{
				"IDENTITY_ENDPOINT":                 r.base + "/msi/token",
				"AZURE_POD_IDENTITY_AUTHORITY_HOST": r.base,
				"HTTP_PROXY":                        r.base,
				"MIPLAY_ISSUER":                     "https://sts.windows.net/" + tenant + "/",
				"MIPLAY_OPENID_CONFIGURATION":       r.base + "/" + tenant + "/.well-known/openid-configuration",
				"MIPLAY_JWKS_URI":                   r.base + "/common/discovery/keys",
				"MIPLAY_BLOB_STEMULATOR":            r.base + "/blob/stemulator",
				"MIPLAY_VAULT_KV_EMULATOR":          r.base + "/vault/kv-emulator",
				"WEBSITE_SITE_NAME":                 "app-web",
			} {
				if got, ok := r.env[name]; ok && got != want {
					t.Errorf("%s=%s, want %s", name, got, want)
				}
			}
		})
	}
}

func TestEnvWithoutDataPlanes(t *testing.T) {
	r := start(t, vmSys, func(c *Config) { c.DataPlanes = false })
	for _, name := range envNames(r.Env()) {
		if strings.HasPrefix(name, "MIPLAY_BLOB_") || strings.HasPrefix(name, "MIPLAY_VAULT_") {
			t.Errorf("%s without data planes", name)
		}
	}
	code, body := get(t, nil, r.base+"/blob/stemulator/docs/hello.txt")
	if code != http.StatusNotFound || !strings.Contains(body, "--data-planes") {
		t.Errorf("%d %s", code, body)
	}
}

// TestIdentityHeader checks that each start makes a new random header and
// installs it on the site: the old one stops working.
func TestIdentityHeader(t *testing.T) {
	a := start(t, appWeb, nil)
	b := start(t, appWeb, nil)
	ha, hb := a.env["IDENTITY_HEADER"], b.env["IDENTITY_HEADER"]
	if ha == hb || len(ha) != 36 || strings.Count(ha, "-") != 4 {
		t.Errorf("headers %q and %q: want two different random GUIDs", ha, hb)
	}
	var site string
	a.Cloud().Do(func(w *engine.World) {
		h, _ := w.Host(appWeb)
		site = h.Owner.Site.IdentityHeader
	})
	if site != ha {
		t.Errorf("site's IDENTITY_HEADER %q, want the printed %q", site, ha)
	}
	q := "?api-version=2019-08-01&resource=https://vault.azure.net"
	if code, body := get(t, nil, a.env["IDENTITY_ENDPOINT"]+q, "X-IDENTITY-HEADER", ha); code != http.StatusOK {
		t.Errorf("own header: %d %s", code, body)
	}
	if code, body := get(t, nil, a.env["IDENTITY_ENDPOINT"]+q, "X-IDENTITY-HEADER", hb); code != http.StatusUnauthorized {
		t.Errorf("another start's header: %d %s", code, body)
	}
	fixed := start(t, appWeb, func(c *Config) { c.IdentityHeader = "fixed-for-a-test" })
	if got := fixed.env["IDENTITY_HEADER"]; got != "fixed-for-a-test" {
		t.Errorf("configured header: %q", got)
	}
}

func TestUnknownHost(t *testing.T) {
	for _, as := range []string{"vm-nope", ""} {
		_, err := New(Config{Scenario: loadScenario(t), As: as, Addr: "127.0.0.1:1"})
		var he *HostError
		if !errors.As(err, &he) {
			t.Fatalf("As %q: %v, want a *HostError", as, err)
		}
		for _, w := range []string{"vm-sys (VM)", "vm-two (VM)", "app-web (web app)", "testdata/hosts.md"} {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("As %q: %q does not list %s", as, err, w)
			}
		}
	}
}

func TestScenarioWarnings(t *testing.T) {
	src := "---\ntitle: t\nlevel: beginner\nstart: 2026-01-15T09:00:00Z\n---\n\n# t\n\n```console\n" +
		"$ az group create -n rg -l westeurope -o none\n" +
		"$ az vm create -g rg -n vm-a --image Ubuntu2204 --generate-ssh-keys --assign-identity --only-show-errors -o none\n" +
		"$ date -u +%Y\n2026\n```\n"
	s, err := scenarios.Parse("t.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2031, 3, 4, 5, 6, 7, 890, time.UTC)
	e, err := New(Config{Scenario: s, As: "vm-a", Addr: "127.0.0.1:1", Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	w := strings.Join(e.Warnings(), "\n")
	if !strings.Contains(w, "start 2026-01-15T09:00:00Z ignored") || !strings.Contains(w, `t.md:12: date -u +%Y: want "2026", got "2031"`) {
		t.Errorf("warnings:\n%s", w)
	}
	var start time.Time
	e.Cloud().Do(func(w *engine.World) { start = w.Now() })
	if !start.Equal(now.Truncate(time.Second)) {
		t.Errorf("world starts at %v, want %v", start, now.Truncate(time.Second))
	}
	// A runner failure is an error, not a warning.
	bad, _ := scenarios.Parse("bad.md", []byte("---\ntitle: t\nlevel: beginner\n---\n\n# t\n\n```console\nvm-x$ hostname\nvm-x\n```\n"))
	if _, err := New(Config{Scenario: bad, As: "vm-x", Addr: "127.0.0.1:1"}); err == nil || !strings.Contains(err.Error(), "bad.md:9") {
		t.Errorf("unknown host in a step: %v", err)
	}
}

// TestClock checks that each request first moves the world to the wall
// clock, never backwards, so expires_on is real time plus 24 hours.
func TestClock(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2030, 6, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	set := func(t time.Time) { mu.Lock(); now = t; mu.Unlock() }
	r := start(t, vmSys, func(c *Config) { c.Now = clock })
	token := func(resource string) map[string]string {
		code, body := get(t, nil, r.base+"/metadata/identity/oauth2/token?api-version=2018-02-01&resource="+url.QueryEscape(resource), "Metadata", "true")
		if code != http.StatusOK {
			t.Fatalf("%d %s", code, body)
		}
		var m map[string]string
		json.Unmarshal([]byte(body), &m)
		return m
	}
	set(now.Add(90 * time.Minute))
	got := token("https://vault.azure.net")
	if want := now.Add(24 * time.Hour).Unix(); got["expires_on"] != itoa(want) || got["expires_in"] != "86400" {
		t.Errorf("expires_on %s expires_in %s, want %d and 86400", got["expires_on"], got["expires_in"], want)
	}
	// An hour later the cached token has an hour less.
	set(now.Add(time.Hour))
	if got := token("https://vault.azure.net"); got["expires_in"] != "82800" {
		t.Errorf("cached expires_in %s, want 82800", got["expires_in"])
	}
	// The wall clock going back does not move the world back.
	set(now.Add(-2 * time.Hour))
	if got := token("https://vault.azure.net"); got["expires_in"] != "82800" {
		t.Errorf("after the clock went back: expires_in %s, want 82800", got["expires_in"])
	}
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

func TestRouting(t *testing.T) {
	vm := start(t, vmSys, nil)
	app := start(t, appWeb, nil)
	proxy := func(base string) *http.Client {
		u, _ := url.Parse(base)
		return &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(u)}}
	}
	imdsQuery := "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/"
	for _, c := range []struct {
		name    string
		r       *running
		client  *http.Client
		url     string
		headers []string
		status  int
		body    string
	}{
		{"IMDS by path", vm, nil, vm.base + imdsQuery, []string{"Metadata", "true"}, 200, `"token_type":"Bearer"`},
		{"IMDS needs Metadata", vm, nil, vm.base + imdsQuery, nil, 400, "Required metadata header not specified"},
		{"IMDS through the proxy", vm, proxy(vm.base), "http://169.254.169.254" + imdsQuery, []string{"Metadata", "true"}, 200, `"token_type":"Bearer"`},
		{"IMDS refuses X-Forwarded-For", vm, nil, vm.base + imdsQuery, []string{"Metadata", "true", "X-Forwarded-For", "10.0.0.1"}, 400, "X-Forwarded-For"},
		{"the emulator's own URL through the proxy", vm, proxy(vm.base), "http://localhost" + vm.base[len("http://127.0.0.1"):] + imdsQuery, []string{"Metadata", "true"}, 200, `"token_type":"Bearer"`},
		{"a VM has no /msi/token", vm, nil, vm.base + "/msi/token?api-version=2019-08-01&resource=x", nil, 404, "its token endpoint is IMDS"},
		{"a web app has no IMDS", app, nil, app.base + imdsQuery, []string{"Metadata", "true"}, 404, "IMDS does not answer there"},
		{"a web app's IMDS through the proxy", app, proxy(app.base), "http://169.254.169.254" + imdsQuery, nil, 502, "not a general proxy"},
		{"App Service through the proxy", app, proxy(app.base), "http://169.254.255.2:8081/msi/token?api-version=2019-08-01&resource=https://vault.azure.net", []string{"X-IDENTITY-HEADER", app.env["IDENTITY_HEADER"]}, 200, `"token_type":"Bearer"`},
		{"not a general proxy", vm, proxy(vm.base), "http://example.com/", nil, 502, "not a general proxy: it answers http://169.254.169.254 only, as vm-sys sees it, not example.com"},
		{"another loopback port is not the emulator", vm, proxy(vm.base), "http://127.0.0.1:1/", nil, 502, "not a general proxy"},
		{"v1 discovery", vm, nil, vm.env["MIPLAY_OPENID_CONFIGURATION"], nil, 200, `"jwks_uri":"` + vm.base + `/common/discovery/keys"`},
		{"v2 discovery", vm, nil, vm.base + "/" + vm.env["MIPLAY_TENANT_ID"] + "/v2.0/.well-known/openid-configuration", nil, 200, `"jwks_uri":"` + vm.base + "/" + vm.env["MIPLAY_TENANT_ID"] + `/discovery/v2.0/keys"`},
		{"v2 issuer kept", vm, nil, vm.base + "/common/v2.0/.well-known/openid-configuration", nil, 200, `"issuer":"https://login.microsoftonline.com/{tenantid}/v2.0"`},
		{"v1 keys", vm, nil, vm.env["MIPLAY_JWKS_URI"], nil, 200, `"kty":"RSA"`},
		{"v2 keys", vm, nil, vm.base + "/common/discovery/v2.0/keys", nil, 200, `"issuer":"https://login.microsoftonline.com/{tenantid}/v2.0"`},
		{"unknown tenant", vm, nil, vm.base + "/contoso.example/.well-known/openid-configuration", nil, 400, "AADSTS90002"},
		{"Entra, not simulated", vm, nil, vm.base + "/common/oauth2/authorize", nil, 501, "not_simulated"},
		{"index", vm, nil, vm.base + "/", nil, 200, "serving vm-sys (VM) in IMDS mode"},
		{"unknown account", vm, nil, vm.base + "/blob/stnope/docs/x", nil, 404, `no storage account "stnope"; it has: stemulator`},
		{"unknown vault", vm, nil, vm.base + "/vault/kv-nope/secrets/x?api-version=7.4", nil, 404, `no key vault "kv-nope"; it has: kv-emulator`},
		{"Key Vault challenge", vm, nil, vm.env["MIPLAY_VAULT_KV_EMULATOR"] + "/secrets/greeting?api-version=7.4", nil, 401, "Request is missing a Bearer or PoP token."},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, body := get(t, c.client, c.url, c.headers...)
			if code != c.status || !strings.Contains(body, c.body) {
				t.Errorf("%d %s\nwant %d and %q", code, body, c.status, c.body)
			}
		})
	}
	if log := app.log.String(); !strings.Contains(log, "GET http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/ 502 [miplay] miplay emulate: miplay emulate is not a general proxy") {
		t.Errorf("log:\n%s", log)
	}
}

// TestHostCheck checks that only loopback names reach the endpoint unless
// remote access is allowed: a page that rebinds its name to 127.0.0.1
// still sends its own name as Host.
func TestHostCheck(t *testing.T) {
	for _, allow := range []bool{false, true} {
		r := start(t, vmSys, func(c *Config) { c.AllowRemote = allow })
		for host, local := range map[string]bool{"127.0.0.1:8080": true, "localhost": true, "[::1]:80": true, "evil.example:80": false, "10.1.2.3": false} {
			req := httptest.NewRequest(http.MethodGet, "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net", nil)
			req.Host = host
			req.Header.Set("Metadata", "true")
			rec := httptest.NewRecorder()
			r.Handler().ServeHTTP(rec, req)
			want := http.StatusOK
			if !local && !allow {
				want = http.StatusMisdirectedRequest
			}
			if rec.Code != want {
				t.Errorf("AllowRemote %v, Host %s: %d %s, want %d", allow, host, rec.Code, rec.Body, want)
			}
		}
	}
}

func TestConnectRefused(t *testing.T) {
	r := start(t, vmSys, nil)
	req := httptest.NewRequest(http.MethodConnect, "http://login.microsoftonline.com:443", nil)
	rec := httptest.NewRecorder()
	r.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusMethodNotAllowed || !strings.Contains(rec.Body.String(), "not HTTPS_PROXY") {
		t.Errorf("%d %s", rec.Code, rec.Body)
	}
}

// TestDataPlanes reads the scenario's blob and secret path-style with
// tokens from the emulator, as SDK clients with a custom endpoint do.
func TestDataPlanes(t *testing.T) {
	bearer := func(t *testing.T, tokenURL string, headers ...string) string {
		code, body := get(t, nil, tokenURL, headers...)
		if code != http.StatusOK {
			t.Fatalf("token: %d %s", code, body)
		}
		var tok struct {
			AccessToken string `json:"access_token"`
		}
		json.Unmarshal([]byte(body), &tok)
		return "Bearer " + tok.AccessToken
	}
	t.Run("blob", func(t *testing.T) {
		vm := start(t, vmSys, nil)
		auth := bearer(t, vm.base+"/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://storage.azure.com/", "Metadata", "true")
		blob := vm.env["MIPLAY_BLOB_STEMULATOR"] + "/docs/hello.txt"
		code, body := get(t, nil, blob, "Authorization", auth, "x-ms-version", "2023-11-03")
		if code != http.StatusOK || body != "hello from the emulator" {
			t.Errorf("%d %q", code, body)
		}
		// id-orders has no role on the account.
		auth = bearer(t, vm.base+"/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://storage.azure.com/&msi_res_id="+url.QueryEscape(vm.identities(t).users["id-orders"].ResourceID), "Metadata", "true")
		if code, body := get(t, nil, blob, "Authorization", auth, "x-ms-version", "2023-11-03"); code != http.StatusForbidden || !strings.Contains(body, "AuthorizationPermissionMismatch") {
			t.Errorf("without a role: %d %s", code, body)
		}
		if log := vm.log.String(); !strings.Contains(log, "GET /docs/hello.txt 200 [Blob]") || !strings.Contains(log, "GET /docs/hello.txt 403 [Blob]") {
			t.Errorf("log:\n%s", log)
		}
	})
	t.Run("vault", func(t *testing.T) {
		app := start(t, appWeb, nil)
		auth := bearer(t, app.env["IDENTITY_ENDPOINT"]+"?api-version=2019-08-01&resource=https://vault.azure.net", "X-IDENTITY-HEADER", app.env["IDENTITY_HEADER"])
		code, body := get(t, nil, app.env["MIPLAY_VAULT_KV_EMULATOR"]+"/secrets/greeting?api-version=7.4", "Authorization", auth)
		if code != http.StatusOK || !strings.Contains(body, `"value":"hello, app-web"`) {
			t.Errorf("%d %s", code, body)
		}
	})
}

func TestPublicKeysOnly(t *testing.T) {
	if err := publicKeysOnly([]byte(`{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB"}]}`)); err != nil {
		t.Errorf("public key: %v", err)
	}
	if err := publicKeysOnly([]byte(`{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB"},{"kty":"RSA","d":"x"}]}`)); err == nil || !strings.Contains(err.Error(), `key 2 has the private parameter "d"`) {
		t.Errorf("private key: %v", err)
	}
}

func TestRewriteDiscovery(t *testing.T) {
	in := `{"token_endpoint":"https://login.microsoftonline.com/t/oauth2/token","issuer":"https://login.microsoftonline.com/t/v2.0","x":"https://login.microsoftonline.com/common/discovery/keys","g":"https://graph.microsoft.com/oidc/userinfo"}`
	want := `{"token_endpoint":"http://127.0.0.1:9/t/oauth2/token","issuer":"https://login.microsoftonline.com/t/v2.0","x":"http://127.0.0.1:9/common/discovery/keys","g":"https://graph.microsoft.com/oidc/userinfo"}`
	if got := string(rewriteDiscovery([]byte(in), "http://127.0.0.1:9")); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// TestFreshKeys checks that each emulator signs with keys of its own, not
// the playground's published default keys, so its tokens cannot be forged.
func TestFreshKeys(t *testing.T) {
	a, b := start(t, "vm-sys", nil), start(t, "vm-sys", nil)
	_, jwksA := get(t, nil, a.env["MIPLAY_JWKS_URI"])
	_, jwksB := get(t, nil, b.env["MIPLAY_JWKS_URI"])
	for _, kid := range token.DefaultKeys().KeyIDs() {
		if strings.Contains(jwksA, kid) {
			t.Errorf("the emulator serves the default key %s", kid)
		}
	}
	if jwksA == jwksB {
		t.Errorf("two starts served the same keys")
	}
}

// TestLogStaysBounded checks that an emulator serving many requests keeps
// only the recent part of the world's log: memory does not grow with the
// number of requests served.
func TestLogStaysBounded(t *testing.T) {
	r := start(t, "app-web", nil)
	q := "?api-version=2019-08-01&resource=https://vault.azure.net"
	const requests = 4000
	for i := 0; i < requests; i++ {
		if code, body := get(t, nil, r.env["IDENTITY_ENDPOINT"]+q, "X-IDENTITY-HEADER", r.env["IDENTITY_HEADER"]); code != http.StatusOK {
			t.Fatalf("request %d: %d %s", i, code, body)
		}
	}
	var kept, total int
	r.cloud.Do(func(w *engine.World) { kept, total = len(w.Events(0)), w.NextSeq() })
	if total < 2*requests {
		t.Fatalf("%d requests recorded only %d events: the test does not reach the bound", requests, total)
	}
	if kept >= keepEvents+forgetBatch {
		t.Errorf("the world keeps %d of %d events, want fewer than %d", kept, total, keepEvents+forgetBatch)
	}
	if n := strings.Count(r.log.String(), "/msi/token"); n != requests {
		t.Errorf("%d log lines for %d requests", n, requests)
	}
}
