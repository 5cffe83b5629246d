// Package scenarios parses, runs, checks and lints miplay's scenario files:
// Markdown documents with YAML front matter whose `console` blocks are
// steps of a tutorial and, at the same time, golden tests.
//
// A scenario file looks like this:
//
//	---
//	title: Who am I?
//	level: beginner
//	tags: [cli]
//	---
//
//	# Who am I?
//
//	The workstation is signed in as the tenant's admin:
//
//	```console
//	$ az account show --query user.name -o tsv
//	ada@contoso.onmicrosoft.com
//	```
//
// Each `console` block is one [Step]; the Markdown before it is the step's
// narration. A line `$ cmd` runs cmd on the learner's workstation, a line
// `vm-web$ cmd` runs it inside the compute resource vm-web; the lines after
// a command, up to the next command, are its expected output. See [Parse]
// for the complete format and [Match] for how output is compared.
//
// The package does no I/O of its own: [Parse] takes bytes, [Run] and
// [Player] drive a [Runner] (the simulated shell of engine/shell) and write
// to an io.Writer, so the same code runs under go test, in the miplay
// command and in the browser. The scenario library ships with the package
// as [Library].
package scenarios
