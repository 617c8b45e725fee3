package mib

// IETF: Generic RFC 1628 UPS-MIB, the last fallback. NUT 2.8.0:
// drivers/ietf-mib.c (ietf_mib), mapping 1.54.
var IETF = &MIB{
	Name: "ietf", Version: "1.54", Type: "ups",
	SysOIDs:  []string{"1.3.6.1.2.1.33"},
	ProbeOID: "1.3.6.1.2.1.33.1.1.1.0",
	Vars:     upsMIBRows,
	Cmds:     upsMIBCmds,
}

// upsMIBRows are the rows ietf and tripplite share.
var upsMIBRows = rows(system(SysDescr, SetString), []Var{
	{Name: "ups.mfr", OID: "1.3.6.1.2.1.33.1.1.1.0", Symbol: "UPS-MIB::upsIdentManufacturer.0", Poll: Once, Flags: String},
	{Name: "ups.model", OID: "1.3.6.1.2.1.33.1.1.2.0", Symbol: "UPS-MIB::upsIdentModel.0", Poll: Once, Flags: String},
	{Name: "ups.firmware", OID: "1.3.6.1.2.1.33.1.1.3.0", Symbol: "UPS-MIB::upsIdentUPSSoftwareVersion.0", Poll: Once, Flags: String},
	{Name: "ups.firmware.aux", OID: "1.3.6.1.2.1.33.1.1.4.0", Symbol: "UPS-MIB::upsIdentAgentSoftwareVersion.0", Poll: Once, Flags: String},
	{Name: "ups.status", OID: "1.3.6.1.2.1.33.1.2.1.0", Symbol: "UPS-MIB::upsBatteryStatus.0", Poll: Fast, Flags: String | Status, Lookup: ietfBattery},
	{Name: "battery.runtime", OID: "1.3.6.1.2.1.33.1.2.3.0", Symbol: "UPS-MIB::upsEstimatedMinutesRemaining.0", Mult: 60},
	{Name: "battery.charge", OID: "1.3.6.1.2.1.33.1.2.4.0", Symbol: "UPS-MIB::upsEstimatedChargeRemaining.0"},
	{Name: "battery.voltage", OID: "1.3.6.1.2.1.33.1.2.5.0", Symbol: "UPS-MIB::upsBatteryVoltage.0", Mult: 0.1},
	{Name: "battery.current", OID: "1.3.6.1.2.1.33.1.2.6.0", Symbol: "UPS-MIB::upsBatteryCurrent.0", Mult: 0.1},
	{Name: "battery.temperature", OID: "1.3.6.1.2.1.33.1.2.7.0", Symbol: "UPS-MIB::upsBatteryTemperature.0"},
	{Name: "input.phases", OID: "1.3.6.1.2.1.33.1.3.2.0", Symbol: "UPS-MIB::upsInputNumLines.0"},
	{Name: "input.frequency", OID: "1.3.6.1.2.1.33.1.3.3.1.2.1", Symbol: "UPS-MIB::upsInputFrequency.1", Mult: 0.1, Flags: Input1},
	{Name: "input.L1.frequency", OID: "1.3.6.1.2.1.33.1.3.3.1.2.1", Symbol: "UPS-MIB::upsInputFrequency.1", Mult: 0.1, Flags: Input3},
	{Name: "input.L2.frequency", OID: "1.3.6.1.2.1.33.1.3.3.1.2.2", Symbol: "UPS-MIB::upsInputFrequency.2", Mult: 0.1, Flags: Input3},
	{Name: "input.L3.frequency", OID: "1.3.6.1.2.1.33.1.3.3.1.2.3", Symbol: "UPS-MIB::upsInputFrequency.3", Mult: 0.1, Flags: Input3},
	{Name: "input.voltage", OID: "1.3.6.1.2.1.33.1.3.3.1.3.1", Symbol: "UPS-MIB::upsInputVoltage.1", Flags: Input1},
	{Name: "input.L1-N.voltage", OID: "1.3.6.1.2.1.33.1.3.3.1.3.1", Symbol: "UPS-MIB::upsInputVoltage.1", Flags: Input3},
	{Name: "input.L2-N.voltage", OID: "1.3.6.1.2.1.33.1.3.3.1.3.2", Symbol: "UPS-MIB::upsInputVoltage.2", Flags: Input3},
	{Name: "input.L3-N.voltage", OID: "1.3.6.1.2.1.33.1.3.3.1.3.3", Symbol: "UPS-MIB::upsInputVoltage.3", Flags: Input3},
	{Name: "input.current", OID: "1.3.6.1.2.1.33.1.3.3.1.4.1", Symbol: "UPS-MIB::upsInputCurrent.1", Mult: 0.1, Flags: Input1},
	{Name: "input.L1.current", OID: "1.3.6.1.2.1.33.1.3.3.1.4.1", Symbol: "UPS-MIB::upsInputCurrent.1", Mult: 0.1, Flags: Input3},
	{Name: "input.L2.current", OID: "1.3.6.1.2.1.33.1.3.3.1.4.2", Symbol: "UPS-MIB::upsInputCurrent.2", Mult: 0.1, Flags: Input3},
	{Name: "input.L3.current", OID: "1.3.6.1.2.1.33.1.3.3.1.4.3", Symbol: "UPS-MIB::upsInputCurrent.3", Mult: 0.1, Flags: Input3},
	{Name: "input.realpower", OID: "1.3.6.1.2.1.33.1.3.3.1.5.1", Symbol: "UPS-MIB::upsInputTruePower.1", Flags: Input1},
	{Name: "input.L1.realpower", OID: "1.3.6.1.2.1.33.1.3.3.1.5.1", Symbol: "UPS-MIB::upsInputTruePower.1", Flags: Input3},
	{Name: "input.L2.realpower", OID: "1.3.6.1.2.1.33.1.3.3.1.5.2", Symbol: "UPS-MIB::upsInputTruePower.2", Flags: Input3},
	{Name: "input.L3.realpower", OID: "1.3.6.1.2.1.33.1.3.3.1.5.3", Symbol: "UPS-MIB::upsInputTruePower.3", Flags: Input3},
	{Name: "ups.status", OID: "1.3.6.1.2.1.33.1.4.1.0", Symbol: "UPS-MIB::upsOutputSource.0", Poll: Fast, Flags: String | Status, Lookup: ietfPowerSource},
	{Name: "output.frequency", OID: "1.3.6.1.2.1.33.1.4.2.0", Symbol: "UPS-MIB::upsOutputFrequency.0", Mult: 0.1},
	{Name: "output.phases", OID: "1.3.6.1.2.1.33.1.4.3.0", Symbol: "UPS-MIB::upsOutputNumLines.0"},
	{Name: "output.voltage", OID: "1.3.6.1.2.1.33.1.4.4.1.2.1", Symbol: "UPS-MIB::upsOutputVoltage.1", Flags: Output1},
	{Name: "output.L1-N.voltage", OID: "1.3.6.1.2.1.33.1.4.4.1.2.1", Symbol: "UPS-MIB::upsOutputVoltage.1", Flags: Output3},
	{Name: "output.L2-N.voltage", OID: "1.3.6.1.2.1.33.1.4.4.1.2.2", Symbol: "UPS-MIB::upsOutputVoltage.2", Flags: Output3},
	{Name: "output.L3-N.voltage", OID: "1.3.6.1.2.1.33.1.4.4.1.2.3", Symbol: "UPS-MIB::upsOutputVoltage.3", Flags: Output3},
	{Name: "output.current", OID: "1.3.6.1.2.1.33.1.4.4.1.3.1", Symbol: "UPS-MIB::upsOutputCurrent.1", Mult: 0.1, Flags: Output1},
	{Name: "output.L1.current", OID: "1.3.6.1.2.1.33.1.4.4.1.3.1", Symbol: "UPS-MIB::upsOutputCurrent.1", Mult: 0.1, Flags: Output3},
	{Name: "output.L2.current", OID: "1.3.6.1.2.1.33.1.4.4.1.3.2", Symbol: "UPS-MIB::upsOutputCurrent.2", Mult: 0.1, Flags: Output3},
	{Name: "output.L3.current", OID: "1.3.6.1.2.1.33.1.4.4.1.3.3", Symbol: "UPS-MIB::upsOutputCurrent.3", Mult: 0.1, Flags: Output3},
	{Name: "output.realpower", OID: "1.3.6.1.2.1.33.1.4.4.1.4.1", Symbol: "UPS-MIB::upsOutputPower.1", Flags: Output1},
	{Name: "output.L1.realpower", OID: "1.3.6.1.2.1.33.1.4.4.1.4.1", Symbol: "UPS-MIB::upsOutputPower.1", Flags: Output3},
	{Name: "output.L2.realpower", OID: "1.3.6.1.2.1.33.1.4.4.1.4.2", Symbol: "UPS-MIB::upsOutputPower.2", Flags: Output3},
	{Name: "output.L3.realpower", OID: "1.3.6.1.2.1.33.1.4.4.1.4.3", Symbol: "UPS-MIB::upsOutputPower.3", Flags: Output3},
	{Name: "ups.load", OID: "1.3.6.1.2.1.33.1.4.4.1.5.1", Symbol: "UPS-MIB::upsOutputPercentLoad.1", Flags: Output1},
	{Name: "output.L1.power.percent", OID: "1.3.6.1.2.1.33.1.4.4.1.5.1", Symbol: "UPS-MIB::upsOutputPercentLoad.1", Flags: Output3},
	{Name: "output.L2.power.percent", OID: "1.3.6.1.2.1.33.1.4.4.1.5.2", Symbol: "UPS-MIB::upsOutputPercentLoad.2", Flags: Output3},
	{Name: "output.L3.power.percent", OID: "1.3.6.1.2.1.33.1.4.4.1.5.3", Symbol: "UPS-MIB::upsOutputPercentLoad.3", Flags: Output3},
	{Name: "input.bypass.phases", OID: "1.3.6.1.2.1.33.1.5.2.0", Symbol: "UPS-MIB::upsBypassNumLines.0"},
	{Name: "input.bypass.frequency", OID: "1.3.6.1.2.1.33.1.5.1.0", Symbol: "UPS-MIB::upsBypassFrequency.0", Mult: 0.1, Flags: Bypass1 | Bypass3},
	{Name: "input.bypass.voltage", OID: "1.3.6.1.2.1.33.1.5.3.1.2.1", Symbol: "UPS-MIB::upsBypassVoltage.1", Flags: Bypass1},
	{Name: "input.bypass.L1-N.voltage", OID: "1.3.6.1.2.1.33.1.5.3.1.2.1", Symbol: "UPS-MIB::upsBypassVoltage.1", Flags: Bypass3},
	{Name: "input.bypass.L2-N.voltage", OID: "1.3.6.1.2.1.33.1.5.3.1.2.2", Symbol: "UPS-MIB::upsBypassVoltage.2", Flags: Bypass3},
	{Name: "input.bypass.L3-N.voltage", OID: "1.3.6.1.2.1.33.1.5.3.1.2.3", Symbol: "UPS-MIB::upsBypassVoltage.3", Flags: Bypass3},
	{Name: "input.bypass.current", OID: "1.3.6.1.2.1.33.1.5.3.1.3.1", Symbol: "UPS-MIB::upsBypassCurrent.1", Mult: 0.1, Flags: Bypass1},
	{Name: "input.bypass.L1.current", OID: "1.3.6.1.2.1.33.1.5.3.1.3.1", Symbol: "UPS-MIB::upsBypassCurrent.1", Mult: 0.1, Flags: Bypass3},
	{Name: "input.bypass.L2.current", OID: "1.3.6.1.2.1.33.1.5.3.1.3.2", Symbol: "UPS-MIB::upsBypassCurrent.2", Mult: 0.1, Flags: Bypass3},
	{Name: "input.bypass.L3.current", OID: "1.3.6.1.2.1.33.1.5.3.1.3.3", Symbol: "UPS-MIB::upsBypassCurrent.3", Mult: 0.1, Flags: Bypass3},
	{Name: "input.bypass.realpower", OID: "1.3.6.1.2.1.33.1.5.3.1.4.1", Symbol: "UPS-MIB::upsBypassPower.1", Flags: Bypass1},
	{Name: "input.bypass.L1.realpower", OID: "1.3.6.1.2.1.33.1.5.3.1.4.1", Symbol: "UPS-MIB::upsBypassPower.1", Flags: Bypass3},
	{Name: "input.bypass.L2.realpower", OID: "1.3.6.1.2.1.33.1.5.3.1.4.2", Symbol: "UPS-MIB::upsBypassPower.2", Flags: Bypass3},
	{Name: "input.bypass.L3.realpower", OID: "1.3.6.1.2.1.33.1.5.3.1.4.3", Symbol: "UPS-MIB::upsBypassPower.3", Flags: Bypass3},
	{Name: "ups.status", OID: "1.3.6.1.2.1.33.1.6.3.8", Symbol: "UPS-MIB::upsAlarmOutputOverload", Poll: Fast, Flags: String | Status, Lookup: ietfOverload},
	{Name: "ups.status", OID: "1.3.6.1.2.1.33.1.7.1.0", Symbol: "UPS-MIB::upsTestId.0", Poll: Fast, Flags: String | Status, Lookup: ietfTestActive},
	{Name: "ups.test.result", OID: "1.3.6.1.2.1.33.1.7.3.0", Symbol: "UPS-MIB::upsTestResultsSummary.0", Flags: String, Lookup: ietfTestResult},
	{Name: "ups.timer.shutdown", OID: "1.3.6.1.2.1.33.1.8.2.0", Symbol: "UPS-MIB::upsShutdownAfterDelay.0", Set: SetInteger, Flags: String},
	{Name: "ups.timer.start", OID: "1.3.6.1.2.1.33.1.8.3.0", Symbol: "UPS-MIB::upsStartupAfterDelay.0", Set: SetInteger, Flags: String},
	{Name: "ups.timer.reboot", OID: "1.3.6.1.2.1.33.1.8.4.0", Symbol: "UPS-MIB::upsRebootWithDuration.0", Set: SetInteger, Flags: String},
	{Name: "ups.start.auto", OID: "1.3.6.1.2.1.33.1.8.5.0", Symbol: "UPS-MIB::upsAutoRestart.0", Flags: String, Lookup: yesNo},
	{Name: "input.voltage.nominal", OID: "1.3.6.1.2.1.33.1.9.1.0", Symbol: "UPS-MIB::upsConfigInputVoltage.0"},
	{Name: "input.frequency.nominal", OID: "1.3.6.1.2.1.33.1.9.2.0", Symbol: "UPS-MIB::upsConfigInputFreq.0", Mult: 0.1},
	{Name: "output.voltage.nominal", OID: "1.3.6.1.2.1.33.1.9.3.0", Symbol: "UPS-MIB::upsConfigOutputVoltage.0"},
	{Name: "output.frequency.nominal", OID: "1.3.6.1.2.1.33.1.9.4.0", Symbol: "UPS-MIB::upsConfigOutputFreq.0", Mult: 0.1},
	{Name: "output.power.nominal", OID: "1.3.6.1.2.1.33.1.9.5.0", Symbol: "UPS-MIB::upsConfigOutputVA.0"},
	{Name: "output.realpower.nominal", OID: "1.3.6.1.2.1.33.1.9.6.0", Symbol: "UPS-MIB::upsConfigOutputPower.0"},
	{Name: "battery.runtime.low", OID: "1.3.6.1.2.1.33.1.9.7.0", Symbol: "UPS-MIB::upsConfigLowBattTime.0", Mult: 60},
	{Name: "ups.beeper.status", OID: "1.3.6.1.2.1.33.1.9.8.0", Symbol: "UPS-MIB::upsConfigAudibleStatus.0", Poll: Fast, Flags: String, Lookup: beeperStatus},
	{Name: "input.transfer.low", OID: "1.3.6.1.2.1.33.1.9.9.0", Symbol: "UPS-MIB::upsConfigLowVoltageTransferPoint.0"},
	{Name: "input.transfer.high", OID: "1.3.6.1.2.1.33.1.9.10.0", Symbol: "UPS-MIB::upsConfigHighVoltageTransferPoint.0"},
})

var upsMIBCmds = []Cmd{
	{Name: "test.battery.stop", OID: "1.3.6.1.2.1.33.1.7.1.0", Symbol: "UPS-MIB::upsTestId.0"},
	{Name: "test.battery.start", OID: "1.3.6.1.2.1.33.1.7.1.0", Symbol: "UPS-MIB::upsTestId.0"},
	{Name: "test.battery.start.quick", OID: "1.3.6.1.2.1.33.1.7.1.0", Symbol: "UPS-MIB::upsTestId.0"},
	{Name: "test.battery.start.deep", OID: "1.3.6.1.2.1.33.1.7.1.0", Symbol: "UPS-MIB::upsTestId.0"},
	{Name: "load.off", OID: "1.3.6.1.2.1.33.1.8.2.0", Symbol: "UPS-MIB::upsShutdownAfterDelay.0"},
	{Name: "load.on", OID: "1.3.6.1.2.1.33.1.8.3.0", Symbol: "UPS-MIB::upsStartupAfterDelay.0"},
	{Name: "beeper.disable", OID: "1.3.6.1.2.1.33.1.9.8.0", Symbol: "UPS-MIB::upsConfigAudibleStatus.0", Value: 1},
	{Name: "beeper.enable", OID: "1.3.6.1.2.1.33.1.9.8.0", Symbol: "UPS-MIB::upsConfigAudibleStatus.0", Value: 2},
	{Name: "beeper.mute", OID: "1.3.6.1.2.1.33.1.9.8.0", Symbol: "UPS-MIB::upsConfigAudibleStatus.0", Value: 3},
}

// Lookups (SNMP value → NUT value).
var (
	ietfBattery     = Lookup{{1, ""}, {2, ""}, {3, "LB"}, {4, "LB"}}                                                                                               // ietf_battery_info
	ietfPowerSource = Lookup{{1, ""}, {2, "OFF"}, {3, "OL"}, {4, "OL BYPASS"}, {5, "OB"}, {6, "OL BOOST"}, {7, "OL TRIM"}}                                         // ietf_power_source_info
	ietfOverload    = Lookup{{1, "OVER"}}                                                                                                                          // ietf_overload_info
	ietfTestActive  = Lookup{{1, ""}, {2, ""}, {3, "TEST"}, {4, "TEST"}, {5, "CAL"}}                                                                               // ietf_test_active_info
	ietfTestResult  = Lookup{{1, "done and passed"}, {2, "done and warning"}, {3, "done and error"}, {4, "aborted"}, {5, "in progress"}, {6, "no test initiated"}} // ietf_test_result_info
)
