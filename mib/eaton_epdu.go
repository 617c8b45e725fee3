package mib

// Eaton ePDU G2/G3 (EATON-EPDU-MIB, "Marlin"), the master unit of a
// daisy chain (unit index 0).
var EatonEPDU = &MIB{
	Name: "eaton_epdu", Version: "0.1", Type: "pdu",
	SysOIDs:     []string{"1.3.6.1.4.1.534.6.6.7"},
	ProbeOID:    "1.3.6.1.4.1.534.6.6.7.1.2.1.2.0",
	OutletCount: "1.3.6.1.4.1.534.6.6.7.1.2.1.22.0",
	Vars: rows(system(SysDescr, ReadOnly), []Var{
		{Name: "device.mfr", Default: "EATON", Flags: String | Absent, Poll: Once},
		{Name: "device.model", OID: "1.3.6.1.4.1.534.6.6.7.1.2.1.2.0", Symbol: "EATON-EPDU-MIB::productName.0", Default: "Eaton Powerware ePDU", Flags: String, Poll: Once},
		{Name: "device.part", OID: "1.3.6.1.4.1.534.6.6.7.1.2.1.3.0", Symbol: "EATON-EPDU-MIB::partNumber.0", Flags: String, Poll: Once},
		{Name: "device.serial", OID: "1.3.6.1.4.1.534.6.6.7.1.2.1.4.0", Symbol: "EATON-EPDU-MIB::serialNumber.0", Flags: String, Poll: Once},
		{Name: "input.voltage", OID: "1.3.6.1.4.1.534.6.6.7.3.2.1.3.0.1.1", Symbol: "EATON-EPDU-MIB::inputVoltage.0.1.1", Mult: 0.001},
		{Name: "input.current", OID: "1.3.6.1.4.1.534.6.6.7.3.3.1.4.0.1.1", Symbol: "EATON-EPDU-MIB::inputCurrent.0.1.1", Mult: 0.001},
		{Name: "input.realpower", OID: "1.3.6.1.4.1.534.6.6.7.3.5.1.4.0.1", Symbol: "EATON-EPDU-MIB::inputTotalWatts.0.1", Flags: NegInvalid | Unique},
		{Name: "input.realpower", OID: "1.3.6.1.4.1.534.6.6.7.3.4.1.4.0.1.4", Symbol: "EATON-EPDU-MIB::inputWatts.0.1.4", Flags: NegInvalid | Unique},
		{Name: "outlet.count", OID: "1.3.6.1.4.1.534.6.6.7.1.2.1.22.0", Symbol: "EATON-EPDU-MIB::outletCount.0", Default: "0", Poll: Once},
		{Name: "outlet.%i.id", Default: "%i", Flags: Absent | Outlet, Poll: Once},
		{Name: "outlet.%i.desc", OID: "1.3.6.1.4.1.534.6.6.7.6.1.1.3.0.%i", Symbol: "EATON-EPDU-MIB::outletName.0.%i", Flags: String | Outlet, Set: SetString, Size: 128},
		{Name: "outlet.%i.status", OID: "1.3.6.1.4.1.534.6.6.7.6.6.1.2.0.%i", Symbol: "EATON-EPDU-MIB::outletControlStatus.0.%i", Flags: String | Outlet, Poll: Fast,
			Lookup: Lookup{{0, "off"}, {1, "on"}, {2, "pendingOff"}, {3, "pendingOn"}}},
		{Name: "outlet.%i.switchable", OID: "1.3.6.1.4.1.534.6.6.7.6.6.1.9.0.%i", Symbol: "EATON-EPDU-MIB::outletControlSwitchable.0.%i", Default: "no", Flags: String | Unique | Outlet,
			Lookup: Lookup{{1, "yes"}, {2, "no"}}},
		{Name: "outlet.%i.current", OID: "1.3.6.1.4.1.534.6.6.7.6.4.1.3.0.%i", Symbol: "EATON-EPDU-MIB::outletCurrent.0.%i", Mult: 0.001, Flags: Outlet},
		{Name: "outlet.%i.realpower", OID: "1.3.6.1.4.1.534.6.6.7.6.5.1.3.0.%i", Symbol: "EATON-EPDU-MIB::outletWatts.0.%i", Flags: Outlet},
	}),
	// outletControlOffCmd / OnCmd / RebootCmd: the delay in seconds, 0
	// for now.
	Cmds: []Cmd{
		{Name: "outlet.%i.load.off", OID: "1.3.6.1.4.1.534.6.6.7.6.6.1.3.0.%i", Symbol: "EATON-EPDU-MIB::outletControlOffCmd.0.%i", Value: 0, Flags: Outlet},
		{Name: "outlet.%i.load.on", OID: "1.3.6.1.4.1.534.6.6.7.6.6.1.4.0.%i", Symbol: "EATON-EPDU-MIB::outletControlOnCmd.0.%i", Value: 0, Flags: Outlet},
		{Name: "outlet.%i.load.cycle", OID: "1.3.6.1.4.1.534.6.6.7.6.6.1.5.0.%i", Symbol: "EATON-EPDU-MIB::outletControlRebootCmd.0.%i", Value: 0, Flags: Outlet},
	},
}
