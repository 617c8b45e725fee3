package mib

// EmersonAvocentPDU: Emerson/Avocent PM PDUs (enterprise 10418.17),
// daisy-chained units with outlets and outlet groups. NUT 2.8.0:
// drivers/emerson-avocent-pdu-mib.c (emerson_avocent_pdu_mib), mapping
// 1.3.
var EmersonAvocentPDU = &MIB{
	Name: "emerson_avocent_pdu", Version: "1.3", Type: "pdu",
	SysOIDs:  []string{"1.3.6.1.4.1.10418.17.1.7"},
	ProbeOID: "1.3.6.1.4.1.10418.17.2.1.2.0",
	Vars: rows(system(SysDescr, SetString), []Var{
		constant("device.mfr", "Avocent"),
		{Name: "device.model", OID: "1.3.6.1.4.1.10418.17.2.5.3.1.5.1.%u", Symbol: "PM-MIB::pmPowerMgmtPDUTableModel.1.%u", Default: "Avocent SNMP PDU", Poll: Once, Flags: String | Absent | NAInvalid},
		{Name: "device.serial", OID: "1.3.6.1.4.1.10418.17.2.1.4.0", Symbol: "PM-MIB::pmSerialNumber.0", Poll: Once, Flags: String},
		constant("device.type", "pdu"),
		constant("ups.mfr", "Avocent"),
		{Name: "ups.model", OID: "1.3.6.1.4.1.10418.17.2.1.2.0", Symbol: "PM-MIB::pmProductModel.0", Poll: Once, Flags: String},
		{Name: "ups.id", OID: "1.3.6.1.4.1.10418.17.2.1.1.0", Symbol: "PM-MIB::pmHostName.0", Poll: Once, Flags: String},
		{Name: "ups.serial", OID: "1.3.6.1.4.1.10418.17.2.1.4.0", Symbol: "PM-MIB::pmSerialNumber.0", Poll: Once, Flags: String},
		{Name: "ups.firmware", OID: "1.3.6.1.4.1.10418.17.2.1.7.0", Symbol: "PM-MIB::pmFirmwareVersion.0", Poll: Once, Flags: String},
		constant("ups.type", "pdu"),
		{Name: "ups.macaddr", OID: "1.3.6.1.2.1.2.2.1.6.1", Symbol: "IF-MIB::ifPhysAddress.1", Poll: Once, Flags: String},
		{Name: "outlet.id", Default: "0", Poll: Once, Flags: Absent},
		constant("outlet.desc", "All outlets"),
		{Name: "outlet.count", OID: "1.3.6.1.4.1.10418.17.2.5.3.1.8.1.%u", Symbol: "PM-MIB::pmPowerMgmtPDUTableNumberOfOutlets.1.%u", Poll: Once, Flags: ZeroInvalid},
		{Name: "outlet.%i.status", OID: "1.3.6.1.4.1.10418.17.2.5.5.1.5.1.%u.%i", Symbol: "PM-MIB::pmPowerMgmtOutletsTableStatus.1.%u.%i", Poll: Fast, Flags: String | ZeroInvalid | Outlet, Lookup: avocentOutletStatus},
		{Name: "outlet.%i.id", OID: "1.3.6.1.4.1.10418.17.2.5.5.1.3.1.%u.%i", Symbol: "PM-MIB::pmPowerMgmtOutletsTableNumber.1.%u.%i", Poll: Once, Flags: Outlet},
		{Name: "outlet.%i.desc", OID: "1.3.6.1.4.1.10418.17.2.5.5.1.4.1.%u.%i", Symbol: "PM-MIB::pmPowerMgmtOutletsTableName.1.%u.%i", Set: SetString, Size: 128, Flags: String | NAInvalid | Outlet},
		{Name: "outlet.%i.current", OID: "1.3.6.1.4.1.10418.17.2.5.5.1.50.1.%u.%i", Symbol: "PM-MIB::pmPowerMgmtOutletsTableCurrentValue.1.%u.%i", Mult: 0.1, Flags: Outlet},
		{Name: "outlet.%i.current.high.critical", OID: "1.3.6.1.4.1.10418.17.2.5.5.1.100.1.%u.%i", Symbol: "PM-MIB::pmPowerMgmtOutletsTableCurrentHighCritical.1.%u.%i", Mult: 0.1, Set: SetInteger, Flags: Outlet},
		{Name: "outlet.%i.current.high.warning", OID: "1.3.6.1.4.1.10418.17.2.5.5.1.101.1.%u.%i", Symbol: "PM-MIB::pmPowerMgmtOutletsTableCurrentHighWarning.1.%u.%i", Mult: 0.1, Set: SetInteger, Flags: Outlet},
		{Name: "outlet.%i.current.low.warning", OID: "1.3.6.1.4.1.10418.17.2.5.5.1.102.1.%u.%i", Symbol: "PM-MIB::pmPowerMgmtOutletsTableCurrentLowWarning.1.%u.%i", Mult: 0.1, Set: SetInteger, Flags: Outlet},
		{Name: "outlet.%i.current.low.critical", OID: "1.3.6.1.4.1.10418.17.2.5.5.1.103.1.%u.%i", Symbol: "PM-MIB::pmPowerMgmtOutletsTableCurrentLowCritical.1.%u.%i", Mult: 0.1, Set: SetInteger, Flags: Outlet},
		{Name: "outlet.%i.realpower", OID: "1.3.6.1.4.1.10418.17.2.5.5.1.60.1.%u.%i", Symbol: "PM-MIB::pmPowerMgmtOutletsTablePowerValue.1.%u.%i", Mult: 0.1, Flags: Outlet},
		{Name: "outlet.%i.voltage", OID: "1.3.6.1.4.1.10418.17.2.5.5.1.70.1.%u.%i", Symbol: "PM-MIB::pmPowerMgmtOutletsTableVoltageValue.1.%u.%i", Flags: Outlet},
		{Name: "outlet.group.count", OID: "1.3.6.1.4.1.10418.17.2.5.6.%u", Symbol: "PM-MIB::pmPowerMgmtNumberOfOutletGroup.%u", Poll: Once},
	}),
	Cmds: []Cmd{
		{Name: "outlet.%i.load.cycle", OID: "1.3.6.1.4.1.10418.17.2.5.5.1.6.1.%u.%i", Symbol: "PM-MIB::pmPowerMgmtOutletsTablePowerControl.1.%u.%i", Value: 4, Flags: Outlet},
		{Name: "outlet.%i.load.off", OID: "1.3.6.1.4.1.10418.17.2.5.5.1.6.1.%u.%i", Symbol: "PM-MIB::pmPowerMgmtOutletsTablePowerControl.1.%u.%i", Value: 3, Flags: Outlet},
		{Name: "outlet.%i.load.on", OID: "1.3.6.1.4.1.10418.17.2.5.5.1.6.1.%u.%i", Symbol: "PM-MIB::pmPowerMgmtOutletsTablePowerControl.1.%u.%i", Value: 2, Flags: Outlet},
	},
}

// Lookups (SNMP value → NUT value).
var (
	avocentOutletStatus = Lookup{{1, "off"}, {2, "on"}} // avocent_outlet_status_info
)
