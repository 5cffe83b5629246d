//go:build !wasm

package app

import "github.com/miplay/miplay/app/store"

// On the server nothing is saved: pages prerender as for a first visit.

func historyLoad(string) (store.SandboxHistory, bool, error) {
	return store.SandboxHistory{}, false, nil
}

func historySave(store.SandboxHistory) error { return nil }

func historyDelete(string) error { return nil }

func progressUpdate(string, func(*store.ExerciseProgress)) error { return nil }

func uploadSave(store.UploadedScenario) error { return nil }
