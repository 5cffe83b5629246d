//go:build !(js && wasm)

package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "engineworker is the engine of miplay's browser app and runs only in a browser's Web Worker:\nbuild it with GOOS=js GOARCH=wasm go build -o web/engine.wasm ./cmd/engineworker ('make build' does), then run 'miplay serve'.")
	os.Exit(2)
}
