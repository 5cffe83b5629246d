// Package store keeps the browser app's state in IndexedDB: sandbox
// histories, exercise progress, uploaded scenarios and settings.
//
// The record types and their JSON encoding are ordinary Go and build
// everywhere, so they are tested natively. The database itself (Open, Store
// and its methods) exists only in the browser build (js/wasm) and is tested
// in headless Chromium:
//
//	GOOS=js GOARCH=wasm go test ./app/store/
//
// with wasmbrowsertest installed as go_js_wasm_exec on PATH (make test does
// that).
//
// Every record is stored as a JSON string under an explicit key. A record
// that cannot be read (bad JSON, wrong type, wrong key) is never returned and
// never crashes the app: the read that finds it moves it into the quarantine
// store, reports a Notice, and carries on as if the record were absent.
//
// The schema has a version. Each step of Schema says which object stores it
// adds, and Open, on an older database, creates whatever stores of the steps
// up to SchemaVersion are missing. A second tab that opens a newer schema makes this tab's
// connection close; the store then answers ErrSuperseded and reports a
// Notice, so the app can ask the learner to reload.
package store
