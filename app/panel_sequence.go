package app

import (
	"fmt"
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/miplay/miplay/app/wire"
)

// sequencePanel draws the request flow of a step as a sequence diagram, in
// inline SVG: one lane per caller and service, one arrow per request and
// response. Every arrow is a button: choosing it shows that exchange's raw
// request and response, and the decision behind it.
type sequencePanel struct {
	app.Compo
	VM       wire.SequenceVM
	Title    string
	Empty    string // what to say when there is no request to draw
	Selected int    // index in VM.Exchanges, or -1
	OnSelect func(ctx app.Context, exchange int)
}

const svgNS = "http://www.w3.org/2000/svg"

func svg(tag string) app.HTMLElem { return app.Elem(tag).XMLNS(svgNS) }

// The diagram's geometry, in SVG user units (pixels at 100%).
const (
	seqLaneW  = 176
	seqMargin = 8
	seqTop    = 68 // the first arrow's y
	seqRowH   = 30
)

func seqX(lane int) int { return seqMargin + lane*seqLaneW + seqLaneW/2 }

func (p *sequencePanel) Render() app.UI {
	vm := p.VM
	if len(vm.Messages) == 0 {
		text := p.Empty
		if text == "" {
			text = "No HTTP requests yet. Requests to IMDS, Entra ID, ARM and the data planes show here as a sequence diagram."
		}
		return panelFrame("panel-sequence", p.Title, -1, empty(text))
	}
	width := 2*seqMargin + len(vm.Lanes)*seqLaneW
	height := seqTop + len(vm.Messages)*seqRowH
	return panelFrame("panel-sequence", p.Title, len(vm.Exchanges),
		app.If(vm.Omitted > 0, func() app.UI {
			return app.Elem("p").Class("panel__note").Text(fmt.Sprintf("The last %d requests; %d earlier ones of this step are left out.", len(vm.Exchanges), vm.Omitted))
		}),
		app.Elem("p").Class("panel__hint").Text("Select an arrow to see the request and the response."),
		app.Elem("div").Class("seq-scroll").Body(
			svg("svg").Class("seq").
				Attr("viewBox", fmt.Sprintf("0 0 %d %d", width, height)).
				Attr("width", width).Attr("height", height).
				Attr("role", "group").
				Aria("label", "Sequence diagram of the requests").
				Body(
					svg("defs").Body(
						arrowhead("seq-ah", "seq-head"),
						arrowhead("seq-ah-reply", "seq-head seq-head--reply"),
						arrowhead("seq-ah-failed", "seq-head seq-head--failed"),
						arrowhead("seq-ah-internal", "seq-head seq-head--internal"),
						arrowhead("seq-ah-selected", "seq-head seq-head--selected"),
					),
					app.Range(vm.Lanes).Slice(func(i int) app.UI { return p.lane(i, height) }),
					app.Range(vm.Messages).Slice(func(i int) app.UI { return p.message(i) }),
				),
		),
	)
}

func arrowhead(markerID, cls string) app.UI {
	return svg("marker").ID(markerID).
		Attr("viewBox", "0 0 10 10").Attr("refX", 9).Attr("refY", 5).
		Attr("markerUnits", "userSpaceOnUse").
		Attr("markerWidth", 9).Attr("markerHeight", 9).Attr("orient", "auto-start-reverse").
		Body(svg("path").Class(cls).Attr("d", "M0,0 L10,5 L0,10 z"))
}

func (p *sequencePanel) lane(i, height int) app.UI {
	l := p.VM.Lanes[i]
	x := seqX(i)
	return svg("g").Class("seq-lane seq-lane--"+l.Kind).DataSet("lane", l.Key).Body(
		svg("line").Class("seq-lifeline").
			Attr("x1", x).Attr("y1", 44).Attr("x2", x).Attr("y2", height-4),
		svg("rect").Class("seq-lane__box").
			Attr("x", x-seqLaneW/2+8).Attr("y", 8).Attr("width", seqLaneW-16).Attr("height", 36).Attr("rx", 8),
		svg("text").Class("seq-lane__label").
			Attr("x", x).Attr("y", 31).Attr("text-anchor", "middle").Text(l.Label),
	)
}

func (p *sequencePanel) message(i int) app.UI {
	m := p.VM.Messages[i]
	ex := p.VM.Exchanges[m.Exchange]
	y := seqTop + i*seqRowH
	x1, x2 := seqX(m.From), seqX(m.To)
	lo, hi := min(x1, x2), max(x1, x2)
	cls, head := "seq-msg", "seq-ah"
	switch {
	case m.Internal:
		cls, head = cls+" seq-msg--internal", "seq-ah-internal"
	case m.Failed:
		cls, head = cls+" seq-msg--failed", "seq-ah-failed"
	case m.Reply:
		cls, head = cls+" seq-msg--reply", "seq-ah-reply"
	}
	if m.Reply {
		cls += " is-reply"
	}
	selected := m.Exchange == p.Selected
	if selected {
		cls += " is-selected"
		head = "seq-ah-selected"
	}
	from, to := p.VM.Lanes[m.From].Label, p.VM.Lanes[m.To].Label
	label := fmt.Sprintf("%s, from %s to %s (request %d: %s %s, %d)", m.Label, from, to, m.Exchange+1, ex.Method, ex.URL, ex.Status)
	selectIt := func(ctx app.Context) {
		if p.OnSelect != nil {
			p.OnSelect(ctx, m.Exchange)
		}
	}
	// The label sits over the arrow, starting near its tail.
	tx, anchor := lo+10, "start"
	if x1 > x2 {
		tx, anchor = hi-10, "end"
	}
	return svg("g").Class(cls).
		Attr("role", "button").Attr("tabindex", 0).
		Aria("label", label).Aria("pressed", selected).
		DataSet("exchange", strconv.Itoa(m.Exchange)).
		OnClick(func(ctx app.Context, e app.Event) { selectIt(ctx) }, app.EventScope(ex.Seq, m.Exchange)).
		OnKeyDown(func(ctx app.Context, e app.Event) {
			if k := e.Get("key").String(); k == "Enter" || k == " " {
				e.PreventDefault()
				selectIt(ctx)
			}
		}, app.EventScope(ex.Seq, m.Exchange)).
		Body(
			svg("title").Text(label),
			svg("rect").Class("seq-msg__hit").
				Attr("x", lo).Attr("y", y-20).Attr("width", hi-lo).Attr("height", 26),
			svg("line").Class("seq-msg__line").
				Attr("x1", x1).Attr("y1", y).Attr("x2", x2).Attr("y2", y).
				Attr("marker-end", "url(#"+head+")"),
			svg("text").Class("seq-msg__label").
				Attr("x", tx).Attr("y", y-6).Attr("text-anchor", anchor).Text(m.Label),
		)
}
