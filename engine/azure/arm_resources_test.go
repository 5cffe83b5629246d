package azure

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/miplay/miplay/engine"
)

func TestARMStorage(t *testing.T) {
	f := newARMFixture(t)
	path := f.sub + "/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stdemo"
	q := "?api-version=2023-05-01"
	r := f.call("PUT", path+q, f.admin, map[string]any{"location": "westeurope", "kind": "StorageV2", "sku": map[string]string{"name": "Standard_LRS"}}).must(t, 201)
	m := r.json(t)
	props := m["properties"].(map[string]any)
	if m["kind"] != "StorageV2" || props["allowSharedKeyAccess"] != true || props["primaryEndpoints"].(map[string]any)["blob"] != "https://stdemo.blob.core.windows.net/" {
		t.Errorf("created %s", r.body)
	}
	var keys [2]string
	f.do(func(w *engine.World) {
		st, _ := w.StorageAccount("stdemo")
		keys = st.Storage.Keys
	})
	want := fmt.Sprintf(`{"keys":[{"creationTime":"2026-01-15T09:00:00.0000000Z","keyName":"key1","permissions":"FULL","value":"%s"},{"creationTime":"2026-01-15T09:00:00.0000000Z","keyName":"key2","permissions":"FULL","value":"%s"}]}`, keys[0], keys[1])
	if got := string(f.call("POST", path+"/listKeys"+q, f.admin, nil).must(t, 200).body); got != want {
		t.Errorf("listKeys\n got %s\nwant %s", got, want)
	}

	// A Reader may see the account but not its keys.
	vm, tok := f.managedVM("vm1")
	f.grant(path, "Reader", vm.Identity.SystemAssigned.PrincipalID)
	f.call("GET", path+q, tok, nil).must(t, 200)
	r = f.call("POST", path+"/listKeys"+q, tok, nil).must(t, 403)
	if _, msg := r.errorCode(t); !strings.Contains(msg, "'Microsoft.Storage/storageAccounts/listKeys/action' over scope '"+path+"'") {
		t.Errorf("listKeys denial: %s", msg)
	}

	f.do(func(w *engine.World) { w.Advance(time.Hour) })
	r = f.call("POST", path+"/regenerateKey"+q, f.admin, map[string]string{"keyName": "key1"}).must(t, 200)
	got := r.json(t)["keys"].([]any)
	k1, k2 := got[0].(map[string]any), got[1].(map[string]any)
	if k1["value"] == keys[0] || k2["value"] != keys[1] || k1["creationTime"] != "2026-01-15T10:00:00.0000000Z" || k2["creationTime"] != "2026-01-15T09:00:00.0000000Z" {
		t.Errorf("regenerateKey: %s", r.body)
	}
	f.call("POST", path+"/regenerateKey"+q, f.admin, map[string]string{"keyName": "key3"}).must(t, 400)

	// Turning shared keys off.
	r = f.call("PATCH", path+q, f.admin, map[string]any{"properties": map[string]any{"allowSharedKeyAccess": false}}).must(t, 200)
	if r.json(t)["properties"].(map[string]any)["allowSharedKeyAccess"] != false {
		t.Errorf("PATCH: %s", r.body)
	}
	f.do(func(w *engine.World) {
		st, _ := w.StorageAccount("stdemo")
		if st.Storage.AllowSharedKeyAccess {
			t.Error("shared key access still on")
		}
	})
	r = f.call("PUT", strings.Replace(path, "stdemo", "Bad_Name", 1)+q, f.admin, map[string]any{"location": "westeurope"}).must(t, 400)
	if code, _ := r.errorCode(t); code != "AccountNameInvalid" {
		t.Errorf("bad name: %s", r.body)
	}
	list := f.call("GET", f.sub+"/providers/Microsoft.Storage/storageAccounts"+q, f.admin, nil).must(t, 200).json(t)["value"].([]any)
	if len(list) != 1 {
		t.Errorf("list: %v", list)
	}
	f.call("DELETE", path+q, f.admin, nil).must(t, 200)
	f.call("GET", path+q, f.admin, nil).must(t, 404)
}

func TestARMKeyVault(t *testing.T) {
	f := newARMFixture(t)
	path := f.sub + "/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-demo"
	q := "?api-version=2023-07-01"
	var tenant string
	f.do(func(w *engine.World) { tenant = w.Tenant.ID })
	body := map[string]any{"location": "westeurope", "properties": map[string]any{"tenantId": tenant, "sku": map[string]string{"family": "A", "name": "standard"}, "enableRbacAuthorization": true}}
	r := f.call("PUT", path+q, f.admin, body).must(t, 201)
	want := fmt.Sprintf(`{"id":"%s","name":"kv-demo","type":"Microsoft.KeyVault/vaults","location":"westeurope","tags":{},"properties":{"tenantId":"%s","accessPolicies":[],"enabledForDeployment":false,"enabledForDiskEncryption":false,"enabledForTemplateDeployment":false,"enableSoftDelete":false,"enableRbacAuthorization":true,"vaultUri":"https://kv-demo.vault.azure.net/","provisioningState":"Succeeded","publicNetworkAccess":"Enabled"}}`, path, tenant)
	if string(r.body) != want {
		t.Errorf("PUT\n got %s\nwant %s", r.body, want)
	}
	f.call("PUT", path+q, f.admin, body).must(t, 200)
	r = f.call("PUT", strings.Replace(path, "kv-demo", "kv-policies", 1)+q, f.admin, map[string]any{"location": "westeurope", "properties": map[string]any{"enableRbacAuthorization": false}}).must(t, 400)
	if code, _ := r.errorCode(t); code != "NotSimulated" {
		t.Errorf("access policies: %s", r.body)
	}
	f.call("GET", f.sub+"/providers/Microsoft.KeyVault/vaults"+q, f.admin, nil).must(t, 200)
	f.call("DELETE", path+q, f.admin, nil).must(t, 200)
}

func TestARMServiceBus(t *testing.T) {
	f := newARMFixture(t)
	ns := f.sub + "/resourceGroups/rg/providers/Microsoft.ServiceBus/namespaces/sb-orders-demo"
	q := "?api-version=2022-10-01-preview"
	r := f.call("PUT", ns+q, f.admin, map[string]any{"location": "westeurope", "sku": map[string]string{"name": "Standard"}}).must(t, 201)
	m := r.json(t)
	if m["type"] != "Microsoft.ServiceBus/Namespaces" || m["location"] != "West Europe" ||
		m["properties"].(map[string]any)["serviceBusEndpoint"] != "https://sb-orders-demo.servicebus.windows.net:443/" {
		t.Errorf("namespace: %s", r.body)
	}
	r = f.call("PUT", ns+"/queues/orders"+q, f.admin, map[string]any{"properties": map[string]any{}}).must(t, 200)
	if r.json(t)["id"] != ns+"/queues/orders" {
		t.Errorf("queue: %s", r.body)
	}
	f.call("GET", ns+"/queues/orders"+q, f.admin, nil).must(t, 200)
	if list := f.call("GET", ns+"/queues"+q, f.admin, nil).must(t, 200).json(t)["value"].([]any); len(list) != 1 {
		t.Errorf("queues: %v", list)
	}
	var key string
	f.do(func(w *engine.World) {
		r, _ := w.ServiceBusNamespace("sb-orders-demo")
		key = r.ServiceBus.PrimaryKey
	})
	r = f.call("POST", ns+"/authorizationRules/RootManageSharedAccessKey/listKeys"+q, f.admin, nil).must(t, 200)
	keys := r.json(t)
	wantConn := "Endpoint=sb://sb-orders-demo.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=" + key
	if keys["primaryConnectionString"] != wantConn || keys["primaryKey"] != key || keys["keyName"] != "RootManageSharedAccessKey" {
		t.Errorf("listKeys: %s", r.body)
	}
	f.call("POST", ns+"/authorizationRules/SendOnly/listKeys"+q, f.admin, nil).must(t, 404)
	f.call("GET", ns+"/authorizationRules"+q, f.admin, nil).must(t, 200)
	f.call("DELETE", ns+"/queues/orders"+q, f.admin, nil).must(t, 200)
	f.call("DELETE", ns+"/queues/orders"+q, f.admin, nil).must(t, 204)
	f.call("GET", ns+"/queues/orders"+q, f.admin, nil).must(t, 404)
	f.call("DELETE", ns+q, f.admin, nil).must(t, 200)
}

func TestARMWebApps(t *testing.T) {
	f := newARMFixture(t)
	rg := f.sub + "/resourceGroups/rg/providers/Microsoft.Web"
	q := "?api-version=2023-12-01"
	r := f.call("PUT", rg+"/serverfarms/plan-web"+q, f.admin, map[string]any{"location": "westeurope", "kind": "linux", "sku": map[string]string{"name": "P1v3"}}).must(t, 201)
	plan := r.json(t)
	if plan["id"] != rg+"/serverfarms/plan-web" || plan["type"] != "Microsoft.Web/serverfarms" ||
		plan["sku"].(map[string]any)["tier"] != "PremiumV3" || plan["sku"].(map[string]any)["family"] != "Pv3" {
		t.Errorf("plan: %s", r.body)
	}
	r = f.call("PUT", rg+"/sites/app-orders"+q, f.admin, map[string]any{"location": "westeurope", "kind": "functionapp,linux",
		"properties": map[string]any{"serverFarmId": plan["id"]}, "identity": map[string]any{"type": "SystemAssigned"}}).must(t, 201)
	site := r.json(t)
	id := site["identity"].(map[string]any)
	if site["kind"] != "functionapp,linux" || site["location"] != "West Europe" || id["type"] != "SystemAssigned" || id["principalId"] == "" ||
		site["properties"].(map[string]any)["defaultHostName"] != "app-orders.azurewebsites.net" {
		t.Errorf("site: %s", r.body)
	}
	if !strings.HasPrefix(string(r.body), `{"id":`) || !strings.Contains(string(r.body), `"identity":{"type":"SystemAssigned","tenantId":`) {
		t.Errorf("the Web provider's field order: %s", r.body)
	}
	var host engine.Host
	f.do(func(w *engine.World) { host, _ = w.Host("app-orders") })
	if host.Kind != engine.HostFunctionApp {
		t.Errorf("host kind %s", host.Kind)
	}
	f.do(func(w *engine.World) { host.Owner.Site.AppSettings["FUNCTIONS_WORKER_RUNTIME"] = "python" })
	r = f.call("POST", rg+"/sites/app-orders/config/appsettings/list"+q, f.admin, nil).must(t, 200)
	if r.json(t)["properties"].(map[string]any)["FUNCTIONS_WORKER_RUNTIME"] != "python" {
		t.Errorf("appsettings: %s", r.body)
	}
	f.call("PUT", rg+"/sites/app-noplan"+q, f.admin, map[string]any{"location": "westeurope"}).must(t, 400)
	r = f.call("DELETE", rg+"/serverfarms/plan-web"+q, f.admin, nil).must(t, 409)
	f.call("PATCH", rg+"/sites/app-orders"+q, f.admin, map[string]any{"identity": map[string]any{"type": "None"}}).must(t, 200)
	f.call("DELETE", rg+"/sites/app-orders"+q, f.admin, nil).must(t, 200)
	f.call("DELETE", rg+"/serverfarms/plan-web"+q, f.admin, nil).must(t, 200)
}

func TestARMUserAssignedIdentities(t *testing.T) {
	f := newARMFixture(t)
	path := f.sub + "/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-web"
	q := "?api-version=2023-01-31"
	r := f.call("PUT", path+q, f.admin, map[string]any{"location": "westeurope", "tags": map[string]string{"team": "web"}}).must(t, 201)
	var ui *engine.Resource
	var tenant string
	f.do(func(w *engine.World) {
		ui, _ = w.FindResource("rg", engine.TypeUserIdentity, "id-web")
		tenant = w.Tenant.ID
	})
	want := fmt.Sprintf(`{"location":"westeurope","tags":{"team":"web"},"id":"%s/resourcegroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-web","name":"id-web","type":"Microsoft.ManagedIdentity/userAssignedIdentities","properties":{"isolationScope":"None","tenantId":"%s","principalId":"%s","clientId":"%s"}}`,
		f.sub, tenant, ui.UserIdentity.PrincipalID, ui.UserIdentity.ClientID)
	if string(r.body) != want {
		t.Errorf("PUT\n got %s\nwant %s", r.body, want)
	}
	if got := string(f.call("GET", path+q, f.admin, nil).must(t, 200).body); got != want {
		t.Errorf("GET\n got %s\nwant %s", got, want)
	}
	// PUT again updates tags and keeps the IDs.
	r = f.call("PUT", path+q, f.admin, map[string]any{"location": "westeurope"}).must(t, 200)
	if r.json(t)["properties"].(map[string]any)["principalId"] != ui.UserIdentity.PrincipalID || len(r.json(t)["tags"].(map[string]any)) != 0 {
		t.Errorf("second PUT: %s", r.body)
	}
	for _, p := range []string{f.sub + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities", f.sub + "/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities"} {
		if list := f.call("GET", p+q, f.admin, nil).must(t, 200).json(t)["value"].([]any); len(list) != 1 {
			t.Errorf("%s: %v", p, list)
		}
	}
	// Managed Identity Contributor can create identities but not assign roles.
	vm, tok := f.managedVM("vm-ops")
	f.grant(f.sub+"/resourceGroups/rg", "Managed Identity Contributor", vm.Identity.SystemAssigned.PrincipalID)
	f.call("PUT", strings.Replace(path, "id-web", "id-two", 1)+q, tok, map[string]any{"location": "westeurope"}).must(t, 201)
	f.call("DELETE", strings.Replace(path, "id-web", "id-two", 1)+q, tok, nil).must(t, 200)
	f.call("DELETE", path+q, f.admin, nil).must(t, 200)
	f.call("DELETE", path+q, f.admin, nil).must(t, 204)
}
