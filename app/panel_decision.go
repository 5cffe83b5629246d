package app

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// decisionPanel explains an RBAC decision: why a request was allowed or
// denied, with every role assignment that was considered and what came of
// it.
type decisionPanel struct {
	app.Compo
	VM *DecisionVM
	// Note says why there is no decision to show.
	Note string
}

func (p *decisionPanel) Render() app.UI {
	if p.VM == nil {
		note := p.Note
		if note == "" {
			note = "Select a request that a service checked against Azure RBAC."
		}
		return panelFrame("panel-decision", "Why allowed or denied", -1, empty(note))
	}
	d := *p.VM
	title, verdictCls, verdict := "Why allowed", "verdict verdict--allowed", "Allowed"
	if !d.Allowed {
		title, verdictCls, verdict = "Why denied", "verdict verdict--denied", "Denied"
	}
	plane := "control plane (actions)"
	if d.DataAction {
		plane = "data plane (dataActions)"
	}
	return panelFrame("panel-decision", title, -1,
		app.P().Class("decision__reason").Body(
			app.Strong().Class(verdictCls).Text(verdict),
			app.Span().Text(d.Reason),
		),
		app.Dl().Class("kv").Body(
			app.Dt().Text("principal"), app.Dd().Text(d.Principal),
			app.Dt().Text("action"), app.Dd().Body(app.Code().Class("id").Text(d.Action)),
			app.Dt().Text("plane"), app.Dd().Text(plane),
			app.Dt().Text("scope"), app.Dd().Body(app.Code().Class("id").Text(d.Scope)),
		),
		app.If(len(d.Considered) == 0, func() app.UI {
			return empty("No role assignment was considered.")
		}).Else(func() app.UI {
			return app.Div().Class("table-wrap").Body(
				app.Table().Class("considered").Body(
					app.Caption().Text("Every role assignment considered"),
					app.THead().Body(app.Tr().Body(
						app.Th().Scope("col").Text("Role"),
						app.Th().Scope("col").Text("Principal and scope"),
						app.Th().Scope("col").Text("Outcome"),
					)),
					app.TBody().Body(
						app.Range(d.Considered).Slice(func(i int) app.UI { return &consideredRow{VM: d.Considered[i]} }),
					),
				),
			)
		}),
	)
}

// consideredRow is one assignment of a decision. One command's decision
// often considers the same assignments, with the same outcomes, as the
// last one's: as components, those rows are not rendered again.
type consideredRow struct {
	app.Compo
	VM ConsideredVM
}

func (r *consideredRow) Render() app.UI {
	c := r.VM
	cls := "considered__row"
	if c.Grants {
		cls += " is-granting"
	}
	return app.Tr().Class(cls).DataSet("outcome", c.Outcome).Body(
		app.Th().Scope("row").Text(c.RoleName),
		app.Td().Body(
			app.Span().Text(c.Principal),
			app.Br(),
			app.Code().Class("id").Text(c.Scope),
		),
		app.Td().Body(
			app.Strong().Class("outcome").Title(c.OutcomeText).Text(c.Outcome),
			app.Span().Class("outcome__text").Text(c.Explanation),
			app.If(c.MatchedBy != "", func() app.UI {
				return app.Span().Class("outcome__detail").Body(app.Text("matched by "), app.Code().Text(c.MatchedBy))
			}),
			app.If(c.ExcludedBy != "", func() app.UI {
				return app.Span().Class("outcome__detail").Body(app.Text("removed by "), app.Code().Text(c.ExcludedBy))
			}),
		),
	)
}
