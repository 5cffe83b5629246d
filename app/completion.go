package app

// Tab completion for the terminal. Completing takes the engine's command
// table and the names in a session's world, so the engine's worker does it
// (package worker's Complete, behind wire.MethodComplete); the page asks in
// Context.Async and applies the answer (Completion.Apply, plain text) when
// it comes, if the line is still the one it was asked for.

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/miplay/miplay/app/wire"
)

// A Completion is what Tab offers at the cursor (wire.Completion).
type Completion = wire.Completion

// completeIn asks the engine for the completions at cursor in line, with
// the names of the world of session, and calls done with them on the UI
// goroutine. It returns at once. A call that fails (the session was
// closed, the engine is gone) offers nothing: done is not called, and Tab
// does nothing, as when no candidate fits. The caller drops an answer that
// comes after the line changed (termPrompt.complete).
func completeIn(ctx app.Context, session int, line string, cursor int, done func(ctx app.Context, c Completion)) {
	ctx.Async(func() {
		c, err := callEngine[Completion](ctx, wire.MethodComplete, wire.CompleteRequest{Session: session, Line: line, Cursor: cursor})
		if err != nil {
			return
		}
		ctx.Dispatch(func(ctx app.Context) { done(ctx, c) })
	})
}
