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

// The panels' details, for any session with a world (a player's, a
// sandbox's, an exercise's).
const (
	MethodToken    = "token"    // TokenRequest → TokenResponse
	MethodDecision = "decision" // DecisionRequest → DecisionResponse
	MethodExchange = "exchange" // ExchangeRequest → ExchangeResponse
)

// TokenRequest asks for one token of a session's world, decoded and
// checked (the token panel's detail).
type TokenRequest struct {
	Session int
	ID      string // the token's uti
}

// TokenResponse is the token's detail; Found is false if the world issued
// no such token.
type TokenResponse struct {
	Found  bool
	Detail TokenDetailVM
}

// DecisionRequest asks for the RBAC decision recorded at an event of a
// session's world.
type DecisionRequest struct {
	Session int
	Seq     int // the AccessChecked event's sequence number
}

// DecisionResponse is the decision explained; Found is false if there is
// no such event.
type DecisionResponse struct {
	Found    bool
	Decision DecisionVM
}

// An ExchangeRequest asks for an exchange of a session's request flow, for
// the exchange panel: the one recorded at event Seq (ExchangeVM.Seq), and
// the decision recorded at event DecisionSeq (ExchangeVM.DecisionSeq), if
// not -1. A state or an update carries the selected exchange's raw text
// only, most of a flow's bytes: this brings another's.
type ExchangeRequest struct {
	Session     int
	Seq         int
	DecisionSeq int
}

// An ExchangeResponse is an exchange's raw request and response, and the
// RBAC decision behind it (nil if there was no check). Found is false if
// the world has no such exchange.
type ExchangeResponse struct {
	Found             bool
	Request, Response string
	Decision          *DecisionVM `json:",omitempty"`
}
