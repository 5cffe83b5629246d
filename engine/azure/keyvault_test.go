package azure

import (
	"strings"
	"testing"
	"time"
)

const kvCreated = "1768467600" // 2026-01-15T09:00:00Z

func TestKeyVaultChallenge(t *testing.T) {
	f := newDataFixture(t)
	resp, body := f.do("GET", vaultHost+"/secrets/db-password?api-version=7.4", nil, "")
	if resp.StatusCode != 401 || body != `{"error":{"code":"Unauthorized","message":"Request is missing a Bearer or PoP token."}}` {
		t.Errorf("no token: %d %s", resp.StatusCode, body)
	}
	checkHeaders(t, resp, map[string]string{
		"WWW-Authenticate":     `Bearer authorization="https://login.windows.net/` + f.w.Tenant.ID + `", resource="https://vault.azure.net"`,
		"Content-Type":         "application/json; charset=utf-8",
		"Cache-Control":        "no-cache",
		"x-ms-keyvault-region": "westeurope",
		"Date":                 testDate,
	})
	if resp.Header.Get("x-ms-request-id") == "" {
		t.Error("no x-ms-request-id")
	}

	for _, c := range []struct{ query, status, body string }{
		{"", "400", `{"error":{"code":"BadParameter","message":"The 'api-version' query parameter is missing."}}`},
		{"?api-version=7.9", "400", `{"error":{"code":"BadParameter","message":"The specified version (7.9) is not recognized. Consider using the latest supported version (2025-07-01)."}}`},
	} {
		resp, body := f.do("GET", vaultHost+"/secrets/db-password"+c.query, nil, "")
		if got := resp.Status[:3]; got != c.status || body != c.body {
			t.Errorf("%q: %s %s, want %s %s", c.query, got, body, c.status, c.body)
		}
	}
	resp, body = f.do("DELETE", vaultHost+"/secrets/db-password?api-version=7.4", nil, "")
	if resp.StatusCode != 501 || !strings.Contains(body, "The playground does not simulate this Key Vault operation: DELETE /secrets/db-password.") {
		t.Errorf("delete: %d %s", resp.StatusCode, body)
	}
}

func TestKeyVaultRBAC(t *testing.T) {
	f := newDataFixture(t)
	tok := f.token("https://vault.azure.net")
	auth := hdr("Authorization", bearer(tok))
	// Owner of the resource group: control plane only.
	f.assign(f.w.Subscription.Scope()+"/resourceGroups/rg-data", "Owner")
	resp, body := f.do("GET", vaultHost+"/secrets/db-password?api-version=7.5", auth, "")
	want := `{"error":{"code":"Forbidden","message":"Caller is not authorized to perform action on resource.\r\n` +
		`If role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\n` +
		`Caller: appid=` + f.mi.ClientID + `;oid=` + f.mi.PrincipalID + `;iss=https://sts.windows.net/` + f.w.Tenant.ID + `/\r\n` +
		`Action: 'Microsoft.KeyVault/vaults/secrets/getSecret/action'\r\n` +
		`Resource: '/subscriptions/` + f.w.Subscription.ID + `/resourcegroups/rg-data/providers/microsoft.keyvault/vaults/kv-data/secrets/db-password'\r\n` +
		`Assignment: (not found)\r\nDenyAssignmentId: null\r\nDecisionReason: null \r\nVault: kv-data;location=westeurope\r\n",` +
		`"innererror":{"code":"ForbiddenByRbac"}}}`
	if resp.StatusCode != 403 || body != want {
		t.Errorf("Owner reads a secret: %d\n got %s\nwant %s", resp.StatusCode, body, want)
	}
	if d := f.lastDecision(); !strings.HasPrefix(d, "Secret read denied: no role assignment for principal") {
		t.Errorf("decision = %q", d)
	}

	// Key Vault Secrets User on one secret: read it, not write it.
	secret := f.kv.ID + "/secrets/db-password"
	f.assign(secret, "Key Vault Secrets User")
	s := f.kv.Vault.Secrets["db-password"][0]
	resp, body = f.do("GET", vaultHost+"/secrets/db-password?api-version=7.5", auth, "")
	want = `{"value":"s3cret","id":"https://kv-data.vault.azure.net/secrets/db-password/` + s.Version +
		`","attributes":{"enabled":true,"created":` + kvCreated + `,"updated":` + kvCreated + `,"recoveryLevel":"Recoverable+Purgeable","recoverableDays":90}}`
	if resp.StatusCode != 200 || body != want {
		t.Errorf("secrets user reads: %d\n got %s\nwant %s", resp.StatusCode, body, want)
	}
	if d, want := f.lastDecision(), "Secret read allowed: role 'Key Vault Secrets User' assigned at scope '"+secret+"' grants data action 'Microsoft.KeyVault/vaults/secrets/getSecret/action' through 'Microsoft.KeyVault/vaults/secrets/getSecret/action'."; d != want {
		t.Errorf("decision = %q\nwant %q", d, want)
	}
	resp, body = f.do("PUT", vaultHost+"/secrets/db-password?api-version=7.5", auth, `{"value":"new"}`)
	if resp.StatusCode != 403 || !strings.Contains(body, `Action: 'Microsoft.KeyVault/vaults/secrets/setSecret/action'`) {
		t.Errorf("secrets user writes: %d %s", resp.StatusCode, body)
	}
	// Listing is checked at the vault, where this role is not assigned.
	resp, body = f.do("GET", vaultHost+"/secrets?api-version=7.5", auth, "")
	if resp.StatusCode != 403 || !strings.Contains(body, `Resource: '/subscriptions/`+f.w.Subscription.ID+`/resourcegroups/rg-data/providers/microsoft.keyvault/vaults/kv-data'`) {
		t.Errorf("secrets user lists: %d %s", resp.StatusCode, body)
	}
	// api-version 2016-10-01, as in Microsoft's own tutorial: no recoverableDays yet.
	resp, body = f.do("GET", vaultHost+"/secrets/db-password?api-version=2016-10-01", auth, "")
	if resp.StatusCode != 200 || strings.Contains(body, "recoverableDays") {
		t.Errorf("2016-10-01: %d %s", resp.StatusCode, body)
	}
}

func TestKeyVaultSecretVersions(t *testing.T) {
	f := newDataFixture(t)
	f.assign(f.kv.ID, "Key Vault Secrets Officer")
	auth := hdr("Authorization", bearer(f.token("https://vault.azure.net")))
	first := f.kv.Vault.Secrets["db-password"][0].Version

	if err := f.w.Advance(time.Hour); err != nil {
		t.Fatal(err)
	}
	resp, body := f.do("PUT", vaultHost+"/secrets/db-password?api-version=2025-07-01", auth, `{"value":"rotated & <new>","contentType":"text/plain"}`)
	if resp.StatusCode != 200 {
		t.Fatalf("set: %d %s", resp.StatusCode, body)
	}
	second := f.kv.Vault.Secrets["db-password"][1].Version
	want := `{"value":"rotated & <new>","contentType":"text/plain","id":"https://kv-data.vault.azure.net/secrets/db-password/` + second +
		`","attributes":{"enabled":true,"created":1768471200,"updated":1768471200,"recoveryLevel":"Recoverable+Purgeable","recoverableDays":90}}`
	if body != want {
		t.Errorf("set:\n got %s\nwant %s", body, want)
	}
	// The latest by default; an older one by its version.
	if _, body := f.do("GET", vaultHost+"/secrets/db-password?api-version=7.4", auth, ""); !strings.HasPrefix(body, `{"value":"rotated & <new>"`) {
		t.Errorf("latest: %s", body)
	}
	if _, body := f.do("GET", vaultHost+"/secrets/db-password/"+first+"?api-version=7.4", auth, ""); !strings.HasPrefix(body, `{"value":"s3cret"`) {
		t.Errorf("first version: %s", body)
	}
	resp, body = f.do("GET", vaultHost+"/secrets/db-password/versions?api-version=7.4", auth, "")
	attrs := func(created string) string {
		return `"attributes":{"enabled":true,"created":` + created + `,"updated":` + created + `,"recoveryLevel":"Recoverable+Purgeable","recoverableDays":90}`
	}
	items := []string{
		`{"id":"https://kv-data.vault.azure.net/secrets/db-password/` + first + `",` + attrs(kvCreated) + `}`,
		`{"id":"https://kv-data.vault.azure.net/secrets/db-password/` + second + `","contentType":"text/plain",` + attrs("1768471200") + `}`,
	}
	if first > second {
		items[0], items[1] = items[1], items[0]
	}
	want = `{"value":[` + items[0] + `,` + items[1] + `],"nextLink":null}`
	if resp.StatusCode != 200 || body != want {
		t.Errorf("versions:\n got %s\nwant %s", body, want)
	}
	f.do("PUT", vaultHost+"/secrets/api-key?api-version=7.4", auth, `{"value":"k"}`)
	resp, body = f.do("GET", vaultHost+"/secrets?api-version=7.4", auth, "")
	want = `{"value":[{"id":"https://kv-data.vault.azure.net/secrets/api-key",` + attrs("1768471200") + `},` +
		`{"id":"https://kv-data.vault.azure.net/secrets/db-password","contentType":"text/plain",` + attrs("1768471200") + `}],"nextLink":null}`
	if resp.StatusCode != 200 || body != want {
		t.Errorf("list:\n got %s\nwant %s", body, want)
	}
	resp, body = f.do("GET", vaultHost+"/secrets/missing?api-version=7.4", auth, "")
	want = `{"error":{"code":"SecretNotFound","message":"A secret with (name/id) missing was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182"}}`
	if resp.StatusCode != 404 || body != want {
		t.Errorf("missing: %d %s", resp.StatusCode, body)
	}
	resp, body = f.do("PUT", vaultHost+"/secrets/x?api-version=7.4", auth, `{"contentType":"text/plain"}`)
	if resp.StatusCode != 400 || !strings.Contains(body, `"code":"BadParameter"`) {
		t.Errorf("no value: %d %s", resp.StatusCode, body)
	}
}

func TestKeyVaultAudienceSlash(t *testing.T) {
	f := newDataFixture(t)
	f.assign(f.kv.ID, "Key Vault Secrets User")
	resp, body := f.do("GET", vaultHost+"/secrets/db-password?api-version=7.4", hdr("Authorization", bearer(f.token("https://vault.azure.net/"))), "")
	want := `{"error":{"code":"Unauthorized","message":"AKV10022: Invalid audience. Expected https://vault.azure.net, found: https://vault.azure.net/."}}`
	if resp.StatusCode != 401 || body != want {
		t.Errorf("audience with a slash: %d %s", resp.StatusCode, body)
	}
}
