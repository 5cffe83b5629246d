package shell

// AzCommandInfo describes one simulated az command for tools outside the
// terminal, such as the browser's Tab completion: its words after "az",
// its summary and its arguments. It is a copy; changing it changes nothing.
type AzCommandInfo struct {
	Path    string // "vm identity assign"
	Summary string
	Args    []AzArgInfo
}

// AzArgInfo describes one argument of an az command.
type AzArgInfo struct {
	Names   []string // long name first: "--resource-group", "-g"
	Help    string
	Switch  bool     // takes no value
	Choices []string // the values it accepts, if it has a fixed set
	// NotSimulated: a real argument that the playground rejects with a
	// clear message.
	NotSimulated bool
}

// AzCommands lists the simulated az commands, in the order they were
// registered, each with its own arguments (not the global ones: see
// AzGlobalArgs).
func AzCommands() []AzCommandInfo {
	cmds := azCommands()
	out := make([]AzCommandInfo, 0, len(cmds))
	for _, c := range cmds {
		info := AzCommandInfo{Path: c.Path, Summary: c.Summary}
		for _, a := range c.Args {
			info.Args = append(info.Args, azArgInfo(a))
		}
		out = append(out, info)
	}
	return out
}

// AzGlobalArgs lists the arguments every az command accepts (--output,
// --query, ...).
func AzGlobalArgs() []AzArgInfo {
	out := make([]AzArgInfo, 0, len(globalArgs))
	for _, a := range globalArgs {
		out = append(out, azArgInfo(a))
	}
	return out
}

func azArgInfo(a azArg) AzArgInfo {
	return AzArgInfo{
		Names:        append([]string(nil), a.Names...),
		Help:         a.Help,
		Switch:       a.Switch,
		Choices:      append([]string(nil), a.Choices...),
		NotSimulated: a.NotSimulated,
	}
}
