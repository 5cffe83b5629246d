// Package webcrypto signs the engine's tokens with the browser's RSA:
// WebCrypto's RSASSA-PKCS1-v1_5 with SHA-256, through crypto.subtle.sign.
// Go's crypto/rsa compiled to WebAssembly takes 6 ms a signature once V8
// has optimised it, some 40 ms before (a scenario's first run); the
// browser's takes about one, the wait for its promise included. The scheme
// is deterministic, so the tokens are byte for byte those Go would sign,
// and the scenario files' expected outputs still hold.
//
// [Install] hands [SignRS256] to engine/token ([token.UseRS256]) at
// start-up, in the browser build only; elsewhere it does nothing. A key is
// imported into WebCrypto once, on its first signature.
//
// SignRS256 waits for WebCrypto's promise on the calling goroutine, as Go's
// own fetch transport does. That works from any goroutine but one running a
// syscall/js callback: JavaScript waits for the callback to return before
// it settles any promise, so the wait would never end. In miplay the
// engine runs in go-app's Context.Async goroutines, and go-app's UI
// goroutine is an ordinary one (callbacks only hand it work), so neither
// is a callback.
//
// The browser tests run in headless Chromium:
//
//	GOOS=js GOARCH=wasm go test ./app/webcrypto/
//
// with wasmbrowsertest installed as go_js_wasm_exec on PATH (make test does
// that).
package webcrypto
