package scenarios

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/interp"
	"mvdan.cc/sh/v3/syntax"
)

// A Problem is something wrong with a scenario file, found without
// running it.
type Problem struct {
	File string
	Line int
	Col  int // the column, where known; 0 if not
	// Warning is set for what may be fine but cannot be checked, such
	// as a host whose name comes from a variable. Warnings do not fail
	// miplay check.
	Warning bool
	Msg     string
}

// String returns "file:line: message", with "warning: " before the
// message of a warning.
func (p Problem) String() string {
	pos := fmt.Sprintf("%s:%d", p.File, p.Line)
	if p.Col > 0 {
		pos += fmt.Sprintf(":%d", p.Col)
	}
	if p.Warning {
		return fmt.Sprintf("%s: warning: %s", pos, p.Msg)
	}
	return fmt.Sprintf("%s: %s", pos, p.Msg)
}

// Commands lists the programs the simulated shell has, for Lint's check
// of unknown commands. It is the command table of engine/shell; shell
// builtins (cd, echo, export, ...) are known besides. If it is nil, Lint
// does not check commands.
var Commands func() []string = shellCommands

// Lint parses a scenario file and checks it without running it: every
// parse error, and steps without narration, shell syntax errors, commands
// the simulated shell does not have, and host prompts that name a compute
// resource no earlier step creates (az vm create, az vmss create, whose
// instances are NAME_0, NAME_1, ..., az webapp create, az functionapp
// create). A name that comes from a variable Lint cannot follow gives a
// warning. Problems are in line order.
func Lint(name string, src []byte) []Problem {
	s, errs := parse(name, src)
	var ps []Problem
	for _, e := range errs {
		msg := e.Msg
		if e.Command != "" {
			msg = e.Command + ": " + msg
		}
		ps = append(ps, Problem{File: e.File, Line: e.Line, Col: e.Col, Msg: msg})
	}
	l := &linter{s: s, hosts: map[string]bool{}, vars: map[string]map[string]string{}}
	if Commands != nil {
		l.commands = map[string]bool{}
		for _, c := range Commands() {
			l.commands[c] = true
		}
	}
	for i, st := range s.Steps {
		l.step(st, fmt.Sprintf("step %d", i+1), true)
	}
	if x := s.Exercise; x != nil {
		for i, st := range x.Solution {
			l.step(st, fmt.Sprintf("solution step %d", i+1), i > 0)
		}
		if x.CheckStep != nil {
			l.step(x.CheckStep, "the check", false)
		}
	}
	ps = append(ps, l.problems...)
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Line < ps[j].Line })
	return ps
}

type linter struct {
	s        *Scenario
	commands map[string]bool // nil: not checked
	hosts    map[string]bool // compute hosts created so far
	// scaleSets are created scale sets whose instance count is unknown:
	// any NAME_N is an instance.
	scaleSets []string
	// unresolved is set once a create command's name could not be told.
	unresolved bool
	vars       map[string]map[string]string // literal variables by host; "" is the workstation's exports too
	problems   []Problem
}

func (l *linter) problem(line int, warn bool, format string, args ...any) {
	l.problems = append(l.problems, Problem{File: l.s.Name, Line: line, Warning: warn, Msg: fmt.Sprintf(format, args...)})
}

func (l *linter) step(st *Step, what string, wantNarration bool) {
	if wantNarration && strings.TrimSpace(st.Narration) == "" {
		l.problem(st.Line, false, "%s has no narration: expected Markdown before the ```console block that says what it does", what)
	}
	for _, c := range st.Commands {
		if c.Host != "" {
			l.checkHost(c)
		}
		l.command(c)
	}
}

func (l *linter) checkHost(c *Command) {
	if l.isHost(c.Host) {
		return
	}
	if l.unresolved {
		l.problem(c.Line, true, "host %q: no earlier step creates it as far as can be told (an earlier create command names its resource through a variable)", c.Host)
		return
	}
	msg := fmt.Sprintf("unknown host %q: expected a compute resource an earlier step creates (az vm create -n %[1]s, az vmss create for %[1]s_0, az webapp create, az functionapp create)", c.Host)
	if len(l.hosts) > 0 {
		known := make([]string, 0, len(l.hosts))
		for h := range l.hosts {
			known = append(known, h)
		}
		sort.Strings(known)
		if s := suggest(c.Host, known); s != "" {
			msg = fmt.Sprintf("unknown host %q (did you mean %q?): expected a compute resource an earlier step creates", c.Host, s)
		}
	}
	l.problem(c.Line, false, "%s", msg)
}

func (l *linter) isHost(h string) bool {
	if l.hosts[strings.ToLower(h)] {
		return true
	}
	for _, ss := range l.scaleSets {
		if rest, ok := strings.CutPrefix(strings.ToLower(h), ss+"_"); ok {
			if _, err := strconv.Atoi(rest); err == nil {
				return true
			}
		}
	}
	return false
}

// command checks one command line and learns what it creates.
func (l *linter) command(c *Command) {
	f, err := syntax.NewParser().Parse(strings.NewReader(c.Text), "")
	if err != nil {
		msg := err.Error()
		if pe, ok := err.(syntax.ParseError); ok {
			msg = pe.Text
		}
		l.problem(c.Line, false, "%s: shell syntax: %s", c.Short(), msg)
		return
	}
	funcs := map[string]bool{}
	syntax.Walk(f, func(n syntax.Node) bool {
		if fd, ok := n.(*syntax.FuncDecl); ok {
			funcs[fd.Name.Value] = true
		}
		return true
	})
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.DeclClause:
			if n.Variant != nil && n.Variant.Value == "export" {
				for _, a := range n.Args {
					l.assign(c, a, true)
				}
			}
		case *syntax.CallExpr:
			if len(n.Args) == 0 {
				for _, a := range n.Assigns {
					l.assign(c, a, false)
				}
				return true
			}
			name := n.Args[0].Lit()
			if name == "" {
				return true
			}
			if l.commands != nil && !l.commands[name] && !interp.IsBuiltin(name) && !funcs[name] {
				l.unknownCommand(c, name)
			}
			if name == "az" {
				l.az(c, n.Args[1:])
			}
		}
		return true
	})
}

func (l *linter) unknownCommand(c *Command, name string) {
	known := make([]string, 0, len(l.commands))
	for k := range l.commands {
		known = append(known, k)
	}
	sort.Strings(known)
	msg := fmt.Sprintf("unknown command %q: the simulated shell has %s and shell builtins", name, strings.Join(known, ", "))
	if s := suggest(name, known); s != "" {
		msg = fmt.Sprintf("unknown command %q (did you mean %q?)", name, s)
	}
	l.problem(c.Line, false, "%s", msg)
}

// assign records a variable set to a literal, or forgets one set to
// anything else.
func (l *linter) assign(c *Command, a *syntax.Assign, export bool) {
	if a.Name == nil {
		return
	}
	scope := c.Host
	if export && c.Host == "" {
		scope = "" // the workstation's exports are seen everywhere
	}
	if l.vars[scope] == nil {
		l.vars[scope] = map[string]string{}
	}
	v, ok := "", true
	if a.Value != nil {
		v, ok = l.resolve(c.Host, a.Value)
	}
	if ok && !a.Append && a.Array == nil {
		l.vars[scope][a.Name.Value] = v
	} else {
		delete(l.vars[scope], a.Name.Value)
	}
}

// lookup finds a variable as a host sees it.
func (l *linter) lookup(host, name string) (string, bool) {
	if v, ok := l.vars[host][name]; ok {
		return v, true
	}
	v, ok := l.vars[""][name]
	return v, ok
}

// resolve returns a word's value if it is made of literals and plain
// variables with known values.
func (l *linter) resolve(host string, w *syntax.Word) (string, bool) {
	var b strings.Builder
	var parts func(ps []syntax.WordPart) bool
	parts = func(ps []syntax.WordPart) bool {
		for _, p := range ps {
			switch p := p.(type) {
			case *syntax.Lit:
				b.WriteString(p.Value)
			case *syntax.SglQuoted:
				b.WriteString(p.Value)
			case *syntax.DblQuoted:
				if !parts(p.Parts) {
					return false
				}
			case *syntax.ParamExp:
				if p.Param == nil || p.Excl || p.Length || p.Width || p.Index != nil || p.Slice != nil || p.Repl != nil || p.Exp != nil {
					return false
				}
				v, ok := l.lookup(host, p.Param.Value)
				if !ok {
					return false
				}
				b.WriteString(v)
			default:
				return false
			}
		}
		return true
	}
	if !parts(w.Parts) {
		return "", false
	}
	return b.String(), true
}

// az learns the compute resources an az command creates.
func (l *linter) az(c *Command, args []*syntax.Word) {
	if len(args) < 2 {
		return
	}
	group, verb := args[0].Lit(), args[1].Lit()
	switch group {
	case "vm", "vmss", "webapp", "functionapp":
	default:
		return
	}
	if verb != "create" {
		return
	}
	name, nameOK, count, countOK := "", false, 2, true
	for i := 2; i < len(args); i++ {
		flag := args[i].Lit()
		val := func() (string, bool) {
			if k := strings.IndexByte(flag, '='); k >= 0 {
				return flag[k+1:], true
			}
			if i+1 < len(args) {
				i++
				return l.resolve(c.Host, args[i])
			}
			return "", false
		}
		switch key, _, _ := strings.Cut(flag, "="); key {
		case "-n", "--name":
			name, nameOK = val()
		case "--instance-count":
			v, ok := val()
			n, err := strconv.Atoi(v)
			count, countOK = n, ok && err == nil
		}
	}
	if !nameOK || name == "" {
		l.unresolved = true
		l.problem(c.Line, true, "%s: cannot tell the name of the %s it creates; host prompts are not checked against it", c.Short(), map[string]string{"vm": "VM", "vmss": "scale set", "webapp": "web app", "functionapp": "function app"}[group])
		return
	}
	name = strings.ToLower(name)
	if group != "vmss" {
		l.hosts[name] = true
		return
	}
	if !countOK {
		l.scaleSets = append(l.scaleSets, name)
		return
	}
	for i := 0; i < count; i++ {
		l.hosts[fmt.Sprintf("%s_%d", name, i)] = true
	}
}
