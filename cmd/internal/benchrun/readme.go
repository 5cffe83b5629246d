package main

import (
	"bytes"
	"fmt"
	"os"
	"strings"
)

// The markers in bench/README.md between which the latest table goes.
const (
	beginMarker = "<!-- bench:begin (written by make bench; edit the method, not this) -->"
	endMarker   = "<!-- bench:end -->"
)

// writeReadme replaces what is between the markers of the file with the
// table, the notes and the run's environment. A file without the markers
// gets them at its end.
func writeReadme(name string, env *runEnv, t *table) error {
	old, err := os.ReadFile(name)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	var b strings.Builder
	b.WriteString(beginMarker + "\n\n")
	b.WriteString(env.line() + "\n\n")
	b.WriteString(t.markdown())
	if len(t.notes) > 0 {
		b.WriteString("\nDetails:\n\n")
		for _, n := range t.notes {
			fmt.Fprintf(&b, "- %s\n", n)
		}
	}
	b.WriteString("\n" + endMarker)
	block := b.String()

	i := bytes.Index(old, []byte(beginMarker))
	j := bytes.Index(old, []byte(endMarker))
	var out []byte
	switch {
	case i >= 0 && j > i:
		out = append(append(append([]byte{}, old[:i]...), block...), old[j+len(endMarker):]...)
	case i < 0 && j < 0:
		out = append(bytes.TrimRight(old, "\n"), []byte("\n\n"+block+"\n")...)
		if len(old) == 0 {
			out = []byte(block + "\n")
		}
	default:
		return fmt.Errorf("%s: the markers are out of order or one is missing; want %q, then %q", name, beginMarker, endMarker)
	}
	return os.WriteFile(name, out, 0o644)
}
