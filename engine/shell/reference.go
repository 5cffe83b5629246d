package shell

import (
	"fmt"
	"strings"
)

// Reference renders the command reference, in Markdown, from commands'
// own usage: the page is generated, never written by hand, so it cannot
// drift from what the terminal does.
func Reference(cmds []*Command) string {
	var b strings.Builder
	b.WriteString("# miplay's terminal commands\n\n")
	b.WriteString("<!-- Generated from the command table by `go test ./engine/shell -run TestCommandReferenceUpToDate -update`. Do not edit. -->\n\n")
	b.WriteString("The terminal is a bash-compatible shell (mvdan.cc/sh): variables, quoting, pipes, `$(...)`, `&&` and `||`, ")
	b.WriteString("`if`, loops, functions and redirections work as in bash, and its builtins (`echo`, `printf`, `export`, `read`, `test`, `cd`, `pwd`, `set`, `unset`, `eval`, `source`, `exit`, ...) are bash's. ")
	b.WriteString("Files live in an in-memory file system per host. Each host keeps its shell for the whole session; ")
	b.WriteString("variables the workstation exports are visible on every host. ")
	b.WriteString("Not simulated, with an explicit error: background jobs (`&`), `coproc`, process substitution (`<(...)`), the `time` keyword, and real programs outside this list.\n\n")
	b.WriteString("| command | what it does |\n|---|---|\n")
	for _, c := range cmds {
		fmt.Fprintf(&b, "| [%s](#%s) | %s |\n", c.Name, anchor(c.Name), cell(c.Summary))
	}
	for _, c := range cmds {
		fmt.Fprintf(&b, "\n## %s\n\n", c.Name)
		if c.Synopsis != "" {
			fmt.Fprintf(&b, "```\n%s\n```\n\n", c.Synopsis)
		}
		if c.Summary != "" {
			fmt.Fprintf(&b, "%s\n\n", c.Summary)
		}
		if c.Simulates != "" {
			fmt.Fprintf(&b, "**What is simulated.** %s\n\n", c.Simulates)
		}
		if len(c.Flags) > 0 {
			b.WriteString("| option | short | argument | meaning |\n|---|---|---|---|\n")
			for _, f := range c.Flags {
				fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", code(f.Name), code(f.Short), code(f.Arg), cell(f.Summary))
			}
		}
		if c.Reference != nil {
			fmt.Fprintf(&b, "\n%s", c.Reference())
		}
	}
	return b.String()
}

func anchor(name string) string {
	return strings.ToLower(strings.ReplaceAll(name, " ", "-"))
}

// cell escapes text for a Markdown table cell.
func cell(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "|", `\|`), "\n", " ")
}

func code(s string) string {
	if s == "" {
		return ""
	}
	return "`" + cell(s) + "`"
}
