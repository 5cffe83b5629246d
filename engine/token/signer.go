package token

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"sync"
)

// cacheSize bounds the number of tokens a Signer remembers.
const cacheSize = 4096

// A Signer issues RS256 access tokens with the first key of a [KeySet].
//
// Signing is deterministic (RSASSA-PKCS1-v1_5 uses no randomness), so equal
// claims always give equal tokens, from any Signer on the same keys. A Signer
// remembers the last 4096 tokens it signed, keyed by their encoded header and
// claims, and returns a remembered token instead of signing again; replaying a
// scenario then costs no RSA operations, which matters in the browser, where
// one RS256 signature takes milliseconds even with the browser's RSA (see
// [UseRS256]), and 6 to 40 ms with Go's.
//
// A Signer is safe for concurrent use.
type Signer struct {
	key *signingKey

	// sign computes the signature (signRS256: the host's RS256Func, see
	// UseRS256, or Go's); tests replace it to count RSA operations.
	sign func(signingString string, key any) ([]byte, error)

	mu    sync.Mutex
	limit int                 // maximum len(cache)
	cache map[[32]byte]string // SHA-256 of the signing input -> token
	order [][32]byte          // cache keys, oldest first, as a ring once full
	next  int                 // index in order of the oldest key once full
}

// NewSigner returns a Signer that signs with the active (first) key of keys.
func NewSigner(keys *KeySet) *Signer {
	return &Signer{
		key:   keys.keys[0],
		sign:  signRS256,
		limit: cacheSize,
		cache: make(map[[32]byte]string),
	}
}

// Sign returns c as a signed JWT in compact serialization. The header is
// exactly {"typ":"JWT","alg":"RS256","x5t":"…","kid":"…"}, as Entra ID writes
// it, and the claims are in [Claims] field order.
func (s *Signer) Sign(c Claims) (string, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // Entra ID writes & < > as they are
	if err := enc.Encode(c); err != nil {
		return "", err
	}
	payload := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	signingString := s.key.header + "." + base64.RawURLEncoding.EncodeToString(payload)
	h := sha256.Sum256([]byte(signingString))

	s.mu.Lock()
	tok, ok := s.cache[h]
	s.mu.Unlock()
	if ok {
		return tok, nil
	}

	sig, err := s.sign(signingString, s.key.private())
	if err != nil {
		return "", err
	}
	tok = signingString + "." + base64.RawURLEncoding.EncodeToString(sig)

	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.cache[h]; ok { // signed concurrently by another goroutine
		return tok, nil
	}
	if len(s.order) < s.limit {
		s.order = append(s.order, h)
	} else {
		delete(s.cache, s.order[s.next])
		s.order[s.next] = h
		s.next = (s.next + 1) % s.limit
	}
	s.cache[h] = tok
	return tok, nil
}
