package app

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/miplay/miplay/app/store"
)

// page is embedded by every page component: it keeps the page's own path
// (without a static build's prefix) and sets the document title.
type page struct {
	app.Compo
	path string
}

func (p *page) nav(ctx app.Context, title string) {
	p.path = appPath(ctx.Page().URL())
	if !isPlayerPath(p.path) {
		// The player lets IndexedDB open once it shows its first state.
		storeMayOpen()
	}
	if app.IsClient {
		startEngineWhenIdle()
	}
	full := "miplay"
	if title != "" {
		full = title + " · miplay"
	}
	// The prerendered page has the title already; setting it again costs
	// calls into JavaScript on the first navigation.
	if ctx.Page().Title() != full {
		ctx.Page().SetTitle(full)
	}
}

// navItems are the header's links.
var navItems = []struct{ Path, Label string }{
	{"/", "Home"},
	{"/gallery", "Gallery"},
	{"/sandbox", "Sandbox"},
}

// layout puts a page's content in the app shell: a skip link, the header with
// navigation and the dark-mode toggle, the notice area, the main landmark and
// the footer. current is the page's path, to mark its link.
func layout(current string, content ...app.UI) app.UI {
	return prerendered(app.Elem("div").Class("shell")).Body(
		app.Elem("a").Class("skip-link").Attr("href", "#main").Text("Skip to content"),
		app.Elem("header").Class("site-header").Body(
			app.Elem("div").Class("site-header__inner").Body(
				app.Elem("a").Class("brand").Attr("href", Href("/")).Aria("label", "miplay, home").Body(
					app.Raw(logoSVG),
					app.Elem("span").Class("brand__name").Text("miplay"),
				),
				app.Elem("nav").Class("site-nav").Aria("label", "Main").Body(
					app.Elem("ul").Body(
						app.Range(navItems).Slice(func(i int) app.UI {
							it := navItems[i]
							a := app.Elem("a").Attr("href", Href(it.Path)).Text(it.Label)
							if it.Path == current {
								a = a.Aria("current", "page")
							}
							return app.Elem("li").Body(a)
						}),
					),
				),
				&themeToggle{},
			),
		),
		&noticeArea{},
		app.Elem("main").ID("main").Class("page").TabIndex(-1).Body(content...),
		app.Elem("footer").Class("site-footer").Body(
			app.Elem("p").Text("miplay simulates Azure in your browser. Nothing here touches a real subscription, and no secret leaves the page."),
		),
	)
}

// prerendered marks the root of a page as the server renders it, with
// data-prerendered. The browser's own render replaces that root with one
// without it.
//
// The stylesheet holds the marked copy back for 0.4 s (web/miplay.css): a
// page whose app starts within that time is drawn once, live, instead of
// first as a copy whose controls do nothing and then again. Laying out and
// painting the copy took CPU from app.wasm's download, compile and first
// render: on two cores, 45 ms of a first visit's time to interactive and
// 20 ms of a later one's (bench/README.md). On a slower start the copy
// shows, readable, until the app replaces it; without JavaScript it is the
// page.
func prerendered[E interface{ DataSet(string, any) E }](root E) E {
	if app.IsServer {
		return root.DataSet("prerendered", true)
	}
	return root
}

// logoSVG is the mark beside the name: a badge with a key-less keyhole, drawn
// in currentColor so it follows the theme.
const logoSVG = `<svg class="brand__logo" viewBox="0 0 32 32" width="28" height="28" aria-hidden="true" focusable="false"><rect x="2" y="2" width="28" height="28" rx="8" fill="var(--accent)"/><circle cx="16" cy="13" r="4.5" fill="none" stroke="var(--accent-ink)" stroke-width="2.5"/><path d="M9.5 25c1.2-4 3.6-6 6.5-6s5.3 2 6.5 6" fill="none" stroke="var(--accent-ink)" stroke-width="2.5" stroke-linecap="round"/></svg>`

// themeToggle is the dark-mode switch. It starts from the mirrored choice,
// or from prefers-color-scheme when there is none, follows the saved one
// when the store answers, and saves what the learner picks. It is disabled
// in the prerendered page, until the wasm is running.
type themeToggle struct {
	app.Compo
	ready     bool
	dark      bool
	mq        app.Value
	onMQ      app.Func
	onStorage app.Func
}

// OnInit sets the state of the first render in the browser, so that
// mounting needs no second one.
func (t *themeToggle) OnInit() {
	if !app.IsClient {
		return
	}
	startPrefs()
	t.ready, t.dark = true, effectiveDark()
}

func (t *themeToggle) OnMount(ctx app.Context) {
	// OnInit rendered the state: only a different saved theme changes it.
	ctx.PreventUpdate()
	whenPrefsLoaded(ctx, func(app.Context) bool {
		dark := effectiveDark()
		changed := dark != t.dark
		t.dark = dark
		return changed
	})
	// Follow the system's scheme when it changes, while no choice is saved.
	t.mq = darkQuery()
	if t.mq.Truthy() {
		t.onMQ = app.FuncOf(func(app.Value, []app.Value) any {
			ctx.Dispatch(func(app.Context) { t.dark = effectiveDark() })
			return nil
		})
		t.mq.Call("addEventListener", "change", t.onMQ)
	}
	// Follow a choice made in another tab: it saved the choice, and its
	// change of the localStorage mirror fires "storage" here.
	t.onStorage = app.FuncOf(func(_ app.Value, args []app.Value) any {
		if len(args) == 0 || args[0].Get("key").String() != themeMirrorKey {
			return nil
		}
		theme := store.ThemeSystem
		if v := args[0].Get("newValue"); !v.IsNull() && !v.IsUndefined() {
			theme = store.Theme(v.String())
		}
		ctx.Dispatch(func(app.Context) {
			prefs.Lock()
			prefs.settings.Theme, prefs.chosen = theme, true
			prefs.Unlock()
			applyTheme(theme)
			t.dark = effectiveDark()
		})
		return nil
	})
	app.Window().Call("addEventListener", "storage", t.onStorage)
}

func (t *themeToggle) OnDismount() {
	if t.onStorage != nil {
		app.Window().Call("removeEventListener", "storage", t.onStorage)
		t.onStorage.Release()
		t.onStorage = nil
	}
	if t.onMQ != nil {
		t.mq.Call("removeEventListener", "change", t.onMQ)
		t.onMQ.Release()
		t.onMQ = nil
	}
}

func (t *themeToggle) toggle(ctx app.Context, e app.Event) {
	t.dark = !t.dark
	setTheme(ctx, t.dark)
}

func (t *themeToggle) Render() app.UI {
	icon := sunSVG
	if t.dark {
		icon = moonSVG
	}
	return app.Elem("button").
		Attr("type", "button").
		Class("theme-toggle").
		Aria("pressed", t.dark).
		Attr("disabled", !t.ready).
		Title("Switch between light and dark colours").
		OnClick(t.toggle).
		Body(
			app.Raw(icon),
			app.Elem("span").Class("theme-toggle__label").Text("Dark mode"),
		)
}

const sunSVG = `<svg class="theme-toggle__icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false"><circle cx="12" cy="12" r="4" fill="currentColor"/><g stroke="currentColor" stroke-width="2" stroke-linecap="round"><path d="M12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4"/></g></svg>`

const moonSVG = `<svg class="theme-toggle__icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false"><path d="M20 14.5A8 8 0 0 1 9.5 4a8 8 0 1 0 10.5 10.5z" fill="currentColor"/></svg>`

// markdownUI shows HTML that the engine rendered from a scenario's
// Markdown (wire.Step.HTML and the like): worker.MarkdownHTML makes it safe
// to put in the page as it is.
func markdownUI(html string) app.UI {
	return app.Raw(`<div class="markdown">` + html + `</div>`)
}
