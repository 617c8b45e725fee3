package mib

// AphelRevelation: Eaton G1 ePDUs of the Aphel 'Revelation' (complex) line
// (PDU-MIB under 534.6.6.6), with outlet templates and outlet commands.
// NUT 2.8.0: drivers/eaton-pdu-revelation-mib.c
// (eaton_aphel_revelation_mib), mapping 0.52.
var AphelRevelation = &MIB{
	Name: "aphel_revelation", Version: "0.52", Type: "pdu",
	SysOIDs:  []string{"1.3.6.1.4.1.534.6.6.6"},
	ProbeOID: "1.3.6.1.4.1.534.6.6.6.1.1.12.0",
	Vars: rows(system(SysDescr, SetString), []Var{
		constant("device.mfr", "EATON | Powerware"),
		{Name: "device.model", OID: "1.3.6.1.4.1.534.6.6.6.1.1.12.0", Symbol: "PDU-MIB::objectName.0", Poll: Once, Flags: String},
		{Name: "device.serial", OID: "1.3.6.1.4.1.534.6.6.6.1.1.2.0", Symbol: "PDU-MIB::serialNumber.0", Poll: Once, Flags: String},
		constant("device.type", "pdu"),
		{Name: "device.macaddr", OID: "1.3.6.1.4.1.534.6.6.6.1.1.6.0", Symbol: "PDU-MIB::mac.0", Poll: Once, Flags: String},
		{Name: "device.revision", OID: "1.3.6.1.4.1.534.6.6.6.1.1.7.0", Symbol: "PDU-MIB::hardwareRev.0", Poll: Once, Flags: String},
		constant("ups.mfr", "EATON | Powerware"),
		{Name: "ups.model", OID: "1.3.6.1.4.1.534.6.6.6.1.1.12.0", Symbol: "PDU-MIB::objectName.0", Poll: Once, Flags: String},
		{Name: "ups.id", OID: "1.3.6.1.4.1.534.6.6.6.1.1.13.0", Symbol: "PDU-MIB::objectInstance.0", Poll: Once, Flags: String},
		{Name: "ups.serial", OID: "1.3.6.1.4.1.534.6.6.6.1.1.2.0", Symbol: "PDU-MIB::serialNumber.0", Poll: Once, Flags: String},
		{Name: "ups.firmware", OID: "1.3.6.1.4.1.534.6.6.6.1.1.1.0", Symbol: "PDU-MIB::firmwareVersion.0", Poll: Once, Flags: String},
		constant("ups.type", "pdu"),
		{Name: "ups.temperature", OID: "1.3.6.1.4.1.534.6.6.6.1.3.1.5.0", Symbol: "PDU-MIB::unitCpuTemp.0"},
		{Name: "outlet.id", Default: "0", Poll: Once, Flags: Absent},
		constant("outlet.desc", "All outlets"),
		{Name: "outlet.count", OID: "1.3.6.1.4.1.534.6.6.6.1.2.1.0", Symbol: "PDU-MIB::outletCount.0"},
		{Name: "outlet.current", OID: "1.3.6.1.4.1.534.6.6.6.1.3.1.1.0", Symbol: "PDU-MIB::unitCurrent.0", Mult: 0.001},
		{Name: "outlet.voltage", OID: "1.3.6.1.4.1.534.6.6.6.1.3.1.2.0", Symbol: "PDU-MIB::unitVoltage.0", Mult: 0.001},
		{Name: "outlet.realpower", OID: "1.3.6.1.4.1.534.6.6.6.1.3.1.3.0", Symbol: "PDU-MIB::unitActivePower.0"},
		{Name: "outlet.power", OID: "1.3.6.1.4.1.534.6.6.6.1.3.1.4.0", Symbol: "PDU-MIB::unitApparentPower.0"},
		{Name: "outlet.%i.switchable", OID: "1.3.6.1.4.1.534.6.6.6.1.2.2.1.3.%i", Symbol: "PDU-MIB::outletOperationalState.%i", Poll: Once, Flags: Outlet, Lookup: revelationOutletSwitchability},
		{Name: "outlet.%i.id", Default: "%i", Poll: Once, Flags: Outlet},
		{Name: "outlet.%i.desc", OID: "1.3.6.1.4.1.534.6.6.6.1.2.2.1.2.%i", Symbol: "PDU-MIB::outletLabel.%i", Set: SetString, Size: 128, Flags: String | Outlet},
		{Name: "outlet.%i.status", OID: "1.3.6.1.4.1.534.6.6.6.1.2.2.1.3.%i", Symbol: "PDU-MIB::outletOperationalState.%i", Poll: Fast, Flags: String | Outlet, Lookup: revelationOutletStatus},
		{Name: "outlet.%i.current", OID: "1.3.6.1.4.1.534.6.6.6.1.2.2.1.4.%i", Symbol: "PDU-MIB::outletCurrent.%i", Mult: 0.001, Flags: Outlet},
		{Name: "outlet.%i.current.maximum", OID: "1.3.6.1.4.1.534.6.6.6.1.2.2.1.5.%i", Symbol: "PDU-MIB::outletMaxCurrent.%i", Mult: 0.001, Flags: Outlet},
		{Name: "outlet.%i.realpower", OID: "1.3.6.1.4.1.534.6.6.6.1.2.2.1.7.%i", Symbol: "PDU-MIB::outletActivePower.%i", Flags: Outlet},
		{Name: "outlet.%i.voltage", OID: "1.3.6.1.4.1.534.6.6.6.1.2.2.1.6.%i", Symbol: "PDU-MIB::outletVoltage.%i", Flags: Outlet},
		{Name: "outlet.%i.powerfactor", OID: "1.3.6.1.4.1.534.6.6.6.1.2.2.1.9.%i", Symbol: "PDU-MIB::outletPowerFactor.%i", Mult: 0.01, Flags: Outlet},
		{Name: "outlet.%i.power", OID: "1.3.6.1.4.1.534.6.6.6.1.2.2.1.8.%i", Symbol: "PDU-MIB::outletApparentPower.%i", Flags: Outlet},
		{Name: "ambient.temperature", OID: "1.3.6.1.4.1.534.6.6.6.2.2.1.3.0", Symbol: "PDU-MIB::temperature.0", Decimals: 1},
		{Name: "ambient.temperature.low", OID: "1.3.6.1.4.1.534.6.6.6.2.2.1.6.0", Symbol: "PDU-MIB::tempLowerCritical.0"},
		{Name: "ambient.temperature.high", OID: "1.3.6.1.4.1.534.6.6.6.2.2.1.7.0", Symbol: "PDU-MIB::tempUpperCritical.0"},
		{Name: "ambient.humidity", OID: "1.3.6.1.4.1.534.6.6.6.2.4.1.3.0", Symbol: "PDU-MIB::humidity.0"},
		{Name: "ambient.humidity.low", OID: "1.3.6.1.4.1.534.6.6.6.2.4.1.6.0", Symbol: "PDU-MIB::humidityLowerCritical.0"},
		{Name: "ambient.humidity.high", OID: "1.3.6.1.4.1.534.6.6.6.2.4.1.7.0", Symbol: "PDU-MIB::humidityUpperCritical.0"},
	}),
	Cmds: []Cmd{
		{Name: "outlet.%i.load.off", OID: "1.3.6.1.4.1.534.6.6.6.1.2.2.1.3.%i", Symbol: "PDU-MIB::outletOperationalState.%i", Flags: Outlet},
		{Name: "outlet.%i.load.on", OID: "1.3.6.1.4.1.534.6.6.6.1.2.2.1.3.%i", Symbol: "PDU-MIB::outletOperationalState.%i", Value: 1, Flags: Outlet},
		{Name: "outlet.%i.load.cycle", OID: "1.3.6.1.4.1.534.6.6.6.1.2.2.1.3.%i", Symbol: "PDU-MIB::outletOperationalState.%i", Value: 2, Flags: Outlet},
	},
}

// Lookups (SNMP value → NUT value).
var (
	revelationOutletSwitchability = Lookup{{-1, "yes"}, {0, "yes"}, {1, "yes"}, {2, "yes"}}      // revelation_outlet_switchability_info
	revelationOutletStatus        = Lookup{{-1, "error"}, {0, "off"}, {1, "on"}, {2, "cycling"}} // revelation_outlet_status_info
)
