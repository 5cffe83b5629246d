// Package token issues and validates the access tokens of the simulated
// Microsoft Entra ID: RS256 JWTs in the v1.0 shape that managed identities
// receive, the public keys as a JWKS, and validation as a resource server
// performs it, with the reason for every refusal.
//
// It is a leaf package: pure Go, no I/O, no clock, no global randomness.
//
// # Keys
//
// [DefaultKeys] is the simulated Entra ID's key set: two RSA-2048 key pairs
// with self-signed certificates (CN=accounts.accesscontrol.windows.net),
// those of keys/*.pem, compiled into defaultkeys.go (go generate) so that
// nothing is parsed at start-up. They are public by design: anyone who
// reads this repository can sign tokens that the simulator accepts, which
// is harmless, because the simulator protects nothing. Never trust them
// outside it. They are fixed files rather than keys derived from a seed
// because Go's crypto ignores custom random sources, and because generating
// RSA keys costs about 0.6 s in the browser. The first key signs; each
// key's kid, like Entra ID's, is the base64url SHA-1 thumbprint of its
// certificate, and equals the x5t. [KeySet.JWKS] and [KeySet.JWKSV2]
// publish the public halves only.
//
// # Issuing
//
// A [Signer] turns [Claims] into a token. RS256 signing is deterministic, so
// the same claims always give the same token, and a Signer remembers the
// tokens it signed, so replaying a scenario does not sign again.
// A host program with a faster RSA than Go's, such as the browser's
// WebCrypto, can have Signers use it with [UseRS256]; tokens do not change.
//
// # Validating
//
// [KeySet.Validate] checks a token as Azure Storage, Key Vault or ARM would:
// format, algorithm, key and signature, lifetime with five minutes of clock
// skew, audience, issuer, in that order, and reports the first refusal as a
// [Failure] whose [FailureKind] the services word in their own formats.
// [Decode] and [Explain] serve the token panel: the header and claims of any
// token, and a sentence on what each claim means.
package token
