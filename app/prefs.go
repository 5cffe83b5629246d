package app

import (
	"runtime"
	"sync"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/miplay/miplay/app/store"
)

// prefs is the learner's settings as the UI knows them: loaded from the store
// once per page load, then kept here so that every page's header agrees.
// Until the store answers, the theme is the localStorage mirror's, which the
// page head has already applied.
var prefs struct {
	sync.Mutex
	started  bool
	loaded   bool
	chosen   bool // a theme was picked (here or in another tab) before the store answered
	marked   bool // <html> says the settings are applied
	settings store.AppSettings
	waiting  []func() // called once the settings are loaded
}

// themeMirrorKey is the localStorage key that mirrors the theme, read by a
// small script in the page head so the first paint already has the right
// colours. IndexedDB stays the source of truth.
const themeMirrorKey = "miplay.theme"

// startPrefs starts loading the settings from the store, once per page load,
// and returns at once: pages render with the mirrored theme meanwhile. It
// runs in the browser only, from the first component that mounts.
func startPrefs() {
	prefs.Lock()
	if prefs.started {
		prefs.Unlock()
		return
	}
	prefs.started = true
	prefs.settings.Theme = mirroredTheme()
	prefs.Unlock()
	go func() {
		s, err := loadSettings()
		if err != nil {
			reportError("Could not read your saved settings", err)
			s.Theme = mirroredTheme() // keep what the page already shows
		}
		prefs.Lock()
		if prefs.chosen {
			s = prefs.settings
		}
		prefs.settings, prefs.loaded = s, true
		waiting := prefs.waiting
		prefs.waiting = nil
		prefs.Unlock()
		applyTheme(s.Theme)
		for _, f := range waiting {
			f()
		}
		if len(waiting) == 0 {
			markPrefsApplied()
		}
	}()
	// Let the goroutine send IndexedDB's open request now: the browser opens
	// the database while this thread renders the page.
	runtime.Gosched()
}

// whenPrefsLoaded calls changed on the UI goroutine once the stored
// settings are applied, unless they already are; changed reports whether
// the component's view changed. <html> gets data-miplay-ready after that
// update, so a test that waits for it sees the settings in the page.
func whenPrefsLoaded(ctx app.Context, changed func(app.Context) bool) {
	prefs.Lock()
	if !prefs.loaded {
		prefs.waiting = append(prefs.waiting, func() {
			ctx.Dispatch(func(ctx app.Context) {
				if !changed(ctx) {
					ctx.PreventUpdate()
				}
				ctx.Defer(func(app.Context) { markPrefsApplied() })
			})
		})
		prefs.Unlock()
		return
	}
	prefs.Unlock()
	// A component mounted after the load (another page) reads the settings
	// as it initialises; the component that was waiting may be gone.
	markPrefsApplied()
}

// markPrefsApplied sets data-miplay-ready on <html>, once.
func markPrefsApplied() {
	prefs.Lock()
	done := prefs.marked
	prefs.marked = true
	prefs.Unlock()
	if !done {
		app.Window().Get("document").Get("documentElement").Call("setAttribute", "data-miplay-ready", "true")
	}
}

// currentTheme returns the saved theme choice (ThemeSystem if none).
func currentTheme() store.Theme {
	prefs.Lock()
	defer prefs.Unlock()
	return prefs.settings.Theme
}

// systemPrefersDark reports the browser's prefers-color-scheme.
func systemPrefersDark() bool {
	mq := darkQuery()
	return mq.Truthy() && mq.Get("matches").Bool()
}

// darkQuery is the page's one MediaQueryList for a dark scheme: its
// matches follows the system, so it is asked for once.
var darkQuery = sync.OnceValue(func() app.Value {
	return app.Window().Call("matchMedia", "(prefers-color-scheme: dark)")
})

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
	prefs.settings.Theme, prefs.chosen = t, true
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
