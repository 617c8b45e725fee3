package mib

// EatonATS16NMC: Eaton ATS 16 with the legacy NMC card (EATON-ATS2-MIB
// objects under 534.10.2). NUT 2.8.0: drivers/eaton-ats16-nmc-mib.c
// (eaton_ats16_nmc_mib), mapping 0.21.
var EatonATS16NMC = &MIB{
	Name: "eaton_ats16_nmc", Version: "0.21", Type: "ats",
	SysOIDs:  []string{"1.3.6.1.4.1.705.1"},
	ProbeOID: "1.3.6.1.4.1.534.10.2.1.2.0",
	Vars: rows(system(SysDescr, SetString), []Var{
		constant("device.type", "ats"),
		{Name: "device.mfr", OID: "1.3.6.1.4.1.534.10.2.1.1.0", Symbol: "EATON-ATS2-MIB::ats2IdentManufacturer.0", Poll: Once, Flags: String},
		{Name: "device.model", OID: "1.3.6.1.4.1.534.10.2.1.2.0", Symbol: "EATON-ATS2-MIB::ats2IdentModel.0", Poll: Once, Flags: String},
		{Name: "ups.firmware", OID: "1.3.6.1.4.1.534.10.2.1.3.0", Symbol: "EATON-ATS2-MIB::ats2IdentFWVersion.0", Flags: String},
		{Name: "ups.firmware.aux", OID: "1.3.6.1.4.1.534.10.2.1.4.0", Symbol: "EATON-ATS2-MIB::ats2IdentRelease.0", Flags: String},
		{Name: "device.serial", OID: "1.3.6.1.4.1.534.10.2.1.5.0", Symbol: "EATON-ATS2-MIB::ats2IdentSerialNumber.0", Poll: Once, Flags: String},
		{Name: "device.part", OID: "1.3.6.1.4.1.534.10.2.1.6.0", Symbol: "EATON-ATS2-MIB::ats2IdentPartNumber.0", Poll: Once, Flags: String},
		{Name: "input.1.id", OID: "1.3.6.1.4.1.534.10.2.2.2.1.1.1", Symbol: "EATON-ATS2-MIB::ats2InputIndex.1", Poll: Once},
		{Name: "input.2.id", OID: "1.3.6.1.4.1.534.10.2.2.2.1.1.2", Symbol: "EATON-ATS2-MIB::ats2InputIndex.2", Poll: Once},
		{Name: "input.1.voltage", OID: "1.3.6.1.4.1.534.10.2.2.2.1.2.1", Symbol: "EATON-ATS2-MIB::ats2InputVoltage.1", Mult: 0.1},
		{Name: "input.2.voltage", OID: "1.3.6.1.4.1.534.10.2.2.2.1.2.2", Symbol: "EATON-ATS2-MIB::ats2InputVoltage.2", Mult: 0.1},
		{Name: "input.1.voltage.status", OID: "1.3.6.1.4.1.534.10.2.3.2.1.5.1", Symbol: "EATON-ATS2-MIB::ats2InputStatusVoltage.1", Poll: Fast, Flags: String, Lookup: eatonAts16NmcInputVoltageStatus},
		{Name: "input.2.voltage.status", OID: "1.3.6.1.4.1.534.10.2.3.2.1.5.2", Symbol: "EATON-ATS2-MIB::ats2InputStatusVoltage.2", Poll: Fast, Flags: String, Lookup: eatonAts16NmcInputVoltageStatus},
		{Name: "input.1.frequency", OID: "1.3.6.1.4.1.534.10.2.2.2.1.3.1", Symbol: "EATON-ATS2-MIB::ats2InputFrequency.1", Mult: 0.1},
		{Name: "input.2.frequency", OID: "1.3.6.1.4.1.534.10.2.2.2.1.3.2", Symbol: "EATON-ATS2-MIB::ats2InputFrequency.2", Mult: 0.1},
		{Name: "input.1.frequency.status", OID: "1.3.6.1.4.1.534.10.2.3.2.1.2.1", Symbol: "EATON-ATS2-MIB::ats2InputStatusFrequency.1", Poll: Fast, Flags: String, Lookup: eatonAts16NmcInputFrequencyStatus},
		{Name: "input.2.frequency.status", OID: "1.3.6.1.4.1.534.10.2.3.2.1.2.2", Symbol: "EATON-ATS2-MIB::ats2InputStatusFrequency.2", Poll: Fast, Flags: String, Lookup: eatonAts16NmcInputFrequencyStatus},
		{Name: "input.sensitivity", OID: "1.3.6.1.4.1.534.10.2.4.6.0", Symbol: "EATON-ATS2-MIB::ats2ConfigSensitivity.0", Mult: 128, Set: SetInteger, Lookup: eatonAts16NmcSensitivity},
		{Name: "input.source", OID: "1.3.6.1.4.1.534.10.2.2.4.0", Symbol: "EATON-ATS2-MIB::ats2OperationMode.0", Flags: String, Lookup: eatonAts16NmcSource},
		{Name: "input.source.preferred", OID: "1.3.6.1.4.1.534.10.2.4.5.0", Symbol: "EATON-ATS2-MIB::ats2ConfigPreferred.0", Set: SetInteger},
		{Name: "input.phase.shift", OID: "1.3.6.1.4.1.534.10.2.2.1.1.0", Symbol: "EATON-ATS2-MIB::ats2InputDephasing.0"},
		{Name: "output.voltage", OID: "1.3.6.1.4.1.534.10.2.2.3.1.0", Symbol: "EATON-ATS2-MIB::ats2OutputVoltage.0", Mult: 0.1},
		{Name: "output.voltage.nominal", OID: "1.3.6.1.4.1.534.10.2.4.4.0", Symbol: "EATON-ATS2-MIB::ats2ConfigOutputVoltage.0", Set: SetInteger},
		{Name: "output.current", OID: "1.3.6.1.4.1.534.10.2.2.3.2.0", Symbol: "EATON-ATS2-MIB::ats2OutputCurrent.0", Mult: 0.1},
		{Name: "ups.test.result", OID: "1.3.6.1.4.1.534.10.2.4.8.0", Symbol: "EATON-ATS2-MIB::ats2ConfigTransferTest.0", Lookup: eatonAts16NmcTestResult},
		{Name: "ups.status", OID: "1.3.6.1.4.1.534.10.2.3.3.2.0", Symbol: "EATON-ATS2-MIB::ats2StatusOutput.0", Poll: Fast, Flags: Status, Lookup: eatonAts16NmcOutputStatus},
		{Name: "ambient.temperature", OID: "1.3.6.1.4.1.534.10.2.5.1.0", Symbol: "EATON-ATS2-MIB::ats2EnvRemoteTemp.0", Mult: 0.1, Decimals: 1},
		{Name: "ambient.temperature.low", OID: "1.3.6.1.4.1.534.10.2.5.5.0", Symbol: "EATON-ATS2-MIB::ats2EnvRemoteTempLowerLimit.0", Set: SetInteger},
		{Name: "ambient.temperature.high", OID: "1.3.6.1.4.1.534.10.2.5.6.0", Symbol: "EATON-ATS2-MIB::ats2EnvRemoteTempUpperLimit.0", Set: SetInteger},
		{Name: "ambient.humidity", OID: "1.3.6.1.4.1.534.10.2.5.2.0", Symbol: "EATON-ATS2-MIB::ats2EnvRemoteHumidity.0", Mult: 0.1},
		{Name: "ambient.humidity.low", OID: "1.3.6.1.4.1.534.10.2.5.7.0", Symbol: "EATON-ATS2-MIB::ats2EnvRemoteHumidityLowerLimit.0", Set: SetInteger},
		{Name: "ambient.humidity.high", OID: "1.3.6.1.4.1.534.10.2.5.8.0", Symbol: "EATON-ATS2-MIB::ats2EnvRemoteHumidityUpperLimit.0", Set: SetInteger},
		{Name: "ambient.contacts.1.status", OID: "1.3.6.1.4.1.534.10.2.5.4.1.3.1", Symbol: "EATON-ATS2-MIB::ats2ContactState.1", Poll: Fast, Flags: String, Lookup: eatonAts16AmbientDrycontacts},
		{Name: "ambient.contacts.2.status", OID: "1.3.6.1.4.1.534.10.2.5.4.1.3.2", Symbol: "EATON-ATS2-MIB::ats2ContactState.2", Poll: Fast, Flags: String, Lookup: eatonAts16AmbientDrycontacts},
	}),
}

// Lookups (SNMP value → NUT value).
var (
	eatonAts16NmcInputVoltageStatus   = Lookup{{1, "good"}, {2, "derated-range"}, {3, "out-of-range"}, {4, "unknown"}}                                                               // eaton_ats16_nmc_input_voltage_status_info
	eatonAts16NmcInputFrequencyStatus = Lookup{{1, "good"}, {2, "out-of-range"}}                                                                                                     // eaton_ats16_nmc_input_frequency_status_info
	eatonAts16NmcSensitivity          = Lookup{{1, "normal"}, {2, "high"}, {3, "low"}}                                                                                               // eaton_ats16_nmc_sensitivity_info
	eatonAts16NmcSource               = Lookup{{1, "init"}, {2, "diagnosis"}, {3, "off"}, {4, "1"}, {5, "2"}, {6, "safe"}, {7, "fault"}}                                             // eaton_ats16_nmc_source_info
	eatonAts16NmcTestResult           = Lookup{{1, "done and passed"}, {2, "done and warning"}, {3, "done and error"}, {4, "aborted"}, {5, "in progress"}, {6, "no test initiated"}} // eaton_ats16_nmc_test_result_info
	eatonAts16NmcOutputStatus         = Lookup{{1, "OFF"}, {2, "OL"}}                                                                                                                // eaton_ats16_nmc_output_status_info
	eatonAts16AmbientDrycontacts      = Lookup{{-1, "unknown"}, {1, "opened"}, {2, "closed"}, {3, "opened"}, {4, "closed"}}                                                          // eaton_ats16_ambient_drycontacts_info
)
