package scenarios

import (
	"fmt"
	"strings"
)

// Ellipsis is the wildcard of expected output. A line that is only "..."
// matches any number of lines, none included; "..." within a line matches
// any text within that line.
const Ellipsis = "..."

// Match reports whether the output lines got match the expected lines
// want. Lines are compared without trailing spaces, tabs and carriage
// returns; see [Ellipsis] for wildcards.
func Match(want, got []string) bool {
	// The classic wildcard algorithm: remember the last "..." line and,
	// on a mismatch, let it absorb one more line. Each other pattern
	// line matches exactly one line, so this finds a match if one exists.
	i, j := 0, 0
	star, mark := -1, 0
	for j < len(got) {
		switch {
		case i < len(want) && want[i] == Ellipsis:
			star, mark = i, j
			i++
		case i < len(want) && MatchLine(want[i], got[j]):
			i++
			j++
		case star >= 0:
			mark++
			i, j = star+1, mark
		default:
			return false
		}
	}
	for i < len(want) && want[i] == Ellipsis {
		i++
	}
	return i == len(want)
}

// MatchLine reports whether one line of output matches one expected line,
// in which "..." matches any text.
func MatchLine(want, got string) bool {
	want = strings.TrimRight(want, " \t\r")
	got = strings.TrimRight(got, " \t\r")
	if !strings.Contains(want, Ellipsis) {
		return want == got
	}
	parts := strings.Split(want, Ellipsis)
	if !strings.HasPrefix(got, parts[0]) {
		return false
	}
	got = got[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, part := range parts[1 : len(parts)-1] {
		k := strings.Index(got, part)
		if k < 0 {
			return false
		}
		got = got[k+len(part):]
	}
	return len(got) >= len(last) && strings.HasSuffix(got, last)
}

// OutputLines splits a command's output into lines as Match sees them:
// without line endings and trailing spaces, and without trailing blank
// lines. Empty output has no lines.
func OutputLines(out string) []string {
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\r")
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// An op is one step of an alignment of expected and actual lines.
type op struct {
	kind byte // ' ' matched, '.' absorbed by "...", '-' expected only, '+' actual only
	want int  // index in want, or -1
	got  int  // index in got, or -1
	n    int  // for '.': how many actual lines from got
}

// maxAlign bounds the alignment table; beyond it, the diff is coarser.
const maxAlign = 1 << 22

// align finds an alignment of want and got with the fewest unmatched
// lines, for diffs and for Update.
func align(want, got []string) []op {
	n, m := len(want), len(got)
	if (n+1)*(m+1) > maxAlign {
		return alignCoarse(want, got)
	}
	w := m + 1
	cost := make([]int32, (n+1)*w)
	at := func(i, j int) *int32 { return &cost[i*w+j] }
	for i := n; i >= 0; i-- {
		for j := m; j >= 0; j-- {
			switch {
			case i == n:
				*at(i, j) = int32(m - j)
			case want[i] == Ellipsis:
				c := *at(i+1, j)
				if j < m && *at(i, j+1) < c {
					c = *at(i, j+1)
				}
				*at(i, j) = c
			default:
				c := 1 + *at(i+1, j)
				if j < m {
					c = min(c, 1+*at(i, j+1))
					if MatchLine(want[i], got[j]) {
						c = min(c, *at(i+1, j+1))
					}
				}
				*at(i, j) = c
			}
		}
	}
	var ops []op
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i == n:
			ops = append(ops, op{'+', -1, j, 0})
			j++
		case want[i] == Ellipsis:
			k := j
			for k < m && *at(i, k) != *at(i+1, k) {
				k++ // absorbing is what keeps the cost down
			}
			ops = append(ops, op{'.', i, j, k - j})
			i, j = i+1, k
		case j < m && MatchLine(want[i], got[j]) && *at(i, j) == *at(i+1, j+1):
			ops = append(ops, op{' ', i, j, 0})
			i, j = i+1, j+1
		case *at(i, j) == 1+*at(i+1, j):
			ops = append(ops, op{'-', i, -1, 0})
			i++
		default:
			ops = append(ops, op{'+', -1, j, 0})
			j++
		}
	}
	return ops
}

// alignCoarse aligns a common prefix and suffix and marks the rest as
// changed.
func alignCoarse(want, got []string) []op {
	var ops []op
	p := 0
	for p < len(want) && p < len(got) && want[p] != Ellipsis && MatchLine(want[p], got[p]) {
		ops = append(ops, op{' ', p, p, 0})
		p++
	}
	for i := p; i < len(want); i++ {
		ops = append(ops, op{'-', i, -1, 0})
	}
	for j := p; j < len(got); j++ {
		ops = append(ops, op{'+', -1, j, 0})
	}
	return ops
}

// diffLine is one line of a rendered diff.
type diffLine struct {
	kind        byte // ' ', '-', '+'
	text        string
	wantN, gotN int // how many want and got lines the line stands for
}

// Diff returns a unified diff from the expected transcript (want lines,
// then [exit wantExit] unless it is 0) to the actual one, with three lines
// of context, or "" if they match.
func Diff(want []string, wantExit int, got []string, gotExit int) string {
	if wantExit == gotExit && Match(want, got) {
		return ""
	}
	var lines []diffLine
	for _, o := range align(want, got) {
		switch o.kind {
		case ' ':
			lines = append(lines, diffLine{' ', got[o.got], 1, 1})
		case '.':
			lines = append(lines, diffLine{' ', Ellipsis, 1, o.n})
		case '-':
			lines = append(lines, diffLine{'-', want[o.want], 1, 0})
		case '+':
			lines = append(lines, diffLine{'+', got[o.got], 0, 1})
		}
	}
	switch {
	case wantExit == gotExit && wantExit != 0:
		lines = append(lines, diffLine{' ', exitLine(wantExit), 1, 1})
	case wantExit != gotExit:
		if wantExit != 0 {
			lines = append(lines, diffLine{'-', exitLine(wantExit), 1, 0})
		}
		if gotExit != 0 {
			lines = append(lines, diffLine{'+', exitLine(gotExit), 0, 1})
		}
	}
	return unified(lines, 3)
}

// unified renders diff lines as hunks.
func unified(lines []diffLine, context int) string {
	var b strings.Builder
	b.WriteString("--- want\n+++ got\n")
	if len(lines) == 0 {
		return b.String()
	}
	// Starting line numbers of every diff line.
	wantAt := make([]int, len(lines)+1)
	gotAt := make([]int, len(lines)+1)
	for i, l := range lines {
		wantAt[i+1] = wantAt[i] + l.wantN
		gotAt[i+1] = gotAt[i] + l.gotN
	}
	for i := 0; i < len(lines); {
		if lines[i].kind == ' ' {
			i++
			continue
		}
		// A hunk: from context lines before the change to context lines
		// after the last change that is no further than 2*context away.
		start := max(0, i-context)
		end := i
		for k := i; k < len(lines); k++ {
			if lines[k].kind != ' ' {
				end = k + 1
			} else if k-end >= 2*context {
				break
			}
		}
		end = min(len(lines), end+context)
		fmt.Fprintf(&b, "@@ -%s +%s @@\n", hunkRange(wantAt[start], wantAt[end]-wantAt[start]), hunkRange(gotAt[start], gotAt[end]-gotAt[start]))
		for _, l := range lines[start:end] {
			b.WriteByte(l.kind)
			b.WriteString(l.text)
			b.WriteByte('\n')
		}
		i = end
	}
	return b.String()
}

func hunkRange(start, n int) string {
	if n == 0 {
		return fmt.Sprintf("%d,0", start)
	}
	if n == 1 {
		return fmt.Sprint(start + 1)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}
