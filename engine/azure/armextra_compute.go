package azure

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/miplay/miplay/engine"
)

// An extra ARM route the shell's az needs: listing a scale set's instances
// (az vmss list-instances).

var extraComputeRoutes = []armRoute{
	{Route: Route{Method: "GET", Path: vmssPath + "/{vmScaleSetName}/virtualMachines", APIVersions: computeAPI, Action: actVMSSRead,
		Summary: "List a scale set's instances, vmss-web_0, vmss-web_1, ... (az vmss list-instances)."}, scope: vmssInstancesScope, serve: listScaleSetInstances},
}

// vmssInstancesScope is the scale set whose instances are listed.
func vmssInstancesScope(c *armCall) string { return c.path[:strings.LastIndex(c.path, "/")] }

// vmssInstanceJSON is one instance of a Uniform scale set.
type vmssInstanceJSON struct {
	Name       string               `json:"name"`
	ID         string               `json:"id"`
	Type       string               `json:"type"`
	InstanceID string               `json:"instanceId"`
	Location   string               `json:"location"`
	Properties vmssInstanceProperty `json:"properties"`
}

type vmssInstanceProperty struct {
	LatestModelApplied bool   `json:"latestModelApplied"`
	VMID               string `json:"vmId"`
	ProvisioningState  string `json:"provisioningState"`
}

func listScaleSetInstances(c *armCall) {
	r, ok := c.find(engine.TypeScaleSet, "vmScaleSetName")
	if !ok {
		return
	}
	out := armList{Value: []any{}}
	for i := 0; i < r.ScaleSet.Capacity; i++ {
		id := fmt.Sprintf("%s/virtualMachines/%d", r.ID, i)
		out.Value = append(out.Value, vmssInstanceJSON{
			Name: fmt.Sprintf("%s_%d", r.Name, i), ID: id, Type: engine.TypeScaleSet + "/virtualMachines", InstanceID: fmt.Sprint(i), Location: r.Location,
			Properties: vmssInstanceProperty{LatestModelApplied: true, VMID: stableGUID("vmId", id, r.Created.String()), ProvisioningState: "Succeeded"},
		})
	}
	c.reply(http.StatusOK, out)
}
