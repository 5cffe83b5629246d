// Package golit writes Go values as Go source: composite literals that the
// Go compiler lays out as static data.
//
// miplay's page carries the scenario library and each scenario's opening
// in its program (app/library_data.go, generated with golit). Decoded from
// JSON at start-up instead, they cost the page more than their bytes: the
// decoder's loops ran hot enough for V8 to compile them again with its
// optimizing compiler, on the two cores the page was starting on
// (bench/README.md). A literal costs nothing to read.
//
// A package-level variable stays static data only if its literal calls
// nothing, so golit writes a time.Time, whose fields are unexported, as
// the zero time and reports where it goes and what it is: the caller sets
// those when the value is first used (see Literal.Times).
package golit
