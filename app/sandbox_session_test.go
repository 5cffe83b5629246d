//go:build !wasm

package app

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// sessionCommands are the command lines of the browser benchmark's
// sandbox session, cmd/internal/benchrun/workload.SandboxCommands, which
// app cannot import (it is internal to cmd): a resource group and a
// storage account with a blob, then rounds of ten that make a VM and a
// user-assigned identity, assign roles, get a token, read the blob with
// it, decode it with jq and list what there is.
func sessionCommands(n int) []string {
	lines := []string{
		"az group create -n rg-sb -l westeurope -o none",
		"az storage account create -g rg-sb -n stsb -o none",
		"az storage container create --account-name stsb -n docs --auth-mode key --only-show-errors -o none",
		"az storage blob upload --account-name stsb -c docs -n hello.txt --data \"Hello from Blob storage\" --auth-mode key --only-show-errors -o none --no-progress",
		"export STORAGE_ID=$(az storage account show -g rg-sb -n stsb --query id -o tsv)",
		"az role assignment create --assignee ada@contoso.onmicrosoft.com --role \"Storage Blob Data Reader\" --scope $STORAGE_ID -o none",
	}
	for i := 1; len(lines) < n; i++ {
		vm, id := fmt.Sprintf("vm-%03d", i), fmt.Sprintf("id-%03d", i)
		lines = append(lines,
			fmt.Sprintf("az vm create -g rg-sb -n %s --image Ubuntu2204 --generate-ssh-keys --assign-identity -o none --only-show-errors", vm),
			fmt.Sprintf("az vm identity show -g rg-sb -n %s --query principalId -o tsv", vm),
			fmt.Sprintf("az role assignment create --assignee-object-id $(az vm identity show -g rg-sb -n %s --query principalId -o tsv) --assignee-principal-type ServicePrincipal --role \"Storage Blob Data Reader\" --scope $STORAGE_ID -o none", vm),
			fmt.Sprintf("az identity create -g rg-sb -n %s -o none", id),
			fmt.Sprintf("az vm identity assign -g rg-sb -n %s --identities %s --query type -o tsv", vm, id),
			"TOKEN=$(az account get-access-token --resource https://storage.azure.com/ --query accessToken -o tsv)",
			"curl -s -H \"Authorization: Bearer $TOKEN\" -H \"x-ms-version: 2021-08-06\" https://stsb.blob.core.windows.net/docs/hello.txt",
			"echo \"$TOKEN\" | jq -R 'split(\".\") | .[1] | gsub(\"-\";\"+\") | gsub(\"_\";\"/\") | @base64d | fromjson | {aud, oid}'",
			"az role assignment list --scope $STORAGE_ID --query \"length(@)\"",
			"az vm list -g rg-sb --query \"[].name\" -o tsv",
		)
	}
	return lines[:n]
}

// sandboxHarness mounts the sandbox page in go-app's test engine and keeps
// the page's own context, so that a command runs as in the browser: the
// world changes in Async, then the page re-renders and go-app diffs it
// against what is mounted (with no DOM natively, but the same Go work).
type sandboxHarness struct {
	*sandboxPage
	ctx app.Context
	e   app.TestEngine
}

func (h *sandboxHarness) OnPreRender(ctx app.Context) {
	h.ctx = ctx
	h.sandboxPage.OnPreRender(ctx)
}

// mountSandbox mounts a sandbox on a fresh world.
func mountSandbox(t testing.TB) *sandboxHarness {
	t.Helper()
	h := &sandboxHarness{sandboxPage: &sandboxPage{}, e: app.NewTestEngine()}
	if err := h.e.Load(h); err != nil {
		t.Fatal(err)
	}
	h.e.ConsumeAll()
	h.start(h.ctx, true)
	h.e.ConsumeAll()
	if h.bench == nil {
		t.Fatalf("the sandbox did not start: %s", h.problem)
	}
	return h
}

// enter runs a command line as the prompt's Enter does, and waits until
// the page has shown it.
func (h *sandboxHarness) enter(t testing.TB, line string) {
	t.Helper()
	h.run(h.ctx, "", line)
	h.e.ConsumeAll()
	if h.status != "" {
		t.Fatalf("%s: %s", line, h.status)
	}
}

// sessionFigures are what a session of commands cost, as counted by the
// Go runtime.
type sessionFigures struct {
	first, last cost   // the first and last 50 commands, per command
	live        uint64 // heap in use after the session, after a GC
	commands    int
	elements    int // HTML elements of the page after the session
	scrollback  int // commands in the terminal's DOM
	failed      []string
}

type cost struct {
	allocs, bytes float64
	ms            float64
}

// runSession types n commands into a mounted sandbox page.
func runSession(t testing.TB, n int) sessionFigures {
	h := mountSandbox(t)
	lines := sessionCommands(n)
	var f sessionFigures
	var ms runtime.MemStats
	measure := func(from, to int) cost {
		runtime.ReadMemStats(&ms)
		a0, b0, t0 := ms.Mallocs, ms.TotalAlloc, time.Now()
		for _, l := range lines[from:to] {
			h.enter(t, l)
		}
		d := time.Since(t0)
		runtime.ReadMemStats(&ms)
		k := float64(to - from)
		return cost{allocs: float64(ms.Mallocs-a0) / k, bytes: float64(ms.TotalAlloc-b0) / k, ms: float64(d.Microseconds()) / 1000 / k}
	}
	const window = 50
	f.first = measure(0, window)
	measure(window, n-window)
	f.last = measure(n-window, n)
	runtime.GC()
	runtime.ReadMemStats(&ms)
	f.live = ms.HeapAlloc
	f.commands = len(h.bench.Commands())
	for _, r := range h.bench.Transcript() {
		if r.Exit != 0 {
			f.failed = append(f.failed, r.Text)
		}
	}
	f.elements, f.scrollback = countElements(h), countClass(h, "term-cmd")
	runtime.KeepAlive(h)
	return f
}

// BenchmarkSandboxSession runs the browser benchmark's 500 commands
// through the sandbox page natively and reports, per command, what the
// first and the last 50 allocated (a command that costs more as the
// session grows shows here), and the heap in use at the end.
//
//	go test ./app -run '^$' -bench SandboxSession -benchtime 1x
func BenchmarkSandboxSession(b *testing.B) {
	for b.Loop() {
		f := runSession(b, 500)
		if len(f.failed) > 0 || f.commands != 500 {
			b.Fatalf("%d commands of %d failed, the first: %v", len(f.failed), f.commands, f.failed)
		}
		b.ReportMetric(f.first.allocs, "allocs/cmd-first50")
		b.ReportMetric(f.last.allocs, "allocs/cmd-last50")
		b.ReportMetric(f.first.bytes/1e3, "kB/cmd-first50")
		b.ReportMetric(f.last.bytes/1e3, "kB/cmd-last50")
		b.ReportMetric(f.last.ms, "ms/cmd-last50")
		b.ReportMetric(float64(f.live)/1e6, "MB-live")
		b.ReportMetric(float64(f.elements), "elements")
		b.ReportMetric(float64(f.scrollback), "cmds-shown")
	}
}

// countElements counts the HTML elements of a mounted component, from the
// markup go-app writes of it (text is escaped: every '<' opens a tag).
func countElements(c app.UI) int {
	s := app.HTMLString(c)
	n := 0
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '<' && s[i+1] != '/' {
			n++
		}
	}
	return n
}

// countClass counts the elements whose class list starts with cls.
func countClass(c app.UI, cls string) int {
	s := app.HTMLString(c)
	return strings.Count(s, `class="`+cls+`"`) + strings.Count(s, `class="`+cls+` `)
}
