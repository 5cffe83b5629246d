package worker

import (
	"context"

	"github.com/miplay/miplay/app/wire"
	"github.com/miplay/miplay/engine"
)

// A worldSession is a session with a world that the panels show.
type worldSession interface {
	// do calls f with the session's world, under its cloud's lock; not
	// at all if the session has no world yet.
	do(f func(w *engine.World))
}

func (h *Host) token(_ context.Context, req wire.TokenRequest) (wire.TokenResponse, error) {
	s, err := session[worldSession](h, req.Session)
	if err != nil {
		return wire.TokenResponse{}, err
	}
	var resp wire.TokenResponse
	s.do(func(w *engine.World) { resp.Detail, resp.Found = BuildTokenDetail(w, req.ID) })
	return resp, nil
}

func (h *Host) decision(_ context.Context, req wire.DecisionRequest) (wire.DecisionResponse, error) {
	s, err := session[worldSession](h, req.Session)
	if err != nil {
		return wire.DecisionResponse{}, err
	}
	var resp wire.DecisionResponse
	s.do(func(w *engine.World) { resp.Decision, resp.Found = BuildDecision(w, req.Seq) })
	return resp, nil
}

func (h *Host) exchange(_ context.Context, req wire.ExchangeRequest) (wire.ExchangeResponse, error) {
	s, err := session[worldSession](h, req.Session)
	if err != nil {
		return wire.ExchangeResponse{}, err
	}
	var resp wire.ExchangeResponse
	s.do(func(w *engine.World) {
		if req.Seq < 0 {
			return
		}
		evs := w.Events(req.Seq)
		if len(evs) == 0 || evs[0].Meta().Seq != req.Seq {
			return
		}
		r, ok := evs[0].(*engine.RequestServed)
		if !ok {
			return
		}
		resp.Found, resp.Request, resp.Response = true, r.Exchange.Request, r.Exchange.Response
		if d, ok := BuildDecision(w, req.DecisionSeq); ok {
			d = foldDecision(d)
			resp.Decision = &d
		}
	})
	return resp, nil
}
