package app

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/miplay/miplay/app/store"
	"github.com/miplay/miplay/app/wire"
)

// The scenario library as the pages read it is libraryData
// (library_data.go): each scenario of scenarios.Library as the engine
// parses it, and its opening, its start in the player as the engine
// answers it (wire.PlayOpening, see opening.go). Both are Go literals,
// written by
//
//	go test ./app -run TestLibraryFiles -update
//
// (which fails, without -update, when they are out of date). The page's
// program carries these instead of the Markdown files, because parsing a
// scenario file takes the engine's parser, which only the engine's worker
// links (see package wire); and carries them as literals rather than JSON
// because a literal is static data, which the page reads without decoding
// (package golit).

// A libraryEntry is one scenario of libraryData.
type libraryEntry struct {
	slug     string
	scenario *wire.Scenario
	opening  *wire.PlayOpening
	// setTimes sets both values' times, which their literals leave zero
	// (golit.Literal.Times); once, before either value is used.
	setTimes func()
	timesSet sync.Once
}

// libraryTime is a time of libraryData, in UTC as the engine makes them.
func libraryTime(sec int64, nsec int64) time.Time { return time.Unix(sec, nsec).UTC() }

// library is the scenario library. A page reads one scenario, and the
// gallery all of them; each has its times set on first use.
type library struct {
	entries []libraryEntry // in file name order
}

var lib = &library{entries: libraryData}

// Library returns the scenarios of the library, in file name order.
func Library() []*wire.Scenario { return lib.all() }

func (l *library) all() []*wire.Scenario {
	list := make([]*wire.Scenario, 0, len(l.entries))
	for i := range l.entries {
		list = append(list, l.use(i).scenario)
	}
	return list
}

// use returns the entry i, its times set.
func (l *library) use(i int) *libraryEntry {
	e := &l.entries[i]
	e.timesSet.Do(e.setTimes)
	return e
}

// lookup returns the entry of slug, or nil.
func (l *library) lookup(slug string) *libraryEntry {
	for i := range l.entries {
		if l.entries[i].slug == slug {
			return l.use(i)
		}
	}
	return nil
}

// libraryScenario finds a scenario of the library by its slug, or returns
// nil.
func libraryScenario(slug string) *wire.Scenario { return lib.find(slug) }

func (l *library) find(slug string) *wire.Scenario {
	if e := l.lookup(slug); e != nil {
		return e.scenario
	}
	return nil
}

// libraryOpening returns how the scenario of the library named slug starts
// in the player (wire.PlayOpening), or nil if the library has no such
// scenario.
func libraryOpening(slug string) *wire.PlayOpening { return lib.opening(slug) }

func (l *library) opening(slug string) *wire.PlayOpening {
	if e := l.lookup(slug); e != nil {
		return e.opening
	}
	return nil
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
