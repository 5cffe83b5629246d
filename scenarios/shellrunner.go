package scenarios

import "errors"

// newShellRunner is the default NewRunner.
func newShellRunner(fm FrontMatter) (Runner, error) {
	return nil, errors.New("the simulated shell (engine/shell) is not available yet")
}

// shellCommands is the default Commands.
var shellCommands func() []string
