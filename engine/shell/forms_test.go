package shell

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/miplay/miplay/engine"
)

// formCorpus is every string of up to 3 symbols of alphabet, and the
// strings of each seed with one byte replaced by each symbol.
func formCorpus(alphabet []string, seeds ...string) []string {
	out := []string{""}
	prev := []string{""}
	for range 3 {
		var next []string
		for _, p := range prev {
			for _, a := range alphabet {
				next = append(next, p+a)
			}
		}
		out = append(out, next...)
		prev = next
	}
	for _, s := range seeds {
		out = append(out, s)
		for i := range len(s) {
			for _, a := range alphabet {
				out = append(out, s[:i]+a+s[i+1:])
			}
		}
	}
	return out
}

// These checks were regexps; the plain code that replaced them must agree
// with them on every string.

func TestGUIDFormMatchesItsRegexp(t *testing.T) {
	re := regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	valid := 0
	for _, s := range formCorpus([]string{"0", "9", "a", "f", "A", "F", "g", "G", "-", " ", "é", "\xff"},
		"0b1f6471-1bf0-4dda-aec3-111122223333", "ABCDEF01-2345-6789-abcd-ef0123456789", "0b1f6471-1bf0-4dda-aec3-11112222333", "0b1f64711bf04ddaaec3111122223333") {
		want := re.MatchString(s)
		if got := engine.IsGUID(s); got != want {
			t.Errorf("engine.IsGUID(%q) = %v, the regexp says %v", s, got, want)
		}
		if want {
			valid++
		}
	}
	if valid < 50 {
		t.Errorf("only %d GUIDs in the corpus", valid)
	}
}

func TestAdminUserCharactersMatchTheirRegexps(t *testing.T) {
	linux := regexp.MustCompile(`[\\/"\[\]:|<>+=;,?*@#()!A-Z]+`)
	windows := regexp.MustCompile(`[\\/"\[\]:|<>+=;,?*@]+`)
	var alphabet []string
	for c := 0; c < 128; c++ {
		alphabet = append(alphabet, string(rune(c)))
	}
	// Strings of up to 3 ASCII characters: 2 million; two are plenty.
	var corpus []string
	for _, a := range alphabet {
		for _, b := range alphabet {
			corpus = append(corpus, a+b)
		}
	}
	corpus = append(corpus, "", "azureuser", "Azure", "é", "\xff", "ü-ser", "a\\b", "user#1", "user#1é")
	bad := 0
	for _, s := range corpus {
		if got, want := strings.ContainsAny(s, linuxUserBad), linux.MatchString(s); got != want {
			t.Errorf("linux user %q: refused %v, the regexp says %v", s, got, want)
		}
		want := windows.MatchString(s)
		if got := strings.ContainsAny(s, windowsUserBad); got != want {
			t.Errorf("windows user %q: refused %v, the regexp says %v", s, got, want)
		}
		if want {
			bad++
		}
	}
	if bad == 0 || bad == len(corpus) {
		t.Errorf("%d of %d names refused: the corpus should have both kinds", bad, len(corpus))
	}
}

func TestRuntimeSplitMatchesItsRegexp(t *testing.T) {
	re := regexp.MustCompile(`[| :]`)
	for _, s := range formCorpus([]string{"|", " ", ":", "a", "1", ".", "é", "\xff"}, "PYTHON|3.11", "python:3.11", "node 20 lts", "DOTNETCORE|8.0") {
		var want []string
		for _, p := range re.Split(s, -1) {
			if p != "" {
				want = append(want, p)
			}
		}
		if got := runtimeParts(s); !slices.Equal(got, want) {
			t.Errorf("runtime %q: pieces %q, the regexp's %q", s, got, want)
		}
	}
}
