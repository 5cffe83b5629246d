package azure

import (
	"fmt"
	"net/http"

	"github.com/miplay/miplay/engine"
)

// Microsoft.Compute: virtual machines and scale sets, with their
// identities. Only what managed identities need is modeled: no sizes,
// images, disks or networks, so GET shows the identity, tags and a few
// read-only properties, and a PUT's other properties are accepted and
// not kept.

const (
	actVMRead     = "Microsoft.Compute/virtualMachines/read"
	actVMWrite    = "Microsoft.Compute/virtualMachines/write"
	actVMDelete   = "Microsoft.Compute/virtualMachines/delete"
	actVMSSRead   = "Microsoft.Compute/virtualMachineScaleSets/read"
	actVMSSWrite  = "Microsoft.Compute/virtualMachineScaleSets/write"
	actVMSSDelete = "Microsoft.Compute/virtualMachineScaleSets/delete"
)

const (
	vmPath   = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute/virtualMachines"
	vmssPath = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute/virtualMachineScaleSets"
)

var computeRoutes = []armRoute{
	{Route: Route{Method: "GET", Path: "/subscriptions/{subscriptionId}/providers/Microsoft.Compute/virtualMachines", APIVersions: computeAPI, Action: actVMRead,
		Summary: "List the virtual machines of the subscription (az vm list)."}, scope: collectionScope, list: true, serve: listVMs},
	{Route: Route{Method: "GET", Path: vmPath, APIVersions: computeAPI, Action: actVMRead,
		Summary: "List the virtual machines of a resource group (az vm list -g)."}, scope: collectionScope, list: true, serve: listVMs},
	{Route: Route{Method: "GET", Path: vmPath + "/{vmName}", APIVersions: computeAPI, Action: actVMRead,
		Summary: "Get a virtual machine with its identity block (az vm show, az vm identity show)."}, serve: getVM},
	{Route: Route{Method: "PUT", Path: vmPath + "/{vmName}", APIVersions: computeAPI, Action: actVMWrite, Linked: actIdentityAssign,
		Summary: "Create or update a virtual machine: location, tags, identity {type, userAssignedIdentities} (az vm create, az vm update --set identity...)."}, serve: putVM},
	{Route: Route{Method: "PATCH", Path: vmPath + "/{vmName}", APIVersions: computeAPI, Action: actVMWrite, Linked: actIdentityAssign,
		Summary: "Update a virtual machine: tags, identity; userAssignedIdentities entries add, null entries remove (az vm identity assign/remove)."}, serve: patchVM},
	{Route: Route{Method: "DELETE", Path: vmPath + "/{vmName}", APIVersions: computeAPI, Action: actVMDelete,
		Summary: "Delete a virtual machine; its system-assigned identity goes with it (az vm delete)."}, serve: deleteVM},

	{Route: Route{Method: "GET", Path: "/subscriptions/{subscriptionId}/providers/Microsoft.Compute/virtualMachineScaleSets", APIVersions: computeAPI, Action: actVMSSRead,
		Summary: "List the scale sets of the subscription (az vmss list)."}, scope: collectionScope, list: true, serve: listScaleSets},
	{Route: Route{Method: "GET", Path: vmssPath, APIVersions: computeAPI, Action: actVMSSRead,
		Summary: "List the scale sets of a resource group (az vmss list -g)."}, scope: collectionScope, list: true, serve: listScaleSets},
	{Route: Route{Method: "GET", Path: vmssPath + "/{vmScaleSetName}", APIVersions: computeAPI, Action: actVMSSRead,
		Summary: "Get a scale set with sku.capacity and its identity block (az vmss show)."}, serve: getScaleSet},
	{Route: Route{Method: "PUT", Path: vmssPath + "/{vmScaleSetName}", APIVersions: computeAPI, Action: actVMSSWrite, Linked: actIdentityAssign,
		Summary: "Create or update a scale set: location, sku.capacity (required on create), tags, identity (az vmss create)."}, serve: putScaleSet},
	{Route: Route{Method: "PATCH", Path: vmssPath + "/{vmScaleSetName}", APIVersions: computeAPI, Action: actVMSSWrite, Linked: actIdentityAssign,
		Summary: "Update a scale set: sku.capacity, tags, identity (az vmss scale, az vmss identity assign/remove)."}, serve: patchScaleSet},
	{Route: Route{Method: "DELETE", Path: vmssPath + "/{vmScaleSetName}", APIVersions: computeAPI, Action: actVMSSDelete,
		Summary: "Delete a scale set (az vmss delete)."}, serve: deleteScaleSet},
}

// vmJSON is a virtual machine as the compute provider returns it.
type vmJSON struct {
	Name       string            `json:"name"`
	ID         string            `json:"id"`
	Type       string            `json:"type"`
	Location   string            `json:"location"`
	Tags       map[string]string `json:"tags,omitempty"`
	Identity   *armIdentity      `json:"identity,omitempty"`
	Properties vmProperties      `json:"properties"`
}

type vmProperties struct {
	VMID              string `json:"vmId"`
	ProvisioningState string `json:"provisioningState"`
	TimeCreated       string `json:"timeCreated"`
}

// scaleSetJSON is a VM scale set as the compute provider returns it.
type scaleSetJSON struct {
	Name       string             `json:"name"`
	ID         string             `json:"id"`
	Type       string             `json:"type"`
	SKU        scaleSetSKU        `json:"sku"`
	Location   string             `json:"location"`
	Tags       map[string]string  `json:"tags,omitempty"`
	Identity   *armIdentity       `json:"identity,omitempty"`
	Properties scaleSetProperties `json:"properties"`
}

// scaleSetSKU carries only the capacity: miplay does not model VM sizes.
type scaleSetSKU struct {
	Capacity int `json:"capacity"`
}

type scaleSetProperties struct {
	OrchestrationMode string            `json:"orchestrationMode"`
	UpgradePolicy     map[string]string `json:"upgradePolicy"`
	ProvisioningState string            `json:"provisioningState"`
	UniqueID          string            `json:"uniqueId"`
	TimeCreated       string            `json:"timeCreated"`
}

func (c *armCall) vmView(r *engine.Resource) any {
	return vmJSON{Name: r.Name, ID: r.ID, Type: engine.TypeVM, Location: r.Location, Tags: r.Tags, Identity: c.computeIdentity(r),
		Properties: vmProperties{VMID: stableGUID("vmId", r.ID, r.Created.String()), ProvisioningState: "Succeeded", TimeCreated: r.Created.UTC().Format(computeTime)}}
}

func (c *armCall) scaleSetView(r *engine.Resource) any {
	return scaleSetJSON{Name: r.Name, ID: r.ID, Type: engine.TypeScaleSet, SKU: scaleSetSKU{r.ScaleSet.Capacity}, Location: r.Location, Tags: r.Tags, Identity: c.computeIdentity(r),
		Properties: scaleSetProperties{OrchestrationMode: "Uniform", UpgradePolicy: map[string]string{"mode": "Manual"}, ProvisioningState: "Succeeded",
			UniqueID: stableGUID("uniqueId", r.ID, r.Created.String()), TimeCreated: r.Created.UTC().Format(computeTime)}}
}

func listVMs(c *armCall)       { c.listOf(engine.TypeVM, c.vmView) }
func listScaleSets(c *armCall) { c.listOf(engine.TypeScaleSet, c.scaleSetView) }

func getVM(c *armCall) {
	if r, ok := c.find(engine.TypeVM, "vmName"); ok {
		c.reply(http.StatusOK, c.vmView(r))
	}
}

func getScaleSet(c *armCall) {
	if r, ok := c.find(engine.TypeScaleSet, "vmScaleSetName"); ok {
		c.reply(http.StatusOK, c.scaleSetView(r))
	}
}

func deleteVM(c *armCall)       { c.deleteResource(engine.TypeVM, "vmName") }
func deleteScaleSet(c *armCall) { c.deleteResource(engine.TypeScaleSet, "vmScaleSetName") }

// computeChange is one PUT or PATCH of a resource with identities: it
// plans the identity change, checks it, creates the resource if needed,
// then applies tags, the type's own settings and the identities, and
// answers with view. create makes the resource; update applies the type's
// own settings (it may answer itself and return false).
type computeChange struct {
	typ, nameParam string
	patch          bool
	create         func(c *armCall, b resourceBody) (*engine.Resource, error)
	validate       func(c *armCall, b resourceBody, existing *engine.Resource) bool
	update         func(c *armCall, r *engine.Resource, b resourceBody) error
	view           func(c *armCall, r *engine.Resource) any
}

func (cc computeChange) run(c *armCall) {
	var b resourceBody
	if !c.decode(&b) {
		return
	}
	if _, err := c.world.ResourceGroup(c.p["resourceGroupName"]); err != nil {
		c.fail(err)
		return
	}
	existing, _ := c.world.FindResource(c.p["resourceGroupName"], cc.typ, c.p[cc.nameParam])
	if existing == nil && cc.patch {
		_, err := c.world.FindResource(c.p["resourceGroupName"], cc.typ, c.p[cc.nameParam])
		c.fail(err)
		return
	}
	if existing == nil && !c.requireLocation(b.Location) {
		return
	}
	if cc.validate != nil && !cc.validate(c, b, existing) {
		return
	}
	var current *engine.Identity
	if existing != nil {
		current = existing.Identity
	}
	plan, ok := c.planIdentity(current, b.Identity, cc.patch)
	if !ok {
		return
	}
	if !c.checkIdentityPlan(plan, c.route.Action, c.path) {
		return
	}
	r := existing
	if r == nil {
		var err error
		if r, err = cc.create(c, b); err != nil {
			c.fail(err)
			return
		}
	} else {
		c.setTags(r, b.Tags, !cc.patch)
		if cc.update != nil {
			if err := cc.update(c, r, b); err != nil {
				c.fail(err)
				return
			}
		}
	}
	if err := c.applyIdentityPlan(r, plan); err != nil {
		c.fail(err)
		return
	}
	if !plan.unchanged {
		c.decide("%s %s; identity now %s.", map[bool]string{true: "Created", false: "Updated"}[existing == nil], r.ID, r.Identity.Type())
	}
	c.reply(created(existing == nil), cc.view(c, r))
}

var vmChange = computeChange{
	typ: engine.TypeVM, nameParam: "vmName",
	create: func(c *armCall, b resourceBody) (*engine.Resource, error) {
		return c.world.CreateVM(c.newSpec("vmName", b))
	},
	view: (*armCall).vmView,
}

func putVM(c *armCall) { vmChange.run(c) }

func patchVM(c *armCall) {
	ch := vmChange
	ch.patch = true
	ch.run(c)
}

var scaleSetChange = computeChange{
	typ: engine.TypeScaleSet, nameParam: "vmScaleSetName",
	validate: func(c *armCall, b resourceBody, existing *engine.Resource) bool {
		if existing == nil && (b.SKU == nil || b.SKU.Capacity == nil) {
			c.armError(http.StatusBadRequest, "InvalidParameter", "Required parameter 'sku' is missing (null).")
			return false
		}
		if b.SKU != nil && b.SKU.Capacity != nil && (*b.SKU.Capacity < 0 || *b.SKU.Capacity > 1000) {
			c.armError(http.StatusBadRequest, "InvalidParameter", fmt.Sprintf("The value %d of parameter 'sku.capacity' is out of range. The value must be between 0 and 1000, inclusive.", *b.SKU.Capacity))
			return false
		}
		return true
	},
	create: func(c *armCall, b resourceBody) (*engine.Resource, error) {
		return c.world.CreateScaleSet(c.newSpec("vmScaleSetName", b), *b.SKU.Capacity)
	},
	update: func(c *armCall, r *engine.Resource, b resourceBody) error {
		if b.SKU != nil && b.SKU.Capacity != nil {
			return c.world.SetCapacity(r, *b.SKU.Capacity)
		}
		return nil
	},
	view: (*armCall).scaleSetView,
}

func putScaleSet(c *armCall) { scaleSetChange.run(c) }

func patchScaleSet(c *armCall) {
	ch := scaleSetChange
	ch.patch = true
	ch.run(c)
}
