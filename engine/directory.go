package engine

import (
	"fmt"
	"time"
)

// PrincipalKind is a service principal's servicePrincipalType in Microsoft Graph.
type PrincipalKind string

// The service principal types the playground models.
const (
	ManagedIdentityPrincipal PrincipalKind = "ManagedIdentity"
	ApplicationPrincipal     PrincipalKind = "Application"
)

// A User is a person in the tenant's directory.
type User struct {
	ObjectID          string
	DisplayName       string
	UserPrincipalName string
}

// A ServicePrincipal is a non-human identity in the directory: the one Azure
// makes for a managed identity, or the one behind an app registration.
type ServicePrincipal struct {
	ObjectID    string
	AppID       string // the client ID
	DisplayName string
	Type        PrincipalKind
	// AlternativeNames: for a managed identity, "isExplicit=False" (system-
	// assigned) or "isExplicit=True" (user-assigned) and the resource ID.
	AlternativeNames []string
	Created          time.Time
	Deleted          time.Time // zero while it exists
	// ResourceID is the Azure resource a managed identity principal belongs
	// to: the compute resource for system-assigned, the identity resource
	// for user-assigned.
	ResourceID string
	// Credential is the certificate Azure holds for a managed identity and
	// rotates on its own. Applications never see it.
	Credential *BackingCredential
}

// Exists reports whether the principal is still in the directory.
func (sp *ServicePrincipal) Exists() bool { return sp.Deleted.IsZero() }

// BackingCredential is the certificate behind a managed identity. Azure
// documents an expiry of 90 days, rolled after 45.
type BackingCredential struct {
	Thumbprint string
	NotBefore  time.Time
	NotAfter   time.Time
}

// Managed identity credential lifetimes, from the managed identities FAQ.
const (
	credentialLifetime = 90 * 24 * time.Hour
	credentialRollover = 45 * 24 * time.Hour
)

// An Application is an app registration, the "world without managed
// identities": its service principal signs in with a client secret that
// someone must store, protect and rotate by hand.
type Application struct {
	ObjectID    string
	AppID       string
	DisplayName string
	Secrets     []*ClientSecret
	Created     time.Time
}

// A ClientSecret is a password credential of an app registration. Entra
// shows its value once, at creation, and keeps only a hint afterwards.
type ClientSecret struct {
	KeyID       string
	DisplayName string
	Hint        string
	Value       string
	Start       time.Time
	End         time.Time
}

// DefaultSecretLifetime is how long a new client secret lasts when no
// lifetime is given: one year, as `az ad sp create-for-rbac` does.
const DefaultSecretLifetime = 365 * 24 * time.Hour

func (w *World) addUser(name, upn string) *User {
	u := &User{ObjectID: w.ids.GUID(), DisplayName: name, UserPrincipalName: upn}
	w.users = append(w.users, u)
	return u
}

// Users returns the directory's users.
func (w *World) Users() []*User { return w.users }

// ServicePrincipals returns every service principal that exists now.
func (w *World) ServicePrincipals() []*ServicePrincipal {
	var out []*ServicePrincipal
	for _, sp := range w.principals {
		if sp.Exists() {
			out = append(out, sp)
		}
	}
	return out
}

// AllServicePrincipals returns every principal ever created, deleted ones
// included, so a view can name the principal behind an orphaned assignment.
func (w *World) AllServicePrincipals() []*ServicePrincipal { return w.principals }

// ServicePrincipal finds an existing principal by object ID, app (client)
// ID or display name, as `az ad sp show --id` does.
func (w *World) ServicePrincipal(id string) (*ServicePrincipal, error) {
	for _, sp := range w.principals {
		if sp.Exists() && (equalFold(sp.ObjectID, id) || equalFold(sp.AppID, id)) {
			return sp, nil
		}
	}
	return nil, &Fault{Status: 404, Code: "Request_ResourceNotFound",
		Message: fmt.Sprintf("Resource '%s' does not exist or one of its queried reference-property objects are not present.", id)}
}

// PrincipalByObjectID finds a principal, deleted or not, by object ID.
func (w *World) PrincipalByObjectID(oid string) (*ServicePrincipal, bool) {
	for _, sp := range w.principals {
		if equalFold(sp.ObjectID, oid) {
			return sp, true
		}
	}
	return nil, false
}

// UserByObjectID finds a user by object ID.
func (w *World) UserByObjectID(oid string) (*User, bool) {
	for _, u := range w.users {
		if equalFold(u.ObjectID, oid) {
			return u, true
		}
	}
	return nil, false
}

func (w *World) newManagedPrincipal(displayName, resourceID string, explicit bool) *ServicePrincipal {
	sp := &ServicePrincipal{
		ObjectID:         w.ids.GUID(),
		AppID:            w.ids.GUID(),
		DisplayName:      displayName,
		Type:             ManagedIdentityPrincipal,
		AlternativeNames: []string{fmt.Sprintf("isExplicit=%s", map[bool]string{true: "True", false: "False"}[explicit]), resourceID},
		Created:          w.now,
		ResourceID:       resourceID,
	}
	sp.Credential = w.newBackingCredential()
	w.principals = append(w.principals, sp)
	w.record(&ServicePrincipalCreated{ObjectID: sp.ObjectID, AppID: sp.AppID, DisplayName: sp.DisplayName, Type: sp.Type})
	return sp
}

func (w *World) newBackingCredential() *BackingCredential {
	return &BackingCredential{
		Thumbprint: fmt.Sprintf("%X", w.ids.bytes(20)),
		NotBefore:  w.now,
		NotAfter:   w.now.Add(credentialLifetime),
	}
}

func (w *World) deletePrincipal(sp *ServicePrincipal, reason string) {
	if sp == nil || !sp.Exists() {
		return
	}
	sp.Deleted = w.now
	w.record(&ServicePrincipalDeleted{ObjectID: sp.ObjectID, DisplayName: sp.DisplayName, Reason: reason})
}

// nextRotation finds the managed identity credential that falls due first.
func (w *World) nextRotation() (time.Time, *ServicePrincipal) {
	var due time.Time
	var who *ServicePrincipal
	for _, sp := range w.principals {
		if !sp.Exists() || sp.Credential == nil {
			continue
		}
		t := sp.Credential.NotBefore.Add(credentialRollover)
		if who == nil || t.Before(due) {
			due, who = t, sp
		}
	}
	return due, who
}

func (w *World) rotate(sp *ServicePrincipal) {
	sp.Credential = w.newBackingCredential()
	w.record(&CredentialRotated{PrincipalID: sp.ObjectID, Thumbprint: sp.Credential.Thumbprint, NotAfter: sp.Credential.NotAfter})
}

// RegisterApplication creates an app registration and its service
// principal, as `az ad sp create-for-rbac` does first.
func (w *World) RegisterApplication(displayName string) (*Application, *ServicePrincipal) {
	app := &Application{ObjectID: w.ids.GUID(), AppID: w.ids.GUID(), DisplayName: displayName, Created: w.now}
	w.apps = append(w.apps, app)
	w.record(&ApplicationRegistered{AppID: app.AppID, DisplayName: displayName})
	sp := &ServicePrincipal{
		ObjectID:    w.ids.GUID(),
		AppID:       app.AppID,
		DisplayName: displayName,
		Type:        ApplicationPrincipal,
		Created:     w.now,
	}
	w.principals = append(w.principals, sp)
	w.record(&ServicePrincipalCreated{ObjectID: sp.ObjectID, AppID: sp.AppID, DisplayName: sp.DisplayName, Type: sp.Type})
	return app, sp
}

// Applications returns the app registrations.
func (w *World) Applications() []*Application { return w.apps }

// Application finds an app registration by app (client) ID or object ID.
func (w *World) Application(id string) (*Application, error) {
	for _, a := range w.apps {
		if equalFold(a.AppID, id) || equalFold(a.ObjectID, id) {
			return a, nil
		}
	}
	return nil, &Fault{Status: 404, Code: "Request_ResourceNotFound",
		Message: fmt.Sprintf("Resource '%s' does not exist or one of its queried reference-property objects are not present.", id)}
}

// AddClientSecret adds a client secret that lasts for lifetime (zero means
// DefaultSecretLifetime) and returns it with its value, which the caller
// must show once: nobody can read it again.
func (w *World) AddClientSecret(app *Application, displayName string, lifetime time.Duration) *ClientSecret {
	if lifetime <= 0 {
		lifetime = DefaultSecretLifetime
	}
	value := w.ids.Secret()
	s := &ClientSecret{KeyID: w.ids.GUID(), DisplayName: displayName, Hint: value[:3], Value: value, Start: w.now, End: w.now.Add(lifetime)}
	app.Secrets = append(app.Secrets, s)
	w.record(&ClientSecretAdded{AppID: app.AppID, KeyID: s.KeyID, Hint: s.Hint, Expires: s.End})
	return s
}

// ResetClientSecrets replaces every secret of the app with a new one, as
// `az ad sp credential reset` does without --append.
func (w *World) ResetClientSecrets(app *Application, lifetime time.Duration) *ClientSecret {
	app.Secrets = nil
	return w.AddClientSecret(app, "rbac", lifetime)
}
