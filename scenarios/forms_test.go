package scenarios

import (
	"regexp"
	"testing"
)

// isHostName and exitStatus were these regexps; the plain code must agree
// with them on every string.
func TestLineFormsMatchTheirRegexps(t *testing.T) {
	hostRE := regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
	exitRE := regexp.MustCompile(`^\[exit (-?[0-9]+)\]$`)

	// Every string of up to 4 symbols, and each seed with one byte replaced.
	alphabet := []string{"a", "Z", "0", "9", ".", "_", "-", "$", " ", "[", "]", "é", "\xff", "\n"}
	corpus := []string{""}
	prev := []string{""}
	for range 4 {
		var next []string
		for _, p := range prev {
			for _, a := range alphabet {
				next = append(next, p+a)
			}
		}
		corpus = append(corpus, next...)
		prev = next
	}
	for _, s := range []string{"[exit 1]", "[exit -12]", "[exit 255]", "[exit 0]", "vm-web", "vmss-web_0", "host.example"} {
		corpus = append(corpus, s, s+"\n", " "+s)
		for i := range len(s) {
			for _, a := range alphabet {
				corpus = append(corpus, s[:i]+a+s[i+1:], s[:i]+a+s[i:])
			}
		}
	}

	hosts, exits := 0, 0
	for _, s := range corpus {
		if got, want := isHostName(s), hostRE.MatchString(s); got != want {
			t.Errorf("isHostName(%q) = %v, the regexp says %v", s, got, want)
		} else if want {
			hosts++
		}
		var want string
		m := exitRE.FindStringSubmatch(s)
		if m != nil {
			want = m[1]
			exits++
		}
		if got, ok := exitStatus(s); ok != (m != nil) || got != want {
			t.Errorf("exitStatus(%q) = %q, %v; the regexp says %q, %v", s, got, ok, want, m != nil)
		}
		if got := isExitLine(s); got != (m != nil) {
			t.Errorf("isExitLine(%q) = %v; the regexp says %v", s, got, m != nil)
		}
	}
	if hosts < 100 || exits < 20 {
		t.Errorf("the corpus has %d host names and %d exit lines: too few to compare", hosts, exits)
	}
}
