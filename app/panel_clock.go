package app

import (
	"fmt"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/miplay/miplay/app/wire"
)

// clockPanel shows the simulated clock: time moves only when a scenario
// says so (sleep), so tokens expire and role assignments propagate on it.
type clockPanel struct {
	app.Compo
	VM wire.ClockVM
}

func (p *clockPanel) Render() app.UI {
	return panelFrame("panel-clock", "Simulated clock", -1,
		app.Elem("p").Class("clock").Body(
			app.Elem("time").Class("clock__now").Attr("datetime", p.VM.Now.UTC().Format(time.RFC3339)).Text(wire.FormatTime(p.VM.Now)),
			app.Elem("span").Class("clock__elapsed").Text(elapsedText(p.VM.Elapsed)),
		),
	)
}

// elapsedText says how far the clock has moved since the scenario started.
func elapsedText(d time.Duration) string {
	if d <= 0 {
		return "the scenario's start; time moves only with sleep"
	}
	days, h, m, s := int(d/(24*time.Hour)), int(d.Hours())%24, int(d.Minutes())%60, int(d.Seconds())%60
	var parts []string
	add := func(n int, unit string) {
		if n > 0 && len(parts) < 2 {
			parts = append(parts, fmt.Sprintf("%d%s", n, unit))
		}
	}
	add(days, "d")
	add(h, "h")
	add(m, "m")
	add(s, "s")
	if len(parts) == 0 {
		return "less than a second after the start"
	}
	return strings.Join(parts, " ") + " after the start"
}
