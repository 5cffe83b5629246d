package wire

// The names of the engine's methods, one per call. Each request and
// response type is next to the page that makes the call.
const (
	MethodClose = "close" // CloseRequest → nothing: forget a session
)

// CloseRequest closes a session: the page no longer shows its world.
type CloseRequest struct{ Session int }
