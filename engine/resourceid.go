package engine

import (
	"fmt"
	"strings"
)

// ResourceIDParts are the pieces of an Azure resource ID.
type ResourceIDParts struct {
	Subscription  string
	ResourceGroup string
	Provider      string // "Microsoft.Compute"
	Type          string // "Microsoft.Compute/virtualMachines"; child types joined: ".../virtualMachineScaleSets/virtualMachines"
	Name          string // the last name
	Parent        string // the ID of the parent resource for child resources, else ""
}

// ParseResourceID splits a resource ID of the form
// /subscriptions/{s}/resourceGroups/{g}/providers/{ns}/{type}/{name}[/{type}/{name}...].
// Segment names are matched case-insensitively, as ARM does.
func ParseResourceID(id string) (ResourceIDParts, error) {
	var p ResourceIDParts
	segs := strings.Split(strings.Trim(id, "/"), "/")
	if len(segs) < 2 || !strings.EqualFold(segs[0], "subscriptions") || segs[1] == "" {
		return p, fmt.Errorf("Resource id '%s' is invalid. It must start with '/subscriptions/{subscriptionId}'.", id)
	}
	p.Subscription = segs[1]
	if len(segs) == 2 {
		return p, nil
	}
	if len(segs) < 4 || !strings.EqualFold(segs[2], "resourceGroups") || segs[3] == "" {
		return p, fmt.Errorf("Resource id '%s' is invalid. Expected '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}'.", id)
	}
	p.ResourceGroup = segs[3]
	if len(segs) == 4 {
		return p, nil
	}
	rest := segs[4:]
	if !strings.EqualFold(rest[0], "providers") || len(rest) < 4 || len(rest)%2 != 0 {
		return p, fmt.Errorf("Resource id '%s' is invalid. Expected '.../providers/{namespace}/{type}/{name}'.", id)
	}
	p.Provider = rest[1]
	types := []string{rest[1]}
	for i := 2; i < len(rest); i += 2 {
		if rest[i] == "" || rest[i+1] == "" {
			return p, fmt.Errorf("Resource id '%s' is invalid: it has an empty segment.", id)
		}
		types = append(types, rest[i])
		p.Name = rest[i+1]
		if i+2 < len(rest) {
			p.Parent = "/" + strings.Join(segs[:4+i+2], "/")
		}
	}
	p.Type = strings.Join(types, "/")
	return p, nil
}
