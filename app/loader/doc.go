//go:build !wasm

// Package loader patches go-app's page loader, app.js, so that a first visit
// downloads app.wasm once instead of twice: go-app registers its service
// worker first thing, and the worker's install caches every resource,
// app.wasm included, while the page is fetching and compiling that same
// wasm. The patched script registers the worker once the app has started.
// It also instantiates the module a page compiled already, from its <head>
// (window.goappWasmModule, see app/handler.go), instead of fetching the
// wasm itself: a page without one loads as go-app's does.
//
// Both servers of the benchmarks use it, miplay's and the hello page's, so
// that their figures compare like with like; it imports only go-app's
// handler, not miplay's UI. It is server code: the build tag keeps it out of
// the wasm build.
package loader
