//go:build !wasm

package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// emulateScenario is the emulator's test scenario: vm-sys, vm-two, app-web.
const emulateScenario = "../internal/emulator/testdata/hosts.md"

// lockedBuffer is a bytes.Buffer safe for concurrent use.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestEmulate(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &lockedBuffer{}
	errw := &lineWriter{lines: make(chan string, 1)}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"emulate", "--scenario", emulateScenario, "--as", "app-web", "--data-planes"}, out, errw)
	}()
	select {
	case line := <-errw.lines:
		if !strings.HasPrefix(line, "miplay: serving app-web in App Service mode on http://127.0.0.1:") {
			t.Fatalf("first line on stderr: %q", line)
		}
	case code := <-done:
		t.Fatalf("emulate exited %d: %s", code, errw.buf.String())
	case <-time.After(20 * time.Second):
		t.Fatal("emulate did not start")
	}
	env := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		kv, ok := strings.CutPrefix(line, "export ")
		if !ok {
			t.Fatalf("stdout line %q: want export NAME=value", line)
		}
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	for _, name := range []string{"IDENTITY_ENDPOINT", "IDENTITY_HEADER", "MIPLAY_JWKS_URI", "MIPLAY_OPENID_CONFIGURATION", "MIPLAY_BLOB_STEMULATOR"} {
		if env[name] == "" {
			t.Errorf("no %s in\n%s", name, out.String())
		}
	}
	req, _ := http.NewRequest("GET", env["IDENTITY_ENDPOINT"]+"?api-version=2019-08-01&resource=https://vault.azure.net", nil)
	req.Header.Set("X-IDENTITY-HEADER", env["IDENTITY_HEADER"])
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), `"token_type":"Bearer"`) {
		t.Errorf("token: %d %s", res.StatusCode, body)
	}

	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("emulate exited %d after cancel", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("emulate did not stop")
	}
}

func TestEmulateLog(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	out := &lockedBuffer{}
	errb := &lockedBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"emulate", "--scenario", emulateScenario, "--as", "vm-two"}, out, errb)
	}()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(errb.String(), "miplay: serving") {
		if time.Now().After(deadline) {
			t.Fatalf("emulate did not start: %s", errb.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	var base string
	for _, line := range strings.Split(out.String(), "\n") {
		if v, ok := strings.CutPrefix(line, "export AZURE_POD_IDENTITY_AUTHORITY_HOST="); ok {
			base = v
		}
	}
	req, _ := http.NewRequest("GET", base+"/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net", nil)
	req.Header.Set("Metadata", "true")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	cancel()
	<-done
	log := errb.String()
	for _, want := range []string{
		"GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net 400 [IMDS] IMDS refused: vm-two has no system-assigned identity and several user-assigned ones",
		"HTTP_PROXY sends every plain-HTTP request",
		"miplay: stopped",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("stderr does not contain %q:\n%s", want, log)
		}
	}
}

func TestEmulateUsage(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"emulate", "--as", "vm-sys"}, "--scenario: name the scenario file"},
		{[]string{"emulate", "--scenario", emulateScenario, "--as", "vm-nope"}, `--as: no host "vm-nope" in ../internal/emulator/testdata/hosts.md: its hosts are vm-sys (VM), vm-two (VM), app-web (web app)`},
		{[]string{"emulate", "--scenario", emulateScenario}, "--as: name the host to serve as;"},
		{[]string{"emulate", "--scenario", emulateScenario, "--as", "vm-sys", "--addr", "0.0.0.0:0"}, "--addr: 0.0.0.0:0 is not a loopback address"},
		{[]string{"emulate", "--scenario", emulateScenario, "--as", "vm-sys", "--addr", ":8080"}, "--addr: :8080 is not a loopback address"},
		{[]string{"emulate", "--scenario", emulateScenario, "--as", "vm-sys", "--addr", "nonsense"}, "--addr: want HOST:PORT"},
		{[]string{"emulate", "--scenario", emulateScenario, "--as", "vm-sys", "extra"}, `unexpected argument "extra"`},
	} {
		code, _, stderr := runMiplay(t, tt.args...)
		if code != 2 || !strings.Contains(stderr, tt.want) || !strings.Contains(stderr, "usage: miplay emulate") {
			t.Errorf("miplay %s: exit %d, stderr:\n%s\nwant exit 2 and %q", strings.Join(tt.args, " "), code, stderr, tt.want)
		}
	}
	code, _, stderr := runMiplay(t, "emulate", "--scenario", "no-such-file.md", "--as", "vm-sys")
	if code != 1 || !strings.Contains(stderr, "no-such-file.md") {
		t.Errorf("missing file: exit %d, %s", code, stderr)
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"http://127.0.0.1:8080/msi/token":      "http://127.0.0.1:8080/msi/token",
		"6f1c2a52-0d7e-4d3f-9a55-1b2c3d4e5f60": "6f1c2a52-0d7e-4d3f-9a55-1b2c3d4e5f60",
		"":                                     "''",
		"it's $HOME":                           `'it'\''s $HOME'`,
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}
