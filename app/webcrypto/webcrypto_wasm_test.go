//go:build js

package webcrypto

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"syscall/js"
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/miplay/miplay/engine/token"
)

// These tests replace engine/token's RS256Func and crypto.subtle's
// methods, both global: none runs in parallel.

// defaultSigningKey returns engine/token's default signing key, as a Signer
// hands it to an RS256Func (the package does not export it otherwise), and
// checks that it is the first key the JWKS publishes.
func defaultSigningKey(t testing.TB) *rsa.PrivateKey {
	t.Helper()
	var key *rsa.PrivateKey
	token.UseRS256(func(k *rsa.PrivateKey, _ []byte) ([]byte, error) {
		key = k
		return nil, errors.New("only looking at the key")
	})
	defer token.UseRS256(nil)
	if _, err := token.NewSigner(token.DefaultKeys()).Sign(claims(0)); err != nil {
		t.Fatal(err)
	}
	if key == nil {
		t.Fatal("the Signer did not call the RS256Func")
	}
	var jwks struct {
		Keys []struct{ N string }
	}
	if err := json.Unmarshal(token.DefaultKeys().JWKS(), &jwks); err != nil {
		t.Fatal(err)
	}
	if n := base64.RawURLEncoding.EncodeToString(key.N.Bytes()); len(jwks.Keys) == 0 || jwks.Keys[0].N != n {
		t.Fatal("the key the Signer signs with is not the first key of DefaultKeys")
	}
	return key
}

// claims returns distinct claims for each i.
func claims(i int) token.Claims {
	return token.Claims{
		Audience:  "https://storage.azure.com/",
		Issuer:    "https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/",
		IssuedAt:  1757687100 + int64(i),
		NotBefore: 1757687100 + int64(i),
		ExpiresAt: 1757773800 + int64(i),
		ObjectID:  "9b2d6c4e-1f0a-4c3b-8e7d-5a6f7b8c9d0e",
		UTI:       fmt.Sprintf("uti-%d-é&<>", i),
		Version:   "1.0",
	}
}

// goSign is Go's signature, the one WebCrypto's must equal.
func goSign(t *testing.T, key *rsa.PrivateKey, message []byte) []byte {
	t.Helper()
	h := sha256.Sum256(message)
	sig, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, h[:])
	if err != nil {
		t.Fatal(err)
	}
	return sig
}

// goTokens returns the tokens Go signs for claims(0) to claims(n-1).
func goTokens(t *testing.T, n int) []string {
	t.Helper()
	token.UseRS256(nil)
	s := token.NewSigner(token.DefaultKeys())
	var toks []string
	for i := range n {
		tok, err := s.Sign(claims(i))
		if err != nil {
			t.Fatal(err)
		}
		toks = append(toks, tok)
	}
	return toks
}

// useRS256 installs f in engine/token for the rest of the test.
func useRS256(t *testing.T, f token.RS256Func) {
	t.Helper()
	token.UseRS256(f)
	t.Cleanup(func() { token.UseRS256(nil) })
}

// replaceSubtle replaces crypto.subtle's method name for the rest of the
// test, by an own property that hides SubtleCrypto.prototype's.
func replaceSubtle(t *testing.T, name string, f js.Value) {
	t.Helper()
	subtle().Set(name, f)
	t.Cleanup(func() { subtle().Delete(name) })
}

// countCalls counts the calls of crypto.subtle's method name for the rest
// of the test, passing them on.
func countCalls(t *testing.T, name string) *int {
	t.Helper()
	n := new(int)
	real := subtle().Get(name)
	f := js.FuncOf(func(_ js.Value, args []js.Value) any {
		*n++
		a := make([]any, len(args))
		for i, v := range args {
			a[i] = v
		}
		return real.Call("apply", subtle(), a)
	})
	t.Cleanup(f.Release)
	replaceSubtle(t, name, f.Value)
	return n
}

func TestSignRS256MatchesGo(t *testing.T) {
	key := defaultSigningKey(t)
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	inputs := map[string][]byte{
		"empty":         nil,
		"one byte":      []byte("a"),
		"every byte":    all,
		"UTF-8":         []byte("jeton d'accès signé ✓"),
		"signing input": []byte("eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL3N0b3JhZ2UuYXp1cmUuY29tLyJ9"),
		"64 KiB":        bytes.Repeat([]byte("0123456789abcdef"), 4096),
	}
	for name, in := range inputs {
		got, err := SignRS256(key, in)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if want := goSign(t, key, in); !bytes.Equal(got, want) {
			t.Errorf("%s: WebCrypto's signature differs from Go's:\n got %x\nwant %x", name, got, want)
		}
	}
}

// TestSignerWithWebCrypto checks that a Signer whose RSA is WebCrypto's,
// as Install makes it, signs the very tokens Go's does.
func TestSignerWithWebCrypto(t *testing.T) {
	const n = 5
	want := goTokens(t, n)
	signs := countCalls(t, "sign")
	if !Install() {
		t.Fatal("Install found no crypto.subtle in Chromium")
	}
	t.Cleanup(func() { token.UseRS256(nil) })
	s := token.NewSigner(token.DefaultKeys())
	for i := range n {
		got, err := s.Sign(claims(i))
		if err != nil {
			t.Fatal(err)
		}
		if got != want[i] {
			t.Errorf("claims %d: token with WebCrypto differs from Go's:\n got %s\nwant %s", i, got, want[i])
		}
	}
	if *signs != n {
		t.Errorf("crypto.subtle.sign called %d times for %d tokens, want %d", *signs, n, n)
	}
}

// TestImportOnce signs from several goroutines at once with a key WebCrypto
// has not seen: they share one import.
func TestImportOnce(t *testing.T) {
	def := defaultSigningKey(t)
	key := &rsa.PrivateKey{PublicKey: def.PublicKey, D: def.D, Primes: def.Primes, Precomputed: def.Precomputed}
	imports := countCalls(t, "importKey")
	const n = 8
	var wg sync.WaitGroup
	sigs := make([][]byte, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { sigs[i], errs[i] = SignRS256(key, []byte(fmt.Sprint("message ", i))) })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Errorf("goroutine %d: %v", i, errs[i])
		} else if want := goSign(t, key, []byte(fmt.Sprint("message ", i))); !bytes.Equal(sigs[i], want) {
			t.Errorf("goroutine %d: signature differs from Go's", i)
		}
	}
	if _, err := SignRS256(key, []byte("once more")); err != nil {
		t.Error(err)
	}
	if *imports != 1 {
		t.Errorf("crypto.subtle.importKey called %d times, want 1", *imports)
	}
}

// TestFallback checks that when WebCrypto fails, SignRS256 says so and the
// Signer's token is still Go's.
func TestFallback(t *testing.T) {
	want := goTokens(t, 1)[0]
	reject := js.FuncOf(func(js.Value, []js.Value) any {
		return js.Global().Get("Promise").Call("reject", js.Global().Get("DOMException").New("refused by the test", "OperationError"))
	})
	defer reject.Release()
	tests := []struct {
		name    string
		sign    js.Value // crypto.subtle.sign for the test
		wantErr string
	}{
		{"rejects", reject.Value, "OperationError: refused by the test"},
		{"throws", js.Global().Get("Function").New("throw new TypeError('thrown by the test')"), "thrown by the test"},
		{"answers no buffer", js.Global().Get("Function").New("return Promise.resolve(new Uint8Array(256))"), "not an ArrayBuffer"},
	}
	key := defaultSigningKey(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			replaceSubtle(t, "sign", tt.sign)
			sig, err := SignRS256(key, []byte("a message"))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("SignRS256 = %x, %v; want an error with %q", sig, err, tt.wantErr)
			}
			calls := 0
			useRS256(t, func(key *rsa.PrivateKey, message []byte) ([]byte, error) {
				calls++
				return signOrWarn(key, message)
			})
			got, err := token.NewSigner(token.DefaultKeys()).Sign(claims(0))
			if err != nil {
				t.Fatal(err)
			}
			if calls != 1 {
				t.Errorf("RS256Func called %d times, want 1", calls)
			}
			if got != want {
				t.Errorf("token after WebCrypto failed differs from Go's:\n got %s\nwant %s", got, want)
			}
		})
	}
}

// TestBadKeys checks keys that cannot be imported: the failure is an
// error, remembered, so that the next signatures do not try again.
func TestBadKeys(t *testing.T) {
	def := defaultSigningKey(t)
	noCRT := &rsa.PrivateKey{PublicKey: def.PublicKey, D: def.D, Primes: def.Primes}
	wrongD := &rsa.PrivateKey{PublicKey: def.PublicKey, D: new(big.Int).Add(def.D, big.NewInt(2)), Primes: def.Primes, Precomputed: def.Precomputed}
	tests := []struct {
		name        string
		key         *rsa.PrivateKey
		wantImports int
		wantErr     string
	}{
		{"no CRT values", noCRT, 0, "CRT values"},  // refused before WebCrypto
		{"inconsistent d", wrongD, 1, "DataError"}, // refused by WebCrypto
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			imports := countCalls(t, "importKey")
			for range 2 {
				if sig, err := SignRS256(tt.key, []byte("a message")); err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("SignRS256 = %x, %v; want an error with %q", sig, err, tt.wantErr)
				}
			}
			if *imports != tt.wantImports {
				t.Errorf("crypto.subtle.importKey called %d times, want %d", *imports, tt.wantImports)
			}
		})
	}
}

// signer is a go-app component that signs tokens on go-app's UI goroutine
// (a dispatched function) and in a Context.Async goroutine, as the player
// does.
type signer struct {
	app.Compo
	onUI, inAsync   string
	errUI, errAsync error
}

func (c *signer) OnMount(ctx app.Context) {
	s := token.NewSigner(token.DefaultKeys())
	ctx.Dispatch(func(app.Context) { c.onUI, c.errUI = s.Sign(claims(0)) })
	ctx.Async(func() { c.inAsync, c.errAsync = s.Sign(claims(1)) })
}

func (c *signer) Render() app.UI { return app.Div() }

// TestGoApp signs where miplay's components could: neither the UI
// goroutine nor an Async goroutine is a syscall/js callback, so waiting for
// WebCrypto there does not deadlock.
func TestGoApp(t *testing.T) {
	want := goTokens(t, 2)
	signs := countCalls(t, "sign")
	useRS256(t, SignRS256)
	e := app.NewTestEngine()
	c := &signer{}
	if err := e.Load(c); err != nil {
		t.Fatal(err)
	}
	e.ConsumeAll()
	if c.errUI != nil || c.errAsync != nil {
		t.Fatalf("Sign: on the UI goroutine: %v; in Async: %v", c.errUI, c.errAsync)
	}
	if c.onUI != want[0] || c.inAsync != want[1] {
		t.Errorf("tokens differ from Go's:\nUI:    %s\nwant   %s\nAsync: %s\nwant   %s", c.onUI, want[0], c.inAsync, want[1])
	}
	if *signs != 2 {
		t.Errorf("crypto.subtle.sign called %d times, want 2", *signs)
	}
}

// The benchmarks compare one signature of a token's size by WebCrypto
// (with the wait for its promise) and by Go's crypto/rsa in wasm:
//
//	GOOS=js GOARCH=wasm go test -run '^$' -bench . ./app/webcrypto/
func BenchmarkSignRS256(b *testing.B) {
	key := defaultSigningKey(b)
	msg := bytes.Repeat([]byte("x"), 1200)
	for b.Loop() {
		if _, err := SignRS256(key, msg); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGoRS256(b *testing.B) {
	key := defaultSigningKey(b)
	h := sha256.Sum256(bytes.Repeat([]byte("x"), 1200))
	for b.Loop() {
		if _, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, h[:]); err != nil {
			b.Fatal(err)
		}
	}
}
