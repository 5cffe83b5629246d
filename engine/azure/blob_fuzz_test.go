package azure

import (
	"net/http"
	"testing"
	"time"
)

// FuzzBearer feeds arbitrary Authorization header values to the three data
// planes. The identity holds no role, so whatever arrives, each must refuse
// it with an error body and a status that says so: from Key Vault 401 (403
// for a valid token); from Service Bus 401; from Blob 401 for a bad token,
// 403 for a bad signature or a valid token, 400 for a header of no known
// form, 501 for Shared Key Lite (not simulated).
func FuzzBearer(f *testing.F) {
	seed := newDataFixture(f)
	for _, s := range []string{
		"", "Bearer", "Bearer ", "bearer x", "Bearer a.b.c", "Bearer ..", "Bearer e30.e30.", "Bearer eyJhbGciOiJub25lIn0.e30.",
		"Bearer " + seed.token("https://storage.azure.com/"),
		"Bearer " + seed.token("https://vault.azure.net"),
		"Bearer " + seed.token("https://servicebus.azure.net"),
		"SharedKey stdata:c2ln", "SharedKey :", "SharedKey stdata", "SharedKeyLite stdata:c2ln", "Basic dTpw",
		"SharedAccessSignature sr=a&sig=b&se=1&skn=RootManageSharedAccessKey",
		ServiceBusSAS("https://sb-data-ns.servicebus.windows.net/orders", "RootManageSharedAccessKey", "x", time.Unix(1<<40, 0)),
		"SharedAccessSignature sr=%zz&sig=%&se=-1&skn=", "SharedAccessSignature &&&==",
	} {
		f.Add(s)
	}
	// One world serves many inputs; a fresh one now and then keeps its log
	// from growing without bound.
	var d *dataFixture
	runs := 0
	f.Fuzz(func(t *testing.T, auth string) {
		if runs%500 == 0 {
			d = newDataFixture(t)
		}
		runs++
		d.t = t
		for _, c := range []struct {
			method, url string
			allowed     map[int]bool
		}{
			{"GET", blobHost + "/docs/hello.txt", map[int]bool{400: true, 401: true, 403: true, 501: true}},
			{"GET", vaultHost + "/secrets/db-password?api-version=7.4", map[int]bool{401: true, 403: true}},
			{"POST", sbHost + "/orders/messages", map[int]bool{401: true}},
		} {
			h := http.Header{"X-Ms-Version": {blobVersion}}
			if auth != "" {
				h["Authorization"] = []string{auth}
			}
			resp, body := d.do(c.method, c.url, h, "x")
			if !c.allowed[resp.StatusCode] || body == "" {
				t.Errorf("%s %s with Authorization %q: %d %q", c.method, c.url, auth, resp.StatusCode, body)
			}
			if d.lastDecision() == "" {
				t.Errorf("%s %s with Authorization %q: no decision recorded", c.method, c.url, auth)
			}
		}
	})
}
