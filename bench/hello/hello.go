// Command hello is the floor of the benchmarks: the smallest go-app v10 app,
// one page that says hello. `make bench` builds it with the flags miplay is
// built with and serves it the way `miplay serve` serves miplay, so that
// every figure of miplay's has one of the same kind beside it.
//
// Like miplay, it is one main package with a wasm/!wasm split: the browser
// build runs the page (main_wasm.go), the native build serves it
// (main_other.go).
package main

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// Text is what the page says.
const Text = "Hello, world"

// hello is the page. Its text is prerendered by the server; the
// data-hello-mounted attribute on <html> is set only by the wasm, once the
// component is mounted, so a browser test can tell the two apart.
type hello struct{ app.Compo }

func (h *hello) OnMount(ctx app.Context) {
	app.Window().Get("document").Get("documentElement").Call("setAttribute", "data-hello-mounted", "true")
}

func (h *hello) Render() app.UI {
	return app.Main().Body(app.H1().ID("hello").Text(Text))
}

func register() {
	app.Route("/", func() app.Composer { return &hello{} })
}
