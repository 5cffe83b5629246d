package azure

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/miplay/miplay/engine"
)

// The generic resources list (GET /subscriptions/{s}/resources and
// /resourceGroups/{rg}/resources), as az resource list calls it: every
// resource with its identity block, kind and sku, filtered by $filter and
// with the properties $expand asks for.

// armGenericResource is a resource as the generic /resources list shows it.
type armGenericResource struct {
	ID                string            `json:"id"`
	Name              string            `json:"name"`
	Type              string            `json:"type"`
	Kind              string            `json:"kind,omitempty"`
	Location          string            `json:"location"`
	Identity          *armIdentity      `json:"identity,omitempty"`
	SKU               any               `json:"sku,omitempty"`
	Tags              map[string]string `json:"tags,omitempty"`
	CreatedTime       string            `json:"createdTime,omitempty"`
	ChangedTime       string            `json:"changedTime,omitempty"`
	ProvisioningState string            `json:"provisioningState,omitempty"`
}

// resourceFilter is the $filter of a resources list.
type resourceFilter struct {
	name, typ, location, group string
	tagName, tagValue          string
	tagPrefix                  *string // startswith(tagName, '...')
	nameContains               []string
	groupContains              []string
}

var (
	filterEq         = lazyRegexp(`(?i)^\s*(name|resourceType|location|resourceGroup|tagName|tagValue)\s+eq\s+'((?:[^']|'')*)'\s*$`)
	filterStartsWith = lazyRegexp(`(?i)^\s*startswith\(\s*tagName\s*,\s*'((?:[^']|'')*)'\s*\)\s*$`)
	filterSubstring  = lazyRegexp(`(?i)^\s*substringof\(\s*'((?:[^']|'')*)'\s*,\s*(name|resourceGroup)\s*\)\s*$`)
	filterAnd        = lazyRegexp(`(?i)\s+and\s+`)
)

func parseResourceFilter(f string) (resourceFilter, error) {
	var rf resourceFilter
	if strings.TrimSpace(f) == "" {
		return rf, nil
	}
	unquote := func(s string) string { return strings.ReplaceAll(s, "''", "'") }
	for _, clause := range filterAnd().Split(f, -1) {
		if m := filterStartsWith().FindStringSubmatch(clause); m != nil {
			v := unquote(m[1])
			rf.tagPrefix = &v
			continue
		}
		if m := filterSubstring().FindStringSubmatch(clause); m != nil {
			if strings.EqualFold(m[2], "name") {
				rf.nameContains = append(rf.nameContains, unquote(m[1]))
			} else {
				rf.groupContains = append(rf.groupContains, unquote(m[1]))
			}
			continue
		}
		m := filterEq().FindStringSubmatch(clause)
		if m == nil {
			return rf, fmt.Errorf("miplay does not simulate the $filter clause '%s'; it supports name, resourceType, location, resourceGroup, tagName and tagValue eq '...', startswith(tagName, '...') and substringof('...', name or resourceGroup), joined by 'and'", strings.TrimSpace(clause))
		}
		v := unquote(m[2])
		switch strings.ToLower(m[1]) {
		case "name":
			rf.name = v
		case "resourcetype":
			rf.typ = v
		case "location":
			rf.location = v
		case "resourcegroup":
			rf.group = v
		case "tagname":
			rf.tagName = v
		case "tagvalue":
			rf.tagValue = v
		}
	}
	return rf, nil
}

// matches reports whether a resource passes the filter. Tag names match
// whatever their case, as Azure treats them; values must be equal.
func (rf resourceFilter) matches(r *engine.Resource) bool {
	if rf.name != "" && !strings.EqualFold(r.Name, rf.name) ||
		rf.typ != "" && !strings.EqualFold(r.Type, rf.typ) ||
		rf.location != "" && !strings.EqualFold(r.Location, normalizeLocation(rf.location)) ||
		rf.group != "" && !strings.EqualFold(r.ResourceGroup, rf.group) {
		return false
	}
	for _, s := range rf.nameContains {
		if !strings.Contains(strings.ToLower(r.Name), strings.ToLower(s)) {
			return false
		}
	}
	for _, s := range rf.groupContains {
		if !strings.Contains(strings.ToLower(r.ResourceGroup), strings.ToLower(s)) {
			return false
		}
	}
	if rf.tagName != "" || rf.tagValue != "" || rf.tagPrefix != nil {
		found := false
		for k, v := range r.Tags {
			switch {
			case rf.tagPrefix != nil && !strings.HasPrefix(strings.ToLower(k), strings.ToLower(*rf.tagPrefix)):
			case rf.tagName != "" && !strings.EqualFold(k, rf.tagName):
			case rf.tagValue != "" && v != rf.tagValue:
			default:
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// resourceExpand is the $expand of a resources list.
type resourceExpand struct{ created, changed, state bool }

func parseResourceExpand(s string) (resourceExpand, error) {
	var e resourceExpand
	if strings.TrimSpace(s) == "" {
		return e, nil
	}
	for _, part := range strings.Split(s, ",") {
		switch strings.ToLower(strings.TrimSpace(part)) {
		case "createdtime":
			e.created = true
		case "changedtime":
			e.changed = true
		case "provisioningstate":
			e.state = true
		default:
			return e, fmt.Errorf("miplay does not simulate $expand=%s on the resources list; it supports createdTime, changedTime and provisioningState", strings.TrimSpace(part))
		}
	}
	return e, nil
}

func listResources(c *armCall) {
	q := c.r.URL.Query()
	rf, err := parseResourceFilter(q.Get("$filter"))
	if err != nil {
		c.notSimulated(err.Error())
		return
	}
	expand, err := parseResourceExpand(q.Get("$expand"))
	if err != nil {
		c.notSimulated(err.Error())
		return
	}
	var rs []*engine.Resource
	if g := c.p["resourceGroupName"]; g != "" {
		if _, err := c.world.ResourceGroup(g); err != nil {
			c.fail(err)
			return
		}
		rs = c.world.ResourcesIn(g)
	} else {
		rs = c.world.Resources()
	}
	var changed map[string]time.Time
	if expand.changed {
		changed = c.changedTimes()
	}
	out := armList{Value: []any{}}
	for _, r := range rs {
		if !rf.matches(r) {
			continue
		}
		if !c.whole && !c.allowed(r.Type+"/read", r.ID) {
			continue
		}
		g := armGenericResource{ID: r.ID, Name: r.Name, Type: r.Type, Kind: r.Kind, Location: r.Location, Tags: r.Tags,
			Identity: c.computeIdentity(r), SKU: genericSKU(r)}
		if rf.tagName != "" && rf.tagValue != "" {
			// "When you filter by a tag name and value, the tags for each
			// resource are not returned in the results." (Resources - List)
			g.Tags = nil
		}
		if expand.created {
			g.CreatedTime = r.Created.UTC().Format(armTime7)
		}
		if expand.changed {
			t, ok := changed[strings.ToLower(r.ID)]
			if !ok {
				t = r.Created
			}
			g.ChangedTime = t.UTC().Format(armTime7)
		}
		if expand.state {
			g.ProvisioningState = "Succeeded"
		}
		out.Value = append(out.Value, g)
	}
	c.reply(http.StatusOK, out)
}

// genericSKU is the sku the generic list shows: what the provider's own
// GET returns for the types that have one in miplay.
func genericSKU(r *engine.Resource) any {
	switch {
	case r.ScaleSet != nil:
		return scaleSetSKU{r.ScaleSet.Capacity}
	case r.Plan != nil:
		return skuOf(r.Plan.SKU)
	}
	return nil
}

// changedTimes finds when each resource last changed in the control
// plane: created, updated, or its identities changed. Data-plane writes
// (a blob, a secret) do not count, as they do not in ARM.
func (c *armCall) changedTimes() map[string]time.Time {
	out := map[string]time.Time{}
	note := func(id string, at time.Time) { out[strings.ToLower(id)] = at }
	for _, e := range c.world.Events(0) {
		at := e.Meta().At
		switch ev := e.(type) {
		case *engine.ResourceCreated:
			note(ev.ID, at)
		case *engine.ResourceUpdated:
			note(ev.ID, at)
		case *engine.IdentityEnabled:
			note(ev.ResourceID, at)
		case *engine.IdentityDisabled:
			note(ev.ResourceID, at)
		case *engine.UserIdentityAssigned:
			note(ev.ResourceID, at)
		case *engine.UserIdentityRemoved:
			note(ev.ResourceID, at)
		}
	}
	return out
}
