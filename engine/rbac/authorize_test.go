package rbac_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/miplay/miplay/engine/rbac"
)

const (
	blobRead    = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"
	blobDelete  = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete"
	rolesWrite  = "Microsoft.Authorization/roleAssignments/write"
	accountRead = "Microsoft.Storage/storageAccounts/read"
	getSecret   = "Microsoft.KeyVault/vaults/secrets/getSecret/action"
	sbSend      = "Microsoft.ServiceBus/namespaces/messages/send/action"
	sbReceive   = "Microsoft.ServiceBus/namespaces/messages/receive/action"

	vmIdentity  = "9b1f4a52-0000-4000-8000-00000000000a" // the VM's system-assigned identity
	oldIdentity = "9b1f4a52-0000-4000-8000-00000000000b" // a deleted identity
	group       = "9b1f4a52-0000-4000-8000-00000000000c" // a group the VM's identity is in
	peekerID    = "11111111-2222-3333-4444-555555555555" // a custom role
)

var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// peeker is a custom role whose notDataActions remove blob deletion.
var peeker = rbac.RoleDefinition{
	ID:       peekerID,
	RoleName: "Blob Peeker",
	RoleType: rbac.CustomRole,
	Permissions: []rbac.Permission{{
		DataActions:    []string{"Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*"},
		NotDataActions: []string{"Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete"},
	}},
	AssignableScopes: []string{sub},
}

var lookup = rbac.LookupIn(append(rbac.BuiltInRoles(), peeker))

// assign returns an assignment of roleID to the VM's identity at scope,
// created at t0.
func assign(name, scope, roleID string) rbac.Assignment {
	return rbac.Assignment{
		ID:               rbac.AssignmentID(scope, name),
		Name:             name,
		Scope:            scope,
		RoleDefinitionID: roleID,
		PrincipalID:      vmIdentity,
		PrincipalType:    rbac.PrincipalServicePrincipal,
		Created:          t0,
	}
}

// to returns a with another principal.
func to(principal string, a rbac.Assignment) rbac.Assignment {
	a.PrincipalID = principal
	return a
}

// deleted returns a deleted at t.
func deleted(t time.Time, a rbac.Assignment) rbac.Assignment {
	a.Deleted = t
	return a
}

// data and control build requests by the VM's identity an hour after t0.
func data(action, scope string) rbac.Request {
	return rbac.Request{PrincipalID: vmIdentity, Action: action, DataAction: true, Scope: scope, At: t0.Add(time.Hour)}
}

func control(action, scope string) rbac.Request {
	r := data(action, scope)
	r.DataAction = false
	return r
}

func at(t time.Time, r rbac.Request) rbac.Request {
	r.At = t
	return r
}

func TestAuthorize(t *testing.T) {
	withGroups := data(blobRead, container)
	withGroups.Groups = []string{group}
	withMG := data(blobRead, container)
	withMG.ManagementGroups = []string{mg}

	tests := []struct {
		name        string
		req         rbac.Request
		assignments []rbac.Assignment
		propagation time.Duration
		want        bool
		outcomes    []rbac.Outcome // one per assignment
		reason      []string       // substrings of Decision.Reason
	}{
		// Scope inheritance: downwards from every level.
		{
			name:        "data role on the account reaches a container in it",
			req:         data(blobRead, container),
			assignments: []rbac.Assignment{assign("a1", account, rbac.StorageBlobDataReaderRoleID)},
			want:        true,
			outcomes:    []rbac.Outcome{rbac.Grants},
			reason:      []string{"Allowed: role 'Storage Blob Data Reader' assigned at scope '" + account + "' grants data action '" + blobRead + "' through '" + blobRead + "'."},
		},
		{
			name:        "data role on the resource group is inherited",
			req:         data(blobRead, container),
			assignments: []rbac.Assignment{assign("a1", rg, rbac.StorageBlobDataReaderRoleID)},
			want:        true,
			outcomes:    []rbac.Outcome{rbac.Grants},
		},
		{
			name:        "data role on the subscription is inherited",
			req:         data(blobRead, container),
			assignments: []rbac.Assignment{assign("a1", sub, rbac.StorageBlobDataReaderRoleID)},
			want:        true,
			outcomes:    []rbac.Outcome{rbac.Grants},
		},
		{
			name:        "root scope reaches everything",
			req:         data(blobRead, container),
			assignments: []rbac.Assignment{assign("a1", "/", rbac.StorageBlobDataReaderRoleID)},
			want:        true,
			outcomes:    []rbac.Outcome{rbac.Grants},
		},
		{
			name:        "exactly at the resource",
			req:         data(blobRead, container),
			assignments: []rbac.Assignment{assign("a1", container, rbac.StorageBlobDataReaderRoleID)},
			want:        true,
			outcomes:    []rbac.Outcome{rbac.Grants},
		},
		// No inheritance sideways or upwards.
		{
			name:        "sibling account does not count",
			req:         data(blobRead, account2+"/blobServices/default/containers/c1"),
			assignments: []rbac.Assignment{assign("a1", account, rbac.StorageBlobDataReaderRoleID)},
			want:        false,
			outcomes:    []rbac.Outcome{rbac.ScopeDoesNotApply},
			reason:      []string{"; role 'Storage Blob Data Reader' would grant it, but it is assigned at scope '" + account + "', which does not contain the resource."},
		},
		{
			name:        "container assignment does not reach up to the account",
			req:         control("Microsoft.Storage/storageAccounts/blobServices/containers/read", account),
			assignments: []rbac.Assignment{assign("a1", container, rbac.StorageBlobDataReaderRoleID)},
			want:        false,
			outcomes:    []rbac.Outcome{rbac.ScopeDoesNotApply},
		},
		{
			name:        "segment-aware: resource group app does not contain app2",
			req:         data(blobRead, rg2+"/providers/Microsoft.Storage/storageAccounts/st9"),
			assignments: []rbac.Assignment{assign("a1", rg, rbac.StorageBlobDataReaderRoleID)},
			want:        false,
			outcomes:    []rbac.Outcome{rbac.ScopeDoesNotApply},
		},
		{
			name:        "other subscription",
			req:         data(blobRead, otherSub+"/resourceGroups/app"),
			assignments: []rbac.Assignment{assign("a1", sub, rbac.StorageBlobDataReaderRoleID)},
			want:        false,
			outcomes:    []rbac.Outcome{rbac.ScopeDoesNotApply},
		},
		// Control plane and data plane are kept apart.
		{
			name:        "Owner cannot read blobs",
			req:         data(blobRead, container),
			assignments: []rbac.Assignment{assign("a1", sub, rbac.OwnerRoleID)},
			want:        false,
			outcomes:    []rbac.Outcome{rbac.ControlPlaneOnly},
			reason: []string{
				"Denied: no role assignment for principal '" + vmIdentity + "' grants data action '" + blobRead + "' at scope '" + container + "'",
				"; role 'Owner' grants actions '*' but a data action needs dataActions; Owner has none.",
			},
		},
		{
			name:        "Contributor cannot read blobs",
			req:         data(blobRead, container),
			assignments: []rbac.Assignment{assign("a1", rg, rbac.ContributorRoleID)},
			want:        false,
			outcomes:    []rbac.Outcome{rbac.ControlPlaneOnly},
			reason:      []string{"role 'Contributor' grants actions '*' but a data action needs dataActions; Contributor has none."},
		},
		{
			name:        "Reader cannot read blobs, though */read matches the string",
			req:         data(blobRead, container),
			assignments: []rbac.Assignment{assign("a1", account, rbac.ReaderRoleID)},
			want:        false,
			outcomes:    []rbac.Outcome{rbac.ControlPlaneOnly},
			reason:      []string{"role 'Reader' grants actions '*/read' but a data action needs dataActions; Reader has none."},
		},
		{
			name:        "Reader can read the account",
			req:         control(accountRead, account),
			assignments: []rbac.Assignment{assign("a1", account, rbac.ReaderRoleID)},
			want:        true,
			outcomes:    []rbac.Outcome{rbac.Grants},
			reason:      []string{"grants action '" + accountRead + "' through '*/read'."},
		},
		{
			name:        "a data role's dataActions do not grant a control-plane action",
			req:         control(getSecret, vault),
			assignments: []rbac.Assignment{assign("a1", vault, rbac.KeyVaultSecretsUserRoleID)},
			want:        false,
			outcomes:    []rbac.Outcome{rbac.DataPlaneOnly},
			reason:      []string{"role 'Key Vault Secrets User' grants dataActions '" + getSecret + "' but a control-plane action needs actions; Key Vault Secrets User has none."},
		},
		{
			name:        "Key Vault Secrets Officer: data action outside its dataActions, with actions present",
			req:         data("Microsoft.KeyVault/vaults/keys/read", vault),
			assignments: []rbac.Assignment{assign("a1", vault, rbac.KeyVaultSecretsOfficerRoleID)},
			want:        false,
			outcomes:    []rbac.Outcome{rbac.ControlPlaneOnly},
			reason:      []string{"; role 'Key Vault Secrets Officer' grants actions 'Microsoft.KeyVault/vaults/*/read' but a data action needs dataActions; none of Key Vault Secrets Officer's dataActions match it."},
		},
		// Additive across roles.
		{
			name: "Owner plus a data role",
			req:  data(blobRead, container),
			assignments: []rbac.Assignment{
				assign("a1", sub, rbac.OwnerRoleID),
				assign("a2", account, rbac.StorageBlobDataReaderRoleID),
			},
			want:     true,
			outcomes: []rbac.Outcome{rbac.ControlPlaneOnly, rbac.Grants},
		},
		{
			name: "two granting assignments",
			req:  data(blobRead, container),
			assignments: []rbac.Assignment{
				assign("a1", sub, rbac.StorageBlobDataOwnerRoleID),
				assign("a2", account, rbac.StorageBlobDataReaderRoleID),
			},
			want:     true,
			outcomes: []rbac.Outcome{rbac.Grants, rbac.Grants},
			reason:   []string{"Allowed: role 'Storage Blob Data Owner'", "through 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*' (1 other assignment also grants it)."},
		},
		// NotActions subtract within a role only.
		{
			name:        "Contributor cannot assign roles",
			req:         control(rolesWrite, rg),
			assignments: []rbac.Assignment{assign("a1", sub, rbac.ContributorRoleID)},
			want:        false,
			outcomes:    []rbac.Outcome{rbac.ExcludedByNot},
			reason:      []string{"; role 'Contributor' lists it through '*' but removes it again through its notActions entry 'Microsoft.Authorization/*/Write'."},
		},
		{
			name: "NotActions is not a deny rule",
			req:  control(rolesWrite, rg),
			assignments: []rbac.Assignment{
				assign("a1", sub, rbac.ContributorRoleID),
				assign("a2", rg, rbac.UserAccessAdministratorRoleID),
			},
			want:     true,
			outcomes: []rbac.Outcome{rbac.ExcludedByNot, rbac.Grants},
			reason:   []string{"Allowed: role 'User Access Administrator'", "through 'Microsoft.Authorization/*'"},
		},
		{
			name:        "notDataActions subtract from a custom role",
			req:         data(blobDelete, container),
			assignments: []rbac.Assignment{assign("a1", account, peekerID)},
			want:        false,
			outcomes:    []rbac.Outcome{rbac.ExcludedByNot},
			reason:      []string{"its notDataActions entry '" + blobDelete + "'"},
		},
		{
			name: "another role grants what notDataActions removed",
			req:  data(blobDelete, container),
			assignments: []rbac.Assignment{
				assign("a1", account, peekerID),
				assign("a2", rg, rbac.StorageBlobDataContributorRoleID),
			},
			want:     true,
			outcomes: []rbac.Outcome{rbac.ExcludedByNot, rbac.Grants},
		},
		{
			name:        "the custom role still grants what it does not exclude",
			req:         data(blobRead, container),
			assignments: []rbac.Assignment{assign("a1", account, peekerID)},
			want:        true,
			outcomes:    []rbac.Outcome{rbac.Grants},
		},
		// Wildcards and case.
		{
			name:        "Service Bus sender: * spans several segments",
			req:         data(sbSend, namespace+"/queues/orders"),
			assignments: []rbac.Assignment{assign("a1", namespace, rbac.ServiceBusDataSenderRoleID)},
			want:        true,
			outcomes:    []rbac.Outcome{rbac.Grants},
			reason:      []string{"through 'Microsoft.ServiceBus/*/send/action'"},
		},
		{
			name:        "Service Bus sender cannot receive",
			req:         data(sbReceive, namespace+"/queues/orders"),
			assignments: []rbac.Assignment{assign("a1", namespace, rbac.ServiceBusDataSenderRoleID)},
			want:        false,
			outcomes:    []rbac.Outcome{rbac.ActionNotInRole},
			reason:      []string{"; its role 'Azure Service Bus Data Sender' here does not include it."},
		},
		{
			name: "several roles without the action are all named",
			req:  data(getSecret, vault),
			assignments: []rbac.Assignment{
				assign("a1", vault, rbac.KeyVaultReaderRoleID),
				assign("a2", rg, rbac.StorageBlobDataReaderRoleID),
			},
			want:     false,
			outcomes: []rbac.Outcome{rbac.ActionNotInRole, rbac.ActionNotInRole},
			reason:   []string{"; its roles here ('Key Vault Reader', 'Storage Blob Data Reader') do not include it."},
		},
		{
			name:        "case-insensitive action, scope and principal",
			req:         rbac.Request{PrincipalID: strings.ToUpper(vmIdentity), Action: strings.ToLower(blobRead), DataAction: true, Scope: strings.ToLower(container), At: t0},
			assignments: []rbac.Assignment{assign("a1", strings.ToUpper(account), rbac.StorageBlobDataReaderRoleID)},
			want:        true,
			outcomes:    []rbac.Outcome{rbac.Grants},
		},
		{
			name:        "trailing slashes are ignored",
			req:         data(blobRead, container+"/"),
			assignments: []rbac.Assignment{assign("a1", account+"/", rbac.StorageBlobDataReaderRoleID)},
			want:        true,
			outcomes:    []rbac.Outcome{rbac.Grants},
		},
		// Propagation.
		{
			name:        "new assignment still propagating",
			req:         at(t0.Add(5*time.Minute), data(blobRead, container)),
			assignments: []rbac.Assignment{assign("a1", account, rbac.StorageBlobDataReaderRoleID)},
			propagation: 10 * time.Minute,
			want:        false,
			outcomes:    []rbac.Outcome{rbac.NotYetEffective},
			reason:      []string{"; role 'Storage Blob Data Reader' at scope '" + account + "' would grant it through '" + blobRead + "' but has not taken effect yet"},
		},
		{
			name:        "new assignment has propagated",
			req:         at(t0.Add(10*time.Minute), data(blobRead, container)),
			assignments: []rbac.Assignment{assign("a1", account, rbac.StorageBlobDataReaderRoleID)},
			propagation: 10 * time.Minute,
			want:        true,
			outcomes:    []rbac.Outcome{rbac.Grants},
		},
		{
			name:        "request before the assignment was made",
			req:         at(t0.Add(-time.Second), data(blobRead, container)),
			assignments: []rbac.Assignment{assign("a1", account, rbac.StorageBlobDataReaderRoleID)},
			want:        false,
			outcomes:    []rbac.Outcome{rbac.NotYetEffective},
		},
		{
			name:        "zero propagation takes effect at once",
			req:         at(t0, data(blobRead, container)),
			assignments: []rbac.Assignment{assign("a1", account, rbac.StorageBlobDataReaderRoleID)},
			want:        true,
			outcomes:    []rbac.Outcome{rbac.Grants},
		},
		{
			name:        "deleted assignment still works while the deletion propagates",
			req:         at(t0.Add(65*time.Minute), data(blobRead, container)),
			assignments: []rbac.Assignment{deleted(t0.Add(time.Hour), assign("a1", account, rbac.StorageBlobDataReaderRoleID))},
			propagation: 10 * time.Minute,
			want:        true,
			outcomes:    []rbac.Outcome{rbac.Grants},
		},
		{
			name:        "deleted assignment stops after propagation",
			req:         at(t0.Add(70*time.Minute), data(blobRead, container)),
			assignments: []rbac.Assignment{deleted(t0.Add(time.Hour), assign("a1", account, rbac.StorageBlobDataReaderRoleID))},
			propagation: 10 * time.Minute,
			want:        false,
			outcomes:    []rbac.Outcome{rbac.NoLongerEffective},
			reason:      []string{"granted it through '" + blobRead + "' until the assignment was deleted"},
		},
		{
			name:        "deleted assignment with zero propagation",
			req:         at(t0.Add(time.Hour), data(blobRead, container)),
			assignments: []rbac.Assignment{deleted(t0.Add(time.Hour), assign("a1", account, rbac.StorageBlobDataReaderRoleID))},
			want:        false,
			outcomes:    []rbac.Outcome{rbac.NoLongerEffective},
		},
		// Principals.
		{
			name: "orphaned assignment of a deleted identity is listed, not used",
			req:  data(blobRead, container),
			assignments: []rbac.Assignment{
				to(oldIdentity, assign("a1", account, rbac.StorageBlobDataReaderRoleID)),
			},
			want:     false,
			outcomes: []rbac.Outcome{rbac.OtherPrincipal},
			reason:   []string{"; it has no role assignments."},
		},
		{
			name: "group membership",
			req:  withGroups,
			assignments: []rbac.Assignment{
				to(group, assign("a1", account, rbac.StorageBlobDataReaderRoleID)),
			},
			want:     true,
			outcomes: []rbac.Outcome{rbac.Grants},
			reason:   []string{"Allowed: role 'Storage Blob Data Reader' assigned to group '" + group + "' at scope"},
		},
		{
			name: "group assignment without membership",
			req:  data(blobRead, container),
			assignments: []rbac.Assignment{
				to(group, assign("a1", account, rbac.StorageBlobDataReaderRoleID)),
			},
			want:     false,
			outcomes: []rbac.Outcome{rbac.OtherPrincipal},
		},
		// Management groups.
		{
			name:        "management group above the subscription",
			req:         withMG,
			assignments: []rbac.Assignment{assign("a1", mg, rbac.StorageBlobDataReaderRoleID)},
			want:        true,
			outcomes:    []rbac.Outcome{rbac.Grants},
		},
		{
			name:        "management group not known to be above the subscription",
			req:         data(blobRead, container),
			assignments: []rbac.Assignment{assign("a1", mg, rbac.StorageBlobDataReaderRoleID)},
			want:        false,
			outcomes:    []rbac.Outcome{rbac.ScopeDoesNotApply},
		},
		// Broken data.
		{
			name:        "role definition not found",
			req:         data(blobRead, container),
			assignments: []rbac.Assignment{assign("a1", account, "00000000-0000-0000-0000-000000000000")},
			want:        false,
			outcomes:    []rbac.Outcome{rbac.RoleNotFound},
			reason:      []string{"refers to role definition '00000000-0000-0000-0000-000000000000', which does not exist."},
		},
		{
			name:        "no assignments at all",
			req:         data(blobRead, container),
			assignments: nil,
			want:        false,
			outcomes:    []rbac.Outcome{},
			reason:      []string{"; it has no role assignments."},
		},
		{
			name: "assignments that apply nowhere near",
			req:  data(blobRead, container),
			assignments: []rbac.Assignment{
				assign("a1", vault, rbac.KeyVaultSecretsUserRoleID),
			},
			want:     false,
			outcomes: []rbac.Outcome{rbac.ScopeDoesNotApply},
			reason:   []string{"; none of its role assignments applies here."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := rbac.Authorize(tt.req, tt.assignments, lookup, tt.propagation)
			if d.Allowed != tt.want {
				t.Errorf("Allowed = %v, want %v\nReason: %s", d.Allowed, tt.want, d.Reason)
			}
			var got []rbac.Outcome
			for _, c := range d.Considered {
				got = append(got, c.Outcome)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.outcomes) {
				t.Errorf("outcomes = %v, want %v", got, tt.outcomes)
			}
			for _, w := range tt.reason {
				if !strings.Contains(d.Reason, w) {
					t.Errorf("Reason = %q\nwant it to contain %q", d.Reason, w)
				}
			}
			if strings.Count(d.Reason, ". ") > 0 || !strings.HasSuffix(d.Reason, ".") {
				t.Errorf("Reason = %q, want one sentence", d.Reason)
			}
			var granting []string
			for _, c := range d.Considered {
				if c.Outcome == rbac.Grants {
					granting = append(granting, c.AssignmentID)
				}
				if c.Explanation == "" {
					t.Errorf("assignment %s has no explanation", c.AssignmentID)
				}
			}
			if fmt.Sprint(granting) != fmt.Sprint(d.Granting) {
				t.Errorf("Granting = %v, want %v", d.Granting, granting)
			}
		})
	}
}

func TestAuthorizeConsiders(t *testing.T) {
	assignments := []rbac.Assignment{
		to(oldIdentity, assign("a1", account, rbac.StorageBlobDataReaderRoleID)),
		assign("a2", sub, rbac.OwnerRoleID),
		assign("a3", vault, rbac.KeyVaultSecretsUserRoleID),
		assign("a4", account, rbac.StorageBlobDataReaderRoleID),
		assign("a5", rg, "00000000-0000-0000-0000-000000000000"),
	}
	d := rbac.Authorize(data(blobRead, container), assignments, lookup, 0)
	want := []rbac.Consideration{
		{
			AssignmentID: assignments[0].ID, RoleDefinitionID: rbac.StorageBlobDataReaderRoleID, RoleName: "Storage Blob Data Reader",
			Scope: account, PrincipalID: oldIdentity, Outcome: rbac.OtherPrincipal,
			Explanation: "Assigned to ServicePrincipal '" + oldIdentity + "', not to principal '" + vmIdentity + "'.",
		},
		{
			AssignmentID: assignments[1].ID, RoleDefinitionID: rbac.OwnerRoleID, RoleName: "Owner",
			Scope: sub, PrincipalID: vmIdentity, Outcome: rbac.ControlPlaneOnly, MatchedBy: "*",
			Explanation: "Role 'Owner' matches '" + blobRead + "' only in its actions ('*'); a data action needs dataActions, and Owner has none.",
		},
		{
			AssignmentID: assignments[2].ID, RoleDefinitionID: rbac.KeyVaultSecretsUserRoleID, RoleName: "Key Vault Secrets User",
			Scope: vault, PrincipalID: vmIdentity, Outcome: rbac.ScopeDoesNotApply,
			Explanation: "Scope '" + vault + "' is neither '" + container + "' nor one of its ancestors, so the assignment does not reach it.",
		},
		{
			AssignmentID: assignments[3].ID, RoleDefinitionID: rbac.StorageBlobDataReaderRoleID, RoleName: "Storage Blob Data Reader",
			Scope: account, PrincipalID: vmIdentity, Outcome: rbac.Grants, MatchedBy: blobRead,
			Explanation: "Role 'Storage Blob Data Reader' at scope '" + account + "' grants data action '" + blobRead + "' through '" + blobRead + "'.",
		},
		{
			AssignmentID: assignments[4].ID, RoleDefinitionID: "00000000-0000-0000-0000-000000000000",
			Scope: rg, PrincipalID: vmIdentity, Outcome: rbac.RoleNotFound,
			Explanation: "Role definition '00000000-0000-0000-0000-000000000000' does not exist, so the assignment grants nothing.",
		},
	}
	if len(d.Considered) != len(want) {
		t.Fatalf("Considered has %d entries, want %d", len(d.Considered), len(want))
	}
	for i := range want {
		if got := d.Considered[i]; got != want[i] {
			t.Errorf("Considered[%d] =\n%+v\nwant\n%+v", i, got, want[i])
		}
	}
	if got, want := d.Granting, []string{assignments[3].ID}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Granting = %v, want %v", got, want)
	}
	if !d.Allowed {
		t.Error("Allowed = false, want true")
	}
}

func TestAuthorizeExplanations(t *testing.T) {
	const p = 10 * time.Minute
	tests := []struct {
		name        string
		req         rbac.Request
		a           rbac.Assignment
		propagation time.Duration
		want        string
	}{
		{
			"upwards", control(accountRead, account), assign("a1", container, rbac.ReaderRoleID), 0,
			"Scope '" + container + "' is below '" + account + "': role assignments are inherited downwards, never upwards. Role 'Reader' would grant action '" + accountRead + "' through '*/read'.",
		},
		{
			"wrong scope that would grant", data(blobRead, account2), assign("a1", account, rbac.StorageBlobDataReaderRoleID), 0,
			"Scope '" + account + "' is neither '" + account2 + "' nor one of its ancestors, so the assignment does not reach it. Role 'Storage Blob Data Reader' would grant data action '" + blobRead + "' through '" + blobRead + "'.",
		},
		{
			"propagating", at(t0.Add(time.Minute), data(blobRead, container)), assign("a1", account, rbac.StorageBlobDataReaderRoleID), p,
			"Created at 2026-03-01T09:00:00Z; with a propagation delay of 10m0s it takes effect at 2026-03-01T09:10:00Z, after this request at 2026-03-01T09:01:00Z. Role 'Storage Blob Data Reader' would grant data action '" + blobRead + "' through '" + blobRead + "'.",
		},
		{
			"management group", data(blobRead, container), assign("a1", mg, rbac.StorageBlobDataReaderRoleID), 0,
			"Management group '" + mg + "' is not among the management groups known to contain '" + container + "', so the assignment does not reach it. Role 'Storage Blob Data Reader' would grant data action '" + blobRead + "' through '" + blobRead + "'.",
		},
		{
			"not created yet", at(t0.Add(-time.Minute), control(accountRead, account)), assign("a1", account, rbac.ReaderRoleID), 0,
			"Created at 2026-03-01T09:00:00Z, after this request at 2026-03-01T08:59:00Z. Role 'Reader' would grant action '" + accountRead + "' through '*/read'.",
		},
		{
			"deleted", at(t0.Add(2*time.Hour), control(accountRead, account)), deleted(t0.Add(time.Hour), assign("a1", account, rbac.ReaderRoleID)), p,
			"Deleted at 2026-03-01T10:00:00Z; with a propagation delay of 10m0s it stopped taking effect at 2026-03-01T10:10:00Z, before this request at 2026-03-01T11:00:00Z. Role 'Reader' would grant action '" + accountRead + "' through '*/read'.",
		},
		{
			"deleted, no delay", at(t0.Add(2*time.Hour), control(accountRead, account)), deleted(t0.Add(time.Hour), assign("a1", account, rbac.ReaderRoleID)), 0,
			"Deleted at 2026-03-01T10:00:00Z, before this request at 2026-03-01T11:00:00Z. Role 'Reader' would grant action '" + accountRead + "' through '*/read'.",
		},
		{
			"deleted but propagating", at(t0.Add(61*time.Minute), control(accountRead, account)), deleted(t0.Add(time.Hour), assign("a1", account, rbac.ReaderRoleID)), p,
			"Role 'Reader' at scope '" + account + "' grants action '" + accountRead + "' through '*/read'. The assignment was deleted at 2026-03-01T10:00:00Z but stays in effect until 2026-03-01T10:10:00Z (propagation delay 10m0s).",
		},
		{
			"excluded", control(rolesWrite, rg), assign("a1", sub, rbac.ContributorRoleID), 0,
			"Role 'Contributor' lists '*' in its actions, but its notActions remove it through 'Microsoft.Authorization/*/Write'.",
		},
		{
			"no data actions at all", data(blobRead, container), assign("a1", rg, rbac.WebsiteContributorRoleID), 0,
			"Role 'Website Contributor' has no dataActions at all, so it grants no data action.",
		},
		{
			"not in the list", data(sbReceive, namespace), assign("a1", namespace, rbac.ServiceBusDataSenderRoleID), 0,
			"Role 'Azure Service Bus Data Sender' has no dataActions matching '" + sbReceive + "'.",
		},
		{
			"via group", func() rbac.Request { r := data(blobRead, container); r.Groups = []string{group}; return r }(),
			to(group, assign("a1", account, rbac.StorageBlobDataReaderRoleID)), 0,
			"Role 'Storage Blob Data Reader' at scope '" + account + "' grants data action '" + blobRead + "' through '" + blobRead + "'. The principal holds it through group '" + group + "'.",
		},
		{
			"other principal, with groups", func() rbac.Request { r := data(blobRead, container); r.Groups = []string{group}; return r }(),
			func() rbac.Assignment {
				a := to(oldIdentity, assign("a1", account, rbac.StorageBlobDataReaderRoleID))
				a.PrincipalType = ""
				return a
			}(), 0,
			"Assigned to principal '" + oldIdentity + "', not to principal '" + vmIdentity + "' or one of its groups.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := rbac.Authorize(tt.req, []rbac.Assignment{tt.a}, lookup, tt.propagation)
			if got := d.Considered[0].Explanation; got != tt.want {
				t.Errorf("Explanation =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestAuthorizeNilLookup(t *testing.T) {
	d := rbac.Authorize(data(blobRead, container), []rbac.Assignment{assign("a1", account, rbac.StorageBlobDataReaderRoleID)}, nil, 0)
	if d.Allowed || d.Considered[0].Outcome != rbac.RoleNotFound {
		t.Errorf("with a nil RoleLookup: Allowed = %v, outcome %s; want false, RoleNotFound", d.Allowed, d.Considered[0].Outcome)
	}
}

func TestEffectiveAt(t *testing.T) {
	const p = 10 * time.Minute
	live := assign("a1", account, rbac.ReaderRoleID)
	gone := deleted(t0.Add(time.Hour), live)
	tests := []struct {
		a    rbac.Assignment
		at   time.Time
		p    time.Duration
		want bool
	}{
		{live, t0.Add(-time.Nanosecond), 0, false},
		{live, t0, 0, true},
		{live, t0.Add(p - time.Nanosecond), p, false},
		{live, t0.Add(p), p, true},
		{live, t0.Add(100 * time.Hour), p, true},
		{gone, t0.Add(time.Hour - time.Nanosecond), 0, true},
		{gone, t0.Add(time.Hour), 0, false},
		{gone, t0.Add(time.Hour + p - time.Nanosecond), p, true},
		{gone, t0.Add(time.Hour + p), p, false},
	}
	for _, tt := range tests {
		if got := tt.a.EffectiveAt(tt.at, tt.p); got != tt.want {
			t.Errorf("EffectiveAt(%s, %s) with Deleted=%s = %v, want %v", tt.at.Format(time.RFC3339Nano), tt.p, tt.a.Deleted.Format(time.RFC3339), got, tt.want)
		}
	}
}

func TestOutcome(t *testing.T) {
	all := []rbac.Outcome{
		rbac.OtherPrincipal, rbac.ScopeDoesNotApply, rbac.NotYetEffective, rbac.NoLongerEffective, rbac.RoleNotFound,
		rbac.ActionNotInRole, rbac.ExcludedByNot, rbac.ControlPlaneOnly, rbac.DataPlaneOnly, rbac.Grants,
	}
	seen := map[string]bool{}
	for _, o := range all {
		if o.String() != string(o) {
			t.Errorf("%q.String() = %q", string(o), o.String())
		}
		desc := o.Description()
		if desc == "" || strings.HasPrefix(desc, "unknown") || seen[desc] {
			t.Errorf("%s.Description() = %q, want a distinct explanation", o, desc)
		}
		seen[desc] = true
	}
	if got := rbac.Outcome("Bogus").Description(); got != "unknown outcome Bogus" {
		t.Errorf("Bogus.Description() = %q", got)
	}
}

func BenchmarkAuthorize(b *testing.B) {
	// 50 assignments, as in a busy sandbox: most for other principals, some
	// for the caller at unrelated scopes, and the granting one last.
	var assignments []rbac.Assignment
	roles := []string{rbac.ReaderRoleID, rbac.ContributorRoleID, rbac.OwnerRoleID, rbac.KeyVaultSecretsUserRoleID, rbac.StorageBlobDataContributorRoleID}
	for i := range 49 {
		a := assign(fmt.Sprintf("a%02d", i), fmt.Sprintf("%s/providers/Microsoft.Storage/storageAccounts/st%d", rg, i), roles[i%len(roles)])
		if i%3 != 0 {
			a.PrincipalID = fmt.Sprintf("9b1f4a52-0000-4000-8000-%012d", i)
		}
		if i%7 == 0 {
			a.Scope = sub
		}
		assignments = append(assignments, a)
	}
	assignments = append(assignments, assign("a49", account, rbac.StorageBlobDataReaderRoleID))
	req := data(blobRead, container)
	b.ReportAllocs()
	for b.Loop() {
		d := rbac.Authorize(req, assignments, lookup, 10*time.Minute)
		if !d.Allowed {
			b.Fatal(d.Reason)
		}
	}
}
