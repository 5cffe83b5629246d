package scenarios

import (
	"embed"
	"io/fs"
	"path"
	"sort"
	"strings"
)

//go:embed *.md
var library embed.FS

// Library is the scenario library that ships with miplay: the *.md files
// of this package's directory. README.md, if any, is not a scenario;
// ParseFS skips it.
var Library fs.FS = library

// IsScenarioFile reports whether a file name is a scenario's: it ends in
// .md and is not a README.
func IsScenarioFile(name string) bool {
	base := path.Base(name)
	return strings.HasSuffix(base, ".md") && !strings.EqualFold(strings.TrimSuffix(base, ".md"), "README")
}

// ParseFS parses every scenario file in the top directory of fsys, in
// name order. Its error joins the errors of every file that does not
// parse; the files that do are returned all the same.
func ParseFS(fsys fs.FS) ([]*Scenario, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && IsScenarioFile(e.Name()) {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	var out []*Scenario
	var errs ErrorList
	for _, name := range names {
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			errs = append(errs, &Error{File: name, Line: 1, Msg: err.Error()})
			continue
		}
		s, err := Parse(name, src)
		if err != nil {
			errs = append(errs, err.(ErrorList)...)
			continue
		}
		out = append(out, s)
	}
	if len(errs) > 0 {
		return out, errs
	}
	return out, nil
}
