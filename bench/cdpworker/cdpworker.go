package cdpworker

import (
	"context"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
)

// Newest returns a chromedp context on the engine worker of the page in
// ctx, or nil if that page has none yet. A worker of an earlier page can
// still be listed, and may even answer (the back-forward cache keeps it,
// frozen, or it has not stopped yet); and a page creates its worker only
// when it first needs the engine. So the page's own is the one whose
// performance.timeOrigin (when the worker was created) is latest among
// those that answer within wait, and not earlier than the page's own.
// The contexts detach when ctx is cancelled, leaving the workers running.
func Newest(ctx context.Context, wait time.Duration) (context.Context, error) {
	pageOrigin, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`performance.timeOrigin`))
	if err != nil {
		return nil, err
	}
	targets, err := chromedp.Targets(ctx)
	if err != nil {
		return nil, err
	}
	type probe struct {
		ctx    context.Context
		origin float64
	}
	probes := make(chan probe, len(targets))
	asked := 0
	for _, ti := range targets {
		if ti.Type != "worker" || !strings.Contains(ti.URL, "/engine.js") {
			continue
		}
		// The first Run of a context attaches it, and must not have a
		// deadline of its own: the wait for a frozen worker is below.
		wctx, _ := chromedp.NewContext(ctx, chromedp.WithTargetID(ti.TargetID), chromedp.WithDetachOnCancel())
		asked++
		go func() {
			origin, err := chromedp.Run(wctx, chromedp.Evaluate[float64](`performance.timeOrigin`))
			if err == nil {
				probes <- probe{wctx, origin}
			}
		}()
	}
	var newest context.Context
	var newestOrigin float64
	timeout := time.After(wait)
	for range asked {
		select {
		case p := <-probes:
			if p.origin >= pageOrigin && p.origin > newestOrigin {
				newest, newestOrigin = p.ctx, p.origin
			}
		case <-timeout:
			return newest, nil
		}
	}
	return newest, nil
}
