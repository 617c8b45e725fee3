package mib

// Sentry3: ServerTech Sentry Switched CDU (Sentry3-MIB); NUT 2.8.0 has no
// table for it. Outlets of the first tower and infeed (index 1.1.N),
// listed by a walk of outletID.
var Sentry3 = &MIB{
	Name: "sentry3", Version: "0.1", Type: "pdu",
	SysOIDs:     []string{"1.3.6.1.4.1.1718.3"},
	OutletIndex: "1.3.6.1.4.1.1718.3.2.3.1.2.1.1",
	Vars: rows(system(SysName, ReadOnly), []Var{
		{Name: "device.mfr", Default: "Server Technology", Flags: String | Absent, Poll: Once},
		{Name: "device.model", OID: "1.3.6.1.4.1.1718.3.2.1.1.7.1", Symbol: "Sentry3-MIB::towerModelNumber.1", Flags: String, Poll: Once},
		{Name: "device.serial", OID: "1.3.6.1.4.1.1718.3.2.1.1.6.1", Symbol: "Sentry3-MIB::towerProductSN.1", Flags: String, Poll: Once},
		{Name: "ups.firmware", OID: "1.3.6.1.4.1.1718.3.1.1.0", Symbol: "Sentry3-MIB::systemVersion.0", Flags: String, Poll: Once},
		{Name: "input.current", OID: "1.3.6.1.4.1.1718.3.2.2.1.7.1.1", Symbol: "Sentry3-MIB::infeedLoadValue.1.1", Mult: 0.01, Flags: NegInvalid},
		{Name: "input.voltage", OID: "1.3.6.1.4.1.1718.3.2.2.1.11.1.1", Symbol: "Sentry3-MIB::infeedVoltage.1.1", Mult: 0.1, Flags: NegInvalid},
		{Name: "input.realpower", OID: "1.3.6.1.4.1.1718.3.2.2.1.12.1.1", Symbol: "Sentry3-MIB::infeedPower.1.1", Flags: NegInvalid},
		{Name: "outlet.%i.id", OID: "1.3.6.1.4.1.1718.3.2.3.1.2.1.1.%i", Symbol: "Sentry3-MIB::outletID.1.1.%i", Flags: String | Outlet, Poll: Once},
		{Name: "outlet.%i.desc", OID: "1.3.6.1.4.1.1718.3.2.3.1.3.1.1.%i", Symbol: "Sentry3-MIB::outletName.1.1.%i", Flags: String | Outlet, Set: SetString, Size: 24},
		{Name: "outlet.%i.status", OID: "1.3.6.1.4.1.1718.3.2.3.1.5.1.1.%i", Symbol: "Sentry3-MIB::outletStatus.1.1.%i", Flags: String | Outlet, Poll: Fast,
			Lookup: Lookup{{0, "off"}, {1, "on"}, {2, "offWait"}, {3, "onWait"}, {4, "offError"}, {5, "onError"},
				{6, "noComm"}, {7, "reading"}, {8, "offFuse"}, {9, "onFuse"}}},
	}),
	// outletControlAction: on(1), off(2), reboot(3).
	Cmds: []Cmd{
		{Name: "outlet.%i.load.on", OID: "1.3.6.1.4.1.1718.3.2.3.1.11.1.1.%i", Symbol: "Sentry3-MIB::outletControlAction.1.1.%i", Value: 1, Flags: Outlet},
		{Name: "outlet.%i.load.off", OID: "1.3.6.1.4.1.1718.3.2.3.1.11.1.1.%i", Symbol: "Sentry3-MIB::outletControlAction.1.1.%i", Value: 2, Flags: Outlet},
		{Name: "outlet.%i.load.cycle", OID: "1.3.6.1.4.1.1718.3.2.3.1.11.1.1.%i", Symbol: "Sentry3-MIB::outletControlAction.1.1.%i", Value: 3, Flags: Outlet},
	},
}
