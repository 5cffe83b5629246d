package worker

import (
	"context"
	"fmt"
	"io/fs"
	"sync"
	"time"

	"github.com/miplay/miplay/app/wire"
	"github.com/miplay/miplay/engine"
	"github.com/miplay/miplay/scenarios"
)

// A playSession is the scenario player behind the page /play/{name}: a
// scenarios.Player, where each of its steps began in the world's event
// log, and the preparation of the next step back.
//
// One operation runs at a time, under mu; the panels' details (MethodToken,
// MethodDecision) read the world under mu too, since an operation may swap
// the world. The preparation of a step back runs on a goroutine of its own
// without mu, as scenarios.Player.PrepareBack allows: it builds a world of
// its own, which Back takes only if the player is still where it was.
type playSession struct {
	mu sync.Mutex
	p  *scenarios.Player
	// marks[i] is the length of the event log before step i ran; there
	// is one mark per step run, so len(marks) == p.Next().
	marks []int
	// prep is the preparation of a step back started after the last
	// operation, or nil.
	prep *preparation
}

// A preparation is a step back being prepared: its cancel; started,
// closed when it starts to replay (after prepareDelay); and done, closed
// when it has finished (built, failed or cancelled).
type preparation struct {
	cancel  context.CancelFunc
	started chan struct{}
	done    chan struct{}
}

// prepareDelay is how long a preparation waits before it replays. In the
// browser the engine has one thread, and a replay holds it until it ends:
// the wait lets the answer to the operation go to the page first, and the
// page decode and show it (some 30 ms for a long scenario) without a
// replay beside it on a busy CPU, as the page waited 50 ms after showing
// a step when it prepared the step back itself. A step back that comes
// sooner replays, which the preparation would have cost too.
var prepareDelay = 100 * time.Millisecond

// playOptions are the options of every player session's scenarios.Player;
// the tests count the worlds made through NewRunner.
var playOptions scenarios.RunOptions

// playOpen answers wire.MethodPlayOpen.
func (h *Host) playOpen(ctx context.Context, req wire.PlayOpenRequest) (wire.PlayOpenResponse, error) {
	sc, err := playScenario(req)
	if err != nil {
		return wire.PlayOpenResponse{}, err
	}
	p, err := scenarios.NewPlayer(sc, playOptions)
	if err != nil {
		return wire.PlayOpenResponse{}, err
	}
	s := &playSession{p: p}
	s.mu.Lock()
	err = s.forward(ctx, req.Step)
	st := s.state(err, true, "")
	s.prepareBack(err)
	s.mu.Unlock()
	return wire.PlayOpenResponse{Session: h.open(s), State: st}, nil
}

// playScenario parses the scenario a PlayOpenRequest names: a file of the
// library by its slug, or the request's own file.
func playScenario(req wire.PlayOpenRequest) (*scenarios.Scenario, error) {
	if req.Source != "" || req.Name != "" {
		return scenarios.Parse(req.Name, []byte(req.Source))
	}
	name := req.Slug + ".md"
	if req.Slug == "" || !fs.ValidPath(name) || !scenarios.IsScenarioFile(name) {
		return nil, fmt.Errorf("no scenario %q in the library", req.Slug)
	}
	src, err := fs.ReadFile(scenarios.Library, name)
	if err != nil {
		return nil, fmt.Errorf("no scenario %q in the library", req.Slug)
	}
	return scenarios.Parse(name, src)
}

// playOp runs an operation on session id and answers with the state it
// leaves, without the first terminal steps, which the page holds. An error
// of the operation is in the state (Err), beside where it stopped; only a
// session that is not open fails the call.
func (h *Host) playOp(ctx context.Context, id int, selected string, terminal int, back, forward bool, op func(ctx context.Context, s *playSession) error) (wire.PlayState, error) {
	s, err := session[*playSession](h, id)
	if err != nil {
		return wire.PlayState{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if back {
		s.awaitPrepared(ctx)
	} else {
		s.stopPreparing()
	}
	err = op(ctx, s)
	st := s.state(err, forward, selected)
	s.prepareBack(err)
	st.TermFrom = min(max(terminal, 0), len(st.Term))
	st.Term = st.Term[st.TermFrom:]
	return st, nil
}

func (h *Host) playStep(ctx context.Context, req wire.PlayRequest) (wire.PlayState, error) {
	return h.playOp(ctx, req.Session, req.Selected, req.Terminal, false, true, func(ctx context.Context, s *playSession) error {
		_, err := s.step(ctx)
		return err
	})
}

func (h *Host) playRunAll(ctx context.Context, req wire.PlayRequest) (wire.PlayState, error) {
	return h.playOp(ctx, req.Session, req.Selected, req.Terminal, false, true, func(ctx context.Context, s *playSession) error {
		for !s.p.Done() {
			res, err := s.step(ctx)
			if err != nil {
				return err
			}
			if !res.Passed {
				break // as Player.RunAll: stop after a step that does not match
			}
		}
		return nil
	})
}

func (h *Host) playBack(ctx context.Context, req wire.PlayRequest) (wire.PlayState, error) {
	return h.playOp(ctx, req.Session, req.Selected, req.Terminal, true, false, func(ctx context.Context, s *playSession) error {
		err := s.p.Back(ctx)
		s.trimMarks()
		return err
	})
}

func (h *Host) playRestart(ctx context.Context, req wire.PlayRequest) (wire.PlayState, error) {
	return h.playOp(ctx, req.Session, req.Selected, req.Terminal, false, false, func(ctx context.Context, s *playSession) error {
		s.marks = nil
		return s.p.Reset()
	})
}

// playGoto answers wire.MethodPlayGoto: back by a replay (or the prepared
// world, for the step before), forward by running steps.
func (h *Host) playGoto(ctx context.Context, req wire.PlayGotoRequest) (wire.PlayState, error) {
	return h.playOp(ctx, req.Session, req.Selected, req.Terminal, false, true, func(ctx context.Context, s *playSession) error {
		if req.Step < s.p.Next() {
			err := s.p.Goto(ctx, max(req.Step, 0))
			s.trimMarks()
			return err
		}
		return s.forward(ctx, req.Step)
	})
}

// do calls f with the session's world, for the panels' details.
func (s *playSession) do(f func(w *engine.World)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.p.Cloud(); c != nil {
		c.Do(f)
	}
}

// step runs the next step, marking where its events begin.
func (s *playSession) step(ctx context.Context) (*scenarios.StepResult, error) {
	mark := s.events()
	res, err := s.p.Step(ctx)
	if err != nil {
		return nil, err
	}
	s.marks = append(s.marks, mark)
	return res, nil
}

// forward runs steps until n have run, or all.
func (s *playSession) forward(ctx context.Context, n int) error {
	for s.p.Next() < n && !s.p.Done() {
		if _, err := s.step(ctx); err != nil {
			return err
		}
	}
	return nil
}

// trimMarks drops the marks of the steps undone. The engine is
// deterministic, so the replayed world's log is the same up to there and
// the marks kept still hold.
func (s *playSession) trimMarks() {
	s.marks = s.marks[:min(len(s.marks), s.p.Next())]
}

// events returns the length of the world's event log.
func (s *playSession) events() int {
	n := 0
	if c := s.p.Cloud(); c != nil {
		c.Do(func(w *engine.World) { n = w.NextSeq() })
	}
	return n
}

// prepareBack starts building, on a world of its own, what a step back
// from here will need, so that Back is a swap, not a replay: the replay
// happens while the learner reads the step, not after the click. It
// starts after prepareDelay, so that the answer to the operation goes
// first. Nothing is prepared after a failed operation, or at the start;
// on failure, Back replays as it would have. s.mu is held.
func (s *playSession) prepareBack(opErr error) {
	s.stopPreparing()
	if opErr != nil || s.p.Next() == 0 {
		return
	}
	build := s.p.PrepareBack()
	delay := prepareDelay
	ctx, cancel := context.WithCancel(context.Background())
	prep := &preparation{cancel: cancel, started: make(chan struct{}), done: make(chan struct{})}
	s.prep = prep
	go func() {
		defer close(prep.done)
		defer cancel()
		t := time.NewTimer(delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return
		}
		close(prep.started)
		build(ctx) //nolint:errcheck // on failure, Back replays as before
	}()
}

// stopPreparing cancels the preparation under way, if any, and waits
// until it has stopped, so that at most one runs: the player keeps one
// prepared world, which a late preparation would overwrite. s.mu is held.
func (s *playSession) stopPreparing() {
	if s.prep == nil {
		return
	}
	s.prep.cancel()
	<-s.prep.done
	s.prep = nil
}

// awaitPrepared waits, before a step back, until the step back being
// prepared is ready (or ctx is done): finishing that replay is quicker than
// starting another. A preparation that has not started yet is cancelled
// instead: the step back replays at once. s.mu is held.
func (s *playSession) awaitPrepared(ctx context.Context) {
	if s.prep == nil {
		return
	}
	select {
	case <-s.prep.started:
	default:
		s.stopPreparing()
		return
	}
	select {
	case <-s.prep.done:
		s.prep = nil
	case <-ctx.Done():
		s.stopPreparing()
	}
}

// state builds the view models of the session's current world, after an
// operation that failed with opErr (if not nil). forward says the
// operation ran steps forward; selected is the token the page showed.
// s.mu is held.
func (s *playSession) state(opErr error, forward bool, selected string) wire.PlayState {
	p := s.p
	st := wire.PlayState{
		Next: p.Next(), Total: len(p.Scenario().Steps), Done: p.Done(),
		Term: BuildTerminal(p.Results()), SeqStep: -1, Exchange: -1,
	}
	if opErr != nil {
		st.Err = opErr.Error()
	}
	for _, step := range st.Term {
		for _, c := range step.Commands {
			st.Commands++
			if !c.Matched {
				st.Mismatches++
			}
		}
	}
	c := p.Cloud()
	if c == nil {
		return st
	}
	c.Do(func(w *engine.World) {
		st.World = BuildWorldView(w)
		if n := len(s.marks); n > 0 {
			st.SeqStep = n - 1
			evs := w.Events(s.marks[n-1])
			st.Seq = BuildSequence(evs)
			for _, e := range evs {
				if t, ok := e.(*engine.TokenIssued); ok {
					st.StepTokens = append(st.StepTokens, t.Token.ID)
				}
			}
		}
		st.Token = playToken(&st, forward, selected)
		if st.Token != "" {
			if d, ok := BuildTokenDetail(w, st.Token); ok {
				st.TokenDetail = &d
			}
		}
		st.Exchange = playExchange(st.Seq)
		if st.Exchange >= 0 {
			if seq := st.Seq.Exchanges[st.Exchange].DecisionSeq; seq >= 0 {
				if d, ok := BuildDecision(w, seq); ok {
					d = foldDecision(d)
					st.Decision = &d
				}
			}
		}
		// The page shows the raw request and response of the selected
		// exchange only; it asks for another's (MethodExchange).
		for i := range st.Seq.Exchanges {
			if i != st.Exchange {
				st.Seq.Exchanges[i].Request, st.Seq.Exchanges[i].Response = "", ""
			}
		}
	})
	return st
}

// playToken is the token the player selects in st: after a step forward,
// the last token the step issued; otherwise selected, if the world still
// has it, else the last token issued; "" if none.
func playToken(st *wire.PlayState, forward bool, selected string) string {
	if forward && len(st.StepTokens) > 0 {
		return st.StepTokens[len(st.StepTokens)-1]
	}
	for _, t := range st.World.Tokens {
		if selected != "" && t.ID == selected {
			return selected
		}
	}
	if n := len(st.World.Tokens); n > 0 {
		return st.World.Tokens[n-1].ID
	}
	return ""
}

// playExchange is the exchange of the diagram the player selects: the last
// request that a service checked against RBAC, else the last one; -1 if
// there is none.
func playExchange(seq wire.SequenceVM) int {
	for i := len(seq.Exchanges) - 1; i >= 0; i-- {
		if seq.Exchanges[i].DecisionSeq >= 0 {
			return i
		}
	}
	return len(seq.Exchanges) - 1
}
