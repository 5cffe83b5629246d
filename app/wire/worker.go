package wire

// The messages between the page and the engine's Web Worker.
//
// In the browser, package app's Transport posts one message to the worker
// per call, and the worker (package worker's ServeJS) posts one back. Each
// is a plain JavaScript object, copied by the browser's structured clone;
// requests, responses and errors travel inside it as JSON strings, the
// same bytes a Transport carries natively:
//
//	page → worker   {id: <number>, method: <string>, request: <string: JSON>}
//	page → worker   {id: <number>, cancel: true}
//	worker → page   {id: <number>, response: <string: JSON>}
//	worker → page   {id: <number>, error: <string: JSON of an Error>}
//	worker → page   {fatal: <string>}
//
// The id is the page's, unique among its calls; the worker answers each
// call exactly once, under its id, and calls may be answered in any order
// (each runs on a goroutine of its own). A cancel message says that the
// page no longer waits for call id: the worker cancels the call's context,
// and whatever answer still comes is dropped. A fatal message, which has
// no id, says the engine cannot answer at all (engine.wasm did not load, or
// the program stopped): the page fails every call, pending or to come,
// with an Error whose Code is CodeNoEngine.

// CodeNoEngine is the code of the error that every call gets when the
// engine could not start in the browser, or stopped: its worker or its
// wasm did not load. Reloading the page is the only cure.
const CodeNoEngine = "no-engine"

// MethodPing answers a PingRequest with a PingResponse. It touches no
// session: it is the engine's "are you there", with which the end-to-end
// tests see a call cross the worker and come back, and its Fail and
// SleepMillis let them see an error and a cancelled call cross too.
const MethodPing = "ping"

// A PingRequest asks the engine to answer Say back.
type PingRequest struct {
	Say string
	// Fail, when set, makes the call fail with an Error with this
	// message and the code "ping".
	Fail string `json:",omitempty"`
	// SleepMillis makes the engine wait this long (or until the call is
	// cancelled) before it answers.
	SleepMillis int `json:",omitempty"`
}

// A PingResponse is the engine's answer to a PingRequest.
type PingResponse struct {
	Said string
	// GoVersion is the Go release the engine was built with.
	GoVersion string
	// Cancelled reports that the call's context was done before the
	// engine answered (which only a SleepMillis lets happen).
	Cancelled bool `json:",omitempty"`
}
