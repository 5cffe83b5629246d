package shell

import (
	"fmt"
	"hash/fnv"
	"strings"
)

// az vm and az vmss: virtual machines and scale sets as far as managed
// identities go. Networks, disks, sizes and images are not modeled: their
// arguments are accepted and checked the way az checks them, and the
// addresses az prints are made up, the same every time, from the name.

const (
	vmType   = "Microsoft.Compute/virtualMachines"
	vmssType = "Microsoft.Compute/virtualMachineScaleSets"
)

// vmImageAliases are the image aliases of azure-cli 2.6x, in the order its
// error message lists them, with the URNs they stand for.
var vmImageAliases = []struct{ alias, urn string }{
	{"CentOS85Gen2", "OpenLogic:CentOS:8_5-gen2:latest"},
	{"Debian11", "Debian:debian-11:11-backports-gen2:latest"},
	{"OpenSuseLeap154Gen2", "SUSE:openSUSE-leap-15-4:gen2:latest"},
	{"RHELRaw8LVMGen2", "RedHat:RHEL:8-lvm-gen2:latest"},
	{"SuseSles15SP5", "SUSE:sles-15-sp5:gen2:latest"},
	{"Ubuntu2204", "Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest"},
	{"Ubuntu2404", "Canonical:ubuntu-24_04-lts:server:latest"},
	{"Ubuntu2404Pro", "Canonical:ubuntu-24_04-lts:ubuntu-pro:latest"},
	{"FlatcarLinuxFreeGen2", "kinvolk:flatcar-container-linux-free:stable-gen2:latest"},
	{"Win2022Datacenter", "MicrosoftWindowsServer:WindowsServer:2022-datacenter-g2:latest"},
	{"Win2022AzureEditionCore", "MicrosoftWindowsServer:WindowsServer:2022-datacenter-azure-edition-core:latest"},
	{"Win2019Datacenter", "MicrosoftWindowsServer:WindowsServer:2019-Datacenter:latest"},
	{"Win2016Datacenter", "MicrosoftWindowsServer:WindowsServer:2016-Datacenter:latest"},
	{"Win2012R2Datacenter", "MicrosoftWindowsServer:WindowsServer:2012-R2-Datacenter:latest"},
	{"Win2012Datacenter", "MicrosoftWindowsServer:WindowsServer:2012-Datacenter:latest"},
}

// vmImage is what --image resolved to.
type vmImage struct {
	urn     string
	windows bool
}

// resolveImage checks --image as az does for the forms miplay knows: an
// alias (any case) or a publisher:offer:sku:version URN.
func resolveImage(image string) (vmImage, error) {
	for _, a := range vmImageAliases {
		if strings.EqualFold(a.alias, image) {
			return vmImage{urn: a.urn, windows: strings.HasPrefix(a.alias, "Win")}, nil
		}
	}
	parts := strings.Split(image, ":")
	if len(parts) == 4 && parts[0] != "" && parts[1] != "" && parts[2] != "" && parts[3] != "" {
		return vmImage{urn: image, windows: strings.Contains(strings.ToLower(parts[0]+parts[1]), "windows")}, nil
	}
	names := make([]string, len(vmImageAliases))
	for i, a := range vmImageAliases {
		names[i] = a.alias
	}
	return vmImage{}, clierrf("Invalid image \"%s\". Use a valid image URN, custom image name, custom image id, VHD blob URI, or pick an image from %s.\nSee vm create -h for more information on specifying an image.", image, quotePyList(names))
}

// computeArgs are the arguments vm create and vmss create share.
func computeArgs(kind string) []azArg {
	return []azArg{
		{Names: []string{"--resource-group", "-g"}, Required: true, Help: "Name of resource group."},
		{Names: []string{"--name", "-n"}, Required: true, Help: "Name of the " + kind + "."},
		{Names: []string{"--image"}, Help: "The name of the operating system image: an alias (Ubuntu2204, Ubuntu2404, Debian11, Win2022Datacenter, ...) or a URN publisher:offer:sku:version. Checked, then not modeled."},
		{Names: []string{"--location", "-l"}, Help: "Location. Default: the resource group's location."},
		{Names: []string{"--tags"}, Multi: true, Help: "Space-separated tags: key[=value]."},
		{Names: []string{"--assign-identity"}, AnyNumber: true, Help: "Accept system or user assigned identities separated by spaces. Use '[system]' to refer system assigned identity, or a resource id to refer user assigned identity (a name is looked up in the resource group)."},
		{Names: []string{"--role"}, Help: "Role name or id the system assigned identity will have. Give it with --scope."},
		{Names: []string{"--scope"}, Help: "Scope the system assigned identity can access. Without it, the identity has no access to anything."},
		{Names: []string{"--admin-username"}, Help: "Username for the VM. Default: the current user's name."},
		{Names: []string{"--admin-password"}, Help: "Password for the VM if authentication type is 'Password'."},
		{Names: []string{"--authentication-type"}, Choices: []string{"all", "password", "ssh"}, Help: "Type of authentication to use with the VM."},
		{Names: []string{"--generate-ssh-keys"}, Switch: true, Help: "Generate SSH public and private key files if missing. The keys will be stored in the ~/.ssh directory."},
		{Names: []string{"--ssh-key-values"}, Multi: true, Ignored: true, Help: "Space-separated list of SSH public keys or public key file paths."},
		{Names: []string{"--ssh-key-name"}, Ignored: true, Help: "Use it as public key in virtual machine. It should be an existing SSH key resource in Azure."},
		{Names: []string{"--ssh-dest-key-path"}, Ignored: true, Help: "Destination file path on the VM for the SSH key."},
		{Names: []string{"--public-ip-address"}, Ignored: true, Help: "Name of the public IP address when creating one (default) or referencing an existing one. Can also reference an existing public IP by ID or specify \"\" for None ('\"\"' in Azure CLI using PowerShell or --% operator)."},
		{Names: []string{"--public-ip-sku"}, Choices: []string{"Basic", "Standard"}, Ignored: true, Help: "Public IP SKU."},
		{Names: []string{"--public-ip-address-dns-name"}, Help: "Globally unique DNS name for a newly created public IP."},
		{Names: []string{"--public-ip-address-allocation"}, Choices: []string{"dynamic", "static"}, Ignored: true, Help: "Public IP allocation method."},
		{Names: []string{"--nsg"}, Ignored: true, Help: "The name to use when creating a new Network Security Group (default) or referencing an existing one."},
		{Names: []string{"--nsg-rule"}, Choices: []string{"NONE", "RDP", "SSH"}, Ignored: true, Help: "NSG rule to create when creating a new NSG."},
		{Names: []string{"--vnet-name"}, Ignored: true, Help: "Name of the virtual network when creating a new one or referencing an existing one."},
		{Names: []string{"--subnet"}, Ignored: true, Help: "The name of the subnet when creating a new VNet or referencing an existing one."},
		{Names: []string{"--vnet-address-prefix"}, Ignored: true, Help: "The IP address prefix to use when creating a new VNet in CIDR format."},
		{Names: []string{"--subnet-address-prefix"}, Ignored: true, Help: "The subnet IP address prefix to use when creating a new VNet in CIDR format."},
		{Names: []string{"--os-disk-size-gb"}, Ignored: true, Help: "The size of the os disk in GB."},
		{Names: []string{"--os-disk-name"}, Ignored: true, Help: "The name of the new VM OS disk."},
		{Names: []string{"--storage-sku"}, Multi: true, Ignored: true, Help: "The SKU of the storage account with which to persist VM."},
		{Names: []string{"--data-disk-sizes-gb"}, Multi: true, Ignored: true, Help: "Space-separated empty managed data disk sizes in GB to create."},
		{Names: []string{"--custom-data"}, Ignored: true, Help: "Custom init script file or text (cloud-init, cloud-config, etc..)."},
		{Names: []string{"--user-data"}, Ignored: true, Help: "UserData for the VM. It can be passed in as file or string."},
		{Names: []string{"--license-type"}, Ignored: true, Help: "Specifies that the Windows image or disk was licensed on-premises."},
		{Names: []string{"--security-type"}, Choices: []string{"ConfidentialVM", "Standard", "TrustedLaunch"}, Ignored: true, Help: "Specify the security type of the virtual machine."},
		{Names: []string{"--enable-secure-boot"}, AnyNumber: true, Ignored: true, Help: "Enable secure boot."},
		{Names: []string{"--enable-vtpm"}, AnyNumber: true, Ignored: true, Help: "Enable vTPM."},
		{Names: []string{"--accelerated-networking"}, AnyNumber: true, Ignored: true, Help: "Enable accelerated networking."},
		{Names: []string{"--priority"}, Choices: []string{"Low", "Regular", "Spot"}, Ignored: true, Help: "Priority."},
		{Names: []string{"--eviction-policy"}, Choices: []string{"Deallocate", "Delete"}, Ignored: true, Help: "The eviction policy for the Spot priority virtual machine."},
		{Names: []string{"--max-price"}, Ignored: true, Help: "The maximum price (in US Dollars) you are willing to pay for a Spot VM/VMSS."},
		{Names: []string{"--os-type"}, Choices: []string{"linux", "windows"}, Ignored: true, Help: "Type of OS installed on a custom VHD. Do not use when specifying an URN or URN alias."},
		{Names: []string{"--no-wait"}, Switch: true, Help: "Do not wait for the long-running operation to finish: print nothing."},
		{Names: []string{"--attach-os-disk"}, NotSimulated: true, Help: "Attach an existing OS disk to the VM."},
		{Names: []string{"--validate"}, Switch: true, NotSimulated: true, Help: "Generate and validate the ARM template without creating any resources."},
		{Names: []string{"--workspace"}, NotSimulated: true, Help: "Name or ID of Log Analytic Workspace."},
		{Names: []string{"--edge-zone"}, NotSimulated: true, Help: "The name of edge zone."},
	}
}

func registerAzVM() {
	vmName := azArg{Names: []string{"--name", "-n"}, Required: true, Help: "The name of the Virtual Machine."}
	group := azArg{Names: []string{"--resource-group", "-g"}, Required: true, Help: "Name of resource group."}
	ids := azArg{Names: []string{"--ids"}, Multi: true, NotSimulated: true, Help: "One or more resource IDs (space-delimited)."}
	details := azArg{Names: []string{"--show-details", "-d"}, Switch: true, Help: "Show public ip address, FQDN, and power states. command will run slow."}

	vmCreateArgs := append(computeArgs("virtual machine"),
		azArg{Names: []string{"--size"}, Ignored: true, Help: "The VM size to be created."},
		azArg{Names: []string{"--zone", "-z"}, Help: "Availability zone into which to provision the resource."},
		azArg{Names: []string{"--private-ip-address"}, Ignored: true, Help: "Static private IP address (e.g. 10.0.0.5)."},
		azArg{Names: []string{"--computer-name"}, Ignored: true, Help: "The host OS name of the virtual machine. Defaults to the name of the VM."},
		azArg{Names: []string{"--os-disk-delete-option"}, Choices: []string{"Delete", "Detach"}, Ignored: true, Help: "Specify the behavior of the managed disk when the VM gets deleted."},
		azArg{Names: []string{"--nic-delete-option"}, Choices: []string{"Delete", "Detach"}, Ignored: true, Help: "Specify what happens to the network interface when the VM is deleted."},
		azArg{Names: []string{"--ephemeral-os-disk"}, AnyNumber: true, Ignored: true, Help: "Allows you to create an OS disk directly on the host node."},
		azArg{Names: []string{"--boot-diagnostics-storage"}, Ignored: true, Help: "Pre-existing storage account name or its blob uri to capture boot diagnostics."},
		azArg{Names: []string{"--count"}, NotSimulated: true, Help: "Number of virtual machines to create."},
		azArg{Names: []string{"--nics"}, Multi: true, NotSimulated: true, Help: "Names or IDs of existing NICs to attach to the VM."},
		azArg{Names: []string{"--availability-set"}, NotSimulated: true, Help: "Name or ID of an existing availability set to add the VM to."},
		azArg{Names: []string{"--vmss"}, NotSimulated: true, Help: "Name or ID of an existing virtual machine scale set that the virtual machine should be assigned to."},
	)

	registerAz(
		&azCommand{
			Path:    "vm create",
			Summary: "Create an Azure Virtual Machine.",
			Args:    vmCreateArgs,
			Examples: []string{
				"$ az vm create -g rg-demo -n vm-web --image Ubuntu2204 --generate-ssh-keys",
				"$ az vm create -g rg-demo -n vm-web --image Ubuntu2204 --generate-ssh-keys --assign-identity",
				"$ az vm create -g rg-demo -n vm-web --image Ubuntu2204 --admin-username azureuser --generate-ssh-keys --assign-identity [system] --role Reader --scope /subscriptions/$SUB/resourceGroups/rg-demo",
				"$ az vm create -g rg-demo -n vm-web --image Ubuntu2204 --generate-ssh-keys --assign-identity id-reader",
			},
			NotSimulated: "Networks, disks, sizes and images: their arguments are accepted (and checked as az checks them) but nothing is created for them, and the addresses printed are made up from the name. The VM is always running. --count, existing NICs, availability sets and --validate.",
			Run:          vmCreate,
			// az's create output is an ordered dict: a table keeps its order.
			Table: func(result any) (any, []string) {
				cols := []string{"id", "resourceGroup", "powerState", "publicIpAddress", "fqdns", "privateIpAddress", "macAddress", "location", "identity", "zones"}
				if m, ok := result.(map[string]any); ok {
					if _, ok := m["identity"]; !ok {
						cols = append(cols[:8], "zones")
					}
				}
				return result, cols
			},
		},
		&azCommand{
			Path:         "vm show",
			Summary:      "Get the details of a VM.",
			Args:         []azArg{group, vmName, details, ids, {Names: []string{"--include-user-data", "-u"}, Switch: true, Ignored: true, Help: "Include the user data properties in the query result."}},
			Show:         true,
			Table:        vmTable,
			Examples:     []string{"$ az vm show -g rg-demo -n vm-web --query identity", "$ az vm show -g rg-demo -n vm-web -d --query publicIps -o tsv"},
			NotSimulated: "The VM's hardware, storage, OS and network profiles: miplay's ARM returns only the identity, tags, location and a few read-only properties.",
			Run: func(c *azCall) (any, error) {
				out, err := c.arm("GET", c.resourcePath(c.str("--resource-group"), vmType, c.str("--name")), computeAPI, nil)
				if err != nil {
					return nil, err
				}
				out = computeOutput(out)
				if c.has("--show-details") {
					addVMDetails(out)
				}
				return out, nil
			},
		},
		&azCommand{
			Path:    "vm list",
			Summary: "List details of Virtual Machines.",
			Args: []azArg{
				{Names: []string{"--resource-group", "-g"}, Help: "Name of resource group. Default: every VM in the subscription."},
				details,
			},
			Examples: []string{"$ az vm list -g rg-demo --query \"[].{name:name, identity:identity.type}\" -o table"},
			Run: func(c *azCall) (any, error) {
				return c.listResources(vmType, c.has("--show-details"))
			},
			Table: vmTable,
		},
		&azCommand{
			Path:    "vm delete",
			Summary: "Delete a VM. Its system-assigned identity is deleted with it; role assignments to that identity stay, orphaned.",
			Args: []azArg{group, vmName, ids,
				{Names: []string{"--yes", "-y"}, Switch: true, Help: "Do not prompt for confirmation."},
				{Names: []string{"--force-deletion"}, AnyNumber: true, Ignored: true, Help: "Optional parameter to force delete virtual machines."},
				{Names: []string{"--no-wait"}, Switch: true, Ignored: true, Help: "Do not wait for the long-running operation to finish."},
			},
			Examples: []string{"$ az vm delete -g rg-demo -n vm-web --yes"},
			Run: func(c *azCall) (any, error) {
				if !c.has("--yes") {
					return nil, clierrf("Unable to prompt for confirmation as no tty available. Use --yes.")
				}
				_, err := c.arm("DELETE", c.resourcePath(c.str("--resource-group"), vmType, c.str("--name")), computeAPI, nil)
				return nil, err
			},
		},
		&azCommand{
			Path:    "vm update",
			Summary: "Update the properties of a VM. In miplay, only the identity can be changed.",
			Args: []azArg{group, vmName, ids,
				{Names: []string{"--set"}, Multi: true, Help: "Update an object by specifying a property path and value to set. Simulated: identity.type=None|SystemAssigned|UserAssigned|'SystemAssigned, UserAssigned' and identity.userAssignedIdentities=null."},
				{Names: []string{"--add"}, Multi: true, NotSimulated: true, Help: "Add an object to a list of objects by specifying a path and key value pairs."},
				{Names: []string{"--remove"}, Multi: true, NotSimulated: true, Help: "Remove a property or an element from a list."},
				{Names: []string{"--force-string"}, Switch: true, Ignored: true, Help: "When using 'set' or 'add', preserve string literals instead of attempting to convert to JSON."},
				{Names: []string{"--size"}, NotSimulated: true, Help: "The new size of the virtual machine."},
				{Names: []string{"--license-type"}, NotSimulated: true, Help: "Specifies that the Windows image or disk was licensed on-premises."},
				{Names: []string{"--no-wait"}, Switch: true, Ignored: true, Help: "Do not wait for the long-running operation to finish."},
			},
			Examples: []string{
				"$ az vm update -g rg-demo -n vm-web --set identity.type=UserAssigned",
				"$ az vm update -g rg-demo -n vm-web --set identity.type=none",
				"$ az vm update -g rg-demo -n vm-web --set identity.type=none identity.userAssignedIdentities=null",
			},
			NotSimulated: "Every other property: --set on anything but the identity fails.",
			Run: func(c *azCall) (any, error) {
				return c.genericIdentityUpdate(vmType, c.str("--resource-group"), c.str("--name"))
			},
		},
	)
	registerIdentityCommands("vm", vmType, "VM", "vm-web")
	registerVMSS()
}

// registerIdentityCommands registers "<group> identity assign|remove|show"
// for VMs and scale sets, which az implements alike.
func registerIdentityCommands(group, typ, noun, example string) {
	name := azArg{Names: []string{"--name", "-n"}, Required: true, Help: "The name of the " + noun + "."}
	rg := azArg{Names: []string{"--resource-group", "-g"}, Required: true, Help: "Name of resource group."}
	ids := azArg{Names: []string{"--ids"}, Multi: true, NotSimulated: true, Help: "One or more resource IDs (space-delimited)."}
	registerAz(
		&azCommand{
			Path:    group + " identity assign",
			Summary: "Enable managed service identity on a " + noun + ". This is required to authenticate and interact with other Azure services using bearer tokens.",
			Args: []azArg{rg, name, ids,
				{Names: []string{"--identities"}, AnyNumber: true, Help: "Space-separated identities to assign. Use '[system]' to refer to the system assigned identity. Default: '[system]'."},
				{Names: []string{"--role"}, Help: "Role name or id the system assigned identity will have."},
				{Names: []string{"--scope"}, Help: "Scope that the system assigned identity can access."},
			},
			Examples: []string{
				fmt.Sprintf("$ az %s identity assign -g rg-demo -n %s", group, example),
				fmt.Sprintf("$ az %s identity assign -g rg-demo -n %s --identities id-reader", group, example),
				fmt.Sprintf("$ az %s identity assign -g rg-demo -n %s --role Reader --scope /subscriptions/$SUB/resourceGroups/rg-demo", group, example),
			},
			Run: func(c *azCall) (any, error) { return c.computeIdentityAssign(group, typ) },
		},
		&azCommand{
			Path:    group + " identity remove",
			Summary: "Remove managed service identities from a " + noun + ".",
			Args: []azArg{rg, name, ids,
				{Names: []string{"--identities"}, AnyNumber: true, Help: "Space-separated identities to remove. Use '[system]' to refer to the system assigned identity. Default: '[system]'."},
			},
			Examples: []string{
				fmt.Sprintf("$ az %s identity remove -g rg-demo -n %s", group, example),
				fmt.Sprintf("$ az %s identity remove -g rg-demo -n %s --identities id-reader", group, example),
			},
			Run: func(c *azCall) (any, error) { return c.computeIdentityRemove(typ) },
		},
		&azCommand{
			Path:    group + " identity show",
			Summary: "Display " + noun + "'s managed identity info.",
			Args:    []azArg{rg, name, ids},
			Show:    true,
			Examples: []string{
				fmt.Sprintf("$ az %s identity show -g rg-demo -n %s", group, example),
				fmt.Sprintf("$ az %s identity show -g rg-demo -n %s --query type -o tsv", group, example),
			},
			Run: func(c *azCall) (any, error) {
				out, err := c.arm("GET", c.resourcePath(c.str("--resource-group"), typ, c.str("--name")), computeAPI, nil)
				if err != nil {
					return nil, err
				}
				return identityModel(identityOf(out)), nil
			},
		},
	)
}

// listResources lists VMs or scale sets, in a group or the subscription.
func (c *azCall) listResources(typ string, details bool) (any, error) {
	path := c.subscriptionPath() + "/providers/" + typ
	if g := c.str("--resource-group"); g != "" {
		path = c.subscriptionPath() + "/resourceGroups/" + g + "/providers/" + typ
	}
	items, err := c.armList(path, computeAPI)
	if err != nil {
		return nil, err
	}
	out := make([]any, 0, len(items))
	for _, it := range items {
		it = computeOutput(it)
		if details {
			addVMDetails(it)
		}
		out = append(out, it)
	}
	return out, nil
}

// computeOutput is how az prints a VM or scale set: the SDK model, its
// properties flattened, times as Python prints them, with the group.
func computeOutput(arm map[string]any) map[string]any {
	out := flattenProperties(arm)
	if _, ok := out["timeCreated"]; ok {
		out["timeCreated"] = pyTime(out["timeCreated"])
	}
	if id := identityOf(arm); id != nil {
		out["identity"] = identityModel(id)
	}
	return withResourceGroup(out).(map[string]any)
}

// vmAddresses are the made-up network details of a VM.
type vmAddresses struct {
	public, private, mac, fqdns string
}

// fakeAddresses derives a VM's addresses from its resource ID: a public IP
// in one of Azure's ranges, the first host of az's default 10.0.0.0/24
// subnet, and a MAC with an Azure prefix.
func fakeAddresses(id string) vmAddresses {
	h := fnv.New64a()
	h.Write([]byte(strings.ToLower(id)))
	s := h.Sum64()
	firsts := []int{4, 13, 20, 40, 51, 52, 74, 98}
	b := func(i uint) int { return int(s >> (8 * i) & 0xff) }
	public := fmt.Sprintf("%d.%d.%d.%d", firsts[b(0)%len(firsts)], 1+b(1)%254, 1+b(2)%254, 1+b(3)%254)
	mac := fmt.Sprintf("00-0D-3A-%02X-%02X-%02X", b(4), b(5), b(6))
	return vmAddresses{public: public, private: "10.0.0.4", mac: mac}
}

// addVMDetails adds what `az vm show -d` adds.
func addVMDetails(vm map[string]any) {
	a := fakeAddresses(jstr(vm["id"]))
	vm["powerState"] = "VM running"
	vm["publicIps"] = a.public
	vm["privateIps"] = a.private
	vm["macAddresses"] = a.mac
	vm["fqdns"] = ""
}

// linuxUserBad and windowsUserBad are the characters az refuses in an admin
// user name (its validators' regexps [\\/"\[\]:|<>+=;,?*@#()!A-Z]+ and
// [\\/"\[\]:|<>+=;,?*@]+, found anywhere in the name).
const (
	linuxUserBad   = `\/"[]:|<>+=;,?*@#()!ABCDEFGHIJKLMNOPQRSTUVWXYZ`
	windowsUserBad = `\/"[]:|<>+=;,?*@`
)

var (
	disallowedUsers = []string{"administrator", "admin", "user", "user1", "test", "user2", "test1", "user3", "admin1", "1", "123", "a", "actuser", "adm", "admin2", "aspnet", "backup", "console", "guest", "owner", "root", "server", "sql", "support", "support_388945a0", "sys", "test2", "test3", "user4", "user5"}
)

// vmCreateImage is the image of vm create and vmss create, validated as
// az's validators do, image first, then authentication.
func (c *azCall) vmCreateImage() (vmImage, error) {
	if !c.has("--image") {
		return vmImage{}, clierrf("usage error: --image IMAGE | --attach-os-disk DISK")
	}
	img, err := resolveImage(c.str("--image"))
	if err != nil {
		return vmImage{}, err
	}
	if err := c.checkVMAuth(img); err != nil {
		return vmImage{}, err
	}
	return img, nil
}

// checkVMAuth is az's _validate_vm_vmss_create_auth for the cases miplay
// meets: the admin user name, the password rules, and SSH keys (generated
// with --generate-ssh-keys, as az does, into the host's ~/.ssh).
func (c *azCall) checkVMAuth(img vmImage) error {
	user := c.str("--admin-username")
	if !c.has("--admin-username") {
		user = c.p.Getenv("USER")
	}
	if err := checkAdminUsername(user, img.windows); err != nil {
		return err
	}
	auth := c.str("--authentication-type")
	if auth == "" {
		auth = "ssh"
		if img.windows || c.has("--admin-password") {
			auth = "password"
		}
	}
	if img.windows && auth != "password" {
		return clierrf("SSH not supported for Windows VMs.")
	}
	if auth == "password" || auth == "all" {
		if c.has("--ssh-key-values") || c.has("--ssh-dest-key-path") {
			if auth == "password" {
				return clierrf("SSH key cannot be used with password authentication type.")
			}
		}
		if !c.has("--admin-password") {
			return clierrf("Please specify password in non-interactive mode.")
		}
		if err := checkAdminPassword(c.str("--admin-password"), img.windows); err != nil {
			return err
		}
	}
	if auth == "ssh" && c.has("--admin-password") {
		return clierrf("Admin password cannot be used with SSH authentication type.")
	}
	if (auth == "ssh" || auth == "all") && !c.has("--ssh-key-values") && !c.has("--ssh-key-name") {
		return c.ensureSSHKey()
	}
	return nil
}

const sshStateKey = "az.sshkeys"

// ensureSSHKey finds ~/.ssh/id_rsa.pub, or makes it with --generate-ssh-keys.
func (c *azCall) ensureSSHKey() error {
	home := c.p.Getenv("HOME")
	pub := home + "/.ssh/id_rsa.pub"
	if _, err := c.p.ReadFile(pub); err == nil {
		return nil
	}
	if c.p.State != nil && c.p.State[sshStateKey] == true {
		return nil
	}
	if !c.has("--generate-ssh-keys") {
		return clierrf("An RSA key file or key value must be supplied to SSH Key Value. You can use --generate-ssh-keys to let CLI generate one for you")
	}
	priv := home + "/.ssh/id_rsa"
	// miplay keeps no real keys: the files say so. ~/.ssh may not exist in
	// the host's file system; the keys are remembered either way.
	c.p.WriteFile(priv, []byte("-----BEGIN RSA PRIVATE KEY-----\nmiplay: not a real key\n-----END RSA PRIVATE KEY-----\n"))
	c.p.WriteFile(pub, []byte("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ== miplay-not-a-real-key\n"))
	if c.p.State != nil {
		c.p.State[sshStateKey] = true
	}
	c.warn("SSH key files '%s' and '%s' have been generated under ~/.ssh to allow SSH access to the VM. If using machines without permanent storage, back up your keys to a safe location.", priv, pub)
	return nil
}

func checkAdminUsername(user string, windows bool) error {
	if user == "" {
		return clierrf("admin user name can not be empty")
	}
	linuxErr := `admin user name cannot contain upper case character A-Z, special characters \/"[]:|<>+=;,?*@#()! or start with $ or -`
	winErr := `admin user name cannot contain special characters \/"[]:|<>+=;,?*@# or ends with .`
	if !windows && (strings.ContainsAny(user, linuxUserBad) || strings.HasPrefix(user, "$") || strings.HasPrefix(user, "-")) {
		return clierrf("%s", linuxErr)
	}
	if windows && (strings.ContainsAny(user, windowsUserBad) || strings.HasSuffix(user, ".")) {
		return clierrf("%s", winErr)
	}
	for _, d := range disallowedUsers {
		if strings.EqualFold(d, user) {
			return clierrf("This user name '%s' meets the general requirements, but is specifically disallowed for this image. Please try a different value.", user)
		}
	}
	return nil
}

func checkAdminPassword(pw string, windows bool) error {
	maxLen := 72
	if windows {
		maxLen = 123
	}
	classes := 0
	for _, set := range []string{"abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789", " `~!@#$%^&*()=+_[]{}\\|;:./'\",<>?"} {
		if strings.ContainsAny(pw, set) {
			classes++
		}
	}
	n := len([]rune(pw))
	if n < 12 || n > maxLen || classes < 3 {
		return clierrf("The password length must be between 12 and %d. Password must have the 3 of the following: 1 lower case character, 1 upper case character, 1 number and 1 special character.", maxLen)
	}
	return nil
}

// createIdentity is what vm/vmss create's identity arguments resolve to,
// checked as az's _validate_vm_vmss_msi checks them.
type createIdentity struct {
	req          identityRequest
	role, roleID string
	scope        string
}

func (c *azCall) createIdentityArgs(group string) (*createIdentity, error) {
	if !c.has("--assign-identity") {
		if c.has("--scope") || c.has("--role") {
			return nil, clierrf("usage error: --assign-identity [--scope SCOPE] [--role ROLE]")
		}
		return nil, nil
	}
	if err := checkRoleScope(c); err != nil {
		return nil, err
	}
	ci := &createIdentity{req: c.parseIdentities(c.list("--assign-identity"), group), role: c.str("--role"), scope: c.str("--scope")}
	if ci.scope != "" {
		if !ci.req.System {
			return nil, clierrf("usage error: '--scope'/'--role' is only applicable when assign system identity")
		}
		var err error
		if ci.roleID, err = c.resolveRoleID(ci.role, ci.scope); err != nil {
			return nil, err
		}
	}
	return ci, nil
}

// body is the identity block a create sends.
func (ci *createIdentity) body() map[string]any {
	typ := newIdentityType("", ci.req)
	id := map[string]any{"type": typ}
	if len(ci.req.User) > 0 {
		uai := map[string]any{}
		for _, u := range ci.req.User {
			uai[u] = map[string]any{}
		}
		id["userAssignedIdentities"] = uai
	}
	return id
}

// finish grants the role and prints the identity the way az's create
// commands do, with the warning when no scope was given.
func (ci *createIdentity) finish(c *azCall, resource map[string]any, group, name, command string) (map[string]any, error) {
	if ci.scope != "" {
		if err := c.grantIdentity(principalOf(resource), ci.role, ci.roleID, ci.scope); err != nil {
			return nil, err
		}
	} else if ci.req.System {
		missingAccessWarning(c, group, name, command)
	}
	return identityInfo(ci.scope, ci.role, identityOf(resource)), nil
}

func vmCreate(c *azCall) (any, error) {
	group, name := c.str("--resource-group"), c.str("--name")
	// az's validators run in this order: location (from the resource
	// group), image, authentication, identities.
	loc, err := c.location(group)
	if err != nil {
		return nil, err
	}
	img, err := c.vmCreateImage()
	if err != nil {
		return nil, err
	}
	ci, err := c.createIdentityArgs(group)
	if err != nil {
		return nil, err
	}
	body := map[string]any{
		"location":   loc,
		"properties": vmProperties(c, img, name),
	}
	if tags := parseTags(c.list("--tags")); tags != nil {
		body["tags"] = tags
	}
	if z := c.str("--zone"); z != "" {
		body["zones"] = []string{z}
	}
	if ci != nil {
		body["identity"] = ci.body()
	}
	vm, err := c.arm("PUT", c.resourcePath(group, vmType, name), computeAPI, body)
	if err != nil {
		return nil, err
	}
	if c.has("--no-wait") {
		return nil, nil
	}
	addr := fakeAddresses(jstr(vm["id"]))
	if c.has("--public-ip-address") && c.str("--public-ip-address") == "" {
		addr.public = ""
	}
	if dns := c.str("--public-ip-address-dns-name"); dns != "" {
		addr.fqdns = strings.ToLower(dns) + "." + strings.ToLower(strings.ReplaceAll(jstr(vm["location"]), " ", "")) + ".cloudapp.azure.com"
	}
	out := map[string]any{
		"id":               vm["id"],
		"resourceGroup":    group,
		"powerState":       "VM running",
		"publicIpAddress":  addr.public,
		"fqdns":            addr.fqdns,
		"privateIpAddress": addr.private,
		"macAddress":       addr.mac,
		"location":         vm["location"],
		"zones":            c.str("--zone"),
	}
	if p, err := parseIDGroup(jstr(vm["id"])); err == nil {
		out["resourceGroup"] = p
	}
	if ci != nil {
		info, err := ci.finish(c, vm, group, name, "vm")
		if err != nil {
			return nil, err
		}
		out["identity"] = info
	}
	return out, nil
}

// parseIDGroup returns the resource group named in a resource ID.
func parseIDGroup(id string) (string, error) {
	parts := strings.Split(id, "/")
	if len(parts) > 4 && strings.EqualFold(parts[3], "resourcegroups") {
		return parts[4], nil
	}
	return "", fmt.Errorf("no resource group in %q", id)
}

// vmProperties is the properties block az's template gives a new VM. ARM
// keeps none of it; it shows in the request log as az would send it.
func vmProperties(c *azCall, img vmImage, name string) map[string]any {
	size := c.str("--size")
	if size == "" {
		size = "Standard_DS1_v2"
	}
	urn := strings.Split(img.urn, ":")
	user := c.str("--admin-username")
	if user == "" {
		user = c.p.Getenv("USER")
	}
	computer := c.str("--computer-name")
	if computer == "" {
		computer = name
	}
	osProfile := map[string]any{"computerName": computer, "adminUsername": user}
	if !img.windows {
		osProfile["linuxConfiguration"] = map[string]any{"disablePasswordAuthentication": !c.has("--admin-password")}
	}
	return map[string]any{
		"hardwareProfile": map[string]any{"vmSize": size},
		"storageProfile": map[string]any{
			"imageReference": map[string]any{"publisher": urn[0], "offer": urn[1], "sku": urn[2], "version": urn[3]},
			"osDisk":         map[string]any{"createOption": "FromImage", "managedDisk": map[string]any{"storageAccountType": "Premium_LRS"}},
		},
		"osProfile": osProfile,
		"networkProfile": map[string]any{"networkInterfaces": []any{map[string]any{
			"id": c.resourcePath(c.str("--resource-group"), "Microsoft.Network/networkInterfaces", name+"VMNic"),
		}}},
	}
}

// computeIdentityAssign is az vm|vmss identity assign: GET, PATCH the
// identity, grant the role, GET again and print the identity info.
func (c *azCall) computeIdentityAssign(group, typ string) (any, error) {
	if c.has("--scope") != c.has("--role") {
		return nil, clierrf("usage error: please specify both --role and --scope when assigning a role to the managed identity")
	}
	rg, name := c.str("--resource-group"), c.str("--name")
	req := c.parseIdentities(c.list("--identities"), rg)
	role, scope := c.str("--role"), c.str("--scope")
	var roleID string
	if scope != "" {
		if !req.System {
			return nil, clierrf("usage error: '--scope'/'--role' is only applicable when assign system identity")
		}
		var err error
		if roleID, err = c.resolveRoleID(role, scope); err != nil {
			return nil, err
		}
	}
	path := c.resourcePath(rg, typ, name)
	current, err := c.arm("GET", path, computeAPI, nil)
	if err != nil {
		return nil, err
	}
	id := map[string]any{"type": newIdentityType(identityType(identityOf(current)), req)}
	if len(req.User) > 0 {
		uai := map[string]any{}
		for _, u := range req.User {
			uai[u] = map[string]any{}
		}
		id["userAssignedIdentities"] = uai
	}
	updated, err := c.arm("PATCH", path, computeAPI, map[string]any{"identity": id})
	if err != nil {
		return nil, err
	}
	if scope != "" {
		if err := c.grantIdentity(principalOf(updated), role, roleID, scope); err != nil {
			return nil, err
		}
	}
	final, err := c.arm("GET", path, computeAPI, nil)
	if err != nil {
		return nil, err
	}
	return identityInfo(scope, role, identityOf(final)), nil
}

// computeIdentityRemove is az vm|vmss identity remove: the remaining
// identity, or nothing when none is left.
func (c *azCall) computeIdentityRemove(typ string) (any, error) {
	rg, name := c.str("--resource-group"), c.str("--name")
	req := c.parseIdentities(c.list("--identities"), rg)
	path := c.resourcePath(rg, typ, name)
	current, err := c.arm("GET", path, computeAPI, nil)
	if err != nil {
		return nil, err
	}
	id, err := removeIdentities(identityOf(current), req, name)
	if err != nil {
		return nil, err
	}
	updated, err := c.arm("PATCH", path, computeAPI, map[string]any{"identity": id})
	if err != nil {
		return nil, err
	}
	return identityModel(identityOf(updated)), nil
}

// genericIdentityUpdate is az's generic update (GET, --set, PUT) for the
// identity paths the managed identity docs use.
func (c *azCall) genericIdentityUpdate(typ, rg, name string) (any, error) {
	if !c.has("--set") {
		return nil, clierrf("--set is the only update miplay simulates for 'az %s': e.g. --set identity.type=UserAssigned", c.cmd.Path)
	}
	path := c.resourcePath(rg, typ, name)
	current, err := c.arm("GET", path, computeAPI, nil)
	if err != nil {
		return nil, err
	}
	id := identityOf(current)
	if id == nil {
		id = map[string]any{"type": identityNone}
	}
	delete(id, "principalId")
	delete(id, "tenantId")
	for _, expr := range c.list("--set") {
		key, value, ok := strings.Cut(expr, "=")
		if !ok {
			return nil, clierrf("usage error: --set KEY=VALUE: '%s' has no '='.", expr)
		}
		switch strings.ToLower(key) {
		case "identity.type":
			t, ok := canonicalIdentityType(value)
			if !ok {
				return nil, clierrf("identity.type '%s' is not simulated in miplay: use None, SystemAssigned, UserAssigned or 'SystemAssigned, UserAssigned'.", value)
			}
			id["type"] = t
		case "identity.userassignedidentities":
			if value != "null" && value != "{}" {
				return nil, clierrf("--set identity.userAssignedIdentities=%s is not simulated in miplay: only null is. Use 'az %s identity assign --identities' to add identities.", value, strings.Fields(c.cmd.Path)[0])
			}
			delete(id, "userAssignedIdentities")
		default:
			return nil, clierrf("--set %s is not simulated in miplay: only identity.type and identity.userAssignedIdentities=null are.", key)
		}
	}
	// A PUT states the whole identity: the user-assigned identities kept
	// are those still listed, with their values dropped as az sends them.
	if uai, ok := id["userAssignedIdentities"].(map[string]any); ok {
		keep := map[string]any{}
		for k := range uai {
			keep[k] = map[string]any{}
		}
		id["userAssignedIdentities"] = keep
		if t := jstr(id["type"]); t == identityNone || t == identitySystem {
			delete(id, "userAssignedIdentities")
		}
	}
	current["identity"] = id
	out, err := c.arm("PUT", path, computeAPI, current)
	if err != nil {
		return nil, err
	}
	return computeOutput(out), nil
}

// canonicalIdentityType spells an identity type value as ARM does.
func canonicalIdentityType(v string) (string, bool) {
	v = strings.Trim(v, `'"`)
	for _, t := range []string{identityNone, identitySystem, identityUser, identitySystemUser} {
		if strings.EqualFold(strings.ReplaceAll(t, " ", ""), strings.ReplaceAll(v, " ", "")) {
			return t, true
		}
	}
	return "", false
}

func registerVMSS() {
	name := azArg{Names: []string{"--name", "-n"}, Required: true, Help: "Scale set name."}
	group := azArg{Names: []string{"--resource-group", "-g"}, Required: true, Help: "Name of resource group."}
	ids := azArg{Names: []string{"--ids"}, Multi: true, NotSimulated: true, Help: "One or more resource IDs (space-delimited)."}
	createArgs := append(computeArgs("virtual machine scale set"),
		azArg{Names: []string{"--instance-count"}, Help: "Number of VMs in the scale set. Default: 2."},
		azArg{Names: []string{"--vm-sku"}, Ignored: true, Help: "Size of VMs in the scale set."},
		azArg{Names: []string{"--orchestration-mode"}, Choices: []string{"Flexible", "Uniform"}, Help: "Choose how virtual machines are managed by the scale set. miplay names instances as a Uniform scale set does (vmss-web_0, vmss-web_1) whatever the mode."},
		azArg{Names: []string{"--upgrade-policy-mode"}, Choices: []string{"Automatic", "Manual", "Rolling"}, Ignored: true, Help: "Upgrade policy mode."},
		azArg{Names: []string{"--load-balancer", "--lb"}, Ignored: true, Help: "Name to use when creating a new load balancer (default) or referencing an existing one."},
		azArg{Names: []string{"--lb-sku"}, Choices: []string{"Basic", "Gateway", "Standard"}, Ignored: true, Help: "Sku of the Load Balancer to create."},
		azArg{Names: []string{"--public-ip-per-vm"}, Switch: true, Ignored: true, Help: "Each VM instance will have a public ip."},
		azArg{Names: []string{"--zones"}, Multi: true, Ignored: true, Help: "Space-separated list of availability zones into which to provision the resource."},
		azArg{Names: []string{"--platform-fault-domain-count"}, Ignored: true, Help: "Fault Domain count for each placement group in the availability zone."},
		azArg{Names: []string{"--computer-name-prefix"}, Ignored: true, Help: "Computer name prefix for all of the virtual machines in the scale set."},
		azArg{Names: []string{"--single-placement-group"}, AnyNumber: true, Ignored: true, Help: "Limit the scale set to a single placement group."},
		azArg{Names: []string{"--disable-overprovision"}, AnyNumber: true, Ignored: true, Help: "Overprovision option."},
	)
	registerAz(
		&azCommand{
			Path:    "vmss create",
			Summary: "Create an Azure Virtual Machine Scale Set. Its instances share the scale set's identities.",
			Args:    createArgs,
			Examples: []string{
				"$ az vmss create -g rg-demo -n vmss-web --image Ubuntu2204 --orchestration-mode Uniform --instance-count 2 --generate-ssh-keys --assign-identity",
				"$ az vmss create -g rg-demo -n vmss-web --image Ubuntu2204 --orchestration-mode Uniform --generate-ssh-keys --assign-identity id-reader",
			},
			NotSimulated: "Networks, load balancers, disks, sizes and images (accepted, not modeled), autoscale, and Flexible orchestration's VM naming: instances are named vmss-web_0, vmss-web_1, ...",
			Run:          vmssCreate,
		},
		&azCommand{
			Path:     "vmss show",
			Summary:  "Get details on VMs within a VMSS.",
			Args:     []azArg{group, name, ids, {Names: []string{"--instance-id"}, NotSimulated: true, Help: "VM instance ID. If missing, show the VMSS."}},
			Show:     true,
			Examples: []string{"$ az vmss show -g rg-demo -n vmss-web --query identity"},
			Run: func(c *azCall) (any, error) {
				out, err := c.arm("GET", c.resourcePath(c.str("--resource-group"), vmssType, c.str("--name")), computeAPI, nil)
				if err != nil {
					return nil, err
				}
				return computeOutput(out), nil
			},
		},
		&azCommand{
			Path:     "vmss list",
			Summary:  "List VMSS.",
			Examples: []string{"$ az vmss list -g rg-demo --query \"[].{name:name, capacity:sku.capacity, identity:identity.type}\" -o table"},
			Args:     []azArg{{Names: []string{"--resource-group", "-g"}, Help: "Name of resource group. Default: every scale set in the subscription."}},
			Run: func(c *azCall) (any, error) {
				return c.listResources(vmssType, false)
			},
		},
		&azCommand{
			Path:    "vmss delete",
			Summary: "Delete a VM scale set. Its system-assigned identity is deleted with it.",
			Args: []azArg{group, name, ids,
				{Names: []string{"--force-deletion"}, AnyNumber: true, Ignored: true, Help: "Optional parameter to force delete a VM scale set."},
				{Names: []string{"--no-wait"}, Switch: true, Ignored: true, Help: "Do not wait for the long-running operation to finish."},
			},
			Examples: []string{"$ az vmss delete -g rg-demo -n vmss-web"},
			Run: func(c *azCall) (any, error) {
				_, err := c.arm("DELETE", c.resourcePath(c.str("--resource-group"), vmssType, c.str("--name")), computeAPI, nil)
				return nil, err
			},
		},
		&azCommand{
			Path:     "vmss list-instances",
			Summary:  "Get a list of all virtual machines in a VM scale set.",
			Args:     []azArg{group, name},
			Examples: []string{"$ az vmss list-instances -g rg-demo -n vmss-web --query \"[].name\" -o tsv"},
			Run: func(c *azCall) (any, error) {
				items, err := c.armList(c.resourcePath(c.str("--resource-group"), vmssType, c.str("--name"))+"/virtualMachines", computeAPI)
				if err != nil {
					return nil, err
				}
				out := make([]any, 0, len(items))
				for _, it := range items {
					out = append(out, withResourceGroup(flattenProperties(it)))
				}
				return out, nil
			},
		},
		&azCommand{
			Path:    "vmss update",
			Summary: "Update a VMSS. In miplay, only the identity can be changed.",
			Args: []azArg{group, name, ids,
				{Names: []string{"--set"}, Multi: true, Help: "Update an object by specifying a property path and value to set. Simulated: identity.type and identity.userAssignedIdentities=null."},
				{Names: []string{"--add"}, Multi: true, NotSimulated: true, Help: "Add an object to a list of objects by specifying a path and key value pairs."},
				{Names: []string{"--remove"}, Multi: true, NotSimulated: true, Help: "Remove a property or an element from a list."},
				{Names: []string{"--force-string"}, Switch: true, Ignored: true, Help: "When using 'set' or 'add', preserve string literals instead of attempting to convert to JSON."},
				{Names: []string{"--no-wait"}, Switch: true, Ignored: true, Help: "Do not wait for the long-running operation to finish."},
			},
			Examples:     []string{"$ az vmss update -g rg-demo -n vmss-web --set identity.type=UserAssigned"},
			NotSimulated: "Every other property: --set on anything but the identity fails.",
			Run: func(c *azCall) (any, error) {
				return c.genericIdentityUpdate(vmssType, c.str("--resource-group"), c.str("--name"))
			},
		},
	)
	registerIdentityCommands("vmss", vmssType, "VMSS", "vmss-web")
}

func vmssCreate(c *azCall) (any, error) {
	group, name := c.str("--resource-group"), c.str("--name")
	count := 2
	if c.has("--instance-count") {
		if _, err := fmt.Sscanf(c.str("--instance-count"), "%d", &count); err != nil || fmt.Sprint(count) != c.str("--instance-count") {
			return nil, usagef("ERROR: argument --instance-count: invalid int value: '%s'", c.str("--instance-count"))
		}
	}
	loc, err := c.location(group)
	if err != nil {
		return nil, err
	}
	img, err := c.vmCreateImage()
	if err != nil {
		return nil, err
	}
	ci, err := c.createIdentityArgs(group)
	if err != nil {
		return nil, err
	}
	mode := canonicalChoice(c.str("--orchestration-mode"), []string{"Flexible", "Uniform"})
	if mode == "" {
		mode = "Flexible"
	}
	urn := strings.Split(img.urn, ":")
	body := map[string]any{
		"location": loc,
		"sku":      map[string]any{"name": "Standard_DS1_v2", "tier": "Standard", "capacity": count},
		"properties": map[string]any{
			"orchestrationMode": mode,
			"virtualMachineProfile": map[string]any{
				"storageProfile": map[string]any{"imageReference": map[string]any{"publisher": urn[0], "offer": urn[1], "sku": urn[2], "version": urn[3]}},
			},
		},
	}
	if tags := parseTags(c.list("--tags")); tags != nil {
		body["tags"] = tags
	}
	if ci != nil {
		body["identity"] = ci.body()
	}
	vmss, err := c.arm("PUT", c.resourcePath(group, vmssType, name), computeAPI, body)
	if err != nil {
		return nil, err
	}
	if c.has("--no-wait") {
		return nil, nil
	}
	props, _ := vmss["properties"].(map[string]any)
	out := map[string]any{}
	for k, v := range props {
		out[k] = v
	}
	if ci != nil {
		info, err := ci.finish(c, vmss, group, name, "vmss")
		if err != nil {
			return nil, err
		}
		out["identity"] = info
	}
	return map[string]any{"vmss": out}, nil
}

// vmTable is az's transform_vm for tables: name, group, the details when
// -d gave them, location and zones.
func vmTable(result any) (any, []string) {
	list, isList := result.([]any)
	if !isList {
		list = []any{result}
	}
	cols := []string{"Name", "ResourceGroup", "Location", "Zones"}
	out := make([]any, 0, len(list))
	for _, x := range list {
		vm, ok := x.(map[string]any)
		if !ok {
			continue
		}
		zones := ""
		if z, ok := vm["zones"].([]any); ok {
			var parts []string
			for _, s := range z {
				parts = append(parts, jstr(s))
			}
			zones = strings.Join(parts, ",")
		}
		row := map[string]any{"Name": vm["name"], "ResourceGroup": vm["resourceGroup"], "Location": vm["location"], "Zones": zones}
		if _, ok := vm["powerState"]; ok {
			row["PowerState"], row["PublicIps"], row["Fqdns"] = vm["powerState"], vm["publicIps"], vm["fqdns"]
			cols = []string{"Name", "ResourceGroup", "PowerState", "PublicIps", "Fqdns", "Location", "Zones"}
		}
		out = append(out, row)
	}
	if !isList && len(out) == 1 {
		return out[0], cols
	}
	return out, cols
}
