package app

import (
	"fmt"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// clockPanel shows the simulated clock: time moves only when a scenario
// says so (sleep), so tokens expire and role assignments propagate on it.
type clockPanel struct {
	app.Compo
	VM ClockVM
}

func (p *clockPanel) Render() app.UI {
	return panelFrame("panel-clock", "Simulated clock", -1,
		app.P().Class("clock").Body(
			app.Time().Class("clock__now").Attr("datetime", p.VM.Now.UTC().Format(time.RFC3339)).Text(formatTime(p.VM.Now)),
			app.Span().Class("clock__elapsed").Text(elapsedText(p.VM.Elapsed)),
		),
	)
}

// elapsedText says how far the clock has moved since the scenario started.
func elapsedText(d time.Duration) string {
	if d <= 0 {
		return "the scenario's start; time moves only with sleep"
	}
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	switch {
	case h > 0 && m > 0:
		return fmt.Sprintf("%dh %dm after the start", h, m)
	case h > 0:
		return fmt.Sprintf("%dh after the start", h)
	case m > 0 && s > 0:
		return fmt.Sprintf("%dm %ds after the start", m, s)
	case m > 0:
		return fmt.Sprintf("%dm after the start", m)
	}
	return fmt.Sprintf("%ds after the start", s)
}
