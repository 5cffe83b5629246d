//go:build !wasm

package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/miplay/miplay/app/assets"
)

// webInfo describes a web directory ready to serve.
type webInfo struct {
	Dir     string
	Version string
	Wasm    assets.Sizes // app.wasm, the page's program
	Engine  assets.Sizes // engine.wasm, the engine's, which runs in a Web Worker
}

// wasmSources are the wasm files a web directory must hold, and the
// package each is built from.
var wasmSources = []struct{ name, pkg string }{
	{"app.wasm", "./cmd/miplay"},
	{"engine.wasm", "./cmd/engineworker"},
}

// loadWeb checks that dir holds app.wasm and engine.wasm and returns its
// version and their sizes. With precompress, missing or stale .br and .gz
// variants are made; otherwise they are reported, and the server sends the
// wasm as it is.
func loadWeb(e *env, dir string, precompress bool) (*webInfo, error) {
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		return nil, fmt.Errorf("web directory %s not found (run miplay from the repository root, or pass --web DIR)", dir)
	}
	var sizes []assets.Sizes
	for _, w := range wasmSources {
		wasm := filepath.Join(dir, w.name)
		if _, err := os.Stat(wasm); err != nil {
			return nil, fmt.Errorf("%s not found: build it first with 'make build' (or GOOS=js GOARCH=wasm go build -o %s %s)", wasm, wasm, w.pkg)
		}
		sz, err := assets.Stat(wasm)
		if err != nil {
			return nil, err
		}
		if sz.Brotli == 0 || sz.Gzip == 0 {
			if precompress {
				e.Logf("compressing %s", wasm)
				if sz, err = assets.Precompress(wasm, assets.BrotliBest); err != nil {
					return nil, err
				}
			} else {
				e.Logf("warning: %s.br or .gz is missing or older than %s; sending what is fresh (run 'make build' to compress)", wasm, w.name)
			}
		}
		sizes = append(sizes, sz)
	}
	v, err := assets.Version(dir)
	if err != nil {
		return nil, err
	}
	return &webInfo{Dir: dir, Version: v, Wasm: sizes[0], Engine: sizes[1]}, nil
}
