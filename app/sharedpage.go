package app

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/miplay/miplay/app/store"
	"github.com/miplay/miplay/app/wire"
)

// SharedPath is the page that opens a shared scenario: SharedPath + "#s=...".
const SharedPath = "/shared"

// ShareScenarioLink returns the path and fragment of a link that carries a
// scenario file, such as "/shared#s=...", or an error if the file is too
// big for a link.
func ShareScenarioLink(src []byte) (string, error) {
	frag, err := EncodeShare(ShareScenario, src)
	if err != nil {
		return "", err
	}
	return SharedPath + "#" + frag, nil
}

// sharedPage is /shared#s=...: a scenario someone shared. Everything in the
// link is untrusted: the file is parsed by the engine (ParseShared; a file
// that does not parse shows its errors, each with its line, and the source
// around them), and its Markdown comes rendered by the engine's
// MarkdownHTML (package worker). The learner can save it to their uploads
// (then play it, or open it in the sandbox) or download it. A link that
// carries a sandbox history goes on to the sandbox.
type sharedPage struct {
	page
	loaded  bool
	problem string
	src     []byte
	sc      *wire.Scenario
	errs    wire.FileErrors
	saved   string // the slug it was saved under
	gen     int    // counts the links opened, so that a late parse of an earlier one is dropped
}

func (p *sharedPage) OnPreRender(ctx app.Context) { p.nav(ctx, "Shared scenario") }

func (p *sharedPage) OnNav(ctx app.Context) {
	p.nav(ctx, "Shared scenario")
	if app.IsServer {
		return // the server never sees the fragment
	}
	u := ctx.Page().URL()
	p.gen++
	p.loaded, p.problem, p.src, p.sc, p.errs, p.saved = true, "", nil, nil, nil, ""
	kind, data, err := DecodeShare(u.Fragment)
	switch {
	case u.Fragment == "":
		p.problem = "This page opens a shared scenario, but the link carries none: it should end in #s=… Was it cut short?"
		return
	case err != nil:
		p.problem = "The shared link cannot be opened: " + err.Error()
		return
	case kind == ShareHistory:
		ctx.Navigate(Href("/sandbox") + "#" + u.Fragment)
		return
	}
	// The engine parses the file: until it answers, the page says it is
	// opening the link.
	p.loaded, p.src = false, data
	gen := p.gen
	ctx.Async(func() {
		s, err := ParseShared(data)
		ctx.Dispatch(func(ctx app.Context) {
			if gen != p.gen {
				return // another link was opened meanwhile
			}
			p.loaded = true
			var list wire.FileErrors
			switch {
			case errors.As(err, &list) && len(list) > 0:
				p.errs = list
			case err != nil:
				p.problem = "The shared scenario cannot be read: " + err.Error()
			default:
				p.sc = s
				p.nav(ctx, s.FrontMatter.Title)
			}
		})
	})
}

// save keeps the scenario among the learner's uploads.
func (p *sharedPage) save(ctx app.Context, e app.Event) {
	if p.sc == nil {
		return
	}
	slug := UploadSlug(p.sc.FrontMatter.Title)
	src := string(p.src)
	ctx.Async(func() {
		err := uploadSave(store.UploadedScenario{Name: slug, Source: src, Uploaded: time.Now()})
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				reportError("Could not save the scenario", err)
				return
			}
			p.saved = slug
		})
	})
}

func (p *sharedPage) download(ctx app.Context, e app.Event) {
	name := "shared.md"
	if p.sc != nil {
		name = UploadSlug(p.sc.FrontMatter.Title) + ".md"
	}
	downloadFile(name, "text/markdown;charset=utf-8", string(p.src))
}

func (p *sharedPage) Render() app.UI {
	return layout(p.path, app.Elem("section").Class("player shared").Aria("labelledby", "page-title").Body(
		p.body(),
	))
}

func (p *sharedPage) body() app.UI {
	switch {
	case !p.loaded:
		return app.Elem("div").Body(
			app.Elem("h1").ID("page-title").Text("Shared scenario"),
			app.Elem("p").Class("lede").Role("status").Text("Opening the shared link…"),
		)
	case p.problem != "":
		return app.Elem("div").Body(
			app.Elem("h1").ID("page-title").Text("Shared scenario"),
			app.Elem("p").Class("player__problem").Role("alert").Text(p.problem),
			app.Elem("p").Body(app.Elem("a").Class("button").Attr("href", Href("/gallery")).Text("Browse the gallery")),
		)
	case len(p.errs) > 0:
		return p.errorsView()
	}
	return p.scenarioView()
}

// errorsView shows every problem of a file that does not parse, with the
// lines around it.
func (p *sharedPage) errorsView() app.UI {
	lines := strings.Split(string(p.src), "\n")
	return app.Elem("div").Body(
		app.Elem("h1").ID("page-title").Text("This shared scenario has problems"),
		app.Elem("p").Class("lede").Body(
			app.Text(fmt.Sprintf("The file in this link does not parse: %s. Whoever shared it can fix the file with ", plural(len(p.errs), "problem"))),
			app.Elem("code").Text("miplay check"),
			app.Text(" and share it again."),
		),
		app.Elem("ol").Class("problems problems--source").Aria("label", "Problems").Body(
			app.Range(p.errs).Slice(func(i int) app.UI {
				e := p.errs[i]
				return app.Elem("li").Class("problem").Body(
					app.Elem("p").Class("problem__msg").Body(
						app.Elem("strong").Text(fmt.Sprintf("Line %d: ", e.Line)),
						app.Text(e.Msg),
					),
					sourceExcerpt(lines, e.Line),
				)
			}),
		),
		app.Elem("div").Class("controls").Body(
			app.Elem("button").Attr("type", "button").Class("button").OnClick(p.download).Text("Download the file"),
		),
	)
}

// sourceExcerpt shows the lines around line (1-based), numbered, with
// that line marked.
func sourceExcerpt(lines []string, line int) app.UI {
	from, to := max(1, line-2), min(len(lines), line+2)
	if from > to {
		return nil
	}
	type row struct {
		n    int
		text string
	}
	var rows []row
	for n := from; n <= to; n++ {
		rows = append(rows, row{n, lines[n-1]})
	}
	return app.Elem("pre").Class("source").Body(
		app.Range(rows).Slice(func(i int) app.UI {
			r := rows[i]
			cls := "source__line"
			if r.n == line {
				cls += " is-error"
			}
			return app.Elem("span").Class(cls).Body(
				app.Elem("span").Class("source__n").Aria("hidden", true).Text(fmt.Sprintf("%4d ", r.n)),
				app.Text(r.text+"\n"),
			)
		}),
	)
}

func (p *sharedPage) scenarioView() app.UI {
	s := p.sc
	fm := s.FrontMatter
	return app.Elem("div").Body(
		app.Elem("header").Class("player__head").Body(
			app.Elem("p").Class("eyebrow").Body(
				app.Text("Shared "+map[bool]string{true: "exercise", false: "scenario"}[fm.Exercise]+" · "+levelLabel(string(fm.Level))),
			),
			app.Elem("h1").ID("page-title").Text(fm.Title),
			app.If(fm.Summary != "", func() app.UI { return app.Elem("p").Class("lede").Text(fm.Summary) }),
			app.If(len(fm.Tags) > 0, func() app.UI {
				return app.Elem("ul").Class("tags tags--static").Aria("label", "Tags").Body(
					app.Range(fm.Tags).Slice(func(i int) app.UI { return app.Elem("li").Class("tag").Text(fm.Tags[i]) }),
				)
			}),
		),
		app.Elem("div").Class("player__bar workbar").Body(
			app.Elem("div").Class("controls").Role("toolbar").Aria("label", "Shared scenario actions").Body(
				app.If(p.saved == "", func() app.UI {
					return app.Elem("button").Attr("type", "button").Class("button button--primary control").ID("shared-save").
						Title("Keep this scenario among your uploads, to play it and find it in the gallery").
						OnClick(p.save).Text("Save to my scenarios")
				}).Else(func() app.UI {
					return app.Elem("a").Class("button button--primary control").ID("shared-play").Attr("href", Href("/play/"+p.saved)).Text("Play it")
				}),
				app.If(p.saved != "", func() app.UI {
					return app.Elem("a").Class("button control").Attr("href", Href(SandboxPath(p.saved, 0))).Text("Open in the sandbox")
				}),
				app.Elem("button").Attr("type", "button").Class("button control").OnClick(p.download).Text("Download .md"),
			),
			app.Elem("p").Class("player__status").Role("status").Aria("live", "polite").Body(
				app.If(p.saved != "", func() app.UI {
					return app.Elem("span").Text("Saved: the gallery lists it under your uploaded scenarios.")
				}).Else(func() app.UI {
					return app.Elem("span").Text("Someone shared this scenario with you. Read it here; save it to run it.")
				}),
			),
		),
		app.Elem("ol").Class("shared__steps").Aria("label", "Steps").Body(
			app.Range(s.Steps).Slice(func(i int) app.UI {
				st := s.Steps[i]
				return app.Elem("li").Class("narration shared__step").Body(
					app.Elem("h2").Class("narration__title").Text(fmt.Sprintf("Step %d of %d", i+1, len(s.Steps))),
					markdownUI(st.HTML),
					commandsPreview(st.Commands),
				)
			}),
		),
		app.If(s.Exercise != nil, func() app.UI {
			x := s.Exercise
			return app.Elem("section").Class("narration").Aria("labelledby", "shared-goal").Body(
				app.Elem("h2").ID("shared-goal").Class("narration__title").Text("Goal"),
				markdownUI(x.GoalHTML),
				app.If(len(x.Hints) > 0, func() app.UI {
					return app.Elem("p").Class("panel__note").Text(fmt.Sprintf("The exercise has %s and a solution: save it to try it.", plural(len(x.Hints), "hint")))
				}),
			)
		}),
		app.If(strings.TrimSpace(s.Tail) != "", func() app.UI {
			return app.Elem("section").Class("narration").Aria("label", "After the last step").Body(markdownUI(s.TailHTML))
		}),
	)
}

// commandsPreview lists a step's commands as the file writes them.
func commandsPreview(cmds []*wire.Command) app.UI {
	return app.Elem("pre").Class("preview").Body(
		app.Range(cmds).Slice(func(i int) app.UI {
			return app.Elem("div").Body(
				app.Elem("span").Class("term-prompt").Text(cmds[i].Prompt()+" "),
				app.Elem("span").Text(cmds[i].Text),
			)
		}),
	)
}
