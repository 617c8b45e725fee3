package mib

import "strconv"

// What every MIB shares: MIB-2's system group. Defined once here; the
// tables' system and uptime records name it.

// OIDs of MIB-2's system group (SNMPv2-MIB), read by every MIB.
const (
	SysDescr    = "1.3.6.1.2.1.1.1.0"
	SysObjectID = "1.3.6.1.2.1.1.2.0"
	SysUpTime   = "1.3.6.1.2.1.1.3.0"
	SysContact  = "1.3.6.1.2.1.1.4.0"
	SysName     = "1.3.6.1.2.1.1.5.0"
	SysLocation = "1.3.6.1.2.1.1.6.0"
)

// symbols of the system group's OIDs.
var sysSymbols = map[string]string{
	SysDescr:    "SNMPv2-MIB::sysDescr.0",
	SysObjectID: "SNMPv2-MIB::sysObjectID.0",
	SysUpTime:   "SNMPv2-MIB::sysUpTime.0",
	SysContact:  "SNMPv2-MIB::sysContact.0",
	SysName:     "SNMPv2-MIB::sysName.0",
	SysLocation: "SNMPv2-MIB::sysLocation.0",
}

// system is the device's description, contact and location from the
// system group: the description from descr (sysDescr, or sysName where a
// table says so), writable as text when set is SetString.
func system(descr string, set SetType) []Var {
	row := func(name, oid string) Var {
		v := Var{Name: name, OID: oid, Symbol: sysSymbols[oid], Flags: String, Set: set}
		if set != ReadOnly {
			v.Size = 128
		}
		return v
	}
	return []Var{
		row("device.description", descr),
		row("device.contact", SysContact),
		row("device.location", SysLocation),
	}
}

// constant is a row with a fixed text instead of an OID (NUT's ABSENT
// entries: the device type, a manufacturer the agent does not tell, the
// whole device's outlet description), published once.
func constant(name, value string) Var {
	return Var{Name: name, Default: value, Poll: Once, Flags: String | Absent}
}

// limits are the four rows of a reading's limits, writable as integers
// scaled by mult: NUT's <name>.low.warning, .low.critical, .high.warning
// and .high.critical, in four consecutive columns of a table from col
// (OID table.col.index), whose MIB symbols are the reading's symbol
// followed by ThLowerWarning, ThLowerCritical, ThUpperWarning and
// ThUpperCritical.
func limits(name, table string, col int, symbol, index string, mult float64, flags Flag) []Var {
	ends := [4][2]string{{"low.warning", "ThLowerWarning"}, {"low.critical", "ThLowerCritical"}, {"high.warning", "ThUpperWarning"}, {"high.critical", "ThUpperCritical"}}
	out := make([]Var, len(ends))
	for i, e := range ends {
		out[i] = Var{
			Name:   name + "." + e[0],
			OID:    table + "." + strconv.Itoa(col+i) + "." + index,
			Symbol: symbol + e[1] + "." + index,
			Mult:   mult,
			Set:    SetInteger,
			Flags:  flags,
		}
	}
	return out
}

// uptime is the agent's uptime, in seconds.
var uptime = Var{Name: "device.uptime", OID: SysUpTime, Symbol: sysSymbols[SysUpTime]}
