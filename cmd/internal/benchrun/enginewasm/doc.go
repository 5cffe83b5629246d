// Command enginewasm is the engine page of `make bench`: the scenario
// engine alone, compiled to WebAssembly, replaying the benchmark's scenario
// in the browser without the UI. It signs tokens as miplay does, with the
// browser's WebCrypto (app/webcrypto), so that it measures the engine the
// app runs. Build it with GOOS=js GOARCH=wasm; the native build does
// nothing.
package main
