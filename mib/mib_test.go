package mib

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var (
	numericOID = regexp.MustCompile(`^[0-9]+(\.[0-9]+|\.%i|\.%u)+$`)
	// symbolRE is MODULE::object, then the instance's sub-identifiers.
	symbolRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]*::[A-Za-z][A-Za-z0-9-]*((\.[0-9]+|\.%i|\.%u)*)$`)
)

// checkSymbol: the symbol is well formed and its instance part (the
// sub-identifiers after the object's name) ends the OID, templates
// included.
func checkSymbol(t *testing.T, where, oid, sym string) {
	t.Helper()
	m := symbolRE.FindStringSubmatch(sym)
	switch {
	case m == nil:
		t.Errorf("%s: OID %s: MIB symbol %q is not MODULE::object[.instance]", where, oid, sym)
	case !strings.HasSuffix(oid, m[1]):
		t.Errorf("%s: OID %s does not end with the instance %q of its symbol %s", where, oid, m[1], sym)
	}
}

// TestTables checks every table for the mistakes a hand-written table
// invites: malformed OIDs, OIDs without their MIB symbol, templates
// without a template flag, status and alarm entries without lookups or
// not read at every poll, writable variables without a SET type that
// fits, defaults NUT never uses, precision or sizes where they mean
// nothing, conversions on the wrong kind of value.
func TestTables(t *testing.T) {
	sys := map[string]*MIB{}
	for _, m := range All() {
		if m.Name == "" || m.Version == "" {
			t.Errorf("%+v: no name or version", m.Name)
		}
		switch m.Type {
		case "ups", "pdu", "ats":
		default:
			t.Errorf("%s: device type %q", m.Name, m.Type)
		}
		if len(m.SysOIDs) == 0 {
			t.Errorf("%s: no sysObjectID", m.Name)
		}
		if m.Model() == "" {
			t.Errorf("%s: no device.model or ups.model row to confirm a detection", m.Name)
		}
		for _, s := range m.SysOIDs {
			if other := sys[s]; other != nil && other.Model() == m.Model() && other.Requires == m.Requires {
				t.Errorf("sysObjectID %s in %s and %s, and nothing (model OID, Requires) tells them apart", s, other.Name, m.Name)
			}
			sys[s] = m
		}
		for _, oid := range append([]string{m.ProbeOID, m.OutletIndex, m.Requires}, m.SysOIDs...) {
			if oid != "" && !numericOID.MatchString(oid) {
				t.Errorf("%s: malformed OID %q", m.Name, oid)
			}
		}
		for _, v := range m.Vars {
			checkVar(t, m, v)
		}
		for _, c := range m.Cmds {
			where := m.Name + " " + c.Name
			if !numericOID.MatchString(c.OID) {
				t.Errorf("%s: malformed OID %q", where, c.OID)
			}
			checkSymbol(t, where, c.OID, c.Symbol)
			if strings.Contains(c.Name, "%i") != (c.Kind() != Single) || strings.Contains(c.OID, "%i") != strings.Contains(c.Name, "%i") {
				t.Errorf("%s: template flags, name and OID disagree", where)
			}
			if c.Is(Arg) && c.Value != 0 {
				t.Errorf("%s: a value, but the parameter is required (Arg)", where)
			}
		}
		if a := m.Alarms; a != nil {
			for _, oid := range []string{a.Count, a.Walk} {
				if !numericOID.MatchString(oid) {
					t.Errorf("%s alarms: malformed OID %q", m.Name, oid)
				}
			}
			checkSymbol(t, m.Name+" alarms", a.Count, a.Symbol)
			for _, k := range a.Known {
				if !numericOID.MatchString(k.OID) || k.Status == "" && k.Text == "" {
					t.Errorf("%s alarm %s: malformed OID or neither status word nor text", m.Name, k.OID)
				}
				checkSymbol(t, m.Name+" alarm", k.OID, k.Symbol)
			}
		}
	}
}

func checkVar(t *testing.T, m *MIB, v Var) {
	t.Helper()
	where := m.Name + " " + v.Name
	tmpl := v.Kind() != Single
	if v.OID != "" {
		if !numericOID.MatchString(v.OID) {
			t.Errorf("%s: malformed OID %q", where, v.OID)
		}
		checkSymbol(t, where, v.OID, v.Symbol)
		if !tmpl && strings.Contains(v.OID, "%i") {
			t.Errorf("%s: an instance in the OID of a variable that is no template", where)
		}
	} else if v.Symbol != "" {
		t.Errorf("%s: a MIB symbol but no OID", where)
	}
	if strings.Contains(v.Name, "%i") && !tmpl {
		t.Errorf("%s: %%i in the name of a variable that is no template", where)
	}
	if v.Flags&(Outlet|Group|Ambient) != 0 && bits(v.Flags&(Outlet|Group|Ambient)) > 1 {
		t.Errorf("%s: a template over two kinds", where)
	}
	if tmpl && v.Is(Absent) {
		t.Errorf("%s: Absent means nothing to a template", where)
	}
	if v.Is(Status) && (v.Name != "ups.status" || len(v.Lookup) == 0 || v.Poll != Fast) {
		t.Errorf("%s: a status element must be ups.status with a lookup, read at every poll (Fast)", where)
	}
	if v.Is(Alarm) && (!strings.HasSuffix(v.Name, ".alarm") || len(v.Lookup) == 0 || v.Poll != Fast) {
		t.Errorf("%s: an alarm element must be *.alarm with a lookup, read at every poll (Fast)", where)
	}
	if (v.Name == "ups.status") != v.Is(Status) || strings.HasSuffix(v.Name, ".alarm") != v.Is(Alarm) {
		t.Errorf("%s: the name and the Status/Alarm flag disagree", where)
	}
	switch {
	case v.OID == "" && v.Default == "":
		t.Errorf("%s: neither OID nor default", where)
	case v.OID != "" && v.Default != "" && !v.Is(Absent):
		t.Errorf("%s: a default NUT never uses (there is an OID and it is not Absent)", where)
	case v.Is(Absent) && v.Poll != Once:
		t.Errorf("%s: Absent, so read once", where)
	}
	if v.Name == "device.type" && v.Default != m.Type {
		t.Errorf("%s: device.type %q, the table says %s", where, v.Default, m.Type)
	}
	switch v.Set {
	case ReadOnly:
	case SetString:
		if !v.Is(String) || len(v.Lookup) > 0 || v.Size <= 0 {
			t.Errorf("%s: written as text, so it must be text (String), without a lookup, with a Size", where)
		}
	case SetInteger, SetTimeTicks:
		if v.Set == SetTimeTicks && len(v.Lookup) > 0 {
			t.Errorf("%s: TimeTicks through a lookup", where)
		}
	default:
		t.Errorf("%s: SET type %d", where, v.Set)
	}
	if v.Writable() && v.OID == "" {
		t.Errorf("%s: writable without an OID", where)
	}
	if v.Poll > Once {
		t.Errorf("%s: poll class %d", where, v.Poll)
	}
	if v.Decimals < 0 || v.Decimals > 0 && v.Is(String) {
		t.Errorf("%s: %d decimals on a text variable", where, v.Decimals)
	}
	if v.Size > 0 && v.Set != SetString {
		t.Errorf("%s: a size, but not written as text", where)
	}
	switch v.Convert {
	case NoConvert:
	case USDate:
		if !v.Is(String) {
			t.Errorf("%s: a date conversion on a number", where)
		}
	case SensorUnit, SensorTemp, IEMTemp:
		if v.Is(String) || len(v.Lookup) > 0 {
			t.Errorf("%s: a temperature conversion on text or with a lookup", where)
		}
	default:
		t.Errorf("%s: conversion %d", where, v.Convert)
	}
	if (v.Convert == IEMTemp) != (v.Aux != "") {
		t.Errorf("%s: Aux is the IEM probe's unit, and only that", where)
	}
	seen := map[int64]bool{}
	for _, p := range v.Lookup {
		if seen[p.Value] {
			t.Errorf("%s: lookup value %d twice", where, p.Value)
		}
		seen[p.Value] = true
	}
}

func bits(f Flag) int {
	n := 0
	for ; f != 0; f &= f - 1 {
		n++
	}
	return n
}

// TestSystemRows: the rows every table shares come from shared.go (the
// system and uptime records), not from a copy written out in a table.
func TestSystemRows(t *testing.T) {
	for _, m := range All() {
		for _, v := range m.Vars {
			if sym, ok := sysSymbols[v.OID]; ok && v.Symbol != sym {
				t.Errorf("%s %s: system group OID %s with symbol %q, want %q", m.Name, v.Name, v.OID, v.Symbol, sym)
			}
		}
	}
}

func TestCandidates(t *testing.T) {
	for _, tc := range []struct{ oid, want string }{
		{"1.3.6.1.4.1.318.1.3.4.5", "apc_pdu"},
		{".1.3.6.1.4.1.318.1.3.4.6", "apc_pdu"},
		{"1.3.6.1.4.1.318.1.3.11", "apc_ats"},
		{"1.3.6.1.4.1.705.1", "eaton_ats16_nmc mge"}, // NUT's order; the model row tells them apart
		{"1.3.6.1.4.1.534.1", "pw"},
		{"1.3.6.1.4.1.935.1.1.1", "xppc"}, // below NUT's 935
		{"1.3.6.1.4.1.850.1.1.1", "tripplite_ats tripplite_pdu tripplite"},
		{"1.3.6.1.4.1.850.1.2.3", "tripplite"},
		{"1.3.6.1.4.1.13742.6", "raritan-px2 raritan"},
		{"1.3.6.1.4.1.1718.3", "sentry3"},
		{"1.3.6.1.4.1.31815", ""},
		{"1.3.6.1.4.1.3181", ""}, // a prefix of nothing: no partial sub-identifiers
	} {
		var got []string
		for _, m := range Candidates(tc.oid) {
			got = append(got, m.Name)
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("Candidates(%s) = %q, want %q", tc.oid, got, tc.want)
		}
	}
}

// nutEntry is one line of Debian's NUT 2.8.0 snmp-ups -x mibs=--list.
type nutEntry struct{ name, version, sysOID, check string }

// nutOrder is the mappings Debian's NUT 2.8.0 snmp-ups lists for
// mibs=--list, in its detection order (an entry per sysObjectID; a name
// may repeat).
func nutOrder(t *testing.T) []nutEntry {
	t.Helper()
	const bin = "/lib/nut/snmp-ups"
	if _, err := os.Stat(bin); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is missing: .ci/run must install Debian's nut-snmp", bin)
		}
		t.Skipf("%s is missing (apt-get install nut-snmp)", bin)
	}
	out, err := exec.Command(bin, "-s", "list", "-x", "port=127.0.0.1", "-x", "mibs=--list").CombinedOutput()
	if err != nil {
		t.Fatalf("snmp-ups -x mibs=--list: %v\n%s", err, out)
	}
	var list []nutEntry
	sc := bufio.NewScanner(bytes.NewReader(out))
	row := regexp.MustCompile(`^\s*\d+\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)`)
	for sc.Scan() {
		if m := row.FindStringSubmatch(sc.Text()); m != nil {
			e := nutEntry{m[1], m[2], strings.TrimPrefix(m[3], "."), strings.TrimPrefix(m[4], ".")}
			if e.check == "<NULL>" {
				e.check = ""
			}
			list = append(list, e)
		}
	}
	if len(list) < 25 {
		t.Fatalf("snmp-ups listed %d mappings:\n%s", len(list), out)
	}
	return list
}

// TestDetectionOrder: every mapping of Debian's NUT 2.8.0 snmp-ups is a
// table here, tried in NUT's order, with NUT's name, version,
// sysObjectIDs and nut-scanner OID; powerchain's own tables come after.
func TestDetectionOrder(t *testing.T) {
	nut := nutOrder(t)
	all := All()
	i := 0
	for _, e := range nut {
		if i > 0 && all[i-1].Name == e.name {
			// another sysObjectID of the same table (apc_pdu)
			if !slices.Contains(all[i-1].SysOIDs, e.sysOID) {
				t.Errorf("%s: NUT's sysObjectID %s missing (%v)", e.name, e.sysOID, all[i-1].SysOIDs)
			}
			continue
		}
		if i >= len(all) || all[i].Name != e.name {
			got := "nothing"
			if i < len(all) {
				got = all[i].Name
			}
			t.Fatalf("NUT tries %s next, powerchain %s", e.name, got)
		}
		m := all[i]
		if m.Version != e.version || m.SysOIDs[0] != e.sysOID || m.ProbeOID != e.check {
			t.Errorf("%s: version %s, sysObjectID %s, probe %q; NUT: %s, %s, %q", m.Name, m.Version, m.SysOIDs[0], m.ProbeOID, e.version, e.sysOID, e.check)
		}
		i++
	}
	for _, m := range all[i:] {
		if m.Name == "" || ByName(m.Name) != m {
			t.Errorf("%s: name not unique", m.Name)
		}
		t.Logf("powerchain's own table, tried after NUT's: %s", m.Name)
	}
}
