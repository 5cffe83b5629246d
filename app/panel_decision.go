package app

import (
	"context"
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
	// Session is the engine session the decision is from, which brings
	// the assignments to other principals the VM leaves out.
	Session int
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
	rows, others, folded := foldOthers(d)
	return panelFrame("panel-decision", title, -1,
		app.Elem("p").Class("decision__reason").Body(
			app.Elem("strong").Class(verdictCls).Text(verdict),
			app.Elem("span").Text(d.Reason),
		),
		app.Elem("dl").Class("kv").Body(
			app.Elem("dt").Text("principal"), app.Elem("dd").Text(d.Principal),
			app.Elem("dt").Text("action"), app.Elem("dd").Body(app.Elem("code").Class("id").Text(d.Action)),
			app.Elem("dt").Text("plane"), app.Elem("dd").Text(plane),
			app.Elem("dt").Text("scope"), app.Elem("dd").Body(app.Elem("code").Class("id").Text(d.Scope)),
		),
		app.If(len(d.Considered) == 0, func() app.UI {
			return empty("No role assignment was considered.")
		}).Else(func() app.UI {
			return app.Elem("div").Class("table-wrap").Body(
				app.Elem("table").Class("considered").Body(
					app.Elem("caption").Text("Every role assignment considered"),
					app.Elem("thead").Body(app.Elem("tr").Body(
						app.Elem("th").Attr("scope", "col").Text("Role"),
						app.Elem("th").Attr("scope", "col").Text("Principal and scope"),
						app.Elem("th").Attr("scope", "col").Text("Outcome"),
					)),
					app.Elem("tbody").Body(
						app.Range(rows).Slice(func(i int) app.UI { return &consideredRow{VM: rows[i]} }),
					),
					app.If(folded > 0, func() app.UI {
						return &otherPrincipalRows{Rows: others, Count: folded, Session: p.Session, Seq: d.Seq}
					}),
				),
			)
		}),
	)
}

// maxOthersInline is how many assignments of other principals a
// decision's table lists among the others (wire.MaxOthersInline).
const maxOthersInline = wire.MaxOthersInline

// foldOthers splits the assignments a decision considered into those the
// table lists and those of other principals it folds, in their order, and
// says how many it folds: none, or all of the other principals'. When the
// engine left those out (OthersFolded), others is nil and the fold asks
// for them when it opens.
func foldOthers(d wire.DecisionVM) (rows, others []wire.ConsideredVM, folded int) {
	if d.OthersFolded > 0 {
		return d.Considered, nil, d.OthersFolded
	}
	n := 0
	for _, c := range d.Considered {
		if c.Outcome == wire.OutcomeOtherPrincipal {
			n++
		}
	}
	if n <= maxOthersInline {
		return d.Considered, nil, 0
	}
	for _, c := range d.Considered {
		if c.Outcome == wire.OutcomeOtherPrincipal {
			others = append(others, c)
		} else {
			rows = append(rows, c)
		}
	}
	return rows, others, n
}

// otherPrincipalRows are the folded assignments of other principals: a row
// with a button, and the assignments once it is pressed.
type otherPrincipalRows struct {
	app.Compo
	// Rows are the assignments; nil until the engine sent them, when the
	// decision came without them (Count of them, decision Seq of
	// Session).
	Rows    []wire.ConsideredVM
	Count   int
	Session int
	Seq     int

	open    bool
	loading bool
	problem string
	// fetched are the rows the engine brought for decision fetchedSeq:
	// kept apart from Rows, which every render of the panel sets again.
	fetched    []wire.ConsideredVM
	fetchedSeq int
}

// rows returns the assignments to list when open, or nil if they have not
// come yet.
func (o *otherPrincipalRows) rows() []wire.ConsideredVM {
	if o.Rows != nil {
		return o.Rows
	}
	if o.fetched != nil && o.fetchedSeq == o.Seq {
		return o.fetched
	}
	return nil
}

func (o *otherPrincipalRows) Render() app.UI {
	// Open shows the rows it has: a decision that came without them
	// (another command's) shows closed until they come.
	rows := o.rows()
	open := o.open && rows != nil
	label := fmt.Sprintf("Show the %d assignments to other principals", o.Count)
	switch {
	case o.loading:
		label = fmt.Sprintf("Loading the %d assignments to other principals…", o.Count)
	case open:
		label = fmt.Sprintf("Hide the %d assignments to other principals", o.Count)
	}
	return app.Elem("tbody").Class("considered__others").Body(
		app.Elem("tr").Body(
			app.Elem("td").Attr("colspan", 3).Body(
				app.Elem("button").Attr("type", "button").Class("button button--small considered__fold").
					Aria("expanded", open).
					Attr("disabled", o.loading).
					OnClick(o.toggle).
					Text(label),
				app.If(o.problem != "", func() app.UI {
					return app.Elem("p").Class("considered__problem").Role("alert").Text(o.problem)
				}),
			),
		),
		app.If(open, func() app.UI {
			return app.Range(rows).Slice(func(i int) app.UI { return &consideredRow{VM: rows[i]} })
		}),
	)
}

// toggle opens or closes the fold; opened the first time without its
// rows, it asks the engine for the whole decision.
func (o *otherPrincipalRows) toggle(ctx app.Context, e app.Event) {
	if o.rows() != nil {
		o.open = !o.open
		return
	}
	if o.Session == 0 {
		// The player shows its opening (opening.go): the engine's
		// session is still on its way.
		o.problem = "The engine is still starting: open this again in a moment."
		return
	}
	o.loading, o.problem = true, ""
	session, seq := o.Session, o.Seq
	ctx.Async(func() {
		resp, err := callEngine[wire.DecisionResponse](context.Background(), wire.MethodDecision, wire.DecisionRequest{Session: session, Seq: seq})
		ctx.Dispatch(func(ctx app.Context) {
			o.loading = false
			if o.Session != session || o.Seq != seq {
				return // the panel shows another decision now
			}
			switch {
			case err != nil:
				o.problem = "Could not bring them: " + err.Error()
			case !resp.Found:
				o.problem = "The world no longer has this decision."
			default:
				_, others, _ := foldOthers(resp.Decision)
				if others == nil {
					others = []wire.ConsideredVM{}
				}
				o.fetched, o.fetchedSeq, o.open = others, seq, true
			}
		})
	})
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
	return app.Elem("tr").Class(cls).DataSet("outcome", c.Outcome).Body(
		app.Elem("th").Attr("scope", "row").Text(c.RoleName),
		app.Elem("td").Body(
			app.Elem("span").Text(c.Principal),
			app.ElemSelfClosing("br"),
			app.Elem("code").Class("id").Text(c.Scope),
		),
		app.Elem("td").Body(
			app.Elem("strong").Class("outcome").Title(c.OutcomeText).Text(c.Outcome),
			app.Elem("span").Class("outcome__text").Text(c.Explanation),
			app.If(c.MatchedBy != "", func() app.UI {
				return app.Elem("span").Class("outcome__detail").Body(app.Text("matched by "), app.Elem("code").Text(c.MatchedBy))
			}),
			app.If(c.ExcludedBy != "", func() app.UI {
				return app.Elem("span").Class("outcome__detail").Body(app.Text("removed by "), app.Elem("code").Text(c.ExcludedBy))
			}),
		),
	)
}
