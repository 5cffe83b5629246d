//go:build wasm

package app

import "github.com/miplay/miplay/app/worker"

// The wasm tests of package app (GOOS=js GOARCH=wasm go test ./app, in
// Chromium through wasmbrowsertest) run on a bare page, which starts no
// engine worker: their pages call a Host in the test's process instead, as
// the native tests do (engine_other.go). Being a test file, this links
// package worker into the test binary only.
func init() { engineForTests = worker.NewHost() }
