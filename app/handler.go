//go:build !wasm

package app

import (
	"html"
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// appWasm is the page's program, where go-app's app.js fetches it.
const appWasm = "/web/app.wasm"

// wasmPreload is a <link> that has the browser fetch app.wasm from the
// <head>. go-app's app.js, a deferred script, asks for it only once the
// document is parsed and the stylesheets loaded, which on a first visit
// came some 70 ms after app.js itself had arrived; its fetch then takes
// the preloaded response (as="fetch" and crossorigin match its mode and
// credentials).
func wasmPreload(href string) string {
	return `<link rel="preload" href="` + html.EscapeString(href) + `" as="fetch" type="application/wasm" crossorigin="anonymous">`
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
// Every page starts the engine's Web Worker from its <head> (see
// engine_start.go), and the service worker caches the worker's script and
// engine.wasm with the rest.
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
			wasmPreload(res.Resolve(appWasm)),
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
