package shell

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/miplay/miplay/engine"
)

// az ad: service principals in Microsoft Graph. `az ad sp create-for-rbac`
// is the world without managed identities in one command: an app
// registration, its service principal, a client secret that lasts a year,
// and a role assignment. Whoever copies the secret is that app, until the
// secret expires and everything that used it stops.

// The Microsoft.Authorization api-versions azure-cli 2.6x pins.
const (
	adAssignmentAPI = "2022-04-01"
	adDefinitionAPI = "2022-05-01-preview"
)

// adCredentialWarning is azure-cli's CREDENTIAL_WARNING, printed by
// create-for-rbac and credential reset.
const adCredentialWarning = "The output includes credentials that you must protect. Be sure that you do not include these credentials in your code or check the credentials into your source control. For more information, see https://aka.ms/azadsp-cli"

func registerAzAD() {
	registerAz(
		&azCommand{
			Path:    "ad sp show",
			Summary: "Get the details of a service principal.",
			Args:    []azArg{{Names: []string{"--id"}, Required: true, Help: "Service principal name, or object id."}},
			Show:    true,
			Examples: []string{
				"$ az ad sp show --id $APP_ID --query id -o tsv",
				"$ az ad sp show --id $PRINCIPAL_ID --query servicePrincipalType -o tsv",
			},
			Run: func(c *azCall) (any, error) {
				id, err := c.resolveServicePrincipal(c.str("--id"))
				if err != nil {
					return nil, err
				}
				return c.adGraphShow("/servicePrincipals/" + url.PathEscape(id))
			},
		},
		&azCommand{
			Path:    "ad sp list",
			Summary: "List service principals.",
			Args: []azArg{
				{Names: []string{"--display-name"}, Help: "Object's display name or its prefix."},
				{Names: []string{"--filter"}, Help: "OData filter, e.g. --filter \"displayname eq 'test' and servicePrincipalType eq 'Application'\"."},
				{Names: []string{"--spn"}, Help: "Service principal name."},
				{Names: []string{"--all"}, Switch: true, Help: "List all entities, expect long delay if under a big organization."},
				{Names: []string{"--show-mine"}, Switch: true, NotSimulated: true, Help: "List entities owned by the current user."},
			},
			Examples: []string{
				"$ az ad sp list --display-name vm-web --query [].id -o tsv",
				"$ az ad sp list --filter \"servicePrincipalType eq 'ManagedIdentity'\" --query [].displayName -o tsv",
			},
			NotSimulated: "Owned objects (--show-mine).",
			Run:          azSPList,
		},
		&azCommand{
			Path:    "ad sp create-for-rbac",
			Summary: "Create an application and its associated service principal, optionally configure the service principal's RBAC role assignments.",
			Args: []azArg{
				{Names: []string{"--display-name", "--name", "-n"}, Help: "Display name of the service principal. If not present, default to azure-cli-%Y-%m-%d-%H-%M-%S where the suffix is the time of creation."},
				{Names: []string{"--role"}, Help: "Role of the service principal."},
				{Names: []string{"--scopes"}, Multi: true, Help: "Space-separated list of scopes the service principal's role assignment applies to."},
				{Names: []string{"--years"}, Help: "Number of years for which the credentials will be valid. Default: 1 year."},
				{Names: []string{"--create-cert"}, Switch: true, NotSimulated: true, Help: "Create a self-signed certificate to use for the credential."},
				{Names: []string{"--cert"}, NotSimulated: true, Help: "Certificate to use for credentials."},
				{Names: []string{"--keyvault"}, NotSimulated: true, Help: "Name or ID of a KeyVault to use for creating or retrieving certificates."},
				{Names: []string{"--json-auth", "--sdk-auth"}, AnyNumber: true, Choices: threeState, NotSimulated: true, Help: "Output service principal credential along with cloud endpoints in JSON format."},
			},
			Examples: []string{
				"$ az ad sp create-for-rbac -n app-reader --role Reader --scopes /subscriptions/$SUB/resourceGroups/rg-demo",
				"$ SECRET=$(az ad sp create-for-rbac -n app-ci --query password -o tsv)",
			},
			NotSimulated: "Certificate credentials and --json-auth. The secret is an application password that lasts --years (one year by default); once it expires, sign-in fails with AADSTS7000222.",
			Run:          azCreateForRBAC,
		},
		&azCommand{
			Path:    "ad sp credential reset",
			Summary: "Reset a service principal credential.",
			Args: []azArg{
				{Names: []string{"--id"}, Required: true, Help: "Service principal name, or object id."},
				{Names: []string{"--years"}, Help: "Number of years for which the credentials will be valid. Default: 1 year."},
				{Names: []string{"--append"}, Switch: true, Help: "Append the new credential instead of overwriting."},
				{Names: []string{"--display-name"}, Help: "Friendly name for the credential."},
				{Names: []string{"--end-date"}, Help: "Finer grain of expiry time if '--years' is insufficient, e.g. '2027-12-31T11:59:59+00:00' or '2299-12-31'."},
				{Names: []string{"--create-cert"}, Switch: true, NotSimulated: true, Help: "Create a self-signed certificate to use for the credential."},
				{Names: []string{"--cert"}, NotSimulated: true, Help: "Certificate to use for credentials."},
				{Names: []string{"--keyvault"}, NotSimulated: true, Help: "Name or ID of a KeyVault to use for creating or retrieving certificates."},
			},
			Examples: []string{
				"$ az ad sp credential reset --id $APP_ID --query password -o tsv",
				"$ az ad sp credential reset --id $APP_ID --years 2 --append",
			},
			NotSimulated: "Certificate credentials.",
			Run:          azSPCredentialReset,
		},
		&azCommand{
			Path:    "ad signed-in-user show",
			Summary: "Get the details for the currently logged-in user.",
			Show:    true,
			Examples: []string{
				"$ az ad signed-in-user show --query id -o tsv",
			},
			NotSimulated: "Signed in as a service principal or a managed identity there is no user: Microsoft Graph refuses /me, as it does in Azure.",
			Run: func(c *azCall) (any, error) {
				return c.adGraphShow("/me")
			},
		},
	)
}

// An adGraphError is a Microsoft Graph error as azure-cli prints it: the
// message alone (its role module turns a GraphError into a CLIError). In a
// show command a 404 exits 3 (show_exception_handler).
type adGraphError struct {
	status int
	msg    string
	show   bool
}

func (e *adGraphError) Error() string { return e.msg }
func (e *adGraphError) azExitCode() int {
	if e.show && e.status == http.StatusNotFound {
		return azExitNotFound
	}
	return azExitError
}

// adGraph calls Microsoft Graph v1.0 and words its errors as az does.
func (c *azCall) adGraph(method, path string, body any) (map[string]any, error) {
	out, err := c.graph(method, path, body)
	var svc *azServiceError
	if errors.As(err, &svc) {
		return nil, &adGraphError{status: svc.Status, msg: svc.Message, show: c.cmd.Show}
	}
	return out, err
}

func (c *azCall) adGraphShow(path string) (any, error) {
	return c.adGraph("GET", path, nil)
}

// adGraphList follows @odata.nextLink pages and returns every item, or the
// first max items when max > 0.
func (c *azCall) adGraphList(path string, max int) ([]any, error) {
	var out []any
	for path != "" {
		page, err := c.adGraph("GET", path, nil)
		if err != nil {
			return nil, err
		}
		out = append(out, listValue(page)...)
		if max > 0 && len(out) >= max {
			return out[:max], nil
		}
		next, _ := page["@odata.nextLink"].(string)
		path = strings.TrimPrefix(next, graphEndpoint+"/v1.0")
	}
	if out == nil {
		out = []any{}
	}
	return out, nil
}

// adFilter is "?$filter=…" as the Graph client in azure-cli encodes it.
func adFilter(f string) string {
	return "?$filter=" + url.QueryEscape(f)
}

// resolveServicePrincipal finds a principal's object ID as azure-cli's
// _resolve_service_principal does: by service principal name (the app ID
// is one), else a GUID is taken as an object ID.
func (c *azCall) resolveServicePrincipal(id string) (string, error) {
	list, err := c.adGraphList("/servicePrincipals"+adFilter("servicePrincipalNames/any(c:c eq '"+id+"')"), 0)
	if err != nil {
		return "", err
	}
	if len(list) > 0 {
		if sp, ok := list[0].(map[string]any); ok {
			if oid, _ := sp["id"].(string); oid != "" {
				return oid, nil
			}
		}
	}
	if engine.IsGUID(id) {
		return id, nil
	}
	return "", &adGraphError{status: http.StatusNotFound, msg: "Service principal '" + id + "' doesn't exist", show: c.cmd.Show}
}

func azSPList(c *azCall) (any, error) {
	var filters []string
	if f := c.str("--filter"); f != "" {
		filters = append(filters, f)
	}
	if spn := c.str("--spn"); spn != "" {
		filters = append(filters, "servicePrincipalNames/any(c:c eq '"+spn+"')")
	}
	if dn := c.str("--display-name"); dn != "" {
		filters = append(filters, "startswith(displayName,'"+dn+"')")
	}
	path := "/servicePrincipals"
	if len(filters) > 0 {
		path += adFilter(strings.Join(filters, " and "))
	}
	// get_graph_object_transformer('sp'): sorted by name, four columns.
	c.tableTransform("sort_by(@, &displayName)[].{DisplayName: displayName, Id: id, AppId: appId, CreatedDateTime: createdDateTime}")
	if len(filters) > 0 || c.has("--all") {
		return c.adGraphList(path, 0)
	}
	list, err := c.adGraphList(path, 101)
	if err != nil {
		return nil, err
	}
	if len(list) == 101 {
		c.warn("The result is not complete. You can still use '--all' to get all of them with long latency expected, or provide a filter through command arguments")
		list = list[:100]
	}
	return list, nil
}

// adGraphTime is azure-cli's _datetime_to_utc.
func adGraphTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

func (c *azCall) adYears() (int, error) {
	s := c.str("--years")
	if s == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, usagef("ERROR: argument --years: invalid int value: '%s'", s)
	}
	return n, nil
}

func (c *azCall) adTenant() string {
	if pr, err := c.profile(); err == nil && pr.Kind == "servicePrincipal" && pr.Tenant != "" && engine.IsGUID(pr.Tenant) {
		return pr.Tenant
	}
	var t string
	c.p.Cloud.Do(func(w *engine.World) { t = w.Tenant.ID })
	return t
}

func azCreateForRBAC(c *azCall) (any, error) {
	role, scopes := c.str("--role"), c.list("--scopes")
	if (role != "") != (len(scopes) > 0) {
		return nil, clierrf("Usage error: To create role assignments, specify both --role and --scopes.")
	}
	years, err := c.adYears()
	if err != nil {
		return nil, err
	}
	now := c.now()
	name := c.str("--display-name")
	var existingSP map[string]any
	if name == "" {
		name = "azure-cli-" + now.UTC().Format("2006-01-02-15-04-05")
	} else {
		sps, err := c.adGraphList("/servicePrincipals"+adFilter("displayName eq '"+name+"'"), 0)
		if err != nil {
			return nil, err
		}
		if len(sps) > 0 {
			existingSP, _ = sps[0].(map[string]any)
		}
	}

	// The application: an existing one of that name is patched.
	var app map[string]any
	apps, err := c.adGraphList("/applications"+adFilter("startswith(displayName,'"+name+"')"), 0)
	if err != nil {
		return nil, err
	}
	var same []map[string]any
	for _, a := range apps {
		if m, ok := a.(map[string]any); ok && m["displayName"] == name {
			same = append(same, m)
		}
	}
	switch {
	case len(same) > 1:
		return nil, clierrf("More than one application have the same display name '%s', please remove them first.", name)
	case len(same) == 1:
		app = same[0]
		c.warn("Found an existing application instance: (id) %s. We will patch it.", app["id"])
		// azure-cli then PATCHes the application with its display name, a
		// no-op without certificates; miplay's Graph does not serve PATCH
		// on applications, so the request is left out.
	default:
		if app, err = c.adGraph("POST", "/applications", map[string]any{"displayName": name, "keyCredentials": []any{}}); err != nil {
			return nil, err
		}
	}
	appObjectID, _ := app["id"].(string)
	appID, _ := app["appId"].(string)

	// Existing passwords go; a new one lasts the given years.
	if creds, ok := app["passwordCredentials"].([]any); ok {
		for _, cr := range creds {
			if m, ok := cr.(map[string]any); ok {
				if _, err := c.adGraph("POST", "/applications/"+appObjectID+"/removePassword", map[string]any{"keyId": m["keyId"]}); err != nil {
					return nil, err
				}
			}
		}
	}
	pw, err := c.adGraph("POST", "/applications/"+appObjectID+"/addPassword", map[string]any{"passwordCredential": map[string]any{
		"displayName": "rbac", "endDateTime": adGraphTime(now.AddDate(years, 0, 0)), "startDateTime": adGraphTime(now),
	}})
	if err != nil {
		return nil, err
	}
	password, _ := pw["secretText"].(string)

	sp := existingSP
	if sp == nil {
		if sp, err = c.adGraph("POST", "/servicePrincipals", map[string]any{"appId": appID, "accountEnabled": true}); err != nil {
			return nil, err
		}
	}
	spID, _ := sp["id"].(string)

	for _, scope := range scopes {
		c.warn("Creating '%s' role assignment under scope '%s'", role, scope)
		if err := c.adAssignRole(role, spID, scope); err != nil {
			var svc *azServiceError
			if errors.As(err, &svc) && svc.Status == http.StatusConflict && strings.Contains(svc.Message, "role assignment already exists") {
				c.warn("  Role assignment already exists.\n")
				continue
			}
			c.warn("  Role assignment creation failed.\n")
			return nil, err
		}
	}
	c.warn("%s", adCredentialWarning)
	return map[string]any{"appId": appID, "displayName": name, "password": password, "tenant": c.adTenant()}, nil
}

// adAssignRole creates a role assignment for a service principal
// as azure-cli's _create_role_assignment does: the role by name or ID,
// a new GUID as the assignment's name.
func (c *azCall) adAssignRole(role, principalID, scope string) error {
	roleID, err := c.adRoleID(role, scope)
	if err != nil {
		return err
	}
	var name string
	c.p.Cloud.Do(func(w *engine.World) { name = w.NewGUID() })
	_, err = c.arm("PUT", strings.TrimSuffix(scope, "/")+"/providers/Microsoft.Authorization/roleAssignments/"+name, adAssignmentAPI, map[string]any{
		"properties": map[string]any{"roleDefinitionId": roleID, "principalId": principalID, "principalType": "ServicePrincipal"},
	})
	return err
}

// adRoleID is azure-cli's _resolve_role_id: a GUID or a full ID as
// is, otherwise the role is looked up by name at the scope.
func (c *azCall) adRoleID(role, scope string) (string, error) {
	if strings.HasPrefix(role, "/") {
		return role, nil
	}
	if engine.IsGUID(role) {
		return c.subscriptionPath() + "/providers/Microsoft.Authorization/roleDefinitions/" + role, nil
	}
	out, err := c.arm("GET", strings.TrimSuffix(scope, "/")+"/providers/Microsoft.Authorization/roleDefinitions?$filter="+url.QueryEscape("roleName eq '"+role+"'"), adDefinitionAPI, nil)
	if err != nil {
		return "", err
	}
	defs := listValue(out)
	switch len(defs) {
	case 0:
		return "", clierrf("Role '%s' doesn't exist.", role)
	case 1:
		d, _ := defs[0].(map[string]any)
		id, _ := d["id"].(string)
		return id, nil
	}
	return "", clierrf("Multiple roles match the name '%s'. Please use the role definition ID instead.", role)
}

func azSPCredentialReset(c *azCall) (any, error) {
	if c.has("--years") && c.has("--end-date") {
		return nil, clierrf("usage error: --years | --end-date")
	}
	years, err := c.adYears()
	if err != nil {
		return nil, err
	}
	now := c.now()
	end := now.AddDate(years, 0, 0)
	if s := c.str("--end-date"); s != "" {
		t, ok := adEndDate(s)
		if !ok {
			return nil, clierrf("Unknown string format: %s", s)
		}
		end = t
	}
	id, err := c.resolveServicePrincipal(c.str("--id"))
	if err != nil {
		return nil, err
	}
	sp, err := c.adGraph("GET", "/servicePrincipals/"+url.PathEscape(id), nil)
	if err != nil {
		return nil, err
	}
	if !c.has("--append") {
		if creds, ok := sp["passwordCredentials"].([]any); ok {
			for _, cr := range creds {
				if m, ok := cr.(map[string]any); ok {
					if _, err := c.adGraph("POST", "/servicePrincipals/"+id+"/removePassword", map[string]any{"keyId": m["keyId"]}); err != nil {
						return nil, err
					}
				}
			}
		}
	}
	var displayName any
	if d := c.str("--display-name"); d != "" {
		displayName = d
	}
	pw, err := c.adGraph("POST", "/servicePrincipals/"+id+"/addPassword", map[string]any{"passwordCredential": map[string]any{
		"displayName": displayName, "endDateTime": adGraphTime(end), "startDateTime": adGraphTime(now),
	}})
	if err != nil {
		return nil, err
	}
	c.warn("%s", adCredentialWarning)
	appID, _ := sp["appId"].(string)
	password, _ := pw["secretText"].(string)
	return map[string]any{"appId": appID, "password": password, "tenant": c.adTenant()}, nil
}

// adEndDate reads --end-date as dateutil reads the forms az documents.
func adEndDate(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}
