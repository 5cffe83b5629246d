package azure

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/miplay/miplay/engine"
	"github.com/miplay/miplay/engine/rbac"
)

// Microsoft.Authorization: role assignments and role definitions, at any
// scope. Deny assignments, ABAC conditions and management groups are not
// simulated.

const (
	actRoleAssignmentsRead   = "Microsoft.Authorization/roleAssignments/read"
	actRoleAssignmentsWrite  = "Microsoft.Authorization/roleAssignments/write"
	actRoleAssignmentsDelete = "Microsoft.Authorization/roleAssignments/delete"
	actRoleDefinitionsRead   = "Microsoft.Authorization/roleDefinitions/read"
	actRoleDefinitionsWrite  = "Microsoft.Authorization/roleDefinitions/write"
)

const (
	assignmentsPath = "{scope}/providers/Microsoft.Authorization/roleAssignments"
	definitionsPath = "{scope}/providers/Microsoft.Authorization/roleDefinitions"
)

var authorizationRoutes = []armRoute{
	{Route: Route{Method: "GET", Path: assignmentsPath, APIVersions: authorizationAPI, Action: actRoleAssignmentsRead,
		Summary: "List role assignments at, above and below a scope; $filter: atScope() (at and above only), principalId eq '{id}', assignedTo('{id}') (az role assignment list)."}, scope: assignmentScope, serve: listAssignments},
	{Route: Route{Method: "GET", Path: assignmentsPath + "/{roleAssignmentName}", APIVersions: authorizationAPI, Action: actRoleAssignmentsRead,
		Summary: "Get a role assignment."}, scope: assignmentScope, serve: getAssignment},
	{Route: Route{Method: "PUT", Path: assignmentsPath + "/{roleAssignmentName}", APIVersions: authorizationAPI, Action: actRoleAssignmentsWrite,
		Summary: "Create a role assignment named by a GUID: properties {roleDefinitionId, principalId, principalType} (az role assignment create)."}, serve: putAssignment},
	{Route: Route{Method: "DELETE", Path: assignmentsPath + "/{roleAssignmentName}", APIVersions: authorizationAPI, Action: actRoleAssignmentsDelete,
		Summary: "Delete a role assignment: 200 with it, or 204 if there is none (az role assignment delete)."}, serve: deleteAssignment},
	{Route: Route{Method: "GET", Path: definitionsPath, APIVersions: authorizationAPI, Action: actRoleDefinitionsRead,
		Summary: "List role definitions; $filter: roleName eq '{name}', type eq 'BuiltInRole'|'CustomRole' (az role definition list, az role assignment create --role)."}, scope: definitionScope, serve: listDefinitions},
	{Route: Route{Method: "GET", Path: definitionsPath + "/{roleDefinitionId}", APIVersions: authorizationAPI, Action: actRoleDefinitionsRead,
		Summary: "Get a role definition by its GUID."}, scope: definitionScope, serve: getDefinition},
	{Route: Route{Method: "PUT", Path: definitionsPath + "/{roleDefinitionId}", APIVersions: authorizationAPI, Action: actRoleDefinitionsWrite,
		Summary: "Create a custom role: properties {roleName, description, permissions, assignableScopes} (az role definition create)."}, scope: definitionScope, serve: putDefinition},
}

// assignmentScope is where listing and reading role assignments is checked:
// the scope itself.
func assignmentScope(c *armCall) string { return c.p["scope"] }

// definitionScope is where reading role definitions is checked. Role
// definitions at the root are readable by everyone signed in.
func definitionScope(c *armCall) string {
	if c.p["scope"] == "/" && c.r.Method == http.MethodGet {
		return ""
	}
	return c.p["scope"]
}

// checkScope answers for a scope that does not exist: another
// subscription, a missing resource group or resource.
func (c *armCall) checkScope(scope string) bool {
	if scope == "/" {
		return true
	}
	if err := rbac.ValidateScope(scope); err != nil {
		// UNVERIFIED: ARM's wording for a malformed scope.
		c.armError(http.StatusBadRequest, "InvalidScope", strings.TrimPrefix(err.Error(), "rbac: "))
		return false
	}
	p, err := engine.ParseResourceID(scope)
	if err != nil {
		c.notSimulated(fmt.Sprintf("miplay has no management groups; the scope '%s' is not simulated.", scope))
		return false
	}
	if !strings.EqualFold(p.Subscription, c.world.Subscription.ID) {
		c.armError(http.StatusNotFound, "SubscriptionNotFound", fmt.Sprintf("The subscription '%s' could not be found.", p.Subscription))
		return false
	}
	if p.ResourceGroup == "" {
		return true
	}
	if _, err := c.world.ResourceGroup(p.ResourceGroup); err != nil {
		c.fail(err)
		return false
	}
	if p.Type == "" {
		return true
	}
	for _, r := range c.world.Resources() {
		if rbac.ScopeContains(r.ID, scope) {
			return true
		}
	}
	_, err = c.world.Resource(scope)
	c.fail(err)
	return false
}

// roleAssignmentJSON is a role assignment as ARM returns it.
type roleAssignmentJSON struct {
	Properties roleAssignmentProperties `json:"properties"`
	ID         string                   `json:"id"`
	Type       string                   `json:"type"`
	Name       string                   `json:"name"`
}

type roleAssignmentProperties struct {
	RoleDefinitionID                   string  `json:"roleDefinitionId"`
	PrincipalID                        string  `json:"principalId"`
	PrincipalType                      string  `json:"principalType"`
	Scope                              string  `json:"scope"`
	Condition                          *string `json:"condition"`
	ConditionVersion                   *string `json:"conditionVersion"`
	CreatedOn                          string  `json:"createdOn"`
	UpdatedOn                          string  `json:"updatedOn"`
	CreatedBy                          *string `json:"createdBy"`
	UpdatedBy                          *string `json:"updatedBy"`
	DelegatedManagedIdentityResourceID *string `json:"delegatedManagedIdentityResourceId"`
	Description                        *string `json:"description"`
}

// roleDefinitionID is the full ID of a role definition as seen from the
// world's subscription, the form roleDefinitionId takes.
func (c *armCall) roleDefinitionID(guid string) string {
	return "/subscriptions/" + c.world.Subscription.ID + "/providers/Microsoft.Authorization/roleDefinitions/" + guid
}

func (c *armCall) assignmentView(a rbac.Assignment) roleAssignmentJSON {
	by := c.assignmentCreator(a)
	return roleAssignmentJSON{
		Properties: roleAssignmentProperties{
			RoleDefinitionID: c.roleDefinitionID(a.RoleDefinitionID),
			PrincipalID:      a.PrincipalID,
			PrincipalType:    string(a.PrincipalType),
			Scope:            a.Scope,
			CreatedOn:        a.Created.UTC().Format(armTime7),
			UpdatedOn:        a.Created.UTC().Format(armTime7),
			CreatedBy:        by,
			UpdatedBy:        by,
		},
		ID: a.ID, Type: "Microsoft.Authorization/roleAssignments", Name: a.Name,
	}
}

// assignmentCreator finds who created an assignment: the principal whose
// roleAssignments/write was allowed in the same request. Assignments made
// by the world itself (the admin's Owner role) have none.
func (c *armCall) assignmentCreator(a rbac.Assignment) *string {
	events := c.world.Events(0)
	for i, e := range events {
		ra, ok := e.(*engine.RoleAssigned)
		if !ok || !strings.EqualFold(ra.ID, a.ID) {
			continue
		}
		for j := i - 1; j >= 0; j-- {
			switch x := events[j].(type) {
			case *engine.RequestServed:
				return nil
			case *engine.AccessChecked:
				if x.Decision.Allowed && strings.EqualFold(x.Decision.Request.Action, actRoleAssignmentsWrite) {
					id := x.Decision.Request.PrincipalID
					return &id
				}
			}
		}
		return nil
	}
	return nil
}

// assignmentFilter is the $filter of a role assignment list.
type assignmentFilter struct {
	atScope   bool
	principal string // principalId eq
	assignee  string // assignedTo
}

var (
	atScopeClause     = lazyRegexp(`(?i)^atScope\(\)$`)
	principalClause   = lazyRegexp(`(?i)^principalId\s+eq\s+'([^']*)'$`)
	assignedToClause  = lazyRegexp(`(?i)^assignedTo\('([^']*)'\)$`)
	roleNameClause    = lazyRegexp(`(?i)^roleName\s+eq\s+'((?:[^']|'')*)'$`)
	roleTypeClause    = lazyRegexp(`(?i)^type\s+eq\s+'([^']*)'$`)
	andSeparator      = lazyRegexp(`(?i)\s+and\s+`)
	unsupportedFilter = "The filter '%s' is not supported. Supported filters are either 'atScope()' or 'principalId eq '{value}' or assignedTo('{value}')'."
)

func parseAssignmentFilter(f string) (assignmentFilter, bool) {
	var af assignmentFilter
	if strings.TrimSpace(f) == "" {
		return af, true
	}
	for _, clause := range andSeparator().Split(strings.TrimSpace(f), -1) {
		switch {
		case atScopeClause().MatchString(clause):
			af.atScope = true
		case principalClause().MatchString(clause):
			af.principal = principalClause().FindStringSubmatch(clause)[1]
		case assignedToClause().MatchString(clause):
			af.assignee = assignedToClause().FindStringSubmatch(clause)[1]
		default:
			return af, false
		}
	}
	// "atScope() and principalId eq" cannot be combined (an ARM limitation
	// that azure-cli works around by filtering on its side).
	if af.principal != "" && (af.atScope || af.assignee != "") {
		return af, false
	}
	return af, true
}

func listAssignments(c *armCall) {
	scope := c.p["scope"]
	if !c.checkScope(scope) {
		return
	}
	f := c.r.URL.Query().Get("$filter")
	af, ok := parseAssignmentFilter(f)
	if !ok {
		// UNVERIFIED: wording.
		c.armError(http.StatusBadRequest, "UnsupportedQuery", fmt.Sprintf(unsupportedFilter, f))
		return
	}
	out := armList{Value: []any{}}
	for _, a := range c.world.RoleAssignments() {
		above := rbac.ScopeContains(a.Scope, scope)
		below := rbac.ScopeContains(scope, a.Scope)
		if !above && !(below && !af.atScope) {
			continue
		}
		// Groups are not modeled, so assignedTo matches the principal alone.
		if who := af.principal + af.assignee; who != "" && !strings.EqualFold(a.PrincipalID, who) {
			continue
		}
		out.Value = append(out.Value, c.assignmentView(a))
	}
	c.reply(http.StatusOK, out)
}

// assignmentByName finds an existing assignment by scope and name.
func (c *armCall) assignmentByName() (rbac.Assignment, bool) {
	id := rbac.AssignmentID(c.p["scope"], c.p["roleAssignmentName"])
	for _, a := range c.world.RoleAssignments() {
		if strings.EqualFold(a.ID, id) {
			return a, true
		}
	}
	return rbac.Assignment{}, false
}

func getAssignment(c *armCall) {
	if !c.checkScope(c.p["scope"]) {
		return
	}
	a, ok := c.assignmentByName()
	if !ok {
		c.armError(http.StatusNotFound, "RoleAssignmentNotFound", fmt.Sprintf("The role assignment '%s' is not found.", c.p["roleAssignmentName"]))
		return
	}
	c.reply(http.StatusOK, c.assignmentView(a))
}

// roleAssignmentBody is the body of a role assignment PUT.
type roleAssignmentBody struct {
	Properties struct {
		RoleDefinitionID string  `json:"roleDefinitionId"`
		PrincipalID      string  `json:"principalId"`
		PrincipalType    string  `json:"principalType"`
		Condition        *string `json:"condition"`
		Description      *string `json:"description"`
	} `json:"properties"`
}

func putAssignment(c *armCall) {
	var b roleAssignmentBody
	if !c.decode(&b) {
		return
	}
	scope := c.p["scope"]
	p := b.Properties
	switch {
	case p.RoleDefinitionID == "":
		// UNVERIFIED: wording.
		c.armError(http.StatusBadRequest, "InvalidRoleDefinitionId", "The role definition ID '' is not valid. Set properties.roleDefinitionId to /subscriptions/{subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/{roleDefinitionGuid}.")
		return
	case p.PrincipalID == "":
		// UNVERIFIED: wording.
		c.armError(http.StatusBadRequest, "InvalidPrincipalId", "A valid principal ID must be provided for role assignment.")
		return
	case p.Condition != nil && *p.Condition != "":
		c.notSimulated("miplay does not simulate ABAC conditions on role assignments; leave properties.condition out.")
		return
	}
	guid := p.RoleDefinitionID[strings.LastIndex(p.RoleDefinitionID, "/")+1:]
	def, ok := rbac.FindRole(c.world.RoleDefinitions(), guid)
	if !ok || !strings.EqualFold(def.ID, guid) {
		c.armError(http.StatusBadRequest, "RoleDefinitionDoesNotExist", fmt.Sprintf("The specified role definition with ID '%s' does not exist.", guid))
		return
	}
	if scope != "/" {
		if err := def.CheckAssignable(scope); err != nil {
			// UNVERIFIED: ARM's code and wording for a custom role assigned
			// outside its assignableScopes.
			c.armError(http.StatusForbidden, "RoleDefinitionNotAssignableAtScope", fmt.Sprintf("The role definition '%s' cannot be assigned at scope '%s': its assignable scopes are '%s'.", def.ID, scope, strings.Join(def.AssignableScopes, "', '")))
			return
		}
	}
	if !c.checkScope(scope) {
		return
	}
	a, isNew, err := c.world.AssignRoleNamed(c.p["roleAssignmentName"], scope, def.ID, p.PrincipalID, rbac.PrincipalType(p.PrincipalType))
	if err != nil {
		c.fail(err)
		return
	}
	if isNew {
		c.decide("Role '%s' assigned to %s %s at scope '%s' (allowed by the caller's roleAssignments/write).", def.RoleName, a.PrincipalType, a.PrincipalID, a.Scope)
	}
	c.reply(created(isNew), c.assignmentView(a))
}

func deleteAssignment(c *armCall) {
	a, ok := c.assignmentByName()
	if !ok {
		c.decide("Nothing to delete: no role assignment %s at %s.", c.p["roleAssignmentName"], c.p["scope"])
		c.replyEmpty(http.StatusNoContent)
		return
	}
	view := c.assignmentView(a)
	if _, err := c.world.DeleteRoleAssignment(a.ID); err != nil {
		c.fail(err)
		return
	}
	c.decide("Role assignment %s deleted; it stops taking effect after the propagation delay (%s).", a.ID, c.world.Propagation())
	c.reply(http.StatusOK, view)
}

// roleDefinitionJSON is a role definition as ARM returns it.
type roleDefinitionJSON struct {
	Properties roleDefinitionProperties `json:"properties"`
	ID         string                   `json:"id"`
	Type       string                   `json:"type"`
	Name       string                   `json:"name"`
}

type roleDefinitionProperties struct {
	RoleName         string            `json:"roleName"`
	Type             string            `json:"type"`
	Description      string            `json:"description"`
	AssignableScopes []string          `json:"assignableScopes"`
	Permissions      []rbac.Permission `json:"permissions"`
	CreatedOn        *string           `json:"createdOn"`
	UpdatedOn        *string           `json:"updatedOn"`
	CreatedBy        *string           `json:"createdBy"`
	UpdatedBy        *string           `json:"updatedBy"`
}

// definitionView renders a role definition as seen from scope: its ID is
// under the subscription for any scope in it, at the root otherwise.
func (c *armCall) definitionView(d rbac.RoleDefinition, scope string) roleDefinitionJSON {
	id := "/providers/Microsoft.Authorization/roleDefinitions/" + d.ID
	if scope != "/" {
		id = c.roleDefinitionID(d.ID)
	}
	perms := make([]rbac.Permission, len(d.Permissions))
	for i, p := range d.Permissions {
		perms[i] = rbac.Permission{Actions: nonNil(p.Actions), NotActions: nonNil(p.NotActions), DataActions: nonNil(p.DataActions), NotDataActions: nonNil(p.NotDataActions)}
	}
	out := roleDefinitionJSON{
		Properties: roleDefinitionProperties{RoleName: d.RoleName, Type: string(d.RoleType), Description: d.Description,
			AssignableScopes: nonNil(d.AssignableScopes), Permissions: perms},
		ID: id, Type: "Microsoft.Authorization/roleDefinitions", Name: d.ID,
	}
	// Built-in roles' own dates are not known to miplay; a custom role's
	// are when it was created here.
	// UNVERIFIED: the dates and authors ARM shows for built-in roles.
	for _, e := range c.world.Events(0) {
		if rc, ok := e.(*engine.RoleDefinitionCreated); ok && strings.EqualFold(rc.ID, d.ID) {
			t := e.Meta().At.UTC().Format(armTime7)
			out.Properties.CreatedOn, out.Properties.UpdatedOn = &t, &t
		}
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// visibleAt reports whether a role can be used at scope: built-in roles
// everywhere, custom roles where one of their assignable scopes is above
// or below the scope.
func visibleAt(d rbac.RoleDefinition, scope string) bool {
	if d.RoleType == rbac.BuiltInRole {
		return true
	}
	for _, s := range d.AssignableScopes {
		if rbac.ScopeContains(s, scope) || rbac.ScopeContains(scope, s) {
			return true
		}
	}
	return false
}

func listDefinitions(c *armCall) {
	scope := c.p["scope"]
	if !c.checkScope(scope) {
		return
	}
	f := strings.TrimSpace(c.r.URL.Query().Get("$filter"))
	var name, typ string
	if f != "" {
		for _, clause := range andSeparator().Split(f, -1) {
			switch {
			case roleNameClause().MatchString(clause):
				name = strings.ReplaceAll(roleNameClause().FindStringSubmatch(clause)[1], "''", "'")
			case roleTypeClause().MatchString(clause):
				typ = roleTypeClause().FindStringSubmatch(clause)[1]
			default:
				c.notSimulated(fmt.Sprintf("miplay does not simulate the role definition $filter '%s'; it supports roleName eq '...' and type eq '...'.", f))
				return
			}
		}
	}
	out := armList{Value: []any{}}
	for _, d := range c.world.RoleDefinitions() {
		if !visibleAt(d, scope) ||
			name != "" && !strings.EqualFold(d.RoleName, name) ||
			typ != "" && !strings.EqualFold(string(d.RoleType), typ) {
			continue
		}
		out.Value = append(out.Value, c.definitionView(d, scope))
	}
	c.reply(http.StatusOK, out)
}

func getDefinition(c *armCall) {
	scope := c.p["scope"]
	if !c.checkScope(scope) {
		return
	}
	guid := c.p["roleDefinitionId"]
	d, ok := rbac.FindRole(c.world.RoleDefinitions(), guid)
	if !ok || !strings.EqualFold(d.ID, guid) {
		c.armError(http.StatusNotFound, "RoleDefinitionDoesNotExist", fmt.Sprintf("The specified role definition with ID '%s' does not exist.", guid))
		return
	}
	c.reply(http.StatusOK, c.definitionView(d, scope))
}

func putDefinition(c *armCall) {
	var b struct {
		Properties struct {
			RoleName         string            `json:"roleName"`
			Description      string            `json:"description"`
			Permissions      []rbac.Permission `json:"permissions"`
			AssignableScopes []string          `json:"assignableScopes"`
		} `json:"properties"`
	}
	if !c.decode(&b) {
		return
	}
	scope := c.p["scope"]
	if !c.checkScope(scope) {
		return
	}
	guid := c.p["roleDefinitionId"]
	if _, ok := rbac.FindRole(c.world.RoleDefinitions(), guid); ok {
		c.notSimulated("miplay does not simulate updating a role definition; create a new custom role instead.")
		return
	}
	p := b.Properties
	d, err := c.world.CreateCustomRole(rbac.RoleDefinition{ID: guid, RoleName: p.RoleName, Description: p.Description, Permissions: p.Permissions, AssignableScopes: p.AssignableScopes})
	if err != nil {
		c.fail(err)
		return
	}
	c.reply(http.StatusCreated, c.definitionView(d, scope))
}
