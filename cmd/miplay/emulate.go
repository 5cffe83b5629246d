//go:build !wasm

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/miplay/miplay/cmd/internal/emulator"
	"github.com/miplay/miplay/scenarios"
)

func init() {
	register(&command{
		Name:    "emulate",
		Summary: "serve a scenario host's managed identity endpoint to real SDKs on loopback",
		Help: `
Emulate runs a scenario file to build a simulated cloud, then serves, on a real
listener, the managed identity endpoint that code on one of its compute hosts
would see, so that azidentity's and @azure/identity's ManagedIdentityCredential
get tokens from it unchanged. It prints the environment to use on standard
output, one export NAME=value line each, logs every request and the decision
taken on standard error, and stops cleanly on interrupt:

    miplay emulate --scenario world.md --as app-orders > mi.env &
    . ./mi.env && go test ./...

--as chooses the mode. For a web app or function app (App Service mode):
IDENTITY_ENDPOINT (the emulator's /msi/token) and IDENTITY_HEADER, a random
secret made at each start. Both SDKs read them; unset MSI_ENDPOINT, MSI_SECRET,
IDENTITY_SERVER_THUMBPRINT and IMDS_ENDPOINT if your shell has them. For a VM or
scale set instance (IMDS mode): AZURE_POD_IDENTITY_AUTHORITY_HOST for
@azure/identity, and HTTP_PROXY for azidentity, which always asks
http://169.254.169.254: the emulator answers those proxied requests as IMDS.
HTTP_PROXY also sends the shell's other plain-HTTP traffic to the emulator,
which refuses it (502): list such hosts in NO_PROXY.

Always: MIPLAY_TENANT_ID, MIPLAY_ISSUER, MIPLAY_OPENID_CONFIGURATION and
MIPLAY_JWKS_URI, for a service that validates the tokens it gets. Only public
keys are served; the tokens are signed with miplay's published test keys, so
never trust them outside tests. With --data-planes, MIPLAY_BLOB_{ACCOUNT} and
MIPLAY_VAULT_{NAME} give each storage account and key vault path-style, for SDK
clients with a custom endpoint (which must allow bearer tokens over HTTP and,
for Key Vault, skip the challenge's resource check).

The scenario runs at the current time, whatever its start says, and the
simulated clock then follows the wall clock, because the SDKs compare
expires_on with real time. A command whose output differs from the file's is a
warning. The emulator listens on 127.0.0.1 unless --addr says otherwise, and a
non-loopback --addr needs --allow-remote.`,
		Flags: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
			scenario := fs.String("scenario", "", "build the world by running scenario `FILE`")
			as := fs.String("as", "", "serve as compute `HOST` of the scenario: a VM, scale set instance, web app or function app")
			addr := fs.String("addr", "127.0.0.1:0", "listen on `HOST:PORT`; port 0 picks a free port")
			allowRemote := fs.Bool("allow-remote", false, "allow an --addr beyond loopback, and requests for any host name")
			dataPlanes := fs.Bool("data-planes", false, "also serve Blob at /blob/ACCOUNT/ and Key Vault at /vault/NAME/")
			return func(ctx context.Context, e *env, args []string) error {
				if len(args) > 0 {
					return errUsage("unexpected argument %q", args[0])
				}
				if *scenario == "" {
					return errFlag("scenario", "name the scenario file that builds the world")
				}
				if err := checkAddr(*addr); err != nil {
					return errFlag("addr", "%v", err)
				}
				if !*allowRemote && !loopbackAddr(*addr) {
					return errFlag("addr", "%s is not a loopback address: the emulator hands out tokens to whoever asks, so it listens beyond this machine only with --allow-remote", *addr)
				}
				return emulate(ctx, e, emulateOptions{*scenario, *as, *addr, *allowRemote, *dataPlanes})
			}
		},
	})
}

// emulateOptions are the flags of miplay emulate.
type emulateOptions struct {
	scenario, as, addr      string
	allowRemote, dataPlanes bool
}

// loopbackAddr reports whether a HOST:PORT listens on loopback only.
func loopbackAddr(addr string) bool {
	host, _, _ := net.SplitHostPort(addr)
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func emulate(ctx context.Context, e *env, o emulateOptions) error {
	src, err := os.ReadFile(o.scenario)
	if err != nil {
		return err
	}
	s, err := scenarios.Parse(o.scenario, src)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	em, err := emulator.New(emulator.Config{
		Scenario:    s,
		As:          o.as,
		Addr:        clientAddr(ln.Addr()),
		DataPlanes:  o.dataPlanes,
		AllowRemote: o.allowRemote,
		Log:         &stampWriter{w: e.Stderr},
	})
	var he *emulator.HostError
	if errors.As(err, &he) {
		return errFlag("as", "%v", err)
	}
	if err != nil {
		return err
	}
	for _, kv := range em.Env() {
		name, value, _ := strings.Cut(kv, "=")
		fmt.Fprintf(e.Stdout, "export %s=%s\n", name, shellQuote(value))
	}
	e.Logf("serving %s in %s mode on %s (scenario %s); stop with Ctrl-C", em.Host(), em.Mode(), em.BaseURL(), o.scenario)
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && !tcp.IP.IsLoopback() {
		e.Logf("warning: listening on %s, beyond this machine: anyone who can reach it gets tokens", ln.Addr())
	}
	if em.Mode() == emulator.IMDSMode {
		e.Logf("HTTP_PROXY sends every plain-HTTP request of the programs that get it to the emulator; it answers 169.254.169.254 only: list other hosts in NO_PROXY")
	}

	return serveUntilDone(ctx, e, ln, em.Handler())
}

// clientAddr is the address clients use to reach a listener: an
// unspecified IP (0.0.0.0, ::) becomes 127.0.0.1.
func clientAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok || !tcp.IP.IsUnspecified() {
		return a.String()
	}
	return net.JoinHostPort("127.0.0.1", fmt.Sprint(tcp.Port))
}

// shellQuote quotes a value for a POSIX shell when it needs it.
func shellQuote(s string) string {
	safe := s != ""
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:@%+=,{}", r)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// stampWriter prefixes each write, which the emulator makes one line at a
// time, with the wall-clock time.
type stampWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *stampWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := fmt.Fprintf(s.w, "%s %s", time.Now().Format("15:04:05.000"), p); err != nil {
		return 0, err
	}
	return len(p), nil
}
