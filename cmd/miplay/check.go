//go:build !wasm

package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/miplay/miplay/scenarios"
)

func init() {
	register(&command{
		Name:    "check",
		Args:    "FILE...",
		Summary: "check scenario files without running them",
		Help: `
Check reads each scenario file and reports what is wrong with it, one problem
per line as file:line: message, without running anything: front matter (unknown
keys, missing title or level, bad values), console blocks (unclosed fences,
output before a command, a misplaced [exit N]), steps without narration, shell
syntax errors, commands the simulated shell does not have, host prompts that
name a compute resource no earlier step creates, and the sections an exercise
needs. A host whose name comes from a variable check cannot follow is a
warning, which does not fail the check.

A directory stands for the scenario files in it (*.md but README.md). The exit
status is 1 if any file has a problem that is not a warning.`,
		Flags: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
			return func(ctx context.Context, e *env, args []string) error {
				if len(args) == 0 {
					return errUsage("name at least one scenario file or directory")
				}
				files, err := scenarioFiles(args)
				if err != nil {
					return err
				}
				problems, bad := 0, 0
				for _, f := range files {
					src, err := os.ReadFile(f)
					if err != nil {
						return err
					}
					n := 0
					for _, p := range scenarios.Lint(f, src) {
						fmt.Fprintln(e.Stdout, p)
						if !p.Warning {
							n++
						}
					}
					if n > 0 {
						problems += n
						bad++
					}
				}
				if problems > 0 {
					return fmt.Errorf("%s in %d of %s", plural(problems, "problem"), bad, plural(len(files), "file"))
				}
				return nil
			}
		},
	})
}
