//go:build !wasm

package app

import (
	"sync"

	"github.com/miplay/miplay/app/wire"
	"github.com/miplay/miplay/app/worker"
)

var (
	hostOnce sync.Once
	host     *worker.Host
)

// engineTransport is, natively, one Host in this process for the whole
// program: the tests' pages call it as the browser's call the worker,
// across the same JSON. In the browser it is the engine's Web Worker
// (engine_wasm.go), and app.wasm does not link package worker.
func engineTransport() wire.Transport {
	hostOnce.Do(func() { host = worker.NewHost() })
	return host
}

// pageIdle is, natively, never waited for: there is no page to render.
func pageIdle() <-chan struct{} { return closedChan }

var closedChan = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// startEngineWhenIdle does nothing natively: the Host is there.
func startEngineWhenIdle() {}
