package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	miapp "github.com/miplay/miplay/app"
	"github.com/miplay/miplay/app/store"
	"github.com/miplay/miplay/scenarios"
)

// Tests of the sandbox, share links, uploads, exercises and offline use.

// waitReady waits until a workbench page (sandbox or exercise) has built
// its world and is not running anything.
func waitReady(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	wctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(wctx, chromedp.WaitVisible(chromedp.CSS(page+`[data-state="ready"]`))); err != nil {
		t.Fatalf("%s did not get ready: %v", page, err)
	}
}

// commandsRun is the count of commands a page's terminal has run, those
// it no longer shows included (it keeps the last ones).
func commandsRun(t *testing.T, ctx context.Context, page string) int {
	t.Helper()
	return eval[int](t, ctx, fmt.Sprintf(`Number((document.querySelector(%q) || {dataset: {}}).dataset.commands || 0)`, page+" .term"))
}

// runCommand types a command line into a terminal, presses Enter, and
// waits until it has run.
func runCommand(t *testing.T, ctx context.Context, page, input, line string) {
	t.Helper()
	before := commandsRun(t, ctx, page)
	do(t, ctx, "typing "+line,
		chromedp.Focus(chromedp.CSS(input)),
		chromedp.SendKeys(chromedp.CSS(input), line),
		chromedp.KeyEvent("\r"),
	)
	deadline := time.Now().Add(60 * time.Second)
	for commandsRun(t, ctx, page) <= before {
		if time.Now().After(deadline) {
			t.Fatalf("%q did not show in the terminal; status: %s", line, text(t, ctx, ".player__status"))
		}
		time.Sleep(50 * time.Millisecond)
	}
	waitReady(t, ctx, page)
}

// lastOutput returns what the last command in the terminal printed.
func lastOutput(t *testing.T, ctx context.Context) string {
	t.Helper()
	return eval[string](t, ctx, `(() => { const c = [...document.querySelectorAll(".term .term-cmd")].pop(); const o = c && c.querySelector(".term-out"); return o ? o.textContent : ""; })()`)
}

// storedJS reads one record of an object store from IndexedDB, as any page
// script could.
func storedJS(storeName, key string) string {
	return fmt.Sprintf(`new Promise((resolve) => {
  const r = indexedDB.open("miplay");
  r.onupgradeneeded = () => r.transaction.abort();
  r.onerror = () => resolve("");
  r.onsuccess = () => {
    const db = r.result;
    try {
      const g = db.transaction(%q).objectStore(%q).get(%q);
      g.onsuccess = () => { db.close(); resolve(g.result || ""); };
      g.onerror = () => { db.close(); resolve(""); };
    } catch (e) { db.close(); resolve(""); }
  };
})`, storeName, storeName, key)
}

func stored(t *testing.T, ctx context.Context, storeName, key string) string {
	t.Helper()
	return run(t, ctx, "reading IndexedDB", chromedp.Evaluate[string](storedJS(storeName, key), chromedp.EvalAwaitPromise))
}

func TestSandboxHistorySurvivesReload(t *testing.T) {
	ctx := newBrowser(t)
	url := serve(t, built(t))

	do(t, ctx, "loading the sandbox", chromedp.Navigate(url+"/sandbox"))
	waitApp(t, ctx)
	waitReady(t, ctx, ".sandbox")
	if got := eval[string](t, ctx, `document.title`); got != "Sandbox · miplay" {
		t.Errorf("title = %q", got)
	}

	const page, input = ".sandbox", "#sandbox-input"
	runCommand(t, ctx, page, input, "az group create -n rg-demo -l westeurope --query name -o tsv")
	if got := lastOutput(t, ctx); got != "rg-demo\n" {
		t.Errorf("az group create printed %q", got)
	}
	runCommand(t, ctx, page, input, "az vm create -g rg-demo -n vm-web --image Ubuntu2204 --generate-ssh-keys -o none")

	// Tab completes a command group, then a VM's name from the world.
	do(t, ctx, "typing a prefix", chromedp.SendKeys(chromedp.CSS(input), "az vm sh"), chromedp.KeyEvent("\t"))
	waitValue(t, ctx, input, "az vm show ")
	do(t, ctx, "typing more", chromedp.SendKeys(chromedp.CSS(input), "-g rg-d"), chromedp.KeyEvent("\t"))
	waitValue(t, ctx, input, "az vm show -g rg-demo ")
	do(t, ctx, "typing more", chromedp.SendKeys(chromedp.CSS(input), "-n "), chromedp.KeyEvent("\t"))
	waitValue(t, ctx, input, "az vm show -g rg-demo -n vm-web ")
	if got := eval[string](t, ctx, `document.activeElement.id`); got != "sandbox-input" {
		t.Errorf("after Tab, the focus is on %q, want the input", got)
	}
	do(t, ctx, "finishing the command", chromedp.SendKeys(chromedp.CSS(input), "--query name -o tsv"), chromedp.KeyEvent("\r"))
	waitOutput(t, ctx, "vm-web\n")

	// The new VM is a host: run a command inside it.
	do(t, ctx, "choosing vm-web", chromedp.SetValue(chromedp.CSS("#sandbox-input-host"), "vm-web"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#sandbox-input-host").dispatchEvent(new Event("change", {bubbles: true}))`))
	do(t, ctx, "waiting for the prompt", chromedp.WaitVisible(chromedp.CSS(".prompt__ps")))
	deadline := time.Now().Add(10 * time.Second)
	for text(t, ctx, ".prompt__ps") != "vm-web$" {
		if time.Now().After(deadline) {
			t.Fatalf("the prompt is %q after choosing vm-web", text(t, ctx, ".prompt__ps"))
		}
		time.Sleep(50 * time.Millisecond)
	}
	runCommand(t, ctx, page, input, "hostname")
	if got := lastOutput(t, ctx); got != "vm-web\n" {
		t.Errorf("hostname on vm-web printed %q", got)
	}
	// The Run button does what Enter does.
	do(t, ctx, "typing whoami", chromedp.SendKeys(chromedp.CSS(input), "whoami"), chromedp.Click(chromedp.CSS(".prompt__run")))
	waitOutput(t, ctx, "azureuser\n")
	waitValue(t, ctx, input, "")

	// Up recalls the last command; Down goes back to what was typed.
	do(t, ctx, "pressing Up", chromedp.Focus(chromedp.CSS(input)), chromedp.KeyEvent(kbArrowUp))
	waitValue(t, ctx, input, "whoami")
	do(t, ctx, "pressing Up again", chromedp.KeyEvent(kbArrowUp))
	waitValue(t, ctx, input, "hostname")
	do(t, ctx, "pressing Down twice", chromedp.KeyEvent(kbArrowDown), chromedp.KeyEvent(kbArrowDown))
	waitValue(t, ctx, input, "")
	do(t, ctx, "showing completions", chromedp.SendKeys(chromedp.CSS(input), "az vm identity "), chromedp.KeyEvent("\t"),
		chromedp.WaitVisible(chromedp.CSS("#sandbox-input-cands li")))
	if got := text(t, ctx, "#sandbox-input-cands"); !strings.Contains(got, "assign") || !strings.Contains(got, "remove") {
		t.Errorf("completions = %q", got)
	}
	checkLabelled(t, ctx, "sandbox")
	screenshot(t, ctx, "sandbox-light.png")
	elementShot(t, ctx, ".sandbox .player__grid", "sandbox-terminal-light.png")
	do(t, ctx, "clearing the input", chromedp.Evaluate[chromedp.Void](`document.querySelector("#sandbox-input").select()`), chromedp.KeyEvent(kb.Backspace))

	// The history is in IndexedDB.
	deadline = time.Now().Add(10 * time.Second)
	for !strings.Contains(stored(t, ctx, store.Histories, "sandbox"), `"line":"hostname"`) {
		if time.Now().After(deadline) {
			t.Fatalf("IndexedDB history = %q", stored(t, ctx, store.Histories, "sandbox"))
		}
		time.Sleep(100 * time.Millisecond)
	}

	// Download the commands as a scenario file; miplay run passes it.
	downloads := t.TempDir()
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: downloads,
		BrowserContextID: chromedp.FromContext(ctx).BrowserContextID,
	}); err != nil {
		t.Fatalf("allowing downloads: %v", err)
	}
	do(t, ctx, "downloading", chromedp.Click(chromedp.CSS("#sandbox-download")))
	file := filepath.Join(downloads, "sandbox.md")
	deadline = time.Now().Add(20 * time.Second)
	for !fileExists(file) {
		if time.Now().After(deadline) {
			t.Fatalf("no %s after Download; status: %s", file, text(t, ctx, ".player__status"))
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // let the browser finish writing
	if out, err := exec.Command(filepath.Join(built(t), "miplay"), "run", file).CombinedOutput(); err != nil || !strings.Contains(string(out), "PASS") {
		src, _ := os.ReadFile(file)
		t.Errorf("miplay run on the downloaded file: %v\n%s\n%s", err, out, src)
	}

	// After a reload, the commands replay on a fresh world.
	do(t, ctx, "reloading", chromedp.Reload())
	waitApp(t, ctx)
	waitReady(t, ctx, ".sandbox")
	if n := eval[int](t, ctx, `document.querySelectorAll("#sandbox-term .term-cmd").length`); n != 5 {
		t.Errorf("after reload, %d commands in the terminal, want 5", n)
	}
	if got := lastOutput(t, ctx); got != "azureuser\n" {
		t.Errorf("after reload, the last output is %q", got)
	}
	if got := eval[string](t, ctx, `[...document.querySelectorAll("#sandbox-input-host option")].map(o => o.value).join(" ")`); got != "$ vm-web" {
		t.Errorf("after reload, hosts = %q", got)
	}
	if got := text(t, ctx, "#panel-resources .panel__count"); got != "1" {
		t.Errorf("after reload, the resources panel counts %q", got)
	}
	do(t, ctx, "pressing Up", chromedp.Focus(chromedp.CSS(input)), chromedp.KeyEvent(kbArrowUp))
	waitValue(t, ctx, input, "whoami")

	// Dark mode.
	do(t, ctx, "toggling dark mode", chromedp.Click(chromedp.CSS(".theme-toggle")),
		chromedp.WaitVisible(chromedp.CSS(`html[data-theme="dark"]`)))
	screenshot(t, ctx, "sandbox-dark.png")

	// A share link carries the commands; opening it offers to run them.
	do(t, ctx, "sharing", chromedp.Click(chromedp.CSS("#sandbox-share")), chromedp.WaitVisible(chromedp.CSS("#sandbox-link")))
	link := eval[string](t, ctx, `document.querySelector("#sandbox-link").value`)
	if !strings.HasPrefix(link, url+"/sandbox#h=") {
		t.Fatalf("share link = %q", link)
	}
	other := newTab(t, ctx)
	do(t, other, "opening the share link", chromedp.Navigate(link))
	waitApp(t, other)
	do(t, other, "waiting for the banner", chromedp.WaitVisible(chromedp.CSS("#shared-run")))
	if got := text(t, other, "#shared-title"); got != "This link carries 5 commands" {
		t.Errorf("banner = %q", got)
	}
	screenshot(t, other, "sandbox-shared-banner.png")
	elementShot(t, other, ".sandbox .banner", "sandbox-shared-banner-detail.png")
	do(t, other, "running the shared commands", chromedp.Click(chromedp.CSS("#shared-run")), chromedp.WaitNotPresent(chromedp.CSS("#shared-run")))
	waitReady(t, other, ".sandbox")
	if n := eval[int](t, other, `document.querySelectorAll("#sandbox-term .term-cmd").length`); n != 5 {
		t.Errorf("after running the shared commands, %d in the terminal, want 5", n)
	}
	if got := eval[string](t, other, `location.hash`); got != "" {
		t.Errorf("the fragment is still there: %q", got)
	}

	// A phone-sized screen.
	do(t, ctx, "a small screen", chromedp.EmulateViewport(390, 844), chromedp.Reload())
	waitApp(t, ctx)
	waitReady(t, ctx, ".sandbox")
	if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the sandbox is %dpx wide on a 390px screen", w)
	}
	screenshot(t, ctx, "sandbox-mobile-dark.png")
	elementShot(t, ctx, ".sandbox .player__main", "sandbox-mobile-dark-terminal.png")
	elementShot(t, ctx, ".sandbox .player__head", "sandbox-mobile-dark-head.png")
	elementShot(t, ctx, ".sandbox .workbar", "sandbox-mobile-dark-toolbar.png")
}

// A long session: the terminal keeps its last commands and says so, the
// event log its last events; every command is still saved, shared and
// downloaded, and a reload replays them all.
func TestSandboxLongSession(t *testing.T) {
	ctx := newBrowser(t)
	url := serve(t, built(t))
	// More commands than the terminal keeps, half of them requests, so
	// that the event log is trimmed too; first, more identities than the
	// side panels list, with role assignments: more principals than a
	// decision lists.
	const n, others = 205, 31
	cmds := []store.Command{{Line: "az group create -n rg-long -l westeurope -o none"}}
	for i := 1; i <= others; i++ {
		cmds = append(cmds,
			store.Command{Line: fmt.Sprintf("az identity create -g rg-long -n id-%d -o none", i)},
			store.Command{Line: fmt.Sprintf("az role assignment create --assignee-object-id $(az identity show -g rg-long -n id-%d --query principalId -o tsv) --assignee-principal-type ServicePrincipal --role Reader --scope $(az group show -n rg-long --query id -o tsv) -o none", i)},
		)
	}
	for i := len(cmds) + 1; i <= n; i++ {
		line := fmt.Sprintf("echo %d", i)
		if i%2 == 1 {
			line = "az group show -n rg-long --query name -o tsv"
		}
		cmds = append(cmds, store.Command{Line: line})
	}
	frag, err := miapp.EncodeShare(miapp.ShareHistory, miapp.EncodeHistory(cmds))
	if err != nil {
		t.Fatal(err)
	}
	do(t, ctx, "opening the history link", chromedp.Navigate(url+"/sandbox#"+frag))
	waitApp(t, ctx)
	waitReady(t, ctx, ".sandbox")
	do(t, ctx, "running the commands", chromedp.Click(chromedp.CSS("#shared-run")), chromedp.WaitNotPresent(chromedp.CSS("#shared-run")))
	waitReady(t, ctx, ".sandbox")

	check := func(when string) {
		t.Helper()
		if got := commandsRun(t, ctx, ".sandbox"); got != n {
			t.Errorf("%s: the terminal counts %d commands, want %d", when, got, n)
		}
		// Replayed at once, the terminal keeps the last 100 (the fewest
		// it keeps).
		if got := eval[int](t, ctx, `document.querySelectorAll("#sandbox-term .term-cmd").length`); got != 100 {
			t.Errorf("%s: %d commands shown, want the last 100", when, got)
		}
		if got := text(t, ctx, "#sandbox-term .term__trimmed"); !strings.HasPrefix(got, fmt.Sprintf("%d earlier commands not shown", n-100)) || !strings.Contains(got, "Download .md") {
			t.Errorf("%s: the terminal says %q", when, got)
		}
		if got, want := eval[string](t, ctx, `document.querySelector("#sandbox-term .term-cmd .term-text").textContent`), cmds[n-100].Line; got != want {
			t.Errorf("%s: the first command shown is %q, want command %d, %q", when, got, n-99, want)
		}
		if got := lastOutput(t, ctx); got != "rg-long\n" {
			t.Errorf("%s: the last output is %q", when, got)
		}
		// Scrolled to the end, where the last command is.
		for _, id := range []string{"sandbox-term", "event-log"} {
			js := fmt.Sprintf(`(() => { const e = document.getElementById(%q); return e.scrollHeight - e.clientHeight - e.scrollTop; })()`, id)
			deadline := time.Now().Add(5 * time.Second)
			for left := eval[float64](t, ctx, js); left > 1; left = eval[float64](t, ctx, js) {
				if time.Now().After(deadline) {
					t.Errorf("%s: #%s is %.0f px from its end", when, id, left)
					break
				}
				time.Sleep(50 * time.Millisecond)
			}
		}
		rows := eval[int](t, ctx, `document.querySelectorAll("#event-log .events__item").length`)
		total := text(t, ctx, "#panel-events .panel__count")
		if rows == 0 || rows > 200 || total == fmt.Sprint(rows) || text(t, ctx, "#panel-events .panel__note") != fmt.Sprintf("Only the last %d are listed.", rows) {
			t.Errorf("%s: the event log lists %d events of %s", when, rows, total)
		}
	}
	check("after running the link")
	// The last request's decision folds the assignments of other
	// principals, and lists them on a click.
	if got := eval[int](t, ctx, `document.querySelectorAll("#panel-decision .considered__row").length`); got != 1 {
		t.Errorf("the decision lists %d assignments, want the admin's only", got)
	}
	do(t, ctx, "showing the other principals' assignments", chromedp.Click(chromedp.CSS("#panel-decision .considered__fold")),
		chromedp.WaitVisible(chromedp.CSS(`#panel-decision .considered__row[data-outcome="OtherPrincipal"]`)))
	if got := eval[int](t, ctx, `document.querySelectorAll('#panel-decision .considered__row[data-outcome="OtherPrincipal"]').length`); got != others {
		t.Errorf("opened, the decision lists %d assignments of other principals, want %d", got, others)
	}
	if got := text(t, ctx, "#panel-decision .considered__fold"); got != fmt.Sprintf("Hide the %d assignments to other principals", others) {
		t.Errorf("the fold's button reads %q", got)
	}
	elementShot(t, ctx, "#panel-decision", "sandbox-long-session-decision.png")

	// The side panels list the last identities, and all on a click.
	if got := eval[int](t, ctx, `document.querySelectorAll("#panel-resources .resource").length`); got != others-15 {
		t.Errorf("the resources panel lists %d resources, want the last %d", got, others-15)
	}
	if got := text(t, ctx, "#panel-resources .panel__note"); !strings.HasPrefix(got, fmt.Sprintf("The last %d of %d resources.", others-15, others)) {
		t.Errorf("the resources panel says %q", got)
	}
	elementShot(t, ctx, ".sandbox .player__side", "sandbox-long-session-side.png")
	do(t, ctx, "showing every resource", chromedp.Click(chromedp.CSS("#panel-resources .list-fold")))
	deadline := time.Now().Add(10 * time.Second)
	for eval[int](t, ctx, `document.querySelectorAll("#panel-resources .resource").length`) != others {
		if time.Now().After(deadline) {
			t.Fatalf("after Show all, the resources panel lists %d resources, want %d", eval[int](t, ctx, `document.querySelectorAll("#panel-resources .resource").length`), others)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if got := eval[string](t, ctx, `document.querySelector("#panel-resources .resource").dataset.name`); got != "id-1" {
		t.Errorf("all shown, the first resource is %q", got)
	}
	elementShot(t, ctx, ".sandbox .player__main", "sandbox-long-session-terminal.png")
	elementShot(t, ctx, "#panel-events", "sandbox-long-session-events.png")

	// Up still recalls every command, the first included.
	do(t, ctx, "going up the history", chromedp.Focus(chromedp.CSS("#sandbox-input")))
	for i := 0; i < n; i++ {
		do(t, ctx, "pressing Up", chromedp.KeyEvent(kbArrowUp))
	}
	waitValue(t, ctx, "#sandbox-input", cmds[0].Line)
	do(t, ctx, "clearing the input", chromedp.Evaluate[chromedp.Void](`document.querySelector("#sandbox-input").value = ""`))

	// The file has every command, and passes.
	downloads := t.TempDir()
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: downloads,
		BrowserContextID: chromedp.FromContext(ctx).BrowserContextID,
	}); err != nil {
		t.Fatalf("allowing downloads: %v", err)
	}
	do(t, ctx, "downloading", chromedp.Click(chromedp.CSS("#sandbox-download")))
	file := filepath.Join(downloads, "sandbox.md")
	deadline = time.Now().Add(30 * time.Second)
	for !fileExists(file) {
		if time.Now().After(deadline) {
			t.Fatalf("no %s after Download; status: %s", file, text(t, ctx, ".player__status"))
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // let the browser finish writing
	src, _ := os.ReadFile(file)
	if got := strings.Count(string(src), "\n$ "); got != n {
		t.Errorf("the downloaded file has %d commands, want %d", got, n)
	}
	if out, err := exec.Command(filepath.Join(built(t), "miplay"), "run", file).CombinedOutput(); err != nil || !strings.Contains(string(out), "PASS") {
		t.Errorf("miplay run on the downloaded file: %v\n%s", err, out)
	}

	// After a reload, from IndexedDB: the same.
	deadline = time.Now().Add(10 * time.Second)
	for strings.Count(stored(t, ctx, store.Histories, "sandbox"), `"line":`) != n {
		if time.Now().After(deadline) {
			t.Fatalf("the history in IndexedDB has %d commands, want %d", strings.Count(stored(t, ctx, store.Histories, "sandbox"), `"line":`), n)
		}
		time.Sleep(100 * time.Millisecond)
	}
	do(t, ctx, "reloading", chromedp.Reload())
	waitApp(t, ctx)
	waitReady(t, ctx, ".sandbox")
	check("after a reload")
}

const (
	kbArrowUp   = kb.ArrowUp
	kbArrowDown = kb.ArrowDown
)

func waitValue(t *testing.T, ctx context.Context, sel, want string) {
	t.Helper()
	js := fmt.Sprintf(`document.querySelector(%q).value`, sel)
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := eval[string](t, ctx, js)
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s holds %q, want %q", sel, got, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func waitOutput(t *testing.T, ctx context.Context, want string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for lastOutput(t, ctx) != want {
		if time.Now().After(deadline) {
			t.Fatalf("the last output is %q, want %q", lastOutput(t, ctx), want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// A shared scenario whose narration tries every way to run a script runs
// none: raw HTML is dropped and javascript: links lose their link.
func TestSharedScenarioRunsNoScript(t *testing.T) {
	ctx := newBrowser(t)
	base := serve(t, built(t))

	var dialogs atomic.Int32
	if err := chromedp.Listen(ctx, func(ev any) {
		if _, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			dialogs.Add(1)
		}
	}); err != nil {
		t.Fatal(err)
	}

	const evil = `---
title: "Evil <img src=x onerror=\"window.__pwned=1\">"
summary: <script>window.__pwned=1</script>
level: beginner
tags: ["<b>x</b>"]
---

# Evil

<script>window.__pwned = 1; alert("script tag")</script>

<img src="x" onerror="window.__pwned=1; alert('img onerror')">

A [javascript: link](javascript:window.__pwned=1;alert('link')), an
[encoded one](jav&#x09;ascript:alert(1)), a [data: link](data:text/html,<script>alert(1)</script>)
and <a href="javascript:alert(1)">a raw one</a>.

<iframe src="javascript:alert(1)"></iframe>
<svg onload="alert(1)"></svg>

` + "```console" + `
$ echo "<script>alert(1)</script>"
<script>alert(1)</script>
` + "```" + `
`
	link, err := miapp.ShareScenarioLink([]byte(evil))
	if err != nil {
		t.Fatal(err)
	}
	do(t, ctx, "opening the shared scenario", chromedp.Navigate(base+link))
	waitApp(t, ctx)
	do(t, ctx, "waiting for the scenario", chromedp.WaitVisible(chromedp.CSS(".shared__step .markdown")))
	// Give anything that would run a moment to do so.
	time.Sleep(500 * time.Millisecond)

	if got := text(t, ctx, "h1"); got != `Evil <img src=x onerror="window.__pwned=1">` {
		t.Errorf("h1 = %q: the title must show as text", got)
	}
	if got := eval[bool](t, ctx, `window.__pwned === undefined`); !got {
		t.Errorf("a script in the shared scenario ran: window.__pwned is set")
	}
	if n := dialogs.Load(); n != 0 {
		t.Errorf("%d dialogs opened", n)
	}
	for sel, what := range map[string]string{
		"main script":                   "script elements",
		"main img":                      "images",
		"main iframe":                   "iframes",
		"main svg [onload]":             "svg with onload",
		`main a[href^="javascript:" i]`: "javascript: links",
		`main a[href^="data:" i]`:       "data: links",
		"main [onerror], main [onload]": "event handler attributes",
	} {
		if n := eval[int](t, ctx, fmt.Sprintf(`document.querySelectorAll(%q).length`, sel)); n != 0 {
			t.Errorf("the page has %d %s", n, what)
		}
	}
	if got := text(t, ctx, ".shared__step .markdown"); !strings.Contains(got, "javascript: link") {
		t.Errorf("the link's text is gone: %q", got)
	}
	checkLabelled(t, ctx, "shared scenario")
	screenshot(t, ctx, "shared-evil.png")

	// Saving it puts it among the uploads; the player runs it, and still
	// no script runs.
	do(t, ctx, "saving", chromedp.Click(chromedp.CSS("#shared-save")), chromedp.WaitVisible(chromedp.CSS("#shared-play")))
	do(t, ctx, "playing", chromedp.Click(chromedp.CSS("#shared-play")), chromedp.WaitVisible(chromedp.CSS(".player .narration .markdown")))
	time.Sleep(500 * time.Millisecond)
	if got := eval[bool](t, ctx, `window.__pwned === undefined`); !got {
		t.Errorf("a script ran in the player")
	}
	if n := dialogs.Load(); n != 0 {
		t.Errorf("%d dialogs opened in the player", n)
	}
	screenshot(t, ctx, "shared-evil-played.png")

	// A file that does not parse shows each problem with its line.
	bad, _ := miapp.ShareScenarioLink([]byte("---\ntitle: Broken\nlevel: expert\n---\n\nText\n\n```console\nstray output\n```\n"))
	do(t, ctx, "opening a broken scenario", chromedp.Navigate(base+bad))
	do(t, ctx, "waiting for the problems", chromedp.WaitVisible(chromedp.CSS(".problems--source")))
	if got := text(t, ctx, ".problems--source"); !strings.Contains(got, "Line 3: front matter: level") || !strings.Contains(got, "Line 9:") {
		t.Errorf("problems = %q", got)
	}
	screenshot(t, ctx, "shared-broken.png")

	// A damaged link and an oversized one say so. ("%%%" is not even a
	// valid URL fragment for Go: the page's guard script keeps go-app from
	// stopping on it.)
	do(t, ctx, "opening a damaged link", chromedp.Navigate(base+"/shared#s=%%%"))
	do(t, ctx, "waiting", chromedp.WaitVisible(chromedp.CSS(".player__problem")))
	if got := text(t, ctx, ".player__problem"); !strings.Contains(got, "damaged") {
		t.Errorf("damaged link: %q", got)
	}
	do(t, ctx, "opening a huge link", chromedp.Navigate(base+"/shared#s="+strings.Repeat("A", 50000)))
	do(t, ctx, "waiting", chromedp.WaitVisible(chromedp.CSS(".player__problem")))
	if got := text(t, ctx, ".player__problem"); !strings.Contains(got, "too big") {
		t.Errorf("huge link: %q", got)
	}

	// A shared history on a host that never exists is refused, and the
	// sandbox is unchanged.
	frag, _ := miapp.EncodeShare(miapp.ShareHistory, miapp.EncodeHistory([]store.Command{{Line: "echo one"}, {Host: "vm-nowhere", Line: "hostname"}}))
	do(t, ctx, "opening a history link", chromedp.Navigate(base+"/sandbox#"+frag))
	waitReady(t, ctx, ".sandbox")
	do(t, ctx, "running it", chromedp.Click(chromedp.CSS("#shared-run")), chromedp.WaitVisible(chromedp.CSS(".banner--problem")))
	if got := text(t, ctx, ".banner--problem p"); !strings.Contains(got, `command 2`) || !strings.Contains(got, `no host "vm-nowhere"`) {
		t.Errorf("unknown host: %q", got)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#sandbox-term .term-cmd").length`); n != 0 {
		t.Errorf("%d commands ran", n)
	}
	if n := dialogs.Load(); n != 0 {
		t.Errorf("%d dialogs opened", n)
	}
}

func TestUploadAppearsInGallery(t *testing.T) {
	ctx := newBrowser(t)
	base := serve(t, built(t))
	dir := t.TempDir()
	good := filepath.Join(dir, "my first scenario.md")
	os.WriteFile(good, []byte("---\ntitle: My own scenario\nsummary: Uploaded from disk.\nlevel: intermediate\ntags: [mine]\n---\n\n# My own scenario\n\nWho am I?\n\n```console\n$ az account show --query user.name -o tsv\nada@contoso.onmicrosoft.com\n```\n"), 0o644)
	bad := filepath.Join(dir, "broken.md")
	os.WriteFile(bad, []byte("---\ntitle: Broken\nlevel: beginner\nseeds: 3\n---\n\nNo steps.\n"), 0o644)

	do(t, ctx, "loading the sandbox", chromedp.Navigate(base+"/sandbox"))
	waitApp(t, ctx)
	waitReady(t, ctx, ".sandbox")

	do(t, ctx, "uploading a broken file", chromedp.SetUploadFiles(chromedp.CSS("#sandbox-upload"), []string{bad}),
		chromedp.WaitVisible(chromedp.CSS(".upload .banner--problem")))
	if got := text(t, ctx, ".upload .banner--problem"); !strings.Contains(got, "broken.md:4:") || !strings.Contains(got, "seeds") {
		t.Errorf("upload problems = %q", got)
	}
	screenshot(t, ctx, "upload-problems.png")

	do(t, ctx, "uploading a scenario", chromedp.SetUploadFiles(chromedp.CSS("#sandbox-upload"), []string{good}),
		chromedp.WaitVisible(chromedp.CSS(".upload .banner--ok")))
	if got := text(t, ctx, ".upload .banner--ok"); !strings.Contains(got, "My own scenario") {
		t.Errorf("upload message = %q", got)
	}
	checkLabelled(t, ctx, "sandbox after an upload")
	screenshot(t, ctx, "upload-done.png")

	// The upload can be shared as a link that opens on /shared.
	do(t, ctx, "sharing the upload", chromedp.Click(chromedp.CSS("#sandbox-upload-share")), chromedp.WaitVisible(chromedp.CSS("#sandbox-upload-link")))
	link := eval[string](t, ctx, `document.querySelector("#sandbox-upload-link").value`)
	if !strings.HasPrefix(link, base+miapp.SharedPath+"#s=") {
		t.Fatalf("upload share link = %q", link)
	}
	elementShot(t, ctx, ".sandbox .workbar", "upload-share.png")
	other := newTab(t, ctx)
	do(t, other, "opening the link", chromedp.Navigate(link))
	waitApp(t, other)
	do(t, other, "waiting for the scenario", chromedp.WaitVisible(chromedp.CSS(".shared__step")))
	if got := text(t, other, "h1"); got != "My own scenario" {
		t.Errorf("shared upload h1 = %q", got)
	}

	do(t, ctx, "opening the gallery", chromedp.Navigate(base+"/gallery"))
	waitApp(t, ctx)
	do(t, ctx, "waiting for the uploads", chromedp.WaitVisible(chromedp.CSS(`#gallery-uploaded [data-slug="my-first-scenario"]`)))
	if got := text(t, ctx, `#gallery-uploaded [data-slug="my-first-scenario"] .card__title`); got != "My own scenario" {
		t.Errorf("gallery card = %q", got)
	}
	screenshot(t, ctx, "gallery-uploaded.png")

	do(t, ctx, "playing it", chromedp.Click(chromedp.CSS(`#gallery-uploaded [data-slug="my-first-scenario"] .card__title a`)),
		chromedp.WaitVisible(chromedp.CSS(".player .narration")))
	if got := text(t, ctx, "h1"); got != "My own scenario" {
		t.Errorf("player h1 = %q", got)
	}

	// Forking it into the sandbox runs its steps first.
	do(t, ctx, "forking", chromedp.Navigate(base+miapp.SandboxPath("my-first-scenario", 1)))
	waitApp(t, ctx)
	waitReady(t, ctx, ".sandbox")
	if got := text(t, ctx, "h1"); got != "Sandbox: My own scenario" {
		t.Errorf("fork h1 = %q", got)
	}
	if got := text(t, ctx, "#sandbox-term .term-out"); got != "ada@contoso.onmicrosoft.com" {
		t.Errorf("the fork's first output = %q", got)
	}
	screenshot(t, ctx, "sandbox-fork.png")
}

func TestExerciseCheckFailsThenPasses(t *testing.T) {
	ctx := newBrowser(t)
	base := serve(t, built(t))
	const slug = "exercise-vm-identity"

	do(t, ctx, "loading the exercise", chromedp.Navigate(base+miapp.ExercisePath(slug)))
	waitApp(t, ctx)
	waitReady(t, ctx, ".exercise")
	if got := text(t, ctx, "#exercise-status"); got != "Not passed yet" {
		t.Errorf("status = %q", got)
	}

	// Check on the starting world: it fails.
	do(t, ctx, "checking", chromedp.Click(chromedp.CSS("#exercise-check")), chromedp.WaitVisible(chromedp.CSS(".check--failed")))
	if got := text(t, ctx, ".check__verdict"); !strings.Contains(got, "Not yet") {
		t.Errorf("verdict = %q", got)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll(".check__row--failed").length`); n == 0 {
		t.Errorf("no failed check row")
	}

	// Hints, one at a time.
	do(t, ctx, "showing a hint", chromedp.Click(chromedp.CSS("#exercise-hint")), chromedp.WaitVisible(chromedp.CSS("#hint-1")))
	if n := eval[int](t, ctx, `document.querySelectorAll(".hints__list li").length`); n != 1 {
		t.Errorf("%d hints shown after one click", n)
	}
	checkLabelled(t, ctx, "exercise")
	screenshot(t, ctx, "exercise-failed.png")
	elementShot(t, ctx, ".exercise .player__main", "exercise-failed-main.png")

	// The learner types the solution; the check passes.
	runCommand(t, ctx, ".exercise", "#exercise-input", "az vm identity assign -g rg-shop -n vm-web")
	do(t, ctx, "checking again", chromedp.Click(chromedp.CSS("#exercise-check")), chromedp.WaitVisible(chromedp.CSS(".check--passed")))
	if got := text(t, ctx, "#exercise-status"); got != "Passed" {
		t.Errorf("status = %q after passing", got)
	}
	screenshot(t, ctx, "exercise-passed.png")
	elementShot(t, ctx, ".exercise .player__main", "exercise-passed-main.png")

	// Progress survives a reload: passed, one hint, the command.
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(stored(t, ctx, store.Progress, slug), `"solved":true`) {
		if time.Now().After(deadline) {
			t.Fatalf("IndexedDB progress = %q", stored(t, ctx, store.Progress, slug))
		}
		time.Sleep(100 * time.Millisecond)
	}
	do(t, ctx, "reloading", chromedp.Reload())
	waitApp(t, ctx)
	waitReady(t, ctx, ".exercise")
	if got := text(t, ctx, "#exercise-status"); got != "Passed" {
		t.Errorf("after reload, status = %q", got)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll(".hints__list li").length`); n != 1 {
		t.Errorf("after reload, %d hints shown, want 1", n)
	}
	if got := eval[string](t, ctx, `[...document.querySelectorAll("#exercise-term .term-cmd .term-text")].pop().textContent`); got != "az vm identity assign -g rg-shop -n vm-web" {
		t.Errorf("after reload, the last command is %q", got)
	}

	// The gallery shows it passed.
	do(t, ctx, "opening the gallery", chromedp.Navigate(base+"/gallery"))
	waitApp(t, ctx)
	do(t, ctx, "waiting for the card", chromedp.WaitVisible(chromedp.CSS(`[data-slug="`+slug+`"] .card__status`)))
	deadline = time.Now().Add(10 * time.Second)
	for text(t, ctx, `[data-slug="`+slug+`"] .card__status`) != "Passed" {
		if time.Now().After(deadline) {
			t.Fatalf("gallery status = %q", text(t, ctx, `[data-slug="`+slug+`"] .card__status`))
		}
		time.Sleep(100 * time.Millisecond)
	}

	// After starting over, "show the solution" runs the file's solution
	// and the check passes; keyboard only.
	fresh := newTab(t, ctx)
	do(t, fresh, "loading the exercise", chromedp.Navigate(base+miapp.ExercisePath(slug)))
	waitApp(t, fresh)
	waitReady(t, fresh, ".exercise")
	do(t, fresh, "starting over", chromedp.Focus(chromedp.CSS("#exercise-reset")), chromedp.KeyEvent("\r"))
	// The page shows "busy" a frame after the key, so right after it the
	// old "ready" may still be there: wait for the setup's commands first.
	settle(t, fresh, `document.querySelectorAll("#exercise-term .term-cmd").length`, 3)
	waitReady(t, fresh, ".exercise")
	if n := eval[int](t, fresh, `document.querySelectorAll("#exercise-term .term-cmd").length`); n != 3 {
		t.Errorf("after starting over, %d commands in the terminal, want the 3 of the setup", n)
	}
	do(t, fresh, "showing the solution", chromedp.Focus(chromedp.CSS("#exercise-solution")), chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(chromedp.CSS(".solution")))
	waitReady(t, fresh, ".exercise")
	sc := libraryScenario(t, slug)
	wantGroups := termGroups(t, fresh)
	if want := fmt.Sprintf("solution: %d", countCommands(sc.Exercise.Solution)); !strings.HasSuffix(wantGroups, want) {
		t.Errorf("after the solution, the terminal's groups are %q, want the last %q", wantGroups, want)
	}
	do(t, fresh, "checking", chromedp.Focus(chromedp.CSS("#exercise-check")), chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(chromedp.CSS(".check--passed")))
	do(t, fresh, "dark mode", chromedp.Click(chromedp.CSS(".theme-toggle")), chromedp.WaitVisible(chromedp.CSS(`html[data-theme="dark"]`)))
	screenshot(t, fresh, "exercise-solution-dark.png")
	elementShot(t, fresh, ".exercise .player__main", "exercise-solution-dark-main.png")

	// After a reload, the solution's commands are still the solution's,
	// and the solution is shown as run.
	do(t, fresh, "reloading", chromedp.Reload())
	waitApp(t, fresh)
	waitReady(t, fresh, ".exercise")
	if got := termGroups(t, fresh); got != wantGroups {
		t.Errorf("after reload, the terminal's groups are %q, want %q", got, wantGroups)
	}
	if n := eval[int](t, fresh, `document.querySelectorAll(".solution").length`); n != 1 {
		t.Errorf("after reload, %d solution sections, want 1", n)
	}
	if eval[bool](t, fresh, `!document.querySelector("#exercise-solution").disabled`) {
		t.Errorf("after reload, Show the solution can run it again")
	}
	elementShot(t, fresh, "#exercise-term", "exercise-solution-reloaded-dark-term.png")
	do(t, fresh, "light mode", chromedp.Click(chromedp.CSS(".theme-toggle")), chromedp.WaitVisible(chromedp.CSS(`html:not([data-theme="dark"]) body`)))
	elementShot(t, fresh, "#exercise-term", "exercise-solution-reloaded-light-term.png")
}

// termGroups lists the groups of the exercise's terminal, each as its
// label and its number of commands.
func termGroups(t *testing.T, ctx context.Context) string {
	t.Helper()
	return eval[string](t, ctx, `[...document.querySelectorAll("#exercise-term .term-step")].map(s => ((s.querySelector(".term-step__label") || {}).textContent || "") + ": " + s.querySelectorAll(".term-cmd").length).join(" | ")`)
}

// libraryScenario returns the library's scenario of that name.
func libraryScenario(t *testing.T, slug string) *scenarios.Scenario {
	t.Helper()
	for _, s := range library(t) {
		if slugOf(s) == slug {
			return s
		}
	}
	t.Fatalf("no scenario %s in the library", slug)
	return nil
}

// offlineProxy stands between the browser and miplay serve, so that the
// test can take the server away: with offline set, every request fails as
// a dead network would.
type offlineProxy struct {
	offline atomic.Bool
	proxy   *httputil.ReverseProxy
}

func (p *offlineProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if p.offline.Load() {
		panic(http.ErrAbortHandler)
	}
	p.proxy.ServeHTTP(w, r)
}

// After one visit the app works offline: the service worker serves the
// pages, the scripts and the wasm, and the simulated tenant needs no
// network at all.
func TestOfflineAfterFirstVisit(t *testing.T) {
	ctx := newBrowser(t)
	origin := serve(t, built(t))
	target, _ := url.Parse(origin)
	px := &offlineProxy{proxy: httputil.NewSingleHostReverseProxy(target)}
	px.proxy.ErrorLog = nil
	srv := httptest.NewServer(px)
	t.Cleanup(srv.Close)
	base := srv.URL

	do(t, ctx, "first visit", chromedp.Navigate(base+"/gallery"))
	waitApp(t, ctx)
	// Wait until the worker is active and its cache holds the pages.
	waitCached(t, ctx, "/web/app.wasm", "/gallery", "/sandbox")

	// Offline: the browser's network emulation, and the server gone.
	goOffline(t, ctx)
	if _, err := chromedp.Call(ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
		t.Fatalf("overriding the network state: %v", err)
	}
	px.offline.Store(true)
	if resp, err := http.Get(base + "/gallery"); err == nil {
		resp.Body.Close()
		t.Fatalf("the server still answers: %s", resp.Status)
	}

	do(t, ctx, "reloading offline", chromedp.Reload())
	waitApp(t, ctx)
	do(t, ctx, "waiting for the gallery", chromedp.WaitVisible(chromedp.CSS(".cards .card")))
	if got := text(t, ctx, "h1"); got != "Gallery" {
		t.Errorf("offline gallery h1 = %q", got)
	}
	if got := eval[bool](t, ctx, `navigator.onLine`); got {
		t.Errorf("navigator.onLine is true: the page is not offline")
	}
	screenshot(t, ctx, "offline-gallery.png")

	// A deep link the cache does not hold, and the sandbox: both work.
	do(t, ctx, "a deep link offline", chromedp.Navigate(base+"/play/hello"))
	waitApp(t, ctx)
	do(t, ctx, "waiting for the player", chromedp.WaitVisible(chromedp.CSS(`.player[data-state="ready"]`)))
	do(t, ctx, "the sandbox offline", chromedp.Navigate(base+"/sandbox"))
	waitApp(t, ctx)
	waitReady(t, ctx, ".sandbox")
	runCommand(t, ctx, ".sandbox", "#sandbox-input", "az account show --query user.name -o tsv")
	if got := lastOutput(t, ctx); got != "ada@contoso.onmicrosoft.com\n" {
		t.Errorf("offline, az account show printed %q", got)
	}
	screenshot(t, ctx, "offline-sandbox.png")
}

// unlabelledJS lists the controls in <main> that have no accessible name:
// no text, aria-label, aria-labelledby, label or title.
const unlabelledJS = `[...document.querySelectorAll("main button, main input, main select, main textarea, main a[href], main [role=log], main [tabindex='0']")]
  .filter(el => el.type !== "hidden")
  .filter(el => !((el.getAttribute("aria-label") || "").trim()
    || el.getAttribute("aria-labelledby")
    || (el.labels && [...el.labels].map(l => l.textContent).join("").trim())
    || (el.textContent || "").trim()
    || (el.getAttribute("title") || "").trim()))
  .map(el => el.outerHTML.slice(0, 100))`

// checkLabelled fails the test for every control without a name.
func checkLabelled(t *testing.T, ctx context.Context, where string) {
	t.Helper()
	for _, el := range eval[[]string](t, ctx, unlabelledJS) {
		t.Errorf("%s: a control has no accessible name: %s", where, el)
	}
}

// elementShot saves a screenshot of one element, at full size, for a
// close look.
func elementShot(t *testing.T, ctx context.Context, sel, name string) {
	t.Helper()
	do(t, ctx, "settling", chromedp.Sleep(200*time.Millisecond))
	png := run(t, ctx, "taking a screenshot of "+sel, chromedp.Screenshot(chromedp.CSS(sel)))
	dir := filepath.Join(repoRoot(t), "build", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// allowDownloads makes the browser of ctx save downloads into a new
// directory, and returns it.
func allowDownloads(t *testing.T, ctx context.Context) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir,
		BrowserContextID: chromedp.FromContext(ctx).BrowserContextID,
	}); err != nil {
		t.Fatalf("allowing downloads: %v", err)
	}
	return dir
}

// waitFile waits for a download to be written and returns its bytes.
func waitFile(t *testing.T, ctx context.Context, file string) []byte {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !fileExists(file) {
		if time.Now().After(deadline) {
			t.Fatalf("no %s after the download", file)
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // let the browser finish writing
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// resourceNamesJS lists the names in the resources panel.
const resourceNamesJS = `[...document.querySelectorAll("#panel-resources .resource")].map(r => r.dataset.name).join(" ")`

// The player takes its scenario elsewhere, by keyboard: a share link that
// opens on /shared, the file itself, and the sandbox on the world of the
// step the learner reached.
func TestPlayerSharesDownloadsAndForks(t *testing.T) {
	ctx := newBrowser(t)
	base := serve(t, built(t))
	const slug, steps = "11-user-assigned-shared", 2
	sc := libraryScenario(t, slug)
	if len(sc.Steps) <= steps {
		t.Fatalf("the library has no scenario %s with more than %d steps", slug, steps)
	}
	title := sc.FrontMatter.Title

	do(t, ctx, "opening the scenario", chromedp.Navigate(base+"/play/"+slug))
	waitApp(t, ctx)
	waitPlayer(t, ctx, 0)
	for i := 1; i <= steps; i++ {
		press(t, ctx, "n")
		waitPlayer(t, ctx, i)
	}
	names := eval[string](t, ctx, resourceNamesJS)
	if names == "" {
		t.Fatalf("no resources after %d steps of %s", steps, slug)
	}

	// Share: the link opens /shared with the same scenario.
	do(t, ctx, "sharing", chromedp.Focus(chromedp.CSS("#player-share")), chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(chromedp.CSS("#player-link")))
	link := eval[string](t, ctx, `document.querySelector("#player-link").value`)
	if !strings.HasPrefix(link, base+miapp.SharedPath+"#s=") {
		t.Fatalf("share link = %q", link)
	}
	checkLabelled(t, ctx, "player")
	shot(t, ctx, "player-actions-light.png")
	elementShot(t, ctx, ".player__head", "player-actions-light-head.png")
	other := newTab(t, ctx)
	do(t, other, "opening the share link", chromedp.Navigate(link))
	waitApp(t, other)
	do(t, other, "waiting for the scenario", chromedp.WaitVisible(chromedp.CSS(".shared__step")))
	if got := text(t, other, "h1"); got != title {
		t.Errorf("shared h1 = %q, want %q", got, title)
	}

	// Download: the scenario file, which parses.
	dir := allowDownloads(t, ctx)
	do(t, ctx, "downloading", chromedp.Focus(chromedp.CSS("#player-download")), chromedp.KeyEvent("\r"))
	src := waitFile(t, ctx, filepath.Join(dir, slug+".md"))
	if got, err := scenarios.Parse(slug+".md", src); err != nil {
		t.Errorf("the downloaded file does not parse: %v", err)
	} else if got.FrontMatter.Title != title || len(got.Steps) != len(sc.Steps) {
		t.Errorf("the downloaded file is %q with %d steps, want %q with %d", got.FrontMatter.Title, len(got.Steps), title, len(sc.Steps))
	}
	if got := text(t, ctx, ".player__note"); got != "Downloaded "+slug+".md." {
		t.Errorf("note after the download = %q", got)
	}

	do(t, ctx, "dark mode", chromedp.Click(chromedp.CSS(".theme-toggle")), chromedp.WaitVisible(chromedp.CSS(`html[data-theme="dark"]`)))
	shot(t, ctx, "player-actions-dark.png")
	elementShot(t, ctx, ".player__head", "player-actions-dark-head.png")

	// The sandbox from here: the world after the same steps.
	href := eval[string](t, ctx, `document.querySelector("#player-sandbox").getAttribute("href")`)
	if want := miapp.SandboxPath(slug, steps); href != want {
		t.Errorf("sandbox link = %q, want %q", href, want)
	}
	do(t, ctx, "opening the sandbox", chromedp.Focus(chromedp.CSS("#player-sandbox")), chromedp.KeyEvent("\r"))
	waitReady(t, ctx, ".sandbox")
	if got := text(t, ctx, "h1"); got != "Sandbox: "+title {
		t.Errorf("sandbox h1 = %q", got)
	}
	if got := eval[string](t, ctx, resourceNamesJS); got != names {
		t.Errorf("the sandbox's resources are %q, want those of step %d: %q", got, steps, names)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#sandbox-term .term-cmd").length`); n != countCommands(sc.Steps[:steps]) {
		t.Errorf("%d commands in the sandbox's terminal, want the %d of the first %d steps", n, countCommands(sc.Steps[:steps]), steps)
	}
}

func countCommands(steps []*scenarios.Step) int {
	n := 0
	for _, s := range steps {
		n += len(s.Commands)
	}
	return n
}

// Uploading on the gallery page lists the scenario there at once, under
// the learner's uploads.
func TestGalleryUpload(t *testing.T) {
	ctx := newBrowser(t)
	base := serve(t, built(t))
	file := filepath.Join(t.TempDir(), "gallery upload.md")
	os.WriteFile(file, []byte("---\ntitle: Uploaded on the gallery\nsummary: From disk, without leaving the gallery.\nlevel: beginner\ntags: [mine]\n---\n\n# Uploaded on the gallery\n\nWho am I?\n\n```console\n$ az account show --query user.name -o tsv\nada@contoso.onmicrosoft.com\n```\n"), 0o644)
	const card = `#gallery-uploaded [data-slug="gallery-upload"]`

	do(t, ctx, "loading the gallery", chromedp.Navigate(base+"/gallery"))
	waitApp(t, ctx)
	do(t, ctx, "waiting for the cards", chromedp.WaitVisible(chromedp.CSS("#gallery-library .card")))
	if n := eval[int](t, ctx, `document.querySelectorAll("#gallery-uploaded .card").length`); n != 0 {
		t.Fatalf("%d uploaded cards before the upload", n)
	}
	// The file input is in the tab order, under its label.
	do(t, ctx, "focusing the upload", chromedp.Focus(chromedp.CSS("#gallery-upload")))
	if got := eval[string](t, ctx, `document.activeElement.id + " " + document.activeElement.labels[0].textContent`); got != "gallery-upload Upload .md" {
		t.Errorf("focused: %q", got)
	}
	do(t, ctx, "uploading", chromedp.SetUploadFiles(chromedp.CSS("#gallery-upload"), []string{file}),
		chromedp.WaitVisible(chromedp.CSS(".upload .banner--ok")))
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := chromedp.Do(wctx, chromedp.WaitVisible(chromedp.CSS(card))); err != nil {
		t.Fatalf("no card for the upload: %v", err)
	}
	if got := text(t, ctx, card+" .card__title"); got != "Uploaded on the gallery" {
		t.Errorf("card title = %q", got)
	}
	if got := text(t, ctx, ".gallery__status"); !strings.HasPrefix(got, fmt.Sprint(len(library(t))+1)+" ") {
		t.Errorf("status = %q, want %d scenarios and exercises", got, len(library(t))+1)
	}
	checkLabelled(t, ctx, "gallery after an upload")
	shot(t, ctx, "gallery-upload-light.png")
	elementShot(t, ctx, ".gallery__bar", "gallery-upload-light-bar.png")
	do(t, ctx, "dark mode", chromedp.Click(chromedp.CSS(".theme-toggle")), chromedp.WaitVisible(chromedp.CSS(`html[data-theme="dark"]`)))
	shot(t, ctx, "gallery-upload-dark.png")
	elementShot(t, ctx, "#gallery-uploaded", "gallery-upload-dark-card.png")

	do(t, ctx, "playing it", chromedp.Click(chromedp.CSS(card+" .card__title a")),
		chromedp.WaitVisible(chromedp.CSS(".player .narration")))
	if got := text(t, ctx, "h1"); got != "Uploaded on the gallery" {
		t.Errorf("player h1 = %q", got)
	}
}
