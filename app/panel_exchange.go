package app

import (
	"fmt"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/miplay/miplay/app/wire"
)

// exchangePanel shows one HTTP exchange of the diagram: the raw request
// and response, and the one-sentence decision the service recorded.
type exchangePanel struct {
	app.Compo
	VM          *wire.ExchangeVM
	Number      int // 1-based, as in the diagram's labels
	OnShowToken func(ctx app.Context, id string)
}

func (p *exchangePanel) Render() app.UI {
	if p.VM == nil {
		return panelFrame("panel-exchange", "Request and response", -1, empty("Select an arrow of the diagram."))
	}
	x := *p.VM
	statusCls := "status status--ok"
	if x.Status >= 400 {
		statusCls = "status status--failed"
	}
	return panelFrame("panel-exchange", fmt.Sprintf("Request %d", p.Number), -1,
		app.Elem("p").Class("exchange__line").Body(
			app.Elem("span").Class("exchange__route").Text(wire.CallerLabel(x.Caller)+" → "+x.Service),
			app.Elem("code").Class("exchange__url").Text(x.Method+" "+x.URL),
			app.Elem("span").Class(statusCls).Text(wire.StatusLabel(x.Status)),
		),
		app.If(x.Decision != "", func() app.UI {
			return app.Elem("p").Class("exchange__decision").Text(x.Decision)
		}),
		app.If(x.TokenID != "" && p.OnShowToken != nil, func() app.UI {
			return app.Elem("p").Body(
				app.Elem("button").Attr("type", "button").Class("button button--small").
					OnClick(func(ctx app.Context, e app.Event) { p.OnShowToken(ctx, x.TokenID) }, app.EventScope(x.TokenID)).
					Text("Show the token of this request"),
			)
		}),
		app.Elem("div").Class("exchange__raw").Body(
			app.Elem("div").Body(
				app.Elem("h3").Text("Request"),
				app.Elem("pre").Class("raw__text").Text(x.Request),
			),
			app.Elem("div").Body(
				app.Elem("h3").Text("Response"),
				app.Elem("pre").Class("raw__text").Text(x.Response),
			),
		),
	)
}
