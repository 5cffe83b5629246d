package shell

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// POSIX regular expressions as GNU grep and sed read them, translated into
// Go's regexp syntax. The lexer follows gnulib's dfa.c (which decides what
// a character means: an operator, an anchor or itself, and which stray
// backslashes to warn about) and reports errors in the words of glibc's
// regcomp, which grep and sed print. Matching is leftmost-longest, as
// POSIX requires: callers use (*regexp.Regexp).Longest.
//
// What Go's RE2 cannot do is refused by name: back-references, and \< or
// \> where a plain word boundary would not mean the same.

// A reSyntax is the flavour of a pattern.
type reSyntax int

const (
	reBasic    reSyntax = iota // grep -G, sed: \( \) \{ \} \| \+ \?
	reExtended                 // grep -E, sed -E: ( ) { } | + ?
)

// reFlavor says which program reads the pattern.
type reFlavor int

const (
	reGrep reFlavor = iota // warnings about stray backslashes, as grep 3.8+
	reSed                  // \n and \t mean newline and tab, no warnings
)

// A reError is a pattern the program refuses: the message is the program's
// own ("Unmatched ( or \\("), or says what miplay does not simulate.
type reError struct {
	msg          string
	notSimulated bool
}

func (e *reError) Error() string { return e.msg }

// goWordClass is GNU's word constituent ([_[:alnum:]], with the letters
// and digits of the UTF-8 locale) as a Go character class body.
const goWordClass = `\p{L}\p{Nd}_`

type reTok int

const (
	tEnd reTok = iota
	tAtom
	tBegLine
	tEndLine
	tBegWord
	tEndWord
	tLimWord
	tNotLimWord
	tBackref
	tStar
	tPlus
	tQmark
	tRep
	tOr
	tLParen
	tRParen
)

// A reAtom is one translated atom, with what \< and \> need to know.
type reAtom struct {
	re string
	// word: every string the atom matches is made of word characters;
	// nonEmpty: it matches at least one character.
	word, nonEmpty bool
}

type reLexer struct {
	pat       string
	i         int
	syntax    reSyntax
	flavor    reFlavor
	laststart bool
	lasttok   reTok
	parens    int
	warnings  []string
	// the current token
	tok      reTok
	atom     reAtom
	min, max int // tRep; max -1 for no bound
	backref  int
}

// reNever is a Go assertion that never holds: an anchor for a place where
// the text it stands for cannot be (the start of a line, inside it).
const reNever = `\b\B`

// translatePOSIX translates one pattern (no newlines) into Go syntax.
// Warnings are printed by the caller, prefixed "warning: ".
func translatePOSIX(pat string, syntax reSyntax, flavor reFlavor) (string, []string, error) {
	return translateAnchored(pat, syntax, flavor, "^", "$")
}

// translateAnchored is translatePOSIX with the Go text for the line
// anchors, for matching a part of a line as if it were inside the line:
// reNever where the start or end of the line cannot be.
func translateAnchored(pat string, syntax reSyntax, flavor reFlavor, begLine, endLine string) (string, []string, error) {
	if err := checkRegcomp(pat, syntax); err != nil {
		return "", nil, err
	}
	lx := &reLexer{pat: pat, syntax: syntax, flavor: flavor, laststart: true, lasttok: tEnd}
	p := &reParser{lx: lx, begLine: begLine, endLine: endLine}
	if err := lx.next(); err != nil {
		return "", nil, err
	}
	br, _, err := p.regexp()
	if err != nil {
		return "", nil, err
	}
	if lx.tok != tEnd {
		// An unmatched ")" in ERE is ordinary and never reaches here; in
		// BRE regcomp has already refused "\)".
		return "", nil, &reError{msg: "Unmatched ) or \\)"}
	}
	return br, lx.warnings, nil
}

// ---- The lexer, after dfa.c's lex() ----

func (lx *reLexer) ere() bool { return lx.syntax == reExtended }

func (lx *reLexer) set(t reTok) reTok {
	lx.tok, lx.lasttok = t, t
	return t
}

func (lx *reLexer) normal(r rune) error {
	lx.laststart = false
	word := r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
	lx.atom = reAtom{re: regexp.QuoteMeta(string(r)), word: word, nonEmpty: true}
	lx.set(tAtom)
	return nil
}

func (lx *reLexer) next() error {
	if lx.i >= len(lx.pat) {
		lx.set(tEnd)
		return nil
	}
	r, size := utf8.DecodeRuneInString(lx.pat[lx.i:])
	lx.i += size
	backslash := false
	if r == '\\' {
		if lx.i >= len(lx.pat) {
			return &reError{msg: "Trailing backslash"}
		}
		backslash = true
		r, size = utf8.DecodeRuneInString(lx.pat[lx.i:])
		lx.i += size
	}
	ere := lx.ere()
	switch r {
	case '\\':
		return lx.normal(r)
	case '^':
		if backslash {
			return lx.normal(r)
		}
		if ere || lx.lasttok == tEnd || lx.lasttok == tLParen || lx.lasttok == tOr {
			lx.set(tBegLine)
			return nil
		}
		return lx.normal(r)
	case '$':
		if backslash {
			return lx.normal(r)
		}
		rest := lx.pat[lx.i:]
		if ere || rest == "" || strings.HasPrefix(rest, `\)`) || strings.HasPrefix(rest, `\|`) {
			lx.set(tEndLine)
			return nil
		}
		return lx.normal(r)
	case '1', '2', '3', '4', '5', '6', '7', '8', '9':
		if backslash {
			lx.laststart = false
			lx.backref = int(r - '0')
			lx.set(tBackref)
			return nil
		}
		return lx.normal(r)
	case '`', '\'':
		if backslash {
			// dfa.c reads them as line anchors, and each line is matched
			// on its own.
			if r == '`' {
				lx.set(tBegLine)
			} else {
				lx.set(tEndLine)
			}
			return nil
		}
		return lx.normal(r)
	case '<', '>', 'b', 'B':
		if backslash {
			// grep confirms word-boundary matches with glibc's regex,
			// where a repetition after one starts a new expression.
			lx.laststart = true
			lx.set(map[rune]reTok{'<': tBegWord, '>': tEndWord, 'b': tLimWord, 'B': tNotLimWord}[r])
			return nil
		}
		return lx.normal(r)
	case '?', '+':
		if backslash != !ere {
			return lx.normal(r)
		}
		if lx.laststart {
			if !ere {
				return lx.normal(r)
			}
			lx.warn(string(r) + " at start of expression")
		}
		if r == '?' {
			lx.set(tQmark)
		} else {
			lx.set(tPlus)
		}
		return nil
	case '*':
		if backslash {
			return lx.normal(r)
		}
		if lx.laststart {
			if !ere {
				return lx.normal(r)
			}
			lx.warn("* at start of expression")
		}
		lx.set(tStar)
		return nil
	case '{':
		if backslash != !ere {
			return lx.normal(r)
		}
		if !ere && lx.laststart {
			return lx.normal(r)
		}
		start := lx.i
		min, max, ok := lx.interval(backslash)
		if !ok {
			// ERE: an invalid interval is ordinary text (regcomp has
			// already refused the malformed ones it does not allow).
			lx.i = start
			return lx.normal(r)
		}
		if lx.laststart {
			lx.warn("{...} at start of expression")
		}
		lx.laststart = false
		lx.min, lx.max = min, max
		lx.set(tRep)
		return nil
	case '|':
		if backslash != !ere {
			return lx.normal(r)
		}
		lx.laststart = true
		lx.set(tOr)
		return nil
	case '(':
		if backslash != !ere {
			return lx.normal(r)
		}
		lx.parens++
		lx.laststart = true
		lx.set(tLParen)
		return nil
	case ')':
		if backslash != !ere {
			return lx.normal(r)
		}
		if lx.parens == 0 && ere {
			return lx.normal(r)
		}
		lx.parens--
		lx.laststart = false
		lx.set(tRParen)
		return nil
	case '.':
		if backslash {
			return lx.normal(r)
		}
		lx.laststart = false
		lx.atom = reAtom{re: ".", nonEmpty: true}
		lx.set(tAtom)
		return nil
	case 's', 'S', 'w', 'W':
		if !backslash {
			return lx.normal(r)
		}
		lx.laststart = false
		switch r {
		case 's':
			lx.atom = reAtom{re: `\s`, nonEmpty: true}
		case 'S':
			lx.atom = reAtom{re: `\S`, nonEmpty: true}
		case 'w':
			lx.atom = reAtom{re: "[" + goWordClass + "]", word: true, nonEmpty: true}
		case 'W':
			lx.atom = reAtom{re: "[^" + goWordClass + "]", nonEmpty: true}
		}
		lx.set(tAtom)
		return nil
	case '[':
		if backslash {
			return lx.normal(r)
		}
		lx.laststart = false
		a, err := lx.bracket()
		if err != nil {
			return err
		}
		lx.atom = a
		lx.set(tAtom)
		return nil
	case ']', '}':
		return lx.normal(r)
	}
	if backslash {
		if lx.flavor == reSed {
			switch r {
			case 'n':
				r = '\n'
			case 't':
				r = '\t'
			}
		} else {
			switch {
			case !unicode.IsPrint(r):
				lx.warn("stray \\ before unprintable character")
			case unicode.IsSpace(r):
				lx.warn("stray \\ before white space")
			default:
				lx.warn("stray \\ before " + string(r))
			}
		}
	}
	return lx.normal(r)
}

func (lx *reLexer) warn(msg string) {
	if lx.flavor == reGrep {
		lx.warnings = append(lx.warnings, msg)
	}
}

// interval reads "M}", "M,}", ",N}", "M,N}" or "," forms after "{" (with
// "\}" in BRE). ok is false for text that is not an interval.
func (lx *reLexer) interval(backslash bool) (min, max int, ok bool) {
	p := lx.pat
	i := lx.i
	digits := func() (int, bool) {
		n, any := 0, false
		for i < len(p) && p[i] >= '0' && p[i] <= '9' {
			any = true
			if n <= 32767 {
				n = n*10 + int(p[i]-'0')
			}
			i++
		}
		return n, any
	}
	min, hasMin := digits()
	max = min
	if i < len(p) && p[i] == ',' {
		i++
		var hasMax bool
		max, hasMax = digits()
		if !hasMax {
			max = -1
		}
		if !hasMin {
			min = 0
		}
	} else if !hasMin {
		return 0, 0, false
	}
	if backslash {
		if i >= len(p) || p[i] != '\\' {
			return 0, 0, false
		}
		i++
	}
	if i >= len(p) || p[i] != '}' {
		return 0, 0, false
	}
	i++
	if max >= 0 && min > max {
		return 0, 0, false
	}
	lx.i = i
	return min, max, true
}

// posixClasses are the character classes of a bracket expression.
var posixClasses = map[string]bool{
	"alpha": true, "upper": true, "lower": true, "digit": true, "xdigit": true, "space": true,
	"print": true, "punct": true, "graph": true, "cntrl": true, "blank": true, "alnum": true,
}

// bracket reads a bracket expression after "[" and translates it.
func (lx *reLexer) bracket() (reAtom, error) {
	a, end, err, colon := parseBracket(lx.pat, lx.i)
	if err != nil {
		return reAtom{}, err
	}
	if colon {
		return reAtom{}, &reError{msg: "character class syntax is [[:space:]], not [:space:]"}
	}
	lx.i = end
	return a, nil
}

// parseBracket reads the bracket expression whose "[" is just before
// p[i], returning its translation and the index after its "]". The errors
// are regcomp's; colon reports dfa.c's complaint about "[:space:]",
// which grep makes only once regcomp has accepted the pattern.
func parseBracket(p string, i int) (a reAtom, end int, err error, colon bool) {
	unmatched := &reError{msg: "Unmatched [, [^, [:, [., or [="}
	var b strings.Builder
	b.WriteByte('[')
	negate := false
	if i < len(p) && p[i] == '^' {
		negate = true
		b.WriteByte('^')
		i++
	}
	if i >= len(p) {
		return a, 0, &reError{msg: "Invalid regular expression"}, false
	}
	contentStart := i
	word := !negate
	first := true
	// elem reads one element: a character or a [.x.] / [=x=] symbol, or
	// a [:class:].
	elem := func() (r rune, class string, err error) {
		if i >= len(p) {
			return 0, "", unmatched
		}
		if p[i] == '[' && i+1 < len(p) && strings.IndexByte(":.=", p[i+1]) >= 0 {
			kind := p[i+1]
			end := strings.Index(p[i+2:], string(kind)+"]")
			if end < 0 {
				return 0, "", unmatched
			}
			name := p[i+2 : i+2+end]
			i += end + 4
			if kind == ':' {
				if !posixClasses[name] {
					return 0, "", &reError{msg: "Invalid character class name"}
				}
				return 0, name, nil
			}
			if utf8.RuneCountInString(name) != 1 {
				return 0, "", &reError{msg: "Invalid collation character"}
			}
			r, _ := utf8.DecodeRuneInString(name)
			return r, "", nil
		}
		r, size := utf8.DecodeRuneInString(p[i:])
		i += size
		return r, "", nil
	}
	for {
		if i >= len(p) {
			return a, 0, unmatched, false
		}
		if p[i] == ']' && !first {
			i++
			break
		}
		first = false
		lo, class, err := elem()
		if err != nil {
			return a, 0, err, false
		}
		if class != "" {
			if i+1 < len(p) && p[i] == '-' && p[i+1] != ']' {
				return a, 0, &reError{msg: "Invalid range end"}, false
			}
			b.WriteString("[:" + class + ":]")
			if class != "alpha" && class != "upper" && class != "lower" && class != "digit" && class != "alnum" {
				word = false
			}
			continue
		}
		hi := lo
		if i+1 < len(p) && p[i] == '-' && p[i+1] != ']' {
			i++
			var hclass string
			if hi, hclass, err = elem(); err != nil {
				return a, 0, err, false
			}
			if hclass != "" || hi < lo {
				return a, 0, &reError{msg: "Invalid range end"}, false
			}
		}
		b.WriteString(classChar(lo))
		if hi != lo {
			b.WriteString("-" + classChar(hi))
		}
		for r := lo; r <= hi && word && r-lo <= 256; r++ {
			if !(r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)) {
				word = false
			}
		}
		if hi-lo > 256 {
			word = false
		}
	}
	content := p[contentStart : i-1]
	colon = len(content) >= 2 && content[0] == ':' && content[len(content)-1] == ':' && !strings.Contains(content, "[")
	b.WriteByte(']')
	return reAtom{re: b.String(), word: word, nonEmpty: true}, i, nil, colon
}

// classChar writes one character inside a Go character class.
func classChar(r rune) string {
	if r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
		return string(r)
	}
	return fmt.Sprintf(`\x{%x}`, r)
}

// ---- The parser, after dfa.c's regexp/branch/closure/atom ----

type reParser struct {
	lx               *reLexer
	groups           int // groups closed so far, for back-references
	begLine, endLine string
}

// A piece is a closure: an atom and its repetitions. startWord and
// endWord say that every match of it that is not empty starts (ends) with
// a word character; nonEmpty that it never matches the empty string.
type rePiece struct {
	re                  string
	startWord, endWord  bool
	nonEmpty, zeroWidth bool
	anchor              reTok // tBegWord or tEndWord to resolve, else 0
}

// reInfo is what \< and \> need to know of a sequence of alternatives.
type reInfo struct{ startWord, endWord, nonEmpty bool }

func (p *reParser) regexp() (string, reInfo, error) {
	var alts []string
	info := reInfo{true, true, true}
	for {
		br, bi, err := p.branch()
		if err != nil {
			return "", info, err
		}
		alts = append(alts, br)
		info.startWord = info.startWord && bi.startWord
		info.endWord = info.endWord && bi.endWord
		info.nonEmpty = info.nonEmpty && bi.nonEmpty
		if p.lx.tok != tOr {
			break
		}
		if err := p.lx.next(); err != nil {
			return "", info, err
		}
	}
	return strings.Join(alts, "|"), info, nil
}

func (p *reParser) branch() (string, reInfo, error) {
	var pieces []rePiece
	for {
		pc, err := p.closure()
		if err != nil {
			return "", reInfo{}, err
		}
		pieces = append(pieces, pc)
		if t := p.lx.tok; t == tRParen || t == tOr || t == tEnd {
			break
		}
	}
	var b strings.Builder
	for i, pc := range pieces {
		switch pc.anchor {
		case tBegWord:
			// \< is \b when what follows must start with a word character.
			if !startsWithWord(pieces[i+1:]) {
				return "", reInfo{}, &reError{msg: `\< is simulated only before a word character`, notSimulated: true}
			}
		case tEndWord:
			if !endsWithWord(pieces[:i]) {
				return "", reInfo{}, &reError{msg: `\> is simulated only after a word character`, notSimulated: true}
			}
		}
		b.WriteString(pc.re)
	}
	info := reInfo{startWord: startsWithWord(pieces), endWord: endsWithWord(pieces)}
	for _, pc := range pieces {
		info.nonEmpty = info.nonEmpty || pc.nonEmpty
	}
	return b.String(), info, nil
}

// startsWithWord reports whether every match of the pieces starts with a
// word character.
func startsWithWord(pieces []rePiece) bool {
	for _, pc := range pieces {
		if pc.zeroWidth {
			continue
		}
		if !pc.startWord {
			return false
		}
		if pc.nonEmpty {
			return true
		}
	}
	return false
}

func endsWithWord(pieces []rePiece) bool {
	for i := len(pieces) - 1; i >= 0; i-- {
		pc := pieces[i]
		if pc.zeroWidth {
			continue
		}
		if !pc.endWord {
			return false
		}
		if pc.nonEmpty {
			return true
		}
	}
	return false
}

func (p *reParser) closure() (rePiece, error) {
	pc, err := p.atom()
	if err != nil {
		return pc, err
	}
	for {
		lx := p.lx
		var op string
		min := 1
		switch lx.tok {
		case tStar:
			op, min = "*", 0
		case tPlus:
			op = "+"
		case tQmark:
			op, min = "?", 0
		case tRep:
			if lx.max > 32767 || lx.min > 32767 {
				return pc, &reError{msg: "Regular expression too big"}
			}
			if lx.max > 1000 || lx.min > 1000 {
				return pc, &reError{msg: "repetition counts above 1000 are not simulated", notSimulated: true}
			}
			switch {
			case lx.max < 0:
				op = fmt.Sprintf("{%d,}", lx.min)
			case lx.min == lx.max:
				op = fmt.Sprintf("{%d}", lx.min)
			default:
				op = fmt.Sprintf("{%d,%d}", lx.min, lx.max)
			}
			min = lx.min
		default:
			return pc, nil
		}
		if pc.anchor != 0 {
			return pc, &reError{msg: `a repeated \< or \> is not simulated`, notSimulated: true}
		}
		pc.re = "(?:" + pc.re + ")" + op
		if min == 0 {
			pc.nonEmpty = false
		}
		if err := lx.next(); err != nil {
			return pc, err
		}
	}
}

func (p *reParser) atom() (rePiece, error) {
	lx := p.lx
	var pc rePiece
	switch lx.tok {
	case tAtom:
		pc = rePiece{re: lx.atom.re, startWord: lx.atom.word, endWord: lx.atom.word, nonEmpty: lx.atom.nonEmpty}
	case tBegLine:
		pc = rePiece{re: p.begLine, zeroWidth: true}
	case tEndLine:
		pc = rePiece{re: p.endLine, zeroWidth: true}
	case tLimWord:
		pc = rePiece{re: `\b`, zeroWidth: true}
	case tNotLimWord:
		pc = rePiece{re: `\B`, zeroWidth: true}
	case tBegWord, tEndWord:
		pc = rePiece{re: `\b`, zeroWidth: true, anchor: lx.tok}
	case tBackref:
		if lx.backref > p.groups {
			return pc, &reError{msg: "Invalid back reference"}
		}
		return pc, &reError{msg: "back-references (\\" + strconv.Itoa(lx.backref) + ") are not simulated", notSimulated: true}
	case tLParen:
		if err := lx.next(); err != nil {
			return pc, err
		}
		inner, info, err := p.regexp()
		if err != nil {
			return pc, err
		}
		if lx.tok != tRParen {
			return pc, &reError{msg: "Unmatched ( or \\("}
		}
		p.groups++
		pc = rePiece{re: "(" + inner + ")", startWord: info.startWord, endWord: info.endWord, nonEmpty: info.nonEmpty}
	default:
		// An operator with nothing before it applies to the empty string,
		// as in dfa.c.
		return rePiece{re: "", zeroWidth: true}, nil
	}
	return pc, lx.next()
}

// checkRegcomp finds the errors glibc's regcomp reports for a pattern,
// which GNU grep and sed check before anything else: unmatched brackets,
// parentheses and braces, malformed intervals, a trailing backslash. An
// interval or "*" that starts an expression (at the start, after an open
// group, an alternation or an anchor) is ordinary text in BRE and skipped
// in ERE, so it is not checked.
func checkRegcomp(pat string, syntax reSyntax) error {
	ere := syntax == reExtended
	depth := 0
	atStart := true
	for i := 0; i < len(pat); i++ {
		c := pat[i]
		bs := false
		if c == '\\' {
			if i+1 >= len(pat) {
				return &reError{msg: "Trailing backslash"}
			}
			bs = true
			i++
			c = pat[i]
		}
		switch {
		case c == '[' && !bs:
			_, end, err, _ := parseBracket(pat, i+1)
			if err != nil {
				return err
			}
			i = end - 1
			atStart = false
		case c == '(' && bs != ere, c == '|' && bs != ere:
			if c == '(' {
				depth++
			}
			atStart = true
		case c == ')' && bs != ere:
			if depth == 0 {
				if !ere {
					return &reError{msg: "Unmatched ) or \\)"}
				}
				atStart = false
				continue
			}
			depth--
			atStart = false
		case c == '{' && bs != ere:
			if !atStart {
				if err := checkInterval(pat[i+1:], ere); err != nil {
					return err
				}
			}
		case c == '*' && !bs, (c == '+' || c == '?') && bs != ere:
			// a repetition keeps the state: nothing to check
		case c == '^' && !bs && (ere || atStart), c == '$' && !bs && ere:
			atStart = true
		case bs && strings.IndexByte("<>bB`'", c) >= 0:
			atStart = true
		default:
			atStart = false
		}
	}
	if depth > 0 {
		return &reError{msg: "Unmatched ( or \\("}
	}
	return nil
}

// checkInterval checks the text after an interval's "{": BRE requires a
// well-formed \{M,N\}; ERE reads a malformed one as ordinary text, except
// the forms regcomp refuses.
func checkInterval(rest string, ere bool) error {
	close := `\}`
	if ere {
		close = "}"
	}
	end := strings.Index(rest, close)
	if end < 0 {
		if ere {
			return nil
		}
		return &reError{msg: "Unmatched \\{"}
	}
	body := rest[:end]
	lo, hi, comma := strings.Cut(body, ",")
	digitsOnly := func(s string) bool {
		for _, c := range s {
			if c < '0' || c > '9' {
				return false
			}
		}
		return true
	}
	if !digitsOnly(lo) || !digitsOnly(hi) {
		if ere {
			return nil
		}
		return &reError{msg: "Invalid content of \\{\\}"}
	}
	if lo == "" && !comma {
		return &reError{msg: "Invalid content of \\{\\}"}
	}
	n := func(s string) int {
		v := 0
		for _, c := range s {
			if v <= 32767 {
				v = v*10 + int(c-'0')
			}
		}
		return v
	}
	if comma && hi != "" && n(lo) > n(hi) {
		return &reError{msg: "Invalid content of \\{\\}"}
	}
	if n(lo) > 32767 || n(hi) > 32767 {
		return &reError{msg: "Regular expression too big"}
	}
	return nil
}
