package tabfile

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestParse(t *testing.T) {
	src := `# a comment
var device.model 1.3.6.1.2.1.33.1.1.2.0 poll=once mult=0.1 flags=string,alarm

lookup beeper 1 "disabled, really"  size = 0x10 neg=-3 default=""
`
	recs, err := Parse("t.tab", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 {
		t.Fatalf("got %d records, want 2", len(recs))
	}
	v := recs[0]
	if v.Pos != "t.tab:2" || v.Kind != "var" {
		t.Errorf("pos/kind = %q %q", v.Pos, v.Kind)
	}
	if got := v.Arg("name"); got != "device.model" {
		t.Errorf("name = %q", got)
	}
	if got := v.Arg("oid"); got != "1.3.6.1.2.1.33.1.1.2.0" {
		t.Errorf("oid = %q", got)
	}
	if got := v.Attr("poll", "slow"); got != "once" {
		t.Errorf("poll = %q", got)
	}
	if got := v.Float("mult", 1); got != 0.1 {
		t.Errorf("mult = %v", got)
	}
	if got := strings.Join(v.List("flags"), "|"); got != "string|alarm" {
		t.Errorf("flags = %q", got)
	}
	if err := v.Err(); err != nil {
		t.Errorf("Err = %v", err)
	}

	l := recs[1]
	if l.Pos != "t.tab:4" {
		t.Errorf("pos = %q", l.Pos)
	}
	if got := l.Rest(); strings.Join(got, "|") != "beeper|1|disabled, really" {
		t.Errorf("args = %q", got)
	}
	if got := l.Int("size", 0); got != 16 {
		t.Errorf("size = %d", got)
	}
	if got := l.Int("neg", 0); got != -3 {
		t.Errorf("neg = %d", got)
	}
	if got := l.Attr("default", "x"); got != "" {
		t.Errorf("default = %q", got)
	}
	if got := l.Int("absent", 7); got != 7 {
		t.Errorf("absent = %d", got)
	}
	if err := l.Err(); err != nil {
		t.Errorf("Err = %v", err)
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
		use             func(r *Record)
	}{
		{"attr then arg", "var a b=c d\n", "t.tab:1: \"d\": expected name = value after the first attribute", nil},
		{"lone equals", "var = c\n", "t.tab:1: '=' without an attribute name", nil},
		{"twice", "var a b=1 b=2\n", `t.tab:1: attribute "b" given twice`, nil},
		{"quote past line", "var \"a\nb\"\n", "t.tab:1: quoted word runs past the end of line 1", nil},
		{"non-ascii", "var caf\xc3\xa9\n", "t.tab:1: characters outside ASCII 0x20-0x7f would be lost", nil},
		{"unknown attr", "var a poll=once typo=1\n", `t.tab:1: var: unknown attribute "typo"`, func(r *Record) { r.Arg("name"); r.Attr("poll", "") }},
		{"extra arg", "var a b\n", `t.tab:1: var: unexpected "b"`, func(r *Record) { r.Arg("name") }},
		{"missing arg", "var\n", "t.tab:1: var: missing name", func(r *Record) { r.Arg("name") }},
		{"bad int", "var size=ten\n", `t.tab:1: var: size "ten" is not an integer`, func(r *Record) { r.Int("size", 0) }},
		{"bad float", "var mult=x\n", `t.tab:1: var: mult="x" is not a number`, func(r *Record) { r.Float("mult", 0) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			recs, err := Parse("t.tab", []byte(tc.src))
			if tc.use != nil {
				if err != nil {
					t.Fatal(err)
				}
				tc.use(recs[0])
				err = recs[0].Err()
			}
			if err == nil || err.Error() != tc.want {
				t.Errorf("error = %v, want %s", err, tc.want)
			}
		})
	}
}

func TestReadFS(t *testing.T) {
	fsys := fstest.MapFS{"a.tab": {Data: []byte("k v\n")}}
	recs, err := ReadFS(fsys, "a.tab")
	if err != nil || len(recs) != 1 || recs[0].Pos != "a.tab:1" {
		t.Fatalf("ReadFS = %v, %v", recs, err)
	}
	if _, err := ReadFS(fsys, "missing.tab"); err == nil {
		t.Error("missing file: no error")
	}
}
