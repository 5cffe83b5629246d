package scenarios

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// fakeRunner is a tiny command language for testing the matching and
// stepping logic without the simulated cloud:
//
//	echo WORDS...    prints the words
//	warn WORDS...    prints the words to stderr
//	fail N WORDS...  prints the words to stderr and exits N
//	set K V          remembers V under K (one store for all hosts)
//	get K            prints V, or fails with 1
//	count            prints how many times count ran
//	host             prints the host
//	broken           the runner itself fails
type fakeRunner struct {
	vals  map[string]string
	count int
	lines []string // every host:line run
}

func newFake(FrontMatter) (Runner, error) { return &fakeRunner{vals: map[string]string{}}, nil }

func (f *fakeRunner) Run(ctx context.Context, host, line string, stdout, stderr io.Writer) (int, error) {
	f.lines = append(f.lines, host+":"+line)
	line = strings.ReplaceAll(line, "\\\n", " ")
	args := strings.Fields(line)
	if len(args) == 0 {
		return 0, nil
	}
	switch args[0] {
	case "echo":
		fmt.Fprintln(stdout, strings.Join(args[1:], " "))
	case "warn":
		fmt.Fprintln(stderr, strings.Join(args[1:], " "))
	case "fail":
		n, _ := strconv.Atoi(args[1])
		fmt.Fprintln(stderr, strings.Join(args[2:], " "))
		return n, nil
	case "set":
		f.vals[args[1]] = args[2]
	case "get":
		v, ok := f.vals[args[1]]
		if !ok {
			fmt.Fprintf(stderr, "%s: not set\n", args[1])
			return 1, nil
		}
		fmt.Fprintln(stdout, v)
	case "count":
		f.count++
		fmt.Fprintln(stdout, f.count)
	case "host":
		fmt.Fprintln(stdout, host)
	case "broken":
		return 0, fmt.Errorf("the runner broke")
	case "mixed":
		fmt.Fprintln(stdout, "out 1")
		fmt.Fprintln(stderr, "err 1")
		fmt.Fprintln(stdout, "out 2")
	default:
		fmt.Fprintf(stderr, "%s: command not found\n", args[0])
		return 127, nil
	}
	return 0, nil
}

var fakeOpts = RunOptions{NewRunner: newFake}
