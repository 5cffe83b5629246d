package app

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/miplay/miplay/app/store"
	"github.com/miplay/miplay/app/wire"
)

// SandboxPath returns the path of the sandbox: a fresh world if slug is
// "", or the world of the scenario slug after its first steps (steps of
// them; 0 is its starting world).
func SandboxPath(slug string, steps int) string {
	if slug == "" {
		return "/sandbox"
	}
	return "/sandbox?" + url.Values{"from": {slug}, "step": {strconv.Itoa(steps)}}.Encode()
}

// sandboxOrigin is what a sandbox starts from: a fresh world (the zero
// value) or a scenario after its first Step steps.
type sandboxOrigin struct {
	Scenario string
	Step     int
}

// historyID is the key the sandbox's history is saved under: one history
// per starting point.
func (o sandboxOrigin) historyID() string {
	if o.Scenario == "" {
		return "sandbox"
	}
	return fmt.Sprintf("from:%s@%d", o.Scenario, o.Step)
}

// parseOrigin reads ?from=NAME&step=N.
func parseOrigin(q url.Values) (sandboxOrigin, error) {
	o := sandboxOrigin{Scenario: strings.TrimSpace(q.Get("from"))}
	if o.Scenario == "" {
		return sandboxOrigin{}, nil
	}
	if s := q.Get("step"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > 10000 {
			return o, fmt.Errorf("step=%q: expected the number of steps to run first, such as step=2", s)
		}
		o.Step = n
	}
	return o, nil
}

// sandboxPage is /sandbox: a free terminal on a fresh world, or on a
// scenario's world after its first steps (?from=NAME&step=N), with the
// player's panels beside it. The world is a workbench session of the
// engine's; the page keeps what it shows of it. What the learner types is
// saved, per starting point, and replayed on a fresh world after a reload.
type sandboxPage struct {
	page
	origin sandboxOrigin
	title  string // the scenario's title, for a fork
	gen    int
	// session is the engine's workbench session of the world shown; 0
	// while there is none. owner closes it when the page goes.
	session int
	owner   *sessionOwner
	shares  *sessionOwner             // the session a share link's commands are opening
	opening wire.WorkbenchOpenRequest // where session's world came from, without its commands
	busy    bool
	status  string
	problem string
	panels  worldPanels
	term    scrollback // what the terminal shows of the session
	hosts   []string
	host    string
	history []string        // the command lines, for the prompt's arrows
	cmds    []store.Command // the learner's commands, as saved; only appended to

	saves      saveQueue       // orders the writes of the history
	shared     []store.Command // commands a share link carries, not run yet
	sharedNote string          // why a share link cannot be used
	shareLink  string
	shareNote  string
}

func (p *sandboxPage) OnPreRender(ctx app.Context) { p.nav(ctx, "Sandbox") }

func (p *sandboxPage) OnNav(ctx app.Context) {
	p.nav(ctx, "Sandbox")
	u := ctx.Page().URL()
	origin, err := parseOrigin(u.Query())
	p.shared, p.sharedNote, p.shareLink, p.shareNote = nil, "", "", ""
	p.readFragment(u.Fragment)
	if p.session != 0 && origin == p.origin && err == nil {
		return // the same sandbox: only the fragment changed
	}
	p.origin = origin
	if err != nil {
		p.problem = "This sandbox link is not right: " + err.Error()
		return
	}
	if app.IsServer {
		// The prerendered page: the world is built in the browser.
		p.busy, p.status = true, "Starting the simulated tenant…"
		return
	}
	p.start(ctx, false)
}

// OnDismount closes the session: the page goes, and so does its world,
// even one still on its way.
func (p *sandboxPage) OnDismount() {
	p.gen++
	p.owner.drop()
	p.shares.drop()
	p.owner, p.shares, p.session = nil, nil, 0
}

// readFragment looks for a share link's history in the URL fragment.
func (p *sandboxPage) readFragment(frag string) {
	if frag == "" {
		return
	}
	kind, data, err := DecodeShare(frag)
	switch {
	case err != nil:
		p.sharedNote = "The shared link cannot be opened: " + err.Error()
	case kind == ShareScenario:
		p.sharedNote = "This link carries a scenario file, not a sandbox history."
	default:
		cmds, err := DecodeHistory(data)
		if err != nil {
			p.sharedNote = "The shared link cannot be opened: " + err.Error()
		} else if len(cmds) == 0 {
			p.sharedNote = "The shared link carries no command."
		} else {
			p.shared = cmds
		}
	}
}

// start has the engine build the sandbox's world, and replay the saved
// history on it (or, with fresh, forgets the history).
func (p *sandboxPage) start(ctx app.Context, fresh bool) {
	p.gen++
	gen, origin, sel := p.gen, p.origin, p.panels.selection()
	p.owner.drop()
	p.shares.drop()
	owner := &sessionOwner{}
	p.owner, p.shares, p.session = owner, nil, 0
	p.busy, p.problem, p.status = true, "", "Starting the simulated tenant…"
	forget := 0
	if fresh {
		forget = p.saves.ticket()
	}
	ctx.Async(func() {
		var sc *wire.Scenario
		library := false
		title := ""
		if origin.Scenario != "" {
			var err error
			sc, library, err = findScenario(origin.Scenario)
			if err != nil {
				p.fail(ctx, gen, "The sandbox cannot start: "+err.Error())
				return
			}
			title = sc.FrontMatter.Title
		}
		req := benchOpening(sc, library, origin.Step)
		opening := req
		if fresh {
			p.saves.write(origin.historyID(), forget, func() {
				if err := historyDelete(origin.historyID()); err != nil {
					reportError("Could not forget the sandbox's commands", err)
				}
			})
		} else if h, ok, err := historyLoad(origin.historyID()); err != nil {
			reportError("Could not read the sandbox's saved commands", err)
		} else if ok {
			req.Commands = benchCommands(h.Commands)
		}
		req.Selection = sel
		u, err := callEngine[wire.WorkbenchUpdate](context.Background(), wire.MethodWorkbenchOpen, req)
		if err != nil {
			p.fail(ctx, gen, "The sandbox cannot start: "+err.Error())
			return
		}
		if !owner.adopt(u.Session) {
			return // the page has gone, or started another world
		}
		if u.Error != "" {
			reportError("Some saved commands could not be replayed", errors.New(u.Error))
		}
		ctx.Dispatch(func(ctx app.Context) {
			if gen != p.gen {
				return
			}
			p.opening, p.title, p.busy, p.status = opening, title, false, ""
			if title != "" {
				p.nav(ctx, "Sandbox · "+title)
			}
			p.open(u.Session)
			p.show(ctx, &u)
		})
	})
}

func (p *sandboxPage) fail(ctx app.Context, gen int, msg string) {
	ctx.Dispatch(func(ctx app.Context) {
		if gen == p.gen {
			p.busy, p.status, p.problem = false, "", msg
		}
	})
}

// open starts showing a session: its terminal, its history and its panels
// start again.
func (p *sandboxPage) open(session int) {
	p.session = session
	p.term, p.history, p.cmds = scrollback{}, nil, nil
	p.panels.open(session)
}

// show adds an update of the session to what the page shows.
func (p *sandboxPage) show(ctx app.Context, u *wire.WorkbenchUpdate) {
	p.panels.apply(u)
	entries := make([]termEntry, len(u.Entries))
	for i, e := range u.Entries {
		entries[i] = termEntry{Group: sandboxGroup(e), Cmd: e.Cmd}
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

// sandboxGroup labels the terminal's entries: the scenario's steps, then
// the learner's commands.
func sandboxGroup(e wire.WorkbenchEntry) string {
	if e.Kind == wire.EntrySetup {
		return fmt.Sprintf("step %d of the scenario", e.Step+1)
	}
	return "your commands"
}

// historyOf is the record the sandbox's commands are saved in, without
// the commands.
func (p *sandboxPage) historyOf() store.SandboxHistory {
	return store.SandboxHistory{ID: p.origin.historyID(), Title: p.historyTitle()}
}

// save writes the commands the page has now to IndexedDB, after the page
// has shown them: see saveQueue.
func (p *sandboxPage) save(ctx app.Context) {
	h, cmds, n := p.historyOf(), p.cmds, p.saves.ticket()
	ctx.Async(func() {
		p.saves.write(h.ID, n, func() {
			h.Commands, h.Updated = cmds, time.Now()
			if err := historySave(h); err != nil {
				reportError("Could not save the sandbox's commands", err)
			}
		})
	})
}

func (p *sandboxPage) historyTitle() string {
	if p.title == "" {
		return "Sandbox"
	}
	return fmt.Sprintf("Sandbox from “%s” after %d step(s)", p.title, p.origin.Step)
}

// run runs one of the learner's commands.
func (p *sandboxPage) run(ctx app.Context, host, line string) {
	if p.session == 0 || p.busy {
		return
	}
	p.busy, p.status = true, "Running…"
	req := wire.WorkbenchRunRequest{Session: p.session, Host: host, Line: line, Selection: p.panels.selection()}
	gen := p.gen
	ctx.Async(func() {
		u, err := callEngine[wire.WorkbenchUpdate](context.Background(), wire.MethodWorkbenchRun, req)
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
			p.shareLink, p.shareNote = "", ""
			p.show(ctx, &u)
			if len(u.Commands) > 0 {
				p.save(ctx)
			}
		})
	})
}

// runShared replaces the sandbox's commands with those of a share link,
// after replaying them on a fresh world: a link whose commands cannot all
// run there (a host that does not exist at that point) changes nothing.
func (p *sandboxPage) runShared(ctx app.Context) {
	if len(p.shared) == 0 || p.busy {
		return
	}
	cmds, origin, gen := p.shared, p.origin, p.gen
	p.busy, p.status = true, fmt.Sprintf("Running the %d shared commands…", len(cmds))
	req := p.opening
	req.Commands, req.Strict, req.Selection = benchCommands(cmds), true, p.panels.selection()
	owner := &sessionOwner{}
	p.shares = owner
	ctx.Async(func() {
		u, err := callEngine[wire.WorkbenchUpdate](context.Background(), wire.MethodWorkbenchOpen, req)
		if err == nil && !owner.adopt(u.Session) {
			return // the page has gone, or started another world
		}
		ctx.Dispatch(func(ctx app.Context) {
			if gen != p.gen || p.shares != owner {
				owner.drop()
				return
			}
			p.shares = nil
			p.busy, p.status = false, ""
			if err != nil {
				p.sharedNote = "The shared commands cannot run here, so your sandbox is unchanged: " + err.Error()
				p.shared = nil
				return
			}
			p.shared, p.sharedNote = nil, ""
			p.owner.drop()
			p.owner = owner
			p.open(u.Session)
			p.show(ctx, &u)
			replaceURL(Href(SandboxPath(origin.Scenario, origin.Step)))
			p.save(ctx)
		})
	})
}

func (p *sandboxPage) dismissShared(ctx app.Context, e app.Event) {
	p.shared, p.sharedNote = nil, ""
	replaceURL(Href(SandboxPath(p.origin.Scenario, p.origin.Step)))
}

// startOver forgets the commands and starts on a fresh world.
func (p *sandboxPage) startOver(ctx app.Context) {
	if p.busy {
		return
	}
	p.shareLink, p.shareNote = "", ""
	p.start(ctx, true)
}

// share makes a link that carries the commands, shows it and copies it.
func (p *sandboxPage) share(ctx app.Context) {
	if p.session == 0 {
		return
	}
	cmds := p.cmds
	if len(cmds) == 0 {
		p.shareLink, p.shareNote = "", "Run a command first: the link carries your commands."
		return
	}
	frag, err := EncodeShare(ShareHistory, EncodeHistory(cmds))
	if err != nil {
		p.shareLink, p.shareNote = "", "These commands are "+err.Error()+". Download them as a scenario file instead."
		return
	}
	p.shareLink = pageOrigin() + Href(SandboxPath(p.origin.Scenario, p.origin.Step)) + "#" + frag
	p.shareNote = "Link ready."
	copyText(ctx, p.shareLink, func(ctx app.Context, ok bool) {
		if ok {
			p.shareNote = "Link copied to the clipboard."
		} else {
			p.shareNote = "Copy the link below."
		}
	})
}

// download saves the commands, run again on a fresh world with their
// output, as a scenario file.
func (p *sandboxPage) download(ctx app.Context) {
	if p.session == 0 || p.busy {
		return
	}
	if len(p.cmds) == 0 && p.origin.Scenario == "" {
		p.shareNote = "Run a command first: the file holds your commands and what they print."
		return
	}
	p.busy, p.status = true, "Writing the scenario file…"
	title := p.historyTitle()
	name := "sandbox.md"
	if p.origin.Scenario != "" {
		name = fmt.Sprintf("sandbox-%s-step-%d.md", p.origin.Scenario, p.origin.Step)
	}
	gen, session := p.gen, p.session
	ctx.Async(func() {
		src, err := historyScenario(context.Background(), wire.ScenarioFromHistoryRequest{Session: session, Source: wire.HistorySource{Title: title}})
		ctx.Dispatch(func(ctx app.Context) {
			if gen != p.gen {
				return
			}
			p.busy, p.status = false, ""
			if err != nil {
				p.shareNote = "Could not write the file: " + err.Error()
				return
			}
			downloadFile(name, "text/markdown;charset=utf-8", string(src))
			p.shareNote = "Downloaded " + name + ": a scenario file that `miplay run` checks."
		})
	})
}

// complete asks the engine for the completions of a line, with the names
// of the sandbox's world.
func (p *sandboxPage) complete(ctx app.Context, line string, cursor int, done func(ctx app.Context, c wire.Completion)) {
	completeIn(ctx, p.session, line, cursor, done)
}

func (p *sandboxPage) Render() app.UI {
	heading := "Sandbox"
	lede := "A free terminal on a simulated Azure tenant. Create resource groups, VMs and storage accounts with az, give them identities and roles, then run curl inside a VM and watch the tokens flow."
	if p.origin.Scenario != "" {
		name := p.title
		if name == "" {
			name = p.origin.Scenario
		}
		heading = "Sandbox: " + name
		when := "at its start"
		if p.origin.Step > 0 {
			when = "after " + plural(p.origin.Step, "step")
		}
		lede = fmt.Sprintf("The world of “%s” %s, yours to change. Nothing you type here changes the scenario.", name, when)
	}
	ready := p.session != 0 && !p.busy
	return layout(p.path,
		app.Elem("section").Class("player sandbox").Aria("labelledby", "page-title").DataSet("state", map[bool]string{true: "ready", false: "busy"}[ready]).Body(
			app.Elem("header").Class("player__head").Body(
				app.Elem("p").Class("eyebrow").Text("Sandbox"),
				app.Elem("h1").ID("page-title").Text(heading),
				app.Elem("p").Class("lede").Text(lede),
			),
			app.If(p.problem != "", func() app.UI {
				return app.Elem("p").Class("player__problem").Role("alert").Text(p.problem)
			}),
			p.sharedBanner(),
			app.Elem("div").Class("player__bar workbar").Body(
				app.Elem("div").Class("controls").Role("toolbar").Aria("label", "Sandbox actions").Body(
					app.Elem("button").Attr("type", "button").Class("button control").ID("sandbox-share").
						Attr("disabled", !ready).
						Title("Make a link that carries your commands").
						OnClick(func(ctx app.Context, e app.Event) { p.share(ctx) }).
						Text("Share link"),
					app.Elem("button").Attr("type", "button").Class("button control").ID("sandbox-download").
						Attr("disabled", !ready).
						Title("Download your commands and their output as a scenario file").
						OnClick(func(ctx app.Context, e app.Event) { p.download(ctx) }).
						Text("Download .md"),
					&uploadControl{ID: "sandbox-upload"},
					app.Elem("button").Attr("type", "button").Class("button control").ID("sandbox-reset").
						Attr("disabled", !ready).
						Title("Forget your commands and start on a fresh world").
						OnClick(func(ctx app.Context, e app.Event) { p.startOver(ctx) }).
						Text("Start over"),
				),
				app.Elem("p").Class("player__status").Role("status").Aria("live", "polite").Body(
					app.If(p.status != "", func() app.UI { return app.Elem("span").Text(p.status) }).
						ElseIf(p.shareNote != "", func() app.UI { return app.Elem("span").Text(p.shareNote) }),
				),
				app.If(p.shareLink != "", func() app.UI { return shareBox("sandbox-link", p.shareLink) }),
			),
			app.Elem("div").Class("player__grid").Body(
				app.Elem("div").Class("player__main").Body(
					app.Elem("section").Class("terminal").Aria("labelledby", "sandbox-term-title").Body(
						app.Elem("h2").ID("sandbox-term-title").Class("visually-hidden").Text("Terminal"),
						&termScroll{
							ID: "sandbox-term", Label: "Terminal output",
							Hint:    "Type a command below, such as az group create -n rg-demo -l westeurope. Tab completes.",
							Entries: p.term.Entries, Trimmed: p.term.Trimmed,
							TrimNote: "Download .md keeps them all, with their output.",
						},
						&termPrompt{
							ID: "sandbox-input", Hosts: p.hostsOrWorkstation(), Host: p.host, Busy: !ready, History: p.history,
							Complete: p.complete,
							OnRun:    p.run,
							OnHost:   func(ctx app.Context, h string) { p.host = h },
						},
					),
				),
				p.panels.side(),
			),
			p.panels.flow(),
		),
	)
}

func (p *sandboxPage) hostsOrWorkstation() []string {
	if len(p.hosts) == 0 {
		return []string{""}
	}
	return p.hosts
}

// sharedBanner offers to run the commands a share link carries, or says
// why the link cannot be used.
func (p *sandboxPage) sharedBanner() app.UI {
	if p.sharedNote != "" {
		return app.Elem("div").Class("banner banner--problem").Role("alert").Body(
			app.Elem("p").Text(p.sharedNote),
			app.Elem("button").Attr("type", "button").Class("button button--small").OnClick(p.dismissShared).Text("Dismiss"),
		)
	}
	if len(p.shared) == 0 {
		return nil
	}
	cmds := p.shared
	return app.Elem("section").Class("banner").Aria("labelledby", "shared-title").Body(
		app.Elem("h2").ID("shared-title").Class("banner__title").Text(fmt.Sprintf("This link carries %s", plural(len(cmds), "command"))),
		app.Elem("p").Text("Running them replaces the commands of this sandbox. They run only in the simulated tenant in this page."),
		app.Elem("ol").Class("banner__cmds").Body(
			app.Range(cmds).Slice(func(i int) app.UI {
				return app.Elem("li").Body(
					app.Elem("code").Body(
						app.Elem("span").Class("term-prompt").Text(wire.Prompt(cmds[i].Host)+" "),
						app.Text(cmds[i].Line),
					),
				)
			}),
		),
		app.Elem("div").Class("controls").Body(
			app.Elem("button").Attr("type", "button").Class("button button--primary").ID("shared-run").
				Attr("disabled", p.busy).
				OnClick(func(ctx app.Context, e app.Event) { p.runShared(ctx) }).
				Text("Run these commands"),
			app.Elem("button").Attr("type", "button").Class("button").OnClick(p.dismissShared).Text("Dismiss"),
		),
	)
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
