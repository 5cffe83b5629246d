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
		app.Ul().Class("items").Body(
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
	return app.Li().Class(cls).Body(
		app.Div().Class("item__head").Body(
			app.Strong().Class("item__name").Text(a.RoleName),
		),
		app.Dl().Class("kv").Body(
			app.Dt().Text("scope"), app.Dd().Title(a.Scope).Text(a.ScopeLabel),
			app.Dt().Text("principal"), app.Dd().Body(
				app.Span().Class("assignment__principal").Text(a.PrincipalName),
				app.Text(" "),
				app.Span().Class("badge badge--type").Text(a.PrincipalType),
			),
			app.Dt().Text("principal ID"), app.Dd().Body(id(a.PrincipalID)),
		),
	)
}
