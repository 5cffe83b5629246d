package app

import (
	"path"
	"strings"
	"sync"

	"github.com/miplay/miplay/app/store"
	"github.com/miplay/miplay/scenarios"
)

// The scenario library, parsed once per process (or page load).
var lib struct {
	once sync.Once
	list []*scenarios.Scenario
	err  error
}

// Library returns the scenarios of scenarios.Library that parse, in file
// name order, and the error of those that do not.
func Library() ([]*scenarios.Scenario, error) {
	lib.once.Do(func() {
		lib.list, lib.err = scenarios.ParseFS(scenarios.Library)
	})
	return lib.list, lib.err
}

// Slug is a scenario's name in URLs, /play/{slug}: its file name without
// the .md.
func Slug(s *scenarios.Scenario) string {
	return strings.TrimSuffix(path.Base(s.Name), ".md")
}

// libraryScenario finds a scenario of the library by its slug.
func libraryScenario(slug string) *scenarios.Scenario {
	list, _ := Library()
	for _, s := range list {
		if Slug(s) == slug {
			return s
		}
	}
	return nil
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
