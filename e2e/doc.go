// Package e2e holds the end-to-end tests of the browser app. They build
// miplay and its wasm into a temporary directory, run 'miplay serve' (and a
// static build under a sub-path), and drive headless Chromium with chromedp.
//
// The tests look for Chromium in $MIPLAY_CHROMIUM, then /usr/bin/chromium,
// then chromium, chromium-browser, google-chrome and headless_shell on PATH.
// Without one they skip, unless MIPLAY_REQUIRE_BROWSER=1, in which case they
// fail. Screenshots go to build/screenshots at the repository root.
//
// go test caches a passing result, but does not know that the result depends
// on the sources of cmd/miplay, app and web; make test runs these tests with
// -count=1.
package e2e
