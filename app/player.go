package app

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/miplay/miplay/app/store"
	"github.com/miplay/miplay/app/wire"
)

// player is the page of one scenario, /play/{name}: the narration of the
// next step, a terminal with what ran, the controls (run step, run all,
// step back, restart) and the panels that show the simulated world. At
// /embed/{name}, or with ?embed=1, it is the same without the site around
// it, for an iframe.
//
// It follows Model/Update/View: the state is the fields below; handlers
// turn a click or a key into an operation of the engine's player session
// (package worker's playSession), called off the UI goroutine; the view
// models it answers with (wire.PlayState) are what Render and the panels
// show. One operation runs at a time (busy).
type player struct {
	page
	slug     string
	embedded bool
	sc       *wire.Scenario
	missing  bool   // no scenario of that name
	problem  string // why the scenario could not start
	gen      int    // bumped for every scenario loaded, to drop stale results

	session int           // the engine's player session; 0 until it is open and has caught up with the page
	link    *sessionLink  // the session as operations reach it, open or on its way; nil before start
	owner   *sessionOwner // who closes the session when the page goes
	// opening is the scenario's opening the page shows, or ran the first
	// step of (openingSteps), until the session catches up (opening.go).
	opening      *wire.PlayOpening
	openingSteps int
	early        *earlyOpen // the play.open OnInit sent, until start takes it
	busy         bool
	moved        bool   // an operation has run since the scenario loaded
	status       string // what the player is doing, for the live region
	st           wire.PlayState

	selToken     string
	tokenDetail  *wire.TokenDetailVM
	tokenGen     int // bumped for every token selected, to drop stale details
	selExchange  int
	raw          *wire.ExchangeResponse // the selected exchange's request and response, if not the state's
	decision     *wire.DecisionVM
	decisionNote string
	exchangeGen  int // bumped for every exchange selected, to drop stale answers

	shareLink string // a link that carries the scenario file
	shareNote string // what came of Share or Download

	onKey app.Func
}

// embed is the player at /embed/{name}.
type embed struct{ player }

func (pl *player) OnPreRender(ctx app.Context) {
	pl.navPlay(ctx)
	// The prerendered player shows the world the wasm starts on, the
	// scenario's opening, still loading: not a zero world, whose clock
	// reads 0001-01-01.
	if o := libraryOpening(pl.slug); pl.sc != nil && o != nil && o.Open.Total == len(pl.sc.Steps) {
		pl.show(o.Open)
	}
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
	if pl.sc != nil {
		// The page mounts ready, on the scenario's opening, if there is
		// one (opening.go). Else ask for the world now: the engine
		// answers while go-app mounts the page, instead of after.
		step := mirroredStep(pl.slug)
		if pl.showOpening(step); pl.opening == nil {
			pl.early = openEarly(pl.slug, step)
		}
	}
}

// An earlyOpen is a play.open of a library scenario sent from OnInit,
// before the page's first render; start takes its answer.
type earlyOpen struct {
	slug string
	step int
	done chan struct{} // closed when resp and err are set
	resp wire.PlayOpenResponse
	err  error
}

func openEarly(slug string, step int) *earlyOpen {
	e := &earlyOpen{slug: slug, step: step, done: make(chan struct{})}
	wait := sendEngine[wire.PlayOpenResponse](wire.MethodPlayOpen, wire.PlayOpenRequest{Slug: slug, Step: step})
	go func() {
		defer close(e.done)
		e.resp, e.err = wait(context.Background())
	}()
	return e
}

// matches reports whether e asked for what a start of slug at step asks
// for.
func (e *earlyOpen) matches(slug string, step int) bool {
	return e != nil && e.slug == slug && e.step == step
}

// wait returns the engine's answer. If ctx ends first, the session it
// opens is closed when it comes.
func (e *earlyOpen) wait(ctx context.Context) (wire.PlayOpenResponse, error) {
	select {
	case <-e.done:
		return e.resp, e.err
	case <-ctx.Done():
		e.discard()
		return wire.PlayOpenResponse{}, ctx.Err()
	}
}

// discard closes the session e opens, when it comes: no page wants it.
func (e *earlyOpen) discard() {
	if e == nil {
		return
	}
	go func() {
		<-e.done
		if e.err == nil {
			closeSession(e.resp.Session)
		}
	}()
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
	if pl.link != nil && (pl.session != 0 || pl.opening != nil) && pl.slug == prev {
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
		// go-app renders the dispatch on its next frame, a timer 8 ms on.
		// Set from a key press, that timer sometimes did not wake the
		// wasm until something else did: traced in e2e, the page stayed
		// unrendered for the 300 ms the test waited. A call back into Go
		// a little later lets the runtime fire it.
		app.Window().Call("setTimeout", wakeGo(), 20)
		return nil
	})
	app.Window().Call("addEventListener", "keydown", pl.onKey)
}

// wakeGo is a function for JavaScript that does nothing: calling it
// resumes the wasm, whose runtime then fires the timers that are due. One
// for the page's life, so that a call still scheduled never finds it
// released.
var wakeGo = sync.OnceValue(func() app.Func {
	return app.FuncOf(func(app.Value, []app.Value) any { return nil })
})

func (pl *player) OnDismount() {
	if pl.onKey != nil {
		app.Window().Call("removeEventListener", "keydown", pl.onKey)
		pl.onKey.Release()
		pl.onKey = nil
	}
	// The page goes: so does its world, even one still on its way. A
	// result still on its way is dropped.
	pl.gen++
	if pl.owner != nil {
		pl.owner.drop()
		pl.owner = nil
	}
	pl.early.discard()
	pl.early = nil
	if pl.link != nil {
		pl.link.fail(errPageMoved)
	}
	pl.session, pl.link, pl.opening = 0, nil, nil
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
		pl.slug, pl.sc, pl.missing = slug, libraryScenario(slug), false
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
// uploads) and has the engine open a player on a fresh world, replayed to
// where the learner left off.
func (pl *player) start(ctx app.Context) {
	pl.gen++
	gen := pl.gen
	if pl.owner != nil {
		pl.owner.drop()
	}
	if pl.link != nil {
		pl.link.fail(errPageMoved)
	}
	owner, link := &sessionOwner{}, newSessionLink()
	pl.owner, pl.link = owner, link
	pl.reset()
	sc, slug := pl.sc, pl.slug
	mirrored := mirroredStep(slug)
	pl.showOpening(mirrored)
	opening, idle := pl.opening, pageIdle()
	early := pl.early
	pl.early = nil
	// stop shows why the scenario cannot start, unless another has been
	// loaded meanwhile.
	stop := func(set func()) {
		storeMayOpen()
		link.fail(errors.New("the scenario could not start"))
		ctx.Dispatch(func(ctx app.Context) {
			if gen == pl.gen {
				pl.busy, pl.status, pl.opening = false, "", nil
				set()
			}
		})
	}
	ctx.Async(func() {
		req := wire.PlayOpenRequest{Slug: slug}
		if sc == nil {
			u, ok, err := loadUploaded(slug)
			if err != nil {
				reportError("Could not read your uploaded scenarios", err)
			}
			if ok {
				ws, err := parseUploaded(ctx, u)
				if err != nil {
					stop(func() { pl.problem = "This uploaded scenario does not parse: " + err.Error() })
					return
				}
				sc = ws
				req = wire.PlayOpenRequest{Name: ws.Name, Source: ws.Source}
			}
		}
		if sc == nil {
			stop(func() { pl.missing = true })
			return
		}
		// Replay to the step the mirror says, without waiting for the
		// store; read the store meanwhile: it waits for IndexedDB, the
		// world for the engine.
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
		req.Step = mirrored
		var resp wire.PlayOpenResponse
		var err error
		if opening != nil {
			// The page shows the opening: the engine can wait until
			// the page is idle (startEngineWhenIdle).
			select {
			case <-idle:
			case <-ctx.Done():
			}
		}
		if early.matches(req.Slug, req.Step) {
			resp, err = early.wait(ctx)
		} else {
			early.discard()
			resp, err = callEngine[wire.PlayOpenResponse](ctx, wire.MethodPlayOpen, req)
		}
		if err != nil {
			stop(func() { pl.problem = "The scenario could not start: " + err.Error() })
			return
		}
		if !owner.adopt(resp.Session) {
			link.fail(errPageMoved)
			return // the page has gone, or loaded another scenario
		}
		if resp.State.Err != "" {
			reportError("Could not replay your progress", errors.New(resp.State.Err))
		}
		ctx.Dispatch(func(ctx app.Context) {
			if gen != pl.gen {
				link.fail(errPageMoved)
				return
			}
			pl.sc = sc
			pl.setTitle(ctx)
			if pl.opening != nil {
				pl.catchUp(ctx, resp.Session)
			} else {
				pl.session = resp.Session
				pl.apply(ctx, resp.State)
				link.open(resp.Session)
			}
			// Shown: IndexedDB's first open may now hold the thread
			// (storeMayOpen).
			ctx.Defer(func(app.Context) { storeMayOpen() })
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
		if mirrored > saved {
			// The mirror is ahead only when a step run from the opening,
			// mirrored at once, did not reach the store: the page went
			// before IndexedDB had opened (runOpeningStep). The learner
			// did run it.
			ctx.Dispatch(func(ctx app.Context) {
				if gen == pl.gen && !pl.moved {
					ctx.Async(func() { saveStep(slug, mirrored) })
				}
			})
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
	pl.do(ctx, "Going back to where you left off…", func(ctx context.Context, req wire.PlayRequest) (wire.PlayState, error) {
		return callEngine[wire.PlayState](ctx, wire.MethodPlayGoto, wire.PlayGotoRequest{Session: req.Session, Step: step, Selected: req.Selected, Terminal: req.Terminal})
	})
}

// reset leaves the player without a world, loading one.
func (pl *player) reset() {
	pl.session, pl.st, pl.problem = 0, wire.PlayState{SeqStep: -1, Exchange: -1}, ""
	pl.opening, pl.openingSteps = nil, 0
	pl.selToken, pl.tokenDetail, pl.selExchange, pl.raw, pl.decision, pl.decisionNote = "", nil, -1, nil, nil, ""
	pl.tokenGen++
	pl.exchangeGen++
	pl.shareLink, pl.shareNote = "", ""
	pl.busy, pl.status = true, "Loading the scenario…"
	pl.moved = false
}

// A playOp is one operation on the engine's player session, as the page
// calls it: it answers with the state the operation leaves, whose terminal
// leaves out the first steps, which the page holds (wire.PlayRequest).
type playOp func(ctx context.Context, req wire.PlayRequest) (wire.PlayState, error)

// playCall is the operation of a method that takes a wire.PlayRequest.
func playCall(method string) playOp {
	return func(ctx context.Context, req wire.PlayRequest) (wire.PlayState, error) {
		return callEngine[wire.PlayState](ctx, method, req)
	}
}

// progressSaves makes the player's saves of the learner's progress one at
// a time, in the order of the operations that made them.
var progressSaves sync.Mutex

// do runs an operation on the engine's player off the UI goroutine, then
// shows its outcome, then saves the learner's progress: IndexedDB is not
// between the click and the page. Nothing else runs meanwhile. The engine
// prepares the next step back itself once it has answered.
func (pl *player) do(ctx app.Context, status string, op playOp) {
	if pl.link == nil || pl.busy || (pl.session == 0 && pl.opening == nil) {
		return
	}
	pl.moved = true
	pl.busy, pl.status = true, status
	term, gen, slug, link := pl.st.Term, pl.gen, pl.slug, pl.link
	req := wire.PlayRequest{Selected: pl.selToken, Terminal: len(term)}
	ctx.Async(func() {
		var st wire.PlayState
		var err error
		if req.Session, err = link.wait(ctx); err == nil {
			st, err = op(ctx, req)
		}
		if err == nil {
			if st.TermFrom > len(term) {
				err = fmt.Errorf("the engine's terminal starts at step %d; the page has %d", st.TermFrom+1, len(term))
			} else {
				st.Term = append(term[:st.TermFrom:st.TermFrom], st.Term...)
			}
		}
		defer func() {
			// The next operation can only start once the page has shown
			// this one, after the Dispatch below: it finds this save under
			// way, and waits for it.
			if err == nil {
				saveStep(slug, st.Next)
			}
		}()
		ctx.Dispatch(func(ctx app.Context) {
			if gen != pl.gen {
				return
			}
			if err != nil {
				// The engine did not answer with a state: the page
				// keeps the one it shows.
				reportError("The player stopped", err)
				pl.busy, pl.status = false, ""
				return
			}
			if st.Err != "" {
				reportError("The player stopped", errors.New(st.Err))
			}
			pl.apply(ctx, st)
		})
	})
}

// saveStep saves the step the learner reached, after the saves before it.
func saveStep(slug string, next int) {
	progressSaves.Lock()
	defer progressSaves.Unlock()
	if err := progressUpdate(slug, func(pr *store.ExerciseProgress) { pr.Step = next }); err != nil {
		reportError("Could not save your progress", err)
	}
}

func (pl *player) runStep(ctx app.Context) {
	if pl.st.Done || pl.runOpeningStep(ctx) {
		return
	}
	pl.do(ctx, fmt.Sprintf("Running step %d…", pl.st.Next+1), playCall(wire.MethodPlayStep))
}

func (pl *player) runAll(ctx app.Context) {
	if pl.st.Done {
		return
	}
	pl.do(ctx, "Running every step…", playCall(wire.MethodPlayRunAll))
}

func (pl *player) stepBack(ctx app.Context) {
	if pl.st.Next == 0 {
		return
	}
	pl.do(ctx, "Stepping back…", playCall(wire.MethodPlayBack))
}

func (pl *player) restart(ctx app.Context) {
	pl.do(ctx, "Starting over on a fresh world…", playCall(wire.MethodPlayRestart))
}

// apply shows a new state, with the selection the engine made in it and
// its details (see wire.PlayState): after a step forward, the token the
// step issued is selected, and the last request a service checked against
// RBAC.
func (pl *player) apply(ctx app.Context, st wire.PlayState) {
	pl.show(st)
	if st.Commands > 0 {
		// An empty terminal has nothing to scroll to: reading its height
		// would only force a layout.
		scrollToEnd(ctx, "terminal")
	}
}

// show is apply without the scroll, for a state shown before the page
// has mounted.
func (pl *player) show(st wire.PlayState) {
	pl.st, pl.busy, pl.status = st, false, ""
	pl.tokenGen++
	pl.selToken, pl.tokenDetail = st.Token, st.TokenDetail
	pl.exchangeGen++
	pl.setExchange(st.Exchange, st.Decision, nil)
}

// showToken selects a token once the engine has decoded and checked it.
func (pl *player) showToken(ctx app.Context, id string) {
	pl.tokenGen++
	gen, link := pl.tokenGen, pl.link
	if id == "" || link == nil || (pl.session == 0 && pl.opening == nil) {
		pl.selToken, pl.tokenDetail = id, nil
		return
	}
	ctx.Async(func() {
		var resp wire.TokenResponse
		session, err := link.wait(ctx)
		if err == nil {
			resp, err = callEngine[wire.TokenResponse](ctx, wire.MethodToken, wire.TokenRequest{Session: session, ID: id})
		}
		ctx.Dispatch(func(ctx app.Context) {
			if gen != pl.tokenGen {
				return // another token, or another state, since
			}
			if err != nil {
				reportError("Could not decode the token", err)
			}
			pl.selToken, pl.tokenDetail = id, nil
			if err == nil && resp.Found {
				pl.tokenDetail = &resp.Detail
			}
		})
	})
}

// selectExchange selects an exchange of the diagram once the engine has
// sent its raw request and response (a state carries the selected
// exchange's only) and the decision behind it.
func (pl *player) selectExchange(ctx app.Context, i int) {
	pl.exchangeGen++
	if i < 0 || i >= len(pl.st.Seq.Exchanges) || pl.link == nil || (pl.session == 0 && pl.opening == nil) {
		pl.setExchange(-1, nil, nil)
		return
	}
	x, gen, link := pl.st.Seq.Exchanges[i], pl.exchangeGen, pl.link
	ctx.Async(func() {
		var resp wire.ExchangeResponse
		session, err := link.wait(ctx)
		if err == nil {
			resp, err = callEngine[wire.ExchangeResponse](ctx, wire.MethodExchange,
				wire.ExchangeRequest{Session: session, Seq: x.Seq, DecisionSeq: x.DecisionSeq})
		}
		ctx.Dispatch(func(ctx app.Context) {
			if gen != pl.exchangeGen {
				return // another exchange, or another state, since
			}
			if err != nil {
				reportError("Could not show the request", err)
			}
			if err != nil || !resp.Found {
				resp = wire.ExchangeResponse{}
			}
			pl.setExchange(i, resp.Decision, &resp)
		})
	})
}

// setExchange shows exchange i of the diagram (-1 for none), with its raw
// request and response from raw (nil: the state's own), and the decision
// behind it, or why there is none.
func (pl *player) setExchange(i int, d *wire.DecisionVM, raw *wire.ExchangeResponse) {
	pl.selExchange, pl.decision, pl.decisionNote, pl.raw = i, d, "", raw
	if i < 0 || i >= len(pl.st.Seq.Exchanges) {
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
	}
}

func (pl *player) Render() app.UI {
	body := pl.body()
	if !pl.embedded {
		return layout(pl.path, body)
	}
	return prerendered(app.Elem("main").ID("main").Class("page page--embed")).Body(
		body,
		app.Elem("p").Class("embed__credit").Body(
			app.Text("Made with "),
			app.Elem("a").Attr("href", Href("/")).Attr("target", "_blank").Attr("rel", "noopener").Text("miplay"),
			app.If(pl.sc != nil, func() app.UI {
				return app.Elem("span").Body(
					app.Text(" · "),
					app.Elem("a").Attr("href", Href("/play/"+pl.slug)).Attr("target", "_blank").Attr("rel", "noopener").Text("open this scenario in miplay"),
				)
			}),
		),
	)
}

func (pl *player) body() app.UI {
	if pl.missing {
		return app.Elem("section").Class("coming-soon").Aria("labelledby", "page-title").Body(
			app.Elem("h1").ID("page-title").Text("No scenario “"+pl.slug+"”"),
			app.Elem("p").Class("lede").Text("There is no scenario of that name in the library or among the ones you uploaded."),
			app.Elem("p").Body(app.Elem("a").Class("button").Attr("href", Href("/gallery")).Text("Browse the gallery")),
		)
	}
	if pl.sc == nil {
		// Not in the library: an upload being looked for, or a name
		// prerendered on the server, which cannot know.
		return app.Elem("section").Class("player player--loading").Aria("labelledby", "page-title").Body(
			app.Elem("h1").ID("page-title").Text("Scenario “"+pl.slug+"”"),
			app.If(pl.problem != "", func() app.UI {
				return app.Elem("p").Class("player__problem").Role("alert").Text(pl.problem)
			}).Else(func() app.UI {
				return app.Elem("p").Class("lede").Role("status").Text("Loading the scenario…")
			}),
		)
	}
	fm := pl.sc.FrontMatter
	st := pl.st
	total := len(pl.sc.Steps)
	// The player is ready on its opening too: see opening.go.
	live := pl.session != 0 || pl.opening != nil
	ready := live && !pl.busy
	state := "loading"
	switch {
	case ready:
		state = "ready"
	case live:
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
	// data-opening says whether the page still runs on the opening,
	// without the engine.
	return app.Elem("div").Class("player").DataSet("state", state).DataSet("next", st.Next).DataSet("opening", pl.opening != nil).Body(
		app.Elem("header").Class("player__head").Body(
			app.Elem("p").Class("eyebrow").Body(
				app.Text(levelLabel(string(fm.Level))),
				app.If(fm.Exercise, func() app.UI { return app.Text(" · Exercise") }),
			),
			app.Elem("h1").ID("page-title").Text(fm.Title),
			app.If(fm.Summary != "" && !pl.embedded, func() app.UI { return app.Elem("p").Class("lede").Text(fm.Summary) }),
			app.If(len(fm.Tags) > 0 && !pl.embedded, func() app.UI {
				return app.Elem("ul").Class("tags tags--static").Aria("label", "Tags").Body(
					app.Range(fm.Tags).Slice(func(i int) app.UI { return app.Elem("li").Class("tag").Text(fm.Tags[i]) }),
				)
			}),
			app.If(!pl.embedded, pl.actionsView),
		),
		app.Elem("div").Class("player__bar").Body(
			app.Elem("div").Class("player__progress").Body(
				app.Elem("div").Class("meter meter--wide").Role("progressbar").
					Aria("label", "Steps run").
					Aria("valuemin", 0).Aria("valuemax", total).Aria("valuenow", st.Next).
					Aria("valuetext", fmt.Sprintf("%d of %d steps run", st.Next, total)).
					Body(app.Elem("div").Class("meter__bar").Style("width", fmt.Sprintf("%d%%", pct))),
				app.Elem("span").Class("player__step").Text(stepText),
			),
			app.Elem("div").Class("controls").Role("toolbar").Aria("label", "Player controls").Body(
				control("Step back", "b", "Undo the last step: replay the ones before it on a fresh world", !ready || st.Next == 0, pl.stepBack),
				control("Run step", "n", "Run the next step's commands", !ready || st.Done, pl.runStep).Class("button--primary"),
				control("Run all", "a", "Run every remaining step, stopping at a mismatch", !ready || st.Done, pl.runAll),
				app.Elem("button").Attr("type", "button").Class("button control").
					Attr("disabled", !ready || st.Next == 0).
					Title("Start over on a fresh world").
					OnClick(func(ctx app.Context, e app.Event) { pl.restart(ctx) }).
					Text("Restart"),
			),
			app.Elem("p").Class("player__keys").Body(
				app.Text("Keys: "), app.Elem("kbd").Text("n"), app.Text(" next step · "),
				app.Elem("kbd").Text("b"), app.Text(" back · "),
				app.Elem("kbd").Text("a"), app.Text(" run all"),
			),
			app.Elem("p").Class("player__status").Role("status").Aria("live", "polite").Body(
				app.If(pl.status != "", func() app.UI { return app.Elem("span").Text(pl.status) }).
					ElseIf(st.Mismatches > 0, func() app.UI {
						what := "A command did not print what the file expects"
						if st.Mismatches > 1 {
							what = fmt.Sprintf("%d commands did not print what the file expects", st.Mismatches)
						}
						return app.Elem("span").Class("player__mismatch").Text(what + ": see the terminal.")
					}).
					ElseIf(st.Done && total > 0, func() app.UI {
						return app.Elem("span").Class("player__ok").Text("Done: every command printed what the file expects.")
					}),
			),
		),
		app.If(pl.problem != "", func() app.UI {
			return app.Elem("p").Class("player__problem").Role("alert").Text(pl.problem)
		}),
		app.Elem("div").Class("player__grid").Body(
			app.Elem("div").Class("player__main").Body(
				pl.narrationView(),
				pl.terminalView(),
			),
			app.Elem("aside").Class("player__side").Aria("label", "The simulated world").Body(
				&clockPanel{VM: st.World.Clock},
				&resourcesPanel{VM: st.World.Resources},
				&principalsPanel{VM: st.World.Principals},
				&assignmentsPanel{VM: st.World.Assignments},
			),
		),
		app.Elem("div").Class("player__flow").Body(
			&tokensPanel{
				VM: st.World.Tokens, Selected: pl.selToken, Detail: pl.tokenDetail,
				OnSelect: func(ctx app.Context, id string) { pl.showToken(ctx, id) },
			},
			&sequencePanel{
				VM: st.Seq, Title: pl.flowTitle(), Empty: pl.flowEmpty(), Selected: pl.selExchange,
				OnSelect: func(ctx app.Context, i int) { pl.selectExchange(ctx, i) },
			},
			app.If(len(st.Seq.Exchanges) > 0, func() app.UI {
				return app.Elem("div").Class("player__detail").Body(
					&exchangePanel{
						VM: pl.selectedExchange(), Number: pl.selExchange + 1,
						OnShowToken: func(ctx app.Context, id string) {
							pl.showToken(ctx, id)
							ctx.Defer(func(app.Context) { app.Window().ScrollToID("panel-tokens") })
						},
					},
					&decisionPanel{VM: pl.decision, Note: pl.decisionNote, Session: pl.session},
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
	return app.Elem("div").Class("player__actions").Body(
		app.Elem("div").Class("controls").Role("group").Aria("label", "This scenario").Body(
			app.Elem("a").ID("player-sandbox").Class("button control").
				Attr("href", Href(SandboxPath(pl.slug, next))).
				Title("A free terminal on this scenario's world "+when).
				Text("Open in the sandbox from here"),
			app.Elem("button").Attr("type", "button").ID("player-share").Class("button control").
				Title("Make a link that carries this scenario file").
				OnClick(func(ctx app.Context, e app.Event) { pl.share(ctx) }).
				Text("Share link"),
			app.Elem("button").Attr("type", "button").ID("player-download").Class("button control").
				Title("Download this scenario file (.md), which miplay run checks").
				OnClick(func(ctx app.Context, e app.Event) { pl.download(ctx) }).
				Text("Download .md"),
		),
		app.Elem("p").Class("player__note").Role("status").Aria("live", "polite").Body(
			app.If(pl.shareNote != "", func() app.UI { return app.Elem("span").Text(pl.shareNote) }),
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
	link, err := ShareScenarioLink([]byte(pl.sc.Source))
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
	downloadFile(name, "text/markdown;charset=utf-8", pl.sc.Source)
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

func (pl *player) selectedExchange() *wire.ExchangeVM {
	if pl.selExchange < 0 || pl.selExchange >= len(pl.st.Seq.Exchanges) {
		return nil
	}
	x := pl.st.Seq.Exchanges[pl.selExchange]
	if pl.raw != nil {
		x.Request, x.Response = pl.raw.Request, pl.raw.Response
	}
	return &x
}

// control is a player button with its keyboard shortcut. A further Class
// adds to its classes: go-app joins them.
func control(label, key, title string, disabled bool, op func(app.Context)) app.HTMLElem {
	return app.Elem("button").Attr("type", "button").Class("button control").
		Attr("disabled", disabled).
		Title(title+" (key "+key+")").
		Aria("keyshortcuts", key).
		OnClick(func(ctx app.Context, e app.Event) { op(ctx) }).
		Body(app.Text(label+" "), app.Elem("kbd").Aria("hidden", true).Text(key))
}

func (pl *player) narrationView() app.UI {
	steps := pl.sc.Steps
	st := pl.st
	var heading string
	var content app.UI
	var preview *wire.Step
	switch {
	case st.Next < len(steps):
		heading = fmt.Sprintf("Step %d of %d", st.Next+1, len(steps))
		content = markdownUI(steps[st.Next].HTML)
		preview = steps[st.Next]
	case pl.sc.Exercise != nil:
		heading = "Your goal"
		link := app.Elem("a").Class("button button--primary").Attr("href", Href(ExercisePath(pl.slug))).Text("Solve it in the exercise workspace")
		if pl.embedded {
			link = link.Attr("target", "_blank").Attr("rel", "noopener")
		}
		content = app.Elem("div").Body(
			markdownUI(pl.sc.Exercise.GoalHTML),
			app.Elem("p").Class("narration__next").Body(link),
		)
	default:
		heading = "The end"
		content = app.Elem("div").Body(
			app.Elem("p").Class("narration__done").Text("That was the last step. Step back to see one again, or restart."),
			app.If(strings.TrimSpace(pl.sc.Tail) != "", func() app.UI {
				return markdownUI(pl.sc.TailHTML)
			}),
		)
	}
	return app.Elem("section").Class("narration").Aria("labelledby", "narration-title").Body(
		app.Elem("h2").ID("narration-title").Class("narration__title").Text(heading),
		content,
		app.If(preview != nil, func() app.UI {
			cmds := preview.Commands
			return app.Elem("details").Class("narration__preview").Body(
				app.Elem("summary").Text(commandsText(len(cmds))),
				app.Elem("pre").Class("preview").Body(
					app.Range(cmds).Slice(func(i int) app.UI {
						return app.Elem("div").Body(
							app.Elem("span").Class("term-prompt").Text(cmds[i].Prompt()+" "),
							app.Elem("span").Text(cmds[i].Text),
						)
					}),
				),
			)
		}),
	)
}

func (pl *player) terminalView() app.UI {
	term := pl.st.Term
	return app.Elem("section").Class("terminal").Aria("labelledby", "terminal-title").Body(
		app.Elem("h2").ID("terminal-title").Class("visually-hidden").Text("Terminal"),
		app.Elem("div").ID("terminal").Class("term").Role("log").Aria("label", "Terminal").TabIndex(0).Body(
			app.If(len(term) == 0, func() app.UI {
				return app.Elem("p").Class("term__hint").Text("Commands and what they print show here. Run the first step to begin.")
			}),
			app.Range(term).Slice(func(i int) app.UI {
				s := term[i]
				return app.Elem("div").Class("term-step").DataSet("step", s.Index).Body(
					app.Elem("p").Class("term-step__label").Text(fmt.Sprintf("step %d", s.Index+1)),
					app.Range(s.Commands).Slice(func(j int) app.UI { return termCommandView(s.Commands[j]) }),
				)
			}),
		),
	)
}

func termCommandView(c wire.TermCommandVM) app.UI {
	cls := "term-cmd"
	if !c.Matched {
		cls += " is-mismatch"
	}
	return app.Elem("div").Class(cls).Body(
		app.Elem("div").Class("term-line").Body(
			app.Elem("span").Class("term-prompt").Text(c.Prompt),
			app.Text(" "),
			app.Elem("span").Class("term-text").Text(c.Text),
		),
		app.If(len(c.Chunks) > 0, func() app.UI {
			return app.Elem("pre").Class("term-out").Body(
				app.Range(c.Chunks).Slice(func(k int) app.UI {
					if c.Chunks[k].Stderr {
						return app.Elem("span").Class("term-err").Text(c.Chunks[k].Text)
					}
					return app.Text(c.Chunks[k].Text)
				}),
			)
		}),
		app.If(c.Exit != 0, func() app.UI {
			return app.Elem("div").Class("term-exit").Text(fmt.Sprintf("[exit %d]", c.Exit))
		}),
		app.If(!c.Matched, func() app.UI {
			return app.Elem("div").Class("term-mismatch").Role("note").Body(
				app.Elem("p").Class("term-mismatch__title").Text("This is not what the file expects. It expects:"),
				app.Elem("pre").Class("term-want").Text(wantText(c.Want)),
				app.If(c.Diff != "", func() app.UI {
					return app.Elem("details").Body(
						app.Elem("summary").Text("Diff from the expected output (-) to the actual one (+)"),
						app.Elem("pre").Class("term-diff").Text(c.Diff),
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
