package app

// The sandbox's and the exercise page's world is a workbench session of
// the engine (package worker's workbench, wire.MethodWorkbenchOpen and
// the calls after it). The pages keep what they show, fed from each
// call's wire.WorkbenchUpdate: the terminal's scrollback (terminal.go),
// the panels (workpanels.go), the command history. This file holds what
// both pages share around the session: where its world comes from, who
// owns it, and how their records are saved.

import (
	"context"
	"fmt"
	"sync"

	"github.com/miplay/miplay/app/store"
	"github.com/miplay/miplay/app/wire"
)

// findScenario returns the scenario of the library, or else of the
// learner's uploads, with that slug, and whether it is the library's. It
// waits for IndexedDB and the engine: call it in Context.Async.
func findScenario(slug string) (*wire.Scenario, bool, error) {
	if s := libraryScenario(slug); s != nil {
		return s, true, nil
	}
	u, ok, err := loadUploaded(slug)
	if err != nil {
		return nil, false, err
	}
	if !ok {
		return nil, false, fmt.Errorf("there is no scenario %q in the library or among the ones you uploaded", slug)
	}
	s, err := parseUploaded(context.Background(), u)
	if err != nil {
		return nil, false, err
	}
	return s, false, nil
}

// benchOpening returns the request that opens a workbench on the world of
// s after its first steps (a library scenario by its slug, another by its
// file), or on a fresh world if s is nil.
func benchOpening(s *wire.Scenario, library bool, steps int) wire.WorkbenchOpenRequest {
	switch {
	case s == nil:
		return wire.WorkbenchOpenRequest{}
	case library:
		return wire.WorkbenchOpenRequest{Slug: s.Slug(), Step: steps}
	}
	return wire.WorkbenchOpenRequest{Name: s.Name, Source: s.Source, Step: steps}
}

// benchCommands converts saved commands for a replay.
func benchCommands(cmds []store.Command) []wire.WorkbenchCommand {
	if len(cmds) == 0 {
		return nil
	}
	out := make([]wire.WorkbenchCommand, len(cmds))
	for i, c := range cmds {
		out[i] = wire.WorkbenchCommand{Host: c.Host, Line: c.Line, Solution: c.Solution}
	}
	return out
}

// savedCommand converts a command the workbench recorded for the store.
func savedCommand(c wire.WorkbenchCommand) store.Command {
	return store.Command{Host: c.Host, Line: c.Line, Solution: c.Solution}
}

// saveQueue orders the writes of a page's records to IndexedDB. A
// command's record is saved after the page shows its output: the cost
// (the whole history as JSON and a round trip to IndexedDB) grows with the
// history and is not the learner's to wait for, so the next command may
// run meanwhile, and its save may be ready before this one's. Each save
// takes a ticket on the UI goroutine, in the order of the changes; a save
// whose record a later ticket has written already is dropped, and the
// writes never overlap (a record is read, changed and written in two
// transactions).
type saveQueue struct {
	next int // the last ticket handed out; the UI goroutine's

	mu   sync.Mutex
	done map[string]int // the last ticket written, by record
}

// ticket numbers a save. Call it on the UI goroutine.
func (q *saveQueue) ticket() int {
	q.next++
	return q.next
}

// write runs save for the record key with ticket n, unless a later ticket
// wrote it already. It waits for the writes under way: call it off the UI
// goroutine.
func (q *saveQueue) write(key string, n int, save func()) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if n < q.done[key] {
		return
	}
	if q.done == nil {
		q.done = map[string]int{}
	}
	q.done[key] = n
	save()
}

// update runs change, which reads and writes a record, after the writes
// under way and before those to come. Call it off the UI goroutine.
func (q *saveQueue) update(change func()) {
	q.mu.Lock()
	defer q.mu.Unlock()
	change()
}
