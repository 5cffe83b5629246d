// Package worker is the engine side of miplay's browser app: the scenario
// players, sandboxes and exercises behind the pages, the parsing of
// uploaded and shared scenario files, and the builders of the view models
// the pages render. It answers the calls of package wire through a Host.
//
// In the browser it runs in a Web Worker, a WebAssembly program of its own
// (cmd/engineworker), so that the page's program (package app) does not
// link the engine: the page starts on a download a third the size, and the
// engine works beside the page instead of on its thread. Natively, package
// app calls a Host in the same process, across the same JSON, so the
// native tests cover what the browser sends.
package worker
