package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Object store names.
const (
	Histories  = "histories"  // SandboxHistory records, keyed by ID
	Progress   = "progress"   // ExerciseProgress records, keyed by scenario
	Scenarios  = "scenarios"  // UploadedScenario records, keyed by name
	Settings   = "settings"   // the one AppSettings record, key SettingsKey
	Quarantine = "quarantine" // Quarantined records, keyed by an increasing number
)

// SettingsKey is the key of the single AppSettings record.
const SettingsKey = "app"

// A SchemaStep is one version of the database layout: the object stores that
// version adds. Steps never change or remove what an earlier step made, so
// opening an old database runs the missing steps in order.
type SchemaStep struct {
	Version uint
	Summary string
	Stores  []string // object stores with explicit string keys
	Logs    []string // object stores with auto-incremented keys
}

// Schema lists every version of the database layout, oldest first.
var Schema = []SchemaStep{
	{
		Version: 1,
		Summary: "sandbox histories, exercise progress, uploaded scenarios and settings",
		Stores:  []string{Histories, Progress, Scenarios, Settings},
	},
	{
		Version: 2,
		Summary: "a quarantine for records that cannot be read",
		Logs:    []string{Quarantine},
	},
}

// SchemaVersion is the database version this build opens.
var SchemaVersion = Schema[len(Schema)-1].Version

// stepsBetween returns the steps that upgrade a database from version old to
// version new.
func stepsBetween(old, new uint) []SchemaStep {
	var steps []SchemaStep
	for _, s := range Schema {
		if s.Version > old && s.Version <= new {
			steps = append(steps, s)
		}
	}
	return steps
}

// Theme is the colour scheme the learner chose. The zero value follows the
// browser's prefers-color-scheme.
type Theme string

// Themes.
const (
	ThemeSystem Theme = ""
	ThemeLight  Theme = "light"
	ThemeDark   Theme = "dark"
)

// AppSettings are the learner's preferences.
type AppSettings struct {
	Theme Theme `json:"theme,omitempty"`
}

// Key returns SettingsKey: there is one settings record.
func (AppSettings) Key() string { return SettingsKey }

func (s AppSettings) validate() error {
	switch s.Theme {
	case ThemeSystem, ThemeLight, ThemeDark:
		return nil
	}
	return fmt.Errorf("unknown theme %q", s.Theme)
}

// A Command is one command line the learner ran, and where.
type Command struct {
	Host string `json:"host"` // "" is the workstation; otherwise a compute resource such as "vm-web"
	Line string `json:"line"`
	// Solution marks a command of an exercise's solution, run because the
	// learner asked to see it.
	Solution bool `json:"solution,omitempty"`
}

// SandboxHistory is what the learner typed in one sandbox. The engine is
// deterministic, so replaying the commands rebuilds the sandbox.
type SandboxHistory struct {
	ID       string    `json:"id"`
	Title    string    `json:"title,omitempty"`
	Commands []Command `json:"commands"`
	Updated  time.Time `json:"updated"`
}

// Key returns the history's ID.
func (h SandboxHistory) Key() string { return h.ID }

func (h SandboxHistory) validate() error { return nil }

// ExerciseProgress is how far the learner got in one scenario or exercise.
type ExerciseProgress struct {
	Scenario   string    `json:"scenario"` // the scenario's name, as in /play/{scenario}
	Step       int       `json:"step"`     // steps run so far
	HintsShown int       `json:"hintsShown,omitempty"`
	Commands   []Command `json:"commands,omitempty"` // the learner's own commands, for replay
	Solved     bool      `json:"solved,omitempty"`
	Updated    time.Time `json:"updated"`
}

// Key returns the scenario name.
func (p ExerciseProgress) Key() string { return p.Scenario }

func (p ExerciseProgress) validate() error {
	if p.Step < 0 || p.HintsShown < 0 {
		return errors.New("negative step or hint count")
	}
	return nil
}

// UploadedScenario is a scenario file the learner loaded from disk.
type UploadedScenario struct {
	Name     string    `json:"name"`
	Source   string    `json:"source"` // the Markdown text
	Uploaded time.Time `json:"uploaded"`
}

// Key returns the scenario name.
func (s UploadedScenario) Key() string { return s.Name }

func (s UploadedScenario) validate() error { return nil }

// Quarantined is a record that could not be read, set aside with the reason.
type Quarantined struct {
	ID     int64     `json:"-"`      // the quarantine store's key
	Store  string    `json:"store"`  // where it was found
	Key    string    `json:"key"`    // under which key
	Raw    string    `json:"raw"`    // what was there, as text
	Reason string    `json:"reason"` // why it could not be read
	At     time.Time `json:"at"`
}

// Record is implemented by the record types kept under a string key.
type Record interface {
	AppSettings | SandboxHistory | ExerciseProgress | UploadedScenario
	Key() string
	validate() error
}

// encode returns the JSON text stored for rec.
func encode[T Record](rec T) (string, error) {
	if rec.Key() == "" {
		return "", fmt.Errorf("store: %T has an empty key", rec)
	}
	if err := rec.validate(); err != nil {
		return "", fmt.Errorf("store: %T %q: %v", rec, rec.Key(), err)
	}
	b, err := json.Marshal(rec)
	if err != nil {
		return "", fmt.Errorf("store: %T %q: %v", rec, rec.Key(), err)
	}
	return string(b), nil
}

// decode parses the JSON text found under key. Unknown fields are allowed, so
// that a record written by a newer build still reads.
func decode[T Record](raw, key string) (T, error) {
	var rec T
	if err := json.Unmarshal([]byte(raw), &rec); err != nil {
		return rec, fmt.Errorf("bad JSON: %v", err)
	}
	if rec.Key() != key {
		return rec, fmt.Errorf("record says its key is %q, but it is stored under %q", rec.Key(), key)
	}
	if err := rec.validate(); err != nil {
		return rec, err
	}
	return rec, nil
}

// NoticeKind says what a Notice is about.
type NoticeKind int

// Notice kinds.
const (
	// NoticeQuarantined: a record could not be read and was moved to the
	// quarantine store.
	NoticeQuarantined NoticeKind = iota + 1
	// NoticeBlocked: opening the database waits for another tab, which still
	// has an older version open, to close it.
	NoticeBlocked
	// NoticeSuperseded: another tab opened a newer version of the database,
	// so this connection closed. The tab must reload.
	NoticeSuperseded
	// NoticeClosed: the browser closed the connection (for example, the
	// learner cleared site data).
	NoticeClosed
)

// A Notice is something the store reports to the app while it carries on:
// nothing in it is fatal.
type Notice struct {
	Kind   NoticeKind
	Store  string // for NoticeQuarantined
	Key    string // for NoticeQuarantined
	Reason string
}

func (n Notice) String() string {
	switch n.Kind {
	case NoticeQuarantined:
		return fmt.Sprintf("A saved %s record (%q) could not be read and was set aside: %s", n.Store, n.Key, n.Reason)
	case NoticeBlocked:
		return "Waiting for other miplay tabs to let go of the old saved data; close them or reload them."
	case NoticeSuperseded:
		return "miplay was updated in another tab. Reload this tab to keep saving your work."
	case NoticeClosed:
		return "The browser closed miplay's saved data (site data cleared?). Reload to start fresh."
	}
	return fmt.Sprintf("store notice %d: %s", int(n.Kind), n.Reason)
}

// ErrSuperseded is returned by every method of a Store whose connection was
// closed because another tab opened a newer schema.
var ErrSuperseded = errors.New("store: the saved data was upgraded by another miplay tab; reload this tab")

// ErrClosed is returned by the methods of a Store after Close, or after the
// browser closed the connection.
var ErrClosed = errors.New("store: closed")
