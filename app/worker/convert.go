package worker

import (
	"github.com/miplay/miplay/app/wire"
	"github.com/miplay/miplay/scenarios"
)

// The conversions from the scenarios package's types to wire's, field for
// field.

// Scenario converts a parsed scenario for the pages.
func Scenario(s *scenarios.Scenario) *wire.Scenario {
	if s == nil {
		return nil
	}
	out := &wire.Scenario{
		Name: s.Name,
		FrontMatter: wire.FrontMatter{
			Title: s.FrontMatter.Title, Summary: s.FrontMatter.Summary,
			Level: wire.Level(s.FrontMatter.Level), Tags: s.FrontMatter.Tags,
			Seed: s.FrontMatter.Seed, Start: s.FrontMatter.Start,
			Propagation: s.FrontMatter.Propagation, Exercise: s.FrontMatter.Exercise,
		},
		Steps:    steps(s.Steps, true),
		Tail:     s.Tail,
		TailHTML: MarkdownHTML(s.Tail, len(s.Steps) == 0),
		Source:   string(s.Source()),
	}
	if x := s.Exercise; x != nil {
		out.Exercise = &wire.Exercise{
			Goal: x.Goal, GoalHTML: MarkdownHTML(x.Goal, false),
			Hints: x.Hints, HintsHTML: make([]string, len(x.Hints)),
			CheckStep: step(x.CheckStep, false), Solution: steps(x.Solution, false),
		}
		for i, h := range x.Hints {
			out.Exercise.HintsHTML[i] = MarkdownHTML(h, false)
		}
	}
	return out
}

// steps converts a list of steps; titled says whether the first one's
// narration may start with the file's title, which its HTML leaves out
// (the scenario's steps, not the solution's).
func steps(in []*scenarios.Step, titled bool) []*wire.Step {
	if in == nil {
		return nil
	}
	out := make([]*wire.Step, len(in))
	for i, s := range in {
		out[i] = step(s, titled && i == 0)
	}
	return out
}

func step(s *scenarios.Step, dropTitle bool) *wire.Step {
	if s == nil {
		return nil
	}
	out := &wire.Step{Index: s.Index, Line: s.Line, Narration: s.Narration, HTML: MarkdownHTML(s.Narration, dropTitle)}
	for _, c := range s.Commands {
		out.Commands = append(out.Commands, command(c))
	}
	return out
}

func command(c *scenarios.Command) *wire.Command {
	if c == nil {
		return nil
	}
	return &wire.Command{Line: c.Line, Host: c.Host, Text: c.Text, Want: c.Want, Exit: c.Exit}
}

// CommandResult converts what one command did.
func CommandResult(r *scenarios.CommandResult) *wire.CommandResult {
	if r == nil {
		return nil
	}
	out := &wire.CommandResult{
		Command: command(r.Command), Host: r.Host, Text: r.Text, Output: r.Output,
		Exit: r.Exit, Matched: r.Matched, Diff: r.Diff,
	}
	if len(r.Chunks) > 0 {
		out.Chunks = make([]wire.Chunk, len(r.Chunks))
		for i, c := range r.Chunks {
			out.Chunks[i] = wire.Chunk{Stderr: c.Stderr, Text: c.Text}
		}
	}
	return out
}

// Report converts the outcome of an exercise's check.
func Report(r *scenarios.Report) *wire.Report {
	if r == nil {
		return nil
	}
	out := &wire.Report{Passed: r.Passed, Text: r.String()}
	for _, res := range r.Results {
		out.Results = append(out.Results, CommandResult(res))
	}
	return out
}

// FileErrors converts the problems of a scenario file.
func FileErrors(list scenarios.ErrorList) wire.FileErrors {
	out := make(wire.FileErrors, len(list))
	for i, e := range list {
		out[i] = &wire.FileError{File: e.File, Line: e.Line, Col: e.Col, Command: e.Command, Msg: e.Msg}
	}
	return out
}
