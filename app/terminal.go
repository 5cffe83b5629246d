package app

import (
	"fmt"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/miplay/miplay/app/wire"
)

// The terminal the learner types into: a scrollback of what ran (rendered
// as the player renders its terminal, with termCommandView) and a prompt
// line with a host selector, command history on the arrow keys and Tab
// completion. The page that uses it owns the world (a workbench session of
// the engine's): the prompt only turns keys into calls of OnRun, OnHost and
// Complete.

// termEntry is one command in the scrollback, with a label for the group
// it belongs to ("step 2", "check", ...; "" for the learner's own).
type termEntry struct {
	Group string
	Cmd   wire.TermCommandVM
}

// The scrollback keeps the last commands only, as a terminal does: past
// maxScrollback, the oldest are trimmed in one go, down to
// keepScrollback. Every command stays in the workbench (saved, replayed,
// downloaded); only the page forgets their output. Trimming in one go
// rather than one command at a time matters: go-app matches children by
// position, so a window sliding by one would change every command's
// props and re-render them all, each time.
const (
	maxScrollback  = wire.MaxScrollback
	keepScrollback = wire.KeepScrollback
)

// scrollback is what a terminal shows, built as commands run: each
// command the engine sends becomes an entry once. Entries is only
// appended to (a trim makes a new slice), so on the next render go-app
// finds every termCmd's props the same values as before and leaves them
// alone.
type scrollback struct {
	Entries []termEntry
	Trimmed int // commands no longer shown, the oldest
}

// add adds the entries of the commands that ran since the last add, and
// counts skipped older ones that ran too, which the engine did not send
// since the trim would drop them at once (wire.WorkbenchUpdate.Skipped).
func (s *scrollback) add(entries []termEntry, skipped int) {
	if len(entries) == 0 && skipped == 0 {
		return
	}
	s.Trimmed += skipped
	s.Entries = append(s.Entries, entries...)
	if n := len(s.Entries); n > maxScrollback {
		drop := n - keepScrollback
		s.Trimmed += drop
		s.Entries = append([]termEntry(nil), s.Entries[drop:]...)
	}
}

// termScroll is the scrollback, one termCmd per command. A termCmd's props
// do not change once rendered, so go-app leaves it alone: a new command
// mounts one termCmd, and the work of a render is bounded by the
// scrollback's length, whatever the length of the history.
type termScroll struct {
	app.Compo

	ID, Label, Hint string
	Entries         []termEntry
	Trimmed         int
	// TrimNote ends the line that says how many commands were trimmed:
	// where they can still be found.
	TrimNote string
}

func (t *termScroll) Render() app.UI {
	entries := t.Entries
	// The groups are runs of entries with the same label.
	type group struct {
		label    string
		from, to int
	}
	var groups []group
	for i, e := range entries {
		if i == 0 || e.Group != entries[i-1].Group {
			groups = append(groups, group{label: e.Group, from: i})
		}
		groups[len(groups)-1].to = i + 1
	}
	return app.Elem("div").ID(t.ID).Class("term").Role("log").Aria("label", t.Label).TabIndex(0).DataSet("commands", t.Trimmed+len(entries)).Body(
		app.If(len(entries) == 0 && t.Trimmed == 0, func() app.UI {
			return app.Elem("p").Class("term__hint").Text(t.Hint)
		}),
		app.If(t.Trimmed > 0, func() app.UI {
			return app.Elem("p").Class("term__hint term__trimmed").Text(fmt.Sprintf("%s not shown: the terminal keeps the last %d to %d. %s",
				plural(t.Trimmed, "earlier command"), keepScrollback, maxScrollback, t.TrimNote))
		}),
		app.Range(groups).Slice(func(i int) app.UI {
			g := groups[i]
			return app.Elem("div").Class("term-step").Body(
				app.If(g.label != "", func() app.UI {
					return app.Elem("p").Class("term-step__label").Text(g.label)
				}),
				app.Range(entries[g.from:g.to]).Slice(func(j int) app.UI { return &termCmd{VM: entries[g.from+j].Cmd} }),
			)
		}),
	)
}

// OnUpdate scrolls to the last command once the new ones are on the page.
// The scrollback does it itself, with its own context: a page's context
// may be that of a button the update removes (Run these commands), and
// go-app drops what such a context defers.
func (t *termScroll) OnUpdate(ctx app.Context) { scrollToEnd(ctx, t.ID) }

func (t *termScroll) OnMount(ctx app.Context) { scrollToEnd(ctx, t.ID) }

// termCmd is one command of a scrollback. Its VM is the same value on
// every render (its Chunks are the entry's), so go-app, which updates a
// component only when a field differs, renders it once.
type termCmd struct {
	app.Compo
	VM wire.TermCommandVM
}

func (c *termCmd) Render() app.UI { return termCommandView(c.VM) }

// scrollToEnd scrolls a scrollback to its last line once the page has
// updated, in the next animation frame: reading scrollHeight needs a
// layout, which the frame makes anyway; read during the update, it would
// force one more.
func scrollToEnd(ctx app.Context, id string) {
	ctx.Defer(func(app.Context) {
		var f app.Func
		f = app.FuncOf(func(app.Value, []app.Value) any {
			f.Release()
			if t := app.Window().GetElementByID(id); t.Truthy() {
				t.Set("scrollTop", t.Get("scrollHeight"))
			}
			return nil
		})
		app.Window().Call("requestAnimationFrame", f)
	})
}

// termPrompt is the terminal's input line.
type termPrompt struct {
	app.Compo

	ID      string   // the input's id; the host selector's is ID+"-host"
	Hosts   []string // "" is the workstation
	Host    string
	Busy    bool
	History []string // earlier command lines, oldest first
	// Complete asks for the completions at a cursor position in a line,
	// and calls done with them when they come (completeIn), on the UI
	// goroutine; or never, if there are none to offer.
	Complete func(ctx app.Context, line string, cursor int, done func(ctx app.Context, c wire.Completion))
	OnRun    func(ctx app.Context, host, line string)
	OnHost   func(ctx app.Context, host string)

	value   string
	histPos int    // index in History while browsing it; len(History) when not
	draft   string // what was typed before browsing the history
	cands   []string
	escaped bool // Esc was pressed: the next Tab leaves the input
	asked   int  // Tabs pressed: an answer to an earlier one is dropped
	onKey   app.Func
	input   app.Value
}

func (p *termPrompt) OnMount(ctx app.Context) {
	p.histPos = len(p.History)
	// The keys are handled in a listener of our own, not through go-app's
	// OnKeyDown: go-app runs handlers after the event has returned, too
	// late to keep Tab from moving the focus or the arrows from moving the
	// caret.
	p.onKey = app.FuncOf(func(_ app.Value, args []app.Value) any {
		if len(args) == 0 {
			return nil
		}
		e := args[0]
		if e.Get("isComposing").Bool() || e.Get("altKey").Bool() || e.Get("ctrlKey").Bool() || e.Get("metaKey").Bool() {
			return nil
		}
		target := e.Get("target")
		value := target.Get("value").String()
		cursor := target.Get("selectionStart").Int()
		switch e.Get("key").String() {
		case "Enter":
			e.Call("preventDefault")
			ctx.Dispatch(func(ctx app.Context) { p.run(ctx, value) })
		case "Tab":
			if e.Get("shiftKey").Bool() || p.escaped || strings.TrimSpace(value) == "" {
				p.escaped = false
				return nil // let the focus move on
			}
			e.Call("preventDefault")
			ctx.Dispatch(func(ctx app.Context) { p.complete(ctx, value, cursor) })
		case "ArrowUp":
			e.Call("preventDefault")
			ctx.Dispatch(func(ctx app.Context) { p.browse(ctx, value, -1) })
		case "ArrowDown":
			e.Call("preventDefault")
			ctx.Dispatch(func(ctx app.Context) { p.browse(ctx, value, +1) })
		case "Escape":
			p.escaped = true
			ctx.Dispatch(func(ctx app.Context) { p.cands = nil })
		default:
			p.escaped = false
			if len(p.cands) > 0 {
				ctx.Dispatch(func(ctx app.Context) { p.cands = nil })
			}
		}
		return nil
	})
	ctx.Defer(func(app.Context) {
		p.input = app.Window().GetElementByID(p.ID)
		if p.input.Truthy() {
			p.input.Call("addEventListener", "keydown", p.onKey)
		}
	})
}

func (p *termPrompt) OnDismount() {
	if p.onKey != nil {
		if p.input != nil && p.input.Truthy() {
			p.input.Call("removeEventListener", "keydown", p.onKey)
		}
		p.onKey.Release()
		p.onKey = nil
	}
}

func (p *termPrompt) OnUpdate(ctx app.Context) {
	if p.histPos > len(p.History) || p.value == "" {
		p.histPos = len(p.History)
	}
}

func (p *termPrompt) run(ctx app.Context, line string) {
	if p.Busy || strings.TrimSpace(line) == "" || p.OnRun == nil {
		return
	}
	p.setValue(ctx, "", 0)
	p.draft, p.cands = "", nil
	p.asked++ // a completion still on its way was for this line
	p.histPos = len(p.History) + 1
	p.OnRun(ctx, p.Host, line)
}

// setValue sets the input's text and puts the caret at pos. It writes the
// DOM at once: go-app only writes the value when it differs from the last
// one it rendered, and a caret moved later would land in the middle of
// what the learner types next.
func (p *termPrompt) setValue(ctx app.Context, v string, pos int) {
	p.value = v
	if p.input != nil && p.input.Truthy() {
		p.input.Set("value", v)
		p.input.Call("setSelectionRange", pos, pos)
	}
}

// complete asks for the completions at the cursor, and applies them when
// they come, unless the learner pressed Tab again, or changed the line or
// moved the caret, meanwhile.
func (p *termPrompt) complete(ctx app.Context, line string, cursor int) {
	if p.Complete == nil {
		return
	}
	p.asked++
	asked := p.asked
	p.Complete(ctx, line, cursor, func(ctx app.Context, c wire.Completion) {
		if asked != p.asked {
			return
		}
		if p.input != nil && p.input.Truthy() && (p.input.Get("value").String() != line || p.input.Get("selectionStart").Int() != cursor) {
			return
		}
		nl, pos := c.Apply(line, cursor)
		p.cands = nil
		if len(c.Candidates) > 1 {
			p.cands = c.Candidates
		}
		if nl != line {
			p.setValue(ctx, nl, pos)
		}
	})
}

// browse moves through the history: dir -1 is older, +1 newer.
func (p *termPrompt) browse(ctx app.Context, current string, dir int) {
	n := len(p.History)
	if n == 0 {
		return
	}
	if p.histPos > n {
		p.histPos = n
	}
	if p.histPos == n {
		p.draft = current
	}
	pos := p.histPos + dir
	if pos < 0 || pos > n {
		return
	}
	p.histPos = pos
	v := p.draft
	if pos < n {
		v = p.History[pos]
	}
	p.cands = nil
	p.setValue(ctx, v, len(v))
}

func (p *termPrompt) Render() app.UI {
	hostID := p.ID + "-host"
	helpID := p.ID + "-help"
	candsID := p.ID + "-cands"
	return app.Elem("div").Class("prompt").Body(
		app.Elem("div").Class("prompt__row").Body(
			app.Elem("label").Class("prompt__label").Attr("for", hostID).Text("Run on"),
			app.Elem("select").ID(hostID).Class("prompt__host").
				Title("Where the command runs: your workstation, or inside a compute resource").
				OnChange(func(ctx app.Context, e app.Event) {
					if p.OnHost != nil {
						h := ctx.JSSrc().Get("value").String()
						if h == "$" {
							h = ""
						}
						p.OnHost(ctx, h)
					}
				}).
				Body(app.Range(p.Hosts).Slice(func(i int) app.UI {
					// The workstation's value is "$": an option whose value is
					// empty reads as its text.
					h := p.Hosts[i]
					value, label := "$", "workstation"
					if h != "" {
						value, label = h, h
					}
					return app.Elem("option").Attr("value", value).Attr("selected", h == p.Host).Text(label)
				})),
			app.Elem("span").Class("prompt__ps").Aria("hidden", true).Text(wire.Prompt(p.Host)),
			app.Elem("label").Class("visually-hidden").Attr("for", p.ID).Text("Command"),
			// The input's text lives in the DOM: typing re-renders
			// nothing (a render would go up to the whole page); keys and
			// setValue read and write it there.
			app.ElemSelfClosing("input").ID(p.ID).Class("prompt__input").Attr("type", "text").
				Attr("autocomplete", false).
				Attr("autocapitalize", "off").
				Attr("autocorrect", "off").
				Attr("spellcheck", "false").
				Attr("placeholder", "az group list").
				Aria("describedby", helpID).
				Aria("controls", candsID),
			app.Elem("button").Attr("type", "button").Class("button button--primary prompt__run").
				Attr("disabled", p.Busy).
				OnClick(func(ctx app.Context, e app.Event) {
					if p.input != nil && p.input.Truthy() {
						p.run(ctx, p.input.Get("value").String())
						p.input.Call("focus")
					}
				}).
				Text("Run"),
		),
		app.Elem("ul").ID(candsID).Class("prompt__cands").Aria("label", "Completions").Aria("live", "polite").Body(
			app.Range(p.cands).Slice(func(i int) app.UI {
				return app.Elem("li").Text(p.cands[i])
			}),
		),
		app.Elem("p").ID(helpID).Class("prompt__help").Body(
			app.Elem("kbd").Text("Enter"), app.Text(" runs · "),
			app.Elem("kbd").Text("↑"), app.Text(" "), app.Elem("kbd").Text("↓"), app.Text(" history · "),
			app.Elem("kbd").Text("Tab"), app.Text(" completes commands, flags and names · "),
			app.Elem("kbd").Text("Esc"), app.Text(" then "), app.Elem("kbd").Text("Tab"), app.Text(" leaves the terminal"),
			app.If(p.Busy, func() app.UI { return app.Elem("span").Class("prompt__busy").Text(" · running…") }),
		),
	)
}
