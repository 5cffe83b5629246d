package azure

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/miplay/miplay/engine"
)

// Well-known endpoints.
const (
	IMDSHost  = "169.254.169.254"
	LoginHost = "login.microsoftonline.com"
	ARMHost   = "management.azure.com"
	GraphHost = "graph.microsoft.com"
	// AppServiceIdentityHost is where IDENTITY_ENDPOINT points inside a
	// Linux web app or function app.
	AppServiceIdentityHost = "169.254.255.2:8081"
	// AppServiceIdentityEndpoint is the IDENTITY_ENDPOINT value.
	AppServiceIdentityEndpoint = "http://" + AppServiceIdentityHost + "/msi/token"

	blobSuffix       = ".blob.core.windows.net"
	vaultSuffix      = ".vault.azure.net"
	serviceBusSuffix = ".servicebus.windows.net"
)

// Workstation names the learner's own machine as a caller: outside Azure,
// signed in to the CLI as the tenant's admin.
const Workstation = "workstation"

// A Cloud is the simulated Azure around one world.
type Cloud struct {
	mu    sync.Mutex
	world *engine.World
	imds  imdsControls
}

// New returns a Cloud serving w. The caller must not use w directly while
// the Cloud may be serving requests; use Do.
func New(w *engine.World) *Cloud {
	return &Cloud{world: w, imds: newIMDSControls()}
}

// Do runs f with the world locked.
func (c *Cloud) Do(f func(w *engine.World)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f(c.world)
}

// UnknownHostError is what a caller gets for a host name that does not
// resolve: curl exits 6.
type UnknownHostError struct{ Host string }

func (e *UnknownHostError) Error() string { return "Could not resolve host: " + e.Host }

// UnreachableError is what a caller gets for an address that never answers,
// such as IMDS outside Azure: curl waits until --max-time, then exits 28.
type UnreachableError struct{ Host string }

func (e *UnreachableError) Error() string {
	return "Failed to connect to " + e.Host + ": no answer (the address is only reachable from inside an Azure VM)"
}

// Transport returns a RoundTripper that serves requests in process as the
// host named from sees them (Workstation, or a compute host's name).
func (c *Cloud) Transport(from string) http.RoundTripper { return transport{c, from} }

// Client returns an http.Client on Transport(from) that does not follow
// redirects, as curl does not without -L.
func (c *Cloud) Client(from string) *http.Client {
	return &http.Client{Transport: c.Transport(from), CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

type transport struct {
	c    *Cloud
	from string
}

func (t transport) RoundTrip(r *http.Request) (*http.Response, error) {
	host := requestHost(r)
	if _, err := t.c.route(t.from, host); err != nil {
		return nil, err
	}
	rec := newRecorder()
	t.c.serve(t.from, rec, r)
	return rec.response(r), nil
}

// Handler serves requests as the host named from sees them, for a real
// listener. Requests are routed by their Host (absolute-form requests from
// an HTTP proxy client included); unknown hosts get 502, unreachable 504.
func (c *Cloud) Handler(from string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := c.route(from, requestHost(r)); err != nil {
			status := http.StatusBadGateway
			if _, ok := err.(*UnreachableError); ok {
				status = http.StatusGatewayTimeout
			}
			http.Error(w, err.Error(), status)
			return
		}
		c.serve(from, w, r)
	})
}

// ServeAs serves one request as if it were addressed to host, from the
// caller from. The emulator uses it to mount a service under a path prefix.
func (c *Cloud) ServeAs(from, host string, w http.ResponseWriter, r *http.Request) {
	r2 := r.Clone(r.Context())
	r2.Host = host
	r2.URL.Host = host
	c.serve(from, w, r2)
}

func requestHost(r *http.Request) string {
	if r.URL != nil && r.URL.Host != "" {
		return strings.ToLower(r.URL.Host)
	}
	return strings.ToLower(r.Host)
}

// A service is one Azure API.
type service struct {
	name  string
	serve func(x *exchange)
}

// route finds the service a host name reaches from a caller.
func (c *Cloud) route(from, host string) (service, error) {
	bare := strings.TrimSuffix(strings.TrimSuffix(host, ":443"), ":80")
	c.mu.Lock()
	defer c.mu.Unlock()
	caller, inside := c.world.Host(from)
	switch {
	case bare == IMDSHost:
		if !inside || !caller.IMDS() {
			return service{}, &UnreachableError{Host: IMDSHost + " port 80"}
		}
		return service{"IMDS", (*exchange).serveIMDS}, nil
	case bare == AppServiceIdentityHost:
		if !inside || caller.IMDS() {
			return service{}, &UnreachableError{Host: "169.254.255.2 port 8081"}
		}
		return service{"App Service identity", (*exchange).serveAppService}, nil
	case bare == LoginHost:
		return service{"Entra ID", (*exchange).serveEntra}, nil
	case bare == ARMHost:
		return service{"ARM", (*exchange).serveARM}, nil
	case bare == GraphHost:
		return service{"Graph", (*exchange).serveGraph}, nil
	case strings.HasSuffix(bare, blobSuffix):
		if _, ok := c.world.StorageAccount(strings.TrimSuffix(bare, blobSuffix)); ok {
			return service{"Blob", (*exchange).serveBlob}, nil
		}
	case strings.HasSuffix(bare, vaultSuffix):
		if _, ok := c.world.KeyVault(strings.TrimSuffix(bare, vaultSuffix)); ok {
			return service{"Key Vault", (*exchange).serveKeyVault}, nil
		}
	case strings.HasSuffix(bare, serviceBusSuffix):
		if _, ok := c.world.ServiceBusNamespace(strings.TrimSuffix(bare, serviceBusSuffix)); ok {
			return service{"Service Bus", (*exchange).serveServiceBus}, nil
		}
	}
	return service{}, &UnknownHostError{Host: bare}
}

// An exchange is one request being served: the world (locked), who is
// calling, the request, and what the handler decided.
type exchange struct {
	cloud   *Cloud
	world   *engine.World
	from    string
	caller  engine.Host // zero for the workstation
	inside  bool        // the caller is a compute host
	service string
	w       http.ResponseWriter
	r       *http.Request
	body    []byte

	decision    string // one sentence: why allowed or refused
	tokenID     string
	decisionSeq int
}

func (c *Cloud) serve(from string, w http.ResponseWriter, r *http.Request) {
	svc, err := c.route(from, requestHost(r))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(io.LimitReader(r.Body, 4<<20))
		r.Body.Close()
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	release, throttled := c.imds.enter(svc.name, from)
	defer release()

	c.mu.Lock()
	defer c.mu.Unlock()
	rec, ok := w.(*recorder)
	if !ok {
		rec = newRecorder()
	}
	x := &exchange{cloud: c, world: c.world, from: from, service: svc.name, w: rec, r: r, body: body, decisionSeq: -1}
	x.caller, x.inside = c.world.Host(from)
	if throttled {
		x.imdsThrottled()
	} else {
		svc.serve(x)
	}
	x.record(rec)
	if !ok {
		rec.copyTo(w)
	}
}

// record logs the exchange in the world.
func (x *exchange) record(rec *recorder) {
	caller := x.from
	if caller == "" {
		caller = Workstation
	}
	x.world.Record(&engine.RequestServed{Exchange: engine.Exchange{
		Caller:     caller,
		Service:    x.service,
		Method:     x.r.Method,
		URL:        requestURL(x.r),
		Status:     rec.status,
		Request:    dumpRequest(x.r, x.body),
		Response:   rec.dump(),
		Decision:   x.decision,
		TokenID:    x.tokenID,
		DecisionID: x.decisionSeq,
	}})
}

// decide notes why the exchange was answered as it was.
func (x *exchange) decide(format string, args ...any) { x.decision = fmt.Sprintf(format, args...) }

func requestURL(r *http.Request) string {
	u := *r.URL
	if u.Host == "" {
		u.Host = r.Host
	}
	if u.Scheme == "" {
		u.Scheme = "https"
		if h := strings.ToLower(u.Host); h == IMDSHost || h == AppServiceIdentityHost {
			u.Scheme = "http"
		}
	}
	return u.String()
}

func dumpRequest(r *http.Request, body []byte) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\n", r.Method, r.URL.RequestURI(), requestHost(r))
	writeHeaders(&b, r.Header)
	b.WriteString("\r\n")
	b.Write(body)
	return b.String()
}

func writeHeaders(b *strings.Builder, h http.Header) {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range h[k] {
			fmt.Fprintf(b, "%s: %s\r\n", k, v)
		}
	}
}

// recorder is a ResponseWriter that keeps the response for the log.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
	wrote  bool
}

func newRecorder() *recorder { return &recorder{header: http.Header{}, status: http.StatusOK} }

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.body.Write(b)
}
func (r *recorder) WriteHeader(status int) {
	if !r.wrote {
		r.status, r.wrote = status, true
	}
}

func (r *recorder) dump() string {
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP/1.1 %d %s\r\n", r.status, http.StatusText(r.status))
	writeHeaders(&b, r.header)
	b.WriteString("\r\n")
	b.Write(r.body.Bytes())
	return b.String()
}

func (r *recorder) response(req *http.Request) *http.Response {
	h := r.header.Clone()
	if h.Get("Content-Length") == "" {
		h.Set("Content-Length", fmt.Sprint(r.body.Len()))
	}
	return &http.Response{
		Status:        fmt.Sprintf("%d %s", r.status, http.StatusText(r.status)),
		StatusCode:    r.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          io.NopCloser(bytes.NewReader(r.body.Bytes())),
		ContentLength: int64(r.body.Len()),
		Request:       req,
	}
}

func (r *recorder) copyTo(w http.ResponseWriter) {
	for k, v := range r.header {
		w.Header()[k] = v
	}
	w.WriteHeader(r.status)
	w.Write(r.body.Bytes())
}
