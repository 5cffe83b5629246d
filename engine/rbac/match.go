package rbac

import "strings"

// MatchAction reports whether an action pattern matches an action.
//
// A '*' in the pattern matches any run of characters, including none and
// including '/': "Microsoft.ServiceBus/*/send/action" matches
// "Microsoft.ServiceBus/namespaces/messages/send/action", and "*" matches
// everything. Every other character matches itself, ignoring ASCII case,
// because "permission strings are case-insensitive". Action strings are
// ASCII; other bytes must match exactly.
//
// A "/*/" segment also matches a single "/": Managed Identity Operator's
// "Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action" grants
// the ".../userAssignedIdentities/assign/action" that ARM checks when an
// identity is assigned, and Key Vault Reader's "Microsoft.KeyVault/vaults/*/read"
// reads the vault itself, as Azure documents both roles doing.
func MatchAction(pattern, action string) bool {
	if matchWildcard(pattern, action) {
		return true
	}
	// Try the pattern with each combination of its "/*/" segments collapsed.
	n := strings.Count(pattern, "/*/")
	if n == 0 || n > 4 {
		return false
	}
	for mask := 1; mask < 1<<n; mask++ {
		var b strings.Builder
		rest, i := pattern, 0
		for {
			j := strings.Index(rest, "/*/")
			if j < 0 {
				b.WriteString(rest)
				break
			}
			b.WriteString(rest[:j])
			if mask&(1<<i) != 0 {
				b.WriteString("/")
			} else {
				b.WriteString("/*/")
			}
			rest, i = rest[j+3:], i+1
		}
		if matchWildcard(b.String(), action) {
			return true
		}
	}
	return false
}

// matchWildcard matches a pattern whose '*' matches any run of bytes.
func matchWildcard(pattern, action string) bool {
	// Wildcard matching with a single backtrack point: on a mismatch, let the
	// most recent '*' swallow one more byte. Linear in practice, never
	// exponential, and allocation-free.
	p, a := 0, 0
	star, mark := -1, 0
	for a < len(action) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, a
			p++
		case p < len(pattern) && lower(pattern[p]) == lower(action[a]):
			p++
			a++
		case star >= 0:
			p = star + 1
			mark++
			a = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// lower returns the ASCII lower-case form of b.
func lower(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + ('a' - 'A')
	}
	return b
}
