package conf

import (
	"github.com/powerchain/powerchain/internal/parseconf"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// The cases below are the behaviour documented in NUT's parseconf.c and
// what its state machine does on the corner cases.
func TestTokenize(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want [][]string // Args of each logical line
		err  []string   // Err of each logical line ("" = none)
	}{
		{"words", "this is a line\n", [][]string{{"this", "is", "a", "line"}}, nil},
		{"quoted", "this \"is also\" a line\n", [][]string{{"this", "is also", "a", "line"}}, nil},
		{"escaped space", "embedded\\ space\n", [][]string{{"embedded space"}}, nil},
		{"escaped backslash", "embedded\\\\backslash\n", [][]string{{"embedded\\backslash"}}, nil},
		{"escaped quote in quotes", `a "x\"y"` + "\n", [][]string{{"a", `x"y`}}, nil},
		{"quote inside word is literal", "abc\"def\"\n", [][]string{{`abc"def"`}}, nil},
		{"equals splits", "key=value\n", [][]string{{"key", "=", "value"}}, nil},
		{"equals spaced", "key = value\n", [][]string{{"key", "=", "value"}}, nil},
		{"equals twice", "a=b=c\n", [][]string{{"a", "=", "b", "=", "c"}}, nil},
		{"equals leading", "=x\n", [][]string{{"=", "x"}}, nil},
		{"equals in quotes", `k = "a=b"` + "\n", [][]string{{"k", "=", "a=b"}}, nil},
		{"comment", "a b # c d\n", [][]string{{"a", "b"}}, nil},
		{"comment glued", "a#b\n", [][]string{{"a"}}, nil},
		{"escaped hash", "a\\#b\n", [][]string{{"a#b"}}, nil},
		{"empty quotes", "k = \"\"\n", [][]string{{"k", "=", ""}}, nil},
		{"blank and comment lines", "\n# x\n  \t\n", [][]string{nil, nil, nil}, nil},
		{"continuation", "a \\\nb\n", [][]string{{"a", "b"}}, nil},
		{"continuation in word", "ab\\\ncd\n", [][]string{{"abcd"}}, nil},
		{"newline in quotes continues", "a \"b\nc\" d\n", [][]string{{"a", "bc", "d"}}, nil},
		{"crlf", "a = b\r\nc\r\n", [][]string{{"a", "=", "b"}, {"c"}}, nil},
		{"tab in quotes dropped", "k = \"a\tb\"\n", [][]string{{"k", "=", "ab"}}, nil},
		{"utf8 dropped", "k = caf\xc3\xa9\n", [][]string{{"k", "=", "caf"}}, nil},
		{"lone utf8 word is empty", "\xc3\xa9\n", [][]string{{""}}, nil},
		{"hash in quotes is an error", "d = \"a # b\"\n",
			[][]string{{"d", "=", "a "}, {`b"`}}, []string{"Unbalanced word due to unescaped # in quotes", ""}},
		{"no final newline", "a = b", [][]string{{"a", "=", "b"}}, nil},
		{"lone final word dropped", "x\nnolock", [][]string{{"x"}, nil}, nil},
		{"unterminated quote at eof", "k = \"abc", [][]string{{"k", "=", "abc"}}, nil},
		{"section", "[ups1]\n", [][]string{{"[ups1]"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := Parse("t.conf", []byte(tt.in))
			if got := string(f.Bytes()); got != tt.in {
				t.Fatalf("round trip: got %q want %q", got, tt.in)
			}
			var got [][]string
			var errs []string
			for _, l := range f.Lines {
				got = append(got, l.Args)
				errs = append(errs, l.Err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("args: got %q want %q", got, tt.want)
			}
			if tt.err != nil && !reflect.DeepEqual(errs, tt.err) {
				t.Errorf("errors: got %q want %q", errs, tt.err)
			}
		})
	}
}

func TestTokenizeLimits(t *testing.T) {
	long := strings.Repeat("x", 600)
	f := Parse("t", []byte("k = "+long+"\n"))
	if got := len(f.Lines[0].Args[2]); got != parseconf.WordLenLimit {
		t.Errorf("word length: got %d want %d", got, parseconf.WordLenLimit)
	}
	if f.Lines[0].Dropped == "" {
		t.Error("Dropped not set for an overlong word")
	}
	many := strings.Repeat("w ", 40) + "\n"
	f = Parse("t", []byte(many))
	if got := len(f.Lines[0].Args); got != parseconf.ArgLimit {
		t.Errorf("words: got %d want %d", got, parseconf.ArgLimit)
	}
}

func TestLineNumbers(t *testing.T) {
	f := Parse("t", []byte("a \\\nb\nc \"x\ny\"\nd\n"))
	var nums []int
	for _, l := range f.Lines {
		nums = append(nums, l.Num)
	}
	if want := []int{1, 3, 5}; !reflect.DeepEqual(nums, want) {
		t.Errorf("line numbers: got %v want %v", nums, want)
	}
}

func TestRoundTripFixtures(t *testing.T) {
	files, err := filepath.Glob("testdata/roundtrip/*")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			f := Parse(path, src)
			if got := f.Bytes(); string(got) != string(src) {
				t.Fatalf("round trip differs:\n got %q\nwant %q", got, src)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/roundtrip/*")
	for _, p := range files {
		b, _ := os.ReadFile(p)
		f.Add(b, "x", "v a\"l#u\\e")
	}
	f.Fuzz(func(t *testing.T, src []byte, key, val string) {
		cf := Parse("fuzz.conf", src)
		if got := cf.Bytes(); string(got) != string(src) {
			t.Fatalf("round trip differs:\n got %q\nwant %q", got, src)
		}
		// Re-parsing what was written gives the same words.
		again := Parse("fuzz.conf", cf.Bytes())
		if len(again.Lines) != len(cf.Lines) {
			t.Fatalf("reparse: %d lines, was %d", len(again.Lines), len(cf.Lines))
		}
		// An edit either fails cleanly or reads back as written, and
		// leaves every other logical line as it was.
		secs := append([]string{""}, cf.Sections()...)
		for _, s := range secs {
			before := cf.Entries()
			if err := cf.Set(s, key, val); err != nil {
				continue
			}
			if got, ok := cf.Get(s, key); !ok || got != val {
				t.Fatalf("Set(%q,%q,%q) reads back %q %v", s, key, val, got, ok)
			}
			after := cf.Entries()
			if len(after) < len(before) {
				t.Fatalf("Set lost entries: %d -> %d", len(before), len(after))
			}
		}
	})
}
