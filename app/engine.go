package app

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

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

// A sessionOwner holds the engine session (a player's, a workbench's) that
// one start of a page opens, so that the session is closed whatever comes
// first: the engine's answer, or the page going (OnDismount) or starting
// another world. Dispatch does nothing once the page has gone, so the page
// cannot wait for it to hand the session over.
type sessionOwner struct {
	mu      sync.Mutex
	dropped bool
	session int
}

// adopt takes the session the engine opened; it reports false, and closes
// the session, if the owner was dropped meanwhile.
func (o *sessionOwner) adopt(session int) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.dropped {
		closeSession(session)
		return false
	}
	o.session = session
	return true
}

// drop closes the session, now or when it comes. A nil owner has none.
func (o *sessionOwner) drop() {
	if o == nil {
		return
	}
	o.mu.Lock()
	session := o.session
	o.dropped, o.session = true, 0
	o.mu.Unlock()
	closeSession(session)
}

// closeSession has the engine forget a session, if there is one, off the
// UI goroutine.
func closeSession(session int) {
	if session == 0 {
		return
	}
	go func() {
		if _, err := callEngine[struct{}](context.Background(), wire.MethodClose, wire.CloseRequest{Session: session}); err != nil && !wire.IsCode(err, wire.CodeNoEngine) {
			reportError("Could not close a world the page no longer shows", err)
		}
	}()
}
