// Package parseconf reproduces the tokenizer of NUT's common/parseconf.c,
// which NUT uses for its config files, its .dev simulation files and its
// network protocol alike.
package parseconf

// This file reproduces the tokenizer of NUT's common/parseconf.c, character
// for character, while remembering where each logical line and each word
// came from in the original bytes. That memory is what makes editing
// lossless: a value is changed by replacing its bytes and nothing else.
//
// The rules, as NUT applies them:
//   - words are separated by whitespace (space, \t, \n, \v, \f, \r);
//   - "double quotes" make one word of everything up to the next quote;
//     a '#' inside quotes is a parse error that ends the logical line;
//   - a backslash takes the next character literally, inside or outside
//     quotes; a backslash before a newline joins the next physical line;
//   - a newline inside quotes does not end the logical line;
//   - '#' outside quotes starts a comment running to the end of the line;
//   - '=' is always a word of its own outside quotes ("a=b" is a, =, b);
//   - only characters 0x20..0x7f are kept in words; others are dropped;
//   - a line keeps at most 32 words of at most 512 characters each;
//   - at end of file without a newline, a pending word is kept only if
//     the line already had a word (a lone last word is dropped by NUT).

// Limits of NUT's parser: words per logical line and characters per word.
import (
	"errors"
	"strings"
)

const (
	ArgLimit     = 32
	WordLenLimit = 512
)

type tokState int

const (
	stFindWordStart tokState = iota
	stFindEOL
	stQuoteCollect
	stQCLiteral
	stCollect
	stCollectLiteral
	stEndOfLine
	stParseErr
)

// span is a byte range [Start, End) inside a Line's Raw text.
type Span struct{ Start, End int }

// Line is one logical line of a config file: the exact bytes it came from
// (including its terminator and any continued physical lines) and the
// words NUT's tokenizer makes of it.
type Line struct {
	// Raw is the exact text of the line, terminator included.
	Raw string
	// Num is the 1-based physical line number where the line starts.
	Num int
	// Args are the words as NUT sees them, quotes and escapes resolved.
	Args []string
	// Err is NUT's parse error for this line, if any ("Unbalanced word
	// due to unescaped # in quotes").
	Err string
	// Dropped notes what NUT silently discards from this line: characters
	// outside 0x20..0x7f, words past the 32nd, characters past the 512th,
	// or a lone final word without a newline. Empty when nothing is lost.
	Dropped string
	// QuoteLine is the physical line where a quoted word opened that runs
	// past the end of its line (a newline inside quotes does not end the
	// logical line, and NUT drops it), 0 when none did; QuoteUnclosed says
	// that the file ended inside it.
	QuoteLine     int
	QuoteUnclosed bool

	// Spans are the raw positions of each word in Raw, parallel to Args.
	Spans []Span
}

// isSpace is C's isspace() in the C locale.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// tokenizer carries the state of parseconf's machine across one file.
type tokenizer struct {
	src     []byte
	state   tokState
	word    []byte
	wStart  int // offset in src where the current word started
	lineBeg int // offset in src where the current logical line started
	cur     *Line
	dropped uint8
	phys    int // physical line of the character being read
	quoteAt int // physical line where the open quoted word began
}

// What NUT drops from a line, as bits of tokenizer.dropped (a bit set,
// not a map: a line of binary garbage drops most of its bytes).
const (
	dropCtl = 1 << iota
	dropLong
	dropWords
	dropLone
)

var dropNotes = [...]string{
	"characters outside ASCII 0x20-0x7f",
	"characters past the 512th of a word",
	"words past the 32nd on a line",
	"a lone last word without a newline",
}

func (t *tokenizer) note(what uint8) { t.dropped |= what }

func (t *tokenizer) addChar(c byte) {
	if c < 0x20 || c > 0x7f {
		t.note(dropCtl)
		return
	}
	if len(t.word) >= WordLenLimit {
		t.note(dropLong)
		return
	}
	t.word = append(t.word, c)
}

// endOfWord commits the pending word, which ends just before end.
func (t *tokenizer) endOfWord(end int) {
	if len(t.cur.Args) >= ArgLimit {
		t.note(dropWords)
		t.word = t.word[:0]
		return
	}
	t.cur.Args = append(t.cur.Args, string(t.word))
	t.cur.Spans = append(t.cur.Spans, Span{t.wStart - t.lineBeg, end - t.lineBeg})
	t.word = t.word[:0]
}

// findWordStart handles a character while looking for the next word; pos
// is the character's offset in src.
func (t *tokenizer) findWordStart(c byte, pos int) tokState {
	switch {
	case c == '\n':
		return stEndOfLine
	case c == '#':
		return stFindEOL
	case isSpace(c):
		return stFindWordStart
	}
	t.wStart = pos
	switch c {
	case '\\':
		return stCollectLiteral
	case '"':
		t.quoteAt = t.phys
		return stQuoteCollect
	}
	t.addChar(c)
	if c == '=' {
		t.endOfWord(pos + 1)
		return stFindWordStart
	}
	return stCollect
}

func (t *tokenizer) step(c byte, pos int) {
	switch t.state {
	case stFindWordStart:
		t.state = t.findWordStart(c, pos)
	case stFindEOL:
		if c == '\n' {
			t.state = stEndOfLine
		}
	case stQuoteCollect:
		switch c {
		case '#':
			t.cur.Err = "Unbalanced word due to unescaped # in quotes"
			t.endOfWord(pos + 1)
			t.state = stParseErr
		case '"':
			t.endOfWord(pos + 1)
			t.state = stFindWordStart
		case '\\':
			t.state = stQCLiteral
		default:
			if c == '\n' && t.cur.QuoteLine == 0 {
				t.cur.QuoteLine = t.quoteAt
			}
			t.addChar(c)
		}
	case stQCLiteral:
		if c != '\n' {
			t.addChar(c)
		}
		t.state = stQuoteCollect
	case stCollect:
		switch {
		case c == '#':
			t.endOfWord(pos)
			t.state = stFindEOL
		case c == '\n':
			t.endOfWord(pos)
			t.state = stEndOfLine
		case isSpace(c):
			t.endOfWord(pos)
			t.state = stFindWordStart
		case c == '=':
			t.endOfWord(pos)
			t.findWordStart(c, pos)
			t.state = stFindWordStart
		case c == '\\':
			t.state = stCollectLiteral
		default:
			t.addChar(c)
		}
	case stCollectLiteral:
		if c != '\n' {
			t.addChar(c)
		}
		t.state = stCollect
	}
}

// Tokenize splits src into logical lines. It accepts any input: every
// byte of src belongs to exactly one line, in order.
func Tokenize(src []byte) []*Line {
	t := &tokenizer{src: src, phys: 1}
	var lines []*Line
	begin := func(pos int) {
		t.cur = &Line{Num: t.phys}
		t.lineBeg = pos
		t.state = stFindWordStart
		t.word = t.word[:0]
		t.dropped = 0
	}
	finish := func(end int) {
		t.cur.Raw = string(src[t.lineBeg:end])
		t.cur.Dropped = joinNotes(t.dropped)
		lines = append(lines, t.cur)
	}
	begin(0)
	for pos := 0; pos < len(src); pos++ {
		c := src[pos]
		t.step(c, pos)
		if c == '\n' {
			t.phys++
		}
		if t.state == stEndOfLine || t.state == stParseErr {
			finish(pos + 1)
			begin(pos + 1)
		}
	}
	if t.lineBeg < len(src) {
		pending := t.state == stCollect || t.state == stCollectLiteral ||
			t.state == stQuoteCollect || t.state == stQCLiteral
		if t.state == stQuoteCollect || t.state == stQCLiteral {
			t.cur.QuoteUnclosed = true
			if t.cur.QuoteLine == 0 {
				t.cur.QuoteLine = t.quoteAt
			}
		}
		if len(t.cur.Args) > 0 {
			if pending && len(t.word) > 0 {
				t.endOfWord(len(src))
			}
		} else if pending && len(t.word) > 0 {
			// NUT returns "nothing left" here and never sees the word.
			t.note(dropLone)
		}
		finish(len(src))
	}
	return lines
}

func joinNotes(m uint8) string {
	s := ""
	for i, o := range dropNotes {
		if m&(1<<i) != 0 {
			if s != "" {
				s += "; "
			}
			s += o
		}
	}
	return s
}

// SplitLine splits one line the way NUT's upsd splits a protocol request
// (parseconf fed character by character, ended by the line's end). It
// returns NUT's parse error, if any.
func SplitLine(line string) ([]string, error) {
	ls := Tokenize([]byte(line + "\n"))
	if len(ls) == 0 {
		return nil, nil
	}
	if ls[0].Err != "" {
		return ls[0].Args, errors.New(ls[0].Err)
	}
	return ls[0].Args, nil
}

// LineLen is how far NUT's parser, fed src from its start one byte at a
// time as upsd feeds it a client's bytes, reads before its first logical
// line is complete: through the newline that ends it (a newline inside
// quotes or after a backslash does not), or through the '#' of a parse
// error, which ends the line early (ok false). It returns -1 when src
// holds no complete line yet.
func LineLen(src []byte) (n int, ok bool) {
	t := &tokenizer{src: src, cur: &Line{}}
	for pos, c := range src {
		t.step(c, pos)
		switch t.state {
		case stEndOfLine:
			return pos + 1, true
		case stParseErr:
			return pos + 1, false
		}
	}
	return -1, true
}

// Encode escapes the characters NUT's parser treats specially inside a
// quoted word (backslash, double quote and #), as NUT's pconf_encode does.
func Encode(s string) string {
	if !strings.ContainsAny(s, "\\\"#") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\', '"', '#':
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// SectionName reports whether l is a section header "[name]" and its name.
func (l *Line) SectionName() (string, bool) {
	if len(l.Args) == 0 {
		return "", false
	}
	a := l.Args[0]
	if len(a) >= 2 && a[0] == '[' && a[len(a)-1] == ']' {
		return a[1 : len(a)-1], true
	}
	return "", false
}
