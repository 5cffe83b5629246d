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
