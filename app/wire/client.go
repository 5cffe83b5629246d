package wire

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
)

// A Transport carries one call to the engine and brings back its answer:
// the name of a method and its request, as JSON, in; the response, as
// JSON, out. In the browser it is a message to the engine's Web Worker and
// the message back; natively it is package worker's Host itself, called in
// the same process, so that the native tests cross the same JSON as the
// browser does.
type Transport interface {
	Call(ctx context.Context, method string, request []byte) (response []byte, err error)
}

// An Error is a failure the engine reported, as it crosses a Transport: a
// message, and the problems of a scenario file when the failure is that the
// file does not parse.
type Error struct {
	Message string
	// Problems holds the file's problems, line by line, when the error
	// was a scenarios.ErrorList.
	Problems FileErrors `json:",omitempty"`
	// Code names an error the pages tell apart (see the constants).
	Code string `json:",omitempty"`
}

// The codes of errors that the pages tell apart.
const (
	CodeNotExercise = "not-exercise" // the scenario is not an exercise
	CodeUnknownHost = "unknown-host" // a command on a host the world does not have
	CodeNoSession   = "no-session"   // the session was closed, or never opened
)

func (e *Error) Error() string { return e.Message }

// Unwrap returns the file's problems, so that errors.As finds a
// FileErrors.
func (e *Error) Unwrap() error {
	if len(e.Problems) == 0 {
		return nil
	}
	return e.Problems
}

// IsCode reports whether err is an engine Error with the given code.
func IsCode(err error, code string) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}

// Call sends a request for method over t and decodes the response into a
// Resp. A failure of the engine comes back as an *Error.
func Call[Resp, Req any](ctx context.Context, t Transport, method string, req Req) (Resp, error) {
	var resp Resp
	b, err := json.Marshal(req)
	if err != nil {
		return resp, fmt.Errorf("engine %s: encoding the request: %w", method, err)
	}
	out, err := t.Call(ctx, method, b)
	if err != nil {
		return resp, err
	}
	if err := json.Unmarshal(out, &resp); err != nil {
		return resp, fmt.Errorf("engine %s: decoding the response: %w", method, err)
	}
	return resp, nil
}
