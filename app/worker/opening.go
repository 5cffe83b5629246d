package worker

import (
	"context"

	"github.com/miplay/miplay/app/wire"
)

// Opening returns how the scenario of the library named slug starts in the
// player (wire.PlayOpening): what play.open answers at step 0, and what
// play.step answers next for a page that holds that state. It runs the
// very methods the page calls, on a session of its own, which it closes.
func (h *Host) Opening(ctx context.Context, slug string) (wire.PlayOpening, error) {
	open, err := h.playOpen(ctx, wire.PlayOpenRequest{Slug: slug})
	if err != nil {
		return wire.PlayOpening{}, err
	}
	defer h.closeSession(open.Session)
	first, err := h.playStep(ctx, wire.PlayRequest{
		Session:  open.Session,
		Selected: open.State.Token,
		Terminal: len(open.State.Term),
	})
	if err != nil {
		return wire.PlayOpening{}, err
	}
	return wire.PlayOpening{Open: open.State, First: first}, nil
}
