package azure

import (
	"encoding/json"
	"strings"

	"github.com/miplay/miplay/engine/rbac"
	"github.com/miplay/miplay/engine/token"
)

// writeJSON writes v as a JSON response with Azure's content type.
func (x *exchange) writeJSON(status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		// Only our own types reach here; a failure is a bug.
		panic("azure: marshal response: " + err.Error())
	}
	x.writeRaw(status, "application/json; charset=utf-8", b)
}

// writeRaw writes a response body with a content type.
func (x *exchange) writeRaw(status int, contentType string, body []byte) {
	if contentType != "" {
		x.w.Header().Set("Content-Type", contentType)
	}
	x.w.WriteHeader(status)
	x.w.Write(body)
}

// bearerToken returns the token of an "Authorization: Bearer" header.
func (x *exchange) bearerToken() (string, bool) {
	h := x.r.Header.Get("Authorization")
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
		return "", false
	}
	return strings.TrimSpace(tok), true
}

// validate checks a bearer token for one of audiences, notes the token in
// the exchange, and returns its claims or why it was refused.
func (x *exchange) validate(raw string, audiences []string) (token.Claims, *token.Failure) {
	c, f := x.world.ValidateToken(raw, audiences)
	if f == nil {
		x.tokenID = c.UTI
	} else if f.Claims.UTI != "" {
		x.tokenID = f.Claims.UTI
	}
	return c, f
}

// authorize asks RBAC and notes the decision in the exchange.
func (x *exchange) authorize(principalID, action, scope string, dataAction bool) rbac.Decision {
	d := x.world.Authorize(principalID, action, scope, dataAction)
	x.decisionSeq = x.world.NextSeq() - 1
	x.decision = d.Reason
	return d
}
