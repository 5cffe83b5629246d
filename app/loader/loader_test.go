//go:build !wasm

package loader

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

func newHandler() *app.Handler {
	return &app.Handler{Name: "test", Version: "v1", WasmContentLength: "1234"}
}

// get serves one request and returns the response and its body.
func get(t *testing.T, h http.Handler, path string, header ...string) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// goappJS is app.js as go-app's handler serves it.
func goappJS(t *testing.T) string {
	t.Helper()
	_, body := get(t, newHandler(), "/app.js")
	return body
}

// topLevelCalls are the statements at the start of a line that call a
// function: what the script runs when it loads.
var topLevelCalls = regexp.MustCompile(`(?m)^[a-zA-Z]+\(.*;$`)

func TestPatch(t *testing.T) {
	orig := goappJS(t)
	if got := topLevelCalls.FindAllString(orig, -1); !contains(got, "goappInitServiceWorker();") {
		t.Fatalf("go-app's app.js does not register its worker first thing any more (it runs %q): is this package still needed?", got)
	}
	js := Patch(orig)

	calls := topLevelCalls.FindAllString(js, -1)
	want := []string{
		"goappWatchServiceWorker();",
		"goappWatchForUpdate();",
		"goappWatchForInstallable();",
		"goappInitWebAssembly().finally(goappInitServiceWorkerWhenIdle);",
	}
	if strings.Join(calls, " ") != strings.Join(want, " ") {
		t.Errorf("the patched app.js runs %q, want %q", calls, want)
	}
	// goappInitServiceWorker is called only once the page is idle.
	if n := strings.Count(js, "goappInitServiceWorker()"); n != 2 { // its declaration and the idle callback
		t.Errorf("goappInitServiceWorker() occurs %d times, want 2:\n%s", n, js)
	}
	if !strings.Contains(js, "requestIdleCallback(() => goappInitServiceWorker(), { timeout: 2000 })") {
		t.Errorf("the worker is not registered in an idle callback")
	}
	// Registered, the worker is watched through goappWatchRegistration,
	// which watches a registration once.
	if strings.Contains(js, "goappServiceWorkerRegistration = registration;\n      goappSetupNotifyUpdate") ||
		!strings.Contains(js, "      goappWatchRegistration(registration);\n      goappSetupPushNotification();") {
		t.Errorf("goappInitServiceWorker does not go through goappWatchRegistration")
	}
	// A module the page compiled already is instantiated; without one,
	// app.js fetches the wasm as go-app's does.
	if !strings.Contains(js, "    const wasm = window.goappWasmModule ? await goappInstantiateCompiled(go) : await instantiateStreaming(\n      fetchWithProgress(") {
		t.Errorf("app.js does not take the module the page compiled")
	}
	// The rest is go-app's: the progress label, the wasm's URL and size.
	for _, keep := range []string{
		`fetchWithProgress("/web/app.wasm", showProgress)`,
		`const goappWasmContentLength = "1234";`,
		"async function goappShowInstallPrompt()",
		"function goappTryUpdate()",
	} {
		if !strings.Contains(js, keep) {
			t.Errorf("the patched app.js lost %q", keep)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// A go-app whose app.js has changed is not served half patched.
func TestPatchPanicsOnUnknownScript(t *testing.T) {
	orig := goappJS(t)
	for name, js := range map[string]string{
		"empty":           "",
		"patched already": Patch(orig),
		"registration reworded": strings.Replace(orig,
			"goappServiceWorkerRegistration = registration;", "goappServiceWorkerRegistration = reg;", 1),
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("Patch did not panic")
				}
			}()
			Patch(js)
		})
	}
}

// The patched script parses, where node is at hand.
func TestPatchIsJavaScript(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("no node to check the syntax with")
	}
	f := filepath.Join(t.TempDir(), "app.js")
	if err := os.WriteFile(f, []byte(Patch(goappJS(t))), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(node, "--check", f).CombinedOutput(); err != nil {
		t.Errorf("node --check: %v\n%s", err, out)
	}
}

func TestHandler(t *testing.T) {
	inner := newHandler()
	h := Handler(inner)
	want := Patch(goappJS(t))
	orig, _ := get(t, inner, "/app.js")
	etag := orig.Header.Get("ETag")
	if etag == "" {
		t.Fatal("go-app sends no ETag")
	}

	for _, path := range []string{"/app.js", "/goapp.js", "/v1/app.js"} {
		res, body := get(t, h, path)
		if res.StatusCode != 200 || body != want {
			t.Errorf("GET %s: %d, patched: %v", path, res.StatusCode, body == want)
		}
		if cl := res.Header.Get("Content-Length"); cl != strconv.Itoa(len(want)) {
			t.Errorf("GET %s: Content-Length %s, body %d bytes", path, cl, len(want))
		}
		// go-app's headers stay.
		if res.Header.Get("ETag") != etag || res.Header.Get("Cache-Control") != "no-cache" ||
			res.Header.Get("Content-Type") != "application/javascript" {
			t.Errorf("GET %s: headers %v", path, res.Header)
		}
	}
	// A browser that has this version gets go-app's 304.
	if res, body := get(t, h, "/app.js", "If-None-Match", etag); res.StatusCode != 304 || body != "" {
		t.Errorf("GET /app.js with If-None-Match: %d, %d bytes; want 304, empty", res.StatusCode, len(body))
	}
	// Everything else is go-app's, untouched.
	for _, path := range []string{"/app-worker.js", "/", "/manifest.webmanifest"} {
		_, got := get(t, h, path)
		_, orig := get(t, inner, path)
		if got != orig {
			t.Errorf("GET %s differs from go-app's", path)
		}
	}
}

func TestPatchFile(t *testing.T) {
	f := filepath.Join(t.TempDir(), "app.js")
	orig := goappJS(t)
	if err := os.WriteFile(f, []byte(orig), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := PatchFile(f); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(f); string(b) != Patch(orig) {
		t.Errorf("PatchFile wrote something else than Patch")
	}
	if err := PatchFile(filepath.Join(t.TempDir(), "missing.js")); err == nil {
		t.Errorf("PatchFile of a missing file: no error")
	}
}
