package azure

import (
	"regexp"
	"testing"
)

// isDate and validAPIVersion were these regexps; the plain code must agree
// with them.
func TestVersionFormsMatchTheirRegexps(t *testing.T) {
	date := regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	apiVersion := regexp.MustCompile(`^\d{4}-\d{2}-\d{2}(-(preview|privatepreview|alpha|beta))?$`)
	var corpus []string
	for _, d := range []string{"2023-05-01", "2023-5-01", "2023-05-1", "20230-5-01", "2023/05/01", "2023-05-0a", "２023-05-01", "0000-00-00", "9999-99-99", "", "2023-05-01-", "-2023-05-01"} {
		for _, suffix := range []string{"", "-preview", "-privatepreview", "-alpha", "-beta", "-Preview", "preview", "-preview ", "-rc", "-alpha-beta", "\n", "x"} {
			corpus = append(corpus, d+suffix)
		}
	}
	// Every single-byte change of a valid version.
	for _, v := range []string{"2022-10-01-preview", "2023-05-01"} {
		for i := range len(v) {
			for _, c := range []byte{'0', '5', '9', '-', 'a', 'p', ' ', '/', 0xff} {
				b := []byte(v)
				b[i] = c
				corpus = append(corpus, string(b))
			}
		}
	}
	valid := 0
	for _, s := range corpus {
		if got, want := isDate(s), date.MatchString(s); got != want {
			t.Errorf("isDate(%q) = %v, the regexp says %v", s, got, want)
		}
		want := apiVersion.MatchString(s)
		if got := validAPIVersion(s); got != want {
			t.Errorf("validAPIVersion(%q) = %v, the regexp says %v", s, got, want)
		}
		if want {
			valid++
		}
	}
	if valid < 20 || valid > len(corpus)-20 {
		t.Errorf("%d of %d strings are valid api-versions: the corpus should hold many of both", valid, len(corpus))
	}
}
