package app

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/miplay/miplay/app/wire"
)

// principalsPanel lists the service principals of the directory: the ones
// Azure made for managed identities and the ones behind app registrations.
// Deleted principals stay, greyed, so an orphaned role assignment can be
// traced to what it was.
type principalsPanel struct {
	app.Compo
	VM  []wire.PrincipalVM
	all bool // the whole list, not the last items only
}

func (p *principalsPanel) Render() app.UI {
	if len(p.VM) == 0 {
		return panelFrame("panel-principals", "Service principals", 0, empty("No service principals yet: enable an identity or register an app."))
	}
	from := 0
	if !p.all {
		from = listedFrom(len(p.VM))
	}
	shown := p.VM[from:]
	return panelFrame("panel-principals", "Service principals", len(p.VM),
		listFold(len(p.VM), from, p.all, "service principals", func() { p.all = !p.all }),
		app.Elem("ul").Class("items").Body(
			app.Range(shown).Slice(func(i int) app.UI { return &principalItem{VM: shown[i]} }),
		),
	)
}

// principalItem is one service principal of the list, a component for the
// same reason as resourceItem.
type principalItem struct {
	app.Compo
	VM wire.PrincipalVM
}

func (it *principalItem) Render() app.UI {
	sp := it.VM
	cls := "item principal"
	if sp.Deleted {
		cls += " is-deleted"
	}
	return app.Elem("li").Class(cls).DataSet("name", sp.DisplayName).Body(
		app.Elem("div").Class("item__head").Body(
			app.Elem("strong").Class("item__name").Text(sp.DisplayName),
			app.Elem("span").Class("badge badge--type").Text(sp.Type),
			app.If(sp.Deleted, func() app.UI {
				return app.Elem("span").Class("badge badge--deleted").Text("Deleted")
			}),
		),
		app.Elem("dl").Class("kv").Body(
			app.Elem("dt").Text("object ID"), app.Elem("dd").Body(id(sp.ObjectID)),
			app.Elem("dt").Text("app ID"), app.Elem("dd").Body(id(sp.AppID)),
			app.If(len(sp.AlternativeNames) > 0, func() app.UI {
				return app.Elem("dt").Text("alternative names")
			}),
			app.If(len(sp.AlternativeNames) > 0, func() app.UI {
				return app.Elem("dd").Body(
					app.Elem("ul").Class("altnames").Body(
						app.Range(sp.AlternativeNames).Slice(func(j int) app.UI {
							return app.Elem("li").Body(id(sp.AlternativeNames[j]))
						}),
					),
				)
			}),
		),
	)
}
