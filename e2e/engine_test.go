package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/miplay/miplay/app/wire"
	"github.com/miplay/miplay/bench/cdpworker"
)

// Tests of the engine's Web Worker: the page's program (app.wasm) calls the
// engine (engine.wasm, in a worker the page's <head> starts) by messages.
// They call wire.MethodPing through miplayEngineCall, which the page's
// transport (app/engine_wasm.go) exposes to browser automation only.

// engineAnswer is what engineCall brings back: the response's JSON, or the
// error's (a wire.Error).
type engineAnswer struct {
	Response string `json:"response"`
	Error    string `json:"error"`
}

// wireError decodes the error of an answer.
func (a engineAnswer) wireError(t *testing.T) *wire.Error {
	t.Helper()
	if a.Error == "" {
		t.Fatalf("the call succeeded (%s), want an error", a.Response)
	}
	var we wire.Error
	if err := json.Unmarshal([]byte(a.Error), &we); err != nil {
		t.Fatalf("the error %q is not a wire.Error: %v", a.Error, err)
	}
	return &we
}

// engineCallJS calls the engine from the page as its pages do; the answer
// is an engineAnswer.
func engineCallJS(method string, req any, timeoutMillis int) string {
	b, err := json.Marshal(req)
	if err != nil {
		panic(err)
	}
	timeout := "undefined"
	if timeoutMillis > 0 {
		timeout = fmt.Sprint(timeoutMillis)
	}
	return fmt.Sprintf(`miplayEngineCall(%q, %q, %s).then((response) => ({response}), (error) => ({error}))`, method, b, timeout)
}

func engineCall(t *testing.T, ctx context.Context, method string, req any, timeoutMillis int) engineAnswer {
	t.Helper()
	return run(t, ctx, "calling the engine's "+method, chromedp.Evaluate[engineAnswer](engineCallJS(method, req, timeoutMillis), chromedp.EvalAwaitPromise))
}

// ping calls wire.MethodPing and fails the test unless it answers.
func ping(t *testing.T, ctx context.Context, say string) wire.PingResponse {
	t.Helper()
	a := engineCall(t, ctx, wire.MethodPing, wire.PingRequest{Say: say}, 0)
	if a.Error != "" {
		t.Fatalf("ping: %s", a.Error)
	}
	var resp wire.PingResponse
	if err := json.Unmarshal([]byte(a.Response), &resp); err != nil {
		t.Fatalf("ping answered %q: %v", a.Response, err)
	}
	if resp.Said != say || !strings.HasPrefix(resp.GoVersion, "go") {
		t.Fatalf("ping %q answered %+v", say, resp)
	}
	return resp
}

// inEngineWorker evaluates js in the engine's Web Worker of the page
// shown in ctx (its only tab), awaiting a promise, and decodes the value.
// Scripts added to the page's documents do not reach the worker: this
// attaches to it as a target of its own, and detaches after, leaving it
// running. The last page's worker can still be listed beside the page's
// own (the back-forward cache keeps it, frozen): the page's is the one
// that started last, and answers.
func inEngineWorker[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		newest, err := cdpworker.Newest(ctx, 3*time.Second)
		if err != nil {
			t.Fatalf("listing the browser's targets: %v", err)
		}
		if newest != nil {
			v, err := chromedp.Run(newest, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatalf("in the engine's worker, %s: %v", js, err)
			}
			return v
		}
		if time.Now().After(deadline) {
			t.Fatalf("no engine worker answers in the browser")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// proxy serves what miplay serve at origin serves, except where change
// answers first (it returns true when it has).
func proxy(t *testing.T, origin string, change func(w http.ResponseWriter, r *http.Request) bool) string {
	t.Helper()
	target, err := url.Parse(origin)
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(target)
	transport := http.DefaultTransport.(*http.Transport).Clone()
	rp.Transport = transport
	rp.ErrorLog = log.New(io.Discard, "", 0) // the browser cancels requests as it likes
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !change(w, r) {
			rp.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(func() {
		// Requests still under way are cut, not waited for: the server
		// behind would otherwise still be answering them when it stops.
		srv.CloseClientConnections()
		srv.Close()
		// A connection dialled for a request that was then cancelled
		// waits idle here, having sent nothing; the server behind
		// would wait five seconds for it to speak.
		transport.CloseIdleConnections()
	})
	return srv.URL
}

// The engine answers the page's calls through its worker: responses,
// errors with their codes, many calls at once, and a cancelled call, whose
// late answer is dropped. Calls made while engine.wasm still downloads
// wait in the worker's queue.
func TestEngineWorkerAnswers(t *testing.T) {
	ctx := newBrowser(t)
	// engine.wasm comes late, so that the page's first call finds the
	// engine still loading.
	var slowed atomic.Int32
	base := proxy(t, serve(t, built(t)), func(w http.ResponseWriter, r *http.Request) bool {
		if strings.HasSuffix(r.URL.Path, "/engine.wasm") {
			slowed.Add(1)
			time.Sleep(1500 * time.Millisecond)
		}
		return false
	})

	do(t, ctx, "loading the home page", chromedp.Navigate(base+"/"))
	waitApp(t, ctx)
	if got := eval[string](t, ctx, `String(window.miplayEngine && window.miplayEngine.worker)`); got != "[object Worker]" {
		t.Fatalf("window.miplayEngine.worker = %s, want the engine's worker", got)
	}
	t0 := time.Now()
	resp := ping(t, ctx, "first")
	t.Logf("the first ping took %s (engine %s)", time.Since(t0).Round(time.Millisecond), resp.GoVersion)
	if slowed.Load() == 0 {
		t.Errorf("engine.wasm was not requested through the proxy")
	}

	// An error of the engine crosses as a wire.Error with its code.
	we := engineCall(t, ctx, wire.MethodPing, wire.PingRequest{Fail: "as asked"}, 0).wireError(t)
	if we.Message != "as asked" || we.Code != "ping" {
		t.Errorf("ping with Fail: %+v", we)
	}
	we = engineCall(t, ctx, "no-such-method", struct{}{}, 0).wireError(t)
	if !strings.Contains(we.Message, `no method "no-such-method"`) {
		t.Errorf("an unknown method: %+v", we)
	}

	// Many calls at once each get their own answer.
	var calls []string
	for i := range 20 {
		calls = append(calls, engineCallJS(wire.MethodPing, wire.PingRequest{Say: fmt.Sprint(i), SleepMillis: (20 - i) * 10}, 0))
	}
	answers := run(t, ctx, "20 calls at once", chromedp.Evaluate[[]engineAnswer](`Promise.all([`+strings.Join(calls, ",")+`])`, chromedp.EvalAwaitPromise))
	for i, a := range answers {
		var r wire.PingResponse
		if err := json.Unmarshal([]byte(a.Response), &r); err != nil || r.Said != fmt.Sprint(i) {
			t.Errorf("call %d of 20 answered %+v", i, a)
		}
	}

	// A call whose context ends returns then; the engine's answer, when it
	// comes, is dropped, and the next calls are answered as usual.
	t0 = time.Now()
	we = engineCall(t, ctx, wire.MethodPing, wire.PingRequest{Say: "late", SleepMillis: 3000}, 200).wireError(t)
	if took := time.Since(t0); !strings.Contains(we.Message, "context deadline exceeded") || took > 2*time.Second {
		t.Errorf("a call with a 200 ms timeout: %+v after %s", we, took)
	}
	ping(t, ctx, "after the timeout")
	do(t, ctx, "waiting past the sleep", chromedp.Sleep(500*time.Millisecond))
	ping(t, ctx, "still there")
}

// When the engine cannot start, every call fails at once with
// wire.CodeNoEngine, never hangs.
func TestEngineWorkerFailsToLoad(t *testing.T) {
	for _, missing := range []string{"/web/engine.wasm", "/web/engine.js"} {
		t.Run(filepath.Base(missing), func(t *testing.T) {
			ctx := newBrowser(t)
			base := proxy(t, serve(t, built(t)), func(w http.ResponseWriter, r *http.Request) bool {
				if r.URL.Path == missing {
					http.NotFound(w, r)
					return true
				}
				return false
			})
			do(t, ctx, "loading the home page", chromedp.Navigate(base+"/"))
			waitApp(t, ctx)
			for i := range 2 { // the first call, and one after the failure is known
				t0 := time.Now()
				we := engineCall(t, ctx, wire.MethodPing, wire.PingRequest{Say: "anyone?"}, 0).wireError(t)
				if we.Code != wire.CodeNoEngine || !strings.Contains(we.Message, "the engine could not start") {
					t.Errorf("call %d without %s: %+v", i+1, missing, we)
				}
				if took := time.Since(t0); took > 10*time.Second {
					t.Errorf("call %d without %s failed only after %s", i+1, missing, took)
				}
				t.Logf("call %d: %s", i+1, we.Message)
			}
		})
	}
}

// The engine runs from a static build under a sub-path: the worker, its
// wasm and go-app's wasm_exec.js are found under the base.
func TestEngineWorkerInStaticBuild(t *testing.T) {
	ctx := newBrowser(t)
	dir := built(t)
	root := filepath.Join(t.TempDir(), "site")
	out := filepath.Join(root, "docs", "miplay")
	cmd := exec.Command(filepath.Join(dir, "miplay"), "build-static", "--web", filepath.Join(dir, "web"), "--out", out, "--base", "/docs/miplay/")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build-static: %v\n%s", err, b)
	}
	for _, f := range []string{"web/engine.js", "web/engine.wasm", "web/engine.wasm.br", "web/engine.wasm.gz"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("build-static did not write %s", f)
		}
	}
	srv := httptest.NewServer(pagesHost(root, "docs/miplay"))
	t.Cleanup(srv.Close)
	do(t, ctx, "loading the static site", chromedp.Navigate(srv.URL+"/docs/miplay/gallery"))
	waitApp(t, ctx)
	ping(t, ctx, "static")
}

// After one visit the engine works offline: the service worker holds the
// worker's script and engine.wasm under the page's version.
func TestEngineWorkerOffline(t *testing.T) {
	ctx := newBrowser(t)
	var offline atomic.Bool
	base := proxy(t, serve(t, built(t)), func(w http.ResponseWriter, r *http.Request) bool {
		if offline.Load() {
			panic(http.ErrAbortHandler)
		}
		return false
	})
	do(t, ctx, "first visit", chromedp.Navigate(base+"/"))
	waitApp(t, ctx)
	ping(t, ctx, "online")
	waitCached(t, ctx, "/web/engine.wasm?v=", "/web/engine.js?v=", "/wasm_exec.js")
	goOffline(t, ctx)
	offline.Store(true)
	do(t, ctx, "reloading offline", chromedp.Reload())
	waitApp(t, ctx)
	ping(t, ctx, "offline")
}
