package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/miplay/miplay/app/assets"
	"github.com/miplay/miplay/bench/workload"
)

// enginePage runs engine.wasm on replay.md (see enginewasm).
const enginePage = `<!doctype html>
<meta charset="utf-8">
<title>miplay engine</title>
<script src="wasm_exec.js"></script>
<script>
window.benchTries = %d;
(async () => {
  try {
    window.benchScenario = await (await fetch("replay.md")).text();
    const go = new Go();
    const r = await WebAssembly.instantiateStreaming(fetch("engine.wasm"), go.importObject);
    await go.run(r.instance);
  } catch (e) {
    window.benchError = String(e);
  }
})();
</script>
`

// readingPause is how long the player benchmark waits between showing a
// step and clicking Step back, as a learner reading the step would.
const readingPause = time.Second

// backTries is how many times each replay figure steps back.
const backTries = 9

// measureEngine replays the generated 100-command scenario: natively, in
// the browser as the engine alone (engine.wasm), and in the browser through
// miplay's player, from the click on Step back to the page showing the
// step before.
func measureEngine(ctx context.Context, cfg *config, t *table, b *builds) error {
	s, src, err := workload.Replay(ctx)
	if err != nil {
		return err
	}
	last := len(s.Steps) - 1
	cmds := workload.Commands(s) - len(s.Steps[last].Commands)

	native, err := workload.TimeReplay(ctx, s, backTries)
	if err != nil {
		return err
	}
	// Once more, now that the signatures are cached in this process as they
	// are in a page after its first run.
	native, err = workload.TimeReplay(ctx, s, backTries)
	if err != nil {
		return err
	}
	wasm, err := engineInBrowser(ctx, cfg, b, src)
	if err != nil {
		return fmt.Errorf("engine page: %w", err)
	}
	ui, err := playerInBrowser(ctx, cfg, b, src)
	if err != nil {
		return fmt.Errorf("player: %w", err)
	}

	const sec = "Engine: a generated scenario of 100 commands in 20 steps"
	nb := median(native.Back)
	t.add(sec, row{Figure: fmt.Sprintf("step back from the end, native (replays %d commands)", cmds), Ours: nb, Unit: unitMS})
	// The replay a step back costs, done by the player ahead of the click
	// (Player.PrepareBack); the budget is on what the learner waits for,
	// the row below.
	t.add(sec, row{Figure: "replay for a step back, engine alone in the browser (the engine page)", Ours: median(wasm.Back), Base: nb, BaseName: "native", Unit: unitMS})
	t.add(sec, row{Figure: "step back in the player: click to page updated", Ours: median(ui.back), Base: nb, BaseName: "native", Unit: unitMS, Budget: 100})
	t.add(sec, row{Figure: "first run of all 20 steps, native", Ours: native.FirstRun, Unit: unitMS})
	t.add(sec, row{Figure: "first run of all 20 steps in the player (Run all)", Ours: ui.runAll, Base: native.FirstRun, BaseName: "native", Unit: unitMS})
	t.note("Step back, in order, native: %s ms; the engine page: %s ms; player: %s ms (fastest: %.0f, %.0f and %.0f ms)",
		fmtMS(native.Back), fmtMS(wasm.Back), fmtMS(ui.back), slices.Min(native.Back), slices.Min(wasm.Back), slices.Min(ui.back))
	t.note("First run on the engine page (signing every token): %.0f ms", wasm.FirstRun)
	return nil
}

// engineInBrowser serves the engine page on loopback and reads its result.
func engineInBrowser(ctx context.Context, cfg *config, b *builds, src []byte) (workload.ReplayTimes, error) {
	if err := os.WriteFile(filepath.Join(b.engWeb, "replay.md"), src, 0o644); err != nil {
		return workload.ReplayTimes{}, err
	}
	return engineInBrowserWith(ctx, cfg, b, nil, nil)
}

// engineInBrowserWith runs the engine page, calling before (if not nil)
// once the browser is up and after once the page has its result.
func engineInBrowserWith(ctx context.Context, cfg *config, b *builds, before, after func(*browser) error) (workload.ReplayTimes, error) {
	var rt workload.ReplayTimes
	if !fileExists(filepath.Join(b.engWeb, "replay.md")) {
		_, src, err := workload.Replay(ctx)
		if err != nil {
			return rt, err
		}
		if err := os.WriteFile(filepath.Join(b.engWeb, "replay.md"), src, 0o644); err != nil {
			return rt, err
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return rt, err
	}
	files := http.FileServer(http.Dir(b.engWeb))
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ct := assets.ContentType(r.URL.Path); ct != "" {
			w.Header().Set("Content-Type", ct)
		}
		files.ServeHTTP(w, r)
	}), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()

	br, err := launch(ctx, cfg.chromium)
	if err != nil {
		return rt, err
	}
	defer br.close()
	if before != nil {
		if err := before(br); err != nil {
			return rt, err
		}
	}
	if err := chromedp.Do(br.ctx, chromedp.Navigate("http://"+ln.Addr().String()+"/")); err != nil {
		return rt, err
	}
	res, err := eval[string](br, `new Promise((resolve, reject) => {
  const t0 = Date.now();
  const tick = () => {
    if (window.benchResult) return resolve(window.benchResult);
    if (window.benchError) return reject(new Error(window.benchError));
    if (Date.now() - t0 > 120000) return reject(new Error("no result after 120 s"));
    setTimeout(tick, 50);
  };
  tick();
})`)
	if err != nil {
		return rt, err
	}
	if after != nil {
		if err := after(br); err != nil {
			return rt, err
		}
	}
	err = json.Unmarshal([]byte(res), &rt)
	return rt, err
}

type playerTimes struct {
	runAll float64
	back   []float64
}

// uploadJS stores a scenario as the gallery's upload does: a JSON record
// under its name in the "scenarios" object store of the app's IndexedDB
// database, which the app has made by then.
const uploadJS = `new Promise((resolve, reject) => {
  const r = indexedDB.open("miplay");
  r.onerror = () => reject(new Error("opening IndexedDB: " + r.error));
  r.onsuccess = () => {
    const db = r.result;
    try {
      const tx = db.transaction("scenarios", "readwrite");
      tx.objectStore("scenarios").put(JSON.stringify({name: %[1]s, source: %[2]s, uploaded: new Date().toISOString()}), %[1]s);
      tx.oncomplete = () => { db.close(); resolve(true); };
      tx.onerror = () => { db.close(); reject(new Error("writing IndexedDB: " + tx.error)); };
    } catch (e) { db.close(); reject(e); }
  };
})`

// waitStoreJS resolves once the app has opened its database and read its
// settings there (app/prefs.go marks <html>).
const waitStoreJS = `new Promise((resolve, reject) => {
  const t0 = Date.now();
  const tick = () => {
    if (document.documentElement.dataset.miplayReady === "true") return resolve(true);
    if (Date.now() - t0 > 30000) return reject(new Error("the app did not open its database within 30 s"));
    setTimeout(tick, 25);
  };
  tick();
})`

// clickAndWaitJS clicks the player control with the shortcut key and
// resolves with the milliseconds until the player is ready again at step
// want.
const clickAndWaitJS = `new Promise((resolve, reject) => {
  const want = %q;
  const t0 = performance.now();
  const done = () => {
    const p = document.querySelector(".player");
    return p && p.dataset.state === "ready" && p.dataset.next === want;
  };
  const timer = setTimeout(() => { mo.disconnect(); reject(new Error("player not ready at step " + want + " after 120 s")); }, 120000);
  const mo = new MutationObserver(() => {
    if (done()) { const dt = performance.now() - t0; mo.disconnect(); clearTimeout(timer); resolve(dt); }
  });
  mo.observe(document.body, {subtree: true, childList: true, attributes: true});
  const button = document.querySelector('.player button[aria-keyshortcuts="%s"]:not([disabled])');
  if (!button) { mo.disconnect(); clearTimeout(timer); reject(new Error("no enabled control %s")); return; }
  button.click();
})`

// playerInBrowser uploads the scenario into a fresh browser's IndexedDB,
// opens it in miplay's player, runs every step, then steps back and
// forward, timing each step back from the click to the page showing the
// step before, ready.
func playerInBrowser(ctx context.Context, cfg *config, b *builds, src []byte) (playerTimes, error) {
	return playerInBrowserWith(ctx, cfg, b, src, nil, nil)
}

// playerInBrowserWith is playerInBrowser, calling before (if not nil)
// before the first step back and after after the last.
func playerInBrowserWith(ctx context.Context, cfg *config, b *builds, src []byte, before, after func(*browser) error) (playerTimes, error) {
	var pt playerTimes
	ours, err := startServer(ctx, b.miplay, "serve", "--addr", "127.0.0.1:0", "--web", b.web)
	if err != nil {
		return pt, err
	}
	defer ours.stop()
	br, err := launch(ctx, cfg.chromium)
	if err != nil {
		return pt, err
	}
	defer br.close()
	if err := br.probe(oursReady); err != nil {
		return pt, err
	}
	// Any page of the app opens the database, the player of a scenario of
	// the library among them, once it has shown its first state from the
	// engine: it marks <html> when it has read the settings there.
	slug, err := firstScenario()
	if err != nil {
		return pt, err
	}
	if _, err := br.load(ours.URL+"/play/"+slug, 90*time.Second); err != nil {
		return pt, err
	}
	if _, err := eval[bool](br, waitStoreJS); err != nil {
		return pt, err
	}
	// Nor should the service worker's install, which caches every file
	// (engine.wasm among them) once the first page is idle, land on the
	// figures. Without this wait, 3 of 18 runs had Run all take 2.8 s
	// instead of 0.9; with it, none of 6 did.
	if err := br.waitServiceWorker(30 * time.Second); err != nil {
		return pt, err
	}
	if _, err := eval[bool](br, fmt.Sprintf(uploadJS, jsString(workload.ReplaySlug), jsString(string(src)))); err != nil {
		return pt, err
	}
	if _, err := br.load(ours.URL+"/play/"+workload.ReplaySlug, 90*time.Second); err != nil {
		return pt, fmt.Errorf("opening the uploaded scenario: %w", err)
	}
	n := workload.ReplaySteps
	click := func(key string, want int) (float64, error) {
		return eval[float64](br, fmt.Sprintf(clickAndWaitJS, fmt.Sprint(want), key, key))
	}
	if pt.runAll, err = click("a", n); err != nil {
		return pt, fmt.Errorf("run all: %w", err)
	}
	if m, err := eval[int](br, `document.querySelectorAll(".player__mismatch").length`); err == nil && m > 0 {
		return pt, fmt.Errorf("the player says commands did not print what the file expects")
	}
	if before != nil {
		if err := before(br); err != nil {
			return pt, err
		}
	}
	for range backTries {
		// A learner reads a step before stepping back from it; the player
		// uses that time to prepare the step back (Player.PrepareBack). The
		// pause is the reader's, not a warm-up: without it, the figure
		// includes the end of that preparation.
		time.Sleep(readingPause)
		dt, err := click("b", n-1)
		if err != nil {
			return pt, fmt.Errorf("step back: %w", err)
		}
		pt.back = append(pt.back, dt)
		if _, err := click("n", n); err != nil {
			return pt, fmt.Errorf("run step: %w", err)
		}
	}
	if after != nil {
		if err := after(br); err != nil {
			return pt, err
		}
	}
	return pt, nil
}

// jsString returns s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
