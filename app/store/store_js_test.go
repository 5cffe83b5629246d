//go:build js && wasm

package store

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"syscall/js"
	"testing"
	"time"

	"github.com/hack-pad/go-indexeddb/idb"
)

var testTime = time.Date(2025, 3, 1, 9, 30, 0, 0, time.UTC)

// notices collects what a store reports.
type notices chan Notice

func (n notices) notify(x Notice) { n <- x }

// wait returns the next notice of the given kind, or fails the test.
func (n notices) wait(t *testing.T, kind NoticeKind) Notice {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case x := <-n:
			if x.Kind == kind {
				return x
			}
			t.Logf("notice (not the one awaited): %v", x)
		case <-timeout:
			t.Fatalf("no notice of kind %d within 10s", kind)
		}
	}
}

func (n notices) none(t *testing.T) {
	t.Helper()
	select {
	case x := <-n:
		t.Errorf("unexpected notice: %v", x)
	case <-time.After(100 * time.Millisecond):
	}
}

func ctxFor(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// openTest opens a fresh database named after the test, at the given version,
// and deletes it when the test ends.
func openTest(t *testing.T, version uint) (*Store, notices) {
	t.Helper()
	name := "miplay-test-" + t.Name()
	n := make(notices, 16)
	s, err := open(ctxFor(t), Options{Name: name, Notify: n.notify, Now: func() time.Time { return testTime }}, version)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.Close()
		deleteDB(t, name)
	})
	return s, n
}

// deleteDB deletes a test database; every connection to it must be closed.
func deleteDB(t *testing.T, name string) {
	req, err := idb.Global().DeleteDatabase(name)
	if err == nil {
		err = req.Await(context.Background())
	}
	if err != nil {
		t.Logf("deleting %s: %v", name, err)
	}
}

// putRaw writes any JavaScript value under a key, as a buggy or older build
// might have.
func putRaw(t *testing.T, s *Store, store string, key, value js.Value) {
	t.Helper()
	ctx := ctxFor(t)
	tx, done, err := s.txn(ctx, idb.TransactionReadWrite, store)
	if err != nil {
		t.Fatal(err)
	}
	st, err := tx.ObjectStore(store)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.PutKey(key, value); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestRoundTripEachRecordType(t *testing.T) {
	s, n := openTest(t, SchemaVersion)
	ctx := ctxFor(t)

	if got, err := s.Settings(ctx); err != nil || got != (AppSettings{}) {
		t.Errorf("Settings of a new database = %v, %v; want zero settings", got, err)
	}
	if err := s.SaveSettings(ctx, AppSettings{Theme: ThemeDark}); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Settings(ctx); err != nil || got.Theme != ThemeDark {
		t.Errorf("Settings = %v, %v; want dark theme", got, err)
	}

	h := SandboxHistory{ID: "sb-1", Title: "IMDS", Commands: []Command{{Line: "az vm identity assign -g rg -n vm-web"}, {Host: "vm-web", Line: `curl -s -H Metadata:true "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://storage.azure.com/"`}}, Updated: testTime}
	if err := s.SaveHistory(ctx, h); err != nil {
		t.Fatal(err)
	}
	if got, ok, err := s.History(ctx, "sb-1"); err != nil || !ok || !reflect.DeepEqual(got, h) {
		t.Errorf("History = %#v, %v, %v; want %#v", got, ok, err, h)
	}
	if _, ok, err := s.History(ctx, "nope"); err != nil || ok {
		t.Errorf("History(missing) = %v, %v; want not found, no error", ok, err)
	}

	p := ExerciseProgress{Scenario: "vm-reads-blob", Step: 2, HintsShown: 1, Commands: []Command{{Line: "az role assignment list"}}, Updated: testTime}
	p2 := ExerciseProgress{Scenario: "app-service-keyvault", Step: 5, Solved: true, Updated: testTime}
	for _, x := range []ExerciseProgress{p, p2} {
		if err := s.SaveProgress(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	if got, ok, err := s.Progress(ctx, p.Scenario); err != nil || !ok || !reflect.DeepEqual(got, p) {
		t.Errorf("Progress = %#v, %v, %v; want %#v", got, ok, err, p)
	}
	if all, err := s.AllProgress(ctx); err != nil || !reflect.DeepEqual(all, []ExerciseProgress{p2, p}) {
		t.Errorf("AllProgress = %#v, %v; want both, in key order", all, err)
	}

	sc := UploadedScenario{Name: "mine.md", Source: "---\ntitle: Mine\n---\n\n# Mine\n", Uploaded: testTime}
	if err := s.SaveScenario(ctx, sc); err != nil {
		t.Fatal(err)
	}
	if got, ok, err := s.Scenario(ctx, "mine.md"); err != nil || !ok || !reflect.DeepEqual(got, sc) {
		t.Errorf("Scenario = %#v, %v, %v; want %#v", got, ok, err, sc)
	}
	if all, err := s.Scenarios(ctx); err != nil || len(all) != 1 {
		t.Errorf("Scenarios = %v, %v; want one", all, err)
	}

	if err := s.DeleteScenario(ctx, "mine.md"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.Scenario(ctx, "mine.md"); ok {
		t.Errorf("scenario still there after DeleteScenario")
	}
	if err := s.DeleteHistory(ctx, "sb-1"); err != nil {
		t.Fatal(err)
	}
	if all, err := s.Histories(ctx); err != nil || len(all) != 0 {
		t.Errorf("Histories after delete = %v, %v", all, err)
	}
	if err := s.DeleteProgress(ctx, p.Scenario); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveHistory(ctx, SandboxHistory{}); err == nil {
		t.Errorf("SaveHistory accepted a history without an ID")
	}
	n.none(t)
}

func TestCorruptRecordIsQuarantined(t *testing.T) {
	s, n := openTest(t, SchemaVersion)
	ctx := ctxFor(t)
	good := ExerciseProgress{Scenario: "good", Step: 1, Updated: testTime}
	if err := s.SaveProgress(ctx, good); err != nil {
		t.Fatal(err)
	}
	putRaw(t, s, Progress, js.ValueOf("broken"), js.ValueOf(`{"scenario":"broken","step":`))
	putRaw(t, s, Progress, js.ValueOf("object"), js.ValueOf(map[string]any{"scenario": "object"}))
	putRaw(t, s, Settings, js.ValueOf(SettingsKey), js.ValueOf(`{"theme":"purple"}`))

	// One record read by key.
	if _, ok, err := s.Progress(ctx, "broken"); err != nil || ok {
		t.Fatalf("Progress(broken) = %v, %v; want not found and no error", ok, err)
	}
	x := n.wait(t, NoticeQuarantined)
	if x.Store != Progress || x.Key != "broken" || !strings.Contains(x.Reason, "bad JSON") {
		t.Errorf("notice = %+v", x)
	}
	if !strings.Contains(x.String(), "set aside") {
		t.Errorf("notice text = %q", x.String())
	}

	// A list skips the bad ones and keeps the good.
	all, err := s.AllProgress(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(all, []ExerciseProgress{good}) {
		t.Errorf("AllProgress = %#v, want only the good record", all)
	}
	x = n.wait(t, NoticeQuarantined)
	if x.Key != "object" || !strings.Contains(x.Reason, "not JSON text") {
		t.Errorf("notice = %+v", x)
	}

	// Settings that cannot be read give the defaults.
	if got, err := s.Settings(ctx); err != nil || got != (AppSettings{}) {
		t.Errorf("Settings = %v, %v; want defaults", got, err)
	}
	n.wait(t, NoticeQuarantined)

	// Once set aside, a record is gone from its store: reading again is quiet.
	if all, err := s.AllProgress(ctx); err != nil || len(all) != 1 {
		t.Errorf("AllProgress again = %v, %v", all, err)
	}
	n.none(t)

	q, err := s.Quarantined(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []Quarantined{
		{ID: 1, Store: Progress, Key: "broken", Raw: `{"scenario":"broken","step":`, At: testTime},
		{ID: 2, Store: Progress, Key: "object", Raw: `{"scenario":"object"}`, At: testTime},
		{ID: 3, Store: Settings, Key: SettingsKey, Raw: `{"theme":"purple"}`, At: testTime},
	}
	if len(q) != len(want) {
		t.Fatalf("Quarantined = %+v, want %d records", q, len(want))
	}
	for i := range want {
		if q[i].Reason == "" {
			t.Errorf("quarantined record %d has no reason", i)
		}
		q[i].Reason = ""
		if !reflect.DeepEqual(q[i], want[i]) {
			t.Errorf("quarantined record %d = %+v, want %+v", i, q[i], want[i])
		}
	}
	if err := s.ClearQuarantine(ctx); err != nil {
		t.Fatal(err)
	}
	if q, err := s.Quarantined(ctx); err != nil || len(q) != 0 {
		t.Errorf("Quarantined after clear = %v, %v", q, err)
	}
}

func TestUpgradeFromVersion1(t *testing.T) {
	old, _ := openTest(t, 1)
	ctx := ctxFor(t)
	names, err := old.db.ObjectStoreNames()
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{Histories, Progress, Scenarios, Settings}; !sameSet(names, want) {
		t.Fatalf("version 1 stores = %v, want %v", names, want)
	}
	// What a version 1 build saved, including one record it got wrong.
	putRaw(t, old, Settings, js.ValueOf(SettingsKey), js.ValueOf(`{"theme":"dark"}`))
	putRaw(t, old, Progress, js.ValueOf("vm-reads-blob"), js.ValueOf(`{"scenario":"vm-reads-blob","step":3,"updated":"2025-03-01T09:30:00Z"}`))
	putRaw(t, old, Histories, js.ValueOf("sb-1"), js.ValueOf(`not json`))
	old.Close()

	n := make(notices, 16)
	s, err := Open(ctx, Options{Name: "miplay-test-" + t.Name(), Notify: n.notify, Now: func() time.Time { return testTime }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Version() != SchemaVersion {
		t.Errorf("Version = %d, want %d", s.Version(), SchemaVersion)
	}
	names, err = s.db.ObjectStoreNames()
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{Histories, Progress, Scenarios, Settings, Quarantine}; !sameSet(names, want) {
		t.Errorf("upgraded stores = %v, want %v", names, want)
	}
	if got, err := s.Settings(ctx); err != nil || got.Theme != ThemeDark {
		t.Errorf("Settings after upgrade = %v, %v; want dark", got, err)
	}
	want := ExerciseProgress{Scenario: "vm-reads-blob", Step: 3, Updated: testTime}
	if got, ok, err := s.Progress(ctx, "vm-reads-blob"); err != nil || !ok || !reflect.DeepEqual(got, want) {
		t.Errorf("Progress after upgrade = %#v, %v, %v", got, ok, err)
	}
	if hs, err := s.Histories(ctx); err != nil || len(hs) != 0 {
		t.Errorf("Histories = %v, %v; want the bad one set aside", hs, err)
	}
	if x := n.wait(t, NoticeQuarantined); x.Key != "sb-1" {
		t.Errorf("notice = %+v", x)
	}
}

// A database that other code created empty still gets every store.
func TestUpgradeFromEmptyVersion1(t *testing.T) {
	name := "miplay-test-" + t.Name()
	raw := js.Global().Get("indexedDB").Call("open", name, 1)
	done := make(chan struct{})
	ok := js.FuncOf(func(js.Value, []js.Value) any { close(done); return nil })
	defer ok.Release()
	raw.Set("onsuccess", ok)
	<-done
	raw.Get("result").Call("close")

	s, err := Open(ctxFor(t), Options{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { deleteDB(t, name) })
	defer s.Close()
	if err := s.SaveHistory(ctxFor(t), SandboxHistory{ID: "x"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Quarantined(ctxFor(t)); err != nil {
		t.Fatal(err)
	}
}

func sameSet(a, b []string) bool {
	m := map[string]int{}
	for _, x := range a {
		m[x]++
	}
	for _, x := range b {
		m[x]--
	}
	for _, v := range m {
		if v != 0 {
			return false
		}
	}
	return true
}

// A second tab with a newer build upgrades the database: the first tab's
// connection closes, it reports that, and it answers ErrSuperseded.
func TestSecondTabUpgrades(t *testing.T) {
	first, n := openTest(t, 1)
	ctx := ctxFor(t)
	if err := first.SaveSettings(ctx, AppSettings{Theme: ThemeLight}); err != nil {
		t.Fatal(err)
	}

	second, err := Open(ctx, Options{Name: "miplay-test-" + t.Name()})
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	n.wait(t, NoticeSuperseded)
	if _, err := first.Settings(ctx); !errors.Is(err, ErrSuperseded) {
		t.Errorf("first tab Settings: err = %v, want ErrSuperseded", err)
	}
	if got, err := second.Settings(ctx); err != nil || got.Theme != ThemeLight {
		t.Errorf("second tab Settings = %v, %v", got, err)
	}
}

// A connection that ignores versionchange (an old build that never closes)
// blocks the upgrade: Open reports it and goes on once it closes.
func TestBlockedByOldTab(t *testing.T) {
	name := "miplay-test-" + t.Name()
	ctx := ctxFor(t)
	t.Cleanup(func() { deleteDB(t, name) })
	stale := rawOpen(t, name, 1, Schema[0].Stores)

	n := make(notices, 16)
	type result struct {
		s   *Store
		err error
	}
	opened := make(chan result, 1)
	go func() {
		s, err := Open(ctx, Options{Name: name, Notify: n.notify})
		opened <- result{s, err}
	}()
	n.wait(t, NoticeBlocked)
	select {
	case r := <-opened:
		t.Fatalf("Open returned while blocked: %v", r.err)
	default:
	}
	stale.Call("close")
	r := <-opened
	if r.err != nil {
		t.Fatal(r.err)
	}
	defer r.s.Close()
	if err := r.s.SaveSettings(ctx, AppSettings{Theme: ThemeDark}); err != nil {
		t.Fatal(err)
	}
}

// A newer build upgraded the database: this build uses it as it is.
func TestNewerDatabase(t *testing.T) {
	name := "miplay-test-" + t.Name()
	t.Cleanup(func() { deleteDB(t, name) })
	newer := int(SchemaVersion) + 1
	rawOpen(t, name, newer, []string{Histories, Progress, Scenarios, Settings, Quarantine, "somethingNew"}).Call("close")
	s, err := Open(ctxFor(t), Options{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Version() != uint(newer) {
		t.Errorf("Version = %d, want %d", s.Version(), newer)
	}
	if err := s.SaveSettings(ctxFor(t), AppSettings{Theme: ThemeDark}); err != nil {
		t.Fatal(err)
	}
}

// A newer database without a store this build needs cannot be used.
func TestNewerDatabaseMissingStore(t *testing.T) {
	name := "miplay-test-" + t.Name()
	t.Cleanup(func() { deleteDB(t, name) })
	rawOpen(t, name, int(SchemaVersion)+1, []string{Histories}).Call("close")
	_, err := Open(ctxFor(t), Options{Name: name})
	if err == nil || !strings.Contains(err.Error(), "has no") {
		t.Errorf("Open = %v, want an error naming a missing store", err)
	}
}

// rawOpen opens a database with plain JavaScript, creating the given stores
// if it creates the database, and without any versionchange handler.
func rawOpen(t *testing.T, name string, version int, stores []string) js.Value {
	t.Helper()
	req := js.Global().Get("indexedDB").Call("open", name, version)
	done := make(chan string, 1)
	upgrade := js.FuncOf(func(js.Value, []js.Value) any {
		db := req.Get("result")
		for _, s := range stores {
			if s == Quarantine {
				db.Call("createObjectStore", s, map[string]any{"autoIncrement": true})
			} else {
				db.Call("createObjectStore", s)
			}
		}
		return nil
	})
	success := js.FuncOf(func(js.Value, []js.Value) any { done <- ""; return nil })
	failure := js.FuncOf(func(js.Value, []js.Value) any { done <- req.Get("error").Call("toString").String(); return nil })
	defer upgrade.Release()
	defer success.Release()
	defer failure.Release()
	req.Set("onupgradeneeded", upgrade)
	req.Set("onsuccess", success)
	req.Set("onerror", failure)
	if msg := <-done; msg != "" {
		t.Fatalf("opening %s: %s", name, msg)
	}
	return req.Get("result")
}
