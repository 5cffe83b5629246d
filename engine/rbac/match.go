package rbac

// MatchAction reports whether an action pattern matches an action.
//
// A '*' in the pattern matches any run of characters, including none and
// including '/': "Microsoft.ServiceBus/*/send/action" matches
// "Microsoft.ServiceBus/namespaces/messages/send/action", and "*" matches
// everything. Every other character matches itself, ignoring ASCII case,
// because "permission strings are case-insensitive". Action strings are
// ASCII; other bytes must match exactly.
func MatchAction(pattern, action string) bool {
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
