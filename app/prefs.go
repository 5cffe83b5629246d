package app

import (
	"sync"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/miplay/miplay/app/store"
)

// prefs is the learner's settings as the UI knows them: loaded from the store
// once per page load, then kept here so that every page's header agrees.
var prefs struct {
	sync.Mutex
	loaded   bool
	loading  bool
	settings store.AppSettings
}

// themeMirrorKey is the localStorage key that mirrors the theme, read by a
// small script in the page head so the first paint already has the right
// colours. IndexedDB stays the source of truth.
const themeMirrorKey = "miplay.theme"

// loadPrefs loads the settings from the store once, then calls done on the UI
// goroutine. It returns at once.
func loadPrefs(ctx app.Context, done func(app.Context)) {
	prefs.Lock()
	if prefs.loaded {
		prefs.Unlock()
		done(ctx)
		return
	}
	if prefs.loading {
		prefs.Unlock()
		// Another component is loading them; ask again shortly.
		ctx.After(50*time.Millisecond, func(ctx app.Context) { loadPrefs(ctx, done) })
		return
	}
	prefs.loading = true
	prefs.Unlock()
	ctx.Async(func() {
		s, err := loadSettings()
		if err != nil {
			reportError("Could not read your saved settings", err)
			// Keep what the page already shows.
			s.Theme = mirroredTheme()
		}
		prefs.Lock()
		prefs.settings, prefs.loaded, prefs.loading = s, true, false
		prefs.Unlock()
		ctx.Dispatch(func(ctx app.Context) {
			applyTheme(s.Theme)
			app.Window().Get("document").Get("documentElement").Call("setAttribute", "data-miplay-ready", "true")
			done(ctx)
		})
	})
}

// currentTheme returns the saved theme choice (ThemeSystem if none).
func currentTheme() store.Theme {
	prefs.Lock()
	defer prefs.Unlock()
	return prefs.settings.Theme
}

// systemPrefersDark reports the browser's prefers-color-scheme.
func systemPrefersDark() bool {
	mq := app.Window().Call("matchMedia", "(prefers-color-scheme: dark)")
	return mq.Truthy() && mq.Get("matches").Bool()
}

// effectiveDark reports whether the page shows dark colours now.
func effectiveDark() bool {
	switch currentTheme() {
	case store.ThemeDark:
		return true
	case store.ThemeLight:
		return false
	}
	return systemPrefersDark()
}

// setTheme switches to dark or light, applies it at once and saves it. A
// choice equal to the system's preference is saved as "follow the system",
// so the page keeps following prefers-color-scheme until the learner picks
// the other one again.
func setTheme(ctx app.Context, dark bool) {
	t := store.ThemeLight
	if dark {
		t = store.ThemeDark
	}
	if dark == systemPrefersDark() {
		t = store.ThemeSystem
	}
	prefs.Lock()
	prefs.settings.Theme = t
	s := prefs.settings
	prefs.Unlock()
	applyTheme(t)
	ctx.Async(func() {
		if err := saveSettings(s); err != nil {
			reportError("Could not save your settings", err)
		}
	})
}

// applyTheme sets data-theme on <html> (the stylesheet keys its colours on
// it) and mirrors the choice into localStorage.
func applyTheme(t store.Theme) {
	root := app.Window().Get("document").Get("documentElement")
	ls := app.Window().Get("localStorage")
	if t == store.ThemeSystem {
		root.Call("removeAttribute", "data-theme")
		if ls.Truthy() {
			ls.Call("removeItem", themeMirrorKey)
		}
		return
	}
	root.Call("setAttribute", "data-theme", string(t))
	if ls.Truthy() {
		ls.Call("setItem", themeMirrorKey, string(t))
	}
}

// mirroredTheme returns the theme in the localStorage mirror.
func mirroredTheme() store.Theme {
	ls := app.Window().Get("localStorage")
	if !ls.Truthy() {
		return store.ThemeSystem
	}
	switch t := store.Theme(ls.Call("getItem", themeMirrorKey).String()); t {
	case store.ThemeDark, store.ThemeLight:
		return t
	}
	return store.ThemeSystem
}

// ThemeBootScript goes in the page head: it applies the mirrored theme before
// the first paint, so a learner who chose dark never sees a light flash while
// the wasm loads.
const ThemeBootScript = `<script>try{var t=localStorage.getItem("` + themeMirrorKey + `");if(t==="dark"||t==="light")document.documentElement.setAttribute("data-theme",t)}catch(e){}</script>`
