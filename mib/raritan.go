package mib

// Raritan: Raritan PDUs of the first generation (PDU-MIB under 13742.1).
// NUT 2.8.0: drivers/raritan-pdu-mib.c (raritan_mib), mapping 0.8.
var Raritan = &MIB{
	Name: "raritan", Version: "0.8", Type: "pdu",
	SysOIDs:  []string{"1.3.6.1.4.1.13742"},
	ProbeOID: "1.3.6.1.4.1.13742.1.1.12.0",
	Vars: rows(system(SysDescr, SetString), []Var{
		constant("device.mfr", "Raritan"),
		{Name: "device.model", OID: "1.3.6.1.4.1.13742.1.1.12.0", Symbol: "RemoteKVMDevice-MIB::raritan.1.1.12.0", Poll: Once, Flags: String},
		{Name: "device.serial", OID: "1.3.6.1.4.1.13742.1.1.2.0", Symbol: "RemoteKVMDevice-MIB::raritan.1.1.2.0", Poll: Once, Flags: String},
		constant("device.type", "pdu"),
		{Name: "device.macaddr", OID: "1.3.6.1.4.1.13742.1.1.6.0", Symbol: "RemoteKVMDevice-MIB::raritan.1.1.6.0", Poll: Once, Flags: String},
		constant("ups.mfr", "Raritan"),
		{Name: "ups.model", OID: "1.3.6.1.4.1.13742.1.1.12.0", Symbol: "RemoteKVMDevice-MIB::raritan.1.1.12.0", Poll: Once, Flags: String},
		{Name: "ups.id", OID: "1.3.6.1.4.1.13742.1.1.13.0", Symbol: "RemoteKVMDevice-MIB::raritan.1.1.13.0", Poll: Once, Flags: String},
		{Name: "ups.serial", OID: "1.3.6.1.4.1.13742.1.1.2.0", Symbol: "RemoteKVMDevice-MIB::raritan.1.1.2.0", Poll: Once, Flags: String},
		{Name: "ups.firmware", OID: "1.3.6.1.4.1.13742.1.1.1.0", Symbol: "RemoteKVMDevice-MIB::raritan.1.1.1.0", Poll: Once, Flags: String},
		constant("ups.type", "pdu"),
		{Name: "ups.temperature", OID: "1.3.6.1.4.1.13742.1.3.1.5.0", Symbol: "RemoteKVMDevice-MIB::raritan.1.3.1.5.0"},
		{Name: "outlet.id", Default: "0", Poll: Once, Flags: Absent},
		constant("outlet.desc", "All outlets"),
		{Name: "outlet.count", OID: "1.3.6.1.4.1.13742.1.2.1.0", Symbol: "RemoteKVMDevice-MIB::raritan.1.2.1.0"},
		{Name: "outlet.current", OID: "1.3.6.1.4.1.13742.1.3.1.1.0", Symbol: "RemoteKVMDevice-MIB::raritan.1.3.1.1.0", Mult: 0.001},
		{Name: "outlet.voltage", OID: "1.3.6.1.4.1.13742.1.3.1.2.0", Symbol: "RemoteKVMDevice-MIB::raritan.1.3.1.2.0", Mult: 0.001},
		{Name: "outlet.realpower", OID: "1.3.6.1.4.1.13742.1.3.1.3.0", Symbol: "RemoteKVMDevice-MIB::raritan.1.3.1.3.0"},
		{Name: "outlet.power", OID: "1.3.6.1.4.1.13742.1.3.1.4.0", Symbol: "RemoteKVMDevice-MIB::raritan.1.3.1.4.0"},
		{Name: "outlet.%i.switchable", OID: "1.3.6.1.4.1.13742.1.2.2.1.1.%i", Symbol: "RemoteKVMDevice-MIB::raritan.1.2.2.1.1.%i", Poll: Once, Flags: Outlet},
		{Name: "outlet.%i.id", Default: "%i", Poll: Once, Flags: Outlet},
		{Name: "outlet.%i.desc", OID: "1.3.6.1.4.1.13742.1.2.2.1.2.%i", Symbol: "RemoteKVMDevice-MIB::raritan.1.2.2.1.2.%i", Set: SetString, Size: 128, Flags: String | Outlet},
		{Name: "outlet.%i.status", OID: "1.3.6.1.4.1.13742.1.2.2.1.3.%i", Symbol: "RemoteKVMDevice-MIB::raritan.1.2.2.1.3.%i", Poll: Fast, Flags: String | Outlet, Lookup: raritanPduOutletStatus},
		{Name: "outlet.%i.current", OID: "1.3.6.1.4.1.13742.1.2.2.1.4.%i", Symbol: "RemoteKVMDevice-MIB::raritan.1.2.2.1.4.%i", Mult: 0.001, Flags: Outlet},
		{Name: "outlet.%i.current.maximum", OID: "1.3.6.1.4.1.13742.1.2.2.1.5.%i", Symbol: "RemoteKVMDevice-MIB::raritan.1.2.2.1.5.%i", Mult: 0.001, Flags: Outlet},
		{Name: "outlet.%i.realpower", OID: "1.3.6.1.4.1.13742.1.2.2.1.7.%i", Symbol: "RemoteKVMDevice-MIB::raritan.1.2.2.1.7.%i", Flags: Outlet},
		{Name: "outlet.%i.voltage", OID: "1.3.6.1.4.1.13742.1.2.2.1.6.%i", Symbol: "RemoteKVMDevice-MIB::raritan.1.2.2.1.6.%i", Flags: Outlet},
		{Name: "outlet.%i.powerfactor", OID: "1.3.6.1.4.1.13742.1.2.2.1.9.%i", Symbol: "RemoteKVMDevice-MIB::raritan.1.2.2.1.9.%i", Mult: 0.01, Flags: Outlet},
		{Name: "outlet.%i.power", OID: "1.3.6.1.4.1.13742.1.2.2.1.8.%i", Symbol: "RemoteKVMDevice-MIB::raritan.1.2.2.1.8.%i", Flags: Outlet},
	}),
	Cmds: []Cmd{
		{Name: "outlet.%i.load.off", OID: "1.3.6.1.4.1.13742.1.2.2.1.3.%i", Symbol: "RemoteKVMDevice-MIB::raritan.1.2.2.1.3.%i", Flags: Outlet},
		{Name: "outlet.%i.load.on", OID: "1.3.6.1.4.1.13742.1.2.2.1.3.%i", Symbol: "RemoteKVMDevice-MIB::raritan.1.2.2.1.3.%i", Value: 1, Flags: Outlet},
		{Name: "outlet.%i.load.cycle", OID: "1.3.6.1.4.1.13742.1.2.2.1.3.%i", Symbol: "RemoteKVMDevice-MIB::raritan.1.2.2.1.3.%i", Value: 2, Flags: Outlet},
	},
}

// Lookups (SNMP value → NUT value).
var (
	raritanPduOutletStatus = Lookup{{-1, "error"}, {0, "off"}, {1, "on"}, {2, "cycling"}} // raritan_pdu_outlet_status_info
)
