package worker

import "github.com/miplay/miplay/app/wire"

// methodTable lists every method the Host answers, by its wire name.
func methodTable() map[string]method {
	return map[string]method{
		wire.MethodClose:    handle((*Host).close),
		wire.MethodPing:     handle((*Host).ping),
		wire.MethodParse:    handle((*Host).parse),
		wire.MethodToken:    handle((*Host).token),
		wire.MethodDecision: handle((*Host).decision),
	}
}
