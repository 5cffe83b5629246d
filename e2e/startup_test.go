package e2e

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/miplay/miplay/scenarios"
)

// watchPlayersJS runs before the page's scripts and keeps, in
// window.__players, every element with the class "player" that enters the
// page or leaves it: the server's, then each one the wasm mounts. (An
// element mounted and replaced within one task shows only among the
// removed nodes.)
const watchPlayersJS = `(() => {
  const seen = window.__players = [];
  new MutationObserver((records) => {
    for (const r of records) for (const n of [...r.removedNodes, ...r.addedNodes]) {
      if (n.nodeType !== 1) continue;
      for (const p of [n, ...n.querySelectorAll(".player")]) {
        if (p.matches(".player") && !seen.includes(p)) seen.push(p);
      }
    }
  }).observe(document, {childList: true, subtree: true});
})();`

// In the browser the player mounts once, already showing its scenario: the
// element that becomes ready is the first one the wasm puts in the page,
// not a "loading" placeholder replaced once the scenario is found.
func TestPlayerMountsOnce(t *testing.T) {
	ctx := newBrowser(t)
	url := serve(t, built(t))
	s := library(t)[0]
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: watchPlayersJS}); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, "loading the player", chromedp.Navigate(url+"/play/"+slugOf(s)))
	waitPlayer(t, ctx, 0)
	if n := eval[int](t, ctx, `window.__players.length`); n != 2 {
		t.Errorf("%d player elements came and went, want 2 (the server's, then the wasm's): %s",
			n, eval[string](t, ctx, `window.__players.map(p => p.className + "[" + (p.dataset.state || "") + "]").join(", ")`))
	}
	if !eval[bool](t, ctx, `window.__players.length > 1 && window.__players[1] === document.querySelector(".player") && window.__players[1].isConnected`) {
		t.Error("the ready player is not the element the wasm mounted first")
	}
	if got := text(t, ctx, ".player h1"); got != s.FrontMatter.Title {
		t.Errorf("h1 = %q, want %q", got, s.FrontMatter.Title)
	}
}

// delayIndexedDBJS runs before the page's scripts: the database opens, but
// its "success" listeners hear of it only 15 seconds later, when
// window.__idbAnswered becomes true.
const delayIndexedDBJS = `(() => {
  window.__idbAnswered = false;
  const open = IDBFactory.prototype.open;
  IDBFactory.prototype.open = function (...args) {
    const req = open.apply(this, args);
    const add = req.addEventListener.bind(req);
    req.addEventListener = (type, fn, opts) => add(type, type !== "success" ? fn : (e) => setTimeout(() => {
      window.__idbAnswered = true;
      typeof fn === "function" ? fn(e) : fn.handleEvent(e);
    }, 15000), opts);
    return req;
  };
})();`

// savedStepJS reads, the way any page script could, how many steps of a
// scenario the database says the learner has run (-1 for no record).
const savedStepJS = `new Promise((resolve) => {
  const r = indexedDB.open("miplay");
  r.onerror = () => resolve(-2);
  r.onsuccess = () => {
    const db = r.result;
    try {
      const g = db.transaction("progress").objectStore("progress").get(%q);
      g.onsuccess = () => { db.close(); resolve(g.result ? JSON.parse(g.result).step : -1); };
      g.onerror = () => { db.close(); resolve(-2); };
    } catch (e) { db.close(); resolve(-2); }
  };
})`

// The player comes back at the step the learner reached without waiting
// for IndexedDB: localStorage mirrors the step. If the mirror is lost, the
// player goes to the saved step once the database answers.
func TestPlayerResumesWithoutWaitingForTheStore(t *testing.T) {
	ctx := newBrowser(t)
	url := serve(t, built(t))
	var s *scenarios.Scenario
	for _, c := range library(t) {
		if len(c.Steps) >= 3 {
			s = c
			break
		}
	}
	if s == nil {
		t.Fatal("no scenario of the library has 3 steps")
	}
	slug := slugOf(s)
	mirror := fmt.Sprintf(`localStorage.getItem(%q) || ""`, "miplay.step."+slug)

	do(t, ctx, "loading the player", chromedp.Navigate(url+"/play/"+slug))
	waitPlayer(t, ctx, 0)
	press(t, ctx, "n")
	waitPlayer(t, ctx, 1)
	press(t, ctx, "n")
	waitPlayer(t, ctx, 2)
	saved := func() int {
		return run(t, ctx, "reading the saved step", chromedp.Evaluate[int](fmt.Sprintf(savedStepJS, slug), chromedp.EvalAwaitPromise))
	}
	deadline := time.Now().Add(10 * time.Second)
	for saved() != 2 {
		if time.Now().After(deadline) {
			t.Fatalf("the database says %d steps run, want 2", saved())
		}
		time.Sleep(100 * time.Millisecond)
	}
	if got := settle(t, ctx, mirror, "2"); got != "2" {
		t.Errorf("the mirrored step is %q, want 2", got)
	}

	// The mirror lost: the database puts the player back at step 2.
	do(t, ctx, "reloading without the mirror",
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`localStorage.removeItem(%q)`, "miplay.step."+slug)),
		chromedp.Reload())
	waitPlayer(t, ctx, 2)
	if got := settle(t, ctx, mirror, "2"); got != "2" {
		t.Errorf("after the database answered, the mirrored step is %q, want 2", got)
	}

	// The database slow to answer: the mirror is enough.
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: delayIndexedDBJS}); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, "reloading with a slow database", chromedp.Reload())
	waitPlayer(t, ctx, 2)
	if eval[bool](t, ctx, `window.__idbAnswered`) {
		t.Error("the player waited for IndexedDB to be ready")
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#terminal .term-step").length`); n != 2 {
		t.Errorf("the terminal shows %d steps, want the 2 replayed", n)
	}
}

// The page downloads and compiles app.wasm from its <head>, once: the
// preload's response is the one compiled, and app.js instantiates that
// module (app/handler.go, app/loader). A page that is not to run the wasm
// (?wasm=false) does not compile it (the preload, plain HTML, still
// downloads it).
func TestPageCompilesTheWasmOnce(t *testing.T) {
	ctx := newBrowser(t)
	url := serve(t, built(t))
	const fetches = `performance.getEntriesByType("resource").filter(e => new URL(e.name).pathname === "/web/app.wasm").length`
	do(t, ctx, "loading the player", chromedp.Navigate(url+"/play/"+slugOf(library(t)[0])))
	waitPlayer(t, ctx, 0)
	if n := eval[int](t, ctx, fetches); n != 1 {
		t.Errorf("app.wasm was fetched %d times, want once", n)
	}
	if !eval[bool](t, ctx, `window.goappWasmModule instanceof Promise`) {
		t.Errorf("the page did not compile app.wasm from its head")
	}
	const compiled = `window.goappWasmModule.then(m => m instanceof WebAssembly.Module)`
	if !run(t, ctx, "reading the module", chromedp.Evaluate[bool](compiled, chromedp.EvalAwaitPromise)) {
		t.Errorf("the head's compilation did not give a module")
	}

	do(t, ctx, "loading the player without its wasm", chromedp.Navigate(url+"/play/"+slugOf(library(t)[0])+"?wasm=false"),
		chromedp.WaitVisible(chromedp.CSS(".player")), chromedp.Sleep(time.Second))
	if eval[bool](t, ctx, `"goappWasmModule" in window`) {
		t.Errorf("with ?wasm=false, the page compiled app.wasm")
	}
}

// watchWorkersJS runs before the page's scripts and keeps, in
// window.__workers, when each Web Worker was created and whether the
// player was ready then.
const watchWorkersJS = `(() => {
  const made = window.__workers = [];
  const Native = window.Worker;
  window.Worker = function (url, options) {
    made.push({url: String(url), at: performance.now(),
      playerReady: !!document.querySelector('.player[data-state="ready"]')});
    return new Native(url, options);
  };
  window.Worker.prototype = Native.prototype;
})();`

// The engine's worker is created once the player is ready, not while the
// page starts: its thread and script took CPU from the page's start. It
// still comes by itself, once the page is idle, and answers.
func TestEngineWorkerStartsAfterThePlayer(t *testing.T) {
	ctx := newBrowser(t)
	url := serve(t, built(t))
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: watchWorkersJS}); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, "loading the player", chromedp.Navigate(url+"/play/"+slugOf(library(t)[0])))
	waitPlayer(t, ctx, 0)
	const engineWorkers = `window.__workers.filter(w => w.url.includes("/web/engine.js"))`
	type made struct {
		URL         string  `json:"url"`
		At          float64 `json:"at"`
		PlayerReady bool    `json:"playerReady"`
	}
	var workers []made
	deadline := time.Now().Add(10 * time.Second)
	for len(workers) == 0 && time.Now().Before(deadline) {
		workers = eval[[]made](t, ctx, engineWorkers)
		time.Sleep(50 * time.Millisecond)
	}
	if len(workers) != 1 {
		t.Fatalf("the page created %d engine workers within 10 s of the player's start, want 1: %+v", len(workers), workers)
	}
	if !workers[0].PlayerReady {
		t.Errorf("the engine's worker was created at %.0f ms, before the player was ready", workers[0].At)
	}
	ping(t, ctx, "after the idle start")
}

// While app.wasm loads, the loading pill shows at once, and its logo
// spins only after a second: a spin from the first frame kept the
// compositor drawing while the page started.
func TestLoaderSpinsOnlyAfterASecond(t *testing.T) {
	ctx := newBrowser(t)
	base, _ := holdFile(t, serve(t, built(t)), "/app.wasm") // held back, so that the pill stays
	do(t, ctx, "loading the player while app.wasm is held back", chromedp.Navigate(base+"/play/"+slugOf(library(t)[0])),
		chromedp.WaitVisible(chromedp.CSS("#app-wasm-loader .goapp-logo")))
	type spin struct {
		Name, Delay, Duration string
	}
	got := eval[spin](t, ctx, `(() => {
  const s = getComputedStyle(document.querySelector("#app-wasm-loader .goapp-logo"));
  return {Name: s.animationName, Delay: s.animationDelay, Duration: s.animationDuration};
})()`)
	if got.Name != "goapp-spin-frames" || got.Delay != "1s" {
		t.Errorf("the loader's logo animates as %+v, want goapp-spin-frames after a delay of 1s", got)
	}
}

// watchPrerenderedJS runs before the page's scripts and records, each
// frame, whether the prerendered copy's heading is rendered: in
// window.__prerendered, the frames it was held back and when it first
// showed.
const watchPrerenderedJS = `(() => {
  const seen = window.__prerendered = {hiddenFrames: 0, shownAt: 0};
  const tick = () => {
    const h = document.querySelector("[data-prerendered] h1");
    if (h && h.checkVisibility()) {
      seen.shownAt = performance.now();
      return;
    }
    if (h) seen.hiddenFrames++;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();`

// The server's copy of a page is held back for 0.4 s and then shows, so
// that a slow start still gets a readable page; the app's own render,
// which replaces it, shows at once.
func TestPrerenderedPageWaitsForTheApp(t *testing.T) {
	ctx := newBrowser(t)
	base, release := holdFile(t, serve(t, built(t)), "/app.wasm") // only the prerendered copy is there
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: watchPrerenderedJS}); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, "loading the player while app.wasm is held back", chromedp.Navigate(base+"/play/"+slugOf(library(t)[0])))
	type seen struct {
		HiddenFrames int     `json:"hiddenFrames"`
		ShownAt      float64 `json:"shownAt"`
	}
	var got seen
	for deadline := time.Now().Add(5 * time.Second); got.ShownAt == 0 && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		got = eval[seen](t, ctx, `window.__prerendered`)
	}
	switch {
	case got.ShownAt == 0:
		t.Fatalf("the prerendered page did not show within 5 s (%d frames held back)", got.HiddenFrames)
	case got.HiddenFrames == 0 || got.ShownAt < 390:
		t.Errorf("the prerendered page showed at %.0f ms, after %d frames held back: want it held back for 0.4 s", got.ShownAt, got.HiddenFrames)
	}

	release()
	waitPlayer(t, ctx, 0)
	live := eval[bool](t, ctx, `!document.querySelector("[data-prerendered]") && document.querySelector(".player h1").checkVisibility()`)
	if !live {
		t.Errorf("once the app runs, its page is not shown at once (or a prerendered root is left)")
	}
}
