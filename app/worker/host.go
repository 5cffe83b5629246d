package worker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/miplay/miplay/app/wire"
	"github.com/miplay/miplay/scenarios"
)

// A Host is the engine side of the app: it answers the calls of package
// wire, keeping the worlds the pages work on (a player's, a sandbox's, an
// exercise's) as sessions between calls. It is a wire.Transport, so that
// natively the UI calls it directly, in the same process; in the browser
// ServeJS hands it the messages of the UI's Web Worker.
//
// Calls may come at once: the Host's own state is under a lock, and each
// session has a lock of its own, so that one session's long replay does not
// hold up another's.
type Host struct {
	mu       sync.Mutex
	next     int // the last session ID handed out
	sessions map[int]any
}

// NewHost returns a Host with no session open.
func NewHost() *Host { return &Host{sessions: map[int]any{}} }

// A method answers one kind of call: it decodes the request, does the
// work and encodes the response.
type method func(ctx context.Context, h *Host, request []byte) (any, error)

// handle adapts a typed method.
func handle[Req, Resp any](f func(h *Host, ctx context.Context, req Req) (Resp, error)) method {
	return func(ctx context.Context, h *Host, b []byte) (any, error) {
		var req Req
		if err := json.Unmarshal(b, &req); err != nil {
			return nil, fmt.Errorf("decoding the request: %w", err)
		}
		return f(h, ctx, req)
	}
}

var (
	methodsOnce sync.Once
	methods     map[string]method
)

// Call runs method with the request and returns its response. It
// implements wire.Transport; every failure comes back as a *wire.Error,
// the value that crosses from the worker to the page.
func (h *Host) Call(ctx context.Context, name string, request []byte) ([]byte, error) {
	// The table is built on first use, not at start-up: see
	// engine/startup_test.go for why start-up does nothing.
	methodsOnce.Do(func() { methods = methodTable() })
	m, ok := methods[name]
	if !ok {
		return nil, &wire.Error{Message: fmt.Sprintf("the engine has no method %q", name)}
	}
	resp, err := m(ctx, h, request)
	if err != nil {
		return nil, wireError(name, err)
	}
	b, err := json.Marshal(resp)
	if err != nil {
		return nil, &wire.Error{Message: fmt.Sprintf("engine %s: encoding the response: %v", name, err)}
	}
	return b, nil
}

// wireError turns an error of the engine into what crosses to the page,
// keeping the problems of a scenario file and the codes the pages test.
func wireError(name string, err error) *wire.Error {
	var we *wire.Error
	if errors.As(err, &we) {
		return we
	}
	out := &wire.Error{Message: err.Error()}
	var list scenarios.ErrorList
	if errors.As(err, &list) {
		out.Problems = FileErrors(list)
	}
	if errors.Is(err, scenarios.ErrNotExercise) {
		out.Code = wire.CodeNotExercise
	}
	return out
}

// open keeps a new session and returns its ID.
func (h *Host) open(s any) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.next++
	h.sessions[h.next] = s
	return h.next
}

// closeSession forgets a session. Closing one that is not open is not an
// error: a page closes its session when it goes, whatever came of it.
func (h *Host) closeSession(id int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.sessions, id)
}

// session returns the session with the given ID, if it is open and of type
// S.
func session[S any](h *Host, id int) (S, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	s, ok := h.sessions[id].(S)
	if !ok {
		var zero S
		return zero, &wire.Error{Message: fmt.Sprintf("no session %d: it was closed, or never opened", id), Code: wire.CodeNoSession}
	}
	return s, nil
}

// closeRequest closes a session of any kind.
func (h *Host) close(_ context.Context, req wire.CloseRequest) (struct{}, error) {
	h.closeSession(req.Session)
	return struct{}{}, nil
}
