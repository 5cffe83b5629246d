package scenarios

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestPurity fails if a non-test file of the package imports what the
// browser does not have or what breaks determinism, or reads the wall
// clock: the package takes readers and writers, and its caller does I/O.
func TestPurity(t *testing.T) {
	forbidden := map[string]bool{"os": true, "os/exec": true, "net": true, "syscall": true, "syscall/js": true, "testing": true,
		"math/rand": true, "math/rand/v2": true, "crypto/rand": true}
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		timeName := ""
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if forbidden[p] {
				t.Errorf("%s imports %q: the scenarios package runs in the browser and takes readers and writers", fset.Position(imp.Pos()), p)
			}
			if p == "time" {
				timeName = "time"
				if imp.Name != nil {
					timeName = imp.Name.Name
				}
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok && timeName != "" {
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == timeName && (sel.Sel.Name == "Now" || sel.Sel.Name == "Since" || sel.Sel.Name == "Until") {
					t.Errorf("%s reads the wall clock: scenarios are deterministic", fset.Position(sel.Pos()))
				}
			}
			return true
		})
	}
	if checked < 5 {
		t.Fatalf("checked %d files: is the test in the right directory?", checked)
	}
}
