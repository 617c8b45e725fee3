package conf

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

const (
	argLimit     = 32
	wordLenLimit = 512
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
type span struct{ Start, End int }

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

	spans []span // raw position of each word, parallel to Args
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
	dropped map[string]bool
}

func (t *tokenizer) note(what string) {
	if t.dropped == nil {
		t.dropped = map[string]bool{}
	}
	t.dropped[what] = true
}

func (t *tokenizer) addChar(c byte) {
	if c < 0x20 || c > 0x7f {
		t.note("characters outside ASCII 0x20-0x7f")
		return
	}
	if len(t.word) >= wordLenLimit {
		t.note("characters past the 512th of a word")
		return
	}
	t.word = append(t.word, c)
}

// endOfWord commits the pending word, which ends just before end.
func (t *tokenizer) endOfWord(end int) {
	if len(t.cur.Args) >= argLimit {
		t.note("words past the 32nd on a line")
		t.word = t.word[:0]
		return
	}
	t.cur.Args = append(t.cur.Args, string(t.word))
	t.cur.spans = append(t.cur.spans, span{t.wStart - t.lineBeg, end - t.lineBeg})
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

// tokenize splits src into logical lines. It accepts any input: every
// byte of src belongs to exactly one line, in order.
func tokenize(src []byte) []*Line {
	t := &tokenizer{src: src}
	var lines []*Line
	physLine := 1
	begin := func(pos int) {
		t.cur = &Line{Num: physLine}
		t.lineBeg = pos
		t.state = stFindWordStart
		t.word = t.word[:0]
		t.dropped = nil
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
			physLine++
		}
		if t.state == stEndOfLine || t.state == stParseErr {
			finish(pos + 1)
			begin(pos + 1)
		}
	}
	if t.lineBeg < len(src) {
		pending := t.state == stCollect || t.state == stCollectLiteral ||
			t.state == stQuoteCollect || t.state == stQCLiteral
		if len(t.cur.Args) > 0 {
			if pending && len(t.word) > 0 {
				t.endOfWord(len(src))
			}
		} else if pending && len(t.word) > 0 {
			// NUT returns "nothing left" here and never sees the word.
			t.note("a lone last word without a newline")
		}
		finish(len(src))
	}
	return lines
}

func joinNotes(m map[string]bool) string {
	if len(m) == 0 {
		return ""
	}
	order := []string{
		"characters outside ASCII 0x20-0x7f",
		"characters past the 512th of a word",
		"words past the 32nd on a line",
		"a lone last word without a newline",
	}
	s := ""
	for _, o := range order {
		if m[o] {
			if s != "" {
				s += "; "
			}
			s += o
		}
	}
	return s
}
