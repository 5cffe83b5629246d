//go:build !wasm

package loader

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// additions are added to go-app's app.js. Function declarations are
// hoisted, so the calls patched in above them can use them.
const additions = `
// -----------------------------------------------------------------------------
// A module the page compiled already (miplay's app/loader)
// -----------------------------------------------------------------------------
// A page may start compiling app.wasm from its <head>, while it parses and
// lays out, and leave the promise of the module in window.goappWasmModule.
// The loader then instantiates that module instead of fetching the wasm.
// Its download is not counted, so the label shows no progress.
async function goappInstantiateCompiled(go) {
  const label = document.getElementById("app-wasm-loader-label");
  label.innerText = goappLoadingLabel.replace(/\s*\{progress\}%?/, "");
  const module = await window.goappWasmModule;
  return { instance: await WebAssembly.instantiate(module, go.importObject) };
}
// -----------------------------------------------------------------------------
// Service Worker, once the app has started (miplay's app/loader)
// -----------------------------------------------------------------------------
// The worker's install caches every resource, app.wasm included: registered
// first thing, it downloads and decodes the wasm a second time while the page
// fetches and compiles its own copy. So it is registered once the wasm has
// run (or failed to) and the page is first idle. Idle rather than a signal
// from the wasm: it is the same for every go-app app and needs no app code.
// In miplay's player that idle period comes within ~100 ms of the page
// being interactive, and registering 3 s later instead measured no faster.
// The timeout bounds the wait on a page that is never idle: it must still
// work offline after its first visit.
function goappInitServiceWorkerWhenIdle() {
  if (window.requestIdleCallback) {
    requestIdleCallback(() => goappInitServiceWorker(), { timeout: 2000 });
  } else {
    setTimeout(goappInitServiceWorker, 1000); // Safari has no requestIdleCallback
  }
}

// A registration made on an earlier visit is watched at once, as go-app
// watches it, so that an update the browser finds on its own while the page
// loads (it checks the worker at each navigation) is still announced.
async function goappWatchServiceWorker() {
  if (!("serviceWorker" in navigator)) {
    return;
  }
  try {
    const registration = await navigator.serviceWorker.getRegistration();
    if (registration) {
      goappWatchRegistration(registration);
    }
  } catch (err) {
    console.error("goapp service worker lookup failed: ", err);
  }
}

// goappWatchRegistration watches a registration once, so that an update is
// announced once although the registration is found twice.
function goappWatchRegistration(registration) {
  if (registration === goappServiceWorkerRegistration) {
    return;
  }
  goappServiceWorkerRegistration = registration;
  goappSetupNotifyUpdate(registration);
}
`

// replacements are the edits to go-app's app.js, each of a text that must
// occur exactly once.
var replacements = []struct{ old, new string }{
	// Not registered first thing: only an earlier registration is watched.
	{"\ngoappInitServiceWorker();\n", "\ngoappWatchServiceWorker();\n"},
	// goappInitWebAssembly returns once go.run has run the wasm's main up to
	// its first wait (the app is mounted), or once loading has failed.
	{"\ngoappInitWebAssembly();\n", "\ngoappInitWebAssembly().finally(goappInitServiceWorkerWhenIdle);\n"},
	// A module the page compiled already is instantiated as it is.
	{
		"    const wasm = await instantiateStreaming(\n",
		"    const wasm = window.goappWasmModule ? await goappInstantiateCompiled(go) : await instantiateStreaming(\n",
	},
	{
		"      goappServiceWorkerRegistration = registration;\n      goappSetupNotifyUpdate(registration);\n",
		"      goappWatchRegistration(registration);\n",
	},
}

// Patch returns go-app's app.js, as its handler serves it, with the service
// worker registered once the app has started instead of first thing, and a
// module the page compiled already (window.goappWasmModule) instantiated
// instead of the wasm fetched again. It
// panics if the script lacks a text it replaces: a go-app whose loader has
// changed must be looked at again, not served half patched.
func Patch(appJS string) string {
	for _, r := range replacements {
		if n := strings.Count(appJS, r.old); n != 1 {
			panic(fmt.Sprintf("loader: go-app's app.js holds %q %d times, want once", r.old, n))
		}
		appJS = strings.Replace(appJS, r.old, r.new, 1)
	}
	return appJS + additions
}

// PatchFile patches the app.js that app.GenerateStaticWebsite wrote.
func PatchFile(name string) error {
	b, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	return os.WriteFile(name, []byte(Patch(string(b))), 0o644)
}

// Handler serves what h serves, with app.js patched. Everything else about
// the response is go-app's: its ETag, Cache-Control and 304s. It asks h for
// app.js once right away and patches it then, so that an unpatchable go-app
// panics when the server starts, not at a visitor's first request; go-app
// makes app.js once per handler, so that patched body is the one served.
func Handler(h *app.Handler) http.Handler {
	var first capture
	req, err := http.NewRequest(http.MethodGet, "/app.js", nil)
	if err != nil {
		panic(err)
	}
	h.ServeHTTP(&first, req)
	if first.status != http.StatusOK {
		panic(fmt.Sprintf("loader: go-app's handler answered /app.js with %d", first.status))
	}
	patched := []byte(Patch(first.body.String()))

	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isAppJS(r.URL.Path, h.Version) {
			h.ServeHTTP(w, r)
			return
		}
		var c capture
		h.ServeHTTP(&c, r)
		for k, v := range c.header {
			w.Header()[k] = v
		}
		body := c.body.Bytes()
		if c.status == http.StatusOK {
			body = patched
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		}
		w.WriteHeader(c.status)
		w.Write(body)
	})
}

// isAppJS reports whether go-app serves app.js at path: it also answers
// /goapp.js, and both under /VERSION/.
func isAppJS(path, version string) bool {
	if strings.HasPrefix(path, "/"+version+"/") {
		path = strings.TrimPrefix(path, "/"+version)
	}
	return path == "/app.js" || path == "/goapp.js"
}

// capture is a ResponseWriter that keeps the response.
type capture struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (c *capture) Header() http.Header {
	if c.header == nil {
		c.header = http.Header{}
	}
	return c.header
}

func (c *capture) WriteHeader(status int) {
	if c.status == 0 {
		c.status = status
	}
}

func (c *capture) Write(b []byte) (int, error) {
	c.WriteHeader(http.StatusOK)
	return c.body.Write(b)
}
