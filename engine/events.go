package engine

import (
	"fmt"
	"time"

	"github.com/miplay/miplay/engine/rbac"
)

// An Event is one change to a world, or one thing that happened in it, named
// in the past tense. Events are values: the log is the history of the world.
type Event interface {
	// Meta returns the event's sequence number and simulated time.
	Meta() EventMeta
	// Summary is one line for a learner.
	Summary() string
	setMeta(EventMeta)
}

// EventMeta is what every event carries: its position in the log and when
// it happened on the simulated clock.
type EventMeta struct {
	Seq int       `json:"seq"`
	At  time.Time `json:"at"`
}

// Meta returns m; embedding EventMeta gives an event its Meta method.
func (m EventMeta) Meta() EventMeta      { return m }
func (m *EventMeta) setMeta(n EventMeta) { *m = n }

// WorldCreated is the first event of every world.
type WorldCreated struct {
	EventMeta
	TenantID       string
	SubscriptionID string
	Seed           uint64
}

// ClockAdvanced records simulated time passing.
type ClockAdvanced struct {
	EventMeta
	By time.Duration
}

// ResourceGroupCreated records a new resource group.
type ResourceGroupCreated struct {
	EventMeta
	ID       string
	Location string
}

// ResourceGroupDeleted records a resource group and everything in it going away.
type ResourceGroupDeleted struct {
	EventMeta
	ID string
}

// ResourceCreated records a new resource.
type ResourceCreated struct {
	EventMeta
	ID   string
	Type string
}

// ResourceDeleted records a resource going away.
type ResourceDeleted struct {
	EventMeta
	ID string
}

// ServicePrincipalCreated records a new principal in the directory.
type ServicePrincipalCreated struct {
	EventMeta
	ObjectID    string
	AppID       string
	DisplayName string
	Type        PrincipalKind
}

// ServicePrincipalDeleted records a principal removed from the directory.
type ServicePrincipalDeleted struct {
	EventMeta
	ObjectID    string
	DisplayName string
	Reason      string
}

// IdentityEnabled records a system-assigned identity turned on.
type IdentityEnabled struct {
	EventMeta
	ResourceID  string
	PrincipalID string
	ClientID    string
}

// IdentityDisabled records a system-assigned identity turned off.
type IdentityDisabled struct {
	EventMeta
	ResourceID  string
	PrincipalID string
}

// UserIdentityAssigned records a user-assigned identity attached to a resource.
type UserIdentityAssigned struct {
	EventMeta
	ResourceID string
	IdentityID string
}

// UserIdentityRemoved records a user-assigned identity detached from a resource.
type UserIdentityRemoved struct {
	EventMeta
	ResourceID string
	IdentityID string
}

// CredentialRotated records Azure rolling the certificate behind a managed
// identity. The application never sees it: that is the point.
type CredentialRotated struct {
	EventMeta
	PrincipalID string
	Thumbprint  string
	NotAfter    time.Time
}

// ApplicationRegistered records a new app registration.
type ApplicationRegistered struct {
	EventMeta
	AppID       string
	DisplayName string
}

// ClientSecretAdded records a new client secret on an app registration.
type ClientSecretAdded struct {
	EventMeta
	AppID   string
	KeyID   string
	Hint    string
	Expires time.Time
}

// RoleDefinitionCreated records a custom role.
type RoleDefinitionCreated struct {
	EventMeta
	ID       string
	RoleName string
}

// RoleAssigned records a role assignment.
type RoleAssigned struct {
	EventMeta
	ID          string
	PrincipalID string
	RoleName    string
	Scope       string
}

// RoleAssignmentDeleted records a role assignment removed.
type RoleAssignmentDeleted struct {
	EventMeta
	ID string
}

// AccessChecked records an RBAC decision, allowed or denied, with its reasons.
type AccessChecked struct {
	EventMeta
	Decision rbac.Decision
}

// TokenIssued records Entra issuing an access token.
type TokenIssued struct {
	EventMeta
	Token IssuedToken
}

// TokenServedFromCache records a token endpoint answering from its cache.
type TokenServedFromCache struct {
	EventMeta
	TokenID string
	Host    string
}

// KeysRegenerated records a storage account key being regenerated.
type KeysRegenerated struct {
	EventMeta
	AccountID string
	KeyName   string
}

// DataChanged records a write to a data plane: a blob, a secret, a message.
type DataChanged struct {
	EventMeta
	ResourceID string
	Operation  string
	Item       string
}

// RequestServed records one HTTP exchange with a simulated Azure endpoint:
// who called whom, what was asked, what was answered, and why. The UI draws
// the sequence diagram from these.
type RequestServed struct {
	EventMeta
	Exchange Exchange
}

// Exchange is one request and its response, as recorded by engine/azure.
type Exchange struct {
	Caller     string // the host the request came from: "workstation", "vm-web", ...
	Service    string // "IMDS", "App Service identity", "Entra", "ARM", "Graph", "Blob", "Key Vault", "Service Bus"
	Method     string
	URL        string
	Status     int
	Request    string // the raw request, headers and body
	Response   string // the raw response, headers and body
	Decision   string // why it was allowed or refused, in one sentence
	TokenID    string // the uti of the token presented or issued, if any
	DecisionID int    // the Seq of the AccessChecked event behind it, if any
}

func (e *WorldCreated) Summary() string {
	return fmt.Sprintf("World created: tenant %s, subscription %s", e.TenantID, e.SubscriptionID)
}
func (e *ClockAdvanced) Summary() string        { return fmt.Sprintf("Clock advanced by %s", e.By) }
func (e *ResourceGroupCreated) Summary() string { return "Resource group created: " + e.ID }
func (e *ResourceGroupDeleted) Summary() string { return "Resource group deleted: " + e.ID }
func (e *ResourceCreated) Summary() string      { return "Resource created: " + e.ID }
func (e *ResourceDeleted) Summary() string      { return "Resource deleted: " + e.ID }
func (e *IdentityEnabled) Summary() string {
	return "System-assigned identity enabled on " + e.ResourceID + ": principal " + e.PrincipalID
}
func (e *IdentityDisabled) Summary() string {
	return "System-assigned identity disabled on " + e.ResourceID
}
func (e *UserIdentityAssigned) Summary() string {
	return "User-assigned identity " + e.IdentityID + " assigned to " + e.ResourceID
}
func (e *UserIdentityRemoved) Summary() string {
	return "User-assigned identity " + e.IdentityID + " removed from " + e.ResourceID
}
func (e *ApplicationRegistered) Summary() string {
	return "App registration created: " + e.DisplayName + " (" + e.AppID + ")"
}
func (e *RoleDefinitionCreated) Summary() string { return "Custom role created: " + e.RoleName }
func (e *RoleAssignmentDeleted) Summary() string { return "Role assignment deleted: " + e.ID }
func (e *TokenServedFromCache) Summary() string  { return "Token served from cache on " + e.Host }
func (e *KeysRegenerated) Summary() string {
	return "Storage key " + e.KeyName + " regenerated on " + e.AccountID
}
func (e *DataChanged) Summary() string { return e.Operation + " " + e.Item + " on " + e.ResourceID }
func (e *ServicePrincipalCreated) Summary() string {
	return fmt.Sprintf("Service principal created: %s (%s, object ID %s)", e.DisplayName, e.Type, e.ObjectID)
}
func (e *ServicePrincipalDeleted) Summary() string {
	return fmt.Sprintf("Service principal deleted: %s (%s): %s", e.DisplayName, e.ObjectID, e.Reason)
}
func (e *CredentialRotated) Summary() string {
	return "Azure rotated the credential behind managed identity " + e.PrincipalID + " (the application saw nothing)"
}
func (e *ClientSecretAdded) Summary() string {
	return fmt.Sprintf("Client secret %s... added to app %s, expires %s", e.Hint, e.AppID, e.Expires.Format(time.RFC3339))
}
func (e *RoleAssigned) Summary() string {
	return fmt.Sprintf("Role '%s' assigned to %s at %s", e.RoleName, e.PrincipalID, e.Scope)
}
func (e *AccessChecked) Summary() string { return e.Decision.Reason }
func (e *TokenIssued) Summary() string {
	return fmt.Sprintf("Token issued to %s for %s via %s", e.Token.PrincipalID, e.Token.Audience, e.Token.Via)
}
func (e *RequestServed) Summary() string {
	return fmt.Sprintf("%s -> %s: %s %s -> %d", e.Exchange.Caller, e.Exchange.Service, e.Exchange.Method, e.Exchange.URL, e.Exchange.Status)
}
