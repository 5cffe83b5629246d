package app

// The view models the panels render are package wire's: the engine's side
// (package worker) builds them, these pages only read them. The names below
// are the pages' short names for them.

import (
	"github.com/miplay/miplay/app/wire"
)

type (
	WorldView       = wire.WorldView
	ClockVM         = wire.ClockVM
	ResourceVM      = wire.ResourceVM
	IdentityBadgeVM = wire.IdentityBadgeVM
	PrincipalVM     = wire.PrincipalVM
	AssignmentVM    = wire.AssignmentVM
	TokenRowVM      = wire.TokenRowVM
	ClaimRow        = wire.ClaimRow
	TokenDetailVM   = wire.TokenDetailVM
	SequenceVM      = wire.SequenceVM
	LaneVM          = wire.LaneVM
	MessageVM       = wire.MessageVM
	ExchangeVM      = wire.ExchangeVM
	DecisionVM      = wire.DecisionVM
	ConsideredVM    = wire.ConsideredVM
	TermStepVM      = wire.TermStepVM
	TermCommandVM   = wire.TermCommandVM
)

const (
	IdentityNotFound = wire.IdentityNotFound
	MaxExchanges     = wire.MaxExchanges
)

var (
	prompt      = wire.Prompt
	formatTime  = wire.FormatTime
	callerLabel = wire.CallerLabel
	statusLabel = wire.StatusLabel
)

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
