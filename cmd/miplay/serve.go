//go:build !wasm

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	miapp "github.com/miplay/miplay/app"
	"github.com/miplay/miplay/app/assets"
	"github.com/miplay/miplay/app/loader"
)

func init() {
	register(&command{
		Name:    "serve",
		Summary: "serve the browser app over HTTP (loopback only by default)",
		Help: `
Serve runs the browser app: the pages, prerendered on the server, and the
WebAssembly build from the web directory, sent brotli- or gzip-compressed when
the browser accepts it. It listens on 127.0.0.1 unless --addr says otherwise,
and stops cleanly on interrupt.

The web directory must hold app.wasm, the page's program, and engine.wasm, the
engine's, which each page runs in a Web Worker (web/engine.js starts it);
'make build' builds and compresses both.`,
		Flags: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
			addr := fs.String("addr", "127.0.0.1:8000", "listen on `HOST:PORT`; port 0 picks a free port")
			web := fs.String("web", "web", "serve app.wasm, engine.wasm and static files from `DIR`")
			return func(ctx context.Context, e *env, args []string) error {
				if len(args) > 0 {
					return errUsage("unexpected argument %q", args[0])
				}
				if err := checkAddr(*addr); err != nil {
					return errFlag("addr", "%v", err)
				}
				return serve(ctx, e, *addr, *web)
			}
		},
	})
}

// checkAddr checks a HOST:PORT listen address.
func checkAddr(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("want HOST:PORT, such as 127.0.0.1:8000, got %q", addr)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("port %q is not a number from 0 to 65535", port)
	}
	if host != "" && host != "localhost" && net.ParseIP(host) == nil {
		return fmt.Errorf("host %q is not an IP address or localhost", host)
	}
	return nil
}

func serve(ctx context.Context, e *env, addr, webDir string) error {
	web, err := loadWeb(e, webDir, false)
	if err != nil {
		return err
	}
	h := serveHandler(web)

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && !tcp.IP.IsLoopback() {
		e.Logf("warning: listening on %s, beyond this machine", ln.Addr())
	}
	// Tests and scripts read this line to find the port.
	fmt.Fprintf(e.Stdout, "miplay: serving http://%s/ (version %s; app.wasm %v; engine.wasm %v)\n", ln.Addr(), web.Version, web.Wasm, web.Engine)
	return serveUntilDone(ctx, e, ln, h)
}

// serveHandler is what serve serves: go-app's handler for the app, with an
// app.js that registers the service worker once the app has started, so
// that a first visit does not download app.wasm twice at once (see
// app/loader).
func serveHandler(web *webInfo) http.Handler {
	h := miapp.NewHandler(assets.NewDir(web.Dir), web.Version, web.Wasm.Raw)
	return securityHeaders(loader.Handler(h))
}

// serveUntilDone serves h on ln until ctx is done, then shuts the server
// down, giving requests in flight shutdownGrace to finish.
func serveUntilDone(ctx context.Context, e *env, ln net.Listener, h http.Handler) error {
	return serveWithGrace(ctx, e, ln, h, shutdownGrace)
}

// shutdownGrace is how long a stopping server waits for requests in flight.
const shutdownGrace = 5 * time.Second

// serveWithGrace is serveUntilDone with the grace as a parameter, for tests.
//
// A server still waiting when the grace ends closes what is left and stops
// anyway: Ctrl-C must stop it. What is left is often no request at all:
// browsers open connections ahead of need, and net/http's Shutdown waits
// for a connection that has sent nothing until it is five seconds old.
func serveWithGrace(ctx context.Context, e *env, ln net.Listener, h http.Handler, grace time.Duration) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	switch err := srv.Shutdown(shutdown); {
	case errors.Is(err, context.DeadlineExceeded):
		e.Logf("connections still open after %s; closing them", grace)
		if err := srv.Close(); err != nil {
			return err
		}
	case err != nil:
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	e.Logf("stopped")
	return nil
}

func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "same-origin")
		h.ServeHTTP(w, r)
	})
}
