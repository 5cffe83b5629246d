//go:build !wasm

package app

import (
	"encoding/json"
	"net/url"
	"strings"
)

// The engine runs in a Web Worker of its own (cmd/engineworker, built to
// web/engine.wasm, started by web/engine.js), which the page creates from
// a script in its <head>, so that a failure to start is known however
// early it comes. The worker loads engine.wasm only on the page's first
// call, or once the page is idle (web/engine.js). engine_wasm.go takes the
// worker over once app.wasm runs.

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

// engineStartScript is the inline script that starts the engine's worker
// from workerURL. It leaves, in window.miplayEngine, the worker and the
// reason it failed, if it did (its script or engine.wasm did not load, or
// the engine stopped): an error event or a fatal message can come before
// app.wasm runs, so this script keeps it for engine_wasm.go, which also
// sets onfailure to hear of a later one. Pages that go-app's app.js does
// not run the wasm on (crawlers, ?wasm=false) start no worker.
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
  try {
    engine.worker = new Worker({{URL}}, { name: "miplay engine" });
  } catch (err) {
    fail("its worker did not start: " + err);
    return;
  }
  engine.worker.addEventListener("error", (e) => fail(e.message || "its script " + {{URL}} + " did not load"));
  engine.worker.addEventListener("message", (e) => e.data && e.data.fatal && fail(e.data.fatal));
})();
</script>`, "{{URL}}", string(u))
}
