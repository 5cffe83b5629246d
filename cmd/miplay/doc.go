// Command miplay is the one binary of the miplay project.
//
// Built for the host, it is a command-line tool with subcommands (miplay
// help lists them). Built with GOOS=js GOARCH=wasm, it is the browser app:
// main_wasm.go starts the go-app UI, and none of the server code is linked
// in, because every other file of this package carries //go:build !wasm.
//
// Adding a subcommand: create NAME.go with //go:build !wasm and an init
// function that calls register with a *command (see command.go and
// serve.go). Forgetting the build tag breaks the wasm build at once, since
// register and command exist only in the host build.
package main
