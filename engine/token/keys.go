package token

import (
	"bytes"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"sync"
)

// The simulator's signing keys are keys/*.pem. They are NOT secrets: they
// sign tokens that only the simulator and its learners ever see, they are
// committed to a public repository on purpose, and anyone can mint tokens
// with them. Never use them, or a token they sign, for anything real.
//
// Each file holds a self-signed X.509 certificate (subject
// CN=accounts.accesscontrol.windows.net, as Entra ID's signing certificates
// have) and its RSA-2048 private key in PKCS #8. They were generated once,
// outside the build, because Go's crypto ignores custom random sources, so keys
// cannot be derived from a seed; and because RSA key generation costs about
// 0.6 s in the browser. Files are read in name order; the first is the active
// signing key.
//
// DefaultKeys does not read the files: defaultkeys.go holds their numbers and
// certificates, written by TestDefaultKeysFile, so that the browser builds the
// key set without parsing PEM, PKCS #8 or X.509 (about 25 ms of a cold start)
// and app.wasm links no parser for them.
//
//go:generate go test -run ^TestDefaultKeysFile$ -update .

// A KeySet is the simulated Entra ID's set of token-signing keys: what
// https://login.microsoftonline.com/common/discovery/keys publishes, plus the
// private halves. The first key signs; every key verifies.
//
// A KeySet's keys never change; it is safe for concurrent use.
type KeySet struct {
	keys   []*signingKey
	jwks   func() []byte // the v1.0 JWKS document, made on first use
	jwksV2 func() []byte // the v2.0 JWKS document, made on first use

	memo validateMemo // Validate's answers
}

// A signingKey is one key pair and its certificate.
type signingKey struct {
	kid     string // also the x5t: base64url SHA-1 of the certificate DER
	certDER []byte
	priv    *rsa.PrivateKey
	pub     *rsa.PublicKey
	header  string // the encoded JOSE header of tokens this key signs

	precompute sync.Once // of priv, before its first signature
}

// private returns the private key, with the values that speed up signing
// computed on first use: only the signing key ever needs them, and not
// before the first token.
func (key *signingKey) private() *rsa.PrivateKey {
	key.precompute.Do(key.priv.Precompute)
	return key.priv
}

// keyData is one key of keys/*.pem as defaultkeys.go holds it: the RSA
// parameters as big-endian bytes, and the certificate's DER.
type keyData struct {
	n, d, p, q, dp, dq, qinv []byte
	e                        int
	cert                     []byte
}

var defaultKeys = sync.OnceValue(func() *KeySet {
	var keys []*signingKey
	for _, kd := range defaultKeyData {
		num := func(b []byte) *big.Int { return new(big.Int).SetBytes(b) }
		priv := &rsa.PrivateKey{
			PublicKey:   rsa.PublicKey{N: num(kd.n), E: kd.e},
			D:           num(kd.d),
			Primes:      []*big.Int{num(kd.p), num(kd.q)},
			Precomputed: rsa.PrecomputedValues{Dp: num(kd.dp), Dq: num(kd.dq), Qinv: num(kd.qinv)},
		}
		keys = append(keys, newSigningKey(kd.cert, priv, &priv.PublicKey))
	}
	k, err := newKeySet(keys)
	if err != nil {
		panic("token: default keys: " + err.Error())
	}
	return k
})

// DefaultKeys returns the simulator's shared key set, the keys of keys/*.pem,
// built on first use. The keys are public by design (see the package
// documentation): they make the simulation realistic, not secure.
func DefaultKeys() *KeySet {
	return defaultKeys()
}

// ParseKeySet builds a key set from PEM data, one argument per key, each
// holding a CERTIFICATE block and its PRIVATE KEY (PKCS #8) block; the first
// key signs. The emulator uses it for keys made fresh at each start, so that
// its tokens cannot be forged with the published default keys.
func ParseKeySet(pems ...[]byte) (*KeySet, error) {
	if len(pems) == 0 {
		return nil, fmt.Errorf("no keys")
	}
	var keys []*signingKey
	for i, data := range pems {
		key, err := parseKey(data)
		if err != nil {
			return nil, fmt.Errorf("key %d: %w", i+1, err)
		}
		keys = append(keys, key)
	}
	return newKeySet(keys)
}

// newKeySet makes a key set of keys; the first becomes the signing key.
func newKeySet(keys []*signingKey) (*KeySet, error) {
	if len(keys) == 0 {
		return nil, fmt.Errorf("no keys")
	}
	for i, key := range keys {
		for _, other := range keys[:i] {
			if other.kid == key.kid {
				return nil, fmt.Errorf("key %d: duplicate kid %s", i+1, key.kid)
			}
		}
	}
	k := &KeySet{keys: keys}
	k.jwks = sync.OnceValue(func() []byte { return k.buildJWKS("") })
	k.jwksV2 = sync.OnceValue(func() []byte { return k.buildJWKS(v2KeyIssuer) })
	return k, nil
}

// parseKey reads one PEM file: a CERTIFICATE block and a PRIVATE KEY (PKCS
// #8) block.
func parseKey(data []byte) (*signingKey, error) {
	var cert *x509.Certificate
	var priv *rsa.PrivateKey
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			break
		}
		switch block.Type {
		case "CERTIFICATE":
			c, err := x509.ParseCertificate(block.Bytes)
			if err != nil {
				return nil, err
			}
			cert = c
		case "PRIVATE KEY":
			p, err := x509.ParsePKCS8PrivateKey(block.Bytes)
			if err != nil {
				return nil, err
			}
			rsaPriv, ok := p.(*rsa.PrivateKey)
			if !ok {
				return nil, fmt.Errorf("private key is %T, want RSA", p)
			}
			priv = rsaPriv
		default:
			return nil, fmt.Errorf("unexpected PEM block %q", block.Type)
		}
	}
	if cert == nil || priv == nil {
		return nil, fmt.Errorf("want a CERTIFICATE and a PRIVATE KEY block")
	}
	pub, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok || !pub.Equal(&priv.PublicKey) {
		return nil, fmt.Errorf("certificate does not match the private key")
	}
	return newSigningKey(cert.Raw, priv, pub), nil
}

// newSigningKey makes a signingKey of a certificate's DER and its key pair.
func newSigningKey(certDER []byte, priv *rsa.PrivateKey, pub *rsa.PublicKey) *signingKey {
	key := &signingKey{certDER: certDER, priv: priv, pub: pub}
	sum := sha1.Sum(certDER)
	key.kid = base64.RawURLEncoding.EncodeToString(sum[:])
	// Entra ID's header, in Entra ID's order; kid and x5t are the same
	// thumbprint in v1.0 tokens.
	header := `{"typ":"JWT","alg":"RS256","x5t":"` + key.kid + `","kid":"` + key.kid + `"}`
	key.header = base64.RawURLEncoding.EncodeToString([]byte(header))
	return key
}

// KeyIDs returns the kid of every key in the set, the signing key first.
func (k *KeySet) KeyIDs() []string {
	ids := make([]string, len(k.keys))
	for i, key := range k.keys {
		ids[i] = key.kid
	}
	return ids
}

// key returns the key with the given kid, or nil.
func (k *KeySet) key(kid string) *signingKey {
	for _, key := range k.keys {
		if key.kid == kid {
			return key
		}
	}
	return nil
}

// v2KeyIssuer is the issuer member Entra ID puts on each key of its v2.0 JWKS,
// with the tenant left as a literal template.
const v2KeyIssuer = "https://login.microsoftonline.com/{tenantid}/v2.0"

// jwk is one public key as Entra ID publishes it, in Entra ID's member order.
// It has no field for any private parameter, so none can leak.
type jwk struct {
	Kty    string   `json:"kty"`
	Use    string   `json:"use"`
	Kid    string   `json:"kid"`
	X5t    string   `json:"x5t"`
	N      string   `json:"n"`
	E      string   `json:"e"`
	X5c    []string `json:"x5c"`
	Issuer string   `json:"issuer,omitempty"`
}

func (k *KeySet) buildJWKS(issuer string) []byte {
	doc := struct {
		Keys []jwk `json:"keys"`
	}{}
	for _, key := range k.keys {
		doc.Keys = append(doc.Keys, jwk{
			Kty:    "RSA",
			Use:    "sig",
			Kid:    key.kid,
			X5t:    key.kid,
			N:      base64.RawURLEncoding.EncodeToString(key.pub.N.Bytes()),
			E:      base64.RawURLEncoding.EncodeToString(big.NewInt(int64(key.pub.E)).Bytes()),
			X5c:    []string{base64.StdEncoding.EncodeToString(key.certDER)},
			Issuer: issuer,
		})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		panic("token: JWKS: " + err.Error()) // cannot happen: strings only
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// JWKS returns the public keys as the v1.0 endpoint
// https://login.microsoftonline.com/common/discovery/keys publishes them: a
// JSON Web Key Set whose keys carry kty, use, kid, x5t, n, e and x5c. It holds
// no private key material. The caller may modify the returned slice.
func (k *KeySet) JWKS() []byte {
	return bytes.Clone(k.jwks())
}

// JWKSV2 returns the public keys as the v2.0 endpoint
// https://login.microsoftonline.com/{tenant}/discovery/v2.0/keys publishes
// them: the same keys as [KeySet.JWKS], each with an issuer member that keeps
// Entra ID's literal "{tenantid}" placeholder. The caller may modify the
// returned slice.
func (k *KeySet) JWKSV2() []byte {
	return bytes.Clone(k.jwksV2())
}
