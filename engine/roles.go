package engine

import (
	"fmt"
	"strings"
	"time"

	"github.com/miplay/miplay/engine/rbac"
)

// RoleDefinitions returns the built-in and custom roles.
func (w *World) RoleDefinitions() []rbac.RoleDefinition { return w.roles }

// Role finds a role by name, GUID or full definition ID, as `az role
// assignment create --role` accepts them.
func (w *World) Role(nameOrID string) (rbac.RoleDefinition, error) {
	if r, ok := rbac.FindRole(w.roles, nameOrID); ok {
		return r, nil
	}
	return rbac.RoleDefinition{}, &Fault{Status: 404, Code: "RoleDefinitionDoesNotExist", Message: fmt.Sprintf("Role '%s' doesn't exist.", nameOrID)}
}

func (w *World) roleByID(id string) (rbac.RoleDefinition, bool) { return rbac.FindRole(w.roles, id) }

// CreateCustomRole adds a custom role after checking it as Azure does.
func (w *World) CreateCustomRole(def rbac.RoleDefinition) (rbac.RoleDefinition, error) {
	def.RoleType = rbac.RoleType("CustomRole")
	if def.ID == "" {
		def.ID = w.ids.GUID()
	}
	if err := def.Validate(); err != nil {
		return rbac.RoleDefinition{}, &Fault{Status: 400, Code: "InvalidRoleDefinition", Message: err.Error()}
	}
	if _, ok := rbac.FindRole(w.roles, def.RoleName); ok {
		return rbac.RoleDefinition{}, &Fault{Status: 409, Code: "RoleDefinitionWithSameNameExists", Message: "A custom role with the same name already exists in this directory. Use a different name."}
	}
	w.roles = append(w.roles, def)
	w.record(&RoleDefinitionCreated{ID: def.ID, RoleName: def.RoleName})
	return def, nil
}

// RoleAssignments returns the assignments that exist now, orphaned ones
// included: deleting a principal does not delete its assignments.
func (w *World) RoleAssignments() []rbac.Assignment {
	var out []rbac.Assignment
	for _, a := range w.assignments {
		if a.Deleted.IsZero() {
			out = append(out, a)
		}
	}
	return out
}

// PrincipalName names the principal of an assignment the way `az role
// assignment list` does, and reports whether it still exists: an orphaned
// assignment's principal is "Identity not found" in the portal and has an
// empty principalName in the CLI.
func (w *World) PrincipalName(objectID string) (name string, kind string, exists bool) {
	if u, ok := w.UserByObjectID(objectID); ok {
		return u.UserPrincipalName, "User", true
	}
	if sp, ok := w.PrincipalByObjectID(objectID); ok && sp.Exists() {
		// The CLI prints a service principal's first servicePrincipalName: its app ID.
		return sp.AppID, "ServicePrincipal", true
	}
	return "", "Unknown", false
}

// AssignRole grants a role to a principal at a scope. The principal must
// exist unless its type is given (Azure then skips the directory lookup, to
// tolerate replication delay); assigning the same role to the same principal
// at the same scope again is a RoleAssignmentExists conflict.
func (w *World) AssignRole(scope, role, principalID string, principalType rbac.PrincipalType) (rbac.Assignment, error) {
	def, err := w.Role(role)
	if err != nil {
		return rbac.Assignment{}, err
	}
	if err := rbac.ValidateScope(scope); err != nil {
		return rbac.Assignment{}, &Fault{Status: 400, Code: "InvalidScope", Message: err.Error()}
	}
	if err := w.scopeExists(scope); err != nil {
		return rbac.Assignment{}, err
	}
	_, kind, exists := w.PrincipalName(principalID)
	if !exists && principalType == "" {
		return rbac.Assignment{}, &Fault{Status: 400, Code: "PrincipalNotFound", Message: fmt.Sprintf("Principal %s does not exist in the directory %s. Check that you have the correct principal ID. If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group.  See https://aka.ms/docs-principaltype", strings.ReplaceAll(principalID, "-", ""), w.Tenant.ID)}
	}
	if principalType == "" {
		principalType = rbac.PrincipalType(kind)
	}
	for _, a := range w.RoleAssignments() {
		if equalFold(a.PrincipalID, principalID) && equalFold(a.RoleDefinitionID, def.ID) && equalFold(strings.TrimSuffix(a.Scope, "/"), strings.TrimSuffix(scope, "/")) {
			return rbac.Assignment{}, &Fault{Status: 409, Code: "RoleAssignmentExists", Message: "The role assignment already exists."}
		}
	}
	return w.assignRole(scope, def, principalID, principalType, w.now), nil
}

func (w *World) assignRole(scope string, def rbac.RoleDefinition, principalID string, pt rbac.PrincipalType, created time.Time) rbac.Assignment {
	name := w.ids.GUID()
	a := rbac.Assignment{
		ID:               strings.TrimSuffix(scope, "/") + "/providers/Microsoft.Authorization/roleAssignments/" + name,
		Name:             name,
		Scope:            scope,
		RoleDefinitionID: def.ID,
		PrincipalID:      principalID,
		PrincipalType:    pt,
		Created:          created,
	}
	w.assignments = append(w.assignments, a)
	w.record(&RoleAssigned{ID: a.ID, PrincipalID: principalID, RoleName: def.RoleName, Scope: scope})
	return a
}

// scopeExists checks that the scope names something that exists: the
// subscription, a resource group, or a resource (or a child of one, such as
// a blob container).
func (w *World) scopeExists(scope string) error {
	if scope == "/" {
		return nil
	}
	p, err := ParseResourceID(scope)
	if err != nil {
		return &Fault{Status: 400, Code: "InvalidScope", Message: err.Error()}
	}
	if !equalFold(p.Subscription, w.Subscription.ID) {
		return &Fault{Status: 404, Code: "SubscriptionNotFound", Message: fmt.Sprintf("The subscription '%s' could not be found.", p.Subscription)}
	}
	if p.ResourceGroup == "" {
		return nil
	}
	if _, err := w.ResourceGroup(p.ResourceGroup); err != nil {
		return err
	}
	if p.Type == "" {
		return nil
	}
	for _, r := range w.resources {
		if rbac.ScopeContains(r.ID, scope) {
			return nil
		}
	}
	return notFound(p.Type, p.Name, p.ResourceGroup)
}

// DeleteRoleAssignment removes an assignment by ID. It keeps working for
// the propagation delay after.
func (w *World) DeleteRoleAssignment(id string) (rbac.Assignment, error) {
	for i := range w.assignments {
		a := &w.assignments[i]
		if a.Deleted.IsZero() && equalFold(a.ID, id) {
			a.Deleted = w.now
			w.record(&RoleAssignmentDeleted{ID: a.ID})
			return *a, nil
		}
	}
	return rbac.Assignment{}, &Fault{Status: 404, Code: "RoleAssignmentNotFound", Message: fmt.Sprintf("The role assignment '%s' is not found.", lastSegment(id))}
}

// Authorize decides whether a principal may perform an action on a scope,
// at the simulated now and with the world's propagation delay, and records
// the decision in the log. dataAction selects the data plane.
func (w *World) Authorize(principalID, action, scope string, dataAction bool) rbac.Decision {
	d := rbac.Authorize(rbac.Request{PrincipalID: principalID, Action: action, DataAction: dataAction, Scope: scope, At: w.now}, w.assignments, w.roleByID, w.opts.Propagation)
	w.record(&AccessChecked{Decision: d})
	return d
}
