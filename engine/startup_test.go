package engine_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// startupCalls are the only functions the engine's package-level variables
// may call as they are initialised: they do next to no work. The browser
// runs package initialisation some 40 times slower than native code, and
// every page load pays for all of it, so tables and regexps are built on
// first use instead (sync.OnceValue, lazyRegexp).
var startupCalls = map[string]bool{
	"sync.OnceValue": true, "sync.OnceValues": true, "sync.OnceFunc": true, "lazyRegexp": true,
	"errors.New": true, "time.Date": true, "strings.NewReplacer": true, // NewReplacer builds its table on first use
}

// TestNoStartupWork fails if a non-test file under engine/ has an init
// function or a package-level variable whose initialiser calls anything
// but startupCalls.
func TestNoStartupWork(t *testing.T) {
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
		for _, decl := range f.Decls {
			switch decl := decl.(type) {
			case *ast.FuncDecl:
				if decl.Name.Name == "init" && decl.Recv == nil {
					t.Errorf("%s: an init function runs at every start-up: do its work on first use", fset.Position(decl.Pos()))
				}
			case *ast.GenDecl:
				if decl.Tok != token.VAR {
					continue
				}
				for _, spec := range decl.Specs {
					for _, v := range spec.(*ast.ValueSpec).Values {
						ast.Inspect(v, func(n ast.Node) bool {
							if _, ok := n.(*ast.FuncLit); ok {
								return false // runs when called, not at start-up
							}
							if call, ok := n.(*ast.CallExpr); ok {
								if name := calleeName(call.Fun); name != "" && !startupCalls[name] {
									t.Errorf("%s: %s runs at every start-up: build the value on first use (sync.OnceValue)", fset.Position(call.Pos()), name)
								}
							}
							return true
						})
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 50 {
		t.Fatalf("checked only %d files: is the walk rooted at engine/?", checked)
	}
}

// calleeName is "f" or "pkg.f" for a call of a function by name, and ""
// for anything else (a conversion such as []byte("x"), a call of a call).
func calleeName(fun ast.Expr) string {
	switch fun := fun.(type) {
	case *ast.Ident:
		return fun.Name
	case *ast.SelectorExpr:
		if x, ok := fun.X.(*ast.Ident); ok {
			return x.Name + "." + fun.Sel.Name
		}
	}
	return ""
}
