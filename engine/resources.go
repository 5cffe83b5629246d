package engine

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Resource types, as Azure spells them.
const (
	TypeVM             = "Microsoft.Compute/virtualMachines"
	TypeScaleSet       = "Microsoft.Compute/virtualMachineScaleSets"
	TypePlan           = "Microsoft.Web/serverFarms"
	TypeSite           = "Microsoft.Web/sites"
	TypeStorageAccount = "Microsoft.Storage/storageAccounts"
	TypeKeyVault       = "Microsoft.KeyVault/vaults"
	TypeServiceBus     = "Microsoft.ServiceBus/namespaces"
	TypeUserIdentity   = "Microsoft.ManagedIdentity/userAssignedIdentities"
)

// A ResourceGroup holds resources; deleting it deletes them.
type ResourceGroup struct {
	ID       string
	Name     string
	Location string
	Tags     map[string]string
	Created  time.Time
}

// A Resource is one Azure resource. The fields after Identity hold what is
// particular to its type; exactly the one matching Type is set.
type Resource struct {
	ID            string
	Name          string
	Type          string
	Kind          string // "app,linux", "functionapp,linux", "StorageV2", ...
	ResourceGroup string
	Location      string
	Tags          map[string]string
	Created       time.Time
	// Identity is the managed identity configuration of resources that can
	// have one (compute resources); nil for the others.
	Identity *Identity

	ScaleSet     *ScaleSetProps
	Plan         *PlanProps
	Site         *SiteProps
	Storage      *StorageProps
	Vault        *VaultProps
	ServiceBus   *ServiceBusProps
	UserIdentity *UserIdentityProps
}

// ScaleSetProps are a VM scale set's instances.
type ScaleSetProps struct {
	Capacity int
}

// PlanProps describe an App Service plan.
type PlanProps struct {
	SKU string
}

// SiteProps describe a web app or function app.
type SiteProps struct {
	PlanID         string
	DefaultHost    string
	IdentityHeader string // IDENTITY_HEADER, rotated by the platform
	AppSettings    map[string]string
}

// StorageProps hold a storage account's keys and blob containers.
type StorageProps struct {
	Keys       [2]string
	Containers map[string]*Container
	// AllowSharedKeyAccess false makes the account refuse keys and SAS.
	AllowSharedKeyAccess bool
}

// A Container is a blob container.
type Container struct {
	Name    string
	Created time.Time
	Blobs   map[string]*Blob
}

// A Blob is a block blob.
type Blob struct {
	Name     string
	Content  []byte
	Modified time.Time
	ETag     string
	// ContentType is what the writer declared; Blob storage serves it back.
	ContentType string
}

// VaultProps hold a key vault's secrets. The vault uses the Azure RBAC
// permission model; access policies are not simulated.
type VaultProps struct {
	URI     string
	Secrets map[string][]*Secret // versions, oldest first
}

// A Secret is one version of a key vault secret.
type Secret struct {
	Name    string
	Version string
	Value   string
	Created time.Time
	// ContentType is the optional hint the caller set with the value.
	ContentType string
}

// ServiceBusProps hold a Service Bus namespace's queues and its root SAS key.
type ServiceBusProps struct {
	Endpoint   string
	PrimaryKey string
	Queues     map[string]*Queue
}

// A Queue is a Service Bus queue.
type Queue struct {
	Name     string
	Messages []Message
	// LastSequence is the sequence number of the last message enqueued;
	// Service Bus numbers a queue's messages 1, 2, 3, ...
	LastSequence int64
}

// A Message is a Service Bus message.
type Message struct {
	ID   string
	Body string
	Sent time.Time
	// SequenceNumber is the message's number in its queue.
	SequenceNumber int64
	// ContentType is what the sender declared.
	ContentType string
}

// UserIdentityProps are a user-assigned identity's IDs: it is a resource of
// its own, with its own service principal.
type UserIdentityProps struct {
	PrincipalID string
	ClientID    string
	TenantID    string
}

// ResourceGroups returns the resource groups.
func (w *World) ResourceGroups() []*ResourceGroup { return w.groups }

// ResourceGroup finds a resource group by name (case-insensitive).
func (w *World) ResourceGroup(name string) (*ResourceGroup, error) {
	for _, g := range w.groups {
		if equalFold(g.Name, name) {
			return g, nil
		}
	}
	return nil, groupNotFound(name)
}

// CreateResourceGroup creates a resource group, or returns the existing one
// of that name: ARM's PUT is idempotent.
func (w *World) CreateResourceGroup(name, location string) (*ResourceGroup, error) {
	if !validGroupName(name) || strings.HasSuffix(name, ".") {
		return nil, &Fault{Status: 400, Code: "InvalidResourceGroup",
			Message: fmt.Sprintf("The provided resource group name '%s' has these invalid characters: '%s'. The name can only be a letter, digit, '-', '.', '(', ')' or '_'. (Code: InvalidResourceGroup)", name, invalidChars(name))}
	}
	if g, err := w.ResourceGroup(name); err == nil {
		return g, nil
	}
	if location == "" {
		location = w.opts.Location
	}
	g := &ResourceGroup{ID: w.Subscription.Scope() + "/resourceGroups/" + name, Name: name, Location: location, Created: w.now}
	w.groups = append(w.groups, g)
	w.record(&ResourceGroupCreated{ID: g.ID, Location: location})
	return g, nil
}

func invalidChars(name string) string {
	var bad []rune
	for _, r := range name {
		if !strings.ContainsRune("-._()", r) && !(r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			bad = append(bad, r)
		}
	}
	return string(bad)
}

// DeleteResourceGroup deletes a resource group and every resource in it.
func (w *World) DeleteResourceGroup(name string) error {
	g, err := w.ResourceGroup(name)
	if err != nil {
		return err
	}
	// Delete dependents first: sites before plans, compute before identities.
	for _, r := range w.ResourcesIn(g.Name) {
		if r.Type == TypeSite {
			w.deleteResource(r)
		}
	}
	for _, r := range w.ResourcesIn(g.Name) {
		w.deleteResource(r)
	}
	for i, x := range w.groups {
		if x == g {
			w.groups = append(w.groups[:i], w.groups[i+1:]...)
			break
		}
	}
	w.record(&ResourceGroupDeleted{ID: g.ID})
	return nil
}

// Resources returns every resource, in creation order.
func (w *World) Resources() []*Resource { return w.resources }

// ResourcesIn returns the resources of one resource group.
func (w *World) ResourcesIn(group string) []*Resource {
	var out []*Resource
	for _, r := range w.resources {
		if equalFold(r.ResourceGroup, group) {
			out = append(out, r)
		}
	}
	return out
}

// Resource finds a resource by ID (case-insensitive, as ARM is).
func (w *World) Resource(id string) (*Resource, error) {
	id = strings.TrimSuffix(id, "/")
	for _, r := range w.resources {
		if equalFold(r.ID, id) {
			return r, nil
		}
	}
	p, err := ParseResourceID(id)
	if err != nil {
		return nil, &Fault{Status: 400, Code: "InvalidResourceId", Message: err.Error()}
	}
	if _, err := w.ResourceGroup(p.ResourceGroup); err != nil {
		return nil, err
	}
	return nil, notFound(p.Type, p.Name, p.ResourceGroup)
}

// FindResource finds a resource by group, type and name.
func (w *World) FindResource(group, typ, name string) (*Resource, error) {
	if _, err := w.ResourceGroup(group); err != nil {
		return nil, err
	}
	for _, r := range w.resources {
		if equalFold(r.ResourceGroup, group) && equalFold(r.Type, typ) && equalFold(r.Name, name) {
			return r, nil
		}
	}
	return nil, notFound(typ, name, group)
}

// FindByName finds resources of a type by name across the subscription.
func (w *World) FindByName(typ, name string) []*Resource {
	var out []*Resource
	for _, r := range w.resources {
		if equalFold(r.Type, typ) && equalFold(r.Name, name) {
			out = append(out, r)
		}
	}
	return out
}

// ResourceID builds a resource ID in Azure's canonical casing.
func (w *World) ResourceID(group, typ, name string) string {
	return fmt.Sprintf("%s/resourceGroups/%s/providers/%s/%s", w.Subscription.Scope(), group, typ, name)
}

// ResourceSpec is what every Create method needs.
type ResourceSpec struct {
	Group    string
	Name     string
	Location string // empty: the group's location
	Tags     map[string]string
}

func (w *World) newResource(spec ResourceSpec, typ string) (*Resource, error) {
	g, err := w.ResourceGroup(spec.Group)
	if err != nil {
		return nil, err
	}
	if spec.Name == "" {
		return nil, fmt.Errorf("engine: a %s needs a name", typ)
	}
	if _, err := w.FindResource(g.Name, typ, spec.Name); err == nil {
		return nil, &Fault{Status: 409, Code: "Conflict", Message: fmt.Sprintf("A resource of type '%s' named '%s' already exists in resource group '%s'.", typ, spec.Name, g.Name)}
	}
	loc := spec.Location
	if loc == "" {
		loc = g.Location
	}
	r := &Resource{ID: w.ResourceID(g.Name, typ, spec.Name), Name: spec.Name, Type: typ, ResourceGroup: g.Name, Location: loc, Tags: spec.Tags, Created: w.now}
	return r, nil
}

func (w *World) addResource(r *Resource) {
	w.resources = append(w.resources, r)
	w.record(&ResourceCreated{ID: r.ID, Type: r.Type})
}

// CreateVM creates a virtual machine with no identity.
func (w *World) CreateVM(spec ResourceSpec) (*Resource, error) {
	r, err := w.newResource(spec, TypeVM)
	if err != nil {
		return nil, err
	}
	r.Identity = &Identity{}
	w.addResource(r)
	return r, nil
}

// CreateScaleSet creates a VM scale set with capacity instances.
func (w *World) CreateScaleSet(spec ResourceSpec, capacity int) (*Resource, error) {
	if capacity < 0 || capacity > 1000 {
		return nil, &Fault{Status: 400, Code: "InvalidParameter", Message: fmt.Sprintf("The value %d of parameter 'sku.capacity' is out of range. The value must be between 0 and 1000, inclusive.", capacity)}
	}
	r, err := w.newResource(spec, TypeScaleSet)
	if err != nil {
		return nil, err
	}
	r.Identity = &Identity{}
	r.ScaleSet = &ScaleSetProps{Capacity: capacity}
	w.addResource(r)
	return r, nil
}

// CreatePlan creates an App Service plan.
func (w *World) CreatePlan(spec ResourceSpec, sku string) (*Resource, error) {
	r, err := w.newResource(spec, TypePlan)
	if err != nil {
		return nil, err
	}
	if sku == "" {
		sku = "B1"
	}
	r.Kind = "linux"
	r.Plan = &PlanProps{SKU: sku}
	w.addResource(r)
	return r, nil
}

// SiteKind tells a web app from a function app.
type SiteKind string

// The kinds of App Service site the playground models.
const (
	WebApp      SiteKind = "app,linux"
	FunctionApp SiteKind = "functionapp,linux"
)

// CreateSite creates a web app or function app on a plan. Site names are
// global: they become {name}.azurewebsites.net.
func (w *World) CreateSite(spec ResourceSpec, planID string, kind SiteKind) (*Resource, error) {
	plan, err := w.Resource(planID)
	if err != nil || plan.Type != TypePlan {
		return nil, &Fault{Status: 404, Code: "NotFound", Message: fmt.Sprintf("The plan '%s' could not be found.", lastSegment(planID))}
	}
	if len(w.FindByName(TypeSite, spec.Name)) > 0 {
		return nil, &Fault{Status: 409, Code: "Conflict", Message: fmt.Sprintf("Website with given name %s already exists.", spec.Name)}
	}
	r, err := w.newResource(spec, TypeSite)
	if err != nil {
		return nil, err
	}
	r.Kind = string(kind)
	r.Identity = &Identity{}
	r.Site = &SiteProps{PlanID: plan.ID, DefaultHost: spec.Name + ".azurewebsites.net", IdentityHeader: w.ids.GUID(), AppSettings: map[string]string{}}
	w.addResource(r)
	return r, nil
}

// CreateStorageAccount creates a storage account with two fresh keys.
// Account names are global.
func (w *World) CreateStorageAccount(spec ResourceSpec) (*Resource, error) {
	if !validStorageName(spec.Name) {
		return nil, &Fault{Status: 400, Code: "AccountNameInvalid", Message: fmt.Sprintf("%s is not a valid storage account name. Storage account name must be between 3 and 24 characters in length and use numbers and lower-case letters only.", spec.Name)}
	}
	if len(w.FindByName(TypeStorageAccount, spec.Name)) > 0 {
		return nil, &Fault{Status: 409, Code: "StorageAccountAlreadyTaken", Message: fmt.Sprintf("The storage account named %s is already taken.", spec.Name)}
	}
	r, err := w.newResource(spec, TypeStorageAccount)
	if err != nil {
		return nil, err
	}
	r.Kind = "StorageV2"
	r.Storage = &StorageProps{Keys: [2]string{w.ids.Key(), w.ids.Key()}, Containers: map[string]*Container{}, AllowSharedKeyAccess: true}
	w.addResource(r)
	return r, nil
}

// CreateKeyVault creates a key vault with the RBAC permission model.
func (w *World) CreateKeyVault(spec ResourceSpec) (*Resource, error) {
	if !validVaultName(spec.Name) || strings.Contains(spec.Name, "--") {
		return nil, &Fault{Status: 400, Code: "VaultNameNotValid", Message: fmt.Sprintf("The name '%s' is invalid. A vault's name must be between 3-24 alphanumeric characters. The name must begin with a letter, end with a letter or digit, and not contain consecutive hyphens.", spec.Name)}
	}
	if len(w.FindByName(TypeKeyVault, spec.Name)) > 0 {
		return nil, &Fault{Status: 409, Code: "VaultAlreadyExists", Message: fmt.Sprintf("The vault name '%s' is already in use. Vault names are globally unique so it is possible that the name is already taken.", spec.Name)}
	}
	r, err := w.newResource(spec, TypeKeyVault)
	if err != nil {
		return nil, err
	}
	r.Vault = &VaultProps{URI: "https://" + strings.ToLower(spec.Name) + ".vault.azure.net/", Secrets: map[string][]*Secret{}}
	w.addResource(r)
	return r, nil
}

// CreateServiceBusNamespace creates a Service Bus namespace with its
// RootManageSharedAccessKey.
func (w *World) CreateServiceBusNamespace(spec ResourceSpec) (*Resource, error) {
	if !validNamespaceName(spec.Name) {
		return nil, &Fault{Status: 400, Code: "BadRequest", Message: fmt.Sprintf("The specified service namespace is invalid. Namespace name '%s' must be between 6 and 50 characters, start with a letter, end with a letter or number, and contain only letters, numbers and hyphens.", spec.Name)}
	}
	if len(w.FindByName(TypeServiceBus, spec.Name)) > 0 {
		return nil, &Fault{Status: 409, Code: "Conflict", Message: fmt.Sprintf("Namespace %s already exists.", spec.Name)}
	}
	r, err := w.newResource(spec, TypeServiceBus)
	if err != nil {
		return nil, err
	}
	r.ServiceBus = &ServiceBusProps{Endpoint: "sb://" + strings.ToLower(spec.Name) + ".servicebus.windows.net/", PrimaryKey: w.ids.Key()[:44], Queues: map[string]*Queue{}}
	w.addResource(r)
	return r, nil
}

// CreateUserIdentity creates a user-assigned managed identity: a resource
// of its own whose service principal Azure creates with it.
func (w *World) CreateUserIdentity(spec ResourceSpec) (*Resource, error) {
	if !validUserIdentityName(spec.Name) {
		return nil, &Fault{Status: 400, Code: "InvalidResourceName", Message: fmt.Sprintf("Resource name '%s' is invalid. The name can contain only letters, numbers, hyphens and underscores, must start with a letter or number, and be 3 to 128 characters long.", spec.Name)}
	}
	r, err := w.newResource(spec, TypeUserIdentity)
	if err != nil {
		return nil, err
	}
	// Azure returns user-assigned identity IDs with "resourcegroups" in lower case.
	r.ID = strings.Replace(r.ID, "/resourceGroups/", "/resourcegroups/", 1)
	sp := w.newManagedPrincipal(spec.Name, r.ID, true)
	r.UserIdentity = &UserIdentityProps{PrincipalID: sp.ObjectID, ClientID: sp.AppID, TenantID: w.Tenant.ID}
	w.addResource(r)
	return r, nil
}

// DeleteResource deletes a resource. A system-assigned identity goes with
// it; a user-assigned identity resource, when deleted, stays referenced by
// the resources it was assigned to, and its role assignments stay, orphaned.
func (w *World) DeleteResource(id string) error {
	r, err := w.Resource(id)
	if err != nil {
		return err
	}
	if r.Type == TypePlan {
		for _, s := range w.resources {
			if s.Site != nil && equalFold(s.Site.PlanID, r.ID) {
				return &Fault{Status: 409, Code: "Conflict", Message: fmt.Sprintf("Server farm '%s' cannot be deleted because it has web app(s) %s assigned to it.", r.Name, s.Name)}
			}
		}
	}
	w.deleteResource(r)
	return nil
}

func (w *World) deleteResource(r *Resource) {
	if r.Identity != nil && r.Identity.SystemAssigned != nil {
		sp, _ := w.PrincipalByObjectID(r.Identity.SystemAssigned.PrincipalID)
		w.deletePrincipal(sp, "its resource was deleted")
	}
	if r.UserIdentity != nil {
		sp, _ := w.PrincipalByObjectID(r.UserIdentity.PrincipalID)
		w.deletePrincipal(sp, "the user-assigned identity was deleted")
	}
	for i, x := range w.resources {
		if x == r {
			w.resources = append(w.resources[:i], w.resources[i+1:]...)
			break
		}
	}
	w.record(&ResourceDeleted{ID: r.ID})
}

func lastSegment(id string) string {
	id = strings.TrimSuffix(id, "/")
	return id[strings.LastIndex(id, "/")+1:]
}

// SortedKeys returns a map's keys in order, for stable output.
func SortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
