package app

import (
	"fmt"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// panelFrame is the frame every panel of the player shares: a section
// labelled by its heading, with an optional count beside the title.
func panelFrame(id, title string, count int, body ...app.UI) app.UI {
	return app.Elem("section").ID(id).Class("panel").Aria("labelledby", id+"-title").Body(
		app.Elem("h2").ID(id+"-title").Class("panel__title").Body(
			app.Text(title),
			app.If(count >= 0, func() app.UI {
				return app.Elem("span").Class("panel__count").Aria("label", "("+itoa(count)+")").Text(itoa(count))
			}),
		),
		app.Elem("div").Class("panel__body").Body(body...),
	)
}

// The lists beside the terminal show their last items: past maxListed, the
// older ones fold behind a button, so that a world of a hundred resources
// does not keep thousands of elements on the page, and the items rendered
// at each change stay few. The items shown start at a multiple of
// listStep, so that a new item is added at the end and the window moves
// by listStep items at a time: go-app matches children by position, and a
// window sliding by one would change every item's props.
const (
	listStep  = 15
	maxListed = 2 * listStep
)

// listedFrom is the index of the first item shown of a list of n, folded.
func listedFrom(n int) int {
	if n <= maxListed {
		return 0
	}
	return (n - listStep) / listStep * listStep
}

// listFold is the line above a long list: how many items show, and a
// button that shows them all, or folds them again. It is nil for a list
// short enough to show whole.
func listFold(n, from int, all bool, what string, toggle func()) app.UI {
	if n <= maxListed {
		return nil
	}
	text, button := fmt.Sprintf("The last %d of %d %s.", n-from, n, what), fmt.Sprintf("Show all %d", n)
	if all {
		text, button = fmt.Sprintf("All %d %s.", n, what), "Show the last ones only"
	}
	return app.Elem("p").Class("panel__note").Body(
		app.Text(text+" "),
		app.Elem("button").Attr("type", "button").Class("button button--small list-fold").
			Aria("expanded", all).
			OnClick(func(ctx app.Context, e app.Event) { toggle() }).
			Text(button),
	)
}

// empty is a panel's text when it has nothing to show.
func empty(text string) app.UI {
	return app.Elem("p").Class("panel__empty").Text(text)
}

// id shows a GUID or resource ID in monospace; the full value is always in
// the page, so it can be selected and copied.
func id(v string) app.UI {
	return app.Elem("code").Class("id").Text(v)
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
