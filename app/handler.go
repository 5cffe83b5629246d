//go:build !wasm

package app

import (
	"encoding/json"
	"html"
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// appWasm is the page's program, where go-app's app.js fetches it.
const appWasm = "/web/app.wasm"

// wasmEarly starts app.wasm's download from the <head> (a preload), and
// its compilation as the bytes come (WebAssembly.compileStreaming), into
// window.goappWasmModule, which the patched app.js instantiates
// (app/loader).
//
// go-app's app.js, a deferred script, asks for app.wasm only once the
// document is parsed and the stylesheets loaded, which on a first visit
// came some 70 ms after app.js itself had arrived. On a warm load the
// preload alone had the whole body buffered before app.js started the
// compilation, which then held the page's thread for some 60 ms; compiled
// while the page parses and lays out, it is ready sooner (bench/README.md).
// The script waits for the stylesheets, the preload does not; its fetch
// takes the preloaded response (as="fetch" and crossorigin match its mode
// and credentials). A page that go-app's app.js would not run the wasm in
// (a crawler, ?wasm=false) compiles nothing.
func wasmEarly(href string) string {
	u, err := json.Marshal(href) // escapes <, > and &, safe in a <script>
	if err != nil {
		panic(err)
	}
	return `<link rel="preload" href="` + html.EscapeString(href) + `" as="fetch" type="application/wasm" crossorigin="anonymous">
<script>
(() => {
  if (!WebAssembly.compileStreaming || /bot|googlebot|crawler|spider|robot|crawling/i.test(navigator.userAgent) ||
      new URLSearchParams(location.search).get("wasm") === "false") {
    return;
  }
  window.goappWasmModule = WebAssembly.compileStreaming(fetch(` + string(u) + `));
  window.goappWasmModule.catch(() => {}); // app.js reports it
})();
</script>`
}

// Stylesheet is the app's own stylesheet, under web/.
const Stylesheet = "/web/miplay.css"

// PlayerStylesheet styles the gallery, the player and its panels.
const PlayerStylesheet = "/web/player.css"

// WorkbenchStylesheet styles the sandbox, the exercise workspace, share
// links and uploads.
const WorkbenchStylesheet = "/web/workbench.css"

// NewHandler returns the go-app handler that serves the app's pages, with
// resources resolved (and, for a live server, served) by res.
//
// version must change whenever web/ does (assets.Version computes it): go-app
// sends it as the ETag of every response and names the service worker's cache
// after it, so with a fixed version browsers keep app.wasm between visits and
// fetch it again only after a new build. wasmSize is app.wasm's uncompressed
// size, so the loading bar counts right when the wasm arrives compressed.
//
// Every page can start the engine's Web Worker, from a script in its
// <head> (see engine_start.go), and the service worker caches the worker's
// script and engine.wasm with the rest.
func NewHandler(res app.ResourceResolver, version string, wasmSize int64) *app.Handler {
	Register()
	engineWorker, engineWasm := engineFiles(version)
	return &app.Handler{
		Name:        "miplay",
		ShortName:   "miplay",
		Title:       "miplay",
		Description: "A playground for Azure managed identities: a simulated tenant in your browser, with and without secrets.",
		Lang:        "en",
		Icon: app.Icon{
			Default:  "/web/icon-192.png",
			Large:    "/web/icon-512.png",
			Maskable: "/web/icon-512.png",
			SVG:      "/web/icon.svg",
		},
		BackgroundColor: "#f7f8fb",
		ThemeColor:      "#2563eb",
		LoadingLabel:    "Loading miplay… {progress}%",
		Styles:          []string{Stylesheet, PlayerStylesheet, WorkbenchStylesheet},
		RawHeaders: []string{
			`<meta name="color-scheme" content="light dark">`,
			wasmEarly(res.Resolve(appWasm)),
			engineStartScript(res.Resolve(engineWorker)),
			ThemeBootScript,
			URLGuardScript,
		},
		// Offline after the first visit: see offline.go.
		CacheableResources:    append(offlinePages(), engineWorker, engineWasm),
		ServiceWorkerTemplate: serviceWorkerJS(),
		Resources:             res,
		Version:               version,
		WasmContentLength:     strconv.FormatInt(wasmSize, 10),
	}
}
