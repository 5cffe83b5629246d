package main

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/miplay/miplay/bench/workload"
)

// sandboxReady is the sandbox's terminal, ready for a command.
const sandboxReady = `.sandbox[data-state="ready"] #sandbox-input`

// typeJS types each line into the sandbox's prompt and presses Enter, as
// the learner would, waiting each time until the terminal counts one more
// command and the sandbox is ready again. It resolves with the time each
// command took, from Enter to that, and the commands that failed (exit
// status not 0), each checked once shown: the terminal keeps only the last
// ones, so a check at the end would miss the others.
const typeJS = `(async (lines) => {
  const term = () => document.getElementById("sandbox-term");
  const count = () => { const t = term(); return t ? Number(t.dataset.commands || 0) : 0; };
  const ready = () => document.querySelector(%[1]s);
  const until = (ok) => new Promise((resolve, reject) => {
    if (ok()) return resolve();
    const timer = setTimeout(() => { mo.disconnect(); reject(new Error("the sandbox did not answer within 60 s")); }, 60000);
    const mo = new MutationObserver(() => { if (ok()) { mo.disconnect(); clearTimeout(timer); resolve(); } });
    mo.observe(document.body, {subtree: true, childList: true, attributes: true});
  });
  const times = [], failed = [];
  for (const line of lines) {
    await until(ready);
    const before = count();
    const input = document.getElementById("sandbox-input");
    input.value = line;
    const t0 = performance.now();
    input.dispatchEvent(new KeyboardEvent("keydown", {key: "Enter", bubbles: true, cancelable: true}));
    await until(() => count() > before && ready());
    times.push(performance.now() - t0);
    const cmds = term().querySelectorAll(".term-cmd");
    const exit = cmds.length ? cmds[cmds.length - 1].querySelector(".term-exit") : null;
    if (exit) failed.push(line + " " + exit.textContent);
  }
  return {times, failed};
})(%[2]s)`

// typed is what typeJS resolves with.
type typed struct {
	Times  []float64 `json:"times"`
	Failed []string  `json:"failed"`
}

// typeCommands types lines into the sandbox open in br, in chunks of 50
// (one evaluation each), and returns the time each took. Every command
// must work, or the figures would be those of error messages.
func typeCommands(br *browser, lines []string, verbose bool) ([]float64, error) {
	var times []float64
	var failed []string
	const chunk = 50
	t0 := time.Now()
	for i := 0; i < len(lines); i += chunk {
		part := lines[i:min(i+chunk, len(lines))]
		arg, _ := json.Marshal(part)
		got, err := eval[typed](br, fmt.Sprintf(typeJS, jsString(sandboxReady), arg))
		if err != nil {
			return nil, fmt.Errorf("sandbox, commands %d to %d: %w", i+1, i+len(part), err)
		}
		times, failed = append(times, got.Times...), append(failed, got.Failed...)
		if verbose {
			logf("  sandbox: %d commands in %s", len(times), time.Since(t0).Round(time.Second))
		}
	}
	if len(failed) > 0 {
		return nil, fmt.Errorf("%d of the sandbox's commands failed, the first: %s", len(failed), failed[0])
	}
	return times, nil
}

// measureMemory reads what the browser holds after a sandbox session of
// cfg.sandbox commands typed into the terminal, against the hello page
// once mounted. Each page is alone in a fresh browser.
func measureMemory(ctx context.Context, cfg *config, t *table, b *builds) error {
	ours, hello, err := serveBoth(ctx, b)
	if err != nil {
		return err
	}
	defer ours.stop()
	defer hello.stop()

	floor, err := func() (memory, error) {
		br, err := launch(ctx, cfg.chromium)
		if err != nil {
			return memory{}, err
		}
		defer br.close()
		if err := br.probe(helloReady); err != nil {
			return memory{}, err
		}
		if _, err := br.load(hello.URL+"/", 60*time.Second); err != nil {
			return memory{}, err
		}
		return br.readMemory()
	}()
	if err != nil {
		return fmt.Errorf("hello: %w", err)
	}

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
	idle, err := br.readMemory()
	if err != nil {
		return err
	}
	idleEngine, err := br.readWorkerMemory()
	if err != nil {
		return err
	}
	lines := workload.SandboxCommands(cfg.sandbox)
	t0 := time.Now()
	times, err := typeCommands(br, lines, cfg.verbose)
	if err != nil {
		return err
	}
	shown, err := eval[int](br, `document.querySelectorAll("#sandbox-term .term-cmd").length`)
	if err != nil {
		return err
	}
	after, err := br.readMemory()
	if err != nil {
		return err
	}
	engine, err := br.readWorkerMemory()
	if err != nil {
		return err
	}

	sec := fmt.Sprintf("Browser memory after a %d-command sandbox session (after GC)", len(lines))
	t.add(sec, row{Figure: "JS heap + DOM heap + wasm linear memory, page and engine worker", Ours: after.total() + engine.total(), Base: floor.total(), BaseName: "hello", Unit: unitBytes})
	t.add(sec, row{Figure: "wasm linear memory, page (app.wasm: the Go heap's high-water mark)", Ours: after.WasmMem, Base: floor.WasmMem, BaseName: "hello", Unit: unitBytes})
	t.add(sec, row{Figure: "wasm linear memory, engine worker (engine.wasm)", Ours: engine.WasmMem, Unit: unitBytes})
	t.add(sec, row{Figure: "JS heap (V8, used), page", Ours: after.JSHeap, Base: floor.JSHeap, BaseName: "hello", Unit: unitBytes})
	t.add(sec, row{Figure: "JS heap (V8, used), engine worker", Ours: engine.JSHeap, Unit: unitBytes})
	t.add(sec, row{Figure: "DOM heap (Blink, used)", Ours: after.DOMHeap, Base: floor.DOMHeap, BaseName: "hello", Unit: unitBytes})
	t.add(sec, row{Figure: "the same total, sandbox just opened", Ours: idle.total() + idleEngine.total(), Base: floor.total(), BaseName: "hello", Unit: unitBytes})
	t.add(sec, row{Figure: "sandbox command, Enter to output shown (median)", Ours: median(times), Unit: unitMS})
	t.add(sec, row{Figure: "sandbox command, Enter to output shown (p99)", Ours: percentile(times, 99), Unit: unitMS})
	t.note("Sandbox: %d DOM elements after the session (%d when opened), the terminal showing the last %d commands; the %d commands took %s; the last 50 took %.0f ms each (median)",
		int(after.DOMNodes), int(idle.DOMNodes), shown, len(lines), time.Since(t0).Round(time.Second), median(times[max(0, len(times)-50):]))
	return nil
}
