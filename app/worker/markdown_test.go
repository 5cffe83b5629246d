package worker

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// XSSNarration is Markdown that tries every way we know to run a script
// from a scenario's narration. The e2e test plays it in the browser; here
// the renderer's output is checked.
const XSSNarration = "# Title\n\n" +
	"<script>window.__xss = 'script'</script>\n\n" +
	"Inline <img src=x onerror=\"window.__xss='img'\"> image and <b onmouseover=\"window.__xss='b'\">bold</b>.\n\n" +
	"<a href=\"javascript:window.__xss='a'\">raw link</a>\n\n" +
	"[plain](javascript:window.__xss='plain') " +
	"[upper](JaVaScRiPt:window.__xss='upper') " +
	"[entity](&#106;avascript:window.__xss='entity') " +
	"[tab](<java\tscript:window.__xss='tab'>) " +
	"[tab entity](java&#9;script:window.__xss='tabentity') " +
	"[space]( javascript:window.__xss='space') " +
	"[vb](vbscript:msgbox) [data](data:text/html,<script>window.__xss='data'</script>) " +
	"<javascript:window.__xss='autolink'> " +
	"![img](javascript:window.__xss='image') " +
	"[ref][r]\n\n" +
	"[r]: javascript:window.__xss='ref'\n\n" +
	"<iframe src=\"javascript:window.__xss='iframe'\"></iframe>\n\n" +
	"<svg onload=\"window.__xss='svg'\"></svg>\n\n" +
	"[ok](https://learn.microsoft.com/entra/) and [next](04-imds-rules.md) and [anchor](#step) and `<script>` in code.\n"

func TestMarkdownHTMLIsSafe(t *testing.T) {
	got := MarkdownHTML(XSSNarration, true)
	allowed := map[string]bool{"p": true, "a": true, "code": true, "strong": true, "em": true, "h2": true, "h3": true, "del": true}
	var links []string
	z := html.NewTokenizer(strings.NewReader(got))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		if !allowed[tok.Data] {
			t.Errorf("element <%s> in the output", tok.Data)
		}
		for _, a := range tok.Attr {
			switch {
			case tok.Data == "a" && a.Key == "href":
				links = append(links, a.Val)
			case tok.Data[0] == 'h' && a.Key == "id":
			default:
				t.Errorf("attribute %s=%q on <%s>", a.Key, a.Val, tok.Data)
			}
		}
	}
	if want := "https://learn.microsoft.com/entra/ 04-imds-rules #step"; strings.Join(links, " ") != want {
		t.Errorf("links = %q, want %q", strings.Join(links, " "), want)
	}
	// Unsafe links keep their text.
	for _, words := range []string{"plain", "upper", "entity", "tab entity", "space", "vb", "data", "ref", "img"} {
		if !strings.Contains(got, words) {
			t.Errorf("the text %q of an unsafe link is gone", words)
		}
	}
	if !strings.Contains(got, "<code>&lt;script&gt;</code>") {
		t.Errorf("code span not escaped as expected")
	}
	if strings.Contains(got, "Title") {
		t.Errorf("the title heading was not dropped")
	}
	if t.Failed() {
		t.Logf("output:\n%s", got)
	}
}

func TestMarkdownHTML(t *testing.T) {
	tests := []struct {
		in, want string
		drop     bool
	}{
		{"# A\n\nText", "<h2 id=\"a\">A</h2>\n<p>Text</p>\n", false},
		{"# A\n\nText", "<p>Text</p>\n", true},
		{"## A", "<h3 id=\"a\">A</h3>\n", true},
		{"**Step 1.** Do `x`.", "<p><strong>Step 1.</strong> Do <code>x</code>.</p>\n", false},
		{"| a | b |\n|---|---|\n| 1 | 2 |", "<table>", false},
		{"[x](mailto:ada@contoso.com)", `<p><a href="mailto:ada@contoso.com">x</a></p>` + "\n", false},
		{"[x](other.md#part)", `<p><a href="other#part">x</a></p>` + "\n", false},
		{"[x](../other.md)", `<p><a href="../other.md">x</a></p>` + "\n", false},
		{"<https://example.com>", `<p><a href="https://example.com">https://example.com</a></p>` + "\n", false},
	}
	for _, tt := range tests {
		if got := MarkdownHTML(tt.in, tt.drop); !strings.Contains(got, tt.want) {
			t.Errorf("MarkdownHTML(%q, %v) = %q, want %q", tt.in, tt.drop, got, tt.want)
		}
	}
}

func TestSafeURL(t *testing.T) {
	for in, ok := range map[string]bool{
		"https://x":          true,
		"HTTP://x":           true,
		"mailto:a@b":         true,
		"/play/x":            true,
		"x.md":               true,
		"#frag":              true,
		"?q=1":               true,
		"//host/p":           true,
		"javascript:x":       false,
		" javascript:x":      false,
		"\x01javascript:x":   false,
		"java\tscript:x":     false,
		"java\nscript:x":     false,
		"jav\rascript:x":     false,
		"data:text/html,x":   false,
		"data:image/png,x":   false,
		"vbscript:x":         false,
		"file:///etc/passwd": false,
		"foo:bar":            false,
	} {
		if _, got := safeURL(in); got != ok {
			t.Errorf("safeURL(%q) = %v, want %v", in, got, ok)
		}
	}
}
