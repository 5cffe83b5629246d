package app

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/miplay/miplay/app/wire"
)

// resourcesPanel lists the resources, each with badges for its managed
// identities and the principal IDs behind them.
type resourcesPanel struct {
	app.Compo
	VM  []wire.ResourceVM
	all bool // the whole list, not the last items only
}

func (p *resourcesPanel) Render() app.UI {
	if len(p.VM) == 0 {
		return panelFrame("panel-resources", "Resources", 0, empty("No resources yet."))
	}
	from := 0
	if !p.all {
		from = listedFrom(len(p.VM))
	}
	shown := p.VM[from:]
	return panelFrame("panel-resources", "Resources", len(p.VM),
		listFold(len(p.VM), from, p.all, "resources", func() { p.all = !p.all }),
		app.Elem("ul").Class("items").Body(
			app.Range(shown).Slice(func(i int) app.UI { return &resourceItem{VM: shown[i]} }),
		),
	)
}

// resourceItem is one resource of the list. Each is a component, so that
// a new resource renders one item: go-app leaves alone the items whose
// props did not change.
type resourceItem struct {
	app.Compo
	VM wire.ResourceVM
}

func (it *resourceItem) Render() app.UI {
	r := it.VM
	return app.Elem("li").Class("item resource").DataSet("name", r.Name).Body(
		app.Elem("div").Class("item__head").Body(
			app.Elem("strong").Class("item__name").Text(r.Name),
			app.Elem("span").Class("item__kind").Text(r.TypeLabel),
		),
		app.Elem("div").Class("item__sub").Text(r.Group+" · "+r.Location),
		identityBadges(r),
	)
}

func identityBadges(r wire.ResourceVM) app.UI {
	var badges []wire.IdentityBadgeVM
	if r.System != nil {
		badges = append(badges, *r.System)
	}
	badges = append(badges, r.User...)
	if r.Own != nil {
		badges = append(badges, *r.Own)
	}
	if len(badges) == 0 {
		if r.CanHaveIdentity {
			return app.Elem("p").Class("identity identity--none").Text("No managed identity")
		}
		return nil
	}
	return app.Elem("ul").Class("identities").Body(
		app.Range(badges).Slice(func(i int) app.UI {
			b := badges[i]
			label := b.Kind
			if b.Kind == "UserAssigned" && r.Own == nil {
				label += " · " + b.Name
			}
			if r.Own != nil {
				label = "Managed identity"
			}
			cls := "identity identity--system"
			if b.Kind == "UserAssigned" {
				cls = "identity identity--user"
			}
			if b.Missing {
				cls += " identity--missing"
			}
			return app.Elem("li").Class(cls).Body(
				app.Elem("span").Class("identity__kind").Text(label),
				app.If(b.Missing, func() app.UI {
					return app.Elem("span").Class("identity__note").Text("the identity resource was deleted")
				}).Else(func() app.UI {
					return app.Elem("dl").Class("identity__ids").Body(
						app.Elem("dt").Text("principal"), app.Elem("dd").Body(id(b.PrincipalID)),
						app.Elem("dt").Text("client"), app.Elem("dd").Body(id(b.ClientID)),
					)
				}),
			)
		}),
	)
}
