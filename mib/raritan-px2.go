package mib

// RaritanPX2: Raritan PX2/PX3 PDUs (PDU2-MIB under 13742.6), with outlet
// templates and on/off/cycle commands. NUT 2.8.0:
// drivers/raritan-px2-mib.c (raritan_px2_mib), mapping 0.4.
var RaritanPX2 = &MIB{
	Name: "raritan-px2", Version: "0.4", Type: "pdu",
	SysOIDs:  []string{"1.3.6.1.4.1.13742.6"},
	ProbeOID: "1.3.6.1.4.1.13742.6.3.2.1.1.3.1",
	Vars: rows(system(SysDescr, SetString), []Var{
		{Name: "device.mfr", OID: "1.3.6.1.4.1.13742.6.3.2.1.1.2.1", Symbol: "PDU2-MIB::pduManufacturer.1", Poll: Once, Flags: String},
		{Name: "device.model", OID: "1.3.6.1.4.1.13742.6.3.2.1.1.3.1", Symbol: "PDU2-MIB::pduModel.1", Poll: Once, Flags: String},
		{Name: "device.serial", OID: "1.3.6.1.4.1.13742.6.3.2.1.1.4.1", Symbol: "PDU2-MIB::pduSerialNumber.1", Poll: Once, Flags: String},
		constant("device.type", "pdu"),
		{Name: "device.macaddr", OID: "1.3.6.1.4.1.13742.6.3.2.2.1.11.1", Symbol: "PDU2-MIB::pxMACAddress.1", Poll: Once, Flags: String},
		{Name: "device.revision", OID: "1.3.6.1.4.1.13742.6.3.2.3.1.4.1.1.1", Symbol: "PDU2-MIB::boardVersion.1.1.1", Poll: Once, Flags: String},
		{Name: "ups.firmware", OID: "1.3.6.1.4.1.13742.6.3.2.3.1.6.1.1.1", Symbol: "PDU2-MIB::boardFirmwareVersion.1.1.1", Poll: Once, Flags: String},
		{Name: "ups.id", OID: "1.3.6.1.4.1.13742.6.3.2.2.1.13.1", Symbol: "PDU2-MIB::pduName.1", Poll: Once, Flags: String},
		{Name: "ups.model", OID: "1.3.6.1.4.1.13742.6.3.2.1.1.3.1", Symbol: "PDU2-MIB::pduModel.1", Poll: Once, Flags: String},
		{Name: "input.load", OID: "1.3.6.1.4.1.13742.6.5.2.3.1.4.1.1.1", Symbol: "PDU2-MIB::measurementsInletSensorValue.1.1.1", Mult: 0.1},
		{Name: "input.voltage", OID: "1.3.6.1.4.1.13742.6.5.2.3.1.4.1.1.4", Symbol: "PDU2-MIB::measurementsInletSensorValue.1.1.4"},
		{Name: "input.realpower", OID: "1.3.6.1.4.1.13742.6.5.2.3.1.4.1.1.5", Symbol: "PDU2-MIB::measurementsInletSensorValue.1.1.5"},
		{Name: "input.power", OID: "1.3.6.1.4.1.13742.6.5.2.3.1.4.1.1.6", Symbol: "PDU2-MIB::measurementsInletSensorValue.1.1.6"},
		{Name: "input.powerfactor", OID: "1.3.6.1.4.1.13742.6.5.2.3.1.4.1.1.7", Symbol: "PDU2-MIB::measurementsInletSensorValue.1.1.7", Mult: 0.01},
		{Name: "outlet.count", OID: "1.3.6.1.4.1.13742.6.3.2.2.1.4.1", Symbol: "PDU2-MIB::outletCount.1", Poll: Once},
		{Name: "outlet.%i.desc", OID: "1.3.6.1.4.1.13742.6.3.5.3.1.3.1.%i", Symbol: "PDU2-MIB::outletName.1.%i", Set: SetString, Size: 128, Flags: String | Outlet},
		{Name: "outlet.%i.status", OID: "1.3.6.1.4.1.13742.6.4.1.2.1.3.1.%i", Symbol: "PDU2-MIB::outletSwitchingState.1.%i", Poll: Fast, Flags: String | Outlet, Lookup: raritanpx2OutletStatus},
		{Name: "outlet.%i.id", OID: "1.3.6.1.4.1.13742.6.3.5.3.1.2.1.%i", Symbol: "PDU2-MIB::outletLabel.1.%i", Poll: Once, Flags: Outlet},
		{Name: "outlet.%i.current", OID: "1.3.6.1.4.1.13742.6.5.4.3.1.4.1.%i.1", Symbol: "PDU2-MIB::measurementsOutletSensorValue.1.%i.1", Mult: 0.1, Flags: Outlet},
		{Name: "outlet.%i.voltage", OID: "1.3.6.1.4.1.13742.6.5.4.3.1.4.1.%i.4", Symbol: "PDU2-MIB::measurementsOutletSensorValue.1.%i.4", Flags: Outlet},
		{Name: "outlet.%i.power", OID: "1.3.6.1.4.1.13742.6.5.4.3.1.4.1.%i.5", Symbol: "PDU2-MIB::measurementsOutletSensorValue.1.%i.5", Flags: Outlet},
		{Name: "outlet.%i.realpower", OID: "1.3.6.1.4.1.13742.6.5.4.3.1.4.1.%i.6", Symbol: "PDU2-MIB::measurementsOutletSensorValue.1.%i.6", Flags: Outlet},
		{Name: "outlet.%i.powerfactor", OID: "1.3.6.1.4.1.13742.6.5.4.3.1.4.1.%i.7", Symbol: "PDU2-MIB::measurementsOutletSensorValue.1.%i.7", Flags: Outlet},
		{Name: "outlet.%i.switchable", OID: "1.3.6.1.4.1.13742.6.3.5.3.1.28.1.%i", Symbol: "PDU2-MIB::outletSwitchable.1.%i", Poll: Once, Flags: String | Outlet, Lookup: raritanpx2OutletSwitchability},
	}),
	Cmds: []Cmd{
		{Name: "outlet.%i.load.off", OID: "1.3.6.1.4.1.13742.6.4.1.2.1.2.1.%i", Symbol: "PDU2-MIB::switchingOperation.1.%i", Flags: Outlet},
		{Name: "outlet.%i.load.on", OID: "1.3.6.1.4.1.13742.6.4.1.2.1.2.1.%i", Symbol: "PDU2-MIB::switchingOperation.1.%i", Value: 1, Flags: Outlet},
		{Name: "outlet.%i.load.cycle", OID: "1.3.6.1.4.1.13742.6.4.1.2.1.2.1.%i", Symbol: "PDU2-MIB::switchingOperation.1.%i", Value: 2, Flags: Outlet},
	},
}

// Lookups (SNMP value → NUT value).
var (
	raritanpx2OutletStatus        = Lookup{{-1, "unavailable"}, {0, "open"}, {1, "closed"}, {2, "belowLowerCritical"}, {3, "belowLowerWarning"}, {4, "normal"}, {5, "aboveUpperWarning"}, {6, "aboveUpperCritical"}, {7, "on"}, {8, "off"}, {9, "detected"}, {10, "notDetected"}, {11, "alarmed"}, {12, "ok"}, {13, "marginal"}, {14, "fail"}, {15, "yes"}, {16, "no"}, {17, "standby"}, {18, "one"}, {19, "two"}, {20, "inSync"}, {21, "outOfSync"}} // raritanpx2_outlet_status_info
	raritanpx2OutletSwitchability = Lookup{{-1, "yes"}, {1, "yes"}, {2, "no"}}                                                                                                                                                                                                                                                                                                                                                                        // raritanpx2_outlet_switchability_info
)
