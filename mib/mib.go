// Package mib holds powerchain's knowledge of SNMP power devices as data:
// for each MIB, the sysObjectIDs that identify it, which OID gives which
// NUT variable (with its MIB symbol, scale, precision, value lookup, how
// often it is read and how it is written), outlet, outlet group and
// sensor templates, alarms and instant commands; and the notifications
// their agents send.
//
// The tables are data files, embedded in the binary and read once, on
// first use, by internal/tabfile (tables/README.md describes their
// records): one file per MIB, named as NUT's snmp-ups mibs= option names
// it, with all of NUT 2.8.0's mappings (the facts of its
// drivers/*-mib.c, row by row and in NUT's order, written in this
// package's own form) and powerchain's own tables for devices NUT does
// not know; tables/order.tab is the detection order, tables/shared.tab
// what several tables share (lookups, blocks of rows), tables/traps.tab
// the notifications. The rows every MIB shares (the system group) are
// defined once, in shared.go, and named by the system and uptime records.
// A mistake in the files stops the program when they are first read,
// with its file and line (go test ./mib finds it first). Adding a MIB is adding its file
// and its line in tables/order.tab.
//
// The SNMP driver polls with these tables, the scanner identifies devices
// with them and the SNMP fence agent switches outlets with them: one
// declaration, every user.
package mib

import (
	"sort"
	"strings"
)

// Flag qualifies a variable or a command.
type Flag uint32

const (
	// String: the value is text (an OCTET STRING, or an integer shown
	// through Lookup); otherwise a number scaled by Mult.
	String Flag = 1 << iota
	// Absent: the agent does not have it: Default is the value, read
	// once; the OID (if any) is only written by SET VAR (NUT's ABSENT).
	Absent
	// NegInvalid, ZeroInvalid: such a reading means "no data"; the
	// variable is not published and not asked again.
	NegInvalid
	ZeroInvalid
	// NAInvalid: a text starting "N/A" does not count when the driver
	// finds where a template's index starts.
	NAInvalid
	// Unique: once this entry answers, the other entries of the same
	// variable are no longer read (otherwise the last entry that answers
	// wins).
	Unique
	// Outlet, Group, Ambient: the entry is a template over the outlets,
	// the outlet groups or the ambient sensors: "%i" in its name, OID and
	// default is the instance's number (see Kind).
	Outlet
	Group
	Ambient
	// Status: an element of ups.status: Lookup maps the reading to
	// status words ("" adds none).
	Status
	// Alarm: an element of ups.alarm (and of the "ALARM" status): Lookup
	// maps the reading to an alarm text ("" raises none); an outlet's or
	// group's text is prefixed with it, a phase's (L1.alarm) with the
	// phase.
	Alarm
	// Input1, Input3, Output1, Output3: only when input.phases or
	// output.phases is 1 or 3.
	Input1
	Input3
	Output1
	Output3
	// Bypass1, Bypass3: bypass rows for 1 or 3 phases; NUT 2.8.0 publishes
	// input.bypass.phases for them but reads both kinds whatever it says.
	Bypass1
	Bypass3
	// Arg: a command whose value is INSTCMD's parameter, which it needs
	// (NUT's load.off.delay).
	Arg
)

// Kind is what a template ranges over.
type Kind uint8

const (
	// Single: not a template.
	Single Kind = iota
	// Outlets: outlet.N.…
	Outlets
	// Groups: outlet.group.N.…
	Groups
	// Sensors: ambient.N.…
	Sensors
)

// CountVar is the variable that counts a kind's instances (NUT reads it
// before the templates, or guesses the count from the first template's
// OID and publishes it).
func (k Kind) CountVar() string {
	switch k {
	case Outlets:
		return "outlet.count"
	case Groups:
		return "outlet.group.count"
	case Sensors:
		return "ambient.count"
	}
	return ""
}

func kindOf(f Flag) Kind {
	switch {
	case f&Outlet != 0:
		return Outlets
	case f&Group != 0:
		return Groups
	case f&Ambient != 0:
		return Sensors
	}
	return Single
}

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
	// SetTimeTicks: seconds, written as TimeTicks (hundredths).
	SetTimeTicks
)

// Poll is how often the driver reads a variable.
type Poll uint8

const (
	// Slow: every pollfreq, with everything else (NUT's only class).
	Slow Poll = iota
	// Fast: every pollinterval as well — status words, alarms and
	// states, what a monitor must see soon.
	Fast
	// Once: at start-up only (NUT's static entries).
	Once
)

// Convert names a conversion NUT applies to a reading instead of a
// lookup table.
type Convert uint8

const (
	// NoConvert: the lookup or the number as it is.
	NoConvert Convert = iota
	// USDate: text mm/dd/yyyy becomes yyyy-mm-dd (NUT publishes
	// 1900-01-00 for text that is no such date).
	USDate
	// SensorUnit: an EATON-SENSOR-MIB temperatureUnit (0 kelvin, 1
	// celsius, 2 fahrenheit); published as "celsius", and remembered for
	// the SensorTemp readings that follow it.
	SensorUnit
	// SensorTemp: tenths of a degree in the remembered unit, published as
	// whole degrees Celsius (empty when the unit is unknown).
	SensorTemp
	// IEMTemp: an APC environment probe's temperature, in Fahrenheit
	// unless Aux (the probe's unit) answers celsius(1).
	IEMTemp
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
	// Name is the NUT variable; in a template "%i" is the instance.
	Name string
	// OID is numeric, without a leading dot; "" when only Default. In a
	// template "%i" is the instance; "%u" is the unit of a daisy chain
	// (the driver reads the unit it talks to).
	OID string
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
	Size     int     // maximum length of text written by SET VAR
	Set      SetType // how SET VAR writes it; ReadOnly when it cannot
	Poll     Poll    // how often it is read
	Flags    Flag
	Lookup   Lookup
	Convert  Convert
	// Aux is a second OID a conversion reads (IEMTemp: the unit).
	Aux string
}

// Is reports whether the variable has all of the flags f.
func (v Var) Is(f Flag) bool { return v.Flags&f == f }

// Writable reports whether SET VAR may write the variable.
func (v Var) Writable() bool { return v.Set != ReadOnly }

// Kind says what the variable is a template over, if anything.
func (v Var) Kind() Kind { return kindOf(v.Flags) }

// Cmd maps an instant command to an SNMP SET of an integer.
type Cmd struct {
	Name   string // NUT command; "%i" is the outlet or group
	OID    string // "%i" the instance, "%u" the unit, as for Var
	Symbol string // as for Var
	// Value is what the command SETs; INSTCMD's parameter, when given,
	// replaces it (and is required with Arg).
	Value int64
	Flags Flag // Outlet or Group for templates; Arg
}

// Is reports whether the command has all of the flags f.
func (c Cmd) Is(f Flag) bool { return c.Flags&f == f }

// Kind says what the command is a template over, if anything.
func (c Cmd) Kind() Kind { return kindOf(c.Flags) }

// AlarmTable is a MIB's table of active alarms (XUPS-MIB's
// xupsAlarmTable): Count says how many are active; each row of the Walk
// column names one by an object identifier, which Known maps to a status
// word and an alarm text.
type AlarmTable struct {
	Count  string
	Symbol string // Count's
	Walk   string
	Known  []AlarmOID
}

// AlarmOID is one known alarm.
type AlarmOID struct {
	OID    string
	Status string // a ups.status word, or ""
	Text   string // a ups.alarm text, or ""
	Symbol string
}

// MIB is the mapping for one family of devices.
type MIB struct {
	Name    string // as NUT's mibs= option names it
	Version string
	Type    string // device.type: ups, pdu or ats
	// SysOIDs are the sysObjectID.0 values NUT 2.8.0 takes this table for
	// (compared exactly; the model row must answer too). The fallback
	// for agents without a model OID also takes an OID below one of them.
	SysOIDs []string
	// ProbeOID is what NUT's nut-scanner checks after a sysObjectID match
	// (oid_auto_check); the driver and powerchain's scanner confirm with
	// the model row instead, as NUT's driver does.
	ProbeOID string
	// Requires, when set, must answer with a non-zero integer for the
	// table to apply: it tells apart families that share a sysObjectID
	// (Tripp Lite's PDUs and ATSes; powerchain's tables).
	Requires string
	// OutletIndex, for a MIB with no outlet count, is a column whose walk
	// lists the outlets (its last sub-identifier is the outlet number;
	// powerchain's tables). NUT's tables count with outlet.count or by
	// probing the first outlet template.
	OutletIndex string
	Vars        []Var
	Cmds        []Cmd
	Alarms      *AlarmTable
}

// Model returns the OID that confirms a detection and describes the
// device: the device.model row's, else the ups.model row's (NUT's rule),
// with a daisy chain's unit 0.
func (m *MIB) Model() string {
	for _, name := range []string{"device.model", "ups.model"} {
		for _, v := range m.Vars {
			if v.Name == name {
				return strings.ReplaceAll(strings.ReplaceAll(v.OID, "%u", "0"), "%i", "0")
			}
		}
	}
	return ""
}

// Counter returns the row that counts a kind's instances, if the MIB has
// one with an OID.
func (m *MIB) Counter(k Kind) (Var, bool) {
	for _, v := range m.Vars {
		if v.Name == k.CountVar() && v.OID != "" && v.Kind() == Single {
			return v, true
		}
	}
	return Var{}, false
}

// detection is the order in which tables are tried (tables/order.tab).
func detection() []*MIB { return loaded().mibs }

// All returns every MIB, in detection order.
func All() []*MIB { return append([]*MIB(nil), detection()...) }

// Names returns the names accepted by the mibs= option.
func Names() []string {
	var n []string
	for _, m := range detection() {
		n = append(n, m.Name)
	}
	sort.Strings(n)
	return n
}

// ByName returns the MIB of that name.
func ByName(name string) *MIB {
	for _, m := range detection() {
		if m.Name == name {
			return m
		}
	}
	return nil
}

// Candidates returns the MIBs a sysObjectID names, best first: exact
// matches (NUT's rule), then the MIBs whose sysObjectID it is below
// (longest first), each in detection order.
func Candidates(sysOID string) []*MIB {
	sysOID = strings.TrimPrefix(sysOID, ".")
	type cand struct {
		m     *MIB
		score int // len+1 for prefixes, a large number for exact
	}
	var cs []cand
	for _, m := range detection() {
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
