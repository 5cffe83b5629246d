package token

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
)

// The package reads and writes compact RS256 JWS itself, as golang-jwt/jwt/v5
// did for it: jwt/v5 registers every algorithm it knows at start-up, which
// linked its ECDSA, EdDSA, HMAC and PSS code, and what they call, into
// app.wasm (0.39 MB, 60 kB brotli, with jwt/v5 itself). Every step below is
// jwt/v5's, in its order and with its words, so that tokens, failures and
// their details are what they were (jwsoracle_test.go checks it against
// jwt/v5).

// jwtAlgorithms are the algorithms jwt/v5 knows. It decodes the signature
// of a token whose alg is one of them before looking at the key; for any
// other alg it stops earlier, so a bad signature there is no format error.
var jwtAlgorithms = [...]string{
	"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512",
	"HS256", "HS384", "HS512", "EdDSA", "none",
}

// A jws is a token in compact serialization, split and decoded.
type jws struct {
	header       map[string]any
	signingInput string // the encoded header and claims, with the dot between
	signature    []byte // nil unless alg is one of jwtAlgorithms
}

// alg returns the header's alg, or "" if it has none (or not a string).
func (t *jws) alg() string {
	a, _ := t.header["alg"].(string)
	return a
}

// parseJWS splits raw and decodes its header, and its claims into c, as
// jwt/v5's ParseUnverified did. If raw is not a JWT, malformed says why in
// jwt/v5's words, and c holds what could be decoded.
func parseJWS(raw string, c *Claims) (t jws, malformed string) {
	h, rest, ok1 := strings.Cut(raw, ".")
	claims, sig, ok2 := strings.Cut(rest, ".")
	if !ok1 || !ok2 || strings.Contains(sig, ".") {
		return t, "token contains an invalid number of segments"
	}
	b, err := base64.RawURLEncoding.DecodeString(h)
	if err != nil {
		return t, "could not base64 decode header: " + err.Error()
	}
	if err := json.Unmarshal(b, &t.header); err != nil {
		return t, "could not JSON decode header: " + err.Error()
	}
	if b, err = base64.RawURLEncoding.DecodeString(claims); err != nil {
		return t, "could not base64 decode claim: " + err.Error()
	}
	if err := json.Unmarshal(b, c); err != nil {
		return t, "could not JSON decode claim: " + err.Error()
	}
	t.signingInput = raw[:len(h)+1+len(claims)]
	for _, a := range jwtAlgorithms {
		if a == t.alg() {
			if t.signature, err = base64.RawURLEncoding.DecodeString(sig); err != nil {
				return t, "could not base64 decode signature: " + err.Error()
			}
			break
		}
	}
	return t, ""
}

// errMalformed is jwt/v5's ErrTokenMalformed, the start of Decode's errors.
const errMalformed = "token is malformed"

// signRS256 signs signingString with key, an *rsa.PrivateKey:
// RSASSA-PKCS1-v1_5 with SHA-256, which uses no randomness.
func signRS256(signingString string, key any) ([]byte, error) {
	priv, ok := key.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("token: RS256 signs with an *rsa.PrivateKey, not %T", key)
	}
	h := sha256.Sum256([]byte(signingString))
	return rsa.SignPKCS1v15(nil, priv, crypto.SHA256, h[:])
}

// verifyRS256 reports whether sig is pub's RS256 signature of
// signingString.
func verifyRS256(signingString string, sig []byte, pub *rsa.PublicKey) bool {
	h := sha256.Sum256([]byte(signingString))
	return rsa.VerifyPKCS1v15(pub, crypto.SHA256, h[:], sig) == nil
}
