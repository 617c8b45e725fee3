package mib

// Baytech: Bay Technical Associates RPC power controllers (enterprise
// 4779), with per-outlet status, names and on/off commands. NUT 2.8.0:
// drivers/baytech-mib.c (baytech_mib), mapping 0.4034.
var Baytech = &MIB{
	Name: "baytech", Version: "0.4034", Type: "pdu",
	SysOIDs:  []string{"1.3.6.1.4.1.4779"},
	ProbeOID: "1.3.6.1.4.1.4779.1.3.5.2.1.24.1",
	Vars: rows(system(SysDescr, SetString), []Var{
		constant("device.mfr", "BayTech"),
		{Name: "device.model", OID: "1.3.6.1.4.1.4779.1.3.5.2.1.24.1", Symbol: "SNMPv2-SMI::enterprises.4779.1.3.5.2.1.24.1", Poll: Once, Flags: String},
		{Name: "device.serial", OID: "1.3.6.1.4.1.4779.1.1.2.0", Symbol: "SNMPv2-SMI::enterprises.4779.1.1.2.0", Poll: Once, Flags: String},
		constant("device.type", "pdu"),
		{Name: "device.macaddr", OID: "1.3.6.1.2.1.2.2.1.6.2", Symbol: "IF-MIB::ifPhysAddress.2", Poll: Once, Flags: String},
		constant("ups.mfr", "Baytech"),
		{Name: "ups.model", OID: "1.3.6.1.4.1.4779.1.3.5.2.1.24.1", Symbol: "SNMPv2-SMI::enterprises.4779.1.3.5.2.1.24.1", Poll: Once, Flags: String},
		{Name: "ups.id", OID: "1.3.6.1.4.1.4779.1.1.3.0", Symbol: "SNMPv2-SMI::enterprises.4779.1.1.3.0", Poll: Once, Flags: String},
		{Name: "ups.serial", OID: "1.3.6.1.4.1.4779.1.1.2.0", Symbol: "SNMPv2-SMI::enterprises.4779.1.1.2.0", Poll: Once, Flags: String},
		{Name: "ups.firmware", OID: "1.3.6.1.4.1.4779.1.1.1.0", Symbol: "SNMPv2-SMI::enterprises.4779.1.1.1.0", Poll: Once, Flags: String},
		constant("ups.type", "pdu"),
		{Name: "ups.temperature", OID: "1.3.6.1.4.1.4779.1.3.5.5.1.10.2.1", Symbol: "SNMPv2-SMI::enterprises.4779.1.3.5.5.1.10.2.1", Mult: 0.1},
		{Name: "outlet.id", Default: "0", Poll: Once, Flags: Absent},
		constant("outlet.desc", "All outlets"),
		{Name: "outlet.count", OID: "1.3.6.1.4.1.4779.1.3.5.2.1.15.1", Symbol: "SNMPv2-SMI::enterprises.4779.1.3.5.2.1.15.1"},
		{Name: "outlet.current", OID: "1.3.6.1.4.1.4779.1.3.5.5.1.6.2.1", Symbol: "SNMPv2-SMI::enterprises.4779.1.3.5.5.1.6.2.1", Mult: 0.1},
		{Name: "outlet.voltage", OID: "1.3.6.1.4.1.4779.1.3.5.5.1.8.2.1", Symbol: "SNMPv2-SMI::enterprises.4779.1.3.5.5.1.8.2.1", Mult: 0.1},
		{Name: "outlet.%i.status", OID: "1.3.6.1.4.1.4779.1.3.5.3.1.3.1.%i", Symbol: "SNMPv2-SMI::enterprises.4779.1.3.5.3.1.3.1.%i", Poll: Fast, Flags: String | Outlet, Lookup: baytechOutletStatus},
		{Name: "outlet.%i.desc", OID: "1.3.6.1.4.1.4779.1.3.5.3.1.4.1.%i", Symbol: "SNMPv2-SMI::enterprises.4779.1.3.5.3.1.4.1.%i", Set: SetString, Size: 128, Flags: String | Outlet},
		{Name: "outlet.%i.id", OID: "1.3.6.1.4.1.4779.1.3.5.6.1.3.2.1.%i", Symbol: "SNMPv2-SMI::enterprises.4779.1.3.5.6.1.3.2.1.%i", Poll: Once, Flags: Outlet},
		{Name: "outlet.%i.switchable", OID: "1.3.6.1.4.1.4779.1.3.5.3.1.1.1.%i", Symbol: "SNMPv2-SMI::enterprises.4779.1.3.5.3.1.1.1.%i", Poll: Once, Flags: Outlet},
	}),
	Cmds: []Cmd{
		{Name: "outlet.%i.load.off", OID: "1.3.6.1.4.1.4779.1.3.5.3.1.3.1.%i", Symbol: "SNMPv2-SMI::enterprises.4779.1.3.5.3.1.3.1.%i", Flags: Outlet},
		{Name: "outlet.%i.load.on", OID: "1.3.6.1.4.1.4779.1.3.5.3.1.3.1.%i", Symbol: "SNMPv2-SMI::enterprises.4779.1.3.5.3.1.3.1.%i", Value: 1, Flags: Outlet},
	},
}

// Lookups (SNMP value → NUT value).
var (
	baytechOutletStatus = Lookup{{-1, "error"}, {0, "off"}, {1, "on"}, {2, "cycling"}} // baytech_outlet_status_info
)
