package netxml

import (
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
