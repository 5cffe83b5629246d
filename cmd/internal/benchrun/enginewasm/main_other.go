//go:build !(js && wasm)

package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "enginewasm runs in a browser: build it with GOOS=js GOARCH=wasm (make bench does)")
	os.Exit(2)
}
