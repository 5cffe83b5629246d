package shell

import (
	"strings"

	"github.com/miplay/miplay/engine"
)

// The resource-group API version az uses.
const groupAPI = "2022-09-01"

func registerAzGroup() {
	nameArg := azArg{Names: []string{"--name", "--resource-group", "-n", "-g"}, Required: true, Help: "Name of resource group."}
	registerAz(
		&azCommand{
			Path:    "group create",
			Summary: "Create a new resource group.",
			Args: []azArg{
				nameArg,
				{Names: []string{"--location", "-l"}, Required: true, Help: "Location. Values from: az account list-locations."},
				{Names: []string{"--tags"}, Multi: true, Help: "Space-separated tags: key[=value]."},
			},
			Examples: []string{"$ az group create -n rg-demo -l westeurope"},
			Run: func(c *azCall) (any, error) {
				body := map[string]any{"location": c.str("--location")}
				if tags := parseTags(c.list("--tags")); tags != nil {
					body["tags"] = tags
				}
				return c.arm("PUT", c.subscriptionPath()+"/resourcegroups/"+c.str("--name"), groupAPI, body)
			},
		},
		&azCommand{
			Path:    "group show",
			Summary: "Gets a resource group.",
			Args:    []azArg{nameArg},
			Show:    true,
			Run: func(c *azCall) (any, error) {
				return c.arm("GET", c.subscriptionPath()+"/resourcegroups/"+c.str("--name"), groupAPI, nil)
			},
		},
		&azCommand{
			Path:    "group exists",
			Summary: "Check if a resource group exists.",
			Args:    []azArg{nameArg},
			Run: func(c *azCall) (any, error) {
				_, err := c.arm("GET", c.subscriptionPath()+"/resourcegroups/"+c.str("--name"), groupAPI, nil)
				if svc, ok := err.(*azServiceError); ok && svc.Status == 404 {
					return false, nil
				}
				if err != nil {
					return nil, err
				}
				return true, nil
			},
		},
		&azCommand{
			Path:    "group list",
			Summary: "List resource groups.",
			Run: func(c *azCall) (any, error) {
				out, err := c.arm("GET", c.subscriptionPath()+"/resourcegroups", groupAPI, nil)
				if err != nil {
					return nil, err
				}
				return listValue(out), nil
			},
		},
		&azCommand{
			Path:    "group delete",
			Summary: "Delete a resource group.",
			Args: []azArg{
				nameArg,
				{Names: []string{"--yes", "-y"}, Switch: true, Help: "Do not prompt for confirmation."},
				{Names: []string{"--no-wait"}, Switch: true, Ignored: true, Help: "Do not wait for the long-running operation to finish."},
			},
			Run: func(c *azCall) (any, error) {
				if !c.has("--yes") {
					return nil, clierrf("Unable to prompt for confirmation as no tty available. Use --yes.")
				}
				_, err := c.arm("DELETE", c.subscriptionPath()+"/resourcegroups/"+c.str("--name"), groupAPI, nil)
				return nil, err
			},
		},
	)
}

// subscriptionPath is "/subscriptions/{id}" for the world's subscription.
func (c *azCall) subscriptionPath() string {
	var id string
	c.p.Cloud.Do(func(w *engine.World) { id = w.Subscription.ID })
	return "/subscriptions/" + id
}

// checkSubscription accepts the world's subscription by ID or name.
func (c *azCall) checkSubscription(s string) error {
	var ok bool
	c.p.Cloud.Do(func(w *engine.World) {
		ok = equalFoldAny(s, w.Subscription.ID, w.Subscription.DisplayName)
	})
	if !ok {
		return clierrf("Subscription '%s' not found. Check the spelling and casing and try again.", s)
	}
	return nil
}

func equalFoldAny(s string, options ...string) bool {
	for _, o := range options {
		if strings.EqualFold(s, o) {
			return true
		}
	}
	return false
}

// parseTags turns az's "key[=value]" list into a tags object.
func parseTags(list []string) map[string]any {
	if len(list) == 0 {
		return nil
	}
	tags := map[string]any{}
	for _, t := range list {
		k, v, _ := strings.Cut(t, "=")
		tags[k] = v
	}
	return tags
}

// listValue returns the "value" array of an ARM list response.
func listValue(out map[string]any) []any {
	if v, ok := out["value"].([]any); ok {
		return v
	}
	return []any{}
}

// listObjects is the objects of a list answer's "value", skipping anything
// that is not an object.
func listObjects(out map[string]any) []map[string]any {
	var objs []map[string]any
	for _, v := range listValue(out) {
		if m, ok := v.(map[string]any); ok {
			objs = append(objs, m)
		}
	}
	return objs
}
