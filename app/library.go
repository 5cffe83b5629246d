package app

import (
	"io/fs"
	"path"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/miplay/miplay/app/store"
	"github.com/miplay/miplay/scenarios"
)

// The scenario library, parsed once per process (or page load); and,
// until then, the files libraryScenario parsed one by one.
var lib struct {
	once sync.Once
	done atomic.Bool
	list []*scenarios.Scenario
	err  error

	mu  sync.Mutex
	one map[string]*scenarios.Scenario // by slug; nil for no such scenario
}

// Library returns the scenarios of scenarios.Library that parse, in file
// name order, and the error of those that do not.
func Library() ([]*scenarios.Scenario, error) {
	lib.once.Do(func() {
		lib.list, lib.err = scenarios.ParseFS(scenarios.Library)
		lib.done.Store(true)
	})
	return lib.list, lib.err
}

// Slug is a scenario's name in URLs, /play/{slug}: its file name without
// the .md.
func Slug(s *scenarios.Scenario) string {
	return strings.TrimSuffix(path.Base(s.Name), ".md")
}

// libraryScenario finds a scenario of the library by its slug. Until the
// whole library has been parsed (the gallery parses it), it parses only
// that scenario's file: the player of one scenario does not wait for every
// other to parse, which takes 150 ms in the browser (make bench).
func libraryScenario(slug string) *scenarios.Scenario {
	if lib.done.Load() {
		list, _ := Library()
		for _, s := range list {
			if Slug(s) == slug {
				return s
			}
		}
		return nil
	}
	lib.mu.Lock()
	defer lib.mu.Unlock()
	if s, ok := lib.one[slug]; ok {
		return s
	}
	s := parseLibraryFile(slug)
	if lib.one == nil {
		lib.one = map[string]*scenarios.Scenario{}
	}
	lib.one[slug] = s
	return s
}

// parseLibraryFile parses the library's file of a slug, or returns nil if
// there is none or it does not parse, as Library leaves it out.
func parseLibraryFile(slug string) *scenarios.Scenario {
	name := slug + ".md"
	if !fs.ValidPath(name) || path.Base(name) != name || !scenarios.IsScenarioFile(name) {
		return nil
	}
	src, err := fs.ReadFile(scenarios.Library, name)
	if err != nil {
		return nil
	}
	s, err := scenarios.Parse(name, src)
	if err != nil {
		return nil
	}
	return s
}

// parseUploaded parses a scenario the learner uploaded. Its slug is the
// record's name without a trailing .md.
func parseUploaded(u store.UploadedScenario) (*scenarios.Scenario, error) {
	name := u.Name
	if !strings.HasSuffix(name, ".md") {
		name += ".md"
	}
	return scenarios.Parse(name, []byte(u.Source))
}
