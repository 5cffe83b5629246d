//go:build js && wasm

package worker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"syscall/js"

	"github.com/miplay/miplay/app/wire"
)

// ServeJS answers the page's calls with h, in the Web Worker that runs the
// engine's program (cmd/engineworker), and never returns. The messages are
// those described in package wire (wire/worker.go): each call arrives as
// {id, method, request} and is answered with {id, response} or {id, error},
// the error a wire.Error as JSON; {id, cancel: true} cancels the context of
// call id.
//
// Each call runs on a goroutine of its own, never on the syscall/js
// callback that received it: the engine waits on the browser's promises
// (WebCrypto's signatures, see package webcrypto), which a callback must
// not do, and a long call must not hold up the others.
//
// The worker's script (web/engine.js) queues the messages that arrive
// while engine.wasm loads and hands them over through the function
// miplayEngineReady, which ServeJS calls with its handler; without that
// function, as in a worker started some other way, ServeJS listens to the
// worker's messages itself.
func ServeJS(h *Host) {
	s := &jsServer{host: h, calls: map[int]context.CancelFunc{}, post: js.Global().Get("postMessage")}
	handler := js.FuncOf(func(_ js.Value, args []js.Value) any {
		if len(args) > 0 {
			s.receive(args[0])
		}
		return nil
	})
	if ready := js.Global().Get("miplayEngineReady"); ready.Type() == js.TypeFunction {
		ready.Invoke(handler)
	} else {
		js.Global().Call("addEventListener", "message", js.FuncOf(func(_ js.Value, args []js.Value) any {
			s.receive(args[0].Get("data"))
			return nil
		}))
	}
	select {}
}

// jsServer is ServeJS's state: the calls under way, to cancel them.
type jsServer struct {
	host *Host
	post js.Value // the worker's postMessage

	mu    sync.Mutex
	calls map[int]context.CancelFunc
}

// receive takes one message from the page. It runs on a syscall/js
// callback, so it only starts the call.
func (s *jsServer) receive(msg js.Value) {
	if msg.Type() != js.TypeObject || msg.Get("id").Type() != js.TypeNumber {
		js.Global().Get("console").Call("error", "miplay engine: a message without a numeric id, ignored:", msg)
		return
	}
	id := msg.Get("id").Int()
	if msg.Get("cancel").Truthy() {
		s.mu.Lock()
		cancel := s.calls[id]
		s.mu.Unlock()
		if cancel != nil {
			cancel()
		}
		return
	}
	method, request := msg.Get("method"), msg.Get("request")
	if method.Type() != js.TypeString || request.Type() != js.TypeString {
		s.reply(id, nil, &wire.Error{Message: "the engine got a call without a method or a request (want {id, method, request}, the request a JSON string)"})
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.mu.Lock()
	s.calls[id] = cancel
	s.mu.Unlock()
	go func() {
		defer func() {
			s.mu.Lock()
			delete(s.calls, id)
			s.mu.Unlock()
			cancel()
		}()
		resp, err := s.call(ctx, method.String(), []byte(request.String()))
		s.reply(id, resp, err)
	}()
}

// call runs one call on h. A panic fails that call, not the engine: the
// console gets the stack, the page an error that names the method.
func (s *jsServer) call(ctx context.Context, method string, request []byte) (resp []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			js.Global().Get("console").Call("error", fmt.Sprintf("miplay engine: %s panicked: %v\n%s", method, p, debug.Stack()))
			resp, err = nil, &wire.Error{Message: fmt.Sprintf("engine %s: internal error: %v", method, p)}
		}
	}()
	return s.host.Call(ctx, method, request)
}

// reply posts the answer to call id.
func (s *jsServer) reply(id int, resp []byte, err error) {
	msg := map[string]any{"id": id}
	if err != nil {
		var we *wire.Error
		if !errors.As(err, &we) {
			we = &wire.Error{Message: err.Error()}
		}
		b, jerr := json.Marshal(we)
		if jerr != nil {
			b, _ = json.Marshal(&wire.Error{Message: we.Message})
		}
		msg["error"] = string(b)
	} else {
		msg["response"] = string(resp)
	}
	s.post.Invoke(msg)
}
