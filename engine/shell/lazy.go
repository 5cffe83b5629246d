package shell

import (
	"regexp"
	"sync"
)

// lazyRegexp compiles expr on its first use. Compiled at start-up, the
// package's regexps cost every page load time in the browser, which runs
// start-up code slowly, for commands most sessions never run.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
