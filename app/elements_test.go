package app

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// notElements are go-app's functions of no arguments that make no HTML
// element, and that the app may call.
var notElements = map[string]bool{"Window": true, "Null": true, "Undefined": true}

// The app makes its elements with app.Elem (doc.go): a call to one of
// go-app's typed constructors, such as app.Div(), fails here, with where it
// is.
func TestElementsAreMadeWithElem(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		goApp := ""
		for _, imp := range f.Imports {
			if imp.Path.Value == `"github.com/maxence-charriere/go-app/v10/pkg/app"` {
				goApp = "app"
				if imp.Name != nil {
					goApp = imp.Name.Name
				}
			}
		}
		if goApp == "" {
			continue
		}
		checked++
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) != 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if pkg, ok := sel.X.(*ast.Ident); ok && pkg.Name == goApp && !notElements[sel.Sel.Name] {
				t.Errorf("%s: %s.%s(): make the element with app.Elem (or app.ElemSelfClosing) and its attributes with Attr", fset.Position(call.Pos()), goApp, sel.Sel.Name)
			}
			return true
		})
	}
	if checked == 0 {
		t.Fatal("no file of the package imports go-app")
	}
}
