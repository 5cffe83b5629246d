//go:build !wasm

package assets

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

func TestNegotiate(t *testing.T) {
	both := map[string]bool{"br": true, "gzip": true}
	tests := []struct {
		accept    string
		available map[string]bool
		want      string
	}{
		{"gzip, deflate, br, zstd", both, "br"},
		{"gzip, deflate", both, "gzip"},
		{"", both, ""},
		{"identity", both, ""},
		{"br;q=0, gzip", both, "gzip"},
		{"br;q=0.5, gzip;q=0.8", both, "gzip"},
		{"BR", both, "br"},
		{"*", both, "br"},
		{"*;q=0", both, ""},
		{"br", map[string]bool{"gzip": true}, ""},
		{"gzip, br", map[string]bool{"gzip": true}, "gzip"},
	}
	for _, tt := range tests {
		if got := Negotiate(tt.accept, tt.available); got != tt.want {
			t.Errorf("Negotiate(%q, %v) = %q, want %q", tt.accept, tt.available, got, tt.want)
		}
	}
}

func writeWeb(t *testing.T) (dir string, wasm []byte) {
	t.Helper()
	dir = t.TempDir()
	wasm = bytes.Repeat([]byte("\x00asm\x01\x00\x00\x00 some code "), 5000)
	if err := os.WriteFile(filepath.Join(dir, "app.wasm"), wasm, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "style.css"), []byte("body{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, wasm
}

func get(t *testing.T, h http.Handler, path, accept string) (*http.Response, []byte) {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	if accept != "" {
		req.Header.Set("Accept-Encoding", accept)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	body, _ := io.ReadAll(res.Body)
	return res, body
}

func TestDirServesPrecompressedWasm(t *testing.T) {
	dir, wasm := writeWeb(t)
	sz, err := Precompress(filepath.Join(dir, "app.wasm"), BrotliFast)
	if err != nil {
		t.Fatal(err)
	}
	if sz.Raw != int64(len(wasm)) || sz.Brotli == 0 || sz.Gzip == 0 || sz.Brotli >= sz.Raw || sz.Gzip >= sz.Raw {
		t.Fatalf("Precompress sizes = %+v", sz)
	}
	if st, err := Stat(filepath.Join(dir, "app.wasm")); err != nil || st != sz {
		t.Errorf("Stat = %+v, %v; want %+v", st, err, sz)
	}
	d := NewDir(dir)
	decoders := map[string]func(io.Reader) ([]byte, error){
		"br": func(r io.Reader) ([]byte, error) { return io.ReadAll(brotli.NewReader(r)) },
		"gzip": func(r io.Reader) ([]byte, error) {
			zr, err := gzip.NewReader(r)
			if err != nil {
				return nil, err
			}
			return io.ReadAll(zr)
		},
		"": func(r io.Reader) ([]byte, error) { return io.ReadAll(r) },
	}
	for _, tt := range []struct{ accept, want string }{
		{"gzip, deflate, br", "br"},
		{"gzip", "gzip"},
		{"", ""},
	} {
		res, body := get(t, d, "/web/app.wasm", tt.accept)
		if res.StatusCode != 200 {
			t.Fatalf("Accept-Encoding %q: status %d", tt.accept, res.StatusCode)
		}
		if got := res.Header.Get("Content-Encoding"); got != tt.want {
			t.Errorf("Accept-Encoding %q: Content-Encoding = %q, want %q", tt.accept, got, tt.want)
		}
		if got := res.Header.Get("Content-Type"); got != "application/wasm" {
			t.Errorf("Accept-Encoding %q: Content-Type = %q", tt.accept, got)
		}
		if got := res.Header.Get("Vary"); got != "Accept-Encoding" {
			t.Errorf("Accept-Encoding %q: Vary = %q", tt.accept, got)
		}
		if got, want := res.Header.Get("Content-Length"), strconv.Itoa(len(body)); got != want {
			t.Errorf("Accept-Encoding %q: Content-Length = %q, want %q", tt.accept, got, want)
		}
		plain, err := decoders[tt.want](bytes.NewReader(body))
		if err != nil || !bytes.Equal(plain, wasm) {
			t.Errorf("Accept-Encoding %q: body does not decode to app.wasm (%v)", tt.accept, err)
		}
	}

	// A variant older than the file is stale and is not sent.
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(filepath.Join(dir, "app.wasm.br"), old, old); err != nil {
		t.Fatal(err)
	}
	if res, _ := get(t, d, "/web/app.wasm", "br, gzip"); res.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("stale .br: Content-Encoding = %q, want gzip", res.Header.Get("Content-Encoding"))
	}
}

func TestDirServesOtherFiles(t *testing.T) {
	dir, _ := writeWeb(t)
	d := NewDir(dir)
	res, body := get(t, d, "/web/style.css", "br")
	if res.StatusCode != 200 || string(body) != "body{}" || res.Header.Get("Content-Encoding") != "" {
		t.Errorf("style.css: %d %q %q", res.StatusCode, body, res.Header.Get("Content-Encoding"))
	}
	if got := res.Header.Get("Content-Type"); got != "text/css; charset=utf-8" {
		t.Errorf("style.css Content-Type = %q", got)
	}
	res, _ = get(t, d, "/web/app.wasm", "br")
	if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "" {
		t.Errorf("app.wasm without variants: %d %q", res.StatusCode, res.Header.Get("Content-Encoding"))
	}
	for _, p := range []string{"/web/", "/web/nope.css", "/web/../assets.go"} {
		if res, _ := get(t, d, p, ""); res.StatusCode != 404 {
			t.Errorf("%s: status %d, want 404", p, res.StatusCode)
		}
	}
}

func TestVersion(t *testing.T) {
	dir, _ := writeWeb(t)
	v1, err := Version(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Precompress(filepath.Join(dir, "app.wasm"), BrotliFast); err != nil {
		t.Fatal(err)
	}
	if v, _ := Version(dir); v != v1 {
		t.Errorf("Version changed when only the precompressed variants appeared")
	}
	if err := os.WriteFile(filepath.Join(dir, "style.css"), []byte("body{color:red}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if v, _ := Version(dir); v == v1 {
		t.Errorf("Version did not change when style.css did")
	}
}

func TestResolve(t *testing.T) {
	d := NewDir(".")
	for in, want := range map[string]string{
		"":                 "/",
		"/":                "/",
		"/web/app.wasm":    "/web/app.wasm",
		"web/style.css":    "/web/style.css",
		"/gallery":         "/gallery",
		"https://x.test/y": "https://x.test/y",
	} {
		if got := d.Resolve(in); got != want {
			t.Errorf("Resolve(%q) = %q, want %q", in, got, want)
		}
	}
}
