//go:build js && wasm

package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"syscall/js"
	"time"

	"github.com/hack-pad/go-indexeddb/idb"
)

// DefaultName is the name of the app's database.
const DefaultName = "miplay"

// Options configure Open.
type Options struct {
	// Name is the database name; "" means DefaultName. Tests use their own.
	Name string
	// Notify, if set, receives every Notice, each on its own goroutine.
	Notify func(Notice)
	// Now stamps quarantined records; nil means time.Now.
	Now func() time.Time
}

// A Store is an open connection to the app's database. Its methods may be
// called from several goroutines, but never from the go-app UI goroutine:
// they wait for IndexedDB, so run them in Context.Async.
type Store struct {
	opts    Options
	version uint
	db      *idb.Database

	mu    sync.Mutex
	err   error // why the connection is gone, once it is
	funcs []js.Func
}

// Open opens (creating or upgrading as needed) the database at
// SchemaVersion. If another tab holds an older version open, Open reports
// NoticeBlocked and waits for it, until ctx is done.
func Open(ctx context.Context, opts Options) (*Store, error) {
	return open(ctx, opts, SchemaVersion)
}

func open(ctx context.Context, opts Options, version uint) (*Store, error) {
	if opts.Name == "" {
		opts.Name = DefaultName
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Store{opts: opts, version: version}
	global := js.Global().Get("indexedDB")
	if !global.Truthy() {
		return nil, errors.New("store: this browser offers no IndexedDB (a private window?)")
	}
	db, err := s.openAt(ctx, global, version)
	if errors.Is(err, idb.NewDOMException("VersionError")) {
		// A newer build, in another tab, upgraded the database. Its schema
		// steps only ever add stores, so this build can use it as it is,
		// if the stores it needs are there.
		db, err = s.openAt(ctx, global, 0)
		if err == nil {
			err = s.useNewer(db)
		}
	}
	if err != nil {
		s.release()
		return nil, fmt.Errorf("store: opening %q at version %d: %w", opts.Name, version, err)
	}
	s.db = db
	return s, nil
}

// openAt opens the database at a version; 0 means whatever version it has.
func (s *Store) openAt(ctx context.Context, global js.Value, version uint) (*idb.Database, error) {
	factory, err := idb.WrapFactory(s.hookFactory(global))
	if err != nil {
		return nil, err
	}
	req, err := factory.Open(ctx, s.opts.Name, version, upgrade)
	if err != nil {
		return nil, err
	}
	db, err := req.Await(ctx)
	if err == nil {
		err = ctx.Err() // Await returns no error when ctx ends first
	}
	return db, err
}

// useNewer checks that a database of a newer version has every store this
// build uses, and records its version.
func (s *Store) useNewer(db *idb.Database) error {
	v, err := db.Version()
	if err == nil {
		var names []string
		names, err = db.ObjectStoreNames()
		for _, step := range Schema {
			for _, name := range append(append([]string{}, step.Stores...), step.Logs...) {
				if err == nil && !contains(names, name) {
					err = fmt.Errorf("the database is at version %d, newer than this build's %d, and has no %q store", v, SchemaVersion, name)
				}
			}
		}
	}
	if err != nil {
		db.Close()
		return err
	}
	s.version = v
	return nil
}

// upgrade runs the schema steps up to the new version. A step creates only
// the stores that are missing, so a database that some other code opened
// empty at version 1 still gets every store.
func upgrade(db *idb.Database, oldVersion, newVersion uint) error {
	names, err := db.ObjectStoreNames()
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, n := range names {
		have[n] = true
	}
	for _, step := range stepsBetween(0, newVersion) {
		for _, name := range append(append([]string{}, step.Stores...), step.Logs...) {
			if have[name] {
				continue
			}
			opts := idb.ObjectStoreOptions{}
			if contains(step.Logs, name) {
				opts.AutoIncrement = true
			}
			if _, err := db.CreateObjectStore(name, opts); err != nil {
				return fmt.Errorf("schema version %d: creating %q: %w", step.Version, name, err)
			}
			have[name] = true
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// hookFactory wraps window.indexedDB so that the store sees the events
// go-indexeddb does not expose: "blocked" on the open request, and
// "versionchange" and "close" on the connection. go-indexeddb closes the
// connection on "versionchange" itself; the store also has to know, so that it
// stops answering and tells the app.
func (s *Store) hookFactory(real js.Value) js.Value {
	f := js.Global().Get("Object").New()
	f.Set("open", s.funcOf(func(_ js.Value, args []js.Value) any {
		req := real.Call("open", values(args)...)
		req.Call("addEventListener", "blocked", s.funcOf(func(js.Value, []js.Value) any {
			s.notify(Notice{Kind: NoticeBlocked})
			return nil
		}))
		req.Call("addEventListener", "success", s.funcOf(func(js.Value, []js.Value) any {
			db := req.Get("result")
			db.Call("addEventListener", "versionchange", s.funcOf(func(_ js.Value, args []js.Value) any {
				if len(args) > 0 && args[0].Get("newVersion").IsNull() {
					s.lost(db, ErrClosed, Notice{Kind: NoticeClosed, Reason: "the database was deleted"})
					return nil
				}
				s.lost(db, ErrSuperseded, Notice{Kind: NoticeSuperseded})
				return nil
			}))
			db.Call("addEventListener", "close", s.funcOf(func(js.Value, []js.Value) any {
				s.lost(db, ErrClosed, Notice{Kind: NoticeClosed})
				return nil
			}))
			return nil
		}))
		return req
	}))
	f.Set("deleteDatabase", real.Get("deleteDatabase").Call("bind", real))
	f.Set("cmp", real.Get("cmp").Call("bind", real))
	return f
}

func values(args []js.Value) []any {
	out := make([]any, len(args))
	for i, a := range args {
		out[i] = a
	}
	return out
}

func (s *Store) funcOf(fn func(js.Value, []js.Value) any) js.Func {
	f := js.FuncOf(fn)
	s.mu.Lock()
	s.funcs = append(s.funcs, f)
	s.mu.Unlock()
	return f
}

// lost records that the connection is gone, closes it, and tells the app.
func (s *Store) lost(db js.Value, err error, n Notice) {
	s.mu.Lock()
	first := s.err == nil
	if first {
		s.err = err
	}
	s.mu.Unlock()
	db.Call("close")
	if first {
		s.notify(n)
	}
}

func (s *Store) notify(n Notice) {
	if s.opts.Notify != nil {
		go s.opts.Notify(n)
	}
}

// Version returns the schema version of the open database: SchemaVersion,
// or a newer one that a newer build made and this build can still use.
func (s *Store) Version() uint { return s.version }

// Close closes the connection. Methods called after it return ErrClosed.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.err == nil {
		s.err = ErrClosed
	}
	s.mu.Unlock()
	var err error
	if s.db != nil {
		err = s.db.Close()
	}
	// The callbacks may still be called by events already queued; keep them
	// until those have run.
	time.AfterFunc(time.Second, s.release)
	return err
}

func (s *Store) release() {
	s.mu.Lock()
	funcs := s.funcs
	s.funcs = nil
	s.mu.Unlock()
	for _, f := range funcs {
		f.Release()
	}
}

// conn returns the open database, or why there is none.
func (s *Store) conn() (*idb.Database, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return nil, s.err
	}
	return s.db, nil
}

// fail wraps an IndexedDB error, preferring the reason the connection is gone
// if it is gone.
func (s *Store) fail(op, store string, err error) error {
	if _, cerr := s.conn(); cerr != nil {
		return cerr
	}
	return fmt.Errorf("store: %s %s: %w", op, store, err)
}

// txn starts a transaction and starts waiting for its end at once, so that
// the completion event cannot be missed.
func (s *Store) txn(ctx context.Context, mode idb.TransactionMode, stores ...string) (*idb.Transaction, <-chan error, error) {
	db, err := s.conn()
	if err != nil {
		return nil, nil, err
	}
	tx, err := db.Transaction(mode, stores[0], stores[1:]...)
	if err != nil {
		return nil, nil, err
	}
	done := make(chan error, 1)
	go func() { done <- tx.Await(ctx) }()
	return tx, done, nil
}

// reader checks values read from one store in one read-write transaction
// that also covers the quarantine, and moves the unreadable ones there.
type reader struct {
	s       *Store
	store   string
	q       *idb.ObjectStore
	notices []Notice
	err     error
}

// check returns the text of a stored value if it is a string, and otherwise
// says why not. raw is the best text rendering of the value either way.
func check(v js.Value) (raw string, err error) {
	if v.Type() == js.TypeString {
		return v.String(), nil
	}
	defer func() {
		if recover() != nil {
			raw = v.Type().String()
		}
	}()
	return js.Global().Get("JSON").Call("stringify", v).String(), fmt.Errorf("value is a JavaScript %s, not JSON text", v.Type())
}

// quarantine sets the value found under key aside, and deletes it with del.
func (r *reader) quarantine(key, raw string, why error, del func() error) {
	q := Quarantined{Store: r.store, Key: key, Raw: raw, Reason: why.Error(), At: r.s.opts.Now().UTC()}
	b, _ := json.Marshal(q)
	if _, err := r.q.Add(js.ValueOf(string(b))); err != nil {
		r.err = err
		return
	}
	if err := del(); err != nil {
		r.err = err
		return
	}
	r.notices = append(r.notices, Notice{Kind: NoticeQuarantined, Store: r.store, Key: key, Reason: why.Error()})
}

func read[T Record](r *reader, key string, v js.Value, del func() error) (T, bool) {
	raw, err := check(v)
	if err == nil {
		var rec T
		rec, err = decode[T](raw, key)
		if err == nil {
			return rec, true
		}
	}
	r.quarantine(key, raw, err, del)
	var zero T
	return zero, false
}

func (r *reader) finish(done <-chan error) error {
	err := <-done
	if err == nil {
		err = r.err
	}
	if err != nil {
		return r.s.fail("reading", r.store, err)
	}
	for _, n := range r.notices {
		r.s.notify(n)
	}
	return nil
}

// get reads one record. A missing or unreadable record is (zero, false, nil).
func get[T Record](ctx context.Context, s *Store, store, key string) (T, bool, error) {
	var rec T
	var found bool
	tx, done, err := s.txn(ctx, idb.TransactionReadWrite, store, Quarantine)
	if err != nil {
		return rec, false, s.fail("reading", store, err)
	}
	st, err := tx.ObjectStore(store)
	if err != nil {
		return rec, false, s.fail("reading", store, err)
	}
	q, err := tx.ObjectStore(Quarantine)
	if err != nil {
		return rec, false, s.fail("reading", store, err)
	}
	r := &reader{s: s, store: store, q: q}
	req, err := st.Get(js.ValueOf(key))
	if err != nil {
		return rec, false, s.fail("reading", store, err)
	}
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// The callback runs inside the success event, while the transaction is
	// still active, so it may write the quarantine.
	err = req.ListenSuccess(lctx, func() {
		v, err := req.Result()
		if err != nil {
			r.err = err
			return
		}
		if v.IsUndefined() {
			return
		}
		rec, found = read[T](r, key, v, func() error {
			_, err := st.Delete(js.ValueOf(key))
			return err
		})
	})
	if err != nil {
		return rec, false, s.fail("reading", store, err)
	}
	if err := r.finish(done); err != nil {
		var zero T
		return zero, false, err
	}
	return rec, found, nil
}

// list reads every record of a store, in key order.
func list[T Record](ctx context.Context, s *Store, store string) ([]T, error) {
	tx, done, err := s.txn(ctx, idb.TransactionReadWrite, store, Quarantine)
	if err != nil {
		return nil, s.fail("reading", store, err)
	}
	st, err := tx.ObjectStore(store)
	if err != nil {
		return nil, s.fail("reading", store, err)
	}
	q, err := tx.ObjectStore(Quarantine)
	if err != nil {
		return nil, s.fail("reading", store, err)
	}
	r := &reader{s: s, store: store, q: q}
	cur, err := st.OpenCursor(idb.CursorNext)
	if err != nil {
		return nil, s.fail("reading", store, err)
	}
	var out []T
	err = cur.Iter(ctx, func(c *idb.CursorWithValue) error {
		k, err := c.Key()
		if err != nil {
			return err
		}
		v, err := c.Value()
		if err != nil {
			return err
		}
		del := func() error { _, err := c.Delete(); return err }
		if k.Type() != js.TypeString {
			keyText, _ := check(k)
			raw, _ := check(v)
			r.quarantine(keyText, raw, fmt.Errorf("key is a JavaScript %s, not a string", k.Type()), del)
			return r.err
		}
		if rec, ok := read[T](r, k.String(), v, del); ok {
			out = append(out, rec)
		}
		return r.err
	})
	if err != nil {
		r.err = err
	}
	if err := r.finish(done); err != nil {
		return nil, err
	}
	return out, nil
}

func put[T Record](ctx context.Context, s *Store, store string, rec T) error {
	raw, err := encode(rec)
	if err != nil {
		return err
	}
	tx, done, err := s.txn(ctx, idb.TransactionReadWrite, store)
	if err != nil {
		return s.fail("writing", store, err)
	}
	st, err := tx.ObjectStore(store)
	if err != nil {
		return s.fail("writing", store, err)
	}
	if _, err := st.PutKey(js.ValueOf(rec.Key()), js.ValueOf(raw)); err != nil {
		return s.fail("writing", store, err)
	}
	if err := <-done; err != nil {
		return s.fail("writing", store, err)
	}
	return nil
}

func (s *Store) del(ctx context.Context, store, key string) error {
	tx, done, err := s.txn(ctx, idb.TransactionReadWrite, store)
	if err != nil {
		return s.fail("deleting from", store, err)
	}
	st, err := tx.ObjectStore(store)
	if err != nil {
		return s.fail("deleting from", store, err)
	}
	if _, err := st.Delete(js.ValueOf(key)); err != nil {
		return s.fail("deleting from", store, err)
	}
	if err := <-done; err != nil {
		return s.fail("deleting from", store, err)
	}
	return nil
}

// Settings returns the learner's settings; the zero AppSettings if none are
// saved or they could not be read.
func (s *Store) Settings(ctx context.Context) (AppSettings, error) {
	rec, _, err := get[AppSettings](ctx, s, Settings, SettingsKey)
	return rec, err
}

// SaveSettings saves the learner's settings.
func (s *Store) SaveSettings(ctx context.Context, v AppSettings) error {
	return put(ctx, s, Settings, v)
}

// History returns the sandbox history with the given ID, if there is one.
func (s *Store) History(ctx context.Context, id string) (SandboxHistory, bool, error) {
	return get[SandboxHistory](ctx, s, Histories, id)
}

// Histories returns every sandbox history, by ID.
func (s *Store) Histories(ctx context.Context) ([]SandboxHistory, error) {
	return list[SandboxHistory](ctx, s, Histories)
}

// SaveHistory saves a sandbox history, replacing one with the same ID.
func (s *Store) SaveHistory(ctx context.Context, h SandboxHistory) error {
	return put(ctx, s, Histories, h)
}

// DeleteHistory deletes a sandbox history.
func (s *Store) DeleteHistory(ctx context.Context, id string) error {
	return s.del(ctx, Histories, id)
}

// Progress returns the learner's progress in a scenario, if there is any.
func (s *Store) Progress(ctx context.Context, scenario string) (ExerciseProgress, bool, error) {
	return get[ExerciseProgress](ctx, s, Progress, scenario)
}

// AllProgress returns the learner's progress in every scenario, by name.
func (s *Store) AllProgress(ctx context.Context) ([]ExerciseProgress, error) {
	return list[ExerciseProgress](ctx, s, Progress)
}

// SaveProgress saves the learner's progress in a scenario.
func (s *Store) SaveProgress(ctx context.Context, p ExerciseProgress) error {
	return put(ctx, s, Progress, p)
}

// DeleteProgress forgets the learner's progress in a scenario.
func (s *Store) DeleteProgress(ctx context.Context, scenario string) error {
	return s.del(ctx, Progress, scenario)
}

// Scenario returns an uploaded scenario, if there is one with that name.
func (s *Store) Scenario(ctx context.Context, name string) (UploadedScenario, bool, error) {
	return get[UploadedScenario](ctx, s, Scenarios, name)
}

// Scenarios returns every uploaded scenario, by name.
func (s *Store) Scenarios(ctx context.Context) ([]UploadedScenario, error) {
	return list[UploadedScenario](ctx, s, Scenarios)
}

// SaveScenario saves an uploaded scenario, replacing one with the same name.
func (s *Store) SaveScenario(ctx context.Context, sc UploadedScenario) error {
	return put(ctx, s, Scenarios, sc)
}

// DeleteScenario deletes an uploaded scenario.
func (s *Store) DeleteScenario(ctx context.Context, name string) error {
	return s.del(ctx, Scenarios, name)
}

// Quarantined returns the records set aside as unreadable, oldest first.
func (s *Store) Quarantined(ctx context.Context) ([]Quarantined, error) {
	tx, done, err := s.txn(ctx, idb.TransactionReadOnly, Quarantine)
	if err != nil {
		return nil, s.fail("reading", Quarantine, err)
	}
	st, err := tx.ObjectStore(Quarantine)
	if err != nil {
		return nil, s.fail("reading", Quarantine, err)
	}
	cur, err := st.OpenCursor(idb.CursorNext)
	if err != nil {
		return nil, s.fail("reading", Quarantine, err)
	}
	var out []Quarantined
	iterErr := cur.Iter(ctx, func(c *idb.CursorWithValue) error {
		k, err := c.Key()
		if err != nil {
			return err
		}
		v, err := c.Value()
		if err != nil {
			return err
		}
		var q Quarantined
		raw, err := check(v)
		if err == nil {
			err = json.Unmarshal([]byte(raw), &q)
		}
		if err != nil {
			// The quarantine holds what it holds; show it rather than hide it.
			q = Quarantined{Store: Quarantine, Raw: raw, Reason: err.Error()}
		}
		if k.Type() == js.TypeNumber {
			q.ID = int64(k.Float())
		}
		out = append(out, q)
		return nil
	})
	if err := <-done; err != nil {
		return nil, s.fail("reading", Quarantine, err)
	}
	if iterErr != nil {
		return nil, s.fail("reading", Quarantine, iterErr)
	}
	return out, nil
}

// ClearQuarantine deletes every quarantined record.
func (s *Store) ClearQuarantine(ctx context.Context) error {
	tx, done, err := s.txn(ctx, idb.TransactionReadWrite, Quarantine)
	if err != nil {
		return s.fail("clearing", Quarantine, err)
	}
	st, err := tx.ObjectStore(Quarantine)
	if err != nil {
		return s.fail("clearing", Quarantine, err)
	}
	if _, err := st.Clear(); err != nil {
		return s.fail("clearing", Quarantine, err)
	}
	if err := <-done; err != nil {
		return s.fail("clearing", Quarantine, err)
	}
	return nil
}
