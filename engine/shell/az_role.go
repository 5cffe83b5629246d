package shell

import (
	"encoding/json"
	"net/url"
	"sort"
	"strings"

	"github.com/miplay/miplay/engine"
)

// API versions of Microsoft.Authorization, as azure-cli 2.6x pins them.
const (
	roleAssignmentAPI = "2022-04-01"
	roleDefinitionAPI = "2022-05-01-preview"
)

const (
	roleAssignmentsPath = "/providers/Microsoft.Authorization/roleAssignments"
	roleDefinitionsPath = "/providers/Microsoft.Authorization/roleDefinitions"
)

// The principal types az maps Graph's @odata.type to.
var odataPrincipalType = map[string]string{
	"#microsoft.graph.user":             "User",
	"#microsoft.graph.servicePrincipal": "ServicePrincipal",
	"#microsoft.graph.group":            "Group",
}

func registerAzRole() {
	scopeHelp := "Scope at which the role assignment or definition applies to, e.g., /subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333, /subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333/resourceGroups/myGroup, or /subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333/resourceGroups/myGroup/providers/Microsoft.Compute/virtualMachines/myVM"
	groupArg := azArg{Names: []string{"--resource-group", "-g"}, Help: "Use it only if the role or assignment was added at the level of a resource group."}
	registerAz(
		&azCommand{
			Path:    "role assignment create",
			Summary: "Create a new role assignment for a user, group, or service principal.",
			Args: []azArg{
				{Names: []string{"--role"}, Required: true, Help: "Role name or id."},
				{Names: []string{"--scope"}, Required: true, Help: scopeHelp},
				{Names: []string{"--assignee"}, Help: "Represent a user or service principal. Supported format: object id, user sign-in name, or service principal name (its app ID). Resolved through Microsoft Graph."},
				{Names: []string{"--assignee-object-id"}, Help: "Use this parameter instead of '--assignee' to bypass Graph API invocation in case of insufficient privileges. This parameter only works with object ids for users, groups, service principals, and managed identities."},
				{Names: []string{"--assignee-principal-type"}, Choices: []string{"User", "Group", "ServicePrincipal", "ForeignGroup", "Device"}, Help: "Use with --assignee-object-id to avoid errors caused by propagation latency in Microsoft Graph."},
				{Names: []string{"--description"}, Help: "Description of role assignment."},
				{Names: []string{"--condition"}, NotSimulated: true, Help: "Condition under which the user can be granted permission."},
				{Names: []string{"--condition-version"}, NotSimulated: true, Help: "Version of the condition syntax."},
				{Names: []string{"--name"}, Help: "A GUID for the role assignment. It must be unique and different for each role assignment. If omitted, a new GUID is generated."},
			},
			Examples: []string{
				"$ az role assignment create --assignee $PRINCIPAL_ID --role \"Storage Blob Data Reader\" --scope $STORAGE_ID",
				"$ az role assignment create --assignee-object-id $PRINCIPAL_ID --assignee-principal-type ServicePrincipal --role Reader --scope /subscriptions/$SUB/resourceGroups/rg-demo",
			},
			NotSimulated: "Conditions (ABAC) and delegated managed identity assignments.",
			Run:          roleAssignmentCreate,
		},
		&azCommand{
			Path:    "role assignment list",
			Summary: "List role assignments. Without --all, only those exactly at the scope (default: the subscription) are listed.",
			Args: []azArg{
				{Names: []string{"--assignee"}, Help: "Represent a user or service principal: object id, sign-in name or service principal name."},
				{Names: []string{"--role"}, Help: "Role name or id."},
				{Names: []string{"--scope"}, Help: scopeHelp},
				groupArg,
				{Names: []string{"--all"}, Switch: true, Help: "Show all assignments under the current subscription."},
				{Names: []string{"--include-inherited"}, Switch: true, Help: "Include assignments applied on parent scopes."},
				{Names: []string{"--include-groups"}, Switch: true, NotSimulated: true, Help: "Include extra assignments to the groups of which the user is a member (transitively)."},
				{Names: []string{"--include-classic-administrators"}, Switch: true, NotSimulated: true, Help: "List default role assignments for subscription classic administrators, aka co-admins."},
				{Names: []string{"--fill-principal-name"}, Ignored: true, Help: "Fill principalName property with value from Microsoft Graph (default true)."},
				{Names: []string{"--fill-role-definition-name"}, Ignored: true, Help: "Fill roleDefinitionName property with role definition name (default true)."},
			},
			Examples: []string{
				"$ az role assignment list --all --assignee $PRINCIPAL_ID -o table",
				"$ az role assignment list --scope $STORAGE_ID --include-inherited --query \"[].{principal:principalName, role:roleDefinitionName}\" -o table",
			},
			Run: func(c *azCall) (any, error) {
				if c.has("--all") && (c.has("--scope") || c.has("--resource-group")) {
					return nil, clierrf("group or scope are not required when --all is used")
				}
				scope := ""
				if !c.has("--all") {
					var err error
					if scope, err = c.roleScope(); err != nil {
						return nil, err
					}
				}
				return c.listRoleAssignments(c.str("--assignee"), c.str("--role"), scope, c.has("--include-inherited"))
			},
			Table: tableOf(func(r map[string]any) map[string]any {
				return map[string]any{"Principal": r["principalName"], "Role": r["roleDefinitionName"], "Scope": r["scope"]}
			}, "Principal", "Role", "Scope"),
		},
		&azCommand{
			Path:    "role assignment delete",
			Summary: "Delete role assignments.",
			Args: []azArg{
				{Names: []string{"--ids"}, Multi: true, Help: "Space-separated role assignment ids."},
				{Names: []string{"--assignee"}, Help: "Represent a user or service principal: object id, sign-in name or service principal name."},
				{Names: []string{"--role"}, Help: "Role name or id."},
				{Names: []string{"--scope"}, Help: scopeHelp},
				groupArg,
				{Names: []string{"--include-inherited"}, Switch: true, Help: "Include assignments applied on parent scopes."},
				{Names: []string{"--yes", "-y"}, Switch: true, Help: "Currently no-op."},
			},
			Examples: []string{
				"$ az role assignment delete --assignee $PRINCIPAL_ID --role \"Storage Blob Data Reader\" --scope $STORAGE_ID",
				"$ az role assignment delete --ids $ASSIGNMENT_ID",
			},
			Run: roleAssignmentDelete,
		},
		&azCommand{
			Path:    "role definition list",
			Summary: "List role definitions.",
			Args: []azArg{
				{Names: []string{"--name", "-n"}, Help: "A role's name (exact, case-sensitive) or its GUID."},
				{Names: []string{"--custom-role-only"}, AnyNumber: true, Help: "Custom roles only (vs. build-in ones): alone or with true/false."},
				{Names: []string{"--scope"}, Help: scopeHelp},
				groupArg,
			},
			Examples: []string{
				"$ az role definition list --name \"Storage Blob Data Reader\" --query \"[].permissions[].dataActions\"",
				"$ az role definition list --custom-role-only -o table",
			},
			Run: func(c *azCall) (any, error) {
				scope, err := c.roleScope()
				if err != nil {
					return nil, err
				}
				defs, err := c.roleDefinitions(scope, "")
				if err != nil {
					return nil, err
				}
				name := c.str("--name")
				out := []any{}
				for _, d := range defs {
					if name != "" && d["name"] != name && d["roleName"] != name {
						continue
					}
					if flagValue(c, "--custom-role-only") && d["roleType"] != "CustomRole" {
						continue
					}
					out = append(out, d)
				}
				return out, nil
			},
			Table: tableOf(func(r map[string]any) map[string]any {
				return map[string]any{"Name": r["roleName"], "Type": r["roleType"], "Description": r["description"]}
			}, "Name", "Type", "Description"),
		},
		&azCommand{
			Path:    "role definition create",
			Summary: "Create a custom role definition.",
			Args: []azArg{
				{Names: []string{"--role-definition"}, Required: true, Help: "Description of a role as JSON, or a path to a file containing a JSON description (\"@file\" works too)."},
			},
			Examples: []string{
				"$ az role definition create --role-definition @reader-plus.json",
				"$ az role definition create --role-definition '{\"Name\": \"Blob Lister\", \"Description\": \"Lists blobs\", \"Actions\": [\"Microsoft.Storage/storageAccounts/blobServices/containers/read\"], \"DataActions\": [\"Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read\"], \"AssignableScopes\": [\"/subscriptions/'$SUB'\"]}'",
			},
			NotSimulated: "Conditions in permissions, and management group assignable scopes.",
			Run:          roleDefinitionCreate,
		},
		&azCommand{
			Path:    "role definition delete",
			Summary: "Delete a role definition. Not simulated in miplay: custom roles stay for the whole scenario.",
			Args: []azArg{
				{Names: []string{"--name", "-n"}, Required: true, Help: "The role's name (case-sensitive) or its GUID."},
				{Names: []string{"--custom-role-only"}, AnyNumber: true, Help: "Custom roles only (vs. build-in ones): alone or with true/false."},
				{Names: []string{"--scope"}, Help: scopeHelp},
				groupArg,
			},
			NotSimulated: "Deleting role definitions: miplay's ARM keeps custom roles for the whole scenario.",
			Run: func(c *azCall) (any, error) {
				return nil, clierrf("'az role definition delete' is not simulated in miplay: custom roles stay for the whole scenario.")
			},
		},
	)
}

// roleScope is az's _build_role_scope: --scope, or the resource group, or
// the subscription.
func (c *azCall) roleScope() (string, error) {
	scope, group := c.str("--scope"), c.str("--resource-group")
	if c.has("--scope") {
		if group != "" {
			return "", clierrf("Resource group \"%s\" is redundant because scope is supplied", group)
		}
		if strings.HasPrefix(scope, "/subscriptions/") {
			if _, err := engine.ParseResourceID(scope); err != nil || strings.HasSuffix(scope, "/") {
				return "", clierrf("Invalid scope. Please use --help to view the valid format.")
			}
		}
		return scope, nil
	}
	if group != "" {
		return c.subscriptionPath() + "/resourceGroups/" + group, nil
	}
	return c.subscriptionPath(), nil
}

var roleDefinitionIDPattern = lazyRegexp(`(?i)^/subscriptions/.+/providers/Microsoft.Authorization/roleDefinitions/`)

// resolveRoleID is az's _resolve_role_id: a full role definition ID as it
// is, a GUID under the subscription, or a name looked up at the scope.
func (c *azCall) resolveRoleID(role, scope string) (string, error) {
	if roleDefinitionIDPattern().MatchString(role) {
		return role, nil
	}
	if engine.IsGUID(role) {
		return c.subscriptionPath() + roleDefinitionsPath + "/" + role, nil
	}
	defs, err := c.roleDefinitions(scope, "roleName eq '"+role+"'")
	if err != nil {
		return "", err
	}
	var ids []string
	for _, d := range defs {
		if strings.EqualFold(jstr(d["roleName"]), role) {
			ids = append(ids, jstr(d["id"]))
		}
	}
	switch len(ids) {
	case 0:
		return "", clierrf("Role '%s' doesn't exist.", role)
	case 1:
		return ids[0], nil
	}
	return "", clierrf("More than one role matches the given name '%s'. Please pick a value from '%s'", role, quotePyList(ids))
}

// roleDefinitions lists the role definitions visible at a scope, in az's
// output shape.
func (c *azCall) roleDefinitions(scope, filter string) ([]map[string]any, error) {
	path := strings.TrimSuffix(scope, "/") + roleDefinitionsPath
	if filter != "" {
		path += "?$filter=" + url.QueryEscape(filter)
	}
	items, err := c.armList(path, roleDefinitionAPI)
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, 0, len(items))
	for _, it := range items {
		out = append(out, roleDefinitionOutput(it))
	}
	return out, nil
}

// roleDefinitionOutput is az's view of a role definition: the SDK model,
// properties flattened, properties.type as roleType.
func roleDefinitionOutput(arm map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range arm {
		if k != "properties" {
			out[k] = v
		}
	}
	if props, ok := arm["properties"].(map[string]any); ok {
		for k, v := range props {
			if k == "type" {
				k = "roleType"
			}
			out[k] = v
		}
	}
	for _, k := range []string{"assignableScopes", "createdBy", "createdOn", "description", "id", "name", "permissions", "roleName", "roleType", "type", "updatedBy", "updatedOn"} {
		if _, ok := out[k]; !ok {
			out[k] = nil
		}
	}
	out["createdOn"] = pyTime(out["createdOn"])
	out["updatedOn"] = pyTime(out["updatedOn"])
	if perms, ok := out["permissions"].([]any); ok {
		for _, p := range perms {
			if m, ok := p.(map[string]any); ok {
				for _, k := range []string{"actions", "notActions", "dataActions", "notDataActions"} {
					if m[k] == nil {
						m[k] = []any{}
					}
				}
				for _, k := range []string{"condition", "conditionVersion"} {
					if _, ok := m[k]; !ok {
						m[k] = nil
					}
				}
			}
		}
	}
	return out
}

// roleAssignmentOutput is az's view of a role assignment: the SDK model of
// api-version 2022-04-01, properties flattened, every attribute present.
func roleAssignmentOutput(arm map[string]any) map[string]any {
	out := flattenProperties(arm)
	for _, k := range []string{"condition", "conditionVersion", "createdBy", "createdOn", "delegatedManagedIdentityResourceId", "description", "id", "name", "principalId", "principalType", "roleDefinitionId", "scope", "type", "updatedBy", "updatedOn"} {
		if _, ok := out[k]; !ok {
			out[k] = nil
		}
	}
	out["createdOn"] = pyTime(out["createdOn"])
	out["updatedOn"] = pyTime(out["updatedOn"])
	return withResourceGroup(out).(map[string]any)
}

// putRoleAssignment creates a role assignment with a new name, as az does.
func (c *azCall) putRoleAssignment(scope, roleID, principalID, principalType, description string) (map[string]any, error) {
	return c.putRoleAssignmentNamed("", scope, roleID, principalID, principalType, description)
}

// putRoleAssignmentNamed creates a role assignment; an empty name is a new
// GUID.
func (c *azCall) putRoleAssignmentNamed(name, scope, roleID, principalID, principalType, description string) (map[string]any, error) {
	props := map[string]any{"roleDefinitionId": roleID, "principalId": principalID}
	if principalType != "" {
		props["principalType"] = principalType
	}
	if description != "" {
		props["description"] = description
	}
	if name == "" {
		name = c.newGUID()
	}
	return c.arm("PUT", strings.TrimSuffix(scope, "/")+roleAssignmentsPath+"/"+name, roleAssignmentAPI, map[string]any{"properties": props})
}

// newGUID takes the next GUID of the world's seed: az's uuid4() for a new
// role assignment's name, made deterministic.
func (c *azCall) newGUID() string {
	var g string
	c.p.Cloud.Do(func(w *engine.World) { g = w.NewGUID() })
	return g
}

func roleAssignmentCreate(c *azCall) (any, error) {
	assignee, objectID, ptype := c.str("--assignee"), c.str("--assignee-object-id"), c.str("--assignee-principal-type")
	if (assignee != "") == (objectID != "") {
		return nil, clierrf("usage error: --assignee STRING | --assignee-object-id GUID")
	}
	if ptype != "" && objectID == "" {
		return nil, clierrf("usage error: --assignee-object-id GUID --assignee-principal-type TYPE")
	}
	if assignee != "" {
		var err error
		if objectID, ptype, err = c.resolveAssignee(assignee, true); err != nil {
			return nil, err
		}
	} else if ptype == "" {
		c.warn("RBAC service might reject creating role assignment without --assignee-principal-type in the future. Better to specify --assignee-principal-type manually.")
		ptype = c.principalTypeOf(objectID)
	} else {
		ptype = canonicalChoice(ptype, []string{"User", "Group", "ServicePrincipal", "ForeignGroup", "Device"})
	}
	scope, err := c.roleScope()
	if err != nil {
		return nil, err
	}
	roleID, err := c.resolveRoleID(c.str("--role"), scope)
	if err != nil {
		return nil, err
	}
	out, err := c.putRoleAssignmentNamed(c.str("--name"), scope, roleID, objectID, ptype, c.str("--description"))
	if svc, ok := err.(*azServiceError); ok && svc.Code == "RoleAssignmentExists" {
		// az is idempotent here: it lists what exists and prints the first.
		list, lerr := c.listRoleAssignments(assignee, c.str("--role"), scope, false)
		if lerr != nil {
			return nil, lerr
		}
		if len(list) == 0 {
			return nil, err
		}
		return list[0], nil
	}
	if err != nil {
		return nil, err
	}
	return roleAssignmentOutput(out), nil
}

func canonicalChoice(v string, choices []string) string {
	for _, ch := range choices {
		if strings.EqualFold(ch, v) {
			return ch
		}
	}
	return v
}

// graphErrorWarning is what az warns when Graph refuses a lookup.
func (c *azCall) graphErrorWarning(assignee string) {
	c.warn("Failed to query %s by invoking Graph API. If you don't have permission to query Graph API, please specify --assignee-object-id and --assignee-principal-type.", assignee)
}

// resolveAssignee is az's _resolve_object_id_and_type: a sign-in name, a
// service principal name (its app ID), or an object ID, looked up in
// Microsoft Graph. With fallback, a GUID Graph cannot be asked about is
// taken as an object ID.
func (c *azCall) resolveAssignee(assignee string, fallback bool) (string, string, error) {
	oid, ptype, err := c.lookupAssignee(assignee)
	if err == nil {
		return oid, ptype, nil
	}
	svc, ok := err.(*azServiceError)
	if !ok {
		return "", "", err
	}
	c.graphErrorWarning(assignee)
	if fallback && engine.IsGUID(assignee) {
		c.warn("Assuming %s as an object ID.", assignee)
		return assignee, "", nil
	}
	return "", "", clierrf("%s", svc.Message)
}

func (c *azCall) lookupAssignee(assignee string) (string, string, error) {
	if strings.Contains(assignee, "@") {
		out, err := c.graph("GET", "/users?$filter="+url.QueryEscape("userPrincipalName eq '"+assignee+"'"), nil)
		if err != nil {
			return "", "", err
		}
		if v := listValue(out); len(v) > 0 {
			return jstr(v[0].(map[string]any)["id"]), "User", nil
		}
	}
	out, err := c.graph("GET", "/servicePrincipals?$filter="+url.QueryEscape("servicePrincipalNames/any(c:c eq '"+assignee+"')"), nil)
	if err != nil {
		return "", "", err
	}
	if v := listValue(out); len(v) > 0 {
		return jstr(v[0].(map[string]any)["id"]), "ServicePrincipal", nil
	}
	if engine.IsGUID(assignee) {
		objs, err := c.objectsByIDs([]string{assignee})
		if err != nil {
			return "", "", err
		}
		if len(objs) > 0 {
			return jstr(objs[0]["id"]), odataPrincipalType[jstr(objs[0]["@odata.type"])], nil
		}
	}
	return "", "", clierrf("Cannot find user or service principal in graph database for '%s'. If the assignee is an appId, make sure the corresponding service principal is created with 'az ad sp create --id %s'.", assignee, assignee)
}

// principalTypeOf asks Graph what kind of object an object ID is, as az
// does for --assignee-object-id without --assignee-principal-type.
func (c *azCall) principalTypeOf(objectID string) string {
	objs, err := c.objectsByIDs([]string{objectID})
	if err != nil {
		c.warn("Failed to query --assignee-principal-type for --assignee-object-id %s by invoking Graph API.", objectID)
		return ""
	}
	if len(objs) > 0 {
		return odataPrincipalType[jstr(objs[0]["@odata.type"])]
	}
	return ""
}

// objectsByIDs is Graph's directoryObjects/getByIds.
func (c *azCall) objectsByIDs(ids []string) ([]map[string]any, error) {
	body := map[string]any{"ids": ids, "types": []string{"user", "group", "servicePrincipal", "directoryObjectPartnerReference"}}
	out, err := c.graph("POST", "/directoryObjects/getByIds", body)
	if err != nil {
		return nil, err
	}
	return listObjects(out), nil
}

// displayableName is az's _get_displayable_name for a directory object.
func displayableName(obj map[string]any) string {
	if upn := jstr(obj["userPrincipalName"]); upn != "" {
		return upn
	}
	if spns, ok := obj["servicePrincipalNames"].([]any); ok && len(spns) > 0 {
		return jstr(spns[0])
	}
	return jstr(obj["displayName"])
}

// searchRoleAssignments is az's _search_role_assignments: the assignments
// at a scope (and, with inherited, above it), or in the whole subscription
// when scope is empty, filtered by role and assignee.
func (c *azCall) searchRoleAssignments(assignee, role, scope string, inherited bool) ([]map[string]any, error) {
	var objectID string
	if assignee != "" {
		var err error
		if objectID, _, err = c.resolveAssignee(assignee, true); err != nil {
			return nil, err
		}
	}
	var path string
	switch {
	case scope != "":
		path = strings.TrimSuffix(scope, "/") + roleAssignmentsPath + "?$filter=" + url.QueryEscape("atScope()")
	case objectID != "":
		path = c.subscriptionPath() + roleAssignmentsPath + "?$filter=" + url.QueryEscape("principalId eq '"+objectID+"'")
	default:
		path = c.subscriptionPath() + roleAssignmentsPath
	}
	items, err := c.armList(path, roleAssignmentAPI)
	if err != nil {
		return nil, err
	}
	var roleID string
	if role != "" && len(items) > 0 {
		if roleID, err = c.resolveRoleID(role, scopeOr(scope, c.subscriptionPath())); err != nil {
			return nil, err
		}
	}
	var out []map[string]any
	for _, it := range items {
		a := roleAssignmentOutput(it)
		as := jstr(a["scope"])
		if scope != "" && !strings.EqualFold(as, scope) && !(inherited && scopeIsAncestor(as, scope)) {
			continue
		}
		if roleID != "" && !strings.EqualFold(lastIDSegment(jstr(a["roleDefinitionId"])), lastIDSegment(roleID)) {
			continue
		}
		if objectID != "" && !strings.EqualFold(jstr(a["principalId"]), objectID) {
			continue
		}
		out = append(out, a)
	}
	return out, nil
}

func scopeOr(scope, def string) string {
	if scope == "" {
		return def
	}
	return scope
}

// scopeIsAncestor reports whether parent is scope or one of its parents.
// az matches it as a regular expression against the start of scope.
func scopeIsAncestor(parent, scope string) bool {
	p := strings.ToLower(strings.TrimSuffix(parent, "/"))
	s := strings.ToLower(scope)
	return p == "" || p == "/" || s == p || strings.HasPrefix(s, p+"/")
}

func lastIDSegment(id string) string {
	id = strings.TrimSuffix(id, "/")
	return id[strings.LastIndex(id, "/")+1:]
}

// listRoleAssignments is az role assignment list: the search, then the
// role definition names and the principals' names filled in. A principal
// Graph no longer knows (a deleted identity) gets an empty principalName.
func (c *azCall) listRoleAssignments(assignee, role, scope string, inherited bool) ([]any, error) {
	found, err := c.searchRoleAssignments(assignee, role, scope, inherited)
	if err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return []any{}, nil
	}
	defs, err := c.roleDefinitions(scopeOr(scope, c.subscriptionPath()), "")
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, d := range defs {
		names[strings.ToLower(jstr(d["name"]))] = jstr(d["roleName"])
	}
	for _, a := range found {
		if n, ok := names[strings.ToLower(lastIDSegment(jstr(a["roleDefinitionId"])))]; ok {
			a["roleDefinitionName"] = n
		} else {
			a["roleDefinitionName"] = nil
		}
	}
	var ids []string
	seen := map[string]bool{}
	for _, a := range found {
		if pid := jstr(a["principalId"]); pid != "" && !seen[strings.ToLower(pid)] {
			seen[strings.ToLower(pid)] = true
			ids = append(ids, pid)
		}
	}
	sort.Strings(ids)
	if len(ids) > 0 {
		// A failure to resolve names does not fail the listing.
		if objs, err := c.objectsByIDs(ids); err == nil {
			byID := map[string]string{}
			for _, o := range objs {
				byID[strings.ToLower(jstr(o["id"]))] = displayableName(o)
			}
			for _, a := range found {
				a["principalName"] = byID[strings.ToLower(jstr(a["principalId"]))]
			}
		}
	}
	out := make([]any, len(found))
	for i, a := range found {
		out[i] = a
	}
	return out, nil
}

func roleAssignmentDelete(c *azCall) (any, error) {
	if ids := c.list("--ids"); len(ids) > 0 {
		if c.has("--assignee") || c.has("--role") || c.has("--resource-group") || c.has("--scope") || c.has("--include-inherited") {
			return nil, clierrf("When assignment ids are used, other parameter values are not required")
		}
		for _, id := range ids {
			if _, err := c.arm("DELETE", id, roleAssignmentAPI, nil); err != nil {
				return nil, err
			}
		}
		return nil, nil
	}
	if !c.has("--assignee") && !c.has("--role") && !c.has("--resource-group") && !c.has("--scope") && !c.has("--yes") {
		return nil, clierrf("Unable to prompt for confirmation as no tty available. Use --yes.")
	}
	scope, err := c.roleScope()
	if err != nil {
		return nil, err
	}
	found, err := c.searchRoleAssignments(c.str("--assignee"), c.str("--role"), scope, c.has("--include-inherited"))
	if err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return nil, clierrf("No matched assignments were found to delete")
	}
	for _, a := range found {
		if _, err := c.arm("DELETE", jstr(a["id"]), roleAssignmentAPI, nil); err != nil {
			return nil, err
		}
	}
	return nil, nil
}

// roleDefinitionCreate is az role definition create: the JSON (inline, a
// file, or @file), camel-cased, sent as a new custom role.
func roleDefinitionCreate(c *azCall) (any, error) {
	raw := c.str("--role-definition")
	text := raw
	if name, ok := strings.CutPrefix(raw, "@"); ok {
		b, err := c.p.ReadFile(name)
		if err != nil {
			return nil, clierrf("[Errno 2] No such file or directory: '%s'", name)
		}
		text = string(b)
	} else if !strings.HasPrefix(strings.TrimSpace(raw), "{") {
		// az takes a value that names an existing file as that file.
		if b, err := c.p.ReadFile(raw); err == nil {
			text = string(b)
		}
	}
	var def map[string]any
	if err := json.Unmarshal([]byte(text), &def); err != nil {
		var other any
		if json.Unmarshal([]byte(text), &other) == nil {
			return nil, clierrf("Invalid role definition. A valid dictionary JSON representation is expected.")
		}
		return nil, clierrf("Failed to parse string as JSON:\n%s\nError detail: %s", text, err)
	}
	for k, v := range def {
		if k != "" && k[:1] != strings.ToLower(k[:1]) {
			delete(def, k)
			def[strings.ToLower(k[:1])+k[1:]] = v
		}
	}
	roleName := jstr(def["name"])
	if roleName == "" {
		return nil, clierrf("please provide role name")
	}
	scopes, _ := def["assignableScopes"].([]any)
	if len(scopes) == 0 {
		return nil, clierrf("please provide 'assignableScopes'")
	}
	perm := map[string]any{}
	for _, k := range []string{"actions", "notActions", "dataActions", "notDataActions"} {
		if v, ok := def[k]; ok && v != nil {
			perm[k] = v
		} else {
			perm[k] = []any{}
		}
	}
	props := map[string]any{
		"roleName":         roleName,
		"type":             "CustomRole",
		"permissions":      []any{perm},
		"assignableScopes": scopes,
	}
	if d, ok := def["description"]; ok {
		props["description"] = d
	}
	scope := jstr(scopes[0])
	out, err := c.arm("PUT", strings.TrimSuffix(scope, "/")+roleDefinitionsPath+"/"+c.newGUID(), roleDefinitionAPI, map[string]any{"properties": props})
	if err != nil {
		return nil, err
	}
	return roleDefinitionOutput(out), nil
}

// str returns v if it is a string, else "".
func jstr(v any) string {
	s, _ := v.(string)
	return s
}

// tableOf makes a table transformer that turns each object of a list into
// a row with the given columns.
func tableOf(row func(map[string]any) map[string]any, columns ...string) func(any) (any, []string) {
	return func(result any) (any, []string) {
		list, ok := result.([]any)
		if !ok {
			list = []any{result}
		}
		out := make([]any, 0, len(list))
		for _, x := range list {
			if m, ok := x.(map[string]any); ok {
				out = append(out, row(m))
			}
		}
		return out, columns
	}
}
