package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"
)

// The groups of figures, in the order they run.
var allGroups = []string{"size", "tti", "engine", "library", "emulator", "memory"}

type config struct {
	runs     int
	sandbox  int
	readme   string
	only     map[string]bool
	chromium string
	goCmd    string
	keep     bool
	verbose  bool
	profile  string
	// profilePage is what -cpuprofile profiles: "player" or "engine".
	profilePage string
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("benchrun: ")
	var cfg config
	only := flag.String("only", strings.Join(allGroups, ","), "measure only these `groups`: "+strings.Join(allGroups, ","))
	flag.IntVar(&cfg.runs, "runs", 5, "page loads per figure of time to interactive (the median is reported)")
	flag.IntVar(&cfg.sandbox, "sandbox", 500, "commands of the sandbox session before the memory is read")
	flag.StringVar(&cfg.readme, "readme", "bench/README.md", "write the table into `FILE` between its markers; empty to skip")
	flag.StringVar(&cfg.chromium, "chromium", "", "Chromium to drive (default $MIPLAY_CHROMIUM, /usr/bin/chromium, or PATH)")
	flag.BoolVar(&cfg.keep, "keep", false, "keep the build directory")
	flag.BoolVar(&cfg.verbose, "v", false, "log more")
	flag.StringVar(&cfg.profile, "cpuprofile", "", "instead of the table, profile a page into `FILE` (Chrome DevTools format) and print its top functions")
	flag.StringVar(&cfg.profilePage, "profile", "player", "what -cpuprofile profiles: player (a cold load of the first scenario), player-warm (a warm one), hello and hello-warm (the same of the hello page, the baseline), engine (the engine page's replays), back (steps back in the player) or sandbox (the last 100 commands of the memory figures' sandbox session, on the page's thread) or sandbox-worker (the same, in the engine's worker)")
	flag.Parse()
	cfg.only = map[string]bool{}
	for _, g := range strings.Split(*only, ",") {
		g = strings.TrimSpace(g)
		if g == "" {
			continue
		}
		if !slices.Contains(allGroups, g) {
			log.Fatalf("-only: unknown group %q; the groups are %s", g, strings.Join(allGroups, ","))
		}
		cfg.only[g] = true
	}
	if cfg.runs < 1 {
		log.Fatal("-runs must be at least 1")
	}
	cfg.goCmd = goCommand()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, &cfg, os.Stdout); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, cfg *config, stdout io.Writer) error {
	start := time.Now()
	if _, err := os.Stat("go.mod"); err != nil {
		return fmt.Errorf("run from the repository root (no go.mod here)")
	}
	if cfg.profile != "" {
		cfg.only = map[string]bool{"tti": true}
	}
	needBrowser := cfg.only["tti"] || cfg.only["engine"] || cfg.only["memory"]
	if needBrowser && cfg.chromium == "" {
		p, err := findChromium()
		if err != nil {
			return err
		}
		cfg.chromium = p
	}

	b, err := buildAll(ctx, cfg)
	if err != nil {
		return err
	}
	if !cfg.keep {
		defer os.RemoveAll(b.dir)
	} else {
		logf("keeping %s", b.dir)
	}

	if cfg.profile != "" {
		return profileLoad(ctx, cfg, b, cfg.profile, stdout)
	}
	t := &table{}
	env := describeEnv(ctx, cfg)
	step := func(group string, f func() error) error {
		if !cfg.only[group] {
			return nil
		}
		t0 := time.Now()
		logf("%s ...", group)
		if err := f(); err != nil {
			return fmt.Errorf("%s: %w", group, err)
		}
		logf("%s done in %s", group, time.Since(t0).Round(100*time.Millisecond))
		return ctx.Err()
	}
	steps := []struct {
		group string
		f     func() error
	}{
		{"size", func() error { return measureSizes(t, b) }},
		{"tti", func() error { return measureTTI(ctx, cfg, t, b) }},
		{"engine", func() error { return measureEngine(ctx, cfg, t, b) }},
		{"library", func() error { return measureLibrary(ctx, cfg, t) }},
		{"emulator", func() error { return measureEmulator(ctx, t) }},
		{"memory", func() error { return measureMemory(ctx, cfg, t, b) }},
	}
	for _, s := range steps {
		if err := step(s.group, s.f); err != nil {
			return err
		}
	}
	env.Duration = time.Since(start).Round(time.Second)
	md := t.markdown()
	fmt.Fprintf(stdout, "\n%s\n%s", env.line(), md)
	if len(t.notes) > 0 {
		fmt.Fprintln(stdout)
		for _, n := range t.notes {
			fmt.Fprintf(stdout, "- %s\n", n)
		}
	}
	if cfg.readme != "" {
		if len(cfg.only) != len(allGroups) {
			logf("not writing %s: -only measured part of the table", cfg.readme)
		} else if err := writeReadme(cfg.readme, env, t); err != nil {
			return err
		} else {
			logf("wrote the table into %s", cfg.readme)
		}
	}
	if n := t.failed(); n > 0 {
		logf("%d budget(s) missed", n)
	}
	return nil
}

// logf reports progress on standard error; the table goes to standard
// output.
func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "benchrun: "+format+"\n", args...)
}
