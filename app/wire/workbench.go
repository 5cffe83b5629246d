package wire

import "time"

// The workbench: the world behind a free terminal, the sandbox's
// (/sandbox) or an exercise's (/exercise/{name}). The engine keeps it as a
// session; each call runs something on it and answers with a
// WorkbenchUpdate, which holds only what changed since the session's last
// answer: the commands the call ran, the events it added, and the world's
// lists only if they changed. The page keeps the rest (its scrollback, its
// event log, the lists it shows), so that an answer stays small however
// long the session: the sandbox's benchmark runs 500 commands.
const (
	// MethodWorkbenchOpen opens a workbench session:
	// WorkbenchOpenRequest → WorkbenchUpdate. Close it with MethodClose.
	MethodWorkbenchOpen = "workbenchOpen"
	// MethodWorkbenchRun runs a command line of the learner's:
	// WorkbenchRunRequest → WorkbenchUpdate.
	MethodWorkbenchRun = "workbenchRun"
	// MethodWorkbenchSolution runs the commands of the exercise's
	// solution, recorded as the learner's and marked as the solution's:
	// WorkbenchRequest → WorkbenchUpdate.
	MethodWorkbenchSolution = "workbenchSolution"
	// MethodWorkbenchCheck runs the exercise's check on the session's
	// world: WorkbenchRequest → WorkbenchCheckResponse.
	MethodWorkbenchCheck = "workbenchCheck"
)

// A WorkbenchCommand is one command the learner ran on a workbench, as
// its history saves it and a replay runs it again.
type WorkbenchCommand struct {
	Host string // "" is the workstation
	Line string
	// Solution marks a command of an exercise's solution, run because the
	// learner asked to see it.
	Solution bool `json:",omitempty"`
}

// A WorkbenchOpenRequest says what world a workbench starts on: a fresh
// one, or a scenario's after its first Step steps; then the commands to
// replay on it.
type WorkbenchOpenRequest struct {
	// Slug names a scenario of the library; else Name and Source are a
	// scenario file (an uploaded one); if all three are empty, the world
	// is a fresh one, with the engine's defaults.
	Slug   string `json:",omitempty"`
	Name   string `json:",omitempty"`
	Source string `json:",omitempty"`
	Step   int    // steps of the scenario to run first
	// Commands are replayed, in order, after the steps. The replay stops
	// at the first command that cannot run (its host does not exist at
	// that point): with Strict the open then fails, and no session is
	// left open; without, the session opens with the commands before it,
	// and WorkbenchUpdate.Error says which command stopped the replay.
	Commands []WorkbenchCommand `json:",omitempty"`
	Strict   bool               `json:",omitempty"`
	// ShowSetup makes the request flow show the requests of the steps
	// when no command was replayed (an exercise's starting world); else
	// it shows those of the last command replayed, or none.
	ShowSetup bool `json:",omitempty"`
	// Selection is what the page shows before this world.
	Selection WorkbenchSelection
}

// A WorkbenchSelection is the token the page shows, sent with each call so
// that the answer brings what the page will show next, with no second
// call: the same token, decoded again only if the world moved on, or else
// the newest one.
type WorkbenchSelection struct {
	Token  string    // the selected token's ID; "" if none
	Detail bool      // whether the page shows that token's detail
	Tokens int       // how many tokens the page lists
	Now    time.Time // the simulated time the page shows
}

// A WorkbenchRunRequest runs Line on Host ("" for the workstation).
type WorkbenchRunRequest struct {
	Session   int
	Host      string
	Line      string
	Selection WorkbenchSelection
}

// A WorkbenchRequest is a call on a workbench session that takes nothing
// else.
type WorkbenchRequest struct {
	Session   int
	Selection WorkbenchSelection
}

// A WorkbenchCheckResponse is the outcome of an exercise's check, and the
// session's update (the check's commands are in the terminal too).
type WorkbenchCheckResponse struct {
	Update WorkbenchUpdate
	// Report is nil if the check could not run: Update.Error says why.
	Report *Report
}

// A WorkbenchUpdate is what changed on a workbench with one call: for the
// terminal, for the command history, and for the panels. Its first (the
// open's) holds the whole state.
type WorkbenchUpdate struct {
	Session int
	// Error is the failure of what the call ran, as the page shows it: a
	// command on a host that does not exist, an empty command, the saved
	// commands whose replay stopped (open without Strict). The session
	// is still there, and the rest of the update holds.
	Error string `json:",omitempty"`
	// ErrorCode is Error's code (CodeUnknownHost), if it has one.
	ErrorCode string `json:",omitempty"`

	// Entries are the commands that ran, for the terminal, oldest first.
	// When more ran than the terminal keeps (MaxScrollback), only the
	// last KeepScrollback are sent, and Skipped counts the others.
	Entries []WorkbenchEntry `json:",omitempty"`
	Skipped int              `json:",omitempty"`
	// Commands are the learner's commands the call recorded, in order.
	Commands []WorkbenchCommand `json:",omitempty"`
	// SolutionRan reports whether the exercise's solution has run on the
	// world, by this call or an earlier one.
	SolutionRan bool `json:",omitempty"`

	// Hosts is where a command can run now: "" (the workstation) first,
	// then every compute host of the world.
	Hosts []string

	World WorldDelta
	// Seq is the request flow of the call's commands: from LastFrom, the
	// sequence number of their first event. Of its exchanges, only the
	// selected one (Exchange) carries its raw Request and Response, which
	// are most of the flow's bytes; MethodExchange brings those
	// of another.
	Seq      SequenceVM
	LastFrom int
	Events   EventsDelta

	// Token is the token to select; TokenDetail its detail (nil if there
	// is none). With TokenKept, the page keeps the token and the detail
	// it shows, and the two fields are empty.
	Token       string         `json:",omitempty"`
	TokenDetail *TokenDetailVM `json:",omitempty"`
	TokenKept   bool           `json:",omitempty"`
	// Exchange is the exchange of Seq to select (the last one that Azure
	// RBAC checked, or else the last one; -1 if none), and Decision the
	// decision behind it, if any.
	Exchange int
	Decision *DecisionVM `json:",omitempty"`
}

// A WorkbenchEntry is one command in the terminal, and where it came
// from.
type WorkbenchEntry struct {
	Kind EntryKind
	// Step is the index of the scenario's step, from 0, for EntrySetup.
	Step int `json:",omitempty"`
	Cmd  TermCommandVM
}

// An EntryKind says where a command of a workbench's terminal came from.
type EntryKind string

// The kinds of entries.
const (
	EntrySetup    EntryKind = "setup"    // a step of the scenario the world started from
	EntryCheck    EntryKind = "check"    // the exercise's check
	EntrySolution EntryKind = "solution" // the exercise's solution
	EntryCommand  EntryKind = "command"  // the learner's own
)

// The terminal keeps the last commands only, as a terminal does: past
// MaxScrollback, the oldest are trimmed in one go, down to
// KeepScrollback. The engine sends no more than the terminal would keep.
const (
	MaxScrollback  = 200
	KeepScrollback = 100
)

// The event log lists the last events only, trimmed as the terminal is:
// past MaxEventLines, down to KeepEventLines.
const (
	MaxEventLines  = 200
	KeepEventLines = 100
)

// An EventLine is one event of the world's log, as the page lists it.
type EventLine struct {
	Seq     int
	At      string // the simulated time of day: "15:04:05"
	Summary string
}

// EventsDelta is what is new in the world's log: the lines of the events
// the page has not listed yet, except those that a trim would drop at
// once (then Reset tells the page to drop the lines it lists, all older).
type EventsDelta struct {
	Lines []EventLine `json:",omitempty"`
	Reset bool        `json:",omitempty"`
	Total int         // events in the world's log, listed or not
}

// A WorldDelta is what changed of a WorldView: the clock, and the lists
// that Changed names; the others are as the page has them. A list that
// changed keeps its first items (as many as Kept says) and goes on with
// the items sent: a list that grew at its end, as the lists of a session
// mostly do, sends its new items only.
type WorldDelta struct {
	Clock       ClockVM
	Resources   []ResourceVM   `json:",omitempty"`
	Principals  []PrincipalVM  `json:",omitempty"`
	Assignments []AssignmentVM `json:",omitempty"`
	Tokens      []TokenRowVM   `json:",omitempty"`
	Changed     WorldChanges
	Kept        WorldKept
}

// WorldChanges names the lists of a WorldView that changed.
type WorldChanges struct {
	Resources, Principals, Assignments, Tokens bool
}

// WorldKept counts, for each list of a WorldView that changed, the items
// at its start that did not.
type WorldKept struct {
	Resources, Principals, Assignments, Tokens int `json:",omitempty"`
}

// Apply changes v as d says. The lists d does not change stay the same
// slices, so that a page comparing them with what it rendered finds them
// equal at once; a list that changed is a new slice, whose kept items are
// the same values as before.
func (v *WorldView) Apply(d WorldDelta) {
	v.Clock = d.Clock
	if d.Changed.Resources {
		v.Resources = keep(v.Resources, d.Kept.Resources, d.Resources)
	}
	if d.Changed.Principals {
		v.Principals = keep(v.Principals, d.Kept.Principals, d.Principals)
	}
	if d.Changed.Assignments {
		v.Assignments = keep(v.Assignments, d.Kept.Assignments, d.Assignments)
	}
	if d.Changed.Tokens {
		v.Tokens = keep(v.Tokens, d.Kept.Tokens, d.Tokens)
	}
}

// keep returns the first n items of old followed by more, in a new slice.
func keep[T any](old []T, n int, more []T) []T {
	n = min(max(n, 0), len(old))
	if n+len(more) == 0 {
		return nil
	}
	out := make([]T, 0, n+len(more))
	return append(append(out, old[:n]...), more...)
}
