package app

import (
	"fmt"
	"sync"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// board holds the messages the app shows in its notice area: what the store
// reported, and errors that did not stop the app. Components that show it
// subscribe while mounted.
var board struct {
	sync.Mutex
	items []string
	subs  map[*noticeArea]app.Context
}

func report(msg string) {
	board.Lock()
	for _, m := range board.items {
		if m == msg {
			board.Unlock()
			return
		}
	}
	board.items = append(board.items, msg)
	subs := make([]app.Context, 0, len(board.subs))
	for _, ctx := range board.subs {
		subs = append(subs, ctx)
	}
	board.Unlock()
	for _, ctx := range subs {
		ctx.Dispatch(func(app.Context) {})
	}
}

func reportError(what string, err error) {
	report(fmt.Sprintf("%s: %v", what, err))
}

func notices() []string {
	board.Lock()
	defer board.Unlock()
	return append([]string(nil), board.items...)
}

func dismissNotice(i int) {
	board.Lock()
	defer board.Unlock()
	if i >= 0 && i < len(board.items) {
		board.items = append(board.items[:i], board.items[i+1:]...)
	}
}

// noticeArea shows the board as a polite live region.
type noticeArea struct {
	app.Compo
	shown int // how many notices the last render showed
}

func (n *noticeArea) OnMount(ctx app.Context) {
	board.Lock()
	if board.subs == nil {
		board.subs = map[*noticeArea]app.Context{}
	}
	board.subs[n] = ctx
	same := len(board.items) == n.shown
	board.Unlock()
	if same {
		// Rendering again would change nothing, here or in the page around.
		ctx.PreventUpdate()
	}
}

func (n *noticeArea) OnDismount() {
	board.Lock()
	delete(board.subs, n)
	board.Unlock()
}

func (n *noticeArea) Render() app.UI {
	items := notices()
	n.shown = len(items)
	return app.Elem("div").
		Class("notices").
		Role("status").
		Aria("live", "polite").
		Body(
			app.Range(items).Slice(func(i int) app.UI {
				return app.Elem("div").Class("notice").Body(
					app.Elem("p").Text(items[i]),
					app.Elem("button").
						Attr("type", "button").
						Class("notice__dismiss").
						Aria("label", "Dismiss this message").
						OnClick(func(ctx app.Context, e app.Event) { dismissNotice(i) }).
						Text("×"),
				)
			}),
		)
}

// OnAppUpdate tells the learner that a newer build has been downloaded.
func (n *noticeArea) OnAppUpdate(ctx app.Context) {
	if ctx.AppUpdateAvailable() {
		report("A new version of miplay is ready. Reload the page to use it.")
	}
}
