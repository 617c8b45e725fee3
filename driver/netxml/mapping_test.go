package netxml

import (
	"fmt"
	"maps"
	"strings"
	"testing"
)

// TestMappingLoads: the embedded table reads without an error, rows of
// NUT's table each, and every name the indexes hold finds its first row.
func TestMappingLoads(t *testing.T) {
	m, err := parseTable(mappingName, mappingFile)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.all) < 180 {
		t.Fatalf("%d rows", len(m.all))
	}
	for _, name := range []string{"ups.model", "outlet.1.desc", "battery.type"} {
		if m.byNUT[name] == nil {
			t.Errorf("no row gives %s", name)
		}
	}
	if r := m.byXML["system.description"]; r == nil || r.nut != "ups.model" {
		t.Errorf("System.Description: %+v", r)
	}
}

// TestMappingErrors: a bad row is refused with its file:line.
func TestMappingErrors(t *testing.T) {
	for _, tt := range []struct{ line, want string }{
		{"var ups.load", "missing object"},
		{"row ups.load X", "unknown record"},
		{"var ups.load X flags=ro", `unknown flag "ro"`},
		{"var ups.load X conv=twice", "conv=twice: unknown, or missing its arg"},
		{"var ups.load X conv=bit arg=onfire", `unknown status bit "onfire"`},
		{"var ups.load X conv=words arg=yes", "not two words"},
		{"var ups.load X conv=lookup arg=colour", `unknown lookup "colour"`},
		{"var ups.load X conv=divide arg=0", "not a divisor"},
		{"var ups.load X conv=deci arg=1", `unknown attribute "arg"`},
		{"status X", "a status row needs a conv"},
	} {
		_, err := parseTable("t.tab", []byte("# a comment\n"+tt.line+"\n"))
		if err == nil || !strings.Contains(err.Error(), "t.tab:2: ") || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: %v, want t.tab:2: …%s", tt.line, err, tt.want)
		}
	}
}

// TestMappingMatchesGo: the table read from mgexml.tab is the Go table
// it replaces, row by row: the same variable, object and flags, and a
// conversion that does the same (the same result, status bits,
// variables and shutdown state) for values of every kind the card sends,
// in every state the conversions read.
func TestMappingMatchesGo(t *testing.T) {
	m, err := parseTable(mappingName, mappingFile)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.all) != len(table) {
		t.Fatalf("%d rows, the Go table %d", len(m.all), len(table))
	}
	values := []string{"", "0", "1", "2", "3", "4", "5", "6", "7", "8", "-1", "Yes", "yes", "No", "NONE",
		"42", "120", "121", "3600", "7200", "230.5", "2024/01/02 10:11:12", "2024-01-02 10:11:12"}
	for i, want := range table {
		got := m.all[i]
		where := fmt.Sprintf("row %d (%s %s)", i+1, want.nut, want.xml)
		if got.nut != want.nut || got.xml != want.xml || got.flags != want.flags {
			t.Errorf("%s: read %q %q %v", where, got.nut, got.xml, got.flags)
			continue
		}
		if (got.conv == nil) != (want.conv == nil) {
			t.Errorf("%s: conv %v, Go's %v", where, got.conv != nil, want.conv != nil)
			continue
		}
		if got.conv == nil {
			continue
		}
		for _, v := range values {
			for _, st := range convStates() {
				a, b := st(), st()
				gv, gok := got.conv(a, v)
				wv, wok := want.conv(b, v)
				if gv != wv || gok != wok || a.bits != b.bits || a.shutdownPending != b.shutdownPending || !maps.Equal(a.vals, b.vals) {
					t.Errorf("%s, %q: read (%q %v bits %x %v), Go's (%q %v bits %x %v)", where, v, gv, gok, a.bits, a.vals, wv, wok, b.bits, b.vals)
				}
			}
		}
	}
}

// convStates make the states a conversion may see: bits all clear or
// all set, deci conversion, a Transverse card, a shutdown pending.
func convStates() []func() *state {
	var out []func() *state
	for _, bits := range []statusBit{0, ^statusBit(0)} {
		for _, flag := range []bool{false, true} {
			out = append(out, func() *state {
				s := newState()
				s.bits, s.convertDeci, s.transverse, s.shutdownPending = bits, flag, flag, flag
				return s
			})
		}
	}
	return out
}

