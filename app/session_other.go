//go:build !wasm

package app

import "github.com/miplay/miplay/app/store"

// On the server there is no browser storage: pages prerender with the
// default settings, and the wasm build loads the real ones.

func loadSettings() (store.AppSettings, error) { return store.AppSettings{}, nil }

func saveSettings(store.AppSettings) error { return nil }
