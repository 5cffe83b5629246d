package app

// Share links and downloads. A share link carries a scenario file or a
// sandbox history in its fragment, so nothing is sent to a server:
//
//	/shared#s=BASE64URL(DEFLATE(scenario file))
//	/sandbox#h=BASE64URL(DEFLATE(JSON [{"host": "...", "line": "..."}, ...]))
//
// (a sandbox forked from a scenario keeps ?from=NAME&step=N before the
// fragment). What a link carries is untrusted: DecodeShare bounds its size
// before and after decompression, a scenario goes through scenarios.Parse
// and its Markdown through MarkdownHTML, and a history through
// DecodeHistory, which checks its shape, its length and its host names.
//
// The code here is pure Go: it builds and is tested natively.

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
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/miplay/miplay/app/store"
	"github.com/miplay/miplay/scenarios"
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
	case "", "$", scenarios.Workstation:
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

// ParseShared parses a shared scenario file. Its errors name lines of the
// shared file.
func ParseShared(data []byte) (*scenarios.Scenario, error) {
	if !utf8.Valid(data) {
		return nil, scenarios.ErrorList{{File: SharedScenarioName, Line: 1, Msg: "the file is not UTF-8 text"}}
	}
	return scenarios.Parse(SharedScenarioName, data)
}

// HistorySource is what a generated scenario starts from: a fresh world, or
// a scenario's world after its first steps.
type HistorySource struct {
	Title string // the generated scenario's title
	// FrontMatter's Seed, Start and Propagation set up the world, as in
	// the scenario the sandbox was forked from.
	FrontMatter scenarios.FrontMatter
	// Setup are the commands of the scenario's first steps, run before the
	// learner's; From names the scenario for the narration.
	Setup []store.Command
	From  string
}

// ScenarioFromHistory turns a sandbox history into a scenario file: every
// command, run again on a fresh world, with the output it prints there,
// as a console block. The engine is deterministic, so the file passes
// `miplay run`. Output lines that the format would read as something else
// (a prompt, an [exit N] line, a closing fence) are written as patterns
// that match them. A command that cannot run at all (its host does not
// exist) is left out and the narration says so.
func ScenarioFromHistory(ctx context.Context, src HistorySource, cmds []store.Command) ([]byte, error) {
	if len(src.Setup)+len(cmds) == 0 {
		return nil, errors.New("the sandbox has no command yet: run one, then download")
	}
	fm := src.FrontMatter
	r, err := scenarios.NewRunner(fm)
	if err != nil {
		return nil, err
	}
	title := oneLine(src.Title)
	if title == "" {
		title = "My sandbox"
	}
	var b strings.Builder
	b.WriteString("---\n")
	fmt.Fprintf(&b, "title: %s\n", strconv.Quote(title))
	b.WriteString("summary: Commands typed in the miplay sandbox, with what they printed.\n")
	level := fm.Level
	if level == "" {
		level = scenarios.Beginner
	}
	fmt.Fprintf(&b, "level: %s\n", level)
	b.WriteString("tags: [sandbox]\n")
	if fm.Seed != 0 {
		fmt.Fprintf(&b, "seed: %d\n", fm.Seed)
	}
	if !fm.Start.IsZero() {
		fmt.Fprintf(&b, "start: %s\n", fm.Start.UTC().Format(time.RFC3339Nano))
	}
	if fm.Propagation != 0 {
		fmt.Fprintf(&b, "propagation: %s\n", fm.Propagation)
	}
	b.WriteString("---\n\n")
	fmt.Fprintf(&b, "# %s\n\n", title)
	b.WriteString("This file was written by miplay from a sandbox: each command below ran on a\nfresh simulated tenant, and the output under it is what it printed.\n")

	// run runs one command; ok is false if it could not run at all.
	run := func(c store.Command) (res ranCommand, ok bool, err error) {
		var out strings.Builder
		host := c.Host
		if host == "" {
			host = scenarios.Workstation
		}
		exit, err := r.Run(ctx, host, c.Line, &out, &out)
		if err != nil {
			return res, false, ctx.Err()
		}
		return ranCommand{c, scenarios.OutputLines(out.String()), exit}, true, nil
	}
	if len(src.Setup) > 0 {
		fmt.Fprintf(&b, "\nThe sandbox started from %s. These commands set up that state:\n\n", codeSpan(src.From))
		var setup []ranCommand
		for _, c := range src.Setup {
			res, ok, err := run(c)
			if err != nil {
				return nil, err
			}
			if ok {
				setup = append(setup, res)
			}
		}
		b.WriteString(consoleBlock(setup...))
	}
	for i, c := range cmds {
		res, ok, err := run(c)
		if err != nil {
			return nil, err
		}
		if !ok {
			fmt.Fprintf(&b, "\nCommand %d ran on %s, which did not exist at that point, so it is left out:\n\n    %s\n", i+1, codeSpan(c.Host), c.Line)
			continue
		}
		where := "On the workstation:"
		if c.Host != "" {
			where = "Inside " + codeSpan(c.Host) + ":"
		}
		fmt.Fprintf(&b, "\n%s\n\n%s", where, consoleBlock(res))
	}
	return []byte(b.String()), nil
}

// ranCommand is a command and what it printed.
type ranCommand struct {
	c    store.Command
	out  []string
	exit int
}

// consoleBlock writes commands and their output as one console block.
func consoleBlock(cmds ...ranCommand) string {
	fence := "```"
	for _, rc := range cmds {
		for _, l := range rc.out {
			t := strings.TrimLeft(l, " \t")
			n := len(t) - len(strings.TrimLeft(t, "`"))
			if n >= len(fence) {
				fence = strings.Repeat("`", n+1)
			}
		}
	}
	var b strings.Builder
	b.WriteString(fence + "console\n")
	for _, rc := range cmds {
		line := rc.c.Line
		if n := len(line) - len(strings.TrimRight(line, `\`)); n%2 == 1 {
			// A trailing backslash would continue the command onto the
			// next line; a space after it does not, and parsing drops
			// the space.
			line += " "
		}
		b.WriteString(prompt(rc.c.Host) + " " + line + "\n")
		for _, l := range rc.out {
			b.WriteString(safeOutputLine(l) + "\n")
		}
		if rc.exit != 0 {
			fmt.Fprintf(&b, "[exit %d]\n", rc.exit)
		}
	}
	b.WriteString(fence + "\n")
	return b.String()
}

var (
	exitLineRE   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\[exit (-?[0-9]+)\]$`) })
	promptLineRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([A-Za-z0-9][A-Za-z0-9._-]*)?\$( |$)`) })
)

// safeOutputLine returns an expected-output line that matches l and that
// the scenario format reads as nothing but output. "..." matches any text
// within a line, so:
//   - control characters and invalid UTF-8 become "...";
//   - a line that looks like a prompt gets "..." right after its "$" ("$ x"
//     becomes "$... x", which matches it and is not a prompt);
//   - an [exit N] line gets "..." at its end.
//
// A line that holds "..." already matches itself.
func safeOutputLine(l string) string {
	var b strings.Builder
	for i, w := 0, 0; i < len(l); i += w {
		r, size := utf8.DecodeRuneInString(l[i:])
		w = size
		if (r == utf8.RuneError && size == 1) || (unicode.IsControl(r) && r != '\t') || r == '\u2028' || r == '\u2029' {
			if !strings.HasSuffix(b.String(), scenarios.Ellipsis) {
				b.WriteString(scenarios.Ellipsis)
			}
			continue
		}
		b.WriteRune(r)
	}
	l = b.String()
	if promptLineRE().MatchString(l) {
		i := strings.IndexByte(l, '$')
		return l[:i+1] + scenarios.Ellipsis + l[i+1:]
	}
	if exitLineRE().MatchString(strings.TrimSpace(l)) {
		return l + scenarios.Ellipsis
	}
	return l
}

// oneLine folds text onto one line of printable characters.
func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// codeSpan writes text as a Markdown code span.
func codeSpan(s string) string {
	return "`" + strings.ReplaceAll(oneLine(s), "`", "'") + "`"
}
