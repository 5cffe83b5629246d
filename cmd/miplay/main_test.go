//go:build !wasm

package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	miapp "github.com/miplay/miplay/app"
)

func runMiplay(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestUsage(t *testing.T) {
	code, _, stderr := runMiplay(t)
	if code != 2 || !strings.Contains(stderr, "usage: miplay COMMAND") {
		t.Errorf("miplay with no arguments: exit %d, stderr %q", code, stderr)
	}
	code, stdout, _ := runMiplay(t, "help")
	if code != 0 {
		t.Errorf("miplay help: exit %d", code)
	}
	for _, name := range []string{"serve", "build-static", "precompress"} {
		if !strings.Contains(stdout, "  "+name+" ") {
			t.Errorf("miplay help does not list %s:\n%s", name, stdout)
		}
		code, stdout, _ := runMiplay(t, "help", name)
		if code != 0 || !strings.Contains(stdout, "usage: miplay "+name) {
			t.Errorf("miplay help %s: exit %d\n%s", name, code, stdout)
		}
	}
	code, stdout, _ = runMiplay(t, "serve", "-h")
	if code != 0 || !strings.Contains(stdout, "--addr HOST:PORT") {
		t.Errorf("miplay serve -h: exit %d\n%s", code, stdout)
	}
	code, _, stderr = runMiplay(t, "frobnicate")
	if code != 2 || !strings.Contains(stderr, `unknown command "frobnicate"`) {
		t.Errorf("unknown command: exit %d, stderr %q", code, stderr)
	}
}

func TestBadFlags(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--addr", "nonsense"}, "--addr: want HOST:PORT"},
		{[]string{"serve", "--addr", "127.0.0.1:99999"}, "--addr: port"},
		{[]string{"serve", "--addr", "example.com:80"}, "--addr: host"},
		{[]string{"serve", "--bogus"}, "flag provided but not defined: -bogus"},
		{[]string{"serve", "extra"}, `unexpected argument "extra"`},
		{[]string{"build-static", "--base", "https://example.com/x/"}, "--base: want a URL path"},
		{[]string{"build-static", "--base", "/a/../b/"}, "--base: want a URL path without"},
		{[]string{"build-static", "--out", ""}, "--out: must name a directory"},
		{[]string{"precompress", "--quality", "12", "x"}, "--quality: want 0 to 11"},
		{[]string{"precompress", "--quality", "high", "x"}, `invalid value "high" for flag -quality`},
		{[]string{"precompress"}, "name at least one file"},
	}
	for _, tt := range tests {
		code, _, stderr := runMiplay(t, tt.args...)
		if code != 2 || !strings.Contains(stderr, tt.want) || !strings.Contains(stderr, "usage: miplay "+tt.args[0]) {
			t.Errorf("miplay %s: exit %d, stderr:\n%s\nwant exit 2 and %q", strings.Join(tt.args, " "), code, stderr, tt.want)
		}
	}
}

func TestNormalizeBase(t *testing.T) {
	for in, want := range map[string]string{
		"":           "/",
		"/":          "/",
		"//":         "/",
		"/sub/path/": "/sub/path/",
		"/sub/path":  "/sub/path/",
		"sub/path":   "/sub/path/",
	} {
		if got, err := normalizeBase(in); err != nil || got != want {
			t.Errorf("normalizeBase(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

// fakeWeb writes a web directory with a stand-in app.wasm and engine.wasm.
func fakeWeb(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	wasm := bytes.Repeat([]byte("\x00asm\x01\x00\x00\x00 not really a program "), 4000)
	for name, data := range map[string][]byte{
		"app.wasm":    wasm,
		"engine.wasm": bytes.Repeat([]byte("\x00asm\x01\x00\x00\x00 not really the engine "), 4000),
		"engine.js":   []byte("// the worker"),
		"miplay.css":  []byte("body{}"),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// lineWriter hands the first line written to it to a channel.
type lineWriter struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	lines chan string
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	for {
		line, err := w.buf.ReadString('\n')
		if err != nil {
			w.buf.WriteString(line)
			return len(p), nil
		}
		select {
		case w.lines <- line:
		default:
		}
	}
}

func TestServe(t *testing.T) {
	web := fakeWeb(t)
	if code, _, stderr := runMiplay(t, "precompress", filepath.Join(web, "app.wasm"), filepath.Join(web, "engine.wasm")); code != 0 {
		t.Fatalf("precompress: %s", stderr)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &lineWriter{lines: make(chan string, 1)}
	var errb bytes.Buffer
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--web", web}, out, &errb) }()
	var line string
	select {
	case line = <-out.lines:
	case code := <-done:
		t.Fatalf("serve exited %d: %s", code, errb.String())
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not start")
	}
	url := strings.TrimSuffix(strings.Fields(strings.TrimPrefix(line, "miplay: serving "))[0], "/")
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("serve said %q", line)
	}

	get := func(path, accept string) (*http.Response, string) {
		req, _ := http.NewRequest("GET", url+path, nil)
		if accept != "" {
			req.Header.Set("Accept-Encoding", accept)
		}
		res, err := http.DefaultTransport.RoundTrip(req) // no transparent gzip
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}
	res, body := get("/", "")
	if res.StatusCode != 200 || !strings.Contains(body, miapp.Headline) {
		t.Errorf("GET /: %d, headline missing from the prerendered page", res.StatusCode)
	}
	version := res.Header.Get("ETag")
	if version == "" {
		t.Errorf("GET /: no ETag (the app version)")
	}
	for _, p := range []string{"/gallery", "/sandbox", "/play/x", "/embed/x", "/app.js", "/web/miplay.css"} {
		if res, _ := get(p, ""); res.StatusCode != 200 {
			t.Errorf("GET %s: %d", p, res.StatusCode)
		}
	}
	if res, _ := get("/nope", ""); res.StatusCode != 404 {
		t.Errorf("GET /nope: %d, want 404", res.StatusCode)
	}
	for accept, want := range map[string]string{"gzip, deflate, br": "br", "gzip": "gzip", "": ""} {
		res, _ := get("/web/app.wasm", accept)
		if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != want || res.Header.Get("Content-Type") != "application/wasm" {
			t.Errorf("GET /web/app.wasm with Accept-Encoding %q: %d, Content-Encoding %q, Content-Type %q",
				accept, res.StatusCode, res.Header.Get("Content-Encoding"), res.Header.Get("Content-Type"))
		}
	}
	// The page preloads app.wasm and compiles it from the <head>, at the
	// very URL app.js would fetch, and app.js instantiates that module.
	_, appJS := get("/app.js", "")
	if !strings.Contains(appJS, `fetchWithProgress("/web/app.wasm"`) || !strings.Contains(appJS, "window.goappWasmModule ? await goappInstantiateCompiled(go)") {
		t.Errorf("app.js does not fetch /web/app.wasm, or not take the module the page compiled")
	}
	if !strings.Contains(body, `<link rel="preload" href="/web/app.wasm" as="fetch" type="application/wasm" crossorigin="anonymous">`) {
		t.Errorf("GET /: the page does not preload /web/app.wasm")
	}
	if !strings.Contains(body, `window.goappWasmModule = WebAssembly.compileStreaming(fetch("/web/app.wasm"));`) {
		t.Errorf("GET /: the page does not compile /web/app.wasm from its head")
	}
	// The engine's worker and its wasm, under the query that the page and
	// the service worker ask for them with.
	v := strings.Trim(version, `"`)
	for _, p := range []string{"/web/engine.js", "/web/engine.wasm"} {
		q := p + "?v=" + v
		if p == "/web/engine.js" && !strings.Contains(body, `new Worker("`+q+`"`) {
			t.Errorf("GET /: the page does not start the engine's worker from %s", q)
		}
		if _, worker := get("/app-worker.js", ""); !strings.Contains(worker, `"`+q+`"`) {
			t.Errorf("the service worker does not cache %s", q)
		}
		res, _ := get(q, "br")
		if res.StatusCode != 200 || res.Header.Get("ETag") != version {
			t.Errorf("GET %s: %d, ETag %q", q, res.StatusCode, res.Header.Get("ETag"))
		}
		if p == "/web/engine.wasm" && (res.Header.Get("Content-Encoding") != "br" || res.Header.Get("Content-Type") != "application/wasm") {
			t.Errorf("GET %s: Content-Encoding %q, Content-Type %q", q, res.Header.Get("Content-Encoding"), res.Header.Get("Content-Type"))
		}
	}
	// A browser that has this version gets 304: app.wasm is not sent again.
	req, _ := http.NewRequest("GET", url+"/web/app.wasm", nil)
	req.Header.Set("If-None-Match", version)
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != 304 {
		t.Errorf("GET /web/app.wasm with If-None-Match: %v, %v; want 304", res.StatusCode, err)
	}

	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exited %d after cancel: %s", code, errb.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
}

func TestServeWithoutWasm(t *testing.T) {
	code, _, stderr := runMiplay(t, "serve", "--web", t.TempDir())
	if code != 1 || !strings.Contains(stderr, "make build") {
		t.Errorf("serve without app.wasm: exit %d, stderr %q", code, stderr)
	}
	web := fakeWeb(t)
	os.Remove(filepath.Join(web, "engine.wasm"))
	code, _, stderr = runMiplay(t, "serve", "--web", web)
	if code != 1 || !strings.Contains(stderr, "engine.wasm not found") || !strings.Contains(stderr, "./cmd/engineworker") {
		t.Errorf("serve without engine.wasm: exit %d, stderr %q", code, stderr)
	}
}

func TestBuildStatic(t *testing.T) {
	web := fakeWeb(t)
	out := filepath.Join(t.TempDir(), "site")
	for i := 0; i < 2; i++ { // the second run replaces the first
		code, stdout, stderr := runMiplay(t, "build-static", "--web", web, "--out", out, "--base", "/docs/miplay")
		if code != 0 {
			t.Fatalf("build-static: exit %d\n%s", code, stderr)
		}
		if !strings.Contains(stdout, "for /docs/miplay/") {
			t.Errorf("build-static said %q", stdout)
		}
	}
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	index := read("index.html")
	for _, want := range []string{
		miapp.Headline,
		`href="/docs/miplay/gallery"`,
		`src="/docs/miplay/app.js"`,
		`href="/docs/miplay/web/miplay.css"`,
	} {
		if !strings.Contains(index, want) {
			t.Errorf("index.html lacks %s", want)
		}
	}
	if read("404.html") != index {
		t.Errorf("404.html is not a copy of index.html")
	}
	appJS := read("app.js")
	for _, want := range []string{`"/docs/miplay/web/app.wasm"`, `"GOAPP_ROOT_PREFIX":"/docs/miplay"`} {
		if !strings.Contains(appJS, want) {
			t.Errorf("app.js lacks %s", want)
		}
	}
	if !strings.Contains(index, `<link rel="preload" href="/docs/miplay/web/app.wasm" as="fetch"`) ||
		!strings.Contains(index, `WebAssembly.compileStreaming(fetch("/docs/miplay/web/app.wasm"))`) {
		t.Errorf("index.html does not preload and compile app.wasm under the base")
	}
	// The engine's worker starts from under the base, and the service
	// worker caches it and engine.wasm there, under the same version.
	if !strings.Contains(index, `new Worker("/docs/miplay/web/engine.js?v=`) {
		t.Errorf("index.html does not start the engine's worker under the base")
	}
	worker := read("app-worker.js")
	for _, want := range []string{`"/docs/miplay/web/engine.js?v=`, `"/docs/miplay/web/engine.wasm?v=`} {
		if !strings.Contains(worker, want) {
			t.Errorf("app-worker.js does not cache %s...", want)
		}
	}
	for _, name := range []string{"gallery.html", "sandbox.html", "web/app.wasm", "web/app.wasm.br", "web/app.wasm.gz", "web/engine.wasm", "web/engine.wasm.br", "web/engine.wasm.gz", "web/engine.js", "web/miplay.css", "app-worker.js", "manifest.webmanifest"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("build-static did not write %s", name)
		}
	}

	// It refuses to clear a directory that is not a previous build.
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "precious.txt"), []byte("keep me"), 0o644)
	code, _, stderr := runMiplay(t, "build-static", "--web", web, "--out", other)
	if code != 1 || !strings.Contains(stderr, "refusing") {
		t.Errorf("build-static into a foreign directory: exit %d, %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(other, "precious.txt")); err != nil {
		t.Errorf("build-static removed a file it did not write")
	}
}
