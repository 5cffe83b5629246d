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

// storeGate holds back the reads that only confirm what the page already
// shows from localStorage (the settings, a player's reached step) until
// the page has started: the first indexedDB.open of a browser profile
// blocks the page's thread for about a quarter of a second in Chromium
// (make bench's profile of a cold load), which, before the player has
// shown its first state, would be a quarter of a second more before it
// can run a step. Pages open it with storeMayOpen; a timer opens it
// anyway, in case none does.
var storeGate = struct {
	once  sync.Once
	timer sync.Once
	open  chan struct{}
}{open: make(chan struct{})}

// storeMayOpen lets the held-back reads open IndexedDB.
func storeMayOpen() { storeGate.once.Do(func() { close(storeGate.open) }) }

// openStoreWhenStarted opens the store once a page has let it
// (storeMayOpen), or three seconds after the first call.
func openStoreWhenStarted() (*store.Store, error) {
	storeGate.timer.Do(func() { time.AfterFunc(3*time.Second, storeMayOpen) })
	<-storeGate.open
	return openStore()
}

func loadSettings() (store.AppSettings, error) {
	s, err := openStoreWhenStarted()
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
