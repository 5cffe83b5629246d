package app

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/miplay/miplay/app/wire"
)

// tokensPanel lists the tokens Entra ID issued. The selected one is shown
// decoded: its header and claims, each explained, and whether its signature
// verifies with the tenant's published keys.
type tokensPanel struct {
	app.Compo
	VM       []wire.TokenRowVM
	Selected string
	Detail   *wire.TokenDetailVM
	OnSelect func(ctx app.Context, id string)
}

func (p *tokensPanel) Render() app.UI {
	if len(p.VM) == 0 {
		return panelFrame("panel-tokens", "Tokens", 0, empty("No token issued yet. Code asks for one from IMDS or the App Service identity endpoint; az gets its own when you sign in."))
	}
	return panelFrame("panel-tokens", "Tokens", len(p.VM),
		app.Elem("div").Class("tokens").Body(
			app.Elem("ol").Class("token-list").Aria("label", "Issued tokens").Body(
				app.Range(p.VM).Slice(func(i int) app.UI {
					t := p.VM[i]
					where := t.Via
					if t.Host != "" {
						where += " on " + t.Host
					}
					return app.Elem("li").Body(
						app.Elem("button").Attr("type", "button").Class("token-item").
							Aria("pressed", t.ID == p.Selected).
							DataSet("token", t.ID).
							OnClick(func(ctx app.Context, e app.Event) {
								if p.OnSelect != nil {
									p.OnSelect(ctx, t.ID)
								}
							}, app.EventScope(t.ID)).
							Body(
								app.Elem("span").Class("token-item__who").Text(t.Principal),
								app.Elem("span").Class("token-item__aud").Text("for "+t.Audience),
								app.Elem("span").Class("token-item__via").Text(where+" · "+t.IssuedAt.UTC().Format("15:04:05")),
							),
					)
				}),
			),
			app.Elem("div").Class("token-detail").Aria("live", "polite").Body(
				app.If(p.Detail == nil, func() app.UI {
					return empty("Select a token to decode it.")
				}).Else(func() app.UI { return &tokenDetailPane{VM: *p.Detail} }),
			),
		),
	)
}

// tokenDetailPane is the selected token, decoded. The panel renders again
// whenever the page does (its OnSelect is a new func each time, which
// go-app cannot compare); as a component, the detail, with its tables of
// claims, renders only when it is another token or another verdict.
type tokenDetailPane struct {
	app.Compo
	VM wire.TokenDetailVM
}

func (d *tokenDetailPane) Render() app.UI { return tokenDetailView(d.VM) }

func tokenDetailView(d wire.TokenDetailVM) app.UI {
	sigCls := "sig sig--valid"
	sigText := "Signature: valid"
	if !d.SignatureValid {
		sigCls, sigText = "sig sig--invalid", "Signature: invalid"
	}
	lifeCls := "sig sig--valid"
	if d.Expired {
		lifeCls = "sig sig--invalid"
	}
	return app.Elem("div").Body(
		app.Elem("p").Class(sigCls).Body(
			app.Elem("strong").Class("sig__verdict").Text(sigText),
			app.Elem("span").Class("sig__detail").Text(trimVerdict(d.Signature)),
		),
		app.If(d.Lifetime != "", func() app.UI {
			return app.Elem("p").Class(lifeCls).Body(
				app.Elem("strong").Class("sig__verdict").Text("Lifetime"),
				app.Elem("span").Class("sig__detail").Text(d.Lifetime),
			)
		}),
		claimsTable("token-header", "Header", "Parameter", d.Header),
		claimsTable("token-claims", "Claims", "Claim", d.Claims),
		app.Elem("details").Class("raw").Body(
			app.Elem("summary").Text("The token as sent (a JWT: header.claims.signature, base64url)"),
			app.Elem("pre").Class("raw__text").Text(d.Raw),
		),
	)
}

// trimVerdict drops "valid: " or "invalid: " from a signature sentence,
// which the verdict already says.
func trimVerdict(s string) string {
	for _, p := range []string{"valid: ", "invalid: "} {
		if len(s) > len(p) && s[:len(p)] == p {
			return s[len(p):]
		}
	}
	return s
}

func claimsTable(cls, caption, nameHead string, rows []wire.ClaimRow) app.UI {
	return app.Elem("div").Class("table-wrap").Body(
		app.Elem("table").Class("claims "+cls).Body(
			app.Elem("caption").Text(caption),
			app.Elem("thead").Body(app.Elem("tr").Body(
				app.Elem("th").Attr("scope", "col").Text(nameHead),
				app.Elem("th").Attr("scope", "col").Text("Value"),
				app.Elem("th").Attr("scope", "col").Text("What it means"),
			)),
			app.Elem("tbody").Body(
				app.Range(rows).Slice(func(i int) app.UI {
					r := rows[i]
					return app.Elem("tr").DataSet("claim", r.Name).Body(
						app.Elem("th").Attr("scope", "row").Body(app.Elem("code").Text(r.Name)),
						app.Elem("td").Class("claims__value").Body(app.Elem("code").Text(r.Value)),
						app.Elem("td").Class("claims__meaning").Text(r.Explanation),
					)
				}),
			),
		),
	)
}
