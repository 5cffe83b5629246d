package app

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// The player comes back at the step the learner reached. IndexedDB holds
// that (ExerciseProgress.Step), but answers only after the page has mounted
// and the world is made, on a first visit after creating the database. So
// localStorage mirrors the step, as it mirrors the theme, and the player
// replays to the mirrored step without waiting; when IndexedDB answers and
// says an earlier step (the mirror was cleared), the player goes there,
// unless the learner has moved meanwhile. A step run from a scenario's
// opening is mirrored before it is saved (opening.go): a mirror ahead of
// the store is a save the page did not live to make, and the store gets
// it.

// stepMirrorKey is the localStorage key of a scenario's mirrored step.
func stepMirrorKey(slug string) string { return "miplay.step." + slug }

// mirroredStep returns how many steps of a scenario the mirror says the
// learner has run: 0 if it says nothing.
func mirroredStep(slug string) int {
	ls := app.Window().Get("localStorage")
	if !ls.Truthy() {
		return 0
	}
	v := ls.Call("getItem", stepMirrorKey(slug))
	if !v.Truthy() {
		return 0
	}
	n, err := strconv.Atoi(v.String())
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// mirrorStep records a scenario's step in the mirror; 0 removes it.
func mirrorStep(slug string, n int) {
	ls := app.Window().Get("localStorage")
	if !ls.Truthy() {
		return
	}
	if n <= 0 {
		ls.Call("removeItem", stepMirrorKey(slug))
		return
	}
	ls.Call("setItem", stepMirrorKey(slug), strconv.Itoa(n))
}
