package shell

import (
	"context"
	"fmt"
	"io"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/interp"
	"mvdan.cc/sh/v3/syntax"
)

// The command table. This package's programs are registered on first use
// of the table, not in init functions: building it at start-up cost some
// 2,000 allocations on every page load, in a browser that runs start-up
// code about 40 times slower than native code.
var (
	tableMu  sync.RWMutex
	table    map[string]*Command
	builtins sync.Once
)

// loadBuiltins makes the table and registers this package's programs, once.
func loadBuiltins() {
	builtins.Do(func() {
		table = map[string]*Command{}
		registerAzProgram()
		registerCoreutils()
		registerCurl()
		registerGrep()
		registerJq()
		registerSed()
		registerTextutils()
	})
}

// Register adds a command to the table every Session uses. It panics if
// the name is taken or the command cannot run.
func Register(c *Command) {
	loadBuiltins()
	register(c)
}

// register is Register for the programs loadBuiltins registers.
func register(c *Command) {
	if c == nil || c.Name == "" || c.Run == nil {
		panic("shell: Register: a command needs a Name and a Run")
	}
	tableMu.Lock()
	defer tableMu.Unlock()
	if _, dup := table[c.Name]; dup {
		panic("shell: Register: command " + c.Name + " registered twice")
	}
	table[c.Name] = c
}

// lookup finds a command by name.
func lookup(name string) *Command {
	loadBuiltins()
	tableMu.RLock()
	defer tableMu.RUnlock()
	return table[name]
}

// Commands lists the programs the session simulates, sorted by name.
func (s *Session) Commands() []*Command { return allCommands() }

func allCommands() []*Command {
	loadBuiltins()
	tableMu.RLock()
	defer tableMu.RUnlock()
	out := make([]*Command, 0, len(table))
	for _, c := range table {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func commandNames() []string {
	var names []string
	for _, c := range allCommands() {
		names = append(names, c.Name)
	}
	return names
}

// Client returns the HTTP client for requests from the process's host:
// served in process by the simulated cloud, redirects not followed.
func (p *Proc) Client() *Client { return p.Session.Client(p.Host) }

// Errorf writes "name: message" and a newline to the process's stderr,
// the way most Unix programs report a problem.
func (p *Proc) Errorf(format string, args ...any) {
	fmt.Fprintf(p.Stderr, format+"\n", args...)
}

// Hidden command names the call handler rewrites some builtins to, so
// they answer from the command table instead of the real PATH. A NUL
// cannot be typed.
const (
	hiddenType     = "\x00type"
	hiddenCommandV = "\x00command"
	hiddenNotSim   = "\x00builtin"
	hiddenHelp     = "\x00help"
	hiddenFail     = "\x00fail" // message, status
)

// unsupportedBuiltins are bash builtins the interpreter does not
// implement; they get miplay's "not simulated" instead of its own text.
var unsupportedBuiltins = map[string]bool{
	"bg": true, "fg": true, "jobs": true, "kill": true, "fc": true, "newgrp": true,
	"umask": true, "ulimit": true, "history": true, "bind": true, "caller": true,
	"compgen": true, "complete": true, "compopt": true, "disown": true, "enable": true,
	"logout": true, "suspend": true,
}

// callHandler sees every simple command before it runs, builtins
// included, and reroutes the builtins that would look at the real
// machine's PATH or files.
func (s *Session) callHandler(h *hostShell) interp.CallHandlerFunc {
	return func(ctx context.Context, args []string) ([]string, error) {
		if _, isFunc := h.runner.Funcs[args[0]]; isFunc {
			return args, nil
		}
		switch name := args[0]; {
		case name == "help" && len(args) == 1:
			return []string{hiddenHelp}, nil
		case name == "cd" && len(args) == 2 && args[1] != "-" && args[1] != "":
			// bash's wording, which the interpreter's differs from.
			hc := interp.HandlerCtx(ctx)
			if fi, err := h.fs.Stat(hc.Dir, args[1]); err != nil {
				return []string{hiddenFail, "bash: cd: " + args[1] + ": No such file or directory", "1"}, nil
			} else if !fi.IsDir() {
				return []string{hiddenFail, "bash: cd: " + args[1] + ": Not a directory", "1"}, nil
			}
		case name == "type":
			return append([]string{hiddenType}, args[1:]...), nil
		case name == "command" && len(args) > 1 && (args[1] == "-v" || args[1] == "-V"):
			return append([]string{hiddenCommandV}, args[1:]...), nil
		case (name == "source" || name == ".") && len(args) > 1:
			// The interpreter would look the file up in the real PATH.
			hc := interp.HandlerCtx(ctx)
			out := append([]string(nil), args...)
			out[1] = clean(hc.Dir, args[1])
			return out, nil
		case unsupportedBuiltins[name]:
			return append([]string{hiddenNotSim}, args...), nil
		}
		return args, nil
	}
}

// execHandler runs every command that is not a builtin or a function:
// the simulated programs, or an explanation of why there is none.
func (s *Session) execHandler(h *hostShell) interp.ExecHandlerFunc {
	return func(ctx context.Context, args []string) error {
		hc := interp.HandlerCtx(ctx)
		stdin := hc.Stdin
		if stdin == nil {
			stdin = strings.NewReader("")
		}
		stdout, stderr := hc.Stdout, hc.Stderr
		if stdout == nil {
			stdout = io.Discard
		}
		if stderr == nil {
			stderr = io.Discard
		}
		p := &Proc{
			Ctx: ctx, Host: h.name, Session: s, Cloud: s.cloud,
			Stdin: stdin, Stdout: stdout, Stderr: stderr,
			Getenv:    func(name string) string { return hc.Env.Get(name).String() },
			Environ:   func() []string { return environList(hc.Env) },
			ReadFile:  func(name string) ([]byte, error) { return h.fs.ReadFile(hc.Dir, name) },
			WriteFile: func(name string, data []byte) error { return h.fs.WriteFile(hc.Dir, name, data) },
			State:     h.state,
			Dir:       hc.Dir,
			fs:        h.fs,
			shell:     h,
		}
		return exitError(s.dispatch(p, args))
	}
}

func exitError(code int) error {
	if code == 0 {
		return nil
	}
	if code < 0 || code > 255 {
		code = 1
	}
	return interp.ExitStatus(code)
}

// dispatch finds and runs a program.
func (s *Session) dispatch(p *Proc, args []string) int {
	name := args[0]
	switch name {
	case hiddenType:
		return typeBuiltin(p, args[1:])
	case hiddenCommandV:
		return commandV(p, args[1:])
	case hiddenFail:
		fmt.Fprintln(p.Stderr, args[1])
		n, _ := strconv.Atoi(args[2])
		return n
	case hiddenHelp:
		return help(p)
	case hiddenNotSim:
		fmt.Fprintf(p.Stderr, "bash: %s: the builtin is not simulated in miplay\n", args[1])
		return 2
	}
	if strings.Contains(name, "/") {
		dir, base := path.Split(name)
		if c := lookup(base); c != nil && isBinDir(path.Clean(dir)) {
			return runCommand(p, c, args[1:])
		}
		return s.runFile(p, name)
	}
	if c := lookup(name); c != nil {
		return runCommand(p, c, args[1:])
	}
	if realPrograms()[name] {
		fmt.Fprintf(p.Stderr, "bash: %s: not simulated: %s is a real command, but miplay does not simulate it (`help` lists the commands it does)\n", name, name)
		return 127
	}
	fmt.Fprintf(p.Stderr, "bash: %s: command not found\n", name)
	if sug := suggest(name); sug != "" {
		fmt.Fprintf(p.Stderr, "Did you mean '%s'?\n", sug)
	}
	return 127
}

// runCommand runs a program, turning a panic into a message: a bug in one
// program must not take the terminal down.
func runCommand(p *Proc, c *Command, args []string) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(p.Stderr, "%s: internal error in miplay: %v\n", c.Name, r)
			code = 70
		}
	}()
	return c.Run(p, args)
}

func isBinDir(dir string) bool {
	switch dir {
	case "/usr/bin", "/bin", "/usr/local/bin", "/usr/sbin", "/sbin", "/usr/local/sbin":
		return true
	}
	return false
}

// runFile answers for ./script and other paths: nothing in the
// playground's file system is executable.
func (s *Session) runFile(p *Proc, name string) int {
	fi, err := p.fs.Stat(p.Dir, name)
	switch {
	case err != nil:
		fmt.Fprintf(p.Stderr, "bash: %s: No such file or directory\n", name)
		return 127
	case fi.IsDir():
		fmt.Fprintf(p.Stderr, "bash: %s: Is a directory\n", name)
		return 126
	}
	fmt.Fprintf(p.Stderr, "bash: %s: Permission denied\n", name)
	return 126
}

// environList lists the exported variables as NAME=value, sorted.
func environList(env expand.Environ) []string {
	vars := map[string]expand.Variable{}
	env.Each(func(name string, vr expand.Variable) bool {
		vars[name] = vr
		return true
	})
	var out []string
	for _, name := range sortedNames(vars) {
		vr := vars[name]
		if vr.IsSet() && vr.Exported && vr.Kind == expand.String && !strings.HasPrefix(name, "\x00") {
			out = append(out, name+"="+vr.Str)
		}
	}
	return out
}

// typeBuiltin is bash's `type`, answering from the command table.
func typeBuiltin(p *Proc, args []string) int {
	mode := ""
	for len(args) > 0 && strings.HasPrefix(args[0], "-") && args[0] != "-" {
		switch args[0] {
		case "--":
			args = args[1:]
			goto names
		case "-t", "-p", "-P":
			mode = args[0]
		case "-a", "-f":
		default:
			fmt.Fprintf(p.Stderr, "bash: type: %s: invalid option\ntype: usage: type [-afptP] name [name ...]\n", args[0])
			return 2
		}
		args = args[1:]
	}
names:
	status := 0
	for _, name := range args {
		kind, where := p.resolve(name)
		switch {
		case kind == "":
			if mode == "" {
				fmt.Fprintf(p.Stderr, "bash: type: %s: not found\n", name)
			}
			status = 1
		case mode == "-t":
			fmt.Fprintln(p.Stdout, kind)
		case mode == "-p" || mode == "-P":
			if kind == "file" {
				fmt.Fprintln(p.Stdout, where)
			} else if mode == "-P" {
				status = 1
			}
		default:
			switch kind {
			case "keyword":
				fmt.Fprintf(p.Stdout, "%s is a shell keyword\n", name)
			case "function":
				fmt.Fprintf(p.Stdout, "%s is a function\n", name)
			case "builtin":
				fmt.Fprintf(p.Stdout, "%s is a shell builtin\n", name)
			case "file":
				fmt.Fprintf(p.Stdout, "%s is %s\n", name, where)
			}
		}
	}
	return status
}

// commandV is `command -v` and `command -V`.
func commandV(p *Proc, args []string) int {
	verbose := args[0] == "-V"
	if verbose {
		return typeBuiltin(p, args[1:])
	}
	status := 0
	for _, name := range args[1:] {
		switch kind, where := p.resolve(name); kind {
		case "":
			status = 1
		case "file":
			fmt.Fprintln(p.Stdout, where)
		default:
			fmt.Fprintln(p.Stdout, name)
		}
	}
	return status
}

// resolve says what a command name is on this host: "keyword",
// "function", "builtin", "file" (with its path) or "" for nothing.
func (p *Proc) resolve(name string) (kind, where string) {
	switch {
	case syntax.IsKeyword(name):
		return "keyword", ""
	case p.shell != nil && p.shell.runner.Funcs[name] != nil:
		return "function", ""
	case interp.IsBuiltin(name) && !unsupportedBuiltins[name]:
		return "builtin", ""
	case lookup(name) != nil:
		return "file", binDir + "/" + name
	}
	return "", ""
}

// suggest finds the command or builtin closest to a mistyped name.
func suggest(name string) string {
	candidates := commandNames()
	candidates = append(candidates, "echo", "printf", "export", "test", "read", "cd", "pwd", "set", "unset", "source", "eval", "exit", "type", "true", "false")
	best, bestD := "", 3
	if len(name) <= 3 {
		bestD = 2
	}
	for _, c := range candidates {
		if d := TypoDistance(name, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// TypoDistance is the number of typing mistakes between two words: the
// optimal string alignment distance (restricted Damerau-Levenshtein), in
// which inserting, deleting or replacing a character, or swapping two
// neighbours ("crul"), counts one.
func TypoDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// realPrograms are real commands a learner may type that miplay does not
// simulate: they get an explicit "not simulated" rather than "not found".
// The set is made on first use, not at start-up.
var realPrograms = sync.OnceValue(func() map[string]bool { return setOf(realProgramNames...) })

var realProgramNames = []string{
	// Remote access and networking.
	"ssh", "scp", "sftp", "wget", "nc", "ncat", "netcat", "telnet", "nslookup", "dig", "host",
	"ping", "traceroute", "tracepath", "ip", "ifconfig", "netstat", "ss", "openssl", "http", "httpie",
	// Languages and their package managers.
	"python", "python3", "pip", "pip3", "node", "npm", "npx", "yarn", "dotnet", "java", "javac",
	"go", "ruby", "perl", "php", "cargo", "rustc", "gcc", "make",
	// Shells and privilege.
	"bash", "sh", "zsh", "dash", "fish", "pwsh", "powershell", "sudo", "su", "doas",
	// Packages and services.
	"apt", "apt-get", "dpkg", "yum", "dnf", "rpm", "snap", "brew", "systemctl", "service", "journalctl",
	// Cloud and container tools.
	"kubectl", "helm", "docker", "podman", "terraform", "bicep", "azcopy", "func", "azd", "aws", "gcloud",
	"git", "gh",
	// Text and file tools.
	"ls", "mkdir", "rm", "rmdir", "cp", "mv", "touch", "chmod", "chown", "ln", "find",
	"awk", "gawk", "xargs", "diff", "less", "more", "vi", "vim", "nano",
	"emacs", "file", "stat", "du", "df", "tar", "gzip", "gunzip", "zip", "unzip", "xxd", "od", "hexdump",
	"strings", "rev", "tac", "nl", "paste", "join", "comm", "fold", "fmt", "column", "shuf", "yes",
	"sha256sum", "md5sum", "sha1sum", "envsubst", "iconv", "yq", "jwt", "uuidgen", "realpath", "dirname",
	"basename", "readlink", "mktemp", "install",
	// System.
	"ps", "top", "htop", "uname", "id", "groups", "free", "uptime", "watch", "timeout", "nohup", "clear",
	"reset", "tput", "stty", "man", "info", "crontab", "at", "mount", "lsblk", "shutdown", "reboot",
	"screen", "tmux", "who", "w", "last", "passwd", "useradd", "chroot", "strace", "lsof", "time",
}

func setOf(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// help lists the simulated commands; `help NAME` stays bash's, for builtins.
func help(p *Proc) int {
	fmt.Fprintln(p.Stdout, "miplay simulates these commands (the shell's builtins, such as echo, export,")
	fmt.Fprintln(p.Stdout, "printf, read, test and cd, work as in bash):")
	fmt.Fprintln(p.Stdout)
	for _, c := range allCommands() {
		fmt.Fprintf(p.Stdout, "  %-10s %s\n", c.Name, c.Summary)
	}
	return 0
}
