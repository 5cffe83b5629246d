package app

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/miplay/miplay/app/store"
	"github.com/miplay/miplay/app/wire"
)

// MaxUploadSize is the largest scenario file the app accepts, in bytes.
const MaxUploadSize = MaxShareDecompressed

// UploadSlug returns the slug an uploaded file is kept under, from its file
// name: the name without .md, with anything but letters, digits, '.', '_'
// and '-' turned into '-'. A slug of a library scenario gets "-uploaded",
// so that an upload never hides the library's file.
func UploadSlug(filename string) string {
	base := path.Base(strings.ReplaceAll(filename, `\`, "/"))
	base = strings.TrimSuffix(base, path.Ext(base))
	var b strings.Builder
	for _, r := range base {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	slug := strings.Trim(b.String(), "-.")
	if len(slug) > 60 {
		slug = strings.Trim(slug[:60], "-.")
	}
	if slug == "" {
		slug = "uploaded"
	}
	if libraryScenario(slug) != nil {
		slug += "-uploaded"
	}
	return slug
}

// ParseUpload checks an uploaded file and has the engine parse it under its
// slug. The error holds a wire.FileErrors naming slug.md:line for every
// problem, or says why the file is not a scenario at all (too big, not
// text). It waits for the engine: call it in Context.Async.
func ParseUpload(filename string, data []byte) (*wire.Scenario, string, error) {
	slug := UploadSlug(filename)
	name := slug + ".md"
	switch {
	case len(data) > MaxUploadSize:
		return nil, slug, fmt.Errorf("%s is %s: a scenario file may be at most %s", filename, sizeText(len(data)), sizeText(MaxUploadSize))
	case !utf8.Valid(data):
		return nil, slug, fmt.Errorf("%s is not UTF-8 text: expected a Markdown scenario file", filename)
	}
	s, err := parseScenario(context.Background(), name, string(data))
	if err != nil {
		return nil, slug, err
	}
	return s, slug, nil
}

// errorLines lists the lines of an error: one per problem of a scenario
// file (wire.FileErrors).
func errorLines(err error) []string {
	var list wire.FileErrors
	if errors.As(err, &list) && len(list) > 0 {
		out := make([]string, len(list))
		for i, e := range list {
			out[i] = e.Error()
		}
		return out
	}
	return []string{err.Error()}
}

// uploadControl is a button that loads a scenario file from disk into the
// learner's uploads, where the gallery lists it. It says what came of it:
// where to play the scenario, or every problem with its line number.
type uploadControl struct {
	app.Compo
	ID string
	// OnUploaded, if set, is called after a scenario is saved.
	OnUploaded func(ctx app.Context, slug string)

	busy  bool
	done  string // the slug of the last scenario saved
	title string
	file  string
	errs  []string
	src   []byte // the file saved
	link  string // a share link that carries it
	note  string
}

func (u *uploadControl) picked(ctx app.Context, e app.Event) {
	input := ctx.JSSrc()
	files := input.Get("files")
	if !files.Truthy() || files.Length() == 0 {
		return
	}
	f := files.Index(0)
	name := f.Get("name").String()
	size := f.Get("size").Int()
	input.Set("value", "") // picking the same file again fires change again
	u.done, u.errs, u.file = "", nil, name
	if size > MaxUploadSize {
		u.errs = []string{fmt.Sprintf("%s is %s: a scenario file may be at most %s.", name, sizeText(size), sizeText(MaxUploadSize))}
		return
	}
	u.busy = true
	then(ctx, f.Call("text"), func(ctx app.Context, v app.Value, ok bool) {
		if !ok {
			u.busy, u.errs = false, []string{"Could not read " + name + "."}
			return
		}
		u.save(ctx, name, []byte(v.String()))
	})
}

// save has the engine parse the file, then keeps it among the uploads.
func (u *uploadControl) save(ctx app.Context, name string, data []byte) {
	ctx.Async(func() {
		s, slug, err := ParseUpload(name, data)
		if err != nil {
			ctx.Dispatch(func(ctx app.Context) { u.busy, u.errs = false, errorLines(err) })
			return
		}
		title := s.FrontMatter.Title
		err = uploadSave(store.UploadedScenario{Name: slug, Source: string(data), Uploaded: time.Now()})
		ctx.Dispatch(func(ctx app.Context) {
			u.busy = false
			if err != nil {
				u.errs = []string{"Could not save the scenario: " + err.Error()}
				return
			}
			u.done, u.title, u.src, u.link, u.note = slug, title, data, "", ""
			if u.OnUploaded != nil {
				u.OnUploaded(ctx, slug)
			}
		})
	})
}

func (u *uploadControl) dismiss(ctx app.Context, e app.Event) {
	u.done, u.errs, u.src, u.link, u.note = "", nil, nil, "", ""
}

// share makes a link that carries the uploaded file, shows it and copies
// it.
func (u *uploadControl) share(ctx app.Context, e app.Event) {
	link, err := ShareScenarioLink(u.src)
	if err != nil {
		u.link, u.note = "", "This file is "+err.Error()+": send the file itself instead."
		return
	}
	u.link = pageOrigin() + Href(link)
	u.note = "Link ready."
	copyText(ctx, u.link, func(ctx app.Context, ok bool) {
		if ok {
			u.note = "Link copied to the clipboard."
		} else {
			u.note = "Copy the link below."
		}
	})
}

// shareBox shows a share link in a read-only field, selected when focused.
func shareBox(id, link string) app.UI {
	return app.Elem("div").Class("sharebox").Body(
		app.Elem("label").Attr("for", id).Text("Share link"),
		app.ElemSelfClosing("input").ID(id).Class("sharebox__url").Attr("type", "url").Attr("readonly", true).Attr("value", link).
			OnFocus(func(ctx app.Context, e app.Event) { ctx.JSSrc().Call("select") }),
	)
}

func (u *uploadControl) Render() app.UI {
	resultID := u.ID + "-result"
	return app.Elem("div").Class("upload").Body(
		app.ElemSelfClosing("input").ID(u.ID).Class("upload__input").Attr("type", "file").
			Attr("accept", ".md,.markdown,text/markdown,text/plain").
			Aria("describedby", resultID).
			Attr("disabled", u.busy).
			OnChange(u.picked),
		app.Elem("label").Attr("for", u.ID).Class("button control upload__label").
			Title("Load a scenario file (.md) from your computer; the gallery lists it under your uploaded scenarios").
			Text("Upload .md"),
		app.Elem("div").ID(resultID).Class("upload__result").Role("status").Aria("live", "polite").Body(
			app.If(u.busy, func() app.UI { return app.Elem("p").Text("Reading " + u.file + "…") }),
			app.If(u.done != "", func() app.UI {
				return app.Elem("div").Class("banner banner--ok").Body(
					app.Elem("p").Body(
						app.Text("Uploaded “"+u.title+"”. The gallery lists it under your uploaded scenarios. "),
						app.Elem("a").Attr("href", Href("/play/"+u.done)).Text("Play it"),
						app.Text(" · "),
						app.Elem("a").Attr("href", Href(SandboxPath(u.done, 0))).Text("open it in the sandbox"),
						app.Text(" · "),
						app.Elem("a").Attr("href", Href("/gallery")).Text("gallery"),
					),
					app.Elem("div").Class("controls").Body(
						app.Elem("button").Attr("type", "button").Class("button button--small").ID(u.ID+"-share").
							Title("Make a link that carries this scenario file").
							OnClick(u.share).Text("Share link"),
						app.Elem("button").Attr("type", "button").Class("button button--small").Aria("label", "Dismiss the upload message").OnClick(u.dismiss).Text("Dismiss"),
					),
					app.If(u.note != "", func() app.UI { return app.Elem("p").Text(u.note) }),
					app.If(u.link != "", func() app.UI { return shareBox(u.ID+"-link", u.link) }),
				)
			}),
			app.If(len(u.errs) > 0, func() app.UI {
				return app.Elem("div").Class("banner banner--problem").Body(
					app.Elem("p").Text(u.file+" cannot be used as a scenario:"),
					app.Elem("ul").Class("problems").Body(app.Range(u.errs).Slice(func(i int) app.UI {
						return app.Elem("li").Body(app.Elem("code").Text(u.errs[i]))
					})),
					app.Elem("button").Attr("type", "button").Class("button button--small").Aria("label", "Dismiss the upload message").OnClick(u.dismiss).Text("Dismiss"),
				)
			}),
		),
	)
}
