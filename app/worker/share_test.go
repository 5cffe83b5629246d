package worker

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/miplay/miplay/app/wire"
	"github.com/miplay/miplay/scenarios"
)

// runGenerated parses a generated file and runs it as miplay run does.
func runGenerated(t *testing.T, src []byte) {
	t.Helper()
	s, err := scenarios.Parse("generated.md", src)
	if err != nil {
		t.Fatalf("the generated file does not parse: %v\n%s", err, src)
	}
	res, err := scenarios.Run(context.Background(), s, nil, scenarios.RunOptions{KeepGoing: true})
	if err != nil || !res.Passed {
		t.Fatalf("the generated file does not pass: %v\n%s", err, src)
	}
	if lint := scenarios.Lint("generated.md", src); len(lint) > 0 {
		for _, p := range lint {
			t.Logf("lint: %s", p)
		}
	}
}

func TestScenarioFromHistory(t *testing.T) {
	ctx := context.Background()
	cmds := []wire.HistoryCommand{
		{Line: "az group create -n rg-shop -l westeurope -o none"},
		{Line: "az vm create -g rg-shop -n vm-web --image Ubuntu2204 --generate-ssh-keys --query name -o tsv"},
		{Host: "vm-web", Line: `curl -s -H Metadata:true "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://storage.azure.com/"`},
		{Line: "az vm identity assign -g rg-shop -n vm-web"},
		{Host: "vm-web", Line: `curl -s -H Metadata:true "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://storage.azure.com/" | jq -r .token_type`},
		{Line: "az vm show -g rg-shop -n nothing"}, // exits 3
		// Output the format would misread: prompts, an exit line, fences,
		// control characters, wildcards.
		{Line: `printf '$ not a command\nvm-web$ nor this\n$\n[exit 3]\n` + "```" + `\n  ~~~~\n...\na...b\n'`},
		{Line: `printf 'tab\there\r\nbell\a!\n'`},
		{Line: `echo "[exit 2]"; exit 4`},
		{Line: `echo trailing \\`},
		{Host: "vm-gone", Line: "hostname"}, // no such host: left out
		{Line: "sleep 10m && date -u"},
		{Line: `printf '\xff\xfe\n'`},
	}
	src, err := ScenarioFromHistory(ctx, wire.HistorySource{Title: "My: \"sandbox\"\n"}, cmds)
	if err != nil {
		t.Fatal(err)
	}
	runGenerated(t, src)
	s, _ := scenarios.Parse("generated.md", src)
	if s.FrontMatter.Title != `My: "sandbox"` {
		t.Errorf("title = %q", s.FrontMatter.Title)
	}
	if got, want := len(s.Steps), len(cmds)-1; got != want {
		t.Errorf("%d steps, want %d (one per command that ran)", got, want)
	}
	if !strings.Contains(string(src), "Command 11 ran on `vm-gone`") {
		t.Errorf("the file does not say that command 11 was left out:\n%s", src)
	}
	if t.Failed() {
		t.Logf("%s", src)
	}

	if _, err := ScenarioFromHistory(ctx, wire.HistorySource{}, nil); err == nil {
		t.Errorf("an empty history gave a file")
	}
}

func TestSafeOutputLine(t *testing.T) {
	for _, l := range []string{"$ x", "$", "vm-web$ ls", "[exit 3]", "  [exit 12]", "a\x00b", "\x1b[31mred\x1b[0m", "plain", "a $ b", "x$y"} {
		safe := safeOutputLine(l)
		if !scenarios.MatchLine(safe, strings.TrimRight(l, " ")) {
			t.Errorf("safeOutputLine(%q) = %q, which does not match it", l, safe)
		}
	}
}

// historyTestSession is a session with a history, as a sandbox's is.
type historyTestSession struct {
	src  wire.HistorySource
	cmds []wire.HistoryCommand
}

func (s historyTestSession) history() (wire.HistorySource, []wire.HistoryCommand) {
	return s.src, s.cmds
}

// TestScenarioFromHistoryMethod writes a file through the Host, as the page
// does: from a history it sends, or from a session's.
func TestScenarioFromHistoryMethod(t *testing.T) {
	h := NewHost()
	ctx := context.Background()
	start := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	src := wire.HistorySource{
		Title:       "Fork of a tutorial",
		FrontMatter: wire.FrontMatter{Title: "A tutorial", Level: wire.Intermediate, Seed: 7, Start: start, Propagation: 2 * time.Minute},
		Setup:       []wire.HistoryCommand{{Line: "az group create -n rg-shop -l westeurope -o none"}},
		From:        "a-tutorial",
	}
	cmds := []wire.HistoryCommand{{Line: "az group list --query [].name -o tsv"}, {Line: "date -u"}}

	sent, err := wire.Call[wire.ScenarioFromHistoryResponse](ctx, h, wire.MethodScenarioFromHistory, wire.ScenarioFromHistoryRequest{Source: src, Commands: cmds})
	if err != nil {
		t.Fatal(err)
	}
	runGenerated(t, []byte(sent.Source))
	s, _ := scenarios.Parse("generated.md", []byte(sent.Source))
	fm := s.FrontMatter
	if fm.Title != src.Title || fm.Level != scenarios.Intermediate || fm.Seed != 7 || !fm.Start.Equal(start) || fm.Propagation != 2*time.Minute {
		t.Errorf("front matter = %+v, want the title, level, seed, start and propagation sent", fm)
	}
	for _, want := range []string{"started from `a-tutorial`", "$ az group create -n rg-shop", "$ az group list --query [].name -o tsv\nrg-shop\n", "2025-03-01"} {
		if !strings.Contains(sent.Source, want) {
			t.Errorf("the file lacks %q:\n%s", want, sent.Source)
		}
	}

	id := h.open(historyTestSession{src, cmds})
	fromSession, err := wire.Call[wire.ScenarioFromHistoryResponse](ctx, h, wire.MethodScenarioFromHistory, wire.ScenarioFromHistoryRequest{Session: id, Source: wire.HistorySource{Title: "Renamed"}})
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.ReplaceAll(sent.Source, src.Title, "Renamed"); fromSession.Source != want {
		t.Errorf("from the session:\n%s\nwant the same file, titled Renamed:\n%s", fromSession.Source, want)
	}

	_, err = wire.Call[wire.ScenarioFromHistoryResponse](ctx, h, wire.MethodScenarioFromHistory, wire.ScenarioFromHistoryRequest{})
	var we *wire.Error
	if !errors.As(err, &we) || !strings.Contains(we.Message, "the sandbox has no command yet") {
		t.Errorf("an empty history: %v, want the sandbox's message", err)
	}
	if _, err := wire.Call[wire.ScenarioFromHistoryResponse](ctx, h, wire.MethodScenarioFromHistory, wire.ScenarioFromHistoryRequest{Session: id + 1}); !wire.IsCode(err, wire.CodeNoSession) {
		t.Errorf("no such session: %v, want %s", err, wire.CodeNoSession)
	}
}
