package app

import (
	"net/url"
	"strings"
	"sync"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// A Route is one page of the app.
type Route struct {
	Path    string // an exact path, or a regular expression if Pattern
	Pattern bool
	Page    func() app.Composer
}

// Routes lists every page. The server routes exactly these paths (anything
// else is a 404), and a static build writes one HTML file for each exact one.
var Routes = []Route{
	{Path: "/", Page: func() app.Composer { return &home{} }},
	{Path: "/gallery", Page: func() app.Composer { return &gallery{} }},
	{Path: "/sandbox", Page: func() app.Composer { return &sandboxPage{} }},
	{Path: SharedPath, Page: func() app.Composer { return &sharedPage{} }},
	{Path: `^/play/[^/]+$`, Pattern: true, Page: func() app.Composer { return &player{} }},
	{Path: `^/embed/[^/]+$`, Pattern: true, Page: func() app.Composer { return &embed{} }},
	{Path: `^/exercise/[^/]+$`, Pattern: true, Page: func() app.Composer { return &exercisePage{} }},
}

var registerOnce sync.Once

// Register hands Routes to go-app. Both the server and the wasm build call it
// once, before serving or running.
func Register() {
	registerOnce.Do(func() {
		for _, r := range Routes {
			if r.Pattern {
				app.RouteWithRegexp(r.Path, r.Page)
			} else {
				app.Route(r.Path, r.Page)
			}
		}
	})
}

// Href returns the link to an app path such as "/gallery".
//
// A static build served under a sub-path (say /docs/miplay/) needs every link
// to carry the prefix. On the server, go-app's resource resolver adds it to
// href attributes as it prerenders; in the browser nothing does, so Href adds
// GOAPP_ROOT_PREFIX there itself.
func Href(p string) string {
	if app.IsClient {
		return rootPrefix() + p
	}
	return p
}

// rootPrefix is read once: in the browser, Getenv is a call into
// JavaScript, and every render of the header asks for it several times.
var rootPrefix = sync.OnceValue(func() string {
	return strings.TrimRight(app.Getenv("GOAPP_ROOT_PREFIX"), "/")
})

// appPath returns the path of a page URL inside the app, without the prefix
// of a static build.
func appPath(u *url.URL) string {
	p := u.Path
	if app.IsClient {
		p = strings.TrimPrefix(p, rootPrefix())
	}
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return p
}

// lastSegment returns the decoded last segment of a path: the {scenario} of
// /play/{scenario}.
func lastSegment(p string) string {
	seg := p[strings.LastIndex(p, "/")+1:]
	if s, err := url.PathUnescape(seg); err == nil {
		return s
	}
	return seg
}
