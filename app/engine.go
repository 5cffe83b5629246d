package app

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/miplay/miplay/app/wire"
)

// callEngine makes one call to the engine (package worker) and waits for
// its answer: in the browser a message to the engine's Web Worker, natively
// a call in the same process. It blocks, so pages call it off the UI
// goroutine, in ctx.Async, as they ran the engine before.
func callEngine[Resp, Req any](ctx context.Context, method string, req Req) (Resp, error) {
	return wire.Call[Resp](ctx, engineTransport(), method, req)
}

// A poster is a transport that can send a call at once and wait for its
// answer later: the engine's worker.
type poster interface {
	Post(method string, request []byte) (wait func(ctx context.Context) ([]byte, error))
}

// sendEngine sends a call to the engine now, from the calling goroutine,
// and returns a function that waits for its answer. In the browser the page
// has one thread, and a goroutine started from a go-app callback runs only
// once that callback returns: a page that wants the engine to work while
// go-app renders it (the player, from OnInit) sends the call first, this
// way, and waits for it afterwards, off the UI goroutine.
func sendEngine[Resp, Req any](method string, req Req) (wait func(ctx context.Context) (Resp, error)) {
	b, err := json.Marshal(req)
	if err != nil {
		return func(context.Context) (Resp, error) {
			var zero Resp
			return zero, fmt.Errorf("engine %s: encoding the request: %w", method, err)
		}
	}
	var post func(ctx context.Context) ([]byte, error)
	if p, ok := engineTransport().(poster); ok {
		post = p.Post(method, b)
	} else {
		done := make(chan struct{})
		var out []byte
		var callErr error
		go func() {
			defer close(done)
			out, callErr = engineTransport().Call(context.Background(), method, b)
		}()
		post = func(ctx context.Context) ([]byte, error) {
			select {
			case <-done:
				return out, callErr
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
	}
	return func(ctx context.Context) (Resp, error) {
		var resp Resp
		out, err := post(ctx)
		if err != nil {
			return resp, err
		}
		if err := json.Unmarshal(out, &resp); err != nil {
			return resp, fmt.Errorf("engine %s: decoding the response: %w", method, err)
		}
		return resp, nil
	}
}
