package mib

// Huawei: Huawei UPS2000/UPS5000 network cards (Huawei enterprise
// 2011.6.174). NUT 2.8.0: drivers/huawei-mib.c (huawei_mib), mapping 0.4.
var Huawei = &MIB{
	Name: "huawei", Version: "0.4", Type: "ups",
	SysOIDs:  []string{"1.3.6.1.4.1.8072.3.2.10"},
	ProbeOID: "1.3.6.1.4.1.2011.6.174.1.2.100.1.2.1",
	Vars: rows(system(SysDescr, SetString), []Var{
		constant("ups.mfr", "Huawei"),
		{Name: "ups.model", OID: "1.3.6.1.4.1.2011.6.174.1.2.100.1.2.1", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.2.100.1.2.1", Poll: Once, Flags: String},
		{Name: "ups.id", OID: "1.3.6.1.4.1.2011.6.174.1.1.1.2.0", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.1.1.2.0", Poll: Once, Flags: String},
		{Name: "ups.time", OID: "1.3.6.1.4.1.2011.6.174.1.11.1.0", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.11.1.0"},
		{Name: "ups.firmware", OID: "1.3.6.1.4.1.2011.6.174.1.2.100.1.3.1", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.2.100.1.3.1", Poll: Once, Flags: String},
		{Name: "ups.serial", OID: "1.3.6.1.4.1.2011.6.174.1.2.100.1.5.1", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.2.100.1.5.1", Poll: Once, Flags: String},
		{Name: "ups.status", OID: "1.3.6.1.4.1.2011.6.174.1.2.101.1.1.1", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.2.101.1.1.1", Poll: Fast, Flags: Status, Lookup: huaweiSupplymethod},
		{Name: "ups.status", OID: "1.3.6.1.4.1.2011.6.174.1.2.101.1.3.1", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.2.101.1.3.1", Poll: Fast, Flags: Status, Lookup: huaweiBattstate},
		{Name: "ups.test.result", OID: "1.3.6.1.2.1.33.1.7.3.0", Symbol: "UPS-MIB::upsTestResultsSummary.0", Flags: String, Lookup: huaweiTestResult},
		{Name: "input.phases", OID: "1.3.6.1.4.1.2011.6.174.1.102.100.1.8", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.102.100.1.8", Default: "3", Poll: Once, Flags: String | Absent, Lookup: huaweiPhase},
		{Name: "input.L1-N.voltage", OID: "1.3.6.1.4.1.2011.6.174.1.3.100.1.1.1", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.3.100.1.1.1", Mult: 0.1},
		{Name: "input.L2-N.voltage", OID: "1.3.6.1.4.1.2011.6.174.1.3.100.1.2.1", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.3.100.1.2.1", Mult: 0.1},
		{Name: "input.L3-N.voltage", OID: "1.3.6.1.4.1.2011.6.174.1.3.100.1.3.1", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.3.100.1.3.1", Mult: 0.1},
		{Name: "input.frequency", OID: "1.3.6.1.4.1.2011.6.174.1.3.100.1.4.1", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.3.100.1.4.1", Mult: 0.01},
		{Name: "input.L1.current", OID: "1.3.6.1.4.1.2011.6.174.1.3.100.1.5.1", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.3.100.1.5.1", Mult: 0.1},
		{Name: "input.L2.current", OID: "1.3.6.1.4.1.2011.6.174.1.3.100.1.6.1", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.3.100.1.6.1", Mult: 0.1},
		{Name: "input.L3.current", OID: "1.3.6.1.4.1.2011.6.174.1.3.100.1.7.1", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.3.100.1.7.1", Mult: 0.1},
		{Name: "input.L1.powerfactor", OID: "1.3.6.1.4.1.2011.6.174.1.3.100.1.8.1", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.3.100.1.8.1", Mult: 0.01},
		{Name: "input.L2.powerfactor", OID: "1.3.6.1.4.1.2011.6.174.1.3.100.1.9.1", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.3.100.1.9.1", Mult: 0.01},
		{Name: "input.L3.powerfactor", OID: "1.3.6.1.4.1.2011.6.174.1.3.100.1.10.1", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.3.100.1.10.1", Mult: 0.01},
		{Name: "input.bypass.L1-N.voltage", OID: "1.3.6.1.4.1.2011.6.174.1.5.100.1.1.1", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.5.100.1.1.1", Mult: 0.1},
		{Name: "input.bypass.L2-N.voltage", OID: "1.3.6.1.4.1.2011.6.174.1.5.100.1.2.1", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.5.100.1.2.1", Mult: 0.1},
		{Name: "input.bypass.L3-N.voltage", OID: "1.3.6.1.4.1.2011.6.174.1.5.100.1.3.1", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.5.100.1.3.1", Mult: 0.1},
		{Name: "input.bypass.frequency", OID: "1.3.6.1.4.1.2011.6.174.1.5.100.1.4.1", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.5.100.1.4.1", Mult: 0.01},
		{Name: "output.phases", OID: "1.3.6.1.4.1.2011.6.174.1.102.100.1.9", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.102.100.1.9", Default: "3", Poll: Once, Flags: String | Absent, Lookup: huaweiPhase},
		{Name: "output.L1-N.voltage", OID: "1.3.6.1.4.1.2011.6.174.1.4.100.1.1.1", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.4.100.1.1.1", Mult: 0.1},
		{Name: "output.L2-N.voltage", OID: "1.3.6.1.4.1.2011.6.174.1.4.100.1.2.1", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.4.100.1.2.1", Mult: 0.1},
		{Name: "output.L3-N.voltage", OID: "1.3.6.1.4.1.2011.6.174.1.4.100.1.3.1", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.4.100.1.3.1", Mult: 0.1},
		{Name: "output.L1.current", OID: "1.3.6.1.4.1.2011.6.174.1.4.100.1.4.1", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.4.100.1.4.1", Mult: 0.1},
		{Name: "output.L2.current", OID: "1.3.6.1.4.1.2011.6.174.1.4.100.1.5.1", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.4.100.1.5.1", Mult: 0.1},
		{Name: "output.L3.current", OID: "1.3.6.1.4.1.2011.6.174.1.4.100.1.6.1", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.4.100.1.6.1", Mult: 0.1},
		{Name: "output.frequency", OID: "1.3.6.1.4.1.2011.6.174.1.4.100.1.7.1", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.4.100.1.7.1", Mult: 0.01},
		{Name: "output.L1.realpower", OID: "1.3.6.1.4.1.2011.6.174.1.4.100.1.8.1", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.4.100.1.8.1", Mult: 0.1},
		{Name: "output.L1.realpower", OID: "1.3.6.1.4.1.2011.6.174.1.4.100.1.9.1", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.4.100.1.9.1", Mult: 0.1},
		{Name: "output.L1.realpower", OID: "1.3.6.1.4.1.2011.6.174.1.4.100.1.10.1", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.4.100.1.10.1", Mult: 0.1},
		{Name: "output.L1.power", OID: "1.3.6.1.4.1.2011.6.174.1.4.100.1.11.1", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.4.100.1.11.1", Mult: 0.1},
		{Name: "output.L2.power", OID: "1.3.6.1.4.1.2011.6.174.1.4.100.1.12.1", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.4.100.1.12.1", Mult: 0.1},
		{Name: "output.L3.power", OID: "1.3.6.1.4.1.2011.6.174.1.4.100.1.13.1", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.4.100.1.13.1", Mult: 0.1},
		{Name: "output.L1.power.percent", OID: "1.3.6.1.4.1.2011.6.174.1.4.100.1.14.1", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.4.100.1.14.1", Mult: 0.1},
		{Name: "output.L2.power.percent", OID: "1.3.6.1.4.1.2011.6.174.1.4.100.1.15.1", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.4.100.1.15.1", Mult: 0.1},
		{Name: "output.L3.power.percent", OID: "1.3.6.1.4.1.2011.6.174.1.4.100.1.16.1", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.4.100.1.16.1", Mult: 0.1},
		{Name: "output.voltage.nominal", OID: "1.3.6.1.4.1.2011.6.174.1.4.100.1.17.1", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.4.100.1.17.1", Poll: Once, Flags: String, Lookup: huaweiVoltrating},
		{Name: "output.frequency.nominal", OID: "1.3.6.1.4.1.2011.6.174.1.4.100.1.18.1", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.4.100.1.18.1", Poll: Once, Flags: String, Lookup: huaweiFreqrating},
		{Name: "output.power.nominal", OID: "1.3.6.1.4.1.2011.6.174.1.2.100.1.6.1", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.2.100.1.6.1", Poll: Once, Flags: String, Lookup: huaweiPwrrating},
		{Name: "output.L1.powerfactor", OID: "1.3.6.1.4.1.2011.6.174.1.4.100.1.19.1", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.4.100.1.19.1", Mult: 0.01},
		{Name: "output.L2.powerfactor", OID: "1.3.6.1.4.1.2011.6.174.1.4.100.1.20.1", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.4.100.1.20.1", Mult: 0.01},
		{Name: "output.L2.powerfactor", OID: "1.3.6.1.4.1.2011.6.174.1.4.100.1.21.1", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.4.100.1.21.1", Mult: 0.01},
		{Name: "battery.voltage", OID: "1.3.6.1.4.1.2011.6.174.1.6.100.1.1.1", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.6.100.1.1.1", Mult: 0.1},
		{Name: "battery.current", OID: "1.3.6.1.4.1.2011.6.174.1.6.100.1.2.1", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.6.100.1.2.1", Mult: 0.1},
		{Name: "battery.charge", OID: "1.3.6.1.4.1.2011.6.174.1.6.100.1.3.1", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.6.100.1.3.1"},
		{Name: "battery.runtime", OID: "1.3.6.1.4.1.2011.6.174.1.6.100.1.4.1", Symbol: "HUAWEI-MIB::huaweiUtility.174.1.6.100.1.4.1"},
	}),
}

// Lookups (SNMP value → NUT value).
var (
	huaweiSupplymethod = Lookup{{1, ""}, {2, "OL BYPASS"}, {3, "OL"}, {4, "OB"}, {5, ""}, {6, "OL ECO"}, {7, "OB ECO"}}                                                                                                // huawei_supplymethod_info
	huaweiBattstate    = Lookup{{1, ""}, {2, ""}, {3, ""}, {4, ""}, {5, "CHRG"}, {6, "DISCHRG"}}                                                                                                                       // huawei_battstate_info
	huaweiTestResult   = Lookup{{1, "done and passed"}, {2, "done and warning"}, {3, "done and error"}, {4, "aborted"}, {5, "in progress"}, {6, "no test initiated"}}                                                  // huawei_test_result_info
	huaweiPhase        = Lookup{{1, "1"}, {2, "3"}}                                                                                                                                                                    // huawei_phase_info
	huaweiVoltrating   = Lookup{{1, "200"}, {2, "208"}, {3, "220"}, {4, "380"}, {5, "400"}, {6, "415"}, {7, "480"}, {8, "600"}, {9, "690"}}                                                                            // huawei_voltrating_info
	huaweiFreqrating   = Lookup{{1, "50"}, {2, "60"}}                                                                                                                                                                  // huawei_freqrating_info
	huaweiPwrrating    = Lookup{{1, "80000"}, {2, "100000"}, {3, "120000"}, {4, "160000"}, {5, "200000"}, {6, "30000"}, {7, "40000"}, {8, "60000"}, {9, "2400000"}, {10, "2500000"}, {11, "2800000"}, {12, "3000000"}} // huawei_pwrrating_info
)
