package azure

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// storageError is the body Storage writes for an error: a byte order mark,
// the XML declaration, and the RequestId and Time lines in Message.
func storageError(code, message, requestID, extra string) string {
	return "\ufeff" + `<?xml version="1.0" encoding="utf-8"?><Error><Code>` + code + "</Code><Message>" + message +
		"\nRequestId:" + requestID + "\nTime:" + testTime + "</Message>" + extra + "</Error>"
}

const (
	blobVersion = "2021-08-06"
	blobRead    = storageActions + "blobs/read"
)

func TestBlobBearer(t *testing.T) {
	f := newDataFixture(t)
	container := f.st.ID + "/blobServices/default/containers/docs"
	tok := f.token("https://storage.azure.com/")
	auth := hdr("Authorization", bearer(tok), "x-ms-version", blobVersion)

	// Only Owner: a control-plane role. Listing containers is a
	// control-plane action, reading a blob is a data action.
	f.assign(f.w.Subscription.Scope()+"/resourceGroups/rg-data", "Owner")
	resp, body := f.do("GET", blobHost+"/docs/hello.txt", auth, "")
	rid := resp.Header.Get("x-ms-request-id")
	if resp.StatusCode != 403 || body != storageError("AuthorizationPermissionMismatch", "This request is not authorized to perform this operation using this permission.", rid, "") {
		t.Fatalf("Owner reads a blob: %d %q", resp.StatusCode, body)
	}
	checkHeaders(t, resp, map[string]string{
		"Content-Type": "application/xml", "x-ms-error-code": "AuthorizationPermissionMismatch",
		"Server": "Windows-Azure-Blob/1.0 Microsoft-HTTPAPI/2.0", "x-ms-version": blobVersion, "Date": testDate,
	})
	if d := f.lastDecision(); !strings.HasPrefix(d, "Blob read denied: no role assignment for principal '"+f.mi.PrincipalID+"' grants data action '"+blobRead+"'") ||
		!strings.Contains(d, "role 'Owner' grants actions '*' but a data action needs dataActions") {
		t.Errorf("decision = %q", d)
	}
	resp, body = f.do("GET", blobHost+"/?comp=list", auth, "")
	if resp.StatusCode != 200 || !strings.Contains(body, "<Name>docs</Name>") {
		t.Errorf("Owner lists containers: %d %q", resp.StatusCode, body)
	}

	// Storage Blob Data Reader on the container: the blob can be read.
	f.assign(container, "Storage Blob Data Reader")
	resp, body = f.do("GET", blobHost+"/docs/hello.txt", auth, "")
	if resp.StatusCode != 200 || body != "hello, world\n" {
		t.Fatalf("reader reads a blob: %d %q", resp.StatusCode, body)
	}
	blob := f.st.Storage.Containers["docs"].Blobs["hello.txt"]
	checkHeaders(t, resp, map[string]string{
		"Content-Length": "13", "Content-Type": "text/plain", "Content-MD5": "IsNoOwlBNsM5g5GucbIPBA==", "ETag": blob.ETag,
		"Last-Modified": testDate, "Accept-Ranges": "bytes", "x-ms-blob-type": "BlockBlob", "x-ms-version": blobVersion,
		"Server": "Windows-Azure-Blob/1.0 Microsoft-HTTPAPI/2.0", "Date": testDate, "x-ms-lease-state": "available",
	})
	if d := f.lastDecision(); d != "Blob read allowed: role 'Storage Blob Data Reader' assigned at scope '"+container+"' grants data action '"+blobRead+"' through '"+blobRead+"'." {
		t.Errorf("decision = %q", d)
	}

	// A reader cannot write.
	resp, body = f.do("PUT", blobHost+"/docs/new.txt", hdr("Authorization", bearer(tok), "x-ms-version", blobVersion, "x-ms-blob-type", "BlockBlob"), "data")
	if resp.StatusCode != 403 || !strings.Contains(body, "<Code>AuthorizationPermissionMismatch</Code>") {
		t.Errorf("reader writes: %d %q", resp.StatusCode, body)
	}

	// Without x-ms-version, Storage does not take a bearer token at all.
	resp, body = f.do("GET", blobHost+"/docs/hello.txt", hdr("Authorization", bearer(tok)), "")
	rid = resp.Header.Get("x-ms-request-id")
	want := storageError("AuthenticationFailed", blobAuthFailed, rid,
		"<AuthenticationErrorDetail>Authentication scheme Bearer is not supported in this version.</AuthenticationErrorDetail>")
	if resp.StatusCode != 403 || body != want {
		t.Errorf("no x-ms-version: %d %q, want 403 %q", resp.StatusCode, body, want)
	}
}

func TestBlobContributor(t *testing.T) {
	f := newDataFixture(t)
	f.assign(f.st.ID, "Storage Blob Data Contributor")
	tok := f.token("https://" + testAccount + ".blob.core.windows.net/") // the account's own audience works too
	auth := func(kv ...string) http.Header {
		return hdr(append([]string{"Authorization", bearer(tok), "x-ms-version", blobVersion}, kv...)...)
	}
	resp, body := f.do("PUT", blobHost+"/reports?restype=container", auth(), "")
	if resp.StatusCode != 201 || body != "" {
		t.Fatalf("create container: %d %q", resp.StatusCode, body)
	}
	checkHeaders(t, resp, map[string]string{"ETag": `"0x8DE541476A82800"`, "Last-Modified": testDate, "Content-Length": "0"})

	resp, body = f.do("PUT", blobHost+"/reports?restype=container", auth(), "")
	if resp.StatusCode != 409 || body != storageError("ContainerAlreadyExists", "The specified container already exists.", resp.Header.Get("x-ms-request-id"), "") {
		t.Errorf("create again: %d %q", resp.StatusCode, body)
	}

	resp, body = f.do("PUT", blobHost+"/reports/q1/sales.csv", auth("x-ms-blob-type", "BlockBlob", "x-ms-blob-content-type", "text/csv"), "a,b\n1,2\n")
	if resp.StatusCode != 201 || body != "" {
		t.Fatalf("put blob: %d %q", resp.StatusCode, body)
	}
	etag := resp.Header.Get("ETag")
	checkHeaders(t, resp, map[string]string{"Content-MD5": "5evUwCzvvnlVl3xnraJCtw==", "x-ms-request-server-encrypted": "true"})

	resp, body = f.do("PUT", blobHost+"/reports/x.bin", auth(), "x")
	if resp.StatusCode != 400 || body != storageError("MissingRequiredHeader", "An HTTP header that's mandatory for this request is not specified.",
		resp.Header.Get("x-ms-request-id"), "<HeaderName>x-ms-blob-type</HeaderName>") {
		t.Errorf("put without blob type: %d %q", resp.StatusCode, body)
	}

	resp, body = f.do("GET", blobHost+"/reports?restype=container&comp=list", auth(), "")
	want := "\ufeff" + `<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="https://stdata.blob.core.windows.net/" ContainerName="reports"><Blobs>` +
		`<Blob><Name>q1/sales.csv</Name><Properties><Creation-Time>` + testDate + `</Creation-Time><Last-Modified>` + testDate + `</Last-Modified><Etag>` +
		strings.Trim(etag, `"`) + `</Etag><Content-Length>8</Content-Length><Content-Type>text/csv</Content-Type><Content-Encoding /><Content-Language /><Content-CRC64 />` +
		`<Content-MD5>5evUwCzvvnlVl3xnraJCtw==</Content-MD5><Cache-Control /><Content-Disposition /><BlobType>BlockBlob</BlobType><AccessTier>Hot</AccessTier>` +
		`<AccessTierInferred>true</AccessTierInferred><LeaseStatus>unlocked</LeaseStatus><LeaseState>available</LeaseState><ServerEncrypted>true</ServerEncrypted>` +
		`</Properties><OrMetadata /></Blob></Blobs><NextMarker /></EnumerationResults>`
	if resp.StatusCode != 200 || body != want {
		t.Errorf("list blobs: %d\n got %q\nwant %q", resp.StatusCode, body, want)
	}
	checkHeaders(t, resp, map[string]string{"Content-Type": "application/xml"})

	resp, body = f.do("GET", blobHost+"/?comp=list&maxresults=1", auth(), "")
	want = "\ufeff" + `<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="https://stdata.blob.core.windows.net/"><MaxResults>1</MaxResults><Containers>` +
		`<Container><Name>docs</Name><Properties><Last-Modified>` + testDate + `</Last-Modified><Etag>"0x8DE541476A82800"</Etag><LeaseStatus>unlocked</LeaseStatus>` +
		`<LeaseState>available</LeaseState><DefaultEncryptionScope>$account-encryption-key</DefaultEncryptionScope><DenyEncryptionScopeOverride>false</DenyEncryptionScopeOverride>` +
		`<HasImmutabilityPolicy>false</HasImmutabilityPolicy><HasLegalHold>false</HasLegalHold><ImmutableStorageWithVersioningEnabled>false</ImmutableStorageWithVersioningEnabled>` +
		`</Properties></Container></Containers><NextMarker>/stdata/reports</NextMarker></EnumerationResults>`
	if resp.StatusCode != 200 || body != want {
		t.Errorf("list containers:\n got %q\nwant %q", body, want)
	}
	resp, body = f.do("GET", blobHost+"/?comp=list&marker=/stdata/reports", auth(), "")
	if resp.StatusCode != 200 || !strings.Contains(body, "<Marker>/stdata/reports</Marker><Containers><Container><Name>reports</Name>") || strings.Contains(body, "<Name>docs</Name>") {
		t.Errorf("second page: %q", body)
	}

	resp, body = f.do("GET", blobHost+"/reports/q1/sales.csv", auth("x-ms-range", "bytes=4-"), "")
	if resp.StatusCode != 206 || body != "1,2\n" || resp.Header.Get("Content-Range") != "bytes 4-7/8" {
		t.Errorf("range: %d %q %q", resp.StatusCode, body, resp.Header.Get("Content-Range"))
	}

	resp, body = f.do("DELETE", blobHost+"/reports/q1/sales.csv", auth(), "")
	if resp.StatusCode != 202 || body != "" || resp.Header.Get("x-ms-delete-type-permanent") != "true" {
		t.Errorf("delete: %d %q", resp.StatusCode, body)
	}
	resp, body = f.do("GET", blobHost+"/reports/q1/sales.csv", auth(), "")
	if resp.StatusCode != 404 || body != storageError("BlobNotFound", "The specified blob does not exist.", resp.Header.Get("x-ms-request-id"), "") {
		t.Errorf("get deleted: %d %q", resp.StatusCode, body)
	}
	resp, body = f.do("GET", blobHost+"/nothing?restype=container&comp=list", auth(), "")
	if resp.StatusCode != 404 || body != storageError("ContainerNotFound", "The specified container does not exist.", resp.Header.Get("x-ms-request-id"), "") {
		t.Errorf("list missing container: %d %q", resp.StatusCode, body)
	}
}

func TestBlobAnonymous(t *testing.T) {
	f := newDataFixture(t)
	// From 2019-12-12 Storage challenges, so that clients learn where to get a token.
	resp, body := f.do("GET", blobHost+"/docs/hello.txt", hdr("x-ms-version", blobVersion), "")
	rid := resp.Header.Get("x-ms-request-id")
	if resp.StatusCode != 401 || body != storageError("NoAuthenticationInformation", blobChallenged, rid, "") {
		t.Errorf("anonymous: %d %q", resp.StatusCode, body)
	}
	checkHeaders(t, resp, map[string]string{
		"WWW-Authenticate": "Bearer authorization_uri=https://login.microsoftonline.com/" + f.w.Tenant.ID + "/oauth2/authorize resource_id=https://storage.azure.com",
		"x-ms-error-code":  "NoAuthenticationInformation",
	})
	// Before that, or with no version at all, a private resource is hidden.
	for _, h := range []http.Header{nil, hdr("x-ms-version", "2019-07-07")} {
		resp, body = f.do("GET", blobHost+"/docs/hello.txt", h, "")
		if resp.StatusCode != 404 || body != storageError("ResourceNotFound", "The specified resource does not exist.", resp.Header.Get("x-ms-request-id"), "") {
			t.Errorf("anonymous %v: %d %q", h, resp.StatusCode, body)
		}
	}
	resp, body = f.do("GET", blobHost+"/docs/hello.txt", hdr("Authorization", "Basic dXNlcjpwYXNz", "x-ms-version", blobVersion), "")
	if resp.StatusCode != 400 || body != storageError("InvalidAuthenticationInfo", blobBadAuthInfo, resp.Header.Get("x-ms-request-id"), "") {
		t.Errorf("basic auth: %d %q", resp.StatusCode, body)
	}
	resp, body = f.do("GET", blobHost+"/?restype=service&comp=properties", hdr("x-ms-version", blobVersion), "")
	if resp.StatusCode != 501 || !strings.Contains(body, "<Code>NotImplemented</Code><Message>The playground does not simulate this Blob operation: GET /?restype=service&amp;comp=properties.") {
		t.Errorf("not simulated: %d %q", resp.StatusCode, body)
	}
}

// sharedKeyRequest builds a request signed with key.
func (f *dataFixture) sharedKeyRequest(method, url, key, body string, extra ...string) (*http.Response, string) {
	f.t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		f.t.Fatal(err)
	}
	if body == "" {
		req.Body, req.ContentLength = nil, 0
	}
	req.Header.Set("x-ms-date", testDate)
	req.Header.Set("x-ms-version", blobVersion)
	for i := 0; i+1 < len(extra); i += 2 {
		req.Header.Set(extra[i], extra[i+1])
	}
	if err := SignSharedKey(req, testAccount, key); err != nil {
		f.t.Fatal(err)
	}
	resp, err := f.cloud.Client("vm-app").Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	var sb strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		sb.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return resp, sb.String()
}

func TestBlobSharedKey(t *testing.T) {
	f := newDataFixture(t)
	key1, key2 := f.st.Storage.Keys[0], f.st.Storage.Keys[1]
	for i, key := range []string{key1, key2} {
		resp, body := f.sharedKeyRequest("GET", blobHost+"/docs/hello.txt", key, "")
		if resp.StatusCode != 200 || body != "hello, world\n" {
			t.Fatalf("key%d: %d %q", i+1, resp.StatusCode, body)
		}
	}
	if d := f.lastDecision(); d != "Blob read allowed: the request is signed with the account's key2 (Shared Key); an account key grants full access and Azure RBAC is not consulted." {
		t.Errorf("decision = %q", d)
	}
	resp, body := f.sharedKeyRequest("PUT", blobHost+"/docs/notes.txt", key1, "note", "x-ms-blob-type", "BlockBlob", "Content-Type", "text/plain")
	if resp.StatusCode != 201 {
		t.Fatalf("put: %d %q", resp.StatusCode, body)
	}

	// Regenerating key1 makes every request signed with the old key fail,
	// and the server shows the string it signed.
	if err := f.w.RegenerateKey(f.st, "key1"); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", blobHost+"/docs/hello.txt?timeout=30", nil)
	req.Header.Set("x-ms-date", testDate)
	req.Header.Set("x-ms-version", blobVersion)
	if err := SignSharedKey(req, testAccount, key1); err != nil {
		t.Fatal(err)
	}
	sig := strings.TrimPrefix(req.Header.Get("Authorization"), "SharedKey stdata:")
	resp, err := f.cloud.Client("vm-app").Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 2048)
	n, _ := resp.Body.Read(b)
	sts := "GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:" + testDate + "\nx-ms-version:" + blobVersion + "\n/stdata/docs/hello.txt\ntimeout:30"
	want := storageError("AuthenticationFailed", blobAuthFailed, resp.Header.Get("x-ms-request-id"),
		"<AuthenticationErrorDetail>The MAC signature found in the HTTP request '"+sig+"' is not the same as any computed signature. Server used following string to sign: '"+sts+"'.</AuthenticationErrorDetail>")
	if resp.StatusCode != 403 || string(b[:n]) != want {
		t.Errorf("old key1: %d\n got %q\nwant %q", resp.StatusCode, b[:n], want)
	}
	checkHeaders(t, resp, map[string]string{"x-ms-error-code": "AuthenticationFailed", "x-ms-version": ""})
	// key2 still works.
	if resp, _ := f.sharedKeyRequest("GET", blobHost+"/docs/hello.txt", key2, ""); resp.StatusCode != 200 {
		t.Errorf("key2 after regenerating key1: %d", resp.StatusCode)
	}

	// An account that disallows keys refuses Shared Key outright.
	f.st.Storage.AllowSharedKeyAccess = false
	resp, body = f.sharedKeyRequest("GET", blobHost+"/docs/hello.txt", key2, "")
	if resp.StatusCode != 403 || body != storageError("KeyBasedAuthenticationNotPermitted", "Key based authentication is not permitted on this storage account.", resp.Header.Get("x-ms-request-id"), "") {
		t.Errorf("keys disallowed: %d %q", resp.StatusCode, body)
	}
}

func TestSignSharedKeyCanonicalization(t *testing.T) {
	// The canonical form: empty lines for unset headers, Content-Length
	// empty when zero, x-ms- headers sorted and unfolded, query
	// parameters sorted, names in lower case, values decoded and joined.
	req, _ := http.NewRequest("PUT", "https://acct.blob.core.windows.net/c/a%20b.txt?comp=metadata&Timeout=20&x=2&x=1", strings.NewReader("abc"))
	req.Header.Set("Content-Type", "text/plain")
	req.Header.Set("x-ms-version", "2022-11-02")
	req.Header.Set("X-Ms-Date", "Thu, 15 Jan 2026 09:00:00 GMT")
	req.Header.Set("x-ms-meta-Name", "  two   words ")
	want := "PUT\n\n\n3\n\ntext/plain\n\n\n\n\n\n\n" +
		"x-ms-date:Thu, 15 Jan 2026 09:00:00 GMT\nx-ms-meta-name:two words\nx-ms-version:2022-11-02\n" +
		"/acct/c/a%20b.txt\ncomp:metadata\ntimeout:20\nx:1,2"
	if got := sharedKeyStringToSign(req, "acct"); got != want {
		t.Errorf("string to sign:\n got %q\nwant %q", got, want)
	}
	if err := SignSharedKey(req, "acct", "not base64!"); err == nil {
		t.Error("SignSharedKey accepted a key that is not base64")
	}
	req.Header.Del("X-Ms-Date")
	if err := SignSharedKey(req, "acct", "a2V5"); err == nil {
		t.Error("SignSharedKey signed a request without a date")
	}
}

func TestBlobSAS(t *testing.T) {
	f := newDataFixture(t)
	key1 := f.st.Storage.Keys[0]
	blobSAS, err := GenerateBlobSAS(BlobSASOptions{Account: testAccount, Key: key1, Container: "docs", Blob: "hello.txt", Permissions: "r", Expiry: "2026-01-16T09:00Z"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(blobSAS, "se=2026-01-16T09%3A00Z&sp=r&sv=2022-11-02&sr=b&sig=") {
		t.Errorf("token = %q", blobSAS)
	}
	resp, body := f.do("GET", blobHost+"/docs/hello.txt?"+blobSAS, nil, "")
	if resp.StatusCode != 200 || body != "hello, world\n" || resp.Header.Get("x-ms-version") != SASVersion {
		t.Fatalf("blob SAS: %d %q", resp.StatusCode, body)
	}
	if d := f.lastDecision(); d != "Blob read allowed: the service SAS (sr=b) is signed with the account's key1, valid until Fri, 16 Jan 2026 09:00:00 GMT, and grants sp=r; a SAS bypasses Azure RBAC." {
		t.Errorf("decision = %q", d)
	}
	// Read-only: no writing.
	resp, body = f.do("PUT", blobHost+"/docs/hello.txt?"+blobSAS, hdr("x-ms-blob-type", "BlockBlob"), "changed")
	if resp.StatusCode != 403 || body != storageError("AuthorizationPermissionMismatch", blobNoPermission, resp.Header.Get("x-ms-request-id"), "") {
		t.Errorf("write with sp=r: %d %q", resp.StatusCode, body)
	}
	// A blob SAS does not open the container listing: the signed resource differs.
	resp, body = f.do("GET", blobHost+"/docs?restype=container&comp=list&"+blobSAS, nil, "")
	if resp.StatusCode != 403 || !strings.Contains(body, "<AuthenticationErrorDetail>Signature did not match. String to sign used was r\n\n2026-01-16T09:00Z\n/blob/stdata/docs\n\n\n\n2022-11-02\nb\n\n\n\n\n\n\n</AuthenticationErrorDetail>") {
		t.Errorf("list with a blob SAS: %d %q", resp.StatusCode, body)
	}

	// A container SAS with list and write.
	cSAS, err := GenerateBlobSAS(BlobSASOptions{Account: testAccount, Key: key1, Container: "docs", Permissions: "wl", Start: "2026-01-15T08:00Z", Expiry: "2026-01-15T10:00Z"})
	if err != nil {
		t.Fatal(err)
	}
	resp, body = f.do("GET", blobHost+"/docs?restype=container&comp=list&"+cSAS, nil, "")
	if resp.StatusCode != 200 || !strings.Contains(body, "<Name>hello.txt</Name>") {
		t.Errorf("container SAS list: %d %q", resp.StatusCode, body)
	}
	resp, body = f.do("PUT", blobHost+"/docs/up.txt?"+cSAS, hdr("x-ms-blob-type", "BlockBlob"), "up")
	if resp.StatusCode != 201 {
		t.Errorf("container SAS put: %d %q", resp.StatusCode, body)
	}
	resp, body = f.do("GET", blobHost+"/docs/up.txt?"+cSAS, nil, "")
	if resp.StatusCode != 403 || !strings.Contains(body, "AuthorizationPermissionMismatch") {
		t.Errorf("container SAS read without r: %d %q", resp.StatusCode, body)
	}

	// Expiry, on the simulated clock.
	if err := f.w.Advance(3 * time.Hour); err != nil {
		t.Fatal(err)
	}
	resp, body = f.do("GET", blobHost+"/docs?restype=container&comp=list&"+cSAS, nil, "")
	want := storageError("AuthenticationFailed", blobAuthFailed, resp.Header.Get("x-ms-request-id"),
		"<AuthenticationErrorDetail>Signature not valid in the specified time frame: Start [Thu, 15 Jan 2026 08:00:00 GMT] - Expiry [Thu, 15 Jan 2026 10:00:00 GMT] - Current [Thu, 15 Jan 2026 12:00:00 GMT]</AuthenticationErrorDetail>")
	want = strings.Replace(want, testTime, "2026-01-15T12:00:00.0000000Z", 1)
	if resp.StatusCode != 403 || body != want {
		t.Errorf("expired SAS:\n got %q\nwant %q", body, want)
	}
	if err := f.w.Advance(22 * time.Hour); err != nil {
		t.Fatal(err)
	}
	// With no start, the start is the time of the request.
	resp, body = f.do("GET", blobHost+"/docs/hello.txt?"+blobSAS, nil, "")
	if resp.StatusCode != 403 || !strings.Contains(body, "<AuthenticationErrorDetail>Signed expiry time [Fri, 16 Jan 2026 09:00:00 GMT] must be after signed start time [Fri, 16 Jan 2026 10:00:00 GMT]</AuthenticationErrorDetail>") {
		t.Errorf("expired SAS without start: %d %q", resp.StatusCode, body)
	}

	// After regenerating key1, a fresh-looking SAS signed with it fails.
	fresh, _ := GenerateBlobSAS(BlobSASOptions{Account: testAccount, Key: key1, Container: "docs", Blob: "hello.txt", Permissions: "r", Expiry: "2026-02-01"})
	if resp, _ := f.do("GET", blobHost+"/docs/hello.txt?"+fresh, nil, ""); resp.StatusCode != 200 {
		t.Fatalf("fresh SAS: %d", resp.StatusCode)
	}
	if err := f.w.RegenerateKey(f.st, "key1"); err != nil {
		t.Fatal(err)
	}
	resp, body = f.do("GET", blobHost+"/docs/hello.txt?"+fresh, nil, "")
	if resp.StatusCode != 403 || !strings.Contains(body, "<AuthenticationErrorDetail>Signature did not match. String to sign used was r\n\n2026-02-01\n/blob/stdata/docs/hello.txt\n") {
		t.Errorf("SAS after regenerating key1: %d %q", resp.StatusCode, body)
	}
	if !strings.Contains(f.lastDecision(), "matches neither key1 nor key2") {
		t.Errorf("decision = %q", f.lastDecision())
	}
}

func TestAccountSAS(t *testing.T) {
	f := newDataFixture(t)
	key2 := f.st.Storage.Keys[1]
	sas, err := GenerateAccountSAS(AccountSASOptions{Account: testAccount, Key: key2, Services: "b", ResourceTypes: "sc", Permissions: "lr", Expiry: "2026-01-16T00:00:00Z"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(sas, "se=2026-01-16T00%3A00%3A00Z&sp=rl&sv=2022-11-02&ss=b&srt=sc&sig=") {
		t.Errorf("token = %q", sas)
	}
	resp, body := f.do("GET", blobHost+"/?comp=list&"+sas, nil, "")
	if resp.StatusCode != 200 || !strings.Contains(body, "<Name>docs</Name>") {
		t.Fatalf("account SAS list: %d %q", resp.StatusCode, body)
	}
	// srt=sc does not reach objects.
	resp, body = f.do("GET", blobHost+"/docs/hello.txt?"+sas, nil, "")
	if resp.StatusCode != 403 || body != storageError("AuthorizationResourceTypeMismatch", "This request is not authorized to perform this operation using this resource type.", resp.Header.Get("x-ms-request-id"), "") {
		t.Errorf("object with srt=sc: %d %q", resp.StatusCode, body)
	}
	// A forged field breaks the signature; the server shows its string to sign.
	forged := strings.Replace(sas, "sp=rl", "sp=rwl", 1)
	resp, body = f.do("PUT", blobHost+"/new?restype=container&"+forged, nil, "")
	wantSTS := "stdata\nrwl\nb\nsc\n\n2026-01-16T00:00:00Z\n\n\n2022-11-02\n\n"
	if resp.StatusCode != 403 || !strings.Contains(body, "String to sign used was "+wantSTS+"</AuthenticationErrorDetail>") {
		t.Errorf("forged account SAS: %d %q", resp.StatusCode, body)
	}
	// Other SAS versions are refused with a message that says why.
	old := strings.Replace(sas, "sv=2022-11-02", "sv=2020-08-04", 1)
	resp, body = f.do("GET", blobHost+"/?comp=list&"+old, nil, "")
	if resp.StatusCode != 403 || !strings.Contains(body, "The playground verifies SAS tokens of version 2022-11-02 only, and this one is signed with sv=2020-08-04") {
		t.Errorf("sv=2020-08-04: %d %q", resp.StatusCode, body)
	}
	// A SAS is key-based: an account without keys refuses it.
	f.st.Storage.AllowSharedKeyAccess = false
	resp, body = f.do("GET", blobHost+"/?comp=list&"+sas, nil, "")
	if resp.StatusCode != 403 || !strings.Contains(body, "<Code>KeyBasedAuthenticationNotPermitted</Code>") {
		t.Errorf("SAS on a keyless account: %d %q", resp.StatusCode, body)
	}
}

func TestGenerateSASErrors(t *testing.T) {
	for _, o := range []BlobSASOptions{
		{Account: "a", Key: "a2V5", Container: "c", Permissions: "", Expiry: "2026-01-01"},
		{Account: "a", Key: "a2V5", Container: "c", Blob: "b", Permissions: "rl", Expiry: "2026-01-01"},
		{Account: "a", Key: "a2V5", Container: "c", Permissions: "r"},
		{Account: "a", Key: "a2V5", Container: "c", Permissions: "r", Expiry: "tomorrow"},
		{Account: "a", Key: "not base64", Container: "c", Permissions: "r", Expiry: "2026-01-01"},
	} {
		if tok, err := GenerateBlobSAS(o); err == nil {
			t.Errorf("GenerateBlobSAS(%+v) = %q, want an error", o, tok)
		}
	}
	if tok, err := GenerateAccountSAS(AccountSASOptions{Account: "a", Key: "a2V5", Services: "b", ResourceTypes: "x", Permissions: "r", Expiry: "2026-01-01"}); err == nil {
		t.Errorf("GenerateAccountSAS with srt=x = %q", tok)
	}
	// Times are carried as written, '/' and all, as az writes them.
	tok, err := GenerateBlobSAS(BlobSASOptions{Account: "a", Key: "a2V5", Container: "c", Permissions: "lr", Start: "2026-01-01", Expiry: "2026-01-02T00:00:00.5Z", Protocol: "https"})
	if err != nil {
		t.Fatal(err)
	}
	q, _ := url.ParseQuery(tok)
	if q.Get("st") != "2026-01-01" || q.Get("se") != "2026-01-02T00:00:00.5Z" || q.Get("sp") != "rl" || q.Get("spr") != "https" || q.Get("sr") != "c" {
		t.Errorf("token = %q", tok)
	}
}
