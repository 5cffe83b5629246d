// miplay's engine worker: the script of the Web Worker that runs the
// engine (web/engine.wasm, built from cmd/engineworker) beside the page.
//
// The page starts it, from a script in its <head> (app/engine_start.go),
// when it first needs the engine (once it is rendered and idle, or at its
// first call), as
//
//	new Worker(".../web/engine.js?v=VERSION")
//
// VERSION being go-app's version of the web directory, which engine.wasm is
// part of: the wasm is fetched as engine.wasm?v=VERSION, beside this
// script, so that a page always gets the engine of its own deploy, from the
// service worker's cache when it has one. wasm_exec.js is go-app's, one
// level up, where go-app serves it for the page (its /wasm_exec.js, under
// the static build's prefix).
//
// The engine starts (engine.wasm downloads, compiles and runs) on the
// first call the page makes, or when the page says {start: true}, which it
// does once it has rendered and is idle (app/engine_wasm.go): started with
// the page, the engine took the page's two cores while app.wasm compiled
// and rendered, and delayed the page by about 250 ms.
//
// Messages that arrive before the Go program is ready wait in a queue: it
// hands them over when worker.ServeJS calls miplayEngineReady. The
// messages themselves are described in app/wire (worker.go). If the engine
// cannot start, or its program stops, the page gets {fatal: message}.
"use strict";

(() => {
  const queue = [];
  let handler = null;
  let started = false;
  self.onmessage = (event) => {
    const msg = event.data;
    if (msg && msg.start) {
      start();
    } else if (handler) {
      handler(msg);
    } else {
      queue.push(msg);
      if (msg && msg.method) {
        start();
      }
    }
  };
  self.miplayEngineReady = (h) => {
    performance.mark("miplay-engine-ready");
    handler = h;
    for (const msg of queue.splice(0)) {
      handler(msg);
    }
  };

  const fatal = (message) => {
    console.error("miplay engine: " + message);
    postMessage({ fatal: message });
  };

  const start = () => {
    if (!started) {
      started = true;
      performance.mark("miplay-engine-start");
      run();
    }
  };

  // run downloads, compiles and runs the engine. The download starts
  // first; wasm_exec.js is small and comes from the same cache as the
  // page's.
  const run = () => {
    const wasmURL = new URL("engine.wasm" + self.location.search, self.location).href;
    const response = fetch(wasmURL).then((r) => {
      if (!r.ok) {
        throw new Error(`${wasmURL}: ${r.status} ${r.statusText}`);
      }
      return r;
    });
    // Without a handler the page's rejection is reported twice.
    response.catch(() => {});

    try {
      importScripts(new URL("../wasm_exec.js", self.location).href);
    } catch (err) {
      fatal(`loading wasm_exec.js: ${err}`);
      return;
    }

    const go = new Go();
    let exitCode = "unknown";
    const exit = go.exit;
    go.exit = (code) => {
      exitCode = code;
      exit.call(go, code);
    };
    WebAssembly.instantiateStreaming(response, go.importObject).then(
      ({ instance }) => {
        // For DevTools, and benchrun's memory figures: the engine's memory.
        self.miplayEngineInstance = instance;
        performance.mark("miplay-engine-instantiated");
        return go.run(instance).then(
          () => fatal(`the engine stopped (exit code ${exitCode})`),
          (err) => fatal(`the engine stopped: ${err}`),
        );
      },
      (err) => fatal(`loading engine.wasm: ${err.message || err}`),
    );
  };
})();
