//go:build !wasm

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/miplay/miplay/scenarios"
)

func init() {
	register(&command{
		Name:    "run",
		Args:    "FILE...",
		Summary: "run scenario files and check every command's output",
		Help: `
Run runs each scenario file on a fresh simulated cloud and compares what every
command prints with the output the file expects. It prints PASS or FAIL and the
file's name, one line per file, and under a failure the first command that did
not match: file:line: command: want ... got ..., and a diff from the expected
output (-) to the actual one (+). An exercise passes when its check fails
before its solution and passes after it.

A directory stands for the scenario files in it (*.md but README.md). The exit
status is 1 if any file fails.

--json prints one JSON object per line and file instead: {"name", "passed",
"steps" (how many ran), "failures": [{"file", "line", "command", "want", "got",
"diff", "message"}]}; want and got are transcripts, lines joined with \n, with
[exit N] last for a command that fails.

--update rewrites each file's expected output from what runs, keeping "..."
wildcards that still match, and prints UPDATED for a file it changed.`,
		Flags: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
			asJSON := fs.Bool("json", false, "print one JSON object per file")
			verbose := fs.Bool("verbose", false, "print every command and its output")
			update := fs.Bool("update", false, "rewrite the files' expected output from what runs")
			keepGoing := fs.Bool("keep-going", false, "run the rest of a file after a mismatch and report every one")
			return func(ctx context.Context, e *env, args []string) error {
				if len(args) == 0 {
					return errUsage("name at least one scenario file or directory")
				}
				if *asJSON && *verbose {
					return errUsage("--json and --verbose do not go together: --json is for machines")
				}
				files, err := scenarioFiles(args)
				if err != nil {
					return err
				}
				opts := scenarios.RunOptions{Verbose: *verbose, KeepGoing: *keepGoing}
				failed := 0
				for _, f := range files {
					if !runFile(ctx, e, f, opts, *asJSON, *update) {
						failed++
					}
					if ctx.Err() != nil {
						return ctx.Err()
					}
				}
				if failed > 0 {
					return fmt.Errorf("%d of %s failed", failed, plural(len(files), "file"))
				}
				return nil
			}
		},
	})
}

// runReport is the --json object for one file.
type runReport struct {
	Name     string       `json:"name"`
	Passed   bool         `json:"passed"`
	Steps    int          `json:"steps"`
	Updated  bool         `json:"updated,omitempty"`
	Failures []runFailure `json:"failures"`
}

type runFailure struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Col     int    `json:"col,omitempty"`
	Command string `json:"command,omitempty"`
	Want    string `json:"want"`
	Got     string `json:"got"`
	Diff    string `json:"diff,omitempty"`
	Message string `json:"message,omitempty"`
}

// runFile runs, or updates, one file and reports it. It returns whether
// the file passed.
func runFile(ctx context.Context, e *env, name string, opts scenarios.RunOptions, asJSON, update bool) bool {
	rep := runReport{Name: name, Failures: []runFailure{}}
	var log bytes.Buffer
	fail := func(err error) {
		var list scenarios.ErrorList
		var f *scenarios.Failure
		var se *scenarios.Error
		switch {
		case errors.As(err, &list):
			for _, le := range list {
				rep.Failures = append(rep.Failures, runFailure{File: le.File, Line: le.Line, Col: le.Col, Command: le.Command, Message: le.Msg})
			}
		case errors.As(err, &f):
			rep.Failures = append(rep.Failures, runFailure{File: f.File, Line: f.Line, Command: f.Command,
				Want: strings.Join(f.Want, "\n"), Got: strings.Join(f.Got, "\n"), Diff: f.Diff, Message: f.Msg})
		case errors.As(err, &se):
			rep.Failures = append(rep.Failures, runFailure{File: se.File, Line: se.Line, Command: se.Command, Message: se.Msg})
		default:
			rep.Failures = append(rep.Failures, runFailure{File: name, Line: 1, Message: err.Error()})
		}
	}
	messages := func() []string {
		var out []string
		for _, f := range rep.Failures {
			out = append(out, failureText(f))
		}
		return out
	}

	src, err := os.ReadFile(name)
	var s *scenarios.Scenario
	if err == nil {
		s, err = scenarios.Parse(name, src)
	}
	switch {
	case err != nil:
		fail(err)
	case update:
		out, err := scenarios.Update(ctx, s, opts)
		if err == nil && !bytes.Equal(out, src) {
			err = os.WriteFile(name, out, 0o666)
			rep.Updated = err == nil
		}
		if err != nil {
			fail(err)
		}
		rep.Steps = len(s.Steps)
		if s.Exercise != nil {
			rep.Steps += len(s.Exercise.Solution)
		}
	default:
		var w io.Writer
		if opts.Verbose {
			w = &log
		}
		res, err := scenarios.Run(ctx, s, w, opts)
		if res != nil {
			rep.Steps = len(res.Steps)
			for _, f := range res.Failures {
				fail(f)
			}
		}
		if err != nil && (res == nil || len(res.Failures) == 0) {
			fail(err)
		}
	}
	rep.Passed = len(rep.Failures) == 0

	if asJSON {
		b, _ := json.Marshal(rep)
		fmt.Fprintf(e.Stdout, "%s\n", b)
		return rep.Passed
	}
	if opts.Verbose {
		fmt.Fprintf(e.Stdout, "=== %s\n%s", name, log.String())
	}
	switch {
	case !rep.Passed:
		fmt.Fprintf(e.Stdout, "FAIL %s\n", name)
		for _, m := range messages() {
			for _, l := range strings.Split(strings.TrimRight(m, "\n"), "\n") {
				fmt.Fprintf(e.Stdout, "    %s\n", l)
			}
		}
	case rep.Updated:
		fmt.Fprintf(e.Stdout, "UPDATED %s\n", name)
	default:
		fmt.Fprintf(e.Stdout, "PASS %s\n", name)
	}
	return rep.Passed
}

// failureText renders a failure as scenarios does.
func failureText(f runFailure) string {
	if f.Message != "" || (f.Want == "" && f.Got == "" && f.Diff == "") {
		return (&scenarios.Error{File: f.File, Line: f.Line, Col: f.Col, Command: f.Command, Msg: f.Message}).Error()
	}
	fl := &scenarios.Failure{File: f.File, Line: f.Line, Command: f.Command, Diff: f.Diff}
	if f.Want != "" {
		fl.Want = strings.Split(f.Want, "\n")
	}
	if f.Got != "" {
		fl.Got = strings.Split(f.Got, "\n")
	}
	return fl.Error()
}

// scenarioFiles expands the arguments: a directory stands for its
// scenario files, in name order.
func scenarioFiles(args []string) ([]string, error) {
	var files []string
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			files = append(files, a)
			continue
		}
		entries, err := os.ReadDir(a)
		if err != nil {
			return nil, err
		}
		var names []string
		for _, ent := range entries {
			if !ent.IsDir() && scenarios.IsScenarioFile(ent.Name()) {
				names = append(names, filepath.Join(a, ent.Name()))
			}
		}
		if len(names) == 0 {
			return nil, fmt.Errorf("%s: no scenario files (*.md) in the directory", a)
		}
		sort.Strings(names)
		files = append(files, names...)
	}
	return files, nil
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
