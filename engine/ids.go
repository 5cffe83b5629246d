package engine

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
)

// idSource derives every identifier of a world from its seed: a SHA-256
// counter stream, so the same seed always yields the same IDs in the same
// order and nothing depends on global randomness.
type idSource struct {
	seed    uint64
	counter uint64
}

// bytes returns the next n pseudo-random bytes of the stream.
func (s *idSource) bytes(n int) []byte {
	out := make([]byte, 0, n)
	for len(out) < n {
		var block [16]byte
		binary.BigEndian.PutUint64(block[:8], s.seed)
		binary.BigEndian.PutUint64(block[8:], s.counter)
		s.counter++
		sum := sha256.Sum256(block[:])
		out = append(out, sum[:]...)
	}
	return out[:n]
}

// GUID returns the next random (version 4) GUID in lower case, as Azure
// prints object IDs, client IDs and role assignment names.
func (s *idSource) GUID() string {
	b := s.bytes(16)
	b[6] = (b[6] & 0x0f) | 0x40
	b[8] = (b[8] & 0x3f) | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// Opaque returns n bytes encoded as unpadded base64url, the form of a
// token's uti claim.
func (s *idSource) Opaque(n int) string {
	return base64.RawURLEncoding.EncodeToString(s.bytes(n))
}

// Secret returns a client secret value shaped like Entra's: 40 characters
// from its alphabet, starting with a three-character hint.
func (s *idSource) Secret() string {
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789~._-"
	b := s.bytes(40)
	out := make([]byte, 40)
	for i, c := range b {
		out[i] = alphabet[int(c)%len(alphabet)]
	}
	// Entra secrets carry "8Q~" style markers at positions 3-5.
	out[3], out[4], out[5] = '8', 'Q', '~'
	return string(out)
}

// Key returns a 64-byte storage account key in standard base64, as
// `az storage account keys list` prints it.
func (s *idSource) Key() string {
	return base64.StdEncoding.EncodeToString(s.bytes(64))
}

// IsGUID reports whether s has the 8-4-4-4-12 hexadecimal form of a GUID,
// the form of every object, client, tenant and subscription ID.
func IsGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}
