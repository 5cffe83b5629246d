package azure

import (
	"net/http"

	"github.com/miplay/miplay/engine"
)

// Microsoft.KeyVault: vaults, always with the Azure RBAC permission model.
// Access policies, soft delete and purge protection are not modeled: a
// deleted vault is gone at once.

const (
	actVaultRead   = "Microsoft.KeyVault/vaults/read"
	actVaultWrite  = "Microsoft.KeyVault/vaults/write"
	actVaultDelete = "Microsoft.KeyVault/vaults/delete"
)

const vaultPath = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.KeyVault/vaults"

var keyVaultRoutes = []armRoute{
	{Route: Route{Method: "GET", Path: "/subscriptions/{subscriptionId}/providers/Microsoft.KeyVault/vaults", APIVersions: keyVaultAPI, Action: actVaultRead,
		Summary: "List the key vaults of the subscription (az keyvault list)."}, scope: collectionScope, list: true, serve: listVaults},
	{Route: Route{Method: "GET", Path: vaultPath, APIVersions: keyVaultAPI, Action: actVaultRead,
		Summary: "List the key vaults of a resource group."}, scope: collectionScope, list: true, serve: listVaults},
	{Route: Route{Method: "GET", Path: vaultPath + "/{vaultName}", APIVersions: keyVaultAPI, Action: actVaultRead,
		Summary: "Get a key vault: vaultUri, tenantId, enableRbacAuthorization (az keyvault show)."}, serve: getVault},
	{Route: Route{Method: "PUT", Path: vaultPath + "/{vaultName}", APIVersions: keyVaultAPI, Action: actVaultWrite,
		Summary: "Create a key vault with the Azure RBAC permission model: location, properties {tenantId, sku, enableRbacAuthorization: true}, tags (az keyvault create)."}, serve: putVault},
	{Route: Route{Method: "PATCH", Path: vaultPath + "/{vaultName}", APIVersions: keyVaultAPI, Action: actVaultWrite,
		Summary: "Update a key vault's tags."}, serve: patchVault},
	{Route: Route{Method: "DELETE", Path: vaultPath + "/{vaultName}", APIVersions: keyVaultAPI, Action: actVaultDelete,
		Summary: "Delete a key vault (no soft delete in miplay) (az keyvault delete)."}, serve: deleteVault},
}

type vaultJSON struct {
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	Type       string            `json:"type"`
	Location   string            `json:"location"`
	Tags       map[string]string `json:"tags"`
	Properties vaultProperties   `json:"properties"`
}

type vaultProperties struct {
	TenantID                     string `json:"tenantId"`
	AccessPolicies               []any  `json:"accessPolicies"`
	EnabledForDeployment         bool   `json:"enabledForDeployment"`
	EnabledForDiskEncryption     bool   `json:"enabledForDiskEncryption"`
	EnabledForTemplateDeployment bool   `json:"enabledForTemplateDeployment"`
	EnableSoftDelete             bool   `json:"enableSoftDelete"`
	EnableRbacAuthorization      bool   `json:"enableRbacAuthorization"`
	VaultURI                     string `json:"vaultUri"`
	ProvisioningState            string `json:"provisioningState"`
	PublicNetworkAccess          string `json:"publicNetworkAccess"`
}

func (c *armCall) vaultView(r *engine.Resource) any {
	return vaultJSON{ID: r.ID, Name: r.Name, Type: engine.TypeKeyVault, Location: r.Location, Tags: tagsOrEmpty(r.Tags),
		Properties: vaultProperties{TenantID: c.world.Tenant.ID, AccessPolicies: []any{}, EnableRbacAuthorization: true,
			VaultURI: r.Vault.URI, ProvisioningState: "Succeeded", PublicNetworkAccess: "Enabled"}}
}

func listVaults(c *armCall) { c.listOf(engine.TypeKeyVault, c.vaultView) }

func getVault(c *armCall) {
	if r, ok := c.find(engine.TypeKeyVault, "vaultName"); ok {
		c.reply(http.StatusOK, c.vaultView(r))
	}
}

func deleteVault(c *armCall) { c.deleteResource(engine.TypeKeyVault, "vaultName") }

func putVault(c *armCall) {
	var b resourceBody
	var vb struct {
		Properties struct {
			EnableRbacAuthorization *bool `json:"enableRbacAuthorization"`
		} `json:"properties"`
	}
	if !c.decode(&b) || !c.decode(&vb) {
		return
	}
	// Older api-versions default enableRbacAuthorization to false; az has
	// created vaults with the RBAC model by default since 2.64, and miplay
	// models only that one.
	if v := vb.Properties.EnableRbacAuthorization; v != nil && !*v {
		c.notSimulated("miplay models only key vaults that use the Azure RBAC permission model; access policies are not simulated. Set properties.enableRbacAuthorization to true.")
		return
	}
	c.putTracked(engine.TypeKeyVault, "vaultName", b, c.world.CreateKeyVault, c.vaultView)
}

func patchVault(c *armCall) { c.patchTags(engine.TypeKeyVault, "vaultName", c.vaultView) }
