// Package rbac evaluates Azure role-based access control: role definitions
// with actions, notActions, dataActions and notDataActions, role assignments
// at a scope, and Authorize, which returns a Decision that lists every
// assignment it considered and why it did or did not grant the request.
//
// It is a leaf package: pure Go, no I/O, no clock. Time comes in with the
// request, so propagation delays are deterministic.
//
// The rules follow Azure's documentation:
//
//   - A role grants an action when one of its actions matches it and none of
//     its own notActions does. MatchAction compares case-insensitively, and a
//     '*' matches any run of characters, '/' included.
//   - Control plane and data plane are separate: actions never grant a data
//     action, and dataActions never grant a control-plane action, so Owner
//     cannot read a blob.
//   - Permissions add up across assignments. NotActions only subtract within
//     their own role; they are not a deny rule.
//   - A role assigned at a scope applies to that scope and everything below
//     it (ScopeContains), never to its parent or its siblings.
//   - An assignment takes effect a propagation delay after it is created and
//     keeps working for the same delay after it is deleted.
//
// BuiltInRoles returns the built-in roles miplay uses, with their real
// GUIDs, descriptions and permissions. FindRole looks one up the way az
// role assignment create --role does. RoleDefinition.Validate checks a
// custom role against Azure's limits.
//
// Not simulated: deny assignments, ABAC conditions on role assignments or
// role definitions, and the management group hierarchy (callers pass the
// management groups above a resource in Request.ManagementGroups).
package rbac
