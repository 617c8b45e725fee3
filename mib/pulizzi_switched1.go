package mib

// PulizziSwitched1: Eaton G1 Pulizzi switched ePDUs (enterprise 20677),
// sysObjectID …20677.1. NUT 2.8.0: drivers/eaton-pdu-pulizzi-mib.c
// (eaton_pulizzi_switched_mib), mapping 0.5.
var PulizziSwitched1 = &MIB{
	Name: "pulizzi_switched1", Version: "0.5", Type: "pdu",
	SysOIDs:  []string{"1.3.6.1.4.1.20677.1"},
	ProbeOID: "1.3.6.1.4.1.20677.1",
	Vars:     pulizziRows,
	Cmds:     pulizziCmds,
}

// pulizziRows are the rows pulizzi_switched1 and pulizzi_switched2 share.
var pulizziRows = rows(system(SysDescr, SetString), []Var{
	constant("device.mfr", "EATON | Powerware"),
	{Name: "device.model", OID: "1.3.6.1.4.1.20677.2.1.1.0", Symbol: "SNMPv2-SMI::enterprises.20677.2.1.1.0", Poll: Once, Flags: String},
	constant("device.type", "pdu"),
	{Name: "device.macaddr", OID: "1.3.6.1.4.1.20677.2.2.6.0", Symbol: "SNMPv2-SMI::enterprises.20677.2.2.6.0", Flags: String},
	constant("ups.mfr", "EATON"),
	{Name: "ups.model", OID: "1.3.6.1.4.1.20677.2.1.1.0", Symbol: "SNMPv2-SMI::enterprises.20677.2.1.1.0", Poll: Once, Flags: String},
	{Name: "ups.date", OID: "1.3.6.1.4.1.20677.2.1.4.0", Symbol: "SNMPv2-SMI::enterprises.20677.2.1.4.0", Poll: Once, Flags: String},
	{Name: "ups.time", OID: "1.3.6.1.4.1.20677.2.1.3.0", Symbol: "SNMPv2-SMI::enterprises.20677.2.1.3.0", Poll: Once, Flags: String},
	{Name: "outlet.id", Default: "0", Poll: Once, Flags: Absent},
	constant("outlet.desc", "All outlets"),
	{Name: "outlet.current", OID: "1.3.6.1.4.1.20677.2.8.6.4.2.0", Symbol: "SNMPv2-SMI::enterprises.20677.2.8.6.4.2.0"},
	{Name: "outlet.voltage", OID: "1.3.6.1.4.1.20677.2.8.6.4.1.0", Symbol: "SNMPv2-SMI::enterprises.20677.2.8.6.4.1.0"},
	{Name: "outlet.power", OID: "1.3.6.1.4.1.20677.2.8.6.4.3.0", Symbol: "SNMPv2-SMI::enterprises.20677.2.8.6.4.3.0"},
	{Name: "outlet.%i.desc", OID: "1.3.6.1.4.1.20677.2.6.1.%i.1.0", Symbol: "SNMPv2-SMI::enterprises.20677.2.6.1.%i.1.0", Set: SetString, Size: 128, Poll: Once, Flags: String | Outlet},
	{Name: "outlet.%i.status", OID: "1.3.6.1.4.1.20677.2.6.3.%i.0", Symbol: "SNMPv2-SMI::enterprises.20677.2.6.3.%i.0", Poll: Fast, Flags: String | Outlet, Lookup: pulizziSwOutletStatus},
	{Name: "outlet.%i.id", Default: "%i", Poll: Once, Flags: Outlet},
	{Name: "outlet.%i.switchable", OID: "1.3.6.1.4.1.20677.2.6.3.%i.0", Symbol: "SNMPv2-SMI::enterprises.20677.2.6.3.%i.0", Poll: Once, Flags: String | Outlet, Lookup: pulizziSwOutletSwitchability},
	{Name: "outlet.%i.delay.reboot", OID: "1.3.6.1.4.1.20677.2.6.1.%i.5.0", Symbol: "SNMPv2-SMI::enterprises.20677.2.6.1.%i.5.0", Set: SetInteger, Flags: Outlet},
	{Name: "outlet.%i.delay.start", OID: "1.3.6.1.4.1.20677.2.6.1.%i.4.0", Symbol: "SNMPv2-SMI::enterprises.20677.2.6.1.%i.4.0", Set: SetInteger, Flags: Outlet},
})

var pulizziCmds = []Cmd{
	{Name: "load.on", OID: "1.3.6.1.4.1.20677.2.6.2.1.0", Symbol: "SNMPv2-SMI::enterprises.20677.2.6.2.1.0", Value: 1},
	{Name: "load.off", OID: "1.3.6.1.4.1.20677.2.6.2.1.0", Symbol: "SNMPv2-SMI::enterprises.20677.2.6.2.1.0", Value: 2},
	{Name: "load.on.delay", OID: "1.3.6.1.4.1.20677.2.6.2.1.0", Symbol: "SNMPv2-SMI::enterprises.20677.2.6.2.1.0", Value: 3},
	{Name: "load.off.delay", OID: "1.3.6.1.4.1.20677.2.6.2.1.0", Symbol: "SNMPv2-SMI::enterprises.20677.2.6.2.1.0", Value: 4},
	{Name: "outlet.%i.load.on", OID: "1.3.6.1.4.1.20677.2.6.2.%i.0", Symbol: "SNMPv2-SMI::enterprises.20677.2.6.2.%i.0", Value: 1, Flags: Outlet},
	{Name: "outlet.%i.load.off", OID: "1.3.6.1.4.1.20677.2.6.2.%i.0", Symbol: "SNMPv2-SMI::enterprises.20677.2.6.2.%i.0", Value: 2, Flags: Outlet},
	{Name: "outlet.%i.load.cycle", OID: "1.3.6.1.4.1.20677.2.6.2.%i.0", Symbol: "SNMPv2-SMI::enterprises.20677.2.6.2.%i.0", Value: 3, Flags: Outlet},
}

// Lookups (SNMP value → NUT value).
var (
	pulizziSwOutletStatus        = Lookup{{1, "on"}, {2, "off"}}  // pulizzi_sw_outlet_status_info
	pulizziSwOutletSwitchability = Lookup{{1, "yes"}, {2, "yes"}} // pulizzi_sw_outlet_switchability_info
)
