package azure

import (
	"net/http"
	"strings"
	"time"

	"github.com/miplay/miplay/engine"
)

// Microsoft.Storage: storage accounts, their keys, and the switch that
// turns shared key access off. SKUs, replication and the endpoints other
// than blob are not modeled.

const (
	actStorageRead     = "Microsoft.Storage/storageAccounts/read"
	actStorageWrite    = "Microsoft.Storage/storageAccounts/write"
	actStorageDelete   = "Microsoft.Storage/storageAccounts/delete"
	actStorageListKeys = "Microsoft.Storage/storageAccounts/listKeys/action"
	actStorageRegen    = "Microsoft.Storage/storageAccounts/regeneratekey/action"
)

const storagePath = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Storage/storageAccounts"

var storageRoutes = []armRoute{
	{Route: Route{Method: "GET", Path: "/subscriptions/{subscriptionId}/providers/Microsoft.Storage/storageAccounts", APIVersions: storageAPI, Action: actStorageRead,
		Summary: "List the storage accounts of the subscription (az storage account list)."}, scope: collectionScope, list: true, serve: listStorage},
	{Route: Route{Method: "GET", Path: storagePath, APIVersions: storageAPI, Action: actStorageRead,
		Summary: "List the storage accounts of a resource group."}, scope: collectionScope, list: true, serve: listStorage},
	{Route: Route{Method: "GET", Path: storagePath + "/{accountName}", APIVersions: storageAPI, Action: actStorageRead,
		Summary: "Get a storage account (az storage account show)."}, serve: getStorage},
	{Route: Route{Method: "PUT", Path: storagePath + "/{accountName}", APIVersions: storageAPI, Action: actStorageWrite,
		Summary: "Create a storage account: location, kind, sku, tags, properties.allowSharedKeyAccess (az storage account create)."}, serve: putStorage},
	{Route: Route{Method: "PATCH", Path: storagePath + "/{accountName}", APIVersions: storageAPI, Action: actStorageWrite,
		Summary: "Update a storage account: tags, properties.allowSharedKeyAccess (az storage account update --allow-shared-key-access false)."}, serve: patchStorage},
	{Route: Route{Method: "DELETE", Path: storagePath + "/{accountName}", APIVersions: storageAPI, Action: actStorageDelete,
		Summary: "Delete a storage account and its data."}, serve: deleteStorage},
	{Route: Route{Method: "POST", Path: storagePath + "/{accountName}/listKeys", APIVersions: storageAPI, Action: actStorageListKeys,
		Summary: "List the account keys key1 and key2: the secrets a managed identity makes unnecessary (az storage account keys list)."}, scope: parentScope, serve: listStorageKeys},
	{Route: Route{Method: "POST", Path: storagePath + "/{accountName}/regenerateKey", APIVersions: storageAPI, Action: actStorageRegen,
		Summary: "Regenerate key1 or key2 ({\"keyName\":\"key1\"}); everything signed with the old key stops working (az storage account keys renew)."}, scope: parentScope, serve: regenerateStorageKey},
}

type storageJSON struct {
	Kind       string            `json:"kind"`
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	Type       string            `json:"type"`
	Location   string            `json:"location"`
	Tags       map[string]string `json:"tags"`
	Properties storageProperties `json:"properties"`
}

type storageProperties struct {
	KeyCreationTime          map[string]string `json:"keyCreationTime"`
	AllowSharedKeyAccess     bool              `json:"allowSharedKeyAccess"`
	SupportsHTTPSTrafficOnly bool              `json:"supportsHttpsTrafficOnly"`
	MinimumTLSVersion        string            `json:"minimumTlsVersion"`
	AllowBlobPublicAccess    bool              `json:"allowBlobPublicAccess"`
	ProvisioningState        string            `json:"provisioningState"`
	CreationTime             string            `json:"creationTime"`
	PrimaryEndpoints         map[string]string `json:"primaryEndpoints"`
	PrimaryLocation          string            `json:"primaryLocation"`
	StatusOfPrimary          string            `json:"statusOfPrimary"`
}

// keyCreated is when key1 (i 0) or key2 (i 1) was made: the last time it
// was regenerated, or the account's creation.
func (c *armCall) keyCreated(r *engine.Resource, i int) time.Time {
	t := r.Created
	names := [2][2]string{{"key1", "primary"}, {"key2", "secondary"}}[i]
	for _, e := range c.world.Events(0) {
		if k, ok := e.(*engine.KeysRegenerated); ok && strings.EqualFold(k.AccountID, r.ID) &&
			(k.KeyName == names[0] || k.KeyName == names[1]) && !e.Meta().At.Before(r.Created) {
			t = e.Meta().At
		}
	}
	return t
}

func (c *armCall) storageView(r *engine.Resource) any {
	return storageJSON{Kind: r.Kind, ID: r.ID, Name: r.Name, Type: engine.TypeStorageAccount, Location: r.Location, Tags: tagsOrEmpty(r.Tags),
		Properties: storageProperties{
			KeyCreationTime:          map[string]string{"key1": c.keyCreated(r, 0).UTC().Format(armTime7), "key2": c.keyCreated(r, 1).UTC().Format(armTime7)},
			AllowSharedKeyAccess:     r.Storage.AllowSharedKeyAccess,
			SupportsHTTPSTrafficOnly: true,
			MinimumTLSVersion:        "TLS1_2",
			ProvisioningState:        "Succeeded",
			CreationTime:             r.Created.UTC().Format(armTime7),
			PrimaryEndpoints:         map[string]string{"blob": "https://" + r.Name + blobSuffix + "/"},
			PrimaryLocation:          r.Location,
			StatusOfPrimary:          "available",
		}}
}

func listStorage(c *armCall) { c.listOf(engine.TypeStorageAccount, c.storageView) }

func getStorage(c *armCall) {
	if r, ok := c.find(engine.TypeStorageAccount, "accountName"); ok {
		c.reply(http.StatusOK, c.storageView(r))
	}
}

func deleteStorage(c *armCall) { c.deleteResource(engine.TypeStorageAccount, "accountName") }

// storageBody is what a storage PUT or PATCH adds to the common fields.
type storageBody struct {
	Properties struct {
		AllowSharedKeyAccess *bool `json:"allowSharedKeyAccess"`
	} `json:"properties"`
}

func putStorage(c *armCall)   { c.changeStorage(false) }
func patchStorage(c *armCall) { c.changeStorage(true) }

func (c *armCall) changeStorage(patch bool) {
	var b resourceBody
	var sb storageBody
	if !c.decode(&b) || !c.decode(&sb) {
		return
	}
	r, err := c.world.FindResource(c.p["resourceGroupName"], engine.TypeStorageAccount, c.p["accountName"])
	isNew := err != nil
	if isNew {
		if patch || engine.IsFault(err, "ResourceGroupNotFound") {
			c.fail(err)
			return
		}
		if !c.requireLocation(b.Location) {
			return
		}
		if r, err = c.world.CreateStorageAccount(c.newSpec("accountName", b)); err != nil {
			c.fail(err)
			return
		}
	} else {
		c.setTags(r, b.Tags, !patch)
	}
	if v := sb.Properties.AllowSharedKeyAccess; v != nil {
		c.world.SetAllowSharedKeyAccess(r, *v)
	}
	c.reply(created(isNew), c.storageView(r))
}

// storageKeysJSON is the answer of listKeys and regenerateKey.
type storageKeysJSON struct {
	Keys []storageKeyJSON `json:"keys"`
}

type storageKeyJSON struct {
	CreationTime string `json:"creationTime"`
	KeyName      string `json:"keyName"`
	Permissions  string `json:"permissions"`
	Value        string `json:"value"`
}

func (c *armCall) storageKeys(r *engine.Resource) storageKeysJSON {
	out := storageKeysJSON{}
	for i, name := range []string{"key1", "key2"} {
		out.Keys = append(out.Keys, storageKeyJSON{CreationTime: c.keyCreated(r, i).UTC().Format(armTime7), KeyName: name, Permissions: "FULL", Value: r.Storage.Keys[i]})
	}
	return out
}

func listStorageKeys(c *armCall) {
	r, ok := c.find(engine.TypeStorageAccount, "accountName")
	if !ok {
		return
	}
	c.reply(http.StatusOK, c.storageKeys(r))
}

func regenerateStorageKey(c *armCall) {
	var b struct {
		KeyName string `json:"keyName"`
	}
	if !c.decode(&b) {
		return
	}
	r, ok := c.find(engine.TypeStorageAccount, "accountName")
	if !ok {
		return
	}
	if err := c.world.RegenerateKey(r, b.KeyName); err != nil {
		c.fail(err)
		return
	}
	c.reply(http.StatusOK, c.storageKeys(r))
}
