package mib

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

var (
	numericOID = regexp.MustCompile(`^[0-9]+(\.[0-9]+|\.%i)+$`)
	// symbolRE is MODULE::object, then the instance's sub-identifiers.
	symbolRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]*::[A-Za-z][A-Za-z0-9-]*((\.[0-9]+|\.%i)*)$`)
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
// without a template flag (or the reverse), status entries without
// lookups or not read at every poll, writable variables without a SET
// type that fits, precision on text, duplicate sysObjectIDs across MIBs.
func TestTables(t *testing.T) {
	sys := map[string]string{}
	for _, m := range All() {
		if m.Name == "" || m.Version == "" {
			t.Errorf("%+v: no name or version", m.Name)
		}
		switch m.Type {
		case "ups", "pdu", "ats":
		default:
			t.Errorf("%s: device type %q", m.Name, m.Type)
		}
		if len(m.SysOIDs) == 0 && m.ProbeOID == "" {
			t.Errorf("%s: cannot be detected (no sysObjectID, no probe OID)", m.Name)
		}
		for _, s := range m.SysOIDs {
			if other, dup := sys[s]; dup && m.Requires == "" {
				t.Errorf("sysObjectID %s in %s and %s, and %s has no Requires OID to tell them apart", s, other, m.Name, m.Name)
			}
			sys[s] = m.Name
		}
		for _, oid := range append([]string{m.ProbeOID, m.OutletCount, m.OutletIndex, m.GroupCount, m.ModelOID, m.Requires}, m.SysOIDs...) {
			if oid != "" && !numericOID.MatchString(oid) {
				t.Errorf("%s: malformed OID %q", m.Name, oid)
			}
		}
		hasOutlets := m.OutletCount != "" || m.OutletIndex != ""
		for _, v := range m.Vars {
			where := m.Name + " " + v.Name
			if v.OID != "" {
				if !numericOID.MatchString(v.OID) {
					t.Errorf("%s: malformed OID %q", where, v.OID)
				}
				checkSymbol(t, where, v.OID, v.Symbol)
			} else if v.Symbol != "" {
				t.Errorf("%s: a MIB symbol but no OID", where)
			}
			tmpl := strings.Contains(v.Name, "%i")
			if tmpl != (v.Flags&(Outlet|Group) != 0) {
				t.Errorf("%s: %%i template and Outlet/Group flag disagree", where)
			}
			if tmpl && v.OID != "" && !strings.Contains(v.OID, "%i") {
				t.Errorf("%s: template name, fixed OID %s", where, v.OID)
			}
			if v.Is(Outlet) && !hasOutlets {
				t.Errorf("%s: outlet template but the MIB cannot count outlets", where)
			}
			if v.Is(Group) && m.GroupCount == "" {
				t.Errorf("%s: group template but no GroupCount", where)
			}
			if v.Is(Status) && (v.Name != "ups.status" || len(v.Lookup) == 0 || v.Poll != Fast) {
				t.Errorf("%s: a status element must be ups.status with a lookup, read at every poll (Fast)", where)
			}
			if v.OID == "" && v.Default == "" {
				t.Errorf("%s: neither OID nor default", where)
			}
			switch v.Set {
			case ReadOnly:
			case SetString:
				if !v.Is(String) || len(v.Lookup) > 0 || v.Size <= 0 {
					t.Errorf("%s: written as text, so it must be text (String), without a lookup, with a Size", where)
				}
			case SetInteger:
				if v.Is(String) && len(v.Lookup) == 0 && v.Size <= 0 {
					t.Errorf("%s: a number shown as text needs a Size", where)
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
			if v.Size > 0 && !v.Writable() {
				t.Errorf("%s: a size but not writable", where)
			}
			seen := map[int64]bool{}
			for _, p := range v.Lookup {
				if seen[p.Value] {
					t.Errorf("%s: lookup value %d twice", where, p.Value)
				}
				seen[p.Value] = true
			}
		}
		for _, c := range m.Cmds {
			where := m.Name + " " + c.Name
			if !numericOID.MatchString(c.OID) {
				t.Errorf("%s: malformed OID %q", where, c.OID)
			}
			checkSymbol(t, where, c.OID, c.Symbol)
			if strings.Contains(c.Name, "%i") != (c.Flags&(Outlet|Group) != 0) || strings.Contains(c.OID, "%i") != strings.Contains(c.Name, "%i") {
				t.Errorf("%s: template flags, name and OID disagree", where)
			}
		}
	}
}

// TestSystemRows: the rows every table shares come from shared.go, not
// from a copy in the table.
func TestSystemRows(t *testing.T) {
	for _, m := range All() {
		for _, v := range m.Vars {
			if sym, ok := sysSymbols[v.OID]; ok && v.Symbol != sym {
				t.Errorf("%s %s: system group OID %s with symbol %q, want %q", m.Name, v.Name, v.OID, v.Symbol, sym)
			}
		}
	}
}

func TestBySysOID(t *testing.T) {
	for _, tc := range []struct{ oid, want string }{
		{"1.3.6.1.4.1.318.1.3.4.5", "apc_pdu"},
		{".1.3.6.1.4.1.318.1.3.4.6", "apc_pdu"},
		{"1.3.6.1.4.1.318.1.3.2.12", "apcc"},
		{"1.3.6.1.4.1.318.1.3.11", "apc_ats"},
		{"1.3.6.1.4.1.705.1", "mge"},
		{"1.3.6.1.4.1.705.1.2", "mge"},
		{"1.3.6.1.4.1.3808.1.1.3", "cyberpower"},
		{"1.3.6.1.4.1.850.1.1.1", "tripplite_ats"},
		{"1.3.6.1.4.1.850.1.2.3", "ietf"},
		{"1.3.6.1.4.1.476.1.42", "ietf"},
		{"1.3.6.1.4.1.534.6.6.7", "eaton_epdu"},
		{"1.3.6.1.4.1.13742.4", "raritan"},
		{"1.3.6.1.4.1.1718.3", "sentry3"},
		{"1.3.6.1.4.1.4555.1.1.1", "netvision"},
		{"1.3.6.1.4.1.31815", ""},
		{"1.3.6.1.4.1.3181", ""}, // a prefix of nothing: no partial sub-identifiers
	} {
		got := ""
		if m := BySysOID(tc.oid); m != nil {
			got = m.Name
		}
		if got != tc.want {
			t.Errorf("BySysOID(%s) = %q, want %q", tc.oid, got, tc.want)
		}
	}
}

// nutOrder is the mapping names Debian's NUT 2.8.0 snmp-ups lists for
// mibs=--list, in its detection order (an entry per sysObjectID; a name
// may repeat).
func nutOrder(t *testing.T) []string {
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
	var names []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	row := regexp.MustCompile(`^\s*\d+\s+(\S+)\s`)
	for sc.Scan() {
		if m := row.FindStringSubmatch(sc.Text()); m != nil {
			names = append(names, m[1])
		}
	}
	if len(names) < 25 {
		t.Fatalf("snmp-ups listed %d mappings:\n%s", len(names), out)
	}
	return names
}

// TestDetectionOrder: the tables NUT has are tried in the order Debian's
// NUT 2.8.0 snmp-ups tries them, and powerchain's own come after.
func TestDetectionOrder(t *testing.T) {
	nut := nutOrder(t)
	pos := map[string]int{}
	for i, n := range nut {
		if _, seen := pos[n]; !seen {
			pos[n] = i
		}
	}
	last, ours := -1, false
	for _, m := range All() {
		p, isNUT := pos[m.Name]
		switch {
		case !isNUT:
			ours = true
		case ours:
			t.Errorf("%s (NUT's) is tried after powerchain's own tables", m.Name)
		case p < last:
			t.Errorf("%s is tried after a table NUT tries later", m.Name)
		default:
			last = p
		}
	}
}
