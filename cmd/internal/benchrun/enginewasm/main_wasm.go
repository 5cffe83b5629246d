//go:build js && wasm

package main

import (
	"context"
	"encoding/json"
	"syscall/js"

	"github.com/miplay/miplay/app/webcrypto"
	"github.com/miplay/miplay/bench/workload"
	"github.com/miplay/miplay/scenarios"
)

func main() {
	webcrypto.Install() // as miplay's main does: the page measures the app's engine
	g := js.Global()
	fail := func(err error) { g.Set("benchError", err.Error()) }
	src := g.Get("benchScenario")
	if src.Type() != js.TypeString {
		fail(errorString("window.benchScenario is not set"))
		return
	}
	s, err := scenarios.Parse(workload.ReplaySlug+".md", []byte(src.String()))
	if err != nil {
		fail(err)
		return
	}
	tries := 7
	if n := g.Get("benchTries"); n.Type() == js.TypeNumber {
		tries = n.Int()
	}
	rt, err := workload.TimeReplay(context.Background(), s, tries)
	if err != nil {
		fail(err)
		return
	}
	b, _ := json.Marshal(rt)
	g.Set("benchResult", string(b))
}

type errorString string

func (e errorString) Error() string { return string(e) }
