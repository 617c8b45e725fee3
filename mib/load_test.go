package mib

import (
	"strings"
	"testing"
	"testing/fstest"
)

// TestLoad reads the embedded tables as the package does at start-up:
// a mistake in them fails here with its file and line.
func TestLoad(t *testing.T) {
	c, err := load(tableFiles)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.mibs) != len(All()) || len(c.traps) != len(TrapSets()) {
		t.Errorf("%d tables, %d trap sets; the package has %d, %d", len(c.mibs), len(c.traps), len(All()), len(TrapSets()))
	}
}

// A small set of tables that loads, which the error cases below spoil
// one line at a time.
const (
	goodOrder  = "try a\ntry b\n"
	goodShared = `lookup yes_no 1 yes
lookup yes_no 2 no
block pair n
var x.{n} 1.2.{n} M::x.{n} flags=string lookup=yes_no
var y 1.3 M::y.0 only=n
end
`
	goodA = `# a table
mib a 1.0 ups
sysoid 1.3.6.1.4.1.9
system 1.3.6.1.2.1.1.1.0 SNMPv2-MIB::sysDescr.0 set=string
uptime
const device.mfr "Some Maker"
var ups.model 1.3.6.1.4.1.9.1.0 M::model.0 poll=once flags=string
var ups.status 1.3.6.1.4.1.9.2.0 M::status.0 poll=fast flags=string,status lookup=pwr
limits input.voltage 1.3.6.1.4.1.9.3 4 M::inputVoltage 0 mult=0.1 flags=neginvalid
use pair n=yes
cmd load.off 1.3.6.1.4.1.9.4.0 M::off.0 2
alarms 1.3.6.1.4.1.9.5.0 M::alarms.0 1.3.6.1.4.1.9.6
alarm 1.3.6.1.4.1.9.7 M::lowBattery status=LB
lookup pwr 1 OL
lookup pwr 2 OB
`
	goodB = `mib b 1.0 pdu
sysoid 1.3.6.1.4.1.10
same a
change ups.model oid=1.3.6.1.4.1.10.1.0 symbol=M::model2.0
`
	goodTraps = `traps M 1.3.6.1.4.1.9.0 tables=a source="M-MIB"
trap 1 onBattery
trap 2 selfTest read=all
`
)

func tablesFS(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, text := range map[string]string{
		"order.tab": goodOrder, "shared.tab": goodShared, "traps.tab": goodTraps,
		"a.tab": goodA, "b.tab": goodB,
	} {
		if t, ok := files[name]; ok {
			text = t
		}
		if text != "-" {
			fsys["tables/"+name] = &fstest.MapFile{Data: []byte(text)}
		}
	}
	for name, text := range files {
		if _, ok := fsys["tables/"+name]; !ok && text != "-" {
			fsys["tables/"+name] = &fstest.MapFile{Data: []byte(text)}
		}
	}
	return fsys
}

func TestLoadSmall(t *testing.T) {
	c, err := load(tablesFS(nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.mibs) != 2 || len(c.traps) != 1 {
		t.Fatalf("%d tables, %d trap sets", len(c.mibs), len(c.traps))
	}
	a, b := c.mibs[0], c.mibs[1]
	if len(a.Vars) != 3+1+1+1+1+4+1+1 {
		t.Errorf("a: %d rows: %+v", len(a.Vars), a.Vars)
	}
	st := a.Vars[6]
	if st.Poll != Fast || st.Flags != String|Status || st.Lookup[1] != (Pair{2, "OB"}) {
		t.Errorf("status row %+v", st)
	}
	if x := a.Vars[11]; x.Name != "x.yes" || x.OID != "1.2.yes" || len(x.Lookup) != 2 {
		t.Errorf("block row %+v", x)
	}
	if a.Vars[12].Name != "y" {
		t.Errorf("only=n with n=yes: %+v", a.Vars[12])
	}
	if a.Cmds[0].Value != 2 || a.Alarms.Known[0].Status != "LB" {
		t.Errorf("cmds %+v alarms %+v", a.Cmds, a.Alarms)
	}
	if len(b.Vars) != len(a.Vars) || b.Model() != "1.3.6.1.4.1.10.1.0" || b.Alarms != a.Alarms || a.Model() != "1.3.6.1.4.1.9.1.0" {
		t.Errorf("b: %d rows, model %s", len(b.Vars), b.Model())
	}
	if tr := c.traps[0]; tr.Traps[1].Read != ReadAll || tr.Traps[0].Read != ReadStatus || tr.Tables[0] != "a" {
		t.Errorf("traps %+v", tr)
	}
}

// TestLoadErrors: every mistake is an error naming the file and line.
func TestLoadErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"unknown record", map[string]string{"a.tab": goodA + "vra x 1.2 M::x.0\n"}, "tables/a.tab:16: vra: unknown record"},
		{"unknown attribute", map[string]string{"a.tab": goodA + "var x 1.2 M::x.0 pol=fast\n"}, `tables/a.tab:16: var: unknown attribute "pol"`},
		{"unknown flag", map[string]string{"a.tab": goodA + "var x 1.2 M::x.0 flags=string,strnig\n"}, `tables/a.tab:16: var: flags: unknown flag "strnig"`},
		{"unknown poll", map[string]string{"a.tab": goodA + "var x 1.2 M::x.0 poll=often\n"}, "tables/a.tab:16: var: poll=often: not one of fast, once, slow"},
		{"unknown set", map[string]string{"a.tab": goodA + "var x 1.2 M::x.0 set=text\n"}, "tables/a.tab:16: var: set=text: not one of integer, string, timeticks"},
		{"unknown convert", map[string]string{"a.tab": goodA + "var x 1.2 M::x.0 convert=date\n"}, "tables/a.tab:16: var: convert=date: not one of"},
		{"undefined lookup", map[string]string{"a.tab": goodA + "var x 1.2 M::x.0 lookup=nope\n"}, "tables/a.tab:16: var: lookup nope is not defined"},
		{"lookup of another table", map[string]string{"b.tab": goodB + "var x 1.2 M::x.0 lookup=pwr\n"}, "tables/b.tab:5: var: lookup pwr is not defined"},
		{"unused lookup", map[string]string{"a.tab": goodA + "lookup spare 1 x\n"}, "tables/a.tab:16: lookup spare is never used"},
		{"lookup split", map[string]string{"a.tab": goodA + "lookup other 1 x\nlookup pwr 3 OFF\nvar x 1.2 M::x.0 lookup=other\n"}, "tables/a.tab:17: lookup: lookup pwr continued away from its other pairs (tables/a.tab:14)"},
		{"lookup value twice", map[string]string{"a.tab": goodA + "lookup pwr 2 OFF\n"}, "tables/a.tab:16: lookup: lookup pwr: value 2 twice"},
		{"lookup shadows shared", map[string]string{"a.tab": goodA + "lookup yes_no 1 y\n"}, "tables/a.tab:16: lookup: yes_no is already a lookup of shared.tab"},
		{"bad number", map[string]string{"a.tab": goodA + "var x 1.2 M::x.0 mult=tenth\n"}, `tables/a.tab:16: var: mult="tenth" is not a number`},
		{"OID without symbol", map[string]string{"a.tab": goodA + "var x 1.2\n"}, "tables/a.tab:16: var: missing MIB symbol"},
		{"extra argument", map[string]string{"a.tab": goodA + "uptime now\n"}, `tables/a.tab:16: uptime: unexpected "now"`},
		{"syntax", map[string]string{"a.tab": goodA + "var x 1.2 M::x.0 poll=fast 3\n"}, "tables/a.tab:16: \"3\": expected name = value"},
		{"no mib record", map[string]string{"b.tab": "sysoid 1.2\n"}, "tables/b.tab:1: sysoid: before the mib record"},
		{"mib named unlike its file", map[string]string{"b.tab": strings.Replace(goodB, "mib b", "mib c", 1)}, "tables/b.tab:1: mib: table c in file b.tab"},
		{"device type", map[string]string{"b.tab": strings.Replace(goodB, "pdu", "ups2", 1)}, `tables/b.tab:1: mib: device type "ups2"`},
		{"no sysoid", map[string]string{"b.tab": "mib b 1 ups\n"}, "tables/b.tab: no sysoid record"},
		{"listed twice", map[string]string{"order.tab": goodOrder + "try a\n"}, "tables/order.tab:3: try: table a listed twice (tables/order.tab:1)"},
		{"listed, no file", map[string]string{"order.tab": goodOrder + "try c\n"}, "tables/order.tab:3: try: no file tables/c.tab"},
		{"file not listed", map[string]string{"c.tab": goodB}, "tables/c.tab: not listed in tables/order.tab"},
		{"unknown block", map[string]string{"a.tab": goodA + "use trio n=1\n"}, "tables/a.tab:16: use: no block trio in shared.tab"},
		{"block argument missing", map[string]string{"a.tab": goodA + "use pair\n"}, "tables/a.tab:16: use: block pair needs n="},
		{"block argument unknown", map[string]string{"a.tab": goodA + "use pair n=yes m=2\n"}, `tables/a.tab:16: use: unknown attribute "m"`},
		{"only not yes or no", map[string]string{"a.tab": goodA + "use pair n=2\n"}, "tables/shared.tab:5: var: only=n: n=2, not yes or no (block pair used at tables/a.tab:16)"},
		{"block record error", map[string]string{"shared.tab": strings.Replace(goodShared, "lookup=yes_no", "lookup=yes_no sise=1", 1)}, `tables/shared.tab:4: var: unknown attribute "sise" (block pair used at tables/a.tab:10)`},
		{"block unknown parameter", map[string]string{"shared.tab": strings.Replace(goodShared, "1.2.{n}", "1.2.{m}", 1)}, "tables/shared.tab:4: var: {m}: no such parameter"},
		{"block never used", map[string]string{"shared.tab": goodShared + "block spare\nuptime\nend\n"}, "tables/shared.tab:7: block spare is never used"},
		{"block without end", map[string]string{"shared.tab": goodShared + "block spare\n"}, "tables/shared.tab:7: block without end"},
		{"block twice", map[string]string{"shared.tab": goodShared + "block pair\nend\n"}, "tables/shared.tab:7: block: block pair defined twice (tables/shared.tab:3)"},
		{"same unknown", map[string]string{"b.tab": strings.Replace(goodB, "same a", "same c", 1)}, "tables/b.tab:3: same: no table c"},
		{"same cycle", map[string]string{"a.tab": strings.Replace(goodA, "uptime\n", "same b\n", 1)}, "same: a is (through others) the same as this table"},
		{"change nothing", map[string]string{"b.tab": goodB + "change ups.modle mult=1\n"}, "tables/b.tab:5: change: no variable ups.modle before"},
		{"alarm without table", map[string]string{"b.tab": goodB + "alarm 1.2 M::x status=LB\n"}, "tables/b.tab:5: alarm: no alarms record before in this file"},
		{"trap set of no table", map[string]string{"traps.tab": strings.Replace(goodTraps, "tables=a", "tables=c", 1)}, "tables/traps.tab:1: traps: tables=: no table c"},
		{"trap read", map[string]string{"traps.tab": goodTraps + "trap 3 x read=some\n"}, "tables/traps.tab:4: trap: read=: not status or all"},
		{"trap without set", map[string]string{"traps.tab": "trap 1 x\n"}, "tables/traps.tab:1: trap: no traps record before"},
		{"missing shared", map[string]string{"shared.tab": "-"}, "open tables/shared.tab"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := load(tablesFS(tc.files))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error:\n%v\nwant it to contain\n%s", err, tc.want)
			}
		})
	}
}

// BenchmarkLoad is the start-up cost of the tables: reading every
// embedded file into the tables.
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := load(tableFiles); err != nil {
			b.Fatal(err)
		}
	}
}
