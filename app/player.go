package app

import (
	"context"
	"fmt"
	"net/url"
	"runtime"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/miplay/miplay/app/store"
	"github.com/miplay/miplay/engine"
	"github.com/miplay/miplay/engine/azure"
	"github.com/miplay/miplay/scenarios"
)

// player is the page of one scenario, /play/{name}: the narration of the
// next step, a terminal with what ran, the controls (run step, run all,
// step back, restart) and the panels that show the simulated world. At
// /embed/{name}, or with ?embed=1, it is the same without the site around
// it, for an iframe.
//
// It follows Model/Update/View: the state is the fields below; handlers
// turn a click or a key into an operation of the scenarios.Player, run off
// the UI goroutine; the view models it leaves (playState) are what Render
// and the panels show. The Player itself is touched only by one operation
// at a time (busy), never while rendering.
type player struct {
	page
	slug     string
	embedded bool
	sc       *scenarios.Scenario
	missing  bool   // no scenario of that name
	problem  string // why the scenario could not start
	gen      int    // bumped for every scenario loaded, to drop stale results

	run    *playRun
	busy   bool
	moved  bool   // an operation has run since the scenario loaded
	status string // what the player is doing, for the live region
	st     playState

	selToken     string
	tokenDetail  *TokenDetailVM
	selExchange  int
	decision     *DecisionVM
	decisionNote string

	shareLink string // a link that carries the scenario file
	shareNote string // what came of Share or Download

	md    map[string]string // narration HTML by Markdown source
	onKey app.Func
}

// embed is the player at /embed/{name}.
type embed struct{ player }

// playRun is a scenarios.Player and where each of its steps began in the
// world's event log.
type playRun struct {
	p *scenarios.Player
	// marks[i] is the length of the event log before step i ran; there is
	// one mark per step run, so len(marks) == p.Next().
	marks []int
}

// playState is what one operation leaves for the view: plain view models.
type playState struct {
	Next, Total int
	Done        bool
	Term        []TermStepVM
	Commands    int // commands run
	Mismatches  int
	World       WorldView
	Seq         SequenceVM
	SeqStep     int      // the step whose requests Seq draws, or -1
	StepTokens  []string // the tokens issued in that step
	cloud       *azure.Cloud
}

func (pl *player) OnPreRender(ctx app.Context) {
	pl.navPlay(ctx)
}

// OnInit finds the scenario before the first render in the browser, so that
// the page mounts once, as the player in its loading state, and OnNav has
// nothing left to show until the world is made.
func (pl *player) OnInit() {
	if !app.IsClient {
		return
	}
	startPrefs()
	// On the first page the window's URL is the page's; on a later
	// navigation it is still the previous page's until OnNav, which reads
	// the right one.
	u := app.Window().URL()
	p := appPath(u)
	if !isPlayerPath(p) {
		return
	}
	pl.path = p
	pl.resolve(u)
	pl.reset()
}

// isPlayerPath reports whether an app path is /play/{name} or
// /embed/{name}, as the player's routes match.
func isPlayerPath(p string) bool {
	for _, prefix := range []string{"/play/", "/embed/"} {
		if name, ok := strings.CutPrefix(p, prefix); ok {
			return name != "" && !strings.Contains(name, "/")
		}
	}
	return false
}

func (pl *player) OnNav(ctx app.Context) {
	prev, prevSc, prevEmbedded := pl.slug, pl.sc, pl.embedded
	if pl.navPlay(ctx); !app.IsClient {
		// The server prerenders the scenario's text only: the world is
		// made in the browser.
		return
	}
	if pl.run != nil && pl.slug == prev {
		// The same scenario: a link to a fragment of the narration, or
		// ?embed=1 added. Keep the world.
		return
	}
	// The first start after OnInit found the same scenario: the page
	// already shows it loading, so rendering again would change nothing.
	shown := pl.gen == 0 && pl.slug == prev && pl.sc == prevSc && pl.embedded == prevEmbedded
	pl.start(ctx)
	if shown {
		ctx.PreventUpdate()
	}
}

func (pl *player) OnMount(ctx app.Context) {
	// Listening to keys changes nothing on the page.
	ctx.PreventUpdate()
	pl.onKey = app.FuncOf(func(_ app.Value, args []app.Value) any {
		if len(args) == 0 {
			return nil
		}
		e := args[0]
		if e.Get("ctrlKey").Truthy() || e.Get("metaKey").Truthy() || e.Get("altKey").Truthy() || e.Get("repeat").Truthy() {
			return nil
		}
		if t := e.Get("target"); t.Truthy() {
			switch strings.ToLower(t.Get("tagName").String()) {
			case "input", "textarea", "select":
				return nil
			}
			if t.Get("isContentEditable").Truthy() {
				return nil
			}
		}
		var op func(app.Context)
		switch e.Get("key").String() {
		case "n":
			op = pl.runStep
		case "b":
			op = pl.stepBack
		case "a":
			op = pl.runAll
		default:
			return nil
		}
		e.Call("preventDefault")
		ctx.Dispatch(op)
		return nil
	})
	app.Window().Call("addEventListener", "keydown", pl.onKey)
}

func (pl *player) OnDismount() {
	if pl.onKey != nil {
		app.Window().Call("removeEventListener", "keydown", pl.onKey)
		pl.onKey.Release()
		pl.onKey = nil
	}
}

// navPlay reads the page's URL and sets the title.
func (pl *player) navPlay(ctx app.Context) {
	pl.resolve(ctx.Page().URL())
	pl.setTitle(ctx)
}

// resolve reads a page URL: the scenario's name and whether to embed. It
// finds a scenario of the library; an uploaded one is found by start, in
// the browser.
func (pl *player) resolve(u *url.URL) {
	slug := lastSegment(u.Path)
	pl.embedded = strings.HasPrefix(appPath(u), "/embed/") || u.Query().Get("embed") == "1"
	if slug != pl.slug || pl.sc == nil {
		pl.slug, pl.sc, pl.missing = slug, engineScenario(libraryScenario(slug)), false
	}
}

func (pl *player) setTitle(ctx app.Context) {
	title := pl.slug
	if pl.sc != nil {
		title = pl.sc.FrontMatter.Title
	}
	pl.nav(ctx, title)
}

// start loads the scenario (from the library, or else from the learner's
// uploads) and a player on a fresh world, replayed to where the learner
// left off.
func (pl *player) start(ctx app.Context) {
	pl.gen++
	gen := pl.gen
	pl.reset()
	sc, slug := pl.sc, pl.slug
	// stop shows why the scenario cannot start, unless another has been
	// loaded meanwhile.
	stop := func(set func()) {
		ctx.Dispatch(func(ctx app.Context) {
			if gen == pl.gen {
				pl.busy, pl.status = false, ""
				set()
			}
		})
	}
	ctx.Async(func() {
		if sc == nil {
			u, ok, err := loadUploaded(slug)
			if err != nil {
				reportError("Could not read your uploaded scenarios", err)
			}
			if ok {
				ws, err := parseUploaded(context.Background(), u)
				if err != nil {
					stop(func() { pl.problem = "This uploaded scenario does not parse: " + err.Error() })
					return
				}
				sc = engineScenario(ws)
			}
		}
		if sc == nil {
			stop(func() { pl.missing = true })
			return
		}
		// Replay to the step the mirror says, without waiting for the
		// store; read the store meanwhile: it waits for IndexedDB, the world
		// for the CPU. Yield once so that the read sends its request before
		// NewPlayer holds the only thread.
		type progress struct {
			prog store.ExerciseProgress
			ok   bool
			err  error
		}
		progc := make(chan progress, 1)
		go func() {
			prog, ok, err := loadProgress(slug)
			progc <- progress{prog, ok, err}
		}()
		runtime.Gosched()
		p, err := scenarios.NewPlayer(sc, scenarios.RunOptions{})
		if err != nil {
			stop(func() { pl.problem = "The scenario could not start: " + err.Error() })
			return
		}
		run := &playRun{p: p}
		mirrored := mirroredStep(slug)
		if err := run.forward(ctx, mirrored); err != nil {
			reportError("Could not replay your progress", err)
		}
		st := run.snapshot()
		ctx.Dispatch(func(ctx app.Context) {
			if gen != pl.gen {
				return
			}
			pl.sc, pl.run = sc, run
			pl.setTitle(ctx)
			pl.apply(ctx, st, true)
		})
		pr := <-progc
		if pr.err != nil {
			reportError("Could not read your progress", pr.err)
			return
		}
		saved := 0
		if pr.ok {
			saved = pr.prog.Step
		}
		if saved == mirrored {
			return
		}
		mirrorStep(slug, saved)
		ctx.Dispatch(func(ctx app.Context) {
			if gen == pl.gen && !pl.moved {
				pl.resume(ctx, saved)
			}
		})
	})
}

// resume goes to the step the store says the learner reached, when the
// mirror said another.
func (pl *player) resume(ctx app.Context, step int) {
	pl.do(ctx, "Going back to where you left off…", func(ctx context.Context, r *playRun) error {
		if step < r.p.Next() {
			r.marks = nil
			if err := r.p.Reset(); err != nil {
				return err
			}
		}
		return r.forward(ctx, step)
	}, true)
}

// reset leaves the player without a world, loading one.
func (pl *player) reset() {
	pl.run, pl.st, pl.problem = nil, playState{SeqStep: -1}, ""
	pl.selToken, pl.tokenDetail, pl.selExchange, pl.decision = "", nil, -1, nil
	pl.shareLink, pl.shareNote = "", ""
	pl.busy, pl.status = true, "Loading the scenario…"
	pl.moved = false
}

// do runs an operation on the player off the UI goroutine, then shows its
// outcome. Nothing else runs meanwhile.
func (pl *player) do(ctx app.Context, status string, op func(ctx context.Context, r *playRun) error, forward bool) {
	if pl.run == nil || pl.busy {
		return
	}
	pl.moved = true
	pl.busy, pl.status = true, status
	run, gen, slug := pl.run, pl.gen, pl.slug
	ctx.Async(func() {
		err := op(ctx, run)
		st := run.snapshot()
		prepareBack := run.p.PrepareBack()
		if serr := progressUpdate(slug, func(pr *store.ExerciseProgress) { pr.Step = st.Next }); serr != nil {
			reportError("Could not save your progress", serr)
		}
		shown := make(chan struct{})
		ctx.Dispatch(func(ctx app.Context) {
			defer close(shown)
			if gen != pl.gen {
				return
			}
			if err != nil {
				reportError("The player stopped", err)
			}
			pl.apply(ctx, st, forward)
		})
		// While the learner reads the step, replay on a world of its own
		// what a step back will need, so Back is a swap, not a replay. Wait
		// for the page to show the step first: in WebAssembly this
		// goroutine holds the only thread while it replays.
		if err == nil && st.Next > 0 {
			<-shown
			time.Sleep(50 * time.Millisecond)
			prepareBack(ctx) // on failure, Back replays as before
		}
	})
}

func (pl *player) runStep(ctx app.Context) {
	if pl.st.Done {
		return
	}
	pl.do(ctx, fmt.Sprintf("Running step %d…", pl.st.Next+1), func(ctx context.Context, r *playRun) error {
		_, err := r.step(ctx)
		return err
	}, true)
}

func (pl *player) runAll(ctx app.Context) {
	if pl.st.Done {
		return
	}
	pl.do(ctx, "Running every step…", func(ctx context.Context, r *playRun) error {
		for !r.p.Done() {
			res, err := r.step(ctx)
			if err != nil {
				return err
			}
			if !res.Passed {
				break // as Player.RunAll: stop after a step that does not match
			}
		}
		return nil
	}, true)
}

func (pl *player) stepBack(ctx app.Context) {
	if pl.st.Next == 0 {
		return
	}
	pl.do(ctx, "Stepping back…", func(ctx context.Context, r *playRun) error {
		err := r.p.Back(ctx)
		r.marks = r.marks[:min(len(r.marks), r.p.Next())]
		return err
	}, false)
}

func (pl *player) restart(ctx app.Context) {
	pl.do(ctx, "Starting over on a fresh world…", func(ctx context.Context, r *playRun) error {
		r.marks = nil
		return r.p.Reset()
	}, false)
}

// step runs the next step, marking where its events begin.
func (r *playRun) step(ctx context.Context) (*scenarios.StepResult, error) {
	mark := r.events()
	res, err := r.p.Step(ctx)
	if err != nil {
		return nil, err
	}
	r.marks = append(r.marks, mark)
	return res, nil
}

// forward runs steps until n have run, or all.
func (r *playRun) forward(ctx context.Context, n int) error {
	for r.p.Next() < n && !r.p.Done() {
		if _, err := r.step(ctx); err != nil {
			return err
		}
	}
	return nil
}

// events returns the length of the world's event log.
func (r *playRun) events() int {
	n := 0
	if c := r.p.Cloud(); c != nil {
		c.Do(func(w *engine.World) { n = w.NextSeq() })
	}
	return n
}

// snapshot builds the view models of the player's current world.
func (r *playRun) snapshot() playState {
	st := playState{
		Next: r.p.Next(), Total: len(r.p.Scenario().Steps), Done: r.p.Done(),
		Term: BuildTerminal(r.p.Results()), SeqStep: -1,
	}
	for _, s := range st.Term {
		for _, c := range s.Commands {
			st.Commands++
			if !c.Matched {
				st.Mismatches++
			}
		}
	}
	st.cloud = r.p.Cloud()
	if st.cloud == nil {
		return st
	}
	st.cloud.Do(func(w *engine.World) {
		st.World = BuildWorldView(w)
		if n := len(r.marks); n > 0 {
			st.SeqStep = n - 1
			evs := w.Events(r.marks[n-1])
			st.Seq = BuildSequence(evs)
			for _, e := range evs {
				if t, ok := e.(*engine.TokenIssued); ok {
					st.StepTokens = append(st.StepTokens, t.Token.ID)
				}
			}
		}
	})
	return st
}

// apply shows a new state. After a step forward, the token the step issued
// is selected, and the last request a service checked against RBAC.
func (pl *player) apply(ctx app.Context, st playState, forward bool) {
	pl.st, pl.busy, pl.status = st, false, ""
	switch {
	case forward && len(st.StepTokens) > 0:
		pl.selToken = st.StepTokens[len(st.StepTokens)-1]
	case !pl.hasToken(pl.selToken):
		pl.selToken = ""
		if n := len(st.World.Tokens); n > 0 {
			pl.selToken = st.World.Tokens[n-1].ID
		}
	}
	pl.showToken(pl.selToken)
	sel := len(st.Seq.Exchanges) - 1
	for i := len(st.Seq.Exchanges) - 1; i >= 0; i-- {
		if st.Seq.Exchanges[i].DecisionSeq >= 0 {
			sel = i
			break
		}
	}
	pl.selectExchange(sel)
	if st.Commands > 0 {
		// An empty terminal has nothing to scroll to: reading its height
		// would only force a layout.
		scrollToEnd(ctx, "terminal")
	}
}

func (pl *player) hasToken(id string) bool {
	for _, t := range pl.st.World.Tokens {
		if t.ID == id {
			return true
		}
	}
	return false
}

// showToken decodes and checks the selected token.
func (pl *player) showToken(id string) {
	pl.selToken, pl.tokenDetail = id, nil
	if id == "" || pl.st.cloud == nil {
		return
	}
	pl.st.cloud.Do(func(w *engine.World) {
		if d, ok := BuildTokenDetail(w, id); ok {
			pl.tokenDetail = &d
		}
	})
}

// selectExchange shows an exchange of the diagram and the decision behind
// it.
func (pl *player) selectExchange(i int) {
	pl.selExchange, pl.decision, pl.decisionNote = i, nil, ""
	if i < 0 || i >= len(pl.st.Seq.Exchanges) || pl.st.cloud == nil {
		pl.selExchange = -1
		return
	}
	x := pl.st.Seq.Exchanges[i]
	if x.DecisionSeq < 0 {
		pl.decisionNote = "No Azure RBAC check behind this request"
		if x.Decision != "" {
			pl.decisionNote += ": " + x.Decision
		} else {
			pl.decisionNote += "."
		}
		return
	}
	pl.st.cloud.Do(func(w *engine.World) {
		if d, ok := BuildDecision(w, x.DecisionSeq); ok {
			pl.decision = &d
		}
	})
}

func (pl *player) narration(src string, dropTitle bool) app.UI {
	key := fmt.Sprint(dropTitle) + src
	h, ok := pl.md[key]
	if !ok {
		if pl.md == nil {
			pl.md = map[string]string{}
		}
		h = MarkdownHTML(src, dropTitle)
		pl.md[key] = h
	}
	return app.Raw(`<div class="markdown">` + h + `</div>`)
}

func (pl *player) Render() app.UI {
	body := pl.body()
	if !pl.embedded {
		return layout(pl.path, body)
	}
	return app.Main().ID("main").Class("page page--embed").Body(
		body,
		app.P().Class("embed__credit").Body(
			app.Text("Made with "),
			app.A().Href(Href("/")).Target("_blank").Rel("noopener").Text("miplay"),
			app.If(pl.sc != nil, func() app.UI {
				return app.Span().Body(
					app.Text(" · "),
					app.A().Href(Href("/play/"+pl.slug)).Target("_blank").Rel("noopener").Text("open this scenario in miplay"),
				)
			}),
		),
	)
}

func (pl *player) body() app.UI {
	if pl.missing {
		return app.Section().Class("coming-soon").Aria("labelledby", "page-title").Body(
			app.H1().ID("page-title").Text("No scenario “"+pl.slug+"”"),
			app.P().Class("lede").Text("There is no scenario of that name in the library or among the ones you uploaded."),
			app.P().Body(app.A().Class("button").Href(Href("/gallery")).Text("Browse the gallery")),
		)
	}
	if pl.sc == nil {
		// Not in the library: an upload being looked for, or a name
		// prerendered on the server, which cannot know.
		return app.Section().Class("player player--loading").Aria("labelledby", "page-title").Body(
			app.H1().ID("page-title").Text("Scenario “"+pl.slug+"”"),
			app.If(pl.problem != "", func() app.UI {
				return app.P().Class("player__problem").Role("alert").Text(pl.problem)
			}).Else(func() app.UI {
				return app.P().Class("lede").Role("status").Text("Loading the scenario…")
			}),
		)
	}
	fm := pl.sc.FrontMatter
	st := pl.st
	total := len(pl.sc.Steps)
	ready := pl.run != nil && !pl.busy
	state := "loading"
	switch {
	case ready:
		state = "ready"
	case pl.run != nil:
		state = "busy"
	}
	pct := 0
	if total > 0 {
		pct = st.Next * 100 / total
	}
	stepText := fmt.Sprintf("Step %d of %d", min(st.Next+1, total), total)
	switch {
	case st.Done && total == 1:
		stepText = "The step has run"
	case st.Done && total > 0:
		stepText = fmt.Sprintf("All %d steps run", total)
	}
	return app.Div().Class("player").DataSet("state", state).DataSet("next", st.Next).Body(
		app.Header().Class("player__head").Body(
			app.P().Class("eyebrow").Body(
				app.Text(levelLabel(string(fm.Level))),
				app.If(fm.Exercise, func() app.UI { return app.Text(" · Exercise") }),
			),
			app.H1().ID("page-title").Text(fm.Title),
			app.If(fm.Summary != "" && !pl.embedded, func() app.UI { return app.P().Class("lede").Text(fm.Summary) }),
			app.If(len(fm.Tags) > 0 && !pl.embedded, func() app.UI {
				return app.Ul().Class("tags tags--static").Aria("label", "Tags").Body(
					app.Range(fm.Tags).Slice(func(i int) app.UI { return app.Li().Class("tag").Text(fm.Tags[i]) }),
				)
			}),
			app.If(!pl.embedded, pl.actionsView),
		),
		app.Div().Class("player__bar").Body(
			app.Div().Class("player__progress").Body(
				app.Div().Class("meter meter--wide").Role("progressbar").
					Aria("label", "Steps run").
					Aria("valuemin", 0).Aria("valuemax", total).Aria("valuenow", st.Next).
					Aria("valuetext", fmt.Sprintf("%d of %d steps run", st.Next, total)).
					Body(app.Div().Class("meter__bar").Style("width", fmt.Sprintf("%d%%", pct))),
				app.Span().Class("player__step").Text(stepText),
			),
			app.Div().Class("controls").Role("toolbar").Aria("label", "Player controls").Body(
				control("Step back", "b", "Undo the last step: replay the ones before it on a fresh world", !ready || st.Next == 0, pl.stepBack),
				control("Run step", "n", "Run the next step's commands", !ready || st.Done, pl.runStep).Class("button button--primary control"),
				control("Run all", "a", "Run every remaining step, stopping at a mismatch", !ready || st.Done, pl.runAll),
				app.Button().Type("button").Class("button control").
					Disabled(!ready || st.Next == 0).
					Title("Start over on a fresh world").
					OnClick(func(ctx app.Context, e app.Event) { pl.restart(ctx) }).
					Text("Restart"),
			),
			app.P().Class("player__keys").Body(
				app.Text("Keys: "), app.Kbd().Text("n"), app.Text(" next step · "),
				app.Kbd().Text("b"), app.Text(" back · "),
				app.Kbd().Text("a"), app.Text(" run all"),
			),
			app.P().Class("player__status").Role("status").Aria("live", "polite").Body(
				app.If(pl.status != "", func() app.UI { return app.Span().Text(pl.status) }).
					ElseIf(st.Mismatches > 0, func() app.UI {
						what := "A command did not print what the file expects"
						if st.Mismatches > 1 {
							what = fmt.Sprintf("%d commands did not print what the file expects", st.Mismatches)
						}
						return app.Span().Class("player__mismatch").Text(what + ": see the terminal.")
					}).
					ElseIf(st.Done && total > 0, func() app.UI {
						return app.Span().Class("player__ok").Text("Done: every command printed what the file expects.")
					}),
			),
		),
		app.If(pl.problem != "", func() app.UI {
			return app.P().Class("player__problem").Role("alert").Text(pl.problem)
		}),
		app.Div().Class("player__grid").Body(
			app.Div().Class("player__main").Body(
				pl.narrationView(),
				pl.terminalView(),
			),
			app.Aside().Class("player__side").Aria("label", "The simulated world").Body(
				&clockPanel{VM: st.World.Clock},
				&resourcesPanel{VM: st.World.Resources},
				&principalsPanel{VM: st.World.Principals},
				&assignmentsPanel{VM: st.World.Assignments},
			),
		),
		app.Div().Class("player__flow").Body(
			&tokensPanel{
				VM: st.World.Tokens, Selected: pl.selToken, Detail: pl.tokenDetail,
				OnSelect: func(ctx app.Context, id string) { pl.showToken(id) },
			},
			&sequencePanel{
				VM: st.Seq, Title: pl.flowTitle(), Empty: pl.flowEmpty(), Selected: pl.selExchange,
				OnSelect: func(ctx app.Context, i int) { pl.selectExchange(i) },
			},
			app.If(len(st.Seq.Exchanges) > 0, func() app.UI {
				return app.Div().Class("player__detail").Body(
					&exchangePanel{
						VM: pl.selectedExchange(), Number: pl.selExchange + 1,
						OnShowToken: func(ctx app.Context, id string) {
							pl.showToken(id)
							ctx.Defer(func(app.Context) { app.Window().ScrollToID("panel-tokens") })
						},
					},
					&decisionPanel{VM: pl.decision, Note: pl.decisionNote},
				)
			}),
		),
	)
}

// actionsView takes the scenario elsewhere: into the sandbox, on its world
// after the steps run so far; into a link that carries its file; onto disk.
func (pl *player) actionsView() app.UI {
	next := pl.st.Next
	when := "at its start"
	if next > 0 {
		when = "after " + plural(next, "step")
	}
	return app.Div().Class("player__actions").Body(
		app.Div().Class("controls").Role("group").Aria("label", "This scenario").Body(
			app.A().ID("player-sandbox").Class("button control").
				Href(Href(SandboxPath(pl.slug, next))).
				Title("A free terminal on this scenario's world "+when).
				Text("Open in the sandbox from here"),
			app.Button().Type("button").ID("player-share").Class("button control").
				Title("Make a link that carries this scenario file").
				OnClick(func(ctx app.Context, e app.Event) { pl.share(ctx) }).
				Text("Share link"),
			app.Button().Type("button").ID("player-download").Class("button control").
				Title("Download this scenario file (.md), which miplay run checks").
				OnClick(func(ctx app.Context, e app.Event) { pl.download(ctx) }).
				Text("Download .md"),
		),
		app.P().Class("player__note").Role("status").Aria("live", "polite").Body(
			app.If(pl.shareNote != "", func() app.UI { return app.Span().Text(pl.shareNote) }),
		),
		app.If(pl.shareLink != "", func() app.UI { return shareBox("player-link", pl.shareLink) }),
	)
}

// share makes a link that carries the scenario file, shows it and copies
// it.
func (pl *player) share(ctx app.Context) {
	if pl.sc == nil {
		return
	}
	link, err := ShareScenarioLink(pl.sc.Source())
	if err != nil {
		pl.shareLink, pl.shareNote = "", "This scenario is "+err.Error()+": download the file instead."
		return
	}
	pl.shareLink, pl.shareNote = pageOrigin()+Href(link), "Link ready."
	copyText(ctx, pl.shareLink, func(ctx app.Context, ok bool) {
		if ok {
			pl.shareNote = "Link copied to the clipboard."
		} else {
			pl.shareNote = "Copy the link below."
		}
	})
}

// download saves the scenario file.
func (pl *player) download(ctx app.Context) {
	if pl.sc == nil {
		return
	}
	name := pl.slug + ".md"
	downloadFile(name, "text/markdown;charset=utf-8", string(pl.sc.Source()))
	pl.shareNote = "Downloaded " + name + "."
}

func (pl *player) flowTitle() string {
	if pl.st.SeqStep < 0 {
		return "Request flow"
	}
	return fmt.Sprintf("Request flow of step %d", pl.st.SeqStep+1)
}

func (pl *player) flowEmpty() string {
	if pl.st.SeqStep < 0 {
		return "Run a step: the requests it makes to IMDS, Entra ID, ARM and the data planes show here as a sequence diagram, each with its request, response and the decision behind it."
	}
	return "This step made no HTTP request."
}

func (pl *player) selectedExchange() *ExchangeVM {
	if pl.selExchange < 0 || pl.selExchange >= len(pl.st.Seq.Exchanges) {
		return nil
	}
	x := pl.st.Seq.Exchanges[pl.selExchange]
	return &x
}

// control is a player button with its keyboard shortcut.
func control(label, key, title string, disabled bool, op func(app.Context)) app.HTMLButton {
	return app.Button().Type("button").Class("button control").
		Disabled(disabled).
		Title(title+" (key "+key+")").
		Aria("keyshortcuts", key).
		OnClick(func(ctx app.Context, e app.Event) { op(ctx) }).
		Body(app.Text(label+" "), app.Kbd().Aria("hidden", true).Text(key))
}

func (pl *player) narrationView() app.UI {
	steps := pl.sc.Steps
	st := pl.st
	var heading string
	var content app.UI
	var preview *scenarios.Step
	switch {
	case st.Next < len(steps):
		heading = fmt.Sprintf("Step %d of %d", st.Next+1, len(steps))
		content = pl.narration(steps[st.Next].Narration, st.Next == 0)
		preview = steps[st.Next]
	case pl.sc.Exercise != nil:
		heading = "Your goal"
		link := app.A().Class("button button--primary").Href(Href(ExercisePath(pl.slug))).Text("Solve it in the exercise workspace")
		if pl.embedded {
			link = link.Target("_blank").Rel("noopener")
		}
		content = app.Div().Body(
			pl.narration(pl.sc.Exercise.Goal, false),
			app.P().Class("narration__next").Body(link),
		)
	default:
		heading = "The end"
		content = app.Div().Body(
			app.P().Class("narration__done").Text("That was the last step. Step back to see one again, or restart."),
			app.If(strings.TrimSpace(pl.sc.Tail) != "", func() app.UI {
				return pl.narration(pl.sc.Tail, len(steps) == 0)
			}),
		)
	}
	return app.Section().Class("narration").Aria("labelledby", "narration-title").Body(
		app.H2().ID("narration-title").Class("narration__title").Text(heading),
		content,
		app.If(preview != nil, func() app.UI {
			cmds := preview.Commands
			return app.Details().Class("narration__preview").Body(
				app.Summary().Text(commandsText(len(cmds))),
				app.Pre().Class("preview").Body(
					app.Range(cmds).Slice(func(i int) app.UI {
						return app.Div().Body(
							app.Span().Class("term-prompt").Text(cmds[i].Prompt()+" "),
							app.Span().Text(cmds[i].Text),
						)
					}),
				),
			)
		}),
	)
}

func (pl *player) terminalView() app.UI {
	term := pl.st.Term
	return app.Section().Class("terminal").Aria("labelledby", "terminal-title").Body(
		app.H2().ID("terminal-title").Class("visually-hidden").Text("Terminal"),
		app.Div().ID("terminal").Class("term").Role("log").Aria("label", "Terminal").TabIndex(0).Body(
			app.If(len(term) == 0, func() app.UI {
				return app.P().Class("term__hint").Text("Commands and what they print show here. Run the first step to begin.")
			}),
			app.Range(term).Slice(func(i int) app.UI {
				s := term[i]
				return app.Div().Class("term-step").DataSet("step", s.Index).Body(
					app.P().Class("term-step__label").Text(fmt.Sprintf("step %d", s.Index+1)),
					app.Range(s.Commands).Slice(func(j int) app.UI { return termCommandView(s.Commands[j]) }),
				)
			}),
		),
	)
}

func termCommandView(c TermCommandVM) app.UI {
	cls := "term-cmd"
	if !c.Matched {
		cls += " is-mismatch"
	}
	return app.Div().Class(cls).Body(
		app.Div().Class("term-line").Body(
			app.Span().Class("term-prompt").Text(c.Prompt),
			app.Text(" "),
			app.Span().Class("term-text").Text(c.Text),
		),
		app.If(len(c.Chunks) > 0, func() app.UI {
			return app.Pre().Class("term-out").Body(
				app.Range(c.Chunks).Slice(func(k int) app.UI {
					if c.Chunks[k].Stderr {
						return app.Span().Class("term-err").Text(c.Chunks[k].Text)
					}
					return app.Text(c.Chunks[k].Text)
				}),
			)
		}),
		app.If(c.Exit != 0, func() app.UI {
			return app.Div().Class("term-exit").Text(fmt.Sprintf("[exit %d]", c.Exit))
		}),
		app.If(!c.Matched, func() app.UI {
			return app.Div().Class("term-mismatch").Role("note").Body(
				app.P().Class("term-mismatch__title").Text("This is not what the file expects. It expects:"),
				app.Pre().Class("term-want").Text(wantText(c.Want)),
				app.If(c.Diff != "", func() app.UI {
					return app.Details().Body(
						app.Summary().Text("Diff from the expected output (-) to the actual one (+)"),
						app.Pre().Class("term-diff").Text(c.Diff),
					)
				}),
			)
		}),
	)
}

func commandsText(n int) string {
	if n == 1 {
		return "The command this step runs"
	}
	return fmt.Sprintf("The %d commands this step runs", n)
}

func wantText(lines []string) string {
	if len(lines) == 0 {
		return "(no output)"
	}
	return strings.Join(lines, "\n")
}
