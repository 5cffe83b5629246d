package token

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"errors"
	"strings"
	"testing"
)

// useRS256 installs f for the rest of the test. The hook is global: these
// tests do not run in parallel.
func useRS256(t *testing.T, f RS256Func) {
	t.Helper()
	UseRS256(f)
	t.Cleanup(func() { UseRS256(nil) })
}

// goRS256 signs as Go's crypto/rsa does, without golang-jwt, as a host's
// implementation would.
func goRS256(key *rsa.PrivateKey, message []byte) ([]byte, error) {
	h := sha256.Sum256(message)
	return rsa.SignPKCS1v15(nil, key, crypto.SHA256, h[:])
}

func TestUseRS256(t *testing.T) {
	k := DefaultKeys()
	want := mustSign(t, NewSigner(k), miClaims())

	s := NewSigner(k) // made before the hook: it is read at each signature
	type call struct {
		key     *rsa.PrivateKey
		message string
	}
	var calls []call
	useRS256(t, func(key *rsa.PrivateKey, message []byte) ([]byte, error) {
		calls = append(calls, call{key, string(message)})
		return goRS256(key, message)
	})
	got := mustSign(t, s, miClaims())
	if got != want {
		t.Errorf("token signed by the hook differs from Go's:\n got %s\nwant %s", got, want)
	}
	if len(calls) != 1 {
		t.Fatalf("hook called %d times, want 1", len(calls))
	}
	if calls[0].key != k.keys[0].priv {
		t.Error("hook not given the signing key")
	}
	if i := strings.LastIndexByte(want, '.'); calls[0].message != want[:i] {
		t.Errorf("hook given %q, want the signing input %q", calls[0].message, want[:i])
	}

	// A remembered token costs no signature, from the hook either.
	mustSign(t, s, miClaims())
	if len(calls) != 1 {
		t.Errorf("hook called %d times after signing equal claims again, want 1", len(calls))
	}
}

// TestUseRS256Used checks that the token carries the hook's bytes, not a
// signature Go computed beside it.
func TestUseRS256Used(t *testing.T) {
	fake := bytes.Repeat([]byte{0x5a}, 256)
	useRS256(t, func(*rsa.PrivateKey, []byte) ([]byte, error) { return fake, nil })
	raw := mustSign(t, NewSigner(DefaultKeys()), miClaims())
	if sig := segment(t, raw, 2); !bytes.Equal(sig, fake) {
		t.Errorf("signature is %x, want the hook's %x", sig, fake)
	}
}

func TestUseRS256Fallback(t *testing.T) {
	k := DefaultKeys()
	want := mustSign(t, NewSigner(k), miClaims())
	good, err := goRS256(k.keys[0].priv, []byte(want[:strings.LastIndexByte(want, '.')]))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		sig  []byte
		err  error
	}{
		{"error", nil, errors.New("WebCrypto is not available")},
		{"error and a signature", bytes.Repeat([]byte{0x5a}, 256), errors.New("late failure")},
		{"no signature", nil, nil},
		{"short signature", good[:255], nil},
		{"long signature", append(good, 0), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls := 0
			useRS256(t, func(*rsa.PrivateKey, []byte) ([]byte, error) {
				calls++
				return tt.sig, tt.err
			})
			got := mustSign(t, NewSigner(k), miClaims())
			if calls != 1 {
				t.Errorf("hook called %d times, want 1", calls)
			}
			if got != want {
				t.Errorf("token after the hook failed differs from Go's:\n got %s\nwant %s", got, want)
			}
		})
	}
}

func TestUseRS256Nil(t *testing.T) {
	calls := 0
	UseRS256(func(key *rsa.PrivateKey, message []byte) ([]byte, error) {
		calls++
		return goRS256(key, message)
	})
	UseRS256(nil)
	if hostRS256.Load() != nil {
		t.Fatal("UseRS256(nil) left a hook installed")
	}
	mustSign(t, NewSigner(DefaultKeys()), miClaims())
	if calls != 0 {
		t.Errorf("hook called %d times after UseRS256(nil), want 0", calls)
	}
}
