package engine

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/miplay/miplay/engine/token"
)

// Token lifetimes, as observed on real tokens.
const (
	// ManagedIdentityTokenLifetime: a managed identity token is valid for
	// 24 hours from issue ("expires_in":"86400").
	ManagedIdentityTokenLifetime = 24 * time.Hour
	// Backdate: iat and nbf are set 5 minutes before issue, so exp - nbf is
	// 86700 s on every captured managed identity token.
	Backdate = 5 * time.Minute
	// AppTokenLifetime is the lifetime of a client-credentials token from its
	// iat, which is backdated like every token's: Entra ID answers
	// "expires_in":3599 and exp - iat is 3899 s.
	AppTokenLifetime = time.Hour + 4*time.Minute + 59*time.Second
	// UserTokenLifetime is the lifetime of the admin's tokens.
	UserTokenLifetime = time.Hour + 14*time.Minute + 59*time.Second
	// cacheRefreshMargin: a cached token this close to expiry is not served
	// again. Azure does not document the margin; five minutes is what the
	// SDKs use for their own caches, and the playground follows them.
	cacheRefreshMargin = 5 * time.Minute
)

// Azure CLI's well-known client ID, the appid of the admin's tokens.
const azureCLIClientID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"

// TokenVia says how a token was obtained.
type TokenVia string

// The ways a token can be obtained in the playground.
const (
	ViaIMDS              TokenVia = "IMDS"
	ViaAppService        TokenVia = "App Service identity endpoint"
	ViaClientCredentials TokenVia = "client credentials (client secret)"
	ViaUserSignIn        TokenVia = "user sign-in (az login)"
)

// An IssuedToken is an access token the simulated Entra ID issued, kept so
// the UI can show, decode and explain it.
type IssuedToken struct {
	ID          string // the uti claim
	Raw         string
	Claims      token.Claims
	PrincipalID string
	ClientID    string
	Audience    string
	Via         TokenVia
	Host        string // where it was requested from; empty for Entra directly
	IssuedAt    time.Time
	ExpiresAt   time.Time
}

// Tokens returns every token issued so far, in order.
func (w *World) Tokens() []IssuedToken { return w.tokens }

// Issuer is the v1.0 issuer of the world's tokens.
func (w *World) Issuer() string { return "https://sts.windows.net/" + w.Tenant.ID + "/" }

// Keys returns the world's signing keys; only their public halves may leave
// the engine (KeySet.JWKS).
func (w *World) Keys() *token.KeySet { return w.keys }

type tokenCacheKey struct {
	host, principal, resource string
	via                       TokenVia
}

// A ResourcePrincipal is an API a token can be requested for.
type ResourcePrincipal struct {
	URI   string
	AppID string
	Name  string
}

// ResourcePrincipals are the first-party APIs the playground knows, with
// their real application IDs.
var ResourcePrincipals = []ResourcePrincipal{
	{"https://management.azure.com", "797f4846-ba00-4fd7-ba43-dac1f8f63013", "Windows Azure Service Management API"},
	{"https://management.core.windows.net", "797f4846-ba00-4fd7-ba43-dac1f8f63013", "Windows Azure Service Management API"},
	{"https://storage.azure.com", "e406a681-f3d4-42a8-90b6-c2b029497af1", "Azure Storage"},
	{"https://vault.azure.net", "cfa8b339-82a2-471a-a3c9-0fc0be7a4093", "Azure Key Vault"},
	{"https://servicebus.azure.net", "80a10ef9-8168-493d-abf9-3297c4ef6e3c", "Microsoft.ServiceBus"},
	{"https://graph.microsoft.com", "00000003-0000-0000-c000-000000000000", "Microsoft Graph"},
	{"https://database.windows.net", "022907d3-0f1b-48f7-badc-1ba6abab6d66", "Azure SQL Database"},
}

// LookupResource finds the API a resource URI names. Entra ignores a
// trailing slash when it looks the principal up (the token's aud keeps the
// URI exactly as requested), and accepts an account's own blob endpoint.
func LookupResource(resource string) (ResourcePrincipal, bool) {
	uri := strings.TrimSuffix(strings.ToLower(resource), "/")
	for _, rp := range ResourcePrincipals {
		if uri == rp.URI {
			return rp, true
		}
	}
	if rest, ok := strings.CutPrefix(uri, "https://"); ok {
		if name, ok := strings.CutSuffix(rest, ".blob.core.windows.net"); ok && validStorageName(name) {
			return ResourcePrincipal{URI: uri, AppID: "e406a681-f3d4-42a8-90b6-c2b029497af1", Name: "Azure Storage"}, true
		}
	}
	return ResourcePrincipal{}, false
}

// EntraError is an error Microsoft Entra ID returns from its token
// endpoint: an OAuth error code, an AADSTS number and its description.
type EntraError struct {
	Status      int
	Err         string // "invalid_client", "invalid_resource", ...
	Code        int    // the AADSTS number
	Description string // without the trace and correlation suffix
}

func (e *EntraError) Error() string { return e.Description }

func (w *World) unknownResource(resource string) *EntraError {
	return &EntraError{Status: 400, Err: "invalid_resource", Code: 500011,
		Description: fmt.Sprintf("AADSTS500011: The resource principal named %s was not found in the tenant named %s. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.", resource, w.Tenant.DisplayName)}
}

// ManagedIdentityToken is what the token service on a compute host does
// when code there asks for a token: select the identity, answer from the
// per-host cache while the cached token has time left, otherwise have Entra
// issue a new one. A SelectionFailure or *EntraError is returned as err.
func (w *World) ManagedIdentityToken(h Host, sel Selector, resource string, via TokenVia) (tok IssuedToken, cached bool, err error) {
	if _, ok := LookupResource(resource); !ok {
		return IssuedToken{}, false, w.unknownResource(resource)
	}
	id, fail := w.SelectIdentity(h, sel)
	if fail != "" {
		return IssuedToken{}, false, &SelectionError{Failure: fail}
	}
	if sp, ok := w.PrincipalByObjectID(id.PrincipalID); !ok || !sp.Exists() {
		return IssuedToken{}, false, &SelectionError{Failure: IdentityDeleted}
	}
	key := tokenCacheKey{host: h.ID, principal: id.PrincipalID, resource: resource, via: via}
	if i, ok := w.tokenCache[key]; ok && w.now.Before(w.tokens[i].ExpiresAt.Add(-cacheRefreshMargin)) {
		w.record(&TokenServedFromCache{TokenID: w.tokens[i].ID, Host: h.Name})
		return w.tokens[i], true, nil
	}
	iss := w.Issuer()
	c := token.Claims{
		Audience:     resource,
		Issuer:       iss,
		IssuedAt:     w.now.Add(-Backdate).Unix(),
		NotBefore:    w.now.Add(-Backdate).Unix(),
		ExpiresAt:    w.now.Add(ManagedIdentityTokenLifetime).Unix(),
		AIO:          w.ids.Opaque(42),
		AppID:        id.ClientID,
		AppIDACR:     "2",
		IdP:          iss,
		IDType:       "app",
		ObjectID:     id.PrincipalID,
		RH:           "0.A" + w.ids.Opaque(48) + ".",
		Subject:      id.PrincipalID,
		TenantID:     w.Tenant.ID,
		UTI:          w.ids.Opaque(16),
		Version:      "1.0",
		MIResourceID: claimResourceID(id.ResourceID),
	}
	if id.UserAssigned {
		c.AzureResourceID = claimResourceID(h.Owner.ID)
	}
	tok, err = w.issue(c, via, h.Name)
	if err != nil {
		return IssuedToken{}, false, err
	}
	w.tokenCache[key] = len(w.tokens) - 1
	return tok, false, nil
}

// SelectionError wraps a SelectionFailure as an error.
type SelectionError struct{ Failure SelectionFailure }

func (e *SelectionError) Error() string { return string(e.Failure) }

// claimResourceID writes a resource ID as the xms_mirid and xms_az_rid
// claims carry it, with "resourcegroups" in lower case.
func claimResourceID(id string) string {
	if i := strings.Index(strings.ToLower(id), "/resourcegroups/"); i >= 0 {
		return id[:i] + "/resourcegroups/" + id[i+len("/resourcegroups/"):]
	}
	return id
}

// ClientCredentialsToken is Entra's token endpoint for an app signing in
// with a client secret: the world without managed identities.
func (w *World) ClientCredentialsToken(clientID, secret, resource string) (IssuedToken, error) {
	var sp *ServicePrincipal
	for _, p := range w.principals {
		if p.Exists() && p.Type == ApplicationPrincipal && equalFold(p.AppID, clientID) {
			sp = p
		}
	}
	app, _ := w.Application(clientID)
	if sp == nil || app == nil {
		return IssuedToken{}, &EntraError{Status: 400, Err: "unauthorized_client", Code: 700016,
			Description: fmt.Sprintf("AADSTS700016: Application with identifier '%s' was not found in the directory '%s'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.", clientID, w.Tenant.DisplayName)}
	}
	var match *ClientSecret
	for _, s := range app.Secrets {
		if s.Value == secret {
			match = s
		}
	}
	if match == nil {
		return IssuedToken{}, &EntraError{Status: 401, Err: "invalid_client", Code: 7000215,
			Description: fmt.Sprintf("AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '%s'.", app.AppID)}
	}
	if !w.now.Before(match.End) {
		return IssuedToken{}, &EntraError{Status: 401, Err: "invalid_client", Code: 7000222,
			Description: fmt.Sprintf("AADSTS7000222: The provided client secret keys for app '%s' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.", app.AppID)}
	}
	if _, ok := LookupResource(resource); !ok {
		return IssuedToken{}, w.unknownResource(resource)
	}
	iss := w.Issuer()
	c := token.Claims{
		Audience: resource, Issuer: iss,
		IssuedAt: w.now.Add(-Backdate).Unix(), NotBefore: w.now.Add(-Backdate).Unix(), ExpiresAt: w.now.Add(-Backdate + AppTokenLifetime).Unix(),
		AIO: w.ids.Opaque(42), AppID: app.AppID, AppIDACR: "1", IdP: iss, IDType: "app",
		ObjectID: sp.ObjectID, RH: "0.A" + w.ids.Opaque(48) + ".", Subject: sp.ObjectID, TenantID: w.Tenant.ID,
		UTI: w.ids.Opaque(16), Version: "1.0",
	}
	return w.issue(c, ViaClientCredentials, "")
}

// UserToken issues the signed-in admin a token for resource, as `az`
// does on the workstation after `az login`.
func (w *World) UserToken(resource string) (IssuedToken, error) {
	if _, ok := LookupResource(resource); !ok {
		return IssuedToken{}, w.unknownResource(resource)
	}
	iss := w.Issuer()
	u := w.Admin
	c := token.Claims{
		Audience: resource, Issuer: iss,
		IssuedAt: w.now.Add(-Backdate).Unix(), NotBefore: w.now.Add(-Backdate).Unix(), ExpiresAt: w.now.Add(UserTokenLifetime).Unix(),
		AIO: w.ids.Opaque(42), AppID: azureCLIClientID, AppIDACR: "0", IDType: "user",
		Name: u.DisplayName, ObjectID: u.ObjectID, RH: "0.A" + w.ids.Opaque(48) + ".", Scope: "user_impersonation",
		Subject: w.ids.Opaque(32), TenantID: w.Tenant.ID, UniqueName: u.UserPrincipalName, UPN: u.UserPrincipalName,
		UTI: w.ids.Opaque(16), Version: "1.0",
	}
	return w.issue(c, ViaUserSignIn, "workstation")
}

func (w *World) issue(c token.Claims, via TokenVia, host string) (IssuedToken, error) {
	raw, err := w.signer.Sign(c)
	if err != nil {
		return IssuedToken{}, fmt.Errorf("engine: signing a token: %w", err)
	}
	t := IssuedToken{
		ID: c.UTI, Raw: raw, Claims: c, PrincipalID: c.ObjectID, ClientID: c.AppID, Audience: c.Audience,
		Via: via, Host: host, IssuedAt: w.now, ExpiresAt: time.Unix(c.ExpiresAt, 0).UTC(),
	}
	w.tokens = append(w.tokens, t)
	w.record(&TokenIssued{Token: t})
	return t, nil
}

// ValidateToken checks a bearer token as a resource server does: signature
// against the world's keys, RS256 only, lifetime on the simulated clock,
// audience among audiences, issuer the tenant's v1.0 or v2.0 issuer.
func (w *World) ValidateToken(raw string, audiences []string) (token.Claims, *token.Failure) {
	return w.keys.Validate(raw, token.Expect{
		Audiences: audiences,
		Issuers:   []string{w.Issuer(), "https://login.microsoftonline.com/" + w.Tenant.ID + "/v2.0"},
		Now:       w.now,
	})
}

// Signers are shared by every world on the same keys, so the memo of
// signed tokens survives a replay: stepping back in a scenario replays it on
// a fresh world and must not pay for RSA signatures again.
var (
	signersMu sync.Mutex
	signers   map[*token.KeySet]*token.Signer // made on first use, not at start-up
)

func sharedSigner(k *token.KeySet) *token.Signer {
	signersMu.Lock()
	defer signersMu.Unlock()
	s, ok := signers[k]
	if !ok {
		s = token.NewSigner(k)
		if signers == nil {
			signers = map[*token.KeySet]*token.Signer{}
		}
		signers[k] = s
	}
	return s
}
