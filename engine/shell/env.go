package shell

import (
	"fmt"
	"hash/fnv"
	"sort"
	"strings"

	"github.com/miplay/miplay/engine"
	"github.com/miplay/miplay/engine/azure"
	"mvdan.cc/sh/v3/expand"
)

// defaultPath is the PATH of every host: where the simulated programs live.
const defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// binDir is where `type` and `command -v` say the simulated programs are.
const binDir = "/usr/bin"

// hostBase is what a host's shell starts with: its environment, its user
// and home, and how `hostname` answers.
type hostBase struct {
	env      map[string]string // exported
	user     string
	uid      int
	home     string
	hostname string
	kind     engine.HostKind // "" for the workstation
}

// baseFor builds a host's starting environment from the world;
// the values follow what App Service and Azure VMs set.
func baseFor(w *engine.World, name string) (hostBase, bool) {
	if name == azure.Workstation {
		// The learner's machine, signed in as the tenant's admin: the user
		// name is the local part of the admin's sign-in name, as in Cloud Shell.
		user := "ada"
		if w.Admin != nil {
			if local, _, ok := strings.Cut(w.Admin.UserPrincipalName, "@"); ok && local != "" {
				user = strings.ToLower(local)
			}
		}
		home := "/home/" + user
		return hostBase{env: map[string]string{
			"HOME": home, "USER": user, "LOGNAME": user, "SHELL": "/bin/bash",
			"PATH": defaultPath, "HOSTNAME": azure.Workstation, "LANG": "C.UTF-8", "TERM": "xterm-256color",
		}, user: user, uid: 1000, home: home, hostname: azure.Workstation}, true
	}
	h, ok := w.Host(name)
	if !ok {
		return hostBase{}, false
	}
	switch h.Kind {
	case engine.HostWebApp, engine.HostFunctionApp:
		return siteBase(w, h), true
	}
	// A VM or scale set instance, signed in over SSH as the default admin
	// user of Azure's Linux images. A scale set instance's computer name is
	// Azure's: the name prefix and the instance ID in six base-36 digits.
	hostname := h.Name
	if h.Kind == engine.HostScaleSetInstance {
		if i := strings.LastIndexByte(h.Name, '_'); i >= 0 {
			var n int
			fmt.Sscanf(h.Name[i+1:], "%d", &n)
			hostname = h.Name[:i] + base36(n, 6)
		}
	}
	const user, home = "azureuser", "/home/azureuser"
	return hostBase{env: map[string]string{
		"HOME": home, "USER": user, "LOGNAME": user, "SHELL": "/bin/bash",
		"PATH": defaultPath, "HOSTNAME": hostname, "LANG": "C.UTF-8", "TERM": "xterm-256color",
	}, user: user, uid: 1000, home: home, hostname: hostname, kind: h.Kind}, true
}

// siteBase is a web or function app's SSH console: root in the app's
// container, with the platform's variables and the app settings.
func siteBase(w *engine.World, h engine.Host) hostBase {
	r := h.Owner
	// What the platform sets (app settings, WEBSITE_*, the identity
	// endpoint) is defined once, in engine/azure; the shell adds what any
	// Linux container has.
	env := azure.HostEnvironment(w, h)
	// The container's host name is an opaque ID in App Service; derive one.
	f := fnv.New64a()
	f.Write([]byte(strings.ToLower(r.ID)))
	hostname := fmt.Sprintf("%012x", f.Sum64())[:12]
	for k, v := range map[string]string{
		"USER": "root", "LOGNAME": "root", "SHELL": "/bin/bash",
		"PATH": defaultPath, "HOSTNAME": hostname, "LANG": "C.UTF-8", "TERM": "xterm-256color",
		"WEBSITE_OWNER_NAME":  w.Subscription.ID + "+" + r.ResourceGroup + "-" + r.Location + "webspace",
		"WEBSITE_INSTANCE_ID": fmt.Sprintf("%016x%016x%016x%016x", f.Sum64(), f.Sum64()^1, f.Sum64()^2, f.Sum64()^3),
	} {
		env[k] = v
	}
	return hostBase{env: env, user: "root", uid: 0, home: "/home", hostname: hostname, kind: h.Kind}
}

func base36(n, width int) string {
	const digits = "0123456789abcdefghijklmnopqrstuvwxyz"
	b := make([]byte, width)
	for i := width - 1; i >= 0; i-- {
		b[i] = digits[n%36]
		n /= 36
	}
	return string(b)
}

// Hidden variable names the shell's own specials are renamed to, so that
// they read the simulation instead of the process (see rewrite). A NUL
// byte cannot appear in a name a learner types.
const (
	varRandom = "\x00RANDOM"
	varPID    = "\x00PID"
	varPPID   = "\x00PPID"
)

// hostEnviron is the environment a host's interpreter starts from: the
// host's own variables, then what the workstation exported. The
// interpreter overlays its own assignments on top, so a host's own values
// always win.
type hostEnviron struct {
	base   map[string]expand.Variable
	shared map[string]string // workstation exports; nil on the workstation
	random *splitmix
	pid    string
}

func newHostEnviron(b hostBase, seed uint64, pid int) *hostEnviron {
	e := &hostEnviron{base: map[string]expand.Variable{}, random: &splitmix{seed}, pid: fmt.Sprint(pid)}
	for k, v := range b.env {
		e.base[k] = expand.Variable{Set: true, Exported: true, Kind: expand.String, Str: v}
	}
	// Set here so the interpreter does not ask the real process.
	for _, k := range []string{"UID", "EUID", "GID"} {
		e.base[k] = expand.Variable{Set: true, ReadOnly: true, Kind: expand.String, Str: fmt.Sprint(b.uid)}
	}
	e.base["TMPDIR"] = expand.Variable{Set: true, Kind: expand.String, Str: "/tmp"}
	return e
}

func (e *hostEnviron) Get(name string) expand.Variable {
	switch name {
	case varRandom:
		return expand.Variable{Set: true, Kind: expand.String, Str: fmt.Sprint(e.random.next() % 32768)}
	case varPID:
		return expand.Variable{Set: true, Kind: expand.String, Str: e.pid}
	case varPPID:
		return expand.Variable{Set: true, Kind: expand.String, Str: "1"}
	}
	if v, ok := e.base[name]; ok {
		return v
	}
	if v, ok := e.shared[name]; ok {
		return expand.Variable{Set: true, Exported: true, Kind: expand.String, Str: v}
	}
	return expand.Variable{}
}

func (e *hostEnviron) Each(f func(name string, vr expand.Variable) bool) {
	names := make([]string, 0, len(e.base)+len(e.shared))
	for k := range e.shared {
		if _, ok := e.base[k]; !ok {
			names = append(names, k)
		}
	}
	for k := range e.base {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if !f(k, e.Get(k)) {
			return
		}
	}
}

// splitmix is a tiny deterministic generator for $RANDOM: the engine draws
// no global randomness.
type splitmix struct{ s uint64 }

func (g *splitmix) next() uint64 {
	g.s += 0x9e3779b97f4a7c15
	z := g.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func hashString(s string) uint64 {
	f := fnv.New64a()
	f.Write([]byte(s))
	return f.Sum64()
}
