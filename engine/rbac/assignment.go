package rbac

import "time"

// PrincipalType is the kind of directory object a role is assigned to.
type PrincipalType string

// The principal types of a role assignment's principalType property. Managed
// identities are service principals.
const (
	PrincipalUser             PrincipalType = "User"
	PrincipalServicePrincipal PrincipalType = "ServicePrincipal"
	PrincipalGroup            PrincipalType = "Group"
	PrincipalForeignGroup     PrincipalType = "ForeignGroup"
	PrincipalDevice           PrincipalType = "Device"
)

// Assignment is a role assignment: a role granted to a principal at a scope.
//
// Assignments outlive their principals: deleting a managed identity leaves
// its assignments in place (the portal shows "Identity not found"). They
// simply stop matching any request.
type Assignment struct {
	ID               string // {scope}/providers/Microsoft.Authorization/roleAssignments/{Name}; see AssignmentID
	Name             string // GUID
	Scope            string
	RoleDefinitionID string // the role GUID
	PrincipalID      string
	PrincipalType    PrincipalType
	Created          time.Time
	Deleted          time.Time // zero while the assignment exists
}

// EffectiveAt reports whether the assignment is in effect at time t, given
// the propagation delay: it takes effect propagation after Created and stops
// propagation after Deleted. Azure documents that "it can take up to 10
// minutes for changes to take effect"; miplay's default delay is zero.
func (a Assignment) EffectiveAt(t time.Time, propagation time.Duration) bool {
	return !t.Before(a.effectiveFrom(propagation)) && !a.endedBy(t, propagation)
}

// effectiveFrom is the time the assignment takes effect.
func (a Assignment) effectiveFrom(propagation time.Duration) time.Time {
	return a.Created.Add(propagation)
}

// effectiveUntil is the time a deleted assignment stops taking effect.
func (a Assignment) effectiveUntil(propagation time.Duration) time.Time {
	return a.Deleted.Add(propagation)
}

// endedBy reports whether a deleted assignment no longer takes effect at t.
func (a Assignment) endedBy(t time.Time, propagation time.Duration) bool {
	return !a.Deleted.IsZero() && !t.Before(a.effectiveUntil(propagation))
}
