package rbac

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// ScopeLevel is one of the levels at which Azure RBAC assigns roles.
type ScopeLevel string

// The scope levels, broadest first. "Lower levels inherit role permissions
// from higher levels."
const (
	RootLevel            ScopeLevel = "root"            // "/"
	ManagementGroupLevel ScopeLevel = "managementGroup" // /providers/Microsoft.Management/managementGroups/{id}
	SubscriptionLevel    ScopeLevel = "subscription"    // /subscriptions/{id}
	ResourceGroupLevel   ScopeLevel = "resourceGroup"   // /subscriptions/{id}/resourceGroups/{rg}
	ResourceLevel        ScopeLevel = "resource"        // .../providers/{ns}/{type}/{name}[/{type}/{name}...]
)

// Level returns the level of a scope, or "" if ValidateScope rejects it.
func Level(scope string) ScopeLevel {
	if ValidateScope(scope) != nil {
		return ""
	}
	segs := scopeSegments(scope)
	switch {
	case len(segs) == 0:
		return RootLevel
	case strings.EqualFold(segs[0], "providers"):
		return ManagementGroupLevel
	case len(segs) == 2:
		return SubscriptionLevel
	case len(segs) == 4 && strings.EqualFold(segs[2], "resourceGroups"):
		return ResourceGroupLevel
	}
	return ResourceLevel
}

// ScopeContains reports whether scope is the resource itself or an ancestor
// of it, that is, whether a role assigned at scope applies to resource.
//
// "/" contains everything, and /subscriptions/s contains
// /subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1.
// The comparison ignores case, as ARM does, and works on whole path segments,
// so resource group "app" does not contain resource group "app2". Trailing
// slashes are ignored. An empty scope contains nothing.
//
// The nesting of management groups and subscriptions is not visible in their
// ids, so a management group contains only ids under its own path; Authorize
// takes the management groups above a resource from Request.ManagementGroups.
func ScopeContains(scope, resource string) bool {
	if scope == "" {
		return false
	}
	s := strings.TrimRight(scope, "/")
	if s == "" {
		return true
	}
	r := strings.TrimRight(resource, "/")
	if len(r) < len(s) || !strings.EqualFold(r[:len(s)], s) {
		return false
	}
	return len(r) == len(s) || r[len(s)] == '/'
}

// scopeSegments splits a scope into its path segments; "/" has none.
func scopeSegments(scope string) []string {
	s := strings.Trim(scope, "/")
	if s == "" {
		return nil
	}
	return strings.Split(s, "/")
}

// ValidateScope reports whether scope is a well-formed Azure RBAC scope:
//
//	/
//	/providers/Microsoft.Management/managementGroups/{groupId}
//	/subscriptions/{subscriptionId}
//	/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}
//	/subscriptions/{subscriptionId}[/resourceGroups/{resourceGroup}]/providers/{namespace}/{type}/{name}[/{type}/{name}...]
//
// A resource may be followed by an extension resource,
// .../providers/{namespace}/{type}/{name}. Keywords ignore case and a
// trailing slash is allowed. The error says what is wrong.
func ValidateScope(scope string) error {
	if scope == "" {
		return errors.New(`rbac: empty scope (the root scope is "/")`)
	}
	if scope[0] != '/' {
		return scopeError(scope, "a scope must start with '/'")
	}
	if strings.TrimRight(scope, "/") == "" {
		return nil
	}
	segs := strings.Split(strings.TrimRight(scope, "/")[1:], "/")
	for _, seg := range segs {
		if seg == "" {
			return scopeError(scope, "it contains an empty path segment ('//')")
		}
		if strings.Contains(seg, "*") {
			return scopeError(scope, "a scope cannot contain the wildcard '*'")
		}
		if strings.TrimSpace(seg) != seg {
			return scopeError(scope, fmt.Sprintf("path segment %q has leading or trailing spaces", seg))
		}
	}
	switch {
	case strings.EqualFold(segs[0], "subscriptions"):
		if len(segs) < 2 {
			return scopeError(scope, "missing subscription id after 'subscriptions'")
		}
		rest := segs[2:]
		if len(rest) > 0 && strings.EqualFold(rest[0], "resourceGroups") {
			if len(rest) < 2 {
				return scopeError(scope, "missing resource group name after 'resourceGroups'")
			}
			if msg := checkResourceGroupName(rest[1]); msg != "" {
				return scopeError(scope, msg)
			}
			rest = rest[2:]
		}
		return checkProviders(scope, rest)
	case strings.EqualFold(segs[0], "providers"):
		if len(segs) >= 3 && strings.EqualFold(segs[1], "Microsoft.Management") && strings.EqualFold(segs[2], "managementGroups") {
			switch len(segs) {
			case 3:
				return scopeError(scope, "missing management group id after 'managementGroups'")
			case 4:
				return nil
			}
			return scopeError(scope, "nothing may follow the management group id")
		}
		return scopeError(scope, "the only scope under /providers is a management group, /providers/Microsoft.Management/managementGroups/{groupId}")
	case strings.EqualFold(segs[0], "resourceGroups"):
		return scopeError(scope, "a resource group scope starts with /subscriptions/{subscriptionId}")
	}
	return scopeError(scope, fmt.Sprintf("unexpected %q: a scope is \"/\", or starts with /subscriptions/{subscriptionId} or /providers/Microsoft.Management/managementGroups/{groupId}", segs[0]))
}

// checkProviders validates the resource part of a scope: zero or more
// providers/{namespace}/{type}/{name}[/{type}/{name}...] groups.
func checkProviders(scope string, rest []string) error {
	for len(rest) > 0 {
		if !strings.EqualFold(rest[0], "providers") {
			return scopeError(scope, fmt.Sprintf("expected 'providers' or the end of the scope, found %q", rest[0]))
		}
		if len(rest) < 2 {
			return scopeError(scope, "missing resource provider namespace after 'providers'")
		}
		if !validNamespace(rest[1]) {
			return scopeError(scope, fmt.Sprintf("resource provider namespace %q is not of the form {Company}.{Provider}, such as Microsoft.Storage", rest[1]))
		}
		ns := rest[1]
		rest = rest[2:]
		if len(rest) == 0 {
			return scopeError(scope, fmt.Sprintf("missing resource type and name after %q", ns))
		}
		for pairs := 0; len(rest) > 0; pairs++ {
			if pairs > 0 && strings.EqualFold(rest[0], "providers") {
				break // an extension resource follows
			}
			if len(rest) < 2 {
				return scopeError(scope, fmt.Sprintf("resource type %q has no resource name after it", rest[0]))
			}
			rest = rest[2:]
		}
	}
	return nil
}

// validNamespace reports whether s looks like a resource provider namespace:
// two or more dot-separated words of letters and digits.
func validNamespace(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) < 2 {
		return false
	}
	for _, p := range parts {
		if p == "" {
			return false
		}
		for _, r := range p {
			if !(r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r))) {
				return false
			}
		}
	}
	return true
}

// checkResourceGroupName applies Azure's resource group naming rules: 1 to
// 90 letters, digits, underscores, parentheses, hyphens and periods, not
// ending in a period. It returns what is wrong, or "".
func checkResourceGroupName(name string) string {
	if n := len([]rune(name)); n > 90 {
		return fmt.Sprintf("resource group name %q is %d characters long; the limit is 90", name, n)
	}
	for _, r := range name {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("_()-.", r)) {
			return fmt.Sprintf("resource group name %q contains %q; only letters, digits, '_', '(', ')', '-' and '.' are allowed", name, r)
		}
	}
	if strings.HasSuffix(name, ".") {
		return fmt.Sprintf("resource group name %q ends in a period", name)
	}
	return ""
}

func scopeError(scope, problem string) error {
	return fmt.Errorf("rbac: invalid scope %q: %s", scope, problem)
}

// AssignmentID returns the resource id of a role assignment named name at
// scope: {scope}/providers/Microsoft.Authorization/roleAssignments/{name}.
func AssignmentID(scope, name string) string {
	return strings.TrimRight(scope, "/") + "/providers/Microsoft.Authorization/roleAssignments/" + name
}
