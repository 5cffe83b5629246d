package app

import (
	"context"
	goembed "embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/miplay/miplay/app/store"
	"github.com/miplay/miplay/app/wire"
)

// libraryFiles is the scenario library as the pages read it: one JSON file
// of a wire.Scenario per file of scenarios.Library, written by
//
//	go test ./app -run TestLibraryFiles -update
//
// (which fails, without -update, when they are out of date). The page's
// program carries these instead of the Markdown files, because parsing a
// scenario file takes the engine's parser, which only the engine's worker
// links (see package wire). Beside them, library/openings has each
// scenario's start in the player (wire.PlayOpening), written by the same
// command.
//
//go:embed library/*.json library/openings/*.json
var libraryFiles goembed.FS

// libraryDir and openingsDir are where libraryFiles keeps the files.
const (
	libraryDir  = "library"
	openingsDir = "library/openings"
)

// library is the scenario library, decoded once per process (or page
// load): the whole list for the gallery, one file at a time for a player,
// which need not wait for the others.
type library struct {
	fsys fs.FS

	mu   sync.Mutex
	one  map[string]*wire.Scenario // by slug; nil for no such scenario
	list []*wire.Scenario
	err  error
	done bool
	// openings, by slug, decoded as players ask; nil for none
	openings map[string]*opening
}

var lib = &library{fsys: libraryFiles}

// Library returns the scenarios of the library, in file name order.
func Library() ([]*wire.Scenario, error) { return lib.all() }

func (l *library) all() ([]*wire.Scenario, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.done {
		return l.list, l.err
	}
	l.done = true
	entries, err := fs.ReadDir(l.fsys, libraryDir)
	if err != nil {
		l.err = err
		return nil, err
	}
	var errs []string
	for _, e := range entries {
		slug, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok {
			continue
		}
		s, err := l.decodeLocked(slug)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		l.list = append(l.list, s)
	}
	sort.Slice(l.list, func(i, j int) bool { return l.list[i].Name < l.list[j].Name })
	if len(errs) > 0 {
		l.err = fmt.Errorf("the library: %s", strings.Join(errs, "; "))
	}
	return l.list, l.err
}

// libraryScenario finds a scenario of the library by its slug, or returns
// nil. It decodes that scenario's file alone.
func libraryScenario(slug string) *wire.Scenario { return lib.find(slug) }

func (l *library) find(slug string) *wire.Scenario {
	l.mu.Lock()
	defer l.mu.Unlock()
	s, err := l.decodeLocked(slug)
	if err != nil {
		return nil
	}
	return s
}

// decodeLocked decodes the file of slug once; l.mu is held.
func (l *library) decodeLocked(slug string) (*wire.Scenario, error) {
	if s, ok := l.one[slug]; ok {
		return s, nil
	}
	name := slug + ".json"
	if slug == "" || !fs.ValidPath(name) || path.Base(name) != name {
		return nil, fmt.Errorf("no scenario %q", slug)
	}
	b, err := fs.ReadFile(l.fsys, libraryDir+"/"+name)
	if err != nil {
		return nil, err
	}
	var s wire.Scenario
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("%s/%s: %w", libraryDir, name, err)
	}
	if l.one == nil {
		l.one = map[string]*wire.Scenario{}
	}
	l.one[slug] = &s
	return &s, nil
}

// Slug is a scenario's name in URLs, /play/{slug}: its file name without
// the .md.
func Slug(s *wire.Scenario) string { return s.Slug() }

// parseUploaded asks the engine to parse a scenario the learner uploaded.
// Its slug is the record's name without a trailing .md. A file that does
// not parse comes back as a *wire.Error whose Problems list its lines.
func parseUploaded(ctx context.Context, u store.UploadedScenario) (*wire.Scenario, error) {
	name := u.Name
	if !strings.HasSuffix(name, ".md") {
		name += ".md"
	}
	return parseScenario(ctx, name, u.Source)
}

// parseScenario asks the engine to parse a scenario file.
func parseScenario(ctx context.Context, name, source string) (*wire.Scenario, error) {
	resp, err := callEngine[wire.ParseResponse](ctx, wire.MethodParse, wire.ParseRequest{Name: name, Source: source})
	if err != nil {
		return nil, err
	}
	return resp.Scenario, nil
}

// libraryOpening returns how the scenario of the library named slug starts
// in the player (wire.PlayOpening), or nil if the library has no such
// scenario. It decodes the opening's first state at once, and its first
// step when asked (opening.first): most pages never run it, and it is
// twenty times the bytes.
func libraryOpening(slug string) *opening { return lib.opening(slug) }

// An opening is a wire.PlayOpening as the page's library holds it.
type opening struct {
	Open wire.PlayState
	// First, undecoded until first asks.
	First json.RawMessage

	name      string // the file's, for errors
	firstOnce sync.Once
	firstSt   wire.PlayState
	firstErr  error
}

// first returns the state after the first step.
func (o *opening) first() (wire.PlayState, error) {
	o.firstOnce.Do(func() {
		if err := json.Unmarshal(o.First, &o.firstSt); err != nil {
			o.firstErr = fmt.Errorf("%s: First: %w", o.name, err)
		}
	})
	return o.firstSt, o.firstErr
}

func (l *library) opening(slug string) *opening {
	l.mu.Lock()
	defer l.mu.Unlock()
	if o, ok := l.openings[slug]; ok {
		return o
	}
	name := slug + ".json"
	if slug == "" || !fs.ValidPath(name) || path.Base(name) != name {
		return nil
	}
	b, err := fs.ReadFile(l.fsys, openingsDir+"/"+name)
	if err != nil {
		return nil
	}
	o := &opening{name: openingsDir + "/" + name}
	if err := json.Unmarshal(b, o); err != nil {
		reportError("Could not read the scenario's opening", fmt.Errorf("%s: %w", o.name, err))
		o = nil
	}
	if l.openings == nil {
		l.openings = map[string]*opening{}
	}
	l.openings[slug] = o
	return o
}
