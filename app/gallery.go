package app

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/miplay/miplay/app/store"
	"github.com/miplay/miplay/app/wire"
)

// GalleryItem is one scenario or exercise on the gallery page.
type GalleryItem struct {
	Slug     string
	Title    string
	Summary  string
	Level    string
	Tags     []string
	Exercise bool
	Uploaded bool
	Steps    int // steps in the file
	Done     int // steps the learner has run
	Passed   bool
}

// Path is where the item opens: the player for a scenario, the workspace
// for an exercise.
func (it GalleryItem) Path() string {
	if it.Exercise {
		return ExercisePath(it.Slug)
	}
	return "/play/" + url.PathEscape(it.Slug)
}

// Status says how far the learner got, in words.
func (it GalleryItem) Status() string {
	switch {
	case it.Exercise && it.Passed:
		return "Passed"
	case it.Steps > 0 && it.Done >= it.Steps:
		if it.Exercise {
			return "Set up: solve it"
		}
		return "Finished"
	case it.Done > 0:
		return fmt.Sprintf("%d of %d steps", it.Done, it.Steps)
	}
	return "Not started"
}

// BuildGallery lists the scenarios with the learner's progress in each.
func BuildGallery(list []*wire.Scenario, progress []store.ExerciseProgress, uploaded bool) []GalleryItem {
	byName := make(map[string]store.ExerciseProgress, len(progress))
	for _, p := range progress {
		byName[p.Scenario] = p
	}
	items := make([]GalleryItem, 0, len(list))
	for _, s := range list {
		fm := s.FrontMatter
		it := GalleryItem{
			Slug: Slug(s), Title: fm.Title, Summary: fm.Summary, Level: string(fm.Level),
			Tags: fm.Tags, Exercise: fm.Exercise, Uploaded: uploaded, Steps: len(s.Steps),
		}
		if p, ok := byName[it.Slug]; ok {
			it.Done = min(p.Step, it.Steps)
			it.Passed = p.Solved
		}
		items = append(items, it)
	}
	return items
}

// GalleryFilter is what the learner narrowed the gallery to. Zero fields
// do not filter.
type GalleryFilter struct {
	Query string // words that must all appear in the title, summary or tags
	Level string
	Tag   string
	Kind  string // "", "scenario" or "exercise"
}

// Match reports whether an item passes the filter.
func (f GalleryFilter) Match(it GalleryItem) bool {
	if f.Level != "" && it.Level != f.Level {
		return false
	}
	if f.Tag != "" && !slices.Contains(it.Tags, f.Tag) {
		return false
	}
	switch f.Kind {
	case "scenario":
		if it.Exercise {
			return false
		}
	case "exercise":
		if !it.Exercise {
			return false
		}
	}
	hay := strings.ToLower(it.Title + " " + it.Summary + " " + strings.Join(it.Tags, " ") + " " + it.Slug)
	for _, w := range strings.Fields(strings.ToLower(f.Query)) {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

// galleryTags returns every tag of the items, sorted.
func galleryTags(items []GalleryItem) []string {
	seen := map[string]bool{}
	var tags []string
	for _, it := range items {
		for _, t := range it.Tags {
			if !seen[t] {
				seen[t] = true
				tags = append(tags, t)
			}
		}
	}
	sort.Strings(tags)
	return tags
}

// gallery is the page of scenarios and exercises.
type gallery struct {
	page
	items  []GalleryItem
	filter GalleryFilter
}

func (g *gallery) OnPreRender(ctx app.Context) {
	g.nav(ctx, "Gallery")
	g.load(nil, nil)
}

func (g *gallery) OnNav(ctx app.Context) {
	g.nav(ctx, "Gallery")
	g.load(nil, nil)
	g.refresh(ctx)
}

// refresh lists the library again with the learner's progress and uploads,
// read from the store.
func (g *gallery) refresh(ctx app.Context) {
	ctx.Async(func() {
		progress, err := loadAllProgress()
		if err != nil {
			reportError("Could not read your progress", err)
		}
		uploaded, err := loadAllUploaded()
		if err != nil {
			reportError("Could not read your uploaded scenarios", err)
		}
		mine := parseUploads(uploaded)
		ctx.Dispatch(func(ctx app.Context) { g.load(progress, mine) })
	})
}

// parseUploads parses the learner's uploaded scenarios, leaving out those
// that do not parse or that a scenario of the library hides. It waits for
// the engine: call it in Context.Async.
func parseUploads(uploaded []store.UploadedScenario) []*wire.Scenario {
	var mine []*wire.Scenario
	for _, u := range uploaded {
		s, err := parseUploaded(context.Background(), u)
		if err != nil || libraryScenario(Slug(s)) != nil {
			continue
		}
		mine = append(mine, s)
	}
	return mine
}

// load lists the library and the uploaded scenarios with their progress.
func (g *gallery) load(progress []store.ExerciseProgress, mine []*wire.Scenario) {
	g.items = BuildGallery(Library(), progress, false)
	g.items = append(g.items, BuildGallery(mine, progress, true)...)
}

func (g *gallery) setFilter(ctx app.Context, set func(f *GalleryFilter, v string)) {
	v := ctx.JSSrc().Get("value").String()
	if v == allOption {
		v = ""
	}
	set(&g.filter, v)
}

// allOption is the value of a filter's first option, which filters nothing.
// (go-app leaves out an empty value attribute, and an option without one
// has its text as its value.)
const allOption = "*"

func (g *gallery) Render() app.UI {
	var shown, mine []GalleryItem
	library := 0
	for _, it := range g.items {
		if !it.Uploaded {
			library++
		}
		if !g.filter.Match(it) {
			continue
		}
		if it.Uploaded {
			mine = append(mine, it)
		} else {
			shown = append(shown, it)
		}
	}
	tags := galleryTags(g.items)
	status := fmt.Sprintf("Showing %d of %d", len(shown)+len(mine), len(g.items))
	if len(shown)+len(mine) == len(g.items) {
		status = fmt.Sprintf("%d scenarios and exercises", len(g.items))
	}
	return layout(g.path,
		app.Elem("section").Class("gallery").Aria("labelledby", "page-title").Body(
			app.Elem("h1").ID("page-title").Text("Gallery"),
			app.Elem("p").Class("lede").Text("Scenarios walk you through a story step by step; exercises set you a goal and check it. Each runs on its own simulated tenant, right here in your browser."),
			app.Elem("form").Class("gallery-filters").Role("search").Aria("label", "Filter scenarios").
				OnSubmit(func(ctx app.Context, e app.Event) { e.PreventDefault() }).
				Body(
					app.Elem("div").Class("field field--grow").Body(
						app.Elem("label").Attr("for", "gallery-q").Text("Search"),
						app.ElemSelfClosing("input").ID("gallery-q").Attr("type", "search").Attr("placeholder", "Title, summary or tag").
							Attr("autocomplete", false).Attr("value", g.filter.Query).
							OnInput(func(ctx app.Context, e app.Event) {
								g.setFilter(ctx, func(f *GalleryFilter, v string) { f.Query = v })
							}),
					),
					filterSelect("gallery-level", "Level", g.filter.Level, "All levels", levelOptions(),
						func(ctx app.Context) { g.setFilter(ctx, func(f *GalleryFilter, v string) { f.Level = v }) }),
					filterSelect("gallery-tag", "Tag", g.filter.Tag, "All tags", pairs(tags),
						func(ctx app.Context) { g.setFilter(ctx, func(f *GalleryFilter, v string) { f.Tag = v }) }),
					filterSelect("gallery-kind", "Show", g.filter.Kind, "Everything", [][2]string{{"scenario", "Scenarios"}, {"exercise", "Exercises"}},
						func(ctx app.Context) { g.setFilter(ctx, func(f *GalleryFilter, v string) { f.Kind = v }) }),
				),
			app.Elem("div").Class("gallery__bar").Body(
				app.Elem("p").Class("gallery__status").Role("status").Aria("live", "polite").Text(status),
				&uploadControl{ID: "gallery-upload", OnUploaded: func(ctx app.Context, slug string) { g.refresh(ctx) }},
			),
			app.If(len(shown)+len(mine) == 0, func() app.UI {
				return app.Elem("div").Class("gallery__empty").Body(
					app.Elem("p").Text("Nothing matches these filters."),
					app.Elem("button").Attr("type", "button").Class("button").Text("Clear the filters").
						OnClick(func(ctx app.Context, e app.Event) { g.filter = GalleryFilter{} }),
				)
			}),
			g.cards("gallery-library", shown),
			app.If(len(mine) > 0, func() app.UI {
				return app.Elem("div").Body(
					app.Elem("h2").Class("gallery__section").Text("Your uploaded scenarios"),
					g.cards("gallery-uploaded", mine),
				)
			}),
		),
	)
}

func (g *gallery) cards(id string, items []GalleryItem) app.UI {
	return app.Elem("ul").ID(id).Class("cards").Body(
		app.Range(items).Slice(func(i int) app.UI { return g.card(items[i]) }),
	)
}

func (g *gallery) card(it GalleryItem) app.UI {
	titleID := "card-" + it.Slug
	pct := 0
	if it.Steps > 0 {
		pct = it.Done * 100 / it.Steps
	}
	if it.Passed {
		pct = 100
	}
	return app.Elem("li").Class("card").DataSet("slug", it.Slug).Body(
		app.Elem("article").Aria("labelledby", titleID).Body(
			app.Elem("div").Class("card__meta").Body(
				app.Elem("span").Class("badge badge--"+it.Level).Text(levelLabel(it.Level)),
				app.If(it.Exercise, func() app.UI { return app.Elem("span").Class("badge badge--exercise").Text("Exercise") }),
			),
			app.Elem("h2").ID(titleID).Class("card__title").Body(
				app.Elem("a").Attr("href", Href(it.Path())).Text(it.Title),
			),
			app.If(it.Summary != "", func() app.UI { return app.Elem("p").Class("card__summary").Text(it.Summary) }),
			app.If(len(it.Tags) > 0, func() app.UI {
				return app.Elem("ul").Class("tags").Aria("label", "Tags").Body(
					app.Range(it.Tags).Slice(func(j int) app.UI {
						tag := it.Tags[j]
						return app.Elem("li").Body(
							app.Elem("button").Attr("type", "button").Class("tag").
								Aria("pressed", g.filter.Tag == tag).
								Title("Show only scenarios tagged "+tag).
								OnClick(func(ctx app.Context, e app.Event) {
									if g.filter.Tag == tag {
										g.filter.Tag = ""
									} else {
										g.filter.Tag = tag
									}
								}, app.EventScope(it.Slug, tag)).
								Text(tag),
						)
					}),
				)
			}),
			app.Elem("div").Class("card__progress").Body(
				app.Elem("div").Class("meter").Role("progressbar").
					Aria("label", "Progress in "+it.Title).
					Aria("valuemin", 0).Aria("valuemax", 100).Aria("valuenow", pct).
					Aria("valuetext", it.Status()).
					Body(app.Elem("div").Class("meter__bar").Style("width", fmt.Sprintf("%d%%", pct))),
				app.Elem("span").Class("card__status").Text(it.Status()),
			),
		),
	)
}

func levelOptions() [][2]string {
	var out [][2]string
	for _, l := range wire.Levels() {
		out = append(out, [2]string{string(l), levelLabel(string(l))})
	}
	return out
}

func levelLabel(l string) string {
	if l == "" {
		return ""
	}
	return strings.ToUpper(l[:1]) + l[1:]
}

func pairs(values []string) [][2]string {
	out := make([][2]string, len(values))
	for i, v := range values {
		out[i] = [2]string{v, v}
	}
	return out
}

// filterSelect is a labelled <select> whose first option, all, clears the
// filter.
func filterSelect(id, label, value, all string, options [][2]string, onChange func(app.Context)) app.UI {
	return app.Elem("div").Class("field").Body(
		app.Elem("label").Attr("for", id).Text(label),
		app.Elem("select").ID(id).
			OnChange(func(ctx app.Context, e app.Event) { onChange(ctx) }).
			Body(
				app.Elem("option").Attr("value", allOption).Attr("selected", value == "").Text(all),
				app.Range(options).Slice(func(i int) app.UI {
					return app.Elem("option").Attr("value", options[i][0]).Attr("selected", value == options[i][0]).Text(options[i][1])
				}),
			),
	)
}
