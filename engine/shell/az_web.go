package shell

import (
	"sort"
	"strings"
)

// az appservice plan, az webapp and az functionapp: Linux App Service plans
// and the web and function apps on them, their identities and their
// application settings (which are environment variables inside the app,
// and which anyone who may list them can read).

const (
	planType = "Microsoft.Web/serverfarms"
	siteType = "Microsoft.Web/sites"
)

// linuxStacks are the runtime stacks of `az webapp list-runtimes --os-type
// linux` in azure-cli 2.6x. Versions are not checked.
var linuxStacks = []string{"DOTNETCORE", "DOTNET", "NODE", "PYTHON", "PHP", "JAVA", "TOMCAT", "JBOSSEAP", "WORDPRESS"}

// functionRuntimes are --runtime values of az functionapp create.
var functionRuntimes = []string{"dotnet", "dotnet-isolated", "node", "python", "java", "powershell", "custom"}

func registerAzWeb() {
	group := azArg{Names: []string{"--resource-group", "-g"}, Required: true, Help: "Name of resource group."}
	registerAz(
		&azCommand{
			Path:    "appservice plan create",
			Summary: "Create an app service plan.",
			Args: []azArg{
				group,
				{Names: []string{"--name", "-n"}, Required: true, Help: "Name of the new app service plan."},
				{Names: []string{"--sku"}, Help: "The pricing tiers, e.g., F1(Free), D1(Shared), B1(Basic Small), B2(Basic Medium), B3(Basic Large), S1(Standard Small), P1V2(Premium V2 Small), P1V3(Premium V3 Small), ... Default: B1."},
				{Names: []string{"--is-linux"}, Switch: true, Help: "Host web app on Linux worker. miplay simulates Linux plans only."},
				{Names: []string{"--location", "-l"}, Help: "Location. Default: the resource group's location."},
				{Names: []string{"--number-of-workers"}, Ignored: true, Help: "Number of workers to be allocated."},
				{Names: []string{"--per-site-scaling"}, Switch: true, Ignored: true, Help: "Enable per-app scaling at the App Service plan level to allow for scaling an app independently from the App Service plan that hosts it."},
				{Names: []string{"--zone-redundant", "-z"}, Switch: true, Ignored: true, Help: "Enable zone redundancy for high availability."},
				{Names: []string{"--tags"}, Multi: true, Help: "Space-separated tags: key[=value]."},
				{Names: []string{"--hyper-v"}, Switch: true, NotSimulated: true, Help: "Host Windows Container Web App on Hyper-V worker."},
				{Names: []string{"--app-service-environment", "--ase"}, NotSimulated: true, Help: "Name or ID of the app service environment."},
			},
			Examples:     []string{"$ az appservice plan create -g rg-demo -n plan-demo --is-linux --sku B1"},
			NotSimulated: "Windows plans (without --is-linux), App Service Environments and Hyper-V.",
			Run: func(c *azCall) (any, error) {
				if !c.has("--is-linux") {
					return nil, clierrf("Windows App Service plans are not simulated in miplay: add --is-linux.")
				}
				rg := c.str("--resource-group")
				loc, err := c.location(rg)
				if err != nil {
					return nil, err
				}
				sku := strings.ToUpper(c.str("--sku"))
				if sku == "" {
					sku = "B1"
				}
				body := map[string]any{"location": loc, "kind": "linux", "sku": map[string]any{"name": sku, "capacity": 1}, "properties": map[string]any{"reserved": true}}
				if tags := parseTags(c.list("--tags")); tags != nil {
					body["tags"] = tags
				}
				out, err := c.arm("PUT", c.resourcePath(rg, planType, c.str("--name")), webAPI, body)
				if err != nil {
					return nil, err
				}
				return webOutput(out), nil
			},
		},
		&azCommand{
			Path:     "appservice plan show",
			Summary:  "Get the app service plans for a resource group or a set of resource groups.",
			Args:     []azArg{group, {Names: []string{"--name", "-n"}, Required: true, Help: "The name of the app service plan."}},
			Show:     true,
			Examples: []string{"$ az appservice plan show -g rg-demo -n plan-demo --query sku.name -o tsv"},
			Run: func(c *azCall) (any, error) {
				out, err := c.arm("GET", c.resourcePath(c.str("--resource-group"), planType, c.str("--name")), webAPI, nil)
				if err != nil {
					return nil, err
				}
				return webOutput(out), nil
			},
		},
		&azCommand{
			Path:     "appservice plan list",
			Summary:  "List app service plans.",
			Examples: []string{"$ az appservice plan list -g rg-demo --query \"[].{name:name, apps:numberOfSites}\" -o table"},
			Args:     []azArg{{Names: []string{"--resource-group", "-g"}, Help: "Name of resource group. Default: every plan in the subscription."}},
			Run: func(c *azCall) (any, error) {
				return c.listWeb(planType, "")
			},
		},
		&azCommand{
			Path:    "appservice plan delete",
			Summary: "Delete an app service plan.",
			Args: []azArg{group, {Names: []string{"--name", "-n"}, Required: true, Help: "The name of the app service plan."},
				{Names: []string{"--yes", "-y"}, Switch: true, Help: "Do not prompt for confirmation."}},
			Examples: []string{"$ az appservice plan delete -g rg-demo -n plan-empty --yes"},
			Run: func(c *azCall) (any, error) {
				if !c.has("--yes") {
					return nil, clierrf("Unable to prompt for confirmation as no tty available. Use --yes.")
				}
				_, err := c.arm("DELETE", c.resourcePath(c.str("--resource-group"), planType, c.str("--name")), webAPI, nil)
				return nil, err
			},
		},
		&azCommand{
			Path:    "webapp create",
			Summary: "Create a web app.",
			Args: []azArg{
				group,
				{Names: []string{"--name", "-n"}, Required: true, Help: "Name of the new web app. Web app names are global: <name>.azurewebsites.net."},
				{Names: []string{"--plan", "-p"}, Required: true, Help: "Name or resource id of the app service plan."},
				{Names: []string{"--runtime", "-r"}, Help: "Canonicalized web runtime in the format of Framework:Version, e.g. \"PYTHON:3.12\", \"NODE:20-lts\", \"DOTNETCORE:8.0\". Checked, then not modeled."},
				{Names: []string{"--deployment-container-image-name", "-i"}, Ignored: true, Help: "Container image name from container registry, e.g. publisher/image-name:tag."},
				{Names: []string{"--container-image-name", "-c"}, Ignored: true, Help: "The container custom image name and optionally the tag name (e.g., `<registry-name>/<image-name>:<tag>`)."},
				{Names: []string{"--assign-identity"}, AnyNumber: true, Help: "Accept system or user assigned identities separated by spaces. Use '[system]' to refer system assigned identity, or a resource id to refer user assigned identity."},
				{Names: []string{"--role"}, Help: "Role name or id the system assigned identity will have. Default: Contributor (only used with --scope)."},
				{Names: []string{"--scope"}, Help: "Scope the system assigned identity can access."},
				{Names: []string{"--tags"}, Multi: true, Help: "Space-separated tags: key[=value]."},
				{Names: []string{"--https-only"}, AnyNumber: true, Help: "Redirect all traffic made to an app using HTTP to HTTPS."},
				{Names: []string{"--startup-file"}, Ignored: true, Help: "Linux only. The web's startup file."},
				{Names: []string{"--deployment-local-git", "-l"}, Switch: true, NotSimulated: true, Help: "Enable local git."},
				{Names: []string{"--deployment-source-url", "-u"}, NotSimulated: true, Help: "Git repository URL to link with manual integration."},
				{Names: []string{"--vnet"}, NotSimulated: true, Help: "Name or resource ID of the regional virtual network."},
				{Names: []string{"--subnet"}, NotSimulated: true, Help: "Name or resource ID of the pre-existing subnet to have the webapp join."},
				{Names: []string{"--public-network-access"}, Choices: []string{"Disabled", "Enabled"}, Ignored: true, Help: "Enable or disable public access to the web app."},
				{Names: []string{"--basic-auth"}, Choices: []string{"Disabled", "Enabled"}, Ignored: true, Help: "Enable or disable basic auth."},
			},
			Examples: []string{
				"$ az webapp create -g rg-demo -p plan-demo -n app-orders --runtime PYTHON:3.12",
				"$ az webapp create -g rg-demo -p plan-demo -n app-orders --runtime PYTHON:3.12 --assign-identity",
				"$ az webapp create -g rg-demo -p plan-demo -n app-orders --runtime PYTHON:3.12 --assign-identity [system] $UAMI_ID",
			},
			NotSimulated: "Deployment (git, zip, containers), networking, slots. The runtime is checked but no code runs: the app is a host you can run commands on.",
			Run:          func(c *azCall) (any, error) { return webappCreate(c) },
		},
		&azCommand{
			Path:    "functionapp create",
			Summary: "Create a function app.",
			Args: []azArg{
				group,
				{Names: []string{"--name", "-n"}, Required: true, Help: "Name of the new function app. Names are global: <name>.azurewebsites.net."},
				{Names: []string{"--storage-account", "-s"}, Required: true, Help: "Provide a string value of a Storage Account in the provided Resource Group. Or Resource ID of a Storage Account in a different Resource Group. Its connection string, with the account key, becomes the AzureWebJobsStorage app setting."},
				{Names: []string{"--plan", "-p"}, Help: "Name or resource id of the function app service plan."},
				{Names: []string{"--consumption-plan-location", "-c"}, Help: "Geographic location where function app will be hosted."},
				{Names: []string{"--os-type"}, Choices: []string{"Linux", "Windows"}, Help: "Set the OS type for the app to be created. Default: Windows; miplay simulates Linux only."},
				{Names: []string{"--runtime"}, Choices: functionRuntimes, Help: "The functions runtime stack."},
				{Names: []string{"--runtime-version"}, Ignored: true, Help: "The version of the functions runtime stack."},
				{Names: []string{"--functions-version"}, Choices: []string{"4"}, Help: "The functions app version. Default: 4."},
				{Names: []string{"--assign-identity"}, AnyNumber: true, Help: "Accept system or user assigned identities separated by spaces. Use '[system]' to refer system assigned identity, or a resource id to refer user assigned identity."},
				{Names: []string{"--role"}, Help: "Role name or id the system assigned identity will have. Default: Contributor (only used with --scope)."},
				{Names: []string{"--scope"}, Help: "Scope the system assigned identity can access."},
				{Names: []string{"--disable-app-insights"}, AnyNumber: true, Help: "Disable creating application insights resource during functionapp create."},
				{Names: []string{"--app-insights"}, NotSimulated: true, Help: "Name of the existing App Insights project to be added to the Function app."},
				{Names: []string{"--app-insights-key"}, NotSimulated: true, Help: "Instrumentation key of App Insights to be added."},
				{Names: []string{"--flexconsumption-location", "-f"}, NotSimulated: true, Help: "Geographic location where function app will be hosted on the Flex Consumption plan."},
				{Names: []string{"--tags"}, Multi: true, Help: "Space-separated tags: key[=value]."},
				{Names: []string{"--https-only"}, AnyNumber: true, Help: "Redirect all traffic made to an app using HTTP to HTTPS."},
				{Names: []string{"--deployment-container-image-name", "-i"}, NotSimulated: true, Help: "Container image name from Docker Hub, e.g. publisher/image-name:tag."},
			},
			Examples: []string{
				"$ az functionapp create -g rg-demo -n func-jobs -s stdemo --consumption-plan-location westeurope --os-type Linux --runtime python --functions-version 4 --disable-app-insights",
				"$ az functionapp create -g rg-demo -n func-jobs -s stdemo -p plan-demo --os-type Linux --runtime python --functions-version 4 --disable-app-insights --assign-identity",
			},
			NotSimulated: "Windows function apps, Application Insights, Flex Consumption and containers. No function code runs: the app is a host you can run commands on.",
			Run:          functionappCreate,
		},
	)
	for _, kind := range []string{"webapp", "functionapp"} {
		registerSiteCommands(kind)
	}
}

// registerSiteCommands registers show, list, delete, identity and
// appsettings commands for web apps or function apps.
func registerSiteCommands(kind string) {
	noun := "web app"
	example := "app-orders"
	if kind == "functionapp" {
		noun, example = "function app", "func-jobs"
	}
	group := azArg{Names: []string{"--resource-group", "-g"}, Required: true, Help: "Name of resource group."}
	name := azArg{Names: []string{"--name", "-n"}, Required: true, Help: "Name of the " + noun + "."}
	slot := azArg{Names: []string{"--slot", "-s"}, NotSimulated: true, Help: "The name of the slot."}
	ids := azArg{Names: []string{"--ids"}, Multi: true, NotSimulated: true, Help: "One or more resource IDs (space-delimited)."}
	registerAz(
		&azCommand{
			Path:         kind + " show",
			Summary:      "Get the details of a " + noun + ".",
			Args:         []azArg{group, name, slot, ids},
			Show:         true,
			Examples:     []string{"$ az " + kind + " show -g rg-demo -n " + example + " --query defaultHostName -o tsv"},
			NotSimulated: "Most site properties: miplay's ARM returns the host names, state, plan, kind and identity.",
			Run: func(c *azCall) (any, error) {
				out, err := c.arm("GET", c.resourcePath(c.str("--resource-group"), siteType, c.str("--name")), webAPI, nil)
				if err != nil {
					return nil, err
				}
				return webOutput(out), nil
			},
		},
		&azCommand{
			Path:     kind + " list",
			Summary:  "List " + noun + "s.",
			Args:     []azArg{{Names: []string{"--resource-group", "-g"}, Help: "Name of resource group. Default: every " + noun + " in the subscription."}},
			Examples: []string{"$ az " + kind + " list -g rg-demo --query \"[].{name:name, identity:identity.type}\" -o table"},
			Run: func(c *azCall) (any, error) {
				return c.listWeb(siteType, kind)
			},
		},
		&azCommand{
			Path:    kind + " delete",
			Summary: "Delete a " + noun + ". Its system-assigned identity is deleted with it; an App Service plan left empty is deleted too.",
			Args: []azArg{group, name, slot, ids,
				{Names: []string{"--keep-empty-plan"}, Switch: true, Help: "Keep empty app service plan."},
				{Names: []string{"--keep-metrics"}, Switch: true, Ignored: true, Help: "Keep app metrics."},
				{Names: []string{"--keep-dns-registration"}, Switch: true, Ignored: true, Help: "Keep DNS registration."},
			},
			Examples: []string{"$ az " + kind + " delete -g rg-demo -n " + example},
			Run: func(c *azCall) (any, error) {
				return nil, c.deleteSite(kind)
			},
		},
		&azCommand{
			Path:    kind + " identity assign",
			Summary: "Assign managed identity to the " + noun + ".",
			Args: []azArg{group, name, slot, ids,
				{Names: []string{"--identities"}, AnyNumber: true, Help: "Space-separated identities to assign. Use '[system]' to refer to the system assigned identity. Default: '[system]'."},
				{Names: []string{"--role"}, Help: "Role name or id the system assigned identity will have. Default: Contributor (only used with --scope)."},
				{Names: []string{"--scope"}, Help: "Scope that the system assigned identity can access."},
			},
			Examples: []string{
				"$ az " + kind + " identity assign -g rg-demo -n " + example,
				"$ az " + kind + " identity assign -g rg-demo -n " + example + " --identities $UAMI_ID",
				"$ az " + kind + " identity assign -g rg-demo -n " + example + " --role Reader --scope /subscriptions/$SUB/resourceGroups/rg-demo",
			},
			Run: func(c *azCall) (any, error) {
				req := c.parseIdentities(c.list("--identities"), c.str("--resource-group"))
				return c.siteIdentityAssign(c.str("--resource-group"), c.str("--name"), req)
			},
		},
		&azCommand{
			Path:    kind + " identity remove",
			Summary: "Disable " + noun + "'s managed identity.",
			Args: []azArg{group, name, slot, ids,
				{Names: []string{"--identities"}, AnyNumber: true, Help: "Space-separated identities to remove. Use '[system]' to refer to the system assigned identity. Default: '[system]'."},
			},
			Examples: []string{
				"$ az " + kind + " identity remove -g rg-demo -n " + example,
				"$ az " + kind + " identity remove -g rg-demo -n " + example + " --identities $UAMI_ID",
			},
			Run: siteIdentityRemove,
		},
		&azCommand{
			Path:    kind + " identity show",
			Summary: "Display " + noun + "'s managed identity.",
			Args:    []azArg{group, name, slot, ids},
			Show:    true,
			Examples: []string{
				"$ az " + kind + " identity show -g rg-demo -n " + example + " --query principalId -o tsv",
			},
			Run: func(c *azCall) (any, error) {
				out, err := c.arm("GET", c.resourcePath(c.str("--resource-group"), siteType, c.str("--name")), webAPI, nil)
				if err != nil {
					return nil, err
				}
				return identityModel(identityOf(out)), nil
			},
		},
		&azCommand{
			Path:    kind + " config appsettings set",
			Summary: "Set a " + noun + "'s settings. Inside the app they are environment variables; anyone who may list them can read them.",
			Args: []azArg{group, name, slot, ids,
				{Names: []string{"--settings"}, Multi: true, Help: "Space-separated app settings in KEY=VALUE format."},
				{Names: []string{"--slot-settings"}, Multi: true, NotSimulated: true, Help: "Space-separated slot app settings in KEY=VALUE format."},
			},
			Examples: []string{
				"$ az " + kind + " config appsettings set -g rg-demo -n " + example + " --settings STORAGE_ACCOUNT=storedemo",
				"$ az " + kind + " config appsettings set -g rg-demo -n " + example + " --settings \"STORAGE_CONNECTION_STRING=$CONN\"",
			},
			Run: appSettingsSet,
		},
		&azCommand{
			Path:     kind + " config appsettings list",
			Summary:  "Get the details of a " + noun + "'s settings, values included.",
			Args:     []azArg{group, name, slot, ids},
			Examples: []string{"$ az " + kind + " config appsettings list -g rg-demo -n " + example + " -o table"},
			Run: func(c *azCall) (any, error) {
				settings, err := c.appSettings(c.str("--resource-group"), c.str("--name"))
				if err != nil {
					return nil, err
				}
				return appSettingsOutput(settings, false), nil
			},
		},
		&azCommand{
			Path:    kind + " config appsettings delete",
			Summary: "Delete a " + noun + "'s settings.",
			Args: []azArg{group, name, slot, ids,
				{Names: []string{"--setting-names"}, Required: true, Multi: true, Help: "Space-separated app setting names."},
			},
			Examples: []string{"$ az " + kind + " config appsettings delete -g rg-demo -n " + example + " --setting-names STORAGE_CONNECTION_STRING"},
			Run: func(c *azCall) (any, error) {
				rg, n := c.str("--resource-group"), c.str("--name")
				settings, err := c.appSettings(rg, n)
				if err != nil {
					return nil, err
				}
				for _, k := range c.list("--setting-names") {
					delete(settings, k)
				}
				out, err := c.putAppSettings(rg, n, settings)
				if err != nil {
					return nil, err
				}
				return appSettingsOutput(out, false), nil
			},
		},
	)
}

// webOutput is how az prints a site or plan: the SDK model, properties
// flattened, with the resource group.
func webOutput(arm map[string]any) map[string]any {
	out := flattenProperties(arm)
	if id := identityOf(arm); id != nil {
		out["identity"] = identityModel(id)
	}
	return withResourceGroup(out).(map[string]any)
}

// identityModel is an identity block as the SDK models print it: every
// attribute present, null when unset. No identity prints nothing.
func identityModel(id map[string]any) any {
	if id == nil {
		return nil
	}
	out := map[string]any{}
	for k, v := range id {
		out[k] = v
	}
	for _, k := range []string{"principalId", "tenantId", "type", "userAssignedIdentities"} {
		if _, ok := out[k]; !ok {
			out[k] = nil
		}
	}
	return out
}

// listWeb lists plans or sites; kind keeps only web apps ("webapp") or
// function apps ("functionapp"), as az webapp list and az functionapp list
// do.
func (c *azCall) listWeb(typ, kind string) (any, error) {
	path := c.subscriptionPath() + "/providers/" + typ
	if g := c.str("--resource-group"); g != "" {
		path = c.subscriptionPath() + "/resourceGroups/" + g + "/providers/" + typ
	}
	items, err := c.armList(path, webAPI)
	if err != nil {
		return nil, err
	}
	out := []any{}
	for _, it := range items {
		k := strings.ToLower(jstr(it["kind"]))
		if kind == "webapp" && strings.Contains(k, "function") || kind == "functionapp" && !strings.Contains(k, "functionapp") {
			continue
		}
		out = append(out, webOutput(it))
	}
	return out, nil
}

// findPlan resolves --plan as az does: a resource ID, a plan in the
// resource group, or the one plan of that name in the subscription.
func (c *azCall) findPlan(rg, plan string) (map[string]any, error) {
	if strings.HasPrefix(plan, "/") {
		return c.arm("GET", plan, webAPI, nil)
	}
	out, err := c.arm("GET", c.resourcePath(rg, planType, plan), webAPI, nil)
	if err == nil {
		return out, nil
	}
	if svc, ok := err.(*azServiceError); !ok || svc.Status != 404 {
		return nil, err
	}
	plans, err := c.armList(c.subscriptionPath()+"/providers/"+planType, webAPI)
	if err != nil {
		return nil, err
	}
	var found map[string]any
	for _, p := range plans {
		if strings.EqualFold(jstr(p["name"]), plan) {
			if found != nil {
				return nil, clierrf("There are multiple plans with name %s.", plan)
			}
			found = p
		}
	}
	if found == nil {
		return nil, clierrf("The plan '%s' doesn't exist.", plan)
	}
	return found, nil
}

// runtimeParts are the non-empty pieces of a --runtime between the
// delimiters '|', ' ' and ':'.
func runtimeParts(runtime string) []string {
	return strings.FieldsFunc(runtime, func(r rune) bool { return r == '|' || r == ' ' || r == ':' })
}

// linuxFxVersion checks a --runtime for a Linux web app and returns the
// linuxFxVersion it sets.
func linuxFxVersion(runtime string) (string, error) {
	parts := runtimeParts(runtime)
	joined := strings.Join(parts, "|")
	if len(parts) == 2 {
		for _, s := range linuxStacks {
			if strings.EqualFold(s, parts[0]) {
				return strings.ToUpper(parts[0]) + "|" + parts[1], nil
			}
		}
	}
	return "", clierrf("Linux Runtime '%s' is not supported.Run 'az webapp list-runtimes --os-type linux' to cross check", joined)
}

func webappCreate(c *azCall) (any, error) {
	rg, name := c.str("--resource-group"), c.str("--name")
	plan, err := c.findPlan(rg, c.str("--plan"))
	if err != nil {
		return nil, err
	}
	props, _ := plan["properties"].(map[string]any)
	if reserved, _ := props["reserved"].(bool); !reserved {
		return nil, clierrf("Windows web apps are not simulated in miplay: create the plan with --is-linux.")
	}
	images := 0
	for _, a := range []string{"--runtime", "--deployment-container-image-name", "--container-image-name"} {
		if c.has(a) {
			images++
		}
	}
	if images != 1 {
		which := "--container-image-name"
		if c.has("--deployment-container-image-name") {
			which = "--deployment-container-image-name"
		}
		return nil, clierrf("Please specify both --multicontainer-config-type TYPE and --multicontainer-config-file FILE, and only specify one out of --runtime, %s, --multicontainer-config-type or --sitecontainers_app", which)
	}
	siteConfig := map[string]any{"appSettings": []any{}}
	if c.has("--runtime") {
		fx, err := linuxFxVersion(c.str("--runtime"))
		if err != nil {
			return nil, err
		}
		siteConfig["linuxFxVersion"] = fx
	} else {
		image := c.str("--deployment-container-image-name")
		if image == "" {
			image = c.str("--container-image-name")
		}
		siteConfig["linuxFxVersion"] = "DOCKER|" + image
	}
	var req *identityRequest
	if c.has("--assign-identity") {
		r := c.parseIdentities(c.list("--assign-identity"), rg)
		req = &r
	}
	if _, err := c.arm("GET", c.resourcePath(rg, siteType, name), webAPI, nil); err == nil {
		c.warn("Webapp '%s' already exists. The command will use the existing app's settings.", name)
	}
	body := map[string]any{
		"location": plan["location"],
		"kind":     "app,linux",
		"properties": map[string]any{
			"serverFarmId": plan["id"],
			"reserved":     true,
			"siteConfig":   siteConfig,
			"httpsOnly":    flagValue(c, "--https-only"),
		},
	}
	if tags := parseTags(c.list("--tags")); tags != nil {
		body["tags"] = tags
	}
	site, err := c.arm("PUT", c.resourcePath(rg, siteType, name), webAPI, body)
	if err != nil {
		return nil, err
	}
	out := webOutput(site)
	if req != nil {
		id, err := c.siteIdentityAssign(rg, name, *req)
		if err != nil {
			return nil, err
		}
		out["identity"] = id
	}
	return out, nil
}

// flagValue reads a three-state flag: given alone or with a true value.
func flagValue(c *azCall, name string) bool {
	if !c.has(name) {
		return false
	}
	v := c.list(name)
	return len(v) == 0 || strings.EqualFold(v[len(v)-1], "true") || v[len(v)-1] == "1" || strings.EqualFold(v[len(v)-1], "yes")
}

// siteIdentityAssign is az webapp|functionapp identity assign: GET the
// site, PUT it back with the identities added, grant the role when --scope
// is given (Contributor unless --role says otherwise), print the identity.
func (c *azCall) siteIdentityAssign(rg, name string, req identityRequest) (any, error) {
	role, scope := c.str("--role"), c.str("--scope")
	if role == "" {
		role = "Contributor"
	}
	path := c.resourcePath(rg, siteType, name)
	site, err := c.arm("GET", path, webAPI, nil)
	if err != nil {
		return nil, err
	}
	existing := identityOf(site)
	id := map[string]any{"type": newIdentityType(identityType(existing), req)}
	uai := map[string]any{}
	if existing != nil {
		if have, ok := existing["userAssignedIdentities"].(map[string]any); ok {
			for k, v := range have {
				uai[k] = v
			}
		}
		for _, k := range []string{"principalId", "tenantId"} {
			if v, ok := existing[k]; ok {
				id[k] = v
			}
		}
	}
	for _, u := range req.User {
		uai[u] = map[string]any{}
	}
	if len(uai) > 0 {
		id["userAssignedIdentities"] = uai
	}
	site["identity"] = id
	updated, err := c.arm("PUT", path, webAPI, site)
	if err != nil {
		return nil, err
	}
	if scope != "" {
		roleID, err := c.resolveRoleID(role, scope)
		if err != nil {
			return nil, err
		}
		if err := c.grantIdentity(principalOf(updated), role, roleID, scope); err != nil {
			return nil, err
		}
	}
	return identityModel(identityOf(updated)), nil
}

// siteIdentityRemove is az webapp|functionapp identity remove.
func siteIdentityRemove(c *azCall) (any, error) {
	rg, name := c.str("--resource-group"), c.str("--name")
	req := c.parseIdentities(c.list("--identities"), rg)
	path := c.resourcePath(rg, siteType, name)
	site, err := c.arm("GET", path, webAPI, nil)
	if err != nil {
		return nil, err
	}
	existing := identityOf(site)
	if existing == nil {
		return nil, nil
	}
	typ := identityType(existing)
	have := map[string]bool{}
	for _, k := range userAssignedKeys(existing) {
		have[strings.ToLower(k)] = true
	}
	toRemove := map[string]bool{}
	if len(req.User) > 0 {
		var missing []string
		for _, u := range req.User {
			l := strings.ToLower(u)
			toRemove[l] = true
			if !have[l] {
				missing = append(missing, l)
			}
		}
		if len(missing) > 0 {
			return nil, clierrf("'%s' are not associated with '%s'", strings.Join(missing, ","), name)
		}
		if len(toRemove) >= len(have) {
			switch typ {
			case identityUser:
				typ = identityNone
			case identitySystemUser:
				typ = identitySystem
			}
		}
	}
	if req.System {
		if typ == identitySystem || typ == identityNone {
			typ = identityNone
		} else {
			typ = identityUser
		}
	}
	id := map[string]any{"type": typ}
	if typ != identityNone && typ != identitySystem {
		uai := map[string]any{}
		var keys []string
		for k := range have {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if !toRemove[k] {
				uai[k] = map[string]any{}
			}
		}
		id["userAssignedIdentities"] = uai
	}
	site["identity"] = id
	updated, err := c.arm("PUT", path, webAPI, site)
	if err != nil {
		return nil, err
	}
	return identityModel(identityOf(updated)), nil
}

// deleteSite deletes a web or function app, then its plan if the app was
// the plan's last one and --keep-empty-plan was not given (the service's
// deleteEmptyServerFarm default).
func (c *azCall) deleteSite(kind string) error {
	rg, name := c.str("--resource-group"), c.str("--name")
	path := c.resourcePath(rg, siteType, name)
	site, err := c.arm("GET", path, webAPI, nil)
	if err != nil {
		return err
	}
	if _, err := c.arm("DELETE", path, webAPI, nil); err != nil {
		return err
	}
	if c.has("--keep-empty-plan") {
		return nil
	}
	props, _ := site["properties"].(map[string]any)
	planID := jstr(props["serverFarmId"])
	if planID == "" {
		return nil
	}
	plan, err := c.arm("GET", planID, webAPI, nil)
	if err != nil {
		return nil
	}
	pp, _ := plan["properties"].(map[string]any)
	if n, ok := pp["numberOfSites"].(float64); ok && n == 0 {
		_, err = c.arm("DELETE", planID, webAPI, nil)
	}
	return err
}

// appSettings reads a site's application settings.
func (c *azCall) appSettings(rg, name string) (map[string]any, error) {
	out, err := c.arm("POST", c.resourcePath(rg, siteType, name)+"/config/appsettings/list", webAPI, nil)
	if err != nil {
		return nil, err
	}
	props, _ := out["properties"].(map[string]any)
	if props == nil {
		props = map[string]any{}
	}
	return props, nil
}

// putAppSettings replaces a site's application settings.
func (c *azCall) putAppSettings(rg, name string, settings map[string]any) (map[string]any, error) {
	out, err := c.arm("PUT", c.resourcePath(rg, siteType, name)+"/config/appsettings", webAPI, map[string]any{"properties": settings})
	if err != nil {
		return nil, err
	}
	props, _ := out["properties"].(map[string]any)
	if props == nil {
		props = map[string]any{}
	}
	return props, nil
}

// appSettingsOutput is az's [{name, slotSetting, value}] list; redacted,
// every value is null, as az prints what `set` returns.
func appSettingsOutput(settings map[string]any, redact bool) []any {
	keys := make([]string, 0, len(settings))
	for k := range settings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]any, 0, len(keys))
	for _, k := range keys {
		var v any = settings[k]
		if redact {
			v = nil
		}
		out = append(out, map[string]any{"name": k, "slotSetting": false, "value": v})
	}
	return out
}

func appSettingsSet(c *azCall) (any, error) {
	rg, name := c.str("--resource-group"), c.str("--name")
	if !c.has("--settings") {
		return nil, clierrf("usage error: --settings |--slot-settings")
	}
	settings, err := c.appSettings(rg, name)
	if err != nil {
		return nil, err
	}
	for _, kv := range c.list("--settings") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, clierrf("usage error: --settings KEY=VALUE: '%s' has no '='. JSON settings are not simulated in miplay.", kv)
		}
		settings[k] = v
	}
	out, err := c.putAppSettings(rg, name, settings)
	if err != nil {
		return nil, err
	}
	c.warn("App settings have been redacted. Use `az webapp/logicapp/functionapp config appsettings list` to view.")
	return appSettingsOutput(out, true), nil
}

func functionappCreate(c *azCall) (any, error) {
	rg, name := c.str("--resource-group"), c.str("--name")
	if !c.has("--functions-version") {
		c.warn("No functions version specified so defaulting to 4. In the future, specifying a version will be required. To create a 4.x function you would pass in the flag `--functions-version 4`")
	}
	if c.has("--plan") == c.has("--consumption-plan-location") {
		return nil, clierrf("usage error: --plan NAME_OR_ID | --consumption-plan-location LOCATION")
	}
	if !strings.EqualFold(c.str("--os-type"), "Linux") {
		return nil, clierrf("Windows function apps are not simulated in miplay: add --os-type Linux.")
	}
	runtime := strings.ToLower(c.str("--runtime"))
	if runtime == "" {
		runtime = "dotnet"
	}
	conn, err := c.storageConnectionString(rg, c.str("--storage-account"))
	if err != nil {
		return nil, err
	}
	var plan map[string]any
	if c.has("--plan") {
		if plan, err = c.findPlan(rg, c.str("--plan")); err != nil {
			return nil, err
		}
	} else if plan, err = c.consumptionPlan(rg, c.str("--consumption-plan-location")); err != nil {
		return nil, err
	}
	var req *identityRequest
	if c.has("--assign-identity") {
		r := c.parseIdentities(c.list("--assign-identity"), rg)
		req = &r
	}
	settings := map[string]any{
		"FUNCTIONS_EXTENSION_VERSION": "~4",
		"FUNCTIONS_WORKER_RUNTIME":    runtime,
		"AzureWebJobsStorage":         conn,
	}
	var appSettings []any
	for _, k := range []string{"FUNCTIONS_EXTENSION_VERSION", "FUNCTIONS_WORKER_RUNTIME", "AzureWebJobsStorage"} {
		appSettings = append(appSettings, map[string]any{"name": k, "value": settings[k]})
	}
	body := map[string]any{
		"location": plan["location"],
		"kind":     "functionapp,linux",
		"properties": map[string]any{
			"serverFarmId": plan["id"],
			"reserved":     true,
			"siteConfig":   map[string]any{"appSettings": appSettings},
			"httpsOnly":    flagValue(c, "--https-only"),
		},
	}
	if tags := parseTags(c.list("--tags")); tags != nil {
		body["tags"] = tags
	}
	site, err := c.arm("PUT", c.resourcePath(rg, siteType, name), webAPI, body)
	if err != nil {
		return nil, err
	}
	if _, err := c.putAppSettings(rg, name, settings); err != nil {
		return nil, err
	}
	if !flagValue(c, "--disable-app-insights") {
		c.warn("miplay does not simulate Application Insights: none was created for this function app. Add --disable-app-insights to leave it out.")
	}
	out := webOutput(site)
	if req != nil {
		id, err := c.siteIdentityAssign(rg, name, *req)
		if err != nil {
			return nil, err
		}
		out["identity"] = id
	}
	c.warn("App settings have been redacted. Use `az webapp/logicapp/functionapp config appsettings list` to view.")
	return out, nil
}

// storageConnectionString is what az functionapp create builds for
// AzureWebJobsStorage: the account's connection string with its first key.
func (c *azCall) storageConnectionString(rg, account string) (string, error) {
	path := c.resourcePath(rg, "Microsoft.Storage/storageAccounts", account)
	if strings.HasPrefix(account, "/") {
		path = account
	}
	acct, err := c.arm("GET", path, "2023-05-01", nil)
	if err != nil {
		return "", err
	}
	keys, err := c.arm("POST", path+"/listKeys", "2023-05-01", nil)
	if err != nil {
		return "", err
	}
	key := ""
	if list, ok := keys["keys"].([]any); ok && len(list) > 0 {
		if k, ok := list[0].(map[string]any); ok {
			key = jstr(k["value"])
		}
	}
	return "DefaultEndpointsProtocol=https;EndpointSuffix=core.windows.net;AccountName=" + jstr(acct["name"]) + ";AccountKey=" + key, nil
}

// consumptionPlan finds or makes the Linux consumption plan of a region,
// which Azure creates with the first function app there:
// {Region}LinuxDynamicPlan.
func (c *azCall) consumptionPlan(rg, location string) (map[string]any, error) {
	name := regionCamel(location) + "LinuxDynamicPlan"
	path := c.resourcePath(rg, planType, name)
	if plan, err := c.arm("GET", path, webAPI, nil); err == nil {
		return plan, nil
	} else if svc, ok := err.(*azServiceError); !ok || svc.Status != 404 {
		return nil, err
	}
	return c.arm("PUT", path, webAPI, map[string]any{
		"location":   location,
		"kind":       "functionapp",
		"sku":        map[string]any{"name": "Y1", "tier": "Dynamic"},
		"properties": map[string]any{"reserved": true},
	})
}

// regionCamel is a region's display name without spaces, as the Web
// provider names consumption plans: westeurope -> WestEurope.
func regionCamel(location string) string {
	l := strings.ToLower(strings.ReplaceAll(location, " ", ""))
	for _, r := range []string{"WestEurope", "NorthEurope", "EastUS", "EastUS2", "WestUS", "WestUS2", "WestUS3", "CentralUS", "NorthCentralUS", "SouthCentralUS", "WestCentralUS",
		"UKSouth", "UKWest", "SwedenCentral", "FranceCentral", "GermanyWestCentral", "SwitzerlandNorth", "NorwayEast", "PolandCentral", "ItalyNorth", "SpainCentral",
		"AustraliaEast", "AustraliaSoutheast", "JapanEast", "JapanWest", "KoreaCentral", "SoutheastAsia", "EastAsia", "CentralIndia", "SouthIndia",
		"CanadaCentral", "CanadaEast", "BrazilSouth", "SouthAfricaNorth", "UAENorth", "QatarCentral", "IsraelCentral", "MexicoCentral"} {
		if strings.ToLower(r) == l {
			return r
		}
	}
	if l == "" {
		return l
	}
	return strings.ToUpper(l[:1]) + l[1:]
}
