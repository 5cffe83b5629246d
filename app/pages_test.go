//go:build !wasm

package app

import (
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/miplay/miplay/app/assets"
	"github.com/miplay/miplay/app/wire"
)

func testHandler(t *testing.T) *app.Handler {
	t.Helper()
	web := t.TempDir()
	if err := os.WriteFile(filepath.Join(web, "app.wasm"), []byte("\x00asm"), 0o644); err != nil {
		t.Fatal(err)
	}
	return NewHandler(assets.NewDir(web), "test", 4)
}

func get(t *testing.T, h *app.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	body, _ := io.ReadAll(rec.Body)
	return rec.Code, string(body)
}

// The sandbox, shared and exercise pages prerender on the server: the
// server cannot see a fragment or the learner's store, so they say they
// are loading, and the wasm takes over.
func TestWorkbenchPagesPrerender(t *testing.T) {
	h := testHandler(t)
	for _, tt := range []struct {
		path     string
		contains []string
	}{
		{"/sandbox", []string{"<title>Sandbox · miplay</title>", `id="sandbox-input"`, `aria-label="Sandbox actions"`, `for="sandbox-upload"`, WorkbenchStylesheet}},
		{"/sandbox?from=hello&step=1", []string{"<title>Sandbox · miplay</title>", "Sandbox: hello"}},
		{SharedPath, []string{"<title>Shared scenario · miplay</title>", "Opening the shared link"}},
		{"/exercise/exercise-vm-identity", []string{"Exercise: let a VM get a token · miplay</title>", "Your goal", `id="exercise-check"`, "Show a hint (3 left)"}},
		{"/exercise/nothing-here", []string{"<title>nothing-here · miplay</title>"}},
	} {
		code, page := get(t, h, tt.path)
		if code != 200 {
			t.Errorf("GET %s: %d", tt.path, code)
			continue
		}
		for _, want := range tt.contains {
			if !strings.Contains(page, want) {
				t.Errorf("GET %s: page lacks %s", tt.path, want)
			}
		}
	}
}

// The service worker caches the exact routes and falls back to the root
// page for a deep link it does not hold when the network fails.
func TestServiceWorkerOffline(t *testing.T) {
	h := testHandler(t)
	code, js := get(t, h, "/app-worker.js")
	if code != 200 {
		t.Fatalf("GET /app-worker.js: %d", code)
	}
	for _, want := range []string{`"/gallery"`, `"/sandbox"`, `"/shared"`, `"/"`, "ignoreSearch: navigate", "self.registration.scope", `self.addEventListener("fetch"`, "function installWorker"} {
		if !strings.Contains(js, want) {
			t.Errorf("app-worker.js lacks %s", want)
		}
	}
	if strings.Count(js, "async function fetchWithCache") != 1 {
		t.Errorf("app-worker.js has %d fetchWithCache functions, want 1", strings.Count(js, "async function fetchWithCache"))
	}
}

func TestUploadSlug(t *testing.T) {
	for in, want := range map[string]string{
		"my-scenario.md":           "my-scenario",
		"C:\\Users\\ada\\x y.md":   "x-y",
		"../../etc/passwd":         "passwd",
		"hello.md":                 "hello-uploaded", // a library scenario's slug
		"<script>.md":              "script",
		".md":                      "uploaded",
		"weird\u00e9name.markdown": "weird-name",
	} {
		if got := UploadSlug(in); got != want {
			t.Errorf("UploadSlug(%q) = %q, want %q", in, got, want)
		}
	}
	if _, _, err := ParseUpload("x.md", []byte("\xff")); err == nil {
		t.Errorf("ParseUpload accepted binary")
	}
	if _, _, err := ParseUpload("x.md", make([]byte, MaxUploadSize+1)); err == nil {
		t.Errorf("ParseUpload accepted a file over the limit")
	}
	_, _, err := ParseUpload("bad.md", []byte("---\ntitle: x\nlevel: expert\n---\n\n```console\n$ echo\n```\n"))
	if lines := errorLines(err); len(lines) == 0 || !strings.HasPrefix(lines[0], "bad.md:3:") {
		t.Errorf("errors of a bad upload = %q, want bad.md:3: first", lines)
	}
	s, slug, err := ParseUpload("fine.md", []byte("---\ntitle: Fine\nlevel: beginner\n---\n\n```console\n$ echo hi\nhi\n```\n"))
	if err != nil || slug != "fine" || s.FrontMatter.Title != "Fine" {
		t.Errorf("ParseUpload(fine.md) = %v, %q, %v", s, slug, err)
	}
}

func TestBuildCheck(t *testing.T) {
	ctx := t.Context()
	s := libraryScenario("exercise-vm-identity")
	if s == nil || s.Exercise == nil {
		t.Fatal("no exercise-vm-identity in the library: the test needs an exercise")
	}
	u, err := callEngine[wire.WorkbenchUpdate](ctx, wire.MethodWorkbenchOpen, wire.WorkbenchOpenRequest{Slug: s.Slug(), Step: len(s.Steps)})
	if err != nil {
		t.Fatal(err)
	}
	check := func() *wire.Report {
		t.Helper()
		resp, err := callEngine[wire.WorkbenchCheckResponse](ctx, wire.MethodWorkbenchCheck, wire.WorkbenchRequest{Session: u.Session})
		if err != nil || resp.Report == nil {
			t.Fatalf("check: %v, %+v", err, resp.Update.Error)
		}
		return resp.Report
	}
	vm := BuildCheck(check())
	if vm.Passed || len(vm.Rows) != len(s.Exercise.CheckStep.Commands) || !strings.Contains(vm.Report, "check failed") {
		t.Errorf("failed check: %+v", vm)
	}
	for i, r := range vm.Rows {
		c := s.Exercise.CheckStep.Commands[i]
		if r.Prompt != c.Prompt() || r.Command != c.Text || !reflect.DeepEqual(r.Want, c.WantLines()) || r.Matched != (r.Diff == "") {
			t.Errorf("row %d: %+v, for the command %+v", i, r, c)
		}
	}
	if _, err := callEngine[wire.WorkbenchUpdate](ctx, wire.MethodWorkbenchRun, wire.WorkbenchRunRequest{Session: u.Session, Line: "az vm identity assign -g rg-shop -n vm-web"}); err != nil {
		t.Fatal(err)
	}
	if vm := BuildCheck(check()); !vm.Passed || !vm.Rows[0].Matched || !vm.Rows[1].Matched {
		t.Errorf("passed check: %+v", vm)
	}
	if vm := BuildCheck(nil); vm.Passed || vm.Rows != nil {
		t.Errorf("no report: %+v", vm)
	}
	closeSession(u.Session)
}
