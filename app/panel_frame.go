package app

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// panelFrame is the frame every panel of the player shares: a section
// labelled by its heading, with an optional count beside the title.
func panelFrame(id, title string, count int, body ...app.UI) app.UI {
	return app.Section().ID(id).Class("panel").Aria("labelledby", id+"-title").Body(
		app.H2().ID(id+"-title").Class("panel__title").Body(
			app.Text(title),
			app.If(count >= 0, func() app.UI {
				return app.Span().Class("panel__count").Aria("label", "("+itoa(count)+")").Text(itoa(count))
			}),
		),
		app.Div().Class("panel__body").Body(body...),
	)
}

// empty is a panel's text when it has nothing to show.
func empty(text string) app.UI {
	return app.P().Class("panel__empty").Text(text)
}

// id shows a GUID or resource ID in monospace; the full value is always in
// the page, so it can be selected and copied.
func id(v string) app.UI {
	return app.Code().Class("id").Text(v)
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
