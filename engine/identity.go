package engine

import (
	"fmt"
	"strings"
)

// Identity is the managed identity configuration of a resource: at most one
// system-assigned identity, and any number of user-assigned ones.
type Identity struct {
	SystemAssigned *SystemIdentity
	// UserAssigned holds the resource IDs of the user-assigned identities, in
	// the order they were assigned. A reference stays when the identity
	// resource is deleted: Azure does not clean it up.
	UserAssigned []string
}

// SystemIdentity is a system-assigned identity: a service principal tied to
// the resource's lifecycle.
type SystemIdentity struct {
	PrincipalID string
	ClientID    string
	TenantID    string
}

// Type is the identity type as ARM reports it: "None", "SystemAssigned",
// "UserAssigned" or "SystemAssigned, UserAssigned".
func (id *Identity) Type() string {
	if id == nil {
		return "None"
	}
	switch {
	case id.SystemAssigned != nil && len(id.UserAssigned) > 0:
		return "SystemAssigned, UserAssigned"
	case id.SystemAssigned != nil:
		return "SystemAssigned"
	case len(id.UserAssigned) > 0:
		return "UserAssigned"
	}
	return "None"
}

func (w *World) identityOf(resourceID string) (*Resource, error) {
	r, err := w.Resource(resourceID)
	if err != nil {
		return nil, err
	}
	if r.Identity == nil {
		return nil, &Fault{Status: 400, Code: "InvalidIdentity", Message: fmt.Sprintf("Resource type '%s' does not support managed identities in the playground.", r.Type)}
	}
	return r, nil
}

// EnableSystemAssigned turns on a resource's system-assigned identity: Azure
// creates a service principal named after the resource. Enabling it again
// while it is on changes nothing; enabling it after it was disabled makes a
// new principal, with new IDs.
func (w *World) EnableSystemAssigned(resourceID string) (*SystemIdentity, error) {
	r, err := w.identityOf(resourceID)
	if err != nil {
		return nil, err
	}
	if r.Identity.SystemAssigned != nil {
		return r.Identity.SystemAssigned, nil
	}
	sp := w.newManagedPrincipal(r.Name, r.ID, false)
	r.Identity.SystemAssigned = &SystemIdentity{PrincipalID: sp.ObjectID, ClientID: sp.AppID, TenantID: w.Tenant.ID}
	w.record(&IdentityEnabled{ResourceID: r.ID, PrincipalID: sp.ObjectID, ClientID: sp.AppID})
	return r.Identity.SystemAssigned, nil
}

// DisableSystemAssigned turns off a resource's system-assigned identity and
// deletes its service principal. Role assignments to it stay, orphaned.
func (w *World) DisableSystemAssigned(resourceID string) error {
	r, err := w.identityOf(resourceID)
	if err != nil {
		return err
	}
	si := r.Identity.SystemAssigned
	if si == nil {
		return nil
	}
	r.Identity.SystemAssigned = nil
	sp, _ := w.PrincipalByObjectID(si.PrincipalID)
	w.deletePrincipal(sp, "the system-assigned identity was disabled")
	w.record(&IdentityDisabled{ResourceID: r.ID, PrincipalID: si.PrincipalID})
	return nil
}

// AssignUserIdentity attaches a user-assigned identity to a resource.
// Assigning one that is already attached changes nothing.
func (w *World) AssignUserIdentity(resourceID, identityID string) error {
	r, err := w.identityOf(resourceID)
	if err != nil {
		return err
	}
	ui, err := w.Resource(identityID)
	if err != nil || ui.UserIdentity == nil {
		return &Fault{Status: 400, Code: "FailedIdentityOperation",
			Message: fmt.Sprintf("Identity (%s) not found. Please provide a valid user-assigned identity resource id.", identityID)}
	}
	for _, id := range r.Identity.UserAssigned {
		if equalFold(id, ui.ID) {
			return nil
		}
	}
	r.Identity.UserAssigned = append(r.Identity.UserAssigned, ui.ID)
	w.record(&UserIdentityAssigned{ResourceID: r.ID, IdentityID: ui.ID})
	return nil
}

// RemoveUserIdentity detaches a user-assigned identity from a resource. The
// identity itself lives on.
func (w *World) RemoveUserIdentity(resourceID, identityID string) error {
	r, err := w.identityOf(resourceID)
	if err != nil {
		return err
	}
	for i, id := range r.Identity.UserAssigned {
		if equalFold(id, identityID) {
			r.Identity.UserAssigned = append(r.Identity.UserAssigned[:i], r.Identity.UserAssigned[i+1:]...)
			w.record(&UserIdentityRemoved{ResourceID: r.ID, IdentityID: id})
			return nil
		}
	}
	return &Fault{Status: 400, Code: "BadRequest", Message: fmt.Sprintf("The identity '%s' is not assigned to '%s'.", identityID, r.Name)}
}

// UserIdentityRef is one user-assigned identity as a resource sees it: the
// reference it holds, and the IDs behind it if the identity still exists.
type UserIdentityRef struct {
	ResourceID  string
	PrincipalID string // empty if the identity resource was deleted
	ClientID    string
	Exists      bool
}

// UserIdentities resolves a resource's user-assigned identity references.
func (w *World) UserIdentities(r *Resource) []UserIdentityRef {
	if r.Identity == nil {
		return nil
	}
	out := make([]UserIdentityRef, 0, len(r.Identity.UserAssigned))
	for _, id := range r.Identity.UserAssigned {
		ref := UserIdentityRef{ResourceID: id}
		if ui, err := w.Resource(id); err == nil && ui.UserIdentity != nil {
			ref.PrincipalID, ref.ClientID, ref.Exists = ui.UserIdentity.PrincipalID, ui.UserIdentity.ClientID, true
		}
		out = append(out, ref)
	}
	return out
}

// HostKind says what a compute host is, which decides how code on it asks
// for a token.
type HostKind string

// The compute hosts the playground models.
const (
	HostVM               HostKind = "vm"
	HostScaleSetInstance HostKind = "vmss-instance"
	HostWebApp           HostKind = "webapp"
	HostFunctionApp      HostKind = "functionapp"
)

// A Host is a place code runs: a VM, a scale set instance, a web app or a
// function app. Its Owner is the resource whose identities it uses (the
// scale set, for an instance).
type Host struct {
	Name  string // the prompt name: "vm-web", "vmss-web_0", "app-orders"
	Kind  HostKind
	ID    string // the compute resource ID: for an instance, .../virtualMachineScaleSets/{ss}/virtualMachines/{n}
	Owner *Resource
}

// IMDS reports whether the Instance Metadata Service answers on the host.
func (h Host) IMDS() bool { return h.Kind == HostVM || h.Kind == HostScaleSetInstance }

// Hosts lists every compute host in the world, in creation order.
func (w *World) Hosts() []Host {
	var out []Host
	for _, r := range w.resources {
		switch {
		case r.Type == TypeVM:
			out = append(out, Host{Name: r.Name, Kind: HostVM, ID: r.ID, Owner: r})
		case r.Type == TypeScaleSet:
			for i := 0; i < r.ScaleSet.Capacity; i++ {
				out = append(out, Host{Name: fmt.Sprintf("%s_%d", r.Name, i), Kind: HostScaleSetInstance, ID: fmt.Sprintf("%s/virtualMachines/%d", r.ID, i), Owner: r})
			}
		case r.Type == TypeSite && strings.HasPrefix(r.Kind, "functionapp"):
			out = append(out, Host{Name: r.Name, Kind: HostFunctionApp, ID: r.ID, Owner: r})
		case r.Type == TypeSite:
			out = append(out, Host{Name: r.Name, Kind: HostWebApp, ID: r.ID, Owner: r})
		}
	}
	return out
}

// Host finds a compute host by its prompt name (case-insensitive).
func (w *World) Host(name string) (Host, bool) {
	for _, h := range w.Hosts() {
		if equalFold(h.Name, name) {
			return h, true
		}
	}
	return Host{}, false
}

// Selector names the identity a token request asks for. At most one field
// is set; none means "the default identity".
type Selector struct {
	ClientID   string
	ObjectID   string
	ResourceID string
}

// IsZero reports whether no identity was named.
func (s Selector) IsZero() bool { return s == Selector{} }

// SelectionFailure says why no identity could be chosen.
type SelectionFailure string

// Why identity selection fails. The HTTP layer renders each in the wire
// format of IMDS or of the App Service identity endpoint.
const (
	// NoIdentity: the resource has no managed identity at all.
	NoIdentity SelectionFailure = "no managed identity is enabled on the resource"
	// IdentityNotAssigned: the selector names an identity the resource does not have.
	IdentityNotAssigned SelectionFailure = "the requested identity is not assigned to the resource"
	// MultipleUserAssigned: no system-assigned identity, several user-assigned, no selector.
	MultipleUserAssigned SelectionFailure = "several user-assigned identities are assigned and the request names none"
	// IdentityDeleted: the selected identity's resource or principal no longer exists.
	IdentityDeleted SelectionFailure = "the requested identity no longer exists"
)

// SelectedIdentity is the identity a token request resolved to.
type SelectedIdentity struct {
	PrincipalID string
	ClientID    string
	// ResourceID is the identity's own resource for user-assigned, or the
	// compute resource for system-assigned: the token's xms_mirid.
	ResourceID   string
	UserAssigned bool
}

// SelectIdentity applies Azure's rule for which identity a token request
// gets: the named one if a selector is given; otherwise the system-assigned
// identity if enabled; otherwise the only user-assigned identity; otherwise
// the request must name one.
func (w *World) SelectIdentity(h Host, sel Selector) (SelectedIdentity, SelectionFailure) {
	id := h.Owner.Identity
	if id == nil || (id.SystemAssigned == nil && len(id.UserAssigned) == 0) {
		return SelectedIdentity{}, NoIdentity
	}
	users := w.UserIdentities(h.Owner)
	if sel.IsZero() {
		if si := id.SystemAssigned; si != nil {
			return SelectedIdentity{PrincipalID: si.PrincipalID, ClientID: si.ClientID, ResourceID: h.Owner.ID}, ""
		}
		if len(users) > 1 {
			return SelectedIdentity{}, MultipleUserAssigned
		}
		if !users[0].Exists {
			return SelectedIdentity{}, IdentityDeleted
		}
		return SelectedIdentity{PrincipalID: users[0].PrincipalID, ClientID: users[0].ClientID, ResourceID: users[0].ResourceID, UserAssigned: true}, ""
	}
	// A selector may also name the system-assigned identity by its IDs.
	if si := id.SystemAssigned; si != nil && (equalFold(sel.ClientID, si.ClientID) || equalFold(sel.ObjectID, si.PrincipalID)) {
		return SelectedIdentity{PrincipalID: si.PrincipalID, ClientID: si.ClientID, ResourceID: h.Owner.ID}, ""
	}
	for _, u := range users {
		if !u.Exists {
			continue
		}
		if equalFold(sel.ClientID, u.ClientID) || equalFold(sel.ObjectID, u.PrincipalID) || equalFold(strings.TrimSuffix(sel.ResourceID, "/"), u.ResourceID) {
			return SelectedIdentity{PrincipalID: u.PrincipalID, ClientID: u.ClientID, ResourceID: u.ResourceID, UserAssigned: true}, ""
		}
	}
	return SelectedIdentity{}, IdentityNotAssigned
}
