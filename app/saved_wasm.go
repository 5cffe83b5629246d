//go:build wasm

package app

import (
	"context"
	"time"

	"github.com/miplay/miplay/app/store"
)

// What the sandbox, the exercise page and uploads keep in IndexedDB. Each
// call waits for the database: call them in Context.Async, never on the UI
// goroutine.

func savedCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 10*time.Second)
}

// historyLoad returns the saved sandbox history with the given ID.
func historyLoad(id string) (store.SandboxHistory, bool, error) {
	s, err := openStore()
	if err != nil {
		return store.SandboxHistory{}, false, err
	}
	ctx, cancel := savedCtx()
	defer cancel()
	return s.History(ctx, id)
}

// historySave saves a sandbox history.
func historySave(h store.SandboxHistory) error {
	s, err := openStore()
	if err != nil {
		return err
	}
	ctx, cancel := savedCtx()
	defer cancel()
	return s.SaveHistory(ctx, h)
}

// historyDelete forgets a sandbox history.
func historyDelete(id string) error {
	s, err := openStore()
	if err != nil {
		return err
	}
	ctx, cancel := savedCtx()
	defer cancel()
	return s.DeleteHistory(ctx, id)
}

// progressUpdate changes the learner's progress in a scenario: it reads
// the record (or starts one), lets change edit it, and saves it, then
// mirrors its step (see resume.go).
func progressUpdate(name string, change func(p *store.ExerciseProgress)) error {
	s, err := openStore()
	if err != nil {
		return err
	}
	ctx, cancel := savedCtx()
	defer cancel()
	p, _, err := s.Progress(ctx, name)
	if err != nil {
		return err
	}
	change(&p)
	p.Scenario, p.Updated = name, time.Now()
	if err := s.SaveProgress(ctx, p); err != nil {
		return err
	}
	mirrorStep(name, p.Step)
	return nil
}

// uploadSave saves an uploaded scenario.
func uploadSave(u store.UploadedScenario) error {
	s, err := openStore()
	if err != nil {
		return err
	}
	ctx, cancel := savedCtx()
	defer cancel()
	return s.SaveScenario(ctx, u)
}
