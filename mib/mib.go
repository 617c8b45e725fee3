// Package mib holds powerchain's knowledge of SNMP power devices as data:
// for each MIB, the sysObjectIDs that identify it, which OID gives which
// NUT variable (with its MIB symbol, scale, precision, value lookup, how
// often it is read and how it is written), outlet templates and instant
// commands.
//
// One file per MIB, named as NUT's snmp-ups mibs= option names it; rows
// every MIB shares (the system group) are defined once, in shared.go.
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

// SetType is how SET VAR writes a variable to the agent.
type SetType uint8

const (
	// ReadOnly: the variable cannot be written.
	ReadOnly SetType = iota
	// SetInteger: an INTEGER — an enumeration's number through Lookup,
	// else the value divided by Mult.
	SetInteger
	// SetString: the value as an OCTET STRING.
	SetString
)

// Poll is how often the driver reads a variable.
type Poll uint8

const (
	// Slow: every pollfreq, with everything else (NUT's only class).
	Slow Poll = iota
	// Fast: every pollinterval as well — status words and outlet states,
	// what a monitor must see soon.
	Fast
	// Once: at start-up only (NUT's static entries).
	Once
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
	Name string // NUT variable; "%i" is the outlet or group number
	OID  string // numeric, without a leading dot; "" when only Default
	// Symbol is the OID as its MIB names it ("UPS-MIB::upsIdentModel.0");
	// an object no published MIB file names is written from the nearest
	// named node ("SNMPv2-SMI::enterprises.4779.1.1.1.0").
	Symbol  string
	Default string
	Mult    float64 // scale of numbers; 0 means 1
	// Decimals, when > 0, prints the scaled number with that many digits
	// after the point (NUT's ambient.temperature: 1); 0 is NUT's rule: an
	// integer when whole, else two digits.
	Decimals int
	Size     int     // maximum length of writable strings
	Set      SetType // how SET VAR writes it; ReadOnly when it cannot
	Poll     Poll    // how often it is read
	Flags    Flag
	Lookup   Lookup
}

// Is reports whether the variable has all of the flags f.
func (v Var) Is(f Flag) bool { return v.Flags&f == f }

// Writable reports whether SET VAR may write the variable.
func (v Var) Writable() bool { return v.Set != ReadOnly }

// Cmd maps an instant command to an SNMP SET of an integer.
type Cmd struct {
	Name   string // NUT command; "%i" is the outlet number
	OID    string
	Symbol string // as for Var
	Value  int64
	Flags  Flag // Outlet or Group for templates
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

// detection is the order in which tables are tried: NUT 2.8.0's mib2nut
// list (drivers/snmp-ups.c) for the tables NUT has, then powerchain's
// own. NUT's generic UPS-MIB (ietf) comes last of NUT's, as there:
// many vendors' cards answer it besides their own MIB.
var detection = []*MIB{
	APCATS, APCPDU, APCC, CyberPower, EatonEPDU, MGE, Netvision, Raritan, IETF,
	TrippLiteATS, TrippLitePDU, Sentry3,
}

// All returns every MIB, in detection order.
func All() []*MIB { return append([]*MIB(nil), detection...) }

// Names returns the names accepted by the mibs= option.
func Names() []string {
	seen := map[string]bool{}
	var n []string
	for _, m := range detection {
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
	for _, m := range detection {
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
	for _, m := range detection {
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
