package azure

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/miplay/miplay/engine/token"
)

// TestBadTokens sends each kind of bad token to the three data planes;
// each refuses it in its own words. The identity holds every data role, so
// only the token can be at fault.
func TestBadTokens(t *testing.T) {
	f := newDataFixture(t)
	f.assign(f.st.ID, "Storage Blob Data Owner")
	f.assign(f.kv.ID, "Key Vault Secrets User")
	f.assign(f.sb.ID, "Azure Service Bus Data Owner")
	tenant := f.w.Tenant.ID

	storageDetail := map[token.FailureKind]string{
		token.WrongAudience:        "Audience validation failed. Audience did not match.",
		token.Expired:              "Lifetime validation failed. The token is expired.",
		token.BadSignature:         "Signature validation failed. Signature verification failed.",
		token.UnsupportedAlgorithm: "Signature validation failed. The token's signing algorithm is not supported.",
		token.NotYetValid:          "Lifetime validation failed. The token is not yet valid.",
		token.WrongIssuer:          "Issuer validation failed. Issuer did not match.",
	}
	vaultMessage := map[token.FailureKind]string{
		token.WrongAudience:        "AKV10022: Invalid audience. Expected https://vault.azure.net, found: https://management.azure.com/.",
		token.Expired:              "[TokenExpired] Error validating token: 'S2S12086'.",
		token.BadSignature:         "Error validating token: IDX10511",
		token.UnsupportedAlgorithm: "Error validating token: IDX10511",
		token.NotYetValid:          "Error validating token: IDX10222",
		token.WrongIssuer:          "AKV10032: Invalid issuer. Expected one of https://sts.windows.net/" + tenant + "/, found https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/.",
	}
	sbDetail := map[token.FailureKind]string{
		token.WrongAudience:        "InvalidAudience: The token audience is invalid.",
		token.Expired:              "ExpiredToken: The token is expired. Expiration time: '2026-01-15 07:00:00Z'.",
		token.BadSignature:         "InvalidSignature: The token has an invalid signature.",
		token.UnsupportedAlgorithm: "InvalidSignature: The token has an invalid signature.",
		token.NotYetValid:          "claim is empty or token is invalid.",
		token.WrongIssuer:          "InvalidIssuer: Token issuer is invalid.",
	}

	services := []struct {
		name, resource string
		send           func(tok string) (*http.Response, string)
		want           func(kind token.FailureKind, resp *http.Response) (int, string)
	}{
		{"Blob", "https://storage.azure.com/",
			func(tok string) (*http.Response, string) {
				return f.do("GET", blobHost+"/docs/hello.txt", hdr("Authorization", bearer(tok), "x-ms-version", blobVersion), "")
			},
			func(kind token.FailureKind, resp *http.Response) (int, string) {
				return 401, storageError("InvalidAuthenticationInfo", blobChallenged, resp.Header.Get("x-ms-request-id"),
					"<AuthenticationErrorDetail>"+strings.ReplaceAll(storageDetail[kind], "'", "'")+"</AuthenticationErrorDetail>")
			}},
		{"Key Vault", "https://vault.azure.net",
			func(tok string) (*http.Response, string) {
				return f.do("GET", vaultHost+"/secrets/db-password?api-version=7.4", hdr("Authorization", bearer(tok)), "")
			},
			func(kind token.FailureKind, _ *http.Response) (int, string) {
				return 401, `{"error":{"code":"Unauthorized","message":"` + vaultMessage[kind] + `"}}`
			}},
		{"Service Bus", "https://servicebus.azure.net",
			func(tok string) (*http.Response, string) {
				return f.do("POST", sbHost+"/orders/messages", hdr("Authorization", bearer(tok)), "hi")
			},
			func(kind token.FailureKind, _ *http.Response) (int, string) {
				return 401, sbError("401", sbDetail[kind])
			}},
	}
	for _, svc := range services {
		// The good token works.
		if resp, body := svc.send(f.token(svc.resource)); resp.StatusCode/100 != 2 {
			t.Fatalf("%s, good token: %d %s", svc.name, resp.StatusCode, body)
		}
		for _, bad := range f.badTokens(svc.resource) {
			t.Run(svc.name+"/"+bad.name, func(t *testing.T) {
				resp, body := svc.send(bad.raw)
				status, want := svc.want(bad.kind, resp)
				ok := resp.StatusCode == status && body == want
				if svc.name == "Service Bus" {
					ok = resp.StatusCode == status && strings.HasPrefix(body, want) && strings.HasSuffix(body, sbTail)
				}
				if !ok {
					t.Errorf("%d %s\nwant %d %s", resp.StatusCode, body, status, want)
				}
				if svc.name != "Service Bus" && !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer ") {
					t.Errorf("no bearer challenge: %q", resp.Header.Get("WWW-Authenticate"))
				}
				if d := f.lastDecision(); !strings.Contains(d, "refused: the bearer token is not valid for") {
					t.Errorf("decision = %q", d)
				}
			})
		}
	}

	// A token that has expired on the simulated clock, not a crafted one.
	tok := f.token("https://storage.azure.com/")
	if err := f.w.Advance(25 * time.Hour); err != nil {
		t.Fatal(err)
	}
	resp, body := f.do("GET", blobHost+"/docs/hello.txt", hdr("Authorization", bearer(tok), "x-ms-version", blobVersion), "")
	if resp.StatusCode != 401 || !strings.Contains(body, "<AuthenticationErrorDetail>Lifetime validation failed. The token is expired.</AuthenticationErrorDetail>") {
		t.Errorf("token expired by the clock: %d %s", resp.StatusCode, body)
	}
}
