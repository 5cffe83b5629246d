// Package wire is what crosses between miplay's two WebAssembly programs:
// the UI (package app, in the page) and the engine (package worker, in a
// Web Worker). It holds the view models the pages render, the scenario as
// the pages read it, and the calls' requests and responses, all plain
// structs that encode to JSON; and Call, which sends one request over a
// Transport.
//
// It imports nothing of the engine, so the UI's wasm does not link the
// engine: that split is what keeps the page's first download small
// (bench/README.md). Package worker builds these structs from the engine's
// types; package app only reads them.
package wire
