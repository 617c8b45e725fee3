package mib

import (
	"regexp"
	"strings"
	"testing"
)

var numericOID = regexp.MustCompile(`^[0-9]+(\.[0-9]+|\.%i)+$`)

// TestTables checks every table for the mistakes a hand-written table
// invites: malformed OIDs, templates without a template flag (or the
// reverse), status entries without lookups, writable enumerations
// without values, duplicate sysObjectIDs across MIBs.
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
			if v.OID != "" && !numericOID.MatchString(v.OID) {
				t.Errorf("%s: malformed OID %q", where, v.OID)
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
			if v.Is(Status) && (v.Name != "ups.status" || len(v.Lookup) == 0) {
				t.Errorf("%s: a status element must be ups.status with a lookup", where)
			}
			if v.OID == "" && v.Default == "" {
				t.Errorf("%s: neither OID nor default", where)
			}
			if v.Is(RW) && v.OID == "" {
				t.Errorf("%s: writable without an OID", where)
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
			if strings.Contains(c.Name, "%i") != (c.Flags&(Outlet|Group) != 0) || strings.Contains(c.OID, "%i") != strings.Contains(c.Name, "%i") {
				t.Errorf("%s: template flags, name and OID disagree", where)
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
	if all := All(); !all[len(all)-1].Fallback {
		t.Error("the fallback MIB is not probed last")
	}
}
