package app

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/miplay/miplay/app/store"
	"github.com/miplay/miplay/app/wire"
)

// ExercisePath returns the path of an exercise's workspace: its goal,
// hints, a terminal on its starting world, the check and the solution.
func ExercisePath(slug string) string { return "/exercise/" + url.PathEscape(slug) }

// CheckVM is the outcome of an exercise's check, for the page.
type CheckVM struct {
	Passed bool
	Rows   []CheckRowVM
	// Report is the check's report as text: the verdict and a diff for
	// each check command that did not print what the goal expects.
	Report string
}

// CheckRowVM is one check command and what it printed.
type CheckRowVM struct {
	Prompt, Command string
	Matched         bool
	Want, Got       []string
	Diff            string
}

// BuildCheck turns a check's report into its view model.
func BuildCheck(rep *wire.Report) CheckVM {
	if rep == nil {
		return CheckVM{}
	}
	vm := CheckVM{Passed: rep.Passed, Report: rep.Text}
	for _, r := range rep.Results {
		row := CheckRowVM{Prompt: wire.Prompt(r.Host), Command: r.Text, Matched: r.Matched, Got: r.GotLines(), Diff: r.Diff}
		if r.Command != nil {
			row.Prompt, row.Want = r.Command.Prompt(), r.Command.WantLines()
		}
		vm.Rows = append(vm.Rows, row)
	}
	return vm
}

// exercisePage is /exercise/{name}: an exercise's goal, its hints one at a
// time, a terminal on its starting world (its setup steps run), a Check
// button that runs the file's check commands against the learner's world
// and shows each one's outcome, and a "show the solution" that runs the
// file's solution on that world. The world is a workbench session of the
// engine's. Progress (hints shown, the learner's commands, passed) is kept
// in the store.
type exercisePage struct {
	page
	slug string
	sc   *wire.Scenario
	gen  int
	// session is the engine's workbench session of the learner's world;
	// 0 while there is none. owner closes it when the page goes.
	session int
	owner   *sessionOwner
	busy    bool
	status  string
	problem string
	missing bool

	hints    int // hints shown
	solved   bool
	solution bool // the solution has run on this world
	check    *CheckVM

	panels  worldPanels
	term    scrollback // what the terminal shows of the session
	hosts   []string
	host    string
	history []string        // the command lines, for the prompt's arrows
	cmds    []store.Command // the learner's commands, as saved; only appended to
	saves   saveQueue       // orders the writes of the progress
}

func (p *exercisePage) OnPreRender(ctx app.Context) { p.navExercise(ctx) }

func (p *exercisePage) OnNav(ctx app.Context) {
	p.navExercise(ctx)
	if app.IsServer {
		return // the learner's world is built in the browser
	}
	p.start(ctx, false)
}

// OnDismount closes the session: the page goes, and so does its world,
// even one still on its way.
func (p *exercisePage) OnDismount() {
	p.gen++
	p.owner.drop()
	p.owner, p.session = nil, 0
}

func (p *exercisePage) navExercise(ctx app.Context) {
	p.slug = lastSegment(ctx.Page().URL().Path)
	p.sc = libraryScenario(p.slug)
	title := p.slug
	if p.sc != nil {
		title = p.sc.FrontMatter.Title
	}
	p.nav(ctx, title)
}

// start loads the exercise and has the engine build its starting world and
// replay the learner's saved commands on it (or, with fresh, forgets them).
func (p *exercisePage) start(ctx app.Context, fresh bool) {
	p.gen++
	gen, slug, sel := p.gen, p.slug, p.panels.selection()
	p.owner.drop()
	owner := &sessionOwner{}
	p.owner, p.session = owner, 0
	p.busy, p.status, p.problem, p.missing, p.check, p.solution = true, "Setting up the exercise…", "", false, nil, false
	saved := p.saves.ticket()
	ctx.Async(func() {
		sc, library, err := findScenario(slug)
		if err != nil {
			ctx.Dispatch(func(ctx app.Context) {
				if gen == p.gen {
					p.busy, p.status, p.missing, p.problem = false, "", true, err.Error()
				}
			})
			return
		}
		if sc.Exercise == nil {
			ctx.Dispatch(func(ctx app.Context) {
				if gen == p.gen {
					p.sc, p.busy, p.status, p.problem = sc, false, "", "“"+sc.FrontMatter.Title+"” is a scenario, not an exercise: it has no goal to check."
				}
			})
			return
		}
		prog, _, err := loadProgress(slug)
		if err != nil {
			reportError("Could not read your progress", err)
		}
		req := benchOpening(sc, library, len(sc.Steps))
		req.ShowSetup, req.Selection = true, sel // the setup's requests, or those of the last command replayed
		if !fresh {
			req.Commands = benchCommands(prog.Commands)
		}
		u, err := callEngine[wire.WorkbenchUpdate](context.Background(), wire.MethodWorkbenchOpen, req)
		if err != nil {
			ctx.Dispatch(func(ctx app.Context) {
				if gen == p.gen {
					p.sc, p.busy, p.status, p.problem = sc, false, "", "The exercise cannot start: "+err.Error()
				}
			})
			return
		}
		if !owner.adopt(u.Session) {
			return // the page has gone, or started another world
		}
		if u.Error != "" {
			reportError("Some of your saved commands could not be replayed", errors.New(u.Error))
		}
		steps, cmds := len(sc.Steps), make([]store.Command, len(u.Commands))
		for i, c := range u.Commands {
			cmds[i] = savedCommand(c)
		}
		p.saves.write(slug, saved, func() {
			if err := progressUpdate(slug, func(pr *store.ExerciseProgress) {
				pr.Step, pr.Commands = steps, cmds
			}); err != nil {
				reportError("Could not save your progress", err)
			}
		})
		ctx.Dispatch(func(ctx app.Context) {
			if gen != p.gen {
				return
			}
			p.sc, p.busy, p.status = sc, false, ""
			p.hints, p.solved = min(prog.HintsShown, len(sc.Exercise.Hints)), prog.Solved
			p.solution = u.SolutionRan
			p.nav(ctx, sc.FrontMatter.Title)
			p.session = u.Session
			p.term, p.history, p.cmds = scrollback{}, nil, nil
			p.panels.open(u.Session)
			p.show(ctx, &u)
		})
	})
}

// show adds an update of the session to what the page shows.
func (p *exercisePage) show(ctx app.Context, u *wire.WorkbenchUpdate) {
	p.panels.apply(u)
	entries := make([]termEntry, len(u.Entries))
	for i, e := range u.Entries {
		entries[i] = termEntry{Group: exerciseGroup(e), Cmd: e.Cmd}
		if e.Kind == wire.EntryCheck {
			// The check section shows how each check command compares
			// with the goal; the terminal shows only what it printed.
			entries[i].Cmd.Matched, entries[i].Cmd.Diff, entries[i].Cmd.Want = true, "", nil
		}
	}
	p.term.add(entries, u.Skipped)
	p.hosts = u.Hosts
	if !slices.Contains(p.hosts, p.host) {
		p.host = ""
	}
	for _, c := range u.Commands {
		p.cmds = append(p.cmds, savedCommand(c))
		p.history = append(p.history, c.Line)
	}
}

// exerciseGroup labels the terminal's entries by where they come from.
func exerciseGroup(e wire.WorkbenchEntry) string {
	switch e.Kind {
	case wire.EntrySetup:
		return fmt.Sprintf("setup, step %d", e.Step+1)
	case wire.EntryCheck:
		return "check"
	case wire.EntrySolution:
		return "solution"
	}
	return "your commands"
}

// saveCommands writes the learner's commands the page has now to the
// progress, after the page has shown them: see saveQueue.
func (p *exercisePage) saveCommands(ctx app.Context) {
	slug, cmds, n := p.slug, p.cmds, p.saves.ticket()
	ctx.Async(func() {
		p.saves.write(slug, n, func() {
			if err := progressUpdate(slug, func(pr *store.ExerciseProgress) { pr.Commands = cmds }); err != nil {
				reportError("Could not save your progress", err)
			}
		})
	})
}

// do makes a call on the session off the UI goroutine, then shows what
// changed, saves the commands, and calls after.
func (p *exercisePage) do(ctx app.Context, status string, call func(ctx context.Context, session int, sel wire.WorkbenchSelection) (wire.WorkbenchUpdate, error), after func(ctx app.Context)) {
	if p.session == 0 || p.busy {
		return
	}
	p.busy, p.status = true, status
	session, gen, sel := p.session, p.gen, p.panels.selection()
	ctx.Async(func() {
		u, err := call(context.Background(), session, sel)
		ctx.Dispatch(func(ctx app.Context) {
			if gen != p.gen {
				return
			}
			p.busy, p.status = false, ""
			if err != nil {
				p.status = err.Error()
				return
			}
			p.status = u.Error
			p.show(ctx, &u)
			if len(u.Commands) > 0 {
				p.saveCommands(ctx)
			}
			if after != nil {
				after(ctx)
			}
		})
	})
}

func (p *exercisePage) run(ctx app.Context, host, line string) {
	p.do(ctx, "Running…", func(ctx context.Context, session int, sel wire.WorkbenchSelection) (wire.WorkbenchUpdate, error) {
		return callEngine[wire.WorkbenchUpdate](ctx, wire.MethodWorkbenchRun, wire.WorkbenchRunRequest{Session: session, Host: host, Line: line, Selection: sel})
	}, nil)
}

// runCheck runs the exercise's check commands on the learner's world.
func (p *exercisePage) runCheck(ctx app.Context, e app.Event) {
	var vm CheckVM
	slug := p.slug
	p.do(ctx, "Checking…", func(ctx context.Context, session int, sel wire.WorkbenchSelection) (wire.WorkbenchUpdate, error) {
		resp, err := callEngine[wire.WorkbenchCheckResponse](ctx, wire.MethodWorkbenchCheck, wire.WorkbenchRequest{Session: session, Selection: sel})
		if err != nil {
			return resp.Update, err
		}
		vm = BuildCheck(resp.Report)
		if vm.Passed {
			p.saves.update(func() {
				if err := progressUpdate(slug, func(pr *store.ExerciseProgress) { pr.Solved = true }); err != nil {
					reportError("Could not save your progress", err)
				}
			})
		}
		return resp.Update, nil
	}, func(ctx app.Context) {
		p.check = &vm
		if vm.Passed {
			p.solved = true
		}
		ctx.Defer(func(app.Context) {
			if el := app.Window().GetElementByID("exercise-check-result"); el.Truthy() {
				el.Call("focus")
			}
		})
	})
}

// showSolution runs the file's solution on the learner's world. Its
// commands are kept with the learner's, so a reload replays them.
func (p *exercisePage) showSolution(ctx app.Context, e app.Event) {
	p.do(ctx, "Running the solution…", func(ctx context.Context, session int, sel wire.WorkbenchSelection) (wire.WorkbenchUpdate, error) {
		return callEngine[wire.WorkbenchUpdate](ctx, wire.MethodWorkbenchSolution, wire.WorkbenchRequest{Session: session, Selection: sel})
	}, func(ctx app.Context) { p.solution = true })
}

func (p *exercisePage) showHint(ctx app.Context, e app.Event) {
	if p.sc == nil || p.sc.Exercise == nil || p.hints >= len(p.sc.Exercise.Hints) {
		return
	}
	p.hints++
	n, slug := p.hints, p.slug
	ctx.Async(func() {
		p.saves.update(func() {
			if err := progressUpdate(slug, func(pr *store.ExerciseProgress) { pr.HintsShown = max(pr.HintsShown, n) }); err != nil {
				reportError("Could not save your progress", err)
			}
		})
	})
	ctx.Defer(func(app.Context) {
		if el := app.Window().GetElementByID(fmt.Sprintf("hint-%d", n)); el.Truthy() {
			el.Call("focus")
		}
	})
}

func (p *exercisePage) startOver(ctx app.Context, e app.Event) {
	if p.busy {
		return
	}
	p.start(ctx, true)
}

// complete asks the engine for the completions of a line, with the names
// of the exercise's world.
func (p *exercisePage) complete(ctx app.Context, line string, cursor int, done func(ctx app.Context, c wire.Completion)) {
	completeIn(ctx, p.session, line, cursor, done)
}

func (p *exercisePage) Render() app.UI {
	return layout(p.path, app.Elem("section").Class("player exercise").Aria("labelledby", "page-title").
		DataSet("state", map[bool]string{true: "ready", false: "busy"}[p.session != 0 && !p.busy]).
		DataSet("solved", p.solved).
		Body(p.body()))
}

func (p *exercisePage) body() app.UI {
	if p.sc == nil || p.sc.Exercise == nil {
		title := "Exercise “" + p.slug + "”"
		if p.sc != nil {
			title = p.sc.FrontMatter.Title
		}
		return app.Elem("div").Body(
			app.Elem("h1").ID("page-title").Text(title),
			app.If(p.problem != "", func() app.UI {
				return app.Elem("div").Body(
					app.Elem("p").Class("player__problem").Role("alert").Text(p.problem),
					app.Elem("p").Class("actions").Body(
						app.If(p.sc != nil, func() app.UI {
							return app.Elem("a").Class("button").Attr("href", Href("/play/"+p.slug)).Text("Play the scenario")
						}),
						app.Elem("a").Class("button").Attr("href", Href("/gallery")).Text("Browse the gallery"),
					),
				)
			}).Else(func() app.UI {
				return app.Elem("p").Class("lede").Role("status").Text("Loading the exercise…")
			}),
		)
	}
	fm := p.sc.FrontMatter
	x := p.sc.Exercise
	ready := p.session != 0 && !p.busy
	return app.Elem("div").Body(
		app.Elem("header").Class("player__head").Body(
			app.Elem("p").Class("eyebrow").Text("Exercise · "+levelLabel(string(fm.Level))),
			app.Elem("h1").ID("page-title").Text(fm.Title),
			app.If(fm.Summary != "", func() app.UI { return app.Elem("p").Class("lede").Text(fm.Summary) }),
		),
		app.Elem("div").Class("player__bar workbar").Body(
			app.Elem("div").Class("controls").Role("toolbar").Aria("label", "Exercise actions").Body(
				app.Elem("button").Attr("type", "button").Class("button button--primary control").ID("exercise-check").
					Attr("disabled", !ready).
					Title("Run the goal's check commands on your world").
					OnClick(p.runCheck).Text("Check"),
				app.Elem("button").Attr("type", "button").Class("button control").ID("exercise-hint").
					Attr("disabled", p.hints >= len(x.Hints)).
					Title("Show the next hint").
					OnClick(p.showHint).
					Text(hintButtonText(p.hints, len(x.Hints))),
				app.Elem("button").Attr("type", "button").Class("button control").ID("exercise-solution").
					Attr("disabled", !ready || p.solution).
					Title("Run the file's solution on your world").
					OnClick(p.showSolution).Text("Show the solution"),
				app.Elem("button").Attr("type", "button").Class("button control").ID("exercise-reset").
					Attr("disabled", !ready).
					Title("Forget your commands and start again from the exercise's starting world").
					OnClick(p.startOver).Text("Start over"),
				app.Elem("a").Class("button control").Attr("href", Href("/play/"+p.slug)).Text("Step through the setup"),
			),
			app.Elem("span").Class("badge "+map[bool]string{true: "badge--passed", false: "badge--open"}[p.solved]).ID("exercise-status").
				Text(map[bool]string{true: "Passed", false: "Not passed yet"}[p.solved]),
			app.Elem("p").Class("player__status").Role("status").Aria("live", "polite").Body(
				app.If(p.status != "", func() app.UI { return app.Elem("span").Text(p.status) }),
			),
		),
		app.If(p.problem != "", func() app.UI {
			return app.Elem("p").Class("player__problem").Role("alert").Text(p.problem)
		}),
		app.Elem("div").Class("player__grid").Body(
			app.Elem("div").Class("player__main").Body(
				app.Elem("section").Class("narration goal").Aria("labelledby", "goal-title").Body(
					app.Elem("h2").ID("goal-title").Class("narration__title").Text("Your goal"),
					markdownUI(x.GoalHTML),
					app.Elem("details").Class("narration__preview").Body(
						app.Elem("summary").Text("How the starting world was set up"),
						app.Range(p.sc.Steps).Slice(func(i int) app.UI {
							st := p.sc.Steps[i]
							return app.Elem("div").Class("setup-step").Body(
								markdownUI(st.HTML),
								commandsPreview(st.Commands),
							)
						}),
					),
				),
				app.If(p.hints > 0, func() app.UI {
					return app.Elem("section").Class("narration hints").Aria("labelledby", "hints-title").Body(
						app.Elem("h2").ID("hints-title").Class("narration__title").Text(fmt.Sprintf("Hints (%d of %d)", p.hints, len(x.Hints))),
						app.Elem("ol").Class("hints__list").Body(
							app.Range(x.Hints[:p.hints]).Slice(func(i int) app.UI {
								return app.Elem("li").ID(fmt.Sprintf("hint-%d", i+1)).TabIndex(-1).Body(markdownUI(x.HintsHTML[i]))
							}),
						),
					)
				}),
				app.Elem("section").Class("terminal").Aria("labelledby", "exercise-term-title").Body(
					app.Elem("h2").ID("exercise-term-title").Class("narration__title terminal__title").Text("Your terminal"),
					&termScroll{
						ID: "exercise-term", Label: "Terminal output",
						Hint:    "The exercise's setup ran here. Type your commands below.",
						Entries: p.term.Entries, Trimmed: p.term.Trimmed,
						TrimNote: "They are saved: a reload runs them all again.",
					},
					&termPrompt{
						ID: "exercise-input", Hosts: p.hostsOrWorkstation(), Host: p.host, Busy: !ready, History: p.history,
						Complete: p.complete,
						OnRun:    p.run,
						OnHost:   func(ctx app.Context, h string) { p.host = h },
					},
				),
				p.checkView(),
				app.If(p.solution, func() app.UI {
					return app.Elem("section").Class("narration solution").Aria("labelledby", "solution-title").Body(
						app.Elem("h2").ID("solution-title").Class("narration__title").Text("The solution"),
						app.Elem("p").Class("panel__note").Text("These commands ran on your world; press Check to see the goal reached."),
						app.Range(x.Solution).Slice(func(i int) app.UI {
							st := x.Solution[i]
							return app.Elem("div").Body(
								markdownUI(st.HTML),
								commandsPreview(st.Commands),
							)
						}),
					)
				}),
			),
			p.panels.side(),
		),
		p.panels.flow(),
	)
}

func hintButtonText(shown, total int) string {
	switch {
	case total == 0:
		return "No hints"
	case shown >= total:
		return "All hints shown"
	}
	return fmt.Sprintf("Show a hint (%d left)", total-shown)
}

func (p *exercisePage) hostsOrWorkstation() []string {
	if len(p.hosts) == 0 {
		return []string{""}
	}
	return p.hosts
}

// checkView shows the last check: passed or not, each check command with
// what it printed, and the report.
func (p *exercisePage) checkView() app.UI {
	c := p.check
	if c == nil {
		return app.Elem("section").ID("exercise-check-result").Class("check").TabIndex(-1).Aria("labelledby", "check-title").Body(
			app.Elem("h2").ID("check-title").Class("narration__title").Text("Check"),
			app.Elem("p").Class("panel__note").Text("When you think you are done, press Check: it runs the goal's commands on your world and compares what they print with what the goal expects."),
		)
	}
	verdict := "Not yet: the goal is not reached."
	cls := "check check--failed"
	if c.Passed {
		verdict, cls = "Passed: the goal is reached.", "check check--passed"
	}
	return app.Elem("section").ID("exercise-check-result").Class(cls).TabIndex(-1).Aria("labelledby", "check-title").Body(
		app.Elem("h2").ID("check-title").Class("narration__title").Text("Check"),
		app.Elem("p").Class("check__verdict").Role("status").Text(verdict),
		app.Elem("ol").Class("check__rows").Body(
			app.Range(c.Rows).Slice(func(i int) app.UI {
				r := c.Rows[i]
				mark, state := "✗", "failed"
				if r.Matched {
					mark, state = "✓", "passed"
				}
				return app.Elem("li").Class("check__row check__row--"+state).Body(
					app.Elem("p").Class("check__cmd").Body(
						app.Elem("span").Class("check__mark").Aria("hidden", true).Text(mark+" "),
						app.Elem("span").Class("visually-hidden").Text(state+": "),
						app.Elem("code").Body(app.Elem("span").Class("term-prompt").Text(r.Prompt+" "), app.Text(r.Command)),
					),
					app.If(!r.Matched, func() app.UI {
						return app.Elem("div").Class("check__detail").Body(
							app.Elem("div").Body(
								app.Elem("p").Class("check__label").Text("The goal expects"),
								app.Elem("pre").Class("check__out").Text(wantText(r.Want)),
							),
							app.Elem("div").Body(
								app.Elem("p").Class("check__label").Text("Your world printed"),
								app.Elem("pre").Class("check__out").Text(wantText(r.Got)),
							),
						)
					}),
				)
			}),
		),
		app.Elem("details").Class("check__report").Body(
			app.Elem("summary").Text("The full report"),
			app.Elem("pre").Class("check__out").Text(strings.TrimRight(c.Report, "\n")),
		),
	)
}
