package app

import (
	"context"
	"errors"
	"sync"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/miplay/miplay/app/wire"
)

// A library scenario starts in the player from its opening
// (wire.PlayOpening), which the page's library carries: the player is
// ready when the page first renders, and runs the first step at once,
// while the engine's worker is still starting: it starts once the page
// is idle, and serves some 500-600 ms after the navigation on a warm load
// (make bench). When the engine has opened the
// player's session, the session catches up with the page: it runs the
// first step too, if the page ran it from the opening. Everything else
// (another step, a token's detail, a request's) waits for the session,
// through the player's sessionLink.
//
// The page shows what the engine would have answered, byte for byte:
// TestLibraryFiles holds the openings to the engine's answers, and the
// engine replays identically.

// A sessionLink is the player's engine session as its operations reach
// it: open, or still on its way. An operation started before it opens
// waits for it, off the UI goroutine.
type sessionLink struct {
	ready chan struct{} // closed once, when id or err is set
	once  sync.Once
	id    int
	err   error
}

func newSessionLink() *sessionLink { return &sessionLink{ready: make(chan struct{})} }

// open hands the session to the operations waiting for it, and to later
// ones. Only the first of open and fail counts.
func (l *sessionLink) open(id int) {
	l.once.Do(func() { l.id = id; close(l.ready) })
}

// fail ends the wait of every operation with err.
func (l *sessionLink) fail(err error) {
	l.once.Do(func() { l.err = err; close(l.ready) })
}

// wait returns the session once it is open.
func (l *sessionLink) wait(ctx context.Context) (int, error) {
	select {
	case <-l.ready:
		return l.id, l.err
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// errPageMoved ends the operations waiting for a session that no page
// shows any more.
var errPageMoved = errors.New("the page has gone, or shows another scenario")

// showOpening shows the scenario's opening, if the library has one and the
// learner starts at the beginning (step is the mirrored step).
func (pl *player) showOpening(step int) {
	if pl.sc == nil || step != 0 {
		return
	}
	o := libraryOpening(pl.slug)
	if o == nil || o.Open.Total != len(pl.sc.Steps) {
		return
	}
	pl.opening, pl.openingSteps = o, 0
	pl.show(o.Open)
}

// runOpeningStep runs the first step from the opening, when the engine's
// session has not caught up and the page still shows the opening as it
// came; it reports whether it did.
func (pl *player) runOpeningStep(ctx app.Context) bool {
	o := pl.opening
	if o == nil || pl.session != 0 || pl.busy || pl.openingSteps != 0 || pl.selToken != o.Open.Token {
		return false
	}
	st := o.First
	pl.moved, pl.openingSteps = true, 1
	st.Term = append(pl.st.Term[:st.TermFrom:st.TermFrom], st.Term...)
	pl.apply(ctx, st)
	// Mirrored at once: the save waits for IndexedDB, which on a first
	// visit takes a while to open, and a page that goes first would lose
	// the step (see start).
	slug := pl.slug
	mirrorStep(slug, st.Next)
	ctx.Async(func() { saveStep(slug, st.Next) })
	return true
}

// catchUp brings the engine's new session to where the page stands, the
// opening or its first step, then hands it to the operations. The state it
// answers is the one the page shows, so the page keeps its own, and the
// selection the learner made meanwhile.
func (pl *player) catchUp(ctx app.Context, session int) {
	steps, gen, link := pl.openingSteps, pl.gen, pl.link
	if steps == 0 {
		pl.session, pl.opening = session, nil
		link.open(session)
		return
	}
	ctx.Async(func() {
		_, err := callEngine[wire.PlayState](ctx, wire.MethodPlayGoto, wire.PlayGotoRequest{Session: session, Step: steps, Terminal: steps})
		ctx.Dispatch(func(ctx app.Context) {
			if gen != pl.gen {
				link.fail(errPageMoved)
				return
			}
			if err != nil {
				link.fail(err)
				pl.opening, pl.busy, pl.status = nil, false, ""
				pl.problem = "The scenario could not start: " + err.Error()
				return
			}
			pl.session, pl.opening = session, nil
			link.open(session)
		})
	})
}
