package shell

// az servicebus: namespaces, queues and the RootManageSharedAccessKey rule
// whose connection string is the secret a managed identity replaces. The
// Azure CLI has no command that sends or receives messages; scenarios send
// with curl, signing with a SAS made from the connection string or with a
// managed identity's token for https://servicebus.azure.net.

// serviceBusAPI is the Microsoft.ServiceBus api-version of azure-cli 2.6x.
const serviceBusAPI = "2022-10-01-preview"

const serviceBusNotSimulated = "az has no command to send or receive messages (nor does miplay invent one): send with curl, POST https://{namespace}.servicebus.windows.net/{queue}/messages with an Authorization header (a SharedAccessSignature made from the connection string, or a Bearer token for https://servicebus.azure.net)."

func registerAzServiceBus() {
	groupArg := azArg{Names: []string{"--resource-group", "-g"}, Required: true, Help: "Name of resource group."}
	namespaceArg := azArg{Names: []string{"--namespace-name"}, Required: true, Help: "Name of the namespace."}
	registerAz(
		&azCommand{
			Path:    "servicebus namespace create",
			Summary: "Create a Service Bus namespace.",
			Args: []azArg{
				groupArg,
				{Names: []string{"--name", "-n"}, Required: true, Help: "Name of the namespace."},
				{Names: []string{"--location", "-l"}, Help: "Location. Defaults to the resource group's location."},
				{Names: []string{"--sku"}, Choices: []string{"Basic", "Premium", "Standard"}, Help: "Namespace SKU. Default: Standard. Tiers are not simulated."},
				{Names: []string{"--tags"}, Multi: true, Help: "Space-separated tags: key[=value]."},
				{Names: []string{"--capacity"}, Ignored: true, Help: "Number of message units (Premium)."},
				{Names: []string{"--zone-redundant"}, AnyNumber: true, Choices: threeState, Ignored: true, Help: "Enabling this property creates a Service Bus Zone Redundant Namespace."},
				{Names: []string{"--min-tls-version"}, Choices: []string{"1.0", "1.1", "1.2"}, Ignored: true, Help: "The minimum TLS version."},
				{Names: []string{"--disable-local-auth"}, AnyNumber: true, Choices: threeState, NotSimulated: true, Help: "Refuse SAS keys, leaving Microsoft Entra ID as the only way in."},
				{Names: []string{"--mi-system-assigned"}, Switch: true, NotSimulated: true, Help: "A managed identity for the namespace (customer-managed keys)."},
			},
			Examples:     []string{"$ az servicebus namespace create -g rg-demo -n sb-demo-001 -l westeurope --sku Standard"},
			NotSimulated: "Tiers, capacity, zones, network rules, customer-managed keys and disabling local (SAS) authentication. " + serviceBusNotSimulated,
			Run: func(c *azCall) (any, error) {
				group := c.str("--resource-group")
				location, err := c.location(group)
				if err != nil {
					return nil, err
				}
				sku := c.str("--sku")
				if sku == "" {
					sku = "Standard"
				}
				body := map[string]any{
					"location":   location,
					"sku":        map[string]any{"name": sku, "tier": sku},
					"properties": map[string]any{"minimumTlsVersion": "1.2", "disableLocalAuth": false},
				}
				if tags := parseTags(c.list("--tags")); tags != nil {
					body["tags"] = tags
				}
				path := c.subscriptionPath() + "/resourceGroups/" + group + "/providers/Microsoft.ServiceBus/namespaces/" + c.str("--name")
				out, err := c.armCreate(path, serviceBusAPI, body)
				if err != nil {
					return nil, err
				}
				return modelResourceGroup(out), nil
			},
		},
		&azCommand{
			Path:    "servicebus queue create",
			Summary: "Create a Service Bus queue.",
			Args: []azArg{
				groupArg, namespaceArg,
				{Names: []string{"--name", "-n"}, Required: true, Help: "Name of the queue."},
				{Names: []string{"--max-size"}, Ignored: true, Help: "The maximum size of the queue in megabytes."},
				{Names: []string{"--default-message-time-to-live"}, Ignored: true, Help: "ISO 8601 default message time to live."},
				{Names: []string{"--lock-duration"}, Ignored: true, Help: "ISO 8601 peek-lock duration."},
				{Names: []string{"--max-delivery-count"}, Ignored: true, Help: "The maximum delivery count."},
				{Names: []string{"--enable-partitioning"}, AnyNumber: true, Choices: threeState, Ignored: true, Help: "Partition the queue across message brokers."},
				{Names: []string{"--enable-session"}, AnyNumber: true, Choices: threeState, NotSimulated: true, Help: "Sessions."},
				{Names: []string{"--enable-dead-lettering-on-message-expiration"}, AnyNumber: true, Choices: threeState, NotSimulated: true, Help: "Dead-lettering."},
			},
			Examples:     []string{"$ az servicebus queue create -g rg-demo --namespace-name sb-demo-001 -n orders"},
			NotSimulated: "Sessions, dead-lettering, duplicate detection, forwarding and message expiry: a queue holds messages until they are received. " + serviceBusNotSimulated,
			Run: func(c *azCall) (any, error) {
				path := c.subscriptionPath() + "/resourceGroups/" + c.str("--resource-group") + "/providers/Microsoft.ServiceBus/namespaces/" +
					c.str("--namespace-name") + "/queues/" + c.str("--name")
				out, err := c.arm("PUT", path, serviceBusAPI, map[string]any{"properties": map[string]any{}})
				if err != nil {
					return nil, err
				}
				return modelResourceGroup(out), nil
			},
		},
		&azCommand{
			Path:    "servicebus namespace authorization-rule keys list",
			Summary: "List the keys and connection strings of Authorization Rule for Service Bus Namespace.",
			Args: []azArg{
				groupArg, namespaceArg,
				{Names: []string{"--name", "-n"}, Required: true, Help: "Name of the Authorization Rule: RootManageSharedAccessKey."},
			},
			Show: true,
			Examples: []string{
				"$ az servicebus namespace authorization-rule keys list -g rg-demo --namespace-name sb-demo-001 -n RootManageSharedAccessKey --query primaryConnectionString -o tsv",
			},
			NotSimulated: "Rules other than RootManageSharedAccessKey, and regenerating keys. " + serviceBusNotSimulated,
			Run: func(c *azCall) (any, error) {
				path := c.subscriptionPath() + "/resourceGroups/" + c.str("--resource-group") + "/providers/Microsoft.ServiceBus/namespaces/" +
					c.str("--namespace-name") + "/authorizationRules/" + c.str("--name") + "/listKeys"
				return c.arm("POST", path, serviceBusAPI, nil)
			},
		},
	)
}
