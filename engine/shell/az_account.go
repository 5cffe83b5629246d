package shell

import (
	"strings"

	"github.com/miplay/miplay/engine"
	"github.com/miplay/miplay/engine/azure"
)

func registerAzAccount() {
	registerAz(
		&azCommand{
			Path:    "login",
			Summary: "Log in to Azure.",
			Args: []azArg{
				{Names: []string{"--identity", "-i"}, Switch: true, Help: "Log in using a managed identity: the host's token endpoint (IMDS on a VM, IDENTITY_ENDPOINT in App Service)."},
				{Names: []string{"--client-id"}, Help: "With --identity: the client ID of a user-assigned identity."},
				{Names: []string{"--object-id"}, Help: "With --identity: the object (principal) ID of a user-assigned identity."},
				{Names: []string{"--resource-id"}, Help: "With --identity: the resource ID of a user-assigned identity."},
				{Names: []string{"--service-principal"}, Switch: true, Help: "Log in as a service principal with a client secret."},
				{Names: []string{"--username", "-u"}, Help: "With --service-principal: the app (client) ID. With --identity (older CLI): the client, object or resource ID of a user-assigned identity."},
				{Names: []string{"--password", "-p"}, Help: "With --service-principal: the client secret."},
				{Names: []string{"--tenant", "-t"}, Help: "The tenant (ID or domain) to log in to."},
				{Names: []string{"--allow-no-subscriptions"}, Switch: true, Help: "Log in even if the account has access to no subscription."},
				{Names: []string{"--use-device-code"}, Switch: true, NotSimulated: true, Help: "Use the device code flow."},
				{Names: []string{"--certificate"}, NotSimulated: true, Help: "A PEM certificate for a service principal."},
				{Names: []string{"--federated-token"}, NotSimulated: true, Help: "A federated token for workload identity federation."},
			},
			Examples: []string{
				"vm-web$ az login --identity",
				"vm-web$ az login --identity --client-id 00000000-0000-0000-0000-000000000000",
				"$ az login --service-principal -u $APP_ID -p $SECRET --tenant $TENANT",
			},
			NotSimulated: "Interactive and device-code sign-in: the workstation starts signed in as the tenant's admin.",
			Run:          azLogin,
		},
		&azCommand{
			Path:    "logout",
			Summary: "Log out to remove access to Azure subscriptions.",
			Run: func(c *azCall) (any, error) {
				if _, err := c.profile(); err != nil {
					return nil, clierrf("There are no active accounts.")
				}
				c.setProfile(nil)
				delete(c.p.State, azStateKey)
				if c.p.Host == azure.Workstation {
					c.p.State[azStateKey] = &azProfile{Kind: "none"}
				}
				return nil, nil
			},
		},
		&azCommand{
			Path:    "account show",
			Summary: "Get the details of the current subscription.",
			Run: func(c *azCall) (any, error) {
				pr, err := c.profile()
				if err != nil {
					return nil, err
				}
				if pr.Kind == "none" {
					return nil, clierrf("Please run 'az login' to setup account.")
				}
				return c.accountJSON(pr, true), nil
			},
		},
		&azCommand{
			Path:    "account get-access-token",
			Summary: "Get a token for utilities to access Azure.",
			Args: []azArg{
				{Names: []string{"--resource"}, Help: "Azure resource endpoints in AAD v1.0. Default: https://management.core.windows.net/."},
				{Names: []string{"--scope"}, Multi: true, Help: "Space-separated AAD scopes in AAD v2.0, such as https://storage.azure.com/.default."},
				{Names: []string{"--resource-type"}, Choices: []string{"arm", "aad-graph", "ms-graph", "batch", "data-lake", "media", "oss-rdbms"}, Help: "Type of well-known resource."},
				{Names: []string{"--tenant", "-t"}, Ignored: true, Help: "Tenant ID for which the token is acquired."},
			},
			Run: azGetAccessToken,
		},
	)
}

// accountJSON is az's account object for the world's one subscription.
func (c *azCall) accountJSON(pr *azProfile, withDomain bool) map[string]any {
	var w *engine.World
	c.p.Cloud.Do(func(x *engine.World) { w = x })
	a := map[string]any{
		"environmentName":  "AzureCloud",
		"homeTenantId":     w.Tenant.ID,
		"id":               w.Subscription.ID,
		"isDefault":        true,
		"managedByTenants": []any{},
		"name":             w.Subscription.DisplayName,
		"state":            "Enabled",
		"tenantId":         w.Tenant.ID,
		"user":             pr.user(),
	}
	if withDomain {
		a["tenantDefaultDomain"] = w.Tenant.DefaultDomain
		a["tenantDisplayName"] = w.Tenant.DisplayName
	}
	return a
}

func azLogin(c *azCall) (any, error) {
	// azure-cli's own argument checks (profile/custom.py login and
	// ManagedIdentityAuth.parse_ids) raise CLIError, which exits 1: only
	// argparse's errors exit 2.
	if c.has("--identity") && (c.has("--password") || c.has("--service-principal") || c.has("--tenant")) {
		return nil, clierrf("usage error: '--identity' is not applicable with other arguments")
	}
	if c.has("--service-principal") && c.str("--username") == "" {
		return nil, clierrf("usage error: --service-principal --username NAME --password SECRET --tenant TENANT")
	}
	switch {
	case c.has("--identity"):
		sel := engine.Selector{ClientID: c.str("--client-id"), ObjectID: c.str("--object-id"), ResourceID: c.str("--resource-id")}
		if u := c.str("--username"); u != "" && sel.IsZero() {
			// Older CLIs took the identity in --username; a resource ID
			// starts with "/", anything else is taken as a client ID.
			if strings.HasPrefix(u, "/") {
				sel.ResourceID = u
			} else {
				sel.ClientID = u
			}
			c.warn("Passing the managed identity ID with --username is deprecated and will be removed in a future release. Please use --client-id, --object-id or --resource-id instead.")
		}
		n := 0
		for _, s := range []string{sel.ClientID, sel.ObjectID, sel.ResourceID} {
			if s != "" {
				n++
			}
		}
		if n > 1 {
			return nil, clierrf("Usage error: Provide only one of --client-id, --object-id, --resource-id.")
		}
		pr := &azProfile{Kind: "managedIdentity", Identity: sel}
		return c.finishLogin(pr, "No access was configured for the VM, hence no subscriptions were found. If this is expected, use '--allow-no-subscriptions' to have tenant level access.")
	case c.has("--service-principal"):
		if c.str("--password") == "" {
			// az prompts for the secret, and cannot without a terminal.
			return nil, clierrf("Please specify both username and password in non-interactive mode.")
		}
		if c.str("--tenant") == "" {
			// UNVERIFIED: az sends the sign-in to the "organizations"
			// authority, which refuses client credentials; miplay asks for
			// the tenant in az's usage words instead.
			return nil, clierrf("usage error: --service-principal --username NAME --password SECRET --tenant TENANT")
		}
		pr := &azProfile{Kind: "servicePrincipal", ClientID: c.str("--username"), Secret: c.str("--password"), Tenant: c.str("--tenant")}
		return c.finishLogin(pr, "No subscriptions found for "+pr.ClientID+".")
	}
	if c.p.Host != azure.Workstation {
		return nil, clierrf("Interactive login is not simulated in miplay. Inside an Azure resource, use 'az login --identity'.")
	}
	var upn string
	c.p.Cloud.Do(func(w *engine.World) { upn = w.Admin.UserPrincipalName })
	pr := &azProfile{Kind: "user", User: upn}
	c.setProfile(pr)
	return []any{c.accountJSON(pr, false)}, nil
}

// finishLogin gets an ARM token as the new account and lists the
// subscriptions it can see, as az login does.
func (c *azCall) finishLogin(pr *azProfile, none string) (any, error) {
	previous, _ := c.p.State[azStateKey].(*azProfile)
	c.setProfile(pr)
	subs, err := c.arm("GET", "/subscriptions", "2022-12-01", nil)
	if err != nil {
		c.restoreProfile(previous)
		return nil, err
	}
	values, _ := subs["value"].([]any)
	if len(values) == 0 {
		if !c.has("--allow-no-subscriptions") {
			c.restoreProfile(previous)
			return nil, clierrf("%s", none)
		}
		var tenant string
		c.p.Cloud.Do(func(w *engine.World) { tenant = w.Tenant.ID })
		return []any{map[string]any{
			"environmentName": "AzureCloud", "id": tenant, "isDefault": true, "name": "N/A(tenant level account)",
			"state": "Enabled", "tenantId": tenant, "user": pr.user(),
		}}, nil
	}
	return []any{c.accountJSON(pr, false)}, nil
}

func (c *azCall) restoreProfile(pr *azProfile) {
	if pr == nil {
		delete(c.p.State, azStateKey)
		return
	}
	c.setProfile(pr)
}

func azGetAccessToken(c *azCall) (any, error) {
	// As az's get_raw_token: --scope wins over --resource, which wins over
	// --resource-type.
	resource := armResource
	switch {
	case c.has("--resource") && !c.has("--scope"):
		resource = c.str("--resource")
	case c.has("--scope"):
		scopes := c.list("--scope")
		if len(scopes) != 1 {
			return nil, clierrf("Only one scope is supported in miplay.")
		}
		resource = strings.TrimSuffix(scopes[0], ".default")
	case c.has("--resource-type"):
		switch c.str("--resource-type") {
		case "arm":
		case "ms-graph":
			resource = graphResource
		default:
			return nil, clierrf("--resource-type %s is not simulated in miplay.", c.str("--resource-type"))
		}
	}
	tok, err := c.token(resource)
	if err != nil {
		return nil, err
	}
	pr, _ := c.profile()
	exp := pr.tokens[resource].expires
	var sub, tenant string
	c.p.Cloud.Do(func(w *engine.World) { sub, tenant = w.Subscription.ID, w.Tenant.ID })
	return map[string]any{
		"accessToken":  tok,
		"expiresOn":    exp.Format("2006-01-02 15:04:05.000000"),
		"expires_on":   exp.Unix(),
		"subscription": sub,
		"tenant":       tenant,
		"tokenType":    "Bearer",
	}, nil
}
