package worker

import (
	"context"
	"net/url"
	"strings"

	"github.com/miplay/miplay/app/wire"
	"github.com/miplay/miplay/scenarios"
)

// A preopened player is one made for a page before the page asked: the
// engine's worker starts with the page, and its program is ready before
// the page's is, so it makes the world of the page's scenario meanwhile
// (parsing the file, starting the world, and the view models of its first
// state, which also has V8 compile that code before the page waits on it).
type preopened struct {
	slug string
	done chan struct{} // closed once s and state are set, or the open failed
	s    *playSession  // nil if the scenario could not start
	// state is the session's state at step 0, as play.open would answer.
	state wire.PlayState
}

// playPreopen opens, for no one yet, the player of the page at req.Path, if
// it is a player's page of a library scenario. The next play.open of that
// scenario takes it (takePreopened). Only the last one is kept.
func (h *Host) playPreopen(_ context.Context, req wire.PlayPreopenRequest) (struct{}, error) {
	slug, ok := playerSlug(req.Path)
	if !ok {
		return struct{}{}, nil
	}
	pre := &preopened{slug: slug, done: make(chan struct{})}
	h.mu.Lock()
	h.pre = pre
	h.mu.Unlock()
	defer close(pre.done)
	sc, err := playScenario(wire.PlayOpenRequest{Slug: slug})
	if err != nil {
		return struct{}{}, nil // the page's play.open says why
	}
	p, err := scenarios.NewPlayer(sc, playOptions)
	if err != nil {
		return struct{}{}, nil
	}
	s := &playSession{p: p}
	s.mu.Lock()
	pre.state = s.state(nil, true, "")
	s.mu.Unlock()
	pre.s = s
	return struct{}{}, nil
}

// takePreopened returns the player preopened for slug, once it is made,
// and forgets it: a session is one page's. It returns nil if there is none
// or ctx ends first.
func (h *Host) takePreopened(ctx context.Context, slug string) *preopened {
	h.mu.Lock()
	pre := h.pre
	if pre == nil || pre.slug != slug {
		h.mu.Unlock()
		return nil
	}
	h.pre = nil
	h.mu.Unlock()
	select {
	case <-pre.done:
	case <-ctx.Done():
		return nil
	}
	if pre.s == nil {
		return nil
	}
	return pre
}

// playerSlug returns the scenario of a player's page path: the last
// segment after "play" or "embed", whatever prefix a static build serves
// the app under.
func playerSlug(path string) (string, bool) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	if len(segs) < 2 {
		return "", false
	}
	if kind := segs[len(segs)-2]; kind != "play" && kind != "embed" {
		return "", false
	}
	slug, err := url.PathUnescape(segs[len(segs)-1])
	if err != nil || slug == "" {
		return "", false
	}
	return slug, true
}
