package main

import "path/filepath"

// measureSizes reports app.wasm against the hello page's, raw and as the
// server sends it, and what it is made of; then engine.wasm, and both.
// Only app.wasm's brotli has a budget: it is the page's own program, which
// the page waits for, and brotli is what browsers accept and what miplay
// serve and static hosts send them. engine.wasm downloads at the same time,
// in the engine's Web Worker; time to interactive counts it.
func measureSizes(t *table, b *builds) error {
	const s = "WebAssembly size"
	t.add(s, row{Figure: "app.wasm raw", Ours: float64(b.ours.Raw), Base: float64(b.floor.Raw), BaseName: "hello", Unit: unitBytes})
	t.add(s, row{Figure: "app.wasm gzip -9", Ours: float64(b.ours.Gzip), Base: float64(b.floor.Gzip), BaseName: "hello", Unit: unitBytes})
	t.add(s, row{Figure: "app.wasm brotli (make build's quality)", Ours: float64(b.ours.Brotli), Base: float64(b.floor.Brotli), BaseName: "hello", Unit: unitBytes, Budget: 1.8, Ratio: true})
	t.add(s, row{Figure: "engine.wasm raw (the engine's worker)", Ours: float64(b.engine.Raw), Unit: unitBytes})
	t.add(s, row{Figure: "engine.wasm gzip -9", Ours: float64(b.engine.Gzip), Unit: unitBytes})
	t.add(s, row{Figure: "engine.wasm brotli (make build's quality)", Ours: float64(b.engine.Brotli), Unit: unitBytes})
	t.add(s, row{Figure: "app.wasm + engine.wasm raw", Ours: float64(b.ours.Raw + b.engine.Raw), Base: float64(b.floor.Raw), BaseName: "hello", Unit: unitBytes})
	t.add(s, row{Figure: "app.wasm + engine.wasm brotli", Ours: float64(b.ours.Brotli + b.engine.Brotli), Base: float64(b.floor.Brotli), BaseName: "hello", Unit: unitBytes})
	ours, err := readShippedLayout(filepath.Join(b.web, "app.wasm"), b.namedWasm)
	if err != nil {
		return err
	}
	floor, err := readShippedLayout(filepath.Join(b.helloWeb, "app.wasm"), b.namedHello)
	if err != nil {
		return err
	}
	addLayout(t, ours, floor)
	return nil
}
