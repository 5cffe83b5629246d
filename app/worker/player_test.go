package worker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miplay/miplay/app/wire"
	"github.com/miplay/miplay/scenarios"
)

// playSlug is the library scenario the player's tests play: a VM gets a
// token from IMDS and reads a blob with it, so its steps issue tokens and
// make requests that RBAC checks.
const playSlug = "03-read-a-blob-with-imds"

// playLibrary parses playSlug as the engine does.
func playLibrary(t *testing.T) *scenarios.Scenario {
	t.Helper()
	src, err := fs.ReadFile(scenarios.Library, playSlug+".md")
	if err != nil {
		t.Fatal(err)
	}
	s, err := scenarios.Parse(playSlug+".md", src)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// countWorlds makes every player session count the worlds it makes (one
// per start, reset or replay), until the test ends.
func countWorlds(t *testing.T) *atomic.Int32 {
	t.Helper()
	var n atomic.Int32
	old := playOptions
	playOptions.NewRunner = func(fm scenarios.FrontMatter) (scenarios.Runner, error) {
		n.Add(1)
		return scenarios.NewRunner(fm)
	}
	t.Cleanup(func() { playOptions = old })
	return &n
}

// setPrepareDelay sets prepareDelay until the test ends.
func setPrepareDelay(t *testing.T, d time.Duration) {
	t.Helper()
	old := prepareDelay
	prepareDelay = d
	t.Cleanup(func() { prepareDelay = old })
}

// newPlayHost returns a Host whose player sessions stop preparing when
// the test ends, so that no preparation outlives its test.
func newPlayHost(t testing.TB) *Host {
	t.Helper()
	h := NewHost()
	t.Cleanup(func() {
		h.mu.Lock()
		var open []*playSession
		for _, s := range h.sessions {
			if s, ok := s.(*playSession); ok {
				open = append(open, s)
			}
		}
		h.mu.Unlock()
		for _, s := range open {
			s.mu.Lock()
			s.stopPreparing()
			s.mu.Unlock()
		}
	})
	return h
}

// preparation returns the session's preparation under way.
func preparing(t *testing.T, h *Host, id int) *preparation {
	t.Helper()
	s, err := session[*playSession](h, id)
	if err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.prep == nil {
		t.Fatal("no step back is being prepared")
	}
	return s.prep
}

func play[Resp, Req any](t *testing.T, h *Host, method string, req Req) Resp {
	t.Helper()
	resp, err := wire.Call[Resp](context.Background(), h, method, req)
	if err != nil {
		t.Fatalf("%s: %v", method, err)
	}
	return resp
}

func openPlay(t *testing.T, h *Host, step int) wire.PlayOpenResponse {
	t.Helper()
	return play[wire.PlayOpenResponse](t, h, wire.MethodPlayOpen, wire.PlayOpenRequest{Slug: playSlug, Step: step})
}

// freshState returns the state of a new player session replayed to step,
// its preparation stopped: nothing of it runs on when it returns.
func freshState(t *testing.T, step int) wire.PlayState {
	t.Helper()
	h := NewHost()
	open := openPlay(t, h, step)
	s, err := session[*playSession](h, open.Session)
	if err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	s.stopPreparing()
	s.mu.Unlock()
	return open.State
}

// waitPrepared waits until the session's step back is prepared.
func waitPrepared(t *testing.T, h *Host, id int) {
	t.Helper()
	select {
	case <-preparing(t, h, id).done:
	case <-time.After(30 * time.Second):
		t.Fatal("the step back is still being prepared after 30s")
	}
}

// The player runs a scenario of the library step by step to its end, and
// each state says what ran, what the world holds, and what the page
// selects, with its details.
func TestPlayStepsToTheEnd(t *testing.T) {
	sc := playLibrary(t)
	h := newPlayHost(t)
	open := openPlay(t, h, 0)
	st := open.State
	if st.Next != 0 || st.Total != len(sc.Steps) || st.Done || len(st.Term) != 0 || st.SeqStep != -1 || st.Exchange != -1 || st.Token != "" {
		t.Fatalf("opened = %+v, want step 0 of %d, nothing run or selected", st, len(sc.Steps))
	}
	if st.World.Clock.Start.IsZero() {
		t.Error("the opened state has no world")
	}
	commands, sawToken, sawDecision := 0, false, false
	for i := range sc.Steps {
		st = play[wire.PlayState](t, h, wire.MethodPlayStep, wire.PlayRequest{Session: open.Session, Selected: st.Token})
		commands += len(sc.Steps[i].Commands)
		if st.Err != "" {
			t.Fatalf("step %d: %s", i+1, st.Err)
		}
		if st.Next != i+1 || st.SeqStep != i || st.Done != (i == len(sc.Steps)-1) {
			t.Errorf("after step %d: Next %d, SeqStep %d, Done %v", i+1, st.Next, st.SeqStep, st.Done)
		}
		if st.Commands != commands || st.Mismatches != 0 || len(st.Term) != i+1 {
			t.Errorf("after step %d: %d commands, %d mismatches, %d terminal steps; want %d, 0, %d", i+1, st.Commands, st.Mismatches, len(st.Term), commands, i+1)
		}
		if n := len(st.StepTokens); n > 0 {
			sawToken = true
			if want := st.StepTokens[n-1]; st.Token != want {
				t.Errorf("after step %d: token %q selected, want the step's last, %q", i+1, st.Token, want)
			}
		}
		if st.Token != "" && (st.TokenDetail == nil || st.TokenDetail.ID != st.Token || !st.TokenDetail.SignatureValid) {
			t.Errorf("after step %d: token %q selected, detail %+v", i+1, st.Token, st.TokenDetail)
		}
		if want := playExchange(st.Seq); st.Exchange != want {
			t.Errorf("after step %d: exchange %d selected, want %d", i+1, st.Exchange, want)
		}
		if st.Exchange >= 0 {
			x := st.Seq.Exchanges[st.Exchange]
			switch {
			case x.DecisionSeq >= 0 && (st.Decision == nil || st.Decision.Seq != x.DecisionSeq):
				t.Errorf("after step %d: exchange %d checked at event %d, decision %+v", i+1, st.Exchange, x.DecisionSeq, st.Decision)
			case x.DecisionSeq < 0 && st.Decision != nil:
				t.Errorf("after step %d: a decision for an exchange that RBAC did not check", i+1)
			}
			sawDecision = sawDecision || st.Decision != nil
		}
	}
	if !sawToken || !sawDecision {
		t.Errorf("%s: a step issued a token: %v; a decision was selected: %v; want both", playSlug, sawToken, sawDecision)
	}
	// The panels' details read the session's world.
	tok := play[wire.TokenResponse](t, h, wire.MethodToken, wire.TokenRequest{Session: open.Session, ID: st.World.Tokens[0].ID})
	if !tok.Found || tok.Detail.ID != st.World.Tokens[0].ID {
		t.Errorf("token of the player's world = %+v", tok)
	}
	st = play[wire.PlayState](t, h, wire.MethodPlayStep, wire.PlayRequest{Session: open.Session})
	if st.Err == "" || st.Next != len(sc.Steps) {
		t.Errorf("a step past the end = Next %d, Err %q; want an error and the state unchanged", st.Next, st.Err)
	}
}

// comparable returns a state as JSON without what depends on how the page
// got there (the selection), to compare the worlds and terminals of two
// states.
func comparable(t *testing.T, st wire.PlayState) string {
	t.Helper()
	st.Token, st.TokenDetail, st.Exchange, st.Decision = "", nil, 0, nil
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A step back swaps in the world prepared after the last operation, and
// leaves the state a fresh player replayed to that step has; a step back
// before the preparation ends waits for it rather than replaying again.
func TestPlayBackSwapsThePreparedWorld(t *testing.T) {
	sc := playLibrary(t)
	worlds := countWorlds(t)
	setPrepareDelay(t, prepareDelay)
	h := newPlayHost(t)
	last := len(sc.Steps)
	open := openPlay(t, h, last)
	if open.State.Next != last || !open.State.Done {
		t.Fatalf("opened at step %d: Next %d, Done %v", last, open.State.Next, open.State.Done)
	}
	want := comparable(t, freshState(t, last-1))
	waitPrepared(t, h, open.Session)

	// The first step back swaps the prepared world in, and starts to
	// prepare the next; the second comes as soon as that preparation
	// replays, and waits for it rather than replaying too. So the two make
	// one world between them, the preparation's.
	before := worlds.Load()
	back := play[wire.PlayState](t, h, wire.MethodPlayBack, wire.PlayRequest{Session: open.Session})
	<-preparing(t, h, open.Session).started
	prepareDelay = time.Hour // the second's own preparation makes no world during the count
	back2 := play[wire.PlayState](t, h, wire.MethodPlayBack, wire.PlayRequest{Session: open.Session})
	if got := worlds.Load() - before; got != 1 {
		t.Errorf("two steps back, prepared, made %d worlds, want 1 (the second's preparation)", got)
	}
	if got := comparable(t, back); got != want {
		t.Errorf("after a step back:\n%s\nwant, as a fresh player at step %d:\n%s", got, last-1, want)
	}
	if back.SeqStep != last-2 || back.Next != last-1 {
		t.Errorf("after a step back: Next %d, SeqStep %d", back.Next, back.SeqStep)
	}
	if got, want := comparable(t, back2), comparable(t, freshState(t, last-2)); got != want {
		t.Errorf("after two steps back:\n%s\nwant:\n%s", got, want)
	}
}

// Without a prepared world, a step back replays, to the same state.
func TestPlayBackReplaysWhenNothingIsPrepared(t *testing.T) {
	worlds := countWorlds(t)
	setPrepareDelay(t, time.Hour)
	h := newPlayHost(t)
	want := comparable(t, freshState(t, 1))
	open := openPlay(t, h, 2)
	before := worlds.Load()
	back := play[wire.PlayState](t, h, wire.MethodPlayBack, wire.PlayRequest{Session: open.Session})
	if got := worlds.Load() - before; got != 1 {
		t.Errorf("an unprepared step back made %d worlds, want 1 (a replay)", got)
	}
	if got := comparable(t, back); got != want {
		t.Errorf("after a step back:\n%s\nwant:\n%s", got, want)
	}
}

// An operation that comes while a step back is being prepared stops that
// preparation and runs on the player as it is: the state is right, and the
// next step back is prepared for where the player then is.
func TestPlayOperationsDuringAPreparation(t *testing.T) {
	sc := playLibrary(t)
	worlds := countWorlds(t)
	setPrepareDelay(t, 0)
	h := newPlayHost(t)
	open := openPlay(t, h, 0)
	id := open.Session
	var st wire.PlayState
	for range 3 {
		st = play[wire.PlayState](t, h, wire.MethodPlayStep, wire.PlayRequest{Session: id})
	}
	if st.Next != 3 {
		t.Fatalf("after three quick steps: Next %d", st.Next)
	}
	if got, want := comparable(t, st), comparable(t, freshState(t, 3)); got != want {
		t.Errorf("after three quick steps:\n%s\nwant:\n%s", got, want)
	}
	waitPrepared(t, h, id)
	prepareDelay = time.Hour // the step back's own preparation makes no world during the count
	before := worlds.Load()
	back := play[wire.PlayState](t, h, wire.MethodPlayBack, wire.PlayRequest{Session: id})
	if got := worlds.Load() - before; got != 0 {
		t.Errorf("the step back after quick steps made %d worlds, want 0", got)
	}
	if back.Next != 2 {
		t.Errorf("after a step back: Next %d", back.Next)
	}

	// Restart, then run all: the start of the scenario, then its end.
	st = play[wire.PlayState](t, h, wire.MethodPlayRestart, wire.PlayRequest{Session: id})
	if st.Next != 0 || len(st.Term) != 0 || st.SeqStep != -1 || len(st.World.Tokens) != 0 {
		t.Errorf("after a restart: Next %d, %d terminal steps, SeqStep %d, %d tokens", st.Next, len(st.Term), st.SeqStep, len(st.World.Tokens))
	}
	st = play[wire.PlayState](t, h, wire.MethodPlayRunAll, wire.PlayRequest{Session: id})
	if !st.Done || st.Next != len(sc.Steps) || st.Mismatches != 0 || st.SeqStep != len(sc.Steps)-1 {
		t.Errorf("after run all: Next %d, Done %v, %d mismatches, SeqStep %d", st.Next, st.Done, st.Mismatches, st.SeqStep)
	}
}

// Goto takes the player back or forward to a step, as a resume does.
func TestPlayGoto(t *testing.T) {
	h := newPlayHost(t)
	open := openPlay(t, h, 4)
	for _, step := range []int{1, 3, 0, 99, -1} {
		st := play[wire.PlayState](t, h, wire.MethodPlayGoto, wire.PlayGotoRequest{Session: open.Session, Step: step})
		want := freshState(t, max(step, 0))
		if got, want := comparable(t, st), comparable(t, want); got != want {
			t.Errorf("goto %d:\n%s\nwant:\n%s", step, got, want)
		}
	}
}

// The selection after an operation follows the page's rules: after a step
// forward the step's last token, else the one the page showed if the world
// still has it, else the last issued.
func TestPlaySelection(t *testing.T) {
	tokens := func(ids ...string) wire.WorldView {
		var v wire.WorldView
		for _, id := range ids {
			v.Tokens = append(v.Tokens, wire.TokenRowVM{ID: id})
		}
		return v
	}
	for _, tc := range []struct {
		st       wire.PlayState
		forward  bool
		selected string
		want     string
	}{
		{wire.PlayState{}, true, "", ""},
		{wire.PlayState{World: tokens("a", "b")}, true, "", "b"},
		{wire.PlayState{World: tokens("a", "b", "c"), StepTokens: []string{"b", "c"}}, true, "a", "c"},
		{wire.PlayState{World: tokens("a", "b", "c"), StepTokens: []string{"b", "c"}}, false, "a", "a"},
		{wire.PlayState{World: tokens("a", "b"), StepTokens: nil}, true, "a", "a"},
		{wire.PlayState{World: tokens("a", "b")}, false, "gone", "b"},
		{wire.PlayState{}, false, "gone", ""},
	} {
		if got := playToken(&tc.st, tc.forward, tc.selected); got != tc.want {
			t.Errorf("playToken(tokens %v, step %v, forward %v, selected %q) = %q, want %q", tc.st.World.Tokens, tc.st.StepTokens, tc.forward, tc.selected, got, tc.want)
		}
	}
	x := func(decisions ...int) wire.SequenceVM {
		var s wire.SequenceVM
		for _, d := range decisions {
			s.Exchanges = append(s.Exchanges, wire.ExchangeVM{DecisionSeq: d})
		}
		return s
	}
	for _, tc := range []struct {
		seq  wire.SequenceVM
		want int
	}{
		{x(), -1},
		{x(-1), 0},
		{x(-1, -1, -1), 2},
		{x(-1, 7, -1), 1},
		{x(3, 7, -1), 1},
	} {
		if got := playExchange(tc.seq); got != tc.want {
			t.Errorf("playExchange(%v) = %d, want %d", tc.seq.Exchanges, got, tc.want)
		}
	}
}

// An uploaded file opens by its name and source; a file that does not
// parse, or a slug the library does not have, fails the open.
func TestPlayOpenUploadAndErrors(t *testing.T) {
	h := newPlayHost(t)
	src := "---\ntitle: Mine\nlevel: beginner\n---\n\n# Mine\n\nWho am I?\n\n```console\n$ az account show --query user.name -o tsv\n...\n```\n"
	open := play[wire.PlayOpenResponse](t, h, wire.MethodPlayOpen, wire.PlayOpenRequest{Name: "mine.md", Source: src, Step: 1})
	if st := open.State; st.Next != 1 || !st.Done || st.Total != 1 || st.Commands != 1 || st.Mismatches != 0 || st.Err != "" {
		t.Errorf("the upload opened at step 1 = %+v", st)
	}
	for _, req := range []wire.PlayOpenRequest{
		{Slug: "no-such-scenario"},
		{Slug: "../go.mod"},
		{Slug: ""},
		{Name: "bad.md", Source: "no front matter"},
	} {
		_, err := wire.Call[wire.PlayOpenResponse](context.Background(), h, wire.MethodPlayOpen, req)
		if err == nil {
			t.Errorf("open %+v: no error", req)
		}
	}
	_, err := wire.Call[wire.PlayOpenResponse](context.Background(), h, wire.MethodPlayOpen, wire.PlayOpenRequest{Name: "bad.md", Source: "---\ntitle: x\nlevel: nope\n---\n"})
	var we *wire.Error
	if !errors.As(err, &we) || len(we.Problems) == 0 {
		t.Errorf("open of a file that does not parse: err = %v, want its problems", err)
	}
}

// A replay that fails leaves the session open where it stopped, and says
// why; a closed session is gone.
func TestPlayFailuresAndClose(t *testing.T) {
	h := newPlayHost(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	open, err := wire.Call[wire.PlayOpenResponse](ctx, h, wire.MethodPlayOpen, wire.PlayOpenRequest{Slug: playSlug, Step: 3})
	if err != nil {
		t.Fatal(err)
	}
	if st := open.State; st.Err == "" || st.Next >= 3 {
		t.Errorf("a cancelled replay = Next %d, Err %q; want it stopped with an error", st.Next, st.Err)
	}
	st := play[wire.PlayState](t, h, wire.MethodPlayStep, wire.PlayRequest{Session: open.Session})
	if st.Err != "" || st.Next != open.State.Next+1 {
		t.Errorf("a step after the failed replay = Next %d, Err %q", st.Next, st.Err)
	}
	play[struct{}](t, h, wire.MethodClose, wire.CloseRequest{Session: open.Session})
	for _, method := range []string{wire.MethodPlayStep, wire.MethodPlayBack, wire.MethodToken} {
		_, err := wire.Call[json.RawMessage](context.Background(), h, method, wire.PlayRequest{Session: open.Session})
		if !wire.IsCode(err, wire.CodeNoSession) {
			t.Errorf("%s on a closed session: err = %v, want %s", method, err, wire.CodeNoSession)
		}
	}
}

// The answer to an operation leaves out the terminal steps the page says
// it holds: what it holds and what comes together are the whole terminal.
func TestPlayTerminalFrom(t *testing.T) {
	sc := playLibrary(t)
	h := newPlayHost(t)
	open := openPlay(t, h, 0)
	var term []wire.TermStepVM
	for i := range sc.Steps {
		st := play[wire.PlayState](t, h, wire.MethodPlayStep, wire.PlayRequest{Session: open.Session, Terminal: len(term)})
		if st.TermFrom != i || len(st.Term) != 1 {
			t.Fatalf("step %d with %d terminal steps held: TermFrom %d, %d steps sent; want %d and 1", i+1, len(term), st.TermFrom, len(st.Term), i)
		}
		term = append(term[:st.TermFrom:st.TermFrom], st.Term...)
	}
	full := freshState(t, len(sc.Steps)).Term
	got, _ := json.Marshal(term)
	want, _ := json.Marshal(full)
	if string(got) != string(want) {
		t.Errorf("the terminal put together:\n%s\nwant:\n%s", got, want)
	}
	st := play[wire.PlayState](t, h, wire.MethodPlayBack, wire.PlayRequest{Session: open.Session, Terminal: len(term)})
	if st.TermFrom != len(sc.Steps)-1 || len(st.Term) != 0 {
		t.Errorf("a step back with the whole terminal held: TermFrom %d, %d steps sent; want %d and none", st.TermFrom, len(st.Term), len(sc.Steps)-1)
	}
	st = play[wire.PlayState](t, h, wire.MethodPlayRestart, wire.PlayRequest{Session: open.Session, Terminal: len(term) - 1})
	if st.TermFrom != 0 || len(st.Term) != 0 || st.Commands != 0 {
		t.Errorf("a restart: TermFrom %d, %d steps sent, %d commands; want an empty terminal", st.TermFrom, len(st.Term), st.Commands)
	}
	st = play[wire.PlayState](t, h, wire.MethodPlayGoto, wire.PlayGotoRequest{Session: open.Session, Step: 2, Terminal: 5})
	if st.TermFrom != 2 || len(st.Term) != 0 || st.Commands != len(sc.Steps[0].Commands)+len(sc.Steps[1].Commands) {
		t.Errorf("goto 2 with 5 steps held: TermFrom %d, %d steps sent, %d commands", st.TermFrom, len(st.Term), st.Commands)
	}
}

// A state carries the raw request and response of its selected exchange
// only; the exchange method brings any exchange's, with its decision.
func TestPlayExchange(t *testing.T) {
	sc := playLibrary(t)
	h := newPlayHost(t)
	open := openPlay(t, h, 0)
	checked := 0
	for range sc.Steps {
		st := play[wire.PlayState](t, h, wire.MethodPlayStep, wire.PlayRequest{Session: open.Session})
		for i, x := range st.Seq.Exchanges {
			if (x.Request != "") != (i == st.Exchange) {
				t.Errorf("step %d, exchange %d of %d (selected %d): request %q", st.Next, i, len(st.Seq.Exchanges), st.Exchange, x.Request)
			}
			got := play[wire.ExchangeResponse](t, h, wire.MethodExchange, wire.ExchangeRequest{Session: open.Session, Seq: x.Seq, DecisionSeq: x.DecisionSeq})
			if !got.Found || !strings.Contains(got.Request, " HTTP/1.1") || !strings.HasPrefix(got.Response, "HTTP/1.1 ") {
				t.Errorf("step %d, exchange %d: %+v", st.Next, i, got)
				continue
			}
			if i == st.Exchange && (got.Request != x.Request || got.Response != x.Response) {
				t.Errorf("step %d, the selected exchange: the exchange method brings another request than the state's", st.Next)
			}
			if (got.Decision != nil) != (x.DecisionSeq >= 0) || got.Decision != nil && got.Decision.Seq != x.DecisionSeq {
				t.Errorf("step %d, exchange %d checked at %d: decision %+v", st.Next, i, x.DecisionSeq, got.Decision)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatalf("%s made no request", playSlug)
	}
	for _, req := range []wire.ExchangeRequest{{Session: open.Session, Seq: -1}, {Session: open.Session, Seq: 1, DecisionSeq: -1}, {Session: open.Session, Seq: 1 << 30}} {
		if got := play[wire.ExchangeResponse](t, h, wire.MethodExchange, req); got.Found {
			t.Errorf("exchange at %d: %+v, want none", req.Seq, got)
		}
	}
}

// BenchmarkPlayBack times a step back from the end of the library's
// longest scenario, prepared or not.
func BenchmarkPlayBack(b *testing.B) {
	list, err := scenarios.ParseFS(scenarios.Library)
	if err != nil {
		b.Fatal(err)
	}
	long := list[0]
	for _, s := range list {
		if len(s.Steps) > len(long.Steps) {
			long = s
		}
	}
	ctx := context.Background()
	for _, prepared := range []bool{true, false} {
		b.Run(fmt.Sprintf("prepared=%v", prepared), func(b *testing.B) {
			old := prepareDelay
			defer func() { prepareDelay = old }()
			if !prepared {
				prepareDelay = time.Hour
			}
			h := newPlayHost(b)
			open, err := wire.Call[wire.PlayOpenResponse](ctx, h, wire.MethodPlayOpen, wire.PlayOpenRequest{Name: long.Name, Source: string(long.Source()), Step: len(long.Steps)})
			if err != nil {
				b.Fatal(err)
			}
			s, _ := session[*playSession](h, open.Session)
			for b.Loop() {
				b.StopTimer()
				if prepared {
					s.mu.Lock()
					prep := s.prep
					s.mu.Unlock()
					<-prep.done
				}
				b.StartTimer()
				if _, err := wire.Call[wire.PlayState](ctx, h, wire.MethodPlayBack, wire.PlayRequest{Session: open.Session}); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if _, err := wire.Call[wire.PlayState](ctx, h, wire.MethodPlayStep, wire.PlayRequest{Session: open.Session}); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
		})
	}
}
