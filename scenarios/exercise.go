package scenarios

import (
	"context"
	"fmt"
	"strings"
)

// A Report is the outcome of an exercise's check.
type Report struct {
	// Passed reports whether every check command printed its expected
	// output and exit status.
	Passed bool
	// Results has one element per check command, in order.
	Results []*CommandResult
}

// String says whether the check passed and, if not, which commands did
// not print what the goal expects, with a diff.
func (r *Report) String() string {
	var b strings.Builder
	matched := 0
	for _, res := range r.Results {
		if res.Matched {
			matched++
		}
	}
	if r.Passed {
		fmt.Fprintf(&b, "check passed: %d of %d commands print what the goal expects\n", matched, len(r.Results))
		return b.String()
	}
	fmt.Fprintf(&b, "check failed: %d of %d commands print what the goal expects\n", matched, len(r.Results))
	for _, res := range r.Results {
		if res.Matched {
			continue
		}
		c := res.Command
		fmt.Fprintf(&b, "line %d: %s: %s\n%s", c.Line, c.String(), summarize(c.WantLines(), res.GotLines()), res.Diff)
	}
	return b.String()
}

// Check runs the exercise's check commands on r, which holds the
// learner's world, and reports whether the goal is reached. The error is
// for failures of the runner, not of the check.
func (x *Exercise) Check(ctx context.Context, r Runner) (passed bool, report *Report, err error) {
	report = &Report{Passed: true}
	if x.CheckStep == nil {
		return false, report, fmt.Errorf("scenarios: exercise has no check")
	}
	for _, c := range x.CheckStep.Commands {
		res, err := exec(ctx, r, c, c.Host, c.Text)
		if err = softFail(ctx, res, err); err != nil {
			return false, report, err
		}
		report.Results = append(report.Results, res)
		if !res.Matched {
			report.Passed = false
		}
	}
	return report.Passed, report, nil
}
