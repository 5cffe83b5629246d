//go:build !wasm

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
)

// A command is one subcommand of miplay. Each lives in its own file, whose
// init function registers it.
type command struct {
	// Name is what the user types after miplay.
	Name string
	// Args is the synopsis of the arguments after the flags, such as
	// "FILE...", or "" if there are none.
	Args string
	// Summary is the one line shown in the command list.
	Summary string
	// Help is the text of "miplay help NAME", above the list of flags.
	Help string
	// Flags declares the command's flags on fs and returns the function that
	// runs the command once they are parsed, with the arguments left after
	// them. An error from errUsage or errFlag is a usage error (exit 2);
	// any other error is a failure (exit 1).
	Flags func(fs *flag.FlagSet) func(ctx context.Context, env *env, args []string) error
}

// env is what a command may touch of the process: its output streams.
type env struct {
	Stdout, Stderr io.Writer
}

// Logf writes a line to standard error, prefixed with the program name.
func (e *env) Logf(format string, args ...any) {
	fmt.Fprintf(e.Stderr, "miplay: "+format+"\n", args...)
}

var commands = map[string]*command{}

// register adds a command. It is called from init functions.
func register(c *command) {
	if c.Name == "" || c.Flags == nil || c.Summary == "" {
		panic("miplay: command needs a Name, a Summary and Flags")
	}
	if _, dup := commands[c.Name]; dup {
		panic("miplay: command " + c.Name + " registered twice")
	}
	commands[c.Name] = c
}

func sortedCommands() []*command {
	list := make([]*command, 0, len(commands))
	for _, c := range commands {
		list = append(list, c)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Name < list[j].Name })
	return list
}

// usageErr is a mistake in how miplay was called.
type usageErr struct{ msg string }

func (e *usageErr) Error() string { return e.msg }

// errUsage returns a usage error.
func errUsage(format string, args ...any) error {
	return &usageErr{fmt.Sprintf(format, args...)}
}

// errFlag returns a usage error about the value of one flag.
func errFlag(name string, format string, args ...any) error {
	return &usageErr{fmt.Sprintf("--%s: %s", name, fmt.Sprintf(format, args...))}
}

func isUsage(err error) bool {
	var u *usageErr
	return errors.As(err, &u)
}

// flagSet returns c's flags, with output discarded: errors are reported by
// run, and help by writeHelp.
func (c *command) flagSet() (*flag.FlagSet, func(context.Context, *env, []string) error) {
	fs := flag.NewFlagSet("miplay "+c.Name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	run := c.Flags(fs)
	return fs, run
}

func (c *command) synopsis() string {
	var b strings.Builder
	b.WriteString("miplay " + c.Name)
	fs, _ := c.flagSet()
	fs.VisitAll(func(f *flag.Flag) {
		name, _ := flag.UnquoteUsage(f)
		if name == "" {
			fmt.Fprintf(&b, " [--%s]", f.Name)
		} else {
			fmt.Fprintf(&b, " [--%s %s]", f.Name, name)
		}
	})
	if c.Args != "" {
		b.WriteString(" " + c.Args)
	}
	return b.String()
}

// writeHelp writes "miplay help NAME".
func (c *command) writeHelp(w io.Writer) {
	fmt.Fprintf(w, "usage: %s\n\n", c.synopsis())
	if c.Help != "" {
		fmt.Fprintf(w, "%s\n", strings.TrimSpace(c.Help))
	} else {
		fmt.Fprintf(w, "%s.\n", strings.ToUpper(c.Summary[:1])+c.Summary[1:])
	}
	fs, _ := c.flagSet()
	first := true
	fs.VisitAll(func(f *flag.Flag) {
		if first {
			fmt.Fprintf(w, "\nflags:\n")
			first = false
		}
		name, usage := flag.UnquoteUsage(f)
		head := "--" + f.Name
		if name != "" {
			head += " " + name
		}
		fmt.Fprintf(w, "  %s\n        %s", head, usage)
		if f.DefValue != "" && f.DefValue != "false" {
			fmt.Fprintf(w, " (default %s)", f.DefValue)
		}
		fmt.Fprintln(w)
	})
}
