package azure

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/miplay/miplay/engine"
)

// Managed identities in ARM: the identity block of compute resources (what
// a PUT or PATCH asks for, what GET shows) and the user-assigned identity
// resource, Microsoft.ManagedIdentity/userAssignedIdentities.

const (
	actIdentityRead   = "Microsoft.ManagedIdentity/userAssignedIdentities/read"
	actIdentityWrite  = "Microsoft.ManagedIdentity/userAssignedIdentities/write"
	actIdentityDelete = "Microsoft.ManagedIdentity/userAssignedIdentities/delete"
	// actIdentityAssign is what ARM checks on each user-assigned identity a
	// request assigns to a resource, besides write on the resource itself.
	actIdentityAssign = "Microsoft.ManagedIdentity/userAssignedIdentities/assign/action"
)

var identityRoutes = []armRoute{
	{Route: Route{Method: "GET", Path: "/subscriptions/{subscriptionId}/providers/Microsoft.ManagedIdentity/userAssignedIdentities", APIVersions: identityAPI, Action: actIdentityRead,
		Summary: "List user-assigned identities in the subscription (az identity list)."}, scope: collectionScope, list: true, serve: listIdentities},
	{Route: Route{Method: "GET", Path: "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ManagedIdentity/userAssignedIdentities", APIVersions: identityAPI, Action: actIdentityRead,
		Summary: "List user-assigned identities in a resource group (az identity list -g)."}, scope: collectionScope, list: true, serve: listIdentities},
	{Route: Route{Method: "GET", Path: "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{resourceName}", APIVersions: identityAPI, Action: actIdentityRead,
		Summary: "Get a user-assigned identity: clientId, principalId, tenantId (az identity show)."}, serve: getIdentity},
	{Route: Route{Method: "PUT", Path: "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{resourceName}", APIVersions: identityAPI, Action: actIdentityWrite,
		Summary: "Create a user-assigned identity and its service principal, or update its tags (az identity create)."}, serve: putIdentity},
	{Route: Route{Method: "PATCH", Path: "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{resourceName}", APIVersions: identityAPI, Action: actIdentityWrite,
		Summary: "Update a user-assigned identity's tags."}, serve: patchIdentity},
	{Route: Route{Method: "DELETE", Path: "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{resourceName}", APIVersions: identityAPI, Action: actIdentityDelete,
		Summary: "Delete a user-assigned identity and its service principal; resources keep referring to it and its role assignments stay, orphaned (az identity delete)."}, serve: deleteIdentity},
}

// uamiJSON is a user-assigned identity as ARM returns it.
type uamiJSON struct {
	Location   string            `json:"location"`
	Tags       map[string]string `json:"tags"`
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	Type       string            `json:"type"`
	Properties uamiProperties    `json:"properties"`
}

type uamiProperties struct {
	IsolationScope string `json:"isolationScope"`
	TenantID       string `json:"tenantId"`
	PrincipalID    string `json:"principalId"`
	ClientID       string `json:"clientId"`
}

// tagsOrEmpty is tags as the providers that always show them return them.
func tagsOrEmpty(t map[string]string) map[string]string {
	if t == nil {
		return map[string]string{}
	}
	return t
}

func uamiView(r *engine.Resource) any {
	u := r.UserIdentity
	return uamiJSON{Location: r.Location, Tags: tagsOrEmpty(r.Tags), ID: r.ID, Name: r.Name, Type: engine.TypeUserIdentity,
		Properties: uamiProperties{IsolationScope: "None", TenantID: u.TenantID, PrincipalID: u.PrincipalID, ClientID: u.ClientID}}
}

func listIdentities(c *armCall) { c.listOf(engine.TypeUserIdentity, uamiView) }

func getIdentity(c *armCall) {
	if r, ok := c.find(engine.TypeUserIdentity, "resourceName"); ok {
		c.reply(http.StatusOK, uamiView(r))
	}
}

func putIdentity(c *armCall) {
	var b resourceBody
	if !c.decode(&b) {
		return
	}
	if r, err := c.world.FindResource(c.p["resourceGroupName"], engine.TypeUserIdentity, c.p["resourceName"]); err == nil {
		c.setTags(r, b.Tags, true)
		c.reply(http.StatusOK, uamiView(r))
		return
	}
	if !c.requireLocation(b.Location) {
		return
	}
	r, err := c.world.CreateUserIdentity(c.newSpec("resourceName", b))
	if err != nil {
		c.fail(err)
		return
	}
	c.decide("Created user-assigned identity %s with service principal %s.", r.ID, r.UserIdentity.PrincipalID)
	c.reply(http.StatusCreated, uamiView(r))
}

func patchIdentity(c *armCall) { c.patchTags(engine.TypeUserIdentity, "resourceName", uamiView) }

func deleteIdentity(c *armCall) { c.deleteResource(engine.TypeUserIdentity, "resourceName") }

// ---- The identity block of compute resources ----

// identityBody is the identity block of a PUT or PATCH body. A null value
// in userAssignedIdentities (kept as the raw "null") removes that identity
// in a PATCH, which is how `az vm identity remove` asks.
type identityBody struct {
	Type                   string                     `json:"type"`
	UserAssignedIdentities map[string]json.RawMessage `json:"userAssignedIdentities"`
}

// identityPlan is what a request asks of a resource's identities.
type identityPlan struct {
	system      bool
	add, remove []string
	unchanged   bool
}

// planIdentity works out, from the identity block of a request, which
// identities the resource must end up with. A PUT states the whole set of
// user-assigned identities; a PATCH adds the ones it lists and removes the
// ones it lists as null. It answers 400 itself when the block is invalid.
func (c *armCall) planIdentity(current *engine.Identity, b *identityBody, patch bool) (identityPlan, bool) {
	var have []string
	hasSystem := false
	if current != nil {
		have = current.UserAssigned
		hasSystem = current.SystemAssigned != nil
	}
	if b == nil {
		// UNVERIFIED: a PUT without an identity block leaves the identities
		// as they are; azure-cli always sends the block it read.
		return identityPlan{system: hasSystem, unchanged: true}, true
	}
	system, user, ok := parseIdentityType(b.Type)
	if !ok {
		// UNVERIFIED: the compute provider's wording for a bad identity type.
		c.armError(http.StatusBadRequest, "InvalidParameter", fmt.Sprintf("The value '%s' of parameter 'identity.type' is invalid. Allowed values are 'SystemAssigned', 'UserAssigned', 'SystemAssigned, UserAssigned' and 'None'.", b.Type))
		return identityPlan{}, false
	}
	var want []string
	if patch {
		want = append(want, have...)
	}
	for id, v := range b.UserAssignedIdentities {
		isNull := strings.TrimSpace(string(v)) == "null"
		switch {
		case isNull && patch:
			want = removeFold(want, id)
		case isNull:
		case !user:
			// UNVERIFIED: wording.
			c.armError(http.StatusBadRequest, "InvalidParameter", fmt.Sprintf("The identity type '%s' does not include 'UserAssigned', so 'identity.userAssignedIdentities' must be empty; it lists '%s'.", b.Type, id))
			return identityPlan{}, false
		case !containsFold(want, id):
			want = append(want, id)
		}
	}
	if !user {
		want = nil
	}
	if user && len(want) == 0 {
		// UNVERIFIED: wording.
		c.armError(http.StatusBadRequest, "InvalidParameter", fmt.Sprintf("The identity type '%s' needs at least one user-assigned identity in 'identity.userAssignedIdentities'.", b.Type))
		return identityPlan{}, false
	}
	plan := identityPlan{system: system}
	for _, id := range want {
		if !containsFold(have, id) {
			plan.add = append(plan.add, id)
		}
	}
	for _, id := range have {
		if !containsFold(want, id) {
			plan.remove = append(plan.remove, id)
		}
	}
	sort.Strings(plan.add)
	return plan, true
}

func parseIdentityType(t string) (system, user, ok bool) {
	if strings.TrimSpace(t) == "" {
		return false, false, false
	}
	for _, part := range strings.Split(t, ",") {
		switch strings.ToLower(strings.TrimSpace(part)) {
		case "systemassigned":
			system = true
		case "userassigned":
			user = true
		case "none":
		default:
			return false, false, false
		}
	}
	return system, user, true
}

// checkIdentityPlan does what ARM and the provider do before they change
// anything: each user-assigned identity to assign must be one the caller
// may assign (LinkedAuthorizationFailed otherwise) and must exist. action
// and scope are the write the caller is allowed.
func (c *armCall) checkIdentityPlan(plan identityPlan, action, scope string) bool {
	var denied []string
	for _, id := range plan.add {
		d := c.authorize(c.claims.ObjectID, actIdentityAssign, id, false)
		if !d.Allowed {
			denied = append(denied, id)
		}
	}
	if len(denied) > 0 {
		c.linkedDenied(action, scope, actIdentityAssign, denied)
		return false
	}
	for _, id := range plan.add {
		if r, err := c.world.Resource(id); err != nil || r.UserIdentity == nil {
			c.armError(http.StatusBadRequest, "FailedIdentityOperation", fmt.Sprintf("Identity (%s) not found. Please provide a valid user-assigned identity resource id.", id))
			return false
		}
	}
	return true
}

// applyIdentityPlan changes the resource's identities as planned.
func (c *armCall) applyIdentityPlan(r *engine.Resource, plan identityPlan) error {
	if plan.unchanged {
		return nil
	}
	if plan.system && r.Identity.SystemAssigned == nil {
		if _, err := c.world.EnableSystemAssigned(r.ID); err != nil {
			return err
		}
	}
	if !plan.system && r.Identity.SystemAssigned != nil {
		if err := c.world.DisableSystemAssigned(r.ID); err != nil {
			return err
		}
	}
	for _, id := range plan.remove {
		if err := c.world.RemoveUserIdentity(r.ID, id); err != nil {
			return err
		}
	}
	for _, id := range plan.add {
		if err := c.world.AssignUserIdentity(r.ID, id); err != nil {
			return err
		}
	}
	return nil
}

// armIdentity is the identity block as the compute provider returns it.
type armIdentity struct {
	Type                   string                      `json:"type"`
	PrincipalID            string                      `json:"principalId,omitempty"`
	TenantID               string                      `json:"tenantId,omitempty"`
	UserAssignedIdentities map[string]userIdentityJSON `json:"userAssignedIdentities,omitempty"`
}

// webIdentityJSON is the identity block as the Web provider returns it,
// tenantId first.
type webIdentityJSON struct {
	Type                   string                      `json:"type"`
	TenantID               string                      `json:"tenantId,omitempty"`
	PrincipalID            string                      `json:"principalId,omitempty"`
	UserAssignedIdentities map[string]userIdentityJSON `json:"userAssignedIdentities,omitempty"`
}

type userIdentityJSON struct {
	PrincipalID string `json:"principalId"`
	ClientID    string `json:"clientId"`
}

// computeIdentity renders a resource's identity block, or nil when it has
// none: ARM leaves "identity" out then.
func (c *armCall) computeIdentity(r *engine.Resource) *armIdentity {
	if r.Identity == nil || r.Identity.Type() == "None" {
		return nil
	}
	out := &armIdentity{Type: r.Identity.Type()}
	if si := r.Identity.SystemAssigned; si != nil {
		out.PrincipalID, out.TenantID = si.PrincipalID, si.TenantID
	}
	out.UserAssignedIdentities = c.userIdentities(r)
	return out
}

func (c *armCall) webIdentity(r *engine.Resource) *webIdentityJSON {
	id := c.computeIdentity(r)
	if id == nil {
		return nil
	}
	return &webIdentityJSON{Type: id.Type, TenantID: id.TenantID, PrincipalID: id.PrincipalID, UserAssignedIdentities: id.UserAssignedIdentities}
}

// userIdentities renders the user-assigned identities of a resource. A
// deleted identity stays listed: Azure does not clean up the reference.
func (c *armCall) userIdentities(r *engine.Resource) map[string]userIdentityJSON {
	refs := c.world.UserIdentities(r)
	if len(refs) == 0 {
		return nil
	}
	out := map[string]userIdentityJSON{}
	for _, ref := range refs {
		u := userIdentityJSON{PrincipalID: ref.PrincipalID, ClientID: ref.ClientID}
		if !ref.Exists {
			// UNVERIFIED: after the identity is deleted the resource keeps
			// the IDs it recorded when the identity was assigned.
			for _, sp := range c.world.AllServicePrincipals() {
				if strings.EqualFold(sp.ResourceID, ref.ResourceID) {
					u = userIdentityJSON{PrincipalID: sp.ObjectID, ClientID: sp.AppID}
				}
			}
		}
		out[ref.ResourceID] = u
	}
	return out
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

func removeFold(list []string, s string) []string {
	out := list[:0:0]
	for _, x := range list {
		if !strings.EqualFold(x, s) {
			out = append(out, x)
		}
	}
	return out
}
