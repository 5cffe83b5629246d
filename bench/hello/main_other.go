//go:build !wasm

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/miplay/miplay/app/assets"
	"github.com/miplay/miplay/app/loader"
)

// main serves the page as `miplay serve` serves miplay: go-app's handler,
// with the web directory (app.wasm and its .br and .gz) resolved and served
// by miplay's assets.Dir, the version from the directory's contents, the
// wasm's uncompressed size for the loading bar, and miplay's app.js, which
// registers the service worker once the app has started (app/loader).
func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen on `HOST:PORT`")
	web := flag.String("web", "web", "serve app.wasm from `DIR`")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("hello: ")

	register()
	sz, err := assets.Stat(filepath.Join(*web, "app.wasm"))
	if err != nil {
		log.Fatal(err)
	}
	version, err := assets.Version(*web)
	if err != nil {
		log.Fatal(err)
	}
	h := &app.Handler{
		Name:  "hello",
		Title: "hello",
		// A local icon, as a deployed app has: go-app's default is on
		// GitHub, and a resource its service worker cannot fetch makes the
		// worker cache nothing (benchrun copies the file into the web
		// directory).
		Icon:              app.Icon{Default: "/web/icon.png"},
		Resources:         assets.NewDir(*web),
		Version:           version,
		WasmContentLength: strconv.FormatInt(sz.Raw, 10),
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Handler: loader.Handler(h), ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	// The same first line as miplay serve's, which the benchmark reads.
	fmt.Printf("hello: serving http://%s/ (version %s; app.wasm %v)\n", ln.Addr(), version, sz)
	select {
	case err := <-errc:
		log.Fatal(err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		log.Fatal(err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
