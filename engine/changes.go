package engine

import (
	"fmt"
	"strings"

	"github.com/miplay/miplay/engine/rbac"
)

// Changes that Azure Resource Manager and Microsoft Graph make to existing
// things: tags, a scale set's capacity, a storage account's shared key
// setting, a role assignment with a name the caller chose, app registrations
// and service principals created separately, client secrets removed one by
// one. engine/azure's ARM and Graph handlers call them.

// ResourceUpdated records a change to an existing resource's settings.
type ResourceUpdated struct {
	EventMeta
	ID     string
	Change string // "tags set", "capacity 2 -> 3", "shared key access disabled"
}

// ClientSecretRemoved records a client secret removed from an app
// registration: nothing can sign in with it any more.
type ClientSecretRemoved struct {
	EventMeta
	AppID string
	KeyID string
	Hint  string
}

func (e *ResourceUpdated) Summary() string { return "Resource updated: " + e.ID + ": " + e.Change }
func (e *ClientSecretRemoved) Summary() string {
	return fmt.Sprintf("Client secret %s... (%s) removed from app %s", e.Hint, e.KeyID, e.AppID)
}

// SetTags replaces a resource's tags, as a PUT or PATCH with "tags" does.
func (w *World) SetTags(r *Resource, tags map[string]string) {
	if len(tags) == 0 {
		tags = nil
	}
	r.Tags = tags
	keys := SortedKeys(tags)
	w.record(&ResourceUpdated{ID: r.ID, Change: "tags set to [" + strings.Join(keys, ", ") + "]"})
}

// SetCapacity scales a VM scale set to n instances. Instances past the new
// capacity go away with their hosts; new ones share the scale set's
// identities.
func (w *World) SetCapacity(r *Resource, n int) error {
	if r.ScaleSet == nil {
		return fmt.Errorf("engine: %s is not a scale set", r.ID)
	}
	if n < 0 || n > 1000 {
		return &Fault{Status: 400, Code: "InvalidParameter", Message: fmt.Sprintf("The value %d of parameter 'sku.capacity' is out of range. The value must be between 0 and 1000, inclusive.", n)}
	}
	if n == r.ScaleSet.Capacity {
		return nil
	}
	old := r.ScaleSet.Capacity
	r.ScaleSet.Capacity = n
	w.record(&ResourceUpdated{ID: r.ID, Change: fmt.Sprintf("capacity %d -> %d", old, n)})
	return nil
}

// SetAllowSharedKeyAccess turns a storage account's shared key access on or
// off. Off, the account refuses requests signed with its keys or a SAS:
// only Microsoft Entra ID (a managed identity, say) gets in.
func (w *World) SetAllowSharedKeyAccess(r *Resource, allowed bool) error {
	if r.Storage == nil {
		return fmt.Errorf("engine: %s is not a storage account", r.ID)
	}
	if r.Storage.AllowSharedKeyAccess == allowed {
		return nil
	}
	r.Storage.AllowSharedKeyAccess = allowed
	change := "shared key access disabled"
	if allowed {
		change = "shared key access enabled"
	}
	w.record(&ResourceUpdated{ID: r.ID, Change: change})
	return nil
}

// DeleteQueue deletes a Service Bus queue and its messages.
func (w *World) DeleteQueue(ns *Resource, name string) error {
	q, err := w.Queue(ns, name)
	if err != nil {
		return err
	}
	delete(ns.ServiceBus.Queues, strings.ToLower(name))
	w.record(&DataChanged{ResourceID: ns.ID, Operation: "queue deleted", Item: q.Name})
	return nil
}

// AssignRoleNamed is AssignRole with the assignment's name chosen by the
// caller, as ARM's PUT {scope}/providers/Microsoft.Authorization/roleAssignments/{name}
// does. The name must be a GUID. Putting the same assignment again under
// its name changes nothing and reports created false; a name already used
// for another principal, role or scope is RoleAssignmentUpdateNotPermitted.
func (w *World) AssignRoleNamed(name, scope, role, principalID string, principalType rbac.PrincipalType) (a rbac.Assignment, created bool, err error) {
	if !IsGUID(name) {
		return rbac.Assignment{}, false, &Fault{Status: 400, Code: "InvalidRoleAssignmentId",
			Message: fmt.Sprintf("The role assignment ID '%s' is not valid. The role assignment ID must be a GUID.", name)}
	}
	def, err := w.Role(role)
	if err != nil {
		return rbac.Assignment{}, false, err
	}
	if err := rbac.ValidateScope(scope); err != nil {
		return rbac.Assignment{}, false, &Fault{Status: 400, Code: "InvalidScope", Message: err.Error()}
	}
	for _, x := range w.RoleAssignments() {
		if !equalFold(x.Name, name) {
			continue
		}
		if equalFold(x.PrincipalID, principalID) && equalFold(x.RoleDefinitionID, def.ID) && sameScope(x.Scope, scope) {
			return x, false, nil
		}
		return rbac.Assignment{}, false, &Fault{Status: 409, Code: "RoleAssignmentUpdateNotPermitted",
			Message: "Tenant ID, application ID, principal ID, and scope are not allowed to be updated."}
	}
	if err := w.scopeExists(scope); err != nil {
		return rbac.Assignment{}, false, err
	}
	_, kind, exists := w.PrincipalName(principalID)
	if !exists && principalType == "" {
		return rbac.Assignment{}, false, &Fault{Status: 400, Code: "PrincipalNotFound", Message: fmt.Sprintf("Principal %s does not exist in the directory %s. Check that you have the correct principal ID. If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group.  See https://aka.ms/docs-principaltype", strings.ReplaceAll(principalID, "-", ""), w.Tenant.ID)}
	}
	if principalType == "" {
		principalType = rbac.PrincipalType(kind)
	}
	for _, x := range w.RoleAssignments() {
		if equalFold(x.PrincipalID, principalID) && equalFold(x.RoleDefinitionID, def.ID) && sameScope(x.Scope, scope) {
			return rbac.Assignment{}, false, &Fault{Status: 409, Code: "RoleAssignmentExists", Message: "The role assignment already exists."}
		}
	}
	a = rbac.Assignment{
		ID:               strings.TrimSuffix(scope, "/") + "/providers/Microsoft.Authorization/roleAssignments/" + name,
		Name:             name,
		Scope:            scope,
		RoleDefinitionID: def.ID,
		PrincipalID:      principalID,
		PrincipalType:    principalType,
		Created:          w.now,
	}
	w.assignments = append(w.assignments, a)
	w.record(&RoleAssigned{ID: a.ID, PrincipalID: principalID, RoleName: def.RoleName, Scope: scope})
	return a, true, nil
}

func sameScope(a, b string) bool {
	return equalFold(strings.TrimSuffix(a, "/"), strings.TrimSuffix(b, "/"))
}

// CreateApplication registers an application with no service principal
// yet, as Microsoft Graph's POST /applications does; `az ad sp
// create-for-rbac` then creates the principal with
// CreateServicePrincipalFor. RegisterApplication does both at once.
func (w *World) CreateApplication(displayName string) *Application {
	app := &Application{ObjectID: w.ids.GUID(), AppID: w.ids.GUID(), DisplayName: displayName, Created: w.now}
	w.apps = append(w.apps, app)
	w.record(&ApplicationRegistered{AppID: app.AppID, DisplayName: displayName})
	return app
}

// CreateServicePrincipalFor creates the service principal of an app
// registration, which is what can sign in and hold roles. An app has at
// most one principal in its own tenant.
func (w *World) CreateServicePrincipalFor(app *Application) (*ServicePrincipal, error) {
	for _, sp := range w.principals {
		if sp.Exists() && equalFold(sp.AppID, app.AppID) {
			// UNVERIFIED: Graph's exact answer to a second principal for the
			// same app; this is its answer to a duplicate servicePrincipalNames.
			return nil, &Fault{Status: 409, Code: "Request_MultipleObjectsWithSameKeyValue",
				Message: "Another object with the same value for property servicePrincipalNames already exists."}
		}
	}
	sp := &ServicePrincipal{
		ObjectID:    w.ids.GUID(),
		AppID:       app.AppID,
		DisplayName: app.DisplayName,
		Type:        ApplicationPrincipal,
		Created:     w.now,
	}
	w.principals = append(w.principals, sp)
	w.record(&ServicePrincipalCreated{ObjectID: sp.ObjectID, AppID: sp.AppID, DisplayName: sp.DisplayName, Type: sp.Type})
	return sp, nil
}

// RemoveClientSecret removes one client secret of an app registration by
// its key ID: tokens already issued with it stay valid until they expire,
// new sign-ins with it fail.
func (w *World) RemoveClientSecret(app *Application, keyID string) error {
	for i, s := range app.Secrets {
		if equalFold(s.KeyID, keyID) {
			app.Secrets = append(app.Secrets[:i:i], app.Secrets[i+1:]...)
			w.record(&ClientSecretRemoved{AppID: app.AppID, KeyID: s.KeyID, Hint: s.Hint})
			return nil
		}
	}
	// UNVERIFIED: Graph's wording for an unknown keyId.
	return &Fault{Status: 404, Code: "Request_ResourceNotFound",
		Message: fmt.Sprintf("No password credential found with keyId '%s'.", keyID)}
}

// SetGroupTags replaces a resource group's tags.
func (w *World) SetGroupTags(g *ResourceGroup, tags map[string]string) {
	if len(tags) == 0 {
		tags = nil
	}
	g.Tags = tags
	w.record(&ResourceUpdated{ID: g.ID, Change: "tags set to [" + strings.Join(SortedKeys(tags), ", ") + "]"})
}
