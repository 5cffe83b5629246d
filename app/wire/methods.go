package wire

// The names of the engine's methods, one per call. Each request and
// response type is next to the page that makes the call.
const (
	MethodClose = "close" // CloseRequest → nothing: forget a session
)

// CloseRequest closes a session: the page no longer shows its world.
type CloseRequest struct{ Session int }

// MethodParse parses a scenario file: ParseRequest → ParseResponse. A file
// that does not parse is an *Error whose Problems list its lines.
const MethodParse = "parse"

// ParseRequest is a scenario file to parse.
type ParseRequest struct {
	Name   string // the file name: errors start with it, the slug comes from it
	Source string
}

// ParseResponse is the parsed scenario.
type ParseResponse struct{ Scenario *Scenario }
