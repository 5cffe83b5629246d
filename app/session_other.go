//go:build !wasm

package app

import "github.com/miplay/miplay/app/store"

// On the server there is no browser storage: pages prerender with the
// default settings, and the wasm build loads the real ones.

func loadSettings() (store.AppSettings, error) { return store.AppSettings{}, nil }

// storeMayOpen does nothing: natively nothing is held back.
func storeMayOpen() {}

func saveSettings(store.AppSettings) error { return nil }
