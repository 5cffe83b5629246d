package app

import (
	"context"

	"github.com/miplay/miplay/app/wire"
)

// callEngine makes one call to the engine (package worker) and waits for
// its answer: in the browser a message to the engine's Web Worker, natively
// a call in the same process. It blocks, so pages call it off the UI
// goroutine, in ctx.Async, as they ran the engine before.
func callEngine[Resp, Req any](ctx context.Context, method string, req Req) (Resp, error) {
	return wire.Call[Resp](ctx, engineTransport(), method, req)
}
