package token

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// DefaultClockSkew is the clock skew a resource server allows when it checks a
// token's lifetime: five minutes, Microsoft.IdentityModel's
// TokenValidationParameters.DefaultClockSkew.
const DefaultClockSkew = 5 * time.Minute

// Expect is what a resource server requires of a token.
type Expect struct {
	// Audiences are the accepted aud values. Like Microsoft.IdentityModel
	// (IgnoreTrailingSlashWhenValidatingAudience, on by default), the
	// comparison is exact except for one trailing slash, so a token for
	// "https://storage.azure.com" is accepted where "https://storage.azure.com/"
	// is expected. An empty list accepts no audience.
	Audiences []string
	// Issuers are the accepted iss values, compared exactly; for v1.0 tokens,
	// "https://sts.windows.net/{tid}/". An empty list accepts no issuer.
	Issuers []string
	// Now is the simulated time of the request. It is required: the package
	// never reads the wall clock.
	Now time.Time
	// ClockSkew is the tolerance on exp and nbf. Zero means DefaultClockSkew;
	// a negative value means none.
	ClockSkew time.Duration
}

func (e Expect) skew() time.Duration {
	switch {
	case e.ClockSkew == 0:
		return DefaultClockSkew
	case e.ClockSkew < 0:
		return 0
	}
	return e.ClockSkew
}

// A FailureKind classifies why a resource server refused a token.
type FailureKind int

// The kinds of failure, in the order in which [KeySet.Validate] checks for
// them: format, then algorithm, key and signature, then lifetime, then audience,
// then issuer.
const (
	Malformed            FailureKind = iota + 1 // not a JWS in compact serialization with JSON header and claims
	UnsupportedAlgorithm                        // alg is not RS256 (none, HS256, ...)
	UnknownKey                                  // kid names no published key
	BadSignature                                // the signature does not verify
	NotYetValid                                 // nbf is later than now plus the clock skew
	Expired                                     // exp is earlier than now minus the clock skew, or absent
	WrongAudience                               // aud is not one the resource accepts
	WrongIssuer                                 // iss is not one the resource accepts
)

var kindNames = [...]string{
	Malformed:            "Malformed",
	UnsupportedAlgorithm: "UnsupportedAlgorithm",
	UnknownKey:           "UnknownKey",
	BadSignature:         "BadSignature",
	NotYetValid:          "NotYetValid",
	Expired:              "Expired",
	WrongAudience:        "WrongAudience",
	WrongIssuer:          "WrongIssuer",
}

// String returns the kind's Go name, such as "Expired".
func (k FailureKind) String() string {
	if k > 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("FailureKind(%d)", int(k))
}

// Message returns the sentence a resource server prints for the kind, as
// Azure Storage writes it in AuthenticationErrorDetail. The wording of
// Expired, WrongAudience, BadSignature and WrongIssuer is Storage's own; the
// others follow Microsoft.IdentityModel's messages (IDX10222, IDX10501,
// IDX14100-style format errors, and its refusal of unsigned and HMAC tokens
// when only RSA keys are configured), with the IDX codes left out as Storage
// leaves them out.
func (k FailureKind) Message() string {
	switch k {
	case Malformed:
		return "Token validation failed. The token is not a well-formed JWT."
	case UnsupportedAlgorithm:
		return "Signature validation failed. The token's signing algorithm is not supported."
	case UnknownKey:
		return "Signature validation failed. Unable to match key."
	case BadSignature:
		return "Signature validation failed. Signature verification failed."
	case NotYetValid:
		return "Lifetime validation failed. The token is not yet valid."
	case Expired:
		return "Lifetime validation failed. The token is expired."
	case WrongAudience:
		return "Audience validation failed. Audience did not match."
	case WrongIssuer:
		return "Issuer validation failed. Issuer did not match."
	}
	return "Token validation failed."
}

// A Failure is a resource server's refusal of a token: a domain outcome, not a
// bug. Services word their responses from Kind and Claims.
type Failure struct {
	Kind FailureKind
	// Detail explains the refusal to a learner, with the values involved.
	Detail string
	// Claims are the claims as far as they could be read. Before the signature
	// has been verified (Malformed, UnsupportedAlgorithm, UnknownKey,
	// BadSignature) they are unverified, and may be forged: quote them, never
	// trust them.
	Claims Claims
}

// Error returns the kind's message, such as
// "Lifetime validation failed. The token is expired.".
func (f *Failure) Error() string {
	return f.Kind.Message()
}

func fail(kind FailureKind, c Claims, format string, args ...any) (Claims, *Failure) {
	return Claims{}, &Failure{Kind: kind, Detail: fmt.Sprintf(format, args...), Claims: c}
}

// Validate checks raw as a resource server does and returns its verified
// claims, or the first reason to refuse it. The checks run in
// Microsoft.IdentityModel's order: format; then algorithm (only RS256), key
// (chosen by kid, or x5t when there is no kid) and signature; then lifetime
// (nbf and exp, with want's clock skew; exp is required); then audience; then
// issuer. On failure the returned Claims are zero; the Failure carries what
// could be read.
//
// Validate never reads the wall clock: want.Now is the time of the check.
// It remembers its last 4096 answers, so that checking the same token
// with the same expectations at the same time again, as a replay does,
// costs no RSA verification.
func (k *KeySet) Validate(raw string, want Expect) (Claims, *Failure) {
	key := validateKey(raw, want)
	if c, f, ok := k.memo.get(key); ok {
		return c, f
	}
	c, f := k.validate(raw, want)
	k.memo.put(key, c, f)
	return c, f
}

func (k *KeySet) validate(raw string, want Expect) (Claims, *Failure) {
	skew := want.skew()
	p := jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodRS256.Alg()}),
		jwt.WithTimeFunc(func() time.Time { return want.Now }),
		jwt.WithLeeway(skew),
		jwt.WithExpirationRequired(),
	)

	// Format, and what can be read without the key.
	var c Claims
	tok, _, err := p.ParseUnverified(raw, &c)
	if err != nil && (tok == nil || errors.Is(err, jwt.ErrTokenMalformed)) {
		return fail(Malformed, c, "A JWT is three base64url segments separated by dots, header.claims.signature, the first two JSON objects, and this one is not: %s.", malformedReason(err))
	}
	alg, _ := tok.Header["alg"].(string)
	if alg != jwt.SigningMethodRS256.Alg() {
		return fail(UnsupportedAlgorithm, c, "%s", algorithmDetail(alg))
	}
	if len(tok.Signature) == 0 {
		return fail(BadSignature, c, "The token has no signature.")
	}
	kid, _ := tok.Header["kid"].(string)
	if kid == "" {
		kid, _ = tok.Header["x5t"].(string)
	}
	key := k.key(kid)
	if key == nil {
		if kid == "" {
			return fail(UnknownKey, c, "The token header names no key (no kid or x5t).")
		}
		return fail(UnknownKey, c, "The token header says kid %q, which is not one of the keys Entra ID publishes (%s).",
			kid, strings.Join(k.KeyIDs(), ", "))
	}

	// Signature and lifetime, by jwt/v5.
	var verified Claims
	_, err = p.ParseWithClaims(raw, &verified, func(*jwt.Token) (any, error) { return key.pub, nil })
	switch {
	case err == nil:
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return fail(BadSignature, c, "The signature does not match the header and claims under key %s: the token was altered, or signed by someone else.", kid)
	case errors.Is(err, jwt.ErrTokenNotValidYet):
		nbf := time.Unix(verified.NotBefore, 0)
		return fail(NotYetValid, verified, "The token is not valid before %s (nbf %d); it is now %s, and %s.",
			utc(nbf), verified.NotBefore, utc(want.Now), skewPhrase(skew))
	case errors.Is(err, jwt.ErrTokenExpired):
		exp := time.Unix(verified.ExpiresAt, 0)
		return fail(Expired, verified, "The token expired at %s (exp %d); it is now %s, and %s.",
			utc(exp), verified.ExpiresAt, utc(want.Now), skewPhrase(skew))
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return fail(Expired, verified, "The token has no exp claim, so it has no lifetime to check.")
	default:
		return fail(Malformed, c, "The token could not be checked: %v.", err)
	}

	if !audienceMatches(verified.Audience, want.Audiences) {
		return fail(WrongAudience, verified, "The token is for %q (aud); %s.",
			verified.Audience, accepts(want.Audiences, "audience"))
	}
	if !issuerMatches(verified.Issuer, want.Issuers) {
		return fail(WrongIssuer, verified, "The token was issued by %q (iss); %s.",
			verified.Issuer, accepts(want.Issuers, "issuer"))
	}
	return verified, nil
}

// audienceMatches compares as Microsoft.IdentityModel does by default:
// ordinal, ignoring one trailing slash on either side.
func audienceMatches(aud string, valid []string) bool {
	if aud == "" {
		return false
	}
	for _, v := range valid {
		if strings.TrimSuffix(aud, "/") == strings.TrimSuffix(v, "/") {
			return true
		}
	}
	return false
}

func issuerMatches(iss string, valid []string) bool {
	for _, v := range valid {
		if iss != "" && iss == v {
			return true
		}
	}
	return false
}

// accepts says which values of a claim the resource accepts.
func accepts(list []string, what string) string {
	if len(list) == 0 {
		return "this resource is configured to accept no " + what
	}
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = fmt.Sprintf("%q", s)
	}
	return "this resource accepts only " + strings.Join(q, " or ")
}

// algorithmDetail explains why a token's alg is refused.
func algorithmDetail(alg string) string {
	const only = "resource servers accept only RS256, the algorithm Entra ID signs with"
	switch {
	case alg == "":
		return "The token header has no alg; " + only + "."
	case strings.EqualFold(alg, "none"):
		return fmt.Sprintf("The token header says alg %q, an unsigned token that anyone could have written; %s.", alg, only)
	case strings.HasPrefix(alg, "HS"):
		return fmt.Sprintf("The token header says alg %q, an HMAC with a shared secret; %s, or anyone could forge a token keyed with the public key.", alg, only)
	}
	return fmt.Sprintf("The token header says alg %q; %s.", alg, only)
}

// skewPhrase says how much clock skew is allowed.
func skewPhrase(skew time.Duration) string {
	if skew == 0 {
		return "no clock skew is allowed"
	}
	return skew.String() + " of clock skew is allowed"
}

func utc(t time.Time) string {
	return t.UTC().Format(time.RFC3339)
}

// malformedReason turns jwt/v5's parse error into a short phrase.
func malformedReason(err error) string {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, jwt.ErrTokenMalformed.Error()+": ")
	return msg
}

// Decode returns the header and claims of raw without verifying anything, for
// displaying a token. It fails only if raw is not three dot-separated base64url
// segments whose first two are JSON objects; an unknown alg is not an error.
// Claims it does not model are dropped; the header is returned whole.
func Decode(raw string) (header map[string]any, claims Claims, err error) {
	tok, _, err := jwt.NewParser().ParseUnverified(raw, &claims)
	if err != nil && (tok == nil || errors.Is(err, jwt.ErrTokenMalformed)) {
		return nil, Claims{}, fmt.Errorf("token: decode: %w", err)
	}
	return tok.Header, claims, nil
}
