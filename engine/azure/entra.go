package azure

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/miplay/miplay/engine"
)

// Microsoft Entra ID at login.microsoftonline.com: the client credentials
// grant on the v1.0 and v2.0 token endpoints, the OpenID Connect discovery
// documents, and the signing keys. A tenant is named in the path by its ID
// or its default domain; "common", "organizations" and "consumers" serve
// discovery and keys with Entra's {tenantid} template, but cannot issue a
// client credentials token because they name no tenant.

const entraBase = "https://" + LoginHost

// entraErrorBody is Entra ID's error JSON, in Entra ID's member order.
type entraErrorBody struct {
	Error         string `json:"error"`
	Description   string `json:"error_description"`
	ErrorCodes    []int  `json:"error_codes,omitempty"`
	Timestamp     string `json:"timestamp"`
	TraceID       string `json:"trace_id"`
	CorrelationID string `json:"correlation_id"`
	ErrorURI      string `json:"error_uri,omitempty"`
}

// entraV1Token is the v1.0 endpoint's token response: numbers as strings.
type entraV1Token struct {
	TokenType    string `json:"token_type"`
	ExpiresIn    string `json:"expires_in"`
	ExtExpiresIn string `json:"ext_expires_in"`
	ExpiresOn    string `json:"expires_on"`
	NotBefore    string `json:"not_before"`
	Resource     string `json:"resource"`
	AccessToken  string `json:"access_token"`
}

// entraV2Token is the v2.0 endpoint's token response: numbers as numbers.
type entraV2Token struct {
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	ExtExpiresIn int64  `json:"ext_expires_in"`
	AccessToken  string `json:"access_token"`
}

// entraTimestamp is how Entra ID writes times in errors.
func entraTimestamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05Z") }

// entraDescription appends the trace suffix Entra ID adds to every error
// description. Captures before 2024 separate the parts with "\r\n"; current
// ones with a space, which the playground follows.
func (x *exchange) entraDescription(desc, traceID, correlationID string) string {
	return fmt.Sprintf("%s Trace ID: %s Correlation ID: %s Timestamp: %s", desc, traceID, correlationID, entraTimestamp(x.world.Now()))
}

// entraCorrelation is the request's correlation ID: Entra ID adopts the
// client-request-id a client sends (MSAL does), and makes one up otherwise.
func (x *exchange) entraCorrelation() string {
	if id := strings.TrimSpace(x.r.Header.Get("Client-Request-Id")); engine.IsGUID(id) {
		return strings.ToLower(id)
	}
	return x.world.NewGUID()
}

// entraHeaders sets the headers of a token endpoint answer.
func (x *exchange) entraHeaders(traceID, correlationID string) {
	h := x.w.Header()
	h.Set("Cache-Control", "no-store, no-cache")
	h.Set("Pragma", "no-cache")
	h.Set("X-Ms-Request-Id", traceID)
	if id := x.r.Header.Get("Client-Request-Id"); id != "" {
		h.Set("Client-Request-Id", correlationID)
	}
}

// entraFail writes an Entra ID error. A code of 0 means the answer is the
// playground's own (a "not simulated" note) and has no AADSTS number.
func (x *exchange) entraFail(status int, errCode string, code int, desc string) {
	trace, corr := x.world.NewGUID(), x.entraCorrelation()
	x.entraHeaders(trace, corr)
	body := entraErrorBody{
		Error:         errCode,
		Description:   x.entraDescription(desc, trace, corr),
		Timestamp:     entraTimestamp(x.world.Now()),
		TraceID:       trace,
		CorrelationID: corr,
	}
	if code != 0 {
		body.ErrorCodes = []int{code}
		body.ErrorURI = entraBase + "/error?code=" + strconv.Itoa(code)
	}
	x.writeRaw(status, "application/json; charset=utf-8", imdsJSON(body))
}

func (x *exchange) entraFailWith(e *engine.EntraError) {
	x.entraFail(e.Status, e.Err, e.Code, e.Description)
}

// entraTenant is how a path's tenant segment resolved.
type entraTenant int

const (
	tenantUnknown entraTenant = iota
	tenantOwn                 // the world's tenant, by ID or default domain
	tenantMulti               // common, organizations, consumers
)

func (x *exchange) entraResolve(segment string) entraTenant {
	switch s := strings.ToLower(segment); {
	case s == "common" || s == "organizations" || s == "consumers":
		return tenantMulti
	case strings.EqualFold(s, x.world.Tenant.ID) || strings.EqualFold(s, x.world.Tenant.DefaultDomain):
		return tenantOwn
	}
	return tenantUnknown
}

func (x *exchange) entraTenantNotFound(segment, errCode string) {
	x.decide("Entra ID refused: there is no tenant %q; this tenant is %s (%s).", segment, x.world.Tenant.ID, x.world.Tenant.DefaultDomain)
	x.entraFail(http.StatusBadRequest, errCode, 90002, fmt.Sprintf("AADSTS90002: Tenant '%s' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.", segment))
}

// serveEntra answers a request to login.microsoftonline.com.
func (x *exchange) serveEntra() {
	parts := strings.Split(strings.Trim(x.r.URL.Path, "/"), "/")
	tenant := parts[0]
	rest := strings.ToLower(strings.Join(parts[1:], "/"))
	switch rest {
	case "oauth2/v2.0/token":
		x.serveEntraToken(tenant, true)
	case "oauth2/token":
		x.serveEntraToken(tenant, false)
	case ".well-known/openid-configuration":
		x.serveEntraDiscovery(tenant, false)
	case "v2.0/.well-known/openid-configuration":
		x.serveEntraDiscovery(tenant, true)
	case "discovery/keys":
		x.serveEntraKeys(tenant, false)
	case "discovery/v2.0/keys":
		x.serveEntraKeys(tenant, true)
	default:
		x.decide("Not simulated: the playground's Entra ID serves only the client credentials token endpoints, discovery documents and signing keys, not %s.", x.r.URL.Path)
		x.writeRaw(http.StatusNotImplemented, "application/json; charset=utf-8", imdsJSON(struct {
			Error       string `json:"error"`
			Description string `json:"error_description"`
		}{"not_simulated", "Not simulated: miplay's Entra ID serves /{tenant}/oauth2/token, /{tenant}/oauth2/v2.0/token (client credentials), the OpenID Connect discovery documents and the signing keys; interactive sign-in and other endpoints are not simulated."}))
	}
}

// entraGrants are the grant types Entra ID supports that the playground
// does not model; any other is unsupported in Entra ID too.
var entraGrants = map[string]bool{
	"authorization_code": true, "refresh_token": true, "password": true,
	"urn:ietf:params:oauth:grant-type:device_code": true,
	"device_code": true,
	"urn:ietf:params:oauth:grant-type:jwt-bearer":     true,
	"urn:ietf:params:oauth:grant-type:saml1_1-bearer": true,
	"urn:ietf:params:oauth:grant-type:saml2-bearer":   true,
}

func (x *exchange) serveEntraToken(tenant string, v2 bool) {
	endpoint := "v1.0"
	if v2 {
		endpoint = "v2.0"
	}
	if x.r.Method != http.MethodPost {
		x.decide("Entra ID refused: its token endpoint takes only POST, not %s.", x.r.Method)
		x.entraFail(http.StatusBadRequest, "invalid_request", 900561, fmt.Sprintf("AADSTS900561: The endpoint only accepts POST, OPTIONS requests. Received a %s request.", x.r.Method))
		return
	}
	switch x.entraResolve(tenant) {
	case tenantUnknown:
		// At the token endpoint Entra ID reports an unknown tenant as
		// invalid_request; discovery says invalid_tenant.
		x.entraTenantNotFound(tenant, "invalid_request")
		return
	case tenantMulti:
		// UNVERIFIED: a client credentials request to a multi-tenant alias;
		// the playground answers with Entra ID's error for a request that
		// does not say which tenant it is for.
		x.decide("Entra ID refused: %q names no tenant, and an app signing in as itself (client credentials) must name its tenant: use %s or %s.", tenant, x.world.Tenant.ID, x.world.Tenant.DefaultDomain)
		x.entraFail(http.StatusBadRequest, "invalid_request", 50059, "AADSTS50059: No tenant-identifying information found in either the request or implied by any provided credentials.")
		return
	}
	form := x.entraForm()
	grant := form.Get("grant_type")
	switch {
	case grant == "":
		x.entraMissing("grant_type")
		return
	case entraGrants[grant]:
		x.decide("Not simulated: the %s grant is real, but the playground's Entra ID issues tokens only for client credentials (and to managed identities).", grant)
		x.entraFail(http.StatusBadRequest, "unsupported_grant_type", 0, fmt.Sprintf("Not simulated: miplay's Entra ID supports only grant_type=client_credentials; the '%s' grant is not simulated.", grant))
		return
	case grant != "client_credentials":
		x.decide("Entra ID refused: %q is not an OAuth grant type it knows; an app signing in as itself uses client_credentials.", grant)
		x.entraFail(http.StatusBadRequest, "unsupported_grant_type", 70003, fmt.Sprintf("AADSTS70003: The app requested an unsupported grant type '%s'.", grant))
		return
	}
	clientID, secret := form.Get("client_id"), form.Get("client_secret")
	if user, pass, ok := entraBasic(x.r); ok {
		// RFC 6749 §2.3.1: client_secret_basic, each part form-encoded.
		if clientID == "" {
			clientID = user
		}
		if secret == "" && (strings.EqualFold(user, clientID)) {
			secret = pass
		}
	}
	if clientID == "" {
		x.entraMissing("client_id")
		return
	}
	var resource string
	if v2 {
		scope := form.Get("scope")
		if scope == "" {
			x.entraMissing("scope")
			return
		}
		// MSAL adds openid, profile and offline_access to every request;
		// Entra ID leaves them out of a client credentials grant.
		var asked []string
		for _, s := range strings.Fields(scope) {
			if !entraOIDCScopes[strings.ToLower(s)] {
				asked = append(asked, s)
			}
		}
		if len(asked) > 1 {
			// UNVERIFIED wording: the docs sample of AADSTS70011.
			x.decide("Entra ID refused: a client credentials request asks for one resource's /.default scope, not several scopes.")
			x.entraFail(http.StatusBadRequest, "invalid_scope", 70011, fmt.Sprintf("AADSTS70011: The provided value for the input parameter 'scope' is not valid. The scope %s is not valid.", scope))
			return
		}
		one := scope
		if len(asked) == 1 {
			one = asked[0]
		}
		base, ok := strings.CutSuffix(one, "/.default")
		if !ok {
			x.decide("Entra ID refused: in the client credentials flow the scope must be a resource's App ID URI followed by /.default (for ARM: https://management.azure.com/.default); the app gets the roles it was granted, not named permissions.")
			x.entraFail(http.StatusBadRequest, "invalid_scope", 1002012, fmt.Sprintf("AADSTS1002012: The provided value for scope %s is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).", scope))
			return
		}
		resource = base
	} else {
		// UNVERIFIED: the v1.0 endpoint's answer to a missing resource.
		if resource = form.Get("resource"); resource == "" {
			x.entraMissing("resource")
			return
		}
	}
	if form.Get("client_assertion") != "" && secret == "" {
		x.decide("Not simulated: the playground's apps sign in with client secrets; certificate and federated credentials (client_assertion) are not simulated.")
		x.entraFail(http.StatusBadRequest, "invalid_request", 0, "Not simulated: miplay's Entra ID accepts client secrets only; client_assertion (certificate or federated credentials) is not simulated.")
		return
	}
	if secret == "" {
		// The client is looked up first: an unknown client is reported as
		// such even without a secret. An empty secret never matches.
		if _, err := x.world.ClientCredentialsToken(clientID, "", resource); err != nil {
			if e, ok := err.(*engine.EntraError); ok && e.Code == 700016 {
				x.decide("Entra ID refused: no application with client ID %s is registered in the tenant.", clientID)
				x.entraFailWith(e)
				return
			}
		}
		x.decide("Entra ID refused: the request carries no client_secret, so the app %s did not prove who it is.", clientID)
		x.entraFail(http.StatusUnauthorized, "invalid_client", 7000218, "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.")
		return
	}
	tok, err := x.world.ClientCredentialsToken(clientID, secret, resource)
	if err != nil {
		e, ok := err.(*engine.EntraError)
		if !ok {
			x.decide("Entra ID failed: %v", err)
			x.entraFail(http.StatusInternalServerError, "server_error", 0, "An internal error occurred while issuing the token.")
			return
		}
		switch e.Code {
		case 700016:
			x.decide("Entra ID refused: no application with client ID %s is registered in the tenant.", clientID)
		case 7000215:
			x.decide("Entra ID refused: the client secret is not one of app %s's secrets, and whoever holds the right value is the app, which is why secrets must be stored and rotated with care.", clientID)
		case 7000222:
			x.decide("Entra ID refused: app %s's client secret has expired, and someone must make a new one by hand, whereas Azure rotates a managed identity's credential itself.", clientID)
		case 500011:
			x.decide("Entra ID refused: no API named %s exists in the tenant, so no token can have it as audience.", resource)
		default:
			x.decide("Entra ID refused: %s", e.Description)
		}
		x.entraFailWith(e)
		return
	}
	x.tokenID = tok.ID
	now := x.world.Now()
	left := int64(tok.ExpiresAt.Sub(now) / time.Second)
	x.decide("Entra ID checked app %s's client secret and issued a v1.0 access token (%s endpoint) for %s, valid for %d s.", clientID, endpoint, resource, left)
	trace, corr := x.world.NewGUID(), x.entraCorrelation()
	x.entraHeaders(trace, corr)
	if v2 {
		// The token itself is v1.0 (iss sts.windows.net, appid): first-party
		// APIs such as ARM accept v1.0 tokens, and Entra ID issues the
		// version the resource asks for, whichever endpoint was used.
		x.writeRaw(http.StatusOK, "application/json; charset=utf-8", imdsJSON(entraV2Token{
			TokenType: "Bearer", ExpiresIn: left, ExtExpiresIn: left, AccessToken: tok.Raw,
		}))
		return
	}
	x.writeRaw(http.StatusOK, "application/json; charset=utf-8", imdsJSON(entraV1Token{
		TokenType:    "Bearer",
		ExpiresIn:    strconv.FormatInt(left, 10),
		ExtExpiresIn: strconv.FormatInt(left, 10),
		ExpiresOn:    strconv.FormatInt(tok.Claims.ExpiresAt, 10),
		NotBefore:    strconv.FormatInt(tok.Claims.NotBefore, 10),
		Resource:     resource,
		AccessToken:  tok.Raw,
	}))
}

// entraOIDCScopes are the OpenID Connect scopes a client credentials grant
// ignores.
var entraOIDCScopes = map[string]bool{"openid": true, "profile": true, "offline_access": true, "email": true}

func (x *exchange) entraMissing(param string) {
	x.decide("Entra ID refused: the request body has no %s parameter.", param)
	x.entraFail(http.StatusBadRequest, "invalid_request", 900144, fmt.Sprintf("AADSTS900144: The request body must contain the following parameter: '%s'.", param))
}

// entraForm parses the body as Entra ID does: only a form-encoded body
// counts (a JSON body leaves every parameter missing).
func (x *exchange) entraForm() url.Values {
	ct := strings.ToLower(x.r.Header.Get("Content-Type"))
	if ct != "" && !strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		return url.Values{}
	}
	form, _ := url.ParseQuery(string(x.body))
	return form
}

// entraBasic reads HTTP Basic client credentials.
func entraBasic(r *http.Request) (user, pass string, ok bool) {
	scheme, enc, found := strings.Cut(r.Header.Get("Authorization"), " ")
	if !found || !strings.EqualFold(scheme, "Basic") {
		return "", "", false
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(enc))
	if err != nil {
		return "", "", false
	}
	u, p, found := strings.Cut(string(raw), ":")
	if !found {
		return "", "", false
	}
	if uu, err := url.QueryUnescape(u); err == nil {
		u = uu
	}
	if pp, err := url.QueryUnescape(p); err == nil {
		p = pp
	}
	return u, p, true
}

// entraOIDCv1 is the v1.0 OpenID Connect discovery document, with Entra
// ID's members in Entra ID's order.
type entraOIDCv1 struct {
	TokenEndpoint                     string   `json:"token_endpoint"`
	TokenEndpointAuthMethodsSupported []string `json:"token_endpoint_auth_methods_supported"`
	JWKSURI                           string   `json:"jwks_uri"`
	ResponseModesSupported            []string `json:"response_modes_supported"`
	SubjectTypesSupported             []string `json:"subject_types_supported"`
	IDTokenSigningAlgValuesSupported  []string `json:"id_token_signing_alg_values_supported"`
	ResponseTypesSupported            []string `json:"response_types_supported"`
	ScopesSupported                   []string `json:"scopes_supported"`
	Issuer                            string   `json:"issuer"`
	MicrosoftMultiRefreshToken        bool     `json:"microsoft_multi_refresh_token"`
	AuthorizationEndpoint             string   `json:"authorization_endpoint"`
	DeviceAuthorizationEndpoint       string   `json:"device_authorization_endpoint"`
	HTTPLogoutSupported               bool     `json:"http_logout_supported"`
	FrontchannelLogoutSupported       bool     `json:"frontchannel_logout_supported"`
	EndSessionEndpoint                string   `json:"end_session_endpoint"`
	ClaimsSupported                   []string `json:"claims_supported"`
	CheckSessionIframe                string   `json:"check_session_iframe"`
	UserinfoEndpoint                  string   `json:"userinfo_endpoint"`
	KerberosEndpoint                  string   `json:"kerberos_endpoint"`
	TenantRegionScope                 *string  `json:"tenant_region_scope"`
	CloudInstanceName                 string   `json:"cloud_instance_name"`
	CloudGraphHostName                string   `json:"cloud_graph_host_name"`
	MSGraphHost                       string   `json:"msgraph_host"`
	RBACURL                           string   `json:"rbac_url"`
}

// entraOIDCv2 is the v2.0 OpenID Connect discovery document.
type entraOIDCv2 struct {
	TokenEndpoint                     string   `json:"token_endpoint"`
	TokenEndpointAuthMethodsSupported []string `json:"token_endpoint_auth_methods_supported"`
	JWKSURI                           string   `json:"jwks_uri"`
	ResponseModesSupported            []string `json:"response_modes_supported"`
	SubjectTypesSupported             []string `json:"subject_types_supported"`
	IDTokenSigningAlgValuesSupported  []string `json:"id_token_signing_alg_values_supported"`
	ResponseTypesSupported            []string `json:"response_types_supported"`
	ScopesSupported                   []string `json:"scopes_supported"`
	Issuer                            string   `json:"issuer"`
	RequestURIParameterSupported      bool     `json:"request_uri_parameter_supported"`
	UserinfoEndpoint                  string   `json:"userinfo_endpoint"`
	AuthorizationEndpoint             string   `json:"authorization_endpoint"`
	DeviceAuthorizationEndpoint       string   `json:"device_authorization_endpoint"`
	HTTPLogoutSupported               bool     `json:"http_logout_supported"`
	FrontchannelLogoutSupported       bool     `json:"frontchannel_logout_supported"`
	EndSessionEndpoint                string   `json:"end_session_endpoint"`
	ClaimsSupported                   []string `json:"claims_supported"`
	KerberosEndpoint                  string   `json:"kerberos_endpoint"`
	TenantRegionScope                 *string  `json:"tenant_region_scope"`
	CloudInstanceName                 string   `json:"cloud_instance_name"`
	CloudGraphHostName                string   `json:"cloud_graph_host_name"`
	MSGraphHost                       string   `json:"msgraph_host"`
	RBACURL                           string   `json:"rbac_url"`
}

var entraAuthMethods = []string{"client_secret_post", "private_key_jwt", "client_secret_basic"}

func (x *exchange) serveEntraDiscovery(tenant string, v2 bool) {
	if x.r.Method != http.MethodGet && x.r.Method != http.MethodHead {
		x.decide("Entra ID refused: discovery documents are read with GET, not %s.", x.r.Method)
		x.writeRaw(http.StatusMethodNotAllowed, "", nil)
		return
	}
	// A tenant named by domain is answered with its ID in every URL; the
	// multi-tenant aliases keep their name and the {tenantid} template.
	var seg, issuerTenant string
	var region *string
	switch x.entraResolve(tenant) {
	case tenantUnknown:
		x.entraTenantNotFound(tenant, "invalid_tenant")
		return
	case tenantOwn:
		seg, issuerTenant = x.world.Tenant.ID, x.world.Tenant.ID
		ww := "WW" // UNVERIFIED: the region scope of the simulated tenant
		region = &ww
	default:
		seg, issuerTenant = strings.ToLower(tenant), "{tenantid}"
	}
	base := entraBase + "/" + seg
	var doc any
	if v2 {
		doc = entraOIDCv2{
			TokenEndpoint:                     base + "/oauth2/v2.0/token",
			TokenEndpointAuthMethodsSupported: entraAuthMethods,
			JWKSURI:                           base + "/discovery/v2.0/keys",
			ResponseModesSupported:            []string{"query", "fragment", "form_post"},
			SubjectTypesSupported:             []string{"pairwise"},
			IDTokenSigningAlgValuesSupported:  []string{"RS256"},
			ResponseTypesSupported:            []string{"code", "id_token", "code id_token", "id_token token"},
			ScopesSupported:                   []string{"openid", "profile", "email", "offline_access"},
			Issuer:                            entraBase + "/" + issuerTenant + "/v2.0",
			UserinfoEndpoint:                  "https://graph.microsoft.com/oidc/userinfo",
			AuthorizationEndpoint:             base + "/oauth2/v2.0/authorize",
			DeviceAuthorizationEndpoint:       base + "/oauth2/v2.0/devicecode",
			HTTPLogoutSupported:               true,
			FrontchannelLogoutSupported:       true,
			EndSessionEndpoint:                base + "/oauth2/v2.0/logout",
			ClaimsSupported:                   []string{"sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name", "msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "nonce", "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email"},
			KerberosEndpoint:                  base + "/kerberos",
			TenantRegionScope:                 region,
			CloudInstanceName:                 "microsoftonline.com",
			CloudGraphHostName:                "graph.windows.net",
			MSGraphHost:                       "graph.microsoft.com",
			RBACURL:                           "https://pas.windows.net",
		}
	} else {
		doc = entraOIDCv1{
			TokenEndpoint:                     base + "/oauth2/token",
			TokenEndpointAuthMethodsSupported: entraAuthMethods,
			// The v1.0 document points at the common keys, even for a tenant.
			JWKSURI:                          entraBase + "/common/discovery/keys",
			ResponseModesSupported:           []string{"query", "fragment", "form_post"},
			SubjectTypesSupported:            []string{"pairwise"},
			IDTokenSigningAlgValuesSupported: []string{"RS256"},
			ResponseTypesSupported:           []string{"code", "id_token", "code id_token", "token id_token", "token"},
			ScopesSupported:                  []string{"openid"},
			Issuer:                           "https://sts.windows.net/" + issuerTenant + "/",
			MicrosoftMultiRefreshToken:       true,
			AuthorizationEndpoint:            base + "/oauth2/authorize",
			DeviceAuthorizationEndpoint:      base + "/oauth2/devicecode",
			HTTPLogoutSupported:              true,
			FrontchannelLogoutSupported:      true,
			EndSessionEndpoint:               base + "/oauth2/logout",
			ClaimsSupported:                  []string{"sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name", "msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "amr", "nonce", "email", "given_name", "family_name", "nickname"},
			CheckSessionIframe:               base + "/oauth2/checksession",
			UserinfoEndpoint:                 base + "/openid/userinfo",
			KerberosEndpoint:                 base + "/kerberos",
			TenantRegionScope:                region,
			CloudInstanceName:                "microsoftonline.com",
			CloudGraphHostName:               "graph.windows.net",
			MSGraphHost:                      "graph.microsoft.com",
			RBACURL:                          "https://pas.windows.net",
		}
	}
	version := "v1.0"
	if v2 {
		version = "v2.0"
	}
	x.decide("Entra ID served its %s OpenID Connect discovery document for %s: where its token endpoint and signing keys are, and which issuer its tokens carry.", version, tenant)
	x.entraPublic(imdsJSON(doc))
}

func (x *exchange) serveEntraKeys(tenant string, v2 bool) {
	if x.r.Method != http.MethodGet && x.r.Method != http.MethodHead {
		x.decide("Entra ID refused: signing keys are read with GET, not %s.", x.r.Method)
		x.writeRaw(http.StatusMethodNotAllowed, "", nil)
		return
	}
	if x.entraResolve(tenant) == tenantUnknown {
		x.entraTenantNotFound(tenant, "invalid_tenant")
		return
	}
	keys := x.world.Keys().JWKS()
	if v2 {
		keys = x.world.Keys().JWKSV2()
	}
	x.decide("Entra ID served its public signing keys; a resource checks a token's signature against the key whose kid the token's header names, and no private key ever leaves Entra ID.")
	x.entraPublic(keys)
}

// entraPublic writes a public, cacheable document.
func (x *exchange) entraPublic(body []byte) {
	h := x.w.Header()
	h.Set("Cache-Control", "max-age=86400, private")
	h.Set("Access-Control-Allow-Origin", "*")
	if x.r.Method == http.MethodHead {
		body = nil
	}
	x.writeRaw(http.StatusOK, "application/json; charset=utf-8", body)
}
