package azure

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/miplay/miplay/engine"
)

// The App Service and Functions local token service, as code inside a web
// app or function app reaches it through IDENTITY_ENDPOINT (reference §2.1,
// D-APPSVC "Using the REST protocol"). Its answers come from Kestrel, with
// ASP.NET's JSON error shape.

const (
	appServiceAPIVersion    = "2019-08-01"
	appServiceLegacyVersion = "2017-09-01"
	appServiceUnableToLoad  = "Unable to load the proper Managed Identity."
)

// appServiceError is the token service's error body, as Azure/azure-sdk-for-net#43691 captured it.
type appServiceError struct {
	StatusCode    int    `json:"statusCode"`
	Message       string `json:"message"`
	CorrelationID string `json:"correlationId"`
}

// appServiceToken is the 2019-08-01 token response, in the order of
// D-APPSVC's sample and of captured responses (azure-sdk-for-python#11346).
// D-APPSVC's property table also lists not_before, but no captured response
// carries it, so the playground leaves it out, as the service does.
type appServiceToken struct {
	AccessToken string `json:"access_token"`
	ExpiresOn   string `json:"expires_on"`
	Resource    string `json:"resource"`
	TokenType   string `json:"token_type"`
	ClientID    string `json:"client_id"`
}

// appServiceWrite writes an answer with Kestrel's headers.
func (x *exchange) appServiceWrite(status int, correlation string, v any) {
	h := x.w.Header()
	h.Set("Server", "Kestrel")
	h.Set("X-Correlation-Id", correlation)
	x.writeRaw(status, "application/json; charset=utf-8", imdsJSON(v))
}

func (x *exchange) appServiceFail(status int, message string) {
	corr := x.world.NewGUID()
	x.appServiceWrite(status, corr, appServiceError{StatusCode: status, Message: message, CorrelationID: corr})
}

// serveAppService answers a request to IDENTITY_ENDPOINT from a web app or
// function app.
func (x *exchange) serveAppService() {
	site := x.caller.Owner
	if !x.inside || x.caller.IMDS() || site == nil || site.Site == nil {
		x.decide("The App Service token service did not answer: the host %s no longer exists.", x.from)
		x.appServiceFail(http.StatusServiceUnavailable, "The site is not running.")
		return
	}
	if !strings.EqualFold(x.r.URL.Path, "/msi/token") {
		// Kestrel's 404 for a path with no route has no body.
		x.decide("The App Service token service answered 404: its only path is /msi/token (IDENTITY_ENDPOINT), not %s.", x.r.URL.Path)
		x.w.Header().Set("Server", "Kestrel")
		x.writeRaw(http.StatusNotFound, "", nil)
		return
	}
	if x.r.Method != http.MethodGet {
		// UNVERIFIED: the service's answer to another verb.
		x.decide("The App Service token service refused: tokens are requested with GET, not %s.", x.r.Method)
		x.w.Header().Set("Allow", http.MethodGet)
		x.appServiceFail(http.StatusMethodNotAllowed, "The HTTP method is not allowed. Use GET.")
		return
	}
	q := appServiceQuery(x.r.URL.RawQuery)
	switch v := q.Get("api-version"); v {
	case appServiceAPIVersion:
	case appServiceLegacyVersion:
		x.decide("Not simulated: the legacy 2017-09-01 protocol (MSI_ENDPOINT with a secret header) is not modelled; use api-version=2019-08-01 with the X-IDENTITY-HEADER header.")
		x.appServiceFail(http.StatusBadRequest, "Not simulated: miplay models only api-version 2019-08-01 of the App Service identity endpoint; the legacy 2017-09-01 protocol (secret header, clientid parameter) is not simulated.")
		return
	default:
		// UNVERIFIED: the service's answer to a missing or unknown version.
		if v == "" {
			x.decide("The App Service token service refused: the request names no api-version; the endpoint speaks 2019-08-01.")
		} else {
			x.decide("The App Service token service refused: api-version %q is not supported; the endpoint speaks 2019-08-01.", v)
		}
		x.appServiceFail(http.StatusBadRequest, "The api-version is missing or not supported. Use api-version=2019-08-01.")
		return
	}
	if got := x.r.Header.Get("X-Identity-Header"); got == "" || got != site.Site.IdentityHeader {
		// UNVERIFIED: D-APPSVC says only that the header mitigates
		// server-side request forgery; the playground refuses with 401, as
		// a service does for a missing or wrong shared secret.
		if got == "" {
			x.decide("The App Service token service refused: the request has no X-IDENTITY-HEADER header, which must carry the value of IDENTITY_HEADER to block server-side request forgery.")
		} else {
			x.decide("The App Service token service refused: X-IDENTITY-HEADER does not match this site's IDENTITY_HEADER, which blocks server-side request forgery.")
		}
		x.appServiceFail(http.StatusUnauthorized, "Unauthorized: the X-IDENTITY-HEADER header is missing or does not match IDENTITY_HEADER.")
		return
	}
	resource := q.Get("resource")
	if resource == "" {
		// UNVERIFIED: the service's answer to a missing resource.
		x.decide("The App Service token service refused: the request names no resource, the API the token is for (it becomes the token's aud claim).")
		x.appServiceFail(http.StatusBadRequest, "The resource parameter is required.")
		return
	}
	objectID := q.Get("principal_id")
	sel := engine.Selector{ClientID: q.Get("client_id"), ResourceID: q.Get("mi_res_id")}
	n := countSet(sel.ClientID, sel.ResourceID, objectID, q.Get("object_id"))
	if objectID == "" {
		objectID = q.Get("object_id") // D-APPSVC: object_id is an alias of principal_id
	}
	sel.ObjectID = objectID
	if n > 1 {
		// D-APPSVC: the selectors are mutually exclusive. UNVERIFIED status
		// and message.
		x.decide("The App Service token service refused: the request names %d identities (client_id, principal_id/object_id, mi_res_id); they are mutually exclusive.", n)
		x.appServiceFail(http.StatusBadRequest, "Only one of client_id, principal_id (object_id) or mi_res_id may be specified.")
		return
	}
	var ignored string
	if sel.IsZero() {
		for _, p := range []string{"clientid", "msi_res_id"} {
			if q.Get(p) != "" {
				ignored = fmt.Sprintf(" The endpoint ignored %s, which api-version 2019-08-01 does not know (it takes client_id, principal_id/object_id and mi_res_id).", p)
				break
			}
		}
	}
	name := x.caller.Name
	if sel.IsZero() && (site.Identity == nil || site.Identity.SystemAssigned == nil) {
		// D-APPSVC: "If all ID parameters are omitted, the system-assigned
		// identity is used." Unlike IMDS, a sole user-assigned identity is
		// not chosen by default.
		if site.Identity != nil && len(site.Identity.UserAssigned) > 0 {
			x.decide("The App Service token service refused: %s has no system-assigned identity, and without client_id, principal_id or mi_res_id the endpoint uses only the system-assigned one; name the user-assigned identity.%s", name, ignored)
		} else {
			x.decide("The App Service token service refused: %s has no managed identity; enable one first.%s", name, ignored)
		}
		x.appServiceFail(http.StatusBadRequest, appServiceUnableToLoad)
		return
	}
	if _, fail := x.world.SelectIdentity(x.caller, sel); fail != "" {
		x.appServiceSelectionFailed(sel, fail)
		return
	}
	tok, cached, err := x.world.ManagedIdentityToken(x.caller, sel, resource, engine.ViaAppService)
	if err != nil {
		switch e := err.(type) {
		case *engine.EntraError:
			// UNVERIFIED: how the token service wraps Entra ID's refusal;
			// it passes Entra's description on in its own error shape.
			x.decide("The App Service token service asked Entra ID for a token, and Entra ID refused: no API named %s exists in the tenant.", resource)
			x.appServiceFail(e.Status, x.entraDescription(e.Description, x.world.NewGUID(), x.world.NewGUID()))
		case *engine.SelectionError:
			x.appServiceSelectionFailed(sel, e.Failure)
		default:
			x.decide("The App Service token service failed: %v", err)
			x.appServiceFail(http.StatusInternalServerError, "An unexpected error occurred.")
		}
		return
	}
	x.tokenID = tok.ID
	who := x.identityName(tok)
	if cached {
		left := int64(tok.ExpiresAt.Sub(x.world.Now()).Seconds())
		x.decide("The App Service token service returned %s's cached token for %s (it expires in %d s); it keeps tokens per identity and resource for about 24 hours.%s", who, resource, left, ignored)
	} else {
		x.decide("The App Service token service asked Entra ID for a token for %s, audience %s, valid for 24 hours, and returned it.%s", who, resource, ignored)
	}
	x.appServiceWrite(http.StatusOK, x.world.NewGUID(), appServiceToken{
		AccessToken: tok.Raw,
		ExpiresOn:   strconv.FormatInt(tok.Claims.ExpiresAt, 10),
		Resource:    resource,
		TokenType:   "Bearer",
		ClientID:    tok.ClientID,
	})
}

func (x *exchange) appServiceSelectionFailed(sel engine.Selector, fail engine.SelectionFailure) {
	name := x.caller.Name
	switch fail {
	case engine.IdentityNotAssigned:
		x.decide("The App Service token service refused: the identity the request names (%s) is not assigned to %s.", selectorText(sel), name)
	case engine.NoIdentity:
		x.decide("The App Service token service refused: %s has no managed identity; enable one first.", name)
	default:
		x.decide("The App Service token service refused: the identity %s would use no longer exists; a deleted identity cannot get new tokens.", name)
	}
	x.appServiceFail(http.StatusBadRequest, appServiceUnableToLoad)
}

// appServiceQuery decodes a query as ASP.NET Core does: names are
// case-insensitive, a repeated name's values are joined with commas, and a
// bad escape is kept as written rather than refused.
func appServiceQuery(raw string) url.Values {
	q := url.Values{}
	for _, part := range strings.Split(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		key := strings.ToLower(appServiceUnescape(k))
		val := appServiceUnescape(v)
		if old, ok := q[key]; ok {
			q[key] = []string{old[0] + "," + val}
		} else {
			q[key] = []string{val}
		}
	}
	return q
}

func appServiceUnescape(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// HostEnvironment returns the environment variables the platform sets for
// processes on a compute host, for the simulated shell to start with.
//
// Inside a web app or function app with a managed identity, App Service
// sets IDENTITY_ENDPOINT (AppServiceIdentityEndpoint) and IDENTITY_HEADER
// (the site's secret, to be sent as X-IDENTITY-HEADER), and the legacy
// aliases MSI_ENDPOINT and MSI_SECRET; every site also gets WEBSITE_SITE_NAME,
// WEBSITE_HOSTNAME, WEBSITE_RESOURCE_GROUP and its app settings. A VM or
// scale set instance gets nothing extra: code there finds IMDS at its
// well-known address. For the workstation or an unknown host the result is
// nil. The caller may modify the returned map.
func (c *Cloud) HostEnvironment(host string) map[string]string {
	c.mu.Lock()
	defer c.mu.Unlock()
	h, ok := c.world.Host(host)
	if !ok {
		return nil
	}
	return HostEnvironment(c.world, h)
}

// HostEnvironment is Cloud.HostEnvironment for a caller that already holds
// the world (inside Cloud.Do): the variables the platform sets for code on
// host h.
func HostEnvironment(w *engine.World, h engine.Host) map[string]string {
	env := map[string]string{}
	site := h.Owner
	if h.IMDS() || site == nil || site.Site == nil {
		return env
	}
	for k, v := range site.Site.AppSettings {
		env[k] = v
	}
	env["WEBSITE_SITE_NAME"] = site.Name
	env["WEBSITE_HOSTNAME"] = site.Site.DefaultHost
	env["WEBSITE_RESOURCE_GROUP"] = site.ResourceGroup
	env["HOME"] = "/home"
	if h.Kind == engine.HostFunctionApp {
		env["FUNCTIONS_EXTENSION_VERSION"] = "~4"
		env["AzureWebJobsScriptRoot"] = "/home/site/wwwroot"
	}
	// UNVERIFIED: App Service adds the identity variables when the site has
	// a managed identity (the reference shows them on sites with one); a
	// site without one does not get them.
	if id := site.Identity; id != nil && (id.SystemAssigned != nil || len(id.UserAssigned) > 0) {
		env["IDENTITY_ENDPOINT"] = AppServiceIdentityEndpoint
		env["IDENTITY_HEADER"] = site.Site.IdentityHeader
		env["MSI_ENDPOINT"] = AppServiceIdentityEndpoint
		env["MSI_SECRET"] = site.Site.IdentityHeader
	}
	return env
}
