//go:build !wasm

package main

import (
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// checkLoader fails unless js is app.js as app/loader patches it: the
// service worker registered once the app has started, not first thing.
func checkLoader(t *testing.T, what, js string) {
	t.Helper()
	if !strings.Contains(js, "\ngoappInitWebAssembly().finally(goappInitServiceWorkerWhenIdle);\n") {
		t.Errorf("%s does not register the worker after the app has started", what)
	}
	if strings.Contains(js, "\ngoappInitServiceWorker();\n") {
		t.Errorf("%s still registers the worker first thing", what)
	}
}

func TestServePatchesAppJS(t *testing.T) {
	web, err := loadWeb(&env{Stdout: io.Discard, Stderr: io.Discard}, fakeWeb(t), false)
	if err != nil {
		t.Fatal(err)
	}
	h := serveHandler(web)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/app.js", nil))
	if rec.Code != 200 {
		t.Fatalf("GET /app.js: %d", rec.Code)
	}
	checkLoader(t, "miplay serve's app.js", rec.Body.String())
	// The security headers still wrap it.
	if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("GET /app.js: no X-Content-Type-Options")
	}
}

func TestBuildStaticPatchesAppJS(t *testing.T) {
	out := filepath.Join(t.TempDir(), "site")
	if code, _, stderr := runMiplay(t, "build-static", "--web", fakeWeb(t), "--out", out, "--base", "/docs/miplay"); code != 0 {
		t.Fatalf("build-static: exit %d\n%s", code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(out, "app.js"))
	if err != nil {
		t.Fatal(err)
	}
	js := string(b)
	checkLoader(t, "the static site's app.js", js)
	if !strings.Contains(js, `navigator.serviceWorker.register(
        "/docs/miplay/app-worker.js"`) {
		t.Errorf("the static site's app.js does not register the worker under its base")
	}
}
