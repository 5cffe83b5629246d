package app

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/miplay/miplay/app/wire"
)

// assignmentsPanel lists the role assignments: role, scope and principal.
// An assignment whose principal was deleted stays, as in Azure, and reads
// "Identity not found" with the type Unknown, as in the portal.
type assignmentsPanel struct {
	app.Compo
	VM  []wire.AssignmentVM
	all bool // the whole list, not the last items only
}

func (p *assignmentsPanel) Render() app.UI {
	if len(p.VM) == 0 {
		return panelFrame("panel-assignments", "Role assignments", 0, empty("No role assignments yet, besides what the signed-in admin has."))
	}
	from := 0
	if !p.all {
		from = listedFrom(len(p.VM))
	}
	shown := p.VM[from:]
	return panelFrame("panel-assignments", "Role assignments", len(p.VM),
		listFold(len(p.VM), from, p.all, "role assignments", func() { p.all = !p.all }),
		app.Elem("ul").Class("items").Body(
			app.Range(shown).Slice(func(i int) app.UI { return &assignmentItem{VM: shown[i]} }),
		),
	)
}

// assignmentItem is one role assignment of the list, a component for the
// same reason as resourceItem.
type assignmentItem struct {
	app.Compo
	VM wire.AssignmentVM
}

func (it *assignmentItem) Render() app.UI {
	a := it.VM
	cls := "item assignment"
	if a.Orphaned {
		cls += " is-orphaned"
	}
	return app.Elem("li").Class(cls).Body(
		app.Elem("div").Class("item__head").Body(
			app.Elem("strong").Class("item__name").Text(a.RoleName),
		),
		app.Elem("dl").Class("kv").Body(
			app.Elem("dt").Text("scope"), app.Elem("dd").Title(a.Scope).Text(a.ScopeLabel),
			app.Elem("dt").Text("principal"), app.Elem("dd").Body(
				app.Elem("span").Class("assignment__principal").Text(a.PrincipalName),
				app.Text(" "),
				app.Elem("span").Class("badge badge--type").Text(a.PrincipalType),
			),
			app.Elem("dt").Text("principal ID"), app.Elem("dd").Body(id(a.PrincipalID)),
		),
	)
}
