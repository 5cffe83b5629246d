// Package scenarios parses, runs, checks and lints miplay's scenario files:
// Markdown documents with YAML front matter whose console blocks are the
// steps of a tutorial and, at the same time, golden tests.
//
// # The file format
//
// A scenario file is YAML front matter, then Markdown:
//
//	---
//	title: A VM asks IMDS for a token
//	summary: One or two sentences for the gallery.
//	level: beginner
//	tags: [system-assigned, imds]
//	---
//
//	# A VM asks IMDS for a token
//
//	The VM has no identity yet. Ask IMDS for a token anyway:
//
//	```console
//	vm-web$ curl -s -H Metadata:true "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://storage.azure.com/"
//	{"error":"invalid_request","error_description":"Identity not found"}
//	```
//
// Front matter sits between a first line --- and the next line --- (or
// ...). Its keys: title and level (beginner, intermediate or advanced) are
// required; summary, tags (a list), seed (a whole number: the world's IDs
// come from it), start (the simulated start time, RFC 3339 such as
// 2026-01-15T09:00:00Z), propagation (the RBAC propagation delay, a Go
// duration such as 10m; default 0s) and exercise (true or false) are
// optional. Any other key is an error.
//
// Every fenced code block whose info string is exactly "console" is a
// [Step]. The Markdown between the previous step (or the front matter, or
// an exercise section's heading) and the block is the step's narration,
// kept as source for the UI to render; the Markdown after the last step is
// [Scenario.Tail]. Other code blocks (```sh, ```json) are narration.
//
// In a console block:
//
//   - A line "$ cmd" is a command on the learner's workstation; a line
//     "NAME$ cmd" runs cmd inside the compute resource NAME (a VM, a scale
//     set instance such as vmss-web_0, a web app, a function app). NAME is
//     letters, digits, '.', '_' and '-'. The space after $ is required:
//     "$HOME" is output.
//   - A command whose line ends in a backslash continues on the next line;
//     the shell gets the lines as written.
//   - The lines after a command, up to the next command or the end of the
//     block, are its expected output: stdout and stderr interleaved in the
//     order they were written, as a terminal shows them. Trailing blank
//     lines, and trailing spaces on each line, are ignored, so a blank line
//     may separate commands. No lines means no output.
//   - A command that exits with a status other than 0 must show [exit N]
//     as its last expected line; [exit 0] is an error (leave it out).
//   - Matching is line by line. A line that is only ... matches any number
//     of lines, none included; ... inside a line matches any text within
//     that line.
//
// # Exercises
//
// A file with exercise: true sets the learner a task. Its console blocks
// before the first of the sections below set up the starting state; then:
//
//   - "## Goal": what to achieve, as Markdown ([Exercise.Goal]).
//   - One ```console check block, conventionally in the goal: commands and
//     the output they print once the goal is reached ([Exercise.CheckStep]).
//     On the starting state at least one of them must not match; after the
//     solution all must. Check commands should only read the world.
//   - "## Hints": a list, one hint per item ([Exercise.Hints]), optional.
//   - "## Solution": console blocks that reach the goal ([Exercise.Solution]).
//
// A console block in "## Goal" or "## Hints" is an error (use ```sh for an
// example), as is one after the sections outside "## Solution".
//
// # Running
//
// [Parse] reads a file and reports every problem as file:line: message.
// [Run] runs a scenario on a fresh simulated cloud and reports the first
// mismatch as "file:line: command: want … got …" with a unified diff;
// for an exercise it also proves the check fails before the solution and
// passes after it ([CheckExercise]). [Update] rewrites expected output from
// what ran. [Player] steps through a scenario for the browser: run a
// step, run all, step back (a replay on a fresh world: the engine is
// deterministic), the learner's own commands, and an exercise's check.
// [Lint] checks a file without running it, for miplay check.
//
// The package does no I/O of its own: it takes bytes, io.Writers and a
// [Runner] (the simulated shell of engine/shell by default), so the same
// code runs under go test, in the miplay command and in the browser. The
// library ships with the package as [Library].
package scenarios
