package main

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// A row is one figure of the table: miplay's, the baseline's beside it,
// and the budget if there is one.
type row struct {
	Figure   string
	Ours     float64
	Base     float64 // 0: no baseline
	BaseName string  // what the baseline is, for the column
	Unit     unit
	// Budget is checked against Ours/Base if Ratio, else against Ours.
	Budget    float64 // 0: no budget, the figure is reported only
	Ratio     bool
	LowerIsOK bool // the budget is a floor (throughput), not a ceiling
}

type unit int

const (
	unitBytes unit = iota
	unitMS
	unitSeconds
	unitPerSecond
	unitCount
)

func (u unit) format(v float64) string {
	switch u {
	case unitBytes:
		switch {
		case v >= 1e6:
			return fmt.Sprintf("%.2f MB", v/1e6)
		case v >= 1e3:
			return fmt.Sprintf("%.0f kB", v/1e3)
		}
		return fmt.Sprintf("%.0f B", v)
	case unitMS:
		switch {
		case v >= 100:
			return fmt.Sprintf("%.0f ms", v)
		case v >= 10:
			return fmt.Sprintf("%.1f ms", v)
		}
		return fmt.Sprintf("%.2f ms", v)
	case unitSeconds:
		return fmt.Sprintf("%.1f s", v)
	case unitPerSecond:
		if v >= 1000 {
			return fmt.Sprintf("%.0f/s", v)
		}
		return fmt.Sprintf("%.1f/s", v)
	}
	return fmt.Sprintf("%.0f", v)
}

func (r row) ratio() float64 {
	if r.Base == 0 {
		return math.NaN()
	}
	return r.Ours / r.Base
}

// verdict returns "pass", "**FAIL**" or "" when there is no budget.
func (r row) verdict() string {
	if r.Budget == 0 {
		return ""
	}
	v := r.Ours
	if r.Ratio {
		v = r.ratio()
	}
	ok := v <= r.Budget
	if r.LowerIsOK {
		ok = v >= r.Budget
	}
	if ok {
		return "pass"
	}
	return "**FAIL**"
}

func (r row) budget() string {
	if r.Budget == 0 {
		return "—"
	}
	op := "≤"
	if r.LowerIsOK {
		op = "≥"
	}
	if r.Ratio {
		return fmt.Sprintf("%s %g×", op, r.Budget)
	}
	return op + " " + r.Unit.format(r.Budget)
}

type section struct {
	title string
	rows  []row
}

// A table is the figures of one run, by section.
type table struct {
	sections []*section
	notes    []string
}

func (t *table) add(sectionTitle string, r row) {
	for _, s := range t.sections {
		if s.title == sectionTitle {
			s.rows = append(s.rows, r)
			return
		}
	}
	t.sections = append(t.sections, &section{title: sectionTitle, rows: []row{r}})
}

func (t *table) note(format string, args ...any) {
	t.notes = append(t.notes, fmt.Sprintf(format, args...))
}

func (t *table) failed() int {
	n := 0
	for _, s := range t.sections {
		for _, r := range s.rows {
			if r.verdict() == "**FAIL**" {
				n++
			}
		}
	}
	return n
}

// markdown renders the table, one header row per section.
func (t *table) markdown() string {
	var b strings.Builder
	b.WriteString("| figure | miplay | baseline | ratio | budget | result |\n")
	b.WriteString("|---|---:|---:|---:|---|---|\n")
	for _, s := range t.sections {
		fmt.Fprintf(&b, "| **%s** | | | | | |\n", s.title)
		for _, r := range s.rows {
			base, ratio := "—", "—"
			if r.Base != 0 {
				base = r.Unit.format(r.Base)
				if r.BaseName != "" {
					base += " (" + r.BaseName + ")"
				}
				ratio = fmt.Sprintf("%.2f×", r.ratio())
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", r.Figure, r.Unit.format(r.Ours), base, ratio, r.budget(), r.verdict())
		}
	}
	return b.String()
}

// median returns the median of xs (the mean of the middle two for an even
// count).
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// percentile returns the p-th percentile (0 to 100) of xs, nearest rank.
func percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	k := int(math.Ceil(p/100*float64(len(s)))) - 1
	return s[max(0, min(k, len(s)-1))]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func fmtMS(xs []float64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprintf("%.0f", x)
	}
	return strings.Join(parts, " ")
}
