package token_test

import (
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"github.com/miplay/miplay/engine/token"
)

// A user-assigned managed identity's token for Azure Storage, issued at
// 2025-09-12 14:30 UTC by the simulated clock.
func exampleClaims() token.Claims {
	const tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47"
	issued := time.Date(2025, 9, 12, 14, 30, 0, 0, time.UTC).Unix()
	return token.Claims{
		Audience:        "https://storage.azure.com/",
		Issuer:          "https://sts.windows.net/" + tenant + "/",
		IssuedAt:        issued - 300,
		NotBefore:       issued - 300,
		ExpiresAt:       issued + 86400,
		AppID:           "0d4a3e1b-7a43-4f5e-9c1c-3a1f2b6c8d90",
		AppIDACR:        "2",
		IdP:             "https://sts.windows.net/" + tenant + "/",
		IDType:          "app",
		ObjectID:        "9b2d6c4e-1f0a-4c3b-8e7d-5a6f7b8c9d0e",
		Subject:         "9b2d6c4e-1f0a-4c3b-8e7d-5a6f7b8c9d0e",
		TenantID:        tenant,
		UTI:             "yO3F62CSGkedkoxqPrkWAA",
		Version:         "1.0",
		AzureResourceID: "/subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups/rg-demo/providers/Microsoft.Compute/virtualMachines/vm-web",
		MIResourceID:    "/subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups/rg-demo/providers/Microsoft.ManagedIdentity/userAssignedIdentities/payments",
	}
}

func ExampleSigner_Sign() {
	signer := token.NewSigner(token.DefaultKeys())
	raw, err := signer.Sign(exampleClaims())
	if err != nil {
		panic(err)
	}

	// A JWT is header.claims.signature, each base64url-encoded.
	parts := strings.Split(raw, ".")
	header, _ := base64.RawURLEncoding.DecodeString(parts[0])
	claims, _ := base64.RawURLEncoding.DecodeString(parts[1])
	fmt.Println(string(header))
	fmt.Println(string(claims))

	// Signing is deterministic, and the second token comes from the cache.
	again, _ := signer.Sign(exampleClaims())
	fmt.Println(again == raw)
	// Output:
	// {"typ":"JWT","alg":"RS256","x5t":"4lPszU71OJLc03bKOOqZ00_rcUU","kid":"4lPszU71OJLc03bKOOqZ00_rcUU"}
	// {"aud":"https://storage.azure.com/","iss":"https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/","iat":1757687100,"nbf":1757687100,"exp":1757773800,"appid":"0d4a3e1b-7a43-4f5e-9c1c-3a1f2b6c8d90","appidacr":"2","idp":"https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/","idtyp":"app","oid":"9b2d6c4e-1f0a-4c3b-8e7d-5a6f7b8c9d0e","sub":"9b2d6c4e-1f0a-4c3b-8e7d-5a6f7b8c9d0e","tid":"72f988bf-86f1-41af-91ab-2d7cd011db47","uti":"yO3F62CSGkedkoxqPrkWAA","ver":"1.0","xms_az_rid":"/subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups/rg-demo/providers/Microsoft.Compute/virtualMachines/vm-web","xms_mirid":"/subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups/rg-demo/providers/Microsoft.ManagedIdentity/userAssignedIdentities/payments"}
	// true
}

func ExampleKeySet_Validate() {
	keys := token.DefaultKeys()
	raw, err := token.NewSigner(keys).Sign(exampleClaims())
	if err != nil {
		panic(err)
	}

	// Azure Storage checks the token an hour after it was issued.
	storage := token.Expect{
		Audiences: []string{"https://storage.azure.com/"},
		Issuers:   []string{"https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/"},
		Now:       time.Date(2025, 9, 12, 15, 30, 0, 0, time.UTC),
	}
	claims, failure := keys.Validate(raw, storage)
	fmt.Println(claims.ObjectID, failure == nil)

	// Key Vault refuses the same token: it is for another audience.
	vault := storage
	vault.Audiences = []string{"https://vault.azure.net"}
	_, failure = keys.Validate(raw, vault)
	fmt.Println(failure.Kind)
	fmt.Println(failure)
	fmt.Println(failure.Detail)

	// A day later, Storage refuses it too: it has expired.
	storage.Now = storage.Now.Add(24 * time.Hour)
	_, failure = keys.Validate(raw, storage)
	fmt.Println(failure)
	fmt.Println(failure.Detail)
	// Output:
	// 9b2d6c4e-1f0a-4c3b-8e7d-5a6f7b8c9d0e true
	// WrongAudience
	// Audience validation failed. Audience did not match.
	// The token is for "https://storage.azure.com/" (aud); this resource accepts only "https://vault.azure.net".
	// Lifetime validation failed. The token is expired.
	// The token expired at 2025-09-13T14:30:00Z (exp 1757773800); it is now 2025-09-13T15:30:00Z, and 5m0s of clock skew is allowed.
}

func ExampleExplain() {
	for _, claim := range []string{"aud", "appidacr", "xms_mirid"} {
		fmt.Printf("%s: %s\n", claim, token.Explain(claim))
	}
	// Output:
	// aud: The audience: the resource this token is for, exactly the resource the caller asked for.
	// appidacr: How the client authenticated, 0 public client, 1 client secret, or 2: the client authenticated with a certificate — for a managed identity, one Azure holds and rotates.
	// xms_mirid: The Azure resource ID of the managed identity: the compute resource for a system-assigned identity, the identity resource for a user-assigned one.
}
