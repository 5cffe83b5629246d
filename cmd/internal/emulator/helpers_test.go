package emulator

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miplay/miplay/engine"
	"github.com/miplay/miplay/scenarios"
)

// The hosts of testdata/hosts.md.
const (
	vmSys  = "vm-sys"  // system-assigned, id-orders and id-billing
	vmTwo  = "vm-two"  // id-orders and id-billing only
	appWeb = "app-web" // a web app with a system-assigned identity
)

// loadScenario parses testdata/hosts.md.
func loadScenario(t testing.TB) *scenarios.Scenario {
	t.Helper()
	src, err := os.ReadFile("testdata/hosts.md")
	if err != nil {
		t.Fatal(err)
	}
	s, err := scenarios.Parse("testdata/hosts.md", src)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// syncBuffer is a log writer safe for concurrent use.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// running is an emulator on a real loopback listener.
type running struct {
	*Emulator
	base string // http://127.0.0.1:PORT
	log  *syncBuffer
	env  map[string]string
}

// start runs the scenario and serves host on a loopback listener until the
// test ends. edit, if not nil, changes the configuration first.
func start(t testing.TB, host string, edit func(*Config)) *running {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	log := &syncBuffer{}
	cfg := Config{Scenario: loadScenario(t), As: host, Addr: ln.Addr().String(), Log: log, DataPlanes: true}
	if edit != nil {
		edit(&cfg)
	}
	e, err := New(cfg)
	if err != nil {
		ln.Close()
		t.Fatal(err)
	}
	srv := &http.Server{Handler: e.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	env := map[string]string{}
	for _, kv := range e.Env() {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	return &running{Emulator: e, base: "http://" + ln.Addr().String(), log: log, env: env}
}

// get sends a GET with headers (name, value, name, value, ...).
func get(t testing.TB, c *http.Client, url string, headers ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// identities are the IDs of the scenario's identities as a host sees them.
type identities struct {
	tenant string
	system engine.SystemIdentity             // of the host, if it has one
	hostID string                            // the compute resource ID
	users  map[string]engine.UserIdentityRef // every user-assigned identity, by name
	issuer string
}

func (r *running) identities(t testing.TB) identities {
	t.Helper()
	var ids identities
	r.Cloud().Do(func(w *engine.World) {
		h, ok := w.Host(r.Host())
		if !ok {
			t.Fatalf("no host %s", r.Host())
		}
		ids.tenant, ids.issuer, ids.hostID = w.Tenant.ID, w.Issuer(), h.Owner.ID
		if s := h.Owner.Identity.SystemAssigned; s != nil {
			ids.system = *s
		}
		ids.users = map[string]engine.UserIdentityRef{}
		for _, r := range w.Resources() {
			if u := r.UserIdentity; u != nil {
				ids.users[r.Name] = engine.UserIdentityRef{ResourceID: r.ID, PrincipalID: u.PrincipalID, ClientID: u.ClientID, Exists: true}
			}
		}
	})
	return ids
}
