package token

import (
	"crypto/rsa"
	"sync/atomic"

	"github.com/golang-jwt/jwt/v5"
)

// An RS256Func computes the RSASSA-PKCS1-v1_5 signature with SHA-256 of
// message under key: JWS's RS256, what jwt.SigningMethodRS256.Sign computes
// for a JWT's signing input. The scheme uses no randomness, so a correct
// implementation returns exactly the bytes Go's crypto/rsa does, and tokens
// stay the same whichever signs them.
type RS256Func func(key *rsa.PrivateKey, message []byte) ([]byte, error)

// hostRS256 is the host program's RS256Func; nil means Go's crypto/rsa.
var hostRS256 atomic.Pointer[RS256Func]

// UseRS256 makes every [Signer] compute its RSA signatures with f, or with
// Go's crypto/rsa again if f is nil. It is for a host program that has a
// faster RSA than Go's: in the browser, crypto/rsa's constant-time
// arithmetic compiled to WebAssembly costs 6 to 40 ms a signature (40
// before V8 has optimised it), where the browser's own (WebCrypto) needs
// about one. Call it once at start-up, before the first token is signed.
// Only the RSA primitive changes: golang-jwt still validates tokens, and
// the Signer still builds the signing input and the token around the
// signature.
//
// If f returns an error, or a signature that is not as long as the
// modulus, the Signer signs that token with Go's crypto/rsa instead. The
// token is the same either way, only slower, so learners see no
// difference; reporting why f failed is up to the host.
//
// f may block: the Signer calls it from the goroutine that asked for the
// token, without holding its lock.
//
// It is a package-level setting, not an option of [NewSigner], because the
// engine makes its Signers itself, on first use, one per key set shared by
// every world (a program never holds them), and because which RSA is
// fastest is a property of the platform the whole program runs on, not of
// one Signer. It is read at each signature, so a Signer made before the
// call uses f too.
func UseRS256(f RS256Func) {
	if f == nil {
		hostRS256.Store(nil)
		return
	}
	hostRS256.Store(&f)
}

// signRS256 is a Signer's sign: the host's RS256Func if it has one and it
// succeeds, else golang-jwt's RS256 (crypto/rsa).
func signRS256(signingString string, key any) ([]byte, error) {
	if f := hostRS256.Load(); f != nil {
		if priv, ok := key.(*rsa.PrivateKey); ok {
			sig, err := (*f)(priv, []byte(signingString))
			// The length catches a host answering with something other
			// than a signature; checking the signature itself would cost
			// 0.5 ms of Go RSA in the browser, half of what f saves. The
			// browser tests and e2e compare f's bytes with Go's instead.
			if err == nil && len(sig) == priv.Size() {
				return sig, nil
			}
		}
	}
	return jwt.SigningMethodRS256.Sign(signingString, key)
}
