package azure

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/miplay/miplay/engine"
)

// graphFixture is an ARM fixture plus the admin's Graph token.
func newGraphFixture(t *testing.T) (*armFixture, string) {
	t.Helper()
	f := newARMFixture(t)
	var tok string
	f.do(func(w *engine.World) {
		it, err := w.UserToken("https://graph.microsoft.com/")
		if err != nil {
			t.Fatal(err)
		}
		tok = it.Raw
	})
	return f, tok
}

func filterQuery(f string) string { return "?$filter=" + url.QueryEscape(f) }

func TestGraphAuthentication(t *testing.T) {
	f, graph := newGraphFixture(t)
	vm, miARM := f.managedVM("vm1")
	var miGraph string
	f.do(func(w *engine.World) {
		h, _ := w.Host("vm1")
		it, _, err := w.ManagedIdentityToken(h, engine.Selector{}, "https://graph.microsoft.com", engine.ViaIMDS)
		if err != nil {
			t.Fatal(err)
		}
		miGraph = it.Raw
	})
	tests := []struct {
		name, path, tok string
		status          int
		code, msg       string
		method          string // GET if empty
	}{
		{"no token", "/v1.0/me", "", 401, "InvalidAuthenticationToken", "Access token is empty.", ""},
		{"ARM token", "/v1.0/me", f.admin, 401, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience.", ""},
		{"ARM token of an identity", "/v1.0/servicePrincipals", miARM, 401, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience.", ""},
		{"identity without Graph roles", "/v1.0/servicePrincipals/" + vm.Identity.SystemAssigned.PrincipalID, miGraph, 403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.", ""},
		{"identity asks /me", "/v1.0/me", miGraph, 400, "BadRequest", "/me request is only valid with delegated authentication flow.", ""},
		{"unknown segment", "/v1.0/gizmos", graph, 400, "BadRequest", "Resource not found for the segment 'gizmos'.", ""},
		{"beta", "/beta/me", graph, 400, "NotSimulated", "miplay simulates Microsoft Graph v1.0 only; use https://graph.microsoft.com/v1.0.", ""},
		{"no version", "/", graph, 400, "BadRequest", "Invalid version: ", ""},
		{"method", "/v1.0/me", graph, 400, "NotSimulated", "miplay does not simulate DELETE on /v1.0/me; it serves GET there.", "DELETE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := tt.method
			if method == "" {
				method = "GET"
			}
			r := f.call(method, tt.path, tt.tok, nil).must(t, tt.status)
			code, msg := r.errorCode(t)
			if code != tt.code || msg != tt.msg {
				t.Errorf("got %s: %s\nwant %s: %s", code, msg, tt.code, tt.msg)
			}
			inner := r.json(t)["error"].(map[string]any)["innerError"].(map[string]any)
			if inner["request-id"] != r.header.Get("request-id") || inner["date"] != "2026-01-15T09:00:00" || inner["client-request-id"] == "" {
				t.Errorf("innerError %v", inner)
			}
			if tt.status == 401 && !strings.Contains(r.header.Get("WWW-Authenticate"), `client_id="00000003-0000-0000-c000-000000000000"`) {
				t.Errorf("WWW-Authenticate %q", r.header.Get("WWW-Authenticate"))
			}
		})
	}
	// Expired.
	f.do(func(w *engine.World) { w.Advance(3 * time.Hour) })
	r := f.call("GET", "/v1.0/me", graph, nil).must(t, 401)
	if _, msg := r.errorCode(t); msg != "Lifetime validation failed, the token is expired." {
		t.Errorf("expired: %s", msg)
	}
}

func TestGraphMe(t *testing.T) {
	f, graph := newGraphFixture(t)
	var u *engine.User
	f.do(func(w *engine.World) { u = w.Admin })
	want := fmt.Sprintf(`{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users/$entity","businessPhones":[],"displayName":"Ada Admin","givenName":"Ada","jobTitle":null,"mail":null,"mobilePhone":null,"officeLocation":null,"preferredLanguage":null,"surname":"Admin","userPrincipalName":"%s","id":"%s"}`,
		u.UserPrincipalName, u.ObjectID)
	if got := string(f.call("GET", "/v1.0/me", graph, nil).must(t, 200).body); got != want {
		t.Errorf("/me\n got %s\nwant %s", got, want)
	}
	f.call("GET", "/v1.0/users/"+u.UserPrincipalName, graph, nil).must(t, 200)
	list := f.call("GET", "/v1.0/users"+filterQuery("userPrincipalName eq '"+u.UserPrincipalName+"'"), graph, nil).must(t, 200).json(t)["value"].([]any)
	if len(list) != 1 {
		t.Errorf("users filter: %v", list)
	}
	f.call("GET", "/v1.0/users/nobody@contoso.onmicrosoft.com", graph, nil).must(t, 404)
}

func TestGraphManagedIdentityPrincipal(t *testing.T) {
	f, graph := newGraphFixture(t)
	vm, _ := f.managedVM("vm-web")
	si := vm.Identity.SystemAssigned
	var sp *engine.ServicePrincipal
	f.do(func(w *engine.World) { sp, _ = w.PrincipalByObjectID(si.PrincipalID) })
	sum := sha256.Sum256([]byte(strings.ToLower(vm.ID)))
	lowerID := strings.Replace(vm.ID, "/resourceGroups/", "/resourcegroups/", 1)
	cred := sp.Credential
	want := fmt.Sprintf(`{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#servicePrincipals/$entity","id":"%s","deletedDateTime":null,"accountEnabled":true,`+
		`"alternativeNames":["isExplicit=False","%s"],"appDisplayName":null,"appDescription":null,"appId":"%s","applicationTemplateId":null,"appOwnerOrganizationId":null,`+
		`"appRoleAssignmentRequired":false,"description":null,"disabledByMicrosoftStatus":null,"displayName":"vm-web","homepage":null,"loginUrl":null,"logoutUrl":null,"notes":null,`+
		`"notificationEmailAddresses":[],"preferredSingleSignOnMode":null,"preferredTokenSigningKeyThumbprint":null,"replyUrls":[],"servicePrincipalNames":["%s","https://identity.azure.net/%s"],`+
		`"servicePrincipalType":"ManagedIdentity","signInAudience":null,"tags":[],"tokenEncryptionKeyId":null,"info":null,"samlSingleSignOnSettings":null,"addIns":[],"appRoles":[],`+
		`"keyCredentials":[{"customKeyIdentifier":"%s","displayName":null,"endDateTime":"2026-04-15T09:00:00Z","key":null,"keyId":"%s","startDateTime":"2026-01-15T09:00:00Z","type":"AsymmetricX509Cert","usage":"Verify"}],`+
		`"oauth2PermissionScopes":[],"passwordCredentials":[],"resourceSpecificApplicationPermissions":[],"verifiedPublisher":{"displayName":null,"verifiedPublisherId":null,"addedDateTime":null}}`,
		si.PrincipalID, lowerID, si.ClientID, si.ClientID, base64.StdEncoding.EncodeToString(sum[:]), cred.Thumbprint, stableGUID("keyId", cred.Thumbprint))
	if got := string(f.call("GET", "/v1.0/servicePrincipals/"+si.PrincipalID, graph, nil).must(t, 200).body); got != want {
		t.Errorf("GET\n got %s\nwant %s", got, want)
	}
	f.call("GET", "/v1.0/servicePrincipals(appId='"+si.ClientID+"')", graph, nil).must(t, 200)

	// The lookups az makes.
	filters := []struct {
		filter string
		n      int
	}{
		{"servicePrincipalNames/any(c:c eq '" + si.ClientID + "')", 1},
		{"appId eq '" + si.ClientID + "'", 1},
		{"displayName eq 'VM-WEB'", 1},
		{"startswith(displayName,'vm-')", 1},
		{"servicePrincipalType eq 'ManagedIdentity' and displayName eq 'vm-web'", 1},
		{"displayName eq 'nope'", 0},
	}
	for _, tt := range filters {
		list := f.call("GET", "/v1.0/servicePrincipals"+filterQuery(tt.filter), graph, nil).must(t, 200).json(t)["value"].([]any)
		if len(list) != tt.n {
			t.Errorf("$filter=%s: %d results, want %d", tt.filter, len(list), tt.n)
		}
	}
	r := f.call("GET", "/v1.0/servicePrincipals"+filterQuery("homepage eq 'x'"), graph, nil).must(t, 400)
	if code, msg := r.errorCode(t); code != "Request_UnsupportedQuery" || msg != "Unsupported or invalid query filter clause specified for property 'homepage' of resource 'ServicePrincipal'." {
		t.Errorf("unsupported filter: %s: %s", code, msg)
	}

	// Deleting the VM deletes the principal: Graph answers 404, which
	// az ad sp show turns into exit code 3.
	f.call("DELETE", f.sub+"/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-web", f.admin, nil).must(t, 200)
	r = f.call("GET", "/v1.0/servicePrincipals/"+si.PrincipalID, graph, nil).must(t, 404)
	id := r.header.Get("request-id")
	want = fmt.Sprintf(`{"error":{"code":"Request_ResourceNotFound","message":"Resource '%s' does not exist or one of its queried reference-property objects are not present.","innerError":{"date":"2026-01-15T09:00:00","request-id":"%s","client-request-id":"%s"}}}`,
		si.PrincipalID, id, id)
	if string(r.body) != want {
		t.Errorf("deleted\n got %s\nwant %s", r.body, want)
	}
	if !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		t.Errorf("Content-Type %q", r.header.Get("Content-Type"))
	}
	if list := f.call("GET", "/v1.0/servicePrincipals"+filterQuery("appId eq '"+si.ClientID+"'"), graph, nil).must(t, 200).json(t)["value"].([]any); len(list) != 0 {
		t.Errorf("deleted principal listed: %v", list)
	}
}

func TestGraphUserAssignedPrincipal(t *testing.T) {
	f, graph := newGraphFixture(t)
	var ui *engine.Resource
	f.do(func(w *engine.World) { ui, _ = w.CreateUserIdentity(engine.ResourceSpec{Group: "rg", Name: "id-app"}) })
	m := f.call("GET", "/v1.0/servicePrincipals/"+ui.UserIdentity.PrincipalID, graph, nil).must(t, 200).json(t)
	alt := m["alternativeNames"].([]any)
	if alt[0] != "isExplicit=True" || alt[1] != ui.ID || m["appId"] != ui.UserIdentity.ClientID {
		t.Errorf("user-assigned principal: %v", m)
	}
}

func TestGraphCreateForRBACAndReset(t *testing.T) {
	f, graph := newGraphFixture(t)
	// az ad sp create-for-rbac --name app-legacy
	if list := f.call("GET", "/v1.0/servicePrincipals"+filterQuery("displayName eq 'app-legacy'"), graph, nil).must(t, 200).json(t)["value"].([]any); len(list) != 0 {
		t.Fatalf("existing: %v", list)
	}
	if list := f.call("GET", "/v1.0/applications"+filterQuery("startswith(displayName,'app-legacy')"), graph, nil).must(t, 200).json(t)["value"].([]any); len(list) != 0 {
		t.Fatalf("existing apps: %v", list)
	}
	app := f.call("POST", "/v1.0/applications", graph, map[string]any{"displayName": "app-legacy"}).must(t, 201).json(t)
	appObj, appID := app["id"].(string), app["appId"].(string)
	if len(app["passwordCredentials"].([]any)) != 0 || app["signInAudience"] != "AzureADMyOrg" {
		t.Errorf("application: %v", app)
	}
	end := engine.DefaultStart.AddDate(1, 0, 0).Format("2006-01-02T15:04:05Z")
	pw := f.call("POST", "/v1.0/applications/"+appObj+"/addPassword", graph, map[string]any{"passwordCredential": map[string]any{
		"displayName": "rbac", "startDateTime": "2026-01-15T09:00:00Z", "endDateTime": end}}).must(t, 200).json(t)
	secret, _ := pw["secretText"].(string)
	if len(secret) != 40 || pw["hint"] != secret[:3] || pw["endDateTime"] != end || pw["displayName"] != "rbac" {
		t.Errorf("addPassword: %v", pw)
	}
	// Before the principal exists, nothing can sign in.
	signIn := func(secret string) error {
		var err error
		f.do(func(w *engine.World) {
			_, err = w.ClientCredentialsToken(appID, secret, "https://management.azure.com/")
		})
		return err
	}
	if signIn(secret) == nil {
		t.Error("signed in without a service principal")
	}
	sp := f.call("POST", "/v1.0/servicePrincipals", graph, map[string]any{"appId": appID, "accountEnabled": true}).must(t, 201).json(t)
	if sp["servicePrincipalType"] != "Application" || sp["appOwnerOrganizationId"] == nil || sp["servicePrincipalNames"].([]any)[0] != appID {
		t.Errorf("service principal: %v", sp)
	}
	if err := signIn(secret); err != nil {
		t.Errorf("sign in with the new secret: %v", err)
	}
	f.call("POST", "/v1.0/servicePrincipals", graph, map[string]any{"appId": appID}).must(t, 409)
	r := f.call("POST", "/v1.0/servicePrincipals", graph, map[string]any{"appId": "6d6d6d6d-0000-4000-8000-000000000000"}).must(t, 400)
	if _, msg := r.errorCode(t); !strings.Contains(msg, " does not reference ") {
		t.Errorf("no such app: %s", msg)
	}

	// az ad sp credential reset --id <appId>: show, remove each, add one.
	spObj := sp["id"].(string)
	shown := f.call("GET", "/v1.0/servicePrincipals"+filterQuery("servicePrincipalNames/any(c:c eq '"+appID+"')"), graph, nil).must(t, 200).json(t)["value"].([]any)[0].(map[string]any)
	creds := shown["passwordCredentials"].([]any)
	if len(creds) != 1 || creds[0].(map[string]any)["secretText"] != nil {
		t.Fatalf("credentials shown: %v", creds)
	}
	keyID := creds[0].(map[string]any)["keyId"].(string)
	f.call("POST", "/v1.0/servicePrincipals/"+spObj+"/removePassword", graph, map[string]string{"keyId": keyID}).must(t, 204)
	f.call("POST", "/v1.0/servicePrincipals/"+spObj+"/removePassword", graph, map[string]string{"keyId": keyID}).must(t, 404)
	pw = f.call("POST", "/v1.0/servicePrincipals/"+spObj+"/addPassword", graph, map[string]any{"passwordCredential": map[string]any{"endDateTime": end}}).must(t, 200).json(t)
	if signIn(secret) == nil {
		t.Error("the removed secret still signs in")
	}
	if err := signIn(pw["secretText"].(string)); err != nil {
		t.Errorf("the new secret: %v", err)
	}
	f.call("GET", "/v1.0/applications(appId='"+appID+"')", graph, nil).must(t, 200)

	// A managed identity's credentials are Azure's.
	vm, _ := f.managedVM("vm1")
	f.call("POST", "/v1.0/servicePrincipals/"+vm.Identity.SystemAssigned.PrincipalID+"/addPassword", graph, map[string]any{}).must(t, 400)
}

func TestGraphGetByIDs(t *testing.T) {
	f, graph := newGraphFixture(t)
	gone, _ := f.managedVM("vm-gone")
	kept, _ := f.managedVM("vm-kept")
	f.call("DELETE", f.sub+"/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-gone", f.admin, nil).must(t, 200)
	var admin string
	f.do(func(w *engine.World) { admin = w.Admin.ObjectID })
	r := f.call("POST", "/v1.0/directoryObjects/getByIds", graph, map[string]any{
		"ids":   []string{admin, gone.Identity.SystemAssigned.PrincipalID, kept.Identity.SystemAssigned.PrincipalID},
		"types": []string{"user", "group", "servicePrincipal", "directoryObjectPartnerReference"}}).must(t, 200)
	list := r.json(t)["value"].([]any)
	if len(list) != 2 {
		t.Fatalf("getByIds: %s", r.body)
	}
	u, sp := list[0].(map[string]any), list[1].(map[string]any)
	if u["@odata.type"] != "#microsoft.graph.user" || sp["@odata.type"] != "#microsoft.graph.servicePrincipal" || sp["id"] != kept.Identity.SystemAssigned.PrincipalID {
		t.Errorf("getByIds: %s", r.body)
	}
}
