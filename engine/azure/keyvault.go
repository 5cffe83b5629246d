package azure

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/miplay/miplay/engine"
	"github.com/miplay/miplay/engine/token"
)

// Key Vault secrets: {vault}.vault.azure.net. Vaults use the Azure RBAC
// permission model (access policies are not simulated), so every request
// needs a bearer token for https://vault.azure.net and a data action.

const (
	kvResource = "https://vault.azure.net"
	// kvAppID is Azure Key Vault's application ID, which Key Vault also
	// accepts as a token audience.
	kvAppID = "cfa8b339-82a2-471a-a3c9-0fc0be7a4093"
	// kvLatestVersion is what Key Vault suggests when it does not know the
	// api-version asked for.
	kvLatestVersion = "2025-07-01"
	// kvServiceVersion is the x-ms-keyvault-service-version header: the
	// build of Key Vault answering.
	kvServiceVersion = "1.9.2748.1"

	kvSecretActions = "Microsoft.KeyVault/vaults/secrets/"
)

// kvVersions are the data-plane api-versions Key Vault accepts. Secret
// bodies are the same in all of them, except that recoverableDays appeared
// in 7.1.
var kvVersions = map[string]bool{
	"2015-06-01": true, "2016-10-01": true, "7.0": true, "7.1": true, "7.2": true, "7.3": true,
	"7.4": true, "7.5": true, "7.6": true, "2025-07-01": true,
}

type kvOp int

const (
	kvSet kvOp = iota + 1
	kvGet
	kvList
	kvListVersions
)

// kvRequest is one request to Key Vault being served.
type kvRequest struct {
	x         *exchange
	vault     *engine.Resource
	op        kvOp
	name      string // the secret
	version   string // the secret version, for kvGet
	requestID string
}

func (x *exchange) serveKeyVault() {
	name := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(requestHost(x.r), ":443"), ":80"), vaultSuffix)
	vault, _ := x.world.KeyVault(name)
	k := &kvRequest{x: x, vault: vault, requestID: x.world.NewGUID()}
	if !k.route() {
		return
	}
	if !k.apiVersion() {
		return
	}
	claims, ok := k.authenticate()
	if !ok {
		return
	}
	if !k.authorize(claims) {
		return
	}
	k.serve()
}

// route works out the operation from the path; false means it answered.
func (k *kvRequest) route() bool {
	seg := strings.Split(strings.Trim(k.x.r.URL.Path, "/"), "/")
	m := k.x.r.Method
	switch {
	case len(seg) == 1 && seg[0] == "secrets" && m == http.MethodGet:
		k.op = kvList
	case len(seg) == 2 && seg[0] == "secrets" && m == http.MethodPut:
		k.op, k.name = kvSet, seg[1]
	case len(seg) == 2 && seg[0] == "secrets" && m == http.MethodGet:
		k.op, k.name = kvGet, seg[1]
	case len(seg) == 3 && seg[0] == "secrets" && seg[2] == "versions" && m == http.MethodGet:
		k.op, k.name = kvListVersions, seg[1]
	case len(seg) == 3 && seg[0] == "secrets" && m == http.MethodGet:
		k.op, k.name, k.version = kvGet, seg[1], seg[2]
	}
	if k.op != 0 {
		return true
	}
	k.fail(http.StatusNotImplemented, "NotImplemented", fmt.Sprintf(
		"The playground does not simulate this Key Vault operation: %s %s. It simulates Set Secret, Get Secret, Get Secrets and Get Secret Versions.",
		m, k.x.r.URL.Path), "")
	k.x.decide("Key Vault request not simulated: %s %s.", m, k.x.r.URL.Path)
	return false
}

// what names the operation for the learner.
func (k *kvRequest) what() string {
	switch k.op {
	case kvSet:
		return "Secret write"
	case kvGet:
		return "Secret read"
	}
	return "Secret list"
}

func (k *kvRequest) apiVersion() bool {
	v := k.x.r.URL.Query().Get("api-version")
	switch {
	case v == "":
		// UNVERIFIED: Key Vault's wording for a request without api-version.
		k.fail(http.StatusBadRequest, "BadParameter", "The 'api-version' query parameter is missing.", "")
	case !kvVersions[v]:
		k.fail(http.StatusBadRequest, "BadParameter", fmt.Sprintf("The specified version (%s) is not recognized. Consider using the latest supported version (%s).", v, kvLatestVersion), "")
	default:
		return true
	}
	k.x.decide("%s refused: Key Vault needs a known api-version query parameter, such as %s.", k.what(), kvLatestVersion)
	return false
}

// authenticate checks the bearer token. Key Vault answers every 401 with
// the challenge that tells SDK clients which tenant and resource to ask
// Entra for.
func (k *kvRequest) authenticate() (token.Claims, bool) {
	raw, ok := k.x.bearerToken()
	if !ok {
		k.challenge("Request is missing a Bearer or PoP token.")
		k.x.decide("%s refused: the request has no bearer token; Key Vault answers with a challenge naming the tenant and the resource %s to get one for.", k.what(), kvResource)
		return token.Claims{}, false
	}
	claims, f := k.x.validate(raw, []string{kvResource, kvAppID})
	if f == nil && strings.HasSuffix(claims.Audience, "/") {
		// Key Vault compares the audience exactly: a token requested for
		// "https://vault.azure.net/" is refused (go-autorest#525).
		// UNVERIFIED whether every vault still does.
		f = &token.Failure{Kind: token.WrongAudience, Claims: claims,
			Detail: fmt.Sprintf("The token is for %q (aud); Key Vault accepts %q exactly, without the trailing slash.", claims.Audience, kvResource)}
	}
	if f != nil {
		k.challenge(kvTokenMessage(f, raw, k.x.world.Issuer()))
		k.x.decide("%s refused: the bearer token is not valid for Key Vault: %s", k.what(), f.Detail)
		return token.Claims{}, false
	}
	return claims, true
}

// kvTokenMessage words a token refusal as Key Vault does. AKV10022,
// AKV10032, AKV10046 and [TokenExpired] are taken from real responses; the
// others follow Key Vault's "Error validating token: IDX…" form, with the
// Microsoft.IdentityModel code for the failure (UNVERIFIED).
func kvTokenMessage(f *token.Failure, raw, issuer string) string {
	switch f.Kind {
	case token.WrongAudience:
		return "AKV10022: Invalid audience. Expected " + kvResource + ", found: " + f.Claims.Audience + "."
	case token.WrongIssuer:
		return "AKV10032: Invalid issuer. Expected one of " + issuer + ", found " + f.Claims.Issuer + "."
	case token.Expired:
		return "[TokenExpired] Error validating token: 'S2S12086'."
	case token.NotYetValid:
		return "Error validating token: IDX10222"
	case token.UnknownKey:
		header, _, _ := strings.Cut(raw, ".")
		return "AKV10046: Unable to resolve the key used for signature validation. EncodedJwtHeader: '" + header + "'"
	case token.BadSignature, token.UnsupportedAlgorithm:
		return "Error validating token: IDX10511"
	}
	return "Error validating token: IDX14100"
}

func (k *kvRequest) challenge(message string) {
	k.x.w.Header().Set("WWW-Authenticate", `Bearer authorization="https://login.windows.net/`+k.x.world.Tenant.ID+`", resource="`+kvResource+`"`)
	k.fail(http.StatusUnauthorized, "Unauthorized", message, "")
}

// action is the data action the operation needs, and scope where RBAC looks.
func (k *kvRequest) action() (action, scope string) {
	switch k.op {
	case kvSet:
		return kvSecretActions + "setSecret/action", k.vault.ID + "/secrets/" + k.name
	case kvGet:
		return kvSecretActions + "getSecret/action", k.vault.ID + "/secrets/" + k.name
	case kvListVersions:
		return kvSecretActions + "readMetadata/action", k.vault.ID + "/secrets/" + k.name
	}
	// UNVERIFIED: listing is checked at the vault, so a role on one secret
	// does not let its holder list the vault's secrets.
	return kvSecretActions + "readMetadata/action", k.vault.ID
}

func (k *kvRequest) authorize(c token.Claims) bool {
	action, scope := k.action()
	d := k.x.authorize(c.ObjectID, action, scope, true)
	if d.Allowed {
		k.x.decide("%s allowed: %s", k.what(), strings.TrimPrefix(d.Reason, "Allowed: "))
		return true
	}
	msg := "Caller is not authorized to perform action on resource.\r\n" +
		"If role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\n" +
		"Caller: appid=" + c.AppID + ";oid=" + c.ObjectID + ";iss=" + c.Issuer + "\r\n" +
		"Action: '" + action + "'\r\n" +
		"Resource: '" + strings.ToLower(scope) + "'\r\n" +
		"Assignment: (not found)\r\n" +
		"DenyAssignmentId: null\r\n" +
		"DecisionReason: null \r\n" +
		"Vault: " + k.vault.Name + ";location=" + k.vault.Location + "\r\n"
	k.fail(http.StatusForbidden, "Forbidden", msg, "ForbiddenByRbac")
	k.x.decide("%s denied: %s", k.what(), strings.TrimPrefix(d.Reason, "Denied: "))
	return false
}

// kvSetBody is the body of Set Secret.
type kvSetBody struct {
	Value       *string        `json:"value"`
	ContentType string         `json:"contentType"`
	Attributes  map[string]any `json:"attributes"`
	Tags        map[string]any `json:"tags"`
}

func (k *kvRequest) serve() {
	w := k.x.world
	switch k.op {
	case kvSet:
		var body kvSetBody
		dec := json.NewDecoder(bytes.NewReader(k.x.body))
		if err := dec.Decode(&body); err != nil {
			// UNVERIFIED: Key Vault's wording for a body that is not JSON.
			k.fail(http.StatusBadRequest, "BadParameter", "The request body is not a valid JSON object.", "")
			k.x.decision += " Then: the body is not JSON."
			return
		}
		if body.Value == nil {
			// UNVERIFIED: Key Vault's wording for a missing value.
			k.fail(http.StatusBadRequest, "BadParameter", "Property 'value' is required.", "")
			k.x.decision += " Then: the body has no value."
			return
		}
		if len(body.Tags) > 0 || kvAttributesSet(body.Attributes) {
			k.fail(http.StatusNotImplemented, "NotImplemented", "The playground does not simulate secret tags, or attributes other than enabled: true.", "")
			k.x.decision += " Then: tags and attributes are not simulated."
			return
		}
		s, err := w.SetSecret(k.vault, k.name, *body.Value)
		if err != nil {
			k.fault(err)
			return
		}
		s.ContentType = body.ContentType
		k.write(k.bundle(s))
	case kvGet:
		s, err := w.GetSecret(k.vault, k.name, k.version)
		if err != nil {
			k.fault(err)
			return
		}
		k.write(k.bundle(s))
	case kvListVersions:
		versions := k.vault.Vault.Secrets[strings.ToLower(k.name)]
		if len(versions) == 0 {
			_, err := w.GetSecret(k.vault, k.name, "")
			k.fault(err)
			return
		}
		items := make([]kvItem, 0, len(versions))
		for _, s := range versions {
			items = append(items, kvItem{ID: k.secretURI(s.Name, s.Version), ContentType: s.ContentType, Attributes: k.attributes(s)})
		}
		// Key Vault lists versions in the order of their identifiers.
		sort.Slice(items, func(i, j int) bool { return items[i].ID < items[j].ID })
		k.write(kvListBody{Value: items})
	case kvList:
		var names []string
		for n := range k.vault.Vault.Secrets {
			names = append(names, n)
		}
		sort.Strings(names)
		items := make([]kvItem, 0, len(names))
		for _, n := range names {
			versions := k.vault.Vault.Secrets[n]
			s := versions[len(versions)-1]
			items = append(items, kvItem{ID: k.secretURI(versions[0].Name, ""), ContentType: s.ContentType, Attributes: k.attributes(s)})
		}
		k.write(kvListBody{Value: items})
	}
}

// kvAttributesSet reports attributes beyond {"enabled": true}.
func kvAttributesSet(a map[string]any) bool {
	for name, v := range a {
		if name != "enabled" || v != true {
			return true
		}
	}
	return false
}

// kvBundle is a secret as Key Vault returns it, in Key Vault's field order.
type kvBundle struct {
	Value       string       `json:"value"`
	ContentType string       `json:"contentType,omitempty"`
	ID          string       `json:"id"`
	Attributes  kvAttributes `json:"attributes"`
}

type kvAttributes struct {
	Enabled         bool   `json:"enabled"`
	Created         int64  `json:"created"`
	Updated         int64  `json:"updated"`
	RecoveryLevel   string `json:"recoveryLevel"`
	RecoverableDays int    `json:"recoverableDays,omitempty"`
}

type kvItem struct {
	ID          string       `json:"id"`
	ContentType string       `json:"contentType,omitempty"`
	Attributes  kvAttributes `json:"attributes"`
}

type kvListBody struct {
	Value    []kvItem `json:"value"`
	NextLink *string  `json:"nextLink"`
}

func (k *kvRequest) bundle(s *engine.Secret) kvBundle {
	return kvBundle{Value: s.Value, ContentType: s.ContentType, ID: k.secretURI(s.Name, s.Version), Attributes: k.attributes(s)}
}

func (k *kvRequest) attributes(s *engine.Secret) kvAttributes {
	a := kvAttributes{Enabled: true, Created: s.Created.Unix(), Updated: s.Created.Unix(), RecoveryLevel: "Recoverable+Purgeable"}
	if v := k.x.r.URL.Query().Get("api-version"); v != "2015-06-01" && v != "2016-10-01" && v != "7.0" {
		a.RecoverableDays = 90
	}
	return a
}

// secretURI is the secret's identifier: the vault URI, the name, and the
// version when there is one.
func (k *kvRequest) secretURI(name, version string) string {
	u := strings.TrimSuffix(k.vault.Vault.URI, "/") + "/secrets/" + name
	if version != "" {
		u += "/" + version
	}
	return u
}

// headers sets what every Key Vault response carries.
func (k *kvRequest) headers() {
	h := k.x.w.Header()
	h.Set("Cache-Control", "no-cache")
	h.Set("Pragma", "no-cache")
	h.Set("Expires", "-1")
	h.Set("x-ms-keyvault-region", k.vault.Location)
	if id := k.x.r.Header.Get("x-ms-client-request-id"); id != "" {
		h.Set("x-ms-client-request-id", id)
	}
	h.Set("x-ms-request-id", k.requestID)
	h.Set("x-ms-keyvault-service-version", kvServiceVersion)
	h.Set("Strict-Transport-Security", "max-age=31536000;includeSubDomains")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Date", httpDate(k.x.world.Now()))
}

func (k *kvRequest) write(v any) {
	k.headers()
	k.x.writeRaw(http.StatusOK, "application/json; charset=utf-8", kvJSON(v))
}

// kvJSON encodes as Key Vault does: "<", ">" and "&" are written as they are.
func kvJSON(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic("azure: marshal Key Vault response: " + err.Error())
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

type kvError struct {
	Error kvErrorDetail `json:"error"`
}

type kvErrorDetail struct {
	Code       string       `json:"code"`
	Message    string       `json:"message"`
	InnerError *kvInnerCode `json:"innererror,omitempty"`
}

type kvInnerCode struct {
	Code string `json:"code"`
}

// fail writes {"error":{"code","message"[,"innererror":{"code"}]}}.
func (k *kvRequest) fail(status int, code, message, inner string) {
	e := kvError{Error: kvErrorDetail{Code: code, Message: message}}
	if inner != "" {
		e.Error.InnerError = &kvInnerCode{Code: inner}
	}
	k.headers()
	k.x.writeRaw(status, "application/json; charset=utf-8", kvJSON(e))
}

func (k *kvRequest) fault(err error) {
	f, ok := err.(*engine.Fault)
	if !ok {
		f = &engine.Fault{Status: http.StatusInternalServerError, Code: "InternalServerError", Message: err.Error()}
	}
	k.fail(f.Status, f.Code, f.Message, "")
	k.x.decision += " Then: " + f.Message
}
