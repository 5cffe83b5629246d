//go:build !wasm

package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/miplay/miplay/app/assets"
)

func init() {
	register(&command{
		Name:    "precompress",
		Args:    "FILE...",
		Summary: "write FILE.br and FILE.gz beside each file (make build does this for app.wasm and engine.wasm)",
		Flags: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
			quality := fs.Int("quality", assets.BrotliFast, "brotli quality `Q`, 0 to 11: 9 takes a second on app.wasm, 11 takes 20 and saves another 12%")
			return func(ctx context.Context, e *env, args []string) error {
				if *quality < 0 || *quality > 11 {
					return errFlag("quality", "want 0 to 11, got %d", *quality)
				}
				if len(args) == 0 {
					return errUsage("name at least one file")
				}
				for _, name := range args {
					sz, err := assets.Precompress(name, *quality)
					if err != nil {
						return err
					}
					fmt.Fprintf(e.Stdout, "%s: %v\n", name, sz)
				}
				return nil
			}
		},
	})
}
