package worker

import (
	"reflect"
	"testing"

	"github.com/miplay/miplay/app/wire"
	"github.com/miplay/miplay/scenarios"
)

// Package wire repeats two small pieces of package scenarios, which it may
// not import (the page would link the engine): these tests hold them to
// the originals.

func TestOutputLinesAgree(t *testing.T) {
	for _, out := range []string{"", "\n", "a", "a\n", "a  \nb\t\r\n\n\n", "\n\nx", "x\r\ny \n"} {
		if got, want := wire.OutputLines(out), scenarios.OutputLines(out); !reflect.DeepEqual(got, want) {
			t.Errorf("OutputLines(%q) = %q, scenarios says %q", out, got, want)
		}
	}
}

func TestFileErrorsAgree(t *testing.T) {
	list := scenarios.ErrorList{
		{File: "a.md", Line: 3, Msg: "no title"},
		{File: "a.md", Line: 4, Col: 7, Msg: "unknown key"},
		{File: "a.md", Line: 9, Command: "az vm list", Msg: "output differs"},
	}
	if got, want := FileErrors(list).Error(), list.Error(); got != want {
		t.Errorf("wire says\n%s\nscenarios says\n%s", got, want)
	}
}
