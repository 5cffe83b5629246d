package app

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// Headline is the home page's h1. The end-to-end test looks for it.
const Headline = "Give your app an identity, not a secret"

type home struct{ page }

func (h *home) OnPreRender(ctx app.Context) { h.nav(ctx, "") }
func (h *home) OnNav(ctx app.Context)       { h.nav(ctx, "") }

// The two columns: the same job done with secrets, and with a managed
// identity. The facts come from the overview the project started from
// (shared/reference/managed-identities-overview.md).
var (
	withoutMI = []string{
		"Your app signs in with something it must keep: a client secret for its service principal, a storage account key, a SAS token or a connection string.",
		"That secret lives in code, config or a pipeline variable. Whoever copies it can act as your app.",
		"Secrets expire and must be rotated, and every copy has to change at the same time.",
	}
	withMI = []string{
		"Azure gives the resource itself (a VM, an App Service app, a function) an identity in Microsoft Entra ID, backed by a service principal that Azure creates and rotates for you.",
		"Code on that resource asks a local endpoint (IMDS, or App Service's identity endpoint) for a token. There is no secret to send, store or rotate.",
		"What the identity may do is plain Azure RBAC: a role, such as Storage Blob Data Reader, at a scope.",
	}
	fourSteps = []struct{ Title, Text string }{
		{"Enable", "Turn the identity on for the resource. Azure registers a service principal for it."},
		{"Assign", "Give that principal a role on the resource it needs, at the narrowest scope that works."},
		{"Ask", "From code on the resource, request a token from the local endpoint. No secret is involved."},
		{"Use", "Send the token with each call; the target checks it and the role assignments."},
	}
)

func (h *home) Render() app.UI {
	return layout(h.path,
		app.Elem("section").Class("hero").Aria("labelledby", "headline").Body(
			app.Elem("p").Class("eyebrow").Text("A playground for Azure managed identities"),
			app.Elem("h1").ID("headline").Text(Headline),
			app.Elem("p").Class("lede").Text("miplay runs a small Azure tenant in your browser. Watch the same app reach storage and Key Vault with secrets and then with a managed identity, and see every identity, role assignment and token along the way."),
			app.Elem("div").Class("actions").Body(
				app.Elem("a").Class("button button--primary").Attr("href", Href("/gallery")).Text("Browse scenarios"),
				app.Elem("a").Class("button").Attr("href", Href("/sandbox")).Text("Open the sandbox"),
			),
		),
		app.Elem("section").Class("compare").Aria("labelledby", "compare-title").Body(
			app.Elem("h2").ID("compare-title").Class("visually-hidden").Text("Without and with managed identities"),
			column("without", "Without managed identities", "Secrets to keep", withoutMI),
			column("with", "With managed identities", "An identity Azure keeps for you", withMI),
		),
		app.Elem("section").Class("steps").Aria("labelledby", "steps-title").Body(
			app.Elem("h2").ID("steps-title").Text("Four steps"),
			app.Elem("ol").Class("steps__list").Body(
				app.Range(fourSteps).Slice(func(i int) app.UI {
					return app.Elem("li").Body(
						app.Elem("strong").Text(fourSteps[i].Title),
						app.Elem("span").Text(fourSteps[i].Text),
					)
				}),
			),
		),
		app.Elem("section").Class("kinds").Aria("labelledby", "kinds-title").Body(
			app.Elem("h2").ID("kinds-title").Text("Two kinds"),
			app.Elem("dl").Class("kinds__list").Body(
				app.Elem("div").Body(
					app.Elem("dt").Text("System-assigned"),
					app.Elem("dd").Text("One per resource, switched on in the resource's settings. Delete the resource and the identity goes with it."),
				),
				app.Elem("div").Body(
					app.Elem("dt").Text("User-assigned"),
					app.Elem("dd").Text("A resource of its own that many resources can share, such as the instances of a scale set. It lives until you delete it."),
				),
			),
		),
	)
}

func column(kind, title, tagline string, points []string) app.UI {
	return app.Elem("article").Class("column column--"+kind).Aria("labelledby", "col-"+kind).Body(
		app.Elem("h3").ID("col-"+kind).Text(title),
		app.Elem("p").Class("column__tagline").Text(tagline),
		app.Elem("ul").Body(
			app.Range(points).Slice(func(i int) app.UI {
				return app.Elem("li").Text(points[i])
			}),
		),
	)
}
