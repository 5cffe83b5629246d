package app

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Small bridges to browser APIs that go-app does not wrap: downloads, the
// clipboard, reading a picked file, and the page URL. They run only in
// the browser (from handlers and OnMount); on the server app.Window() is
// inert.

// downloadFile makes the browser save content as a file named name.
func downloadFile(name, mime, content string) {
	win := app.Window()
	blob := win.Get("Blob").New([]any{content}, map[string]any{"type": mime})
	url := win.Get("URL").Call("createObjectURL", blob)
	doc := win.Get("document")
	a := doc.Call("createElement", "a")
	a.Set("href", url)
	a.Set("download", name)
	a.Set("rel", "noopener")
	doc.Get("body").Call("appendChild", a)
	a.Call("click")
	a.Call("remove")
	// Let the download start before the URL goes.
	var revoke app.Func
	revoke = app.FuncOf(func(app.Value, []app.Value) any {
		win.Get("URL").Call("revokeObjectURL", url)
		revoke.Release()
		return nil
	})
	win.Call("setTimeout", revoke, 10000)
}

// then calls done with the outcome of a JavaScript promise: the value and
// true when it resolves, the reason and false when it rejects. done runs
// on the UI goroutine.
func then(ctx app.Context, promise app.Value, done func(ctx app.Context, v app.Value, ok bool)) {
	var onOK, onErr app.Func
	release := func() {
		onOK.Release()
		onErr.Release()
	}
	onOK = app.FuncOf(func(_ app.Value, args []app.Value) any {
		var v app.Value = app.Null()
		if len(args) > 0 {
			v = args[0]
		}
		release()
		ctx.Dispatch(func(ctx app.Context) { done(ctx, v, true) })
		return nil
	})
	onErr = app.FuncOf(func(_ app.Value, args []app.Value) any {
		var v app.Value = app.Null()
		if len(args) > 0 {
			v = args[0]
		}
		release()
		ctx.Dispatch(func(ctx app.Context) { done(ctx, v, false) })
		return nil
	})
	promise.Call("then", onOK, onErr)
}

// copyText puts text on the clipboard and reports whether it worked (it
// needs a secure context and the learner's gesture).
func copyText(ctx app.Context, text string, done func(ctx app.Context, ok bool)) {
	clip := app.Window().Get("navigator").Get("clipboard")
	if !clip.Truthy() {
		done(ctx, false)
		return
	}
	then(ctx, clip.Call("writeText", text), func(ctx app.Context, _ app.Value, ok bool) { done(ctx, ok) })
}

// pageOrigin returns the page's origin, such as "http://127.0.0.1:8000".
func pageOrigin() string {
	return app.Window().Get("location").Get("origin").String()
}

// replaceURL changes the address bar without navigating, for example to
// drop a share link's fragment once it has been used.
func replaceURL(u string) {
	app.Window().Get("history").Call("replaceState", app.Null(), "", u)
}
