package app

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// The sandbox has its route; what it shows comes later. Until then it says
// so plainly.

type sandbox struct{ page }

func (p *sandbox) OnPreRender(ctx app.Context) { p.nav(ctx, "Sandbox") }
func (p *sandbox) OnNav(ctx app.Context)       { p.nav(ctx, "Sandbox") }
func (p *sandbox) Render() app.UI {
	return layout(p.path, comingSoon("Sandbox",
		"A free terminal on a simulated tenant: type az, curl and jq commands on your workstation or inside a VM, and watch identities, role assignments and tokens change."))
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
