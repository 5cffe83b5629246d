// Package rbac evaluates Azure role-based access control: role definitions
// with actions, notActions, dataActions and notDataActions, role assignments
// at a scope, and Authorize, which returns a Decision that lists every
// assignment it considered and why it did or did not grant the request.
//
// It is a leaf package: pure Go, no I/O, no clock. Time comes in with the
// request, so propagation delays are deterministic.
package rbac
