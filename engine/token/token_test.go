package token

import (
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"math/big"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const (
	testTenant = "72f988bf-86f1-41af-91ab-2d7cd011db47"
	testIssuer = "https://sts.windows.net/" + testTenant + "/"
	testAud    = "https://storage.azure.com/"
)

// testNow is the simulated time at which test tokens are issued.
var testNow = time.Date(2025, 9, 12, 14, 30, 0, 0, time.UTC)

// miClaims returns the claims of a user-assigned managed identity's token
// issued at testNow, shaped like the real capture in the reference.
func miClaims() Claims {
	issued := testNow.Unix()
	return Claims{
		Audience:        testAud,
		Issuer:          testIssuer,
		IssuedAt:        issued - 300,
		NotBefore:       issued - 300,
		ExpiresAt:       issued + 86400,
		AIO:             "k2BgYDDgbUu/9+3wVq8Nm4cuA5MB",
		AppID:           "0d4a3e1b-7a43-4f5e-9c1c-3a1f2b6c8d90",
		AppIDACR:        "2",
		IdP:             testIssuer,
		IDType:          "app",
		ObjectID:        "9b2d6c4e-1f0a-4c3b-8e7d-5a6f7b8c9d0e",
		RH:              "0.AVEAv4j5cvGGr0GRqy180BHbR3rAbD8sT8tKjX8Dr2Gv1_8BAAA.",
		Subject:         "9b2d6c4e-1f0a-4c3b-8e7d-5a6f7b8c9d0e",
		TenantID:        testTenant,
		UTI:             "yO3F62CSGkedkoxqPrkWAA",
		Version:         "1.0",
		AzureResourceID: "/subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups/rg-demo/providers/Microsoft.Compute/virtualMachines/vm-web",
		MIResourceID:    "/subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups/rg-demo/providers/Microsoft.ManagedIdentity/userAssignedIdentities/payments",
		TenantCreated:   1589910443,
	}
}

func testExpect() Expect {
	return Expect{Audiences: []string{testAud}, Issuers: []string{testIssuer}, Now: testNow}
}

func mustSign(t testing.TB, s *Signer, c Claims) string {
	t.Helper()
	raw, err := s.Sign(c)
	if err != nil {
		t.Fatalf("Sign: %v", err)
	}
	return raw
}

func segment(t testing.TB, raw string, i int) []byte {
	t.Helper()
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d segments, want 3", len(parts))
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[i])
	if err != nil {
		t.Fatalf("segment %d: %v", i, err)
	}
	return b
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// craft builds a token from a literal header and claims, signed by sign
// (nil: no signature).
func craft(t testing.TB, header string, c Claims, sign func(signingString string) []byte) string {
	t.Helper()
	payload, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	ss := b64(header) + "." + base64.RawURLEncoding.EncodeToString(payload)
	var sig []byte
	if sign != nil {
		sig = sign(ss)
	}
	return ss + "." + base64.RawURLEncoding.EncodeToString(sig)
}

func rsaSign(t testing.TB, key *rsa.PrivateKey) func(string) []byte {
	return func(ss string) []byte {
		sig, err := jwt.SigningMethodRS256.Sign(ss, key)
		if err != nil {
			t.Fatal(err)
		}
		return sig
	}
}

func TestKeys(t *testing.T) {
	k := DefaultKeys()
	if DefaultKeys() != k {
		t.Error("DefaultKeys returned a different set on the second call")
	}
	ids := k.KeyIDs()
	if len(ids) != 2 {
		t.Fatalf("got %d keys, want 2", len(ids))
	}
	for i, key := range k.keys {
		cert, err := x509.ParseCertificate(key.certDER)
		if err != nil {
			t.Fatalf("key %d: %v", i, err)
		}
		if !key.pub.Equal(cert.PublicKey) || !key.pub.Equal(key.priv.Public()) {
			t.Errorf("key %d: the certificate, the public key and the private key do not match", i)
		}
		if got, want := cert.Subject.CommonName, "accounts.accesscontrol.windows.net"; got != want {
			t.Errorf("key %d: subject CN = %q, want %q", i, got, want)
		}
		if got, want := key.pub.N.BitLen(), 2048; got != want {
			t.Errorf("key %d: %d bits, want %d", i, got, want)
		}
		sum := sha1.Sum(cert.Raw)
		if got, want := ids[i], base64.RawURLEncoding.EncodeToString(sum[:]); got != want {
			t.Errorf("key %d: kid = %q, want base64url SHA-1 of the certificate %q", i, got, want)
		}
		if !cert.NotAfter.After(time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("key %d: certificate expires %v, want a long validity", i, cert.NotAfter)
		}
	}
}

func TestSignHeader(t *testing.T) {
	k := DefaultKeys()
	raw := mustSign(t, NewSigner(k), miClaims())
	kid := k.KeyIDs()[0]
	got := string(segment(t, raw, 0))
	want := `{"typ":"JWT","alg":"RS256","x5t":"` + kid + `","kid":"` + kid + `"}`
	if got != want {
		t.Errorf("header:\ngot  %s\nwant %s", got, want)
	}
	header, _, err := Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	if header["kid"] != header["x5t"] {
		t.Errorf("kid %v != x5t %v", header["kid"], header["x5t"])
	}
}

func TestClaimsJSON(t *testing.T) {
	tests := []struct {
		name   string
		claims Claims
		want   string
	}{
		{
			name:   "managed identity, Entra ID's order",
			claims: miClaims(),
			want: `{"aud":"https://storage.azure.com/","iss":"https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/",` +
				`"iat":1757687100,"nbf":1757687100,"exp":1757773800,"aio":"k2BgYDDgbUu/9+3wVq8Nm4cuA5MB",` +
				`"appid":"0d4a3e1b-7a43-4f5e-9c1c-3a1f2b6c8d90","appidacr":"2",` +
				`"idp":"https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/","idtyp":"app",` +
				`"oid":"9b2d6c4e-1f0a-4c3b-8e7d-5a6f7b8c9d0e","rh":"0.AVEAv4j5cvGGr0GRqy180BHbR3rAbD8sT8tKjX8Dr2Gv1_8BAAA.",` +
				`"sub":"9b2d6c4e-1f0a-4c3b-8e7d-5a6f7b8c9d0e","tid":"72f988bf-86f1-41af-91ab-2d7cd011db47",` +
				`"uti":"yO3F62CSGkedkoxqPrkWAA","ver":"1.0",` +
				`"xms_az_rid":"/subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups/rg-demo/providers/Microsoft.Compute/virtualMachines/vm-web",` +
				`"xms_mirid":"/subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups/rg-demo/providers/Microsoft.ManagedIdentity/userAssignedIdentities/payments",` +
				`"xms_tcdt":1589910443}`,
		},
		{
			name:   "zero claims keep only the five every token has",
			claims: Claims{},
			want:   `{"aud":"","iss":"","iat":0,"nbf":0,"exp":0}`,
		},
		{
			name: "user claims in order",
			claims: Claims{Audience: "a", Name: "Alice", Roles: []string{"r"}, Scope: "user_impersonation",
				UniqueName: "alice@contoso.com", UPN: "alice@contoso.com"},
			want: `{"aud":"a","iss":"","iat":0,"nbf":0,"exp":0,"name":"Alice","roles":["r"],"scp":"user_impersonation",` +
				`"unique_name":"alice@contoso.com","upn":"alice@contoso.com"}`,
		},
		{
			name:   "no HTML escaping",
			claims: Claims{Audience: "https://x/?a=1&b=<2>"},
			want:   `{"aud":"https://x/?a=1&b=<2>","iss":"","iat":0,"nbf":0,"exp":0}`,
		},
	}
	s := NewSigner(DefaultKeys())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := mustSign(t, s, tt.claims)
			if got := string(segment(t, raw, 1)); got != tt.want {
				t.Errorf("payload:\ngot  %s\nwant %s", got, tt.want)
			}
			_, back, err := Decode(raw)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(back, tt.claims) {
				t.Errorf("Decode round trip:\ngot  %+v\nwant %+v", back, tt.claims)
			}
		})
	}
}

func TestClaimsInterface(t *testing.T) {
	c := miClaims()
	exp, _ := c.GetExpirationTime()
	nbf, _ := c.GetNotBefore()
	iat, _ := c.GetIssuedAt()
	aud, _ := c.GetAudience()
	iss, _ := c.GetIssuer()
	sub, _ := c.GetSubject()
	if got, want := exp.Unix(), c.ExpiresAt; got != want {
		t.Errorf("exp = %d, want %d", got, want)
	}
	if got, want := nbf.Unix(), c.NotBefore; got != want {
		t.Errorf("nbf = %d, want %d", got, want)
	}
	if got, want := iat.Unix(), c.IssuedAt; got != want {
		t.Errorf("iat = %d, want %d", got, want)
	}
	if got, want := []string(aud), []string{testAud}; !reflect.DeepEqual(got, want) {
		t.Errorf("aud = %q, want %q", got, want)
	}
	if iss != testIssuer || sub != c.Subject {
		t.Errorf("iss, sub = %q, %q", iss, sub)
	}
	var zero Claims
	if exp, _ := zero.GetExpirationTime(); exp != nil {
		t.Errorf("zero exp = %v, want nil", exp)
	}
	if aud, _ := zero.GetAudience(); aud != nil {
		t.Errorf("zero aud = %v, want nil", aud)
	}
}

func TestSignDeterministic(t *testing.T) {
	k := DefaultKeys()
	a := mustSign(t, NewSigner(k), miClaims())
	b := mustSign(t, NewSigner(k), miClaims())
	if a != b {
		t.Errorf("two Signers gave different tokens for equal claims:\n%s\n%s", a, b)
	}
	other := miClaims()
	other.UTI = "another"
	if c := mustSign(t, NewSigner(k), other); c == a {
		t.Error("different claims gave the same token")
	}
}

// countingSigner returns a Signer whose RSA signatures are counted in *n.
func countingSigner(k *KeySet, n *int) *Signer {
	s := NewSigner(k)
	rs := s.sign
	s.sign = func(ss string, key any) ([]byte, error) {
		*n++
		return rs(ss, key)
	}
	return s
}

func TestSignCache(t *testing.T) {
	var n int
	s := countingSigner(DefaultKeys(), &n)
	first := mustSign(t, s, miClaims())
	second := mustSign(t, s, miClaims())
	if first != second {
		t.Error("cached token differs from the signed one")
	}
	if got, want := n, 1; got != want {
		t.Errorf("after two Signs of equal claims: %d RSA signatures, want %d", got, want)
	}
	other := miClaims()
	other.ExpiresAt++
	mustSign(t, s, other)
	if got, want := n, 2; got != want {
		t.Errorf("after a Sign of new claims: %d RSA signatures, want %d", got, want)
	}
}

func TestSignCacheBounded(t *testing.T) {
	var n int
	s := countingSigner(DefaultKeys(), &n)
	s.limit = 2
	claims := func(i int) Claims { c := miClaims(); c.UTI = strconv.Itoa(i); return c }
	for i := range 3 { // 0, 1, then 2 evicts 0
		mustSign(t, s, claims(i))
	}
	if got, want := len(s.cache), 2; got != want {
		t.Errorf("cache holds %d tokens, want %d", got, want)
	}
	tests := []struct {
		uti       int
		wantSigns int // cumulative RSA signatures after signing claims(uti)
	}{
		{2, 3}, // newest: cached
		{1, 3}, // cached
		{0, 4}, // evicted: signed again, evicting 1
		{1, 5}, // evicted by 0
	}
	for _, tt := range tests {
		mustSign(t, s, claims(tt.uti))
		if n != tt.wantSigns {
			t.Errorf("after Sign(uti %d): %d RSA signatures, want %d", tt.uti, n, tt.wantSigns)
		}
	}
}

func TestSignError(t *testing.T) {
	s := NewSigner(DefaultKeys())
	s.sign = func(string, any) ([]byte, error) { return nil, errors.New("boom") }
	if _, err := s.Sign(miClaims()); err == nil {
		t.Error("Sign succeeded although the RSA signer failed")
	}
	if len(s.cache) != 0 {
		t.Error("a failed Sign was cached")
	}
}

func TestValidate(t *testing.T) {
	k := DefaultKeys()
	s := NewSigner(k)
	good := mustSign(t, s, miClaims())
	signing := k.keys[0]
	kid := signing.kid
	header := func(alg, kid string) string {
		h := `{"typ":"JWT","alg":"` + alg + `"`
		if kid != "" {
			h += `,"x5t":"` + kid + `","kid":"` + kid + `"`
		}
		return h + "}"
	}
	withClaims := func(f func(*Claims)) string {
		c := miClaims()
		f(&c)
		return mustSign(t, s, c)
	}
	parts := strings.Split(good, ".")

	// A payload with one byte changed: the "aud" URL now names another resource.
	payload := segment(t, good, 1)
	tamperedPayload := strings.Replace(string(payload), "storage", "st0rage", 1)
	tampered := parts[0] + "." + b64(tamperedPayload) + "." + parts[2]

	// A signature with one bit flipped.
	sig := segment(t, good, 2)
	sig[10] ^= 1
	badSig := parts[0] + "." + parts[1] + "." + base64.RawURLEncoding.EncodeToString(sig)

	// HS256 keyed with the public key's PEM: the classic key-confusion attack.
	der, err := x509.MarshalPKIXPublicKey(signing.pub)
	if err != nil {
		t.Fatal(err)
	}
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	hs256 := craft(t, header("HS256", kid), miClaims(), func(ss string) []byte {
		sig, err := jwt.SigningMethodHS256.Sign(ss, pubPEM)
		if err != nil {
			t.Fatal(err)
		}
		return sig
	})

	// A token signed by the second key, which is published but not active.
	second := NewSigner(&KeySet{keys: k.keys[1:]})

	withSkew := func(skew time.Duration) Expect { e := testExpect(); e.ClockSkew = skew; return e }
	at := func(d time.Duration) Expect { e := testExpect(); e.Now = testNow.Add(d); return e }
	day := 24 * time.Hour

	tests := []struct {
		name    string
		raw     string
		want    Expect
		kind    FailureKind // 0: valid
		wantAud string      // Failure.Claims.Audience, if checked
	}{
		{name: "valid", raw: good, want: testExpect()},
		{name: "valid, signed by the second published key", raw: mustSign(t, second, miClaims()), want: testExpect()},
		{name: "valid, audience without trailing slash", raw: withClaims(func(c *Claims) { c.Audience = "https://storage.azure.com" }), want: testExpect()},
		{name: "valid, one of several audiences", raw: good, want: Expect{Audiences: []string{"https://management.azure.com/", testAud}, Issuers: []string{testIssuer}, Now: testNow}},
		{name: "valid, kid absent but x5t known", raw: craft(t, `{"typ":"JWT","alg":"RS256","x5t":"`+kid+`"}`, miClaims(), rsaSign(t, signing.priv)), want: testExpect()},

		{name: "empty", raw: "", want: testExpect(), kind: Malformed},
		{name: "garbage", raw: "not a token", want: testExpect(), kind: Malformed},
		{name: "two segments", raw: parts[0] + "." + parts[1], want: testExpect(), kind: Malformed},
		{name: "four segments", raw: good + ".x", want: testExpect(), kind: Malformed},
		{name: "header not base64url", raw: "e30=." + parts[1] + "." + parts[2], want: testExpect(), kind: Malformed},
		{name: "header not JSON", raw: b64("typ=JWT") + "." + parts[1] + "." + parts[2], want: testExpect(), kind: Malformed},
		{name: "claims not JSON", raw: parts[0] + "." + b64("aud") + "." + parts[2], want: testExpect(), kind: Malformed},
		{name: "aud is a number", raw: parts[0] + "." + b64(`{"aud":5}`) + "." + parts[2], want: testExpect(), kind: Malformed},
		{name: "signature not base64url", raw: parts[0] + "." + parts[1] + ".***", want: testExpect(), kind: Malformed},

		{name: "alg none", raw: craft(t, `{"typ":"JWT","alg":"none"}`, miClaims(), nil), want: testExpect(), kind: UnsupportedAlgorithm, wantAud: testAud},
		{name: "HS256 keyed with the public key PEM", raw: hs256, want: testExpect(), kind: UnsupportedAlgorithm, wantAud: testAud},
		{name: "alg missing", raw: craft(t, `{"typ":"JWT","kid":"`+kid+`"}`, miClaims(), rsaSign(t, signing.priv)), want: testExpect(), kind: UnsupportedAlgorithm},
		{name: "alg RS512", raw: craft(t, header("RS512", kid), miClaims(), rsaSign(t, signing.priv)), want: testExpect(), kind: UnsupportedAlgorithm},

		{name: "unknown kid", raw: craft(t, header("RS256", "nOo3ZDrODXEK1jKWhXslHR_KXEg"), miClaims(), rsaSign(t, signing.priv)), want: testExpect(), kind: UnknownKey, wantAud: testAud},
		{name: "no kid and no x5t", raw: craft(t, header("RS256", ""), miClaims(), rsaSign(t, signing.priv)), want: testExpect(), kind: UnknownKey},
		{name: "key not in this set", raw: good, want: testExpect(), kind: UnknownKey},

		{name: "modified payload byte", raw: tampered, want: testExpect(), kind: BadSignature, wantAud: "https://st0rage.azure.com/"},
		{name: "modified signature bit", raw: badSig, want: testExpect(), kind: BadSignature, wantAud: testAud},
		{name: "kid of the other key", raw: craft(t, header("RS256", k.keys[1].kid), miClaims(), rsaSign(t, signing.priv)), want: testExpect(), kind: BadSignature},
		{name: "RS256 with empty signature", raw: parts[0] + "." + parts[1] + ".", want: testExpect(), kind: BadSignature},

		{name: "expired, beyond the skew", raw: good, want: at(day + 5*time.Minute), kind: Expired, wantAud: testAud},
		{name: "expired, within the skew", raw: good, want: at(day + 5*time.Minute - time.Second)},
		{name: "expired, custom skew", raw: good, want: func() Expect { e := at(day + time.Minute); e.ClockSkew = 30 * time.Second; return e }(), kind: Expired},
		{name: "expired, no skew", raw: good, want: func() Expect { e := at(day); e.ClockSkew = -1; return e }(), kind: Expired},
		{name: "exp missing", raw: withClaims(func(c *Claims) { c.ExpiresAt = 0 }), want: testExpect(), kind: Expired},
		{name: "not yet valid, beyond the skew", raw: good, want: at(-10*time.Minute - time.Second), kind: NotYetValid, wantAud: testAud},
		{name: "not yet valid, within the skew", raw: good, want: at(-10 * time.Minute)},
		{name: "not yet valid, no skew", raw: good, want: func() Expect { e := at(-5*time.Minute - time.Second); e.ClockSkew = -1; return e }(), kind: NotYetValid},
		{name: "nbf after exp: not yet valid comes first", raw: withClaims(func(c *Claims) { c.NotBefore = c.ExpiresAt + 3600 }), want: at(day + 30*time.Minute), kind: NotYetValid},
		{name: "expired and wrong audience: lifetime comes first", raw: good, want: func() Expect { e := at(2 * day); e.Audiences = []string{"https://vault.azure.net"}; return e }(), kind: Expired},

		{name: "wrong audience", raw: withClaims(func(c *Claims) { c.Audience = "https://management.azure.com/" }), want: testExpect(), kind: WrongAudience, wantAud: "https://management.azure.com/"},
		{name: "audience differs in case", raw: withClaims(func(c *Claims) { c.Audience = "https://Storage.azure.com/" }), want: testExpect(), kind: WrongAudience},
		{name: "audience empty", raw: withClaims(func(c *Claims) { c.Audience = "" }), want: testExpect(), kind: WrongAudience},
		{name: "no audiences configured", raw: good, want: Expect{Issuers: []string{testIssuer}, Now: testNow}, kind: WrongAudience},
		{name: "wrong audience and issuer: audience comes first", raw: withClaims(func(c *Claims) { c.Audience = "x"; c.Issuer = "y" }), want: testExpect(), kind: WrongAudience},

		{name: "wrong issuer", raw: withClaims(func(c *Claims) { c.Issuer = "https://sts.windows.net/00000000-0000-0000-0000-000000000000/" }), want: testExpect(), kind: WrongIssuer, wantAud: testAud},
		{name: "v2 issuer", raw: withClaims(func(c *Claims) { c.Issuer = "https://login.microsoftonline.com/" + testTenant + "/v2.0" }), want: testExpect(), kind: WrongIssuer},
		{name: "issuer without trailing slash", raw: withClaims(func(c *Claims) { c.Issuer = strings.TrimSuffix(testIssuer, "/") }), want: testExpect(), kind: WrongIssuer},
		{name: "no issuers configured", raw: good, want: Expect{Audiences: []string{testAud}, Now: testNow}, kind: WrongIssuer},
		{name: "zero skew means the default", raw: good, want: func() Expect { e := withSkew(0); e.Now = testNow.Add(day + 4*time.Minute); return e }()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keys := k
			if tt.name == "key not in this set" {
				keys = &KeySet{keys: k.keys[1:]}
			}
			got, f := keys.Validate(tt.raw, tt.want)
			var gotKind FailureKind
			if f != nil {
				gotKind = f.Kind
			}
			if gotKind != tt.kind {
				t.Fatalf("Validate: kind %v (%v), want %v", gotKind, f, tt.kind)
			}
			if f == nil {
				if got.ObjectID != miClaims().ObjectID {
					t.Errorf("valid token: claims %+v", got)
				}
				return
			}
			if !reflect.DeepEqual(got, Claims{}) {
				t.Errorf("refused token: returned claims %+v, want zero", got)
			}
			if f.Detail == "" || !strings.HasSuffix(f.Detail, ".") {
				t.Errorf("Detail %q: want a sentence", f.Detail)
			}
			if tt.wantAud != "" && f.Claims.Audience != tt.wantAud {
				t.Errorf("Failure.Claims.Audience = %q, want %q", f.Claims.Audience, tt.wantAud)
			}
			t.Logf("%v: %s", f, f.Detail)
		})
	}
}

func TestFailureError(t *testing.T) {
	tests := []struct {
		kind FailureKind
		name string
		want string
	}{
		{Malformed, "Malformed", "Token validation failed. The token is not a well-formed JWT."},
		{UnsupportedAlgorithm, "UnsupportedAlgorithm", "Signature validation failed. The token's signing algorithm is not supported."},
		{UnknownKey, "UnknownKey", "Signature validation failed. Unable to match key."},
		{BadSignature, "BadSignature", "Signature validation failed. Signature verification failed."},
		{NotYetValid, "NotYetValid", "Lifetime validation failed. The token is not yet valid."},
		{Expired, "Expired", "Lifetime validation failed. The token is expired."},
		{WrongAudience, "WrongAudience", "Audience validation failed. Audience did not match."},
		{WrongIssuer, "WrongIssuer", "Issuer validation failed. Issuer did not match."},
		{0, "FailureKind(0)", "Token validation failed."},
	}
	for _, tt := range tests {
		if got := tt.kind.String(); got != tt.name {
			t.Errorf("FailureKind(%d).String() = %q, want %q", int(tt.kind), got, tt.name)
		}
		var err error = &Failure{Kind: tt.kind}
		if got := err.Error(); got != tt.want {
			t.Errorf("%v: Error() = %q, want %q", tt.kind, got, tt.want)
		}
	}
}

// jwksDoc is the JWKS as a client sees it, every member kept.
type jwksDoc struct {
	Keys []map[string]any `json:"keys"`
}

// publicKey rebuilds an RSA public key from a JWK's n and e, as a relying
// party does.
func publicKey(t *testing.T, key map[string]any) *rsa.PublicKey {
	t.Helper()
	n, err := base64.RawURLEncoding.DecodeString(key["n"].(string))
	if err != nil {
		t.Fatal(err)
	}
	e, err := base64.RawURLEncoding.DecodeString(key["e"].(string))
	if err != nil {
		t.Fatal(err)
	}
	return &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
}

func TestJWKS(t *testing.T) {
	k := DefaultKeys()
	raw := mustSign(t, NewSigner(k), miClaims())
	tests := []struct {
		name       string
		doc        []byte
		wantIssuer string
	}{
		{"v1", k.JWKS(), ""},
		{"v2", k.JWKSV2(), "https://login.microsoftonline.com/{tenantid}/v2.0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var top map[string]json.RawMessage
			if err := json.Unmarshal(tt.doc, &top); err != nil {
				t.Fatal(err)
			}
			if len(top) != 1 || top["keys"] == nil {
				t.Errorf("top-level members: %s, want only keys", tt.doc)
			}
			var doc jwksDoc
			if err := json.Unmarshal(tt.doc, &doc); err != nil {
				t.Fatal(err)
			}
			if got, want := len(doc.Keys), 2; got != want {
				t.Fatalf("%d keys, want %d", got, want)
			}
			for i, key := range doc.Keys {
				for _, private := range []string{"d", "p", "q", "dp", "dq", "qi"} {
					if _, ok := key[private]; ok {
						t.Errorf("key %d publishes private member %q", i, private)
					}
				}
				wantMembers := []string{"kty", "use", "kid", "x5t", "n", "e", "x5c"}
				if tt.wantIssuer != "" {
					wantMembers = append(wantMembers, "issuer")
				}
				if len(key) != len(wantMembers) {
					t.Errorf("key %d has members %v, want %v", i, reflect.ValueOf(key).MapKeys(), wantMembers)
				}
				for _, m := range wantMembers {
					if _, ok := key[m]; !ok {
						t.Errorf("key %d lacks %q", i, m)
					}
				}
				if key["kty"] != "RSA" || key["use"] != "sig" || key["e"] != "AQAB" {
					t.Errorf("key %d: kty %v use %v e %v", i, key["kty"], key["use"], key["e"])
				}
				if got, want := key["kid"], k.KeyIDs()[i]; got != want || key["x5t"] != want {
					t.Errorf("key %d: kid %v x5t %v, want %v", i, got, key["x5t"], want)
				}
				if tt.wantIssuer != "" && key["issuer"] != tt.wantIssuer {
					t.Errorf("key %d: issuer %v, want %v", i, key["issuer"], tt.wantIssuer)
				}
				// x5c is standard base64 DER whose thumbprint is the kid and
				// whose key is n and e.
				x5c := key["x5c"].([]any)
				der, err := base64.StdEncoding.DecodeString(x5c[0].(string))
				if err != nil {
					t.Fatal(err)
				}
				cert, err := x509.ParseCertificate(der)
				if err != nil {
					t.Fatal(err)
				}
				sum := sha1.Sum(der)
				if got := base64.RawURLEncoding.EncodeToString(sum[:]); got != key["kid"] {
					t.Errorf("key %d: x5c thumbprint %s, kid %v", i, got, key["kid"])
				}
				if !publicKey(t, key).Equal(cert.PublicKey) {
					t.Errorf("key %d: n and e differ from the certificate's key", i)
				}
			}
			if strings.Contains(string(tt.doc), "PRIVATE") {
				t.Error("JWKS mentions PRIVATE")
			}

			// A relying party that knows only the JWKS verifies the token.
			tok, err := jwt.Parse(raw, func(tok *jwt.Token) (any, error) {
				for _, key := range doc.Keys {
					if key["kid"] == tok.Header["kid"] {
						return publicKey(t, key), nil
					}
				}
				return nil, errors.New("no key")
			}, jwt.WithValidMethods([]string{"RS256"}), jwt.WithTimeFunc(func() time.Time { return testNow }))
			if err != nil || !tok.Valid {
				t.Errorf("jwt.Parse with the JWKS: %v", err)
			}
		})
	}
	// The slices returned are copies.
	doc := k.JWKS()
	doc[0] = 'x'
	if k.JWKS()[0] != '{' {
		t.Error("JWKS returned its internal slice")
	}
}

func TestDecode(t *testing.T) {
	raw := mustSign(t, NewSigner(DefaultKeys()), miClaims())
	tests := []struct {
		name    string
		raw     string
		wantAlg any
		wantAud string
		wantErr bool
	}{
		{name: "signed", raw: raw, wantAlg: "RS256", wantAud: testAud},
		{name: "alg none", raw: craft(t, `{"alg":"none"}`, miClaims(), nil), wantAlg: "none", wantAud: testAud},
		{name: "unknown alg", raw: craft(t, `{"alg":"XX1"}`, miClaims(), nil), wantAlg: "XX1", wantAud: testAud},
		{name: "no alg", raw: craft(t, `{"typ":"JWT"}`, miClaims(), nil), wantAlg: nil, wantAud: testAud},
		{name: "garbage", raw: "garbage", wantErr: true},
		{name: "claims not JSON", raw: b64(`{}`) + "." + b64("x") + ".", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			header, claims, err := Decode(tt.raw)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Decode: err %v, want error %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if got := header["alg"]; got != tt.wantAlg {
				t.Errorf("alg = %v, want %v", got, tt.wantAlg)
			}
			if got := claims.Audience; got != tt.wantAud {
				t.Errorf("aud = %q, want %q", got, tt.wantAud)
			}
		})
	}
}

func TestExplain(t *testing.T) {
	names := []string{"typ", "alg", "kid", "x5t"}
	ct := reflect.TypeFor[Claims]()
	for i := range ct.NumField() {
		tag, _, _ := strings.Cut(ct.Field(i).Tag.Get("json"), ",")
		names = append(names, tag)
	}
	for _, name := range names {
		got := Explain(name)
		if got == "" {
			t.Errorf("Explain(%q) is empty", name)
			continue
		}
		if !strings.HasSuffix(got, ".") || strings.ToUpper(got[:1]) != got[:1] || strings.Count(got, ". ") > 0 {
			t.Errorf("Explain(%q) = %q, want one sentence", name, got)
		}
	}
	if got := Explain("nope"); got != "" {
		t.Errorf(`Explain("nope") = %q, want ""`, got)
	}
	tests := []struct{ claim, contains string }{
		{"aud", "exactly the resource the caller asked for"},
		{"nbf", "5 minutes before issue, to tolerate clock skew"},
		{"appidacr", "2: the client authenticated with a certificate — for a managed identity, one Azure holds and rotates"},
		{"xms_az_rid", "user-assigned"},
	}
	for _, tt := range tests {
		if got := Explain(tt.claim); !strings.Contains(got, tt.contains) {
			t.Errorf("Explain(%q) = %q, want it to contain %q", tt.claim, got, tt.contains)
		}
	}
}

func BenchmarkSignUncached(b *testing.B) {
	s := NewSigner(DefaultKeys())
	c := miClaims()
	for b.Loop() {
		c.IssuedAt++ // new claims every time: a cache miss
		if _, err := s.Sign(c); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSignCached(b *testing.B) {
	s := NewSigner(DefaultKeys())
	c := miClaims()
	mustSign(b, s, c)
	for b.Loop() {
		if _, err := s.Sign(c); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidate(b *testing.B) {
	k := DefaultKeys()
	raw := mustSign(b, NewSigner(k), miClaims())
	want := testExpect()
	for b.Loop() {
		if _, f := k.Validate(raw, want); f != nil {
			b.Fatal(f)
		}
	}
}
