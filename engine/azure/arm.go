package azure

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/miplay/miplay/engine"
	"github.com/miplay/miplay/engine/rbac"
	"github.com/miplay/miplay/engine/token"
)

// Azure Resource Manager at management.azure.com: every request carries an
// api-version and a bearer token for ARM, ARM checks Azure RBAC for the
// action the method and path stand for, and then the resource provider
// answers. Real ARM runs long operations asynchronously (201 or 202 with an
// Azure-AsyncOperation header to poll); miplay finishes every operation
// before it answers, with 200 or 201 and the final body for PUT, and 200
// (or 204 when there was nothing to delete) for DELETE.

// armAudiences are the token audiences ARM accepts, in the order its
// InvalidAuthenticationTokenAudience message lists them.
var armAudiences = []string{
	"https://management.core.windows.net/",
	"https://management.core.windows.net",
	"https://management.azure.com/",
	"https://management.azure.com",
}

// A Route is one operation that miplay's Azure Resource Manager or
// Microsoft Graph serves. The shell's az is written against these, and the
// command reference lists them.
type Route struct {
	Method string
	// Path is the URL path with {placeholders}. {scope} stands for any
	// scope: a subscription, a resource group or a resource, as in
	// {scope}/providers/Microsoft.Authorization/roleAssignments.
	Path string
	// APIVersions are the api-versions az sends. ARM requires an
	// api-version on every request; miplay accepts any well-formed one and
	// answers in the shape of these.
	APIVersions []string
	// Action is the Azure RBAC action ARM checks at the scope the request
	// names. For Graph it is the Microsoft Graph application permission an
	// app would need; miplay's Graph grants everything to the signed-in
	// admin and nothing to applications or managed identities.
	Action string
	// Linked is an action ARM also checks on resources the request body
	// links to: assigning a user-assigned identity needs
	// Microsoft.ManagedIdentity/userAssignedIdentities/assign/action on it.
	Linked string
	// Summary says what the operation does, in one sentence.
	Summary string
}

// ARMRoutes returns the Azure Resource Manager operations miplay serves, in
// a stable order.
func ARMRoutes() []Route {
	table := armTable()
	out := make([]Route, len(table))
	for i, r := range table {
		out[i] = r.Route
		out[i].APIVersions = append([]string(nil), r.APIVersions...)
	}
	return out
}

// An armRoute is a Route with its handler.
type armRoute struct {
	Route
	segs []string
	// scope returns where Action is checked; nil means the request path.
	scope func(c *armCall) string
	// list marks a collection GET: a caller who may not read the whole
	// collection but holds roles below it gets the items it may read, as
	// ARM filters collections.
	list  bool
	serve func(c *armCall)
}

// The api-versions az uses, per resource provider.
var (
	resourcesAPI     = []string{"2022-09-01"}
	subscriptionsAPI = []string{"2022-12-01"}
	computeAPI       = []string{"2024-07-01"}
	webAPI           = []string{"2023-12-01"}
	storageAPI       = []string{"2023-05-01"}
	keyVaultAPI      = []string{"2023-07-01"}
	serviceBusAPI    = []string{"2022-10-01-preview"}
	identityAPI      = []string{"2023-01-31"}
	authorizationAPI = []string{"2022-04-01"}
)

// armTable is every ARM route, assembled from the per-provider tables on
// first use rather than at start-up, which the browser runs slowly.
var armTable = sync.OnceValue(func() []armRoute {
	return buildARMTable(resourceRoutes, computeRoutes, webRoutes, storageRoutes, keyVaultRoutes, serviceBusRoutes, identityRoutes, authorizationRoutes,
		extraComputeRoutes, extraWebRoutes)
})

func buildARMTable(groups ...[]armRoute) []armRoute {
	var out []armRoute
	for _, g := range groups {
		for _, r := range g {
			r.segs = splitPath(r.Path)
			out = append(out, r)
		}
	}
	return out
}

func splitPath(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// match matches path segments against a route pattern, case-insensitively
// as ARM does, and returns the placeholders' values.
func (r *armRoute) match(segs []string) (map[string]string, bool) {
	return matchSegments(r.segs, segs)
}

// matchSegments matches path segments against pattern segments.
func matchSegments(pat, segs []string) (map[string]string, bool) {
	p := map[string]string{}
	if len(pat) > 0 && pat[0] == "{scope}" {
		n := len(pat) - 1
		if len(segs) < n {
			return nil, false
		}
		head := segs[:len(segs)-n]
		p["scope"] = "/" + strings.Join(head, "/")
		pat, segs = pat[1:], segs[len(segs)-n:]
	}
	if len(pat) != len(segs) {
		return nil, false
	}
	for i, s := range pat {
		if strings.HasPrefix(s, "{") {
			if segs[i] == "" {
				return nil, false
			}
			p[strings.Trim(s, "{}")] = segs[i]
			continue
		}
		if !strings.EqualFold(s, segs[i]) {
			return nil, false
		}
	}
	return p, true
}

// An armCall is one ARM request being served.
type armCall struct {
	*exchange
	route  *armRoute
	p      map[string]string
	path   string // the request path without a trailing slash
	claims token.Claims
	reqID  string
	// whole is whether the caller may perform the route's action on the
	// whole scope; false on a collection GET means "filter the items".
	whole bool
}

// serveARM is Azure Resource Manager.
func (x *exchange) serveARM() {
	c := &armCall{exchange: x, path: "/" + strings.Trim(x.r.URL.Path, "/")}
	c.reqID = c.derivedGUID("arm-request")
	h := x.w.Header()
	h.Set("Cache-Control", "no-cache")
	h.Set("x-ms-request-id", c.reqID)
	h.Set("x-ms-correlation-request-id", c.reqID)

	// UNVERIFIED: the order of ARM's checks. Captures show a missing token
	// refused with 401 whatever else is wrong with the request, so the
	// token comes first, then the api-version, then the route and RBAC.
	if !c.authenticate() {
		return
	}
	if !c.checkAPIVersion() {
		return
	}
	route, params, methodsHere := c.findRoute()
	if route == nil {
		if len(methodsHere) > 0 {
			c.notSimulated(fmt.Sprintf("miplay does not simulate %s on this path; it serves %s here.", x.r.Method, strings.Join(methodsHere, ", ")))
			return
		}
		c.unknownPath()
		return
	}
	c.route, c.p = route, params
	if sub, ok := params["subscriptionId"]; ok && !strings.EqualFold(sub, x.world.Subscription.ID) {
		c.armError(http.StatusNotFound, "SubscriptionNotFound", fmt.Sprintf("The subscription '%s' could not be found.", sub))
		return
	}
	if scope := c.scope(); route.Action != "" && scope != "" && !c.require(route.Action, scope) {
		return
	}
	route.serve(c)
}

// derivedGUID makes a GUID for response headers from the log position, so
// that serving a request does not draw from the world's ID stream: adding
// a read-only command to a scenario must not change the IDs of what it
// creates afterwards.
func (c *armCall) derivedGUID(kind string) string {
	return stableGUID(c.world.Tenant.ID, kind, strconv.Itoa(c.world.NextSeq()))
}

// stableGUID derives a version-4-shaped GUID from its parts.
func stableGUID(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	b := sum[:16]
	b[6] = (b[6] & 0x0f) | 0x40
	b[8] = (b[8] & 0x3f) | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// authenticate checks the bearer token as ARM does and answers 401 when it
// is refused.
func (c *armCall) authenticate() bool {
	h := c.r.Header.Get("Authorization")
	if strings.TrimSpace(h) == "" {
		c.decide("Refused: the request carries no bearer token.")
		c.challenge("The authentication failed because of missing 'Authorization' header.")
		c.armError(http.StatusUnauthorized, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.")
		return false
	}
	raw, ok := c.bearerToken()
	if !ok {
		c.decide("Refused: the Authorization header is not 'Bearer <token>'.")
		// UNVERIFIED: the challenge's description for a malformed header.
		c.challenge("The authentication failed because of invalid 'Authorization' header.")
		c.armError(http.StatusUnauthorized, "AuthenticationFailedInvalidHeader", "Authentication failed. The 'Authorization' header is provided in an invalid format.")
		return false
	}
	claims, f := c.validate(raw, armAudiences)
	if f != nil {
		c.decide("Refused: %s %s", f.Kind.Message(), f.Detail)
		code, msg := armTokenFailure(f, c.world.Now(), c.world.Tenant.ID)
		// UNVERIFIED: ARM's challenge repeats the reason; captures only
		// show the missing-header description.
		c.challenge(msg)
		c.armError(http.StatusUnauthorized, code, msg)
		return false
	}
	if claims.ObjectID == "" {
		c.decide("Refused: the token has no oid claim.")
		c.armError(http.StatusUnauthorized, "InvalidAuthenticationToken", "The received access token is not valid: at least one of the claims 'puid' or 'altsecid' or 'oid' should be present. If you are accessing as application please make sure service principal is properly created in the tenant.")
		return false
	}
	c.claims = claims
	return true
}

// challenge sets the WWW-Authenticate header ARM sends with a 401.
func (c *armCall) challenge(description string) {
	c.w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Bearer authorization_uri="https://login.windows.net/", error="invalid_token", error_description="%s"`, description))
}

// armTokenFailure words a token refusal as ARM does.
func armTokenFailure(f *token.Failure, now time.Time, tenant string) (code, message string) {
	switch f.Kind {
	case token.Expired:
		exp := time.Unix(f.Claims.ExpiresAt, 0).UTC()
		// ARM prints .NET's invariant "M/d/yyyy h:mm:ss tt".
		const dotnet = "1/2/2006 3:04:05 PM"
		return "ExpiredAuthenticationToken", fmt.Sprintf("The access token expiry UTC time '%s' is earlier than current UTC time '%s'.", exp.Format(dotnet), now.UTC().Format(dotnet))
	case token.WrongAudience:
		return "InvalidAuthenticationTokenAudience", fmt.Sprintf("The access token has been obtained for wrong audience or resource '%s'. It should exactly match with one of the allowed audiences 'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/','https://management.azure.com'.", f.Claims.Audience)
	case token.WrongIssuer:
		return "InvalidAuthenticationTokenTenant", fmt.Sprintf("The access token is from the wrong issuer '%s'. It must match the tenant 'https://sts.windows.net/%s/' associated with this subscription. Please use the authority (URL) 'https://login.windows.net/%s' to get the token. Note, if the subscription is transferred to another tenant there is no impact to the services, but information about new tenant could take time to propagate (up to an hour). If you just transferred your subscription and see this error message, please try back later.", f.Claims.Issuer, tenant, tenant)
	}
	// UNVERIFIED: ARM's words for a token that is malformed, badly signed
	// or not yet valid; "The access token is invalid." is what captures of
	// a refused token show.
	return "InvalidAuthenticationToken", "The access token is invalid."
}

// validAPIVersion is ^\d{4}-\d{2}-\d{2}(-(preview|privatepreview|alpha|beta))?$,
// as plain code: a regexp would be compiled at start-up or on the first
// request, and the browser runs either slowly.
func validAPIVersion(v string) bool {
	if len(v) < 10 || !isDate(v[:10]) {
		return false
	}
	switch v[10:] {
	case "", "-preview", "-privatepreview", "-alpha", "-beta":
		return true
	}
	return false
}

// checkAPIVersion requires the api-version query parameter.
func (c *armCall) checkAPIVersion() bool {
	v := c.r.URL.Query().Get("api-version")
	if v == "" {
		c.decide("Refused: ARM requires ?api-version= on every request.")
		c.armError(http.StatusBadRequest, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.")
		return false
	}
	if !validAPIVersion(v) {
		c.decide("Refused: '%s' is not an api-version.", v)
		// UNVERIFIED: ARM lists the versions the resource type supports; miplay
		// lists those az uses.
		c.armError(http.StatusBadRequest, "InvalidApiVersionParameter", fmt.Sprintf("The api-version '%s' is invalid. The supported versions are '%s'.", v, strings.Join(c.knownVersions(), ",")))
		return false
	}
	return true
}

// knownVersions lists the api-versions of the routes that match the path.
func (c *armCall) knownVersions() []string {
	seen := map[string]bool{}
	var out []string
	segs := splitPath(c.path)
	table := armTable()
	for i := range table {
		if _, ok := table[i].match(segs); ok {
			for _, v := range table[i].APIVersions {
				if !seen[v] {
					seen[v] = true
					out = append(out, v)
				}
			}
		}
	}
	if len(out) == 0 {
		out = resourcesAPI
	}
	return out
}

// findRoute finds the route for the request, or the methods the path
// supports if none matches the method.
func (c *armCall) findRoute() (*armRoute, map[string]string, []string) {
	segs := splitPath(c.path)
	method := c.r.Method
	var methods []string
	table := armTable()
	for i := range table {
		r := &table[i]
		p, ok := r.match(segs)
		if !ok {
			continue
		}
		if r.Method == method {
			return r, p, nil
		}
		methods = append(methods, r.Method)
	}
	return nil, nil, methods
}

// scope is where the route's action is checked.
func (c *armCall) scope() string {
	if c.route.scope != nil {
		return c.route.scope(c)
	}
	return c.path
}

// collectionScope is the scope ARM checks a collection GET at: the path up
// to the provider namespace, as in
// "/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Compute".
func collectionScope(c *armCall) string {
	return c.path[:strings.LastIndex(c.path, "/")]
}

// parentScope is the resource a POST action (listKeys, ...) is performed on.
func parentScope(c *armCall) string {
	return c.path[:strings.LastIndex(c.path, "/")]
}

// require checks RBAC for action at scope and answers 403 if it is denied.
// A collection GET is let through when the caller holds roles below the
// scope: the handler then shows only what it may read.
func (c *armCall) require(action, scope string) bool {
	d := c.authorize(c.claims.ObjectID, action, scope, false)
	c.whole = d.Allowed
	if d.Allowed {
		return true
	}
	if c.route != nil && c.route.list && c.hasRolesBelow(scope) {
		c.decide("%s The caller holds roles below the scope, so ARM lists only what they may read.", d.Reason)
		return true
	}
	c.denied(action, scope)
	return false
}

// allowed reports, without answering, whether the caller may perform
// action at scope. It is how collection GETs filter their items.
func (c *armCall) allowed(action, scope string) bool {
	return c.world.Authorize(c.claims.ObjectID, action, scope, false).Allowed
}

// hasRolesBelow reports whether the caller has an assignment in effect
// strictly inside scope.
func (c *armCall) hasRolesBelow(scope string) bool {
	for _, a := range c.world.RoleAssignments() {
		if strings.EqualFold(a.PrincipalID, c.claims.ObjectID) && rbac.ScopeContains(scope, a.Scope) &&
			a.EffectiveAt(c.world.Now(), c.world.Propagation()) {
			return true
		}
	}
	return false
}

// client names the caller the way ARM's error messages do: a user by UPN,
// an application or managed identity by its application (client) ID.
// Older captures show the object ID in both places for service principals.
func (c *armCall) client() string {
	if c.claims.UPN != "" {
		return c.claims.UPN
	}
	if c.claims.UniqueName != "" {
		return c.claims.UniqueName
	}
	return c.claims.AppID
}

// denied answers 403 AuthorizationFailed in ARM's words.
func (c *armCall) denied(action, scope string) {
	what := "does not have authorization"
	// Role assignment writes may also be refused by an ABAC condition on
	// the caller's own assignment, and ARM says so.
	if strings.EqualFold(action, actRoleAssignmentsWrite) || strings.EqualFold(action, actRoleAssignmentsDelete) {
		what = "does not have authorization or an ABAC condition not fulfilled"
	}
	c.armError(http.StatusForbidden, "AuthorizationFailed", fmt.Sprintf("The client '%s' with object id '%s' %s to perform action '%s' over scope '%s' or the scope is invalid. If access was recently granted, please refresh your credentials.",
		c.client(), c.claims.ObjectID, what, action, scope))
}

// linkedDenied answers 403 LinkedAuthorizationFailed: the caller may write
// the resource but not use what the request links to it.
func (c *armCall) linkedDenied(action, scope, linkedAction string, linked []string) {
	c.armError(http.StatusForbidden, "LinkedAuthorizationFailed", fmt.Sprintf("The client '%s' with object id '%s' has permission to perform action '%s' on scope '%s'; however, it does not have permission to perform action '%s' on the linked scope(s) '%s' or the linked scope(s) are invalid.",
		c.client(), c.claims.ObjectID, action, scope, linkedAction, strings.Join(linked, ",")))
}

// armErrorBody is ARM's error envelope.
type armErrorBody struct {
	Error armErrorDetail `json:"error"`
}

type armErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// armError answers with ARM's {"error":{"code","message"}}.
func (c *armCall) armError(status int, code, message string) {
	if c.decision == "" {
		c.decide("%s: %s", code, message)
	}
	if c.r.Method == http.MethodHead {
		c.w.WriteHeader(status)
		return
	}
	c.writeJSON(status, armErrorBody{armErrorDetail{code, message}})
}

// fail answers with an engine error: a Fault in ARM's format, anything else
// as the bug it is.
func (c *armCall) fail(err error) {
	if f, ok := err.(*engine.Fault); ok {
		c.armError(f.Status, f.Code, f.Message)
		return
	}
	c.armError(http.StatusInternalServerError, "InternalServerError", err.Error())
}

// notSimulated answers for something real that miplay does not model.
func (c *armCall) notSimulated(message string) {
	c.armError(http.StatusBadRequest, "NotSimulated", message)
}

// reply answers with a JSON body.
func (c *armCall) reply(status int, v any) {
	if c.decision == "" {
		c.decide("Served %s %s.", c.r.Method, c.path)
	}
	c.writeJSON(status, v)
}

// replyEmpty answers with a status and no body.
func (c *armCall) replyEmpty(status int) {
	if c.decision == "" {
		c.decide("Served %s %s.", c.r.Method, c.path)
	}
	c.w.WriteHeader(status)
}

// armList is ARM's collection envelope.
type armList struct {
	Value []any `json:"value"`
}

// decode reads the JSON request body into v; an empty body is {}. It
// answers 400 InvalidRequestContent itself when the body is not JSON.
func (c *armCall) decode(v any) bool {
	if len(strings.TrimSpace(string(c.body))) == 0 {
		return true
	}
	if err := json.Unmarshal(c.body, v); err != nil {
		c.armError(http.StatusBadRequest, "InvalidRequestContent", fmt.Sprintf("The request content was invalid and could not be deserialized: '%s'.", err))
		return false
	}
	return true
}

// normalizeLocation turns "West Europe" into "westeurope", as ARM stores it.
func normalizeLocation(l string) string {
	return strings.ToLower(strings.ReplaceAll(l, " ", ""))
}

// requireLocation answers 400 LocationRequired when a create has none.
func (c *armCall) requireLocation(l string) bool {
	if strings.TrimSpace(l) == "" {
		c.armError(http.StatusBadRequest, "LocationRequired", "The location property is required for this definition.")
		return false
	}
	return true
}

// regionNames are the display names the Web and Service Bus providers
// return in place of the location.
var regionNames = map[string]string{
	"westeurope": "West Europe", "northeurope": "North Europe", "uksouth": "UK South", "ukwest": "UK West",
	"francecentral": "France Central", "germanywestcentral": "Germany West Central", "swedencentral": "Sweden Central",
	"eastus": "East US", "eastus2": "East US 2", "westus": "West US", "westus2": "West US 2", "westus3": "West US 3",
	"centralus": "Central US", "southcentralus": "South Central US", "northcentralus": "North Central US",
	"canadacentral": "Canada Central", "brazilsouth": "Brazil South", "australiaeast": "Australia East",
	"southeastasia": "Southeast Asia", "eastasia": "East Asia", "japaneast": "Japan East", "centralindia": "Central India",
}

func regionName(l string) string {
	if n, ok := regionNames[normalizeLocation(l)]; ok {
		return n
	}
	return l
}

// Timestamp formats of the resource providers.
const (
	armTime7       = "2006-01-02T15:04:05.0000000Z"      // Authorization, Storage
	computeTime    = "2006-01-02T15:04:05.0000000+00:00" // Compute
	serviceBusTime = "2006-01-02T15:04:05.000Z"          // Service Bus
)

// unknownPath answers for a path no route matches: an unknown namespace,
// a resource type ARM does not have, or one miplay does not simulate.
func (c *armCall) unknownPath() {
	segs := splitPath(c.path)
	ns, types := "", []string(nil)
	for i := 0; i+1 < len(segs); i++ {
		if strings.EqualFold(segs[i], "providers") {
			ns = segs[i+1]
			types = nil
			for j := i + 2; j < len(segs); j += 2 {
				types = append(types, segs[j])
			}
		}
	}
	v := c.r.URL.Query().Get("api-version")
	switch {
	case ns == "":
		// UNVERIFIED: ARM's answer to a path that is not a resource path.
		c.armError(http.StatusBadRequest, "InvalidRequestUri", fmt.Sprintf("The request URI '%s' is not valid. miplay serves subscriptions, resource groups and the resource types listed by 'az --help'.", c.path))
	case !knownNamespace(ns):
		c.armError(http.StatusNotFound, "InvalidResourceNamespace", fmt.Sprintf("The resource namespace '%s' is invalid.", ns))
	case !simulatedNamespace(ns):
		c.notSimulated(fmt.Sprintf("The resource provider '%s' is real, but miplay does not simulate it. Simulated: %s.", ns, strings.Join(simulatedTypes(), ", ")))
	case len(types) > 0 && !knownType(ns, types[0]):
		c.armError(http.StatusBadRequest, "InvalidResourceType", fmt.Sprintf("The resource type '%s' could not be found in the namespace '%s' for api version '%s'.", types[0], ns, v))
	default:
		typ := ns
		if len(types) > 0 {
			typ += "/" + strings.Join(types, "/")
		}
		c.notSimulated(fmt.Sprintf("miplay does not simulate %s %s (type '%s'). Simulated: %s.", c.r.Method, c.path, typ, strings.Join(simulatedTypes(), ", ")))
	}
}

// realNamespaces are resource provider namespaces that exist in Azure.
var realNamespaces = []string{
	"Microsoft.AlertsManagement", "Microsoft.ApiManagement", "Microsoft.App", "Microsoft.AppConfiguration",
	"Microsoft.Authorization", "Microsoft.Automation", "Microsoft.Batch", "Microsoft.Cache", "Microsoft.Cdn",
	"Microsoft.CognitiveServices", "Microsoft.Compute", "Microsoft.ContainerInstance", "Microsoft.ContainerRegistry",
	"Microsoft.ContainerService", "Microsoft.DataFactory", "Microsoft.Databricks", "Microsoft.DBforMySQL",
	"Microsoft.DBforPostgreSQL", "Microsoft.DevCenter", "Microsoft.Devices", "Microsoft.DocumentDB",
	"Microsoft.EventGrid", "Microsoft.EventHub", "Microsoft.Features", "Microsoft.HybridCompute", "Microsoft.Insights",
	"Microsoft.KeyVault", "Microsoft.Kubernetes", "Microsoft.Logic", "Microsoft.MachineLearningServices",
	"Microsoft.Management", "Microsoft.ManagedIdentity", "Microsoft.Network", "Microsoft.OperationalInsights",
	"Microsoft.PolicyInsights", "Microsoft.Portal", "Microsoft.RecoveryServices", "Microsoft.Relay",
	"Microsoft.Resources", "Microsoft.Search", "Microsoft.Security", "Microsoft.ServiceBus", "Microsoft.SignalRService",
	"Microsoft.Sql", "Microsoft.Storage", "Microsoft.StreamAnalytics", "Microsoft.Synapse", "Microsoft.Web",
}

// realTypes are resource types of the simulated namespaces that exist in
// Azure but that miplay does not simulate.
var realTypes = map[string][]string{
	"microsoft.compute":         {"disks", "snapshots", "images", "availabilitySets", "galleries", "sshPublicKeys", "proximityPlacementGroups", "locations", "operations"},
	"microsoft.web":             {"certificates", "staticSites", "hostingEnvironments", "connections", "locations", "deletedSites"},
	"microsoft.storage":         {"locations", "deletedAccounts", "checkNameAvailability", "operations"},
	"microsoft.keyvault":        {"managedHSMs", "deletedVaults", "locations", "checkNameAvailability", "operations"},
	"microsoft.servicebus":      {"locations", "checkNameAvailability", "operations", "premiumMessagingRegions"},
	"microsoft.managedidentity": {"identities", "operations"},
	"microsoft.authorization":   {"policyAssignments", "policyDefinitions", "locks", "denyAssignments", "classicAdministrators", "permissions", "providerOperations", "roleManagementPolicies", "roleEligibilitySchedules", "elevateAccess"},
	"microsoft.resources":       {"deployments", "tags", "links", "deploymentScripts", "templateSpecs", "deploymentStacks", "resources"},
}

func knownNamespace(ns string) bool {
	for _, n := range realNamespaces {
		if strings.EqualFold(n, ns) {
			return true
		}
	}
	return false
}

func simulatedNamespace(ns string) bool {
	_, ok := realTypes[strings.ToLower(ns)]
	return ok
}

func knownType(ns, typ string) bool {
	for _, t := range realTypes[strings.ToLower(ns)] {
		if strings.EqualFold(t, typ) {
			return true
		}
	}
	for _, t := range simulatedTypes() {
		if strings.EqualFold(t, ns+"/"+typ) || strings.HasPrefix(strings.ToLower(t), strings.ToLower(ns+"/"+typ+"/")) {
			return true
		}
	}
	return false
}

// simulatedTypes lists the resource types the route table serves.
func simulatedTypes() []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range armTable() {
		segs := r.segs
		for i := 0; i+2 < len(segs); i++ {
			if segs[i] == "providers" && !strings.HasPrefix(segs[i+1], "{") {
				t := segs[i+1]
				for j := i + 2; j < len(segs); j += 2 {
					t += "/" + segs[j]
				}
				if !seen[strings.ToLower(t)] {
					seen[strings.ToLower(t)] = true
					out = append(out, t)
				}
				break
			}
		}
	}
	sort.Strings(out)
	return out
}

// ---- Subscriptions, resource groups, and the generic resources list ----

const (
	actGroupRead      = "Microsoft.Resources/subscriptions/resourceGroups/read"
	actGroupWrite     = "Microsoft.Resources/subscriptions/resourceGroups/write"
	actGroupDelete    = "Microsoft.Resources/subscriptions/resourceGroups/delete"
	actResourcesRead  = "Microsoft.Resources/subscriptions/resources/read"
	actGroupResources = "Microsoft.Resources/subscriptions/resourceGroups/resources/read"
)

var resourceRoutes = []armRoute{
	{Route: Route{Method: "GET", Path: "/subscriptions", APIVersions: subscriptionsAPI,
		Summary: "List the subscriptions the caller has a role in (az login, az account list)."}, serve: listSubscriptions},
	{Route: Route{Method: "GET", Path: "/subscriptions/{subscriptionId}", APIVersions: subscriptionsAPI,
		Summary: "Get the subscription."}, serve: getSubscription},
	{Route: Route{Method: "GET", Path: "/subscriptions/{subscriptionId}/resourcegroups", APIVersions: resourcesAPI, Action: actGroupRead,
		Summary: "List resource groups."}, scope: subscriptionScope, list: true, serve: listGroups},
	{Route: Route{Method: "GET", Path: "/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}", APIVersions: resourcesAPI, Action: actGroupRead,
		Summary: "Get a resource group."}, serve: getGroup},
	{Route: Route{Method: "HEAD", Path: "/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}", APIVersions: resourcesAPI, Action: actGroupRead,
		Summary: "Check whether a resource group exists: 204 or 404."}, serve: headGroup},
	{Route: Route{Method: "PUT", Path: "/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}", APIVersions: resourcesAPI, Action: actGroupWrite,
		Summary: "Create or update a resource group: location (required), tags."}, serve: putGroup},
	{Route: Route{Method: "PATCH", Path: "/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}", APIVersions: resourcesAPI, Action: actGroupWrite,
		Summary: "Update a resource group's tags."}, serve: patchGroup},
	{Route: Route{Method: "DELETE", Path: "/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}", APIVersions: resourcesAPI, Action: actGroupDelete,
		Summary: "Delete a resource group and everything in it."}, serve: deleteGroup},
	{Route: Route{Method: "GET", Path: "/subscriptions/{subscriptionId}/resources", APIVersions: resourcesAPI, Action: actResourcesRead,
		Summary: "List resources ($filter: name, resourceType, location, resourceGroup, tagName and tagValue eq, startswith(tagName, ...), substringof(..., name), joined by 'and'; $expand: createdTime, changedTime, provisioningState) (az resource list)."}, scope: subscriptionScope, list: true, serve: listResources},
	{Route: Route{Method: "GET", Path: "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/resources", APIVersions: resourcesAPI, Action: actGroupResources,
		Summary: "List the resources of a resource group ($filter as above)."}, scope: parentScope, list: true, serve: listResources},
}

func subscriptionScope(c *armCall) string { return "/subscriptions/" + c.p["subscriptionId"] }

// armSubscription is a subscription as ARM lists it.
type armSubscription struct {
	ID                   string            `json:"id"`
	AuthorizationSource  string            `json:"authorizationSource"`
	ManagedByTenants     []any             `json:"managedByTenants"`
	SubscriptionID       string            `json:"subscriptionId"`
	TenantID             string            `json:"tenantId"`
	DisplayName          string            `json:"displayName"`
	State                string            `json:"state"`
	SubscriptionPolicies map[string]string `json:"subscriptionPolicies"`
}

func (c *armCall) subscriptionJSON() armSubscription {
	s := c.world.Subscription
	return armSubscription{
		ID: s.Scope(), AuthorizationSource: "RoleBased", ManagedByTenants: []any{},
		SubscriptionID: s.ID, TenantID: c.world.Tenant.ID, DisplayName: s.DisplayName, State: "Enabled",
		SubscriptionPolicies: map[string]string{"locationPlacementId": "Public_2014-09-01", "quotaId": "PayAsYouGo_2014-09-01", "spendingLimit": "Off"},
	}
}

// seesSubscription reports whether the caller holds any role assignment in
// effect at, above or below the subscription: what makes a subscription
// show up in `az login`.
func (c *armCall) seesSubscription() bool {
	sub := c.world.Subscription.Scope()
	for _, a := range c.world.RoleAssignments() {
		if strings.EqualFold(a.PrincipalID, c.claims.ObjectID) && a.EffectiveAt(c.world.Now(), c.world.Propagation()) &&
			(rbac.ScopeContains(sub, a.Scope) || rbac.ScopeContains(a.Scope, sub)) {
			return true
		}
	}
	return false
}

func listSubscriptions(c *armCall) {
	out := armList{Value: []any{}}
	if c.seesSubscription() {
		out.Value = append(out.Value, c.subscriptionJSON())
		c.decide("Listed subscription %s: the caller holds a role in it.", c.world.Subscription.ID)
	} else {
		c.decide("Listed no subscriptions: the caller holds no role assignment in any.")
	}
	c.reply(http.StatusOK, out)
}

func getSubscription(c *armCall) {
	if !c.seesSubscription() {
		// UNVERIFIED: a caller with no role in the subscription is told it
		// does not exist rather than that it may not see it.
		c.armError(http.StatusNotFound, "SubscriptionNotFound", fmt.Sprintf("The subscription '%s' could not be found.", c.p["subscriptionId"]))
		return
	}
	c.reply(http.StatusOK, c.subscriptionJSON())
}

// armGroup is a resource group as ARM returns it.
type armGroup struct {
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	Type       string            `json:"type"`
	Location   string            `json:"location"`
	Tags       map[string]string `json:"tags,omitempty"`
	Properties provisioned       `json:"properties"`
}

type provisioned struct {
	ProvisioningState string `json:"provisioningState"`
}

var succeeded = provisioned{"Succeeded"}

func groupJSON(g *engine.ResourceGroup) armGroup {
	return armGroup{ID: g.ID, Name: g.Name, Type: "Microsoft.Resources/resourceGroups", Location: g.Location, Tags: g.Tags, Properties: succeeded}
}

func listGroups(c *armCall) {
	out := armList{Value: []any{}}
	for _, g := range c.world.ResourceGroups() {
		if c.whole || c.allowed(actGroupRead, g.ID) {
			out.Value = append(out.Value, groupJSON(g))
		}
	}
	c.reply(http.StatusOK, out)
}

func getGroup(c *armCall) {
	g, err := c.world.ResourceGroup(c.p["resourceGroupName"])
	if err != nil {
		c.fail(err)
		return
	}
	c.reply(http.StatusOK, groupJSON(g))
}

func headGroup(c *armCall) {
	if _, err := c.world.ResourceGroup(c.p["resourceGroupName"]); err != nil {
		c.decide("Resource group %s does not exist.", c.p["resourceGroupName"])
		c.replyEmpty(http.StatusNotFound)
		return
	}
	c.replyEmpty(http.StatusNoContent)
}

// groupBody is the body of a resource group PUT or PATCH.
type groupBody struct {
	Location string            `json:"location"`
	Tags     map[string]string `json:"tags"`
}

func putGroup(c *armCall) {
	var b groupBody
	if !c.decode(&b) {
		return
	}
	name := c.p["resourceGroupName"]
	if g, err := c.world.ResourceGroup(name); err == nil {
		if b.Location != "" && normalizeLocation(b.Location) != normalizeLocation(g.Location) {
			c.armError(http.StatusConflict, "InvalidResourceGroupLocation", fmt.Sprintf("Invalid resource group location '%s'. The Resource group already exists in location '%s'.", normalizeLocation(b.Location), g.Location))
			return
		}
		c.world.SetGroupTags(g, b.Tags)
		c.reply(http.StatusOK, groupJSON(g))
		return
	}
	if !c.requireLocation(b.Location) {
		return
	}
	g, err := c.world.CreateResourceGroup(name, normalizeLocation(b.Location))
	if err != nil {
		c.fail(err)
		return
	}
	if len(b.Tags) > 0 {
		c.world.SetGroupTags(g, b.Tags)
	}
	c.reply(http.StatusCreated, groupJSON(g))
}

func patchGroup(c *armCall) {
	var b groupBody
	if !c.decode(&b) {
		return
	}
	g, err := c.world.ResourceGroup(c.p["resourceGroupName"])
	if err != nil {
		c.fail(err)
		return
	}
	if b.Tags != nil {
		c.world.SetGroupTags(g, b.Tags)
	}
	c.reply(http.StatusOK, groupJSON(g))
}

func deleteGroup(c *armCall) {
	if err := c.world.DeleteResourceGroup(c.p["resourceGroupName"]); err != nil {
		c.fail(err)
		return
	}
	// Real ARM answers 202 Accepted and deletes in the background.
	c.replyEmpty(http.StatusOK)
}

// ---- Helpers shared by the resource providers ----

// resourceBody is what every resource PUT and PATCH may carry.
type resourceBody struct {
	Location string            `json:"location"`
	Tags     map[string]string `json:"tags"`
	Kind     string            `json:"kind"`
	Identity *identityBody     `json:"identity"`
	SKU      *skuBody          `json:"sku"`
}

type skuBody struct {
	Name     string `json:"name"`
	Capacity *int   `json:"capacity"`
}

// find looks up the resource a route names in its resource group.
func (c *armCall) find(typ, nameParam string) (*engine.Resource, bool) {
	r, err := c.world.FindResource(c.p["resourceGroupName"], typ, c.p[nameParam])
	if err != nil {
		c.fail(err)
		return nil, false
	}
	return r, true
}

// listOf lists resources of a type, in a resource group if the route names
// one, keeping those the caller may read when the collection check was
// passed only thanks to roles below it.
func (c *armCall) listOf(typ string, render func(*engine.Resource) any) {
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
	out := armList{Value: []any{}}
	for _, r := range rs {
		if !strings.EqualFold(r.Type, typ) {
			continue
		}
		if !c.whole && !c.allowed(c.route.Action, r.ID) {
			continue
		}
		out.Value = append(out.Value, render(r))
	}
	c.reply(http.StatusOK, out)
}

// deleteResource deletes the resource a route names: 200, or 204 when it
// does not exist (the resource group must).
func (c *armCall) deleteResource(typ, nameParam string) {
	if _, err := c.world.ResourceGroup(c.p["resourceGroupName"]); err != nil {
		c.fail(err)
		return
	}
	r, err := c.world.FindResource(c.p["resourceGroupName"], typ, c.p[nameParam])
	if err != nil {
		c.decide("Nothing to delete: %s does not exist.", c.path)
		c.replyEmpty(http.StatusNoContent)
		return
	}
	if err := c.world.DeleteResource(r.ID); err != nil {
		c.fail(err)
		return
	}
	c.replyEmpty(http.StatusOK)
}

// newSpec is the spec for a resource a PUT creates.
func (c *armCall) newSpec(nameParam string, b resourceBody) engine.ResourceSpec {
	return engine.ResourceSpec{Group: c.p["resourceGroupName"], Name: c.p[nameParam], Location: normalizeLocation(b.Location), Tags: b.Tags}
}

// setTags replaces tags on a PUT of an existing resource, or on a PATCH
// that carries them.
func (c *armCall) setTags(r *engine.Resource, tags map[string]string, put bool) {
	if tags == nil && !put {
		return
	}
	if len(tags) == 0 && len(r.Tags) == 0 {
		return
	}
	c.world.SetTags(r, tags)
}

// putTracked answers the PUT of a resource whose only settable properties
// are its location and tags: an existing resource gets the body's tags
// (200); otherwise, once the resource group is known to exist and the body
// names a location, create makes it (201).
func (c *armCall) putTracked(typ, nameParam string, b resourceBody, create func(engine.ResourceSpec) (*engine.Resource, error), view func(*engine.Resource) any) {
	r, err := c.world.FindResource(c.p["resourceGroupName"], typ, c.p[nameParam])
	if err == nil {
		c.setTags(r, b.Tags, true)
		c.reply(http.StatusOK, view(r))
		return
	}
	if engine.IsFault(err, "ResourceGroupNotFound") {
		c.fail(err)
		return
	}
	if !c.requireLocation(b.Location) {
		return
	}
	if r, err = create(c.newSpec(nameParam, b)); err != nil {
		c.fail(err)
		return
	}
	c.reply(http.StatusCreated, view(r))
}

// patchTags answers the PATCH of a resource whose only changeable property
// is its tags.
func (c *armCall) patchTags(typ, nameParam string, view func(*engine.Resource) any) {
	var b resourceBody
	if !c.decode(&b) {
		return
	}
	if r, ok := c.find(typ, nameParam); ok {
		c.setTags(r, b.Tags, false)
		c.reply(http.StatusOK, view(r))
	}
}

// created is the HTTP status of a PUT: 201 for a new resource, 200 for an
// update.
func created(isNew bool) int {
	if isNew {
		return http.StatusCreated
	}
	return http.StatusOK
}
