package worker

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/miplay/miplay/app/wire"
	"github.com/miplay/miplay/engine"
	"github.com/miplay/miplay/engine/azure"
	"github.com/miplay/miplay/engine/rbac"
	"github.com/miplay/miplay/scenarios"
)

// smallWorld is a VM with a system-assigned identity that may read blobs in
// a storage account, and a blob to read.
func smallWorld(t *testing.T) (*engine.World, *engine.Resource, *engine.Resource) {
	t.Helper()
	w := engine.New(engine.Options{})
	if _, err := w.CreateResourceGroup("rg-demo", "westeurope"); err != nil {
		t.Fatal(err)
	}
	vm, err := w.CreateVM(engine.ResourceSpec{Group: "rg-demo", Name: "vm-web"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.EnableSystemAssigned(vm.ID); err != nil {
		t.Fatal(err)
	}
	st, err := w.CreateStorageAccount(engine.ResourceSpec{Group: "rg-demo", Name: "stdemo"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.CreateContainer(st, "docs"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.PutBlob(st, "docs", "hello.txt", []byte("hello")); err != nil {
		t.Fatal(err)
	}
	if _, err := w.AssignRole(st.ID, "Storage Blob Data Reader", vm.Identity.SystemAssigned.PrincipalID, rbac.PrincipalServicePrincipal); err != nil {
		t.Fatal(err)
	}
	return w, vm, st
}

func TestWorldViewResourcesAndPrincipals(t *testing.T) {
	w, vm, _ := smallWorld(t)
	ui, err := w.CreateUserIdentity(engine.ResourceSpec{Group: "rg-demo", Name: "id-shared"})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.AssignUserIdentity(vm.ID, ui.ID); err != nil {
		t.Fatal(err)
	}
	v := BuildWorldView(w)
	var got *wire.ResourceVM
	for i := range v.Resources {
		if v.Resources[i].Name == "vm-web" {
			got = &v.Resources[i]
		}
	}
	if got == nil {
		t.Fatalf("no vm-web among %+v", v.Resources)
	}
	if got.TypeLabel != "virtual machine" || got.IdentityType != "SystemAssigned, UserAssigned" {
		t.Errorf("vm-web: type %q, identity %q", got.TypeLabel, got.IdentityType)
	}
	if got.System == nil || got.System.PrincipalID != vm.Identity.SystemAssigned.PrincipalID {
		t.Errorf("system badge = %+v", got.System)
	}
	if len(got.User) != 1 || got.User[0].Name != "id-shared" || got.User[0].PrincipalID != ui.UserIdentity.PrincipalID || got.User[0].Missing {
		t.Errorf("user badges = %+v", got.User)
	}
	kinds := map[string]string{}
	for _, p := range v.Principals {
		kinds[p.DisplayName] = p.Type
		if p.DisplayName == "vm-web" && (len(p.AlternativeNames) == 0 || p.Deleted) {
			t.Errorf("vm-web's principal: %+v", p)
		}
	}
	if kinds["vm-web"] != "ManagedIdentity" || kinds["id-shared"] != "ManagedIdentity" {
		t.Errorf("principal types = %v", kinds)
	}
	if !v.Clock.Now.Equal(engine.DefaultStart) || v.Clock.Elapsed != 0 {
		t.Errorf("clock = %+v", v.Clock)
	}
}

// An assignment whose principal is gone reads "Identity not found", of
// type Unknown, as in the portal; its principal shows greyed as deleted.
func TestOrphanedAssignment(t *testing.T) {
	w, vm, _ := smallWorld(t)
	oid := vm.Identity.SystemAssigned.PrincipalID
	before := BuildWorldView(w)
	a := findAssignment(before, oid)
	if a == nil || a.Orphaned || a.PrincipalName != "vm-web" || a.PrincipalType != "ServicePrincipal" || a.RoleName != "Storage Blob Data Reader" || a.ScopeLabel != "stdemo (storage account)" {
		t.Fatalf("before: %+v", a)
	}
	if err := w.DisableSystemAssigned(vm.ID); err != nil {
		t.Fatal(err)
	}
	after := BuildWorldView(w)
	a = findAssignment(after, oid)
	if a == nil {
		t.Fatal("the assignment is gone; Azure keeps it, orphaned")
	}
	if !a.Orphaned || a.PrincipalName != wire.IdentityNotFound || a.PrincipalType != "Unknown" {
		t.Errorf("orphaned assignment = %+v, want %q of type Unknown", a, wire.IdentityNotFound)
	}
	for _, p := range after.Principals {
		if p.ObjectID == oid && !p.Deleted {
			t.Errorf("principal %s not marked deleted", oid)
		}
	}
}

func findAssignment(v wire.WorldView, oid string) *wire.AssignmentVM {
	for i := range v.Assignments {
		if v.Assignments[i].PrincipalID == oid {
			return &v.Assignments[i]
		}
	}
	return nil
}

func TestTokenDetail(t *testing.T) {
	w, vm, _ := smallWorld(t)
	h, _ := w.Host("vm-web")
	tok, _, err := w.ManagedIdentityToken(h, engine.Selector{}, "https://storage.azure.com/", engine.ViaIMDS)
	if err != nil {
		t.Fatal(err)
	}
	v := BuildWorldView(w)
	if len(v.Tokens) != 1 || v.Tokens[0].Principal != "vm-web" || v.Tokens[0].Via != "IMDS" || v.Tokens[0].Audience != "https://storage.azure.com/" {
		t.Fatalf("token rows = %+v", v.Tokens)
	}
	d, ok := BuildTokenDetail(w, tok.ID)
	if !ok {
		t.Fatal("no detail")
	}
	if !d.SignatureValid || !strings.HasPrefix(d.Signature, "valid") {
		t.Errorf("signature = %v %q", d.SignatureValid, d.Signature)
	}
	if !strings.HasPrefix(d.Lifetime, "valid now") {
		t.Errorf("lifetime = %q", d.Lifetime)
	}
	claims := map[string]wire.ClaimRow{}
	var order []string
	for _, c := range d.Claims {
		claims[c.Name] = c
		order = append(order, c.Name)
	}
	if strings.Join(order[:5], " ") != "aud iss iat nbf exp" {
		t.Errorf("claim order = %v", order)
	}
	if got := claims["aud"].Value; got != "https://storage.azure.com/" {
		t.Errorf("aud = %q", got)
	}
	if got := claims["oid"].Value; got != vm.Identity.SystemAssigned.PrincipalID {
		t.Errorf("oid = %q", got)
	}
	if got := claims["exp"].Value; !strings.Contains(got, "(2026-01-16 09:00:00 UTC)") {
		t.Errorf("exp = %q, want the time beside the number", got)
	}
	for _, name := range []string{"aud", "oid", "xms_mirid", "exp"} {
		if claims[name].Explanation == "" {
			t.Errorf("claim %s has no explanation", name)
		}
	}
	var header []string
	for _, h := range d.Header {
		header = append(header, h.Name)
		if h.Explanation == "" {
			t.Errorf("header %s has no explanation", h.Name)
		}
	}
	if strings.Join(header, " ") != "typ alg x5t kid" {
		t.Errorf("header = %v", header)
	}

	// A token whose signature was tampered with is invalid: the check is
	// real.
	parts := strings.Split(tok.Raw, ".")
	sig := []byte(parts[2])
	sig[10] ^= 1
	bad := tokenDetail(w, parts[0]+"."+parts[1]+"."+string(sig))
	if bad.SignatureValid || !strings.HasPrefix(bad.Signature, "invalid") {
		t.Errorf("tampered token: signature = %v %q", bad.SignatureValid, bad.Signature)
	}

	// A day later the signature still verifies, but the token has expired.
	if err := w.Advance(25 * 60 * 60e9); err != nil {
		t.Fatal(err)
	}
	d, _ = BuildTokenDetail(w, tok.ID)
	if !d.SignatureValid || !d.Expired {
		t.Errorf("after a day: signature %v, expired %v (%q)", d.SignatureValid, d.Expired, d.Lifetime)
	}
}

// The diagram of a VM that gets a token from IMDS and reads a blob with it:
// lanes from the caller to the token endpoint, Entra ID and the service;
// and the decision behind the blob read explained.
func TestSequenceFromSmallWorld(t *testing.T) {
	w, _, _ := smallWorld(t)
	cloud := azure.New(w)
	start := len(w.Events(0))
	c := cloud.Client("vm-web")
	req, _ := http.NewRequest("GET", "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://storage.azure.com/", nil)
	req.Header.Set("Metadata", "true")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		AccessToken string `json:"access_token"`
	}
	json.NewDecoder(res.Body).Decode(&body)
	res.Body.Close()
	if body.AccessToken == "" {
		t.Fatal("no token from IMDS")
	}
	for _, name := range []string{"hello.txt", "missing.txt"} {
		req, _ = http.NewRequestWithContext(context.Background(), "GET", "https://stdemo.blob.core.windows.net/docs/"+name, nil)
		req.Header.Set("Authorization", "Bearer "+body.AccessToken)
		req.Header.Set("x-ms-version", "2021-08-06")
		res, err = c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}

	var seq wire.SequenceVM
	cloud.Do(func(w *engine.World) { seq = BuildSequence(w.Events(start)) })
	var lanes []string
	for _, l := range seq.Lanes {
		lanes = append(lanes, l.Label+"/"+l.Kind)
	}
	if got, want := strings.Join(lanes, " "), "vm-web/caller IMDS/endpoint Entra ID/entra Blob storage/service"; got != want {
		t.Errorf("lanes = %q, want %q", got, want)
	}
	if len(seq.Exchanges) != 3 {
		t.Fatalf("%d exchanges, want 3", len(seq.Exchanges))
	}
	var arrows []string
	for _, m := range seq.Messages {
		arrows = append(arrows, seq.Lanes[m.From].Key+">"+seq.Lanes[m.To].Key)
	}
	if got, want := strings.Join(arrows, " "), "vm-web>IMDS IMDS>Entra ID Entra ID>IMDS IMDS>vm-web vm-web>Blob Blob>vm-web vm-web>Blob Blob>vm-web"; got != want {
		t.Errorf("arrows = %q, want %q", got, want)
	}
	if m := seq.Messages[0]; m.Label != "GET /metadata/identity/oauth2/token" || m.Reply {
		t.Errorf("first arrow = %+v", m)
	}
	read := seq.Exchanges[1]
	if read.Status != 200 || !strings.Contains(read.Request, "Authorization: Bearer ") || !strings.Contains(read.Response, "hello") {
		t.Errorf("blob read = %+v", read)
	}
	var d wire.DecisionVM
	var ok bool
	cloud.Do(func(w *engine.World) { d, ok = BuildDecision(w, read.DecisionSeq) })
	if !ok {
		t.Fatalf("no decision %d behind the blob read", read.DecisionSeq)
	}
	if !d.Allowed || d.Principal != "vm-web" || !d.DataAction || len(d.Considered) == 0 {
		t.Errorf("decision = %+v", d)
	}
	granting := 0
	for _, c := range d.Considered {
		if c.Grants {
			granting++
			if c.RoleName != "Storage Blob Data Reader" || c.OutcomeText == "" || c.Explanation == "" {
				t.Errorf("granting consideration = %+v", c)
			}
		}
	}
	if granting != 1 {
		t.Errorf("%d granting assignments, want 1: %+v", granting, d.Considered)
	}
}

func TestSequenceKeepsTheLastExchanges(t *testing.T) {
	var evs []engine.Event
	for i := 0; i < wire.MaxExchanges+5; i++ {
		e := &engine.RequestServed{Exchange: engine.Exchange{Caller: "workstation", Service: "ARM", Method: "GET", URL: "https://management.azure.com/subscriptions?api-version=2022-12-01", Status: 200, DecisionID: -1}}
		evs = append(evs, e)
	}
	seq := BuildSequence(evs)
	if seq.Omitted != 5 || len(seq.Exchanges) != wire.MaxExchanges || len(seq.Messages) != 2*wire.MaxExchanges {
		t.Errorf("omitted %d, %d exchanges, %d messages", seq.Omitted, len(seq.Exchanges), len(seq.Messages))
	}
	if seq.Lanes[0].Label != "Workstation ($)" || seq.Lanes[1].Label != "ARM" {
		t.Errorf("lanes = %+v", seq.Lanes)
	}
}

func TestRequestLabel(t *testing.T) {
	for in, want := range map[string]string{
		"https://management.azure.com/subscriptions?api-version=1":                                "GET /subscriptions",
		"http://169.254.169.254":                                                                  "GET /",
		"https://stdemo.blob.core.windows.net/docs/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u.txt": "GET …/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u.txt",
	} {
		if got := requestLabel("GET", in); got != want {
			t.Errorf("requestLabel(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTerminal(t *testing.T) {
	sc, err := scenarios.Parse("t.md", []byte("---\ntitle: T\nlevel: beginner\n---\n\nSay it.\n\n```console\n$ echo hi\nhi\nvm-x$ echo no\nyes\n```\n"))
	if err != nil {
		t.Fatal(err)
	}
	cmds := sc.Steps[0].Commands
	results := []*scenarios.StepResult{{Kind: scenarios.StepSetup, Step: sc.Steps[0], Results: []*scenarios.CommandResult{
		{Command: cmds[0], Host: "", Text: "echo hi", Output: "hi\n", Matched: true},
		{Command: cmds[1], Host: "vm-x", Text: "echo no", Output: "no\n", Matched: false, Diff: "-yes\n+no\n"},
	}}}
	term := BuildTerminal(results)
	if len(term) != 1 || len(term[0].Commands) != 2 {
		t.Fatalf("terminal = %+v", term)
	}
	a, b := term[0].Commands[0], term[0].Commands[1]
	if a.Prompt != "$" || !a.Matched || len(a.Chunks) != 1 || a.Chunks[0].Text != "hi\n" || a.Want != nil {
		t.Errorf("first = %+v", a)
	}
	if b.Prompt != "vm-x$" || b.Matched || strings.Join(b.Want, "|") != "yes" || b.Diff == "" {
		t.Errorf("second = %+v", b)
	}
}

func TestScopeLabel(t *testing.T) {
	w := engine.New(engine.Options{})
	w.CreateResourceGroup("rg-demo", "")
	st, _ := w.CreateStorageAccount(engine.ResourceSpec{Group: "rg-demo", Name: "stdemo"})
	sub := w.Subscription.Scope()
	tests := []struct{ scope, want string }{
		{sub, "subscription Contoso Playground"},
		{sub + "/resourceGroups/rg-demo", "resource group rg-demo"},
		{sub + "/resourcegroups/rg-demo/", "resource group rg-demo"},
		{st.ID, "stdemo (storage account)"},
		{st.ID + "/blobServices/default/containers/docs", "docs"},
		{"/", "root"},
	}
	for _, tt := range tests {
		if got := scopeLabel(w, tt.scope); got != tt.want {
			t.Errorf("scopeLabel(%q) = %q, want %q", tt.scope, got, tt.want)
		}
	}
}

// The wire package names the workstation without importing the engine.
func TestWorkstationName(t *testing.T) {
	if wire.Workstation != azure.Workstation {
		t.Errorf("wire.Workstation = %q, azure.Workstation = %q", wire.Workstation, azure.Workstation)
	}
}

// The wire package names the outcome the decision panel folds without
// importing the engine.
func TestOutcomeName(t *testing.T) {
	if wire.OutcomeOtherPrincipal != rbac.OtherPrincipal.String() {
		t.Errorf("wire.OutcomeOtherPrincipal = %q, rbac.OtherPrincipal = %q", wire.OutcomeOtherPrincipal, rbac.OtherPrincipal.String())
	}
}

// A decision carried with a state or an update leaves out the assignments
// to other principals past wire.MaxOthersInline; the decision method
// brings them all.
func TestFoldDecision(t *testing.T) {
	mk := func(others int) wire.DecisionVM {
		d := wire.DecisionVM{Seq: 9, Considered: []wire.ConsideredVM{{RoleName: "Owner", Outcome: "Grants"}}}
		for i := range others {
			d.Considered = append(d.Considered, wire.ConsideredVM{RoleName: fmt.Sprint("Reader ", i), Outcome: wire.OutcomeOtherPrincipal})
		}
		return d
	}
	if d := foldDecision(mk(wire.MaxOthersInline)); len(d.Considered) != wire.MaxOthersInline+1 || d.OthersFolded != 0 {
		t.Errorf("with %d others: %d listed, %d folded; want all listed", wire.MaxOthersInline, len(d.Considered), d.OthersFolded)
	}
	d := foldDecision(mk(wire.MaxOthersInline + 2))
	if len(d.Considered) != 1 || d.Considered[0].RoleName != "Owner" || d.OthersFolded != wire.MaxOthersInline+2 {
		t.Errorf("with %d others: %+v, %d folded; want the Owner row and the others folded", wire.MaxOthersInline+2, d.Considered, d.OthersFolded)
	}
}
