//go:build wasm

package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"syscall/js"
	"time"

	"github.com/miplay/miplay/app/wire"
)

// In the browser the engine is a Web Worker: engine.wasm
// (cmd/engineworker), which a script in the page's <head> describes in
// window.miplayEngine and creates on first use (engine_start.go). engineTransport
// sends each call to it as a message and waits for the answer; the
// messages are described in package wire (wire/worker.go).

var (
	workerOnce sync.Once
	theWorker  *workerTransport
)

// engineForTests replaces the worker in the wasm tests of package app,
// which run on a bare page that starts no worker: engine_wasm_test.go sets
// it to a Host in the test's own process, so that only the test binary,
// never app.wasm, links the engine.
var engineForTests wire.Transport

// engineTransport is, in the browser, the engine's Web Worker.
func engineTransport() wire.Transport {
	if engineForTests != nil {
		return engineForTests
	}
	workerOnce.Do(func() { theWorker = attachWorker(js.Global().Get("miplayEngine")) })
	return theWorker
}

// workerTransport is a wire.Transport to the engine's worker. Calls wait
// on a channel, which their goroutine (a page's ctx.Async) can, while the
// browser's event loop delivers the answer to receive.
type workerTransport struct {
	worker js.Value

	mu      sync.Mutex
	next    int
	pending map[int]chan workerReply
	failure *wire.Error // once set, every call fails with it
}

type workerReply struct {
	response []byte
	err      error
}

// attachWorker takes over the worker described by engine
// (window.miplayEngine), which reading its worker property creates: its
// answers come to receive, and a failure, past or to come, to fail.
func attachWorker(engine js.Value) *workerTransport {
	t := &workerTransport{pending: map[int]chan workerReply{}}
	if engine.Type() != js.TypeObject || engine.Get("worker").Type() != js.TypeObject {
		reason := "the page did not start its worker"
		if engine.Type() == js.TypeObject && engine.Get("failure").Truthy() {
			reason = engine.Get("failure").String()
		}
		t.fail(reason)
		return t
	}
	t.worker = engine.Get("worker")
	t.worker.Call("addEventListener", "message", js.FuncOf(func(_ js.Value, args []js.Value) any {
		t.receive(args[0].Get("data"))
		return nil
	}))
	engine.Set("onfailure", js.FuncOf(func(_ js.Value, args []js.Value) any {
		t.fail(args[0].String())
		return nil
	}))
	if f := engine.Get("failure"); f.Truthy() {
		t.fail(f.String())
	}
	return t
}

// Call posts the call to the worker and waits for its answer, or for ctx:
// a call whose ctx is done returns ctx's error at once, and tells the
// worker, which cancels the call's own context; its answer, if one still
// comes, is dropped.
func (t *workerTransport) Call(ctx context.Context, method string, request []byte) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return t.Post(method, request)(ctx)
}

// Post posts the call to the worker now and returns a function that waits
// for its answer, as Call does.
func (t *workerTransport) Post(method string, request []byte) func(ctx context.Context) ([]byte, error) {
	ch := make(chan workerReply, 1)
	t.mu.Lock()
	if t.failure != nil {
		err := t.failure
		t.mu.Unlock()
		return func(context.Context) ([]byte, error) { return nil, err }
	}
	t.next++
	id := t.next
	t.pending[id] = ch
	t.mu.Unlock()

	t.worker.Call("postMessage", map[string]any{"id": id, "method": method, "request": string(request)})
	return func(ctx context.Context) ([]byte, error) {
		select {
		case r := <-ch:
			return r.response, r.err
		case <-ctx.Done():
			t.mu.Lock()
			_, waiting := t.pending[id]
			delete(t.pending, id)
			t.mu.Unlock()
			if waiting {
				t.worker.Call("postMessage", map[string]any{"id": id, "cancel": true})
			}
			return nil, fmt.Errorf("engine %s: %w", method, ctx.Err())
		}
	}
}

// receive takes one message of the worker: the answer to a call. It runs
// on a syscall/js callback, so it only hands the answer over.
func (t *workerTransport) receive(msg js.Value) {
	if msg.Type() != js.TypeObject || msg.Get("id").Type() != js.TypeNumber {
		return // {fatal}, which the <head> script hands to fail
	}
	id := msg.Get("id").Int()
	t.mu.Lock()
	ch := t.pending[id]
	delete(t.pending, id)
	t.mu.Unlock()
	if ch == nil {
		return // its caller stopped waiting
	}
	var r workerReply
	if e := msg.Get("error"); e.Type() == js.TypeString {
		we := new(wire.Error)
		if err := json.Unmarshal([]byte(e.String()), we); err != nil {
			we = &wire.Error{Message: fmt.Sprintf("the engine's error could not be read (%v): %s", err, e.String())}
		}
		r.err = we
	} else if resp := msg.Get("response"); resp.Type() == js.TypeString {
		r.response = []byte(resp.String())
	} else {
		r.err = &wire.Error{Message: "the engine answered with neither a response nor an error"}
	}
	ch <- r
}

// fail makes every call, pending or to come, fail: the engine could not
// start, or stopped.
func (t *workerTransport) fail(reason string) {
	err := &wire.Error{
		Message: fmt.Sprintf("the engine could not start: %s. Reload the page to try again.", reason),
		Code:    wire.CodeNoEngine,
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.failure != nil {
		return
	}
	t.failure = err
	js.Global().Get("console").Call("error", "miplay: "+err.Message)
	for id, ch := range t.pending {
		ch <- workerReply{err: err}
		delete(t.pending, id)
	}
}

// The engine's worker starts on the page's first call, or when the page
// says so (web/engine.js): each page says so once it has rendered and the
// browser is first idle, so that the engine's download, compilation and
// start-up do not take the cores the page itself starts on, and it is
// ready by the time the learner goes to a page that needs it.
var (
	idleOnce     sync.Once
	pageIdleDone = make(chan struct{})
	warmOnce     sync.Once
)

// pageIdle returns a channel closed once the browser has first been idle
// after the page started (requestIdleCallback, at most a second after it
// is first asked for).
func pageIdle() <-chan struct{} {
	idleOnce.Do(func() {
		var f js.Func
		f = js.FuncOf(func(js.Value, []js.Value) any {
			f.Release()
			close(pageIdleDone)
			return nil
		})
		if w := js.Global(); w.Get("requestIdleCallback").Truthy() {
			w.Call("requestIdleCallback", f, map[string]any{"timeout": 1000})
		} else {
			w.Call("setTimeout", f, 200) // Safari has no requestIdleCallback
		}
	})
	return pageIdleDone
}

// startEngineWhenIdle has the engine's worker start once the page is
// idle, if no call has started it before.
func startEngineWhenIdle() {
	warmOnce.Do(func() {
		wait := pageIdle()
		go func() {
			<-wait
			if t, ok := engineTransport().(*workerTransport); ok && t.worker.Truthy() {
				t.worker.Call("postMessage", map[string]any{"start": true})
			}
		}()
	})
}

// init gives browser automation, and only it (navigator.webdriver is
// true: chromedp, Playwright, Selenium), a way to call the engine through
// the page's own transport, as a page does:
//
//	miplayEngineCall(method, requestJSON[, timeoutMillis]) → Promise
//
// The promise resolves with the response's JSON, or rejects with the
// wire.Error's JSON (a cancelled call: {"Message": "engine ping: context
// deadline exceeded"}). The end-to-end tests (e2e/engine_test.go) call
// wire.MethodPing with it.
func init() {
	nav := js.Global().Get("navigator")
	if nav.Type() != js.TypeObject || !nav.Get("webdriver").Truthy() {
		return
	}
	js.Global().Set("miplayEngineCall", js.FuncOf(func(_ js.Value, args []js.Value) any {
		arg := func(i int) js.Value {
			if i < len(args) {
				return args[i]
			}
			return js.Undefined()
		}
		method, request, timeout := arg(0).String(), arg(1).String(), arg(2)
		// The executor runs within Promise's constructor: it can go then.
		executor := js.FuncOf(func(_ js.Value, pargs []js.Value) any {
			resolve, reject := pargs[0], pargs[1]
			go func() {
				ctx := context.Background()
				if timeout.Type() == js.TypeNumber {
					var cancel context.CancelFunc
					ctx, cancel = context.WithTimeout(ctx, time.Duration(timeout.Float()*float64(time.Millisecond)))
					defer cancel()
				}
				resp, err := engineTransport().Call(ctx, method, []byte(request))
				if err != nil {
					var we *wire.Error
					if !errors.As(err, &we) {
						we = &wire.Error{Message: err.Error()}
					}
					b, _ := json.Marshal(we)
					reject.Invoke(string(b))
					return
				}
				resolve.Invoke(string(resp))
			}()
			return nil
		})
		defer executor.Release()
		return js.Global().Get("Promise").New(executor)
	}))
}
