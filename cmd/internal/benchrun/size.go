package main

import "path/filepath"

// measureSizes reports app.wasm against the hello page's, raw and as the
// server sends it, and what it is made of. Only brotli has a budget:
// browsers accept it, and it is what miplay serve and static hosts send
// them.
func measureSizes(t *table, b *builds) error {
	const s = "WebAssembly size"
	t.add(s, row{Figure: "app.wasm raw", Ours: float64(b.ours.Raw), Base: float64(b.floor.Raw), BaseName: "hello", Unit: unitBytes})
	t.add(s, row{Figure: "app.wasm gzip -9", Ours: float64(b.ours.Gzip), Base: float64(b.floor.Gzip), BaseName: "hello", Unit: unitBytes})
	t.add(s, row{Figure: "app.wasm brotli (make build's quality)", Ours: float64(b.ours.Brotli), Base: float64(b.floor.Brotli), BaseName: "hello", Unit: unitBytes, Budget: 1.8, Ratio: true})
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
