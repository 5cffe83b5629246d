package emulator

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The Azure SDK for JavaScript's ManagedIdentityCredential
// (@azure/identity, the version pinned in testdata/js/package-lock.json)
// on the machine's Node.js, configured only by the environment Env prints.

const jsDir = "testdata/js"

// requireNode reports whether a missing Node.js or npm must fail the test
// rather than skip it, as in CI.
func requireNode() bool { return os.Getenv("MIPLAY_REQUIRE_NODE") == "1" }

// nodeOrSkip returns the path of node, having installed the pinned
// @azure/identity into testdata/js/node_modules if it is not there yet.
func nodeOrSkip(t *testing.T) string {
	t.Helper()
	unavailable := func(format string, args ...any) {
		t.Helper()
		msg := "JS SDK test: " + strings.TrimSpace(strings.ReplaceAll(fmt.Sprintf(format, args...), "\n", " "))
		if requireNode() {
			t.Fatal(msg + " (MIPLAY_REQUIRE_NODE=1 makes this an error)")
		}
		t.Skip(msg + "; install Node.js 20 or later and npm (apt-get install nodejs npm), or set MIPLAY_REQUIRE_NODE=1 to make this an error")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		unavailable("node not found on PATH")
	}
	if installedVersion() == pinnedVersion(t) {
		return node
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		unavailable("npm not found on PATH")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	// npm ci installs exactly what package-lock.json pins.
	cmd := exec.CommandContext(ctx, npm, "ci", "--no-audit", "--no-fund", "--loglevel=error")
	cmd.Dir = jsDir
	if out, err := cmd.CombinedOutput(); err != nil {
		unavailable("npm ci in %s: %v: %s", jsDir, err, out)
	}
	if got, want := installedVersion(), pinnedVersion(t); got != want {
		t.Fatalf("npm ci installed @azure/identity %q, want %q", got, want)
	}
	return node
}

// pinnedVersion is the @azure/identity version package.json pins.
func pinnedVersion(t *testing.T) string {
	var pkg struct {
		Dependencies map[string]string `json:"dependencies"`
	}
	b, err := os.ReadFile(filepath.Join(jsDir, "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &pkg); err != nil {
		t.Fatal(err)
	}
	return pkg.Dependencies["@azure/identity"]
}

// installedVersion is the version in node_modules, or "".
func installedVersion() string {
	var pkg struct{ Version string }
	b, err := os.ReadFile(filepath.Join(jsDir, "node_modules", "@azure", "identity", "package.json"))
	if err != nil || json.Unmarshal(b, &pkg) != nil {
		return ""
	}
	return pkg.Version
}

// jsCase is one credential for mi.mjs.
type jsCase struct {
	Name     string            `json:"name"`
	Options  map[string]string `json:"options"`
	Resource string            `json:"resource"`
}

// jsResult is what mi.mjs printed for a case.
type jsResult struct {
	Name               string `json:"name"`
	Token              string `json:"token"`
	ExpiresOnTimestamp int64  `json:"expiresOnTimestamp"`
	ErrorName          string `json:"errorName"`
	Error              string `json:"error"`
}

// runJS runs mi.mjs with the emulator's environment (and extra NAME=value
// pairs) and returns its results by case name.
func runJS(t *testing.T, node string, r *running, cases []jsCase, extra ...string) map[string]jsResult {
	t.Helper()
	b, _ := json.Marshal(cases)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "mi.mjs")
	cmd.Dir = jsDir
	env := withoutVars(os.Environ(), append(sourceVars, "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy", "AZURE_CLIENT_ID", "AZURE_LOG_LEVEL")...)
	env = append(env, r.Env()...)
	cmd.Env = append(append(env, extra...), "MIPLAY_JS_CASES="+string(b))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node mi.mjs: %v\n%s", err, stderr.String())
	}
	var results []jsResult
	if err := json.Unmarshal(out, &results); err != nil {
		t.Fatalf("node mi.mjs printed %q: %v\n%s", out, err, stderr.String())
	}
	byName := map[string]jsResult{}
	for _, res := range results {
		byName[res.Name] = res
	}
	return byName
}

// checkJSToken verifies a JS SDK token and its expiry.
func checkJSToken(t *testing.T, v *validator, res jsResult, want wantClaims) {
	t.Helper()
	if res.Error != "" {
		t.Errorf("%s: %s: %s", res.Name, res.ErrorName, res.Error)
		return
	}
	want.check(t, v.claims(t, res.Token))
	if d := time.Until(time.UnixMilli(res.ExpiresOnTimestamp)); d < 23*time.Hour+55*time.Minute || d > 24*time.Hour+time.Minute {
		t.Errorf("%s: token expires in %v, want about 24h", res.Name, d)
	}
}

// checkJSError checks that a case failed with every fragment in its message.
func checkJSError(t *testing.T, res jsResult, fragments ...string) {
	t.Helper()
	if res.Error == "" {
		t.Errorf("%s: got a token, want an error", res.Name)
		return
	}
	t.Logf("%s: the SDK says %s: %s", res.Name, res.ErrorName, res.Error)
	for _, f := range fragments {
		if !strings.Contains(res.Error, f) {
			t.Errorf("%s: the SDK's error does not contain %q:\n%s: %s", res.Name, f, res.ErrorName, res.Error)
		}
	}
}

func TestJSSDK(t *testing.T) {
	node := nodeOrSkip(t)

	t.Run("IMDS", func(t *testing.T) {
		r := start(t, vmSys, nil)
		ids := r.identities(t)
		v := newValidator(t, r)
		orders, billing := ids.users["id-orders"], ids.users["id-billing"]
		cases := []jsCase{
			{"system-assigned", nil, freshResource()},
			{"clientId", map[string]string{"clientId": orders.ClientID}, freshResource()},
			{"resourceId", map[string]string{"resourceId": billing.ResourceID}, freshResource()},
			{"objectId", map[string]string{"objectId": billing.PrincipalID}, freshResource()},
			{"unknown clientId", map[string]string{"clientId": "00000000-0000-0000-0000-0000000000c1"}, freshResource()},
		}
		got := runJS(t, node, r, cases)
		checkJSToken(t, v, got["system-assigned"], ids.systemClaims(cases[0].Resource))
		checkJSToken(t, v, got["clientId"], ids.userClaims("id-orders", cases[1].Resource))
		checkJSToken(t, v, got["resourceId"], ids.userClaims("id-billing", cases[2].Resource))
		checkJSToken(t, v, got["objectId"], ids.userClaims("id-billing", cases[3].Resource))
		checkJSError(t, got["unknown clientId"], "ManagedIdentityCredential: Authentication failed. Message invalid_request", "Description: Identity not found")
		log := r.log.String()
		for _, w := range []string{"GET /metadata/identity/oauth2/token?", "client_id=" + orders.ClientID, "msi_res_id=", "object_id=" + billing.PrincipalID, " 200 [IMDS] ", " 400 [IMDS] IMDS refused: the identity the request names (client ID 00000000-0000-0000-0000-0000000000c1)"} {
			if !strings.Contains(log, w) {
				t.Errorf("log does not contain %q:\n%s", w, log)
			}
		}
	})

	t.Run("IMDS several identities", func(t *testing.T) {
		r := start(t, vmTwo, nil)
		ids := r.identities(t)
		v := newValidator(t, r)
		cases := []jsCase{
			{"no selector", nil, freshResource()},
			{"clientId", map[string]string{"clientId": ids.users["id-billing"].ClientID}, freshResource()},
		}
		got := runJS(t, node, r, cases)
		checkJSError(t, got["no selector"], "Message invalid_request", "Description: Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request")
		checkJSToken(t, v, got["clientId"], ids.userClaims("id-billing", cases[1].Resource))
	})

	t.Run("App Service", func(t *testing.T) {
		r := start(t, appWeb, nil)
		ids := r.identities(t)
		v := newValidator(t, r)
		orders := ids.users["id-orders"]
		cases := []jsCase{
			{"system-assigned", nil, freshResource()},
			{"clientId", map[string]string{"clientId": orders.ClientID}, freshResource()},
			{"resourceId", map[string]string{"resourceId": orders.ResourceID}, freshResource()},
			{"objectId", map[string]string{"objectId": orders.PrincipalID}, freshResource()},
			{"unassigned clientId", map[string]string{"clientId": ids.users["id-billing"].ClientID}, freshResource()},
		}
		got := runJS(t, node, r, cases)
		checkJSToken(t, v, got["system-assigned"], ids.systemClaims(cases[0].Resource))
		checkJSToken(t, v, got["clientId"], ids.userClaims("id-orders", cases[1].Resource))
		checkJSToken(t, v, got["resourceId"], ids.userClaims("id-orders", cases[2].Resource))
		checkJSToken(t, v, got["objectId"], ids.userClaims("id-orders", cases[3].Resource))
		checkJSError(t, got["unassigned clientId"], "Description: Unable to load the proper Managed Identity. - Correlation ID: ")
		if log := r.log.String(); !strings.Contains(log, " 200 [App Service identity] ") || !strings.Contains(log, "mi_res_id=") {
			t.Errorf("log:\n%s", log)
		}

		wrong := runJS(t, node, r, []jsCase{{"wrong header", nil, freshResource()}}, "IDENTITY_HEADER=not-the-header")
		checkJSError(t, wrong["wrong header"], "Description: Unauthorized: the X-IDENTITY-HEADER header is missing or does not match IDENTITY_HEADER.")
	})
}
