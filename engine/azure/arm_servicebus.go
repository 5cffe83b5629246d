package azure

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/miplay/miplay/engine"
)

// Microsoft.ServiceBus: namespaces, their queues, and the
// RootManageSharedAccessKey rule whose connection string is the secret a
// managed identity replaces. The provider spells its types
// "Microsoft.ServiceBus/Namespaces" and returns locations by display name.

const (
	actNamespaceRead   = "Microsoft.ServiceBus/namespaces/read"
	actNamespaceWrite  = "Microsoft.ServiceBus/namespaces/write"
	actNamespaceDelete = "Microsoft.ServiceBus/namespaces/delete"
	actQueueRead       = "Microsoft.ServiceBus/namespaces/queues/read"
	actQueueWrite      = "Microsoft.ServiceBus/namespaces/queues/write"
	actQueueDelete     = "Microsoft.ServiceBus/namespaces/queues/delete"
	actRuleRead        = "Microsoft.ServiceBus/namespaces/authorizationRules/read"
	actRuleListKeys    = "Microsoft.ServiceBus/namespaces/authorizationRules/listkeys/action"
)

const (
	namespacePath = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ServiceBus/namespaces"
	rootRule      = "RootManageSharedAccessKey"
)

var serviceBusRoutes = []armRoute{
	{Route: Route{Method: "GET", Path: "/subscriptions/{subscriptionId}/providers/Microsoft.ServiceBus/namespaces", APIVersions: serviceBusAPI, Action: actNamespaceRead,
		Summary: "List the Service Bus namespaces of the subscription (az servicebus namespace list)."}, scope: collectionScope, list: true, serve: listNamespaces},
	{Route: Route{Method: "GET", Path: namespacePath, APIVersions: serviceBusAPI, Action: actNamespaceRead,
		Summary: "List the Service Bus namespaces of a resource group."}, scope: collectionScope, list: true, serve: listNamespaces},
	{Route: Route{Method: "GET", Path: namespacePath + "/{namespaceName}", APIVersions: serviceBusAPI, Action: actNamespaceRead,
		Summary: "Get a namespace: serviceBusEndpoint (az servicebus namespace show)."}, serve: getNamespace},
	{Route: Route{Method: "PUT", Path: namespacePath + "/{namespaceName}", APIVersions: serviceBusAPI, Action: actNamespaceWrite,
		Summary: "Create a namespace: location, sku, tags (az servicebus namespace create)."}, serve: putNamespace},
	{Route: Route{Method: "PATCH", Path: namespacePath + "/{namespaceName}", APIVersions: serviceBusAPI, Action: actNamespaceWrite,
		Summary: "Update a namespace's tags."}, serve: patchNamespace},
	{Route: Route{Method: "DELETE", Path: namespacePath + "/{namespaceName}", APIVersions: serviceBusAPI, Action: actNamespaceDelete,
		Summary: "Delete a namespace and its queues."}, serve: deleteNamespace},
	{Route: Route{Method: "GET", Path: namespacePath + "/{namespaceName}/queues", APIVersions: serviceBusAPI, Action: actQueueRead,
		Summary: "List a namespace's queues (az servicebus queue list)."}, scope: parentScope, serve: listQueues},
	{Route: Route{Method: "GET", Path: namespacePath + "/{namespaceName}/queues/{queueName}", APIVersions: serviceBusAPI, Action: actQueueRead,
		Summary: "Get a queue with its message count (az servicebus queue show)."}, serve: getQueue},
	{Route: Route{Method: "PUT", Path: namespacePath + "/{namespaceName}/queues/{queueName}", APIVersions: serviceBusAPI, Action: actQueueWrite,
		Summary: "Create a queue (az servicebus queue create)."}, serve: putQueue},
	{Route: Route{Method: "DELETE", Path: namespacePath + "/{namespaceName}/queues/{queueName}", APIVersions: serviceBusAPI, Action: actQueueDelete,
		Summary: "Delete a queue and its messages."}, serve: deleteQueue},
	{Route: Route{Method: "GET", Path: namespacePath + "/{namespaceName}/authorizationRules", APIVersions: serviceBusAPI, Action: actRuleRead,
		Summary: "List the namespace's shared access rules: RootManageSharedAccessKey."}, scope: parentScope, serve: listRules},
	{Route: Route{Method: "GET", Path: namespacePath + "/{namespaceName}/authorizationRules/{authorizationRuleName}", APIVersions: serviceBusAPI, Action: actRuleRead,
		Summary: "Get a shared access rule."}, serve: getRule},
	{Route: Route{Method: "POST", Path: namespacePath + "/{namespaceName}/authorizationRules/{authorizationRuleName}/listKeys", APIVersions: serviceBusAPI, Action: actRuleListKeys,
		Summary: "List a rule's keys and connection strings: the secret a managed identity makes unnecessary (az servicebus namespace authorization-rule keys list)."}, scope: parentScope, serve: listRuleKeys},
}

type namespaceJSON struct {
	ID         string              `json:"id"`
	Name       string              `json:"name"`
	Type       string              `json:"type"`
	Location   string              `json:"location"`
	Tags       map[string]string   `json:"tags"`
	Properties namespaceProperties `json:"properties"`
}

type namespaceProperties struct {
	MinimumTLSVersion   string `json:"minimumTlsVersion"`
	PublicNetworkAccess string `json:"publicNetworkAccess"`
	DisableLocalAuth    bool   `json:"disableLocalAuth"`
	ZoneRedundant       bool   `json:"zoneRedundant"`
	ProvisioningState   string `json:"provisioningState"`
	MetricID            string `json:"metricId"`
	CreatedAt           string `json:"createdAt"`
	ServiceBusEndpoint  string `json:"serviceBusEndpoint"`
	Status              string `json:"status"`
}

// namespaceHost is the namespace's host name, ns.servicebus.windows.net.
func namespaceHost(r *engine.Resource) string {
	return strings.TrimSuffix(strings.TrimPrefix(r.ServiceBus.Endpoint, "sb://"), "/")
}

func (c *armCall) namespaceView(r *engine.Resource) any {
	return namespaceJSON{ID: r.ID, Name: r.Name, Type: "Microsoft.ServiceBus/Namespaces", Location: regionName(r.Location), Tags: tagsOrEmpty(r.Tags),
		Properties: namespaceProperties{MinimumTLSVersion: "1.2", PublicNetworkAccess: "Enabled", ProvisioningState: "Succeeded",
			MetricID: c.world.Subscription.ID + ":" + strings.ToLower(r.Name), CreatedAt: r.Created.UTC().Format(serviceBusTime),
			ServiceBusEndpoint: "https://" + namespaceHost(r) + ":443/", Status: "Active"}}
}

func listNamespaces(c *armCall) { c.listOf(engine.TypeServiceBus, c.namespaceView) }

func getNamespace(c *armCall) {
	if r, ok := c.find(engine.TypeServiceBus, "namespaceName"); ok {
		c.reply(http.StatusOK, c.namespaceView(r))
	}
}

func deleteNamespace(c *armCall) { c.deleteResource(engine.TypeServiceBus, "namespaceName") }

func putNamespace(c *armCall) {
	var b resourceBody
	if !c.decode(&b) {
		return
	}
	c.putTracked(engine.TypeServiceBus, "namespaceName", b, c.world.CreateServiceBusNamespace, c.namespaceView)
}

func patchNamespace(c *armCall) { c.patchTags(engine.TypeServiceBus, "namespaceName", c.namespaceView) }

type queueJSON struct {
	ID         string          `json:"id"`
	Name       string          `json:"name"`
	Type       string          `json:"type"`
	Location   string          `json:"location"`
	Properties queueProperties `json:"properties"`
}

type queueProperties struct {
	MaxMessageSizeInKilobytes        int            `json:"maxMessageSizeInKilobytes"`
	LockDuration                     string         `json:"lockDuration"`
	MaxSizeInMegabytes               int            `json:"maxSizeInMegabytes"`
	RequiresDuplicateDetection       bool           `json:"requiresDuplicateDetection"`
	RequiresSession                  bool           `json:"requiresSession"`
	DefaultMessageTimeToLive         string         `json:"defaultMessageTimeToLive"`
	DeadLetteringOnMessageExpiration bool           `json:"deadLetteringOnMessageExpiration"`
	EnableBatchedOperations          bool           `json:"enableBatchedOperations"`
	MaxDeliveryCount                 int            `json:"maxDeliveryCount"`
	MessageCount                     int            `json:"messageCount"`
	Status                           string         `json:"status"`
	EnablePartitioning               bool           `json:"enablePartitioning"`
	CountDetails                     map[string]int `json:"countDetails"`
}

func queueView(ns *engine.Resource, q *engine.Queue) queueJSON {
	n := len(q.Messages)
	return queueJSON{ID: ns.ID + "/queues/" + q.Name, Name: q.Name, Type: "Microsoft.ServiceBus/Namespaces/Queues", Location: regionName(ns.Location),
		Properties: queueProperties{MaxMessageSizeInKilobytes: 256, LockDuration: "PT1M", MaxSizeInMegabytes: 1024,
			DefaultMessageTimeToLive: "P10675199DT2H48M5.4775807S", EnableBatchedOperations: true, MaxDeliveryCount: 10,
			MessageCount: n, Status: "Active",
			CountDetails: map[string]int{"activeMessageCount": n, "deadLetterMessageCount": 0, "scheduledMessageCount": 0, "transferMessageCount": 0, "transferDeadLetterMessageCount": 0}}}
}

func listQueues(c *armCall) {
	ns, ok := c.find(engine.TypeServiceBus, "namespaceName")
	if !ok {
		return
	}
	names := engine.SortedKeys(ns.ServiceBus.Queues)
	out := armList{Value: []any{}}
	for _, k := range names {
		out.Value = append(out.Value, queueView(ns, ns.ServiceBus.Queues[k]))
	}
	c.reply(http.StatusOK, out)
}

func getQueue(c *armCall) {
	ns, ok := c.find(engine.TypeServiceBus, "namespaceName")
	if !ok {
		return
	}
	q, err := c.world.Queue(ns, c.p["queueName"])
	if err != nil {
		c.fail(err)
		return
	}
	c.reply(http.StatusOK, queueView(ns, q))
}

func putQueue(c *armCall) {
	if !c.decode(&struct{}{}) {
		return
	}
	ns, ok := c.find(engine.TypeServiceBus, "namespaceName")
	if !ok {
		return
	}
	if q, err := c.world.Queue(ns, c.p["queueName"]); err == nil {
		// PUT is create-or-update; queue settings are not modeled.
		c.reply(http.StatusOK, queueView(ns, q))
		return
	}
	q, err := c.world.CreateQueue(ns, c.p["queueName"])
	if err != nil {
		c.fail(err)
		return
	}
	// The Service Bus provider answers 200 to a create, not 201.
	c.reply(http.StatusOK, queueView(ns, q))
}

func deleteQueue(c *armCall) {
	ns, ok := c.find(engine.TypeServiceBus, "namespaceName")
	if !ok {
		return
	}
	if err := c.world.DeleteQueue(ns, c.p["queueName"]); err != nil {
		c.decide("Nothing to delete: queue %s does not exist.", c.p["queueName"])
		c.replyEmpty(http.StatusNoContent)
		return
	}
	c.replyEmpty(http.StatusOK)
}

type ruleJSON struct {
	ID         string         `json:"id"`
	Name       string         `json:"name"`
	Type       string         `json:"type"`
	Location   string         `json:"location"`
	Properties map[string]any `json:"properties"`
}

func ruleView(ns *engine.Resource) ruleJSON {
	rights := []string{"Listen", "Manage", "Send"}
	sort.Strings(rights)
	return ruleJSON{ID: ns.ID + "/authorizationRules/" + rootRule, Name: rootRule, Type: "Microsoft.ServiceBus/Namespaces/AuthorizationRules",
		Location: regionName(ns.Location), Properties: map[string]any{"rights": rights}}
}

// rule finds the namespace and checks the rule is the one miplay models.
func (c *armCall) rule() (*engine.Resource, bool) {
	ns, ok := c.find(engine.TypeServiceBus, "namespaceName")
	if !ok {
		return nil, false
	}
	if !strings.EqualFold(c.p["authorizationRuleName"], rootRule) {
		// UNVERIFIED: Service Bus's wording for a missing rule; miplay
		// models only the namespace's root rule.
		c.armError(http.StatusNotFound, "NotFound", fmt.Sprintf("The authorization rule '%s' could not be found in namespace '%s'. miplay models only %s.", c.p["authorizationRuleName"], ns.Name, rootRule))
		return nil, false
	}
	return ns, true
}

func listRules(c *armCall) {
	if ns, ok := c.find(engine.TypeServiceBus, "namespaceName"); ok {
		c.reply(http.StatusOK, armList{Value: []any{ruleView(ns)}})
	}
}

func getRule(c *armCall) {
	if ns, ok := c.rule(); ok {
		c.reply(http.StatusOK, ruleView(ns))
	}
}

type ruleKeysJSON struct {
	PrimaryConnectionString   string `json:"primaryConnectionString"`
	SecondaryConnectionString string `json:"secondaryConnectionString"`
	PrimaryKey                string `json:"primaryKey"`
	SecondaryKey              string `json:"secondaryKey"`
	KeyName                   string `json:"keyName"`
}

func listRuleKeys(c *armCall) {
	ns, ok := c.rule()
	if !ok {
		return
	}
	// miplay keeps one key per namespace; the secondary is derived from it
	// so that it is stable, and the data plane does not accept it.
	sum := sha256.Sum256([]byte("secondary\x00" + ns.ServiceBus.PrimaryKey))
	secondary := base64.StdEncoding.EncodeToString(sum[:])
	conn := func(key string) string {
		return "Endpoint=sb://" + namespaceHost(ns) + "/;SharedAccessKeyName=" + rootRule + ";SharedAccessKey=" + key
	}
	c.reply(http.StatusOK, ruleKeysJSON{PrimaryConnectionString: conn(ns.ServiceBus.PrimaryKey), SecondaryConnectionString: conn(secondary),
		PrimaryKey: ns.ServiceBus.PrimaryKey, SecondaryKey: secondary, KeyName: rootRule})
}
