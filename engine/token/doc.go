// Package token issues and validates the access tokens of the simulated
// Microsoft Entra ID: RS256 JWTs in the v1.0 shape that managed identities
// receive, the public keys as a JWKS, and validation as a resource server
// performs it, with the reason for every refusal.
//
// It is a leaf package: pure Go, no I/O, no clock, no global randomness.
package token
