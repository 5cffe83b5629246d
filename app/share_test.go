//go:build !wasm

package app

import (
	"bytes"
	"compress/flate"
	"context"
	"encoding/base64"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/miplay/miplay/app/store"
	"github.com/miplay/miplay/app/wire"
	"github.com/miplay/miplay/scenarios"
)

func TestShareRoundTrip(t *testing.T) {
	for _, tt := range []struct {
		kind ShareKind
		data []byte
	}{
		{ShareScenario, []byte("---\ntitle: x\nlevel: beginner\n---\n\n```console\n$ echo hi\nhi\n```\n")},
		{ShareHistory, EncodeHistory([]store.Command{{Line: "az group create -n rg -l westeurope"}, {Host: "vm-web", Line: "curl -s http://169.254.169.254/"}})},
		{ShareScenario, bytes.Repeat([]byte("a fairly compressible line of text\n"), 7000)}, // under 256 KiB
		{ShareHistory, []byte{}},
	} {
		frag, err := EncodeShare(tt.kind, tt.data)
		if err != nil {
			t.Fatalf("EncodeShare(%s, %d bytes): %v", tt.kind, len(tt.data), err)
		}
		if !strings.HasPrefix(frag, string(tt.kind)+"=") {
			t.Errorf("fragment %.20q does not start with %s=", frag, tt.kind)
		}
		if strings.ContainsAny(frag[2:], "+/=#&?% ") {
			t.Errorf("fragment holds characters that are not base64url: %.40q", frag)
		}
		for _, in := range []string{frag, "#" + frag} {
			kind, data, err := DecodeShare(in)
			if err != nil {
				t.Fatalf("DecodeShare: %v", err)
			}
			if kind != tt.kind || !bytes.Equal(data, tt.data) {
				t.Errorf("round trip of %d bytes of %s gave %d bytes of %s", len(tt.data), tt.kind, len(data), kind)
			}
		}
	}
}

// deflated returns data compressed as share links carry it, without the
// limits EncodeShare checks.
func deflated(t *testing.T, data []byte) string {
	t.Helper()
	var b bytes.Buffer
	w, _ := flate.NewWriter(&b, flate.BestCompression)
	w.Write(data)
	w.Close()
	return base64.RawURLEncoding.EncodeToString(b.Bytes())
}

func TestShareLimits(t *testing.T) {
	// Too big to encode: over the decompressed limit.
	if _, err := EncodeShare(ShareScenario, make([]byte, MaxShareDecompressed+1)); !errors.Is(err, ErrShareTooBig) {
		t.Errorf("encoding %d bytes: %v, want ErrShareTooBig", MaxShareDecompressed+1, err)
	}
	// Too big to encode: incompressible data over the compressed limit.
	noise := make([]byte, 40<<10)
	x := uint32(1)
	for i := range noise {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		noise[i] = byte(x)
	}
	if _, err := EncodeShare(ShareScenario, noise); !errors.Is(err, ErrShareTooBig) {
		t.Errorf("encoding 40 KiB of noise: %v, want ErrShareTooBig", err)
	}
	// A decompression bomb: 24 MiB of zeros compress to about 24 KiB,
	// under the link limit; the decoder must stop at 256 KiB.
	bomb := deflated(t, make([]byte, 24<<20))
	if base64.RawURLEncoding.DecodedLen(len(bomb)) > MaxShareCompressed {
		t.Fatalf("the bomb is %d bytes: the test needs one under the compressed limit", len(bomb))
	}
	if _, _, err := DecodeShare("s=" + bomb); !errors.Is(err, ErrShareTooBig) || !strings.Contains(err.Error(), "expands") {
		t.Errorf("decoding a bomb: %v, want ErrShareTooBig saying it expands", err)
	}
	// Just over the limit after decompression.
	if _, _, err := DecodeShare("h=" + deflated(t, make([]byte, MaxShareDecompressed+1))); !errors.Is(err, ErrShareTooBig) {
		t.Errorf("decoding %d bytes: %v, want ErrShareTooBig", MaxShareDecompressed+1, err)
	}
	// Exactly at the limit is fine.
	if _, data, err := DecodeShare("h=" + deflated(t, make([]byte, MaxShareDecompressed))); err != nil || len(data) != MaxShareDecompressed {
		t.Errorf("decoding exactly %d bytes: %d bytes, %v", MaxShareDecompressed, len(data), err)
	}
	// Over the compressed limit before decoding anything.
	if _, _, err := DecodeShare("s=" + strings.Repeat("A", 50000)); !errors.Is(err, ErrShareTooBig) {
		t.Errorf("decoding a 50000-character link: %v, want ErrShareTooBig", err)
	}
}

func TestShareMalformed(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", "does not carry"},
		{"x=abc", "does not carry"},
		{"s", "does not carry"},
		{"main", "does not carry"},
		{"s=not base64!", "not valid base64url"},
		{"s=ab+/", "not valid base64url"},
		{"h=" + base64.RawURLEncoding.EncodeToString([]byte("plain text, not deflate")), "does not decompress"},
		{"s=" + deflated(t, []byte("hello"))[:3], "does not decompress"},
	} {
		_, _, err := DecodeShare(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("DecodeShare(%q) = %v, want an error saying %q", tt.in, err, tt.want)
		}
	}
}

func TestDecodeHistory(t *testing.T) {
	good := `[{"host":"","line":"az group create -n rg -l westeurope"},{"host":"$","line":"echo hi"},{"host":"vm-web","line":"  hostname  "},{"host":"workstation","line":"whoami"}]`
	got, err := DecodeHistory([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	want := []store.Command{{Line: "az group create -n rg -l westeurope"}, {Line: "echo hi"}, {Host: "vm-web", Line: "hostname"}, {Line: "whoami"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("DecodeHistory = %+v, want %+v", got, want)
	}
	back, err := DecodeHistory(EncodeHistory(want))
	if err != nil || !reflect.DeepEqual(back, want) {
		t.Errorf("round trip = %+v, %v", back, err)
	}

	many := "[" + strings.Repeat(`{"host":"","line":"x"},`, MaxHistoryCommands) + `{"host":"","line":"x"}]`
	for _, tt := range []struct{ in, want string }{
		{``, "not a JSON list"},
		{`{}`, "not a JSON list"},
		{`null`, "null"},
		{`"text"`, "not a JSON list"},
		{`[1, 2]`, "not a JSON list"},
		{`[{"host":"","line":"x","run":"evil"}]`, "not a JSON list"},
		{`[{"host":"","line":"x"}] []`, "after its list"},
		{`[{"host":"","line":""}]`, "command 1 of the shared history: an empty command"},
		{`[{"host":"","line":"x"},{"host":"vm web","line":"x"}]`, `command 2 of the shared history: host "vm web"`},
		{`[{"host":"../etc","line":"x"}]`, `host "../etc"`},
		{`[{"host":"<script>","line":"x"}]`, `host "<script>"`},
		{`[{"host":"` + strings.Repeat("v", 81) + `","line":"x"}]`, "host name of 81 bytes"},
		{`[{"host":"","line":"echo a\nrm -rf /"}]`, "control character U+000A"},
		{`[{"host":"","line":"echo \u0000"}]`, "control character U+0000"},
		{`[{"host":"","line":"` + strings.Repeat("x", MaxCommandLength+1) + `"}]`, "at most 4096"},
		{many, "at most 1000"},
	} {
		_, err := DecodeHistory([]byte(tt.in))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			in := tt.in
			if len(in) > 60 {
				in = in[:60] + "..."
			}
			t.Errorf("DecodeHistory(%q) = %v, want an error saying %q", in, err, tt.want)
		}
	}
	if _, err := DecodeHistory([]byte("[\"\xff\"]")); err == nil {
		t.Errorf("DecodeHistory accepted invalid UTF-8")
	}
}

func TestParseShared(t *testing.T) {
	_, err := ParseShared([]byte("---\ntitle: x\n---\n\n```console\nstray output\n```\n"))
	var list wire.FileErrors
	if !errors.As(err, &list) || len(list) == 0 {
		t.Fatalf("ParseShared of a bad file = %v, want a wire.FileErrors", err)
	}
	for _, e := range list {
		if e.File != SharedScenarioName || e.Line < 1 {
			t.Errorf("error %v: want %s and a line number", e, SharedScenarioName)
		}
	}
	if _, err := ParseShared([]byte("\xff\xfe")); err == nil || !strings.Contains(err.Error(), "shared.md:1: the file is not UTF-8") {
		t.Errorf("ParseShared of binary = %v", err)
	} else if !errors.As(err, &list) || len(list) != 1 || list[0].Line != 1 {
		t.Errorf("ParseShared of binary = %#v, want one problem at line 1", err)
	}
	s, err := ParseShared([]byte("---\ntitle: Shared\nlevel: beginner\n---\n\nSay hi.\n\n```console\n$ echo hi\nhi\n```\n"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != SharedScenarioName || s.FrontMatter.Title != "Shared" || len(s.Steps) != 1 || s.Steps[0].Commands[0].Text != "echo hi" {
		t.Errorf("ParseShared = %+v, want the file's title and its one step", s)
	}
}

// TestHistoryScenario writes a history as a scenario file through the
// engine, as the sandbox's download does.
func TestHistoryScenario(t *testing.T) {
	ctx := context.Background()
	cmds := []store.Command{{Line: "az group create -n rg-shop -l westeurope -o none"}, {Host: "vm-none", Line: "hostname"}, {Line: "az group list --query [].name -o tsv"}}
	src, err := historyScenario(ctx, wire.ScenarioFromHistoryRequest{Source: wire.HistorySource{Title: "Mine"}, Commands: HistoryCommands(cmds)})
	if err != nil {
		t.Fatal(err)
	}
	runGenerated(t, src)
	s, err := ParseShared(src)
	if err != nil {
		t.Fatalf("the written file does not parse: %v\n%s", err, src)
	}
	if s.FrontMatter.Title != "Mine" || len(s.Steps) != 2 {
		t.Errorf("title %q, %d steps; want Mine and a step per command that ran", s.FrontMatter.Title, len(s.Steps))
	}
	if !strings.Contains(string(src), "$ az group list --query [].name -o tsv\nrg-shop\n") {
		t.Errorf("the file lacks the output of az group list:\n%s", src)
	}
	_, err = historyScenario(ctx, wire.ScenarioFromHistoryRequest{})
	if err == nil || err.Error() != "the sandbox has no command yet: run one, then download" {
		t.Errorf("an empty history: %v", err)
	}
	if got := HistoryCommands(cmds); len(got) != 3 || got[1] != (wire.HistoryCommand{Host: "vm-none", Line: "hostname"}) {
		t.Errorf("HistoryCommands = %+v", got)
	}
}

// runGenerated parses a generated file and runs it as miplay run does. (The
// workbench's tests check their downloads with it.)
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
}
