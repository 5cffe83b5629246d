package azure

import (
	"net/http"
	"testing"

	"github.com/miplay/miplay/engine"
)

func TestARMPutAppSettings(t *testing.T) {
	f := newARMFixture(t)
	var site *engine.Resource
	f.do(func(w *engine.World) {
		plan, err := w.CreatePlan(engine.ResourceSpec{Group: "rg", Name: "plan"}, "B1")
		if err != nil {
			t.Fatal(err)
		}
		if site, err = w.CreateSite(engine.ResourceSpec{Group: "rg", Name: "app-x"}, plan.ID, engine.WebApp); err != nil {
			t.Fatal(err)
		}
		site.Site.AppSettings["OLD"] = "1"
	})
	path := site.ID + "/config/appsettings?api-version=2023-12-01"
	got := f.call("PUT", path, f.admin, map[string]any{"properties": map[string]any{"MODE": "demo", "CONN": "secret"}}).must(t, http.StatusOK).json(t)
	props, _ := got["properties"].(map[string]any)
	if len(props) != 2 || props["MODE"] != "demo" || props["CONN"] != "secret" {
		t.Errorf("properties = %v, want MODE and CONN only", props)
	}
	f.do(func(w *engine.World) {
		if _, ok := site.Site.AppSettings["OLD"]; ok || site.Site.AppSettings["MODE"] != "demo" {
			t.Errorf("app settings = %v", site.Site.AppSettings)
		}
	})
	listed := f.call("POST", site.ID+"/config/appsettings/list?api-version=2023-12-01", f.admin, nil).must(t, http.StatusOK).json(t)
	if p, _ := listed["properties"].(map[string]any); p["CONN"] != "secret" {
		t.Errorf("list after put = %v", listed)
	}

	// A managed identity without a role may not write settings.
	_, tok := f.managedVM("vm-x")
	r := f.call("PUT", path, tok, map[string]any{"properties": map[string]any{}})
	if code, _ := r.errorCode(t); r.status != http.StatusForbidden || code != "AuthorizationFailed" {
		t.Errorf("PUT by a VM without roles: %d %s", r.status, r.body)
	}
	// A site that does not exist.
	r = f.call("PUT", f.sub+"/resourceGroups/rg/providers/Microsoft.Web/sites/nosuch/config/appsettings?api-version=2023-12-01", f.admin, map[string]any{"properties": map[string]any{}})
	if code, _ := r.errorCode(t); r.status != http.StatusNotFound || code != "ResourceNotFound" {
		t.Errorf("PUT on a missing site: %d %s", r.status, r.body)
	}
}

func TestARMListScaleSetInstances(t *testing.T) {
	f := newARMFixture(t)
	var ss *engine.Resource
	f.do(func(w *engine.World) {
		var err error
		if ss, err = w.CreateScaleSet(engine.ResourceSpec{Group: "rg", Name: "vmss-x"}, 3); err != nil {
			t.Fatal(err)
		}
	})
	got := f.call("GET", ss.ID+"/virtualMachines", f.admin, nil).must(t, http.StatusOK).json(t)
	list, _ := got["value"].([]any)
	if len(list) != 3 {
		t.Fatalf("value has %d instances, want 3: %v", len(list), got)
	}
	first, _ := list[0].(map[string]any)
	if first["name"] != "vmss-x_0" || first["instanceId"] != "0" || first["id"] != ss.ID+"/virtualMachines/0" {
		t.Errorf("first instance = %v", first)
	}
	f.do(func(w *engine.World) {
		for i := range list {
			name := list[i].(map[string]any)["name"].(string)
			if _, ok := w.Host(name); !ok {
				t.Errorf("instance %s is not a host", name)
			}
		}
	})
	r := f.call("GET", f.sub+"/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/nosuch/virtualMachines", f.admin, nil)
	if r.status != http.StatusNotFound {
		t.Errorf("missing scale set: %d %s", r.status, r.body)
	}
}
