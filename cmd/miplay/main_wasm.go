//go:build wasm

package main

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	miapp "github.com/miplay/miplay/app"
)

// main is the browser app: the same routes as the server, run by go-app.
// The engine is not here: it runs in a Web Worker of its own
// (cmd/engineworker), which signs tokens with the browser's RSA.
func main() {
	miapp.Register()
	app.RunWhenOnBrowser()
}
