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
	var list scenarios.ErrorList
	if !errors.As(err, &list) || len(list) == 0 {
		t.Fatalf("ParseShared of a bad file = %v, want a scenarios.ErrorList", err)
	}
	for _, e := range list {
		if e.File != SharedScenarioName || e.Line < 1 {
			t.Errorf("error %v: want %s and a line number", e, SharedScenarioName)
		}
	}
	if _, err := ParseShared([]byte("\xff\xfe")); err == nil || !strings.Contains(err.Error(), "shared.md:1: the file is not UTF-8") {
		t.Errorf("ParseShared of binary = %v", err)
	}
}

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
	cmds := []store.Command{
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
	src, err := ScenarioFromHistory(ctx, HistorySource{Title: "My: \"sandbox\"\n"}, cmds)
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

	if _, err := ScenarioFromHistory(ctx, HistorySource{}, nil); err == nil {
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
