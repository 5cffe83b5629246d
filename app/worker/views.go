package worker

// The view models' builders: pure functions from an engine.World (read
// under azure.Cloud.Do) and the scenarios package's results to the plain
// structs of package wire that the pages render. They hold no Azure rule:
// every fact comes from the engine, and these functions only select, order
// and word it for the page.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/miplay/miplay/app/wire"
	"github.com/miplay/miplay/engine"
	"github.com/miplay/miplay/engine/azure"
	"github.com/miplay/miplay/engine/rbac"
	"github.com/miplay/miplay/engine/token"
	"github.com/miplay/miplay/scenarios"
)

// BuildWorldView returns the view of w. It reads w and changes nothing.
func BuildWorldView(w *engine.World) wire.WorldView {
	var v wire.WorldView
	v.Clock = wire.ClockVM{Now: w.Now(), Start: w.Options().Start}
	v.Clock.Elapsed = v.Clock.Now.Sub(v.Clock.Start)
	for _, r := range w.Resources() {
		v.Resources = append(v.Resources, resourceVM(w, r))
	}
	for _, sp := range w.AllServicePrincipals() {
		v.Principals = append(v.Principals, wire.PrincipalVM{
			DisplayName:      sp.DisplayName,
			ObjectID:         sp.ObjectID,
			AppID:            sp.AppID,
			Type:             string(sp.Type),
			AlternativeNames: sp.AlternativeNames,
			ResourceID:       sp.ResourceID,
			Deleted:          !sp.Exists(),
			DeletedAt:        sp.Deleted,
		})
	}
	for _, a := range w.RoleAssignments() {
		v.Assignments = append(v.Assignments, assignmentVM(w, a))
	}
	for _, t := range w.Tokens() {
		v.Tokens = append(v.Tokens, wire.TokenRowVM{
			ID:        t.ID,
			Principal: principalLabel(w, t.PrincipalID),
			Audience:  t.Audience,
			Via:       string(t.Via),
			Host:      t.Host,
			IssuedAt:  t.IssuedAt,
			ExpiresAt: t.ExpiresAt,
		})
	}
	return v
}

// typeLabels name resource types for people.
var typeLabels = map[string]string{
	engine.TypeVM:             "virtual machine",
	engine.TypeScaleSet:       "VM scale set",
	engine.TypePlan:           "App Service plan",
	engine.TypeSite:           "web app",
	engine.TypeStorageAccount: "storage account",
	engine.TypeKeyVault:       "key vault",
	engine.TypeServiceBus:     "Service Bus namespace",
	engine.TypeUserIdentity:   "user-assigned identity",
}

func typeLabel(r *engine.Resource) string {
	if r.Type == engine.TypeSite && r.Kind == string(engine.FunctionApp) {
		return "function app"
	}
	if l, ok := typeLabels[r.Type]; ok {
		return l
	}
	return r.Type
}

func resourceVM(w *engine.World, r *engine.Resource) wire.ResourceVM {
	vm := wire.ResourceVM{
		ID: r.ID, Name: r.Name, Type: r.Type, TypeLabel: typeLabel(r),
		Group: r.ResourceGroup, Location: r.Location,
		CanHaveIdentity: r.Identity != nil,
	}
	if r.Identity != nil {
		vm.IdentityType = r.Identity.Type()
		if s := r.Identity.SystemAssigned; s != nil {
			vm.System = &wire.IdentityBadgeVM{Kind: "SystemAssigned", ResourceID: r.ID, PrincipalID: s.PrincipalID, ClientID: s.ClientID}
		}
		for _, ref := range w.UserIdentities(r) {
			vm.User = append(vm.User, wire.IdentityBadgeVM{
				Kind: "UserAssigned", Name: path.Base(ref.ResourceID), ResourceID: ref.ResourceID,
				PrincipalID: ref.PrincipalID, ClientID: ref.ClientID, Missing: !ref.Exists,
			})
		}
	}
	if u := r.UserIdentity; u != nil {
		vm.Own = &wire.IdentityBadgeVM{Kind: "UserAssigned", Name: r.Name, ResourceID: r.ID, PrincipalID: u.PrincipalID, ClientID: u.ClientID}
	}
	return vm
}

func assignmentVM(w *engine.World, a rbac.Assignment) wire.AssignmentVM {
	vm := wire.AssignmentVM{ID: a.ID, Scope: a.Scope, ScopeLabel: scopeLabel(w, a.Scope), PrincipalID: a.PrincipalID, RoleName: a.RoleDefinitionID}
	if def, err := w.Role(a.RoleDefinitionID); err == nil {
		vm.RoleName = def.RoleName
	}
	_, kind, exists := w.PrincipalName(a.PrincipalID)
	vm.PrincipalType = kind
	if !exists {
		vm.Orphaned = true
		vm.PrincipalName = wire.IdentityNotFound
		return vm
	}
	vm.PrincipalName = principalLabel(w, a.PrincipalID)
	return vm
}

// principalLabel names a principal by its object ID: a user's sign-in name,
// a service principal's display name, or the ID itself.
func principalLabel(w *engine.World, oid string) string {
	if u, ok := w.UserByObjectID(oid); ok {
		return u.UserPrincipalName
	}
	if sp, ok := w.PrincipalByObjectID(oid); ok {
		return sp.DisplayName
	}
	return oid
}

// scopeLabel names a scope for people: "subscription Contoso",
// "resource group rg-demo", "stdemo (storage account)".
func scopeLabel(w *engine.World, scope string) string {
	if strings.EqualFold(strings.TrimRight(scope, "/"), w.Subscription.Scope()) {
		return "subscription " + w.Subscription.DisplayName
	}
	if scope == "/" {
		return "root"
	}
	p, err := engine.ParseResourceID(scope)
	switch {
	case err != nil:
		return scope
	case p.Type == "" && p.ResourceGroup != "":
		return "resource group " + p.ResourceGroup
	}
	if r, err := w.Resource(scope); err == nil {
		return r.Name + " (" + typeLabel(r) + ")"
	}
	return p.Name
}

// timeClaims are the claims that hold Unix seconds.
var timeClaims = map[string]bool{"iat": true, "nbf": true, "exp": true, "xms_tcdt": true}

// headerOrder is the order Entra ID writes the JOSE header in.
var headerOrder = []string{"typ", "alg", "x5t", "kid"}

// BuildTokenDetail decodes the token with the given uti, explains every
// claim, and checks its signature against the world's keys at the
// simulated now. ok is false if the world issued no such token.
func BuildTokenDetail(w *engine.World, id string) (vm wire.TokenDetailVM, ok bool) {
	for _, t := range w.Tokens() {
		if t.ID == id {
			return tokenDetail(w, t.Raw), true
		}
	}
	return vm, false
}

func tokenDetail(w *engine.World, raw string) wire.TokenDetailVM {
	vm := wire.TokenDetailVM{Raw: raw}
	header, claims, err := token.Decode(raw)
	if err != nil {
		vm.Signature = "The token cannot be decoded: " + err.Error()
		return vm
	}
	vm.ID = claims.UTI
	keys := make([]string, 0, len(header))
	for _, k := range headerOrder {
		if _, ok := header[k]; ok {
			keys = append(keys, k)
		}
	}
	rest := make([]string, 0, len(header))
	for k := range header {
		if !contains(headerOrder, k) {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range append(keys, rest...) {
		vm.Header = append(vm.Header, wire.ClaimRow{Name: k, Value: jsonValue(header[k]), Explanation: token.Explain(k)})
	}
	vm.Claims = claimRows(claims)

	// The signature, checked for real: Validate verifies it with the key
	// the header names, from the set the world publishes as its JWKS. The
	// token's own audience and issuer are the expected ones, so that what
	// is left to fail after the signature is the lifetime.
	_, f := w.Keys().Validate(raw, token.Expect{Audiences: []string{claims.Audience}, Issuers: []string{claims.Issuer}, Now: w.Now()})
	kid, _ := header["kid"].(string)
	switch {
	case f != nil && f.Kind <= token.BadSignature:
		vm.Signature = "invalid: " + f.Error()
		if f.Detail != "" {
			vm.Signature += " " + f.Detail
		}
	default:
		vm.SignatureValid = true
		vm.Signature = fmt.Sprintf("valid: RS256, verified with the public key %s of the tenant's published key set (JWKS)", kid)
	}
	switch {
	case f == nil:
		vm.Lifetime = "valid now, until " + wire.FormatTime(time.Unix(claims.ExpiresAt, 0))
	case f.Kind > token.BadSignature:
		vm.Lifetime = f.Error()
		vm.Expired = f.Kind == token.Expired
	}
	return vm
}

// claimRows lists the claims in the token's own order (that of
// token.Claims), each with its explanation.
func claimRows(c token.Claims) []wire.ClaimRow {
	b, err := json.Marshal(c)
	if err != nil {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if _, err := dec.Token(); err != nil { // {
		return nil
	}
	var rows []wire.ClaimRow
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			break
		}
		name, _ := k.(string)
		var v any
		if err := dec.Decode(&v); err != nil {
			break
		}
		value := jsonValue(v)
		if n, ok := v.(json.Number); ok && timeClaims[name] {
			if secs, err := n.Int64(); err == nil {
				value += " (" + wire.FormatTime(time.Unix(secs, 0)) + ")"
			}
		}
		rows = append(rows, wire.ClaimRow{Name: name, Value: value, Explanation: token.Explain(name)})
	}
	return rows
}

// jsonValue shows a decoded JSON value: strings bare, lists joined.
func jsonValue(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case []any:
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = jsonValue(x)
		}
		return strings.Join(parts, ", ")
	case nil:
		return "null"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// serviceLanes are the services in the order the diagram puts them, left
// to right, after the callers: where tokens come from, who issues them,
// where they are used.
var serviceLanes = []struct{ Key, Label, Kind string }{
	{"IMDS", "IMDS", "endpoint"},
	{"App Service identity", "App Service identity endpoint", "endpoint"},
	{"Entra ID", "Entra ID", "entra"},
	{"ARM", "ARM", "service"},
	{"Graph", "Microsoft Graph", "service"},
	{"Blob", "Blob storage", "service"},
	{"Key Vault", "Key Vault", "service"},
	{"Service Bus", "Service Bus", "service"},
}

// BuildSequence draws the exchanges recorded in events (a slice of a
// world's log, such as one step's). A token that Entra ID issued while IMDS
// or the App Service endpoint served a request shows as a hop from that
// endpoint to Entra ID and back.
func BuildSequence(events []engine.Event) wire.SequenceVM {
	var vm wire.SequenceVM
	type served struct {
		ex     *engine.RequestServed
		issued bool // Entra issued its token during the exchange
		cached bool // the endpoint answered from its cache
	}
	var all []served
	issued := map[string]bool{}
	cached := map[string]bool{}
	for _, e := range events {
		switch e := e.(type) {
		case *engine.TokenIssued:
			issued[e.Token.ID] = true
		case *engine.TokenServedFromCache:
			cached[e.TokenID] = true
		case *engine.RequestServed:
			s := served{ex: e}
			if id := e.Exchange.TokenID; id != "" {
				s.issued, s.cached = issued[id], cached[id]
				delete(issued, id)
				delete(cached, id)
			}
			all = append(all, s)
		}
	}
	if len(all) > wire.MaxExchanges {
		vm.Omitted = len(all) - wire.MaxExchanges
		all = all[len(all)-wire.MaxExchanges:]
	}

	// Lanes: the callers in order of appearance, the workstation first,
	// then the services that appear, in serviceLanes order.
	lane := map[string]int{}
	used := map[string]bool{}
	var callers []string
	for _, s := range all {
		x := s.ex.Exchange
		if !used[x.Caller] {
			used[x.Caller] = true
			callers = append(callers, x.Caller)
		}
		used["service:"+x.Service] = true
		if s.issued && isTokenEndpoint(x.Service) {
			used["service:Entra ID"] = true
		}
	}
	sort.SliceStable(callers, func(i, j int) bool { return callers[i] == azure.Workstation && callers[j] != azure.Workstation })
	for _, c := range callers {
		lane["caller:"+c] = len(vm.Lanes)
		vm.Lanes = append(vm.Lanes, wire.LaneVM{Key: c, Label: wire.CallerLabel(c), Kind: "caller"})
	}
	for _, s := range serviceLanes {
		if used["service:"+s.Key] {
			lane["service:"+s.Key] = len(vm.Lanes)
			vm.Lanes = append(vm.Lanes, wire.LaneVM{Key: s.Key, Label: s.Label, Kind: s.Kind})
		}
	}
	for _, s := range all {
		x := s.ex.Exchange
		if _, ok := lane["service:"+x.Service]; !ok {
			lane["service:"+x.Service] = len(vm.Lanes)
			vm.Lanes = append(vm.Lanes, wire.LaneVM{Key: x.Service, Label: x.Service, Kind: "service"})
		}
	}

	for _, s := range all {
		x := s.ex.Exchange
		i := len(vm.Exchanges)
		vm.Exchanges = append(vm.Exchanges, wire.ExchangeVM{
			Seq: s.ex.Seq, At: s.ex.At, Caller: x.Caller, Service: x.Service, Method: x.Method, URL: x.URL,
			Status: x.Status, Request: x.Request, Response: x.Response, Decision: x.Decision,
			TokenID: x.TokenID, DecisionSeq: x.DecisionID,
		})
		from, to := lane["caller:"+x.Caller], lane["service:"+x.Service]
		vm.Messages = append(vm.Messages, wire.MessageVM{From: from, To: to, Label: requestLabel(x.Method, x.URL), Exchange: i})
		if s.issued && isTokenEndpoint(x.Service) {
			entra := lane["service:Entra ID"]
			vm.Messages = append(vm.Messages,
				wire.MessageVM{From: to, To: entra, Label: "token request for the identity", Exchange: i, Internal: true},
				wire.MessageVM{From: entra, To: to, Label: "signed token", Reply: true, Exchange: i, Internal: true},
			)
		}
		reply := wire.StatusLabel(x.Status)
		if s.cached {
			reply += " (token from cache)"
		}
		vm.Messages = append(vm.Messages, wire.MessageVM{From: to, To: from, Label: reply, Reply: true, Failed: x.Status >= 400, Exchange: i})
	}
	return vm
}

func isTokenEndpoint(service string) bool {
	return service == "IMDS" || service == "App Service identity"
}

// requestLabel is "GET /path", the path cut to fit an arrow.
func requestLabel(method, rawURL string) string {
	p := rawURL
	if i := strings.Index(p, "://"); i >= 0 {
		p = p[i+3:]
		if j := strings.IndexByte(p, '/'); j >= 0 {
			p = p[j:]
		} else {
			p = "/"
		}
	}
	p, _, _ = strings.Cut(p, "?")
	const max = 38
	if len(p) > max {
		tail := p[len(p)-max+1:]
		if i := strings.IndexByte(tail, '/'); i >= 0 {
			tail = tail[i:]
		}
		p = "…" + tail
	}
	return method + " " + p
}

// BuildDecision explains the AccessChecked event with sequence number seq.
// ok is false if there is no such event.
func BuildDecision(w *engine.World, seq int) (vm wire.DecisionVM, ok bool) {
	if seq < 0 {
		return vm, false
	}
	evs := w.Events(seq)
	if len(evs) == 0 {
		return vm, false
	}
	ac, isAC := evs[0].(*engine.AccessChecked)
	if !isAC {
		return vm, false
	}
	d := ac.Decision
	vm = wire.DecisionVM{
		Seq: seq, Allowed: d.Allowed, Reason: d.Reason,
		Principal: principalLabel(w, d.Request.PrincipalID), Action: d.Request.Action,
		DataAction: d.Request.DataAction, Scope: d.Request.Scope, At: d.Request.At,
	}
	for _, c := range d.Considered {
		role := c.RoleName
		if role == "" {
			role = c.RoleDefinitionID
		}
		vm.Considered = append(vm.Considered, wire.ConsideredVM{
			RoleName: role, Scope: c.Scope, Principal: principalLabel(w, c.PrincipalID),
			Outcome: c.Outcome.String(), OutcomeText: c.Outcome.Description(),
			MatchedBy: c.MatchedBy, ExcludedBy: c.ExcludedBy, Explanation: c.Explanation,
			Grants: c.Outcome == rbac.Grants,
		})
	}
	return vm, true
}

// BuildTerminal lists what the steps did, in order.
func BuildTerminal(results []*scenarios.StepResult) []wire.TermStepVM {
	var out []wire.TermStepVM
	for i, r := range results {
		if r == nil {
			continue
		}
		s := wire.TermStepVM{Index: i, Kind: string(r.Kind), Passed: r.Passed}
		if r.Step != nil {
			s.Index = r.Step.Index
		}
		for _, c := range r.Results {
			s.Commands = append(s.Commands, termCommand(c))
		}
		out = append(out, s)
	}
	return out
}

func termCommand(c *scenarios.CommandResult) wire.TermCommandVM {
	return wire.TermCommand(CommandResult(c))
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// foldDecision leaves out of a decision the assignments to other
// principals, when there are more than the panel lists
// (wire.DecisionVM.OthersFolded): for the decisions a state or an update
// carries with it.
func foldDecision(d wire.DecisionVM) wire.DecisionVM {
	n := 0
	for _, c := range d.Considered {
		if c.Outcome == wire.OutcomeOtherPrincipal {
			n++
		}
	}
	if n <= wire.MaxOthersInline {
		return d
	}
	kept := make([]wire.ConsideredVM, 0, len(d.Considered)-n)
	for _, c := range d.Considered {
		if c.Outcome != wire.OutcomeOtherPrincipal {
			kept = append(kept, c)
		}
	}
	d.Considered, d.OthersFolded = kept, n
	return d
}
