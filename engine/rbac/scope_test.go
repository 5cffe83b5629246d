package rbac_test

import (
	"strings"
	"testing"

	"github.com/miplay/miplay/engine/rbac"
)

const (
	sub       = "/subscriptions/00000000-0000-0000-0000-0000000000a1"
	otherSub  = "/subscriptions/00000000-0000-0000-0000-0000000000b2"
	rg        = sub + "/resourceGroups/app"
	rg2       = sub + "/resourceGroups/app2"
	account   = rg + "/providers/Microsoft.Storage/storageAccounts/st1"
	account2  = rg + "/providers/Microsoft.Storage/storageAccounts/st2"
	container = account + "/blobServices/default/containers/c1"
	vault     = rg + "/providers/Microsoft.KeyVault/vaults/kv1"
	namespace = rg + "/providers/Microsoft.ServiceBus/namespaces/sb1"
	mg        = "/providers/Microsoft.Management/managementGroups/platform"
)

func TestScopeContains(t *testing.T) {
	tests := []struct {
		scope, resource string
		want            bool
	}{
		{"/", container, true},
		{"/", "/", true},
		{sub, sub, true},
		{sub, rg, true},
		{sub, container, true},
		{rg, account, true},
		{account, account, true},
		{account, container, true},
		// Upwards: a child scope never contains its parent.
		{container, account, false},
		{rg, sub, false},
		// Sideways: siblings do not contain each other.
		{account, account2, false},
		{rg, rg2, false},
		{sub, otherSub + "/resourceGroups/app", false},
		// Segment-aware: "app" is not a prefix of "app2".
		{sub + "/resourceGroups/app", sub + "/resourceGroups/app2/providers/Microsoft.Web/sites/w", false},
		{account, account + "0", false},
		// Case-insensitive, tolerant of trailing slashes.
		{strings.ToUpper(rg), account, true},
		{rg + "/", account, true},
		{rg, account + "/", true},
		{rg + "//", rg, true},
		// An empty scope contains nothing.
		{"", account, false},
		// Management groups contain only their own path; the hierarchy is
		// not in the ids.
		{mg, mg, true},
		{mg, sub, false},
	}
	for _, tt := range tests {
		if got := rbac.ScopeContains(tt.scope, tt.resource); got != tt.want {
			t.Errorf("ScopeContains(%q, %q) = %v, want %v", tt.scope, tt.resource, got, tt.want)
		}
	}
}

func TestValidateScope(t *testing.T) {
	tests := []struct {
		scope   string
		wantErr string // "" for valid
	}{
		{"/", ""},
		{sub, ""},
		{sub + "/", ""},
		{rg, ""},
		{account, ""},
		{container, ""},
		{mg, ""},
		{"/SUBSCRIPTIONS/s/RESOURCEGROUPS/rg", ""},
		{sub + "/providers/Microsoft.Security/pricings/VirtualMachines", ""},
		{account + "/providers/Microsoft.Insights/diagnosticSettings/d1", ""},
		{sub + "/resourceGroups/my_rg-(1).x", ""},
		{"", "empty scope"},
		{"subscriptions/s", "must start with '/'"},
		{"/subscriptions", "missing subscription id"},
		{"/subscriptions//resourceGroups/rg", "empty path segment"},
		{sub + "/resourceGroups", "missing resource group name"},
		{sub + "/resourceGroups/rg.", "ends in a period"},
		{sub + "/resourceGroups/r g", "contains ' '"},
		{sub + "/resourceGroups/" + strings.Repeat("a", 91), "the limit is 90"},
		{sub + "/resourceGroups/*", "wildcard"},
		{rg + "/providers", "missing resource provider namespace"},
		{rg + "/providers/Storage/storageAccounts/st1", "not of the form {Company}.{Provider}"},
		{rg + "/providers/Microsoft.Storage", "missing resource type and name"},
		{rg + "/providers/Microsoft.Storage/storageAccounts", `resource type "storageAccounts" has no resource name`},
		{container + "/blobs", `resource type "blobs" has no resource name`},
		{rg + "/storageAccounts/st1", `expected 'providers'`},
		{"/resourceGroups/rg", "starts with /subscriptions"},
		{"/providers/Microsoft.Management/managementGroups", "missing management group id"},
		{mg + "/subscriptions/s", "nothing may follow"},
		{"/providers/Microsoft.Storage/storageAccounts/st1", "the only scope under /providers is a management group"},
		{"/tenants/t", `unexpected "tenants"`},
	}
	for _, tt := range tests {
		err := rbac.ValidateScope(tt.scope)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("ValidateScope(%q) = %v, want nil", tt.scope, err)
		case tt.wantErr != "" && err == nil:
			t.Errorf("ValidateScope(%q) = nil, want error containing %q", tt.scope, tt.wantErr)
		case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
			t.Errorf("ValidateScope(%q) = %q, want it to contain %q", tt.scope, err, tt.wantErr)
		}
	}
}

func TestLevel(t *testing.T) {
	tests := []struct {
		scope string
		want  rbac.ScopeLevel
	}{
		{"/", rbac.RootLevel},
		{mg, rbac.ManagementGroupLevel},
		{sub, rbac.SubscriptionLevel},
		{sub + "/", rbac.SubscriptionLevel},
		{rg, rbac.ResourceGroupLevel},
		{account, rbac.ResourceLevel},
		{container, rbac.ResourceLevel},
		{sub + "/providers/Microsoft.Security/pricings/VirtualMachines", rbac.ResourceLevel},
		{"nonsense", ""},
	}
	for _, tt := range tests {
		if got := rbac.Level(tt.scope); got != tt.want {
			t.Errorf("Level(%q) = %q, want %q", tt.scope, got, tt.want)
		}
	}
}

func TestAssignmentID(t *testing.T) {
	tests := []struct {
		scope, name, want string
	}{
		{account, "n1", account + "/providers/Microsoft.Authorization/roleAssignments/n1"},
		{sub + "/", "n1", sub + "/providers/Microsoft.Authorization/roleAssignments/n1"},
		{"/", "n1", "/providers/Microsoft.Authorization/roleAssignments/n1"},
	}
	for _, tt := range tests {
		if got := rbac.AssignmentID(tt.scope, tt.name); got != tt.want {
			t.Errorf("AssignmentID(%q, %q) = %q, want %q", tt.scope, tt.name, got, tt.want)
		}
	}
}
