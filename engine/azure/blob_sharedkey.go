package azure

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// Shared Key authorization: the caller signs a canonical form of the
// request with an account key, and the service recomputes the signature
// with each of the account's two keys. Whoever holds a key has full access:
// Azure RBAC is not consulted.

// SignSharedKey signs req for the Blob service with an account key, as
// `az storage ... --account-key` and the Storage SDKs do: it sets
// "Authorization: SharedKey {account}:{signature}" over the string to sign
// of service version 2015-02-21 and later. req must already carry every
// header it will be sent with, including x-ms-date (or Date) and
// x-ms-version; key is the key in base64, as `az storage account keys
// list` prints it.
func SignSharedKey(req *http.Request, account, key string) error {
	k, err := base64.StdEncoding.DecodeString(key)
	if err != nil {
		return errors.New("azure: the account key is not base64: " + err.Error())
	}
	if req.Header.Get("x-ms-date") == "" && req.Header.Get("Date") == "" {
		return errors.New("azure: a Shared Key request needs an x-ms-date header")
	}
	req.Header.Set("Authorization", "SharedKey "+account+":"+hmacBase64(k, sharedKeyStringToSign(req, account)))
	return nil
}

func hmacBase64(key []byte, s string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(s))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// sharedKeyStringToSign is the Blob service's string to sign for Shared
// Key, version 2015-02-21 and later: the verb, eleven standard headers,
// the x-ms- headers, and the canonicalized resource.
func sharedKeyStringToSign(r *http.Request, account string) string {
	var b strings.Builder
	b.WriteString(r.Method + "\n")
	for _, h := range []string{"Content-Encoding", "Content-Language", "Content-Length", "Content-MD5", "Content-Type", "Date",
		"If-Modified-Since", "If-Match", "If-None-Match", "If-Unmodified-Since", "Range"} {
		v := r.Header.Get(h)
		if h == "Content-Length" {
			v = sharedKeyContentLength(r)
		}
		b.WriteString(v + "\n")
	}
	b.WriteString(canonicalizedHeaders(r.Header))
	b.WriteString(canonicalizedResource(r.URL, account))
	return b.String()
}

// sharedKeyContentLength is signed as an empty string when zero.
func sharedKeyContentLength(r *http.Request) string {
	if r.ContentLength > 0 {
		return strconv.FormatInt(r.ContentLength, 10)
	}
	if v := r.Header.Get("Content-Length"); v != "0" {
		return v
	}
	return ""
}

// canonicalizedHeaders lists the x-ms- headers, names in lower case, sorted,
// folded whitespace in values unfolded, one "name:value\n" each.
func canonicalizedHeaders(h http.Header) string {
	var names []string
	for k := range h {
		if strings.HasPrefix(strings.ToLower(k), "x-ms-") {
			names = append(names, k)
		}
	}
	sort.Slice(names, func(i, j int) bool { return strings.ToLower(names[i]) < strings.ToLower(names[j]) })
	var b strings.Builder
	for _, k := range names {
		vals := make([]string, len(h[k]))
		for i, v := range h[k] {
			vals[i] = strings.Join(strings.Fields(v), " ")
		}
		b.WriteString(strings.ToLower(k) + ":" + strings.Join(vals, ",") + "\n")
	}
	return b.String()
}

// canonicalizedResource is "/{account}{path as encoded in the URI}" and one
// line per query parameter, "name:v1,v2" with names in lower case and
// values decoded and sorted.
func canonicalizedResource(u *url.URL, account string) string {
	var b strings.Builder
	b.WriteString("/" + account)
	if p := u.EscapedPath(); p != "" {
		b.WriteString(p)
	} else {
		b.WriteString("/")
	}
	q, _ := url.ParseQuery(u.RawQuery)
	params := map[string][]string{}
	for k, vs := range q {
		params[strings.ToLower(k)] = append(params[strings.ToLower(k)], vs...)
	}
	names := make([]string, 0, len(params))
	for k := range params {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		vs := params[k]
		sort.Strings(vs)
		b.WriteString("\n" + k + ":" + strings.Join(vs, ","))
	}
	return b.String()
}

// authorizeSharedKey checks "SharedKey {account}:{signature}".
func (b *blobRequest) authorizeSharedKey(cred string) bool {
	account, sig, ok := strings.Cut(cred, ":")
	if !ok || account == "" || sig == "" {
		b.fail(http.StatusBadRequest, "InvalidAuthenticationInfo", blobBadAuthInfo, "")
		b.x.decide("%s refused: a Shared Key header reads \"SharedKey <account>:<signature>\".", b.info.name)
		return false
	}
	if !b.keysAllowed("Shared Key") {
		return false
	}
	if b.version < blobSharedKeySince {
		// Older versions sign a zero Content-Length as "0"; Azure still
		// accepts them, the playground does not simulate them.
		b.failAuth(http.StatusForbidden, "AuthenticationFailed", blobAuthFailed,
			"<AuthenticationErrorDetail>"+xmlText("The playground verifies Shared Key signatures for x-ms-version "+blobSharedKeySince+" and later only; this request has "+quoteOrNone(b.version)+".")+"</AuthenticationErrorDetail>")
		b.x.decide("%s not simulated: Shared Key with x-ms-version %s (the playground verifies %s and later).", b.info.name, quoteOrNone(b.version), blobSharedKeySince)
		return false
	}
	if b.x.r.Header.Get("x-ms-date") == "" && b.x.r.Header.Get("Date") == "" {
		// UNVERIFIED: the wording for a Shared Key request with no date.
		b.failAuth(http.StatusForbidden, "AuthenticationFailed", blobAuthFailed,
			"<AuthenticationErrorDetail>Request date header not specified.</AuthenticationErrorDetail>")
		b.x.decide("%s refused: a Shared Key request must carry x-ms-date (or Date), and this one has neither.", b.info.name)
		return false
	}
	// Azure also refuses a request dated more than 15 minutes from its own
	// clock. The playground's clock is simulated while SDK clients of the
	// emulator sign with the real one, so the date is not compared.
	sts := sharedKeyStringToSign(b.x.r, b.account.Name)
	for i, key := range b.account.Storage.Keys {
		k, err := base64.StdEncoding.DecodeString(key)
		if err == nil && account == b.account.Name && hmac.Equal([]byte(hmacBase64(k, sts)), []byte(sig)) {
			b.x.decide("%s allowed: the request is signed with the account's key%d (Shared Key); an account key grants full access and Azure RBAC is not consulted.", b.info.name, i+1)
			return true
		}
	}
	b.failAuth(http.StatusForbidden, "AuthenticationFailed", blobAuthFailed,
		"<AuthenticationErrorDetail>"+xmlText("The MAC signature found in the HTTP request '"+sig+"' is not the same as any computed signature. Server used following string to sign: '"+sts+"'.")+"</AuthenticationErrorDetail>")
	b.x.decide("%s refused: the Shared Key signature matches neither key1 nor key2 of account %s (a wrong or regenerated key, or a request changed after signing).", b.info.name, b.account.Name)
	return false
}
