package azure

import (
	"strings"
	"testing"
	"time"

	"github.com/miplay/miplay/engine"
)

func TestARMGenericResourcesFiltersAndExpand(t *testing.T) {
	f := newARMFixture(t)
	vm, _ := f.managedVM("vm1")
	f.do(func(w *engine.World) {
		if _, err := w.CreateResourceGroup("rg2", "northeurope"); err != nil {
			t.Fatal(err)
		}
		st, err := w.CreateStorageAccount(engine.ResourceSpec{Group: "rg2", Name: "stdemo"})
		if err != nil {
			t.Fatal(err)
		}
		w.SetTags(st, map[string]string{"Env": "dev"})
		if _, err := w.CreateScaleSet(engine.ResourceSpec{Group: "rg2", Name: "vmss1"}, 2); err != nil {
			t.Fatal(err)
		}
	})
	q := "api-version=2022-09-01"
	names := func(path string) string {
		t.Helper()
		var got []string
		for _, v := range f.call("GET", path, f.admin, nil).must(t, 200).json(t)["value"].([]any) {
			got = append(got, v.(map[string]any)["name"].(string))
		}
		return strings.Join(got, ",")
	}
	for _, tt := range []struct{ filter, want string }{
		{"resourceGroup eq 'RG2'", "stdemo,vmss1"},
		{"resourceGroup eq 'rg2' and resourceType eq 'Microsoft.Compute/virtualMachineScaleSets'", "vmss1"},
		{"tagName eq 'env'", "stdemo"},
		{"tagName eq 'env' and tagValue eq 'dev'", "stdemo"},
		{"tagName eq 'env' and tagValue eq 'prod'", ""},
		{"startswith(tagName, 'E')", "stdemo"},
		{"substringof('vm', name)", "vm1,vmss1"},
		{"substringof('2', resourceGroup) and substringof('ss', name)", "vmss1"},
	} {
		if got := names(f.sub + "/resources?$filter=" + strings.ReplaceAll(tt.filter, " ", "+") + "&" + q); got != tt.want {
			t.Errorf("$filter=%s: %q, want %q", tt.filter, got, tt.want)
		}
	}

	// Filtering by a tag's name and value leaves the tags out, as ARM does.
	list := f.call("GET", f.sub+"/resources?$filter=tagName+eq+'env'+and+tagValue+eq+'dev'&"+q, f.admin, nil).must(t, 200).json(t)["value"].([]any)
	if _, ok := list[0].(map[string]any)["tags"]; ok {
		t.Errorf("tags returned with a tag name and value filter: %v", list[0])
	}

	// identity and sku come without $expand; times and state with it.
	f.do(func(w *engine.World) { w.Advance(time.Hour) })
	f.do(func(w *engine.World) {
		r, _ := w.Resource(vm.ID)
		w.SetTags(r, map[string]string{"a": "b"})
	})
	all := f.call("GET", f.sub+"/resources?"+q, f.admin, nil).must(t, 200).json(t)["value"].([]any)
	byName := map[string]map[string]any{}
	for _, v := range all {
		m := v.(map[string]any)
		byName[m["name"].(string)] = m
	}
	id, _ := byName["vm1"]["identity"].(map[string]any)
	if id["type"] != "SystemAssigned" || id["principalId"] != vm.Identity.SystemAssigned.PrincipalID || id["tenantId"] == nil {
		t.Errorf("vm1 identity: %v", byName["vm1"]["identity"])
	}
	if sku, _ := byName["vmss1"]["sku"].(map[string]any); sku["capacity"] != float64(2) {
		t.Errorf("vmss1 sku: %v", byName["vmss1"]["sku"])
	}
	if _, ok := byName["vm1"]["createdTime"]; ok {
		t.Errorf("createdTime without $expand: %v", byName["vm1"])
	}
	expanded := f.call("GET", f.sub+"/resources?$filter=name+eq+'vm1'&$expand=createdTime,changedTime,provisioningState&"+q, f.admin, nil).must(t, 200).json(t)["value"].([]any)
	m := expanded[0].(map[string]any)
	created, changed := m["createdTime"].(string), m["changedTime"].(string)
	if created != vm.Created.UTC().Format(armTime7) || changed != vm.Created.Add(time.Hour).UTC().Format(armTime7) || m["provisioningState"] != "Succeeded" {
		t.Errorf("expanded: created %s, changed %s, state %v (created at %s)", created, changed, m["provisioningState"], vm.Created)
	}
	r := f.call("GET", f.sub+"/resources?$expand=properties&"+q, f.admin, nil).must(t, 400)
	if code, _ := r.errorCode(t); code != "NotSimulated" {
		t.Errorf("$expand=properties: %s", r.body)
	}
}
