package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/miplay/miplay/engine"
	"github.com/miplay/miplay/engine/azure"
)

// Handler returns the emulator's HTTP handler. It routes:
//
//   - absolute-form requests (from an HTTP proxy client) for
//     http://169.254.169.254/... in IMDS mode, and for App Service's
//     http://169.254.255.2:8081/msi/token in App Service mode, to that
//     endpoint as the host sees it;
//   - /msi/token to the App Service identity endpoint (App Service mode);
//   - /metadata/... to IMDS (IMDS mode);
//   - /blob/{account}/... and /vault/{name}/... to the data planes, when on;
//   - everything else to Microsoft Entra ID: discovery documents and keys.
//
// Each request is logged as one line: method, path, status and the
// decision the simulated service took, from the world's RequestServed
// events. Answers the emulator gives itself (a wrong path for the mode, a
// proxy target it does not simulate) say what to do instead.
func (e *Emulator) Handler() http.Handler {
	return http.HandlerFunc(e.serveHTTP)
}

func (e *Emulator) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodConnect {
		e.refuse(w, r, http.StatusMethodNotAllowed, "miplay emulate does not tunnel HTTPS: set HTTP_PROXY only (not HTTPS_PROXY); it answers plain-HTTP requests to 169.254.169.254")
		return
	}
	if r.URL.Host != "" && !e.isSelf(r.URL.Host) {
		e.serveProxied(w, r)
		return
	}
	if !e.cfg.AllowRemote && !isLoopbackHost(r.Host) {
		e.refuse(w, r, http.StatusMisdirectedRequest, fmt.Sprintf("miplay emulate answers requests for loopback names only (127.0.0.1, localhost), not %q; --allow-remote lifts this", r.Host))
		return
	}
	path := r.URL.Path
	switch {
	case strings.EqualFold(path, "/msi/token"):
		if e.mode != AppServiceMode {
			e.refuse(w, r, http.StatusNotFound, fmt.Sprintf("%s is a %s: its token endpoint is IMDS, /metadata/identity/oauth2/token; /msi/token is App Service's", e.host.Name, kindName(e.host.Kind)))
			return
		}
		e.serveAs(w, r, azure.AppServiceIdentityHost)
	case path == "/metadata" || strings.HasPrefix(path, "/metadata/"):
		if e.mode != IMDSMode {
			e.refuse(w, r, http.StatusNotFound, fmt.Sprintf("%s is a %s: IMDS does not answer there; its token endpoint is IDENTITY_ENDPOINT, /msi/token", e.host.Name, kindName(e.host.Kind)))
			return
		}
		e.serveAs(w, podIdentityPath(r), azure.IMDSHost)
	case strings.HasPrefix(path, "/blob/"):
		e.serveDataPlane(w, r, "blob", ".blob.core.windows.net", e.accounts)
	case strings.HasPrefix(path, "/vault/"):
		e.serveDataPlane(w, r, "vault", ".vault.azure.net", e.vaults)
	case r.Method == http.MethodGet && path == "/":
		e.serveIndex(w, r)
	default:
		e.serveEntra(w, r)
	}
}

// podIdentityPath removes the slash msal-node (@azure/identity) puts after
// the token path when AZURE_POD_IDENTITY_AUTHORITY_HOST names the endpoint:
// it asks {host}/metadata/identity/oauth2/token/, which AAD Pod Identity's
// endpoint answers as the path without the slash. IMDS itself is asked
// without it.
func podIdentityPath(r *http.Request) *http.Request {
	const slashed = "/metadata/identity/oauth2/token/"
	if r.URL.Path != slashed {
		return r
	}
	r2 := r.Clone(r.Context())
	u := *r.URL
	u.Path, u.RawPath = strings.TrimSuffix(slashed, "/"), ""
	r2.URL = &u
	return r2
}

// isSelf reports whether an absolute-form request's host is the emulator
// itself: a client whose HTTP_PROXY is the emulator sends requests for the
// emulator's own URLs through it too.
func (e *Emulator) isSelf(hostport string) bool {
	if strings.EqualFold(hostport, e.cfg.Addr) {
		return true
	}
	_, port, err := net.SplitHostPort(hostport)
	_, myPort, _ := net.SplitHostPort(e.cfg.Addr)
	return err == nil && port == myPort && isLoopbackHost(hostport)
}

// isLoopbackHost reports whether a Host header names this machine.
func isLoopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// serveProxied answers an absolute-form request, as an HTTP proxy: the
// token endpoints that Azure serves over plain HTTP inside a host.
func (e *Emulator) serveProxied(w http.ResponseWriter, r *http.Request) {
	host := strings.ToLower(r.URL.Host)
	bare := strings.TrimSuffix(host, ":80")
	switch {
	case r.URL.Scheme != "http":
		e.refuse(w, r, http.StatusBadGateway, fmt.Sprintf("miplay emulate proxies plain HTTP only, not %s://", r.URL.Scheme))
	case e.mode == IMDSMode && bare == azure.IMDSHost:
		e.serveAs(w, r, azure.IMDSHost)
	case e.mode == AppServiceMode && host == azure.AppServiceIdentityHost:
		e.serveAs(w, r, azure.AppServiceIdentityHost)
	default:
		e.refuse(w, r, http.StatusBadGateway, fmt.Sprintf("miplay emulate is not a general proxy: it answers %s only, as %s sees it, not %s (add that host to NO_PROXY)", e.proxyTarget(), e.host.Name, host))
	}
}

func (e *Emulator) proxyTarget() string {
	if e.mode == IMDSMode {
		return "http://" + azure.IMDSHost
	}
	return azure.AppServiceIdentityEndpoint
}

// serveDataPlane serves /{kind}/{name}/rest as https://{name}{suffix}/rest.
func (e *Emulator) serveDataPlane(w http.ResponseWriter, r *http.Request, kind, suffix string, names []string) {
	if !e.cfg.DataPlanes {
		e.refuse(w, r, http.StatusNotFound, "the data planes are off: start miplay emulate with --data-planes to serve /blob/{account}/... and /vault/{name}/...")
		return
	}
	rest := strings.TrimPrefix(r.URL.Path, "/"+kind+"/")
	name, tail, _ := strings.Cut(rest, "/")
	found := false
	for _, n := range names {
		if strings.EqualFold(n, name) {
			found = true
		}
	}
	if !found {
		what := map[string]string{"blob": "storage account", "vault": "key vault"}[kind]
		e.refuse(w, r, http.StatusNotFound, fmt.Sprintf("the scenario has no %s %q; it has: %s", what, name, listOrNone(names)))
		return
	}
	r2 := r.Clone(r.Context())
	u := *r.URL
	u.Path = "/" + tail
	u.RawPath = ""
	if raw := r.URL.EscapedPath(); strings.HasPrefix(raw, "/"+kind+"/") {
		if _, rawTail, ok := strings.Cut(strings.TrimPrefix(raw, "/"+kind+"/"), "/"); ok {
			if p, err := url.PathUnescape(rawTail); err == nil && "/"+p == u.Path {
				u.RawPath = "/" + rawTail
			}
		}
	}
	r2.URL = &u
	r2.RequestURI = ""
	e.serveAs(w, r2, strings.ToLower(name)+suffix)
}

func listOrNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// serveEntra serves Microsoft Entra ID. The discovery documents' URLs are
// rewritten to the emulator's, the issuer kept, so that a validator that
// starts from MIPLAY_OPENID_CONFIGURATION fetches the keys from here; and
// a keys document is checked to hold public keys only.
func (e *Emulator) serveEntra(w http.ResponseWriter, r *http.Request) {
	lower := strings.ToLower(r.URL.Path)
	discovery := strings.HasSuffix(lower, "/.well-known/openid-configuration")
	keys := strings.HasSuffix(lower, "/discovery/keys") || strings.HasSuffix(lower, "/discovery/v2.0/keys")
	if !discovery && !keys {
		e.serveAs(w, r, azure.LoginHost)
		return
	}
	buf := newBuffer()
	e.serveAs(buf, r, azure.LoginHost)
	body := buf.body.Bytes()
	if buf.status == http.StatusOK && discovery {
		body = rewriteDiscovery(body, e.BaseURL())
	}
	if buf.status == http.StatusOK && keys && r.Method != http.MethodHead {
		if err := publicKeysOnly(body); err != nil {
			e.refuse(w, r, http.StatusInternalServerError, "refusing to serve the signing keys: "+err.Error())
			return
		}
	}
	buf.header.Del("Content-Length")
	for k, v := range buf.header {
		w.Header()[k] = v
	}
	w.WriteHeader(buf.status)
	w.Write(body)
}

// rewriteDiscovery points a discovery document's Entra ID URLs at base,
// all but the issuer, which must stay the tokens' iss.
func rewriteDiscovery(doc []byte, base string) []byte {
	const login = `"https://` + azure.LoginHost + `/`
	const issuer = `"issuer":` + login
	const keep = "\x00issuer\x00"
	out := bytes.ReplaceAll(doc, []byte(issuer), []byte(keep))
	out = bytes.ReplaceAll(out, []byte(login), []byte(`"`+base+`/`))
	return bytes.ReplaceAll(out, []byte(keep), []byte(issuer))
}

// publicKeysOnly checks that a JSON Web Key Set has no private parameters.
func publicKeysOnly(doc []byte) error {
	var set struct {
		Keys []map[string]json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(doc, &set); err != nil {
		return fmt.Errorf("the key set is not JSON: %v", err)
	}
	for i, k := range set.Keys {
		for _, p := range []string{"d", "p", "q", "dp", "dq", "qi", "k", "oth"} {
			if _, ok := k[p]; ok {
				return fmt.Errorf("key %d has the private parameter %q", i+1, p)
			}
		}
	}
	return nil
}

// serveIndex describes the emulator, for a person with curl.
func (e *Emulator) serveIndex(w http.ResponseWriter, r *http.Request) {
	var b strings.Builder
	fmt.Fprintf(&b, "miplay emulate: serving %s (%s) in %s mode, scenario %s.\n\n", e.host.Name, kindName(e.host.Kind), e.mode, e.cfg.Scenario.Name)
	for _, kv := range e.Env() {
		if !strings.HasPrefix(kv, "IDENTITY_HEADER=") {
			fmt.Fprintf(&b, "%s\n", kv)
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte(b.String()))
	e.logLine(r.Method, r.URL.RequestURI(), http.StatusOK, "miplay emulate described itself.")
}

// serveAs has the cloud serve a request as addressed to host, after moving
// the world's clock to now, then logs what the world recorded.
func (e *Emulator) serveAs(w http.ResponseWriter, r *http.Request, host string) {
	e.advance()
	e.cloud.ServeAs(e.host.Name, host, w, r)
	e.logEvents()
}

// advance moves the world's clock forward to the wall clock, to the second.
func (e *Emulator) advance() {
	now := e.cfg.Now().UTC().Truncate(time.Second)
	e.cloud.Do(func(w *engine.World) {
		if d := now.Sub(w.Now()); d > 0 {
			w.Advance(d)
		}
	})
}

// refuse answers a request the emulator does not pass to the cloud.
func (e *Emulator) refuse(w http.ResponseWriter, r *http.Request, status int, msg string) {
	http.Error(w, "miplay emulate: "+msg, status)
	e.logLine(r.Method, r.URL.String(), status, "miplay emulate: "+msg+".")
}

// The emulator keeps the last keepEvents events of the world's log and
// forgets older ones forgetBatch at a time, so its memory stays bounded.
const (
	keepEvents  = 4096
	forgetBatch = 1024
)

// logEvents logs the exchanges the world recorded since the last call.
func (e *Emulator) logEvents() {
	e.logMu.Lock()
	defer e.logMu.Unlock()
	var lines []string
	e.cloud.Do(func(w *engine.World) {
		events := w.Events(e.logged)
		e.logged += len(events)
		for _, ev := range events {
			if rs, ok := ev.(*engine.RequestServed); ok {
				lines = append(lines, exchangeLine(rs.Exchange))
			}
		}
		// Every request adds a few events (~2.7 KB); an emulator serving a
		// test suite for hours keeps only the recent ones.
		if len(w.Events(0)) >= keepEvents+forgetBatch {
			w.Forget(e.logged - keepEvents)
		}
	})
	for _, l := range lines {
		fmt.Fprintln(e.cfg.Log, l)
	}
}

// exchangeLine is one log line for a recorded exchange.
func exchangeLine(x engine.Exchange) string {
	target := x.URL
	if u, err := url.Parse(x.URL); err == nil {
		target = u.RequestURI()
	}
	decision := x.Decision
	if decision == "" {
		decision = "(no decision recorded)"
	}
	return fmt.Sprintf("%s %s %d [%s] %s", x.Method, target, x.Status, x.Service, decision)
}

func (e *Emulator) logLine(method, target string, status int, decision string) {
	e.logMu.Lock()
	defer e.logMu.Unlock()
	fmt.Fprintf(e.cfg.Log, "%s %s %d [miplay] %s\n", method, target, status, decision)
}

// buffer is a ResponseWriter that keeps the response.
type buffer struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func newBuffer() *buffer { return &buffer{header: http.Header{}, status: http.StatusOK} }

func (b *buffer) Header() http.Header         { return b.header }
func (b *buffer) Write(p []byte) (int, error) { return b.body.Write(p) }
func (b *buffer) WriteHeader(status int)      { b.status = status }
