//go:build wasm

package app

import (
	"context"
	"time"

	"github.com/miplay/miplay/app/store"
)

// The learner's progress and uploaded scenarios, in IndexedDB. Each call
// waits for the database: call them in Context.Async, never on the UI
// goroutine.

func storeCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 10*time.Second)
}

func loadAllProgress() ([]store.ExerciseProgress, error) {
	s, err := openStore()
	if err != nil {
		return nil, err
	}
	ctx, cancel := storeCtx()
	defer cancel()
	return s.AllProgress(ctx)
}

// loadProgress waits for a page to let the store open (storeMayOpen): the
// player reads it only to confirm the step localStorage mirrors.
func loadProgress(name string) (store.ExerciseProgress, bool, error) {
	s, err := openStoreWhenStarted()
	if err != nil {
		return store.ExerciseProgress{}, false, err
	}
	ctx, cancel := storeCtx()
	defer cancel()
	return s.Progress(ctx, name)
}

func loadUploaded(name string) (store.UploadedScenario, bool, error) {
	s, err := openStore()
	if err != nil {
		return store.UploadedScenario{}, false, err
	}
	ctx, cancel := storeCtx()
	defer cancel()
	return s.Scenario(ctx, name)
}

func loadAllUploaded() ([]store.UploadedScenario, error) {
	s, err := openStore()
	if err != nil {
		return nil, err
	}
	ctx, cancel := storeCtx()
	defer cancel()
	return s.Scenarios(ctx)
}
