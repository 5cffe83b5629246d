package rbac

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// Limits on custom roles, from azure-docs role-based-access-control/custom-roles.md.
const (
	maxRoleNameLen         = 512
	maxDescriptionLen      = 2048
	maxAssignableScopes    = 2000
	maxWildcardsInCustom   = 1 // "You can have only one wildcard in an action string."
	maxMgmtGroupsInCustom  = 1 // "You can define only one management group in AssignableScopes of a custom role."
	customRoleRootScopeMsg = `a custom role cannot be assignable at the root scope "/"`
)

// controlPlaneOnlyProviders are resource providers that have no data plane,
// so a dataActions entry naming one of them can never match anything.
//
// UNVERIFIED: ARM's own validation of dataActions is not documented; this
// list is miplay's choice, to catch a likely mix-up of the two planes.
var controlPlaneOnlyProviders = []string{
	"Microsoft.Authorization",
	"Microsoft.Management",
	"Microsoft.Resources",
	"Microsoft.Subscription",
	"Microsoft.Support",
}

// Validate reports whether d is a well-formed role definition, returning
// every problem found joined into one error, or nil.
//
// It checks that the role has a name, that its ID (if set) is a GUID, that
// it has at least one permission block and each block at least one action or
// data action, that every permission string is "*" or of the form
// {Company}.{Provider}/..., that data actions name a provider that has a data
// plane, and that the assignable scopes are valid. For custom roles (any
// RoleType other than BuiltInRole) it also applies Azure's custom role
// limits: a name of at most 512 characters, a description of at most 2048,
// at most one wildcard per permission string, no root scope "/" and at most
// one management group among at most 2000 assignable scopes.
func (d RoleDefinition) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("rbac: role %q: "+format, append([]any{d.RoleName}, args...)...))
	}
	custom := d.RoleType != BuiltInRole

	switch {
	case strings.TrimSpace(d.RoleName) == "":
		bad("the role name is empty")
	case custom && len([]rune(d.RoleName)) > maxRoleNameLen:
		bad("the role name is %d characters long; the limit is %d", len([]rune(d.RoleName)), maxRoleNameLen)
	}
	if custom && len([]rune(d.Description)) > maxDescriptionLen {
		bad("the description is %d characters long; the limit is %d", len([]rune(d.Description)), maxDescriptionLen)
	}
	if d.ID != "" && !isGUID(d.ID) {
		bad("the role id %q is not a GUID", d.ID)
	}
	switch d.RoleType {
	case "", BuiltInRole, CustomRole:
	default:
		bad("the role type %q is neither %q nor %q", d.RoleType, BuiltInRole, CustomRole)
	}

	if len(d.Permissions) == 0 {
		bad("it has no permissions block")
	}
	for i, p := range d.Permissions {
		if len(p.Actions) == 0 && len(p.DataActions) == 0 {
			bad("permissions[%d] has neither actions nor dataActions, so it grants nothing", i)
		}
		lists := []struct {
			name string
			list []string
			data bool
		}{
			{"actions", p.Actions, false},
			{"notActions", p.NotActions, false},
			{"dataActions", p.DataActions, true},
			{"notDataActions", p.NotDataActions, true},
		}
		for _, l := range lists {
			for j, s := range l.list {
				if msg := checkPermissionString(s, l.data, custom); msg != "" {
					bad("permissions[%d].%s[%d] %q: %s", i, l.name, j, s, msg)
				}
			}
		}
	}

	if len(d.AssignableScopes) == 0 {
		bad("it has no assignable scopes")
	}
	if custom && len(d.AssignableScopes) > maxAssignableScopes {
		bad("it has %d assignable scopes; the limit is %d", len(d.AssignableScopes), maxAssignableScopes)
	}
	groups := 0
	for i, s := range d.AssignableScopes {
		if err := ValidateScope(s); err != nil {
			bad("assignableScopes[%d]: %v", i, strings.TrimPrefix(err.Error(), "rbac: "))
			continue
		}
		switch Level(s) {
		case RootLevel:
			if custom {
				bad("assignableScopes[%d]: %s", i, customRoleRootScopeMsg)
			}
		case ManagementGroupLevel:
			groups++
		}
	}
	if custom && groups > maxMgmtGroupsInCustom {
		bad("it lists %d management groups in its assignable scopes; a custom role may list only one", groups)
	}
	return errors.Join(errs...)
}

// checkPermissionString returns what is wrong with one entry of actions,
// notActions, dataActions or notDataActions, or "".
func checkPermissionString(s string, data, custom bool) string {
	if s == "" {
		return "it is empty"
	}
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) || strings.ContainsRune(`"'\?#`, r) {
			return fmt.Sprintf("it contains %q", r)
		}
	}
	if custom && strings.Count(s, "*") > maxWildcardsInCustom {
		return "a custom role may use only one wildcard '*' in a permission string"
	}
	// UNVERIFIED: whether ARM rejects a leading '*' in dataActions is not
	// documented; miplay rejects it to catch a likely mix-up of the planes.
	const wildData = "a data action must name its resource provider (such as Microsoft.Storage); a leading '*' belongs in actions"
	if s == "*" {
		if data {
			return wildData
		}
		return ""
	}
	if strings.HasPrefix(s, "/") || strings.HasSuffix(s, "/") || strings.Contains(s, "//") {
		return "it has an empty path segment; write {Company}.{Provider}/{resourceType}/{operation}"
	}
	ns, rest, found := strings.Cut(s, "/")
	if !found || rest == "" {
		return "it names no resource type or operation; write {Company}.{Provider}/{resourceType}/{operation}"
	}
	if strings.Contains(ns, "*") {
		if data && strings.HasPrefix(ns, "*") {
			return wildData
		}
		return ""
	}
	if !validNamespace(ns) {
		return fmt.Sprintf("%q is not a resource provider namespace of the form {Company}.{Provider}, such as Microsoft.Storage", ns)
	}
	if data {
		for _, p := range controlPlaneOnlyProviders {
			if strings.EqualFold(ns, p) {
				return fmt.Sprintf("%s has no data plane; this belongs in actions", p)
			}
		}
	}
	return ""
}

// CheckAssignable reports whether the role may be assigned at scope: the
// scope must be valid and lie within one of the role's assignable scopes,
// and "custom roles with DataActions can't be assigned at the management
// group scope". Because the management group hierarchy is not visible in
// ids, the caller passes the scopes of the management groups above scope,
// if any.
func (d RoleDefinition) CheckAssignable(scope string, managementGroups ...string) error {
	if err := ValidateScope(scope); err != nil {
		return err
	}
	if d.RoleType != BuiltInRole && d.HasDataActions() && Level(scope) == ManagementGroupLevel {
		return fmt.Errorf("rbac: role %q has dataActions, so as a custom role it cannot be assigned at management group scope %q", d.RoleName, scope)
	}
	for _, s := range d.AssignableScopes {
		if ScopeContains(s, scope) {
			return nil
		}
		for _, mg := range managementGroups {
			if ScopeContains(s, mg) {
				return nil
			}
		}
	}
	return fmt.Errorf("rbac: role %q cannot be assigned at scope %q: it is assignable only at %s",
		d.RoleName, scope, strings.Join(quoteAll(d.AssignableScopes), ", "))
}

func quoteAll(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

// isGUID reports whether s has the 8-4-4-4-12 hexadecimal form of a GUID.
func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}
