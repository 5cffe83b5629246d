//go:build !wasm

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run runs miplay with the arguments after the program name and returns the
// exit code: 0 for success, 1 for a failure, 2 for a usage error.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	e := &env{Stdout: stdout, Stderr: stderr}
	if len(args) == 0 {
		writeUsage(stderr)
		return 2
	}
	name := args[0]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 && name == "help" {
			c, ok := commands[args[1]]
			if !ok {
				fmt.Fprintf(stderr, "miplay help: unknown command %q\n", args[1])
				writeUsage(stderr)
				return 2
			}
			c.writeHelp(stdout)
			return 0
		}
		writeUsage(stdout)
		return 0
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "miplay: unknown command %q\n", name)
		writeUsage(stderr)
		return 2
	}
	fs, runCmd := c.flagSet()
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			c.writeHelp(stdout)
			return 0
		}
		fmt.Fprintf(stderr, "miplay %s: %v\nusage: %s\nrun 'miplay help %s' for details.\n", name, err, c.synopsis(), name)
		return 2
	}
	if err := runCmd(ctx, e, fs.Args()); err != nil {
		if isUsage(err) {
			fmt.Fprintf(stderr, "miplay %s: %v\nusage: %s\nrun 'miplay help %s' for details.\n", name, err, c.synopsis(), name)
			return 2
		}
		fmt.Fprintf(stderr, "miplay %s: %v\n", name, err)
		return 1
	}
	return 0
}

func writeUsage(w io.Writer) {
	fmt.Fprintf(w, "miplay is a playground for Azure managed identities.\n\nusage: miplay COMMAND [flags] [args]\n\ncommands:\n")
	for _, c := range sortedCommands() {
		fmt.Fprintf(w, "  %-13s %s\n", c.Name, c.Summary)
	}
	fmt.Fprintf(w, "\nrun 'miplay help COMMAND' for a command's flags.\n")
}
