package e2e

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	miapp "github.com/miplay/miplay/app"
)

// browserPath returns the Chromium to drive, or skips (or fails, with
// MIPLAY_REQUIRE_BROWSER=1) the test.
func browserPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("MIPLAY_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("MIPLAY_CHROMIUM=%s: %v", p, err)
		}
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless_shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "no Chromium found (looked at $MIPLAY_CHROMIUM, /usr/bin/chromium and PATH); install it with 'apt-get install -y chromium'"
	if os.Getenv("MIPLAY_REQUIRE_BROWSER") == "1" {
		t.Fatal(msg + ", or unset MIPLAY_REQUIRE_BROWSER to skip the browser tests")
	}
	t.Skip(msg + "; skipping the browser tests")
	return ""
}

// repoRoot returns the root of the repository: the parent of this package.
func repoRoot(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Dir(wd)
}

var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
)

// built builds miplay and the wasm files once per test run, into a
// temporary directory: DIR/miplay and DIR/web/ (the repository's web/
// files, with a fresh app.wasm and engine.wasm and their .br and .gz).
func built(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		root := repoRoot(t)
		buildDir, buildErr = os.MkdirTemp("", "miplay-e2e-")
		if buildErr != nil {
			return
		}
		web := filepath.Join(buildDir, "web")
		gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
		if _, err := os.Stat(gobin); err != nil {
			gobin = "go"
		}
		steps := []struct {
			env  []string
			args []string
		}{
			{nil, []string{gobin, "build", "-o", filepath.Join(buildDir, "miplay"), "./cmd/miplay"}},
			{[]string{"GOOS=js", "GOARCH=wasm"}, []string{gobin, "build", "-o", filepath.Join(web, "app.wasm"), "./cmd/miplay"}},
			{[]string{"GOOS=js", "GOARCH=wasm"}, []string{gobin, "build", "-o", filepath.Join(web, "engine.wasm"), "./cmd/engineworker"}},
		}
		for _, s := range steps {
			cmd := exec.Command(s.args[0], s.args[1:]...)
			cmd.Dir = root
			cmd.Env = append(os.Environ(), s.env...)
			if out, err := cmd.CombinedOutput(); err != nil {
				buildErr = fmt.Errorf("%s: %v\n%s", strings.Join(s.args, " "), err, out)
				return
			}
		}
		entries, err := os.ReadDir(filepath.Join(root, "web"))
		if err != nil {
			buildErr = err
			return
		}
		for _, e := range entries {
			if e.IsDir() || strings.HasPrefix(e.Name(), "app.wasm") || strings.HasPrefix(e.Name(), "engine.wasm") || strings.HasPrefix(e.Name(), ".") {
				continue
			}
			b, err := os.ReadFile(filepath.Join(root, "web", e.Name()))
			if err == nil {
				err = os.WriteFile(filepath.Join(web, e.Name()), b, 0o644)
			}
			if err != nil {
				buildErr = err
				return
			}
		}
		cmd := exec.Command(filepath.Join(buildDir, "miplay"), "precompress", filepath.Join(web, "app.wasm"), filepath.Join(web, "engine.wasm"))
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("precompress: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// serve starts 'miplay serve' on a free loopback port and returns its URL.
func serve(t *testing.T, dir string) string {
	t.Helper()
	cmd := exec.Command(filepath.Join(dir, "miplay"), "serve", "--addr", "127.0.0.1:0", "--web", filepath.Join(dir, "web"))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// The test's browsers go first, so that none of their requests
		// (the service worker's install downloads every file) can still
		// be under way and hold the server's graceful shutdown.
		closeBrowsers(t)
		cmd.Process.Signal(syscall.SIGINT)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("miplay serve did not stop cleanly: %v\n%s", err, stderr.String())
			}
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			t.Errorf("miplay serve did not stop within 10s of SIGINT")
		}
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("reading miplay serve's first line: %v\n%s", err, stderr.String())
	}
	go io.Copy(io.Discard, stdout)
	const prefix = "miplay: serving "
	if !strings.HasPrefix(line, prefix) {
		t.Fatalf("miplay serve said %q", line)
	}
	url := strings.Fields(strings.TrimPrefix(line, prefix))[0]
	t.Logf("%s", strings.TrimSpace(line))
	return strings.TrimSuffix(url, "/")
}

// newBrowser starts headless Chromium and returns the context of its first
// tab. Uncaught exceptions on the page fail the test.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	path := browserPath(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.WindowSize(1280, 900),
	)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(acancel)
	browsers.Lock()
	browsers.open[t] = append(browsers.open[t], acancel)
	browsers.Unlock()
	t.Cleanup(func() { closeBrowsers(t) }) // forgets t's entry
	return newTab(t, actx)
}

// browsers are the browsers each test has started, so that serve's
// cleanup can close them before it stops the server.
var browsers = struct {
	sync.Mutex
	open map[*testing.T][]context.CancelFunc
}{open: map[*testing.T][]context.CancelFunc{}}

// closeBrowsers closes the browsers t started; closing one twice is harmless.
func closeBrowsers(t *testing.T) {
	browsers.Lock()
	cancels := browsers.open[t]
	delete(browsers.open, t)
	browsers.Unlock()
	for _, cancel := range cancels {
		cancel()
	}
}

// newTab opens a tab in a new browser context (its own storage, like a
// private window) of the browser of parent.
func newTab(t *testing.T, parent context.Context, opts ...chromedp.ContextOption) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(parent, opts...)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	watchConsole(t, ctx)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// watchConsole logs the page's console and fails the test on an uncaught
// exception.
func watchConsole(t *testing.T, ctx context.Context) {
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.IsException() {
				t.Errorf("uncaught exception in the page: %s:%d %s", m.URL, m.Line+1, m)
				continue
			}
			t.Logf("console.%s: %s", m.Type, m)
		}
	}()
}

func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func run[T any](t *testing.T, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// waitApp waits until the wasm app has taken over the page: it marks <html>
// once the saved settings are applied, and enables the dark-mode toggle.
func waitApp(t *testing.T, ctx context.Context) {
	t.Helper()
	wctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(wctx,
		chromedp.WaitVisible(chromedp.CSS(`html[data-miplay-ready="true"] .theme-toggle:not([disabled])`)),
	); err != nil {
		t.Fatalf("the wasm app did not start: %v", err)
	}
}

func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	// Let fonts and styles settle.
	do(t, ctx, "settling", chromedp.Sleep(200*time.Millisecond))
	png := run(t, ctx, "taking a screenshot", chromedp.FullScreenshot(100))
	dir := filepath.Join(repoRoot(t), "build", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	return strings.TrimSpace(run(t, ctx, "reading "+sel, chromedp.Text(chromedp.CSS(sel))))
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	return run(t, ctx, js, chromedp.Evaluate[T](js))
}

// savedSettingsJS reads the settings record from IndexedDB the way any page
// script could, without creating or upgrading the database.
const savedSettingsJS = `new Promise((resolve) => {
  const r = indexedDB.open("miplay");
  r.onupgradeneeded = () => r.transaction.abort();
  r.onerror = () => resolve("");
  r.onsuccess = () => {
    const db = r.result;
    try {
      const g = db.transaction("settings").objectStore("settings").get("app");
      g.onsuccess = () => { db.close(); resolve(g.result || ""); };
      g.onerror = () => { db.close(); resolve(""); };
    } catch (e) { db.close(); resolve(""); }
  };
})`

func savedSettings(t *testing.T, ctx context.Context) string {
	t.Helper()
	return run(t, ctx, "reading IndexedDB", chromedp.Evaluate[string](savedSettingsJS, chromedp.EvalAwaitPromise))
}

func TestHomeAndDarkModePersists(t *testing.T) {
	ctx := newBrowser(t)
	url := serve(t, built(t))

	do(t, ctx, "loading the home page", chromedp.Navigate(url+"/"))
	waitApp(t, ctx)
	if got := text(t, ctx, "h1"); got != miapp.Headline {
		t.Errorf("headline = %q, want %q", got, miapp.Headline)
	}
	if got := eval[string](t, ctx, `document.title`); got != "miplay" {
		t.Errorf("title = %q", got)
	}
	for _, sel := range []string{".column--without h3", ".column--with h3"} {
		if text(t, ctx, sel) == "" {
			t.Errorf("%s is empty", sel)
		}
	}
	if got := eval[string](t, ctx, `document.documentElement.getAttribute("data-theme") || ""`); got != "" {
		t.Errorf("data-theme = %q on a first visit, want none (follow the system)", got)
	}
	if got := text(t, ctx, ".theme-toggle"); got != "Dark mode" {
		t.Errorf("toggle label = %q", got)
	}
	screenshot(t, ctx, "home-light.png")

	// Keyboard: the first Tab reaches the skip link.
	do(t, ctx, "pressing Tab", chromedp.KeyEvent("\t"))
	if got := eval[string](t, ctx, `document.activeElement.className`); got != "skip-link" {
		t.Errorf("first Tab focused %q, want the skip link", got)
	}

	// Toggle dark mode with the keyboard: focus the button, press Enter.
	do(t, ctx, "toggling dark mode",
		chromedp.Focus(chromedp.CSS(".theme-toggle")),
		chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(chromedp.CSS(`html[data-theme="dark"] .theme-toggle[aria-pressed="true"]`)),
	)
	// Wait until IndexedDB holds the choice.
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(savedSettings(t, ctx), `"dark"`) {
		if time.Now().After(deadline) {
			t.Fatalf("IndexedDB settings = %q, want the dark theme", savedSettings(t, ctx))
		}
		time.Sleep(100 * time.Millisecond)
	}
	screenshot(t, ctx, "home-dark.png")

	// Reload without the localStorage mirror: the theme must come back from
	// IndexedDB.
	do(t, ctx, "reloading",
		chromedp.Evaluate[chromedp.Void](`localStorage.clear()`),
		chromedp.Reload(),
	)
	waitApp(t, ctx)
	if got := eval[string](t, ctx, `document.documentElement.getAttribute("data-theme") || ""`); got != "dark" {
		t.Errorf("after reload, data-theme = %q, want dark", got)
	}
	if got := eval[string](t, ctx, `document.querySelector(".theme-toggle").getAttribute("aria-pressed")`); got != "true" {
		t.Errorf("after reload, toggle aria-pressed = %q, want true", got)
	}

	// Navigate inside the app: the gallery lists the scenarios.
	do(t, ctx, "opening the gallery",
		chromedp.Click(chromedp.CSS(`.site-nav a[href="/gallery"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.site-nav a[href="/gallery"][aria-current="page"]`)),
	)
	if got := text(t, ctx, "h1"); got != "Gallery" {
		t.Errorf("gallery h1 = %q", got)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#gallery-library .card").length`); n == 0 {
		t.Errorf("the gallery lists no scenario")
	}
	if got := eval[string](t, ctx, `document.title`); got != "Gallery · miplay" {
		t.Errorf("gallery title = %q", got)
	}
	screenshot(t, ctx, "gallery-dark.png")

	// A phone-sized screen.
	do(t, ctx, "loading the home page on a small screen",
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(url+"/"),
	)
	waitApp(t, ctx)
	if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("page is %dpx wide on a 390px screen", w)
	}
	screenshot(t, ctx, "home-mobile-dark.png")
}

func TestFollowsSystemDarkScheme(t *testing.T) {
	ctx := newBrowser(t)
	url := serve(t, built(t))
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}},
	}); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, "loading a deep link", chromedp.Navigate(url+"/play/vm-reads-blob"))
	waitApp(t, ctx)
	if got := eval[string](t, ctx, `document.querySelector(".theme-toggle").getAttribute("aria-pressed")`); got != "true" {
		t.Errorf("with a dark system scheme, toggle aria-pressed = %q, want true", got)
	}
	bg := eval[string](t, ctx, `getComputedStyle(document.body).backgroundColor`)
	if bg != "rgb(12, 17, 29)" {
		t.Errorf("body background = %s, want the dark one", bg)
	}
	if got := text(t, ctx, "h1"); !strings.Contains(got, "vm-reads-blob") {
		t.Errorf("player h1 = %q, want the scenario name", got)
	}
	screenshot(t, ctx, "play-system-dark.png")

	// Choosing light against a dark system is saved as light.
	do(t, ctx, "toggling", chromedp.Click(chromedp.CSS(".theme-toggle")),
		chromedp.WaitVisible(chromedp.CSS(`html[data-theme="light"]`)))
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(savedSettings(t, ctx), `"light"`) {
		if time.Now().After(deadline) {
			t.Fatalf("IndexedDB settings = %q, want light", savedSettings(t, ctx))
		}
		time.Sleep(100 * time.Millisecond)
	}

	// The embed page has no site header.
	do(t, ctx, "loading the embed page", chromedp.Navigate(url+"/embed/vm-reads-blob"))
	if n := eval[int](t, ctx, `document.querySelectorAll(".site-header").length`); n != 0 {
		t.Errorf("embed page has %d site headers, want none", n)
	}
	do(t, ctx, "waiting for the embed page", chromedp.WaitVisible(chromedp.CSS(`html[data-miplay-ready="true"]`)))
	screenshot(t, ctx, "embed-light.png")
}

// pagesHost serves a static build the way GitHub Pages does: a path is a
// file, or that path plus .html, or a directory's index.html; anything else
// gets the site's 404.html with status 404.
func pagesHost(root, site string) http.Handler {
	files := http.FileServer(http.Dir(root))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := filepath.Join(root, filepath.FromSlash(r.URL.Path))
		if st, err := os.Stat(p); err == nil && (!st.IsDir() || fileExists(filepath.Join(p, "index.html"))) {
			files.ServeHTTP(w, r)
			return
		}
		if fileExists(p + ".html") {
			r2 := r.Clone(r.Context())
			r2.URL.Path += ".html"
			files.ServeHTTP(w, r2)
			return
		}
		b, err := os.ReadFile(filepath.Join(root, site, "404.html"))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		w.Write(b)
	})
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

func TestStaticBuildUnderSubPath(t *testing.T) {
	ctx := newBrowser(t)
	dir := built(t)
	root := filepath.Join(repoRoot(t), "build", "e2e-static")
	os.RemoveAll(root)
	t.Cleanup(func() { os.RemoveAll(root) })
	out := filepath.Join(root, "sub", "path")
	cmd := exec.Command(filepath.Join(dir, "miplay"), "build-static", "--web", filepath.Join(dir, "web"), "--out", out, "--base", "/sub/path/")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build-static: %v\n%s", err, b)
	} else {
		t.Logf("%s", strings.TrimSpace(string(b)))
	}
	for _, f := range []string{"index.html", "404.html", "gallery.html", "sandbox.html", "app.js", "app-worker.js", "wasm_exec.js", "web/app.wasm", "web/app.wasm.br", "web/app.wasm.gz", "web/miplay.css"} {
		if !fileExists(filepath.Join(out, f)) {
			t.Errorf("build-static did not write %s", f)
		}
	}
	srv := httptest.NewServer(pagesHost(root, "sub/path"))
	t.Cleanup(srv.Close)

	do(t, ctx, "loading the static home page", chromedp.Navigate(srv.URL+"/sub/path/"))
	waitApp(t, ctx)
	if got := text(t, ctx, "h1"); got != miapp.Headline {
		t.Errorf("headline = %q, want %q", got, miapp.Headline)
	}
	if got := eval[string](t, ctx, `[...document.querySelectorAll(".site-nav a")].map(a => a.getAttribute("href")).join(" ")`); got != "/sub/path/ /sub/path/gallery /sub/path/sandbox" {
		t.Errorf("nav links = %q, want them under /sub/path", got)
	}
	screenshot(t, ctx, "static-home.png")

	do(t, ctx, "opening the gallery",
		chromedp.Click(chromedp.CSS(`.site-nav a[href="/sub/path/gallery"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.site-nav a[href="/sub/path/gallery"][aria-current="page"]`)),
	)
	if got := eval[string](t, ctx, `location.pathname`); got != "/sub/path/gallery" {
		t.Errorf("after clicking Gallery, path = %q", got)
	}

	// A deep link the host does not know gets 404.html, and the app routes it.
	do(t, ctx, "loading a deep link", chromedp.Navigate(srv.URL+"/sub/path/play/vm-reads-blob"))
	waitApp(t, ctx)
	if got := text(t, ctx, "h1"); !strings.Contains(got, "vm-reads-blob") {
		t.Errorf("deep link h1 = %q, want the scenario", got)
	}
	screenshot(t, ctx, "static-deep-link.png")
}

// Two tabs share the database. When another tab (a newer build, here played
// by a script) upgrades it, this tab says so instead of failing silently, and
// after a reload it works with the newer database.
func TestSecondTabUpgradesTheDatabase(t *testing.T) {
	first := newBrowser(t)
	url := serve(t, built(t))
	do(t, first, "loading the first tab", chromedp.Navigate(url+"/"))
	waitApp(t, first)

	second := newTab(t, first)
	do(t, second, "loading the second tab", chromedp.Navigate(url+"/gallery"))
	waitApp(t, second)

	// Both tabs work side by side, and a choice made in one shows in the
	// other.
	do(t, second, "toggling in the second tab", chromedp.Click(chromedp.CSS(".theme-toggle")),
		chromedp.WaitVisible(chromedp.CSS(`html[data-theme="dark"]`)))
	do(t, first, "waiting for the first tab to follow",
		chromedp.WaitVisible(chromedp.CSS(`html[data-theme="dark"] .theme-toggle[aria-pressed="true"]`)))

	// A newer build opens the database at the next version.
	const upgradeJS = `new Promise((resolve) => {
	  const r = indexedDB.open("miplay", 3);
	  r.onsuccess = () => { r.result.close(); resolve("upgraded"); };
	  r.onerror = () => resolve("error: " + r.error);
	  r.onblocked = () => resolve("blocked");
	})`
	if got := run(t, second, "upgrading", chromedp.Evaluate[string](upgradeJS, chromedp.EvalAwaitPromise)); got != "upgraded" {
		t.Fatalf("upgrading the database from a script: %s", got)
	}
	do(t, first, "waiting for the notice",
		chromedp.WaitVisible(chromedp.CSS(".notice")))
	if got := text(t, first, ".notice p"); !strings.Contains(got, "updated in another tab") {
		t.Errorf("notice = %q", got)
	}
	screenshot(t, first, "second-tab-notice.png")

	do(t, first, "dismissing the notice", chromedp.Click(chromedp.CSS(".notice__dismiss")),
		chromedp.WaitNotPresent(chromedp.CSS(".notice")))

	// After a reload, the first tab uses the newer database: the dark theme
	// the second tab saved is there.
	do(t, first, "reloading", chromedp.Evaluate[chromedp.Void](`localStorage.clear()`), chromedp.Reload())
	waitApp(t, first)
	if got := eval[string](t, first, `document.documentElement.getAttribute("data-theme") || ""`); got != "dark" {
		t.Errorf("after reload, data-theme = %q, want dark", got)
	}
	if n := eval[int](t, first, `document.querySelectorAll(".notice").length`); n != 0 {
		t.Errorf("after reload, %d notices, want none: %s", n, text(t, first, ".notices"))
	}
}

// waitCached waits, up to a minute, until go-app's service worker is
// active and its caches hold a URL (path and query) containing each of
// wants.
func waitCached(t *testing.T, ctx context.Context, wants ...string) {
	t.Helper()
	const cachedJS = `navigator.serviceWorker.ready.then(async () => {
	  const urls = [];
	  for (const k of await caches.keys()) {
	    for (const r of await (await caches.open(k)).keys()) {
	      const u = new URL(r.url);
	      urls.push(u.pathname + u.search);
	    }
	  }
	  return urls.sort().join(" ");
	})`
	deadline := time.Now().Add(60 * time.Second)
	for {
		got := run(t, ctx, "reading the caches", chromedp.Evaluate[string](cachedJS, chromedp.EvalAwaitPromise))
		missing := ""
		for _, w := range wants {
			if !strings.Contains(got, w) {
				missing = w
				break
			}
		}
		if missing == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the service worker cached %q, without %s", got, missing)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// goOffline has the browser, its service worker included, see no network.
func goOffline(t *testing.T, ctx context.Context) {
	t.Helper()
	off := true
	if _, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		EmulateOfflineServiceWorker: &off,
		MatchedNetworkConditions:    []*network.Conditions{{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}},
	}); err != nil {
		t.Fatalf("emulating offline: %v", err)
	}
}
