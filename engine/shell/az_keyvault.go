package shell

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/miplay/miplay/engine"
)

// az keyvault: vaults through ARM, secrets through the vault's own data
// plane. Vaults use the Azure RBAC permission model (the default of current
// az), so reading a secret needs a data role such as Key Vault Secrets
// User: Owner of the subscription is not enough.

const (
	keyVaultAPI = "2023-07-01" // Microsoft.KeyVault, as azure-cli 2.6x sends it
	// kvDataAPI is the data-plane api-version of azure-keyvault-secrets 4.8.
	kvDataAPI = "7.5"
	// vaultResource is what az asks tokens for: Key Vault compares the
	// audience exactly, without a trailing slash.
	vaultResource = "https://vault.azure.net"
)

func registerAzKeyVault() {
	vaultArg := azArg{Names: []string{"--vault-name"}, Required: true, Help: "Name of the Key Vault."}
	secretNameArg := azArg{Names: []string{"--name", "-n"}, Required: true, Help: "Name of the secret."}
	registerAz(
		&azCommand{
			Path:    "keyvault create",
			Summary: "Create a Vault or HSM.",
			Args: []azArg{
				{Names: []string{"--name", "-n"}, Required: true, Help: "Name of the Vault."},
				{Names: []string{"--resource-group", "-g"}, Required: true, Help: "Name of resource group."},
				{Names: []string{"--location", "-l"}, Help: "Location. Defaults to the resource group's location."},
				{Names: []string{"--enable-rbac-authorization"}, AnyNumber: true, Choices: threeState, Help: "Use Azure RBAC for authorization of data actions. Default: true. Access policies (false) are not simulated."},
				{Names: []string{"--sku"}, Choices: []string{"premium", "standard"}, Help: "The SKU. Default: standard."},
				{Names: []string{"--retention-days"}, Help: "Soft delete data retention days, 7 to 90. Default: 90."},
				{Names: []string{"--enable-purge-protection"}, AnyNumber: true, Choices: threeState, Ignored: true, Help: "Property specifying whether protection against purge is enabled for this vault."},
				{Names: []string{"--tags"}, Multi: true, Help: "Space-separated tags: key[=value]."},
				{Names: []string{"--public-network-access"}, Choices: []string{"Disabled", "Enabled"}, NotSimulated: true, Help: "Network access."},
				{Names: []string{"--hsm-name"}, NotSimulated: true, Help: "Managed HSMs."},
				{Names: []string{"--default-action"}, Choices: []string{"Allow", "Deny"}, NotSimulated: true, Help: "Network rules."},
				{Names: []string{"--enabled-for-deployment"}, AnyNumber: true, Choices: threeState, Ignored: true, Help: "Allow Virtual Machines to retrieve certificates."},
				{Names: []string{"--enabled-for-template-deployment"}, AnyNumber: true, Choices: threeState, Ignored: true, Help: "Allow Resource Manager to retrieve secrets."},
				{Names: []string{"--enabled-for-disk-encryption"}, AnyNumber: true, Choices: threeState, Ignored: true, Help: "Allow Disk Encryption to retrieve secrets."},
			},
			Examples: []string{
				"$ az keyvault create -g rg-demo -n kv-demo-001 -l westeurope",
				"$ az keyvault create -g rg-demo -n kv-demo-001 --query properties.vaultUri -o tsv",
			},
			NotSimulated: "Access policies (--enable-rbac-authorization false), managed HSMs, network rules, soft-delete recovery and purge.",
			Run:          azKeyVaultCreate,
		},
		&azCommand{
			Path:    "keyvault show",
			Summary: "Show details of a Vault or HSM.",
			Args: []azArg{
				{Names: []string{"--name", "-n"}, Required: true, Help: "Name of the Vault."},
				{Names: []string{"--resource-group", "-g"}, Help: "Name of resource group. If not given, az finds the vault in the subscription."},
			},
			Show:     true,
			Examples: []string{"$ az keyvault show -n kv-demo-001 --query id -o tsv"},
			Run: func(c *azCall) (any, error) {
				path, err := c.vaultPath(c.str("--name"), c.str("--resource-group"))
				if err != nil {
					return nil, err
				}
				out, err := c.arm("GET", path, keyVaultAPI, nil)
				if err != nil {
					return nil, err
				}
				return vaultModel(out), nil
			},
		},
		&azCommand{
			Path:    "keyvault secret set",
			Summary: "Create a secret (if one doesn't exist) or update a secret in a KeyVault.",
			Args: []azArg{
				vaultArg, secretNameArg,
				{Names: []string{"--value"}, Help: "Plain text secret value. Cannot be used with --file or --encoding."},
				{Names: []string{"--file", "-f"}, Help: "Source file for secret. Use in conjunction with '--encoding'."},
				{Names: []string{"--encoding", "-e"}, Choices: []string{"ascii", "base64", "hex", "utf-16be", "utf-16le", "utf-8"}, Help: "Source file encoding. The value is saved as a tag (file-encoding=<val>). Only utf-8 and ascii are simulated."},
				{Names: []string{"--content-type", "--description"}, Help: "Description of the secret contents (e.g. password, connection string, etc)."},
				{Names: []string{"--tags"}, Multi: true, NotSimulated: true, Help: "Space-separated tags: key[=value]."},
				{Names: []string{"--disabled"}, AnyNumber: true, Choices: threeState, NotSimulated: true, Help: "Create secret in disabled state."},
				{Names: []string{"--expires"}, NotSimulated: true, Help: "Expiration UTC datetime (Y-m-d'T'H:M:S'Z')."},
				{Names: []string{"--not-before"}, NotSimulated: true, Help: "Key not usable before the provided UTC datetime (Y-m-d'T'H:M:S'Z')."},
				{Names: []string{"--id"}, NotSimulated: true, Help: "Id of the secret."},
			},
			Examples: []string{
				"$ az keyvault secret set --vault-name kv-demo-001 -n db-password --value 'S3cr3t!'",
				"$ az keyvault secret set --vault-name kv-demo-001 -n app-config -f config.json",
			},
			NotSimulated: "Disabled secrets, expiry and not-before dates, and the base64/hex/utf-16 file encodings.",
			Run:          azSecretSet,
		},
		&azCommand{
			Path:    "keyvault secret show",
			Summary: "Get a specified secret from a given key vault.",
			Args: []azArg{
				vaultArg, secretNameArg,
				{Names: []string{"--version", "-v"}, Help: "The secret version. If omitted, uses the latest version."},
				{Names: []string{"--id"}, NotSimulated: true, Help: "Id of the secret."},
			},
			Show: true,
			Examples: []string{
				"vm-web$ az keyvault secret show --vault-name kv-demo-001 -n db-password --query value -o tsv",
			},
			Run: func(c *azCall) (any, error) {
				path := "/secrets/" + url.PathEscape(c.str("--name"))
				if v := c.str("--version"); v != "" {
					path += "/" + url.PathEscape(v)
				}
				out, err := c.keyVault(c.str("--vault-name"), "GET", path, nil)
				if err != nil {
					return nil, err
				}
				return secretJSON(out, true), nil
			},
		},
		&azCommand{
			Path:    "keyvault secret list",
			Summary: "List secrets in a specified key vault.",
			Args: []azArg{
				vaultArg,
				{Names: []string{"--maxresults"}, Help: "Maximum number of results to return in a page."},
				{Names: []string{"--include-managed"}, AnyNumber: true, Choices: threeState, Ignored: true, Help: "Include managed secrets. Default: false."},
			},
			Examples: []string{"$ az keyvault secret list --vault-name kv-demo-001 --query [].name -o tsv"},
			Run:      azSecretList,
		},
	)
}

func azKeyVaultCreate(c *azCall) (any, error) {
	if set, rbac := c.triState("--enable-rbac-authorization"); set && !rbac {
		return nil, clierrf("--enable-rbac-authorization false is a real value of 'az keyvault create' that miplay does not simulate: vaults use the Azure RBAC permission model, and access policies are not simulated.")
	}
	group := c.str("--resource-group")
	location, err := c.location(group)
	if err != nil {
		return nil, err
	}
	sku := c.str("--sku")
	if sku == "" {
		sku = "standard"
	}
	days := 90
	if s := c.str("--retention-days"); s != "" {
		if _, err := fmt.Sscanf(s, "%d", &days); err != nil {
			return nil, usagef("ERROR: argument --retention-days: invalid int value: '%s'", s)
		}
	}
	var tenant string
	c.p.Cloud.Do(func(w *engine.World) { tenant = w.Tenant.ID })
	props := map[string]any{
		"tenantId":                     tenant,
		"sku":                          map[string]any{"family": "A", "name": sku},
		"accessPolicies":               []any{},
		"enableRbacAuthorization":      true,
		"enableSoftDelete":             true,
		"softDeleteRetentionInDays":    days,
		"enabledForDeployment":         false,
		"enabledForDiskEncryption":     false,
		"enabledForTemplateDeployment": false,
	}
	body := map[string]any{"location": location, "properties": props}
	if tags := parseTags(c.list("--tags")); tags != nil {
		body["tags"] = tags
	}
	path := c.subscriptionPath() + "/resourceGroups/" + group + "/providers/Microsoft.KeyVault/vaults/" + c.str("--name")
	out, err := c.armCreate(path, keyVaultAPI, body)
	if err != nil {
		return nil, err
	}
	return vaultModel(out), nil
}

// vaultModel is a vault as az prints it: the SDK's Vault, every property
// present.
func vaultModel(arm map[string]any) map[string]any {
	modelFill(arm, map[string]any{
		"properties": map[string]any{
			"accessPolicies": []any{}, "createMode": nil, "enablePurgeProtection": nil, "enableRbacAuthorization": nil, "enableSoftDelete": nil,
			"enabledForDeployment": nil, "enabledForDiskEncryption": nil, "enabledForTemplateDeployment": nil, "hsmPoolResourceId": nil,
			"networkAcls": nil, "privateEndpointConnections": nil, "provisioningState": nil, "publicNetworkAccess": nil, "sku": nil,
			"softDeleteRetentionInDays": nil, "tenantId": nil, "vaultUri": nil,
		},
		"systemData": nil, "tags": map[string]any{},
	})
	return modelResourceGroup(arm).(map[string]any)
}

// vaultPath is the ARM path of a vault. Without a resource group az looks
// the vault up among the subscription's vaults.
func (c *azCall) vaultPath(name, group string) (string, error) {
	if group == "" {
		out, err := c.arm("GET", c.subscriptionPath()+"/providers/Microsoft.KeyVault/vaults", keyVaultAPI, nil)
		if err != nil {
			return "", err
		}
		for _, v := range listValue(out) {
			vault, _ := v.(map[string]any)
			if n, _ := vault["name"].(string); strings.EqualFold(n, name) {
				id, _ := vault["id"].(string)
				if p, err := engine.ParseResourceID(id); err == nil {
					group = p.ResourceGroup
				}
			}
		}
		if group == "" {
			return "", clierrf("The Vault '%s' not found within subscription.", name)
		}
	}
	return c.subscriptionPath() + "/resourceGroups/" + group + "/providers/Microsoft.KeyVault/vaults/" + name, nil
}

// A kvError is a Key Vault error response as the Python SDK words an
// HttpResponseError in OData v4 form: "(code) message", then Code,
// Message and the inner error as indented JSON. Key Vault separates the
// lines of its messages with CRLF; they are printed with plain newlines.
// A 404 exits 3.
type kvError struct {
	status int
	msg    string
}

func (e *kvError) Error() string { return e.msg }
func (e *kvError) azExitCode() int {
	if e.status == http.StatusNotFound {
		return azExitNotFound
	}
	return azExitError
}

func newKVError(status int, body []byte) error {
	var e struct {
		Error struct {
			Code       string         `json:"code"`
			Message    string         `json:"message"`
			InnerError map[string]any `json:"innererror"`
		} `json:"error"`
	}
	if err := json.Unmarshal(body, &e); err != nil || e.Error.Code == "" {
		return &kvError{status, fmt.Sprintf("Operation returned an invalid status '%s'", http.StatusText(status))}
	}
	msg := strings.ReplaceAll(e.Error.Message, "\r\n", "\n")
	s := fmt.Sprintf("(%s) %s\nCode: %s\nMessage: %s", e.Error.Code, msg, e.Error.Code, msg)
	if len(e.Error.InnerError) > 0 {
		s += "\nInner error: " + kvIndentJSON(e.Error.InnerError)
	}
	return &kvError{status, s}
}

// kvIndentJSON is Python's json.dumps(v, indent=4) of a flat object.
func kvIndentJSON(m map[string]any) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString("{")
	for i, k := range keys {
		if i > 0 {
			b.WriteString(",")
		}
		v, _ := json.Marshal(m[k])
		fmt.Fprintf(&b, "\n    %s: %s", pyString(k), v)
	}
	b.WriteString("\n}")
	return b.String()
}

// keyVault calls a vault's data plane as the Key Vault SDK does: a first
// request without a token (and without a body) draws the 401 challenge
// that names the resource to get a token for; the request is then sent
// again with the signed-in account's token for it. Each az run is a new
// process, so the challenge comes every time.
func (c *azCall) keyVault(vault, method, path string, body any) (map[string]any, error) {
	u := "https://" + strings.ToLower(vault) + ".vault.azure.net" + path
	if strings.Contains(u, "?") {
		u += "&api-version=" + kvDataAPI
	} else {
		u += "?api-version=" + kvDataAPI
	}
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return nil, err
		}
	}
	send := func(token string, payload []byte) (*http.Response, []byte, error) {
		var rd io.Reader
		if payload != nil {
			rd = bytes.NewReader(payload)
		}
		req, err := http.NewRequestWithContext(c.p.Ctx, method, u, rd)
		if err != nil {
			return nil, nil, err
		}
		var requestID string
		c.p.Cloud.Do(func(w *engine.World) { requestID = w.NewGUID() })
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		req.Header.Set("Accept", "application/json")
		req.Header.Set("x-ms-client-request-id", requestID)
		req.Header.Set("User-Agent", "AZURECLI/2.67.0 (miplay) azsdk-python-keyvault-secrets/4.8.0")
		if payload != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := c.dataClient().Do(req)
		if err != nil {
			return nil, nil, storageNetworkError(req.URL.Host, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b, nil
	}
	resp, b, err := send("", nil)
	if err != nil {
		return nil, err
	}
	if resource, ok := kvChallenge(resp); ok {
		tok, err := c.token(resource)
		if err != nil {
			return nil, err
		}
		if resp, b, err = send(tok, payload); err != nil {
			return nil, err
		}
	}
	if resp.StatusCode >= 300 {
		return nil, newKVError(resp.StatusCode, b)
	}
	var out map[string]any
	if len(bytes.TrimSpace(b)) > 0 {
		if err := json.Unmarshal(b, &out); err != nil {
			return nil, fmt.Errorf("az: unexpected response from %s: %w", resp.Request.URL.Host, err)
		}
	}
	return out, nil
}

// kvChallenge reads the resource of a 401 bearer challenge:
// WWW-Authenticate: Bearer authorization="…", resource="https://vault.azure.net".
func kvChallenge(resp *http.Response) (string, bool) {
	if resp.StatusCode != http.StatusUnauthorized {
		return "", false
	}
	h := resp.Header.Get("WWW-Authenticate")
	if !strings.HasPrefix(h, "Bearer ") {
		return "", false
	}
	for _, part := range strings.Split(strings.TrimPrefix(h, "Bearer "), ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if ok && (k == "resource" || k == "scope") {
			v = strings.TrimSuffix(strings.Trim(v, `"`), "/.default")
			if v != "" {
				return v, true
			}
		}
	}
	return vaultResource, true
}

// kvTime writes Key Vault's Unix seconds as the SDK's datetime prints in
// az's JSON.
func kvTime(v any) any {
	f, ok := v.(float64)
	if !ok {
		return nil
	}
	return time.Unix(int64(f), 0).UTC().Format("2006-01-02T15:04:05+00:00")
}

// secretJSON is a secret as az prints it: the SDK's KeyVaultSecret (with
// value) or SecretProperties (a list item, without value and kid).
func secretJSON(b map[string]any, withValue bool) map[string]any {
	attrs, _ := b["attributes"].(map[string]any)
	a := map[string]any{
		"created":       kvTime(attrs["created"]),
		"enabled":       attrs["enabled"],
		"expires":       kvTime(attrs["exp"]),
		"notBefore":     kvTime(attrs["nbf"]),
		"recoveryLevel": attrs["recoveryLevel"],
		"updated":       kvTime(attrs["updated"]),
	}
	if d, ok := attrs["recoverableDays"]; ok {
		a["recoverableDays"] = d
	}
	id, _ := b["id"].(string)
	name := ""
	if i := strings.Index(id, "/secrets/"); i >= 0 {
		name, _, _ = strings.Cut(id[i+len("/secrets/"):], "/")
	}
	out := map[string]any{
		"attributes":  a,
		"contentType": b["contentType"],
		"id":          id,
		"managed":     b["managed"],
		"name":        name,
		"tags":        b["tags"],
	}
	if withValue {
		out["kid"] = b["kid"]
		out["value"] = b["value"]
	}
	return out
}

func azSecretSet(c *azCall) (any, error) {
	value, file := c.str("--value"), c.str("--file")
	if (c.has("--value") && file != "") || (!c.has("--value") && file == "") {
		return nil, clierrf("incorrect usage: [Required] --value VALUE | --file PATH")
	}
	encoding := c.str("--encoding")
	if encoding == "" {
		encoding = "utf-8"
	}
	if file != "" {
		if encoding != "utf-8" && encoding != "ascii" {
			return nil, clierrf("--encoding %s is a real value that miplay does not simulate: use utf-8.", encoding)
		}
		if c.p.ReadFile == nil {
			return nil, clierrf("[Errno 2] No such file or directory: '%s'", file)
		}
		data, err := c.p.ReadFile(file)
		if err != nil {
			return nil, clierrf("[Errno 2] No such file or directory: '%s'", file)
		}
		value = string(data)
	}
	if c.has("--tags") {
		return nil, clierrf("--tags is a real argument of 'az keyvault secret set' that miplay does not simulate: the simulated Key Vault does not keep secret tags.")
	}
	// azure-cli also sends the tag file-encoding=<encoding> (utf-8 unless
	// --encoding says otherwise), which Key Vault then returns in "tags".
	// The simulated Key Vault refuses tags, so the request leaves it out
	// and the output shows "tags": null where Azure shows
	// {"file-encoding": "utf-8"}.
	body := map[string]any{"value": value, "attributes": map[string]any{}}
	if ct := c.str("--content-type"); ct != "" {
		body["contentType"] = ct
	}
	out, err := c.keyVault(c.str("--vault-name"), "PUT", "/secrets/"+url.PathEscape(c.str("--name")), body)
	if err != nil {
		return nil, err
	}
	return secretJSON(out, true), nil
}

func azSecretList(c *azCall) (any, error) {
	path := "/secrets"
	if m := c.str("--maxresults"); m != "" {
		path += "?maxresults=" + url.QueryEscape(m)
	}
	out := []any{}
	for {
		page, err := c.keyVault(c.str("--vault-name"), "GET", path, nil)
		if err != nil {
			return nil, err
		}
		for _, v := range listValue(page) {
			if item, ok := v.(map[string]any); ok {
				out = append(out, secretJSON(item, false))
			}
		}
		next, _ := page["nextLink"].(string)
		if next == "" {
			return out, nil
		}
		u, err := url.Parse(next)
		if err != nil {
			return out, nil
		}
		q := u.Query()
		q.Del("api-version")
		path = u.Path
		if len(q) > 0 {
			path += "?" + q.Encode()
		}
	}
}
