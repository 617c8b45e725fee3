package mib

// Netvision: Socomec Netvision UPS cards (enterprise 4555). NUT 2.8.0:
// drivers/netvision-mib.c (netvision_mib), mapping 0.44.
var Netvision = &MIB{
	Name: "netvision", Version: "0.44", Type: "ups",
	SysOIDs:  []string{"1.3.6.1.4.1.4555.1.1.1"},
	ProbeOID: "1.3.6.1.4.1.4555.1.1.1.1.1.1.0",
	Vars: rows(system(SysDescr, SetString), []Var{
		{Name: "ups.mfr", OID: "1.3.6.1.4.1.4555.1.1.1.1.1.3.0", Symbol: "SOCOMECUPS-MIB::network.1.1.1.3.0", Poll: Once, Flags: String},
		{Name: "ups.model", OID: "1.3.6.1.4.1.4555.1.1.1.1.1.1.0", Symbol: "SOCOMECUPS-MIB::network.1.1.1.1.0", Poll: Once, Flags: String},
		{Name: "ups.serial", OID: "1.3.6.1.4.1.4555.1.1.1.1.1.4.0", Symbol: "SOCOMECUPS-MIB::network.1.1.1.4.0", Poll: Once, Flags: String},
		{Name: "ups.firmware.aux", OID: "1.3.6.1.4.1.4555.1.1.1.1.1.2.0", Symbol: "SOCOMECUPS-MIB::network.1.1.1.2.0", Poll: Once, Flags: String},
		{Name: "ups.status", OID: "1.3.6.1.4.1.4555.1.1.1.1.2.1.0", Symbol: "SOCOMECUPS-MIB::network.1.1.2.1.0", Poll: Fast, Flags: String | Status, Lookup: netvisionBatt},
		{Name: "ups.status", OID: "1.3.6.1.4.1.4555.1.1.1.1.4.1.0", Symbol: "SOCOMECUPS-MIB::network.1.1.4.1.0", Poll: Fast, Flags: String | Status, Lookup: netvisionOutput},
		{Name: "ups.status", OID: "1.3.6.1.4.1.4555.1.1.1.1.6.3.2.0", Symbol: "SOCOMECUPS-MIB::network.1.1.6.3.2.0", Poll: Fast, Flags: String | Status, Lookup: netvisionOnbatt},
		{Name: "ups.load", OID: "1.3.6.1.4.1.4555.1.1.1.1.4.4.1.4.1", Symbol: "SOCOMECUPS-MIB::network.1.1.4.4.1.4.1", Flags: Input1},
		{Name: "input.phases", OID: "1.3.6.1.4.1.4555.1.1.1.1.3.1.0", Symbol: "SOCOMECUPS-MIB::network.1.1.3.1.0"},
		{Name: "input.frequency", OID: "1.3.6.1.4.1.4555.1.1.1.1.3.2.0", Symbol: "SOCOMECUPS-MIB::network.1.1.3.2.0", Mult: 0.1},
		{Name: "input.voltage", OID: "1.3.6.1.4.1.4555.1.1.1.1.3.3.1.5.1", Symbol: "SOCOMECUPS-MIB::network.1.1.3.3.1.5.1", Mult: 0.1, Flags: Input1},
		{Name: "input.current", OID: "1.3.6.1.4.1.4555.1.1.1.1.3.3.1.3.1", Symbol: "SOCOMECUPS-MIB::network.1.1.3.3.1.3.1", Mult: 0.1, Flags: Input1},
		{Name: "input.L1-N.voltage", OID: "1.3.6.1.4.1.4555.1.1.1.1.3.3.1.5.1", Symbol: "SOCOMECUPS-MIB::network.1.1.3.3.1.5.1", Mult: 0.1, Flags: Input3},
		{Name: "input.L1.current", OID: "1.3.6.1.4.1.4555.1.1.1.1.3.3.1.3.1", Symbol: "SOCOMECUPS-MIB::network.1.1.3.3.1.3.1", Mult: 0.1, Flags: Input3},
		{Name: "input.L2-N.voltage", OID: "1.3.6.1.4.1.4555.1.1.1.1.3.3.1.5.2", Symbol: "SOCOMECUPS-MIB::network.1.1.3.3.1.5.2", Mult: 0.1, Flags: Input3},
		{Name: "input.L2.current", OID: "1.3.6.1.4.1.4555.1.1.1.1.3.3.1.3.2", Symbol: "SOCOMECUPS-MIB::network.1.1.3.3.1.3.2", Mult: 0.1, Flags: Input3},
		{Name: "input.L3-N.voltage", OID: "1.3.6.1.4.1.4555.1.1.1.1.3.3.1.5.3", Symbol: "SOCOMECUPS-MIB::network.1.1.3.3.1.5.3", Mult: 0.1, Flags: Input3},
		{Name: "input.L3.current", OID: "1.3.6.1.4.1.4555.1.1.1.1.3.3.1.3.3", Symbol: "SOCOMECUPS-MIB::network.1.1.3.3.1.3.3", Mult: 0.1, Flags: Input3},
		{Name: "output.phases", OID: "1.3.6.1.4.1.4555.1.1.1.1.4.3.0", Symbol: "SOCOMECUPS-MIB::network.1.1.4.3.0"},
		{Name: "output.frequency", OID: "1.3.6.1.4.1.4555.1.1.1.1.4.2.0", Symbol: "SOCOMECUPS-MIB::network.1.1.4.2.0", Mult: 0.1},
		{Name: "output.voltage", OID: "1.3.6.1.4.1.4555.1.1.1.1.4.4.1.2.1", Symbol: "SOCOMECUPS-MIB::network.1.1.4.4.1.2.1", Mult: 0.1, Flags: Output1},
		{Name: "output.current", OID: "1.3.6.1.4.1.4555.1.1.1.1.4.4.1.3.1", Symbol: "SOCOMECUPS-MIB::network.1.1.4.4.1.3.1", Mult: 0.1, Flags: Output1},
		{Name: "output.load", OID: "1.3.6.1.4.1.4555.1.1.1.1.4.4.1.4.1", Symbol: "SOCOMECUPS-MIB::network.1.1.4.4.1.4.1", Flags: Output1},
		{Name: "output.L1-N.voltage", OID: "1.3.6.1.4.1.4555.1.1.1.1.4.4.1.2.1", Symbol: "SOCOMECUPS-MIB::network.1.1.4.4.1.2.1", Mult: 0.1, Flags: Output3},
		{Name: "output.L1.current", OID: "1.3.6.1.4.1.4555.1.1.1.1.4.4.1.3.1", Symbol: "SOCOMECUPS-MIB::network.1.1.4.4.1.3.1", Mult: 0.1, Flags: Output3},
		{Name: "output.L1.power.percent", OID: "1.3.6.1.4.1.4555.1.1.1.1.4.4.1.4.1", Symbol: "SOCOMECUPS-MIB::network.1.1.4.4.1.4.1", Flags: Output3},
		{Name: "output.L2-N.voltage", OID: "1.3.6.1.4.1.4555.1.1.1.1.4.4.1.2.2", Symbol: "SOCOMECUPS-MIB::network.1.1.4.4.1.2.2", Mult: 0.1, Flags: Output3},
		{Name: "output.L2.current", OID: "1.3.6.1.4.1.4555.1.1.1.1.4.4.1.3.2", Symbol: "SOCOMECUPS-MIB::network.1.1.4.4.1.3.2", Mult: 0.1, Flags: Output3},
		{Name: "output.L2.power.percent", OID: "1.3.6.1.4.1.4555.1.1.1.1.4.4.1.4.2", Symbol: "SOCOMECUPS-MIB::network.1.1.4.4.1.4.2", Flags: Output3},
		{Name: "output.L3-N.voltage", OID: "1.3.6.1.4.1.4555.1.1.1.1.4.4.1.2.3", Symbol: "SOCOMECUPS-MIB::network.1.1.4.4.1.2.3", Mult: 0.1, Flags: Output3},
		{Name: "output.L3.current", OID: "1.3.6.1.4.1.4555.1.1.1.1.4.4.1.3.3", Symbol: "SOCOMECUPS-MIB::network.1.1.4.4.1.3.3", Mult: 0.1, Flags: Output3},
		{Name: "output.L3.power.percent", OID: "1.3.6.1.4.1.4555.1.1.1.1.4.4.1.4.3", Symbol: "SOCOMECUPS-MIB::network.1.1.4.4.1.4.3", Flags: Output3},
		{Name: "input.bypass.phases", OID: "1.3.6.1.4.1.4555.1.1.1.1.5.2.0", Symbol: "SOCOMECUPS-MIB::network.1.1.5.2.0"},
		{Name: "input.bypass.frequency", OID: "1.3.6.1.4.1.4555.1.1.1.1.5.1.0", Symbol: "SOCOMECUPS-MIB::network.1.1.5.1.0", Mult: 0.1},
		{Name: "input.bypass.voltage", OID: "1.3.6.1.4.1.4555.1.1.1.1.5.3.1.2.1", Symbol: "SOCOMECUPS-MIB::network.1.1.5.3.1.2.1", Mult: 0.1, Flags: Bypass1},
		{Name: "input.bypass.current", OID: "1.3.6.1.4.1.4555.1.1.1.1.5.3.1.3.1", Symbol: "SOCOMECUPS-MIB::network.1.1.5.3.1.3.1", Mult: 0.1, Flags: Bypass1},
		{Name: "input.bypass.L1-N.voltage", OID: "1.3.6.1.4.1.4555.1.1.1.1.5.3.1.2.1", Symbol: "SOCOMECUPS-MIB::network.1.1.5.3.1.2.1", Mult: 0.1, Flags: Bypass3},
		{Name: "input.bypass.L1.current", OID: "1.3.6.1.4.1.4555.1.1.1.1.5.3.1.3.1", Symbol: "SOCOMECUPS-MIB::network.1.1.5.3.1.3.1", Mult: 0.1, Flags: Bypass3},
		{Name: "input.bypass.L2-N.voltage", OID: "1.3.6.1.4.1.4555.1.1.1.1.5.3.1.2.2", Symbol: "SOCOMECUPS-MIB::network.1.1.5.3.1.2.2", Mult: 0.1, Flags: Bypass3},
		{Name: "input.bypass.L2.current", OID: "1.3.6.1.4.1.4555.1.1.1.1.5.3.1.3.2", Symbol: "SOCOMECUPS-MIB::network.1.1.5.3.1.3.2", Mult: 0.1, Flags: Bypass3},
		{Name: "input.bypass.L3-N.voltage", OID: "1.3.6.1.4.1.4555.1.1.1.1.5.3.1.2.3", Symbol: "SOCOMECUPS-MIB::network.1.1.5.3.1.2.3", Mult: 0.1, Flags: Bypass3},
		{Name: "input.bypass.L3.current", OID: "1.3.6.1.4.1.4555.1.1.1.1.5.3.1.3.3", Symbol: "SOCOMECUPS-MIB::network.1.1.5.3.1.3.3", Mult: 0.1, Flags: Bypass3},
		{Name: "battery.charge", OID: "1.3.6.1.4.1.4555.1.1.1.1.2.4.0", Symbol: "SOCOMECUPS-MIB::network.1.1.2.4.0"},
		{Name: "battery.voltage", OID: "1.3.6.1.4.1.4555.1.1.1.1.2.5.0", Symbol: "SOCOMECUPS-MIB::network.1.1.2.5.0", Mult: 0.1},
		{Name: "battery.runtime", OID: "1.3.6.1.4.1.4555.1.1.1.1.2.3.0", Symbol: "SOCOMECUPS-MIB::network.1.1.2.3.0", Mult: 60},
	}),
}

// Lookups (SNMP value → NUT value).
var (
	netvisionBatt   = Lookup{{2, ""}, {3, "LB"}, {4, "LB"}, {5, "DISCHRG"}, {6, "RB"}}                                                      // netvision_batt_info
	netvisionOutput = Lookup{{1, ""}, {2, ""}, {3, "OL"}, {4, "OL BYPASS"}, {5, "OB"}, {6, "OL BOOST"}, {7, "OL TRIM"}, {8, "OL"}, {9, ""}} // netvision_output_info
	netvisionOnbatt = Lookup{{0, "OL"}, {1, "OB"}}                                                                                          // netvision_onbatt_info
)
