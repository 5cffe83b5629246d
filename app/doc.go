// Package app is miplay's browser UI, written with go-app v10: the routes,
// the page components and the shell around them (header, navigation, dark
// mode, notices). It holds no Azure rule: every fact about Azure it shows
// comes from the engine, through package wire's messages. The page does not
// link the engine: in the browser the engine runs in a Web Worker of its
// own (package worker, cmd/engineworker), natively in the same process;
// pages call it with callEngine, off the UI goroutine (ctx.Async), and
// render the view models it answers with. The library's scenarios come
// with the page, as Go literals of what the engine answers (library.go,
// library_data.go, written with package golit), and so does each one's
// opening: the player is ready, and runs the first step, before the
// engine's worker has started, which it does once the page is idle
// (opening.go).
//
// The same components render twice: on the server, where go-app prerenders
// each page to HTML, and in the browser, where the wasm build takes over.
// Code that needs the browser goes in OnMount, OnNav or event handlers (which
// run only there), in an OnInit behind app.IsClient (OnInit runs on both
// sides, before the first render: the player finds its scenario there, so
// the browser mounts it once), or in a file with //go:build wasm and a !wasm
// twin.
//
// Elements are made with app.Elem("div") (app.ElemSelfClosing for void
// elements such as input), not go-app's typed constructors (app.Div, app.A,
// ...), and element attributes with Attr("href", ...). Each typed element
// is a Go type of its own with some sixty methods: at the page's start the
// browser compiled those methods for every element type the page used,
// and the runtime built the interface tables go-app's type switches need,
// walking each type's method set. With one type for all of them, the
// player's start took some 5-10 ms less in A/B runs, and app.wasm is 0.68
// MB smaller (bench/README.md). TestElementsAreMadeWithElem keeps it so.
//
// Adding a page: write a component that embeds page (see placeholder.go),
// renders its content through layout, and add its route to Routes in
// routes.go. Links between pages go through Href, so that they keep the path
// prefix of a static build served under a sub-path.
package app
