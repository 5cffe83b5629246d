package engine_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// forbiddenImports would let the engine do I/O, reach the browser or draw
// global randomness; any of them breaks determinism or portability.
var forbiddenImports = map[string]bool{
	"os": true, "net": true, "syscall/js": true, "math/rand": true, "math/rand/v2": true, "crypto/rand": true,
}

// clockReaders read the wall clock.
var clockReaders = map[string]bool{"Now": true, "Since": true, "Until": true}

// TestEnginePurity fails if any non-test file under engine/ imports a
// forbidden package or reads the wall clock.
func TestEnginePurity(t *testing.T) {
	fset := token.NewFileSet()
	checked := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		checked++
		timeName := ""
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if forbiddenImports[p] {
				t.Errorf("%s imports %q: the engine does no I/O and uses no global randomness", fset.Position(imp.Pos()), p)
			}
			if p == "time" {
				timeName = "time"
				if imp.Name != nil {
					timeName = imp.Name.Name
				}
			}
		}
		if timeName == "" {
			return nil
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == timeName && clockReaders[sel.Sel.Name] {
				t.Errorf("%s reads the wall clock with time.%s: use the world's simulated clock", fset.Position(sel.Pos()), sel.Sel.Name)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 10 {
		t.Fatalf("checked only %d files: is the walk rooted at engine/?", checked)
	}
}
