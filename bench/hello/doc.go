// Command hello is the floor of the benchmarks: the smallest go-app v10 app,
// one page that says hello. `make bench` builds it with the flags miplay is
// built with and serves it the way `miplay serve` serves miplay, so that
// every figure of miplay's has one of the same kind beside it.
//
// Like miplay, it is one main package with a wasm/!wasm split: the browser
// build runs the page (main_wasm.go), the native build serves it
// (main_other.go).
package main
