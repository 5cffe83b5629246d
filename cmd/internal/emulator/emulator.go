package emulator

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/miplay/miplay/engine"
	"github.com/miplay/miplay/engine/azure"
	"github.com/miplay/miplay/engine/shell"
	"github.com/miplay/miplay/engine/token"
	"github.com/miplay/miplay/scenarios"
)

// Config configures an Emulator.
type Config struct {
	// Scenario builds the world. It runs on a fresh simulated cloud whose
	// clock starts at Now, whatever its front matter's start says.
	Scenario *scenarios.Scenario
	// As names the compute host the emulator serves as: a VM or scale set
	// instance (IMDS mode) or a web app or function app (App Service mode).
	As string
	// Addr is HOST:PORT where clients reach the emulator; the environment
	// Env returns points there.
	Addr string
	// DataPlanes serves the scenario's storage accounts at
	// /blob/{account}/... and its key vaults at /vault/{name}/....
	DataPlanes bool
	// AllowRemote accepts requests whatever their Host header says. Without
	// it, requests must name a loopback host, which keeps a web page that
	// rebinds its DNS name to 127.0.0.1 from reaching the endpoint.
	AllowRemote bool
	// IdentityHeader is the IDENTITY_HEADER of App Service mode. Empty
	// means a random one, new at every start, as the platform rotates it.
	IdentityHeader string
	// Keys sign the emulator's tokens. Nil means a key made at start, so the
	// tokens verify only against this process's published JWKS.
	Keys *token.KeySet
	// Now is the wall clock; nil means time.Now.
	Now func() time.Time
	// Log receives the scenario's warnings and one line per request; nil
	// discards them.
	Log io.Writer
}

// A Mode is how code on the emulated host finds its token endpoint.
type Mode string

// The modes, chosen by the kind of the emulated host.
const (
	// AppServiceMode serves a web app's or function app's IDENTITY_ENDPOINT.
	AppServiceMode Mode = "App Service"
	// IMDSMode serves a VM's Instance Metadata Service.
	IMDSMode Mode = "IMDS"
)

// An Emulator serves one host of a scenario's world over HTTP. It is safe
// for concurrent use.
type Emulator struct {
	cfg      Config
	cloud    *azure.Cloud
	host     engine.Host
	mode     Mode
	header   string
	tenant   string
	accounts []string // storage account names, sorted
	vaults   []string // key vault names, sorted
	warnings []string

	logMu  sync.Mutex
	logged int // the sequence number of the first event not yet logged
}

// A HostError says that the host to serve as is not one the scenario made.
type HostError struct {
	Host     string
	Scenario string
	Known    []string // "vm-web (VM)", "app-orders (web app)", ...
}

func (e *HostError) Error() string {
	known := "it makes no compute host"
	if len(e.Known) > 0 {
		known = "its hosts are " + strings.Join(e.Known, ", ")
	}
	if e.Host == "" {
		return fmt.Sprintf("name the host to serve as; %s makes these: %s", e.Scenario, strings.Join(e.Known, ", "))
	}
	return fmt.Sprintf("no host %q in %s: %s", e.Host, e.Scenario, known)
}

// New runs the scenario and prepares to serve as the host cfg.As names.
// An unknown host is a *HostError. A command whose output differs from
// the file's is a warning (see Warnings), not an error: the run happens at
// the current time, so output that shows times differs from the file's.
func New(cfg Config) (*Emulator, error) {
	if cfg.Scenario == nil {
		return nil, errors.New("emulator: no scenario")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	if _, _, err := net.SplitHostPort(cfg.Addr); err != nil {
		return nil, fmt.Errorf("emulator: address %q: want HOST:PORT", cfg.Addr)
	}
	e := &Emulator{cfg: cfg}
	if err := e.run(); err != nil {
		return nil, err
	}
	if err := e.pickHost(); err != nil {
		return nil, err
	}
	if e.mode == AppServiceMode {
		if err := e.installHeader(); err != nil {
			return nil, err
		}
	}
	e.cloud.Do(func(w *engine.World) {
		e.tenant = w.Tenant.ID
		for _, r := range w.Resources() {
			switch {
			case r.Storage != nil:
				e.accounts = append(e.accounts, r.Name)
			case r.Vault != nil:
				e.vaults = append(e.vaults, r.Name)
			}
		}
		e.logged = w.NextSeq()
	})
	sort.Strings(e.accounts)
	sort.Strings(e.vaults)
	return e, nil
}

// run runs the scenario on a world that starts now.
func (e *Emulator) run() error {
	s := e.cfg.Scenario
	start := e.cfg.Now().UTC().Truncate(time.Second)
	if !s.FrontMatter.Start.IsZero() {
		e.warnf("%s: start %s ignored: the emulator starts the world at the current time, %s, because the SDKs compare expires_on with real time",
			s.Name, s.FrontMatter.Start.Format(time.RFC3339), start.Format(time.RFC3339))
	}
	keys := e.cfg.Keys
	if keys == nil {
		var err error
		if keys, err = freshKeys(start); err != nil {
			return fmt.Errorf("making a signing key: %w", err)
		}
	}
	opts := scenarios.RunOptions{
		KeepGoing: true,
		NewRunner: func(fm scenarios.FrontMatter) (scenarios.Runner, error) {
			w := engine.New(engine.Options{Seed: fm.Seed, Start: start, Propagation: fm.Propagation, Keys: keys})
			e.cloud = azure.New(w)
			return shell.New(e.cloud, shell.Options{}), nil
		},
	}
	res, err := scenarios.Run(context.Background(), s, nil, opts)
	var mismatch *scenarios.Failure
	if err != nil && !errors.As(err, &mismatch) {
		return fmt.Errorf("running %s: %w", s.Name, err)
	}
	for _, f := range res.Failures {
		e.warnf("%s", strings.ReplaceAll(f.Error(), "\n", "\n    "))
	}
	return nil
}

// warnf notes a warning and logs it.
func (e *Emulator) warnf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	e.warnings = append(e.warnings, msg)
	fmt.Fprintf(e.cfg.Log, "warning: %s\n", msg)
}

// pickHost finds the host to serve as and chooses the mode from its kind.
func (e *Emulator) pickHost() error {
	var hosts []engine.Host
	e.cloud.Do(func(w *engine.World) { hosts = w.Hosts() })
	var known []string
	for _, h := range hosts {
		known = append(known, fmt.Sprintf("%s (%s)", h.Name, kindName(h.Kind)))
		if e.cfg.As != "" && strings.EqualFold(h.Name, e.cfg.As) {
			e.host = h
		}
	}
	if e.host.Name == "" {
		return &HostError{Host: e.cfg.As, Scenario: e.cfg.Scenario.Name, Known: known}
	}
	e.mode = AppServiceMode
	if e.host.IMDS() {
		e.mode = IMDSMode
	}
	return nil
}

func kindName(k engine.HostKind) string {
	switch k {
	case engine.HostVM:
		return "VM"
	case engine.HostScaleSetInstance:
		return "scale set instance"
	case engine.HostWebApp:
		return "web app"
	case engine.HostFunctionApp:
		return "function app"
	}
	return string(k)
}

// installHeader makes the site's IDENTITY_HEADER the configured or a
// random one.
func (e *Emulator) installHeader() error {
	e.header = e.cfg.IdentityHeader
	if e.header == "" {
		e.header = randomGUID()
	}
	var err error
	e.cloud.Do(func(w *engine.World) { err = w.SetIdentityHeader(e.host.Owner.ID, e.header) })
	return err
}

// randomGUID returns a random version 4 GUID, the shape of the
// IDENTITY_HEADER values App Service sets.
func randomGUID() string {
	var b [16]byte
	rand.Read(b[:]) // never fails (crypto/rand: "Read ... never returns an error")
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// Mode says how clients find the emulator: App Service or IMDS.
func (e *Emulator) Mode() Mode { return e.mode }

// Host returns the name of the host the emulator serves as.
func (e *Emulator) Host() string { return e.host.Name }

// Cloud returns the simulated cloud the emulator serves. Use Cloud.Do to
// read the world while requests may be served.
func (e *Emulator) Cloud() *azure.Cloud { return e.cloud }

// Warnings returns what the scenario's run warned about: commands whose
// output differed from the file's, a start time ignored.
func (e *Emulator) Warnings() []string { return e.warnings }

// BaseURL returns the emulator's URL, http://Addr, without a slash at the end.
func (e *Emulator) BaseURL() string { return "http://" + e.cfg.Addr }

// Env returns the environment for code that runs "on" the emulated host,
// as NAME=value strings in a fixed order:
//
//   - App Service mode: IDENTITY_ENDPOINT and IDENTITY_HEADER, which both
//     SDKs read, and WEBSITE_SITE_NAME, WEBSITE_HOSTNAME and
//     WEBSITE_RESOURCE_GROUP, as App Service sets them.
//   - IMDS mode: AZURE_POD_IDENTITY_AUTHORITY_HOST for @azure/identity, and
//     HTTP_PROXY for azidentity, which always asks 169.254.169.254.
//   - Always: MIPLAY_TENANT_ID, MIPLAY_ISSUER (the iss of the tokens),
//     MIPLAY_OPENID_CONFIGURATION and MIPLAY_JWKS_URI, for a service that
//     validates the tokens.
//   - With data planes: MIPLAY_BLOB_{ACCOUNT} and MIPLAY_VAULT_{NAME}, the
//     path-style endpoints of each storage account and key vault, names in
//     upper case with - as _.
func (e *Emulator) Env() []string {
	base := e.BaseURL()
	var env []string
	add := func(name, value string) { env = append(env, name+"="+value) }
	switch e.mode {
	case AppServiceMode:
		add("IDENTITY_ENDPOINT", base+"/msi/token")
		add("IDENTITY_HEADER", e.header)
		site := e.host.Owner
		add("WEBSITE_SITE_NAME", site.Name)
		e.cloud.Do(func(*engine.World) { add("WEBSITE_HOSTNAME", site.Site.DefaultHost) })
		add("WEBSITE_RESOURCE_GROUP", site.ResourceGroup)
	case IMDSMode:
		add("AZURE_POD_IDENTITY_AUTHORITY_HOST", base)
		add("HTTP_PROXY", base)
	}
	add("MIPLAY_TENANT_ID", e.tenant)
	add("MIPLAY_ISSUER", "https://sts.windows.net/"+e.tenant+"/")
	add("MIPLAY_OPENID_CONFIGURATION", base+"/"+e.tenant+"/.well-known/openid-configuration")
	add("MIPLAY_JWKS_URI", base+"/common/discovery/keys")
	if e.cfg.DataPlanes {
		for _, a := range e.accounts {
			add("MIPLAY_BLOB_"+envName(a), base+"/blob/"+a)
		}
		for _, v := range e.vaults {
			add("MIPLAY_VAULT_"+envName(v), base+"/vault/"+v)
		}
	}
	return env
}

// envName turns a resource name into the tail of a variable name.
func envName(name string) string {
	return strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}
