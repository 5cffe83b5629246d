package emulator

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// The Azure SDK for Go's ManagedIdentityCredential against the emulator on
// a real loopback listener, configured only as a user would: through the
// environment Env prints, or a proxy.

// sourceVars are the variables MSAL reads to pick a managed identity source.
var sourceVars = []string{
	"IDENTITY_ENDPOINT", "IDENTITY_HEADER", "IDENTITY_SERVER_THUMBPRINT",
	"MSI_ENDPOINT", "MSI_SECRET", "IMDS_ENDPOINT", "AZURE_POD_IDENTITY_AUTHORITY_HOST",
}

// clearSources empties every source variable for the test (MSAL treats an
// empty variable as unset).
func clearSources(t *testing.T) {
	for _, k := range sourceVars {
		t.Setenv(k, "")
	}
}

// sdkCase is one credential to try: the ID option and the claims its
// token must carry.
type sdkCase struct {
	name string
	id   azidentity.ManagedIDKind // nil for the default identity
	want func(ids identities, aud string) wantClaims
}

func sdkCases(ids identities, user string) []sdkCase {
	u := ids.users[user]
	system := func(ids identities, aud string) wantClaims { return ids.systemClaims(aud) }
	named := func(ids identities, aud string) wantClaims { return ids.userClaims(user, aud) }
	return []sdkCase{
		{"system-assigned", nil, system},
		{"ClientID", azidentity.ClientID(u.ClientID), named},
		{"ObjectID", azidentity.ObjectID(u.PrincipalID), named},
		{"ResourceID", azidentity.ResourceID(u.ResourceID), named},
	}
}

// getToken asks a ManagedIdentityCredential for a token for resource.
func getToken(id azidentity.ManagedIDKind, opts azcore.ClientOptions, resource string) (azcore.AccessToken, error) {
	cred, err := azidentity.NewManagedIdentityCredential(&azidentity.ManagedIdentityCredentialOptions{ID: id, ClientOptions: opts})
	if err != nil {
		return azcore.AccessToken{}, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{resource + "/.default"}})
}

// checkToken verifies an SDK token against the served keys and the world.
func checkToken(t *testing.T, v *validator, tok azcore.AccessToken, want wantClaims) {
	t.Helper()
	want.check(t, v.claims(t, tok.Token))
	// The SDK's expiry is the wall clock's now plus 24 hours.
	if d := time.Until(tok.ExpiresOn); d < 23*time.Hour+55*time.Minute || d > 24*time.Hour+time.Minute {
		t.Errorf("token expires in %v, want about 24h", d)
	}
}

func TestGoSDKAppService(t *testing.T) {
	r := start(t, appWeb, nil)
	clearSources(t)
	t.Setenv("IDENTITY_ENDPOINT", r.env["IDENTITY_ENDPOINT"])
	t.Setenv("IDENTITY_HEADER", r.env["IDENTITY_HEADER"])
	ids := r.identities(t)
	v := newValidator(t, r)
	for _, c := range sdkCases(ids, "id-orders") {
		t.Run(c.name, func(t *testing.T) {
			aud := freshResource()
			tok, err := getToken(c.id, azcore.ClientOptions{}, aud)
			if err != nil {
				t.Fatal(err)
			}
			checkToken(t, v, tok, c.want(ids, aud))
		})
	}
	if log := r.log.String(); !strings.Contains(log, "GET /msi/token?") || !strings.Contains(log, " 200 [App Service identity] The App Service token service asked Entra ID for a token") {
		t.Errorf("log:\n%s", log)
	}
}

func TestGoSDKAppServiceErrors(t *testing.T) {
	r := start(t, appWeb, nil)
	clearSources(t)
	t.Setenv("IDENTITY_ENDPOINT", r.env["IDENTITY_ENDPOINT"])
	ids := r.identities(t)
	for _, c := range []struct {
		name, header string
		id           azidentity.ManagedIDKind
		want         []string // in the SDK's error
	}{
		{"missing header", "", nil, []string{"401", `"message":"Unauthorized: the X-IDENTITY-HEADER header is missing or does not match IDENTITY_HEADER."`}},
		// azcore prints the body indented.
		{"wrong header", "not-the-header", nil, []string{"RESPONSE 401: 401 Unauthorized", `"statusCode": 401`,
			`"message": "Unauthorized: the X-IDENTITY-HEADER header is missing or does not match IDENTITY_HEADER."`}},
		{"unknown client ID", r.env["IDENTITY_HEADER"], azidentity.ClientID(ids.users["id-billing"].ClientID),
			[]string{"RESPONSE 400: 400 Bad Request", `"statusCode": 400`, `"message": "Unable to load the proper Managed Identity."`}},
		{"unknown object ID", r.env["IDENTITY_HEADER"], azidentity.ObjectID("00000000-0000-0000-0000-000000000001"),
			[]string{"RESPONSE 400: 400 Bad Request", `"message": "Unable to load the proper Managed Identity."`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			// MSAL picks App Service only when IDENTITY_HEADER is set; a
			// header-less client is a raw request.
			if c.header == "" {
				code, body := get(t, nil, r.env["IDENTITY_ENDPOINT"]+"?api-version=2019-08-01&resource=https://vault.azure.net")
				if code != http.StatusUnauthorized || !strings.Contains(body, c.want[1][len(`"message":"`):len(c.want[1])-1]) {
					t.Errorf("%d %s", code, body)
				}
				return
			}
			t.Setenv("IDENTITY_HEADER", c.header)
			_, err := getToken(c.id, azcore.ClientOptions{}, freshResource())
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not contain %q:\n%v", w, err)
				}
			}
		})
	}
	log := r.log.String()
	for _, w := range []string{
		" 401 [App Service identity] The App Service token service refused: X-IDENTITY-HEADER does not match",
		" 400 [App Service identity] The App Service token service refused: the identity the request names (client ID " + ids.users["id-billing"].ClientID + ") is not assigned to app-web.",
	} {
		if !strings.Contains(log, w) {
			t.Errorf("log does not contain %q:\n%s", w, log)
		}
	}
}

// proxied returns client options whose transport sends every request
// through the emulator as an HTTP proxy, as HTTP_PROXY does.
func proxied(t *testing.T, base string) azcore.ClientOptions {
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	return azcore.ClientOptions{Transport: &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(u)}}}
}

func TestGoSDKIMDSProxy(t *testing.T) {
	r := start(t, vmSys, nil)
	clearSources(t)
	ids := r.identities(t)
	v := newValidator(t, r)
	opts := proxied(t, r.env["HTTP_PROXY"])
	for _, user := range []string{"id-orders", "id-billing"} {
		for _, c := range sdkCases(ids, user) {
			if c.id == nil && user != "id-orders" {
				continue
			}
			t.Run(user+"/"+c.name, func(t *testing.T) {
				aud := freshResource()
				tok, err := getToken(c.id, opts, aud)
				if err != nil {
					t.Fatal(err)
				}
				checkToken(t, v, tok, c.want(ids, aud))
			})
		}
	}
	if log := r.log.String(); !strings.Contains(log, "GET /metadata/identity/oauth2/token?") || !strings.Contains(log, " 200 [IMDS] IMDS asked Entra ID for a token for the user-assigned identity id-billing") {
		t.Errorf("log:\n%s", log)
	}
}

// notAssigned is how azidentity reports IMDS's 400 for a user-assigned ID.
var notAssigned = []string{
	"ManagedIdentityCredential authentication failed. the requested identity isn't assigned to this resource",
	"GET http://169.254.169.254/metadata/identity/oauth2/token",
	"RESPONSE 400: 400 Bad Request",
	`"error": "invalid_request"`,
	`"error_description": "Identity not found"`,
}

func TestGoSDKIMDSErrors(t *testing.T) {
	r := start(t, vmTwo, nil)
	clearSources(t)
	ids := r.identities(t)
	opts := proxied(t, r.env["HTTP_PROXY"])
	for _, c := range []struct {
		name string
		id   azidentity.ManagedIDKind
		want []string
	}{
		// azidentity: 400 for the system-assigned identity is "failed to
		// authenticate a system assigned identity. The endpoint responded
		// with" the body.
		{"several identities without a selector", nil, []string{
			"failed to authenticate a system assigned identity. The endpoint responded with",
			`{"error":"invalid_request","error_description":"Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request"}`}},
		// 400 for a user-assigned ID: "the requested identity isn't
		// assigned to this resource", then the response as azcore shows it.
		{"unknown client ID", azidentity.ClientID("00000000-0000-0000-0000-0000000000c1"), notAssigned},
		{"unknown resource ID", azidentity.ResourceID(strings.Replace(ids.users["id-orders"].ResourceID, "id-orders", "id-nobody", 1)), notAssigned},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := getToken(c.id, opts, freshResource())
			if err == nil {
				t.Fatal("no error")
			}
			t.Logf("the SDK says:\n%v", err)
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not contain %q:\n%v", w, err)
				}
			}
		})
	}
	log := r.log.String()
	for _, w := range []string{
		" 400 [IMDS] IMDS refused: vm-two has no system-assigned identity and several user-assigned ones",
		" 400 [IMDS] IMDS refused: the identity the request names (client ID 00000000-0000-0000-0000-0000000000c1) is not assigned to vm-two.",
	} {
		if !strings.Contains(log, w) {
			t.Errorf("log does not contain %q:\n%s", w, log)
		}
	}
}

// helperEnv marks the test binary run as the HTTP_PROXY helper.
const helperEnv = "MIPLAY_EMULATOR_SDK_HELPER"

// TestGoSDKHTTPProxyEnv proves the recipe that needs no code change: the
// printed environment, HTTP_PROXY among it, in a fresh process, whose azcore
// transport reads HTTP_PROXY once at its first request. The test binary runs
// itself as that process.
func TestGoSDKHTTPProxyEnv(t *testing.T) {
	if os.Getenv(helperEnv) == "1" {
		sdkHelper()
		return
	}
	if testing.Short() {
		t.Skip("runs a subprocess")
	}
	r := start(t, vmSys, nil)
	ids := r.identities(t)
	v := newValidator(t, r)
	for _, c := range []struct {
		name, clientID string
		want           func(aud string) wantClaims
	}{
		{"system-assigned", "", ids.systemClaims},
		{"ClientID", ids.users["id-billing"].ClientID, func(aud string) wantClaims { return ids.userClaims("id-billing", aud) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			aud := freshResource()
			cmd := exec.Command(os.Args[0], "-test.run=^TestGoSDKHTTPProxyEnv$", "-test.count=1")
			// The environment as a user who sourced the printed exports has it.
			cmd.Env = append(withoutVars(os.Environ(), append(sourceVars, "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy", "HTTPS_PROXY", "https_proxy")...), r.Env()...)
			cmd.Env = append(cmd.Env, helperEnv+"=1", "HELPER_RESOURCE="+aud, "HELPER_CLIENT_ID="+c.clientID)
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			var got struct{ Token, Error string }
			line := out[:strings.IndexByte(string(out), '\n')+1]
			if err := json.Unmarshal(line, &got); err != nil || got.Error != "" {
				t.Fatalf("helper: %v %s\n%s", err, got.Error, out)
			}
			c.want(aud).check(t, v.claims(t, got.Token))
		})
	}
	if log := r.log.String(); !strings.Contains(log, " 200 [IMDS] ") {
		t.Errorf("log:\n%s", log)
	}
}

// sdkHelper is the subprocess: a program that uses the SDK with no options
// at all, and prints {"token"} or {"error"} as its first line.
func sdkHelper() {
	var id azidentity.ManagedIDKind
	if c := os.Getenv("HELPER_CLIENT_ID"); c != "" {
		id = azidentity.ClientID(c)
	}
	tok, err := getToken(id, azcore.ClientOptions{}, os.Getenv("HELPER_RESOURCE"))
	out := map[string]string{"token": tok.Token}
	if err != nil {
		out = map[string]string{"error": err.Error()}
	}
	b, _ := json.Marshal(out)
	os.Stdout.Write(append(b, '\n'))
}

// withoutVars returns env without the named variables.
func withoutVars(env []string, names ...string) []string {
	var out []string
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		keep := true
		for _, n := range names {
			if k == n {
				keep = false
			}
		}
		if keep {
			out = append(out, kv)
		}
	}
	return out
}
