package app

import (
	"context"
	"errors"
	"testing"

	"github.com/miplay/miplay/app/wire"
)

// TestSendEngine checks that a call sent now and waited for later answers
// as callEngine does, and that an engine's error comes back as one.
func TestSendEngine(t *testing.T) {
	ctx := context.Background()
	src := "---\ntitle: Hi\nlevel: beginner\n---\n\nSay hi.\n\n```console\n$ echo hi\nhi\n```\n"
	wait := sendEngine[wire.ParseResponse](wire.MethodParse, wire.ParseRequest{Name: "hi.md", Source: src})
	want, err := callEngine[wire.ParseResponse](ctx, wire.MethodParse, wire.ParseRequest{Name: "hi.md", Source: src})
	if err != nil {
		t.Fatal(err)
	}
	got, err := wait(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got.Scenario == nil || got.Scenario.FrontMatter.Title != want.Scenario.FrontMatter.Title || len(got.Scenario.Steps) != 1 {
		t.Errorf("sent: %+v, want %+v", got.Scenario, want.Scenario)
	}

	_, err = sendEngine[wire.ParseResponse](wire.MethodParse, wire.ParseRequest{Name: "bad.md", Source: "no front matter"})(ctx)
	var we *wire.Error
	if !errors.As(err, &we) || len(we.Problems) == 0 {
		t.Errorf("a file that does not parse: %v, want a *wire.Error with its problems", err)
	}

	done, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := sendEngine[wire.ParseResponse]("no-such-method", struct{}{})(done); err == nil {
		t.Error("waiting with a done context: no error")
	}
}
