//go:build wasm

package app

import (
	"context"
	"sync"
	"time"

	"github.com/miplay/miplay/app/store"
)

// The app's one connection to IndexedDB, opened on first use.
var session struct {
	once sync.Once
	s    *store.Store
	err  error
}

func openStore() (*store.Store, error) {
	session.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		session.s, session.err = store.Open(ctx, store.Options{
			Notify: func(n store.Notice) { report(n.String()) },
		})
	})
	return session.s, session.err
}

func loadSettings() (store.AppSettings, error) {
	s, err := openStore()
	if err != nil {
		return store.AppSettings{}, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return s.Settings(ctx)
}

func saveSettings(v store.AppSettings) error {
	s, err := openStore()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return s.SaveSettings(ctx, v)
}
