package azure

// The fixture shared by the data-plane tests (Blob, Key Vault, Service
// Bus): a world with one of each, a VM whose identity asks for tokens, and
// hand-made bad tokens.

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/miplay/miplay/engine"
	"github.com/miplay/miplay/engine/token"
)

const (
	testAccount = "stdata"
	testVault   = "kv-data"
	testNS      = "sb-data-ns"
	blobHost    = "https://" + testAccount + ".blob.core.windows.net"
	vaultHost   = "https://" + testVault + ".vault.azure.net"
	sbHost      = "https://" + testNS + ".servicebus.windows.net"
	// testTime is when the fixture's world starts, as Storage writes it.
	testTime = "2026-01-15T09:00:00.0000000Z"
	testDate = "Thu, 15 Jan 2026 09:00:00 GMT"
)

type dataFixture struct {
	t     testing.TB
	w     *engine.World
	cloud *Cloud
	st    *engine.Resource
	kv    *engine.Resource
	sb    *engine.Resource
	vm    *engine.Resource
	host  engine.Host
	mi    *engine.SystemIdentity
}

func newDataFixture(t testing.TB) *dataFixture {
	t.Helper()
	w := engine.New(engine.Options{Seed: 7})
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err := w.CreateResourceGroup("rg-data", "westeurope")
	must(err)
	f := &dataFixture{t: t, w: w}
	f.st, err = w.CreateStorageAccount(engine.ResourceSpec{Group: "rg-data", Name: testAccount})
	must(err)
	f.kv, err = w.CreateKeyVault(engine.ResourceSpec{Group: "rg-data", Name: testVault})
	must(err)
	f.sb, err = w.CreateServiceBusNamespace(engine.ResourceSpec{Group: "rg-data", Name: testNS})
	must(err)
	f.vm, err = w.CreateVM(engine.ResourceSpec{Group: "rg-data", Name: "vm-app"})
	must(err)
	f.mi, err = w.EnableSystemAssigned(f.vm.ID)
	must(err)
	_, err = w.CreateContainer(f.st, "docs")
	must(err)
	b, err := w.PutBlob(f.st, "docs", "hello.txt", []byte("hello, world\n"))
	must(err)
	b.ContentType = "text/plain"
	_, err = w.SetSecret(f.kv, "db-password", "s3cret")
	must(err)
	_, err = w.CreateQueue(f.sb, "orders")
	must(err)
	f.host, _ = w.Host("vm-app")
	f.cloud = New(w)
	return f
}

// token gets the VM's identity a token for resource, as IMDS would.
func (f *dataFixture) token(resource string) string {
	f.t.Helper()
	tok, _, err := f.w.ManagedIdentityToken(f.host, engine.Selector{}, resource, engine.ViaIMDS)
	if err != nil {
		f.t.Fatal(err)
	}
	return tok.Raw
}

// assign gives the VM's identity a role.
func (f *dataFixture) assign(scope, role string) {
	f.t.Helper()
	if _, err := f.w.AssignRole(scope, role, f.mi.PrincipalID, ""); err != nil {
		f.t.Fatal(err)
	}
}

// do sends a request from the VM and returns the response and its body.
func (f *dataFixture) do(method, url string, header http.Header, body string) (*http.Response, string) {
	f.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		f.t.Fatal(err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := f.cloud.Client("vm-app").Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// lastDecision is the decision recorded for the last exchange.
func (f *dataFixture) lastDecision() string {
	ev := f.w.Events(0)
	for i := len(ev) - 1; i >= 0; i-- {
		if rs, ok := ev[i].(*engine.RequestServed); ok {
			return rs.Exchange.Decision
		}
	}
	return ""
}

func hdr(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Set(kv[i], kv[i+1])
	}
	return h
}

func bearer(tok string) string { return "Bearer " + tok }

// claimsOf decodes a token's claims.
func claimsOf(t testing.TB, raw string) token.Claims {
	t.Helper()
	_, c, err := token.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// badTokens are tokens every data-plane service must refuse, built by
// hand from a good managed-identity token for resource.
type badToken struct {
	name string
	raw  string
	kind token.FailureKind
}

func (f *dataFixture) badTokens(resource string) []badToken {
	t := f.t
	t.Helper()
	good := f.token(resource)
	c := claimsOf(t, good)
	signer := token.NewSigner(f.w.Keys())
	sign := func(change func(*token.Claims)) string {
		t.Helper()
		cc := c
		change(&cc)
		raw, err := signer.Sign(cc)
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}
	parts := strings.Split(good, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(string(payload), `"oid":"`, `"oid":"0`, 1))) + "." + parts[2]

	kid := f.w.Keys().KeyIDs()[0]
	craft := func(header string, sig func(ss string) []byte) string {
		ss := base64.RawURLEncoding.EncodeToString([]byte(header)) + "." + parts[1]
		var s []byte
		if sig != nil {
			s = sig(ss)
		}
		return ss + "." + base64.RawURLEncoding.EncodeToString(s)
	}
	// HS256 keyed with the signing key's public PEM, taken from the
	// published JWKS: the classic algorithm-confusion attack.
	pubPEM := publicPEM(t, f.w.Keys().JWKS())
	hs256 := craft(`{"typ":"JWT","alg":"HS256","x5t":"`+kid+`","kid":"`+kid+`"}`, func(ss string) []byte {
		s, err := jwt.SigningMethodHS256.Sign(ss, pubPEM)
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
	now := f.w.Now()
	return []badToken{
		{"ARM token (wrong audience)", f.token("https://management.azure.com/"), token.WrongAudience},
		{"expired", sign(func(c *token.Claims) {
			c.IssuedAt, c.NotBefore, c.ExpiresAt = now.Add(-26*time.Hour).Unix(), now.Add(-26*time.Hour).Unix(), now.Add(-2*time.Hour).Unix()
		}), token.Expired},
		{"tampered", tampered, token.BadSignature},
		{"alg none", craft(`{"typ":"JWT","alg":"none"}`, nil), token.UnsupportedAlgorithm},
		{"HS256 with the public key", hs256, token.UnsupportedAlgorithm},
		{"not yet valid", sign(func(c *token.Claims) {
			c.IssuedAt, c.NotBefore, c.ExpiresAt = now.Add(time.Hour).Unix(), now.Add(time.Hour).Unix(), now.Add(25*time.Hour).Unix()
		}), token.NotYetValid},
		{"wrong issuer", sign(func(c *token.Claims) {
			c.Issuer = "https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/"
		}), token.WrongIssuer},
	}
}

// publicPEM returns the first published key as a PEM "PUBLIC KEY" block.
func publicPEM(t testing.TB, jwks []byte) []byte {
	t.Helper()
	var doc struct {
		Keys []struct {
			X5c []string `json:"x5c"`
		} `json:"keys"`
	}
	if err := json.Unmarshal(jwks, &doc); err != nil {
		t.Fatal(err)
	}
	der, err := base64.StdEncoding.DecodeString(doc.Keys[0].X5c[0])
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := x509.MarshalPKIXPublicKey(cert.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub})
}

// checkHeaders compares the headers named in want.
func checkHeaders(t *testing.T, resp *http.Response, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if got := resp.Header.Get(k); got != v {
			t.Errorf("header %s = %q, want %q", k, got, v)
		}
	}
}
