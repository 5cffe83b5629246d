package app

import (
	"testing"
	"time"
)

func TestElapsedText(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0:                                 "the scenario's start; time moves only with sleep",
		90 * time.Second:                  "1m 30s after the start",
		10 * time.Minute:                  "10m after the start",
		25 * time.Hour:                    "1d 1h after the start",
		366 * 24 * time.Hour:              "366d after the start",
		366*24*time.Hour + 5*time.Minute:  "366d 5m after the start",
		2*time.Hour + 3*time.Minute + 4e9: "2h 3m after the start",
		time.Millisecond:                  "less than a second after the start",
	} {
		if got := elapsedText(d); got != want {
			t.Errorf("elapsedText(%v) = %q, want %q", d, got, want)
		}
	}
}
