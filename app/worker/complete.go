package worker

// Tab completion for the terminal. Complete is a pure function of the line,
// the command table and the names in the world, so it is tested natively;
// the page asks for it with wire.MethodComplete and applies the answer
// (wire.Completion.Apply).

import (
	"context"
	"sort"
	"strings"
	"sync"

	"github.com/miplay/miplay/app/wire"
	"github.com/miplay/miplay/engine"
	"github.com/miplay/miplay/engine/azure"
	"github.com/miplay/miplay/engine/shell"
)

// complete answers wire.MethodComplete: the completions at the cursor, with
// the names of the session's world now. A session with no world yet
// completes commands and flags only.
func (h *Host) complete(_ context.Context, req wire.CompleteRequest) (wire.Completion, error) {
	s, err := session[worldSession](h, req.Session)
	if err != nil {
		return wire.Completion{}, err
	}
	var names WorldNames
	s.do(func(w *engine.World) { names = WorldNamesOf(w) })
	return Complete(req.Line, req.Cursor, DefaultCommandTable(), names), nil
}

// CommandTable is what completion knows about the terminal's programs: their
// names and flags, and the az command tree with each command's arguments.
type CommandTable struct {
	Programs []ProgramInfo
	Az       []shell.AzCommandInfo
	AzGlobal []shell.AzArgInfo
}

// ProgramInfo is one program of the terminal and the flags it takes.
type ProgramInfo struct {
	Name  string
	Flags []string // long and short forms
}

// shellBuiltins are the bash builtins worth completing at the start of a
// line, beside the simulated programs.
var shellBuiltins = []string{"echo", "export", "printf", "unset", "test", "read"}

// NewCommandTable builds a table from the shell's commands and the az
// command table.
func NewCommandTable(cmds []*shell.Command, az []shell.AzCommandInfo, global []shell.AzArgInfo) *CommandTable {
	t := &CommandTable{Az: az, AzGlobal: global}
	for _, c := range cmds {
		p := ProgramInfo{Name: c.Name}
		for _, f := range c.Flags {
			p.Flags = append(p.Flags, f.Name)
			if f.Short != "" {
				p.Flags = append(p.Flags, f.Short)
			}
		}
		t.Programs = append(t.Programs, p)
	}
	for _, b := range shellBuiltins {
		t.Programs = append(t.Programs, ProgramInfo{Name: b})
	}
	return t
}

var defaultTable struct {
	once sync.Once
	t    *CommandTable
}

// DefaultCommandTable returns the table of the simulated shell, built once.
func DefaultCommandTable() *CommandTable {
	defaultTable.once.Do(func() {
		s := shell.New(azure.New(engine.New(engine.Options{})), shell.Options{})
		defaultTable.t = NewCommandTable(s.Commands(), shell.AzCommands(), shell.AzGlobalArgs())
	})
	return defaultTable.t
}

// WorldNames are the names completion offers as argument values: what
// exists in the world now.
type WorldNames struct {
	Groups         []string
	VMs            []string
	ScaleSets      []string
	WebApps        []string
	FunctionApps   []string
	Plans          []string
	Storage        []string
	Vaults         []string
	ServiceBus     []string
	UserIdentities []string
	Roles          []string // role names, such as "Storage Blob Data Reader"
	Scopes         []string // the subscription, group and resource IDs
	Principals     []string // object IDs of existing service principals
}

// WorldNamesOf reads the names completion offers from w. It changes nothing.
func WorldNamesOf(w *engine.World) WorldNames {
	var n WorldNames
	n.Scopes = append(n.Scopes, w.Subscription.Scope())
	for _, g := range w.ResourceGroups() {
		n.Groups = append(n.Groups, g.Name)
		n.Scopes = append(n.Scopes, g.ID)
	}
	for _, r := range w.Resources() {
		n.Scopes = append(n.Scopes, r.ID)
		switch r.Type {
		case engine.TypeVM:
			n.VMs = append(n.VMs, r.Name)
		case engine.TypeScaleSet:
			n.ScaleSets = append(n.ScaleSets, r.Name)
		case engine.TypeSite:
			if r.Kind == string(engine.FunctionApp) {
				n.FunctionApps = append(n.FunctionApps, r.Name)
			} else {
				n.WebApps = append(n.WebApps, r.Name)
			}
		case engine.TypePlan:
			n.Plans = append(n.Plans, r.Name)
		case engine.TypeStorageAccount:
			n.Storage = append(n.Storage, r.Name)
		case engine.TypeKeyVault:
			n.Vaults = append(n.Vaults, r.Name)
		case engine.TypeServiceBus:
			n.ServiceBus = append(n.ServiceBus, r.Name)
		case engine.TypeUserIdentity:
			n.UserIdentities = append(n.UserIdentities, r.Name)
		}
	}
	for _, d := range w.RoleDefinitions() {
		n.Roles = append(n.Roles, d.RoleName)
	}
	for _, sp := range w.ServicePrincipals() {
		n.Principals = append(n.Principals, sp.ObjectID)
	}
	return n
}

// Complete returns the completions at cursor (a byte offset) in line: a
// command name at the start of a command; for az, the next word of the
// command tree, then the command's flags and, after a flag, its choices or
// the names in the world it takes (resource groups, VM names, storage
// accounts, roles, scopes...); for other programs, their flags.
func Complete(line string, cursor int, t *CommandTable, names WorldNames) wire.Completion {
	if cursor < 0 || cursor > len(line) {
		cursor = len(line)
	}
	words, start := splitCommand(line[:cursor])
	cur := words[len(words)-1]
	c := wire.Completion{Start: start, Word: cur}
	prev := words[:len(words)-1]
	if len(prev) == 0 {
		var cands []string
		for _, p := range t.Programs {
			cands = append(cands, p.Name)
		}
		c.Candidates = filterPrefix(cands, cur)
		return c
	}
	if prev[0] == "az" {
		c.Candidates = completeAz(prev[1:], cur, t, names)
		return c
	}
	if strings.HasPrefix(cur, "-") {
		for _, p := range t.Programs {
			if p.Name == prev[0] {
				c.Candidates = filterPrefix(p.Flags, cur)
			}
		}
	}
	return c
}

// splitCommand splits the last command of a line into words, as far as
// completion needs: it starts after the last unquoted |, ;, & or (, and
// splits at unquoted blanks. Quotes are kept in the words. The last word
// may be empty; start is its offset.
func splitCommand(s string) (words []string, start int) {
	var cur strings.Builder
	curStart := 0
	var quote byte
	flush := func(i int) {
		if cur.Len() > 0 {
			words = append(words, cur.String())
			cur.Reset()
		}
		curStart = i + 1
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case quote != 0:
			if ch == quote {
				quote = 0
			}
			cur.WriteByte(ch)
		case ch == '\'' || ch == '"':
			quote = ch
			cur.WriteByte(ch)
		case ch == '\\' && i+1 < len(s):
			cur.WriteByte(ch)
			cur.WriteByte(s[i+1])
			i++
		case ch == ' ' || ch == '\t':
			flush(i)
		case ch == '|' || ch == ';' || ch == '&' || ch == '(' || ch == ')' || ch == '`':
			flush(i)
			words = words[:0]
		default:
			cur.WriteByte(ch)
		}
	}
	return append(words, cur.String()), curStart
}

func filterPrefix(cands []string, prefix string) []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range cands {
		if strings.HasPrefix(c, prefix) && !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	sort.Strings(out)
	return out
}

// completeAz completes the word cur after "az" and the words args.
func completeAz(args []string, cur string, t *CommandTable, names WorldNames) []string {
	// The command path: the words before the first flag.
	var path []string
	i := 0
	for ; i < len(args) && !strings.HasPrefix(args[i], "-"); i++ {
		path = append(path, args[i])
	}
	cmd := findAz(t, strings.Join(path, " "))
	flagsSeen := i < len(args)
	if cmd == nil {
		if flagsSeen || strings.HasPrefix(cur, "-") {
			return filterPrefix([]string{"--help"}, cur)
		}
		return filterPrefix(azChildWords(t, strings.Join(path, " ")), cur)
	}
	args = args[i:]
	// A value for the flag just before the cursor.
	if n := len(args); n > 0 && strings.HasPrefix(args[n-1], "-") {
		if a, ok := findAzArg(t, cmd, args[n-1]); ok && !a.Switch {
			return quoteAll(filterPrefix(azValues(cmd, a, names), unquote(cur)))
		}
	}
	if !strings.HasPrefix(cur, "-") {
		return nil
	}
	used := map[string]bool{}
	for _, w := range args {
		if a, ok := findAzArg(t, cmd, w); ok {
			used[a.Names[0]] = true
		}
	}
	var cands []string
	for _, a := range append(append([]shell.AzArgInfo(nil), cmd.Args...), t.AzGlobal...) {
		if used[a.Names[0]] || a.NotSimulated {
			continue
		}
		for _, n := range a.Names {
			// "--" shows long names only; "-" shows both.
			if strings.HasPrefix(cur, "--") && !strings.HasPrefix(n, "--") {
				continue
			}
			cands = append(cands, n)
		}
	}
	return filterPrefix(cands, cur)
}

func findAz(t *CommandTable, path string) *shell.AzCommandInfo {
	for i := range t.Az {
		if t.Az[i].Path == path {
			return &t.Az[i]
		}
	}
	return nil
}

// azChildWords lists the words that can follow a group path.
func azChildWords(t *CommandTable, group string) []string {
	prefix := ""
	if group != "" {
		prefix = group + " "
	}
	var out []string
	for _, c := range t.Az {
		if rest, ok := strings.CutPrefix(c.Path, prefix); ok {
			w, _, _ := strings.Cut(rest, " ")
			out = append(out, w)
		}
	}
	return out
}

func findAzArg(t *CommandTable, cmd *shell.AzCommandInfo, word string) (shell.AzArgInfo, bool) {
	name, _, _ := strings.Cut(word, "=")
	for _, list := range [][]shell.AzArgInfo{cmd.Args, t.AzGlobal} {
		for _, a := range list {
			for _, n := range a.Names {
				if n == name {
					return a, true
				}
			}
		}
	}
	return shell.AzArgInfo{}, false
}

// azValues lists the values an argument of cmd may take: its choices, or
// the names in the world it refers to. The argument's meaning comes from
// its name and, for --name, from the command group, as in the Azure CLI.
func azValues(cmd *shell.AzCommandInfo, a shell.AzArgInfo, n WorldNames) []string {
	if len(a.Choices) > 0 {
		return a.Choices
	}
	switch a.Names[0] {
	case "--resource-group":
		return n.Groups
	case "--account-name", "--storage-account":
		return n.Storage
	case "--vault-name":
		return n.Vaults
	case "--namespace-name":
		return n.ServiceBus
	case "--plan":
		return n.Plans
	case "--identities", "--assign-identity":
		return append([]string{"[system]"}, n.UserIdentities...)
	case "--role":
		return n.Roles
	case "--scope", "--scopes", "--ids":
		return n.Scopes
	case "--assignee", "--assignee-object-id", "--id":
		return n.Principals
	case "--name":
		return namesFor(cmd.Path, n)
	}
	return nil
}

// namesFor says what --name names in a command group.
func namesFor(path string, n WorldNames) []string {
	groups := []struct {
		prefix string
		names  []string
	}{
		{"group ", n.Groups},
		{"vmss ", n.ScaleSets},
		{"vm ", n.VMs},
		{"identity ", n.UserIdentities},
		{"keyvault secret ", nil},
		{"keyvault ", n.Vaults},
		{"storage account ", n.Storage},
		{"webapp ", n.WebApps},
		{"functionapp ", n.FunctionApps},
		{"appservice plan ", n.Plans},
		{"servicebus namespace ", n.ServiceBus},
	}
	for _, g := range groups {
		if strings.HasPrefix(path+" ", g.prefix) {
			return g.names
		}
	}
	return nil
}

func unquote(w string) string { return strings.Trim(w, `"'`) }

// quoteAll puts double quotes around the candidates that need them for the
// shell. They replace the whole word, its opening quote included.
func quoteAll(cands []string) []string {
	for i, c := range cands {
		if strings.ContainsAny(c, " \t$`\"'\\|&;()<>*?[]{}") && c != "[system]" {
			cands[i] = `"` + c + `"`
		}
	}
	return cands
}
