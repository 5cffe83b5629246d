//go:build !wasm

package app

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/miplay/miplay/app/wire"
)

func echoEntries(from, to int) []termEntry {
	var out []termEntry
	for i := from; i < to; i++ {
		out = append(out, termEntry{Cmd: wire.TermCommandVM{Prompt: "$", Text: fmt.Sprintf("echo %d", i), Chunks: []wire.Chunk{{Text: fmt.Sprintf("%d\n", i)}}, Matched: true}})
	}
	return out
}

// The scrollback keeps the last commands: past maxScrollback it drops the
// oldest in one go, down to keepScrollback, and counts what it dropped.
func TestScrollbackTrims(t *testing.T) {
	entries := echoEntries(0, 450)
	var s scrollback
	for n := 1; n <= len(entries); n++ {
		before := s.Entries
		s.add(entries[n-1:n], 0)
		if s.Trimmed+len(s.Entries) != n {
			t.Fatalf("after %d commands: %d shown + %d trimmed", n, len(s.Entries), s.Trimmed)
		}
		if len(s.Entries) > maxScrollback {
			t.Fatalf("after %d commands: %d shown, more than %d", n, len(s.Entries), maxScrollback)
		}
		if last := s.Entries[len(s.Entries)-1].Cmd.Text; last != entries[n-1].Cmd.Text {
			t.Fatalf("after %d commands, the last entry is %q", n, last)
		}
		trimmed := len(s.Entries) < len(before)+1
		// A trim happens exactly when the scrollback would pass its
		// maximum, and leaves keepScrollback entries.
		if trimmed != (len(before) == maxScrollback) || trimmed && len(s.Entries) != keepScrollback {
			t.Fatalf("after %d commands: %d entries, from %d", n, len(s.Entries), len(before))
		}
		// Without a trim, the entries shown before are the same values,
		// so go-app leaves their DOM alone.
		if !trimmed && len(before) > 0 && !reflect.DeepEqual(s.Entries[:len(before)], before) {
			t.Fatalf("after %d commands the earlier entries changed", n)
		}
	}
	if s.Trimmed != 303 || len(s.Entries) != 147 || s.Entries[0].Cmd.Text != "echo 303" {
		t.Errorf("after 450 commands one at a time: %d trimmed, %d shown from %q", s.Trimmed, len(s.Entries), s.Entries[0].Cmd.Text)
	}

	// Many at once, as after a replay: the engine sends only the last
	// keepScrollback and how many it skipped; the page counts them all.
	var r scrollback
	r.add(entries[350:], 350)
	if r.Trimmed != 350 || len(r.Entries) != keepScrollback || r.Entries[0].Cmd.Text != "echo 350" {
		t.Errorf("450 at once: %d trimmed, %d shown from %+v", r.Trimmed, len(r.Entries), r.Entries[0])
	}
	r.add(nil, 0) // nothing new
	if r.Trimmed != 350 || len(r.Entries) != keepScrollback {
		t.Errorf("an add with nothing new changed the scrollback: %d trimmed, %d shown", r.Trimmed, len(r.Entries))
	}
	// 250 at once on top of 150: the engine sends the last 100; the page
	// shows what it would have had all 250 come, after one trim.
	var f scrollback
	f.add(entries[:150], 0)
	f.add(entries[300:400], 150)
	if f.Trimmed != 300 || len(f.Entries) != keepScrollback || f.Entries[0].Cmd.Text != "echo 300" {
		t.Errorf("150, then 250 at once: %d trimmed, %d shown from %q", f.Trimmed, len(f.Entries), f.Entries[0].Cmd.Text)
	}
}

// The event log lists the last events, trimmed in one go like the
// scrollback, and counts them all.
func TestEventLinesTrim(t *testing.T) {
	var l eventLines
	line := func(seq int) eventLine {
		return eventLine{Seq: seq, At: "09:00:00", Summary: fmt.Sprintf("event %d", seq)}
	}
	for seq := 0; seq < 350; seq++ {
		before := l.Lines
		l.add(wire.EventsDelta{Lines: []eventLine{line(seq)}, Total: seq + 1})
		n := len(l.Lines)
		if l.Total != seq+1 || n > maxEventLines || l.Lines[n-1].Seq != seq {
			t.Fatalf("after %d events: %d lines, total %d, the last #%d", seq+1, n, l.Total, l.Lines[n-1].Seq)
		}
		if n != len(before)+1 && !(len(before) == maxEventLines && n == keepEventLines) {
			t.Fatalf("after %d events: %d lines, from %d", seq+1, n, len(before))
		}
		if n == len(before)+1 && len(before) > 0 && !reflect.DeepEqual(l.Lines[:len(before)], before) {
			t.Fatalf("after %d events the earlier lines changed", seq+1)
		}
		for j := 1; j < n; j++ {
			if l.Lines[j].Seq != l.Lines[j-1].Seq+1 {
				t.Fatalf("lines not in a row: #%d then #%d", l.Lines[j-1].Seq, l.Lines[j].Seq)
			}
		}
	}
	// Many events at once: the engine sends the last keepEventLines, and
	// the page drops the lines it had.
	var many []eventLine
	for seq := 750; seq < 850; seq++ {
		many = append(many, line(seq))
	}
	l.add(wire.EventsDelta{Lines: many, Reset: true, Total: 850})
	if len(l.Lines) != keepEventLines || l.Lines[0].Seq != 750 || l.Total != 850 {
		t.Errorf("after 500 events at once: %d lines from #%d, total %d", len(l.Lines), l.Lines[0].Seq, l.Total)
	}
}

// A command that only reads the world leaves the panels' lists as they
// were, the same slices; one that changes it shows the change. A token or
// an exchange the learner picks shows its detail when the engine answers.
func TestPanelsReuseWhatDidNotChange(t *testing.T) {
	h := mountSandbox(t)
	h.enter(t, "az group create -n rg-r -l westeurope -o none")
	h.enter(t, "az identity create -g rg-r -n id-one -o none")
	first := h.panels.World
	h.enter(t, "az identity list -g rg-r --query [].name -o tsv")
	read := h.panels
	if len(first.Resources) != 1 || len(read.World.Resources) != 1 || &first.Resources[0] != &read.World.Resources[0] ||
		&first.Principals[0] != &read.World.Principals[0] {
		t.Errorf("a read made new lists: %d resources, then %d", len(first.Resources), len(read.World.Resources))
	}
	if len(read.Seq.Exchanges) == 0 || read.selExchange < 0 {
		t.Errorf("the read's requests are not shown: %d exchanges, %d selected", len(read.Seq.Exchanges), read.selExchange)
	}
	h.enter(t, "az identity create -g rg-r -n id-two -o none")
	changed := h.panels.World
	if len(changed.Resources) != 2 || changed.Resources[1].Name != "id-two" || len(changed.Principals) != 2 {
		t.Errorf("after a change: resources %+v", changed.Resources)
	}
	if &changed.Resources[0] == &read.World.Resources[0] {
		t.Errorf("the changed list is the old slice")
	}
	if got := countClass(h, "item resource"); got != 2 {
		t.Errorf("the page lists %d resources, want 2", got)
	}

	// Tokens: the newest is shown with each command; another on a click.
	h.enter(t, "az vm create -g rg-r -n vm-r --image Ubuntu2204 --assign-identity --generate-ssh-keys -o none --only-show-errors")
	const imds = `curl -s -H Metadata:true "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=%s"`
	h.enterOn(t, "vm-r", fmt.Sprintf(imds, "https://management.azure.com/"))
	h.enterOn(t, "vm-r", fmt.Sprintf(imds, "https://storage.azure.com/"))
	tokens := h.panels.World.Tokens
	last := len(tokens) - 1
	if last < 1 || h.panels.selToken != tokens[last].ID || h.panels.tokenDetail == nil || h.panels.tokenDetail.ID != tokens[last].ID || tokens[last].Audience != "https://storage.azure.com/" {
		t.Fatalf("after two tokens from IMDS: %d listed, %q selected", len(tokens), h.panels.selToken)
	}
	h.panels.showToken(h.ctx, tokens[last-1].ID)
	h.e.ConsumeAll()
	if h.panels.selToken != tokens[last-1].ID || h.panels.tokenDetail == nil || h.panels.tokenDetail.ID != tokens[last-1].ID {
		t.Errorf("after a click on the token before: %q selected, detail %v", h.panels.selToken, h.panels.tokenDetail != nil)
	}
	// A command that issues none keeps the token picked, and its detail.
	detail := h.panels.tokenDetail
	h.enter(t, "echo hi")
	if h.panels.selToken != tokens[last-1].ID || h.panels.tokenDetail != detail {
		t.Errorf("after echo: %q selected, the same detail: %v", h.panels.selToken, h.panels.tokenDetail == detail)
	}

	// Exchanges: the one RBAC checked comes with its decision; another's
	// decision, or why it has none, on a click.
	h.enter(t, "az group show -n rg-r --query name -o tsv")
	ps := &h.panels
	if ps.selExchange < 0 || ps.decision == nil || ps.decision.Seq != ps.Seq.Exchanges[ps.selExchange].DecisionSeq {
		t.Fatalf("after az group show: exchange %d, decision %+v", ps.selExchange, ps.decision)
	}
	checked, sel := *ps.decision, *ps.selectedExchange()
	if sel.Request == "" || sel.Response == "" {
		t.Errorf("the selected exchange came without its raw text")
	}
	for i := range ps.Seq.Exchanges {
		ps.selectExchange(h.ctx, i)
		h.e.ConsumeAll()
		x := ps.selectedExchange()
		if ps.selExchange != i || x == nil || x.Request == "" || x.Response == "" || (ps.decision == nil) == (x.DecisionSeq >= 0) || (x.DecisionSeq < 0) != (ps.decisionNote != "") {
			t.Errorf("exchange %d picked: %d selected, %+v, decision %v, note %q", i, ps.selExchange, x, ps.decision != nil, ps.decisionNote)
		}
	}
	ps.selectExchange(h.ctx, indexOf(ps.Seq.Exchanges, sel.Seq))
	h.e.ConsumeAll()
	if ps.decision == nil || !reflect.DeepEqual(*ps.decision, checked) || !reflect.DeepEqual(*ps.selectedExchange(), sel) {
		t.Errorf("the checked exchange picked again: decision %+v, want %+v", ps.decision, checked)
	}
	// A pick whose answer comes after the next command is dropped.
	ps.selectExchange(h.ctx, 0)
	h.run(h.ctx, "", "echo later")
	h.e.ConsumeAll()
	if ps.selExchange != -1 || ps.raw != nil {
		t.Errorf("after echo, exchange %d is selected", ps.selExchange)
	}
	html := app.HTMLString(h)
	for _, want := range []string{"Why allowed", `id="event-log"`} {
		if !strings.Contains(html, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}

func indexOf(xs []wire.ExchangeVM, seq int) int {
	for i, x := range xs {
		if x.Seq == seq {
			return i
		}
	}
	return -1
}

// In the page, the terminal shows the last commands and says how many it
// no longer shows; the sandbox still has them all, for its history, its
// share link and its download.
func TestSandboxTrimsScrollback(t *testing.T) {
	h := mountSandbox(t)
	const n = maxScrollback + 5
	for i := 1; i <= n; i++ {
		h.enter(t, fmt.Sprintf("echo %d", i))
	}
	html := app.HTMLString(h)
	if got := countClass(h, "term-cmd"); got != n-maxScrollback-1+keepScrollback {
		t.Errorf("%d commands in the terminal's DOM, want %d", got, n-maxScrollback-1+keepScrollback)
	}
	for _, want := range []string{
		fmt.Sprintf(`data-commands="%d"`, n),
		fmt.Sprintf("%d earlier commands not shown: the terminal keeps the last %d to %d.", maxScrollback+1-keepScrollback, keepScrollback, maxScrollback),
		fmt.Sprintf("echo %d", n),
	} {
		if !strings.Contains(html, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(html, ">echo 1<") {
		t.Errorf("the first command is still in the terminal")
	}
	if got := len(h.cmds); got != n {
		t.Errorf("the sandbox has %d commands, want %d", got, n)
	}
	if len(h.history) != n || h.history[0] != "echo 1" {
		t.Errorf("the prompt's history has %d lines from %q", len(h.history), h.history[0])
	}
	src, err := historyScenario(context.Background(), wire.ScenarioFromHistoryRequest{Session: h.session, Source: wire.HistorySource{Title: "Trimmed"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(string(src), "\n$ echo "); got != n {
		t.Errorf("the downloaded file has %d commands, want %d", got, n)
	}
	runGenerated(t, src)
}

// A decision folds the assignments of other principals past a few, and
// lists them when asked.
func TestDecisionFoldsOtherPrincipals(t *testing.T) {
	decision := func(others int) *wire.DecisionVM {
		d := &wire.DecisionVM{Allowed: true, Reason: "Allowed."}
		d.Considered = append(d.Considered, wire.ConsideredVM{RoleName: "Reader", Outcome: "ScopeDoesNotApply"})
		for i := 0; i < others; i++ {
			d.Considered = append(d.Considered, wire.ConsideredVM{RoleName: fmt.Sprintf("Other %d", i), Outcome: "OtherPrincipal"})
		}
		d.Considered = append(d.Considered, wire.ConsideredVM{RoleName: "Storage Blob Data Reader", Outcome: "Grants", Grants: true})
		return d
	}
	render := func(ui app.UI) string {
		e := app.NewTestEngine()
		if err := e.Load(ui.(app.Composer)); err != nil {
			t.Fatal(err)
		}
		e.ConsumeAll()
		return app.HTMLString(ui)
	}
	inline := render(&decisionPanel{VM: decision(maxOthersInline)})
	if n := strings.Count(inline, `considered__row`); n != maxOthersInline+2 || strings.Contains(inline, "considered__fold") {
		t.Errorf("with %d other principals: %d rows, fold %v", maxOthersInline, n, strings.Contains(inline, "considered__fold"))
	}
	folded := render(&decisionPanel{VM: decision(maxOthersInline + 1)})
	if n := strings.Count(folded, `considered__row`); n != 2 || !strings.Contains(folded, fmt.Sprintf("Show the %d assignments to other principals", maxOthersInline+1)) ||
		!strings.Contains(folded, "is-granting") {
		t.Errorf("with %d other principals: %d rows listed, the page:\n%s", maxOthersInline+1, n, folded)
	}
	// A decision that came without the other principals' assignments
	// (folded by the engine) shows the fold alone, closed.
	sent := decision(0)
	sent.OthersFolded = 9
	if page := render(&decisionPanel{VM: sent}); strings.Count(page, `considered__row`) != 2 || !strings.Contains(page, "Show the 9 assignments to other principals") {
		t.Errorf("folded by the engine: the page:\n%s", page)
	}
	open := render(&otherPrincipalRows{Rows: decision(7).Considered[1:8], Count: 7, open: true})
	if n := strings.Count(open, `considered__row`); n != 7 || !strings.Contains(open, "Hide the 7 assignments") || !regexp.MustCompile(`aria-expanded[ >]`).MatchString(open) {
		t.Errorf("opened: %d rows, the page:\n%s", n, open)
	}
}

// The lists beside the terminal show their last items past maxListed, in
// a window that moves listStep items at a time, and all of them on a
// click.
func TestSideListsFold(t *testing.T) {
	for n, from := range map[int]int{1: 0, maxListed: 0, maxListed + 1: listStep, 3*listStep - 1: listStep, 3 * listStep: 2 * listStep, 101: 75} {
		if got := listedFrom(n); got != from {
			t.Errorf("listedFrom(%d) = %d, want %d", n, got, from)
		}
		if shown := n - listedFrom(n); n > maxListed && (shown < listStep || shown >= maxListed) {
			t.Errorf("a list of %d shows %d", n, shown)
		}
	}
	resources := func(n int) []wire.ResourceVM {
		var out []wire.ResourceVM
		for i := 1; i <= n; i++ {
			out = append(out, wire.ResourceVM{Name: fmt.Sprintf("id-%03d", i), TypeLabel: "user-assigned identity"})
		}
		return out
	}
	render := func(p *resourcesPanel) string {
		e := app.NewTestEngine()
		if err := e.Load(p); err != nil {
			t.Fatal(err)
		}
		e.ConsumeAll()
		return app.HTMLString(p)
	}
	whole := render(&resourcesPanel{VM: resources(maxListed)})
	if n := strings.Count(whole, `class="item resource"`); n != maxListed || strings.Contains(whole, "list-fold") {
		t.Errorf("%d resources: %d listed, folded: %v", maxListed, n, strings.Contains(whole, "list-fold"))
	}
	folded := render(&resourcesPanel{VM: resources(101)})
	if n := strings.Count(folded, `class="item resource"`); n != 26 || !strings.Contains(folded, "The last 26 of 101 resources.") ||
		!strings.Contains(folded, "Show all 101") || !strings.Contains(folded, `data-name="id-101"`) || strings.Contains(folded, `data-name="id-075"`) {
		t.Errorf("101 resources, folded: %d listed; the page:\n%s", n, folded)
	}
	all := render(&resourcesPanel{VM: resources(101), all: true})
	if n := strings.Count(all, `class="item resource"`); n != 101 || !strings.Contains(all, "All 101 resources.") {
		t.Errorf("101 resources, all: %d listed", n)
	}
}
