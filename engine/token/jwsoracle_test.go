package token

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// This file keeps Validate and Decode as they were written on
// golang-jwt/jwt/v5, as an oracle: the package now parses and verifies
// tokens itself (jws.go), and must answer exactly as they did, failure
// details included.

// Claims implemented jwt.Claims for jwt/v5 to validate its times; these
// methods are the oracle's now.

func numericDate(unix int64) *jwt.NumericDate {
	if unix == 0 {
		return nil
	}
	return jwt.NewNumericDate(time.Unix(unix, 0))
}

func (c Claims) GetExpirationTime() (*jwt.NumericDate, error) { return numericDate(c.ExpiresAt), nil }
func (c Claims) GetIssuedAt() (*jwt.NumericDate, error)       { return numericDate(c.IssuedAt), nil }
func (c Claims) GetNotBefore() (*jwt.NumericDate, error)      { return numericDate(c.NotBefore), nil }
func (c Claims) GetIssuer() (string, error)                   { return c.Issuer, nil }
func (c Claims) GetSubject() (string, error)                  { return c.Subject, nil }
func (c Claims) GetAudience() (jwt.ClaimStrings, error) {
	if c.Audience == "" {
		return nil, nil
	}
	return jwt.ClaimStrings{c.Audience}, nil
}

var _ jwt.Claims = Claims{}

// jwtValidate is KeySet.validate on jwt/v5.
func (k *KeySet) jwtValidate(raw string, want Expect) (Claims, *Failure) {
	skew := want.skew()
	p := jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodRS256.Alg()}),
		jwt.WithTimeFunc(func() time.Time { return want.Now }),
		jwt.WithLeeway(skew),
		jwt.WithExpirationRequired(),
	)

	var c Claims
	tok, _, err := p.ParseUnverified(raw, &c)
	if err != nil && (tok == nil || errors.Is(err, jwt.ErrTokenMalformed)) {
		return fail(Malformed, c, "A JWT is three base64url segments separated by dots, header.claims.signature, the first two JSON objects, and this one is not: %s.", strings.TrimPrefix(err.Error(), jwt.ErrTokenMalformed.Error()+": "))
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

// jwtDecode is Decode on jwt/v5.
func jwtDecode(raw string) (header map[string]any, claims Claims, err error) {
	tok, _, err := jwt.NewParser().ParseUnverified(raw, &claims)
	if err != nil && (tok == nil || errors.Is(err, jwt.ErrTokenMalformed)) {
		return nil, Claims{}, fmt.Errorf("token: decode: %w", err)
	}
	return tok.Header, claims, nil
}

// checkAgainstJWT fails t if Validate, at the times and skews of
// oracleExpects, or Decode answers raw otherwise than on jwt/v5.
func checkAgainstJWT(t *testing.T, k *KeySet, raw string) {
	t.Helper()
	for _, want := range oracleExpects() {
		c, f := k.validate(raw, want)
		oc, of := k.jwtValidate(raw, want)
		if !reflect.DeepEqual(c, oc) || !reflect.DeepEqual(f, of) {
			t.Fatalf("Validate(%q) at %v, skew %v:\n got  %+v, %+v\n jwt  %+v, %+v", raw, want.Now, want.ClockSkew, c, f, oc, of)
		}
	}
	h, c, err := Decode(raw)
	oh, oc, oerr := jwtDecode(raw)
	if !reflect.DeepEqual(h, oh) || !reflect.DeepEqual(c, oc) || fmt.Sprint(err) != fmt.Sprint(oerr) {
		t.Fatalf("Decode(%q):\n got  %v, %+v, %v\n jwt  %v, %+v, %v", raw, h, c, err, oh, oc, oerr)
	}
}

// oracleExpects are expectations around the lifetime of miClaims: before
// nbf, at its edges with and without skew, inside, at exp's edges, after.
func oracleExpects() []Expect {
	var out []Expect
	c := miClaims()
	for _, at := range []int64{
		0, c.NotBefore - 301, c.NotBefore - 300, c.NotBefore - 1, c.NotBefore, testNow.Unix(),
		c.ExpiresAt - 1, c.ExpiresAt, c.ExpiresAt + 299, c.ExpiresAt + 300, c.ExpiresAt + 86400,
	} {
		for _, skew := range []time.Duration{0, -1, 30 * time.Second} {
			e := testExpect()
			e.Now, e.ClockSkew = time.Unix(at, 0), skew
			out = append(out, e)
		}
	}
	e := testExpect()
	e.Audiences, e.Issuers = nil, nil
	return append(out, e)
}

// oracleTokens are tokens good and bad in every way TestValidate knows,
// and more that only the format sees.
func oracleTokens(t testing.TB) []string {
	k := DefaultKeys()
	s := NewSigner(k)
	good := mustSign(t, s, miClaims())
	parts := strings.Split(good, ".")
	signing := k.keys[0]
	header := func(alg, kid string) string {
		h := `{"typ":"JWT","alg":"` + alg + `"`
		if kid != "" {
			h += `,"x5t":"` + kid + `","kid":"` + kid + `"`
		}
		return h + "}"
	}
	with := func(f func(*Claims)) string {
		c := miClaims()
		f(&c)
		return mustSign(t, s, c)
	}
	sig := segment(t, good, 2)
	sig[10] ^= 1
	toks := []string{
		good, "", ".", "..", "...", "a.b.c", "not a token", parts[0] + "." + parts[1], good + ".x", good + ".",
		"e30=." + parts[1] + "." + parts[2], b64("typ=JWT") + "." + parts[1] + "." + parts[2],
		parts[0] + "." + b64("aud") + "." + parts[2], parts[0] + "." + b64(`{"aud":5}`) + "." + parts[2],
		parts[0] + "." + parts[1] + ".***", parts[0] + "." + parts[1] + ".", parts[0] + "." + parts[1] + "=." + parts[2],
		parts[0] + "." + parts[1] + "." + parts[2] + "=", " " + good, good + "\n",
		parts[0] + "." + parts[1] + "." + base64URL(sig),
		mustSign(t, NewSigner(&KeySet{keys: k.keys[1:]}), miClaims()),
		craft(t, `{"typ":"JWT","alg":"RS256","x5t":"`+signing.kid+`"}`, miClaims(), rsaSign(t, signing.priv)),
		craft(t, header("RS256", "nOo3ZDrODXEK1jKWhXslHR_KXEg"), miClaims(), rsaSign(t, signing.priv)),
		craft(t, header("RS256", ""), miClaims(), rsaSign(t, signing.priv)),
		craft(t, header("RS256", k.keys[1].kid), miClaims(), rsaSign(t, signing.priv)),
		craft(t, `{"typ":"JWT","alg":"none"}`, miClaims(), nil),
		craft(t, `{"typ":"JWT","kid":"`+signing.kid+`"}`, miClaims(), rsaSign(t, signing.priv)),
		with(func(c *Claims) { c.ExpiresAt = 0 }),
		with(func(c *Claims) { c.NotBefore = 0 }),
		with(func(c *Claims) { c.NotBefore = c.ExpiresAt + 3600 }),
		with(func(c *Claims) { c.ExpiresAt = -5 }),
		with(func(c *Claims) { c.Audience = "https://management.azure.com/" }),
		with(func(c *Claims) { c.Audience = "" }),
		with(func(c *Claims) { c.Issuer = "y" }),
	}
	// Signatures that are not base64url, under algorithms jwt/v5 knows and
	// does not know, or none.
	for _, h := range []string{header("RS256", signing.kid), header("HS256", signing.kid), header("ES256", ""), header("EdDSA", ""),
		header("foo", signing.kid), header("none", ""), `{"alg":5}`, `{}`, `null`, `[]`, `"x"`, `{"alg":"RS256","kid":7}`} {
		for _, sg := range []string{"", "***", "AA", "A", parts[2]} {
			toks = append(toks, b64(h)+"."+parts[1]+"."+sg)
		}
	}
	// Claims that do not decode, or decode oddly.
	for _, c := range []string{`null`, `[]`, `"x"`, `5`, `{"exp":"x"}`, `{"exp":1.5}`, `{"exp":1e30}`, `{"exp":99999999999999999999}`,
		`{"nbf":-1,"exp":1}`, `{"roles":"a"}`, `{"aud":["a"]}`, `{"aud":"a","aud":"b"}`, `{"xms_tcdt":"1"}`, `{`, ``} {
		toks = append(toks, parts[0]+"."+b64(c)+"."+parts[2])
	}
	// Every character of a good token changed, dropped or doubled, for a
	// sample of positions.
	for i := 0; i < len(good); i += 13 {
		toks = append(toks, good[:i]+"A"+good[i+1:], good[:i]+good[i+1:], good[:i+1]+good[i:])
	}
	return toks
}

func base64URL(b []byte) string { return b64(string(b)) }

// TestValidateAsJWT checks Validate and Decode against their jwt/v5
// versions on oracleTokens.
func TestValidateAsJWT(t *testing.T) {
	k := DefaultKeys()
	for _, raw := range oracleTokens(t) {
		checkAgainstJWT(t, k, raw)
	}
}

// FuzzValidateAsJWT checks Validate and Decode against their jwt/v5
// versions on any token.
func FuzzValidateAsJWT(f *testing.F) {
	for _, raw := range oracleTokens(f) {
		f.Add(raw)
	}
	k := DefaultKeys()
	f.Fuzz(func(t *testing.T, raw string) {
		checkAgainstJWT(t, k, raw)
	})
}

// TestSignAsJWT checks that signRS256 signs as jwt/v5's RS256 did.
func TestSignAsJWT(t *testing.T) {
	priv := DefaultKeys().keys[0].private()
	for _, ss := range []string{"", "a", "eyJ0eXAiOiJKV1QifQ.e30"} {
		got, err := signRS256(ss, priv)
		if err != nil {
			t.Fatal(err)
		}
		want, err := jwt.SigningMethodRS256.Sign(ss, priv)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("signRS256(%q) differs from jwt/v5's", ss)
		}
	}
	if _, err := signRS256("x", "not a key"); err == nil {
		t.Error("signRS256 with a string for a key: no error")
	}
}
