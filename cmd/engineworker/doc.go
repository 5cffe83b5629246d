// Engineworker is the engine of miplay's browser app: the program that runs
// in the page's Web Worker and answers its calls (package app/worker's Host,
// served by worker.ServeJS). It is built for the browser only,
//
//	GOOS=js GOARCH=wasm go build -ldflags=-s -o web/engine.wasm ./cmd/engineworker
//
// which 'make build' does, beside web/app.wasm (cmd/miplay, the page's own
// program). web/engine.js starts it in the worker. Keeping the engine out of
// app.wasm keeps the page's first download small; engine.wasm downloads at
// the same time, in the worker, which the page starts from its <head>.
//
// Natively it only says that it runs in a browser, and exits with status 2.
package main
