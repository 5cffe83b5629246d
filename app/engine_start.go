//go:build !wasm

package app

import (
	"encoding/json"
	"net/url"
	"strings"
)

// The engine runs in a Web Worker of its own (cmd/engineworker, built to
// web/engine.wasm, started by web/engine.js). A script in the page's
// <head> describes it, in window.miplayEngine, and creates it the first
// time the page asks for it: when the page is rendered and idle, or at its
// first call to the engine, if that comes sooner. Created as the <head>
// was parsed, the worker's thread and script took CPU from the page's
// start on a two-core machine: about 18 ms of a warm load's time to
// interactive (bench/README.md). The worker loads engine.wasm only on the
// page's first call, or once the page is idle (web/engine.js).
// engine_wasm.go takes the worker over once app.wasm runs.

// engineFiles returns the paths of the worker's script and of engine.wasm,
// under /web/ as go-app's resolver takes them, with the app's version as
// their query. The version changes with every file of web/, engine.wasm
// among them: a page asks for the engine of its own deploy, and the
// service worker, which caches these very URLs, answers with the engine
// that matches its cached app.wasm.
func engineFiles(version string) (worker, wasm string) {
	q := "?" + url.Values{"v": {version}}.Encode()
	return "/web/engine.js" + q, "/web/engine.wasm" + q
}

// engineStartScript is the inline script that describes the engine's
// worker, from workerURL. It leaves, in window.miplayEngine, the worker,
// created on the first read of its worker property, and the reason it
// failed, if it did (its script or engine.wasm did not load, or the engine
// stopped): this script listens from the worker's creation on and keeps
// the reason for engine_wasm.go, which also sets onfailure to hear of a
// later one. Pages that go-app's app.js does not run the wasm on
// (crawlers, ?wasm=false) have no worker.
func engineStartScript(workerURL string) string {
	u, err := json.Marshal(workerURL) // escapes <, > and &, safe in a <script>
	if err != nil {
		panic(err)
	}
	return strings.ReplaceAll(`<script>
(() => {
  const engine = (window.miplayEngine = { worker: null, failure: "", onfailure: null });
  const fail = (reason) => {
    if (engine.failure) return;
    engine.failure = reason;
    if (engine.onfailure) engine.onfailure(reason);
  };
  if (/bot|googlebot|crawler|spider|robot|crawling/i.test(navigator.userAgent) ||
      new URLSearchParams(location.search).get("wasm") === "false") {
    return;
  }
  let worker = null;
  Object.defineProperty(engine, "worker", { get() {
    if (worker || engine.failure) return worker;
    try {
      worker = new Worker({{URL}}, { name: "miplay engine" });
    } catch (err) {
      fail("its worker did not start: " + err);
      return null;
    }
    worker.addEventListener("error", (e) => fail(e.message || "its script " + {{URL}} + " did not load"));
    worker.addEventListener("message", (e) => e.data && e.data.fatal && fail(e.data.fatal));
    return worker;
  } });
})();
</script>`, "{{URL}}", string(u))
}
