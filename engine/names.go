package engine

import "strings"

// The naming rules of the resource providers, as plain code. They were
// package-level regexps, and compiling them at start-up cost about 9,000
// allocations: a bounded repeat such as {0,259} compiles to that many
// copies of its operand, and the browser runs start-up code some 40 times
// slower than native code. Each function names the regexp it matches
// exactly; names_test.go holds them to it.
//
// Every class is ASCII, so counting bytes is counting the regexps' runes: a
// string with any other rune (or invalid UTF-8) matches neither.

func isDigit(c byte) bool       { return '0' <= c && c <= '9' }
func isLowerDigit(c byte) bool  { return 'a' <= c && c <= 'z' || isDigit(c) }
func isLetter(c byte) bool      { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isLetterDigit(c byte) bool { return isLetter(c) || isDigit(c) }

// lengthIn reports whether s is between min and max bytes long.
func lengthIn(s string, min, max int) bool { return min <= len(s) && len(s) <= max }

// lettersDigitsOr reports whether every byte of s is a letter, a digit or one of extra.
func lettersDigitsOr(s, extra string) bool {
	for i := 0; i < len(s); i++ {
		if !isLetterDigit(s[i]) && strings.IndexByte(extra, s[i]) < 0 {
			return false
		}
	}
	return true
}

// validStorageName is ^[a-z0-9]{3,24}$.
func validStorageName(s string) bool {
	if !lengthIn(s, 3, 24) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isLowerDigit(s[i]) {
			return false
		}
	}
	return true
}

// validContainerName is ^[a-z0-9](?:[a-z0-9]|-[a-z0-9]){2,62}$: lower-case
// letters and digits, where each hyphen sits between two of them, and 3 to
// 63 letters and digits (hyphens not counted).
func validContainerName(s string) bool {
	n := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case isLowerDigit(c):
			n++
		case c == '-' && i > 0 && i+1 < len(s) && isLowerDigit(s[i-1]) && isLowerDigit(s[i+1]):
		default:
			return false
		}
	}
	return 3 <= n && n <= 63
}

// validSecretName is ^[0-9a-zA-Z-]{1,127}$.
func validSecretName(s string) bool { return lengthIn(s, 1, 127) && lettersDigitsOr(s, "-") }

// validQueueName is ^[a-zA-Z0-9][a-zA-Z0-9._/-]{0,259}$.
func validQueueName(s string) bool {
	return lengthIn(s, 1, 260) && isLetterDigit(s[0]) && lettersDigitsOr(s[1:], "._/-")
}

// validGroupName is ^[-\w._()]{1,90}$ (\w is [0-9A-Za-z_]).
func validGroupName(s string) bool { return lengthIn(s, 1, 90) && lettersDigitsOr(s, "-_.()") }

// validVaultName is ^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$.
func validVaultName(s string) bool {
	return lengthIn(s, 3, 24) && isLetter(s[0]) && lettersDigitsOr(s[1:len(s)-1], "-") && isLetterDigit(s[len(s)-1])
}

// validNamespaceName is ^[a-zA-Z][a-zA-Z0-9-]{4,48}[a-zA-Z0-9]$.
func validNamespaceName(s string) bool {
	return lengthIn(s, 6, 50) && isLetter(s[0]) && lettersDigitsOr(s[1:len(s)-1], "-") && isLetterDigit(s[len(s)-1])
}

// validUserIdentityName is ^[a-zA-Z0-9][a-zA-Z0-9_-]{2,127}$.
func validUserIdentityName(s string) bool {
	return lengthIn(s, 3, 128) && isLetterDigit(s[0]) && lettersDigitsOr(s[1:], "_-")
}
