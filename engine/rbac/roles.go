package rbac

import (
	"strings"
)

// Permission is one permissions block of a role definition.
//
// Actions - NotActions are the control-plane (Azure Resource Manager)
// operations the block grants; DataActions - NotDataActions are the
// data-plane operations. The two planes never mix: "*" in Actions grants no
// data action.
type Permission struct {
	Actions        []string `json:"actions"`
	NotActions     []string `json:"notActions"`
	DataActions    []string `json:"dataActions"`
	NotDataActions []string `json:"notDataActions"`
}

// RoleType says whether a role definition is built in or custom.
type RoleType string

// The role types Azure reports in a role definition's roleType property.
const (
	BuiltInRole RoleType = "BuiltInRole"
	CustomRole  RoleType = "CustomRole"
)

// RoleDefinition is an Azure role: a named collection of permissions and the
// scopes it may be assigned at.
//
// The JSON field names are those of az role definition list, except that the
// fully qualified id (see ResourceID) and the constant type are left out.
type RoleDefinition struct {
	ID               string       `json:"name"`             // the GUID (ARM "name"), e.g. 8e3af657-a8ff-443c-a75c-2fe8c4bcb635
	RoleName         string       `json:"roleName"`         // "Owner"
	Description      string       `json:"description"`      // Azure's description text
	RoleType         RoleType     `json:"roleType"`         // BuiltInRole or CustomRole
	Permissions      []Permission `json:"permissions"`      // usually exactly one block
	AssignableScopes []string     `json:"assignableScopes"` // ["/"] for built-ins
}

// roleDefinitionsPath is the provider path of role definition resources.
const roleDefinitionsPath = "/providers/Microsoft.Authorization/roleDefinitions/"

// ResourceID returns the fully qualified id of the role definition as seen
// from a subscription, /subscriptions/{subscriptionID}/providers/Microsoft.Authorization/roleDefinitions/{ID},
// which is the form az role assignment list prints as roleDefinitionId.
// With an empty subscriptionID it returns the tenant-level form
// /providers/Microsoft.Authorization/roleDefinitions/{ID}.
func (d RoleDefinition) ResourceID(subscriptionID string) string {
	if subscriptionID == "" {
		return roleDefinitionsPath + d.ID
	}
	return "/subscriptions/" + subscriptionID + roleDefinitionsPath + d.ID
}

// HasDataActions reports whether any permission block of the role lists a
// data action.
func (d RoleDefinition) HasDataActions() bool {
	for _, p := range d.Permissions {
		if len(p.DataActions) > 0 {
			return true
		}
	}
	return false
}

// Allows reports whether the role grants the action: a data action if
// dataAction is true, a control-plane action otherwise. It applies only this
// role's own NotActions or NotDataActions; it knows nothing of scopes or
// other roles.
func (d RoleDefinition) Allows(action string, dataAction bool) bool {
	return d.evaluate(action, dataAction).outcome == Grants
}

// roleMatch is how one role treats one action.
type roleMatch struct {
	outcome    Outcome // Grants, ExcludedByNot, ControlPlaneOnly, DataPlaneOnly or ActionNotInRole
	matchedBy  string  // the pattern that matched, if any
	excludedBy string  // the not-pattern that removed it, if any
}

// evaluate applies the role's permission blocks to an action. A block grants
// the action when one of its allow patterns matches and none of its
// not-patterns does; NotActions subtract only within their own block.
func (d RoleDefinition) evaluate(action string, dataAction bool) roleMatch {
	var excluded roleMatch
	for _, p := range d.Permissions {
		allow, deny := p.Actions, p.NotActions
		if dataAction {
			allow, deny = p.DataActions, p.NotDataActions
		}
		m := firstMatch(allow, action)
		if m == "" {
			continue
		}
		if n := firstMatch(deny, action); n != "" {
			if excluded.outcome == "" {
				excluded = roleMatch{outcome: ExcludedByNot, matchedBy: m, excludedBy: n}
			}
			continue
		}
		return roleMatch{outcome: Grants, matchedBy: m}
	}
	if excluded.outcome != "" {
		return excluded
	}
	// Not granted on the plane asked for. Say so when the other plane would
	// have matched: that is the classic Owner-cannot-read-blobs trap.
	for _, p := range d.Permissions {
		other := p.DataActions
		if dataAction {
			other = p.Actions
		}
		if m := firstMatch(other, action); m != "" {
			if dataAction {
				return roleMatch{outcome: ControlPlaneOnly, matchedBy: m}
			}
			return roleMatch{outcome: DataPlaneOnly, matchedBy: m}
		}
	}
	return roleMatch{outcome: ActionNotInRole}
}

// firstMatch returns the first pattern that matches action, or "".
func firstMatch(patterns []string, action string) string {
	for _, p := range patterns {
		if MatchAction(p, action) {
			return p
		}
	}
	return ""
}

// clone returns a deep copy of d whose nil permission lists are empty, so
// that they encode as [] rather than null, as Azure prints them.
func (d RoleDefinition) clone() RoleDefinition {
	c := d
	c.Permissions = make([]Permission, len(d.Permissions))
	for i, p := range d.Permissions {
		c.Permissions[i] = Permission{
			Actions:        cloneStrings(p.Actions),
			NotActions:     cloneStrings(p.NotActions),
			DataActions:    cloneStrings(p.DataActions),
			NotDataActions: cloneStrings(p.NotDataActions),
		}
	}
	c.AssignableScopes = cloneStrings(d.AssignableScopes)
	return c
}

func cloneStrings(s []string) []string {
	return append(make([]string, 0, len(s)), s...)
}

// FindRole returns the role whose name, GUID or fully qualified id is
// nameOrID, as az role assignment create --role accepts all three: "Storage
// Blob Data Reader" (any case), 2a2b9908-6ea1-4ae2-8e65-a410df84e7d1, or
// /subscriptions/{s}/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1
// (or the tenant-level /providers/Microsoft.Authorization/roleDefinitions/{guid}).
// An id wins over a name when both could match.
func FindRole(roles []RoleDefinition, nameOrID string) (RoleDefinition, bool) {
	key := strings.TrimSpace(nameOrID)
	if key == "" {
		return RoleDefinition{}, false
	}
	id := key
	if guid, ok := roleIDFromPath(key); ok {
		id = guid
	}
	for _, r := range roles {
		if r.ID != "" && strings.EqualFold(r.ID, id) {
			return r, true
		}
	}
	for _, r := range roles {
		if strings.EqualFold(r.RoleName, key) {
			return r, true
		}
	}
	return RoleDefinition{}, false
}

// roleIDFromPath extracts the GUID from a fully qualified role definition id
// such as /subscriptions/{s}/providers/Microsoft.Authorization/roleDefinitions/{guid}.
func roleIDFromPath(s string) (string, bool) {
	s = strings.TrimRight(s, "/")
	i := strings.LastIndex(s, "/")
	if i < 0 {
		return "", false
	}
	prefix, guid := s[:i+1], s[i+1:]
	if len(prefix) < len(roleDefinitionsPath) ||
		!strings.EqualFold(prefix[len(prefix)-len(roleDefinitionsPath):], roleDefinitionsPath) {
		return "", false
	}
	if owner := prefix[:len(prefix)-len(roleDefinitionsPath)]; owner != "" && ValidateScope(owner) != nil {
		return "", false
	}
	return guid, guid != ""
}

// LookupIn returns a RoleLookup that finds roles in the given list by GUID,
// case-insensitively, or by fully qualified role definition id. It indexes
// the list once; later changes to the slice are not seen.
func LookupIn(roles []RoleDefinition) RoleLookup {
	byID := make(map[string]RoleDefinition, len(roles))
	for _, r := range roles {
		if _, dup := byID[strings.ToLower(r.ID)]; !dup {
			byID[strings.ToLower(r.ID)] = r
		}
	}
	return func(roleID string) (RoleDefinition, bool) {
		if r, ok := byID[roleID]; ok {
			return r, true
		}
		if guid, ok := roleIDFromPath(roleID); ok {
			roleID = guid
		}
		r, ok := byID[strings.ToLower(roleID)]
		return r, ok
	}
}
