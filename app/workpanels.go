package app

import (
	"fmt"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/miplay/miplay/engine"
	"github.com/miplay/miplay/engine/azure"
)

// worldPanels is what the sandbox and the exercise page show of their
// world, with the player's panel components: the clock, resources,
// principals and role assignments beside the terminal; the tokens, the
// request flow of the last command, one exchange and the decision behind
// it under it; and the event log.
type worldPanels struct {
	World  WorldView
	Seq    SequenceVM
	Events []eventLine // the log, newest last
	// LastFrom is the sequence number of the first event of the last
	// command, whose requests Seq draws.
	LastFrom int

	selToken     string
	tokenDetail  *TokenDetailVM
	selExchange  int
	decision     *DecisionVM
	decisionNote string
	cloud        *azure.Cloud
}

// eventLine is one event of the log, as the page lists it.
type eventLine struct {
	Seq     int
	At      string
	Summary string
}

// maxEventLines is how many of the last events the log shows.
const maxEventLines = 200

// snapshotPanels builds the panels' view models of b's world. mark is the
// length of the event log before the last command ran.
func snapshotPanels(b *workbench, mark int) worldPanels {
	ps := worldPanels{LastFrom: mark, selExchange: -1, cloud: b.cloud()}
	b.Do(func(w *engine.World) {
		ps.World = BuildWorldView(w)
		evs := w.Events(0)
		if mark <= len(evs) {
			ps.Seq = BuildSequence(evs[mark:])
		}
		if len(evs) > maxEventLines {
			evs = evs[len(evs)-maxEventLines:]
		}
		for _, e := range evs {
			m := e.Meta()
			ps.Events = append(ps.Events, eventLine{Seq: m.Seq, At: m.At.UTC().Format("15:04:05"), Summary: e.Summary()})
		}
	})
	return ps
}

// settle selects what a new state should show: the newest token, and the
// last exchange that RBAC checked (or the last one).
func (ps *worldPanels) settle(prev *worldPanels) {
	if prev != nil && ps.hasToken(prev.selToken) && len(ps.World.Tokens) == len(prev.World.Tokens) {
		ps.showToken(prev.selToken)
	} else if n := len(ps.World.Tokens); n > 0 {
		ps.showToken(ps.World.Tokens[n-1].ID)
	}
	sel := len(ps.Seq.Exchanges) - 1
	for i := len(ps.Seq.Exchanges) - 1; i >= 0; i-- {
		if ps.Seq.Exchanges[i].DecisionSeq >= 0 {
			sel = i
			break
		}
	}
	ps.selectExchange(sel)
}

func (ps *worldPanels) hasToken(id string) bool {
	for _, t := range ps.World.Tokens {
		if t.ID == id && id != "" {
			return true
		}
	}
	return false
}

func (ps *worldPanels) showToken(id string) {
	ps.selToken, ps.tokenDetail = id, nil
	if id == "" || ps.cloud == nil {
		return
	}
	ps.cloud.Do(func(w *engine.World) {
		if d, ok := BuildTokenDetail(w, id); ok {
			ps.tokenDetail = &d
		}
	})
}

func (ps *worldPanels) selectExchange(i int) {
	ps.selExchange, ps.decision, ps.decisionNote = i, nil, ""
	if i < 0 || i >= len(ps.Seq.Exchanges) || ps.cloud == nil {
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
		return
	}
	ps.cloud.Do(func(w *engine.World) {
		if d, ok := BuildDecision(w, x.DecisionSeq); ok {
			ps.decision = &d
		}
	})
}

func (ps *worldPanels) selectedExchange() *ExchangeVM {
	if ps.selExchange < 0 || ps.selExchange >= len(ps.Seq.Exchanges) {
		return nil
	}
	x := ps.Seq.Exchanges[ps.selExchange]
	return &x
}

// side renders the panels beside the terminal.
func (ps *worldPanels) side() app.UI {
	return app.Aside().Class("player__side").Aria("label", "The simulated world").Body(
		&clockPanel{VM: ps.World.Clock},
		&resourcesPanel{VM: ps.World.Resources},
		&principalsPanel{VM: ps.World.Principals},
		&assignmentsPanel{VM: ps.World.Assignments},
	)
}

// flow renders the panels under the terminal: tokens, the last command's
// requests, the selected exchange and its decision, and the event log.
func (ps *worldPanels) flow() app.UI {
	return app.Div().Class("player__flow").Body(
		&tokensPanel{
			VM: ps.World.Tokens, Selected: ps.selToken, Detail: ps.tokenDetail,
			OnSelect: func(ctx app.Context, id string) { ps.showToken(id) },
		},
		&sequencePanel{
			VM: ps.Seq, Title: "Request flow of the last command", Selected: ps.selExchange,
			OnSelect: func(ctx app.Context, i int) { ps.selectExchange(i) },
		},
		app.Div().Class("player__detail").Body(
			&exchangePanel{
				VM: ps.selectedExchange(), Number: ps.selExchange + 1,
				OnShowToken: func(ctx app.Context, id string) {
					ps.showToken(id)
					ctx.Defer(func(app.Context) { app.Window().ScrollToID("panel-tokens") })
				},
			},
			&decisionPanel{VM: ps.decision, Note: ps.decisionNote},
		),
		eventLog(ps.Events),
	)
}

// eventLogID is the id of the event log's list, which scrolls.
const eventLogID = "event-log"

// eventLog lists the world's events, one summary line each.
func eventLog(events []eventLine) app.UI {
	return panelFrame("panel-events", "Event log", len(events),
		app.If(len(events) == 0, func() app.UI { return empty("Nothing has happened yet.") }).
			Else(func() app.UI {
				return app.Ol().ID(eventLogID).Class("events").TabIndex(0).Aria("label", "Events, oldest first").Body(
					app.Range(events).Slice(func(i int) app.UI {
						e := events[i]
						return app.Li().Class("events__item").DataSet("seq", e.Seq).Body(
							app.Span().Class("events__seq").Text(fmt.Sprintf("#%d", e.Seq)),
							app.Span().Class("events__at").Text(e.At),
							app.Span().Class("events__text").Text(e.Summary),
						)
					}),
				)
			}),
	)
}
