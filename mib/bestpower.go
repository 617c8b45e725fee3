package mib

// BestPower: Best Power Ferrups UPS behind an early ConnectUPS card
// (enterprise 2947). NUT 2.8.0: drivers/bestpower-mib.c (bestpower_mib),
// mapping 0.4.
var BestPower = &MIB{
	Name: "bestpower", Version: "0.4", Type: "ups",
	SysOIDs:  []string{"1.3.6.1.4.1.2947.1.1.2.0"},
	ProbeOID: "1.3.6.1.4.1.2947.1.1.2.0",
	Vars: rows(system(SysDescr, SetString), []Var{
		constant("device.type", "ups"),
		constant("ups.mfr", "EATON"),
		{Name: "ups.model", OID: "1.3.6.1.4.1.2947.1.1.2.0", Symbol: "SNMPv2-SMI::enterprises.2947.1.1.2.0", Poll: Once, Flags: String},
		{Name: "ups.serial", OID: "1.3.6.1.4.1.2947.1.1.5.0", Symbol: "SNMPv2-SMI::enterprises.2947.1.1.5.0", Poll: Once, Flags: String},
		{Name: "ups.firmware", OID: "1.3.6.1.4.1.2947.1.1.7.0", Symbol: "SNMPv2-SMI::enterprises.2947.1.1.7.0", Poll: Once, Flags: String},
		{Name: "ups.power", OID: "1.3.6.1.4.1.2947.1.1.3.0", Symbol: "SNMPv2-SMI::enterprises.2947.1.1.3.0"},
		{Name: "ups.mfr.date", OID: "1.3.6.1.4.1.2947.1.1.8.0", Symbol: "SNMPv2-SMI::enterprises.2947.1.1.8.0", Flags: String},
		{Name: "ups.status", OID: "1.3.6.1.4.1.2947.1.2.1.0", Symbol: "SNMPv2-SMI::enterprises.2947.1.2.1.0", Poll: Fast, Flags: String | Status, Lookup: bestpowerPowerStatus},
		{Name: "battery.runtime", OID: "1.3.6.1.4.1.2947.1.2.3.0", Symbol: "SNMPv2-SMI::enterprises.2947.1.2.3.0", Mult: 60},
		{Name: "battery.runtime.elapsed", OID: "1.3.6.1.4.1.2947.1.2.2.0", Symbol: "SNMPv2-SMI::enterprises.2947.1.2.2.0"},
		{Name: "battery.voltage", OID: "1.3.6.1.4.1.2947.1.2.4.0", Symbol: "SNMPv2-SMI::enterprises.2947.1.2.4.0", Mult: 0.1},
		{Name: "battery.current", OID: "1.3.6.1.4.1.2947.1.2.5.0", Symbol: "SNMPv2-SMI::enterprises.2947.1.2.5.0", Mult: 0.1},
	}),
}

// Lookups (SNMP value → NUT value).
var (
	bestpowerPowerStatus = Lookup{{1, "OL"}, {2, "OB"}} // bestpower_power_status
)
