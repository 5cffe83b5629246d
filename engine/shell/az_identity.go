package shell

import (
	"sort"
	"strings"
	"time"

	"github.com/miplay/miplay/engine"
)

// API versions of the resource providers these commands call, as the
// Azure CLI 2.6x SDK profile pins them.
const (
	computeAPI = "2024-07-01"
	msiAPI     = "2023-01-31"
	webAPI     = "2023-12-01"
)

// msiLocalID is how --assign-identity and --identities name the
// system-assigned identity.
const msiLocalID = "[system]"

// ARM's identity types.
const (
	identityNone       = "None"
	identitySystem     = "SystemAssigned"
	identityUser       = "UserAssigned"
	identitySystemUser = "SystemAssigned, UserAssigned"
)

const uamiType = "Microsoft.ManagedIdentity/userAssignedIdentities"

func registerAzIdentity() {
	group := azArg{Names: []string{"--resource-group", "-g"}, Required: true, Help: "Name of resource group."}
	name := azArg{Names: []string{"--name", "-n"}, Required: true, Help: "The name of the identity resource."}
	registerAz(
		&azCommand{
			Path:    "identity create",
			Summary: "Create an identity: a user-assigned managed identity, a resource of its own with its own service principal.",
			Args: []azArg{
				group, name,
				{Names: []string{"--location", "-l"}, Help: "Location. Default: the resource group's location."},
				{Names: []string{"--tags"}, Multi: true, Help: "Space-separated tags: key[=value]."},
			},
			Examples: []string{
				"$ az identity create -g rg-demo -n id-reader",
				"$ az identity create -g rg-demo -n id-reader --query clientId -o tsv",
			},
			NotSimulated: "Federated credentials (`az identity federated-credential`) and isolation scopes.",
			Run: func(c *azCall) (any, error) {
				loc, err := c.location(c.str("--resource-group"))
				if err != nil {
					return nil, err
				}
				body := map[string]any{"location": loc}
				if tags := parseTags(c.list("--tags")); tags != nil {
					body["tags"] = tags
				}
				out, err := c.arm("PUT", c.identityPath(c.str("--resource-group"), c.str("--name")), msiAPI, body)
				if err != nil {
					return nil, err
				}
				return uamiOutput(out), nil
			},
		},
		&azCommand{
			Path:     "identity show",
			Summary:  "Show an identity's details.",
			Args:     []azArg{group, name, {Names: []string{"--ids"}, NotSimulated: true, Multi: true, Help: "One or more resource IDs."}},
			Show:     true,
			Examples: []string{"$ az identity show -g rg-demo -n id-reader --query principalId -o tsv"},
			Run: func(c *azCall) (any, error) {
				out, err := c.arm("GET", c.identityPath(c.str("--resource-group"), c.str("--name")), msiAPI, nil)
				if err != nil {
					return nil, err
				}
				return uamiOutput(out), nil
			},
		},
		&azCommand{
			Path:    "identity list",
			Summary: "List user-assigned identities.",
			Args: []azArg{
				{Names: []string{"--resource-group", "-g"}, Help: "Name of resource group. Default: every identity in the subscription."},
			},
			Examples: []string{"$ az identity list -g rg-demo --query \"[].{name:name, principalId:principalId}\" -o table"},
			Run: func(c *azCall) (any, error) {
				path := c.subscriptionPath() + "/providers/" + uamiType
				if g := c.str("--resource-group"); g != "" {
					path = c.subscriptionPath() + "/resourceGroups/" + g + "/providers/" + uamiType
				}
				items, err := c.armList(path, msiAPI)
				if err != nil {
					return nil, err
				}
				out := make([]any, 0, len(items))
				for _, it := range items {
					out = append(out, uamiOutput(it))
				}
				return out, nil
			},
		},
		&azCommand{
			Path:    "identity delete",
			Summary: "Delete an identity. The resources it was assigned to keep a reference to it, and its role assignments stay, orphaned.",
			Args:    []azArg{group, name, {Names: []string{"--ids"}, NotSimulated: true, Multi: true, Help: "One or more resource IDs."}},
			Examples: []string{
				"$ az identity delete -g rg-demo -n id-reader",
			},
			Run: func(c *azCall) (any, error) {
				_, err := c.arm("DELETE", c.identityPath(c.str("--resource-group"), c.str("--name")), msiAPI, nil)
				return nil, err
			},
		},
	)
}

// identityPath is a user-assigned identity's resource path, as az builds
// it (with "resourceGroups"; ARM answers with "resourcegroups").
func (c *azCall) identityPath(group, name string) string {
	return c.resourcePath(group, uamiType, name)
}

// resourcePath builds /subscriptions/{s}/resourceGroups/{g}/providers/{type}/{name}.
func (c *azCall) resourcePath(group, typ, name string) string {
	return c.subscriptionPath() + "/resourceGroups/" + group + "/providers/" + typ + "/" + name
}

// location is --location, or, as az defaults it, the location of the
// resource group.
func (c *azCall) location(group string) (string, error) {
	if l := c.str("--location"); l != "" {
		return l, nil
	}
	out, err := c.arm("GET", c.subscriptionPath()+"/resourcegroups/"+group, groupAPI, nil)
	if err != nil {
		return "", err
	}
	loc, _ := out["location"].(string)
	return loc, nil
}

// armList GETs an ARM collection and follows nextLink.
func (c *azCall) armList(path, apiVersion string) ([]map[string]any, error) {
	out, err := c.arm("GET", path, apiVersion, nil)
	if err != nil {
		return nil, err
	}
	return listObjects(out), nil
}

// uamiOutput is how az prints a user-assigned identity: the SDK's Identity
// model of api-version 2023-01-31, properties flattened, every attribute
// present and nothing else (the SDK drops what its model lacks).
func uamiOutput(arm map[string]any) map[string]any {
	flat := flattenProperties(arm)
	out := map[string]any{}
	for _, k := range []string{"id", "name", "type", "location", "tags", "systemData", "tenantId", "principalId", "clientId"} {
		out[k] = flat[k]
	}
	if out["tags"] == nil {
		out["tags"] = map[string]any{}
	}
	return withResourceGroup(out).(map[string]any)
}

// flattenProperties moves an ARM resource's "properties" to the top level,
// as the Python SDK's models do.
func flattenProperties(arm map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range arm {
		if k != "properties" {
			out[k] = v
		}
	}
	if props, ok := arm["properties"].(map[string]any); ok {
		for k, v := range props {
			out[k] = v
		}
	}
	return out
}

// withResourceGroup is az's global result transform: every object with a
// resource "id" under a resource group gets a "resourceGroup" field,
// recursively (the keys of sourceVault excepted).
func withResourceGroup(v any) any {
	switch t := v.(type) {
	case []any:
		for _, x := range t {
			withResourceGroup(x)
		}
	case []map[string]any:
		for _, x := range t {
			withResourceGroup(x)
		}
	case map[string]any:
		if _, ok := t["resourceGroup"]; !ok {
			if id, ok := t["id"].(string); ok && id != "" {
				parts := strings.Split(id, "/")
				if len(parts) > 8 && strings.EqualFold(parts[3], "resourcegroups") {
					t["resourceGroup"] = parts[4]
				}
			}
		}
		for k, x := range t {
			if k != "sourceVault" {
				withResourceGroup(x)
			}
		}
	}
	return v
}

// pyTime renders an ARM timestamp as az prints a Python datetime:
// isoformat(), with "+00:00" and microseconds only when there are some.
func pyTime(v any) any {
	s, ok := v.(string)
	if !ok || s == "" {
		return v
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return v
	}
	t = t.UTC()
	if t.Nanosecond()/1000 == 0 {
		return t.Format("2006-01-02T15:04:05") + "+00:00"
	}
	return t.Format("2006-01-02T15:04:05.000000") + "+00:00"
}

// identityRequest is what --assign-identity or --identities asks for: the
// system-assigned identity, and user-assigned ones by full resource ID.
type identityRequest struct {
	System bool
	User   []string
}

// parseIdentities reads an --assign-identity or --identities list as az's
// _build_identities_info does: no values means "[system]"; names of
// user-assigned identities are resolved in the command's resource group.
func (c *azCall) parseIdentities(values []string, group string) identityRequest {
	var r identityRequest
	if len(values) == 0 {
		r.System = true
		return r
	}
	for _, v := range values {
		if v == msiLocalID {
			r.System = true
			continue
		}
		r.User = append(r.User, c.userIdentityID(v, group))
	}
	return r
}

// userIdentityID turns an identity name into its resource ID in group, and
// keeps a resource ID as it is.
func (c *azCall) userIdentityID(v, group string) string {
	if strings.HasPrefix(v, "/") {
		if _, err := engine.ParseResourceID(v); err == nil {
			return v
		}
	}
	return c.identityPath(group, v)
}

// newIdentityType is the identity type az's identity assign setters
// compute from the existing type and what is being added.
func newIdentityType(existing string, req identityRequest) string {
	switch {
	case strings.EqualFold(existing, identitySystemUser):
		return identitySystemUser
	case strings.EqualFold(existing, identitySystem) && len(req.User) > 0:
		return identitySystemUser
	case strings.EqualFold(existing, identityUser) && req.System:
		return identitySystemUser
	case len(req.User) > 0 && req.System:
		return identitySystemUser
	case len(req.User) > 0:
		return identityUser
	}
	return identitySystem
}

// identityOf returns a resource's "identity" object, or nil.
func identityOf(resource map[string]any) map[string]any {
	id, _ := resource["identity"].(map[string]any)
	return id
}

// identityType returns the type of an identity object ("None" for none).
func identityType(id map[string]any) string {
	if id == nil {
		return identityNone
	}
	t, _ := id["type"].(string)
	if t == "" {
		return identityNone
	}
	return t
}

// userAssignedKeys lists an identity's user-assigned identity IDs.
func userAssignedKeys(id map[string]any) []string {
	uai, _ := id["userAssignedIdentities"].(map[string]any)
	keys := make([]string, 0, len(uai))
	for k := range uai {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// removeIdentities computes the identity az's _remove_identities sends:
// the new type, and the user-assigned identities to drop (each set to
// null), or an error naming identities the resource does not have.
func removeIdentities(existing map[string]any, req identityRequest, resourceName string) (map[string]any, error) {
	typ := identityType(existing)
	have := map[string]bool{}
	for _, k := range userAssignedKeys(existing) {
		have[strings.ToLower(k)] = true
	}
	var toRemove []string
	if len(req.User) > 0 {
		var missing []string
		seen := map[string]bool{}
		for _, u := range req.User {
			l := strings.ToLower(u)
			if seen[l] {
				continue
			}
			seen[l] = true
			toRemove = append(toRemove, l)
			if !have[l] {
				missing = append(missing, l)
			}
		}
		if len(missing) > 0 {
			return nil, clierrf("'%s' are not associated with '%s'", strings.Join(missing, ","), resourceName)
		}
		if len(toRemove) >= len(have) {
			switch {
			case strings.EqualFold(typ, identityUser):
				typ = identityNone
			case strings.EqualFold(typ, identitySystemUser):
				typ = identitySystem
			}
		}
	}
	if req.System {
		if strings.EqualFold(typ, identitySystem) || strings.EqualFold(typ, identityNone) {
			typ = identityNone
		} else {
			typ = identityUser
		}
	}
	out := map[string]any{"type": typ}
	if len(toRemove) > 0 && typ != identityNone && typ != identitySystem {
		uai := map[string]any{}
		for _, u := range toRemove {
			uai[u] = nil
		}
		out["userAssignedIdentities"] = uai
	}
	return out, nil
}

// identityInfo is az's _construct_identity_info: what vm create and vm
// identity assign print about the identities.
func identityInfo(scope, role string, identity map[string]any) map[string]any {
	info := map[string]any{}
	if scope != "" {
		info["scope"] = scope
		info["role"] = role
	}
	uai, _ := identity["userAssignedIdentities"].(map[string]any)
	if uai == nil {
		uai = map[string]any{}
	}
	info["userAssignedIdentities"] = uai
	pid, _ := identity["principalId"].(string)
	info["systemAssignedIdentity"] = pid
	return info
}

// checkRoleScope applies az's rule for --role and --scope on identity
// commands: both or neither.
func checkRoleScope(c *azCall) error {
	if c.has("--scope") != c.has("--role") {
		return clierrf("usage error: please specify both --role and --scope when assigning a role to the managed identity")
	}
	return nil
}

// missingAccessWarning is the warning az prints when an identity is created
// without --scope: it has no access to anything yet.
func missingAccessWarning(c *azCall, group, name, command string) {
	c.warn("No access was given yet to the '%s', because '--scope' was not provided. You should setup by creating a role assignment, e.g. 'az role assignment create --assignee <principal-id> --role contributor -g %s' would let it access the current resource group. To get the pricipal id, run 'az %s show -g %s -n %s --query \"identity.principalId\" -otsv'", name, group, command, group, name)
}

// principalOf reads the system-assigned principal ID of a resource.
func principalOf(resource map[string]any) string {
	pid, _ := identityOf(resource)["principalId"].(string)
	return pid
}

// grantIdentity is az's assign_identity helper's second half: give the
// resource's system-assigned identity a role at a scope. An assignment
// that already exists is fine.
func (c *azCall) grantIdentity(principalID, role, roleID, scope string) error {
	if principalID == "" {
		return clierrf("usage error: '--scope'/'--role' is only applicable when assign system identity")
	}
	_, err := c.putRoleAssignment(scope, roleID, principalID, "", "")
	if svc, ok := err.(*azServiceError); ok && strings.Contains(strings.ToLower(svc.Message), "role assignment already exists") {
		return nil
	}
	return err
}
