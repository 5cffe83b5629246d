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
		wire.MethodExchange: handle((*Host).exchange),

		// The scenario player (player.go).
		wire.MethodPlayOpen:    handle((*Host).playOpen),
		wire.MethodPlayStep:    handle((*Host).playStep),
		wire.MethodPlayRunAll:  handle((*Host).playRunAll),
		wire.MethodPlayBack:    handle((*Host).playBack),
		wire.MethodPlayRestart: handle((*Host).playRestart),
		wire.MethodPlayGoto:    handle((*Host).playGoto),

		// The sandbox's and the exercises' workbench (workbench.go).
		wire.MethodWorkbenchOpen:     handle((*Host).workbenchOpen),
		wire.MethodWorkbenchRun:      handle((*Host).workbenchRun),
		wire.MethodWorkbenchSolution: handle((*Host).workbenchSolution),
		wire.MethodWorkbenchCheck:    handle((*Host).workbenchCheck),

		// Tab completion, and a sandbox's download (complete.go, share.go).
		wire.MethodComplete:            handle((*Host).complete),
		wire.MethodScenarioFromHistory: handle((*Host).scenarioFromHistory),
	}
}
