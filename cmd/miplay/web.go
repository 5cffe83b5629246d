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
	Wasm    assets.Sizes
}

// loadWeb checks that dir holds app.wasm and returns its version and sizes.
// With precompress, missing or stale .br and .gz variants are made;
// otherwise they are reported, and the server sends app.wasm as it is.
func loadWeb(e *env, dir string, precompress bool) (*webInfo, error) {
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		return nil, fmt.Errorf("web directory %s not found (run miplay from the repository root, or pass --web DIR)", dir)
	}
	wasm := filepath.Join(dir, "app.wasm")
	if _, err := os.Stat(wasm); err != nil {
		return nil, fmt.Errorf("%s not found: build it first with 'make build' (or GOOS=js GOARCH=wasm go build -o %s ./cmd/miplay)", wasm, wasm)
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
			e.Logf("warning: %s.br or .gz is missing or older than app.wasm; sending what is fresh (run 'make build' to compress)", wasm)
		}
	}
	v, err := assets.Version(dir)
	if err != nil {
		return nil, err
	}
	return &webInfo{Dir: dir, Version: v, Wasm: sz}, nil
}
