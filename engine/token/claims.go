package token

import (
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Claims is the payload of a v1.0 Entra ID access token, as managed identities
// receive it. Fields are in Entra ID's order, which is also the order of the
// encoded JSON: aud, iss, iat, nbf and exp first, then the rest alphabetically.
// A field left at its zero value is omitted from the token, as Entra ID omits
// claims that do not apply (an app-only token has no name, scp or upn; roles
// appear only when app roles are assigned), except the first five, which every
// token has.
//
// A typical managed-identity token sets Audience, Issuer, IssuedAt, NotBefore,
// ExpiresAt, AIO, AppID, AppIDACR ("2"), IdP, IDType ("app"), ObjectID, RH,
// Subject, TenantID, UTI, Version ("1.0"), MIResourceID and, for a
// user-assigned identity, AzureResourceID.
//
// Claims implements [jwt.Claims], so jwt/v5 can validate its times.
type Claims struct {
	Audience  string `json:"aud"` // the resource URI, exactly as requested
	Issuer    string `json:"iss"` // https://sts.windows.net/{tid}/
	IssuedAt  int64  `json:"iat"` // Unix seconds
	NotBefore int64  `json:"nbf"` // Unix seconds
	ExpiresAt int64  `json:"exp"` // Unix seconds

	AIO        string   `json:"aio,omitempty"`         // opaque
	AppID      string   `json:"appid,omitempty"`       // client ID of the caller
	AppIDACR   string   `json:"appidacr,omitempty"`    // "0" public, "1" secret, "2" certificate
	IdP        string   `json:"idp,omitempty"`         // identity provider; equals iss for app tokens
	IDType     string   `json:"idtyp,omitempty"`       // "app" for app-only tokens
	Name       string   `json:"name,omitempty"`        // user display name
	ObjectID   string   `json:"oid,omitempty"`         // principal's object ID
	RH         string   `json:"rh,omitempty"`          // opaque
	Roles      []string `json:"roles,omitempty"`       // assigned app roles
	Scope      string   `json:"scp,omitempty"`         // delegated scopes, space-separated
	Subject    string   `json:"sub,omitempty"`         // equals oid for app tokens
	TenantID   string   `json:"tid,omitempty"`         // directory (tenant) ID
	UniqueName string   `json:"unique_name,omitempty"` // user name (v1.0 only)
	UPN        string   `json:"upn,omitempty"`         // user principal name
	UTI        string   `json:"uti,omitempty"`         // unique token identifier
	Version    string   `json:"ver,omitempty"`         // "1.0"

	// AzureResourceID (xms_az_rid) is the compute resource that asked for the
	// token; Entra ID sets it only for user-assigned identities.
	AzureResourceID string `json:"xms_az_rid,omitempty"`
	// MIResourceID (xms_mirid) is the compute resource for a system-assigned
	// identity and the identity resource for a user-assigned one, with
	// "resourcegroups" in lower case as Entra ID writes it.
	MIResourceID string `json:"xms_mirid,omitempty"`
	// TenantCreated (xms_tcdt) is when the tenant was created, in Unix seconds.
	// Real tokens carry it as a JSON number; captures that show it as a
	// string come from the activity log, which stringifies every claim.
	TenantCreated int64 `json:"xms_tcdt,omitempty"`
}

func numericDate(unix int64) *jwt.NumericDate {
	if unix == 0 {
		return nil
	}
	return jwt.NewNumericDate(time.Unix(unix, 0))
}

// GetExpirationTime returns exp, or nil if it is zero (absent).
// It implements [jwt.Claims].
func (c Claims) GetExpirationTime() (*jwt.NumericDate, error) {
	return numericDate(c.ExpiresAt), nil
}

// GetIssuedAt returns iat, or nil if it is zero (absent).
// It implements [jwt.Claims].
func (c Claims) GetIssuedAt() (*jwt.NumericDate, error) {
	return numericDate(c.IssuedAt), nil
}

// GetNotBefore returns nbf, or nil if it is zero (absent).
// It implements [jwt.Claims].
func (c Claims) GetNotBefore() (*jwt.NumericDate, error) {
	return numericDate(c.NotBefore), nil
}

// GetIssuer returns iss. It implements [jwt.Claims].
func (c Claims) GetIssuer() (string, error) {
	return c.Issuer, nil
}

// GetSubject returns sub. It implements [jwt.Claims].
func (c Claims) GetSubject() (string, error) {
	return c.Subject, nil
}

// GetAudience returns aud as a one-element list, or nil if it is empty.
// It implements [jwt.Claims].
func (c Claims) GetAudience() (jwt.ClaimStrings, error) {
	if c.Audience == "" {
		return nil, nil
	}
	return jwt.ClaimStrings{c.Audience}, nil
}

var _ jwt.Claims = Claims{}
