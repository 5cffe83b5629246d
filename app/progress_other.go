//go:build !wasm

package app

import "github.com/miplay/miplay/app/store"

// On the server there is no saved progress and no uploaded scenario: pages
// prerender as for a first visit.

func loadAllProgress() ([]store.ExerciseProgress, error) { return nil, nil }

func loadProgress(string) (store.ExerciseProgress, bool, error) {
	return store.ExerciseProgress{}, false, nil
}

func loadUploaded(string) (store.UploadedScenario, bool, error) {
	return store.UploadedScenario{}, false, nil
}

func loadAllUploaded() ([]store.UploadedScenario, error) { return nil, nil }
