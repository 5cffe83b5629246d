package app

// Share links and downloads. A share link carries a scenario file or a
// sandbox history in its fragment, so nothing is sent to a server:
//
//	/shared#s=BASE64URL(DEFLATE(scenario file))
//	/sandbox#h=BASE64URL(DEFLATE(JSON [{"host": "...", "line": "..."}, ...]))
//
// (a sandbox forked from a scenario keeps ?from=NAME&step=N before the
// fragment). What a link carries is untrusted: DecodeShare bounds its size
// before and after decompression, a scenario goes through the engine's
// parser (ParseShared) and its Markdown through the engine's MarkdownHTML
// (package worker), and a history through DecodeHistory, which checks its
// shape, its length and its host names.
//
// The encoding is pure Go, done in the page; parsing a scenario and
// writing a history as a scenario file are the engine's work, asked of its
// worker (package worker's parse and ScenarioFromHistory).

import (
	"bytes"
	"compress/flate"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/miplay/miplay/app/store"
	"github.com/miplay/miplay/app/wire"
)

// Limits on what a share link may carry.
const (
	MaxShareCompressed   = 32 << 10  // bytes of compressed payload
	MaxShareDecompressed = 256 << 10 // bytes once decompressed
	MaxHistoryCommands   = 1000      // commands in a shared history
	MaxCommandLength     = 4096      // bytes in one command line
	MaxHostLength        = 80        // bytes in a host name
)

// A ShareKind says what a share link carries.
type ShareKind string

// The kinds of share links, named by their fragment key.
const (
	ShareScenario ShareKind = "s" // a scenario file
	ShareHistory  ShareKind = "h" // a sandbox history
)

// ErrShareTooBig is returned for a payload over the share limits.
var ErrShareTooBig = errors.New("too big to share")

// EncodeShare compresses data and returns the fragment that carries it,
// such as "s=...", without the "#". It fails with ErrShareTooBig if data
// is over MaxShareDecompressed or compresses to more than
// MaxShareCompressed.
func EncodeShare(kind ShareKind, data []byte) (string, error) {
	if len(data) > MaxShareDecompressed {
		return "", fmt.Errorf("%w: %s, and a link holds at most %s", ErrShareTooBig, sizeText(len(data)), sizeText(MaxShareDecompressed))
	}
	var b bytes.Buffer
	w, err := flate.NewWriter(&b, flate.BestCompression)
	if err != nil {
		return "", err
	}
	w.Write(data)
	if err := w.Close(); err != nil {
		return "", err
	}
	if b.Len() > MaxShareCompressed {
		return "", fmt.Errorf("%w: %s compressed, and a link holds at most %s", ErrShareTooBig, sizeText(b.Len()), sizeText(MaxShareCompressed))
	}
	return string(kind) + "=" + base64.RawURLEncoding.EncodeToString(b.Bytes()), nil
}

// DecodeShare reads a share link's fragment (with or without the "#"). It
// returns what the link carries, or an error that says in a sentence why
// the link cannot be read: an unknown kind, bad base64, bad compressed
// data, or a payload over the limits (checked while decompressing, so a
// small link that expands to gigabytes is stopped at the limit).
func DecodeShare(fragment string) (ShareKind, []byte, error) {
	fragment = strings.TrimPrefix(fragment, "#")
	key, value, ok := strings.Cut(fragment, "=")
	kind := ShareKind(key)
	if !ok || (kind != ShareScenario && kind != ShareHistory) {
		return "", nil, errors.New("this link does not carry a scenario or a sandbox history: expected #s=... or #h=...")
	}
	if base64.RawURLEncoding.DecodedLen(len(value)) > MaxShareCompressed {
		return kind, nil, fmt.Errorf("this link is %w: it carries more than %s", ErrShareTooBig, sizeText(MaxShareCompressed))
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(value, "="))
	if err != nil {
		return kind, nil, errors.New("this link is damaged: its data is not valid base64url (was it cut short or edited?)")
	}
	r := flate.NewReader(bytes.NewReader(raw))
	defer r.Close()
	data, err := io.ReadAll(io.LimitReader(r, MaxShareDecompressed+1))
	if err != nil {
		return kind, nil, errors.New("this link is damaged: its data does not decompress (was it cut short or edited?)")
	}
	if len(data) > MaxShareDecompressed {
		return kind, nil, fmt.Errorf("this link is %w: it expands to more than %s", ErrShareTooBig, sizeText(MaxShareDecompressed))
	}
	return kind, data, nil
}

func sizeText(n int) string {
	if n >= 1<<10 {
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// sharedCommand is one command of a shared history, as JSON.
type sharedCommand struct {
	Host string `json:"host"`
	Line string `json:"line"`
}

// EncodeHistory returns the JSON a share link carries for a history.
func EncodeHistory(cmds []store.Command) []byte {
	list := make([]sharedCommand, len(cmds))
	for i, c := range cmds {
		list[i] = sharedCommand{Host: c.Host, Line: c.Line}
	}
	b, _ := json.Marshal(list)
	return b
}

// hostRE is what the scenario format accepts as a host name. Like the
// other regexps of the package, it is compiled on first use rather than at
// start-up, which the browser runs slowly.
var hostRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`) })

// DecodeHistory reads the JSON of a shared history: a list of
// {"host", "line"} objects, no other field. It checks every command: at
// most MaxHistoryCommands of them, each a single line of at most
// MaxCommandLength bytes of text, on the workstation ("" or "$") or on a
// host named as a compute resource is. Whether that host exists is for the
// replay to say, since commands create hosts as they run.
func DecodeHistory(data []byte) ([]store.Command, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var list []sharedCommand
	if err := dec.Decode(&list); err != nil {
		return nil, fmt.Errorf("the shared history is not a JSON list of {\"host\", \"line\"} objects: %v", err)
	}
	if dec.More() {
		return nil, errors.New("the shared history has data after its list")
	}
	if list == nil {
		return nil, errors.New("the shared history is null: expected a list of commands")
	}
	if len(list) > MaxHistoryCommands {
		return nil, fmt.Errorf("the shared history has %d commands: at most %d are accepted", len(list), MaxHistoryCommands)
	}
	cmds := make([]store.Command, 0, len(list))
	for i, c := range list {
		host, err := checkHost(c.Host)
		if err == nil {
			err = checkLine(c.Line)
		}
		if err != nil {
			return nil, fmt.Errorf("command %d of the shared history: %v", i+1, err)
		}
		cmds = append(cmds, store.Command{Host: host, Line: strings.TrimSpace(c.Line)})
	}
	return cmds, nil
}

// checkHost checks a host name and returns it as the store keeps it: ""
// for the workstation.
func checkHost(h string) (string, error) {
	switch h {
	case "", "$", wire.Workstation:
		return "", nil
	}
	if len(h) > MaxHostLength {
		return "", fmt.Errorf("host name of %d bytes: at most %d", len(h), MaxHostLength)
	}
	if !hostRE().MatchString(h) {
		return "", fmt.Errorf("host %q: expected the name of a compute resource (letters, digits, '.', '_' and '-')", h)
	}
	return h, nil
}

// checkLine checks one command line: text on one line, not empty, not too
// long.
func checkLine(l string) error {
	if len(l) > MaxCommandLength {
		return fmt.Errorf("a command of %d bytes: at most %d", len(l), MaxCommandLength)
	}
	if !utf8.ValidString(l) {
		return errors.New("the command is not valid UTF-8 text")
	}
	if strings.TrimSpace(l) == "" {
		return errors.New("an empty command")
	}
	for _, r := range l {
		if r == '\t' {
			continue
		}
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return fmt.Errorf("the command holds the control character %U: expected one line of text", r)
		}
	}
	return nil
}

// SharedScenarioName is the file name a shared scenario is parsed under,
// so that its errors read "shared.md:12: ...".
const SharedScenarioName = "shared.md"

// ParseShared asks the engine to parse a shared scenario file. A file that
// does not parse comes back as an error that holds a wire.FileErrors
// (errors.As finds it), whose problems name lines of the shared file. It
// waits for the engine: call it in Context.Async.
func ParseShared(data []byte) (*wire.Scenario, error) {
	if !utf8.Valid(data) {
		return nil, wire.FileErrors{{File: SharedScenarioName, Line: 1, Msg: "the file is not UTF-8 text"}}
	}
	return parseScenario(context.Background(), SharedScenarioName, string(data))
}

// HistoryCommands converts the commands of a history as the store keeps
// them to what the engine's scenarioFromHistory reads.
func HistoryCommands(cmds []store.Command) []wire.HistoryCommand {
	if cmds == nil {
		return nil
	}
	out := make([]wire.HistoryCommand, len(cmds))
	for i, c := range cmds {
		out[i] = wire.HistoryCommand{Host: c.Host, Line: c.Line}
	}
	return out
}

// historyScenario asks the engine to write a sandbox's history as a
// scenario file: every command, run again on a fresh world, with the
// output it prints there (package worker's ScenarioFromHistory). It waits
// for the engine: call it in Context.Async.
func historyScenario(ctx context.Context, req wire.ScenarioFromHistoryRequest) ([]byte, error) {
	resp, err := callEngine[wire.ScenarioFromHistoryResponse](ctx, wire.MethodScenarioFromHistory, req)
	if err != nil {
		return nil, err
	}
	return []byte(resp.Source), nil
}
