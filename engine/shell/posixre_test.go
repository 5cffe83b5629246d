package shell

import (
	"regexp"
	"testing"
)

// TestTranslatePOSIX checks the translation of GNU regular expressions
// into Go's: which lines each pattern selects, and regcomp's errors. The
// expectations were taken from GNU grep 3.8 (TestGNUDifferential compares
// many more with the real program).
func TestTranslatePOSIX(t *testing.T) {
	lines := []string{"a", "*a", "ab", "a+b", "{x}", "(x)", "a|b", "x.y", "foo_bar baz"}
	tests := []struct {
		pat    string
		syntax reSyntax
		want   []string // the lines selected
		err    string
	}{
		{pat: `a+b`, want: []string{"a+b"}},
		{pat: `a\+b`, want: []string{"ab"}},
		{pat: `a+b`, syntax: reExtended, want: []string{"ab"}},
		{pat: `*a`, want: []string{"*a"}},
		{pat: `^*a`, want: []string{"*a"}},
		{pat: `\(x\)`, want: []string{"{x}", "(x)", "x.y"}},
		{pat: `(x)`, want: []string{"(x)"}},
		{pat: `(x)`, syntax: reExtended, want: []string{"{x}", "(x)", "x.y"}},
		{pat: `a|b`, want: []string{"a|b"}},
		{pat: `a\|b`, want: []string{"a", "*a", "ab", "a+b", "a|b", "foo_bar baz"}},
		{pat: `x.y`, want: []string{"x.y"}},
		{pat: `{x}`, syntax: reExtended, want: []string{"{x}"}},
		{pat: `a{1`, syntax: reExtended, want: nil},
		{pat: `a)`, syntax: reExtended, want: nil},
		{pat: `[]a]`, want: []string{"a", "*a", "ab", "a+b", "a|b", "foo_bar baz"}},
		{pat: `\<b`, want: []string{"a+b", "a|b", "foo_bar baz"}},
		{pat: `\w\+_`, want: []string{"foo_bar baz"}},
		{pat: `[[:punct:]]x`, want: []string{"{x}", "(x)"}},
		{pat: `a\{1`, err: `Unmatched \{`},
		{pat: `a\{x\}`, err: `Invalid content of \{\}`},
		{pat: `a{2,1}`, syntax: reExtended, err: `Invalid content of \{\}`},
		{pat: `\(a`, err: `Unmatched ( or \(`},
		{pat: `a\)`, err: `Unmatched ) or \)`},
		{pat: `[`, err: `Invalid regular expression`},
		{pat: `[a`, err: `Unmatched [, [^, [:, [., or [=`},
		{pat: `[z-a`, err: `Invalid range end`},
		{pat: `[[:foo:]]`, err: `Invalid character class name`},
		{pat: `[:space:]`, err: `character class syntax is [[:space:]], not [:space:]`},
		{pat: `a\`, err: `Trailing backslash`},
		{pat: `a\1`, err: `Invalid back reference`},
		{pat: `\(a\)\1`, err: `back-references (\1) are not simulated`},
		{pat: `a{99999}`, syntax: reExtended, err: `Regular expression too big`},
	}
	for _, tt := range tests {
		re, _, err := translatePOSIX(tt.pat, tt.syntax, reGrep)
		if tt.err != "" || err != nil {
			if err == nil || err.Error() != tt.err {
				t.Errorf("%q (syntax %d): error %v, want %q", tt.pat, tt.syntax, err, tt.err)
			}
			continue
		}
		rx, err := regexp.Compile(re)
		if err != nil {
			t.Errorf("%q: translated to %q, which does not compile: %v", tt.pat, re, err)
			continue
		}
		var got []string
		for _, l := range lines {
			if rx.MatchString(l) {
				got = append(got, l)
			}
		}
		if len(got) != len(tt.want) || len(got) > 0 && !equalStrings(got, tt.want) {
			t.Errorf("%q (syntax %d) as %q selects %q, want %q", tt.pat, tt.syntax, re, got, tt.want)
		}
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestTranslateWarnings(t *testing.T) {
	for pat, want := range map[string]string{`a\d`: `stray \ before d`, `\ x`: `stray \ before white space`, `\/`: `stray \ before /`} {
		_, w, err := translatePOSIX(pat, reBasic, reGrep)
		if err != nil || len(w) != 1 || w[0] != want {
			t.Errorf("%q: warnings %q (%v), want %q", pat, w, err, want)
		}
	}
	if _, w, _ := translatePOSIX(`+a`, reExtended, reGrep); len(w) != 1 || w[0] != "+ at start of expression" {
		t.Errorf("+a: %q", w)
	}
	if _, w, _ := translatePOSIX(`a\d`, reBasic, reSed); len(w) != 0 {
		t.Errorf("sed warns: %q", w)
	}
}
