package e2e

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	miapp "github.com/miplay/miplay/app"
)

// playerViewJS is what the player shows of the world and of what ran: the
// terminal, the panels and the request flow, as text.
const playerViewJS = `[".player__status", "#terminal", ".player__side", ".player__flow"]
  .map(s => { const e = document.querySelector(s); return s + ":\n" + (e ? e.innerText : "(none)"); })
  .join("\n\n")`

// playerView waits until the player has next steps run, and returns what
// it shows.
func playerView(t *testing.T, ctx context.Context, next int) string {
	t.Helper()
	waitPlayer(t, ctx, next)
	return eval[string](t, ctx, playerViewJS)
}

// A library scenario's player is ready before the engine has started: it
// shows the scenario's opening, runs the first step from it at once, and
// what needs the engine (another request's detail, the next step) waits
// for it. The engine then carries on from the first step. Each state shows
// what a page with its engine shows.
func TestPlayerOpeningBeforeTheEngine(t *testing.T) {
	slug := miapp.Slug(miapp.Library()[0])
	ctx := newBrowser(t)
	origin := serve(t, built(t))

	// What the player shows with its engine, once the engine's session
	// has caught up with the page.
	do(t, ctx, "loading the player", chromedp.Navigate(origin+"/play/"+slug))
	do(t, ctx, "waiting for the engine", chromedp.WaitVisible(chromedp.CSS(`.player[data-opening="false"]`)))
	want0 := playerView(t, ctx, 0)
	press(t, ctx, "n")
	want1 := playerView(t, ctx, 1)
	do(t, ctx, "choosing the first request", chromedp.Click(chromedp.CSS(`#panel-sequence .seq-msg[data-exchange="0"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#panel-sequence .seq-msg.is-selected[data-exchange="0"]`)))
	wantRoute := text(t, ctx, "#panel-exchange .exchange__route")
	press(t, ctx, "n")
	want2 := playerView(t, ctx, 2)

	// The same on another origin (a fresh cache and store), whose
	// engine.wasm waits until the test lets it go.
	base, release := holdFile(t, origin, "/engine.wasm")
	do(t, ctx, "loading the player, its engine held back", chromedp.Navigate(base+"/play/"+slug))
	if got := playerView(t, ctx, 0); got != want0 {
		t.Errorf("the opening shows\n%s\n\nthe engine shows\n%s", got, want0)
	}
	if got := eval[string](t, ctx, `document.querySelector(".player").dataset.opening`); got != "true" {
		t.Fatalf("data-opening = %q with the engine held back, want true", got)
	}
	press(t, ctx, "n")
	if got := playerView(t, ctx, 1); got != want1 {
		t.Errorf("the first step from the opening shows\n%s\n\nthe engine shows\n%s", got, want1)
	}
	// Another request's detail needs the engine: it waits for it.
	do(t, ctx, "choosing the first request", chromedp.Click(chromedp.CSS(`#panel-sequence .seq-msg[data-exchange="0"]`)))
	do(t, ctx, "giving the page time", chromedp.Sleep(300*time.Millisecond))
	if n := eval[int](t, ctx, `document.querySelectorAll('#panel-sequence .seq-msg.is-selected[data-exchange="0"]').length`); n != 0 {
		t.Errorf("the first request was selected without the engine")
	}
	release()
	do(t, ctx, "waiting for the first request", chromedp.WaitVisible(chromedp.CSS(`#panel-sequence .seq-msg.is-selected[data-exchange="0"]`)))
	if got := text(t, ctx, "#panel-exchange .exchange__route"); got != wantRoute {
		t.Errorf("the first request, once the engine came: %q, want %q", got, wantRoute)
	}
	do(t, ctx, "waiting for the engine to catch up", chromedp.WaitVisible(chromedp.CSS(`.player[data-opening="false"]`)))
	press(t, ctx, "n")
	if got := playerView(t, ctx, 2); got != want2 {
		t.Errorf("the second step, once the engine caught up, shows\n%s\n\nthe engine alone shows\n%s", got, want2)
	}

	// The next step needs the engine too: the player is busy, at step 1,
	// until it comes.
	base, release = holdFile(t, origin, "/engine.wasm")
	do(t, ctx, "loading the player, its engine held back", chromedp.Navigate(base+"/play/"+slug))
	waitPlayer(t, ctx, 0)
	press(t, ctx, "n")
	waitPlayer(t, ctx, 1)
	press(t, ctx, "n")
	state := `document.querySelector(".player").dataset.state + " " + document.querySelector(".player").dataset.next`
	do(t, ctx, "giving the page time", chromedp.Sleep(300*time.Millisecond))
	if got := eval[string](t, ctx, state); got != "busy 1" {
		t.Errorf("the second step without the engine: player %q, want busy at step 1", got)
	}
	if got := text(t, ctx, ".player__status"); got != "Running step 2…" {
		t.Errorf("the status while the second step waits for the engine = %q", got)
	}
	shot(t, ctx, "play-opening-waiting-light.png")
	release()
	if got := playerView(t, ctx, 2); got != want2 {
		t.Errorf("the second step, run once the engine came, shows\n%s\n\nthe engine alone shows\n%s", got, want2)
	}
	if got := eval[string](t, ctx, `document.querySelector(".player").dataset.opening`); got != "false" {
		t.Errorf("data-opening = %q once the engine has caught up, want false", got)
	}

	// The steps were saved: a reload comes back at step 2, from the
	// engine.
	do(t, ctx, "reloading", chromedp.Reload())
	do(t, ctx, "waiting for the engine", chromedp.WaitVisible(chromedp.CSS(`.player[data-opening="false"]`)))
	if got := playerView(t, ctx, 2); got != want2 {
		t.Errorf("after a reload the player shows\n%s\n\nwant\n%s", got, want2)
	}
}

// holdFile serves what origin serves, on an origin of its own (a fresh
// cache and store), except that a file whose path ends in suffix waits
// until release is called. release fails the test if that file was never
// asked for.
func holdFile(t *testing.T, origin, suffix string) (base string, release func()) {
	t.Helper()
	let := make(chan struct{})
	var held atomic.Int32
	base = proxy(t, origin, func(w http.ResponseWriter, r *http.Request) bool {
		if strings.HasSuffix(r.URL.Path, suffix) {
			held.Add(1)
			select {
			case <-let:
			case <-r.Context().Done():
			}
		}
		return false
	})
	var once sync.Once
	release = func() {
		once.Do(func() {
			if held.Load() == 0 {
				t.Errorf("%s was not requested through the proxy", suffix)
			}
			close(let)
		})
	}
	t.Cleanup(func() { once.Do(func() { close(let) }) })
	return base, release
}
