package wire

import "strings"

// Tab completion and the scenario file a sandbox's history becomes: the
// terminal's and the download's calls to the engine. (Share links
// themselves are plain encoding, done in the page: package app's
// EncodeShare and DecodeShare.)

// MethodComplete completes the word at the cursor of a terminal's line, in
// the world of a session: CompleteRequest → Completion.
const MethodComplete = "complete"

// A CompleteRequest asks what Tab offers at Cursor (a byte offset) in
// Line, with the names of the world of Session (any session with a world:
// a sandbox's, an exercise's).
type CompleteRequest struct {
	Session int
	Line    string
	Cursor  int
}

// A Completion is what Tab offers at the cursor: the word being completed
// starts at Start, and each candidate would replace it.
type Completion struct {
	Start      int
	Word       string // the text being completed, from Start to the cursor
	Candidates []string
}

// Apply returns the line with the completion applied, and the new cursor:
// a single candidate replaces the word and is followed by a space; several
// extend the word to their longest common prefix.
func (c Completion) Apply(line string, cursor int) (string, int) {
	if len(c.Candidates) == 0 || cursor > len(line) || c.Start > cursor || c.Start < 0 {
		return line, cursor
	}
	repl := c.Candidates[0]
	if len(c.Candidates) > 1 {
		repl = commonPrefix(c.Candidates)
		if len(repl) <= len(c.Word) {
			return line, cursor
		}
	} else if !strings.HasSuffix(repl, "/") && !strings.HasSuffix(repl, "=") {
		repl += " "
	}
	rest := line[cursor:]
	if strings.HasSuffix(repl, " ") && strings.HasPrefix(rest, " ") {
		repl = strings.TrimSuffix(repl, " ")
	}
	return line[:c.Start] + repl + rest, c.Start + len(repl)
}

func commonPrefix(list []string) string {
	p := list[0]
	for _, s := range list[1:] {
		for !strings.HasPrefix(s, p) {
			p = p[:len(p)-1]
		}
	}
	return p
}

// MethodScenarioFromHistory writes a sandbox's history as a scenario file
// (the sandbox's "Download .md"): ScenarioFromHistoryRequest →
// ScenarioFromHistoryResponse. Every command runs again on a fresh world,
// so the file holds what each printed there.
const MethodScenarioFromHistory = "scenarioFromHistory"

// A HistoryCommand is one command of a history: a line and the host it
// ran on ("" for the workstation).
type HistoryCommand struct {
	Host string
	Line string
}

// A HistorySource is what a scenario written from a history starts from:
// a fresh world, or a scenario's world after its first steps.
type HistorySource struct {
	Title string // the written scenario's title; "My sandbox" if empty
	// FrontMatter's Seed, Start, Propagation and Level set up the world
	// and the file, as in the scenario the sandbox was forked from.
	FrontMatter FrontMatter
	// Setup are the commands of the scenario's first steps, run before
	// the learner's; From names that scenario in the narration.
	Setup []HistoryCommand
	From  string
}

// A ScenarioFromHistoryRequest is a history to write as a scenario file.
type ScenarioFromHistoryRequest struct {
	// Session, if not 0, is the session whose history is written (a
	// sandbox's): its starting point and its learner's commands. Then
	// Source.Title, if set, titles the file, and the other fields are
	// not read.
	Session int
	// Source and Commands are the history itself, when Session is 0.
	Source   HistorySource
	Commands []HistoryCommand
}

// A ScenarioFromHistoryResponse is the scenario file written.
type ScenarioFromHistoryResponse struct {
	Source string
}
