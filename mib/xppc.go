package mib

// XPPC: Phoenixtec/XPPC UPS cards (XPPC-MIB, enterprise 935), a small
// 13-row table. NUT 2.8.0: drivers/xppc-mib.c (xppc_mib), mapping 0.4.
var XPPC = &MIB{
	Name: "xppc", Version: "0.4", Type: "ups",
	SysOIDs: []string{"1.3.6.1.4.1.935"},
	Vars: rows(system(SysDescr, SetString), []Var{
		constant("ups.mfr", "Tripp Lite / Phoenixtec"),
		{Name: "ups.model", OID: "1.3.6.1.4.1.935.1.1.1.1.1.1.0", Symbol: "XPPC-MIB::upsBaseIdentModel.0", Flags: String},
		{Name: "ups.status", OID: "1.3.6.1.4.1.935.1.1.1.2.1.1.0", Symbol: "XPPC-MIB::upsBaseBatteryStatus.0", Poll: Fast, Flags: String | Status, Lookup: xpccOnbatt},
		{Name: "battery.charge", OID: "1.3.6.1.4.1.935.1.1.1.2.2.1.0", Symbol: "XPPC-MIB::upsSmartBatteryCapacity.0"},
		{Name: "ups.temperature", OID: "1.3.6.1.4.1.935.1.1.1.2.2.3.0", Symbol: "XPPC-MIB::upsSmartBatteryTemperature.0", Mult: 0.1},
		{Name: "input.voltage", OID: "1.3.6.1.4.1.935.1.1.1.3.2.1.0", Symbol: "XPPC-MIB::upsSmartInputLineVoltage.0", Mult: 0.1},
		{Name: "ups.status", OID: "1.3.6.1.4.1.935.1.1.1.4.1.1.0", Symbol: "XPPC-MIB::upsBaseOutputStatus.0", Poll: Fast, Flags: String | Status, Lookup: xpccPower},
		{Name: "output.voltage", OID: "1.3.6.1.4.1.935.1.1.1.4.2.1.0", Symbol: "XPPC-MIB::upsSmartOutputVoltage.0", Mult: 0.1},
		{Name: "output.frequency", OID: "1.3.6.1.4.1.935.1.1.1.4.2.2.0", Symbol: "XPPC-MIB::upsSmartOutputFrequency.0", Mult: 0.1},
		{Name: "ups.load", OID: "1.3.6.1.4.1.935.1.1.1.4.2.3.0", Symbol: "XPPC-MIB::upsSmartOutputLoad.0"},
	}),
}

// Lookups (SNMP value → NUT value).
var (
	xpccOnbatt = Lookup{{1, ""}, {2, ""}, {3, "LB"}}                                                                                    // xpcc_onbatt_info
	xpccPower  = Lookup{{1, ""}, {2, "OL"}, {3, "OB"}, {4, "OL BOOST"}, {5, "OFF"}, {6, "BYPASS"}, {7, ""}, {8, "OFF"}, {9, "OL TRIM"}} // xpcc_power_info
)
