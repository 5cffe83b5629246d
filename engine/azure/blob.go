package azure

import (
	"crypto/md5"
	"encoding/base64"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/miplay/miplay/engine"
)

// The Blob service: {account}.blob.core.windows.net. A request is
// authenticated by one of four means, each with its own failure wording:
// a Microsoft Entra bearer token (then Azure RBAC decides), Shared Key or a
// shared access signature (both signed with an account key, which bypasses
// RBAC), or nothing at all (anonymous; containers are never public here).

const (
	blobServer = "Windows-Azure-Blob/1.0 Microsoft-HTTPAPI/2.0"
	// blobBearerSince is the first service version that accepts OAuth tokens.
	blobBearerSince = "2017-11-09"
	// blobChallengeSince: from this version on, an anonymous request for a
	// private resource gets a 401 bearer challenge instead of a 404.
	blobChallengeSince = "2019-12-12"
	// blobSharedKeySince is the Shared Key canonicalization implemented here:
	// from 2015-02-21 a zero Content-Length is signed as an empty string.
	blobSharedKeySince = "2015-02-21"

	blobAuthFailed   = "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature."
	blobChallenged   = "Server failed to authenticate the request. Please refer to the information in the www-authenticate header."
	blobBadAuthInfo  = "Authentication information is not given in the correct format. Check the value of Authorization header."
	blobNoPermission = "This request is not authorized to perform this operation using this permission."
	// blobDefaultContentType is what Put Blob stores when the writer names none.
	blobDefaultContentType = "application/octet-stream"
)

// isDate is ^\d{4}-\d{2}-\d{2}$ (\d is ASCII in Go's regexps), as plain code
// for the reason validAPIVersion gives.
func isDate(s string) bool {
	if len(s) != 10 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if i == 4 || i == 7 {
			if s[i] != '-' {
				return false
			}
		} else if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// A blobOp is one Blob service operation the playground simulates.
type blobOp int

const (
	blobListContainers blobOp = iota + 1
	blobCreateContainer
	blobContainerProperties
	blobListBlobs
	blobPut
	blobGet
	blobProperties
	blobDelete
)

// blobOpInfo is what an operation needs from each means of authorization.
type blobOpInfo struct {
	name string // for the learner: "Blob read"
	// action is the Azure RBAC operation that authorizes a bearer token, per
	// "Permissions for calling data operations"; dataAction selects the plane.
	// List Containers, Create Container and Get Container Properties are
	// authorized by control-plane actions, so Owner (actions "*") may list
	// containers with a token but not read a blob (azure-sdk-for-js#5539).
	action     string
	dataAction bool
	// accountType is the account SAS resource type (srt) the operation needs.
	accountType byte
	// perms are the SAS permissions that allow it; any one suffices. 'c'
	// (create) allows Put Blob only for a blob that does not exist yet.
	perms string
}

const storageActions = "Microsoft.Storage/storageAccounts/blobServices/containers/"

var blobOps = map[blobOp]blobOpInfo{
	blobListContainers:  {"Container list", storageActions + "read", false, 's', "l"},
	blobCreateContainer: {"Container create", storageActions + "write", false, 'c', "cw"},
	// UNVERIFIED: that Read (r) on a container SAS reaches the container's
	// own properties; the documentation names only blob operations for it.
	blobContainerProperties: {"Container read", storageActions + "read", false, 'c', "r"},
	blobListBlobs:           {"Blob list", storageActions + "blobs/read", true, 'c', "l"},
	// UNVERIFIED: Azure documents blobs/add/action for creating a new blob and
	// blobs/write for overwriting; every built-in role that has one has both,
	// so the playground checks blobs/write for either.
	blobPut:        {"Blob write", storageActions + "blobs/write", true, 'o', "wc"},
	blobGet:        {"Blob read", storageActions + "blobs/read", true, 'o', "r"},
	blobProperties: {"Blob read", storageActions + "blobs/read", true, 'o', "r"},
	blobDelete:     {"Blob delete", storageActions + "blobs/delete", true, 'o', "d"},
}

// blobRequest is one request to the Blob service being served.
type blobRequest struct {
	x         *exchange
	account   *engine.Resource
	container string
	blob      string
	op        blobOp
	info      blobOpInfo
	// version is the x-ms-version the response echoes: the request's, or
	// the SAS's signed version.
	version   string
	requestID string
	sas       *blobSAS // set when a SAS authorized the request
}

func (x *exchange) serveBlob() {
	name := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(requestHost(x.r), ":443"), ":80"), blobSuffix)
	account, _ := x.world.StorageAccount(name)
	b := &blobRequest{x: x, account: account, version: x.r.Header.Get("x-ms-version"), requestID: x.world.NewGUID()}
	path := strings.TrimPrefix(x.r.URL.Path, "/")
	b.container, b.blob, _ = strings.Cut(path, "/")
	if !b.route() {
		return
	}
	b.info = blobOps[b.op]
	if b.version != "" && !isDate(b.version) {
		b.version = ""
		b.fail(http.StatusBadRequest, "InvalidHeaderValue", "The value for one of the HTTP headers is not in the correct format.",
			"<HeaderName>x-ms-version</HeaderName><HeaderValue>"+xmlText(x.r.Header.Get("x-ms-version"))+"</HeaderValue>")
		x.decide("%s refused: x-ms-version %q is not a service version (they look like 2021-08-06).", b.info.name, x.r.Header.Get("x-ms-version"))
		return
	}
	if !b.authorize() {
		return
	}
	b.serve()
}

// route works out the operation; false means it answered already.
func (b *blobRequest) route() bool {
	r := b.x.r
	q := r.URL.Query()
	restype, comp := q.Get("restype"), q.Get("comp")
	switch {
	case b.container == "":
		if r.Method == http.MethodGet && comp == "list" && restype == "" {
			b.op = blobListContainers
			return true
		}
	case b.blob == "" && restype == "container":
		switch {
		case r.Method == http.MethodPut && comp == "":
			b.op = blobCreateContainer
		case (r.Method == http.MethodGet || r.Method == http.MethodHead) && comp == "":
			b.op = blobContainerProperties
		case r.Method == http.MethodGet && comp == "list":
			if q.Get("delimiter") != "" {
				break // virtual directories are not simulated
			}
			b.op = blobListBlobs
		}
	case b.blob != "" && comp == "" && restype == "":
		switch r.Method {
		case http.MethodPut:
			b.op = blobPut
		case http.MethodGet:
			b.op = blobGet
		case http.MethodHead:
			b.op = blobProperties
		case http.MethodDelete:
			b.op = blobDelete
		}
	}
	if b.op != 0 {
		return true
	}
	b.fail(http.StatusNotImplemented, "NotImplemented",
		fmt.Sprintf("The playground does not simulate this Blob operation: %s %s. It simulates List Containers, Create Container, Get Container Properties, List Blobs (without delimiter), and Put (block blob), Get, Get Properties and Delete Blob.", r.Method, r.URL.RequestURI()), "")
	b.x.decide("Blob request not simulated: %s %s.", r.Method, r.URL.RequestURI())
	return false
}

// authorize authenticates the caller and checks that it may perform the
// operation; false means it answered already.
func (b *blobRequest) authorize() bool {
	h := b.x.r.Header.Get("Authorization")
	if h == "" {
		if b.x.r.URL.Query().Get("sig") != "" {
			return b.authorizeSAS()
		}
		return b.anonymous()
	}
	scheme, rest, _ := strings.Cut(strings.TrimSpace(h), " ")
	rest = strings.TrimSpace(rest)
	switch {
	case strings.EqualFold(scheme, "Bearer") && rest != "":
		return b.authorizeBearer(rest)
	case scheme == "SharedKey":
		return b.authorizeSharedKey(rest)
	case scheme == "SharedKeyLite":
		b.fail(http.StatusNotImplemented, "NotImplemented", "The playground does not simulate Shared Key Lite authorization; sign the request with SharedKey.", "")
		b.x.decide("%s not simulated: Shared Key Lite authorization.", b.info.name)
		return false
	}
	b.fail(http.StatusBadRequest, "InvalidAuthenticationInfo", blobBadAuthInfo, "")
	b.x.decide("%s refused: the Authorization header is neither \"Bearer <token>\" nor \"SharedKey <account>:<signature>\".", b.info.name)
	return false
}

// anonymous answers a request that carries no credential: no container in
// the playground allows public access, and Azure does not reveal whether a
// private resource exists.
func (b *blobRequest) anonymous() bool {
	if b.version >= blobChallengeSince {
		b.x.w.Header().Set("WWW-Authenticate", b.challenge())
		b.failAuth(http.StatusUnauthorized, "NoAuthenticationInformation", blobChallenged, "")
	} else {
		b.fail(http.StatusNotFound, "ResourceNotFound", "The specified resource does not exist.", "")
	}
	b.x.decide("%s refused: the request carries no credential (no Authorization header, no SAS) and anonymous access is off, so Storage answers as if the resource did not exist.", b.info.name)
	return false
}

func (b *blobRequest) challenge() string {
	return "Bearer authorization_uri=https://" + LoginHost + "/" + b.x.world.Tenant.ID + "/oauth2/authorize resource_id=https://storage.azure.com"
}

func (b *blobRequest) authorizeBearer(raw string) bool {
	if b.version < blobBearerSince {
		b.failAuth(http.StatusForbidden, "AuthenticationFailed", blobAuthFailed,
			"<AuthenticationErrorDetail>Authentication scheme Bearer is not supported in this version.</AuthenticationErrorDetail>")
		b.x.decide("%s refused: a bearer token needs the header x-ms-version: %s or later, and the request has %s.", b.info.name, blobBearerSince, quoteOrNone(b.version))
		return false
	}
	audiences := []string{"https://storage.azure.com/", "https://" + b.account.Name + blobSuffix + "/"}
	claims, f := b.x.validate(raw, audiences)
	if f != nil {
		b.x.w.Header().Set("WWW-Authenticate", b.challenge())
		b.failAuth(http.StatusUnauthorized, "InvalidAuthenticationInfo", blobChallenged,
			"<AuthenticationErrorDetail>"+xmlText(f.Kind.Message())+"</AuthenticationErrorDetail>")
		b.x.decide("%s refused: the bearer token is not valid for Storage: %s", b.info.name, f.Detail)
		return false
	}
	d := b.x.authorize(claims.ObjectID, b.info.action, b.rbacScope(), b.info.dataAction)
	if !d.Allowed {
		b.fail(http.StatusForbidden, "AuthorizationPermissionMismatch", blobNoPermission, "")
		b.x.decide("%s denied: %s", b.info.name, strings.TrimPrefix(d.Reason, "Denied: "))
		return false
	}
	b.x.decide("%s allowed: %s", b.info.name, strings.TrimPrefix(d.Reason, "Allowed: "))
	return true
}

// rbacScope is where Azure RBAC looks for the operation: the container, or
// the blob service for account-level operations. Role assignments go no
// lower than a container.
func (b *blobRequest) rbacScope() string {
	if b.container == "" {
		return b.account.ID + "/blobServices/default"
	}
	return b.account.ID + "/blobServices/default/containers/" + b.container
}

// keysAllowed refuses Shared Key and SAS on an account that disallows them.
func (b *blobRequest) keysAllowed(means string) bool {
	if b.account.Storage.AllowSharedKeyAccess {
		return true
	}
	b.failAuth(http.StatusForbidden, "KeyBasedAuthenticationNotPermitted", "Key based authentication is not permitted on this storage account.", "")
	b.x.decide("%s refused: the request is signed with an account key (%s), and the account has allowSharedKeyAccess set to false; only Microsoft Entra tokens are accepted.", b.info.name, means)
	return false
}

// serve carries out an authorized operation.
func (b *blobRequest) serve() {
	w := b.x.world
	switch b.op {
	case blobListContainers:
		b.listContainers()
	case blobCreateContainer:
		c, err := w.CreateContainer(b.account, b.container)
		if err != nil {
			b.fault(err)
			return
		}
		h := b.headers()
		h.Set("ETag", containerETag(c))
		h.Set("Last-Modified", httpDate(c.Created))
		h.Set("Content-Length", "0")
		b.x.w.WriteHeader(http.StatusCreated)
	case blobContainerProperties:
		c, err := w.Container(b.account, b.container)
		if err != nil {
			b.fault(err)
			return
		}
		h := b.headers()
		h.Set("ETag", containerETag(c))
		h.Set("Last-Modified", httpDate(c.Created))
		h.Set("x-ms-lease-status", "unlocked")
		h.Set("x-ms-lease-state", "available")
		h.Set("x-ms-has-immutability-policy", "false")
		h.Set("x-ms-has-legal-hold", "false")
		h.Set("x-ms-default-encryption-scope", "$account-encryption-key")
		h.Set("x-ms-deny-encryption-scope-override", "false")
		h.Set("Content-Length", "0")
		b.x.w.WriteHeader(http.StatusOK)
	case blobListBlobs:
		b.listBlobs()
	case blobPut:
		b.put()
	case blobGet, blobProperties:
		b.get()
	case blobDelete:
		if err := w.DeleteBlob(b.account, b.container, b.blob); err != nil {
			b.fault(err)
			return
		}
		h := b.headers()
		h.Set("x-ms-delete-type-permanent", "true")
		h.Set("Content-Length", "0")
		b.x.w.WriteHeader(http.StatusAccepted)
	}
}

func (b *blobRequest) put() {
	r := b.x.r
	switch t := r.Header.Get("x-ms-blob-type"); t {
	case "BlockBlob":
	case "":
		b.fail(http.StatusBadRequest, "MissingRequiredHeader", "An HTTP header that's mandatory for this request is not specified.",
			"<HeaderName>x-ms-blob-type</HeaderName>")
		b.x.decide("Blob write refused: Put Blob needs the header x-ms-blob-type (BlockBlob).")
		return
	case "PageBlob", "AppendBlob":
		b.fail(http.StatusNotImplemented, "NotImplemented", "The playground simulates block blobs only; x-ms-blob-type: "+t+" is not simulated.", "")
		b.x.decide("Blob write not simulated: %s.", t)
		return
	default:
		b.fail(http.StatusBadRequest, "InvalidHeaderValue", "The value for one of the HTTP headers is not in the correct format.",
			"<HeaderName>x-ms-blob-type</HeaderName><HeaderValue>"+xmlText(t)+"</HeaderValue>")
		b.x.decide("Blob write refused: x-ms-blob-type %q is not BlockBlob, PageBlob or AppendBlob.", t)
		return
	}
	blob, err := b.x.world.PutBlob(b.account, b.container, b.blob, b.x.body)
	if err != nil {
		b.fault(err)
		return
	}
	blob.ContentType = r.Header.Get("x-ms-blob-content-type")
	if blob.ContentType == "" {
		blob.ContentType = blobDefaultContentType
	}
	h := b.headers()
	h.Set("ETag", blob.ETag)
	h.Set("Last-Modified", httpDate(blob.Modified))
	h.Set("Content-MD5", contentMD5(blob.Content))
	h.Set("x-ms-request-server-encrypted", "true")
	h.Set("Content-Length", "0")
	b.x.w.WriteHeader(http.StatusCreated)
}

func (b *blobRequest) get() {
	blob, err := b.x.world.GetBlob(b.account, b.container, b.blob)
	if err != nil {
		b.fault(err)
		return
	}
	content, status := blob.Content, http.StatusOK
	h := b.headers()
	if rng := b.x.r.Header.Get("x-ms-range"); rng != "" || b.x.r.Header.Get("Range") != "" {
		if rng == "" {
			rng = b.x.r.Header.Get("Range")
		}
		start, end, ok := parseRange(rng, len(content))
		if !ok {
			b.fail(http.StatusRequestedRangeNotSatisfiable, "InvalidRange", "The range specified is invalid for the current size of the resource.", "")
			return
		}
		h.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", start, end, len(content)))
		content, status = content[start:end+1], http.StatusPartialContent
	}
	h.Set("Content-Length", strconv.Itoa(len(content)))
	h.Set("Content-Type", blobContentType(blob))
	if status == http.StatusOK {
		h.Set("Content-MD5", contentMD5(blob.Content))
	}
	h.Set("Last-Modified", httpDate(blob.Modified))
	h.Set("Accept-Ranges", "bytes")
	h.Set("ETag", blob.ETag)
	h.Set("x-ms-creation-time", httpDate(blob.Modified))
	h.Set("x-ms-lease-status", "unlocked")
	h.Set("x-ms-lease-state", "available")
	h.Set("x-ms-blob-type", "BlockBlob")
	h.Set("x-ms-server-encrypted", "true")
	if b.sas != nil {
		// A service SAS may override response headers (rscc, rsct, ...).
		for param, header := range sasOverrides {
			if v := b.sas.q.Get(param); v != "" {
				h.Set(header, v)
			}
		}
	}
	b.x.w.WriteHeader(status)
	if b.op == blobGet {
		b.x.w.Write(content)
	}
}

// parseRange reads "bytes=a-b" or "bytes=a-" against a blob of size n.
func parseRange(s string, n int) (start, end int, ok bool) {
	spec, found := strings.CutPrefix(strings.TrimSpace(s), "bytes=")
	if !found || strings.Contains(spec, ",") {
		return 0, 0, false
	}
	a, z, _ := strings.Cut(spec, "-")
	start, err := strconv.Atoi(a)
	if err != nil || start < 0 || start >= n {
		return 0, 0, false
	}
	end = n - 1
	if z != "" {
		if end, err = strconv.Atoi(z); err != nil || end < start {
			return 0, 0, false
		}
		end = min(end, n-1)
	}
	return start, end, true
}

func blobContentType(b *engine.Blob) string {
	if b.ContentType == "" {
		return blobDefaultContentType
	}
	return b.ContentType
}

// listContainers answers List Containers, with prefix, maxresults and marker.
func (b *blobRequest) listContainers() {
	q := b.x.r.URL.Query()
	var names []string
	for n := range b.account.Storage.Containers {
		if strings.HasPrefix(n, q.Get("prefix")) {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	names, next, ok := b.page(names, "/"+b.account.Name+"/")
	if !ok {
		return
	}
	var s strings.Builder
	s.WriteString(`<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="https://` + b.account.Name + blobSuffix + `/">`)
	b.listParams(&s)
	if len(names) == 0 {
		s.WriteString("<Containers />")
	} else {
		s.WriteString("<Containers>")
		for _, n := range names {
			c := b.account.Storage.Containers[n]
			s.WriteString("<Container><Name>" + xmlText(n) + "</Name><Properties><Last-Modified>" + httpDate(c.Created) +
				"</Last-Modified><Etag>" + xmlText(containerETag(c)) + "</Etag><LeaseStatus>unlocked</LeaseStatus><LeaseState>available</LeaseState>" +
				"<DefaultEncryptionScope>$account-encryption-key</DefaultEncryptionScope><DenyEncryptionScopeOverride>false</DenyEncryptionScopeOverride>" +
				"<HasImmutabilityPolicy>false</HasImmutabilityPolicy><HasLegalHold>false</HasLegalHold>" +
				"<ImmutableStorageWithVersioningEnabled>false</ImmutableStorageWithVersioningEnabled></Properties></Container>")
		}
		s.WriteString("</Containers>")
	}
	b.writeList(&s, next)
}

// listBlobs answers List Blobs (flat), with prefix, maxresults and marker.
func (b *blobRequest) listBlobs() {
	c, err := b.x.world.Container(b.account, b.container)
	if err != nil {
		b.fault(err)
		return
	}
	q := b.x.r.URL.Query()
	var names []string
	for n := range c.Blobs {
		if strings.HasPrefix(n, q.Get("prefix")) {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	names, next, ok := b.page(names, "")
	if !ok {
		return
	}
	var s strings.Builder
	s.WriteString(`<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="https://` + b.account.Name + blobSuffix +
		`/" ContainerName="` + xmlText(b.container) + `">`)
	b.listParams(&s)
	if len(names) == 0 {
		s.WriteString("<Blobs />")
	} else {
		s.WriteString("<Blobs>")
		for _, n := range names {
			blob := c.Blobs[n]
			// Listings show the ETag without the quotes the headers carry.
			s.WriteString("<Blob><Name>" + xmlText(n) + "</Name><Properties><Creation-Time>" + httpDate(blob.Modified) +
				"</Creation-Time><Last-Modified>" + httpDate(blob.Modified) + "</Last-Modified><Etag>" + strings.Trim(blob.ETag, `"`) +
				"</Etag><Content-Length>" + strconv.Itoa(len(blob.Content)) + "</Content-Length><Content-Type>" + xmlText(blobContentType(blob)) +
				"</Content-Type><Content-Encoding /><Content-Language /><Content-CRC64 /><Content-MD5>" + contentMD5(blob.Content) +
				"</Content-MD5><Cache-Control /><Content-Disposition /><BlobType>BlockBlob</BlobType><AccessTier>Hot</AccessTier>" +
				"<AccessTierInferred>true</AccessTierInferred><LeaseStatus>unlocked</LeaseStatus><LeaseState>available</LeaseState>" +
				"<ServerEncrypted>true</ServerEncrypted></Properties><OrMetadata /></Blob>")
		}
		s.WriteString("</Blobs>")
	}
	b.writeList(&s, next)
}

// page applies marker and maxresults. Markers are opaque to clients; the
// playground's are the next name behind markerPrefix (List Containers
// writes "/{account}/{container}", as Azure does) or "2!" and the name in
// base64 for blobs.
func (b *blobRequest) page(names []string, markerPrefix string) (out []string, next string, ok bool) {
	q := b.x.r.URL.Query()
	if m := q.Get("marker"); m != "" {
		from, good := b.unmarker(m, markerPrefix)
		if !good {
			b.fail(http.StatusBadRequest, "OutOfRangeInput", "One of the request inputs is out of range.", "")
			b.x.decide("%s refused: the marker %q is not one this service returned.", b.info.name, m)
			return nil, "", false
		}
		i := sort.SearchStrings(names, from)
		names = names[i:]
	}
	if v := q.Get("maxresults"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			b.fail(http.StatusBadRequest, "OutOfRangeQueryParameterValue", "One of the query parameters specified in the request URI is outside the permissible range.",
				"<QueryParameterName>maxresults</QueryParameterName><QueryParameterValue>"+xmlText(v)+"</QueryParameterValue><MinimumAllowed>1</MinimumAllowed><MaximumAllowed>5000</MaximumAllowed>")
			b.x.decide("%s refused: maxresults must be a number from 1 to 5000.", b.info.name)
			return nil, "", false
		}
		if n < len(names) {
			if markerPrefix != "" {
				next = markerPrefix + names[n]
			} else {
				next = "2!" + base64.RawURLEncoding.EncodeToString([]byte(names[n]))
			}
			names = names[:n]
		}
	}
	return names, next, true
}

func (b *blobRequest) unmarker(m, markerPrefix string) (string, bool) {
	if markerPrefix != "" {
		return strings.CutPrefix(m, markerPrefix)
	}
	enc, ok := strings.CutPrefix(m, "2!")
	if !ok {
		return "", false
	}
	name, err := base64.RawURLEncoding.DecodeString(enc)
	return string(name), err == nil
}

// listParams echoes prefix, marker and maxresults as EnumerationResults does.
func (b *blobRequest) listParams(s *strings.Builder) {
	q := b.x.r.URL.Query()
	if v := q.Get("prefix"); v != "" {
		s.WriteString("<Prefix>" + xmlText(v) + "</Prefix>")
	}
	if v := q.Get("marker"); v != "" {
		s.WriteString("<Marker>" + xmlText(v) + "</Marker>")
	}
	if v := q.Get("maxresults"); v != "" {
		s.WriteString("<MaxResults>" + xmlText(v) + "</MaxResults>")
	}
}

func (b *blobRequest) writeList(s *strings.Builder, next string) {
	if next == "" {
		s.WriteString("<NextMarker /></EnumerationResults>")
	} else {
		s.WriteString("<NextMarker>" + xmlText(next) + "</NextMarker></EnumerationResults>")
	}
	b.headers()
	b.x.writeRaw(http.StatusOK, "application/xml", append([]byte(utf8BOM), s.String()...))
}

// headers sets the headers every Blob response carries and returns the
// header map for more.
func (b *blobRequest) headers() http.Header {
	h := b.x.w.Header()
	h.Set("Server", blobServer)
	h.Set("x-ms-request-id", b.requestID)
	if b.version != "" {
		h.Set("x-ms-version", b.version)
	}
	if id := b.x.r.Header.Get("x-ms-client-request-id"); id != "" {
		h.Set("x-ms-client-request-id", id)
	}
	h.Set("Date", httpDate(b.x.world.Now()))
	return h
}

// utf8BOM starts every XML body Storage writes. Error bodies are verified
// (Content-Length counts it); UNVERIFIED for listings, whose recordings are
// decoded text, but the SDKs strip a BOM from every XML body they parse.
const utf8BOM = "\ufeff"

// fail writes a Storage error: the XML body with RequestId and Time lines,
// and x-ms-error-code. extra is more XML, already escaped.
func (b *blobRequest) fail(status int, code, message, extra string) {
	h := b.headers()
	h.Set("x-ms-error-code", code)
	body := utf8BOM + `<?xml version="1.0" encoding="utf-8"?><Error><Code>` + code + "</Code><Message>" + xmlText(message) +
		"\nRequestId:" + b.requestID + "\nTime:" + storageTime(b.x.world.Now()) + "</Message>" + extra + "</Error>"
	b.x.writeRaw(status, "application/xml", []byte(body))
}

// failAuth writes an authentication failure, which Storage answers before
// it has settled the service version, so without x-ms-version (as in a
// recorded SAS failure; UNVERIFIED for the other authentication failures).
func (b *blobRequest) failAuth(status int, code, message, extra string) {
	b.version = ""
	b.fail(status, code, message, extra)
}

// fault renders an engine.Fault as a Storage error.
func (b *blobRequest) fault(err error) {
	f, ok := err.(*engine.Fault)
	if !ok {
		f = &engine.Fault{Status: http.StatusInternalServerError, Code: "InternalError", Message: "Server encountered an internal error. Please try again after some time."}
	}
	b.fail(f.Status, f.Code, f.Message, "")
	b.x.decision += " Then: " + f.Message
}

// storageTime writes a time as Storage's error messages do, with seven
// fractional digits.
func storageTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.0000000Z") }

// httpDate writes a time in RFC 1123 form, GMT.
func httpDate(t time.Time) string { return t.UTC().Format(http.TimeFormat) }

// containerETag derives a container's ETag from its creation time, as
// Azure's are derived from the last-modified time: 0x and the .NET ticks in
// hexadecimal.
func containerETag(c *engine.Container) string {
	const unixEpochTicks = 621355968000000000
	ticks := c.Created.UTC().UnixNano()/100 + unixEpochTicks
	return fmt.Sprintf(`"0x%X"`, ticks)
}

func contentMD5(b []byte) string {
	sum := md5.Sum(b)
	return base64.StdEncoding.EncodeToString(sum[:])
}

// xmlText escapes text for an XML element, keeping newlines as they are
// (encoding/xml would write them as &#xA;).
func xmlText(s string) string { return xmlEscaper.Replace(s) }

var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func quoteOrNone(s string) string {
	if s == "" {
		return "none"
	}
	return strconv.Quote(s)
}
