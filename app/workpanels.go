package app

import (
	"context"
	"fmt"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/miplay/miplay/app/wire"
)

// worldPanels is what the sandbox and the exercise page show of their
// world, with the player's panel components: the clock, resources,
// principals and role assignments beside the terminal; the tokens, the
// request flow of the last command, one exchange and the decision behind
// it under it; and the event log. It is built from the updates of a
// workbench session (apply); a token or an exchange the learner picks asks
// the session for its detail.
type worldPanels struct {
	World  wire.WorldView
	Seq    wire.SequenceVM
	Events eventLines
	// LastFrom is the sequence number of the first event of the last
	// command, whose requests Seq draws.
	LastFrom int

	session      int // the workbench session the details come from
	selToken     string
	tokenDetail  *wire.TokenDetailVM
	selExchange  int
	raw          *wire.ExchangeResponse // the selected exchange's raw text, if Seq lacks it
	decision     *wire.DecisionVM
	decisionNote string
	asked        int // exchanges picked: an answer for an earlier one is dropped
}

// eventLine is one event of the log, as the page lists it.
type eventLine = wire.EventLine

// The event log lists the last events only: past maxEventLines, the
// oldest lines go in one go, down to keepEventLines, for the same reason
// as the terminal's scrollback (see maxScrollback).
const (
	maxEventLines  = wire.MaxEventLines
	keepEventLines = wire.KeepEventLines
)

// eventLines are the lines of the event log, built as events happen.
// Lines is only appended to, and a trim makes a new slice, so that the
// lines already rendered keep their props.
type eventLines struct {
	Lines []eventLine // the last events, oldest first
	Total int         // events in the world's log, listed or not
}

// add lists the events the engine sent.
func (l *eventLines) add(d wire.EventsDelta) {
	if d.Reset {
		l.Lines = nil
	}
	l.Lines = append(l.Lines, d.Lines...)
	l.Total = d.Total
	if n := len(l.Lines); n > maxEventLines {
		l.Lines = append([]eventLine(nil), l.Lines[n-keepEventLines:]...)
	}
}

// open starts the panels of another session: the event log starts again;
// the rest, and what is selected, change with the session's first update.
func (ps *worldPanels) open(session int) {
	ps.session, ps.Events = session, eventLines{}
}

// apply shows an update of the session. The lists of the world that did
// not change stay the same slices, so that go-app, comparing a panel's
// props with the last ones, finds them equal at once and leaves the panel
// alone. The update brings the token and the decision to show (see
// wire.WorkbenchSelection): the newest token, or the one selected, and
// the last exchange that RBAC checked, or the last one.
func (ps *worldPanels) apply(u *wire.WorkbenchUpdate) {
	ps.asked++ // an exchange picked before is another command's
	ps.World.Apply(u.World)
	ps.Seq, ps.LastFrom = u.Seq, u.LastFrom
	ps.Events.add(u.Events)
	if !u.TokenKept {
		ps.selToken, ps.tokenDetail = u.Token, u.TokenDetail
	}
	ps.setExchange(u.Exchange, u.Decision)
}

// selection is what the panels show, for the next call to the session.
func (ps *worldPanels) selection() wire.WorkbenchSelection {
	return wire.WorkbenchSelection{Token: ps.selToken, Detail: ps.tokenDetail != nil, Tokens: len(ps.World.Tokens), Now: ps.World.Clock.Now}
}

// showToken selects a token and asks the session for its detail; the
// detail shown until it comes is the last one.
func (ps *worldPanels) showToken(ctx app.Context, id string) {
	if id == ps.selToken && ps.tokenDetail != nil {
		return
	}
	ps.selToken = id
	session := ps.session
	if id == "" || session == 0 {
		ps.tokenDetail = nil
		return
	}
	ctx.Async(func() {
		resp, err := callEngine[wire.TokenResponse](context.Background(), wire.MethodToken, wire.TokenRequest{Session: session, ID: id})
		ctx.Dispatch(func(ctx app.Context) {
			if ps.session != session || ps.selToken != id {
				return // another token, or another world, since
			}
			ps.tokenDetail = nil
			if err == nil && resp.Found {
				ps.tokenDetail = &resp.Detail
			}
		})
	})
}

// selectExchange selects an exchange of the diagram once the session has
// sent its raw text (an update carries the selected exchange's only) and
// the decision behind it.
func (ps *worldPanels) selectExchange(ctx app.Context, i int) {
	ps.asked++
	if i < 0 || i >= len(ps.Seq.Exchanges) || ps.session == 0 {
		ps.setExchange(-1, nil)
		return
	}
	x, session, asked := ps.Seq.Exchanges[i], ps.session, ps.asked
	ctx.Async(func() {
		resp, err := callEngine[wire.ExchangeResponse](context.Background(), wire.MethodExchange,
			wire.ExchangeRequest{Session: session, Seq: x.Seq, DecisionSeq: x.DecisionSeq})
		ctx.Dispatch(func(ctx app.Context) {
			if ps.session != session || ps.asked != asked {
				return // another exchange, or another world, since
			}
			if err != nil || !resp.Found {
				resp = wire.ExchangeResponse{}
			}
			ps.setExchange(i, resp.Decision)
			ps.raw = &resp
		})
	})
}

// setExchange shows exchange i of the diagram (-1 for none) and the
// decision behind it, or why there is none.
func (ps *worldPanels) setExchange(i int, d *wire.DecisionVM) {
	ps.selExchange, ps.decision, ps.decisionNote, ps.raw = i, d, "", nil
	if i < 0 || i >= len(ps.Seq.Exchanges) {
		ps.selExchange = -1
		return
	}
	x := ps.Seq.Exchanges[i]
	if x.DecisionSeq < 0 {
		ps.decisionNote = "No Azure RBAC check behind this request"
		if x.Decision != "" {
			ps.decisionNote += ": " + x.Decision
		} else {
			ps.decisionNote += "."
		}
	}
}

func (ps *worldPanels) selectedExchange() *wire.ExchangeVM {
	if ps.selExchange < 0 || ps.selExchange >= len(ps.Seq.Exchanges) {
		return nil
	}
	x := ps.Seq.Exchanges[ps.selExchange]
	if ps.raw != nil {
		x.Request, x.Response = ps.raw.Request, ps.raw.Response
	}
	return &x
}

// side renders the panels beside the terminal.
func (ps *worldPanels) side() app.UI {
	return app.Elem("aside").Class("player__side").Aria("label", "The simulated world").Body(
		&clockPanel{VM: ps.World.Clock},
		&resourcesPanel{VM: ps.World.Resources},
		&principalsPanel{VM: ps.World.Principals},
		&assignmentsPanel{VM: ps.World.Assignments},
	)
}

// flow renders the panels under the terminal: tokens, the last command's
// requests, the selected exchange and its decision, and the event log.
func (ps *worldPanels) flow() app.UI {
	return app.Elem("div").Class("player__flow").Body(
		&tokensPanel{
			VM: ps.World.Tokens, Selected: ps.selToken, Detail: ps.tokenDetail,
			OnSelect: func(ctx app.Context, id string) { ps.showToken(ctx, id) },
		},
		&sequencePanel{
			VM: ps.Seq, Title: "Request flow of the last command", Selected: ps.selExchange,
			OnSelect: func(ctx app.Context, i int) { ps.selectExchange(ctx, i) },
		},
		app.Elem("div").Class("player__detail").Body(
			&exchangePanel{
				VM: ps.selectedExchange(), Number: ps.selExchange + 1,
				OnShowToken: func(ctx app.Context, id string) {
					ps.showToken(ctx, id)
					ctx.Defer(func(app.Context) { app.Window().ScrollToID("panel-tokens") })
				},
			},
			&decisionPanel{VM: ps.decision, Note: ps.decisionNote, Session: ps.session},
		),
		&eventLog{Log: ps.Events},
	)
}

// eventLogID is the id of the event log's list, which scrolls.
const eventLogID = "event-log"

// eventLog lists the world's last events, one summary line each. Each line
// is a component: once rendered, its props stay the same, so a new event
// renders one line, not the whole log.
type eventLog struct {
	app.Compo
	Log eventLines
}

func (l *eventLog) Render() app.UI {
	lines := l.Log.Lines
	if len(lines) == 0 {
		return panelFrame("panel-events", "Event log", 0, empty("Nothing has happened yet."))
	}
	return panelFrame("panel-events", "Event log", l.Log.Total,
		app.If(len(lines) < l.Log.Total, func() app.UI {
			return app.Elem("p").Class("panel__note").Text(fmt.Sprintf("Only the last %d are listed.", len(lines)))
		}),
		app.Elem("ol").ID(eventLogID).Class("events").TabIndex(0).Aria("label", "Events, oldest first").Body(
			app.Range(lines).Slice(func(i int) app.UI { return &eventRow{Line: lines[i]} }),
		),
	)
}

// OnUpdate scrolls to the last event once the new ones are on the page.
func (l *eventLog) OnUpdate(ctx app.Context) { scrollToEnd(ctx, eventLogID) }

func (l *eventLog) OnMount(ctx app.Context) { scrollToEnd(ctx, eventLogID) }

// eventRow is one line of the event log.
type eventRow struct {
	app.Compo
	Line eventLine
}

func (r *eventRow) Render() app.UI {
	e := r.Line
	return app.Elem("li").Class("events__item").DataSet("seq", e.Seq).Body(
		app.Elem("span").Class("events__seq").Text("#"+itoa(e.Seq)),
		app.Elem("span").Class("events__at").Text(e.At),
		app.Elem("span").Class("events__text").Text(e.Summary),
	)
}
