// Package mib holds powerchain's knowledge of SNMP power devices as data:
// for each MIB, the sysObjectIDs that identify it, which OID gives which
// NUT variable (with its scale, type and value lookup), outlet templates,
// writable variables and instant commands.
//
// The SNMP driver polls with these tables, the scanner identifies devices
// with them and the SNMP fence agent switches outlets with them: one
// declaration, every user. NUT's drivers/*-mib.c were read for which OID
// means what; the tables are written here in this package's own form.
package mib

import (
	"sort"
	"strings"
)

// Flag qualifies a variable.
type Flag uint32

const (
	// String: the value is text (an OCTET STRING, or an integer shown
	// through Lookup); otherwise a number scaled by Mult.
	String Flag = 1 << iota
	// RW: writable through SET VAR (an SNMP SET of the same OID).
	RW
	// Static: read once, at start-up.
	Static
	// Absent: when the OID is missing (or there is none), Default is the
	// value.
	Absent
	// NegInvalid, ZeroInvalid: such a reading means "no data".
	NegInvalid
	ZeroInvalid
	// Unique: once this entry answers, later entries of the same
	// variable are dropped (otherwise the last entry that answers wins).
	Unique
	// Outlet: the name and OID are templates over the outlets ("%i").
	Outlet
	// Group: a template over the outlet groups.
	Group
	// Status: an element of ups.status; Lookup maps the reading to status
	// words ("" adds none).
	Status
	// Input1, Input3, Output1, Output3: only when input.phases or
	// output.phases is 1 or 3.
	Input1
	Input3
	Output1
	Output3
)

// Pair is one entry of a lookup table: an SNMP integer and its text.
type Pair struct {
	Value int64
	Text  string
}

// Lookup maps SNMP integers to NUT values, in the device's order (the
// order of enumerations for writable variables).
type Lookup []Pair

// Text returns the text for v.
func (l Lookup) Text(v int64) (string, bool) {
	for _, p := range l {
		if p.Value == v {
			return p.Text, true
		}
	}
	return "", false
}

// Value returns the SNMP integer for a text (for SET VAR).
func (l Lookup) Value(text string) (int64, bool) {
	for _, p := range l {
		if p.Text == text {
			return p.Value, true
		}
	}
	return 0, false
}

// Var maps one OID to one NUT variable.
type Var struct {
	Name    string // NUT variable; "%i" is the outlet or group number
	OID     string // numeric, without a leading dot; "" when only Default
	Default string
	Mult    float64 // scale of numbers; 0 means 1
	Size    int     // maximum length of writable strings
	Flags   Flag
	Lookup  Lookup
}

// Is reports whether the variable has all of the flags f.
func (v Var) Is(f Flag) bool { return v.Flags&f == f }

// Cmd maps an instant command to an SNMP SET of an integer.
type Cmd struct {
	Name  string // NUT command; "%i" is the outlet number
	OID   string
	Value int64
	Flags Flag // Outlet or Group for templates
}

// Is reports whether the command has all of the flags f.
func (c Cmd) Is(f Flag) bool { return c.Flags&f == f }

// MIB is the mapping for one family of devices.
type MIB struct {
	Name    string // as NUT's mibs= option names it
	Version string
	// SysOIDs identify the family from sysObjectID.0 (exact match, or a
	// prefix ending at a sub-identifier boundary).
	SysOIDs []string
	// ProbeOID is read when no sysObjectID matches: if it answers, the
	// device speaks this MIB (NUT's model OID test).
	ProbeOID string
	// ModelOID gives the model for a scan's description (ProbeOID when
	// empty).
	ModelOID string
	// Requires, when set, must answer with a non-zero integer for the
	// table to apply: it tells apart families that share a sysObjectID
	// (Tripp Lite's PDUs and ATSes).
	Requires string
	// Fallback MIBs are probed after all others (the generic UPS-MIB,
	// which many vendors' cards also answer).
	Fallback bool
	Type     string // device.type: ups, pdu or ats
	// OutletCount is the OID of the number of outlets (numbered from 1,
	// as NUT does and as the table index is); where the MIB has no count,
	// OutletIndex is a column whose walk lists the outlets (its last
	// sub-identifier is the outlet number).
	OutletCount string
	OutletIndex string
	// GroupCount is the OID of the number of outlet groups.
	GroupCount string
	Vars       []Var
	Cmds       []Cmd
}

var registry []*MIB

func register(m *MIB) *MIB {
	registry = append(registry, m)
	return m
}

// All returns every MIB, in detection order: the specific ones first,
// then the fallbacks.
func All() []*MIB {
	out := make([]*MIB, 0, len(registry))
	for _, fb := range []bool{false, true} {
		for _, m := range registry {
			if m.Fallback == fb {
				out = append(out, m)
			}
		}
	}
	return out
}

// Names returns the names accepted by the mibs= option.
func Names() []string {
	seen := map[string]bool{}
	var n []string
	for _, m := range registry {
		if !seen[m.Name] {
			seen[m.Name] = true
			n = append(n, m.Name)
		}
	}
	sort.Strings(n)
	return n
}

// ByName returns the MIBs of that name (several families may share one).
func ByName(name string) []*MIB {
	var out []*MIB
	for _, m := range registry {
		if m.Name == name {
			out = append(out, m)
		}
	}
	return out
}

// BySysOID returns the MIB whose sysObjectID matches best: an exact match,
// else the longest registered prefix of it. Where tables share a
// sysObjectID (and have Requires), Candidates gives them all.
func BySysOID(sysOID string) *MIB {
	if c := Candidates(sysOID); len(c) > 0 {
		return c[0]
	}
	return nil
}

// Candidates returns the MIBs matching a sysObjectID, best first: exact
// matches, then prefixes (longest first), in detection order.
func Candidates(sysOID string) []*MIB {
	sysOID = strings.TrimPrefix(sysOID, ".")
	type cand struct {
		m     *MIB
		score int // len+1 for prefixes, a large number for exact
	}
	var cs []cand
	for _, m := range All() {
		best := -1
		for _, s := range m.SysOIDs {
			switch {
			case s == sysOID:
				best = 1 << 20
			case strings.HasPrefix(sysOID, s+".") && len(s) > best:
				best = len(s)
			}
		}
		if best >= 0 {
			cs = append(cs, cand{m, best})
		}
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].score > cs[j].score })
	out := make([]*MIB, len(cs))
	for i, c := range cs {
		out[i] = c.m
	}
	return out
}

// Model is the OID whose value describes the device in a scan.
func (m *MIB) Model() string {
	if m.ModelOID != "" {
		return m.ModelOID
	}
	return m.ProbeOID
}

// Sys OIDs of MIB-2's system group, read by every MIB.
const (
	SysDescr    = "1.3.6.1.2.1.1.1.0"
	SysObjectID = "1.3.6.1.2.1.1.2.0"
	SysUpTime   = "1.3.6.1.2.1.1.3.0"
	SysContact  = "1.3.6.1.2.1.1.4.0"
	SysName     = "1.3.6.1.2.1.1.5.0"
	SysLocation = "1.3.6.1.2.1.1.6.0"
)

// Common lookup tables.
var (
	yesNo = Lookup{{1, "yes"}, {2, "no"}}
)
