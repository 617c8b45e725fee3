package mib

// APCPDU: APC rack PDUs (PowerNet-MIB sPDU…/rPDU… objects). Three mib2nut
// entries share one table and differ only in sysObjectID (rPDU, rPDU2,
// MasterSwitch Plus). NUT 2.8.0: drivers/apc-pdu-mib.c (apc_pdu_mib),
// mapping 0.4.
var APCPDU = &MIB{
	Name: "apc_pdu", Version: "0.4", Type: "pdu",
	SysOIDs:  []string{"1.3.6.1.4.1.318.1.3.4.4", "1.3.6.1.4.1.318.1.3.4.5", "1.3.6.1.4.1.318.1.3.4.6"},
	ProbeOID: "1.3.6.1.4.1.318.1.1.4.1.4.0",
	Vars: rows(system(SysName, ReadOnly), []Var{
		constant("device.mfr", "APC"),
		{Name: "device.model", OID: "1.3.6.1.4.1.318.1.1.4.1.4.0", Symbol: "PowerNet-MIB::sPDUIdentModelNumber.0", Poll: Once, Flags: String},
		constant("device.type", "pdu"),
		uptime,
		{Name: "device.serial", OID: "1.3.6.1.4.1.318.1.1.4.1.5.0", Symbol: "PowerNet-MIB::sPDUIdentSerialNumber.0", Poll: Once, Flags: String},
		{Name: "device.part", OID: "1.3.6.1.4.1.318.1.1.4.1.4.0", Symbol: "PowerNet-MIB::sPDUIdentModelNumber.0", Poll: Once, Flags: String},
		{Name: "device.version", OID: "1.3.6.1.4.1.318.1.1.4.1.1.0", Symbol: "PowerNet-MIB::sPDUIdentHardwareRev.0", Poll: Once, Flags: String},
		{Name: "ups.firmware", OID: "1.3.6.1.4.1.318.1.1.4.1.2.0", Symbol: "PowerNet-MIB::sPDUIdentFirmwareRev.0", Flags: String},
		{Name: "ups.date", OID: "1.3.6.1.4.1.318.1.1.4.1.3.0", Symbol: "PowerNet-MIB::sPDUIdentDateOfManufacture.0", Flags: String},
		{Name: "input.realpower", OID: "1.3.6.1.4.1.318.1.1.12.1.16.0", Symbol: "PowerNet-MIB::rPDUIdentDevicePowerWatts.0"},
		{Name: "input.current", OID: "1.3.6.1.4.1.318.1.1.12.2.3.1.1.2.1", Symbol: "PowerNet-MIB::rPDULoadStatusLoad.1", Mult: 0.1},
		{Name: "input.voltage.nominal", OID: "1.3.6.1.4.1.318.1.1.12.1.15.0", Symbol: "PowerNet-MIB::rPDUIdentDeviceLinetoLineVoltage.0", Flags: NegInvalid},
		{Name: "outlet.count", OID: "1.3.6.1.4.1.318.1.1.4.4.1.0", Symbol: "PowerNet-MIB::sPDUOutletControlTableSize.0", Poll: Once},
		{Name: "outlet.%i.id", OID: "1.3.6.1.4.1.318.1.1.4.4.2.1.1.%i", Symbol: "PowerNet-MIB::sPDUOutletControlIndex.%i", Poll: Once, Flags: Outlet},
		{Name: "outlet.%i.desc", OID: "1.3.6.1.4.1.318.1.1.4.4.2.1.4.%i", Symbol: "PowerNet-MIB::sPDUOutletCtlName.%i", Set: SetString, Size: 128, Flags: String | Outlet},
		{Name: "outlet.%i.status", OID: "1.3.6.1.4.1.318.1.1.4.4.2.1.3.%i", Symbol: "PowerNet-MIB::sPDUOutletCtl.%i", Set: SetInteger, Poll: Fast, Flags: String | Outlet, Lookup: apcPduSwOutletStatus},
		{Name: "outlet.%i.switchable", OID: "1.3.6.1.4.1.318.1.1.4.4.2.1.3.%i", Symbol: "PowerNet-MIB::sPDUOutletCtl.%i", Poll: Once, Flags: String | Outlet, Lookup: apcPduSwOutletSwitchability},
	}),
	// NUT 2.8.0 switches an APC PDU's outlets only by SET VAR of
	// outlet.N.status; powerchain adds the commands, as sPDUOutletCtl
	// takes them: outletOn(1), outletOff(2), outletReboot(3).
	Cmds: []Cmd{
		{Name: "outlet.%i.load.on", OID: "1.3.6.1.4.1.318.1.1.4.4.2.1.3.%i", Symbol: "PowerNet-MIB::sPDUOutletCtl.%i", Value: 1, Flags: Outlet},
		{Name: "outlet.%i.load.off", OID: "1.3.6.1.4.1.318.1.1.4.4.2.1.3.%i", Symbol: "PowerNet-MIB::sPDUOutletCtl.%i", Value: 2, Flags: Outlet},
		{Name: "outlet.%i.load.cycle", OID: "1.3.6.1.4.1.318.1.1.4.4.2.1.3.%i", Symbol: "PowerNet-MIB::sPDUOutletCtl.%i", Value: 3, Flags: Outlet},
	},
}

// Lookups (SNMP value → NUT value).
var (
	apcPduSwOutletStatus        = Lookup{{1, "on"}, {2, "off"}}  // apc_pdu_sw_outlet_status_info
	apcPduSwOutletSwitchability = Lookup{{1, "yes"}, {2, "yes"}} // apc_pdu_sw_outlet_switchability_info
)
