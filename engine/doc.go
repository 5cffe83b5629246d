// Package engine is the simulated cloud of miplay: one Microsoft Entra
// tenant, one subscription, its resources and their managed identities, the
// service principals behind them, Azure RBAC, and the tokens Entra issues.
//
// A World is deterministic. Time moves only when Advance is called, and every
// ID comes from the world's seed, so the same commands on the same seed give
// the same world, event for event. Every change is recorded as an Event with a
// sequence number and the simulated time; everything a learner sees is a view
// of the world and its log.
//
// The engine does no I/O. Azure's HTTP APIs over a World live in engine/azure;
// role evaluation and token signing live in the leaf packages engine/rbac and
// engine/token, which import nothing else from the project.
//
// Failures come in two kinds. What Azure itself answers (not found, conflict,
// identity not enabled) is a *Fault carrying Azure's status, code and
// message: data for the caller to render. Anything else is a bug or malformed
// input and is an ordinary error.
package engine
