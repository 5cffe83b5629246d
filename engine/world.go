package engine

import (
	"fmt"
	"strings"
	"time"

	"github.com/miplay/miplay/engine/rbac"
	"github.com/miplay/miplay/engine/token"
)

// DefaultStart is the simulated time a world starts at unless told otherwise.
var DefaultStart = time.Date(2026, time.January, 15, 9, 0, 0, 0, time.UTC)

// Options configure a new World. The zero value is valid.
type Options struct {
	// Seed determines every ID in the world. Zero means 1.
	Seed uint64
	// Start is the simulated time the world starts at. Zero means DefaultStart.
	Start time.Time
	// Propagation is how long role assignment changes take to be effective.
	// Azure documents "up to 10 minutes"; the playground defaults to none.
	Propagation time.Duration
	// Location is the default region. Empty means "westeurope".
	Location string
	// Keys signs the world's tokens. Nil means token.DefaultKeys().
	Keys *token.KeySet
}

// A World is the whole simulated cloud. It is not safe for concurrent use;
// callers that serve it concurrently (the emulator) hold a lock around it.
type World struct {
	Tenant       Tenant
	Subscription Subscription
	Admin        *User

	opts    Options
	now     time.Time
	ids     idSource
	log     []Event
	logBase int // the sequence number of log[0]: events before it were forgotten
	lean    int // events before this sequence number were made lean by Lighten
	keys    *token.KeySet
	signer  *token.Signer

	users       []*User
	principals  []*ServicePrincipal // including deleted ones, in creation order
	apps        []*Application
	groups      []*ResourceGroup
	resources   []*Resource // in creation order; deleted ones are removed
	roles       []rbac.RoleDefinition
	assignments []rbac.Assignment // including deleted ones, for propagation
	tokens      []IssuedToken
	tokenCache  map[tokenCacheKey]int // index into tokens
}

// Tenant is the world's Microsoft Entra tenant.
type Tenant struct {
	ID            string
	DisplayName   string
	DefaultDomain string
}

// Subscription is the world's one Azure subscription.
type Subscription struct {
	ID          string
	DisplayName string
}

// Scope returns the subscription's scope, "/subscriptions/{id}".
func (s Subscription) Scope() string { return "/subscriptions/" + s.ID }

// New builds a world: a tenant, a subscription and a signed-in admin who
// holds Owner on the subscription.
func New(opts Options) *World {
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	if opts.Start.IsZero() {
		opts.Start = DefaultStart
	}
	if opts.Location == "" {
		opts.Location = "westeurope"
	}
	if opts.Keys == nil {
		opts.Keys = token.DefaultKeys()
	}
	w := &World{
		opts:       opts,
		now:        opts.Start.UTC(),
		ids:        idSource{seed: opts.Seed},
		keys:       opts.Keys,
		signer:     sharedSigner(opts.Keys),
		roles:      rbac.BuiltInRoles(),
		tokenCache: map[tokenCacheKey]int{},
	}
	w.Tenant = Tenant{ID: w.ids.GUID(), DisplayName: "Contoso", DefaultDomain: "contoso.onmicrosoft.com"}
	w.Subscription = Subscription{ID: w.ids.GUID(), DisplayName: "Contoso Playground"}
	w.record(&WorldCreated{TenantID: w.Tenant.ID, SubscriptionID: w.Subscription.ID, Seed: opts.Seed})
	w.Admin = w.addUser("Ada Admin", "ada@"+w.Tenant.DefaultDomain)
	owner, _ := rbac.FindRole(w.roles, "Owner")
	w.assignRole(w.Subscription.Scope(), owner, w.Admin.ObjectID, rbac.PrincipalType("User"), w.now.Add(-w.opts.Propagation))
	return w
}

// Now returns the simulated time.
func (w *World) Now() time.Time { return w.now }

// Options returns the options the world was made with, defaults filled in.
func (w *World) Options() Options { return w.opts }

// Propagation is the world's RBAC propagation delay.
func (w *World) Propagation() time.Duration { return w.opts.Propagation }

// SetPropagation changes the RBAC propagation delay from now on.
func (w *World) SetPropagation(d time.Duration) { w.opts.Propagation = d }

// Advance moves the simulated clock forward. Azure's background work that
// falls due in that time (managed identity credential rotation) happens, and
// is logged, at the moment it falls due.
func (w *World) Advance(d time.Duration) error {
	if d < 0 {
		return fmt.Errorf("engine: cannot move the clock backwards by %s", d)
	}
	end := w.now.Add(d)
	for {
		next, sp := w.nextRotation()
		if sp == nil || next.After(end) {
			break
		}
		w.now = next
		w.rotate(sp)
	}
	w.now = end
	w.record(&ClockAdvanced{By: d})
	return nil
}

// Events returns the log from sequence number from on (0 for all), less
// any events forgotten with Forget. The slice is shared: callers must not
// modify it.
func (w *World) Events(from int) []Event {
	if from < 0 {
		return nil
	}
	i := max(from, w.logBase) - w.logBase
	if i >= len(w.log) {
		return nil
	}
	return w.log[i:]
}

// NextSeq is the sequence number the next event will get: the number of
// events recorded so far, forgotten ones included.
func (w *World) NextSeq() int { return w.logBase + len(w.log) }

// Forget drops the events before sequence number before, for a world that
// serves requests for a long time (the emulator). What ARM reads from the
// log, such as who created a role assignment, is then no longer known for
// what was forgotten.
func (w *World) Forget(before int) {
	n := min(before, w.NextSeq()) - w.logBase
	if n <= 0 {
		return
	}
	w.log = append([]Event(nil), w.log[n:]...)
	w.logBase += n
}

// Lighten drops, from the events before sequence number before, the parts
// that only someone reading the log itself looks at: the raw request and
// response of an HTTP exchange, and every assignment an access check
// considered. These are most of a long session's log. The events stay,
// with their summaries, decisions and reasons, so what the engine reads
// back from its log (who created a role assignment, when keys were
// regenerated) is unchanged, and the world goes on as a replay of the
// same commands would.
func (w *World) Lighten(before int) {
	from := max(w.lean, w.logBase) - w.logBase
	to := min(before, w.NextSeq()) - w.logBase
	for i := from; i < to; i++ {
		switch e := w.log[i].(type) {
		case *RequestServed:
			e.Exchange.Request, e.Exchange.Response = "", ""
		case *AccessChecked:
			e.Decision.Considered = nil
		}
	}
	w.lean = max(w.lean, min(before, w.NextSeq()))
}

// Record appends an event that happened outside the engine's own methods,
// such as an HTTP exchange recorded by engine/azure, and returns its
// sequence number.
func (w *World) Record(e Event) int { return w.record(e) }

func (w *World) record(e Event) int {
	seq := w.NextSeq()
	e.setMeta(EventMeta{Seq: seq, At: w.now})
	w.log = append(w.log, e)
	return seq
}

// NewGUID returns the next GUID from the world's seed, for request IDs and
// correlation IDs in the HTTP layer.
func (w *World) NewGUID() string { return w.ids.GUID() }

// equalFold compares Azure names and IDs, which are case-insensitive.
func equalFold(a, b string) bool { return strings.EqualFold(a, b) }
