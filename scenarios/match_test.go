package scenarios

import (
	"strings"
	"testing"
)

func TestMatchLine(t *testing.T) {
	tests := []struct {
		want, got string
		ok        bool
	}{
		{"abc", "abc", true},
		{"abc", "abd", false},
		{"abc  ", "abc", true},
		{"abc", "abc\r", true},
		{"a...c", "abbbc", true},
		{"a...c", "ac", true},
		{"a...c", "ab", false},
		{"...", "anything", true},
		{"x...", "xyz", true},
		{"...z", "xyz", true},
		{"...z", "xy", false},
		{"a...b...c", "a1b2c", true},
		{"a...b...c", "a1c2b", false},
		{"ab...ba", "aba", false},
		{`"id": "...",`, `"id": "/subscriptions/1",`, true},
		{"", "", true},
		{"", "x", false},
	}
	for _, tt := range tests {
		if got := MatchLine(tt.want, tt.got); got != tt.ok {
			t.Errorf("MatchLine(%q, %q) = %v, want %v", tt.want, tt.got, got, tt.ok)
		}
	}
}

func TestMatch(t *testing.T) {
	tests := []struct {
		want, got string // lines separated by |; "" is no lines
		ok        bool
	}{
		{"", "", true},
		{"", "a", false},
		{"a", "", false},
		{"a|b", "a|b", true},
		{"a|b", "a|c", false},
		{"...", "", true},
		{"...", "a|b|c", true},
		{"a|...", "a", true},
		{"a|...|d", "a|b|c|d", true},
		{"a|...|d", "a|d", true},
		{"a|...|d", "a|b|c", false},
		{"...|c|...", "a|b|c|d", true},
		{"...|x|...", "a|b|c|d", false},
		{"...|b|...|b", "a|b|c|b", true},
		{"...|b|...|b", "b|b", true},
		{"...|b|...|b", "b", false},
		{"a...|...", "abc|d", true},
		{"{|...|  \"x\": ...|...|}", "{|  \"a\": 1,|  \"x\": 2,|  \"y\": 3|}", true},
	}
	split := func(s string) []string {
		if s == "" {
			return nil
		}
		return strings.Split(s, "|")
	}
	for _, tt := range tests {
		if got := Match(split(tt.want), split(tt.got)); got != tt.ok {
			t.Errorf("Match(%q, %q) = %v, want %v", tt.want, tt.got, got, tt.ok)
		}
	}
}

func TestOutputLines(t *testing.T) {
	tests := []struct {
		out  string
		want string
	}{
		{"", ""},
		{"\n", ""},
		{"a", "a"},
		{"a\n", "a"},
		{"a\r\nb  \n\n\n", "a|b"},
		{"\na\n\nb\n", "|a||b"},
	}
	for _, tt := range tests {
		if got := strings.Join(OutputLines(tt.out), "|"); got != tt.want {
			t.Errorf("OutputLines(%q) = %q, want %q", tt.out, got, tt.want)
		}
	}
}

func TestDiff(t *testing.T) {
	tests := []struct {
		name     string
		want     []string
		wantExit int
		got      []string
		gotExit  int
		diff     string
	}{
		{"same", []string{"a"}, 0, []string{"a"}, 0, ""},
		{"changed line", []string{"a", "b", "c"}, 0, []string{"a", "x", "c"}, 0,
			"--- want\n+++ got\n@@ -1,3 +1,3 @@\n a\n-b\n+x\n c\n"},
		{"exit", []string{"a"}, 0, []string{"a", "boom"}, 2,
			"--- want\n+++ got\n@@ -1 +1,3 @@\n a\n+boom\n+[exit 2]\n"},
		{"exit kept", []string{"a"}, 3, []string{"b"}, 3,
			"--- want\n+++ got\n@@ -1,2 +1,2 @@\n-a\n+b\n [exit 3]\n"},
		{"ellipsis", []string{"{", "...", "}", "x"}, 0, []string{"{", "1", "2", "}"}, 0,
			"--- want\n+++ got\n@@ -1,4 +1,4 @@\n {\n ...\n }\n-x\n"},
		{"no output", []string{"a"}, 0, nil, 0,
			"--- want\n+++ got\n@@ -1 +0,0 @@\n-a\n"},
		{"far apart", []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"}, 0,
			[]string{"x", "2", "3", "4", "5", "6", "7", "8", "9", "10", "y"}, 0,
			"--- want\n+++ got\n@@ -1,4 +1,4 @@\n-1\n+x\n 2\n 3\n 4\n@@ -8,4 +8,4 @@\n 8\n 9\n 10\n-11\n+y\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Diff(tt.want, tt.wantExit, tt.got, tt.gotExit); got != tt.diff {
				t.Errorf("Diff:\n%s\nwant:\n%s", got, tt.diff)
			}
		})
	}
}

func TestAlignCoarse(t *testing.T) {
	ops := alignCoarse([]string{"a", "b"}, []string{"a", "c", "d"})
	var kinds []byte
	for _, o := range ops {
		kinds = append(kinds, o.kind)
	}
	if string(kinds) != " -++" {
		t.Errorf("alignCoarse kinds = %q, want %q", kinds, " -++")
	}
}
