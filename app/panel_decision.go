package app

import (
	"fmt"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/miplay/miplay/app/wire"
)

// decisionPanel explains an RBAC decision: why a request was allowed or
// denied, with every role assignment that was considered and what came of
// it.
type decisionPanel struct {
	app.Compo
	VM *wire.DecisionVM
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
	rows, others := foldOthers(d.Considered)
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
						app.Range(rows).Slice(func(i int) app.UI { return &consideredRow{VM: rows[i]} }),
					),
					app.If(len(others) > 0, func() app.UI { return &otherPrincipalRows{Rows: others} }),
				),
			)
		}),
	)
}

// maxOthersInline is how many assignments of other principals a
// decision's table lists among the others. Past it, they fold into one row
// that lists them when opened: Authorize looks at every assignment of the
// world, and fifty rows that only say "assigned to someone else", built
// for every request, bury the rows that decided and cost as much as the
// world is big.
const maxOthersInline = 5

// foldOthers splits the assignments a decision considered into those the
// table lists and those of other principals it folds, in their order, or
// folds none.
func foldOthers(all []wire.ConsideredVM) (rows, others []wire.ConsideredVM) {
	n := 0
	for _, c := range all {
		if c.Outcome == wire.OutcomeOtherPrincipal {
			n++
		}
	}
	if n <= maxOthersInline {
		return all, nil
	}
	for _, c := range all {
		if c.Outcome == wire.OutcomeOtherPrincipal {
			others = append(others, c)
		} else {
			rows = append(rows, c)
		}
	}
	return rows, others
}

// otherPrincipalRows are the folded assignments of other principals: a row
// with a button, and the assignments once it is pressed.
type otherPrincipalRows struct {
	app.Compo
	Rows []wire.ConsideredVM
	open bool
}

func (o *otherPrincipalRows) Render() app.UI {
	label := fmt.Sprintf("Show the %d assignments to other principals", len(o.Rows))
	if o.open {
		label = fmt.Sprintf("Hide the %d assignments to other principals", len(o.Rows))
	}
	return app.TBody().Class("considered__others").Body(
		app.Tr().Body(
			app.Td().ColSpan(3).Body(
				app.Button().Type("button").Class("button button--small considered__fold").
					Aria("expanded", o.open).
					OnClick(func(ctx app.Context, e app.Event) { o.open = !o.open }).
					Text(label),
			),
		),
		app.If(o.open, func() app.UI {
			return app.Range(o.Rows).Slice(func(i int) app.UI { return &consideredRow{VM: o.Rows[i]} })
		}),
	)
}

// consideredRow is one assignment of a decision. One command's decision
// often considers the same assignments, with the same outcomes, as the
// last one's: as components, those rows are not rendered again.
type consideredRow struct {
	app.Compo
	VM wire.ConsideredVM
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
