//go:build !wasm

package app

import (
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// The app works offline after the first visit: go-app's service worker
// caches app.wasm, the scripts and the styles when it installs. On top of
// that, offlinePages are cached too, and serviceWorkerJS answers a page
// request that the cache does not hold (a deep link such as
// /play/hello, or /sandbox?from=...) with the cached home page when the
// network fails: the wasm then routes the URL as usual.

// offlinePages are the paths of the pages with an exact route, cached when
// the service worker installs.
func offlinePages() []string {
	var pages []string
	for _, r := range Routes {
		if !r.Pattern {
			pages = append(pages, r.Path)
		}
	}
	return pages
}

// offlineFetch replaces the fetch handler of go-app's worker. Page
// requests (mode "navigate") are matched ignoring the query; when one is
// not in the cache and the network fails, the app's root page answers.
const offlineFetch = `async function fetchWithCache(request) {
  const navigate = request.mode === "navigate";
  const cachedResponse = await caches.match(request, { ignoreSearch: navigate });
  if (cachedResponse) {
    return cachedResponse;
  }
  try {
    return await fetch(request);
  } catch (error) {
    if (navigate) {
      const scope = self.registration.scope;
      const shell = (await caches.match(scope)) || (await caches.match(scope.replace(/\/$/, "")));
      if (shell) {
        return shell;
      }
    }
    throw error;
  }
}`

// serviceWorkerJS returns go-app's worker with offlineFetch in place of
// its fetch handler. If go-app's template ever changes shape, it panics,
// which the prerender test catches.
func serviceWorkerJS() string {
	const start = "async function fetchWithCache(request) {"
	i := strings.Index(app.DefaultAppWorkerJS, start)
	if i < 0 {
		panic("app: go-app's service worker has no fetchWithCache to replace")
	}
	end := strings.Index(app.DefaultAppWorkerJS[i:], "\n}\n")
	if end < 0 {
		panic("app: go-app's service worker: the end of fetchWithCache not found")
	}
	return app.DefaultAppWorkerJS[:i] + offlineFetch + app.DefaultAppWorkerJS[i+end+2:]
}
