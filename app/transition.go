package app

import (
	"path"
	"strings"

	"github.com/miplay/miplay/app/wire"
	"github.com/miplay/miplay/scenarios"
)

// engineScenario parses a scenario the pages hold back into the engine's
// type, for the pages that still run the engine in the page. It goes when
// the last of them calls the engine's worker instead.
func engineScenario(s *wire.Scenario) *scenarios.Scenario {
	if s == nil {
		return nil
	}
	p, err := scenarios.Parse(s.Name, []byte(s.Source))
	if err != nil {
		return nil
	}
	return p
}

// engineSlug is Slug for the engine's type.
func engineSlug(s *scenarios.Scenario) string {
	return strings.TrimSuffix(path.Base(s.Name), ".md")
}
