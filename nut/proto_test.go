package nut

import (
	"slices"
	"strings"
	"testing"
)

// TestRequestLen: where a request ends as NUT's upsd reads a client's
// bytes (checked against Debian's upsd in daemon's parity test).
func TestRequestLen(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int
	}{
		{"GET VAR ups1 ups.status\nVER\n", 24},
		{"GET VAR ups1", -1},
		{"\n", 1},
		{"# comment \"x\nVER\n", 13},
		{"SET VAR ups1 x \"a\nSET VAR ups1 y 7\"\nVER\n", 36},
		{"SET VAR ups1 x \"a\n", -1},
		{"GET VAR ups1 \\\nups.status\nVER\n", 26},
		{"GET VAR \"ups1 # broken\nVER\n", 23}, // refused: to the end of its line
		{"GET VAR \"ups1 # broken", -1},
		{"SET VAR ups1 x \"a\\\"\nb\"\n", 23},
	} {
		if got := RequestLen([]byte(tt.in)); got != tt.want {
			t.Errorf("RequestLen(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

// TestAppendWords: the plain-request fast path gives exactly what NUT's
// parser gives, and the rest goes through the parser.
func TestAppendWords(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []string
		err  bool
	}{
		{"GET VAR ups1 ups.status\n", []string{"GET", "VAR", "ups1", "ups.status"}, false},
		{"  get\tvar  ups1 x \r\n", []string{"get", "var", "ups1", "x"}, false},
		{"\n", nil, false},
		{"SET VAR ups1 x \"a\nSET VAR ups1 y 7\"\n", []string{"SET", "VAR", "ups1", "x", "aSET VAR ups1 y 7"}, false},
		{"GET VAR ups1=x\n", []string{"GET", "VAR", "ups1", "=", "x"}, false},
		{"GET " + strings.Repeat("x", 600) + "\n", []string{"GET", strings.Repeat("x", 512)}, false},
		{strings.Repeat("w ", 40) + "\n", slices.Repeat([]string{"w"}, 32), false},
		{"\x01\x02\n", []string{""}, false},
		{"GET VAR \"ups1 # broken\n", nil, true},
	} {
		got, err := AppendWords(nil, []byte(tt.in))
		if (err != nil) != tt.err || !slices.Equal(got, tt.want) {
			t.Errorf("AppendWords(%q) = %q, %v; want %q (error %v)", tt.in, got, err, tt.want, tt.err)
		}
	}
}

// FuzzAppendWords: whatever the request, AppendWords (fast path or not)
// splits it as NUT's parser does.
func FuzzAppendWords(f *testing.F) {
	for _, s := range []string{"GET VAR ups1 ups.status", "LIST VAR ups1", "SET VAR a b \"c d\"", "a\tb", "x=y", "\x7f", "# c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		line = strings.ReplaceAll(line, "\n", " ")
		got, gerr := AppendWords(nil, []byte(line+"\n"))
		want, werr := SplitRequest(line)
		if (gerr != nil) != (werr != nil) || gerr == nil && !slices.Equal(got, want) && (len(got) > 0 || len(want) > 0) {
			t.Fatalf("%q: AppendWords %q %v, parser %q %v", line, got, gerr, want, werr)
		}
	})
}
