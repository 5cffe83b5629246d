package worker

import (
	"bytes"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Scenario narration is Markdown that may come from anyone: an uploaded
// file, a shared link. MarkdownHTML turns it into HTML that is safe to put
// in the page with innerHTML:
//
//   - raw HTML is never passed through: goldmark's renderer, without
//     html.WithUnsafe, writes "<!-- raw HTML omitted -->" in its place,
//     so <script>, <img onerror=...> and <a href="javascript:..."> written
//     as HTML do not reach the page;
//   - goldmark drops javascript:, vbscript:, file: and data: URLs by itself;
//     on top of that, every link and image URL must pass safeURL, an allow
//     list (http, https, mailto, and relative URLs), after removing the tabs
//     and line breaks that browsers ignore inside a scheme ("java\tscript:").
//     A link that fails keeps its text and loses the link; an image, its
//     alt text;
//   - goldmark's attribute syntax ({onclick=...}) is not enabled.
//
// Headings move down one level, so that a narration's "# Title" is an h2
// under the page's h1, and with dropTitle a leading level-1 heading (the
// file's title, which the page already shows) is left out. A relative link
// to another scenario file, "other.md", becomes the relative link "other",
// which from /play/this opens /play/other.
func MarkdownHTML(src string, dropTitle bool) string {
	var buf bytes.Buffer
	source := []byte(src)
	doc := markdown().Parser().Parse(text.NewReader(source))
	sanitize(doc, source, dropTitle)
	if err := markdown().Renderer().Render(&buf, source, doc); err != nil {
		// The renderer fails only on a writer error, which a buffer does
		// not have; show the text rather than nothing.
		return "<p>" + string(util.EscapeHTML(source)) + "</p>"
	}
	return buf.String()
}

// markdown is made on first use rather than at start-up, which the browser
// runs slowly.
var markdown = sync.OnceValue(func() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(extension.Table, extension.Strikethrough),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
	)
})

// sanitize rewrites the document as MarkdownHTML describes.
func sanitize(doc ast.Node, source []byte, dropTitle bool) {
	if dropTitle {
		if h, ok := doc.FirstChild().(*ast.Heading); ok && h.Level == 1 {
			doc.RemoveChild(doc, h)
		}
	}
	var unsafe []ast.Node
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			n.Level = min(n.Level+1, 6)
		case *ast.Link:
			if safeDestination(n.Destination) {
				n.Destination = []byte(scenarioLink(string(n.Destination)))
			} else {
				unsafe = append(unsafe, n)
			}
		case *ast.Image:
			if !safeDestination(n.Destination) {
				unsafe = append(unsafe, n)
			}
		case *ast.AutoLink:
			if _, ok := safeURL(string(n.URL(source))); !ok {
				unsafe = append(unsafe, n)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, n := range unsafe {
		unwrap(n, source)
	}
}

// safeDestination checks a link's destination as the renderer will write
// it: with backslash escapes and character references (&#106;, &Tab;)
// resolved.
func safeDestination(dest []byte) bool {
	resolved := util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(dest)))
	_, ok := safeURL(string(resolved))
	return ok
}

// unwrap replaces a link or image by its text.
func unwrap(n ast.Node, source []byte) {
	parent := n.Parent()
	if parent == nil {
		return
	}
	if a, ok := n.(*ast.AutoLink); ok {
		parent.ReplaceChild(parent, n, ast.NewString(a.Label(source)))
		return
	}
	for c := n.FirstChild(); c != nil; {
		next := c.NextSibling()
		parent.InsertBefore(parent, n, c)
		c = next
	}
	parent.RemoveChild(parent, n)
}

// safeURL reports whether a link or image URL may go in the page, and
// returns it as the browser would read it: without tabs and line breaks,
// and without leading or trailing spaces and control characters. Allowed
// are http, https and mailto URLs, and URLs without a scheme (relative
// paths, fragments, protocol-relative //host/...).
func safeURL(u string) (string, bool) {
	u = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, u)
	u = strings.TrimFunc(u, func(r rune) bool { return r <= ' ' })
	end := strings.IndexAny(u, ":/?#")
	if end < 0 || u[end] != ':' {
		return u, true // no scheme
	}
	switch strings.ToLower(u[:end]) {
	case "http", "https", "mailto":
		return u, true
	}
	return "", false
}

// scenarioLink turns a relative link to a scenario file ("other.md",
// "other.md#part") into a relative link to its page ("other", "other#part").
func scenarioLink(u string) string {
	if strings.ContainsAny(u, ":/?") {
		return u
	}
	file, frag, _ := strings.Cut(u, "#")
	if !strings.HasSuffix(file, ".md") || file == ".md" {
		return u
	}
	if frag != "" {
		frag = "#" + frag
	}
	return strings.TrimSuffix(file, ".md") + frag
}
