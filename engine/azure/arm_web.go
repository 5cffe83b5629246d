package azure

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/miplay/miplay/engine"
)

// Microsoft.Web: App Service plans (serverfarms) and the web apps and
// function apps on them, with their identities. The Web provider spells
// the plan type "serverfarms" and returns locations by display name
// ("West Europe"); miplay does the same.

const (
	actPlanRead    = "Microsoft.Web/serverfarms/read"
	actPlanWrite   = "Microsoft.Web/serverfarms/write"
	actPlanDelete  = "Microsoft.Web/serverfarms/delete"
	actSiteRead    = "Microsoft.Web/sites/read"
	actSiteWrite   = "Microsoft.Web/sites/write"
	actSiteDelete  = "Microsoft.Web/sites/delete"
	actSiteConfigs = "Microsoft.Web/sites/config/list/action"
)

const (
	planPath = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Web/serverfarms"
	sitePath = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Web/sites"
)

var webRoutes = []armRoute{
	{Route: Route{Method: "GET", Path: "/subscriptions/{subscriptionId}/providers/Microsoft.Web/serverfarms", APIVersions: webAPI, Action: actPlanRead,
		Summary: "List the App Service plans of the subscription (az appservice plan list)."}, scope: collectionScope, list: true, serve: listPlans},
	{Route: Route{Method: "GET", Path: planPath, APIVersions: webAPI, Action: actPlanRead,
		Summary: "List the App Service plans of a resource group."}, scope: collectionScope, list: true, serve: listPlans},
	{Route: Route{Method: "GET", Path: planPath + "/{name}", APIVersions: webAPI, Action: actPlanRead,
		Summary: "Get an App Service plan (az appservice plan show)."}, serve: getPlan},
	{Route: Route{Method: "PUT", Path: planPath + "/{name}", APIVersions: webAPI, Action: actPlanWrite,
		Summary: "Create an App Service plan: location, sku.name (default B1), tags (az appservice plan create)."}, serve: putPlan},
	{Route: Route{Method: "PATCH", Path: planPath + "/{name}", APIVersions: webAPI, Action: actPlanWrite,
		Summary: "Update an App Service plan's tags."}, serve: patchPlan},
	{Route: Route{Method: "DELETE", Path: planPath + "/{name}", APIVersions: webAPI, Action: actPlanDelete,
		Summary: "Delete an App Service plan with no apps on it."}, serve: deletePlan},

	{Route: Route{Method: "GET", Path: "/subscriptions/{subscriptionId}/providers/Microsoft.Web/sites", APIVersions: webAPI, Action: actSiteRead,
		Summary: "List the web and function apps of the subscription (az webapp list, az functionapp list)."}, scope: collectionScope, list: true, serve: listSites},
	{Route: Route{Method: "GET", Path: sitePath, APIVersions: webAPI, Action: actSiteRead,
		Summary: "List the web and function apps of a resource group."}, scope: collectionScope, list: true, serve: listSites},
	{Route: Route{Method: "GET", Path: sitePath + "/{name}", APIVersions: webAPI, Action: actSiteRead,
		Summary: "Get a web or function app with its identity block (az webapp show, az webapp identity show)."}, serve: getSite},
	{Route: Route{Method: "PUT", Path: sitePath + "/{name}", APIVersions: webAPI, Action: actSiteWrite, Linked: actIdentityAssign,
		Summary: "Create or update a web app (kind app,linux) or function app (kind functionapp,linux): location, properties.serverFarmId, tags, identity (az webapp create, az webapp identity assign)."}, serve: putSite},
	{Route: Route{Method: "PATCH", Path: sitePath + "/{name}", APIVersions: webAPI, Action: actSiteWrite, Linked: actIdentityAssign,
		Summary: "Update a web or function app: tags, identity."}, serve: patchSite},
	{Route: Route{Method: "DELETE", Path: sitePath + "/{name}", APIVersions: webAPI, Action: actSiteDelete,
		Summary: "Delete a web or function app; its system-assigned identity goes with it (az webapp delete)."}, serve: deleteSite},
	{Route: Route{Method: "POST", Path: sitePath + "/{name}/config/appsettings/list", APIVersions: webAPI, Action: actSiteConfigs,
		Summary: "List an app's application settings (az webapp config appsettings list)."}, scope: siteScope, serve: listAppSettings},
}

// siteScope is the site a config action is performed on.
func siteScope(c *armCall) string { return c.path[:strings.Index(strings.ToLower(c.path), "/config/")] }

// webID writes a resource ID with the Web provider's "serverfarms".
func webID(id string) string {
	return strings.Replace(id, "/providers/Microsoft.Web/serverFarms/", "/providers/Microsoft.Web/serverfarms/", 1)
}

type planJSON struct {
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	Type       string            `json:"type"`
	Kind       string            `json:"kind"`
	Location   string            `json:"location"`
	Tags       map[string]string `json:"tags"`
	Properties planProperties    `json:"properties"`
	SKU        planSKU           `json:"sku"`
}

type planProperties struct {
	Name              string `json:"name"`
	Status            string `json:"status"`
	NumberOfSites     int    `json:"numberOfSites"`
	Reserved          bool   `json:"reserved"`
	ProvisioningState string `json:"provisioningState"`
	ResourceGroup     string `json:"resourceGroup"`
}

type planSKU struct {
	Name     string `json:"name"`
	Tier     string `json:"tier,omitempty"`
	Size     string `json:"size"`
	Family   string `json:"family"`
	Capacity int    `json:"capacity"`
}

// planTiers maps SKU name prefixes to App Service pricing tiers.
var planTiers = []struct{ prefix, suffix, tier string }{
	{"FC", "", "FlexConsumption"}, {"EP", "", "ElasticPremium"}, {"F", "", "Free"}, {"D", "", "Shared"},
	{"B", "", "Basic"}, {"S", "", "Standard"}, {"P", "mv3", "PremiumMV3"}, {"P", "v3", "PremiumV3"}, {"P", "v2", "PremiumV2"},
	{"I", "v2", "IsolatedV2"}, {"Y", "", "Dynamic"}, {"P", "", "Premium"},
}

func skuOf(name string) planSKU {
	up := strings.ToUpper(name)
	s := planSKU{Name: name, Size: name, Capacity: 1}
	for _, t := range planTiers {
		if strings.HasPrefix(up, t.prefix) && strings.HasSuffix(strings.ToLower(name), t.suffix) {
			s.Tier = t.tier
			break
		}
	}
	// The family is the name without its number: B1 -> B, P1v3 -> Pv3.
	i := strings.IndexAny(name, "0123456789")
	j := i
	for j >= 0 && j < len(name) && name[j] >= '0' && name[j] <= '9' {
		j++
	}
	if i >= 0 {
		s.Family = name[:i] + name[j:]
	} else {
		s.Family = name
	}
	return s
}

func (c *armCall) planView(r *engine.Resource) any {
	n := 0
	for _, s := range c.world.Resources() {
		if s.Site != nil && strings.EqualFold(s.Site.PlanID, r.ID) {
			n++
		}
	}
	return planJSON{ID: webID(r.ID), Name: r.Name, Type: "Microsoft.Web/serverfarms", Kind: r.Kind, Location: regionName(r.Location), Tags: tagsOrEmpty(r.Tags),
		Properties: planProperties{Name: r.Name, Status: "Ready", NumberOfSites: n, Reserved: true, ProvisioningState: "Succeeded", ResourceGroup: r.ResourceGroup},
		SKU:        skuOf(r.Plan.SKU)}
}

func listPlans(c *armCall) { c.listOf(engine.TypePlan, c.planView) }

func getPlan(c *armCall) {
	if r, ok := c.find(engine.TypePlan, "name"); ok {
		c.reply(http.StatusOK, c.planView(r))
	}
}

func putPlan(c *armCall) {
	var b resourceBody
	if !c.decode(&b) {
		return
	}
	if r, err := c.world.FindResource(c.p["resourceGroupName"], engine.TypePlan, c.p["name"]); err == nil {
		c.setTags(r, b.Tags, true)
		c.reply(http.StatusOK, c.planView(r))
		return
	}
	if !c.requireLocation(b.Location) {
		return
	}
	sku := ""
	if b.SKU != nil {
		sku = b.SKU.Name
	}
	r, err := c.world.CreatePlan(c.newSpec("name", b), sku)
	if err != nil {
		c.fail(err)
		return
	}
	c.reply(http.StatusCreated, c.planView(r))
}

func patchPlan(c *armCall) { c.patchTags(engine.TypePlan, "name", c.planView) }

func deletePlan(c *armCall) { c.deleteResource(engine.TypePlan, "name") }

type siteJSON struct {
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	Type       string            `json:"type"`
	Kind       string            `json:"kind"`
	Location   string            `json:"location"`
	Tags       map[string]string `json:"tags"`
	Properties siteProperties    `json:"properties"`
	Identity   *webIdentityJSON  `json:"identity,omitempty"`
}

type siteProperties struct {
	Name             string   `json:"name"`
	State            string   `json:"state"`
	HostNames        []string `json:"hostNames"`
	Enabled          bool     `json:"enabled"`
	EnabledHostNames []string `json:"enabledHostNames"`
	ServerFarmID     string   `json:"serverFarmId"`
	Reserved         bool     `json:"reserved"`
	DefaultHostName  string   `json:"defaultHostName"`
	HTTPSOnly        bool     `json:"httpsOnly"`
	ResourceGroup    string   `json:"resourceGroup"`
}

func (c *armCall) siteView(r *engine.Resource) any {
	host := r.Site.DefaultHost
	scm := strings.Replace(host, ".azurewebsites.net", ".scm.azurewebsites.net", 1)
	return siteJSON{ID: r.ID, Name: r.Name, Type: engine.TypeSite, Kind: r.Kind, Location: regionName(r.Location), Tags: tagsOrEmpty(r.Tags),
		Properties: siteProperties{Name: r.Name, State: "Running", HostNames: []string{host}, Enabled: true, EnabledHostNames: []string{host, scm},
			ServerFarmID: webID(r.Site.PlanID), Reserved: true, DefaultHostName: host, ResourceGroup: r.ResourceGroup},
		Identity: c.webIdentity(r)}
}

func listSites(c *armCall) { c.listOf(engine.TypeSite, c.siteView) }

func getSite(c *armCall) {
	if r, ok := c.find(engine.TypeSite, "name"); ok {
		c.reply(http.StatusOK, c.siteView(r))
	}
}

func deleteSite(c *armCall) { c.deleteResource(engine.TypeSite, "name") }

// siteBody is what a site PUT adds to the common fields.
type siteBody struct {
	Properties struct {
		ServerFarmID string `json:"serverFarmId"`
	} `json:"properties"`
}

var siteChange = computeChange{
	typ: engine.TypeSite, nameParam: "name",
	validate: func(c *armCall, b resourceBody, existing *engine.Resource) bool {
		var sb siteBody
		json.Unmarshal(c.body, &sb)
		if existing == nil && sb.Properties.ServerFarmID == "" {
			// UNVERIFIED: wording; miplay always needs the plan.
			c.armError(http.StatusBadRequest, "BadRequest", "The parameter 'properties.serverFarmId' is required to create a site in miplay: create an App Service plan first.")
			return false
		}
		return true
	},
	create: func(c *armCall, b resourceBody) (*engine.Resource, error) {
		var sb siteBody
		json.Unmarshal(c.body, &sb)
		kind := engine.WebApp
		if strings.Contains(strings.ToLower(b.Kind), "functionapp") {
			kind = engine.FunctionApp
		}
		return c.world.CreateSite(c.newSpec("name", b), sb.Properties.ServerFarmID, kind)
	},
	view: (*armCall).siteView,
}

func putSite(c *armCall) { siteChange.run(c) }

func patchSite(c *armCall) {
	ch := siteChange
	ch.patch = true
	ch.run(c)
}

// appSettingsJSON is a site's config/appsettings resource.
type appSettingsJSON struct {
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	Type       string            `json:"type"`
	Location   string            `json:"location"`
	Properties map[string]string `json:"properties"`
}

func listAppSettings(c *armCall) {
	r, ok := c.find(engine.TypeSite, "name")
	if !ok {
		return
	}
	props := map[string]string{}
	for k, v := range r.Site.AppSettings {
		props[k] = v
	}
	c.reply(http.StatusOK, appSettingsJSON{ID: r.ID + "/config/appsettings", Name: "appsettings", Type: "Microsoft.Web/sites/config", Location: regionName(r.Location), Properties: props})
}
