package rbac_test

import (
	"testing"

	"github.com/miplay/miplay/engine/rbac"
)

func TestMatchAction(t *testing.T) {
	const (
		blobRead = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"
		sbSend   = "Microsoft.ServiceBus/namespaces/messages/send/action"
	)
	tests := []struct {
		pattern, action string
		want            bool
	}{
		// A lone '*' matches everything, even across '/'.
		{"*", blobRead, true},
		{"*", "", true},
		// '*' matches any run of characters, including '/'.
		{"*/read", "Microsoft.Storage/storageAccounts/read", true},
		{"*/read", blobRead, true},
		{"*/read", "Microsoft.Storage/storageAccounts/write", false},
		{"*/read", "Microsoft.Storage/storageAccounts/readKeys", false},
		{"Microsoft.ServiceBus/*/send/action", sbSend, true},
		{"Microsoft.ServiceBus/*/send/action", "Microsoft.ServiceBus/namespaces/messages/receive/action", false},
		{"Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*", blobRead, true},
		{"Microsoft.Storage/storageAccounts/blobServices/containers/*", blobRead, true},
		{"Microsoft.KeyVault/vaults/*/read", "Microsoft.KeyVault/vaults/secrets/read", true},
		{"Microsoft.KeyVault/vaults/*/read", "Microsoft.KeyVault/vaults/read", true}, // "/*/" also matches "/"
		{"Microsoft.KeyVault/vaults/*/read", "Microsoft.KeyVault/vaultsread", false},
		{"Microsoft.Storage/*", "Microsoft.Storage", false},
		{"Microsoft.Storage/*", "Microsoft.StorageSync/storageSyncServices/read", false},
		{"Microsoft.*/read", "Microsoft.Web/sites/read", true},
		// Case never matters: "permission strings are case-insensitive".
		{"Microsoft.Authorization/*/Write", "microsoft.authorization/roleassignments/write", true},
		{"MICROSOFT.STORAGE/STORAGEACCOUNTS/BLOBSERVICES/CONTAINERS/BLOBS/READ", blobRead, true},
		// Without a '*' the match is exact.
		{"Microsoft.Web/sites/read", "Microsoft.Web/sites/read", true},
		{"Microsoft.Web/sites/read", "Microsoft.Web/sites/readx", false},
		{"Microsoft.Web/sites/readx", "Microsoft.Web/sites/read", false},
		{"", "Microsoft.Web/sites/read", false},
		{"", "", true},
		// Several wildcards backtrack correctly.
		{"a*b*c", "aXbYbZc", true},
		{"a*b*c", "aXbYbZ", false},
		{"**", "anything", true},
	}
	for _, tt := range tests {
		if got := rbac.MatchAction(tt.pattern, tt.action); got != tt.want {
			t.Errorf("MatchAction(%q, %q) = %v, want %v", tt.pattern, tt.action, got, tt.want)
		}
	}
}
