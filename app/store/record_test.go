package store

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestSchemaVersionsIncrease(t *testing.T) {
	seen := map[string]uint{}
	for i, s := range Schema {
		if s.Version != uint(i+1) {
			t.Errorf("Schema[%d].Version = %d, want %d", i, s.Version, i+1)
		}
		for _, name := range append(append([]string{}, s.Stores...), s.Logs...) {
			if v, ok := seen[name]; ok {
				t.Errorf("store %q created by version %d and again by %d", name, v, s.Version)
			}
			seen[name] = s.Version
		}
	}
	for _, name := range []string{Histories, Progress, Scenarios, Settings, Quarantine} {
		if _, ok := seen[name]; !ok {
			t.Errorf("no schema step creates %q", name)
		}
	}
}

func TestStepsBetween(t *testing.T) {
	tests := []struct {
		old, new uint
		want     []uint
	}{
		{0, SchemaVersion, []uint{1, 2}},
		{1, 2, []uint{2}},
		{2, 2, nil},
	}
	for _, tt := range tests {
		var got []uint
		for _, s := range stepsBetween(tt.old, tt.new) {
			got = append(got, s.Version)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("stepsBetween(%d, %d) = %v, want %v", tt.old, tt.new, got, tt.want)
		}
	}
}

func roundTrip[T Record](t *testing.T, rec T) {
	t.Helper()
	raw, err := encode(rec)
	if err != nil {
		t.Fatalf("encode(%#v): %v", rec, err)
	}
	got, err := decode[T](raw, rec.Key())
	if err != nil {
		t.Fatalf("decode(%s): %v", raw, err)
	}
	if !reflect.DeepEqual(got, rec) {
		t.Errorf("round trip of %T:\n got %#v\nwant %#v", rec, got, rec)
	}
}

func TestRoundTrip(t *testing.T) {
	at := time.Date(2025, 3, 1, 9, 30, 0, 0, time.UTC)
	roundTrip(t, AppSettings{Theme: ThemeDark})
	roundTrip(t, SandboxHistory{ID: "s1", Title: "try IMDS", Commands: []Command{{Line: "az login"}, {Host: "vm-web", Line: "curl -s ..."}}, Updated: at})
	roundTrip(t, ExerciseProgress{Scenario: "vm-reads-blob", Step: 3, HintsShown: 1, Solved: true, Updated: at})
	roundTrip(t, UploadedScenario{Name: "mine.md", Source: "# Mine\n", Uploaded: at})
}

func TestDecodeRejects(t *testing.T) {
	tests := []struct {
		raw, key, want string
	}{
		{`{"scenario":"a","step":1`, "a", "bad JSON"},
		{`"just a string"`, "a", "bad JSON"},
		{`{"scenario":"b","step":1}`, "a", `stored under "a"`},
		{`{"scenario":"a","step":-1}`, "a", "negative"},
	}
	for _, tt := range tests {
		_, err := decode[ExerciseProgress](tt.raw, tt.key)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("decode(%s, %q) = %v, want an error containing %q", tt.raw, tt.key, err, tt.want)
		}
	}
	if _, err := decode[AppSettings](`{"theme":"purple"}`, SettingsKey); err == nil {
		t.Errorf("decode accepted an unknown theme")
	}
	// A record from a newer build, with a field this build does not know, reads.
	if _, err := decode[AppSettings](`{"theme":"dark","fontSize":3}`, SettingsKey); err != nil {
		t.Errorf("decode rejected an unknown field: %v", err)
	}
}

func TestEncodeRejectsEmptyKey(t *testing.T) {
	if _, err := encode(SandboxHistory{}); err == nil {
		t.Errorf("encode accepted a history without an ID")
	}
}

func TestNoticeStrings(t *testing.T) {
	for k := NoticeQuarantined; k <= NoticeClosed; k++ {
		if s := (Notice{Kind: k, Store: Progress, Key: "x", Reason: "bad JSON"}).String(); strings.HasPrefix(s, "store notice") {
			t.Errorf("Notice kind %d has no message", k)
		}
	}
}
