//go:build wasm

package main

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	miapp "github.com/miplay/miplay/app"
	"github.com/miplay/miplay/app/webcrypto"
)

// main is the browser app: the same routes as the server, run by go-app.
func main() {
	webcrypto.Install() // tokens signed by the browser's RSA: about 1 ms, not Go's 6 to 40
	miapp.Register()
	app.RunWhenOnBrowser()
}
