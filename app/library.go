package app

import (
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/miplay/miplay/app/store"
	"github.com/miplay/miplay/scenarios"
)

// library is the scenario library, parsed once per process (or page load);
// and, until then, the files find parsed one by one, which the whole parse
// then reuses.
type library struct {
	fsys fs.FS

	once sync.Once
	done atomic.Bool
	list []*scenarios.Scenario
	err  error

	mu  sync.Mutex
	one map[string]*scenarios.Scenario // by slug; nil for no such scenario
}

var lib = &library{fsys: scenarios.Library}

// Library returns the scenarios of scenarios.Library that parse, in file
// name order, and the error of those that do not.
func Library() ([]*scenarios.Scenario, error) { return lib.all() }

func (l *library) all() ([]*scenarios.Scenario, error) {
	l.once.Do(func() {
		l.mu.Lock()
		parsed := map[string]*scenarios.Scenario{}
		for slug, s := range l.one {
			if s != nil {
				parsed[slug+".md"] = s
			}
		}
		l.mu.Unlock()
		// ParseFS parses the files not parsed yet (and reports their
		// errors); the others join them in file name order.
		l.list, l.err = scenarios.ParseFS(withoutFiles{l.fsys, parsed})
		for _, s := range parsed {
			l.list = append(l.list, s)
		}
		sort.Slice(l.list, func(i, j int) bool { return l.list[i].Name < l.list[j].Name })
		l.done.Store(true)
	})
	return l.list, l.err
}

// withoutFiles is a file system whose top directory leaves out some files.
type withoutFiles struct {
	fs.FS
	skip map[string]*scenarios.Scenario
}

func (w withoutFiles) ReadDir(name string) ([]fs.DirEntry, error) {
	entries, err := fs.ReadDir(w.FS, name)
	if name != "." {
		return entries, err
	}
	kept := entries[:0:0]
	for _, e := range entries {
		if _, ok := w.skip[e.Name()]; !ok {
			kept = append(kept, e)
		}
	}
	return kept, err
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
func libraryScenario(slug string) *scenarios.Scenario { return lib.find(slug) }

func (l *library) find(slug string) *scenarios.Scenario {
	if l.done.Load() {
		list, _ := l.all()
		for _, s := range list {
			if Slug(s) == slug {
				return s
			}
		}
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if s, ok := l.one[slug]; ok {
		return s
	}
	s := parseFile(l.fsys, slug)
	if l.one == nil {
		l.one = map[string]*scenarios.Scenario{}
	}
	l.one[slug] = s
	return s
}

// parseLibraryFile parses the library's file of a slug, or returns nil if
// there is none or it does not parse, as Library leaves it out.
func parseLibraryFile(slug string) *scenarios.Scenario {
	return parseFile(scenarios.Library, slug)
}

func parseFile(fsys fs.FS, slug string) *scenarios.Scenario {
	name := slug + ".md"
	if !fs.ValidPath(name) || path.Base(name) != name || !scenarios.IsScenarioFile(name) {
		return nil
	}
	src, err := fs.ReadFile(fsys, name)
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
