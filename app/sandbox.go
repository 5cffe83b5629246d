package app

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/miplay/miplay/app/store"
	"github.com/miplay/miplay/scenarios"
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

// findScenario returns the scenario of the library, or else of the
// learner's uploads, with that slug. It waits for IndexedDB: call it in
// Context.Async.
func findScenario(slug string) (*scenarios.Scenario, error) {
	if s := libraryScenario(slug); s != nil {
		return engineScenario(s), nil
	}
	u, ok, err := loadUploaded(slug)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("there is no scenario %q in the library or among the ones you uploaded", slug)
	}
	s, err := parseUploaded(context.Background(), u)
	if err != nil {
		return nil, err
	}
	return engineScenario(s), nil
}

// sandboxPage is /sandbox: a free terminal on a fresh world, or on a
// scenario's world after its first steps (?from=NAME&step=N), with the
// player's panels beside it. What the learner types is saved, per
// starting point, and replayed on a fresh world after a reload.
type sandboxPage struct {
	page
	origin   sandboxOrigin
	title    string // the scenario's title, for a fork
	gen      int
	bench    *workbench
	busy     bool
	status   string
	problem  string
	panels   worldPanels
	builder  *panelsBuilder // the panels' builder for bench
	term     scrollback     // what the terminal shows of bench
	termOf   *workbench     // the workbench term shows
	groupFn  func(*scenarios.CommandResult) string
	hosts    []string
	host     string
	history  []string
	names    WorldNames
	namesAt  int // the length of the transcript names were read at; -1 if never
	setupCnt int // commands of the scenario's steps at the top of the terminal

	saving     sync.Mutex      // held while the history is written; see save
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
	if p.bench != nil && origin == p.origin && err == nil {
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

// start builds the sandbox's world, then replays the saved history (or,
// with fresh, forgets it).
func (p *sandboxPage) start(ctx app.Context, fresh bool) {
	p.gen++
	gen, origin := p.gen, p.origin
	p.bench, p.busy, p.problem, p.status = nil, true, "", "Starting the simulated tenant…"
	ctx.Async(func() {
		var sc *scenarios.Scenario
		var err error
		title := ""
		if origin.Scenario != "" {
			sc, err = findScenario(origin.Scenario)
			if err != nil {
				p.fail(ctx, gen, "The sandbox cannot start: "+err.Error())
				return
			}
			title = sc.FrontMatter.Title
		}
		bg := context.Background()
		b, err := newWorkbench(bg, sc, origin.Step)
		if err != nil {
			p.fail(ctx, gen, "The sandbox cannot start: "+err.Error())
			return
		}
		setup := len(b.Transcript())
		if fresh {
			p.saving.Lock()
			err := historyDelete(origin.historyID())
			p.saving.Unlock()
			if err != nil {
				reportError("Could not forget the sandbox's commands", err)
			}
		} else if h, ok, err := historyLoad(origin.historyID()); err != nil {
			reportError("Could not read the sandbox's saved commands", err)
		} else if ok {
			if err := b.Replay(bg, h.Commands); err != nil {
				reportError("Some saved commands could not be replayed", err)
			}
		}
		mark := b.NextSeq()
		if n := len(b.Transcript()); n > setup {
			mark = b.LastFrom() // show the requests of the last command replayed
		}
		pb := &panelsBuilder{}
		ps := pb.snapshot(b, mark)
		ctx.Dispatch(func(ctx app.Context) {
			if gen != p.gen {
				return
			}
			p.bench, p.builder, p.title, p.setupCnt, p.busy, p.status = b, pb, title, setup, false, ""
			if title != "" {
				p.nav(ctx, "Sandbox · "+title)
			}
			p.show(ctx, ps)
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

// show updates the view from the workbench. The terminal and the
// command history only get what is new since the last time.
func (p *sandboxPage) show(ctx app.Context, ps worldPanels) {
	b := p.bench
	prev := p.panels
	p.panels = ps
	p.panels.settle(&prev)
	if p.termOf != b {
		p.term, p.termOf, p.groupFn, p.history, p.namesAt = scrollback{}, b, p.groupOf(), nil, -1
	}
	p.term.sync(b.Transcript(), p.groupFn, nil)
	p.hosts = b.Hosts()
	if !contains(p.hosts, p.host) {
		p.host = ""
	}
	for _, c := range b.commands[len(p.history):] {
		p.history = append(p.history, c.Line)
	}
}

// groupOf labels the terminal's entries: the scenario's steps, then the
// learner's commands.
func (p *sandboxPage) groupOf() func(*scenarios.CommandResult) string {
	stepOf := map[*scenarios.Command]int{}
	if s := p.bench.scenario; s != nil {
		for _, st := range s.Steps {
			for _, c := range st.Commands {
				stepOf[c] = st.Index
			}
		}
	}
	return func(r *scenarios.CommandResult) string {
		if i, ok := stepOf[r.Command]; ok && r.Command != nil {
			return fmt.Sprintf("step %d of the scenario", i+1)
		}
		return "your commands"
	}
}

// historyOf is the record the sandbox's commands are saved in, without
// the commands.
func (p *sandboxPage) historyOf() store.SandboxHistory {
	return store.SandboxHistory{ID: p.origin.historyID(), Title: p.historyTitle()}
}

// save writes b's commands to IndexedDB. Its caller holds p.saving, taken
// before the page could start another command: a command's history is
// saved after the page shows its output (the cost, the whole history as
// JSON and a round trip to IndexedDB, grows with the history and is not
// the learner's to wait for), so the next command may run meanwhile, and
// the lock keeps the saves in the order of the commands.
func (p *sandboxPage) save(h store.SandboxHistory, cmds []store.Command) {
	h.Commands, h.Updated = cmds, time.Now()
	if err := historySave(h); err != nil {
		reportError("Could not save the sandbox's commands", err)
	}
}

func (p *sandboxPage) historyTitle() string {
	if p.title == "" {
		return "Sandbox"
	}
	return fmt.Sprintf("Sandbox from “%s” after %d step(s)", p.title, p.origin.Step)
}

// run runs one of the learner's commands.
func (p *sandboxPage) run(ctx app.Context, host, line string) {
	if p.bench == nil || p.busy {
		return
	}
	p.busy, p.status = true, "Running…"
	b, pb, gen, h := p.bench, p.builder, p.gen, p.historyOf()
	ctx.Async(func() {
		mark := b.NextSeq()
		_, err := b.Run(context.Background(), host, line)
		ps := pb.snapshot(b, mark)
		cmds := b.Commands() // before the next command can run
		p.saving.Lock()
		ctx.Dispatch(func(ctx app.Context) {
			if gen != p.gen {
				return
			}
			p.busy, p.status = false, ""
			if err != nil {
				p.status = err.Error()
			}
			p.shareLink, p.shareNote = "", ""
			p.show(ctx, ps)
		})
		if err == nil {
			p.save(h, cmds)
		}
		p.saving.Unlock()
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
	ctx.Async(func() {
		var sc *scenarios.Scenario
		if p.bench != nil {
			sc = p.bench.scenario
			if origin.Scenario == "" {
				sc = nil
			}
		}
		bg := context.Background()
		b, err := newWorkbench(bg, sc, origin.Step)
		if err == nil {
			err = b.Replay(bg, cmds)
		}
		pb := &panelsBuilder{}
		var ps worldPanels
		if err == nil {
			ps = pb.snapshot(b, b.LastFrom())
		}
		ctx.Dispatch(func(ctx app.Context) {
			if gen != p.gen {
				return
			}
			p.busy, p.status = false, ""
			if err != nil {
				p.sharedNote = "The shared commands cannot run here, so your sandbox is unchanged: " + err.Error()
				p.shared = nil
				return
			}
			p.shared, p.sharedNote = nil, ""
			p.bench, p.builder = b, pb
			p.show(ctx, ps)
			replaceURL(Href(SandboxPath(origin.Scenario, origin.Step)))
			h, cmds := p.historyOf(), b.Commands()
			ctx.Async(func() {
				p.saving.Lock()
				defer p.saving.Unlock()
				p.save(h, cmds)
			})
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
	if p.bench == nil {
		return
	}
	cmds := p.bench.Commands()
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
	if p.bench == nil || p.busy {
		return
	}
	b := p.bench
	if len(b.Commands()) == 0 && p.origin.Scenario == "" {
		p.shareNote = "Run a command first: the file holds your commands and what they print."
		return
	}
	p.busy, p.status = true, "Writing the scenario file…"
	title := p.historyTitle()
	name := "sandbox.md"
	if p.origin.Scenario != "" {
		name = fmt.Sprintf("sandbox-%s-step-%d.md", p.origin.Scenario, p.origin.Step)
	}
	gen := p.gen
	ctx.Async(func() {
		src, err := ScenarioFromHistory(context.Background(), b.Source(title), b.Commands())
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

// complete completes a line with the names of the world, read on the first
// Tab after a command has run rather than after every command.
func (p *sandboxPage) complete(line string, cursor int) Completion {
	if b := p.bench; b != nil && !p.busy && p.namesAt != len(b.Transcript()) {
		p.names, p.namesAt = b.Names(), len(b.Transcript())
	}
	return Complete(line, cursor, DefaultCommandTable(), p.names)
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
	ready := p.bench != nil && !p.busy
	return layout(p.path,
		app.Section().Class("player sandbox").Aria("labelledby", "page-title").DataSet("state", map[bool]string{true: "ready", false: "busy"}[ready]).Body(
			app.Header().Class("player__head").Body(
				app.P().Class("eyebrow").Text("Sandbox"),
				app.H1().ID("page-title").Text(heading),
				app.P().Class("lede").Text(lede),
			),
			app.If(p.problem != "", func() app.UI {
				return app.P().Class("player__problem").Role("alert").Text(p.problem)
			}),
			p.sharedBanner(),
			app.Div().Class("player__bar workbar").Body(
				app.Div().Class("controls").Role("toolbar").Aria("label", "Sandbox actions").Body(
					app.Button().Type("button").Class("button control").ID("sandbox-share").
						Disabled(!ready).
						Title("Make a link that carries your commands").
						OnClick(func(ctx app.Context, e app.Event) { p.share(ctx) }).
						Text("Share link"),
					app.Button().Type("button").Class("button control").ID("sandbox-download").
						Disabled(!ready).
						Title("Download your commands and their output as a scenario file").
						OnClick(func(ctx app.Context, e app.Event) { p.download(ctx) }).
						Text("Download .md"),
					&uploadControl{ID: "sandbox-upload"},
					app.Button().Type("button").Class("button control").ID("sandbox-reset").
						Disabled(!ready).
						Title("Forget your commands and start on a fresh world").
						OnClick(func(ctx app.Context, e app.Event) { p.startOver(ctx) }).
						Text("Start over"),
				),
				app.P().Class("player__status").Role("status").Aria("live", "polite").Body(
					app.If(p.status != "", func() app.UI { return app.Span().Text(p.status) }).
						ElseIf(p.shareNote != "", func() app.UI { return app.Span().Text(p.shareNote) }),
				),
				app.If(p.shareLink != "", func() app.UI { return shareBox("sandbox-link", p.shareLink) }),
			),
			app.Div().Class("player__grid").Body(
				app.Div().Class("player__main").Body(
					app.Section().Class("terminal").Aria("labelledby", "sandbox-term-title").Body(
						app.H2().ID("sandbox-term-title").Class("visually-hidden").Text("Terminal"),
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
		return app.Div().Class("banner banner--problem").Role("alert").Body(
			app.P().Text(p.sharedNote),
			app.Button().Type("button").Class("button button--small").OnClick(p.dismissShared).Text("Dismiss"),
		)
	}
	if len(p.shared) == 0 {
		return nil
	}
	cmds := p.shared
	return app.Section().Class("banner").Aria("labelledby", "shared-title").Body(
		app.H2().ID("shared-title").Class("banner__title").Text(fmt.Sprintf("This link carries %s", plural(len(cmds), "command"))),
		app.P().Text("Running them replaces the commands of this sandbox. They run only in the simulated tenant in this page."),
		app.Ol().Class("banner__cmds").Body(
			app.Range(cmds).Slice(func(i int) app.UI {
				return app.Li().Body(
					app.Code().Body(
						app.Span().Class("term-prompt").Text(prompt(cmds[i].Host)+" "),
						app.Text(cmds[i].Line),
					),
				)
			}),
		),
		app.Div().Class("controls").Body(
			app.Button().Type("button").Class("button button--primary").ID("shared-run").
				Disabled(p.busy).
				OnClick(func(ctx app.Context, e app.Event) { p.runShared(ctx) }).
				Text("Run these commands"),
			app.Button().Type("button").Class("button").OnClick(p.dismissShared).Text("Dismiss"),
		),
	)
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
