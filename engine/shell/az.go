package shell

import (
	"errors"
	"fmt"

	"sort"
	"strings"
	"sync"
)

// An azCommand is one command of the Azure CLI, such as "vm identity
// assign": its arguments, its help, and the Go function that runs it
// against the simulated ARM, Graph and data planes.
type azCommand struct {
	Path    string // words after "az": "vm identity assign"
	Summary string
	Args    []azArg
	// Examples are real command lines, each of which works in the playground.
	Examples []string
	// NotSimulated says what of the real command the playground leaves out.
	NotSimulated string
	// Show marks a "show" command: a missing resource exits 3, as az does.
	Show bool
	// Run does the work and returns the value to print (through --query
	// and --output), or nil to print nothing.
	Run func(c *azCall) (any, error)
	// Table, if set, is az's table transformer: with -o table and no
	// --query, the result is printed as Table returns it, in the column
	// order it gives (each row's keys, before capitalization).
	Table func(result any) (rows any, columns []string)
}

// An azArg is one argument of an az command.
type azArg struct {
	Names    []string // long name first: "--resource-group", "-g"
	Help     string
	Required bool
	Switch   bool // takes no value
	Multi    bool // takes one or more values (nargs='+')
	Choices  []string
	// Ignored: a real argument that changes nothing the playground models
	// (an image name, SSH keys); it is accepted and has no effect.
	Ignored bool
	// NotSimulated: a real argument whose effect the playground does not
	// model; using it fails with a clear message.
	NotSimulated bool
	// AnyNumber takes zero or more values (nargs='*'), as --assign-identity
	// does: given alone, it is present with no values.
	AnyNumber bool
}

// name is the argument's canonical (first) name.
func (a azArg) name() string { return a.Names[0] }

// display is how az names an argument in errors: "--resource-group -g".
func (a azArg) display() string { return strings.Join(a.Names, " ") }

// globalArgs are accepted by every az command.
var globalArgs = []azArg{
	{Names: []string{"--output", "-o"}, Help: "Output format.", Choices: []string{"json", "jsonc", "none", "table", "tsv", "yaml", "yamlc"}},
	{Names: []string{"--query"}, Help: "JMESPath query string. See http://jmespath.org/ for more information and examples."},
	{Names: []string{"--only-show-errors"}, Switch: true, Help: "Only show errors, suppressing warnings."},
	{Names: []string{"--subscription"}, Help: "Name or ID of subscription."},
	{Names: []string{"--help", "-h"}, Switch: true, Help: "Show this help message and exit."},
	{Names: []string{"--debug"}, Switch: true, NotSimulated: true, Help: "Increase logging verbosity to show all debug logs."},
	{Names: []string{"--verbose"}, Switch: true, Ignored: true, Help: "Increase logging verbosity. Use --debug for full debug logs."},
}

// azCommands is the table of az commands, which the az_*.go files fill on
// its first use rather than at start-up (see loadBuiltins).
var azCommands = sync.OnceValue(func() []*azCommand {
	registerAzAccount()
	registerAzAD()
	registerAzGroup()
	registerAzIdentity()
	registerAzKeyVault()
	registerAzResource()
	registerAzRole()
	registerAzServiceBus()
	registerAzStorage()
	registerAzStorageBlob()
	registerAzVM()
	registerAzWeb()
	return azTable
})

// azTable is where registerAz collects the commands for azCommands; only
// azCommands calls the functions that call registerAz.
var azTable []*azCommand

func registerAz(cmds ...*azCommand) { azTable = append(azTable, cmds...) }

// Exit statuses of the Azure CLI.
const (
	azExitError    = 1 // a service or client error
	azExitUsage    = 2 // a usage error
	azExitNotFound = 3 // a show command whose resource does not exist
)

// azUsageError is a mistake in the command line: exit 2.
type azUsageError struct{ msg string }

func (e *azUsageError) Error() string { return e.msg }

// azCLIError is an error az reports in its own words: exit 1.
type azCLIError struct{ msg string }

func (e *azCLIError) Error() string { return e.msg }

func usagef(format string, args ...any) error  { return &azUsageError{fmt.Sprintf(format, args...)} }
func clierrf(format string, args ...any) error { return &azCLIError{fmt.Sprintf(format, args...)} }

// An azExitCoder is an error az prints in its own words ("ERROR: " and
// Error()) and that chooses its exit status: a data-plane or Graph error
// whose text is not ARM's "(Code) Message" form, exiting 3 when az maps it
// to ResourceNotFoundError.
type azExitCoder interface {
	error
	azExitCode() int
}

// azServiceError is an error response from Azure, printed the way the
// Azure SDK for Python formats an HttpResponseError.
type azServiceError struct {
	Status  int
	Code    string
	Message string
}

func (e *azServiceError) Error() string {
	return fmt.Sprintf("(%s) %s\nCode: %s\nMessage: %s", e.Code, e.Message, e.Code, e.Message)
}

func registerAzProgram() {
	register(&Command{
		Name:      "az",
		Summary:   "The Azure CLI, as an ARM, Graph and data-plane client of the simulated cloud.",
		Synopsis:  "az GROUP [SUBGROUP] COMMAND [ARGS] [--query JMESPATH] [-o json|jsonc|tsv|table|yaml|none]",
		Simulates: "The command groups listed below, with the real output shapes, errors and exit codes (0 success, 1 error, 2 usage, 3 show of a missing resource). Output is JSON with sorted keys and two-space indentation unless -o says otherwise; colors are never printed. Extensions, interactive login and `az configure` are not simulated.",
		Flags:     azFlagsForReference(),
		Reference: AzReference,
		Run:       runAz,
	})
}

func azFlagsForReference() []Flag {
	var fs []Flag
	for _, a := range globalArgs {
		f := Flag{Name: a.Names[0], Summary: a.Help}
		if len(a.Names) > 1 {
			f.Short = a.Names[1]
		}
		if !a.Switch {
			f.Arg = strings.ToUpper(strings.TrimPrefix(a.Names[0], "--"))
		}
		fs = append(fs, f)
	}
	return fs
}

// runAz is the az program: find the command, parse its arguments, run it,
// print its result or its error.
func runAz(p *Proc, args []string) int {
	args = expandAtFiles(p, args)
	cmd, rest, err := findAzCommand(args)
	if err != nil {
		return azFail(p, err, false)
	}
	if cmd == nil { // a group: print its help
		group := strings.Join(rest, " ")
		fmt.Fprint(p.Stdout, azGroupHelp(group))
		return 0
	}
	c, err := parseAzArgs(p, cmd, rest)
	if err != nil {
		return azFail(p, err, false)
	}
	if c.has("--help") {
		fmt.Fprint(p.Stdout, azCommandHelp(cmd))
		return 0
	}
	result, err := cmd.Run(c)
	c.flushWarnings()
	if err != nil {
		return azFail(p, err, cmd.Show)
	}
	if result == nil {
		return 0
	}
	if err := c.print(result); err != nil {
		return azFail(p, err, false)
	}
	return 0
}

// azFail prints an error as az does and returns its exit status.
func azFail(p *Proc, err error, show bool) int {
	var usage *azUsageError
	var svc *azServiceError
	var coded azExitCoder
	switch {
	case errors.As(err, &usage):
		fmt.Fprintln(p.Stderr, usage.msg)
		return azExitUsage
	case errors.As(err, &svc):
		fmt.Fprintf(p.Stderr, "ERROR: %s\n", svc.Error())
		// azure-cli turns every 404 into a ResourceNotFoundError, exit 3.
		if svc.Status == 404 {
			return azExitNotFound
		}
		return azExitError
	case errors.As(err, &coded):
		fmt.Fprintf(p.Stderr, "ERROR: %s\n", err.Error())
		return coded.azExitCode()
	default:
		fmt.Fprintf(p.Stderr, "ERROR: %s\n", err.Error())
		return azExitError
	}
}

// findAzCommand walks the command words. It returns the command and its
// remaining arguments, or (nil, group words) when the words name a group.
func findAzCommand(args []string) (*azCommand, []string, error) {
	var words []string
	for i, a := range args {
		if strings.HasPrefix(a, "-") {
			break
		}
		path := strings.Join(append(words, a), " ")
		if cmd := lookupAz(path); cmd != nil {
			return cmd, args[i+1:], nil
		}
		if !isAzGroup(path) {
			return nil, nil, unknownAzWord(words, a)
		}
		words = append(words, a)
	}
	if len(words) == 0 {
		// "az" or "az --version" and friends.
		if len(args) > 0 && args[0] == "--version" {
			return nil, nil, clierrf("az --version is not simulated: miplay simulates a subset of Azure CLI 2.x")
		}
		return nil, nil, nil
	}
	return nil, words, nil
}

func lookupAz(path string) *azCommand {
	for _, c := range azCommands() {
		if c.Path == path {
			return c
		}
	}
	return nil
}

func isAzGroup(path string) bool {
	for _, c := range azCommands() {
		if strings.HasPrefix(c.Path, path+" ") {
			return true
		}
	}
	return false
}

// azChildren lists the words that can follow a group path.
func azChildren(group string) []string {
	seen := map[string]bool{}
	var out []string
	prefix := ""
	if group != "" {
		prefix = group + " "
	}
	for _, c := range azCommands() {
		if rest, ok := strings.CutPrefix(c.Path, prefix); ok {
			w, _, _ := strings.Cut(rest, " ")
			if !seen[w] {
				seen[w] = true
				out = append(out, w)
			}
		}
	}
	sort.Strings(out)
	return out
}

// realAzGroups are command groups of the real CLI that the playground does
// not simulate: naming one says so instead of "not recognized".
var realAzGroups = []string{"acr", "aks", "apim", "appconfig", "batch", "bicep", "cdn", "cognitiveservices", "config", "configure", "containerapp", "cosmosdb", "deployment", "eventgrid", "eventhubs", "extension", "feedback", "find", "interactive", "iot", "lock", "logout", "monitor", "mysql", "network", "policy", "postgres", "provider", "redis", "rest", "signalr", "snapshot", "sql", "staticwebapp", "tag", "upgrade", "version"}

// unknownAzWord is az's error for a word that is not a command or group,
// with the most similar choices.
func unknownAzWord(words []string, word string) error {
	group := strings.Join(words, " ")
	if group == "" {
		for _, g := range realAzGroups {
			if g == word {
				return clierrf("'az %s' is a real Azure CLI command group that miplay does not simulate. Simulated groups: %s.", word, strings.Join(azChildren(""), ", "))
			}
		}
	}
	full := "az"
	if group != "" {
		full = "az " + group
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: '%s' is not in the '%s' command group. See '%s --help'.", full, word, full, full)
	if group == "" {
		b.WriteString(" If the command is from an extension, please make sure the corresponding extension is installed. To learn more about extensions, please visit https://docs.microsoft.com/cli/azure/azure-cli-extensions-overview")
	}
	if similar := closest(word, azChildren(group), 3); len(similar) > 0 {
		if len(similar) == 1 {
			fmt.Fprintf(&b, "\n\nThe most similar choice to '%s' is:\n\t%s", word, similar[0])
		} else {
			fmt.Fprintf(&b, "\n\nThe most similar choices to '%s' are:", word)
			for _, s := range similar {
				b.WriteString("\n\t" + s)
			}
		}
	}
	return &azUsageError{b.String()}
}

// closest returns up to n candidates nearest to word by edit distance,
// among those close enough to be a plausible typo.
func closest(word string, candidates []string, n int) []string {
	type scored struct {
		s string
		d int
	}
	var sc []scored
	for _, c := range candidates {
		d := editDistance(word, c)
		if d <= max(2, len(word)/3) || strings.HasPrefix(c, word) {
			sc = append(sc, scored{c, d})
		}
	}
	sort.SliceStable(sc, func(i, j int) bool { return sc[i].d < sc[j].d })
	var out []string
	for i := 0; i < len(sc) && i < n; i++ {
		out = append(out, sc[i].s)
	}
	return out
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// parseAzArgs parses arguments the way az's argparse does: long and short
// names, "--name=value", values that start with "-" only after "=",
// several values for nargs='+' arguments, and argparse's abbreviations:
// an unambiguous prefix of a long name ("--out tsv" for --output, as the
// docs write it) and a short name with its value attached ("-otsv").
func parseAzArgs(p *Proc, cmd *azCommand, args []string) (*azCall, error) {
	c := &azCall{p: p, cmd: cmd, vals: map[string][]string{}}
	all := append(append([]azArg(nil), cmd.Args...), globalArgs...)
	find := func(name string) (azArg, bool, error) {
		for _, a := range all {
			for _, n := range a.Names {
				if n == name {
					return a, true, nil
				}
			}
		}
		if !strings.HasPrefix(name, "--") || len(name) < 3 {
			return azArg{}, false, nil
		}
		var found []azArg
		var names []string
		for _, a := range all {
			hit := false
			for _, n := range a.Names {
				if strings.HasPrefix(n, "--") && strings.HasPrefix(n, name) {
					names = append(names, n)
					hit = true
				}
			}
			if hit {
				found = append(found, a)
			}
		}
		switch {
		case len(found) == 1:
			return found[0], true, nil
		case len(found) > 1:
			return azArg{}, false, usagef("ERROR: ambiguous option: %s could match %s", name, strings.Join(names, ", "))
		}
		return azArg{}, false, nil
	}
	var unrecognized []string
	for i := 0; i < len(args); i++ {
		tok := args[i]
		if !strings.HasPrefix(tok, "-") || tok == "-" {
			unrecognized = append(unrecognized, tok)
			continue
		}
		name, value, hasValue := strings.Cut(tok, "=")
		a, ok, err := find(name)
		if err != nil {
			return nil, err
		}
		if !ok && !strings.HasPrefix(tok, "--") && len(tok) > 2 && !isNegativeNumber(tok) {
			// "-otsv": a short name with its value attached.
			if sa, sok, _ := find(tok[:2]); sok && !sa.Switch {
				a, ok = sa, true
				value, hasValue = tok[2:], true
			}
		}
		if !ok {
			unrecognized = append(unrecognized, tok)
			continue
		}
		key := a.name()
		if a.Switch {
			if hasValue {
				return nil, usagef("ERROR: argument %s: ignored explicit argument '%s'", a.display(), value)
			}
			c.vals[key] = append(c.vals[key], "true")
			continue
		}
		var vals []string
		if hasValue {
			vals = []string{value}
		} else {
			for i+1 < len(args) && !(strings.HasPrefix(args[i+1], "-") && len(args[i+1]) > 1 && !isNegativeNumber(args[i+1])) {
				i++
				vals = append(vals, args[i])
				if !a.Multi && !a.AnyNumber {
					break
				}
			}
		}
		if len(vals) == 0 && a.AnyNumber && !hasValue {
			c.vals[key] = append(c.vals[key], vals...)
			continue
		}
		if len(vals) == 0 {
			if a.Multi {
				return nil, usagef("ERROR: argument %s: expected at least one argument", a.display())
			}
			return nil, usagef("ERROR: argument %s: expected one argument", a.display())
		}
		if len(a.Choices) > 0 {
			for _, v := range vals {
				if !containsFold(a.Choices, v) {
					return nil, usagef("ERROR: argument %s: invalid choice: '%s' (choose from %s)", a.display(), v, quoteList(a.Choices))
				}
			}
		}
		c.vals[key] = append(c.vals[key], vals...)
	}
	if len(unrecognized) > 0 {
		return nil, usagef("ERROR: unrecognized arguments: %s", strings.Join(unrecognized, " "))
	}
	if c.has("--help") {
		return c, nil
	}
	var missing []string
	for _, a := range cmd.Args {
		if a.Required && !c.has(a.name()) {
			missing = append(missing, strings.Join(a.Names, "/"))
		}
		if a.NotSimulated && c.has(a.name()) {
			return nil, clierrf("%s is a real argument of 'az %s' that miplay does not simulate.", a.name(), cmd.Path)
		}
	}
	if len(missing) > 0 {
		return nil, usagef("ERROR: the following arguments are required: %s", strings.Join(missing, ", "))
	}
	for _, a := range globalArgs {
		if a.NotSimulated && c.has(a.name()) {
			return nil, clierrf("%s is a real argument of az that miplay does not simulate.", a.name())
		}
	}
	if sub := c.str("--subscription"); sub != "" {
		if err := c.checkSubscription(sub); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func isNegativeNumber(s string) bool {
	if len(s) < 2 || s[0] != '-' {
		return false
	}
	for _, r := range s[1:] {
		if (r < '0' || r > '9') && r != '.' {
			return false
		}
	}
	return true
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// quoteList writes strings as Python joins their reprs: 'a', 'b'.
func quoteList(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = "'" + s + "'"
	}
	return strings.Join(q, ", ")
}

// quotePyList writes a list of strings as Python prints it: ['a', 'b'].
func quotePyList(list []string) string { return "[" + quoteList(list) + "]" }

// An azCall is one run of an az command: its parsed arguments and the
// process it runs in.
type azCall struct {
	p        *Proc
	cmd      *azCommand
	vals     map[string][]string
	warnings []string
}

func (c *azCall) has(name string) bool { _, ok := c.vals[name]; return ok }

// str returns an argument's last value, or "".
func (c *azCall) str(name string) string {
	v := c.vals[name]
	if len(v) == 0 {
		return ""
	}
	return v[len(v)-1]
}

// list returns every value of an argument.
func (c *azCall) list(name string) []string { return c.vals[name] }

// warn queues a warning, printed to stderr unless --only-show-errors.
func (c *azCall) warn(format string, args ...any) {
	c.warnings = append(c.warnings, fmt.Sprintf(format, args...))
}

func (c *azCall) flushWarnings() {
	if c.has("--only-show-errors") {
		return
	}
	for _, w := range c.warnings {
		fmt.Fprintf(c.p.Stderr, "WARNING: %s\n", w)
	}
	c.warnings = nil
}

func azGroupHelp(group string) string {
	var b strings.Builder
	name := strings.TrimSpace("az " + group)
	fmt.Fprintf(&b, "\nGroup\n    %s\n\n", name)
	var subgroups, commands []string
	prefix := ""
	if group != "" {
		prefix = group + " "
	}
	for _, w := range azChildren(group) {
		if lookupAz(prefix+w) != nil {
			commands = append(commands, w)
		} else {
			subgroups = append(subgroups, w)
		}
	}
	if len(subgroups) > 0 {
		b.WriteString("Subgroups:\n")
		for _, s := range subgroups {
			fmt.Fprintf(&b, "    %s\n", s)
		}
		b.WriteString("\n")
	}
	if len(commands) > 0 {
		b.WriteString("Commands:\n")
		for _, s := range commands {
			fmt.Fprintf(&b, "    %-20s : %s\n", s, lookupAz(prefix+s).Summary)
		}
		b.WriteString("\n")
	}
	b.WriteString("In miplay, only the commands listed here are simulated.\n")
	return b.String()
}

func azCommandHelp(cmd *azCommand) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\nCommand\n    az %s : %s\n\nArguments\n", cmd.Path, cmd.Summary)
	for _, a := range cmd.Args {
		req := ""
		if a.Required {
			req = " [Required]"
		}
		note := ""
		switch {
		case a.Ignored:
			note = " (accepted; no effect in miplay)"
		case a.NotSimulated:
			note = " (not simulated in miplay)"
		}
		fmt.Fprintf(&b, "    %-30s%s : %s%s\n", a.display(), req, a.Help, note)
	}
	b.WriteString("\nGlobal Arguments\n")
	for _, a := range globalArgs {
		fmt.Fprintf(&b, "    %-30s : %s\n", a.display(), a.Help)
	}
	if len(cmd.Examples) > 0 {
		b.WriteString("\nExamples\n")
		for _, e := range cmd.Examples {
			fmt.Fprintf(&b, "    %s\n", e)
		}
	}
	if cmd.NotSimulated != "" {
		fmt.Fprintf(&b, "\nNot simulated in miplay\n    %s\n", cmd.NotSimulated)
	}
	return b.String()
}

// AzReference returns the az commands as Markdown, for the generated
// command reference.
func AzReference() string {
	cmds := append([]*azCommand(nil), azCommands()...)
	sort.Slice(cmds, func(i, j int) bool { return cmds[i].Path < cmds[j].Path })
	var b strings.Builder
	for _, cmd := range cmds {
		fmt.Fprintf(&b, "### az %s\n\n%s\n\n", cmd.Path, cmd.Summary)
		if len(cmd.Args) > 0 {
			b.WriteString("| argument | required | meaning |\n|---|---|---|\n")
			for _, a := range cmd.Args {
				req := ""
				if a.Required {
					req = "yes"
				}
				help := a.Help
				switch {
				case a.Ignored:
					help += " Accepted; no effect in miplay."
				case a.NotSimulated:
					help += " Not simulated: using it fails."
				}
				fmt.Fprintf(&b, "| `%s` | %s | %s |\n", strings.Join(a.Names, "`, `"), req, strings.ReplaceAll(help, "|", "\\|"))
			}
			b.WriteString("\n")
		}
		if cmd.NotSimulated != "" {
			fmt.Fprintf(&b, "Not simulated: %s\n\n", cmd.NotSimulated)
		}
		for _, e := range cmd.Examples {
			fmt.Fprintf(&b, "    %s\n", e)
		}
		if len(cmd.Examples) > 0 {
			b.WriteString("\n")
		}
	}
	return b.String()
}
