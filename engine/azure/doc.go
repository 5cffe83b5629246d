// Package azure serves Azure's HTTP APIs over an engine.World, in process:
// the Instance Metadata Service, the App Service identity endpoint,
// Microsoft Entra ID's token and discovery endpoints, Azure Resource
// Manager, Microsoft Graph, and the Blob, Key Vault and Service Bus data
// planes.
//
// A behaviour is written once, here. The simulated terminal's az and curl
// send *http.Request values through Cloud.Transport, the browser shows the
// exchanges they leave in the world's log, and `miplay emulate` mounts
// Cloud.Handler on a loopback listener for real SDK clients.
//
// Requests are routed by host name, and what a host name reaches depends on
// where the request comes from: 169.254.169.254 answers only inside a VM or
// scale set instance, and the App Service identity endpoint only inside a
// web app or function app. Every exchange is recorded in the world's log as
// an engine.RequestServed event, with the decision behind it.
//
// A Cloud serializes access to its world; it is safe for concurrent use.
package azure
