package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/miplay/miplay/app/assets"
)

// builds is what buildAll made, in a temporary directory.
type builds struct {
	dir string

	miplay string // the native miplay binary (its serve command)
	hello  string // the native hello server

	web      string // miplay's web directory: web/ of the repository, with a fresh app.wasm and engine.wasm, .br and .gz
	helloWeb string // hello's: app.wasm, .br and .gz
	engWeb   string // the engine page: index.html, wasm_exec.js, engine.wasm

	// namedWasm and namedHello are both app.wasm files built again with
	// their function names, which the size breakdown reads the code's
	// origins from; "" when the app.wasm files keep their names.
	namedWasm, namedHello string

	// ours is app.wasm, the page's own program; engine is engine.wasm,
	// the engine's, which the page runs in a Web Worker; floor is hello's
	// app.wasm.
	ours, engine, floor assets.Sizes
}

// goCommand returns the go command that runs this program's toolchain.
func goCommand() string {
	if g := os.Getenv("GO"); g != "" {
		return g
	}
	if p := filepath.Join(runtime.GOROOT(), "bin", "go"); fileExists(p) {
		return p
	}
	return "go"
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// wasmLDFlags are the linker flags of the Makefile's web/app.wasm rule:
// -s leaves out the wasm "name" section, the Go name of every function,
// which only a browser's debugger and profiler read (Go's panics and
// runtime.FuncForPC use the runtime's own tables).
const wasmLDFlags = "-s"

// buildAll builds miplay and the hello page, each as a server binary and a
// wasm (miplay's two: app.wasm and engine.wasm), with the same go build
// command and so the same flags (those of the Makefile's wasm rules, plus
// whatever GOFLAGS says for all), and precompresses the wasm files as
// `make build` does. Under -cpuprofile the
// wasm files keep their function names, for the profile.
func buildAll(ctx context.Context, cfg *config) (*builds, error) {
	dir, err := os.MkdirTemp("", "miplay-bench-")
	if err != nil {
		return nil, err
	}
	b := &builds{
		dir:      dir,
		miplay:   filepath.Join(dir, "miplay"),
		hello:    filepath.Join(dir, "hello"),
		web:      filepath.Join(dir, "web"),
		helloWeb: filepath.Join(dir, "hello-web"),
		engWeb:   filepath.Join(dir, "engine-web"),
	}
	for _, d := range []string{b.web, b.helloWeb, b.engWeb} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	wasm := []string{"GOOS=js", "GOARCH=wasm"}
	var wasmFlags []string
	if cfg.profile == "" {
		wasmFlags = []string{"-ldflags=" + wasmLDFlags}
	}
	steps := []struct {
		what  string
		env   []string
		flags []string
		out   string
		pkg   string
	}{
		{"miplay (server)", nil, nil, b.miplay, "./cmd/miplay"},
		{"hello (server)", nil, nil, b.hello, "./bench/hello"},
		{"miplay (wasm)", wasm, wasmFlags, filepath.Join(b.web, "app.wasm"), "./cmd/miplay"},
		{"miplay's engine worker (wasm)", wasm, wasmFlags, filepath.Join(b.web, "engine.wasm"), "./cmd/engineworker"},
		{"hello (wasm)", wasm, wasmFlags, filepath.Join(b.helloWeb, "app.wasm"), "./bench/hello"},
		{"engine page (wasm)", wasm, wasmFlags, filepath.Join(b.engWeb, "engine.wasm"), "./cmd/internal/benchrun/enginewasm"},
	}
	if cfg.only["size"] && wasmFlags != nil {
		b.namedWasm, b.namedHello = filepath.Join(dir, "miplay-named.wasm"), filepath.Join(dir, "hello-named.wasm")
		steps = append(steps, []struct {
			what  string
			env   []string
			flags []string
			out   string
			pkg   string
		}{
			{"miplay (wasm, with function names)", wasm, nil, b.namedWasm, "./cmd/miplay"},
			{"hello (wasm, with function names)", wasm, nil, b.namedHello, "./bench/hello"},
		}...)
	}
	for _, s := range steps {
		if !cfg.only["size"] && !cfg.only["tti"] && !cfg.only["engine"] && !cfg.only["memory"] {
			break // nothing to serve
		}
		t0 := time.Now()
		if err := goBuild(ctx, cfg.goCmd, s.env, s.flags, s.out, s.pkg); err != nil {
			return nil, err
		}
		logf("built %s in %s", s.what, time.Since(t0).Round(100*time.Millisecond))
	}
	if !fileExists(filepath.Join(b.web, "app.wasm")) {
		return b, nil
	}
	// The repository's web/ files, as e2e does: everything but the wasm
	// files (engine.js, the worker's script, among them).
	entries, err := os.ReadDir("web")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), "app.wasm") || strings.HasPrefix(e.Name(), "engine.wasm") || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if err := copyFile(filepath.Join("web", e.Name()), filepath.Join(b.web, e.Name())); err != nil {
			return nil, err
		}
	}
	// The hello page's icon: without a local one, go-app points at its icon
	// on GitHub, which the worker's install cannot fetch here (nor offline),
	// so its cache.addAll fails and hello would never have the service
	// worker's cache that a warm load of miplay has.
	if err := copyFile(filepath.Join("web", "icon-192.png"), filepath.Join(b.helloWeb, "icon.png")); err != nil {
		return nil, err
	}
	// The Go release's wasm_exec.js for the engine page (go-app embeds its
	// own copy for the apps).
	execJS, err := wasmExecJS(ctx, cfg.goCmd)
	if err != nil {
		return nil, err
	}
	if err := copyFile(execJS, filepath.Join(b.engWeb, "wasm_exec.js")); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(b.engWeb, "index.html"), []byte(fmt.Sprintf(enginePage, backTries)), 0o644); err != nil {
		return nil, err
	}
	// Brotli at the quality `make build` gives `miplay precompress` (its
	// default), gzip at its best, as `make build` does.
	t0 := time.Now()
	if b.ours, err = assets.Precompress(filepath.Join(b.web, "app.wasm"), assets.BrotliFast); err != nil {
		return nil, err
	}
	if b.engine, err = assets.Precompress(filepath.Join(b.web, "engine.wasm"), assets.BrotliFast); err != nil {
		return nil, err
	}
	if b.floor, err = assets.Precompress(filepath.Join(b.helloWeb, "app.wasm"), assets.BrotliFast); err != nil {
		return nil, err
	}
	logf("compressed the wasm files in %s: miplay %v; its engine %v; hello %v", time.Since(t0).Round(100*time.Millisecond), b.ours, b.engine, b.floor)
	return b, nil
}

func goBuild(ctx context.Context, goCmd string, env, flags []string, out, pkg string) error {
	args := append(append([]string{"build"}, flags...), "-o", out, pkg)
	cmd := exec.CommandContext(ctx, goCmd, args...)
	cmd.Env = append(os.Environ(), env...)
	if o, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s go %s: %v\n%s", strings.Join(env, " "), strings.Join(args, " "), err, o)
	}
	return nil
}

func wasmExecJS(ctx context.Context, goCmd string) (string, error) {
	out, err := exec.CommandContext(ctx, goCmd, "env", "GOROOT").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOROOT: %v", err)
	}
	root := strings.TrimSpace(string(out))
	for _, p := range []string{"lib/wasm/wasm_exec.js", "misc/wasm/wasm_exec.js"} {
		if fileExists(filepath.Join(root, p)) {
			return filepath.Join(root, p), nil
		}
	}
	return "", fmt.Errorf("no wasm_exec.js under %s", root)
}

func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o644)
}

// A server is a serve command running on a free loopback port.
type server struct {
	URL string // without the trailing slash
	cmd *exec.Cmd
}

// startServer runs bin with args and reads the URL from its first line,
// "NAME: serving http://HOST:PORT/ ...", as miplay serve and the hello
// server print it.
func startServer(ctx context.Context, bin string, args ...string) (*server, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		return nil, fmt.Errorf("%s: reading its first line: %v\n%s", bin, err, stderr.String())
	}
	go io.Copy(io.Discard, stdout)
	_, rest, ok := strings.Cut(line, ": serving ")
	if !ok {
		cmd.Process.Kill()
		cmd.Wait()
		return nil, fmt.Errorf("%s said %q", bin, line)
	}
	url := strings.TrimSuffix(strings.Fields(rest)[0], "/")
	return &server{URL: url, cmd: cmd}, nil
}

func (s *server) stop() {
	s.cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
}

// serveBoth starts miplay serve on miplay's web directory and the hello
// server on its own: the same go-app handler setup and the same
// compressed serving.
func serveBoth(ctx context.Context, b *builds) (ours, hello *server, err error) {
	ours, err = startServer(ctx, b.miplay, "serve", "--addr", "127.0.0.1:0", "--web", b.web)
	if err != nil {
		return nil, nil, err
	}
	hello, err = startServer(ctx, b.hello, "--addr", "127.0.0.1:0", "--web", b.helloWeb)
	if err != nil {
		ours.stop()
		return nil, nil, err
	}
	return ours, hello, nil
}

// env describes the machine and the tools of a run.
type runEnv struct {
	Date     time.Time
	CPU      string
	Cores    int
	Go       string
	Chromium string
	Duration time.Duration
	Load     string // the load average when the run started
}

func describeEnv(ctx context.Context, cfg *config) *runEnv {
	e := &runEnv{Date: time.Now().UTC(), Cores: runtime.NumCPU(), Go: runtime.Version()}
	if out, err := exec.CommandContext(ctx, cfg.goCmd, "env", "GOVERSION").Output(); err == nil {
		e.Go = strings.TrimSpace(string(out))
	}
	if f, err := os.ReadFile("/proc/loadavg"); err == nil {
		if fields := strings.Fields(string(f)); len(fields) >= 3 {
			e.Load = strings.Join(fields[:3], " ")
		}
	}
	if f, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(f), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				e.CPU = strings.Join(strings.Fields(v), " ")
				break
			}
		}
	}
	if cfg.chromium != "" {
		if out, err := exec.CommandContext(ctx, cfg.chromium, "--version").Output(); err == nil {
			e.Chromium = strings.TrimSpace(string(out))
		}
	}
	return e
}

func (e *runEnv) line() string {
	parts := []string{e.Date.Format("2006-01-02 15:04 UTC"), fmt.Sprintf("%d cores", e.Cores)}
	if e.CPU != "" {
		parts = append(parts, e.CPU)
	}
	parts = append(parts, e.Go)
	if e.Chromium != "" {
		parts = append(parts, e.Chromium)
	}
	if e.Load != "" {
		parts = append(parts, "load average "+e.Load+" at the start")
	}
	if e.Duration > 0 {
		parts = append(parts, "make bench took "+e.Duration.String())
	}
	return "Measured " + strings.Join(parts, ", ") + "."
}

var errNoChromium = errors.New("no Chromium found (looked at $MIPLAY_CHROMIUM, /usr/bin/chromium and PATH); install it with 'apt-get install -y chromium', or run -only size,library,emulator")

// findChromium finds the browser as the e2e tests do.
func findChromium() (string, error) {
	if p := os.Getenv("MIPLAY_CHROMIUM"); p != "" {
		if !fileExists(p) {
			return "", fmt.Errorf("MIPLAY_CHROMIUM=%s does not exist", p)
		}
		return p, nil
	}
	if fileExists("/usr/bin/chromium") {
		return "/usr/bin/chromium", nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless_shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errNoChromium
}
