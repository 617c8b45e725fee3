package conf_test

import (
	"math/rand"
	"strings"
	"testing"

	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/internal/parseconf"
)

// specials are the characters NUT's parser or Augeas' treat specially,
// drawn often by randomValue.
const specials = ` "\#=;[]'` + "`"

// randomValue makes a value to write: mostly printable ASCII, often the
// special characters, sometimes a byte NUT cannot hold (when bad), of a
// length up to max.
func randomValue(r *rand.Rand, max int, bad bool) string {
	n := r.Intn(max + 1)
	if r.Intn(8) == 0 {
		n = r.Intn(4)
	}
	b := make([]byte, n)
	for i := range b {
		switch k := r.Intn(20); {
		case k < 6:
			b[i] = specials[r.Intn(len(specials))]
		case k == 6 && bad:
			b[i] = []byte{0, '\t', '\n', '\r', 0x7f, 0x80, 0xc3, 0xff}[r.Intn(8)]
		default:
			b[i] = byte(0x20 + r.Intn(0x7f-0x20))
		}
	}
	return string(b)
}

// holdable is what NUT's config files can hold: printable ASCII, at most
// 512 characters.
func holdable(v string) bool {
	if len(v) > parseconf.WordLenLimit {
		return false
	}
	for i := 0; i < len(v); i++ {
		if v[i] < 0x20 || v[i] > 0x7e {
			return false
		}
	}
	return true
}

func TestQuote(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"plain", "plain"},
		{"", `""`},
		{"two words", `"two words"`},
		{"a=b", `"a=b"`},
		{"a;b", `"a;b"`},
		{`back\slash`, `back\\slash`},
		{`q"uote`, `q\"uote`},
		{"has#hash", `has\#hash`},
		{"sysDescr # 2 \"x\"", `"sysDescr \# 2 \"x\""`},
	} {
		got, err := conf.Quote(tt.in, false)
		if err != nil || got != tt.want {
			t.Errorf("Quote(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"a\nb", "tab\there", "caf\u00e9", "del\x7f", strings.Repeat("x", 513)} {
		if q, err := conf.Quote(bad, true); err == nil {
			t.Errorf("Quote(%q) = %q, want an error", bad, q)
		}
	}
}

// TestQuoteProperty: any value is either refused by Quote (exactly those
// NUT cannot hold) or written as a word NUT's tokenizer reads back as the
// same value, alone on a line or among other words, quoted or not.
func TestQuoteProperty(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 20000; i++ {
		v := randomValue(r, 600, true)
		for _, always := range []bool{false, true} {
			q, err := conf.Quote(v, always)
			if holdable(v) != (err == nil) {
				t.Fatalf("Quote(%q, %v): error %v, but NUT can hold it: %v", v, always, err, holdable(v))
			}
			if err != nil {
				if strings.Contains(err.Error(), v) && len(v) > 2 {
					t.Fatalf("Quote's error repeats the value: %v", err)
				}
				continue
			}
			ls := parseconf.Tokenize([]byte("key = " + q + " " + q + " # comment\n"))
			if len(ls) != 1 || ls[0].Err != "" || ls[0].Dropped != "" || len(ls[0].Args) != 4 ||
				ls[0].Args[2] != v || ls[0].Args[3] != v {
				t.Fatalf("Quote(%q, %v) = %s reads back as %q (err %q, dropped %q)", v, always, q, ls[0].Args, ls[0].Err, ls[0].Dropped)
			}
		}
	}
}

// TestEditsReadBack: what File.Set and File.Add write reads back as the
// values given in every kind of file, or the edit is refused with the
// file unchanged.
func TestEditsReadBack(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	for _, name := range conf.FileNames {
		f := conf.Parse("/etc/nut/"+name, []byte("[s]\n"))
		for i := 0; i < 500; i++ {
			vals := []string{randomValue(r, 100, true), randomValue(r, 40, true)}
			key := "override.k" + strings.Repeat("x", i%3)
			before := string(f.Bytes())
			err := f.Set("s", key, vals...)
			if err != nil {
				if holdable(vals[0]) && holdable(vals[1]) && !(vals[0] == "=" && !f.Sectioned()) {
					t.Fatalf("%s: Set(%q) refused: %v", name, vals, err)
				}
				if string(f.Bytes()) != before {
					t.Fatalf("%s: a refused edit changed the file", name)
				}
				continue
			}
			if e, _ := f.Lookup("s", key); strings.Join(e.Values, "\x00") != strings.Join(vals, "\x00") {
				t.Fatalf("%s: Set(%q) reads back as %q", name, vals, e.Values)
			}
		}
	}
}
