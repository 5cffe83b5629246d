package token

// explanations holds one learner-facing sentence per claim or header
// parameter. Where a claim's meaning differs by token kind, the sentence
// describes it for a managed identity's token.
var explanations = map[string]string{
	// Header parameters.
	"typ": "The token type: JWT, a JSON Web Token.",
	"alg": "The signature algorithm: RS256, an RSA signature over a SHA-256 hash, and resource servers refuse any other, including none.",
	"kid": "The key ID: which of Entra ID's published signing keys (its JWKS) verifies the signature.",
	"x5t": "The thumbprint of the signing certificate, the same value as kid, sent only in v1.0 tokens.",

	// Claims of v1.0 access tokens.
	"aud":         "The audience: the resource this token is for, exactly the resource the caller asked for.",
	"iss":         "The issuer: the Entra ID token service that signed the token, https://sts.windows.net/ followed by the tenant ID in a v1.0 token.",
	"iat":         "Issued at, in seconds since 1970 (UTC): Entra ID back-dates it by 5 minutes, so in a managed identity's token it equals nbf.",
	"nbf":         "Not before, in seconds since 1970 (UTC): the token is refused before this time, set 5 minutes before issue, to tolerate clock skew.",
	"exp":         "Expires, in seconds since 1970 (UTC): the token is refused after this time, which for a managed identity is 24 hours after it was issued.",
	"aio":         "An opaque value Entra ID records for its own use; do not read meaning into it.",
	"appid":       "The application (client) ID of the caller: for a managed identity, the client ID of its service principal.",
	"appidacr":    "How the client authenticated, 0 public client, 1 client secret, or 2: the client authenticated with a certificate — for a managed identity, one Azure holds and rotates.",
	"idp":         "The identity provider that authenticated the subject; for an app in its own tenant it is the issuer again.",
	"idtyp":       "The kind of caller: app means an application with no signed-in user, as every managed identity is.",
	"name":        "The display name of the signed-in user; app-only tokens, like a managed identity's, have none.",
	"oid":         "The object ID of the caller in Entra ID: for a managed identity, its service principal's object ID, the principal ID that role assignments name.",
	"rh":          "An opaque value Entra ID uses to revalidate the token; do not read meaning into it.",
	"roles":       "The app roles the caller has been granted on the resource's application, present only when some are assigned.",
	"scp":         "The delegated permissions (scopes) a signed-in user consented to; app-only tokens, like a managed identity's, have none.",
	"sub":         "The subject, the principal the token is about: for an app-only token it equals oid.",
	"tid":         "The tenant ID: the Entra ID directory that issued the token and holds the caller.",
	"unique_name": "A human-readable name for the signed-in user, in v1.0 tokens only; app-only tokens have none.",
	"upn":         "The user principal name of the signed-in user, such as alice@contoso.com; app-only tokens have none.",
	"uti":         "A unique identifier of this token (the JWT's jti by another name), different for every token Entra ID issues.",
	"ver":         "The token version: 1.0, the format managed identities receive.",
	"xms_mirid":   "The Azure resource ID of the managed identity: the compute resource for a system-assigned identity, the identity resource for a user-assigned one.",
	"xms_az_rid":  "The Azure resource ID of the compute resource that asked for the token, present only for user-assigned identities.",
	"xms_tcdt":    "When the tenant was created, in seconds since 1970 (UTC).",

	// Claims seen in other Entra ID tokens.
	"azp":    "The application (client) ID of the caller, the v2.0 token's name for appid.",
	"azpacr": "How the client authenticated (0 public client, 1 client secret, 2 certificate), the v2.0 token's name for appidacr.",
	"amr":    "How the signed-in user authenticated, such as pwd or mfa; app-only tokens have none.",
	"groups": "The object IDs of the groups the caller belongs to, present only when the resource's application asks for them.",
	"wids":   "The Entra ID directory roles of the signed-in user, by role template ID.",
	"xms_cc": "The client capabilities the caller declared, such as cp1 for continuous access evaluation; absent unless the client asks.",
}

// Explain returns a one-sentence explanation of a claim, or of a JOSE header
// parameter (typ, alg, kid, x5t), written for someone learning managed
// identities. It returns the empty string for a name it does not know.
func Explain(claim string) string {
	return explanations[claim]
}
