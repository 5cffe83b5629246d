package app

import (
	"fmt"
	"reflect"

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
	Events eventLines
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

// The event log lists the last events only: past maxEventLines, the
// oldest lines go in one go, down to keepEventLines, for the same reason
// as the terminal's scrollback (see maxScrollback).
const (
	maxEventLines  = 200
	keepEventLines = 100
)

// eventLines are the lines of the event log, built as events happen.
// Lines is only appended to, and a trim makes a new slice, so that the
// lines already rendered keep their props.
type eventLines struct {
	Lines []eventLine // the last events, oldest first
	Total int         // events in the world's log, listed or not
}

// sync lists the events of w not listed yet.
func (l *eventLines) sync(w *engine.World) {
	next := w.NextSeq()
	// Events that a trim would drop at once are not summarized at all.
	from := max(l.Total, next-keepEventLines)
	if from > l.Total {
		l.Lines = nil
	}
	for _, e := range w.Events(from) {
		m := e.Meta()
		l.Lines = append(l.Lines, eventLine{Seq: m.Seq, At: m.At.UTC().Format("15:04:05"), Summary: e.Summary()})
	}
	l.Total = next
	if n := len(l.Lines); n > maxEventLines {
		l.Lines = append([]eventLine(nil), l.Lines[n-keepEventLines:]...)
	}
}

// panelsBuilder builds the panels of one workbench's world, command after
// command. It keeps what it built: the event log only summarizes new
// events, and a list of the world's that did not change is the same slice
// as before, which go-app, comparing a panel's props with the last ones,
// finds equal at once, leaving the panel alone.
type panelsBuilder struct {
	world WorldView
	built bool
	log   eventLines
}

// snapshot builds the panels of b's world. mark is the sequence number of
// the first event of the last command (or commands), whose requests the
// diagram draws. The world then drops the raw exchanges and the
// considered assignments of older events (engine.World.Lighten): the
// panels have their summaries, and nothing will show the rest again.
func (pb *panelsBuilder) snapshot(b *workbench, mark int) worldPanels {
	ps := worldPanels{LastFrom: mark, selExchange: -1, cloud: b.cloud()}
	b.Do(func(w *engine.World) {
		if !pb.built || changes(w.Events(pb.log.Total)) {
			v := BuildWorldView(w)
			v.Resources = sameOr(pb.world.Resources, v.Resources)
			v.Principals = sameOr(pb.world.Principals, v.Principals)
			v.Assignments = sameOr(pb.world.Assignments, v.Assignments)
			v.Tokens = sameOr(pb.world.Tokens, v.Tokens)
			pb.world, pb.built = v, true
		}
		ps.World = pb.world
		ps.Seq = BuildSequence(w.Events(mark))
		pb.log.sync(w)
		ps.Events = pb.log
		w.Lighten(ps.oldestShown())
	})
	return ps
}

// changes reports whether events change what WorldView shows. The engine
// records every change of the world as an event, so a command whose
// events only read it (requests served, access checked, tokens from a
// cache) leaves the view as it was; building it again would cost as much
// as the world is big.
func changes(events []engine.Event) bool {
	for _, e := range events {
		switch e.(type) {
		case *engine.RequestServed, *engine.AccessChecked, *engine.TokenServedFromCache:
		default:
			return true
		}
	}
	return false
}

// sameOr returns old if it holds the same as new, else new.
func sameOr[T any](old, new []T) []T {
	if len(old) == len(new) && reflect.DeepEqual(old, new) {
		return old
	}
	return new
}

// oldestShown is the sequence number of the oldest event the panels may
// read again from the world: the first event of the last command, or the
// access check behind one of the requests drawn, which a click on its
// arrow explains.
func (ps *worldPanels) oldestShown() int {
	n := ps.LastFrom
	for _, x := range ps.Seq.Exchanges {
		n = min(n, x.Seq)
		if x.DecisionSeq >= 0 {
			n = min(n, x.DecisionSeq)
		}
	}
	return n
}

// settle selects what a new state should show: the newest token, and the
// last exchange that RBAC checked (or the last one).
func (ps *worldPanels) settle(prev *worldPanels) {
	kept := prev != nil && ps.hasToken(prev.selToken) && len(ps.World.Tokens) == len(prev.World.Tokens)
	switch {
	case kept && prev.tokenDetail != nil && ps.World.Clock.Now.Equal(prev.World.Clock.Now):
		// The same token at the same time: decoded, and its signature
		// checked, already.
		ps.selToken, ps.tokenDetail = prev.selToken, prev.tokenDetail
	case kept:
		ps.showToken(prev.selToken)
	case len(ps.World.Tokens) > 0:
		ps.showToken(ps.World.Tokens[len(ps.World.Tokens)-1].ID)
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
			return app.P().Class("panel__note").Text(fmt.Sprintf("Only the last %d are listed.", len(lines)))
		}),
		app.Ol().ID(eventLogID).Class("events").TabIndex(0).Aria("label", "Events, oldest first").Body(
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
	return app.Li().Class("events__item").DataSet("seq", e.Seq).Body(
		app.Span().Class("events__seq").Text("#"+itoa(e.Seq)),
		app.Span().Class("events__at").Text(e.At),
		app.Span().Class("events__text").Text(e.Summary),
	)
}
