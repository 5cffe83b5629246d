package shell

import (
	"context"
	"io"

	"github.com/miplay/miplay/engine/azure"
)

// A Command is one program of the simulated shell. It carries its own
// usage, from which the command reference is generated.
type Command struct {
	Name     string
	Summary  string // one line: what it does
	Synopsis string // "curl [options] URL"
	// Simulates says what of the real program the playground models and
	// what it does not.
	Simulates string
	Flags     []Flag
	// Reference, if set, adds to the command's section of the generated
	// reference: az lists its subcommands and their arguments there.
	Reference func() string
	Run       func(p *Proc, args []string) int // args excludes the name; returns the exit status
}

// A Flag documents one option of a command.
type Flag struct {
	Name    string // "--max-time"
	Short   string // "-m", or ""
	Arg     string // the argument's name, "" for a switch
	Summary string
}

// A Proc is what a running command sees: where it runs, its environment
// and standard streams, and the cloud around it.
type Proc struct {
	Ctx     context.Context
	Host    string // azure.Workstation or a compute host's name
	Session *Session
	Cloud   *azure.Cloud
	Stdin   io.Reader
	Stdout  io.Writer
	Stderr  io.Writer
	// Getenv reads the shell's variables, as the process's environment.
	Getenv func(name string) string
	// Environ lists the exported variables as NAME=value.
	Environ func() []string
	// ReadFile and WriteFile reach the host's in-memory file system.
	ReadFile  func(name string) ([]byte, error)
	WriteFile func(name string, data []byte) error
	// State is where programs keep what survives between runs on this host,
	// such as az's sign-in and token cache. The session makes one map per
	// host and passes that same map to every command run on the host.
	State map[string]any
	// Dir is the shell's working directory.
	Dir string

	fs    *memFS
	shell *hostShell
}
