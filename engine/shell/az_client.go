package shell

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/miplay/miplay/engine"
	"github.com/miplay/miplay/engine/azure"
)

// Resources az asks tokens for, as azure-cli's cloud configuration names
// them.
const (
	armResource   = "https://management.core.windows.net/"
	graphResource = "https://graph.microsoft.com/"
	armEndpoint   = "https://management.azure.com"
	graphEndpoint = "https://graph.microsoft.com"
)

// An azProfile is who az is signed in as on one host, and its token cache:
// the simulated ~/.azure.
type azProfile struct {
	Kind string // "user", "servicePrincipal" or "managedIdentity"
	// For "user": the signed-in user's UPN.
	User string
	// For "servicePrincipal": the app's client ID and secret, and the tenant.
	ClientID, Secret, Tenant string
	// For "managedIdentity": which identity (all empty: the default one).
	Identity engine.Selector
	tokens   map[string]azToken
}

type azToken struct {
	raw     string
	expires time.Time
}

// name is how `az account show` names the signed-in account.
func (pr *azProfile) user() map[string]any {
	switch pr.Kind {
	case "servicePrincipal":
		return map[string]any{"name": pr.ClientID, "type": "servicePrincipal"}
	case "managedIdentity":
		info, name := "MSI", "systemAssignedIdentity"
		switch {
		case pr.Identity.ClientID != "":
			info, name = "MSIClient-"+pr.Identity.ClientID, "userAssignedIdentity"
		case pr.Identity.ObjectID != "":
			info, name = "MSIObject-"+pr.Identity.ObjectID, "userAssignedIdentity"
		case pr.Identity.ResourceID != "":
			info, name = "MSIResource-"+pr.Identity.ResourceID, "userAssignedIdentity"
		}
		return map[string]any{"assignedIdentityInfo": info, "name": name, "type": "servicePrincipal"}
	}
	return map[string]any{"name": pr.User, "type": "user"}
}

const azStateKey = "az.profile"

// profile returns who az is signed in as here: the workstation starts
// signed in as the tenant's admin; a compute host starts signed out.
func (c *azCall) profile() (*azProfile, error) {
	if pr, ok := c.p.State[azStateKey].(*azProfile); ok {
		return pr, nil
	}
	if c.p.Host == azure.Workstation || c.p.Host == "" {
		var upn string
		c.p.Cloud.Do(func(w *engine.World) { upn = w.Admin.UserPrincipalName })
		pr := &azProfile{Kind: "user", User: upn}
		c.setProfile(pr)
		return pr, nil
	}
	return nil, clierrf("Please run 'az login' to setup account.")
}

func (c *azCall) setProfile(pr *azProfile) {
	if c.p.State != nil {
		c.p.State[azStateKey] = pr
	}
}

// token returns an access token for resource from az's cache, or gets a
// new one the way the signed-in account gets tokens: the admin from Entra,
// a service principal with its client secret, a managed identity from the
// host's token endpoint.
func (c *azCall) token(resource string) (string, error) {
	pr, err := c.profile()
	if err != nil {
		return "", err
	}
	now := c.now()
	if t, ok := pr.tokens[resource]; ok && now.Before(t.expires.Add(-5*time.Minute)) {
		return t.raw, nil
	}
	var raw string
	var exp time.Time
	switch pr.Kind {
	case "user":
		var tok engine.IssuedToken
		c.p.Cloud.Do(func(w *engine.World) { tok, err = w.UserToken(resource) })
		raw, exp = tok.Raw, tok.ExpiresAt
	case "servicePrincipal":
		raw, exp, err = c.clientCredentialsToken(pr, resource)
	case "managedIdentity":
		raw, exp, err = c.managedIdentityToken(pr.Identity, resource)
	}
	if err != nil {
		return "", err
	}
	if pr.tokens == nil {
		pr.tokens = map[string]azToken{}
	}
	pr.tokens[resource] = azToken{raw, exp}
	return raw, nil
}

func (c *azCall) now() time.Time {
	var t time.Time
	c.p.Cloud.Do(func(w *engine.World) { t = w.Now() })
	return t
}

// clientCredentialsToken signs a service principal in at Entra's v2.0
// token endpoint, as MSAL does for az.
func (c *azCall) clientCredentialsToken(pr *azProfile, resource string) (string, time.Time, error) {
	form := url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {pr.ClientID},
		"client_secret": {pr.Secret},
		"scope":         {strings.TrimSuffix(resource, "/") + "/.default"},
	}
	req, _ := http.NewRequestWithContext(c.p.Ctx, "POST", "https://"+azure.LoginHost+"/"+pr.Tenant+"/oauth2/v2.0/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	var body struct {
		AccessToken      string `json:"access_token"`
		ExpiresIn        int64  `json:"expires_in"`
		Error            string `json:"error"`
		ErrorDescription string `json:"error_description"`
	}
	status, err := c.do(req, &body)
	if err != nil {
		return "", time.Time{}, err
	}
	if status != 200 {
		return "", time.Time{}, clierrf("%s", body.ErrorDescription)
	}
	return body.AccessToken, c.now().Add(time.Duration(body.ExpiresIn) * time.Second), nil
}

// managedIdentityToken asks the host's token endpoint, as azure-cli's
// managed identity credential does: IMDS on a VM, the App Service identity
// endpoint in a web or function app.
func (c *azCall) managedIdentityToken(sel engine.Selector, resource string) (string, time.Time, error) {
	var req *http.Request
	q := url.Values{"resource": {resource}}
	if ep := c.p.Getenv("IDENTITY_ENDPOINT"); ep != "" {
		q.Set("api-version", "2019-08-01")
		setSelector(q, sel, "principal_id", "mi_res_id")
		req, _ = http.NewRequestWithContext(c.p.Ctx, "GET", ep+"?"+q.Encode(), nil)
		req.Header.Set("X-IDENTITY-HEADER", c.p.Getenv("IDENTITY_HEADER"))
	} else {
		q.Set("api-version", "2018-02-01")
		setSelector(q, sel, "object_id", "msi_res_id")
		req, _ = http.NewRequestWithContext(c.p.Ctx, "GET", "http://"+azure.IMDSHost+"/metadata/identity/oauth2/token?"+q.Encode(), nil)
		req.Header.Set("Metadata", "true")
	}
	resp, err := c.p.Client().Do(req)
	if err != nil {
		// The network error itself (a timeout, here) is logged by az only
		// with --debug.
		return "", time.Time{}, clierrf("Failed to connect to MSI. Please make sure MSI is configured correctly.")
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	status := resp.StatusCode
	if status != 200 {
		// UNVERIFIED: this is the wording of azure-cli's managed identity
		// client (msrestazure's MSIAuthentication), with the endpoint's body
		// verbatim; newer releases built on MSAL word the wrapper differently.
		return "", time.Time{}, clierrf("Get Token request returned http error: %d and server response: %s", status, strings.TrimSpace(string(raw)))
	}
	var body struct {
		AccessToken string `json:"access_token"`
		ExpiresOn   string `json:"expires_on"`
	}
	if err := json.Unmarshal(raw, &body); err != nil {
		return "", time.Time{}, clierrf("Failed to connect to MSI. Please make sure MSI is configured correctly.")
	}
	var unix int64
	fmt.Sscan(body.ExpiresOn, &unix)
	return body.AccessToken, time.Unix(unix, 0).UTC(), nil
}

func setSelector(q url.Values, sel engine.Selector, objectParam, resourceParam string) {
	switch {
	case sel.ClientID != "":
		q.Set("client_id", sel.ClientID)
	case sel.ObjectID != "":
		q.Set(objectParam, sel.ObjectID)
	case sel.ResourceID != "":
		q.Set(resourceParam, sel.ResourceID)
	}
}

// do sends a request through the simulated network as this host and
// decodes a JSON response into out (if not nil). Network failures come back
// as errors.
func (c *azCall) do(req *http.Request, out any) (int, error) {
	resp, err := (&Client{Transport: c.p.Cloud.Transport(c.p.Host)}).Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil && len(bytes.TrimSpace(b)) > 0 {
		if err := json.Unmarshal(b, out); err != nil && resp.StatusCode < 300 {
			return resp.StatusCode, fmt.Errorf("az: unexpected response from %s: %w", req.URL.Host, err)
		}
	}
	return resp.StatusCode, nil
}

// arm calls Azure Resource Manager with the signed-in account's token and
// returns the decoded JSON body. An error response becomes an
// *azServiceError carrying ARM's code and message.
func (c *azCall) arm(method, path, apiVersion string, body any) (map[string]any, error) {
	return c.callJSON(method, armEndpoint+path, apiVersion, armResource, body)
}

// armCreate PUTs a resource and returns it. Creation may be a long-running
// operation whose first answer is not the resource; az then prints the
// resource as a GET returns it once the operation is done.
func (c *azCall) armCreate(path, apiVersion string, body any) (map[string]any, error) {
	out, err := c.arm("PUT", path, apiVersion, body)
	if err != nil {
		return nil, err
	}
	if _, ok := out["id"]; !ok {
		return c.arm("GET", path, apiVersion, nil)
	}
	return out, nil
}

// graph calls Microsoft Graph v1.0 with the signed-in account's token.
func (c *azCall) graph(method, path string, body any) (map[string]any, error) {
	return c.callJSON(method, graphEndpoint+"/v1.0"+path, "", graphResource, body)
}

func (c *azCall) callJSON(method, rawURL, apiVersion, resource string, body any) (map[string]any, error) {
	tok, err := c.token(resource)
	if err != nil {
		return nil, err
	}
	if apiVersion != "" {
		sep := "?"
		if strings.Contains(rawURL, "?") {
			sep = "&"
		}
		rawURL += sep + "api-version=" + apiVersion
	}
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(c.p.Ctx, method, rawURL, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("User-Agent", "AZURECLI/2.67.0 (miplay)")
	var out map[string]any
	status, err := c.do(req, &out)
	if err != nil {
		return nil, err
	}
	if status >= 400 {
		return nil, serviceError(status, out)
	}
	return out, nil
}

// serviceError reads ARM's and Graph's {"error":{"code","message"}}.
func serviceError(status int, body map[string]any) error {
	e := &azServiceError{Status: status, Code: "Unknown", Message: fmt.Sprintf("Operation returned an invalid status code '%s'", http.StatusText(status))}
	if inner, ok := body["error"].(map[string]any); ok {
		if code, ok := inner["code"].(string); ok {
			e.Code = code
		}
		if msg, ok := inner["message"].(string); ok {
			e.Message = msg
		}
	}
	return e
}
