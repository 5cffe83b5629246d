package shell

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/miplay/miplay/engine/azure"
)

// az resource list and az resource show: any resource through ARM's
// generic APIs, printed as the Python SDK's GenericResourceExpanded and
// GenericResource models (every attribute present, null when ARM leaves
// it out, datetimes as Python's isoformat), plus the resourceGroup az
// adds.

// resourceListExpand is what az resource list asks ARM to add.
const resourceListExpand = "createdTime,changedTime,provisioningState"

func registerAzResource() {
	typeArg := azArg{Names: []string{"--resource-type"}, Help: "The resource type (Ex: 'resourceProvider/resourceType'). The type may also be given with --namespace."}
	nsArg := azArg{Names: []string{"--namespace"}, Help: "Provider namespace (Ex: 'Microsoft.Provider')."}
	registerAz(
		&azCommand{
			Path:    "resource list",
			Summary: "List resources.",
			Args: []azArg{
				{Names: []string{"--resource-group", "-g"}, Help: "Name of resource group. Default: every group of the subscription."},
				{Names: []string{"--name", "-n"}, Help: "The resource name (Ex: myC)."},
				typeArg, nsArg,
				{Names: []string{"--location", "-l"}, Help: "Location. Values from: az account list-locations."},
				{Names: []string{"--tag"}, Help: "A single tag in 'key[=value]' format; a key ending in * matches tag names that start with it."},
			},
			Examples: []string{
				"$ spID=$(az resource list -n vm-web --query [*].identity.principalId --out tsv)",
				"$ az resource list --query \"[?identity.type=='SystemAssigned'].{Name:name,  principalId:identity.principalId}\" --output table",
				"$ az resource list -g rg-demo --resource-type Microsoft.Web/sites -o table",
			},
			Run:   azResourceList,
			Table: resourceListTable,
		},
		&azCommand{
			Path:    "resource show",
			Summary: "Get a resource.",
			Args: []azArg{
				{Names: []string{"--ids"}, Multi: true, Help: "One or more resource IDs (space-delimited). If provided, no other 'Resource Id' arguments should be specified."},
				{Names: []string{"--resource-group", "-g"}, Help: "Name of resource group."},
				{Names: []string{"--name", "-n"}, Help: "The resource name (Ex: myC)."},
				typeArg, nsArg,
				{Names: []string{"--parent"}, Help: "The parent path (Ex: 'resA/myA/resB/myB')."},
				{Names: []string{"--api-version"}, Help: "The api version of the resource. Default: the one miplay's ARM serves for the type."},
				{Names: []string{"--include-response-body"}, AnyNumber: true, Choices: threeState, NotSimulated: true, Help: "Use if the default command output doesn't capture all of the property data."},
				{Names: []string{"--latest-include-preview", "-v"}, Switch: true, Ignored: true, Help: "Indicate that the latest api-version will be used regardless of whether it is preview version."},
			},
			Show: true,
			Examples: []string{
				"$ az resource show -g rg-demo -n vm-web --resource-type Microsoft.Compute/virtualMachines --query identity",
				"$ az resource show --ids $(az vm show -g rg-demo -n vm-web --query id -o tsv) --query identity.principalId -o tsv",
				"$ az resource show -g rg-demo -n app-orders --namespace Microsoft.Web --resource-type sites",
			},
			NotSimulated: "Resolving the api-version from the resource provider: miplay uses the one its ARM serves for the type.",
			Run:          azResourceShow,
		},
	)
}

func azResourceList(c *azCall) (any, error) {
	group, name, typ, ns, loc := c.str("--resource-group"), c.str("--name"), c.str("--resource-type"), c.str("--namespace"), c.str("--location")
	if c.has("--tag") {
		// _list_resources_odata_filter_builder's IncorrectUsageError, a
		// CLIError: exit 1.
		switch {
		case group != "":
			return nil, clierrf("you cannot use '--tag' with '--resource-group'(If the default value for resource group is set, please use 'az configure --defaults group=\"\"' command to clear it first)")
		case ns != "":
			return nil, clierrf("you cannot use '--tag' with '--namespace'")
		case typ != "":
			return nil, clierrf("you cannot use '--tag' with '--resource-type'")
		case name != "":
			return nil, clierrf("you cannot use '--tag' with '--name'")
		case loc != "":
			return nil, clierrf("you cannot use '--tag' with '--location'(If the default value for location is set, please use 'az configure --defaults location=\"\"' command to clear it first)")
		}
	}
	var filters []string
	if group != "" {
		filters = append(filters, "resourceGroup eq '"+group+"'")
	}
	if name != "" {
		filters = append(filters, "name eq '"+name+"'")
	}
	if loc != "" {
		filters = append(filters, "location eq '"+loc+"'")
	}
	switch {
	case typ != "" && ns != "":
		filters = append(filters, "resourceType eq '"+ns+"/"+typ+"'")
	case typ != "":
		if !regexp.MustCompile(`[^/]+/[^/]+`).MatchString(typ) {
			return nil, clierrf("Malformed resource-type: --resource-type=<namespace>/<resource-type> expected.")
		}
		filters = append(filters, "resourceType eq '"+typ+"'")
	case ns != "":
		return nil, clierrf("--namespace also requires --resource-type")
	}
	if tag := c.str("--tag"); tag != "" {
		key, value, _ := strings.Cut(tag, "=")
		switch {
		case key == "":
		case strings.HasSuffix(key, "*"):
			filters = append(filters, "startswith(tagname, '"+strings.TrimSuffix(key, "*")+"')")
		default:
			filters = append(filters, "tagname eq '"+key+"'")
			if value != "" {
				filters = append(filters, "tagvalue eq '"+value+"'")
			}
		}
	}
	if group != "" {
		if _, err := c.arm("GET", c.subscriptionPath()+"/resourcegroups/"+group, groupAPI, nil); err != nil {
			return nil, err
		}
	}
	path := c.subscriptionPath() + "/resources?$filter=" + url.QueryEscape(strings.Join(filters, " and ")) + "&$expand=" + url.QueryEscape(resourceListExpand)
	items, err := c.armList(path, groupAPI)
	if err != nil {
		return nil, err
	}
	out := make([]any, 0, len(items))
	for _, it := range items {
		out = append(out, genericResourceOutput(it, true))
	}
	return out, nil
}

// resourceListTable is azure-cli's transform_resource_list: its Status
// column reads properties.provisioningStatus, which the list never has,
// so it is always blank.
func resourceListTable(result any) (any, []string) {
	return tableOf(func(r map[string]any) map[string]any {
		return map[string]any{"Name": r["name"], "ResourceGroup": r["resourceGroup"], "Location": r["location"], "Type": r["type"], "Status": " "}
	}, "Name", "ResourceGroup", "Location", "Type", "Status")(result)
}

// genericResourceOutput renders an ARM resource as az prints the SDK's
// GenericResource (list: GenericResourceExpanded) model.
func genericResourceOutput(arm map[string]any, expanded bool) map[string]any {
	out := map[string]any{
		"extendedLocation": arm["extendedLocation"],
		"id":               arm["id"],
		"identity":         genericIdentity(arm["identity"]),
		"kind":             arm["kind"],
		"location":         arm["location"],
		"managedBy":        arm["managedBy"],
		"name":             arm["name"],
		"plan":             arm["plan"],
		"properties":       arm["properties"],
		"sku":              skuModel(arm["sku"]),
		"tags":             arm["tags"],
		"type":             arm["type"],
	}
	if expanded {
		out["changedTime"] = pyTime(arm["changedTime"])
		out["createdTime"] = pyTime(arm["createdTime"])
		out["provisioningState"] = arm["provisioningState"]
	}
	return withResourceGroup(out).(map[string]any)
}

// genericIdentity is the resources SDK's Identity: principalId, tenantId,
// type and userAssignedIdentities, each user-assigned one with its
// clientId and principalId.
func genericIdentity(v any) any {
	id, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	out := map[string]any{"principalId": id["principalId"], "tenantId": id["tenantId"], "type": id["type"], "userAssignedIdentities": nil}
	if uas, ok := id["userAssignedIdentities"].(map[string]any); ok {
		m := map[string]any{}
		for k, x := range uas {
			u, _ := x.(map[string]any)
			m[k] = map[string]any{"clientId": u["clientId"], "principalId": u["principalId"]}
		}
		out["userAssignedIdentities"] = m
	}
	return out
}

// skuModel is the resources SDK's Sku.
func skuModel(v any) any {
	s, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	out := map[string]any{}
	for _, k := range []string{"capacity", "family", "model", "name", "size", "tier"} {
		out[k] = s[k]
	}
	return out
}

// resourceIDForm is what azure-mgmt-core's is_valid_resource_id accepts:
// a subscription, a resource group, or a resource with its children.
var resourceIDForm = lazyRegexp(`(?i)^/subscriptions/[^/]+(/resourceGroups/[^/]+(/providers/[^/]+/[^/]+/[^/]+(/[^/]+/[^/]+)*)?)?$`)

func azResourceShow(c *azCall) (any, error) {
	if ids := c.list("--ids"); len(ids) > 0 {
		for _, id := range ids {
			if !resourceIDForm().MatchString(id) {
				return nil, clierrf("az resource: error: argument --ids: invalid ResourceId value: '%s'", id)
			}
		}
		var results []any
		for _, id := range ids {
			r, err := c.showResourceByPath(id)
			if err != nil {
				return nil, err
			}
			results = append(results, r)
		}
		if len(results) == 1 {
			return results[0], nil
		}
		return results, nil
	}
	group, typ, name, ns, parent := c.str("--resource-group"), c.str("--resource-type"), c.str("--name"), c.str("--namespace"), c.str("--parent")
	// As _ResourceUtils: "Microsoft.Web/sites" is a namespace and a type.
	if typ != "" && ns == "" && parent == "" {
		if parts := strings.Split(typ, "/"); len(parts) > 1 {
			ns, typ = parts[0], parts[1]
		}
	}
	switch {
	case group == "":
		return nil, clierrf("--resource-group/-g is required.")
	case typ == "":
		return nil, clierrf("--resource-type is required")
	case name == "":
		return nil, clierrf("--name/-n is required")
	case ns == "":
		return nil, clierrf("--namespace is required")
	}
	path := c.subscriptionPath() + "/resourceGroups/" + group + "/providers/" + ns + "/"
	if parent != "" {
		path += strings.Trim(parent, "/") + "/"
	}
	return c.showResourceByPath(path + typ + "/" + name)
}

// showResourceByPath GETs a resource (or a resource group) by its ID with
// the api-version miplay's ARM serves for it.
func (c *azCall) showResourceByPath(id string) (any, error) {
	segs := strings.Split(strings.Trim(id, "/"), "/")
	if len(segs) == 2 {
		return nil, clierrf("The type of value entered by --ids parameter is not supported.")
	}
	api := c.str("--api-version")
	if api == "" {
		api = routeAPIVersion(id)
	}
	out, err := c.arm("GET", id, api, nil)
	if err != nil {
		return nil, err
	}
	return genericResourceOutput(out, false), nil
}

// routeAPIVersion finds the api-version of the ARM GET route that serves
// a path; for a type miplay does not serve, the resources API's, so that
// ARM's own answer (an unknown namespace or type) is what az prints.
// UNVERIFIED: az first asks the provider (GET /providers/{namespace}) for
// the type's latest api-version and says "Resource type ... not found."
// itself for an unknown type.
func routeAPIVersion(path string) string {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for _, r := range azure.ARMRoutes() {
		if r.Method != "GET" || len(r.APIVersions) == 0 {
			continue
		}
		rs := strings.Split(strings.Trim(r.Path, "/"), "/")
		if len(rs) != len(segs) {
			continue
		}
		ok := true
		for i := range rs {
			if !strings.HasPrefix(rs[i], "{") && !strings.EqualFold(rs[i], segs[i]) {
				ok = false
				break
			}
		}
		if ok {
			return r.APIVersions[0]
		}
	}
	return groupAPI
}
