//go:build js && wasm

package main

import (
	"github.com/miplay/miplay/app/webcrypto"
	"github.com/miplay/miplay/app/worker"
)

// main serves the page's calls until the worker ends. The worker has
// crypto.subtle as a page has (globalThis.crypto), so tokens are signed by
// the browser's RSA here too.
func main() {
	webcrypto.Install()
	worker.ServeJS(worker.NewHost())
}
