package scenarios

import (
	"sync"

	"github.com/miplay/miplay/engine"
	"github.com/miplay/miplay/engine/azure"
	"github.com/miplay/miplay/engine/shell"
)

// newShellRunner is the default NewRunner: the simulated shell on a fresh
// world.
func newShellRunner(fm FrontMatter) (Runner, error) {
	w := engine.New(engine.Options{Seed: fm.Seed, Start: fm.Start, Propagation: fm.Propagation})
	return shell.New(azure.New(w), shell.Options{}), nil
}

var (
	commandsOnce  sync.Once
	commandsNames []string
)

// shellCommands is the default Commands: the simulated shell's command
// table.
func shellCommands() []string {
	commandsOnce.Do(func() {
		s := shell.New(azure.New(engine.New(engine.Options{})), shell.Options{})
		for _, c := range s.Commands() {
			commandsNames = append(commandsNames, c.Name)
		}
	})
	return commandsNames
}

// Cloud returns the simulated cloud of the current world, for the UI's
// panels, or nil if the runner is not the simulated shell.
func (p *Player) Cloud() *azure.Cloud {
	if c, ok := p.r.(interface{ Cloud() *azure.Cloud }); ok {
		return c.Cloud()
	}
	return nil
}
