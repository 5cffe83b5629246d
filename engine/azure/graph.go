package azure

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/miplay/miplay/engine"
	"github.com/miplay/miplay/engine/token"
)

// Microsoft Graph v1.0 at graph.microsoft.com: the directory as az ad and
// az role assignment see it. The signed-in admin may do everything; an
// application or managed identity token carries no Graph app roles in
// miplay, so Graph refuses it with Authorization_RequestDenied. The
// operations are the ones azure-cli's Graph client sends for az ad sp
// show/list, az ad sp create-for-rbac, az ad sp credential reset and the
// principal lookups of az role assignment.

// graphAudiences are the audiences Graph accepts: its URI with or without
// the trailing slash, and its application ID (v2.0 tokens).
var graphAudiences = []string{"https://graph.microsoft.com/", "https://graph.microsoft.com", "00000003-0000-0000-c000-000000000000"}

const graphAppID = "00000003-0000-0000-c000-000000000000"

// GraphRoutes returns the Microsoft Graph operations miplay serves. Paths
// are under https://graph.microsoft.com/v1.0; Action is the Graph
// application permission an app would need.
func GraphRoutes() []Route {
	table := graphTable()
	out := make([]Route, len(table))
	for i, r := range table {
		out[i] = r.Route
	}
	return out
}

type graphRoute struct {
	Route
	segs  []string
	serve func(g *graphCall)
}

var graphRoutes = []graphRoute{
	{Route: Route{Method: "GET", Path: "/me", Action: "User.Read", Summary: "The signed-in user (az ad signed-in-user show)."}, serve: getMe},
	{Route: Route{Method: "GET", Path: "/users", Action: "User.Read.All", Summary: "List users; $filter: userPrincipalName eq, displayName eq, mail eq, id eq (az ad user list, az role assignment --assignee <upn>)."}, serve: listUsers},
	{Route: Route{Method: "GET", Path: "/users/{id}", Action: "User.Read.All", Summary: "Get a user by object ID or UPN (az ad user show)."}, serve: getUser},
	{Route: Route{Method: "GET", Path: "/servicePrincipals", Action: "Application.Read.All", Summary: "List service principals; $filter: appId eq, displayName eq, startswith(displayName,'...'), servicePrincipalNames/any(c:c eq '...'), servicePrincipalType eq, id eq (az ad sp list)."}, serve: listServicePrincipals},
	{Route: Route{Method: "GET", Path: "/servicePrincipals/{id}", Action: "Application.Read.All", Summary: "Get a service principal by object ID, or by servicePrincipals(appId='...') (az ad sp show)."}, serve: getServicePrincipal},
	{Route: Route{Method: "POST", Path: "/servicePrincipals", Action: "Application.ReadWrite.All", Summary: "Create the service principal of an app registration: {appId, accountEnabled} (az ad sp create, az ad sp create-for-rbac)."}, serve: createServicePrincipal},
	{Route: Route{Method: "POST", Path: "/servicePrincipals/{id}/addPassword", Action: "Application.ReadWrite.All", Summary: "Add a client secret: {passwordCredential:{displayName, endDateTime}}; the answer shows secretText once (az ad sp credential reset)."}, serve: addPassword},
	{Route: Route{Method: "POST", Path: "/servicePrincipals/{id}/removePassword", Action: "Application.ReadWrite.All", Summary: "Remove a client secret: {keyId} (az ad sp credential reset, az ad sp credential delete)."}, serve: removePassword},
	{Route: Route{Method: "GET", Path: "/applications", Action: "Application.Read.All", Summary: "List app registrations; $filter: appId eq, displayName eq, startswith(displayName,'...'), id eq (az ad app list)."}, serve: listApplications},
	{Route: Route{Method: "GET", Path: "/applications/{id}", Action: "Application.Read.All", Summary: "Get an app registration by object ID, or by applications(appId='...') (az ad app show)."}, serve: getApplication},
	{Route: Route{Method: "POST", Path: "/applications", Action: "Application.ReadWrite.All", Summary: "Register an application: {displayName} (az ad app create, az ad sp create-for-rbac)."}, serve: createApplication},
	{Route: Route{Method: "POST", Path: "/applications/{id}/addPassword", Action: "Application.ReadWrite.All", Summary: "Add a client secret to an app registration (az ad sp create-for-rbac, az ad app credential reset)."}, serve: addPassword},
	{Route: Route{Method: "POST", Path: "/applications/{id}/removePassword", Action: "Application.ReadWrite.All", Summary: "Remove a client secret from an app registration: {keyId}."}, serve: removePassword},
	{Route: Route{Method: "POST", Path: "/directoryObjects/getByIds", Action: "Directory.Read.All", Summary: "Resolve object IDs to users, service principals and applications: {ids, types}; deleted objects are left out (az role assignment list fills principalName this way)."}, serve: getByIDs},
}

// graphTable is graphRoutes with their paths split, done on first use
// rather than at start-up, which the browser runs slowly.
var graphTable = sync.OnceValue(func() []graphRoute { return buildGraphTable(graphRoutes) })

func buildGraphTable(rs []graphRoute) []graphRoute {
	for i := range rs {
		rs[i].segs = splitPath(rs[i].Path)
	}
	return rs
}

// A graphCall is one Graph request being served.
type graphCall struct {
	*exchange
	p        map[string]string
	segs     []string
	claims   token.Claims
	reqID    string
	clientID string
}

// alternateKey splits servicePrincipals(appId='...') into the collection
// and a key lookup, as Graph's alternate-key syntax means.
var alternateKey = lazyRegexp(`(?i)^(servicePrincipals|applications)\(appId='([^']*)'\)$`)

// serveGraph is Microsoft Graph.
func (x *exchange) serveGraph() {
	g := &graphCall{exchange: x}
	g.reqID = stableGUID(x.world.Tenant.ID, "graph-request", fmt.Sprint(x.world.NextSeq()))
	g.clientID = x.r.Header.Get("client-request-id")
	if g.clientID == "" {
		g.clientID = g.reqID
	}
	x.w.Header().Set("request-id", g.reqID)
	x.w.Header().Set("client-request-id", g.clientID)

	segs := splitPath(x.r.URL.Path)
	if len(segs) == 0 || segs[0] != "v1.0" {
		version := ""
		if len(segs) > 0 {
			version = segs[0]
		}
		if version == "beta" {
			g.graphError(http.StatusBadRequest, "NotSimulated", "miplay simulates Microsoft Graph v1.0 only; use https://graph.microsoft.com/v1.0.")
			return
		}
		g.graphError(http.StatusBadRequest, "BadRequest", "Invalid version: "+version)
		return
	}
	segs = segs[1:]
	if len(segs) > 0 {
		if m := alternateKey().FindStringSubmatch(segs[0]); m != nil {
			segs = append([]string{m[1], "appId=" + m[2]}, segs[1:]...)
		}
	}
	g.segs = segs
	if !g.authenticate() {
		return
	}
	var route *graphRoute
	var methods []string
	table := graphTable()
	for i := range table {
		p, ok := matchSegments(table[i].segs, segs)
		if !ok {
			continue
		}
		if table[i].Method == x.r.Method {
			route, g.p = &table[i], p
			break
		}
		methods = append(methods, table[i].Method)
	}
	if route == nil {
		if len(methods) > 0 {
			g.graphError(http.StatusBadRequest, "NotSimulated", fmt.Sprintf("miplay does not simulate %s on /v1.0/%s; it serves %s there.", x.r.Method, strings.Join(segs, "/"), strings.Join(methods, ", ")))
			return
		}
		last := ""
		if len(segs) > 0 {
			last = segs[len(segs)-1]
		}
		g.graphError(http.StatusBadRequest, "BadRequest", fmt.Sprintf("Resource not found for the segment '%s'.", last))
		return
	}
	if !g.authorizeGraph(route) {
		return
	}
	route.serve(g)
}

// authenticate checks the bearer token as Graph does.
func (g *graphCall) authenticate() bool {
	raw, ok := g.bearerToken()
	if !ok {
		g.decide("Refused: the request carries no bearer token.")
		g.graphChallenge()
		g.graphError(http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token is empty.")
		return false
	}
	claims, f := g.validate(raw, graphAudiences)
	if f != nil {
		g.decide("Refused: %s %s", f.Kind.Message(), f.Detail)
		msg := "Access token validation failure."
		switch f.Kind {
		case token.Expired:
			msg = "Lifetime validation failed, the token is expired."
		case token.WrongAudience:
			msg = "Access token validation failure. Invalid audience."
		}
		// UNVERIFIED: Graph's words for a badly signed, malformed or not
		// yet valid token.
		g.graphChallenge()
		g.graphError(http.StatusUnauthorized, "InvalidAuthenticationToken", msg)
		return false
	}
	g.claims = claims
	return true
}

func (g *graphCall) graphChallenge() {
	g.w.Header().Set("WWW-Authenticate", `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="`+graphAppID+`"`)
}

// delegated reports whether the token is a user's: the admin signed in to
// az. Tokens of applications and managed identities are app-only.
func (g *graphCall) delegated() bool {
	return g.claims.IDType == "user" || g.claims.Scope != "" || g.claims.UPN != ""
}

// authorizeGraph lets the admin do everything and refuses app-only
// tokens, which miplay never grants Graph app roles.
func (g *graphCall) authorizeGraph(r *graphRoute) bool {
	if g.delegated() {
		g.decide("Allowed: %s is signed in as a user, and miplay's admin may do everything in the directory.", g.claims.UPN)
		return true
	}
	if r.Path == "/me" {
		g.decide("Refused: /me needs a signed-in user; this is an app-only token of %s.", g.claims.AppID)
		g.graphError(http.StatusBadRequest, "BadRequest", "/me request is only valid with delegated authentication flow.")
		return false
	}
	g.decide("Denied: the app-only token of %s (object ID %s) carries no Microsoft Graph app roles (roles claim); %s %s needs %s.", g.claims.AppID, g.claims.ObjectID, r.Method, r.Path, r.Action)
	g.graphError(http.StatusForbidden, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
	return false
}

type graphErrorBody struct {
	Error graphErrorDetail `json:"error"`
}

type graphErrorDetail struct {
	Code       string          `json:"code"`
	Message    string          `json:"message"`
	InnerError graphInnerError `json:"innerError"`
}

type graphInnerError struct {
	Date            string `json:"date"`
	RequestID       string `json:"request-id"`
	ClientRequestID string `json:"client-request-id"`
}

// graphError answers with Graph's error envelope.
func (g *graphCall) graphError(status int, code, message string) {
	if g.decision == "" {
		g.decide("%s: %s", code, message)
	}
	g.writeRaw(status, graphContentType, mustJSON(graphErrorBody{graphErrorDetail{code, message,
		graphInnerError{Date: g.world.Now().UTC().Format("2006-01-02T15:04:05"), RequestID: g.reqID, ClientRequestID: g.clientID}}}))
}

const graphContentType = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("azure: marshal response: " + err.Error())
	}
	return b
}

// fail answers with an engine error.
func (g *graphCall) fail(err error) {
	if f, ok := err.(*engine.Fault); ok {
		g.graphError(f.Status, f.Code, f.Message)
		return
	}
	g.graphError(http.StatusInternalServerError, "InternalServerError", err.Error())
}

func (g *graphCall) reply(status int, v any) {
	if g.decision == "" {
		g.decide("Served %s %s.", g.r.Method, g.r.URL.Path)
	}
	g.writeRaw(status, graphContentType, mustJSON(v))
}

// notFound answers Graph's 404 for an object that does not exist, or no
// longer does: the answer `az ad sp show` turns into exit code 3.
func (g *graphCall) notFound(id string) {
	g.graphError(http.StatusNotFound, "Request_ResourceNotFound", fmt.Sprintf("Resource '%s' does not exist or one of its queried reference-property objects are not present.", id))
}

// decode reads the JSON body.
func (g *graphCall) decode(v any) bool {
	if len(strings.TrimSpace(string(g.body))) == 0 {
		return true
	}
	if err := json.Unmarshal(g.body, v); err != nil {
		// UNVERIFIED: Graph's wording for a body that is not JSON.
		g.graphError(http.StatusBadRequest, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.")
		return false
	}
	return true
}

const graphMetadata = "https://graph.microsoft.com/v1.0/$metadata#"

type graphList struct {
	Context string `json:"@odata.context"`
	Value   []any  `json:"value"`
}

// graphTime is how Graph writes date-times.
func graphTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// ---- Users ----

type graphUser struct {
	ODataContext      string   `json:"@odata.context,omitempty"`
	ODataType         string   `json:"@odata.type,omitempty"`
	BusinessPhones    []string `json:"businessPhones"`
	DisplayName       string   `json:"displayName"`
	GivenName         *string  `json:"givenName"`
	JobTitle          *string  `json:"jobTitle"`
	Mail              *string  `json:"mail"`
	MobilePhone       *string  `json:"mobilePhone"`
	OfficeLocation    *string  `json:"officeLocation"`
	PreferredLanguage *string  `json:"preferredLanguage"`
	Surname           *string  `json:"surname"`
	UserPrincipalName string   `json:"userPrincipalName"`
	ID                string   `json:"id"`
}

func userView(u *engine.User) graphUser {
	out := graphUser{BusinessPhones: []string{}, DisplayName: u.DisplayName, UserPrincipalName: u.UserPrincipalName, ID: u.ObjectID}
	if first, last, ok := strings.Cut(u.DisplayName, " "); ok {
		out.GivenName, out.Surname = &first, &last
	}
	return out
}

func getMe(g *graphCall) {
	u, ok := g.world.UserByObjectID(g.claims.ObjectID)
	if !ok {
		g.notFound(g.claims.ObjectID)
		return
	}
	v := userView(u)
	v.ODataContext = graphMetadata + "users/$entity"
	g.reply(http.StatusOK, v)
}

func (g *graphCall) findUser(id string) (*engine.User, bool) {
	for _, u := range g.world.Users() {
		if strings.EqualFold(u.ObjectID, id) || strings.EqualFold(u.UserPrincipalName, id) {
			return u, true
		}
	}
	return nil, false
}

func getUser(g *graphCall) {
	u, ok := g.findUser(g.p["id"])
	if !ok {
		g.notFound(g.p["id"])
		return
	}
	v := userView(u)
	v.ODataContext = graphMetadata + "users/$entity"
	g.reply(http.StatusOK, v)
}

func listUsers(g *graphCall) {
	match, ok := g.filter("User", func(u any, prop string) ([]string, bool) {
		x := u.(*engine.User)
		switch strings.ToLower(prop) {
		case "userprincipalname", "mail":
			return []string{x.UserPrincipalName}, true
		case "displayname":
			return []string{x.DisplayName}, true
		case "id":
			return []string{x.ObjectID}, true
		}
		return nil, false
	})
	if !ok {
		return
	}
	out := graphList{Context: graphMetadata + "users", Value: []any{}}
	for _, u := range g.world.Users() {
		if match(u) {
			out.Value = append(out.Value, userView(u))
		}
	}
	g.reply(http.StatusOK, out)
}

// ---- Service principals ----

type graphServicePrincipal struct {
	ODataContext                           string                    `json:"@odata.context,omitempty"`
	ODataType                              string                    `json:"@odata.type,omitempty"`
	ID                                     string                    `json:"id"`
	DeletedDateTime                        *string                   `json:"deletedDateTime"`
	AccountEnabled                         bool                      `json:"accountEnabled"`
	AlternativeNames                       []string                  `json:"alternativeNames"`
	AppDisplayName                         *string                   `json:"appDisplayName"`
	AppDescription                         *string                   `json:"appDescription"`
	AppID                                  string                    `json:"appId"`
	ApplicationTemplateID                  *string                   `json:"applicationTemplateId"`
	AppOwnerOrganizationID                 *string                   `json:"appOwnerOrganizationId"`
	AppRoleAssignmentRequired              bool                      `json:"appRoleAssignmentRequired"`
	Description                            *string                   `json:"description"`
	DisabledByMicrosoftStatus              *string                   `json:"disabledByMicrosoftStatus"`
	DisplayName                            string                    `json:"displayName"`
	Homepage                               *string                   `json:"homepage"`
	LoginURL                               *string                   `json:"loginUrl"`
	LogoutURL                              *string                   `json:"logoutUrl"`
	Notes                                  *string                   `json:"notes"`
	NotificationEmailAddresses             []string                  `json:"notificationEmailAddresses"`
	PreferredSingleSignOnMode              *string                   `json:"preferredSingleSignOnMode"`
	PreferredTokenSigningKeyThumbprint     *string                   `json:"preferredTokenSigningKeyThumbprint"`
	ReplyURLs                              []string                  `json:"replyUrls"`
	ServicePrincipalNames                  []string                  `json:"servicePrincipalNames"`
	ServicePrincipalType                   string                    `json:"servicePrincipalType"`
	SignInAudience                         *string                   `json:"signInAudience"`
	Tags                                   []string                  `json:"tags"`
	TokenEncryptionKeyID                   *string                   `json:"tokenEncryptionKeyId"`
	Info                                   *graphInfo                `json:"info"`
	SAMLSingleSignOnSettings               *string                   `json:"samlSingleSignOnSettings"`
	AddIns                                 []any                     `json:"addIns"`
	AppRoles                               []any                     `json:"appRoles"`
	KeyCredentials                         []graphKeyCredential      `json:"keyCredentials"`
	OAuth2PermissionScopes                 []any                     `json:"oauth2PermissionScopes"`
	PasswordCredentials                    []graphPasswordCredential `json:"passwordCredentials"`
	ResourceSpecificApplicationPermissions []any                     `json:"resourceSpecificApplicationPermissions"`
	VerifiedPublisher                      graphVerifiedPublisher    `json:"verifiedPublisher"`
}

type graphInfo struct {
	LogoURL             *string `json:"logoUrl"`
	MarketingURL        *string `json:"marketingUrl"`
	PrivacyStatementURL *string `json:"privacyStatementUrl"`
	SupportURL          *string `json:"supportUrl"`
	TermsOfServiceURL   *string `json:"termsOfServiceUrl"`
}

type graphVerifiedPublisher struct {
	DisplayName         *string `json:"displayName"`
	VerifiedPublisherID *string `json:"verifiedPublisherId"`
	AddedDateTime       *string `json:"addedDateTime"`
}

type graphKeyCredential struct {
	CustomKeyIdentifier string  `json:"customKeyIdentifier"`
	DisplayName         *string `json:"displayName"`
	EndDateTime         string  `json:"endDateTime"`
	Key                 *string `json:"key"`
	KeyID               string  `json:"keyId"`
	StartDateTime       string  `json:"startDateTime"`
	Type                string  `json:"type"`
	Usage               string  `json:"usage"`
}

type graphPasswordCredential struct {
	ODataContext        string  `json:"@odata.context,omitempty"`
	CustomKeyIdentifier *string `json:"customKeyIdentifier"`
	DisplayName         *string `json:"displayName"`
	EndDateTime         string  `json:"endDateTime"`
	Hint                string  `json:"hint"`
	KeyID               string  `json:"keyId"`
	SecretText          *string `json:"secretText"`
	StartDateTime       string  `json:"startDateTime"`
}

func passwordView(s *engine.ClientSecret, withValue bool) graphPasswordCredential {
	p := graphPasswordCredential{EndDateTime: graphTime(s.End), Hint: s.Hint, KeyID: s.KeyID, StartDateTime: graphTime(s.Start)}
	if s.DisplayName != "" {
		name := s.DisplayName
		p.DisplayName = &name
	}
	if withValue {
		v := s.Value
		p.SecretText = &v
	}
	return p
}

// lowerGroups writes a resource ID with "resourcegroups" in lower
// case, as Entra records it in alternativeNames.
func lowerGroups(id string) string {
	if i := strings.Index(strings.ToLower(id), "/resourcegroups/"); i >= 0 {
		return id[:i] + "/resourcegroups/" + id[i+len("/resourcegroups/"):]
	}
	return id
}

func (g *graphCall) servicePrincipalView(sp *engine.ServicePrincipal) graphServicePrincipal {
	out := graphServicePrincipal{
		ID: sp.ObjectID, AccountEnabled: true, AlternativeNames: []string{}, AppID: sp.AppID, DisplayName: sp.DisplayName,
		NotificationEmailAddresses: []string{}, ReplyURLs: []string{}, ServicePrincipalType: string(sp.Type), Tags: []string{},
		AddIns: []any{}, AppRoles: []any{}, KeyCredentials: []graphKeyCredential{}, OAuth2PermissionScopes: []any{},
		PasswordCredentials: []graphPasswordCredential{}, ResourceSpecificApplicationPermissions: []any{},
	}
	if sp.Type == engine.ManagedIdentityPrincipal {
		for _, n := range sp.AlternativeNames {
			out.AlternativeNames = append(out.AlternativeNames, lowerGroups(n))
		}
		// UNVERIFIED: what Entra hashes into the identity.azure.net name;
		// miplay hashes the resource ID, which keeps it stable and unique.
		sum := sha256.Sum256([]byte(strings.ToLower(sp.ResourceID)))
		out.ServicePrincipalNames = []string{sp.AppID, "https://identity.azure.net/" + base64.StdEncoding.EncodeToString(sum[:])}
		if cred := sp.Credential; cred != nil {
			// The certificate Azure holds for the identity and rotates by
			// itself: its thumbprint is the customKeyIdentifier.
			// UNVERIFIED: the credential's displayName (none here).
			out.KeyCredentials = append(out.KeyCredentials, graphKeyCredential{
				CustomKeyIdentifier: cred.Thumbprint, EndDateTime: graphTime(cred.NotAfter), KeyID: stableGUID("keyId", cred.Thumbprint),
				StartDateTime: graphTime(cred.NotBefore), Type: "AsymmetricX509Cert", Usage: "Verify"})
		}
		return out
	}
	name, tenant, audience := sp.DisplayName, g.world.Tenant.ID, "AzureADMyOrg"
	out.AppDisplayName, out.AppOwnerOrganizationID, out.SignInAudience = &name, &tenant, &audience
	out.ServicePrincipalNames = []string{sp.AppID}
	out.Info = &graphInfo{}
	// miplay keeps client secrets on the app registration: the principal
	// shows them, and secrets added through it land there. In Entra the
	// principal has password credentials of its own, so `az ad sp
	// credential reset` leaves the app's create-for-rbac secret working;
	// here it replaces it, as engine.ResetClientSecrets does.
	if app, err := g.world.Application(sp.AppID); err == nil {
		for _, s := range app.Secrets {
			out.PasswordCredentials = append(out.PasswordCredentials, passwordView(s, false))
		}
	}
	return out
}

// principalByKey finds an existing service principal by object ID, or by
// app ID in the alternate-key form.
func (g *graphCall) principalByKey(key string) (*engine.ServicePrincipal, bool) {
	appID, byApp := strings.CutPrefix(key, "appId=")
	for _, sp := range g.world.ServicePrincipals() {
		if byApp && strings.EqualFold(sp.AppID, appID) || !byApp && strings.EqualFold(sp.ObjectID, key) {
			return sp, true
		}
	}
	return nil, false
}

func getServicePrincipal(g *graphCall) {
	sp, ok := g.principalByKey(g.p["id"])
	if !ok {
		g.notFound(strings.TrimPrefix(g.p["id"], "appId="))
		if _, deleted := g.world.PrincipalByObjectID(g.p["id"]); deleted {
			g.decide("Not found: service principal %s was deleted; its role assignments stay, orphaned.", g.p["id"])
		}
		return
	}
	v := g.servicePrincipalView(sp)
	v.ODataContext = graphMetadata + "servicePrincipals/$entity"
	g.reply(http.StatusOK, v)
}

func listServicePrincipals(g *graphCall) {
	match, ok := g.filter("ServicePrincipal", func(o any, prop string) ([]string, bool) {
		sp := o.(*engine.ServicePrincipal)
		switch strings.ToLower(prop) {
		case "appid":
			return []string{sp.AppID}, true
		case "displayname":
			return []string{sp.DisplayName}, true
		case "id":
			return []string{sp.ObjectID}, true
		case "serviceprincipaltype":
			return []string{string(sp.Type)}, true
		case "serviceprincipalnames":
			return g.servicePrincipalView(sp).ServicePrincipalNames, true
		case "alternativenames":
			return g.servicePrincipalView(sp).AlternativeNames, true
		}
		return nil, false
	})
	if !ok {
		return
	}
	out := graphList{Context: graphMetadata + "servicePrincipals", Value: []any{}}
	for _, sp := range g.world.ServicePrincipals() {
		if match(sp) {
			out.Value = append(out.Value, g.servicePrincipalView(sp))
		}
	}
	g.reply(http.StatusOK, out)
}

func createServicePrincipal(g *graphCall) {
	var b struct {
		AppID string `json:"appId"`
	}
	if !g.decode(&b) {
		return
	}
	var app *engine.Application
	for _, a := range g.world.Applications() {
		if strings.EqualFold(a.AppID, b.AppID) {
			app = a
		}
	}
	if app == nil {
		g.graphError(http.StatusBadRequest, "Request_BadRequest", fmt.Sprintf("The appId '%s' of the service principal does not reference a valid application object.", b.AppID))
		return
	}
	sp, err := g.world.CreateServicePrincipalFor(app)
	if err != nil {
		g.fail(err)
		return
	}
	g.decide("Created service principal %s for app %s.", sp.ObjectID, app.AppID)
	v := g.servicePrincipalView(sp)
	v.ODataContext = graphMetadata + "servicePrincipals/$entity"
	g.reply(http.StatusCreated, v)
}

// ---- Applications ----

type graphApplication struct {
	ODataContext           string                    `json:"@odata.context,omitempty"`
	ODataType              string                    `json:"@odata.type,omitempty"`
	ID                     string                    `json:"id"`
	DeletedDateTime        *string                   `json:"deletedDateTime"`
	AppID                  string                    `json:"appId"`
	CreatedDateTime        string                    `json:"createdDateTime"`
	Description            *string                   `json:"description"`
	DisplayName            string                    `json:"displayName"`
	IdentifierURIs         []string                  `json:"identifierUris"`
	Notes                  *string                   `json:"notes"`
	PublisherDomain        string                    `json:"publisherDomain"`
	SignInAudience         string                    `json:"signInAudience"`
	Tags                   []string                  `json:"tags"`
	AppRoles               []any                     `json:"appRoles"`
	KeyCredentials         []any                     `json:"keyCredentials"`
	PasswordCredentials    []graphPasswordCredential `json:"passwordCredentials"`
	RequiredResourceAccess []any                     `json:"requiredResourceAccess"`
	PublicClient           map[string][]string       `json:"publicClient"`
	Web                    graphWeb                  `json:"web"`
}

type graphWeb struct {
	HomePageURL           *string         `json:"homePageUrl"`
	LogoutURL             *string         `json:"logoutUrl"`
	RedirectURIs          []string        `json:"redirectUris"`
	ImplicitGrantSettings map[string]bool `json:"implicitGrantSettings"`
}

func (g *graphCall) applicationView(a *engine.Application) graphApplication {
	out := graphApplication{ID: a.ObjectID, AppID: a.AppID, CreatedDateTime: graphTime(a.Created), DisplayName: a.DisplayName,
		IdentifierURIs: []string{}, PublisherDomain: g.world.Tenant.DefaultDomain, SignInAudience: "AzureADMyOrg", Tags: []string{},
		AppRoles: []any{}, KeyCredentials: []any{}, PasswordCredentials: []graphPasswordCredential{}, RequiredResourceAccess: []any{},
		PublicClient: map[string][]string{"redirectUris": {}},
		Web:          graphWeb{RedirectURIs: []string{}, ImplicitGrantSettings: map[string]bool{"enableAccessTokenIssuance": false, "enableIdTokenIssuance": false}}}
	for _, s := range a.Secrets {
		out.PasswordCredentials = append(out.PasswordCredentials, passwordView(s, false))
	}
	return out
}

// applicationByKey finds an app registration by object ID, or by app ID in
// the alternate-key form.
func (g *graphCall) applicationByKey(key string) (*engine.Application, bool) {
	appID, byApp := strings.CutPrefix(key, "appId=")
	for _, a := range g.world.Applications() {
		if byApp && strings.EqualFold(a.AppID, appID) || !byApp && strings.EqualFold(a.ObjectID, key) {
			return a, true
		}
	}
	return nil, false
}

func getApplication(g *graphCall) {
	a, ok := g.applicationByKey(g.p["id"])
	if !ok {
		g.notFound(strings.TrimPrefix(g.p["id"], "appId="))
		return
	}
	v := g.applicationView(a)
	v.ODataContext = graphMetadata + "applications/$entity"
	g.reply(http.StatusOK, v)
}

func listApplications(g *graphCall) {
	match, ok := g.filter("Application", func(o any, prop string) ([]string, bool) {
		a := o.(*engine.Application)
		switch strings.ToLower(prop) {
		case "appid":
			return []string{a.AppID}, true
		case "displayname":
			return []string{a.DisplayName}, true
		case "id":
			return []string{a.ObjectID}, true
		case "identifieruris":
			return nil, true
		}
		return nil, false
	})
	if !ok {
		return
	}
	out := graphList{Context: graphMetadata + "applications", Value: []any{}}
	for _, a := range g.world.Applications() {
		if match(a) {
			out.Value = append(out.Value, g.applicationView(a))
		}
	}
	g.reply(http.StatusOK, out)
}

func createApplication(g *graphCall) {
	var b struct {
		DisplayName string `json:"displayName"`
	}
	if !g.decode(&b) {
		return
	}
	if strings.TrimSpace(b.DisplayName) == "" {
		// UNVERIFIED: wording.
		g.graphError(http.StatusBadRequest, "Request_BadRequest", "Invalid value specified for property 'displayName' of resource 'Application'.")
		return
	}
	a := g.world.CreateApplication(b.DisplayName)
	g.decide("Registered application %s (%s); it has no service principal until one is created.", a.DisplayName, a.AppID)
	v := g.applicationView(a)
	v.ODataContext = graphMetadata + "applications/$entity"
	g.reply(http.StatusCreated, v)
}

// secretsOwner finds the app registration whose secrets a password
// operation changes: the application itself, or the one behind a service
// principal.
func (g *graphCall) secretsOwner() (*engine.Application, bool) {
	key := g.p["id"]
	if strings.EqualFold(g.segs[0], "applications") {
		a, ok := g.applicationByKey(key)
		if !ok {
			g.notFound(strings.TrimPrefix(key, "appId="))
		}
		return a, ok
	}
	sp, ok := g.principalByKey(key)
	if !ok {
		g.notFound(strings.TrimPrefix(key, "appId="))
		return nil, false
	}
	if sp.Type == engine.ManagedIdentityPrincipal {
		// UNVERIFIED: Graph's wording; Azure manages a managed identity's
		// credentials and nobody else may add any.
		g.graphError(http.StatusBadRequest, "Request_BadRequest", "Credentials of a managed identity are managed by Azure and cannot be added or removed.")
		return nil, false
	}
	a, err := g.world.Application(sp.AppID)
	if err != nil {
		g.fail(err)
		return nil, false
	}
	return a, true
}

func addPassword(g *graphCall) {
	var b struct {
		PasswordCredential struct {
			DisplayName string `json:"displayName"`
			EndDateTime string `json:"endDateTime"`
		} `json:"passwordCredential"`
	}
	if !g.decode(&b) {
		return
	}
	a, ok := g.secretsOwner()
	if !ok {
		return
	}
	// UNVERIFIED: Graph's default lifetime when endDateTime is left out;
	// its documentation says two years.
	lifetime := 2 * 365 * 24 * time.Hour
	if e := b.PasswordCredential.EndDateTime; e != "" {
		end, err := time.Parse(time.RFC3339, e)
		if err != nil || !end.After(g.world.Now()) {
			g.graphError(http.StatusBadRequest, "Request_BadRequest", fmt.Sprintf("Invalid value specified for property 'endDateTime' of resource 'PasswordCredential': '%s'.", e))
			return
		}
		lifetime = end.Sub(g.world.Now())
	}
	s := g.world.AddClientSecret(a, b.PasswordCredential.DisplayName, lifetime)
	g.decide("Added client secret %s... (key %s) to app %s; its value is shown once, in this answer.", s.Hint, s.KeyID, a.AppID)
	v := passwordView(s, true)
	v.ODataContext = graphMetadata + "microsoft.graph.passwordCredential"
	g.reply(http.StatusOK, v)
}

func removePassword(g *graphCall) {
	var b struct {
		KeyID string `json:"keyId"`
	}
	if !g.decode(&b) {
		return
	}
	a, ok := g.secretsOwner()
	if !ok {
		return
	}
	if err := g.world.RemoveClientSecret(a, b.KeyID); err != nil {
		g.fail(err)
		return
	}
	g.decide("Removed client secret %s from app %s.", b.KeyID, a.AppID)
	g.w.WriteHeader(http.StatusNoContent)
}

// ---- Directory objects ----

func getByIDs(g *graphCall) {
	var b struct {
		IDs   []string `json:"ids"`
		Types []string `json:"types"`
	}
	if !g.decode(&b) {
		return
	}
	want := func(t string) bool {
		if len(b.Types) == 0 {
			return true
		}
		for _, x := range b.Types {
			if strings.EqualFold(x, t) {
				return true
			}
		}
		return false
	}
	out := graphList{Context: graphMetadata + "directoryObjects", Value: []any{}}
	for _, id := range b.IDs {
		if u, ok := g.world.UserByObjectID(id); ok && want("user") {
			v := userView(u)
			v.ODataType = "#microsoft.graph.user"
			out.Value = append(out.Value, v)
			continue
		}
		if sp, ok := g.principalByKey(id); ok && want("servicePrincipal") {
			v := g.servicePrincipalView(sp)
			v.ODataType = "#microsoft.graph.servicePrincipal"
			out.Value = append(out.Value, v)
			continue
		}
		if a, ok := g.applicationByKey(id); ok && want("application") {
			v := g.applicationView(a)
			v.ODataType = "#microsoft.graph.application"
			out.Value = append(out.Value, v)
		}
	}
	g.reply(http.StatusOK, out)
}

// ---- $filter ----

var (
	graphEq         = lazyRegexp(`^(\w+)\s+eq\s+'((?:[^']|'')*)'$`)
	graphStartsWith = lazyRegexp(`(?i)^startswith\(\s*(\w+)\s*,\s*'((?:[^']|'')*)'\s*\)$`)
	graphAny        = lazyRegexp(`(?i)^(\w+)/any\(\s*(\w+)\s*:\s*(\w+)\s+eq\s+'((?:[^']|'')*)'\s*\)$`)
)

// filter parses the $filter of a list into a predicate over objects whose
// properties get reads. Clauses are joined by "and". It answers 400 itself
// for what it cannot read.
func (g *graphCall) filter(resource string, get func(o any, prop string) ([]string, bool)) (func(any) bool, bool) {
	f := strings.TrimSpace(g.r.URL.Query().Get("$filter"))
	if f == "" {
		return func(any) bool { return true }, true
	}
	type clause struct {
		prop, value string
		prefix      bool
	}
	var clauses []clause
	for _, s := range andSeparator().Split(f, -1) {
		s = strings.TrimSpace(s)
		var c clause
		switch {
		case graphEq().MatchString(s):
			m := graphEq().FindStringSubmatch(s)
			c = clause{prop: m[1], value: m[2]}
		case graphStartsWith().MatchString(s):
			m := graphStartsWith().FindStringSubmatch(s)
			c = clause{prop: m[1], value: m[2], prefix: true}
		case graphAny().MatchString(s) && graphAny().FindStringSubmatch(s)[2] == graphAny().FindStringSubmatch(s)[3]:
			m := graphAny().FindStringSubmatch(s)
			c = clause{prop: m[1], value: m[4]}
		default:
			g.graphError(http.StatusBadRequest, "BadRequest", fmt.Sprintf("Invalid filter clause: miplay does not simulate '%s'.", s))
			return nil, false
		}
		c.value = strings.ReplaceAll(c.value, "''", "'")
		if _, ok := get(zeroObject(resource), c.prop); !ok {
			g.graphError(http.StatusBadRequest, "Request_UnsupportedQuery", fmt.Sprintf("Unsupported or invalid query filter clause specified for property '%s' of resource '%s'.", c.prop, resource))
			return nil, false
		}
		clauses = append(clauses, c)
	}
	return func(o any) bool {
		for _, c := range clauses {
			values, _ := get(o, c.prop)
			hit := false
			for _, v := range values {
				if c.prefix && len(v) >= len(c.value) && strings.EqualFold(v[:len(c.value)], c.value) ||
					!c.prefix && strings.EqualFold(v, c.value) {
					hit = true
				}
			}
			if !hit {
				return false
			}
		}
		return true
	}, true
}

// zeroObject is a zero object of a resource, for asking get whether it knows a
// property.
func zeroObject(resource string) any {
	switch resource {
	case "User":
		return &engine.User{}
	case "Application":
		return &engine.Application{}
	}
	return &engine.ServicePrincipal{}
}
