//go:build !wasm

package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// engineOnly are the packages that only the engine's worker (engine.wasm)
// may link: the engine, the scenario parser and runner, and what they
// bring. The page's program (app.wasm) reaches them through package wire's
// messages; linked into it, they would make the page's first download what
// it was before the split, about 2.6 times the floor of a go-app app
// (bench/README.md).
var engineOnly = []string{
	"github.com/miplay/miplay/engine",
	"github.com/miplay/miplay/scenarios",
	"github.com/miplay/miplay/app/worker",
	"mvdan.cc/sh/",
	"github.com/itchyny/gojq",
	"github.com/jmespath-community/go-jmespath",
	"go.yaml.in/yaml",
	"github.com/golang-jwt/jwt",
}

// TestPageDoesNotLinkTheEngine lists what the browser build of miplay
// links and fails on any package of the engine's.
func TestPageDoesNotLinkTheEngine(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	cmd := exec.Command("go", "list", "-deps", ".")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		for _, bad := range engineOnly {
			if pkg == bad || strings.HasPrefix(pkg, bad+"/") || strings.HasSuffix(bad, "/") && strings.HasPrefix(pkg, bad) {
				t.Errorf("the page's wasm links %s, which only the engine's worker should: find who imports it with\n\tGOOS=js GOARCH=wasm go list -deps -f '{{.ImportPath}}: {{.Imports}}' ./cmd/miplay | grep %s", pkg, pkg)
			}
		}
	}
}
