//go:build !wasm

// Package assets serves and prepares the files under web/ for the server
// side of the app: it precompresses the WebAssembly binary, serves the
// precompressed variants by content negotiation, and computes the app version
// from the files' contents.
//
// It is server code (net/http, os): the build tag keeps it out of the wasm
// build, so an accidental import from browser code fails to compile.
package assets
