package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/profiler"
	"github.com/chromedp/chromedp"

	"github.com/miplay/miplay/bench/workload"
)

// profileLoad records a CPU profile of a cold load of miplay's player (or,
// for "player-warm", of a warm one), from
// the navigation to interactive, writes it for Chrome DevTools (Performance
// panel, "Load profile") and prints the functions that took the most time,
// by self time and by total time, and the Go packages by self time. It is
// the tool behind the TTI figures: wasm functions keep their Go names.
func profileLoad(ctx context.Context, cfg *config, b *builds, out string, w io.Writer) error {
	switch cfg.profilePage {
	case "engine", "back":
		return profileEngine(ctx, cfg, b, out, w)
	case "sandbox", "sandbox-worker":
		return profileSandbox(ctx, cfg, b, out, w)
	case "player", "player-warm", "hello", "hello-warm":
	default:
		return fmt.Errorf("-profile %q: want player, player-warm, hello, hello-warm, engine, back, sandbox or sandbox-worker", cfg.profilePage)
	}
	// The hello page is the baseline of the TTI figures; its profile is
	// the floor to compare ours with.
	hello := strings.HasPrefix(cfg.profilePage, "hello")
	bin, args, ready := b.miplay, []string{"serve", "--addr", "127.0.0.1:0", "--web", b.web}, oursReady
	if hello {
		bin, args, ready = b.hello, []string{"--addr", "127.0.0.1:0", "--web", b.helloWeb}, helloReady
	}
	srv, err := startServer(ctx, bin, args...)
	if err != nil {
		return err
	}
	defer srv.stop()
	path := "/"
	if !hello {
		slug, err := firstScenario()
		if err != nil {
			return err
		}
		path = "/play/" + slug
	}
	br, err := launch(ctx, cfg.chromium)
	if err != nil {
		return err
	}
	defer br.close()
	if err := br.probe(ready); err != nil {
		return err
	}
	url, which := srv.URL+path, "cold"
	if strings.HasSuffix(cfg.profilePage, "-warm") {
		// As measureTTI's warm loads: once the service worker is
		// active, from another page.
		which = "warm"
		if _, err := br.load(url, 90*time.Second); err != nil {
			return fmt.Errorf("cold load: %w", err)
		}
		if err := br.waitServiceWorker(30 * time.Second); err != nil {
			return err
		}
		if err := chromedp.Do(br.ctx, chromedp.Navigate("about:blank")); err != nil {
			return err
		}
	}
	if err := startProfiler(br); err != nil {
		return err
	}
	tm, err := br.load(url, 90*time.Second)
	if err != nil {
		return err
	}
	prof, err := stopProfiler(br, out)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s load of %s: interactive at %.0f ms (wasm instantiated at %.0f ms); profile in %s\n", which, path, tm.Ready, tm.Instantiated, out)
	summarizeProfile(prof, w)
	return nil
}

// profileEngine records a CPU profile of the engine page (engine.wasm)
// replaying the benchmark scenario, the first run and the steps back; or,
// for "back", of the steps back (and forward) in miplay's player.
func profileEngine(ctx context.Context, cfg *config, b *builds, out string, w io.Writer) error {
	var res *profiler.Profile
	stop := func(br *browser) (err error) {
		res, err = stopProfiler(br, out)
		return err
	}
	var err error
	if cfg.profilePage == "back" {
		var src []byte
		if _, src, err = workload.Replay(ctx); err == nil {
			_, err = playerInBrowserWith(ctx, cfg, b, src, startProfiler, stop)
		}
	} else {
		_, err = engineInBrowserWith(ctx, cfg, b, startProfiler, stop)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s profile in %s\n", cfg.profilePage, out)
	summarizeProfile(res, w)
	return nil
}

// profileSandbox records a CPU profile of the memory figures' sandbox
// session: the last 100 of its -sandbox commands, typed after the others,
// where a command costs the most if its cost grows with the session.
func profileSandbox(ctx context.Context, cfg *config, b *builds, out string, w io.Writer) error {
	ours, err := startServer(ctx, b.miplay, "serve", "--addr", "127.0.0.1:0", "--web", b.web)
	if err != nil {
		return err
	}
	defer ours.stop()
	br, err := launch(ctx, cfg.chromium)
	if err != nil {
		return err
	}
	defer br.close()
	if err := br.probe(sandboxReady); err != nil {
		return err
	}
	if _, err := br.load(ours.URL+"/sandbox", 90*time.Second); err != nil {
		return fmt.Errorf("opening the sandbox: %w", err)
	}
	lines := workload.SandboxCommands(cfg.sandbox)
	split := max(0, len(lines)-100)
	if _, err := typeCommands(br, lines[:split], cfg.verbose); err != nil {
		return err
	}
	// The page's thread, or for "sandbox-worker" the engine's worker.
	target, which := br.ctx, "the page"
	if cfg.profilePage == "sandbox-worker" {
		wctx, err := br.engineWorker()
		if err != nil {
			return err
		}
		if wctx == nil {
			return fmt.Errorf("the sandbox has no engine worker")
		}
		target, which = wctx, "the engine's worker"
	}
	if err := startProfilerOn(target); err != nil {
		return err
	}
	times, err := typeCommands(br, lines[split:], cfg.verbose)
	if err != nil {
		return err
	}
	prof, err := stopProfilerOn(target, out)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "sandbox commands %d to %d: %.0f ms each (median); profile of %s in %s\n", split+1, len(lines), median(times), which, out)
	summarizeProfile(prof, w)
	return nil
}

func summarizeProfile(p *profiler.Profile, w io.Writer) {
	byID := map[int64]*profiler.ProfileNode{}
	parent := map[int64]int64{}
	for _, n := range p.Nodes {
		byID[n.ID] = n
		for _, c := range n.Children {
			parent[c] = n.ID
		}
	}
	self := map[string]float64{}
	total := map[string]float64{}
	pkgSelf := map[string]float64{}
	for i, id := range p.Samples {
		dt := float64(p.TimeDeltas[min(i+1, len(p.TimeDeltas)-1)]) / 1000
		n := byID[id]
		name := frameName(n)
		self[name] += dt
		pkgSelf[goPackage(name)] += dt
		seen := map[string]bool{}
		for cur, ok := id, true; ok; cur, ok = parent[cur] {
			fn := frameName(byID[cur])
			if !seen[fn] {
				seen[fn] = true
				total[fn] += dt
			}
		}
	}
	top := func(title string, m map[string]float64, k int) {
		type kv struct {
			k string
			v float64
		}
		var l []kv
		for a, b := range m {
			l = append(l, kv{a, b})
		}
		sort.Slice(l, func(i, j int) bool { return l[i].v > l[j].v })
		fmt.Fprintf(w, "\n%s\n", title)
		for _, e := range l[:min(k, len(l))] {
			fmt.Fprintf(w, "%8.1f ms  %s\n", e.v, e.k)
		}
	}
	top("self time", self, 30)
	top("total time", total, 60)
	top("self time by Go package", pkgSelf, 30)
}

func frameName(n *profiler.ProfileNode) string {
	if n == nil || n.CallFrame == nil {
		return "?"
	}
	name := n.CallFrame.FunctionName
	if name == "" {
		name = "(anonymous)"
	}
	if !strings.Contains(n.CallFrame.URL, ".wasm") && n.CallFrame.URL != "" {
		name += " " + n.CallFrame.URL[strings.LastIndex(n.CallFrame.URL, "/")+1:]
	}
	return name
}

// goPackage returns the package of a wasm function name such as
// github.com_miplay_miplay_engine.(*World).Do, or the name itself.
func goPackage(name string) string {
	slash := strings.LastIndex(name, "/")
	if i := strings.Index(name[slash+1:], "."); i > 0 {
		return name[:slash+1+i]
	}
	return name
}

// startProfiler starts V8's sampling profiler on the browser's page.
func startProfiler(br *browser) error { return startProfilerOn(br.ctx) }

// startProfilerOn starts it on the target of ctx: a page or a worker.
func startProfilerOn(ctx context.Context) error {
	if _, err := chromedp.Call(ctx, profiler.Enable, cdp.Empty{}); err != nil {
		return err
	}
	if _, err := chromedp.Call(ctx, profiler.SetSamplingInterval, profiler.SetSamplingIntervalParams{Interval: 200}); err != nil {
		return err
	}
	_, err := chromedp.Call(ctx, profiler.Start, cdp.Empty{})
	return err
}

// stopProfiler stops it and writes its profile to out, as JSON (the
// .cpuprofile that Chrome's DevTools open).
func stopProfiler(br *browser, out string) (*profiler.Profile, error) {
	return stopProfilerOn(br.ctx, out)
}

// stopProfilerOn is stopProfiler for the target of ctx.
func stopProfilerOn(ctx context.Context, out string) (*profiler.Profile, error) {
	res, err := chromedp.Call(ctx, profiler.Stop, cdp.Empty{})
	if err != nil {
		return nil, err
	}
	data, err := json.Marshal(res.Profile)
	if err != nil {
		return nil, err
	}
	return res.Profile, os.WriteFile(out, data, 0o644)
}
