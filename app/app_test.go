//go:build !wasm

package app

import (
	"html"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/miplay/miplay/app/assets"
)

// Components are tested by rendering them in go-app's test engine and
// matching nodes by path. app.Match compares an element's attributes, not
// its text: to check text, match the text node itself, one level below.
func TestHomeHeadline(t *testing.T) {
	e := app.NewTestEngine()
	h := &home{}
	if err := e.Load(h); err != nil {
		t.Fatal(err)
	}
	e.ConsumeAll()
	// home -> div.shell -> main (child 3) -> section.hero -> h1 (child 1) -> text
	if err := app.Match(app.Elem("h1").ID("headline"), h, 0, 3, 0, 1); err != nil {
		t.Errorf("h1: %v", err)
	}
	if err := app.Match(app.Text(Headline), h, 0, 3, 0, 1, 0); err != nil {
		t.Errorf("headline text: %v", err)
	}
}

// Every route prerenders on the server, with its title and the current page
// marked in the navigation.
func TestRoutesPrerender(t *testing.T) {
	web := t.TempDir()
	if err := os.WriteFile(filepath.Join(web, "app.wasm"), []byte("\x00asm"), 0o644); err != nil {
		t.Fatal(err)
	}
	h := NewHandler(assets.NewDir(web), "test", 4)
	list := Library()
	if len(list) == 0 {
		t.Fatal("the library is empty")
	}
	var titles []string
	for _, s := range list {
		titles = append(titles, html.EscapeString(s.FrontMatter.Title))
	}
	first := list[0]
	tests := []struct {
		path, title, current string
		contains             []string
	}{
		{"/", "<title>miplay</title>", "/", []string{Headline, "Without managed identities", "With managed identities"}},
		{"/gallery", "<title>Gallery · miplay</title>", "/gallery", titles},
		{"/sandbox", "<title>Sandbox · miplay</title>", "/sandbox", nil},
		{"/play/vm-reads-blob", "<title>vm-reads-blob · miplay</title>", "", []string{"Scenario “vm-reads-blob”", "Loading the scenario"}},
		{"/play/" + Slug(first), "<title>" + html.EscapeString(first.FrontMatter.Title) + " · miplay</title>", "", []string{"Step 1 of", "Run step", `data-state="loading"`}},
		{"/embed/" + Slug(first), "<title>" + html.EscapeString(first.FrontMatter.Title) + " · miplay</title>", "", []string{"Step 1 of", "Made with"}},
		{"/play/" + Slug(first) + "?embed=1", "<title>" + html.EscapeString(first.FrontMatter.Title) + " · miplay</title>", "", []string{"Step 1 of", "Made with"}},
		{"/play/a%20b", "<title>a b · miplay</title>", "", nil},
		{"/embed/vm-reads-blob", "<title>vm-reads-blob · miplay</title>", "", []string{"Made with"}},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", tt.path, nil))
		body, _ := io.ReadAll(rec.Body)
		page := string(body)
		if rec.Code != 200 {
			t.Errorf("GET %s: %d", tt.path, rec.Code)
			continue
		}
		for _, want := range append([]string{tt.title, ThemeBootScript}, tt.contains...) {
			if !strings.Contains(page, want) {
				t.Errorf("GET %s: page lacks %s", tt.path, want)
			}
		}
		// go-app writes attributes in no fixed order.
		current := regexp.MustCompile(`<a [^>]*aria-current="page"[^>]*>`).FindAllString(page, -1)
		if tt.current == "" && len(current) != 0 || tt.current != "" && (len(current) != 1 || !strings.Contains(current[0], `href="`+tt.current+`"`)) {
			t.Errorf("GET %s: links marked current: %q, want the one to %q", tt.path, current, tt.current)
		}
	}
	// The prerendered player shows the world of the scenario's opening,
	// its clock at the scenario's start, as the wasm starts on it.
	open := libraryOpening(Slug(first)).Open
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/play/"+Slug(first), nil))
	if now := `datetime="` + open.World.Clock.Now.UTC().Format(time.RFC3339) + `"`; open.World.Clock.Now.IsZero() || !strings.Contains(rec.Body.String(), now) {
		t.Errorf("GET /play/%s: the prerendered clock lacks the opening's %s", Slug(first), now)
	}
	if strings.Contains(rec.Body.String(), "0001-01-01") {
		t.Errorf("GET /play/%s: the prerendered page shows a zero time", Slug(first))
	}
	for _, p := range []string{"/embed/x", "/embed/" + Slug(first), "/play/" + Slug(first) + "?embed=1"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", p, nil))
		if strings.Contains(rec.Body.String(), "site-header") {
			t.Errorf("the embed page %s has the site header", p)
		}
	}
}

func TestLastSegment(t *testing.T) {
	for in, want := range map[string]string{
		"/play/vm-reads-blob": "vm-reads-blob",
		"/play/a%20b":         "a b",
		"/play/bad%zz":        "bad%zz",
	} {
		if got := lastSegment(in); got != want {
			t.Errorf("lastSegment(%q) = %q, want %q", in, got, want)
		}
	}
}
