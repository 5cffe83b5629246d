package engine

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// The naming rules were these regexps; the plain code must agree with them
// on every string.
var nameRules = []struct {
	name  string
	re    string
	valid func(string) bool
}{
	{"storage account", `^[a-z0-9]{3,24}$`, validStorageName},
	{"container", `^[a-z0-9](?:[a-z0-9]|-[a-z0-9]){2,62}$`, validContainerName},
	{"secret", `^[0-9a-zA-Z-]{1,127}$`, validSecretName},
	{"queue", `^[a-zA-Z0-9][a-zA-Z0-9._/-]{0,259}$`, validQueueName},
	{"resource group", `^[-\w._()]{1,90}$`, validGroupName},
	{"key vault", `^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$`, validVaultName},
	{"Service Bus namespace", `^[a-zA-Z][a-zA-Z0-9-]{4,48}[a-zA-Z0-9]$`, validNamespaceName},
	{"user-assigned identity", `^[a-zA-Z0-9][a-zA-Z0-9_-]{2,127}$`, validUserIdentityName},
}

// nameAlphabet has a byte of every class the rules tell apart, and some
// that no rule allows: a space, a multi-byte rune, invalid UTF-8.
var nameAlphabet = []string{"a", "z", "A", "Z", "0", "9", "-", "_", ".", "/", "(", ")", " ", "é", "\xff"}

// nameCorpus is every string of up to 3 symbols of the alphabet, and
// random strings of every length up to 300 drawn from the alphabet or from
// the likeliest symbols, so that the length limits are crossed with valid
// and invalid bytes at the start, the middle and the end.
func nameCorpus() []string {
	out := []string{""}
	prev := []string{""}
	for range 3 {
		var next []string
		for _, p := range prev {
			for _, a := range nameAlphabet {
				next = append(next, p+a)
			}
		}
		out = append(out, next...)
		prev = next
	}
	r := rand.New(rand.NewPCG(1, 2))
	common := []string{"a", "b", "7", "-"}
	for n := 1; n <= 300; n++ {
		for range 40 {
			var b strings.Builder
			from := nameAlphabet
			if r.IntN(2) == 0 {
				from = common
			}
			for range n {
				b.WriteString(from[r.IntN(len(from))])
			}
			s := b.String()
			out = append(out, s, "a"+s, s+"a", "A"+s+"0")
		}
	}
	return out
}

func TestNameRulesMatchTheirRegexps(t *testing.T) {
	corpus := nameCorpus()
	for _, rule := range nameRules {
		re := regexp.MustCompile(rule.re)
		valid, invalid := 0, 0
		for _, s := range corpus {
			want := re.MatchString(s)
			if got := rule.valid(s); got != want {
				t.Errorf("%s name %q: valid %v, the regexp %s says %v", rule.name, s, got, rule.re, want)
			}
			if want {
				valid++
			} else {
				invalid++
			}
		}
		// A corpus on one side only of a rule would prove nothing.
		if valid < 100 || invalid < 100 {
			t.Errorf("%s: the corpus has %d valid and %d invalid names; want both sides covered", rule.name, valid, invalid)
		}
	}
}
