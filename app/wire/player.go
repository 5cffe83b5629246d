package wire

// The scenario player's methods (the page /play/{name}). A player session
// holds a scenario's player on a world of its own; every operation answers
// with the PlayState it leaves, which is all the page renders until the
// next one.
const (
	MethodPlayOpen    = "play.open"    // PlayOpenRequest → PlayOpenResponse
	MethodPlayStep    = "play.step"    // PlayRequest → PlayState: run the next step
	MethodPlayRunAll  = "play.runAll"  // PlayRequest → PlayState: run the steps left, stopping after a mismatch
	MethodPlayBack    = "play.back"    // PlayRequest → PlayState: undo the last step
	MethodPlayRestart = "play.restart" // PlayRequest → PlayState: start over on a fresh world
	MethodPlayGoto    = "play.goto"    // PlayGotoRequest → PlayState: go to where the learner left off

)

// PlayOpenRequest opens a player session on a scenario of the library, by
// its slug, or on a file of the learner's, by its name and source; and
// replays Step steps of it, the learner's progress.
type PlayOpenRequest struct {
	Slug   string `json:",omitempty"` // a scenario of the library
	Name   string `json:",omitempty"` // or the file name of an uploaded one,
	Source string `json:",omitempty"` // and its text
	Step   int    `json:",omitempty"`
}

// PlayOpenResponse is the new session and where it stands. If the replay
// to Step failed, the session is open all the same, at the step where it
// stopped, and State.Err says why.
type PlayOpenResponse struct {
	Session int
	State   PlayState
}

// PlayRequest is an operation on a player session.
type PlayRequest struct {
	Session int
	// Selected is the token the page shows: the state that answers keeps
	// it selected if the world still has it and no step just issued one.
	Selected string `json:",omitempty"`
	// Terminal is how many steps of the terminal (PlayState.Term) the
	// page holds, which the answer need not send again (see TermFrom).
	Terminal int `json:",omitempty"`
}

// PlayGotoRequest brings a player session to just before step Step, the
// step the learner reached (the store knew better than the page's mirror).
type PlayGotoRequest struct {
	Session  int
	Step     int
	Selected string `json:",omitempty"` // as in PlayRequest
	Terminal int    `json:",omitempty"` // as in PlayRequest
}

// PlayState is what an operation of the player leaves for the page: plain
// view models of the world and of what ran.
type PlayState struct {
	Next, Total int
	Done        bool
	// Term is the terminal from its step TermFrom on: the steps before
	// are the ones the page already holds (PlayRequest.Terminal), which
	// are the same, since a step prints the same whenever it runs on the
	// world the steps before it made.
	Term       []TermStepVM
	TermFrom   int `json:",omitempty"`
	Commands   int // commands run, in the whole terminal
	Mismatches int
	World      WorldView
	// Seq is the request flow of the last step run. Only its selected
	// exchange (Exchange) carries its raw Request and Response, which are
	// most of the flow's bytes: MethodExchange brings another's.
	Seq        SequenceVM
	SeqStep    int      // the step whose requests Seq draws, or -1
	StepTokens []string // the tokens issued in that step

	// The selection the page shows after the operation, with its details,
	// so that the first render needs no other call: Token is the token
	// selected ("" for none) and TokenDetail its detail (nil if the world
	// has no such token); Exchange is the exchange of Seq selected (-1 for
	// none) and Decision the RBAC decision behind it (nil if there was no
	// check). After a step forward the last token the step issued is
	// selected; otherwise the one selected before, if the world still has
	// it, else the last issued. The exchange is the last one that a service
	// checked against RBAC, else the last one.
	Token       string         `json:",omitempty"`
	TokenDetail *TokenDetailVM `json:",omitempty"`
	Exchange    int
	Decision    *DecisionVM `json:",omitempty"`

	// Err says why the operation stopped partway, if it did; the state is
	// where it stopped.
	Err string `json:",omitempty"`
}

// A PlayOpening is how a scenario of the library starts in the player, as
// the engine answers: Open is the state play.open answers at step 0, and
// First the state play.step answers from there, the page holding Open's
// selection and terminal. Both are what the engine would send, byte for
// byte, since it replays identically.
//
// The page's library carries one per scenario, computed when the library
// is written, so that the player is ready, and runs its first step, while
// the engine's worker is still starting; the engine's session then catches
// up with the page (app's player, sessionLink).
type PlayOpening struct {
	Open  PlayState
	First PlayState
}
