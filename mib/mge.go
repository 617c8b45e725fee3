package mib

// MGE: MGE / Eaton UPS (MG-SNMP-UPS-MIB under 705.1). NUT 2.8.0:
// drivers/mge-mib.c (mge_mib), mapping 0.55.
var MGE = &MIB{
	Name: "mge", Version: "0.55", Type: "ups",
	SysOIDs:  []string{"1.3.6.1.4.1.705.1"},
	ProbeOID: "1.3.6.1.4.1.705.1.1.1.0",
	Vars: rows(system(SysDescr, SetString), []Var{
		constant("ups.mfr", "Eaton"),
		{Name: "ups.model", OID: "1.3.6.1.4.1.705.1.1.1.0", Symbol: "MG-SNMP-UPS-MIB::upsmgIdentFamilyName.0", Poll: Once, Flags: String},
		{Name: "ups.serial", OID: "1.3.6.1.4.1.705.1.1.7.0", Symbol: "MG-SNMP-UPS-MIB::upsmgIdentSerialNumber.0", Poll: Once, Flags: String},
		{Name: "ups.firmware", OID: "1.3.6.1.4.1.705.1.1.4.0", Symbol: "MG-SNMP-UPS-MIB::upsmgIdentFirmwareVersion.0", Poll: Once, Flags: String},
		{Name: "ups.firmware.aux", OID: "1.3.6.1.4.1.705.1.12.12.0", Symbol: "MG-SNMP-UPS-MIB::upsmgAgentFirmwareVersion.0", Poll: Once, Flags: String},
		{Name: "ups.load", OID: "1.3.6.1.4.1.705.1.7.2.1.4.1", Symbol: "MG-SNMP-UPS-MIB::mgoutputLoadPerPhase.1", Flags: Output1},
		{Name: "ups.beeper.status", OID: "1.3.6.1.2.1.33.1.9.8.0", Symbol: "UPS-MIB::upsConfigAudibleStatus.0", Poll: Fast, Flags: String, Lookup: beeperStatus},
		{Name: "ups.L1.load", OID: "1.3.6.1.4.1.705.1.7.2.1.4.1", Symbol: "MG-SNMP-UPS-MIB::mgoutputLoadPerPhase.1", Flags: Output3},
		{Name: "ups.L2.load", OID: "1.3.6.1.4.1.705.1.7.2.1.4.2", Symbol: "MG-SNMP-UPS-MIB::mgoutputLoadPerPhase.2", Flags: Output3},
		{Name: "ups.L3.load", OID: "1.3.6.1.4.1.705.1.7.2.1.4.3", Symbol: "MG-SNMP-UPS-MIB::mgoutputLoadPerPhase.3", Flags: Output3},
		{Name: "ups.test.result", OID: "1.3.6.1.2.1.33.1.7.3.0", Symbol: "UPS-MIB::upsTestResultsSummary.0", Flags: String, Lookup: mgeTestResult},
		{Name: "ups.delay.shutdown", OID: "1.3.6.1.2.1.33.1.8.2.0", Symbol: "UPS-MIB::upsShutdownAfterDelay.0", Default: "20", Set: SetInteger, Poll: Once, Flags: String | Absent},
		{Name: "ups.delay.start", OID: "1.3.6.1.2.1.33.1.8.3.0", Symbol: "UPS-MIB::upsStartupAfterDelay.0", Default: "30", Set: SetInteger, Poll: Once, Flags: String | Absent},
		{Name: "ups.timer.shutdown", OID: "1.3.6.1.2.1.33.1.8.2.0", Symbol: "UPS-MIB::upsShutdownAfterDelay.0"},
		{Name: "ups.timer.start", OID: "1.3.6.1.2.1.33.1.8.3.0", Symbol: "UPS-MIB::upsStartupAfterDelay.0"},
		{Name: "ups.timer.reboot", OID: "1.3.6.1.2.1.33.1.8.4.0", Symbol: "UPS-MIB::upsRebootWithDuration.0"},
		{Name: "ups.start.auto", OID: "1.3.6.1.2.1.33.1.8.5.0", Symbol: "UPS-MIB::upsAutoRestart.0", Set: SetInteger, Lookup: yesNo},
		{Name: "ups.status", OID: "1.3.6.1.4.1.705.1.5.11.0", Symbol: "MG-SNMP-UPS-MIB::upsmgBatteryReplacement.0", Poll: Fast, Flags: String | Status, Lookup: mgeReplacebatt},
		{Name: "ups.status", OID: "1.3.6.1.4.1.705.1.5.14.0", Symbol: "MG-SNMP-UPS-MIB::upsmgBatteryLowBattery.0", Poll: Fast, Flags: String | Status, Lookup: mgeLowbatt},
		{Name: "ups.status", OID: "1.3.6.1.4.1.705.1.5.16.0", Symbol: "MG-SNMP-UPS-MIB::upsmgBatteryLowCondition.0", Poll: Fast, Flags: String | Status, Lookup: mgeLowbatt},
		{Name: "ups.status", OID: "1.3.6.1.4.1.705.1.7.3.0", Symbol: "MG-SNMP-UPS-MIB::upsmgOutputOnBattery.0", Poll: Fast, Flags: String | Status, Lookup: mgeOnbatt},
		{Name: "ups.status", OID: "1.3.6.1.4.1.705.1.7.4.0", Symbol: "MG-SNMP-UPS-MIB::upsmgOutputOnByPass.0", Poll: Fast, Flags: String | Status, Lookup: mgeBypass},
		{Name: "ups.status", OID: "1.3.6.1.4.1.705.1.7.7.0", Symbol: "MG-SNMP-UPS-MIB::upsmgOutputUtilityOff.0", Poll: Fast, Flags: String | Status, Lookup: mgeOutputUtilOff},
		{Name: "ups.status", OID: "1.3.6.1.4.1.705.1.7.8.0", Symbol: "MG-SNMP-UPS-MIB::upsmgOutputOnBoost.0", Poll: Fast, Flags: String | Status, Lookup: mgeBoost},
		{Name: "ups.status", OID: "1.3.6.1.4.1.705.1.7.10.0", Symbol: "MG-SNMP-UPS-MIB::upsmgOutputOverLoad.0", Poll: Fast, Flags: String | Status, Lookup: mgeOverload},
		{Name: "ups.status", OID: "1.3.6.1.4.1.705.1.7.12.0", Symbol: "MG-SNMP-UPS-MIB::upsmgOutputOnBuck.0", Poll: Fast, Flags: String | Status, Lookup: mgeTrim},
		{Name: "ups.status", OID: "1.3.6.1.2.1.33.1.4.1.0", Symbol: "UPS-MIB::upsOutputSource.0", Poll: Fast, Flags: String | Status, Lookup: mgePowerSource},
		{Name: "input.phases", OID: "1.3.6.1.4.1.705.1.6.1.0", Symbol: "MG-SNMP-UPS-MIB::upsmgInputPhaseNum.0"},
		{Name: "input.voltage", OID: "1.3.6.1.4.1.705.1.6.2.1.2.1", Symbol: "MG-SNMP-UPS-MIB::mginputVoltage.1", Mult: 0.1, Flags: Input1},
		{Name: "input.L1-N.voltage", OID: "1.3.6.1.4.1.705.1.6.2.1.2.1", Symbol: "MG-SNMP-UPS-MIB::mginputVoltage.1", Mult: 0.1, Flags: Input3},
		{Name: "input.L2-N.voltage", OID: "1.3.6.1.4.1.705.1.6.2.1.2.2", Symbol: "MG-SNMP-UPS-MIB::mginputVoltage.2", Mult: 0.1, Flags: Input3},
		{Name: "input.L3-N.voltage", OID: "1.3.6.1.4.1.705.1.6.2.1.2.3", Symbol: "MG-SNMP-UPS-MIB::mginputVoltage.3", Mult: 0.1, Flags: Input3},
		{Name: "input.frequency", OID: "1.3.6.1.4.1.705.1.6.2.1.3.1", Symbol: "MG-SNMP-UPS-MIB::mginputFrequency.1", Mult: 0.1, Flags: Input1},
		{Name: "input.L1.frequency", OID: "1.3.6.1.4.1.705.1.6.2.1.3.1", Symbol: "MG-SNMP-UPS-MIB::mginputFrequency.1", Mult: 0.1, Flags: Input3},
		{Name: "input.L2.frequency", OID: "1.3.6.1.4.1.705.1.6.2.1.3.2", Symbol: "MG-SNMP-UPS-MIB::mginputFrequency.2", Mult: 0.1, Flags: Input3},
		{Name: "input.L3.frequency", OID: "1.3.6.1.4.1.705.1.6.2.1.3.3", Symbol: "MG-SNMP-UPS-MIB::mginputFrequency.3", Mult: 0.1, Flags: Input3},
		{Name: "input.voltage.minimum", OID: "1.3.6.1.4.1.705.1.6.2.1.4.1", Symbol: "MG-SNMP-UPS-MIB::mginputMinimumVoltage.1", Mult: 0.1, Flags: Input1},
		{Name: "input.L1-N.voltage.minimum", OID: "1.3.6.1.4.1.705.1.6.2.1.4.1", Symbol: "MG-SNMP-UPS-MIB::mginputMinimumVoltage.1", Mult: 0.1, Flags: Input3},
		{Name: "input.L2-N.voltage.minimum", OID: "1.3.6.1.4.1.705.1.6.2.1.4.2", Symbol: "MG-SNMP-UPS-MIB::mginputMinimumVoltage.2", Mult: 0.1, Flags: Input3},
		{Name: "input.L3-N.voltage.minimum", OID: "1.3.6.1.4.1.705.1.6.2.1.4.3", Symbol: "MG-SNMP-UPS-MIB::mginputMinimumVoltage.3", Mult: 0.1, Flags: Input3},
		{Name: "input.voltage.maximum", OID: "1.3.6.1.4.1.705.1.6.2.1.5.1", Symbol: "MG-SNMP-UPS-MIB::mginputMaximumVoltage.1", Mult: 0.1, Flags: Input1},
		{Name: "input.L1-N.voltage.maximum", OID: "1.3.6.1.4.1.705.1.6.2.1.5.1", Symbol: "MG-SNMP-UPS-MIB::mginputMaximumVoltage.1", Mult: 0.1, Flags: Input3},
		{Name: "input.L2-N.voltage.maximum", OID: "1.3.6.1.4.1.705.1.6.2.1.5.2", Symbol: "MG-SNMP-UPS-MIB::mginputMaximumVoltage.2", Mult: 0.1, Flags: Input3},
		{Name: "input.L3-N.voltage.maximum", OID: "1.3.6.1.4.1.705.1.6.2.1.5.3", Symbol: "MG-SNMP-UPS-MIB::mginputMaximumVoltage.3", Mult: 0.1, Flags: Input3},
		{Name: "input.current", OID: "1.3.6.1.4.1.705.1.6.2.1.6.1", Symbol: "MG-SNMP-UPS-MIB::mginputCurrent.1", Mult: 0.1, Flags: Input1},
		{Name: "input.L1.current", OID: "1.3.6.1.4.1.705.1.6.2.1.6.1", Symbol: "MG-SNMP-UPS-MIB::mginputCurrent.1", Mult: 0.1, Flags: Input3},
		{Name: "input.L2.current", OID: "1.3.6.1.4.1.705.1.6.2.1.6.2", Symbol: "MG-SNMP-UPS-MIB::mginputCurrent.2", Mult: 0.1, Flags: Input3},
		{Name: "input.L3.current", OID: "1.3.6.1.4.1.705.1.6.2.1.6.3", Symbol: "MG-SNMP-UPS-MIB::mginputCurrent.3", Mult: 0.1, Flags: Input3},
		{Name: "input.transfer.reason", OID: "1.3.6.1.4.1.705.1.6.4.0", Symbol: "MG-SNMP-UPS-MIB::upsmgInputLineFailCause.0", Flags: String, Lookup: mgeTransferReason},
		{Name: "output.phases", OID: "1.3.6.1.4.1.705.1.7.1.0", Symbol: "MG-SNMP-UPS-MIB::upsmgOutputPhaseNum.0"},
		{Name: "output.voltage", OID: "1.3.6.1.4.1.705.1.7.2.1.2.1", Symbol: "MG-SNMP-UPS-MIB::mgoutputVoltage.1", Mult: 0.1, Flags: Output1},
		{Name: "output.L1-N.voltage", OID: "1.3.6.1.4.1.705.1.7.2.1.2.1", Symbol: "MG-SNMP-UPS-MIB::mgoutputVoltage.1", Mult: 0.1, Flags: Output3},
		{Name: "output.L2-N.voltage", OID: "1.3.6.1.4.1.705.1.7.2.1.2.2", Symbol: "MG-SNMP-UPS-MIB::mgoutputVoltage.2", Mult: 0.1, Flags: Output3},
		{Name: "output.L3-N.voltage", OID: "1.3.6.1.4.1.705.1.7.2.1.2.3", Symbol: "MG-SNMP-UPS-MIB::mgoutputVoltage.3", Mult: 0.1, Flags: Output3},
		{Name: "output.frequency", OID: "1.3.6.1.4.1.705.1.7.2.1.3.1", Symbol: "MG-SNMP-UPS-MIB::mgoutputFrequency.1", Mult: 0.1, Flags: Output1},
		{Name: "output.L1.frequency", OID: "1.3.6.1.4.1.705.1.7.2.1.3.1", Symbol: "MG-SNMP-UPS-MIB::mgoutputFrequency.1", Mult: 0.1, Flags: Output3},
		{Name: "output.L2.frequency", OID: "1.3.6.1.4.1.705.1.7.2.1.3.2", Symbol: "MG-SNMP-UPS-MIB::mgoutputFrequency.2", Mult: 0.1, Flags: Output3},
		{Name: "output.L3.frequency", OID: "1.3.6.1.4.1.705.1.7.2.1.3.3", Symbol: "MG-SNMP-UPS-MIB::mgoutputFrequency.3", Mult: 0.1, Flags: Output3},
		{Name: "output.current", OID: "1.3.6.1.4.1.705.1.7.2.1.5.1", Symbol: "MG-SNMP-UPS-MIB::mgoutputCurrent.1", Mult: 0.1, Flags: Output1},
		{Name: "output.L1.current", OID: "1.3.6.1.4.1.705.1.7.2.1.5.1", Symbol: "MG-SNMP-UPS-MIB::mgoutputCurrent.1", Mult: 0.1, Flags: Output3},
		{Name: "output.L2.current", OID: "1.3.6.1.4.1.705.1.7.2.1.5.2", Symbol: "MG-SNMP-UPS-MIB::mgoutputCurrent.2", Mult: 0.1, Flags: Output3},
		{Name: "output.L3.current", OID: "1.3.6.1.4.1.705.1.7.2.1.5.3", Symbol: "MG-SNMP-UPS-MIB::mgoutputCurrent.3", Mult: 0.1, Flags: Output3},
		{Name: "battery.charge", OID: "1.3.6.1.4.1.705.1.5.2.0", Symbol: "MG-SNMP-UPS-MIB::upsmgBatteryLevel.0"},
		{Name: "battery.runtime", OID: "1.3.6.1.4.1.705.1.5.1.0", Symbol: "MG-SNMP-UPS-MIB::upsmgBatteryRemainingTime.0"},
		{Name: "battery.runtime.low", OID: "1.3.6.1.4.1.705.1.4.7.0", Symbol: "MG-SNMP-UPS-MIB::upsmgConfigLowBatteryTime.0"},
		{Name: "battery.charge.low", OID: "1.3.6.1.4.1.705.1.4.8.0", Symbol: "MG-SNMP-UPS-MIB::upsmgConfigLowBatteryLevel.0", Set: SetInteger, Flags: String},
		{Name: "battery.voltage", OID: "1.3.6.1.4.1.705.1.5.5.0", Symbol: "MG-SNMP-UPS-MIB::upsmgBatteryVoltage.0", Mult: 0.1},
		{Name: "ambient.temperature", OID: "1.3.6.1.4.1.705.1.8.1.0", Symbol: "MG-SNMP-UPS-MIB::upsmgEnvironAmbientTemp.0", Mult: 0.1, Decimals: 1},
		{Name: "ambient.humidity", OID: "1.3.6.1.4.1.705.1.8.2.0", Symbol: "MG-SNMP-UPS-MIB::upsmgEnvironAmbientHumidity.0", Mult: 0.1},
		{Name: "ambient.contacts.1.status", OID: "1.3.6.1.4.1.705.1.8.7.1.9.1", Symbol: "MG-SNMP-UPS-MIB::upsmgEnvironmentInput1State.1", Poll: Fast, Flags: String, Lookup: mgeAmbientDrycontacts},
		{Name: "ambient.contacts.2.status", OID: "1.3.6.1.4.1.705.1.8.7.1.10.1", Symbol: "MG-SNMP-UPS-MIB::upsmgEnvironmentInput2State.1", Poll: Fast, Flags: String, Lookup: mgeAmbientDrycontacts},
		{Name: "outlet.id", Default: "0", Poll: Once, Flags: Absent},
		constant("outlet.desc", "Main Outlet"),
	}),
	Cmds: []Cmd{
		{Name: "test.battery.start", OID: "1.3.6.1.4.1.705.1.10.4.0", Symbol: "MG-SNMP-UPS-MIB::upsmgTestBatteryCalibration.0", Value: 2},
		{Name: "beeper.disable", OID: "1.3.6.1.2.1.33.1.9.8.0", Symbol: "UPS-MIB::upsConfigAudibleStatus.0", Value: 1},
		{Name: "beeper.enable", OID: "1.3.6.1.2.1.33.1.9.8.0", Symbol: "UPS-MIB::upsConfigAudibleStatus.0", Value: 2},
		{Name: "beeper.mute", OID: "1.3.6.1.2.1.33.1.9.8.0", Symbol: "UPS-MIB::upsConfigAudibleStatus.0", Value: 3},
		{Name: "load.off.delay", OID: "1.3.6.1.2.1.33.1.8.2.0", Symbol: "UPS-MIB::upsShutdownAfterDelay.0", Flags: Arg},
		{Name: "load.on.delay", OID: "1.3.6.1.2.1.33.1.8.3.0", Symbol: "UPS-MIB::upsStartupAfterDelay.0", Flags: Arg},
	},
}

// Lookups (SNMP value → NUT value).
var (
	mgeTestResult         = Lookup{{1, "done and passed"}, {2, "done and warning"}, {3, "done and error"}, {4, "aborted"}, {5, "in progress"}, {6, "no test initiated"}} // mge_test_result_info
	mgeReplacebatt        = Lookup{{1, "RB"}, {2, ""}}                                                                                                                   // mge_replacebatt_info
	mgeLowbatt            = Lookup{{1, "LB"}, {2, ""}}                                                                                                                   // mge_lowbatt_info
	mgeOnbatt             = Lookup{{1, "OB"}, {2, "OL"}}                                                                                                                 // mge_onbatt_info
	mgeBypass             = Lookup{{1, "BYPASS"}, {2, ""}}                                                                                                               // mge_bypass_info
	mgeOutputUtilOff      = Lookup{{1, "OFF"}, {2, ""}}                                                                                                                  // mge_output_util_off_info
	mgeBoost              = Lookup{{1, "BOOST"}, {2, ""}}                                                                                                                // mge_boost_info
	mgeOverload           = Lookup{{1, "OVER"}, {2, ""}}                                                                                                                 // mge_overload_info
	mgeTrim               = Lookup{{1, "TRIM"}, {2, ""}}                                                                                                                 // mge_trim_info
	mgePowerSource        = Lookup{{1, ""}, {2, "OFF"}, {4, "BYPASS"}, {5, "OB"}, {6, "BOOST"}, {7, "TRIM"}}                                                             // mge_power_source_info
	mgeTransferReason     = Lookup{{1, ""}, {2, "input voltage out of range"}, {3, "input frequency out of range"}, {4, "utility off"}}                                  // mge_transfer_reason_info
	mgeAmbientDrycontacts = Lookup{{-1, "unknown"}, {1, "closed"}, {2, "opened"}}                                                                                        // mge_ambient_drycontacts_info
)
