//go:build wasm

package main

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	miapp "github.com/miplay/miplay/app"
)

// main is the browser app: the same routes as the server, run by go-app.
func main() {
	miapp.Register()
	app.RunWhenOnBrowser()
}
