package app

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// The gallery, player, sandbox and embed pages have their routes; what they
// show comes with the scenarios package. Until then each says so plainly.

type gallery struct{ page }

func (p *gallery) OnPreRender(ctx app.Context) { p.nav(ctx, "Gallery") }
func (p *gallery) OnNav(ctx app.Context)       { p.nav(ctx, "Gallery") }
func (p *gallery) Render() app.UI {
	return layout(p.path, comingSoon("Gallery",
		"Scenarios and exercises to pick from: a VM that reads a blob, an App Service app that reads a Key Vault secret, a scale set that shares one user-assigned identity, and more."))
}

type sandbox struct{ page }

func (p *sandbox) OnPreRender(ctx app.Context) { p.nav(ctx, "Sandbox") }
func (p *sandbox) OnNav(ctx app.Context)       { p.nav(ctx, "Sandbox") }
func (p *sandbox) Render() app.UI {
	return layout(p.path, comingSoon("Sandbox",
		"A free terminal on a simulated tenant: type az, curl and jq commands on your workstation or inside a VM, and watch identities, role assignments and tokens change."))
}

type player struct {
	page
	scenario string
}

func (p *player) OnPreRender(ctx app.Context) { p.navPlay(ctx) }
func (p *player) OnNav(ctx app.Context)       { p.navPlay(ctx) }
func (p *player) navPlay(ctx app.Context) {
	p.scenario = lastSegment(ctx.Page().URL().Path)
	p.nav(ctx, p.scenario)
}
func (p *player) Render() app.UI {
	return layout(p.path, comingSoon("Scenario “"+p.scenario+"”",
		"The player: the scenario's narration step by step, a terminal that runs each step, and panels for the resources, principals, role assignments and tokens involved."))
}

// embed is the player without the site around it, for an iframe in a docs
// page.
type embed struct {
	page
	scenario string
}

func (p *embed) OnPreRender(ctx app.Context) { p.navEmbed(ctx) }
func (p *embed) OnNav(ctx app.Context)       { p.navEmbed(ctx) }
func (p *embed) OnMount(ctx app.Context) {
	loadPrefs(ctx, func(app.Context) {})
}
func (p *embed) navEmbed(ctx app.Context) {
	p.scenario = lastSegment(ctx.Page().URL().Path)
	p.nav(ctx, p.scenario)
}
func (p *embed) Render() app.UI {
	return app.Main().ID("main").Class("page page--embed").Body(
		comingSoonSection("Scenario “"+p.scenario+"”",
			"This frame will hold the scenario player, without the rest of the site, for embedding in documentation."),
		app.P().Class("embed__credit").Body(
			app.Text("Made with "),
			app.A().Href(Href("/")).Target("_blank").Rel("noopener").Text("miplay"),
		),
	)
}

func comingSoon(title, what string) app.UI {
	return comingSoonSection(title, what,
		app.P().Body(app.A().Class("button").Href(Href("/")).Text("Back to the overview")))
}

func comingSoonSection(title, what string, more ...app.UI) app.UI {
	return app.Section().Class("coming-soon").Aria("labelledby", "page-title").Body(
		app.H1().ID("page-title").Text(title),
		app.P().Class("coming-soon__badge").Text("Coming soon in this build"),
		app.P().Class("lede").Text(what),
		app.Range(more).Slice(func(i int) app.UI { return more[i] }),
	)
}
