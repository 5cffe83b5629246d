//go:build js

package webcrypto

import (
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"syscall/js"

	"github.com/miplay/miplay/engine/token"
)

// Install makes engine/token sign with WebCrypto and reports whether it
// did. Pages that are not a secure context (https, or http on localhost)
// have no crypto.subtle: they keep Go's RSA, and the console says so.
func Install() bool {
	if !subtle().Truthy() {
		js.Global().Get("console").Call("warn", "miplay: crypto.subtle is missing (not a secure context?): tokens are signed by Go's slower RSA")
		return false
	}
	token.UseRS256(signOrWarn)
	return true
}

// warned reports WebCrypto's first failure, once.
var warned sync.Once

// signOrWarn is SignRS256, telling the console (never the learner: Go
// signs the same token instead) the first time WebCrypto fails.
func signOrWarn(key *rsa.PrivateKey, message []byte) ([]byte, error) {
	sig, err := SignRS256(key, message)
	if err != nil {
		warned.Do(func() {
			js.Global().Get("console").Call("warn", "miplay: WebCrypto could not sign a token, Go's slower RSA does: "+err.Error())
		})
	}
	return sig, err
}

func subtle() js.Value {
	return js.Global().Get("crypto").Get("subtle")
}

// SignRS256 is a [token.RS256Func]: the RSASSA-PKCS1-v1_5 signature with
// SHA-256 of message under key, by crypto.subtle.sign. It imports key into
// WebCrypto on its first use, then reuses the CryptoKey. It blocks until
// the browser answers: never call it from a syscall/js callback (see the
// package documentation).
func SignRS256(key *rsa.PrivateKey, message []byte) (sig []byte, err error) {
	defer catch(&err)
	ck, err := cryptoKey(key)
	if err != nil {
		return nil, err
	}
	data := js.Global().Get("Uint8Array").New(len(message))
	js.CopyBytesToJS(data, message)
	buf, err := await(subtle().Call("sign", "RSASSA-PKCS1-v1_5", ck, data))
	if err != nil {
		return nil, fmt.Errorf("webcrypto: sign: %w", err)
	}
	if !buf.InstanceOf(js.Global().Get("ArrayBuffer")) {
		return nil, fmt.Errorf("webcrypto: sign answered %s, not an ArrayBuffer", buf.Type())
	}
	out := js.Global().Get("Uint8Array").New(buf) // a view of the ArrayBuffer
	sig = make([]byte, out.Length())
	js.CopyBytesToGo(sig, out)
	return sig, nil
}

// An imported key is a private key's CryptoKey, or why it has none.
type imported struct {
	once sync.Once
	key  js.Value
	err  error
}

var (
	importedMu sync.Mutex
	importedBy map[*rsa.PrivateKey]*imported // made on first use
)

// cryptoKey returns key's CryptoKey, importing it on the first call. A
// failed import is remembered too: the next signatures go straight to Go.
func cryptoKey(key *rsa.PrivateKey) (js.Value, error) {
	importedMu.Lock()
	im := importedBy[key]
	if im == nil {
		if importedBy == nil {
			importedBy = map[*rsa.PrivateKey]*imported{}
		}
		im = &imported{}
		importedBy[key] = im
	}
	importedMu.Unlock()
	// Signers that need the key meanwhile wait here for the one import.
	im.once.Do(func() { im.key, im.err = importKey(key) })
	return im.key, im.err
}

// importKey imports key as a JSON Web Key, which needs nothing but base64
// of its numbers; PKCS #8 would link Go's X.509 encoder into app.wasm.
func importKey(key *rsa.PrivateKey) (ck js.Value, err error) {
	defer catch(&err)
	if len(key.Primes) != 2 || key.Precomputed.Dp == nil || key.Precomputed.Dq == nil || key.Precomputed.Qinv == nil {
		return js.Value{}, errors.New("webcrypto: the key is not a two-prime key with its CRT values (rsa.PrivateKey.Precompute)")
	}
	num := func(n *big.Int) string { return base64.RawURLEncoding.EncodeToString(n.Bytes()) }
	jwk := map[string]any{
		"kty": "RSA",
		"alg": "RS256",
		"n":   num(key.N),
		"e":   num(big.NewInt(int64(key.E))),
		"d":   num(key.D),
		"p":   num(key.Primes[0]),
		"q":   num(key.Primes[1]),
		"dp":  num(key.Precomputed.Dp),
		"dq":  num(key.Precomputed.Dq),
		"qi":  num(key.Precomputed.Qinv),
	}
	alg := map[string]any{"name": "RSASSA-PKCS1-v1_5", "hash": "SHA-256"}
	// Not extractable: the page's scripts can sign with it, not read it
	// back (they could read the Go key anyway; it is public by design).
	ck, err = await(subtle().Call("importKey", "jwk", jwk, alg, false, []any{"sign"}))
	if err != nil {
		return js.Value{}, fmt.Errorf("webcrypto: importing the key: %w", err)
	}
	return ck, nil
}

// await waits for promise to settle and returns its value or its reason,
// on the calling goroutine, as Go's fetch transport for wasm does: the
// callbacks only hand the outcome over a channel, and while the goroutine
// waits the Go scheduler returns to JavaScript, which settles the promise.
func await(promise js.Value) (js.Value, error) {
	type outcome struct {
		v  js.Value
		ok bool
	}
	ch := make(chan outcome, 1)
	settle := func(ok bool) js.Func {
		return js.FuncOf(func(_ js.Value, args []js.Value) any {
			v := js.Undefined()
			if len(args) > 0 {
				v = args[0]
			}
			ch <- outcome{v, ok}
			return nil
		})
	}
	onOK, onErr := settle(true), settle(false)
	defer onOK.Release()
	defer onErr.Release()
	promise.Call("then", onOK, onErr)
	o := <-ch
	if !o.ok {
		return js.Value{}, jsError(o.v)
	}
	return o.v, nil
}

// jsError describes a promise's rejection reason, such as a DOMException.
func jsError(reason js.Value) error {
	if reason.Type() == js.TypeObject {
		name, msg := reason.Get("name"), reason.Get("message")
		switch {
		case name.Type() == js.TypeString && msg.Type() == js.TypeString && msg.String() != "":
			return fmt.Errorf("%s: %s", name.String(), msg.String())
		case name.Type() == js.TypeString: // Chrome's DataError has no message
			return errors.New(name.String())
		}
	}
	return fmt.Errorf("%v", reason)
}

// catch turns a panic of syscall/js, raised when JavaScript throws (a
// page that replaced crypto.subtle, say), into *err: signing then falls
// back to Go instead of stopping the app.
func catch(err *error) {
	if r := recover(); r != nil {
		if e, ok := r.(error); ok {
			*err = fmt.Errorf("webcrypto: %w", e)
			return
		}
		*err = fmt.Errorf("webcrypto: %v", r)
	}
}
