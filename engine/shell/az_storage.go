package shell

import (
	"fmt"
	"strings"
	"time"

	"github.com/miplay/miplay/engine"
)

// az storage account: the control plane of Azure Storage, through ARM.
// Creating an account, reading its keys and renewing them are what the
// world without managed identities runs on: whoever holds a key can do
// anything with the account's data, and nothing records who that was.

// storageAPI is the Microsoft.Storage API version azure-cli 2.6x uses.
const storageAPI = "2023-05-01"

// The storage SKUs and kinds az accepts.
var (
	storageSKUs  = []string{"Premium_LRS", "Premium_ZRS", "Standard_GRS", "Standard_GZRS", "Standard_LRS", "Standard_RAGRS", "Standard_RAGZRS", "Standard_ZRS"}
	storageKinds = []string{"BlobStorage", "BlockBlobStorage", "FileStorage", "Storage", "StorageV2"}
	threeState   = []string{"true", "false"}
)

// storageAccountArg is -n/--name of the account commands.
var storageAccountArg = azArg{Names: []string{"--name", "-n"}, Required: true, Help: "The storage account name."}

// storageGroupArg is the optional -g of commands that find the account's
// resource group themselves when it is left out.
var storageGroupArg = azArg{Names: []string{"--resource-group", "-g"}, Help: "Name of resource group. If not given, az finds the account's group by listing the subscription's storage accounts."}

func registerAzStorage() {
	registerAz(
		&azCommand{
			Path:    "storage account create",
			Summary: "Create a storage account.",
			Args: []azArg{
				storageAccountArg,
				{Names: []string{"--resource-group", "-g"}, Required: true, Help: "Name of resource group."},
				{Names: []string{"--location", "-l"}, Help: "Location. Defaults to the resource group's location."},
				{Names: []string{"--sku"}, Choices: storageSKUs, Ignored: true, Help: "The storage account SKU. Default: Standard_RAGRS. Replication is not simulated."},
				{Names: []string{"--kind"}, Choices: storageKinds, Help: "Indicate the type of storage account. Default: StorageV2."},
				{Names: []string{"--allow-shared-key-access", "-k"}, AnyNumber: true, Choices: threeState, Help: "Whether the account accepts requests signed with an account key (Shared Key, SAS). false leaves Microsoft Entra ID (a managed identity, say) as the only way in."},
				{Names: []string{"--tags"}, Multi: true, Help: "Space-separated tags: key[=value]."},
				{Names: []string{"--access-tier"}, Choices: []string{"Cool", "Hot", "Premium"}, Ignored: true, Help: "The access tier used for billing."},
				{Names: []string{"--https-only"}, AnyNumber: true, Choices: threeState, Ignored: true, Help: "Allow https traffic only to storage service. Default: true."},
				{Names: []string{"--min-tls-version"}, Choices: []string{"TLS1_0", "TLS1_1", "TLS1_2", "TLS1_3"}, Ignored: true, Help: "The minimum TLS version."},
				{Names: []string{"--allow-blob-public-access"}, AnyNumber: true, Choices: threeState, NotSimulated: true, Help: "Allow or disallow public access to blobs and containers."},
				{Names: []string{"--assign-identity"}, Switch: true, NotSimulated: true, Help: "Give the account a system-assigned identity, for customer-managed keys."},
				{Names: []string{"--public-network-access"}, Choices: []string{"Disabled", "Enabled", "SecuredByPerimeter"}, NotSimulated: true, Help: "Allow or disallow public network access."},
				{Names: []string{"--default-action"}, Choices: []string{"Allow", "Deny"}, NotSimulated: true, Help: "The default network rule action."},
			},
			Examples: []string{
				"$ az storage account create -g rg-demo -n stdemo001 -l westeurope --sku Standard_LRS",
				"$ az storage account create -g rg-demo -n stdemo002 --allow-shared-key-access false",
			},
			NotSimulated: "Replication, access tiers, network rules, private endpoints, customer-managed keys and hierarchical namespace. Only the Blob service answers on the account's endpoints.",
			Run:          azStorageAccountCreate,
		},
		&azCommand{
			Path:    "storage account show",
			Summary: "Show storage account properties.",
			Args:    []azArg{storageAccountArg, storageGroupArg},
			Show:    true,
			Examples: []string{
				"$ az storage account show -g rg-demo -n stdemo001",
				"$ az storage account show -n stdemo001 --query id -o tsv",
			},
			Run: func(c *azCall) (any, error) {
				path, err := c.storageAccountPath(c.str("--name"), c.str("--resource-group"))
				if err != nil {
					return nil, err
				}
				out, err := c.arm("GET", path, storageAPI, nil)
				if err != nil {
					return nil, err
				}
				return storageAccountModel(out), nil
			},
		},
		&azCommand{
			Path:    "storage account list",
			Summary: "List storage accounts.",
			Args:    []azArg{{Names: []string{"--resource-group", "-g"}, Help: "Name of resource group. Without it, every account of the subscription is listed."}},
			Examples: []string{
				"$ az storage account list -g rg-demo --query [].name -o tsv",
			},
			Run: func(c *azCall) (any, error) {
				path := c.subscriptionPath()
				if g := c.str("--resource-group"); g != "" {
					path += "/resourceGroups/" + g
				}
				out, err := c.arm("GET", path+"/providers/Microsoft.Storage/storageAccounts", storageAPI, nil)
				if err != nil {
					return nil, err
				}
				list := listValue(out)
				for i, v := range list {
					if m, ok := v.(map[string]any); ok {
						list[i] = storageAccountModel(m)
					}
				}
				return list, nil
			},
		},
		&azCommand{
			Path:    "storage account delete",
			Summary: "Delete a storage account.",
			Args: []azArg{
				storageAccountArg, storageGroupArg,
				{Names: []string{"--yes", "-y"}, Switch: true, Help: "Do not prompt for confirmation."},
			},
			Examples:     []string{"$ az storage account delete -g rg-demo -n stdemo001 --yes"},
			NotSimulated: "Recovering a deleted account.",
			Run: func(c *azCall) (any, error) {
				if !c.has("--yes") {
					return nil, clierrf("Unable to prompt for confirmation as no tty available. Use --yes.")
				}
				path, err := c.storageAccountPath(c.str("--name"), c.str("--resource-group"))
				if err != nil {
					return nil, err
				}
				_, err = c.arm("DELETE", path, storageAPI, nil)
				return nil, err
			},
		},
		&azCommand{
			Path:    "storage account keys list",
			Summary: "List the access keys or Kerberos keys (if active directory enabled) for a storage account.",
			Args: []azArg{
				{Names: []string{"--account-name", "-n"}, Required: true, Help: "The storage account name."},
				storageGroupArg,
				{Names: []string{"--expand-key-type"}, Choices: []string{"kerb"}, NotSimulated: true, Help: "Also list the Kerberos keys."},
			},
			Show: true,
			Examples: []string{
				"$ az storage account keys list -g rg-demo -n stdemo001",
				"$ KEY=$(az storage account keys list -g rg-demo -n stdemo001 --query [0].value -o tsv)",
			},
			NotSimulated: "Kerberos keys.",
			Run: func(c *azCall) (any, error) {
				path, err := c.storageAccountPath(c.str("--account-name"), c.str("--resource-group"))
				if err != nil {
					return nil, err
				}
				out, err := c.arm("POST", path+"/listKeys", storageAPI+"&$expand=kerb", nil)
				if err != nil {
					return nil, err
				}
				return storageKeys(out), nil
			},
		},
		&azCommand{
			Path:    "storage account keys renew",
			Summary: "Regenerate one of the access keys for a storage account.",
			Args: []azArg{
				{Names: []string{"--account-name", "-n"}, Required: true, Help: "The storage account name."},
				storageGroupArg,
				{Names: []string{"--key"}, Required: true, Choices: []string{"primary", "secondary"}, Help: "The key to regenerate: primary (key1) or secondary (key2). Every connection string and SAS signed with the old key stops working."},
				{Names: []string{"--key-type"}, Choices: []string{"key", "kerb"}, Help: "The type of key to regenerate. Only key is simulated."},
			},
			Show: true,
			Examples: []string{
				"$ az storage account keys renew -g rg-demo -n stdemo001 --key primary --query [0].value -o tsv",
			},
			NotSimulated: "Kerberos keys (--key-type kerb).",
			Run: func(c *azCall) (any, error) {
				if strings.EqualFold(c.str("--key-type"), "kerb") {
					return nil, clierrf("--key-type kerb is a real value of 'az storage account keys renew' that miplay does not simulate.")
				}
				path, err := c.storageAccountPath(c.str("--account-name"), c.str("--resource-group"))
				if err != nil {
					return nil, err
				}
				keyName := "key1"
				if strings.EqualFold(c.str("--key"), "secondary") {
					keyName = "key2"
				}
				out, err := c.arm("POST", path+"/regenerateKey", storageAPI, map[string]any{"keyName": keyName})
				if err != nil {
					return nil, err
				}
				return storageKeys(out), nil
			},
		},
		&azCommand{
			Path:    "storage account show-connection-string",
			Summary: "Get the connection string for a storage account.",
			Args: []azArg{
				storageAccountArg, storageGroupArg,
				{Names: []string{"--key"}, Choices: []string{"primary", "secondary"}, Help: "The key to use. Default: primary."},
				{Names: []string{"--protocol"}, Choices: []string{"http", "https"}, Help: "The default endpoint protocol. Default: https."},
				{Names: []string{"--blob-endpoint"}, Help: "Custom endpoint for blob."},
				{Names: []string{"--file-endpoint"}, Help: "Custom endpoint for file."},
				{Names: []string{"--queue-endpoint"}, Help: "Custom endpoint for queue."},
				{Names: []string{"--table-endpoint"}, Help: "Custom endpoint for table."},
				{Names: []string{"--sas-token"}, Help: "The SAS token to add to the connection string."},
			},
			Show: true,
			Examples: []string{
				"$ az storage account show-connection-string -g rg-demo -n stdemo001",
				"$ export AZURE_STORAGE_CONNECTION_STRING=$(az storage account show-connection-string -g rg-demo -n stdemo001 -o tsv)",
			},
			Run: azStorageConnectionString,
		},
	)
}

func azStorageAccountCreate(c *azCall) (any, error) {
	group := c.str("--resource-group")
	location, err := c.location(group)
	if err != nil {
		return nil, err
	}
	sku := c.str("--sku")
	if sku == "" {
		sku = "Standard_RAGRS"
	}
	kind := c.str("--kind")
	if kind == "" {
		kind = "StorageV2"
	}
	if kind != "StorageV2" {
		return nil, clierrf("--kind %s is a real value that miplay does not simulate: accounts are StorageV2.", kind)
	}
	props := map[string]any{
		"allowBlobPublicAccess": false,
		"minimumTlsVersion":     "TLS1_2",
		"encryption": map[string]any{
			"keySource": "Microsoft.Storage",
			"services":  map[string]any{"blob": map[string]any{"enabled": true}, "file": map[string]any{"enabled": true}},
		},
	}
	if set, v := c.triState("--allow-shared-key-access"); set {
		props["allowSharedKeyAccess"] = v
	}
	body := map[string]any{"location": location, "sku": map[string]any{"name": sku}, "kind": kind, "properties": props}
	if tags := parseTags(c.list("--tags")); tags != nil {
		body["tags"] = tags
	}
	path := c.subscriptionPath() + "/resourceGroups/" + group + "/providers/Microsoft.Storage/storageAccounts/" + c.str("--name")
	out, err := c.armCreate(path, storageAPI, body)
	if err != nil {
		return nil, err
	}
	return storageAccountModel(out), nil
}

// flag reads a three-state flag (--flag, --flag true, --flag false): set
// reports whether it was given at all.
func (c *azCall) triState(name string) (set, value bool) {
	vals, ok := c.vals[name]
	if !ok {
		return false, false
	}
	if len(vals) == 0 {
		return true, true
	}
	return true, strings.EqualFold(vals[len(vals)-1], "true")
}

// storageAccountPath is the ARM path of an account. Without a resource
// group, az finds it by listing the subscription's accounts, and says so
// when there is no such account.
func (c *azCall) storageAccountPath(name, group string) (string, error) {
	if group == "" {
		var err error
		if group, err = c.storageAccountGroup(name); err != nil {
			return "", err
		}
	}
	return c.subscriptionPath() + "/resourceGroups/" + group + "/providers/Microsoft.Storage/storageAccounts/" + name, nil
}

// storageAccountGroup finds an account's resource group as azure-cli's
// _query_account_rg does: by name, among the accounts the signed-in
// account can see.
func (c *azCall) storageAccountGroup(name string) (string, error) {
	out, err := c.arm("GET", c.subscriptionPath()+"/providers/Microsoft.Storage/storageAccounts", storageAPI, nil)
	if err != nil {
		return "", err
	}
	for _, v := range listValue(out) {
		acc, _ := v.(map[string]any)
		if n, _ := acc["name"].(string); n == name {
			id, _ := acc["id"].(string)
			if p, err := engine.ParseResourceID(id); err == nil {
				return p.ResourceGroup, nil
			}
		}
	}
	// A ValueError in azure-cli's validator: a validation error, exit 2.
	return "", usagef("ERROR: Storage account '%s' not found.", name)
}

// storageKeys is the "keys" list of a listKeys or regenerateKey answer,
// which is what az prints.
func storageKeys(out map[string]any) []any {
	keys, ok := out["keys"].([]any)
	if !ok {
		return []any{}
	}
	for _, k := range keys {
		if m, ok := k.(map[string]any); ok {
			m["creationTime"] = pyDateTime(m["creationTime"])
		}
	}
	return keys
}

// storageAccountKey gets key1 (or key2) of an account through ARM.
func (c *azCall) storageAccountKey(name, group string, second bool) (string, error) {
	path, err := c.storageAccountPath(name, group)
	if err != nil {
		return "", err
	}
	out, err := c.arm("POST", path+"/listKeys", storageAPI+"&$expand=kerb", nil)
	if err != nil {
		return "", err
	}
	keys := storageKeys(out)
	i := 0
	if second {
		i = 1
	}
	if len(keys) <= i {
		return "", clierrf("The storage account '%s' returned no keys.", name)
	}
	k, _ := keys[i].(map[string]any)
	v, _ := k["value"].(string)
	return v, nil
}

func azStorageConnectionString(c *azCall) (any, error) {
	name := c.str("--name")
	path, err := c.storageAccountPath(name, c.str("--resource-group"))
	if err != nil {
		return nil, err
	}
	keys, err := c.arm("POST", path+"/listKeys", storageAPI+"&$expand=kerb", nil)
	if err != nil {
		return nil, err
	}
	list := storageKeys(keys)
	i := 0
	if c.str("--key") == "secondary" {
		i = 1
	}
	var key string
	if len(list) > i {
		k, _ := list[i].(map[string]any)
		key, _ = k["value"].(string)
	}
	acc, err := c.arm("GET", path, storageAPI, nil)
	if err != nil {
		return nil, err
	}
	endpoints := map[string]string{}
	if props, ok := acc["properties"].(map[string]any); ok {
		if pe, ok := props["primaryEndpoints"].(map[string]any); ok {
			for k, v := range pe {
				if s, ok := v.(string); ok {
					endpoints[k] = s
				}
			}
		}
	}
	protocol := c.str("--protocol")
	if protocol == "" {
		protocol = "https"
	}
	// The order azure-cli writes (show_storage_account_connection_string).
	var b strings.Builder
	fmt.Fprintf(&b, "DefaultEndpointsProtocol=%s;EndpointSuffix=core.windows.net;AccountName=%s;AccountKey=%s", protocol, name, key)
	for _, svc := range []string{"blob", "file", "queue", "table"} {
		ep := c.str("--" + svc + "-endpoint")
		if ep == "" {
			ep = endpoints[svc]
		}
		if ep != "" {
			fmt.Fprintf(&b, ";%sEndpoint=%s", strings.ToUpper(svc[:1])+svc[1:], ep)
		}
	}
	if sas := c.str("--sas-token"); sas != "" {
		fmt.Fprintf(&b, ";SharedAccessSignature=%s", sas)
	}
	return map[string]any{"connectionString": b.String()}, nil
}

// storageConnParts splits "k=v;k=v" as azure-cli's
// validate_key_value_pairs does: on ";" and the first "=", so that the
// base64 padding of a key survives.
func storageConnParts(s string) map[string]string {
	out := map[string]string{}
	for _, part := range strings.Split(s, ";") {
		k, v, ok := strings.Cut(part, "=")
		if ok {
			out[k] = v
		}
	}
	return out
}

// sasQuote escapes a SAS token as azure-cli does before printing it
// (urllib.parse.quote with safe='&%()$=\',~'): what is already escaped stays.
func sasQuote(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || strings.IndexByte("_.-~&%()$=',", ch) >= 0 {
			b.WriteByte(ch)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", ch)
	}
	return b.String()
}

// The shapes az prints for ARM resources: the Python SDK's models, which
// list every attribute (null when ARM leaves it out), with date-times
// reformatted by Python, and the resourceGroup azure-cli adds to any
// result whose id names one.

// modelFill adds what template has and m lacks, recursively into nested
// objects that both have.
func modelFill(m, template map[string]any) map[string]any {
	if m == nil {
		m = map[string]any{}
	}
	for k, tv := range template {
		v, ok := m[k]
		if !ok {
			m[k] = tv
			continue
		}
		if tm, ok := tv.(map[string]any); ok {
			if vm, ok := v.(map[string]any); ok {
				m[k] = modelFill(vm, tm)
			}
		}
	}
	return m
}

// modelResourceGroup adds "resourceGroup" as azure-cli's
// _add_resource_group does: to every object whose id is a resource's
// (not a resource group's), recursively.
func modelResourceGroup(v any) any {
	switch t := v.(type) {
	case []any:
		for _, x := range t {
			modelResourceGroup(x)
		}
	case map[string]any:
		if _, ok := t["resourceGroup"]; !ok {
			if id, ok := t["id"].(string); ok {
				if parts := strings.Split(id, "/"); len(parts) > 8 && strings.EqualFold(parts[3], "resourcegroups") {
					t["resourceGroup"] = parts[4]
				}
			}
		}
		for k, x := range t {
			if k != "sourceVault" {
				modelResourceGroup(x)
			}
		}
	}
	return v
}

// pyDateTime rewrites an ISO 8601 date-time as Python's datetime prints it
// (isoformat): microseconds only when there are some, "+00:00" for UTC.
func pyDateTime(v any) any {
	s, ok := v.(string)
	if !ok {
		return v
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return v
	}
	t = t.UTC()
	if us := t.Nanosecond() / 1000; us != 0 {
		return t.Format("2006-01-02T15:04:05") + fmt.Sprintf(".%06d+00:00", us)
	}
	return t.Format("2006-01-02T15:04:05+00:00")
}

// storageAccountModel is a storage account as az prints it: the SDK's
// StorageAccount, whose properties are flattened to the top level.
func storageAccountModel(arm map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range arm {
		if k != "properties" {
			out[k] = v
		}
	}
	props, _ := arm["properties"].(map[string]any)
	for k, v := range props {
		out[k] = v
	}
	if s, ok := out["supportsHttpsTrafficOnly"]; ok {
		out["enableHttpsTrafficOnly"] = s
		delete(out, "supportsHttpsTrafficOnly")
	}
	created := pyDateTime(out["creationTime"])
	out["creationTime"] = created
	if kt, ok := out["keyCreationTime"].(map[string]any); ok {
		for k, v := range kt {
			kt[k] = pyDateTime(v)
		}
	}
	encService := map[string]any{"enabled": true, "keyType": "Account", "lastEnabledTime": created}
	modelFill(out, map[string]any{
		"accessTier": "Hot", "accountMigrationInProgress": nil, "allowBlobPublicAccess": false, "allowCrossTenantReplication": false,
		"allowSharedKeyAccess": nil, "allowedCopyScope": nil, "azureFilesIdentityBasedAuthentication": nil, "blobRestoreStatus": nil,
		"creationTime": nil, "customDomain": nil, "defaultToOAuthAuthentication": nil, "dnsEndpointType": nil, "enableExtendedGroups": nil,
		"enableHttpsTrafficOnly": true, "enableNfsV3": nil,
		"encryption": map[string]any{"encryptionIdentity": nil, "keySource": "Microsoft.Storage", "keyVaultProperties": nil, "requireInfrastructureEncryption": nil,
			"services": map[string]any{"blob": encService, "file": encService, "queue": nil, "table": nil}},
		"extendedLocation": nil, "failoverInProgress": nil, "geoReplicationStats": nil, "identity": nil, "immutableStorageWithVersioning": nil,
		"isHnsEnabled": nil, "isLocalUserEnabled": nil, "isSftpEnabled": nil, "isSkuConversionBlocked": nil, "keyCreationTime": nil, "keyPolicy": nil,
		"largeFileSharesState": nil, "lastGeoFailoverTime": nil, "minimumTlsVersion": nil,
		"networkRuleSet": map[string]any{"bypass": "AzureServices", "defaultAction": "Allow", "ipRules": []any{}, "ipv6Rules": []any{},
			"resourceAccessRules": nil, "virtualNetworkRules": []any{}},
		"primaryEndpoints": map[string]any{"blob": nil, "dfs": nil, "file": nil, "internetEndpoints": nil, "microsoftEndpoints": nil, "queue": nil, "table": nil, "web": nil},
		"primaryLocation":  nil, "privateEndpointConnections": []any{}, "provisioningState": nil, "publicNetworkAccess": nil, "routingPreference": nil,
		"sasPolicy": nil, "secondaryEndpoints": nil, "secondaryLocation": nil, "sku": nil, "statusOfPrimary": nil, "statusOfSecondary": nil,
		"storageAccountSkuConversionStatus": nil, "tags": map[string]any{},
	})
	return modelResourceGroup(out).(map[string]any)
}
