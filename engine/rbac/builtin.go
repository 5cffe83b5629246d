package rbac

// The GUIDs of the built-in roles that BuiltInRoles returns. "Built-in roles
// have the same role ID across clouds."
const (
	OwnerRoleID                      = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
	ContributorRoleID                = "b24988ac-6180-42a0-ab88-20f7382dd24c"
	ReaderRoleID                     = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
	UserAccessAdministratorRoleID    = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"
	RBACAdministratorRoleID          = "f58310d9-a9f6-439a-9e8d-f62e7b41a168"
	StorageBlobDataReaderRoleID      = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"
	StorageBlobDataContributorRoleID = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
	StorageBlobDataOwnerRoleID       = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"
	StorageAccountContributorRoleID  = "17d1049b-9a84-46fb-8f53-869881c3d3ab"
	KeyVaultSecretsUserRoleID        = "4633458b-17de-408a-b874-0445c86b69e6"
	KeyVaultSecretsOfficerRoleID     = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7"
	KeyVaultAdministratorRoleID      = "00482a5a-887f-4fb3-b363-3b7fe8e74483"
	KeyVaultReaderRoleID             = "21090545-7ca7-4776-b22c-e363652d74d2"
	ServiceBusDataSenderRoleID       = "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39"
	ServiceBusDataReceiverRoleID     = "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0"
	ServiceBusDataOwnerRoleID        = "090c5cfd-751d-490a-894a-3ce6f1109419"
	ManagedIdentityOperatorRoleID    = "f1a07417-d97a-45cb-824c-7a7467783830"
	ManagedIdentityContributorRoleID = "e40ec5ca-96e0-45a2-b4ff-59039f2c2b59"
	VirtualMachineContributorRoleID  = "9980e02c-c2be-4d73-94e8-173b1dc7cf3c"
	WebsiteContributorRoleID         = "de139f84-1756-47ae-9be6-808fbbe84772"
)

// BuiltInRoles returns the built-in roles miplay knows, in a stable order,
// as a fresh copy each call: the caller may change it freely.
//
// Names, GUIDs, descriptions and permissions are those of the JSON blocks in
// MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/*.md
// (the 2026 revisions). The description is the JSON "description" property,
// which is what ARM and az return; the docs page headings sometimes
// paraphrase it.
func BuiltInRoles() []RoleDefinition {
	out := make([]RoleDefinition, len(builtIns))
	for i, r := range builtIns {
		out[i] = r.clone()
		out[i].RoleType = BuiltInRole
		out[i].AssignableScopes = []string{"/"}
	}
	return out
}

// Shared action lists, copied into each role by clone.
var (
	// keyVaultActions are the control-plane actions of the Key Vault data
	// roles: read the vault, not its contents.
	keyVaultActions = []string{
		"Microsoft.Authorization/*/read",
		"Microsoft.Insights/alertRules/*",
		"Microsoft.Resources/deployments/*",
		"Microsoft.Resources/subscriptions/resourceGroups/read",
		"Microsoft.Support/*",
		"Microsoft.KeyVault/checkNameAvailability/read",
		"Microsoft.KeyVault/deletedVaults/read",
		"Microsoft.KeyVault/locations/*/read",
		"Microsoft.KeyVault/vaults/*/read",
		"Microsoft.KeyVault/operations/read",
	}
	serviceBusEntityReads = []string{
		"Microsoft.ServiceBus/*/queues/read",
		"Microsoft.ServiceBus/*/topics/read",
		"Microsoft.ServiceBus/*/topics/subscriptions/read",
	}
)

// builtIns lists the built-in roles without their RoleType and
// AssignableScopes, which are the same for all and filled in by BuiltInRoles.
var builtIns = []RoleDefinition{
	// privileged.md
	{
		ID:          OwnerRoleID,
		RoleName:    "Owner",
		Description: "Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.",
		Permissions: []Permission{{Actions: []string{"*"}}},
	},
	{
		ID:          ContributorRoleID,
		RoleName:    "Contributor",
		Description: "Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC, manage assignments in Azure Blueprints, or share image galleries.",
		Permissions: []Permission{{
			Actions: []string{"*"},
			NotActions: []string{
				"Microsoft.Authorization/*/Delete",
				"Microsoft.Authorization/*/Write",
				"Microsoft.Authorization/elevateAccess/Action",
				"Microsoft.Blueprint/blueprintAssignments/write",
				"Microsoft.Blueprint/blueprintAssignments/delete",
				"Microsoft.Compute/galleries/share/action",
				"Microsoft.Purview/consents/write",
				"Microsoft.Purview/consents/delete",
				"Microsoft.Resources/deploymentStacks/manageDenySetting/action",
				"Microsoft.Subscription/cancel/action",
				"Microsoft.Subscription/enable/action",
			},
		}},
	},
	// general.md
	{
		ID:          ReaderRoleID,
		RoleName:    "Reader",
		Description: "View all resources, but does not allow you to make any changes.",
		Permissions: []Permission{{Actions: []string{"*/read"}}},
	},
	// privileged.md
	{
		ID:          UserAccessAdministratorRoleID,
		RoleName:    "User Access Administrator",
		Description: "Lets you manage user access to Azure resources.",
		Permissions: []Permission{{Actions: []string{
			"*/read",
			"Microsoft.Authorization/*",
			"Microsoft.Support/*",
		}}},
	},
	{
		ID:          RBACAdministratorRoleID,
		RoleName:    "Role Based Access Control Administrator",
		Description: "Manage access to Azure resources by assigning roles using Azure RBAC. This role does not allow you to manage access using other ways, such as Azure Policy.",
		Permissions: []Permission{{Actions: []string{
			"Microsoft.Authorization/roleAssignments/write",
			"Microsoft.Authorization/roleAssignments/delete",
			"*/read",
			"Microsoft.Support/*",
		}}},
	},
	// storage.md
	{
		ID:          StorageBlobDataReaderRoleID,
		RoleName:    "Storage Blob Data Reader",
		Description: "Allows for read access to Azure Storage blob containers and data",
		Permissions: []Permission{{
			Actions: []string{
				"Microsoft.Storage/storageAccounts/blobServices/containers/read",
				"Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action",
			},
			DataActions: []string{
				"Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
			},
		}},
	},
	{
		ID:          StorageBlobDataContributorRoleID,
		RoleName:    "Storage Blob Data Contributor",
		Description: "Allows for read, write and delete access to Azure Storage blob containers and data",
		Permissions: []Permission{{
			Actions: []string{
				"Microsoft.Storage/storageAccounts/blobServices/containers/delete",
				"Microsoft.Storage/storageAccounts/blobServices/containers/read",
				"Microsoft.Storage/storageAccounts/blobServices/containers/write",
				"Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action",
			},
			DataActions: []string{
				"Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete",
				"Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
				"Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write",
				"Microsoft.Storage/storageAccounts/blobServices/containers/blobs/move/action",
				"Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action",
			},
		}},
	},
	{
		ID:          StorageBlobDataOwnerRoleID,
		RoleName:    "Storage Blob Data Owner",
		Description: "Allows for full access to Azure Storage blob containers and data, including assigning POSIX access control.",
		Permissions: []Permission{{
			Actions: []string{
				"Microsoft.Storage/storageAccounts/blobServices/containers/*",
				"Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action",
			},
			DataActions: []string{
				"Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*",
			},
		}},
	},
	{
		ID:          StorageAccountContributorRoleID,
		RoleName:    "Storage Account Contributor",
		Description: "Lets you manage storage accounts, including accessing storage account keys which provide full access to storage account data.",
		Permissions: []Permission{{Actions: []string{
			"Microsoft.Authorization/*/read",
			"Microsoft.Insights/alertRules/*",
			"Microsoft.Insights/diagnosticSettings/*",
			"Microsoft.Network/virtualNetworks/subnets/joinViaServiceEndpoint/action",
			"Microsoft.ResourceHealth/availabilityStatuses/read",
			"Microsoft.Resources/deployments/*",
			"Microsoft.Resources/subscriptions/resourceGroups/read",
			"Microsoft.Storage/storageAccounts/*",
			"Microsoft.Support/*",
		}}},
	},
	// security.md
	{
		ID:          KeyVaultSecretsUserRoleID,
		RoleName:    "Key Vault Secrets User",
		Description: "Read secret contents. Only works for key vaults that use the 'Azure role-based access control' permission model.",
		Permissions: []Permission{{DataActions: []string{
			"Microsoft.KeyVault/vaults/secrets/getSecret/action",
			"Microsoft.KeyVault/vaults/secrets/readMetadata/action",
		}}},
	},
	{
		ID:          KeyVaultSecretsOfficerRoleID,
		RoleName:    "Key Vault Secrets Officer",
		Description: "Perform any action on the secrets of a key vault, except manage permissions. Only works for key vaults that use the 'Azure role-based access control' permission model.",
		Permissions: []Permission{{
			Actions:     keyVaultActions,
			DataActions: []string{"Microsoft.KeyVault/vaults/secrets/*"},
		}},
	},
	{
		ID:          KeyVaultAdministratorRoleID,
		RoleName:    "Key Vault Administrator",
		Description: "Perform all data plane operations on a key vault and all objects in it, including certificates, keys, and secrets. Cannot manage key vault resources or manage role assignments. Only works for key vaults that use the 'Azure role-based access control' permission model.",
		Permissions: []Permission{{
			Actions:     keyVaultActions,
			DataActions: []string{"Microsoft.KeyVault/vaults/*"},
		}},
	},
	{
		ID:          KeyVaultReaderRoleID,
		RoleName:    "Key Vault Reader",
		Description: "Read metadata of key vaults and its certificates, keys, and secrets. Cannot read sensitive values such as secret contents or key material. Only works for key vaults that use the 'Azure role-based access control' permission model.",
		Permissions: []Permission{{
			Actions: keyVaultActions,
			DataActions: []string{
				"Microsoft.KeyVault/vaults/*/read",
				"Microsoft.KeyVault/vaults/secrets/readMetadata/action",
			},
		}},
	},
	// integration.md
	{
		ID:          ServiceBusDataSenderRoleID,
		RoleName:    "Azure Service Bus Data Sender",
		Description: "Allows for send access to Azure Service Bus resources.",
		Permissions: []Permission{{
			Actions:     serviceBusEntityReads,
			DataActions: []string{"Microsoft.ServiceBus/*/send/action"},
		}},
	},
	{
		ID:          ServiceBusDataReceiverRoleID,
		RoleName:    "Azure Service Bus Data Receiver",
		Description: "Allows for receive access to Azure Service Bus resources.",
		Permissions: []Permission{{
			Actions:     serviceBusEntityReads,
			DataActions: []string{"Microsoft.ServiceBus/*/receive/action"},
		}},
	},
	{
		ID:          ServiceBusDataOwnerRoleID,
		RoleName:    "Azure Service Bus Data Owner",
		Description: "Allows for full access to Azure Service Bus resources.",
		Permissions: []Permission{{
			Actions:     []string{"Microsoft.ServiceBus/*"},
			DataActions: []string{"Microsoft.ServiceBus/*"},
		}},
	},
	// identity.md
	{
		ID:          ManagedIdentityOperatorRoleID,
		RoleName:    "Managed Identity Operator",
		Description: "Read and Assign User Assigned Identity",
		Permissions: []Permission{{Actions: []string{
			"Microsoft.ManagedIdentity/userAssignedIdentities/*/read",
			"Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action",
			"Microsoft.Authorization/*/read",
			"Microsoft.Insights/alertRules/*",
			"Microsoft.Resources/subscriptions/resourceGroups/read",
			"Microsoft.Resources/deployments/*",
			"Microsoft.Support/*",
		}}},
	},
	{
		ID:          ManagedIdentityContributorRoleID,
		RoleName:    "Managed Identity Contributor",
		Description: "Create, Read, Update, and Delete User Assigned Identity",
		Permissions: []Permission{{Actions: []string{
			"Microsoft.ManagedIdentity/userAssignedIdentities/read",
			"Microsoft.ManagedIdentity/userAssignedIdentities/write",
			"Microsoft.ManagedIdentity/userAssignedIdentities/delete",
			"Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/read",
			"Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write",
			"Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/delete",
			"Microsoft.ManagedIdentity/userAssignedIdentities/revokeTokens/action",
			"Microsoft.Authorization/*/read",
			"Microsoft.Insights/alertRules/*",
			"Microsoft.Resources/subscriptions/resourceGroups/read",
			"Microsoft.Resources/deployments/*",
			"Microsoft.Support/*",
		}}},
	},
	// compute.md
	{
		ID:          VirtualMachineContributorRoleID,
		RoleName:    "Virtual Machine Contributor",
		Description: "Lets you manage virtual machines, but not access to them, and not the virtual network or storage account they're connected to.",
		Permissions: []Permission{{Actions: []string{
			"Microsoft.Authorization/*/read",
			"Microsoft.Compute/availabilitySets/*",
			"Microsoft.Compute/locations/*",
			"Microsoft.Compute/virtualMachines/*",
			"Microsoft.Compute/virtualMachineScaleSets/*",
			"Microsoft.Compute/cloudServices/*",
			"Microsoft.Compute/disks/write",
			"Microsoft.Compute/disks/read",
			"Microsoft.Compute/disks/delete",
			"Microsoft.Compute/hostgroups/write",
			"Microsoft.Compute/hostgroups/hosts/write",
			"Microsoft.DevTestLab/schedules/*",
			"Microsoft.Insights/alertRules/*",
			"Microsoft.Network/applicationGateways/backendAddressPools/join/action",
			"Microsoft.Network/loadBalancers/backendAddressPools/join/action",
			"Microsoft.Network/loadBalancers/inboundNatPools/join/action",
			"Microsoft.Network/loadBalancers/inboundNatRules/join/action",
			"Microsoft.Network/loadBalancers/probes/join/action",
			"Microsoft.Network/loadBalancers/read",
			"Microsoft.Network/locations/*",
			"Microsoft.Network/networkInterfaces/*",
			"Microsoft.Network/networkSecurityGroups/join/action",
			"Microsoft.Network/networkSecurityGroups/read",
			"Microsoft.Network/publicIPAddresses/join/action",
			"Microsoft.Network/publicIPAddresses/read",
			"Microsoft.Network/virtualNetworks/read",
			"Microsoft.Network/virtualNetworks/subnets/join/action",
			"Microsoft.RecoveryServices/locations/*",
			"Microsoft.RecoveryServices/Vaults/backupFabrics/backupProtectionIntent/write",
			"Microsoft.RecoveryServices/Vaults/backupFabrics/protectionContainers/protectedItems/*/read",
			"Microsoft.RecoveryServices/Vaults/backupFabrics/protectionContainers/protectedItems/read",
			"Microsoft.RecoveryServices/Vaults/backupFabrics/protectionContainers/protectedItems/write",
			"Microsoft.RecoveryServices/Vaults/backupPolicies/read",
			"Microsoft.RecoveryServices/Vaults/backupPolicies/write",
			"Microsoft.RecoveryServices/Vaults/read",
			"Microsoft.RecoveryServices/Vaults/usages/read",
			"Microsoft.RecoveryServices/Vaults/write",
			"Microsoft.ResourceHealth/availabilityStatuses/read",
			"Microsoft.Resources/deployments/*",
			"Microsoft.Resources/subscriptions/resourceGroups/read",
			"Microsoft.SerialConsole/serialPorts/connect/action",
			"Microsoft.SqlVirtualMachine/*",
			"Microsoft.Storage/storageAccounts/listKeys/action",
			"Microsoft.Storage/storageAccounts/read",
			"Microsoft.Support/*",
		}}},
	},
	// web-and-mobile.md
	{
		ID:          WebsiteContributorRoleID,
		RoleName:    "Website Contributor",
		Description: "Lets you manage websites (not web plans), but not access to them.",
		Permissions: []Permission{{Actions: []string{
			"Microsoft.Authorization/*/read",
			"Microsoft.Insights/alertRules/*",
			"Microsoft.Insights/components/*",
			"Microsoft.ResourceHealth/availabilityStatuses/read",
			"Microsoft.Resources/deployments/*",
			"Microsoft.Resources/subscriptions/resourceGroups/read",
			"Microsoft.Support/*",
			"Microsoft.Web/certificates/*",
			"Microsoft.Web/listSitesAssignedToHostName/read",
			"Microsoft.Web/serverFarms/join/action",
			"Microsoft.Web/serverFarms/read",
			"Microsoft.Web/sites/*",
		}}},
	},
}
