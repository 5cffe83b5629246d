package main

import (
	"context"
	"fmt"
	"time"

	"github.com/chromedp/chromedp"

	miapp "github.com/miplay/miplay/app"
)

// What "interactive" means on each page.
const (
	// oursReady is the player of the first scenario with its Run step
	// button (the control whose shortcut is n) enabled: the wasm has
	// started, made the world and can run the step. The server's
	// prerendered page has the button too, disabled, in a player whose
	// data-state is "loading".
	//
	// A library scenario's player is ready on its opening, before the
	// engine's worker has started (app/opening.go): the step runs from
	// there at once, which the figure "Run step clicked at interactive"
	// shows.
	oursReady = `.player[data-state="ready"] button[aria-keyshortcuts="n"]:not([disabled])`
	// oursStepped is the player once its first step has run.
	oursStepped = `.player[data-next="1"]`
	// helloReady is set by the hello page's OnMount, in the wasm only.
	helloReady = `html[data-hello-mounted="true"]`
)

// firstScenario returns the slug of the library's first scenario, the one
// the gallery lists first.
func firstScenario() (string, error) {
	list := miapp.Library()
	if len(list) == 0 {
		return "", fmt.Errorf("the scenario library is empty")
	}
	return miapp.Slug(list[0]), nil
}

type ttiTarget struct {
	name, url, sel string
	// then, if set, runs after the warm load, when the page is
	// interactive.
	then       func(b *browser) (afterWarm, error)
	cold, warm []timing
	thens      []afterWarm
}

// measureTTI loads each page runs times in a fresh browser (cold: an empty
// profile), then again in the same browser once go-app's service worker is
// active (warm), alternating which page goes first.
func measureTTI(ctx context.Context, cfg *config, t *table, b *builds) error {
	ours, hello, err := serveBoth(ctx, b)
	if err != nil {
		return err
	}
	defer ours.stop()
	defer hello.stop()
	slug, err := firstScenario()
	if err != nil {
		return err
	}
	targets := []*ttiTarget{
		{name: "miplay /play/" + slug, url: ours.URL + "/play/" + slug, sel: oursReady, then: clickFirstStep},
		{name: "hello", url: hello.URL + "/", sel: helloReady},
	}
	for i := range cfg.runs {
		order := []*ttiTarget{targets[0], targets[1]}
		if i%2 == 1 {
			order[0], order[1] = order[1], order[0]
		}
		for _, tg := range order {
			cold, warm, then, err := loadTwice(ctx, cfg, tg.url, tg.sel, tg.then)
			if err != nil {
				return fmt.Errorf("%s: %w", tg.name, err)
			}
			tg.cold, tg.warm, tg.thens = append(tg.cold, cold), append(tg.warm, warm), append(tg.thens, then)
			if cfg.verbose {
				logf("  %s: cold %.0f ms, warm %.0f ms", tg.name, cold.Ready, warm.Ready)
			}
		}
	}
	const s = "Time to interactive (headless Chromium, loopback)"
	o, h := targets[0], targets[1]
	t.add(s, row{Figure: fmt.Sprintf("cold cache, /play/%s (median of %d)", slug, cfg.runs), Ours: median(readies(o.cold)), Base: median(readies(h.cold)), BaseName: "hello", Unit: unitMS, Budget: 1.5, Ratio: true})
	t.add(s, row{Figure: fmt.Sprintf("warm cache (median of %d)", cfg.runs), Ours: median(readies(o.warm)), Base: median(readies(h.warm)), BaseName: "hello", Unit: unitMS, Budget: 1.5, Ratio: true})
	t.add(s, row{Figure: fmt.Sprintf("largest contentful paint, cold cache (median of %d)", cfg.runs), Ours: median(lcps(o.cold)), Base: median(lcps(h.cold)), BaseName: "hello", Unit: unitMS, Ratio: true})
	var stepped, serving []float64
	for _, a := range o.thens {
		stepped, serving = append(stepped, a.FirstStep), append(serving, a.EngineServing)
	}
	t.add(s, row{Figure: "Run step clicked at interactive (warm): the first step shown after", Ours: median(stepped), Unit: unitMS})
	t.add(s, row{Figure: "the engine's worker serving (warm), from the navigation", Ours: median(serving), Unit: unitMS})
	t.note("Run step clicked at interactive, warm: the first step shown after %s ms; the engine's worker serving at %s ms from the navigation", fmtMS(stepped), fmtMS(serving))
	for _, tg := range targets {
		for _, k := range []struct {
			name string
			ts   []timing
		}{{"cold", tg.cold}, {"warm", tg.warm}} {
			var end, inst, ready []float64
			for _, x := range k.ts {
				end, inst, ready = append(end, x.WasmEnd), append(inst, x.Instantiated), append(ready, x.Ready)
			}
			t.note("TTI %s, %s: wasm downloaded at %.0f ms, instantiated at %.0f ms, interactive at %.0f ms (medians; runs: %s ms)",
				tg.name, k.name, median(end), median(inst), median(ready), fmtMS(ready))
			if k.name == "cold" {
				t.note("TTI %s, cold: largest contentful paint at %s ms", tg.name, fmtMS(lcps(k.ts)))
			}
			var eEnd, eInst, eReady []float64
			for _, x := range k.ts {
				if x.Engine.Ready > 0 {
					eEnd, eInst, eReady = append(eEnd, x.Engine.WasmEnd), append(eInst, x.Engine.Instantiated), append(eReady, x.Engine.Ready)
				}
			}
			if len(eReady) > 0 {
				t.note("TTI %s, %s, the engine's worker: engine.wasm downloaded at %.0f ms, instantiated at %.0f ms, serving at %.0f ms (medians of %d; from the page's navigation)",
					tg.name, k.name, median(eEnd), median(eInst), median(eReady), len(eReady))
			}
		}
	}
	return nil
}

func readies(ts []timing) []float64 {
	out := make([]float64, len(ts))
	for i, x := range ts {
		out[i] = x.Ready
	}
	return out
}

func lcps(ts []timing) []float64 {
	out := make([]float64, len(ts))
	for i, x := range ts {
		out[i] = x.LCP
	}
	return out
}

// settle is how long the browser rests on about:blank after it starts, and
// between the cold load and the warm one. A load does not meet the
// browser's own start-up, nor a later visit the last one's background work
// (the service worker's install caching every file, the compiler's tail),
// which otherwise landed on some loads and not others, of miplay and of the
// hello page alike.
const settle = 1500 * time.Millisecond

// loadTwice loads url in a new browser, cold, then warm, and then runs
// then, if set.
func loadTwice(ctx context.Context, cfg *config, url, sel string, then func(*browser) (afterWarm, error)) (cold, warm timing, after afterWarm, err error) {
	br, err := launch(ctx, cfg.chromium)
	if err != nil {
		return cold, warm, after, err
	}
	defer br.close()
	if err := br.probe(sel); err != nil {
		return cold, warm, after, err
	}
	// A fresh browser starts its own pages first (headless Chromium 156
	// loads its omnibox popup's WebUI, bench/README.md): the cold load
	// waits for the browser, not for the cache.
	if err := chromedp.Do(br.ctx, chromedp.Sleep(settle)); err != nil {
		return cold, warm, after, err
	}
	if cold, err = br.load(url, 90*time.Second); err != nil {
		return cold, warm, after, fmt.Errorf("cold load: %w", err)
	}
	// The largest contentful paint of a first visit: a page that holds its
	// prerendered copy back draws its content later than one that shows it
	// (app/layout.go), and this row says by how much.
	if cold.LCP, err = br.readLCP(); err != nil {
		return cold, warm, after, fmt.Errorf("cold load: %w", err)
	}
	if err := br.waitServiceWorker(30 * time.Second); err != nil {
		return cold, warm, after, err
	}
	if err := chromedp.Do(br.ctx, chromedp.Navigate("about:blank"), chromedp.Sleep(settle)); err != nil {
		return cold, warm, after, err
	}
	if warm, err = br.load(url, 90*time.Second); err != nil {
		return cold, warm, after, fmt.Errorf("warm load: %w", err)
	}
	if then != nil {
		if after, err = then(br); err != nil {
			return cold, warm, after, fmt.Errorf("after the warm load: %w", err)
		}
	}
	return cold, warm, after, nil
}

// afterWarm is what clickFirstStep measures after a warm load of miplay's
// player, in milliseconds.
type afterWarm struct {
	FirstStep     float64 // Run step clicked at interactive, to the step shown
	EngineServing float64 // from the navigation to the engine's worker serving
}

// clickFirstStepJS clicks Run step and resolves with the milliseconds
// until the player shows the first step run.
const clickFirstStepJS = `new Promise((resolve, reject) => {
  const t0 = performance.now();
  const mo = new MutationObserver(() => {
    if (document.querySelector(%[2]s)) { mo.disconnect(); resolve(performance.now() - t0); }
  });
  mo.observe(document, {subtree: true, childList: true, attributes: true});
  const button = document.querySelector(%[1]s);
  if (!button) { mo.disconnect(); return reject(new Error("no Run step button")); }
  button.click();
  setTimeout(() => { mo.disconnect(); reject(new Error("the first step did not show within 30 s")); }, 30000);
})`

// clickFirstStep clicks miplay's Run step as soon as the page is
// interactive (the probe's readiness is polled every 25 ms): the time until
// the first step shows says whether the step was runnable then. It then
// waits for the engine's worker, which starts once the page is idle, to
// serve: until then, anything past the first step waits.
func clickFirstStep(b *browser) (afterWarm, error) {
	var a afterWarm
	var err error
	if a.FirstStep, err = eval[float64](b, fmt.Sprintf(clickFirstStepJS, jsString(oursReady), jsString(oursStepped))); err != nil {
		return a, err
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		et, err := b.readEngineTiming()
		if err != nil {
			return a, err
		}
		if et.Ready > 0 {
			a.EngineServing = et.Ready
			return a, nil
		}
		if time.Now().After(deadline) {
			return a, fmt.Errorf("the engine's worker was not serving 30 s after the navigation")
		}
	}
}
