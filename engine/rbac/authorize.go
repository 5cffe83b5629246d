package rbac

import (
	"fmt"
	"strings"
	"time"
)

// Request is one attempt by a principal to perform an action on a resource.
type Request struct {
	PrincipalID string
	// Groups are the object ids of the groups the principal belongs to,
	// directly or through other groups. Assignments to them apply to the
	// principal: "group assignments are transitive".
	Groups []string
	// Action is the operation, such as
	// Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read.
	Action string
	// DataAction selects the plane. When true the action is matched against
	// dataActions and notDataActions only; when false against actions and
	// notActions only. The planes are kept apart: Owner's "*" grants no data
	// action.
	DataAction bool
	// Scope is the id of the resource the action is performed on.
	Scope string
	// ManagementGroups are the scopes of the management groups that contain
	// Scope's subscription, /providers/Microsoft.Management/managementGroups/{id}.
	// The hierarchy cannot be read from resource ids, so the caller supplies
	// it; without it, management group assignments do not apply.
	ManagementGroups []string
	// At is the simulated time of the request.
	At time.Time
}

// Outcome is why one role assignment did or did not grant a request.
type Outcome string

// The outcomes, in the order Authorize checks for them.
const (
	OtherPrincipal    Outcome = "OtherPrincipal"    // assigned to someone else
	ScopeDoesNotApply Outcome = "ScopeDoesNotApply" // assigned at a scope that does not contain the resource
	NotYetEffective   Outcome = "NotYetEffective"   // created, but still propagating
	NoLongerEffective Outcome = "NoLongerEffective" // deleted, and the deletion has propagated
	RoleNotFound      Outcome = "RoleNotFound"      // the role definition does not exist
	ActionNotInRole   Outcome = "ActionNotInRole"   // the role does not list the action
	ExcludedByNot     Outcome = "ExcludedByNot"     // the role lists it but its notActions remove it
	ControlPlaneOnly  Outcome = "ControlPlaneOnly"  // a data action matched only the role's actions
	DataPlaneOnly     Outcome = "DataPlaneOnly"     // a control-plane action matched only the role's dataActions
	Grants            Outcome = "Grants"            // the assignment grants the request
)

// String returns the outcome's name.
func (o Outcome) String() string { return string(o) }

// Description returns a short explanation of the outcome for a learner.
func (o Outcome) Description() string {
	switch o {
	case OtherPrincipal:
		return "the assignment is for a different principal"
	case ScopeDoesNotApply:
		return "the assignment's scope is not the resource or one of its ancestors"
	case NotYetEffective:
		return "the assignment has not taken effect yet (role changes take time to propagate)"
	case NoLongerEffective:
		return "the assignment was deleted and no longer takes effect"
	case RoleNotFound:
		return "the assignment refers to a role definition that does not exist"
	case ActionNotInRole:
		return "the role does not include the action"
	case ExcludedByNot:
		return "the role includes the action, but its own notActions or notDataActions remove it"
	case ControlPlaneOnly:
		return "the role grants the action only on the control plane (actions); a data action needs dataActions"
	case DataPlaneOnly:
		return "the role grants the action only on the data plane (dataActions); a control-plane action needs actions"
	case Grants:
		return "the assignment grants the request"
	}
	return "unknown outcome " + string(o)
}

// Consideration is what Authorize made of one role assignment.
type Consideration struct {
	AssignmentID     string
	RoleDefinitionID string
	RoleName         string // empty if the role was not found
	Scope            string
	PrincipalID      string
	ViaGroup         string // the group through which the assignment reaches the principal, if any
	Outcome          Outcome
	// MatchedBy is the allow pattern that matched the action, if any. It is
	// also set when the role would grant the request but the assignment does
	// not apply: wrong scope, not yet or no longer in effect.
	MatchedBy   string
	ExcludedBy  string // the notAction or notDataAction that removed it, if any
	Explanation string // one sentence a learner can read
}

// Decision is the verdict on a Request, with the reasons for it.
type Decision struct {
	Request    Request
	Allowed    bool
	Considered []Consideration // every assignment passed in, in input order
	Granting   []string        // the IDs of the assignments that grant the request
	Reason     string          // one sentence that explains the verdict
}

// RoleLookup finds a role definition by its GUID.
type RoleLookup func(roleID string) (RoleDefinition, bool)

// Authorize decides whether req is allowed by the given role assignments.
//
// Like Azure, it allows the request if at least one assignment to the
// principal (or one of its groups), in effect at req.At, at a scope that
// contains req.Scope, refers to a role whose actions (or dataActions) match
// the action and whose own notActions (or notDataActions) do not. Permissions
// add up across assignments; notActions only subtract within their role and
// are not a deny rule.
//
// Authorize looks at every assignment, so the decision lists each one with
// the reason it did or did not grant the request. Deny assignments and ABAC
// conditions are not simulated.
func Authorize(req Request, assignments []Assignment, roles RoleLookup, propagation time.Duration) Decision {
	d := Decision{Request: req, Considered: make([]Consideration, 0, len(assignments))}
	// emptyPlane[i] records whether the role of assignment i has no entries
	// at all on the plane asked for, which makes for a sharper hint.
	emptyPlane := make([]bool, 0, len(assignments))
	for _, a := range assignments {
		c, empty := consider(req, a, roles, propagation)
		if c.Outcome == Grants {
			d.Granting = append(d.Granting, a.ID)
		}
		d.Considered = append(d.Considered, c)
		emptyPlane = append(emptyPlane, empty)
	}
	d.Allowed = len(d.Granting) > 0
	d.Reason = reason(d, emptyPlane)
	return d
}

// consider works out the outcome of one assignment for req. It also reports
// whether the assignment's role has no actions (or no dataActions, for a
// data action) at all.
func consider(req Request, a Assignment, roles RoleLookup, propagation time.Duration) (c Consideration, emptyPlane bool) {
	c = Consideration{
		AssignmentID:     a.ID,
		RoleDefinitionID: a.RoleDefinitionID,
		Scope:            a.Scope,
		PrincipalID:      a.PrincipalID,
	}
	var role RoleDefinition
	found := false
	if roles != nil {
		role, found = roles(a.RoleDefinitionID)
	}
	if found {
		c.RoleName = role.RoleName
		emptyPlane = countList(role, req.DataAction) == 0
	}
	name := roleLabel(c)

	via, mine := principalMatch(a.PrincipalID, req)
	if !mine {
		c.Outcome = OtherPrincipal
		who := "principal"
		if a.PrincipalType != "" {
			who = string(a.PrincipalType)
		}
		also := ""
		if len(req.Groups) > 0 {
			also = " or one of its groups"
		}
		c.Explanation = fmt.Sprintf("Assigned to %s '%s', not to principal '%s'%s.", who, a.PrincipalID, req.PrincipalID, also)
		return c, emptyPlane
	}
	c.ViaGroup = via

	// Evaluate the role up front, so that an assignment that does not apply
	// can still say whether it would have granted the request.
	var m roleMatch
	if found {
		m = role.evaluate(req.Action, req.DataAction)
		if m.outcome == Grants {
			c.MatchedBy = m.matchedBy
		}
	}
	// would adds, to an assignment that does not apply, whether it would
	// have granted the request.
	would := func() string {
		if c.MatchedBy == "" {
			return ""
		}
		return fmt.Sprintf(" Role '%s' would grant %s through '%s'.", name, noun(req), c.MatchedBy)
	}

	switch {
	case !scopeApplies(a.Scope, req):
		c.Outcome = ScopeDoesNotApply
		c.Explanation = scopeExplanation(a.Scope, req.Scope) + would()
	case req.At.Before(a.effectiveFrom(propagation)):
		c.Outcome = NotYetEffective
		if propagation == 0 {
			c.Explanation = fmt.Sprintf("Created at %s, after this request at %s.", stamp(a.Created), stamp(req.At))
		} else {
			c.Explanation = fmt.Sprintf("Created at %s; with a propagation delay of %s it takes effect at %s, after this request at %s.",
				stamp(a.Created), propagation, stamp(a.effectiveFrom(propagation)), stamp(req.At))
		}
		c.Explanation += would()
	case a.endedBy(req.At, propagation):
		c.Outcome = NoLongerEffective
		if propagation == 0 {
			c.Explanation = fmt.Sprintf("Deleted at %s, before this request at %s.", stamp(a.Deleted), stamp(req.At))
		} else {
			c.Explanation = fmt.Sprintf("Deleted at %s; with a propagation delay of %s it stopped taking effect at %s, before this request at %s.",
				stamp(a.Deleted), propagation, stamp(a.effectiveUntil(propagation)), stamp(req.At))
		}
		c.Explanation += would()
	case !found:
		c.Outcome = RoleNotFound
		c.Explanation = fmt.Sprintf("Role definition '%s' does not exist, so the assignment grants nothing.", a.RoleDefinitionID)
	default:
		c.Outcome = m.outcome
		c.MatchedBy = m.matchedBy
		c.ExcludedBy = m.excludedBy
		c.Explanation = roleExplanation(req, a, role, m, via, propagation)
	}
	return c, emptyPlane
}

// principalMatch reports whether an assignment to principalID reaches the
// requesting principal, and through which group if not directly.
func principalMatch(principalID string, req Request) (viaGroup string, ok bool) {
	if principalID == "" {
		return "", false
	}
	if strings.EqualFold(principalID, req.PrincipalID) {
		return "", true
	}
	for _, g := range req.Groups {
		if strings.EqualFold(principalID, g) {
			return g, true
		}
	}
	return "", false
}

// scopeApplies reports whether an assignment at scope reaches req.Scope,
// directly or through one of the request's management groups.
func scopeApplies(scope string, req Request) bool {
	if ScopeContains(scope, req.Scope) {
		return true
	}
	for _, mg := range req.ManagementGroups {
		if ScopeContains(scope, mg) {
			return true
		}
	}
	return false
}

func scopeExplanation(scope, resource string) string {
	const mgPrefix = "/providers/Microsoft.Management/managementGroups/"
	if len(scope) > len(mgPrefix) && strings.EqualFold(scope[:len(mgPrefix)], mgPrefix) {
		return fmt.Sprintf("Management group '%s' is not among the management groups known to contain '%s', so the assignment does not reach it.", scope, resource)
	}
	if ScopeContains(resource, scope) {
		return fmt.Sprintf("Scope '%s' is below '%s': role assignments are inherited downwards, never upwards.", scope, resource)
	}
	return fmt.Sprintf("Scope '%s' is neither '%s' nor one of its ancestors, so the assignment does not reach it.", scope, resource)
}

// roleExplanation explains the outcome of an assignment that applies.
func roleExplanation(req Request, a Assignment, role RoleDefinition, m roleMatch, via string, propagation time.Duration) string {
	list, notList := "actions", "notActions"
	if req.DataAction {
		list, notList = "dataActions", "notDataActions"
	}
	switch m.outcome {
	case Grants:
		s := fmt.Sprintf("Role '%s' at scope '%s' grants %s through '%s'.", role.RoleName, a.Scope, noun(req), m.matchedBy)
		if via != "" {
			s += fmt.Sprintf(" The principal holds it through group '%s'.", via)
		}
		if !a.Deleted.IsZero() {
			s += fmt.Sprintf(" The assignment was deleted at %s but stays in effect until %s (propagation delay %s).",
				stamp(a.Deleted), stamp(a.effectiveUntil(propagation)), propagation)
		}
		return s
	case ExcludedByNot:
		return fmt.Sprintf("Role '%s' lists '%s' in its %s, but its %s remove it through '%s'.",
			role.RoleName, m.matchedBy, list, notList, m.excludedBy)
	case ControlPlaneOnly:
		return fmt.Sprintf("Role '%s' matches '%s' only in its actions ('%s'); a data action needs dataActions, and %s.",
			role.RoleName, req.Action, m.matchedBy, dataActionsState(role, true))
	case DataPlaneOnly:
		return fmt.Sprintf("Role '%s' matches '%s' only in its dataActions ('%s'); a control-plane action needs actions, and %s.",
			role.RoleName, req.Action, m.matchedBy, dataActionsState(role, false))
	}
	if countList(role, req.DataAction) == 0 {
		return fmt.Sprintf("Role '%s' has no %s at all, so it grants no %s.", role.RoleName, list, kind(req))
	}
	return fmt.Sprintf("Role '%s' has no %s matching '%s'.", role.RoleName, list, req.Action)
}

// dataActionsState describes the role's list on the plane that was asked
// for: "Owner has none", or "none of Reader's dataActions match it".
func dataActionsState(role RoleDefinition, dataAction bool) string {
	list := "actions"
	if dataAction {
		list = "dataActions"
	}
	if countList(role, dataAction) == 0 {
		return role.RoleName + " has none"
	}
	return fmt.Sprintf("none of %s's %s match it", role.RoleName, list)
}

func countList(role RoleDefinition, dataAction bool) int {
	n := 0
	for _, p := range role.Permissions {
		if dataAction {
			n += len(p.DataActions)
		} else {
			n += len(p.Actions)
		}
	}
	return n
}

// reason writes the one-sentence summary of a decision.
func reason(d Decision, emptyPlane []bool) string {
	req := d.Request
	if d.Allowed {
		var g Consideration
		for _, c := range d.Considered {
			if c.Outcome == Grants {
				g = c
				break
			}
		}
		to := ""
		if g.ViaGroup != "" {
			to = fmt.Sprintf(" to group '%s'", g.ViaGroup)
		}
		more := ""
		if n := len(d.Granting) - 1; n == 1 {
			more = " (1 other assignment also grants it)"
		} else if n > 1 {
			more = fmt.Sprintf(" (%d other assignments also grant it)", n)
		}
		return fmt.Sprintf("Allowed: role '%s' assigned%s at scope '%s' grants %s through '%s'%s.",
			g.RoleName, to, g.Scope, noun(req), g.MatchedBy, more)
	}
	return fmt.Sprintf("Denied: no role assignment for principal '%s' grants %s at scope '%s'%s.",
		req.PrincipalID, noun(req), req.Scope, denialHint(d, emptyPlane))
}

// denialHint picks the most useful thing to tell a learner about a denial,
// as a clause starting with "; ", or "".
func denialHint(d Decision, emptyPlane []bool) string {
	req := d.Request
	type item struct {
		Consideration
		emptyPlane bool
	}
	var mine []item
	for i, c := range d.Considered {
		if c.Outcome != OtherPrincipal {
			mine = append(mine, item{c, emptyPlane[i]})
		}
	}
	if len(mine) == 0 {
		return "; it has no role assignments"
	}
	first := func(o Outcome, wouldGrant bool) (item, bool) {
		for _, c := range mine {
			if c.Outcome == o && (!wouldGrant || c.MatchedBy != "") {
				return c, true
			}
		}
		return item{}, false
	}
	// planeState finishes a ControlPlaneOnly or DataPlaneOnly hint.
	planeState := func(c item) string {
		if c.emptyPlane {
			return c.RoleName + " has none"
		}
		list := "actions"
		if req.DataAction {
			list = "dataActions"
		}
		return fmt.Sprintf("none of %s's %s match it", c.RoleName, list)
	}
	if c, ok := first(NotYetEffective, true); ok {
		return fmt.Sprintf("; role '%s' at scope '%s' would grant it through '%s' but has not taken effect yet (role assignments take time to propagate)",
			roleLabel(c.Consideration), c.Scope, c.MatchedBy)
	}
	if c, ok := first(NoLongerEffective, true); ok {
		return fmt.Sprintf("; role '%s' at scope '%s' granted it through '%s' until the assignment was deleted",
			roleLabel(c.Consideration), c.Scope, c.MatchedBy)
	}
	if c, ok := first(ExcludedByNot, false); ok {
		list := "notActions"
		if req.DataAction {
			list = "notDataActions"
		}
		return fmt.Sprintf("; role '%s' lists it through '%s' but removes it again through its %s entry '%s'",
			c.RoleName, c.MatchedBy, list, c.ExcludedBy)
	}
	if c, ok := first(ControlPlaneOnly, false); ok {
		return fmt.Sprintf("; role '%s' grants actions '%s' but a data action needs dataActions; %s",
			c.RoleName, c.MatchedBy, planeState(c))
	}
	if c, ok := first(DataPlaneOnly, false); ok {
		return fmt.Sprintf("; role '%s' grants dataActions '%s' but a control-plane action needs actions; %s",
			c.RoleName, c.MatchedBy, planeState(c))
	}
	if c, ok := first(ScopeDoesNotApply, true); ok {
		return fmt.Sprintf("; role '%s' would grant it, but it is assigned at scope '%s', which does not contain the resource",
			roleLabel(c.Consideration), c.Scope)
	}
	if c, ok := first(RoleNotFound, false); ok {
		return fmt.Sprintf("; assignment '%s' refers to role definition '%s', which does not exist", c.AssignmentID, c.RoleDefinitionID)
	}
	var names []string
	for _, c := range mine {
		if c.Outcome == ActionNotInRole && !contains(names, c.RoleName) {
			names = append(names, c.RoleName)
		}
	}
	switch len(names) {
	case 0:
		return "; none of its role assignments applies here"
	case 1:
		return fmt.Sprintf("; its role '%s' here does not include it", names[0])
	}
	return fmt.Sprintf("; its roles here ('%s') do not include it", strings.Join(names, "', '"))
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// roleLabel names the role of a consideration: its name, or its id when the
// role was not found.
func roleLabel(c Consideration) string {
	if c.RoleName != "" {
		return c.RoleName
	}
	return c.RoleDefinitionID
}

// kind is "data action" or "action".
func kind(req Request) string {
	if req.DataAction {
		return "data action"
	}
	return "action"
}

// noun names the requested action with its kind: data action 'X'.
func noun(req Request) string {
	return fmt.Sprintf("%s '%s'", kind(req), req.Action)
}

// stamp formats a simulated time for explanations.
func stamp(t time.Time) string {
	return t.UTC().Format(time.RFC3339)
}
