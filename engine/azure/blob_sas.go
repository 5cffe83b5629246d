package azure

import (
	"crypto/hmac"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Shared access signatures: a query string that grants limited access, signed
// with an account key. The playground implements one signed version, for
// both kinds: a service SAS (one container or blob) and an account SAS.
// Either is worth exactly what the key that signed it is worth: regenerate
// the key and every SAS made with it stops working.

// SASVersion is the signed version (sv) of the SAS tokens the playground
// makes and verifies. Tokens of any other version are refused with a "not
// simulated" message: each version has its own string to sign.
const SASVersion = "2022-11-02"

// BlobSASOptions describe a service SAS for a container or one blob, as
// `az storage container generate-sas` and `az storage blob generate-sas`
// take them.
type BlobSASOptions struct {
	Account   string // the storage account name
	Key       string // an account key, in base64
	Container string
	Blob      string // empty for a container SAS (sr=c)
	// Permissions are letters from "racwdl" (blob SAS: "racwd"), in any order.
	Permissions string
	// Start (optional) and Expiry are UTC times in one of the forms az
	// accepts, which the token carries as written: 2026-01-16,
	// 2026-01-16T09:00Z or 2026-01-16T09:00:00Z.
	Start, Expiry string
	// Protocol is "https" or "https,http"; empty allows both.
	Protocol string
}

// AccountSASOptions describe an account SAS, as `az storage account
// generate-sas` takes them.
type AccountSASOptions struct {
	Account string
	Key     string
	// Services are letters from "bfqt" (blob, file, queue, table); only the
	// blob service is simulated.
	Services string
	// ResourceTypes are letters from "sco": service, container, object.
	ResourceTypes string
	// Permissions are letters from "rwdlacup".
	Permissions   string
	Start, Expiry string
	Protocol      string
}

// Permission letters in the order Azure's SDKs write them.
const (
	containerSASPerms = "racwdxltfmeopi"
	blobSASPerms      = "racwdxytmeopi"
	accountSASPerms   = "rwdxylacuptfi"
)

// GenerateBlobSAS returns a service SAS token (the query string, without
// "?") for a container or a blob, signed with version SASVersion. The
// parameters come in the order az prints them: se, sp, sv, sr, sig.
func GenerateBlobSAS(o BlobSASOptions) (string, error) {
	sr, allowed := "c", containerSASPerms
	if o.Blob != "" {
		sr, allowed = "b", blobSASPerms
	}
	perms, err := orderPermissions(o.Permissions, allowed)
	if err != nil {
		return "", err
	}
	if err := checkSASTimes(o.Start, o.Expiry); err != nil {
		return "", err
	}
	key, err := base64.StdEncoding.DecodeString(o.Key)
	if err != nil {
		return "", errors.New("azure: the account key is not base64: " + err.Error())
	}
	p := sasParams{sp: perms, st: o.Start, se: o.Expiry, spr: o.Protocol, sv: SASVersion, sr: sr}
	sig := hmacBase64(key, p.serviceStringToSign(serviceCanonicalResource(o.Account, o.Container, o.Blob)))
	return sasQuery([][2]string{{"st", o.Start}, {"se", o.Expiry}, {"sp", perms}, {"spr", o.Protocol}, {"sv", SASVersion}, {"sr", sr}, {"sig", sig}}), nil
}

// GenerateAccountSAS returns an account SAS token (the query string,
// without "?"), signed with version SASVersion.
func GenerateAccountSAS(o AccountSASOptions) (string, error) {
	perms, err := orderPermissions(o.Permissions, accountSASPerms)
	if err != nil {
		return "", err
	}
	services, err := orderPermissions(o.Services, "bqtf")
	if err != nil || services == "" {
		return "", fmt.Errorf("azure: services must be letters from bqtf, not %q", o.Services)
	}
	types, err := orderPermissions(o.ResourceTypes, "sco")
	if err != nil || types == "" {
		return "", fmt.Errorf("azure: resource types must be letters from sco, not %q", o.ResourceTypes)
	}
	if err := checkSASTimes(o.Start, o.Expiry); err != nil {
		return "", err
	}
	key, err := base64.StdEncoding.DecodeString(o.Key)
	if err != nil {
		return "", errors.New("azure: the account key is not base64: " + err.Error())
	}
	p := sasParams{sp: perms, ss: services, srt: types, st: o.Start, se: o.Expiry, spr: o.Protocol, sv: SASVersion}
	sig := hmacBase64(key, p.accountStringToSign(o.Account))
	return sasQuery([][2]string{{"st", o.Start}, {"se", o.Expiry}, {"sp", perms}, {"spr", o.Protocol}, {"sv", SASVersion}, {"ss", services}, {"srt", types}, {"sig", sig}}), nil
}

// orderPermissions checks letters against the allowed ones and writes them
// in the allowed order, as the SDKs do.
func orderPermissions(perms, allowed string) (string, error) {
	if perms == "" {
		return "", errors.New("azure: a SAS needs permissions")
	}
	var out []byte
	for i := 0; i < len(allowed); i++ {
		if strings.IndexByte(perms, allowed[i]) >= 0 {
			out = append(out, allowed[i])
		}
	}
	for _, c := range perms {
		if !strings.ContainsRune(allowed, c) {
			return "", fmt.Errorf("azure: %q is not a permission here; use letters from %q", c, allowed)
		}
	}
	return string(out), nil
}

func checkSASTimes(start, expiry string) error {
	if expiry == "" {
		return errors.New("azure: a SAS needs an expiry")
	}
	for _, t := range []string{start, expiry} {
		if _, ok := parseSASTime(t); t != "" && !ok {
			return fmt.Errorf("azure: %q is not a valid time; valid example: 2000-12-31T12:59:59Z", t)
		}
	}
	return nil
}

// sasQuery writes parameters as az does, with Python's
// urllib.parse.quote: every byte but letters, digits, "_.-~" and "/" is
// percent-encoded.
func sasQuery(params [][2]string) string {
	var parts []string
	for _, p := range params {
		if p[1] != "" {
			parts = append(parts, p[0]+"="+pyQuote(p[1]))
		}
	}
	return strings.Join(parts, "&")
}

func pyQuote(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("_.-~/", c) >= 0 {
			b.WriteByte(c)
		} else {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

// sasTimeLayouts are the ISO 8601 UTC forms Storage accepts in st and se.
var sasTimeLayouts = []string{"2006-01-02T15:04:05.9999999Z", "2006-01-02T15:04:05Z", "2006-01-02T15:04Z", "2006-01-02"}

func parseSASTime(s string) (time.Time, bool) {
	for _, l := range sasTimeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// sasParams are the signed fields of a SAS.
type sasParams struct {
	sp, st, se, sip, spr, sv, ses string
	sr, si, snapshot              string            // service SAS
	rs                            map[string]string // rscc, rscd, rsce, rscl, rsct
	ss, srt                       string            // account SAS
}

// sasOverrides are the response headers a service SAS may set.
var sasOverrides = map[string]string{
	"rscc": "Cache-Control", "rscd": "Content-Disposition", "rsce": "Content-Encoding", "rscl": "Content-Language", "rsct": "Content-Type",
}

// serviceStringToSign is the service SAS string to sign of version
// 2020-12-06 and later (2022-11-02 included).
func (p sasParams) serviceStringToSign(resource string) string {
	return strings.Join([]string{p.sp, p.st, p.se, resource, p.si, p.sip, p.spr, p.sv, p.sr, p.snapshot, p.ses,
		p.rs["rscc"], p.rs["rscd"], p.rs["rsce"], p.rs["rscl"], p.rs["rsct"]}, "\n")
}

// accountStringToSign is the account SAS string to sign of version
// 2020-12-06 and later, which ends with a newline after the encryption scope.
func (p sasParams) accountStringToSign(account string) string {
	return strings.Join([]string{account, p.sp, p.ss, p.srt, p.st, p.se, p.sip, p.spr, p.sv, p.ses}, "\n") + "\n"
}

func serviceCanonicalResource(account, container, blob string) string {
	r := "/blob/" + account + "/" + container
	if blob != "" {
		r += "/" + blob
	}
	return r
}

// blobSAS is a SAS that authorized a request.
type blobSAS struct {
	q       url.Values
	account bool
}

// authorizeSAS verifies the request's SAS and checks that it allows the
// operation. The checks run in this order: the account allows keys; the
// fields are present, of the simulated version, and well formed; the
// signature matches key1 or key2; now is within the signed times; the
// protocol; and then the service, resource type and permissions.
func (b *blobRequest) authorizeSAS() bool {
	q := b.x.r.URL.Query()
	if !b.keysAllowed("a shared access signature") {
		return false
	}
	authFail := func(detail, why string) bool {
		b.failAuth(http.StatusForbidden, "AuthenticationFailed", blobAuthFailed, "<AuthenticationErrorDetail>"+xmlText(detail)+"</AuthenticationErrorDetail>")
		b.x.decide("%s refused: %s", b.info.name, why)
		return false
	}
	p := sasParams{sp: q.Get("sp"), st: q.Get("st"), se: q.Get("se"), sip: q.Get("sip"), spr: q.Get("spr"), sv: q.Get("sv"), ses: q.Get("ses"),
		sr: q.Get("sr"), si: q.Get("si"), snapshot: q.Get("snapshot"), ss: q.Get("ss"), srt: q.Get("srt"), rs: map[string]string{}}
	for k := range sasOverrides {
		p.rs[k] = q.Get(k)
	}
	account := p.ss != "" || p.srt != ""
	required := []string{"sv", "sp", "se", "sr"}
	if account {
		required = []string{"sv", "ss", "srt", "sp", "se"}
	}
	for _, f := range required {
		if q.Get(f) == "" {
			// UNVERIFIED beyond sr: Storage's wording for a missing field.
			return authFail(f+" is mandatory. Cannot be empty", "the SAS has no "+f+" field.")
		}
	}
	if p.sv != SASVersion {
		return authFail("The playground verifies SAS tokens of version "+SASVersion+" only, and this one is signed with sv="+p.sv+
			": each version has its own string to sign. Generate the SAS with az storage ... generate-sas, which signs with "+SASVersion+".",
			"SAS version "+p.sv+" is not simulated (only "+SASVersion+" is).")
	}
	for _, f := range []string{"si", "sip", "ses", "skoid", "snapshot"} {
		if q.Get(f) != "" {
			what := map[string]string{"si": "stored access policies (si)", "sip": "IP-restricted SAS (sip)", "ses": "encryption scopes (ses)",
				"skoid": "user delegation SAS (skoid)", "snapshot": "snapshots"}[f]
			return authFail("The playground does not simulate "+what+".", what+" are not simulated.")
		}
	}
	if !account && p.sr != "b" && p.sr != "c" {
		return authFail("The playground simulates service SAS for a container (sr=c) or a blob (sr=b) only, not sr="+p.sr+".", "sr="+p.sr+" is not simulated.")
	}
	start, okStart := parseSASTime(p.st)
	expiry, okExpiry := parseSASTime(p.se)
	if (p.st != "" && !okStart) || !okExpiry || (p.spr != "" && p.spr != "https" && p.spr != "https,http") {
		return authFail("Signature fields not well formed.", "a field of the SAS (st, se or spr) is not in a form Storage reads.")
	}
	var sts string
	if account {
		sts = p.accountStringToSign(b.account.Name)
	} else {
		blob := ""
		if p.sr == "b" {
			blob = b.blob
		}
		sts = p.serviceStringToSign(serviceCanonicalResource(b.account.Name, b.container, blob))
	}
	keyName := ""
	for i, key := range b.account.Storage.Keys {
		k, err := base64.StdEncoding.DecodeString(key)
		if err == nil && hmac.Equal([]byte(hmacBase64(k, sts)), []byte(q.Get("sig"))) {
			keyName = fmt.Sprintf("key%d", i+1)
		}
	}
	if keyName == "" {
		return authFail("Signature did not match. String to sign used was "+sts,
			"the SAS signature matches neither key1 nor key2 over the fields it carries and the resource requested (a regenerated key, an edited field, or a SAS for another resource).")
	}
	now := b.x.world.Now()
	from := start
	if p.st == "" {
		from = now // an omitted start means "from when the request arrives"
	}
	if !expiry.After(from) {
		return authFail("Signed expiry time ["+httpDate(expiry)+"] must be after signed start time ["+httpDate(from)+"]",
			fmt.Sprintf("the SAS expired at %s, and it is now %s.", httpDate(expiry), httpDate(now)))
	}
	if now.Before(from) || now.After(expiry) {
		return authFail("Signature not valid in the specified time frame: Start ["+httpDate(start)+"] - Expiry ["+httpDate(expiry)+"] - Current ["+httpDate(now)+"]",
			fmt.Sprintf("the SAS is valid from %s to %s, and it is now %s.", httpDate(start), httpDate(expiry), httpDate(now)))
	}
	b.version = p.sv
	mismatch := func(code, message, why string) bool {
		b.fail(http.StatusForbidden, code, message, "")
		b.x.decide("%s denied: %s", b.info.name, why)
		return false
	}
	if p.spr == "https" && b.x.r.URL.Scheme == "http" {
		return mismatch("AuthorizationProtocolMismatch", "This request is not authorized to perform this operation using this protocol.", "the SAS allows HTTPS only (spr=https).")
	}
	if account {
		if !strings.Contains(p.ss, "b") {
			return mismatch("AuthorizationServiceMismatch", "This request is not authorized to perform this operation using this service.",
				"the account SAS covers services ss="+p.ss+", not the blob service (b).")
		}
		if !strings.ContainsRune(p.srt, rune(b.info.accountType)) {
			return mismatch("AuthorizationResourceTypeMismatch", "This request is not authorized to perform this operation using this resource type.",
				fmt.Sprintf("the account SAS covers resource types srt=%s, and this operation needs %q (%s).", p.srt, b.info.accountType,
					map[byte]string{'s': "service", 'c': "container", 'o': "object"}[b.info.accountType]))
		}
	} else if b.op == blobCreateContainer || b.op == blobListContainers {
		// UNVERIFIED: a service SAS cannot create containers; Azure's exact
		// answer is not documented, the closest is a permission mismatch.
		return mismatch("AuthorizationPermissionMismatch", blobNoPermission, "a service SAS cannot create or list containers; that needs an account SAS or another credential.")
	}
	if !b.sasPermits(p.sp) {
		return mismatch("AuthorizationPermissionMismatch", blobNoPermission,
			fmt.Sprintf("the SAS grants permissions sp=%s, and %s needs one of %q.", p.sp, strings.ToLower(b.info.name), b.neededPerms()))
	}
	b.sas = &blobSAS{q: q, account: account}
	kind := "service SAS (sr=" + p.sr + ")"
	if account {
		kind = "account SAS"
	}
	b.x.decide("%s allowed: the %s is signed with the account's %s, valid until %s, and grants sp=%s; a SAS bypasses Azure RBAC.", b.info.name, kind, keyName, httpDate(expiry), p.sp)
	return true
}

// sasPermits reports whether permissions sp allow the operation.
func (b *blobRequest) sasPermits(sp string) bool {
	need := b.neededPerms()
	for _, c := range need {
		if strings.ContainsRune(sp, c) {
			return true
		}
	}
	return false
}

// neededPerms are the letters that allow the operation: Create (c) allows
// Put Blob only for a blob that does not exist yet.
func (b *blobRequest) neededPerms() string {
	need := b.info.perms
	if b.op == blobPut {
		if c, err := b.x.world.Container(b.account, b.container); err == nil && c.Blobs[b.blob] != nil {
			need = "w"
		}
	}
	return need
}
