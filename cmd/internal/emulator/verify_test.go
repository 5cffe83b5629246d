package emulator

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// A validator checks tokens as a resource server would: RS256 signatures
// against the keys at MIPLAY_JWKS_URI, fetched once, with only the standard
// library.
type validator struct {
	keys map[string]*rsa.PublicKey // by kid
}

// newValidator fetches the JSON Web Key Set the emulator serves, by way of
// its OpenID Connect discovery document, and checks it holds public keys
// only.
func newValidator(t testing.TB, r *running) *validator {
	t.Helper()
	code, body := get(t, nil, r.env["MIPLAY_OPENID_CONFIGURATION"])
	if code != http.StatusOK {
		t.Fatalf("discovery: %d %s", code, body)
	}
	var doc struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.JWKSURI != r.env["MIPLAY_JWKS_URI"] || doc.Issuer != r.env["MIPLAY_ISSUER"] {
		t.Errorf("discovery: jwks_uri %s, issuer %s; want %s and %s", doc.JWKSURI, doc.Issuer, r.env["MIPLAY_JWKS_URI"], r.env["MIPLAY_ISSUER"])
	}
	code, body = get(t, nil, doc.JWKSURI)
	if code != http.StatusOK {
		t.Fatalf("keys: %d %s", code, body)
	}
	var set struct {
		Keys []map[string]any `json:"keys"`
	}
	if err := json.Unmarshal([]byte(body), &set); err != nil {
		t.Fatal(err)
	}
	v := &validator{keys: map[string]*rsa.PublicKey{}}
	for _, k := range set.Keys {
		for _, private := range []string{"d", "p", "q", "dp", "dq", "qi"} {
			if _, ok := k[private]; ok {
				t.Fatalf("the key set serves a private key: %q in %v", private, k)
			}
		}
		n, e := b64(t, k["n"]), b64(t, k["e"])
		kid, _ := k["kid"].(string)
		v.keys[kid] = &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	}
	if len(v.keys) == 0 {
		t.Fatal("no keys")
	}
	return v
}

func b64(t testing.TB, v any) []byte {
	s, _ := v.(string)
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || s == "" {
		t.Fatalf("key parameter %v: %v", v, err)
	}
	return b
}

// claims verifies a token's signature and returns its claims.
func (v *validator) claims(t testing.TB, raw string) map[string]any {
	t.Helper()
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		t.Fatalf("token %q: not a JWS", raw)
	}
	var header struct{ Alg, Kid string }
	if err := json.Unmarshal(b64(t, parts[0]), &header); err != nil {
		t.Fatal(err)
	}
	key := v.keys[header.Kid]
	if header.Alg != "RS256" || key == nil {
		t.Fatalf("token header %+v: want RS256 and a served kid", header)
	}
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if err := rsa.VerifyPKCS1v15(key, crypto.SHA256, sum[:], b64(t, parts[2])); err != nil {
		t.Fatalf("signature: %v", err)
	}
	var c map[string]any
	if err := json.Unmarshal(b64(t, parts[1]), &c); err != nil {
		t.Fatal(err)
	}
	return c
}

// wantClaims are the claims a token must have; empty ones must be absent.
// Resource IDs compare case-insensitively: the xms_ claims write
// "resourcegroups" in lower case.
type wantClaims struct {
	oid, appid, aud, mirid, azRID, tid, iss string
}

func (w wantClaims) check(t testing.TB, c map[string]any) {
	t.Helper()
	for _, f := range []struct{ name, want string }{
		{"oid", w.oid}, {"sub", w.oid}, {"appid", w.appid}, {"aud", w.aud}, {"xms_mirid", w.mirid},
		{"xms_az_rid", w.azRID}, {"tid", w.tid}, {"iss", w.iss}, {"ver", "1.0"}, {"idtyp", "app"},
	} {
		got, _ := c[f.name].(string)
		if !strings.EqualFold(got, f.want) {
			t.Errorf("claim %s = %q, want %q", f.name, got, f.want)
		}
	}
}

// systemClaims are the claims of the host's system-assigned identity.
func (ids identities) systemClaims(aud string) wantClaims {
	return wantClaims{oid: ids.system.PrincipalID, appid: ids.system.ClientID, aud: aud,
		mirid: ids.hostID, tid: ids.tenant, iss: ids.issuer}
}

// userClaims are the claims of the named user-assigned identity.
func (ids identities) userClaims(name, aud string) wantClaims {
	u := ids.users[name]
	return wantClaims{oid: u.PrincipalID, appid: u.ClientID, aud: aud,
		mirid: u.ResourceID, azRID: ids.hostID, tid: ids.tenant, iss: ids.issuer}
}

var resources atomic.Int64

// freshResource returns an audience no token in this process has been
// asked for: the SDKs keep a process-wide cache per identity and resource,
// so a resource used twice would be answered without asking the emulator.
func freshResource() string {
	return fmt.Sprintf("https://emu%d.blob.core.windows.net", resources.Add(1))
}
