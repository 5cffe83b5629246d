package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/heapprofiler"
	"github.com/chromedp/cdproto/page"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/miplay/miplay/bench/cdpworker"
)

// A browser is a headless Chromium with a profile of its own: a fresh
// user-data-dir is a cold cache; loading a page a second time in the same
// browser is a warm one (HTTP cache, go-app's service worker, V8's code
// cache).
type browser struct {
	ctx     context.Context
	cancel  context.CancelFunc
	profile string
}

// launch starts Chromium with the flags of the e2e tests and a new,
// empty profile.
func launch(parent context.Context, chromium string) (*browser, error) {
	profile, err := os.MkdirTemp("", "miplay-bench-profile-")
	if err != nil {
		return nil, err
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.UserDataDir(profile),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.WindowSize(1280, 900),
	)
	actx, acancel := chromedp.NewExecAllocator(parent, opts...)
	ctx, cancel := chromedp.NewContext(actx)
	b := &browser{ctx: ctx, profile: profile, cancel: func() { cancel(); acancel() }}
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		b.close()
		return nil, fmt.Errorf("starting Chromium: %w", err)
	}
	return b, nil
}

func (b *browser) close() {
	b.cancel()
	os.RemoveAll(b.profile)
}

// probeJS runs in every document before its own scripts. It records, in
// window.__bench:
//
//   - ready: performance.now() (milliseconds since the navigation started)
//     when an element matching the selector first exists;
//   - instance: the WebAssembly instance the page made, to read the size of
//     its linear memory;
//   - instantiated: when that instance was made;
//   - lcp: the largest contentful paint so far, the time the page's
//     largest text or image was first drawn.
//
// A MutationObserver checks the selector after each batch of DOM changes,
// so the time is that of the change that made the page interactive, not of
// a polling tick.
const probeJS = `(() => {
  const sel = %s;
  const bench = window.__bench = {ready: 0, instantiated: 0, instance: null, lcp: 0};
  new PerformanceObserver(list => {
    for (const e of list.getEntries()) bench.lcp = e.startTime;
  }).observe({type: "largest-contentful-paint", buffered: true});
  for (const name of ["instantiateStreaming", "instantiate"]) {
    const orig = WebAssembly[name];
    if (!orig) continue;
    WebAssembly[name] = async function (...args) {
      const r = await orig.apply(this, args);
      if (!bench.instance) {
        bench.instance = r.instance || r;
        bench.instantiated = performance.now();
      }
      return r;
    };
  }
  const check = () => {
    if (!bench.ready && sel && document.querySelector(sel)) bench.ready = performance.now();
    return bench.ready > 0;
  };
  const mo = new MutationObserver(() => { if (check()) mo.disconnect(); });
  mo.observe(document, {subtree: true, childList: true, attributes: true});
})();`

// probe installs probeJS for documents loaded from now on, watching sel.
func (b *browser) probe(sel string) error {
	_, err := chromedp.Call(b.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: fmt.Sprintf(probeJS, jsString(sel)),
	})
	return err
}

// timing is one page load as the probe saw it, in milliseconds from the
// start of the navigation.
type timing struct {
	Ready        float64 `json:"ready"`
	Instantiated float64 `json:"instantiated"`
	WasmEnd      float64 `json:"wasmEnd"`      // the wasm's response fully read
	WasmTransfer float64 `json:"wasmTransfer"` // bytes over the network (0 from a cache)
	// LCP is the largest contentful paint, read by readLCP some time after
	// the page is ready (0 until then).
	LCP float64 `json:"-"`

	Engine engineTiming `json:"-"` // miplay's engine worker, read by load
}

// waitReadyJS resolves with the probe's figures once the page is ready.
const waitReadyJS = `new Promise((resolve, reject) => {
  const t0 = Date.now();
  const tick = () => {
    const b = window.__bench;
    if (b && b.ready) {
      const r = performance.getEntriesByType("resource").find(e => /\/app\.wasm(\?|$)/.test(e.name));
      return resolve({ready: b.ready, instantiated: b.instantiated,
        wasmEnd: r ? r.responseEnd : 0, wasmTransfer: r ? r.transferSize : 0});
    }
    if (Date.now() - t0 > %d) return reject(new Error("not ready after %d ms: " + document.documentElement.outerHTML.slice(0, 400)));
    setTimeout(tick, 25);
  };
  tick();
})`

// load navigates to url and waits until the probe's selector matches. It
// reads the start of the engine's worker too, if the page has one.
func (b *browser) load(url string, timeout time.Duration) (timing, error) {
	if err := chromedp.Do(b.ctx, chromedp.Navigate(url)); err != nil {
		return timing{}, err
	}
	tm, err := b.waitReady(timeout)
	if err != nil {
		return tm, err
	}
	tm.Engine, err = b.readEngineTiming()
	return tm, err
}

// lcpSettle is how long readLCP waits: the page's render after it is
// ready is drawn within a few frames, and Chrome reports its paint once
// drawn.
const lcpSettle = 500 * time.Millisecond

// readLCP waits lcpSettle, then reads the largest contentful paint of the
// page, in milliseconds from the navigation.
func (b *browser) readLCP() (float64, error) {
	if err := chromedp.Do(b.ctx, chromedp.Sleep(lcpSettle)); err != nil {
		return 0, err
	}
	return eval[float64](b, "window.__bench.lcp")
}

func (b *browser) waitReady(timeout time.Duration) (timing, error) {
	js := fmt.Sprintf(waitReadyJS, timeout.Milliseconds(), timeout.Milliseconds())
	return chromedp.Run(b.ctx, chromedp.Evaluate[timing](js, chromedp.EvalAwaitPromise))
}

// waitServiceWorker waits until go-app's service worker is active and has
// cached app.wasm, as it has by a visitor's second visit.
func (b *browser) waitServiceWorker(timeout time.Duration) error {
	// Active is not enough: go-app's worker activates while its install's
	// cache.addAll is still downloading (it does not waitUntil it), and with
	// the worker registered once the page has started, a load right after
	// activation would find app.wasm not cached yet. A visitor who comes
	// back finds the cache filled, so wait for app.wasm to be in it.
	js := fmt.Sprintf(`Promise.race([
  navigator.serviceWorker.ready.then(async r => {
    if (!r.active) return false;
    for (;;) {
      for (const k of await caches.keys()) {
        if (await (await caches.open(k)).match("/web/app.wasm")) return true;
      }
      await new Promise(res => setTimeout(res, 20));
    }
  }),
  new Promise(r => setTimeout(() => r(false), %d)),
])`, timeout.Milliseconds())
	ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](js, chromedp.EvalAwaitPromise))
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("no active service worker with app.wasm in its cache after %s", timeout)
	}
	return nil
}

// eval runs a JavaScript expression, awaiting a promise, and decodes its
// value into T.
func eval[T any](b *browser, js string) (T, error) {
	return chromedp.Run(b.ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
}

// memory is what a page holds after a full garbage collection.
type memory struct {
	JSHeap   float64 // V8's used heap, of the page's isolate
	DOMHeap  float64 // Blink's garbage-collected heap (DOM nodes and the like)
	WasmMem  float64 // the WebAssembly instance's linear memory: the Go heap's high-water mark and more
	DOMNodes float64
}

func (m memory) total() float64 { return m.JSHeap + m.DOMHeap + m.WasmMem }

// readMemory collects garbage, then reads the JS heap and the wasm memory.
func (b *browser) readMemory() (memory, error) {
	var m memory
	for range 2 {
		if _, err := chromedp.Call(b.ctx, heapprofiler.CollectGarbage, cdp.Empty{}); err != nil {
			return m, err
		}
	}
	heap, err := chromedp.Call(b.ctx, cdpruntime.GetHeapUsage, cdp.Empty{})
	if err != nil {
		return m, err
	}
	m.JSHeap, m.DOMHeap = heap.UsedSize, heap.EmbedderHeapUsedSize
	raw, err := eval[json.RawMessage](b, `({wasm: window.__bench && window.__bench.instance ? window.__bench.instance.exports.mem.buffer.byteLength : 0,
  nodes: document.getElementsByTagName("*").length})`)
	if err != nil {
		return m, err
	}
	var v struct {
		Wasm  float64 `json:"wasm"`
		Nodes float64 `json:"nodes"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return m, err
	}
	m.WasmMem, m.DOMNodes = v.Wasm, v.Nodes
	return m, nil
}

// engineWorker returns a context on the engine's Web Worker of the page
// loaded last, or nil if there is none (cdpworker.Newest). The contexts
// detach when b closes, leaving the workers running.
func (b *browser) engineWorker() (context.Context, error) {
	return cdpworker.Newest(b.ctx, 3*time.Second)
}

// engineTiming is the engine worker's start, in milliseconds from the start
// of the page's navigation, as web/engine.js marks it: engine.wasm fully
// read, instantiated, and the Go program serving (worker.ServeJS ready).
type engineTiming struct {
	WasmEnd      float64 `json:"wasmEnd"`
	Instantiated float64 `json:"instantiated"`
	Ready        float64 `json:"ready"`
}

// engineTimingJS reads engineTiming in the worker, given the page's
// performance.timeOrigin.
const engineTimingJS = `(() => {
  const shift = performance.timeOrigin - %v;
  const mark = (n) => { const m = performance.getEntriesByName(n)[0]; return m ? m.startTime + shift : 0; };
  const r = performance.getEntriesByType("resource").find(e => /\/engine\.wasm(\?|$)/.test(e.name));
  return {wasmEnd: r ? r.responseEnd + shift : 0, instantiated: mark("miplay-engine-instantiated"), ready: mark("miplay-engine-ready")};
})()`

// readEngineTiming reads the engine worker's start on the page loaded last,
// or zeros if the page has no engine worker.
func (b *browser) readEngineTiming() (engineTiming, error) {
	var et engineTiming
	wctx, err := b.engineWorker()
	if err != nil || wctx == nil {
		return et, err
	}
	origin, err := chromedp.Run(b.ctx, chromedp.Evaluate[float64](`performance.timeOrigin`))
	if err != nil {
		return et, err
	}
	return chromedp.Run(wctx, chromedp.Evaluate[engineTiming](fmt.Sprintf(engineTimingJS, origin)))
}

// readWorkerMemory reads the engine's Web Worker (the dedicated worker
// that runs web/engine.js) as readMemory reads the page: after garbage
// collection, its JS heap and its wasm's linear memory, which engine.js
// keeps in self.miplayEngineInstance. A page without that worker (hello)
// reads zero.
func (b *browser) readWorkerMemory() (memory, error) {
	var m memory
	wctx, err := b.engineWorker()
	if err != nil || wctx == nil {
		return m, err
	}
	for range 2 {
		if _, err := chromedp.Call(wctx, heapprofiler.CollectGarbage, cdp.Empty{}); err != nil {
			return m, fmt.Errorf("the engine's worker: %w", err)
		}
	}
	heap, err := chromedp.Call(wctx, cdpruntime.GetHeapUsage, cdp.Empty{})
	if err != nil {
		return m, fmt.Errorf("the engine's worker: %w", err)
	}
	m.JSHeap = heap.UsedSize
	m.WasmMem, err = chromedp.Run(wctx, chromedp.Evaluate[float64](`self.miplayEngineInstance ? self.miplayEngineInstance.exports.mem.buffer.byteLength : 0`))
	if err != nil {
		return m, fmt.Errorf("the engine's worker: %w", err)
	}
	return m, nil
}
