package azure

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/miplay/miplay/engine"
)

// The Instance Metadata Service's managed identity endpoint, as a VM or a
// scale set instance sees it at http://169.254.169.254. The rules and the
// error bodies follow reference §1 (D-IMDS and D-TOKEN); where the
// reference marks a body UNVERIFIED the choice is noted beside it.

const (
	imdsTokenPath = "/metadata/identity/oauth2/token"
	// imdsServer is the Server header real IMDS answers with.
	imdsServer = "IMDS/150.870.65.1854"

	// IMDS limits per VM, from D-IMDS "Rate limiting": the managed identity
	// category takes 20 requests per second and 5 concurrent requests.
	imdsRatePerSecond = 20
	imdsConcurrent    = 5
)

// imdsAPIVersions are the IMDS API versions D-IMDS lists as supported,
// newest first. The identity category exists from 2018-02-01 on.
// UNVERIFIED: later revisions of D-IMDS may add versions after 2021-12-13;
// the playground refuses them, as it refuses anything it does not know.
var imdsAPIVersions = []string{
	"2021-12-13", "2021-11-15", "2021-11-01", "2021-10-01", "2021-08-01", "2021-05-01",
	"2021-03-01", "2021-02-01", "2021-01-01", "2020-12-01", "2020-10-01", "2020-09-01",
	"2020-07-15", "2020-06-01", "2019-11-01", "2019-08-15", "2019-08-01", "2019-06-04",
	"2019-06-01", "2019-04-30", "2019-03-11", "2019-02-01", "2018-10-01", "2018-04-02",
	"2018-02-01", "2017-12-01", "2017-10-01", "2017-08-01", "2017-04-02", "2017-03-01",
}

const imdsIdentitySince = "2018-02-01"

// The error descriptions of IMDS's token endpoint.
const (
	imdsNoMetadata = "Required metadata header not specified"
	imdsNotFound   = "Identity not found"
	imdsMultiple   = "Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request"
	// imdsMalformed is the description D-TOKEN documents for invalid_request;
	// it names a parameter given more than once, which D-IMDS says is refused.
	imdsMalformed = "The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed."
	// UNVERIFIED: D-IMDS says a request with X-Forwarded-For "will be
	// rejected" without giving the answer; the playground answers like the
	// Metadata header check, 400 invalid_request.
	imdsForwarded = "Request contains an X-Forwarded-For header; IMDS does not accept proxied requests"
	// UNVERIFIED: the answer for a missing resource is not documented; this
	// is the wording other managed identity endpoints use.
	imdsNoResource = "Required audience parameter not specified"
	// UNVERIFIED: several selectors at once are not documented for IMDS (the
	// App Service doc calls them mutually exclusive); 400 invalid_request.
	imdsManySelectors = "Only one of client_id, object_id or msi_res_id may be specified"
)

// imdsError is IMDS's error body: {"error":…,"error_description":…}.
type imdsError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

// imdsVersionError is IMDS's answer to a missing or unknown api-version.
type imdsVersionError struct {
	Error    string   `json:"error"`
	Versions []string `json:"newest-versions"`
}

// imdsToken is IMDS's token response: every value a string, in the order
// real IMDS writes them.
type imdsToken struct {
	AccessToken  string `json:"access_token"`
	ClientID     string `json:"client_id"`
	ExpiresIn    string `json:"expires_in"`
	ExpiresOn    string `json:"expires_on"`
	ExtExpiresIn string `json:"ext_expires_in"`
	NotBefore    string `json:"not_before"`
	Resource     string `json:"resource"`
	TokenType    string `json:"token_type"`
}

// The bodies of the faults InjectIMDSFault can stage, by status.
// D-TOKEN documents the meaning of each status; the error codes of 404, 410
// and 429 are UNVERIFIED (IMDS's bodies for them were never captured): the
// descriptions are D-TOKEN's and D-IMDS's own words.
var imdsFaults = map[int]imdsError{
	http.StatusNotFound: {"not_found", "IMDS endpoint is updating"},
	http.StatusGone:     {"gone", "IMDS is going through updates"},
	// UNVERIFIED: the throttling body; "API Rate Limits have been exceeded" is
	// D-IMDS's reason for 429 (ScyllaDB's mock uses the same words).
	http.StatusTooManyRequests: {"throttled", "API Rate Limits have been exceeded"},
	// D-TOKEN's 500 row, with its placeholder for the log path kept as is.
	http.StatusInternalServerError: {"unknown", "Failed to retrieve token from the Active directory. For details see logs in <file path>"},
}

// imdsJSON encodes v without escaping <, > and &, as IMDS writes JSON.
func imdsJSON(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic("azure: encode response: " + err.Error()) // only our own types reach here
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// imdsWrite writes an IMDS answer with IMDS's headers.
func (x *exchange) imdsWrite(status int, v any) {
	h := x.w.Header()
	h.Set("Server", imdsServer)
	h.Set("X-Ms-Request-Id", x.world.NewGUID())
	x.writeRaw(status, "application/json; charset=utf-8", imdsJSON(v))
}

func (x *exchange) imdsFail(status int, code, description string) {
	x.imdsWrite(status, imdsError{code, description})
}

// serveIMDS answers a request to 169.254.169.254 from a VM or scale set
// instance.
func (x *exchange) serveIMDS() {
	if !x.inside || !x.caller.IMDS() || x.caller.Owner == nil {
		// The host went away between routing and serving.
		x.decide("IMDS did not answer: the host %s no longer exists.", x.from)
		x.imdsFail(http.StatusServiceUnavailable, "unknown", "The virtual machine is not running")
		return
	}
	path := x.r.URL.Path
	switch {
	case path == imdsTokenPath:
		x.serveIMDSToken()
	case path == "/metadata/instance" || strings.HasPrefix(path, "/metadata/instance/") ||
		path == "/metadata/attested" || strings.HasPrefix(path, "/metadata/attested/") ||
		path == "/metadata/scheduledevents" || path == "/metadata/loadbalancer" || path == "/metadata/versions":
		x.serveIMDSOther(path)
	default:
		// UNVERIFIED: the body of IMDS's 404 for an unknown path.
		x.decide("IMDS answered 404: %s is not an IMDS endpoint; managed identity tokens come from %s.", path, imdsTokenPath)
		x.imdsWrite(http.StatusNotFound, struct {
			Error string `json:"error"`
		}{"Not found"})
	}
}

// serveIMDSOther answers the IMDS categories the playground does not model,
// after the checks every IMDS request passes, so that what is refused in
// Azure is refused here too.
func (x *exchange) serveIMDSOther(path string) {
	if x.r.Header.Get("Metadata") != "true" {
		// D-IMDS's FAQ quotes the instance endpoint's wording.
		x.decide("IMDS refused: the request has no Metadata: true header, which IMDS requires to block server-side request forgery.")
		x.imdsWrite(http.StatusBadRequest, struct {
			Error string `json:"error"`
		}{"Bad request. " + imdsNoMetadata})
		return
	}
	if path != "/metadata/versions" && x.r.URL.Query().Get("api-version") == "" {
		x.decide("IMDS refused: the request names no api-version, which every IMDS endpoint but /metadata/versions requires.")
		x.imdsWrite(http.StatusBadRequest, imdsVersionError{"Bad request. api-version was not specified in the request. For more information refer to aka.ms/azureimds", imdsAPIVersions[:3]})
		return
	}
	x.decide("Not simulated: the playground models only IMDS's managed identity endpoint %s, not %s.", imdsTokenPath, path)
	x.imdsWrite(http.StatusNotImplemented, struct {
		Error string `json:"error"`
	}{"Not simulated: miplay models only the managed identity endpoint " + imdsTokenPath + " of the Instance Metadata Service."})
}

func (x *exchange) serveIMDSToken() {
	host := x.caller.Name
	if reason := x.cloud.imds.admit(host, x.world.Now()); reason != "" {
		x.decide("IMDS refused with 429: %s", reason)
		f := imdsFaults[http.StatusTooManyRequests]
		x.imdsFail(http.StatusTooManyRequests, f.Error, f.Description)
		return
	}
	if status, ok := x.cloud.imds.takeFault(host); ok {
		f := imdsFaults[status]
		x.decide("IMDS answered %d (an injected fault): %s; clients should retry with exponential backoff.", status, f.Description)
		x.imdsFail(status, f.Error, f.Description)
		return
	}
	if x.r.Method != http.MethodGet {
		// D-IMDS: only GET is supported; 405 for other verbs. UNVERIFIED body.
		x.decide("IMDS refused: it accepts only GET, not %s.", x.r.Method)
		x.w.Header().Set("Allow", http.MethodGet)
		x.imdsFail(http.StatusMethodNotAllowed, "invalid_request", "The HTTP method (verb) isn't supported on the endpoint.")
		return
	}
	if x.r.Header.Get("Metadata") != "true" {
		x.decide("IMDS refused: the request has no Metadata: true header (value exactly \"true\", in lower case), which IMDS requires to block server-side request forgery.")
		x.imdsFail(http.StatusBadRequest, "invalid_request", imdsNoMetadata)
		return
	}
	if len(x.r.Header.Values("X-Forwarded-For")) > 0 {
		x.decide("IMDS refused: the request carries an X-Forwarded-For header, so it may have come through a proxy, and IMDS rejects any request that was forwarded.")
		x.imdsFail(http.StatusBadRequest, "invalid_request", imdsForwarded)
		return
	}
	q, dup, ok := parseIdentityQuery(x.r.URL.RawQuery)
	if !ok {
		x.decide("IMDS refused: the query string is malformed (a bad %%-escape).")
		x.imdsFail(http.StatusBadRequest, "invalid_request", imdsMalformed)
		return
	}
	if dup != "" {
		x.decide("IMDS refused: the query names %q more than once, and IMDS rejects duplicate query parameters.", dup)
		x.imdsFail(http.StatusBadRequest, "invalid_request", imdsMalformed)
		return
	}
	version := q["api-version"]
	if version == "" {
		x.decide("IMDS refused: the request names no api-version; managed identity tokens need 2018-02-01 or later.")
		x.imdsWrite(http.StatusBadRequest, imdsVersionError{"Bad request. api-version was not specified in the request. For more information refer to aka.ms/azureimds", imdsAPIVersions[:3]})
		return
	}
	if !imdsKnownVersion(version) {
		// UNVERIFIED: D-IMDS documents only the missing-version body; an
		// unknown version gets the same shape with wording to match.
		x.decide("IMDS refused: api-version %q is not one IMDS supports for managed identity tokens (2018-02-01 or later).", version)
		x.imdsWrite(http.StatusBadRequest, imdsVersionError{"Bad request. api-version is invalid or was not specified in the request. For more information refer to aka.ms/azureimds", imdsAPIVersions[:3]})
		return
	}
	resource := q["resource"]
	if resource == "" {
		x.decide("IMDS refused: the request names no resource, the API the token is for (it becomes the token's aud claim).")
		x.imdsFail(http.StatusBadRequest, "invalid_request", imdsNoResource)
		return
	}
	sel := engine.Selector{ClientID: q["client_id"], ObjectID: q["object_id"], ResourceID: q["msi_res_id"]}
	if n := countSet(sel.ClientID, sel.ObjectID, sel.ResourceID); n > 1 {
		x.decide("IMDS refused: the request names %d identities (client_id, object_id, msi_res_id); at most one may be given.", n)
		x.imdsFail(http.StatusBadRequest, "invalid_request", imdsManySelectors)
		return
	}
	// IMDS ignores parameters it does not know (UNVERIFIED); say so when a
	// learner used App Service's spelling of a selector.
	var ignored string
	if sel.IsZero() {
		for _, p := range []string{"mi_res_id", "principal_id", "clientid"} {
			if q[p] != "" {
				ignored = fmt.Sprintf(" IMDS ignored %s, which is not an IMDS parameter (IMDS uses client_id, object_id and msi_res_id).", p)
				break
			}
		}
	}
	if _, fail := x.world.SelectIdentity(x.caller, sel); fail != "" {
		x.imdsSelectionFailed(sel, fail, ignored)
		return
	}
	tok, cached, err := x.world.ManagedIdentityToken(x.caller, sel, resource, engine.ViaIMDS)
	if err != nil {
		x.imdsTokenFailed(sel, resource, err, ignored)
		return
	}
	x.tokenID = tok.ID
	now := x.world.Now()
	left := int64(tok.ExpiresAt.Sub(now) / time.Second)
	who := x.identityName(tok)
	if cached {
		x.decide("IMDS returned %s's cached token for %s (it expires in %d s): IMDS keeps a token per identity and resource for about 24 hours and does not ask Entra ID again.%s", who, resource, left, ignored)
	} else {
		x.decide("IMDS asked Entra ID for a token for %s, audience %s, valid for 24 hours, and returned it.%s", who, resource, ignored)
	}
	x.imdsWrite(http.StatusOK, imdsToken{
		AccessToken: tok.Raw,
		ClientID:    tok.ClientID,
		ExpiresIn:   strconv.FormatInt(left, 10),
		ExpiresOn:   strconv.FormatInt(tok.Claims.ExpiresAt, 10),
		// UNVERIFIED for cached tokens: captures show ext_expires_in one
		// second below expires_in on fresh tokens; cached ones keep that gap.
		ExtExpiresIn: strconv.FormatInt(left-1, 10),
		NotBefore:    strconv.FormatInt(tok.Claims.NotBefore, 10),
		Resource:     resource,
		TokenType:    "Bearer",
	})
}

// imdsSelectionFailed renders a SelectionFailure as IMDS does.
func (x *exchange) imdsSelectionFailed(sel engine.Selector, fail engine.SelectionFailure, ignored string) {
	name := x.caller.Name
	switch fail {
	case engine.MultipleUserAssigned:
		x.decide("IMDS refused: %s has no system-assigned identity and several user-assigned ones, and the request did not say which to use (client_id, object_id or msi_res_id).%s", name, ignored)
		x.imdsFail(http.StatusBadRequest, "invalid_request", imdsMultiple)
	case engine.NoIdentity:
		x.decide("IMDS refused: %s has no managed identity; enable a system-assigned identity or assign a user-assigned one first.%s", name, ignored)
		x.imdsFail(http.StatusBadRequest, "invalid_request", imdsNotFound)
	case engine.IdentityNotAssigned:
		x.decide("IMDS refused: the identity the request names (%s) is not assigned to %s.", selectorText(sel), name)
		x.imdsFail(http.StatusBadRequest, "invalid_request", imdsNotFound)
	default: // IdentityDeleted
		x.decide("IMDS refused: the identity %s would use no longer exists; a deleted identity cannot get new tokens.%s", name, ignored)
		x.imdsFail(http.StatusBadRequest, "invalid_request", imdsNotFound)
	}
}

// imdsTokenFailed renders an error of World.ManagedIdentityToken.
func (x *exchange) imdsTokenFailed(sel engine.Selector, resource string, err error, ignored string) {
	switch e := err.(type) {
	case *engine.EntraError:
		// IMDS passes Entra ID's error through, trace suffix included.
		x.decide("IMDS asked Entra ID for a token, and Entra ID refused: no API named %s exists in the tenant, so no token can have it as audience.", resource)
		x.imdsFail(e.Status, e.Err, x.entraDescription(e.Description, x.world.NewGUID(), x.world.NewGUID()))
	case *engine.SelectionError:
		x.imdsSelectionFailed(sel, e.Failure, ignored)
	default:
		// A bug, not a domain outcome: answer as IMDS's transient error.
		x.decide("IMDS failed: %v", err)
		f := imdsFaults[http.StatusInternalServerError]
		x.imdsFail(http.StatusInternalServerError, f.Error, f.Description)
	}
}

// imdsThrottled answers a request refused before it reached the world
// because too many were in flight from the same host.
func (x *exchange) imdsThrottled() {
	x.decide("IMDS refused with 429: %d requests from %s were already in flight, and IMDS serves at most %d concurrent managed identity requests per VM.", imdsConcurrent, x.from, imdsConcurrent)
	f := imdsFaults[http.StatusTooManyRequests]
	x.imdsFail(http.StatusTooManyRequests, f.Error, f.Description)
}

// identityName describes the identity behind a token for a decision.
func (x *exchange) identityName(tok engine.IssuedToken) string {
	if tok.Claims.AzureResourceID != "" {
		return fmt.Sprintf("the user-assigned identity %s (client ID %s)", lastPathSegment(tok.Claims.MIResourceID), tok.ClientID)
	}
	return fmt.Sprintf("%s's system-assigned identity (client ID %s)", x.caller.Name, tok.ClientID)
}

func selectorText(s engine.Selector) string {
	switch {
	case s.ClientID != "":
		return "client ID " + s.ClientID
	case s.ObjectID != "":
		return "object ID " + s.ObjectID
	default:
		return "resource ID " + s.ResourceID
	}
}

func lastPathSegment(id string) string {
	id = strings.TrimSuffix(id, "/")
	return id[strings.LastIndex(id, "/")+1:]
}

func countSet(values ...string) int {
	n := 0
	for _, v := range values {
		if v != "" {
			n++
		}
	}
	return n
}

func imdsKnownVersion(v string) bool {
	if v < imdsIdentitySince {
		return false
	}
	for _, known := range imdsAPIVersions {
		if v == known {
			return true
		}
	}
	return false
}

// parseIdentityQuery decodes a raw query string into its first values. It
// reports the first parameter name given more than once, and ok false for a
// malformed escape. An empty value counts as not given: a script that
// expands an unset variable into client_id= asks for the default identity.
// UNVERIFIED: how IMDS treats an empty selector.
func parseIdentityQuery(raw string) (values map[string]string, dup string, ok bool) {
	values = map[string]string{}
	seen := map[string]bool{}
	for _, part := range strings.Split(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		key, err1 := url.QueryUnescape(k)
		val, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil {
			return nil, "", false
		}
		if seen[key] && dup == "" {
			dup = key
		}
		seen[key] = true
		if _, set := values[key]; !set {
			values[key] = val
		}
	}
	return values, dup, true
}

// imdsControls hold the IMDS rate limit switch, the requests in flight per
// host and the faults staged by InjectIMDSFault. They are shared by every
// exchange and guarded by their own lock: concurrency is counted before an
// exchange takes the world's lock.
type imdsControls struct{ s *imdsState }

type imdsState struct {
	mu       sync.Mutex
	limit    bool
	inflight map[string]int
	window   map[string]imdsWindow
	faults   map[string][]imdsFault
}

// imdsWindow counts a host's managed identity requests in one simulated second.
type imdsWindow struct {
	second int64
	count  int
}

type imdsFault struct {
	status, left int
}

func newIMDSControls() imdsControls {
	return imdsControls{&imdsState{
		inflight: map[string]int{},
		window:   map[string]imdsWindow{},
		faults:   map[string][]imdsFault{},
	}}
}

// enter counts a request to IMDS from a host while it is served. With the
// rate limit on, a request that would be the sixth in flight is throttled.
func (c imdsControls) enter(service, from string) (release func(), throttled bool) {
	if service != "IMDS" {
		return func() {}, false
	}
	s, key := c.s, strings.ToLower(from)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.limit && s.inflight[key] >= imdsConcurrent {
		return func() {}, true
	}
	s.inflight[key]++
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			if s.inflight[key]--; s.inflight[key] <= 0 {
				delete(s.inflight, key)
			}
		})
	}, false
}

// admit counts a managed identity request in its host's window of one
// simulated second and says why it is refused, if it is.
func (c imdsControls) admit(host string, now time.Time) string {
	s, key := c.s, strings.ToLower(host)
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.limit {
		return ""
	}
	w := s.window[key]
	if sec := now.Unix(); w.second != sec {
		w = imdsWindow{second: sec}
	}
	w.count++
	s.window[key] = w
	if w.count > imdsRatePerSecond {
		return fmt.Sprintf("this is request %d from %s within one second, and IMDS serves at most %d managed identity requests per second per VM.", w.count, host, imdsRatePerSecond)
	}
	return ""
}

// takeFault consumes the next staged fault for host.
func (c imdsControls) takeFault(host string) (status int, ok bool) {
	s, key := c.s, strings.ToLower(host)
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.faults[key]
	if len(q) == 0 {
		return 0, false
	}
	status = q[0].status
	if q[0].left--; q[0].left <= 0 {
		q = q[1:]
	}
	if len(q) == 0 {
		delete(s.faults, key)
	} else {
		s.faults[key] = q
	}
	return status, true
}

// SetIMDSRateLimit switches IMDS's documented limits on or off: at most 20
// managed identity requests per simulated second and 5 concurrent requests
// per VM or scale set instance; past either, IMDS answers 429. The limits
// are off by default, so that scenarios can call IMDS in a loop.
func (c *Cloud) SetIMDSRateLimit(on bool) {
	s := c.imds.s
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limit = on
	s.window = map[string]imdsWindow{}
}

// InjectIMDSFault makes the next count managed identity token requests to
// IMDS from host answer status: 404 (IMDS is updating), 410 (IMDS is going
// through updates, back within 70 seconds), 429 (throttled) or 500 (a
// transient failure), each with IMDS's body for it. Faults queue up: a
// second call takes effect once the first one's requests are used up. A
// count of zero clears the faults staged for host.
func (c *Cloud) InjectIMDSFault(host string, status int, count int) error {
	if _, ok := imdsFaults[status]; !ok {
		return fmt.Errorf("azure: IMDS fault %d is not simulated: use 404, 410, 429 or 500", status)
	}
	if count < 0 {
		return fmt.Errorf("azure: IMDS fault count %d is negative", count)
	}
	var h engine.Host
	var found bool
	c.Do(func(w *engine.World) { h, found = w.Host(host) })
	if !found || !h.IMDS() {
		return fmt.Errorf("azure: %q is not a VM or scale set instance: IMDS answers only there", host)
	}
	s, key := c.imds.s, strings.ToLower(h.Name)
	s.mu.Lock()
	defer s.mu.Unlock()
	if count == 0 {
		delete(s.faults, key)
		return nil
	}
	s.faults[key] = append(s.faults[key], imdsFault{status: status, left: count})
	return nil
}
