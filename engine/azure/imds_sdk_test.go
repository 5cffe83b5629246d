package azure

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// The Azure SDK for Go's credentials, sent through the Cloud's transport:
// what the emulator serves must be what the real clients accept.

type miSDKTransport struct{ c *http.Client }

func (s miSDKTransport) Do(r *http.Request) (*http.Response, error) { return s.c.Do(r) }

func (f *miFixture) sdkOptions(from string) azcore.ClientOptions {
	return azcore.ClientOptions{Transport: miSDKTransport{f.c.Client(from)}}
}

func TestSDKManagedIdentityIMDS(t *testing.T) {
	f := newMIFixture(t)
	cred, err := azidentity.NewManagedIdentityCredential(&azidentity.ManagedIdentityCredentialOptions{ClientOptions: f.sdkOptions("vm-sys")})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{"https://management.azure.com/.default"}})
	if err != nil {
		t.Fatal(err)
	}
	issued := f.lastToken(t)
	if tok.Token != issued.Raw || !tok.ExpiresOn.Equal(issued.ExpiresAt) || issued.Audience != "https://management.azure.com" {
		t.Errorf("SDK token expires %v, aud %s; issued %s expires %v", tok.ExpiresOn, issued.Audience, issued.ID, issued.ExpiresAt)
	}
	if ex := f.lastExchange(t); ex.Service != "IMDS" || ex.Status != 200 {
		t.Errorf("recorded %s %d", ex.Service, ex.Status)
	}
	// Several user-assigned identities and no ID: the SDK reports IMDS's body.
	cred, _ = azidentity.NewManagedIdentityCredential(&azidentity.ManagedIdentityCredentialOptions{ClientOptions: f.sdkOptions("vm-two")})
	_, err = cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{"https://storage.azure.com/.default"}})
	if err == nil || !strings.Contains(err.Error(), "Multiple user assigned identities exist") {
		t.Errorf("vm-two without an ID: %v", err)
	}
}

func TestSDKManagedIdentityAppService(t *testing.T) {
	f := newMIFixture(t)
	env := f.c.HostEnvironment("app-func")
	t.Setenv("IDENTITY_ENDPOINT", env["IDENTITY_ENDPOINT"])
	t.Setenv("IDENTITY_HEADER", env["IDENTITY_HEADER"])
	cred, err := azidentity.NewManagedIdentityCredential(&azidentity.ManagedIdentityCredentialOptions{
		ID: azidentity.ResourceID(f.ids["id-a"].ID), ClientOptions: f.sdkOptions("app-func")})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{"https://vault.azure.net/.default"}})
	if err != nil {
		t.Fatal(err)
	}
	issued := f.lastToken(t)
	if tok.Token != issued.Raw || issued.ClientID != f.clientID("id-a") || !tok.ExpiresOn.Equal(issued.ExpiresAt) {
		t.Errorf("SDK token expires %v; issued to %s", tok.ExpiresOn, issued.ClientID)
	}
	if ex := f.lastExchange(t); ex.Service != "App Service identity" || ex.Status != 200 {
		t.Errorf("recorded %s %d", ex.Service, ex.Status)
	}
}

func TestSDKClientSecret(t *testing.T) {
	f := newMIFixture(t)
	app := f.registerApp(t)
	opts := &azidentity.ClientSecretCredentialOptions{ClientOptions: f.sdkOptions(Workstation)}
	cred, err := azidentity.NewClientSecretCredential(f.tenantID(), app.clientID, app.secret, opts)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{"https://management.azure.com/.default"}})
	if err != nil {
		t.Fatal(err)
	}
	// The SDK counts expires_in from its own clock, which is the wall clock.
	if issued := f.lastToken(t); tok.Token != issued.Raw || time.Until(tok.ExpiresOn) < 3500*time.Second {
		t.Errorf("SDK token expires %v", tok.ExpiresOn)
	}
	cred, _ = azidentity.NewClientSecretCredential(f.tenantID(), app.clientID, "not-the-secret", opts)
	_, err = cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{"https://vault.azure.net/.default"}})
	if err == nil || !strings.Contains(err.Error(), "AADSTS7000215") {
		t.Errorf("wrong secret: %v", err)
	}
}
