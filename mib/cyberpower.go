package mib

// CyberPower: CyberPower RMCARD UPS (CPS-MIB). NUT 2.8.0:
// drivers/cyberpower-mib.c (cyberpower_mib), mapping 0.51.
//
// Two places differ from NUT 2.8.0 on purpose. NUT writes the commands'
// values (2: on, 3: the other action) where a number's scale belongs and
// leaves their value empty, so its commands fail without a parameter;
// here they are the values. And NUT's upsBaseOutputStatus lookup starts
// with the "NULL" that ends a lookup, so NUT never reads a status from
// it; here unknown(1) adds no word and the others read as meant.
var CyberPower = &MIB{
	Name: "cyberpower", Version: "0.51", Type: "ups",
	SysOIDs:  []string{"1.3.6.1.4.1.3808.1.1.1"},
	ProbeOID: "1.3.6.1.4.1.3808.1.1.1.1.1.1.0",
	Vars: rows(system(SysDescr, SetString), []Var{
		constant("device.type", "ups"),
		constant("ups.mfr", "CYBERPOWER"),
		{Name: "ups.model", OID: "1.3.6.1.4.1.3808.1.1.1.1.1.1.0", Symbol: "CPS-MIB::upsBaseIdentModel.0", Poll: Once, Flags: String},
		{Name: "ups.serial", OID: "1.3.6.1.4.1.3808.1.1.1.1.2.3.0", Symbol: "CPS-MIB::upsAdvanceIdentSerialNumber.0", Poll: Once, Flags: String},
		{Name: "ups.firmware", OID: "1.3.6.1.4.1.3808.1.1.1.1.2.1.0", Symbol: "CPS-MIB::upsAdvanceIdentFirmwareRevision.0", Poll: Once, Flags: String},
		{Name: "ups.mfr.date", OID: "1.3.6.1.4.1.3808.1.1.1.1.2.2.0", Symbol: "CPS-MIB::upsAdvanceIdentDateOfManufacture.0", Flags: String},
		{Name: "ups.status", OID: "1.3.6.1.4.1.3808.1.1.1.4.1.1.0", Symbol: "CPS-MIB::upsBaseOutputStatus.0", Poll: Fast, Flags: String | Status, Lookup: cyberpowerPowerStatus},
		{Name: "ups.status", OID: "1.3.6.1.4.1.3808.1.1.1.2.1.1.0", Symbol: "CPS-MIB::upsBaseBatteryStatus.0", Poll: Fast, Flags: String | Status, Lookup: cyberpowerBatteryStatus},
		{Name: "ups.status", OID: "1.3.6.1.4.1.3808.1.1.1.7.2.7.0", Symbol: "CPS-MIB::upsAdvanceTestEstimationResults.0", Poll: Fast, Flags: String | Status, Lookup: cyberpowerCalStatus},
		{Name: "ups.status", OID: "1.3.6.1.4.1.3808.1.1.1.2.2.5.0", Symbol: "CPS-MIB::upsAdvanceBatteryReplaceIndicator.0", Poll: Fast, Flags: String | Status, Lookup: cyberpowerBattreplStatus},
		{Name: "ups.load", OID: "1.3.6.1.4.1.3808.1.1.1.4.2.3.0", Symbol: "CPS-MIB::upsAdvanceOutputLoad.0"},
		{Name: "battery.runtime", OID: "1.3.6.1.4.1.3808.1.1.1.2.2.4.0", Symbol: "CPS-MIB::upsAdvanceBatteryRunTimeRemaining.0"},
		{Name: "battery.runtime.elapsed", OID: "1.3.6.1.4.1.3808.1.1.1.2.1.2.0", Symbol: "CPS-MIB::upsBaseBatteryTimeOnBattery.0"},
		{Name: "battery.voltage", OID: "1.3.6.1.2.1.33.1.2.5.0", Symbol: "UPS-MIB::upsBatteryVoltage.0", Mult: 0.1},
		{Name: "battery.voltage", OID: "1.3.6.1.4.1.3808.1.1.1.2.2.2.0", Symbol: "CPS-MIB::upsAdvanceBatteryVoltage.0", Mult: 0.1},
		{Name: "battery.voltage.nominal", OID: "1.3.6.1.4.1.3808.1.1.1.2.2.8.0", Symbol: "CPS-MIB::upsAdvanceBatteryVoltageRating.0"},
		{Name: "battery.current", OID: "1.3.6.1.4.1.3808.1.1.1.4.2.4.0", Symbol: "CPS-MIB::upsAdvanceOutputCurrent.0", Mult: 0.1},
		{Name: "battery.current", OID: "1.3.6.1.4.1.3808.1.1.1.2.2.7.0", Symbol: "CPS-MIB::upsAdvanceBatteryCurrent.0", Mult: 0.1},
		{Name: "battery.charge", OID: "1.3.6.1.4.1.3808.1.1.1.2.2.1.0", Symbol: "CPS-MIB::upsAdvanceBatteryCapacity.0"},
		{Name: "battery.temperature", OID: "1.3.6.1.4.1.3808.1.1.1.2.2.3.0", Symbol: "CPS-MIB::upsAdvanceBatteryTemperature.0"},
		{Name: "input.voltage", OID: "1.3.6.1.4.1.3808.1.1.1.3.2.1.0", Symbol: "CPS-MIB::upsAdvanceInputLineVoltage.0", Mult: 0.1},
		{Name: "input.frequency", OID: "1.3.6.1.4.1.3808.1.1.1.3.2.4.0", Symbol: "CPS-MIB::upsAdvanceInputFrequency.0", Mult: 0.1},
		{Name: "output.voltage", OID: "1.3.6.1.4.1.3808.1.1.1.4.2.1.0", Symbol: "CPS-MIB::upsAdvanceOutputVoltage.0", Mult: 0.1},
		{Name: "output.frequency", OID: "1.3.6.1.4.1.3808.1.1.1.4.2.2.0", Symbol: "CPS-MIB::upsAdvanceOutputFrequency.0", Mult: 0.1},
		{Name: "output.current", OID: "1.3.6.1.4.1.3808.1.1.1.4.2.4.0", Symbol: "CPS-MIB::upsAdvanceOutputCurrent.0", Mult: 0.1},
		{Name: "ups.delay.start", OID: "1.3.6.1.4.1.3808.1.1.1.5.2.9.0", Symbol: "CPS-MIB::upsAdvanceConfigReturnDelay.0", Set: SetTimeTicks},
		{Name: "ups.delay.reboot", Default: "0", Poll: Once, Flags: Absent},
		{Name: "ups.delay.shutdown", OID: "1.3.6.1.4.1.3808.1.1.1.5.2.11.0", Symbol: "CPS-MIB::upsAdvanceConfigSleepDelay.0", Set: SetTimeTicks},
	}),
	Cmds: []Cmd{
		{Name: "load.off", OID: "1.3.6.1.4.1.3808.1.1.1.6.2.1.0", Symbol: "CPS-MIB::upsAdvanceControlUpsOff.0", Value: 2},
		{Name: "load.on", OID: "1.3.6.1.4.1.3808.1.1.1.6.2.6.0", Symbol: "CPS-MIB::upsAdvanceControlTurnOnUPS.0", Value: 2},
		{Name: "shutdown.stayoff", OID: "1.3.6.1.4.1.3808.1.1.1.6.2.6.0", Symbol: "CPS-MIB::upsAdvanceControlTurnOnUPS.0", Value: 3},
		{Name: "shutdown.return", OID: "1.3.6.1.4.1.3808.1.1.1.6.2.3.0", Symbol: "CPS-MIB::upsAdvanceControlUpsSleep.0", Value: 3},
		{Name: "test.failure.start", OID: "1.3.6.1.4.1.3808.1.1.1.6.2.4.0", Symbol: "CPS-MIB::upsAdvanceControlSimulatePowerFail.0", Value: 2},
		{Name: "test.panel.start", OID: "1.3.6.1.4.1.3808.1.1.1.7.2.5.0", Symbol: "CPS-MIB::upsAdvanceTestIndicators.0", Value: 2},
		{Name: "test.battery.start", OID: "1.3.6.1.4.1.3808.1.1.1.7.2.2.0", Symbol: "CPS-MIB::upsAdvanceTestDiagnostics.0", Value: 2},
		{Name: "calibrate.start", OID: "1.3.6.1.4.1.3808.1.1.1.7.2.6.0", Symbol: "CPS-MIB::upsAdvanceTestRuntimeEstimation.0", Value: 2},
		{Name: "calibrate.stop", OID: "1.3.6.1.4.1.3808.1.1.1.7.2.6.0", Symbol: "CPS-MIB::upsAdvanceTestRuntimeEstimation.0", Value: 3},
	},
}

// Lookups (SNMP value → NUT value).
var (
	cyberpowerPowerStatus    = Lookup{{1, ""}, {2, "OL"}, {3, "OB"}, {4, "OL BOOST"}, {5, "OFF"}, {6, "OFF"}, {7, "OL"}, {8, "OL"}, {9, "OL BYPASS"}, {10, "OL TRIM"}, {11, "OL OVER"}} // cyberpower_power_status
	cyberpowerBatteryStatus  = Lookup{{1, ""}, {2, ""}, {3, "LB"}}                                                                                                                      // cyberpower_battery_status
	cyberpowerCalStatus      = Lookup{{1, ""}, {2, ""}, {3, "CAL"}}                                                                                                                     // cyberpower_cal_status
	cyberpowerBattreplStatus = Lookup{{1, ""}, {2, "RB"}}                                                                                                                               // cyberpower_battrepl_status
)
