// Package emulator is the logic of `miplay emulate`: it runs a scenario file
// to build a simulated cloud, then serves the managed identity endpoint of one
// of the scenario's compute hosts on a real listener, so that the Azure SDKs'
// ManagedIdentityCredential (Go's azidentity, JavaScript's @azure/identity)
// get tokens from it as they would inside Azure.
//
// The host decides the mode. A web app or function app is served in App
// Service mode: IDENTITY_ENDPOINT points at /msi/token on the emulator and
// IDENTITY_HEADER is a random secret made at each start, which the SDKs
// send back as X-IDENTITY-HEADER. A VM or scale set instance is served in
// IMDS mode: JavaScript finds the emulator through
// AZURE_POD_IDENTITY_AUTHORITY_HOST, and Go, whose IMDS address is fixed at
// 169.254.169.254, through HTTP_PROXY: the emulator answers the proxy's
// absolute-form requests for http://169.254.169.254/... as IMDS would.
//
// Every other path is Microsoft Entra ID: the OpenID Connect discovery
// documents (their URLs rewritten to point at the emulator) and the public
// signing keys, so that a service can validate the tokens it is given. With
// Config.DataPlanes, /blob/{account}/... and /vault/{name}/... serve the
// scenario's storage accounts and key vaults path-style.
//
// The engine never reads the wall clock; the emulator must, because the
// SDKs compare a token's expires_on with real time. The scenario runs with
// its start time set to now, and before each request the world's clock is
// moved forward to now (never backwards).
//
// An Emulator keeps no process state: its Handler is an ordinary
// http.Handler that tests mount on httptest servers or loopback listeners;
// the miplay command adds the listener, the signals and the printing.
package emulator
