package mib

// APCATS: APC automatic transfer switches (PowerNet-MIB
// atsIdent/atsStatus/atsInput/atsOutput groups). Input sources and outlet
// groups are templates. NUT 2.8.0: drivers/apc-ats-mib.c (apc_ats_mib),
// mapping 0.6.
var APCATS = &MIB{
	Name: "apc_ats", Version: "0.6", Type: "ats",
	SysOIDs:  []string{"1.3.6.1.4.1.318.1.3.11"},
	ProbeOID: "1.3.6.1.4.1.318.1.1.8.1.5.0",
	Vars: rows(system(SysDescr, SetString), []Var{
		constant("device.type", "ats"),
		constant("device.mfr", "APC"),
		{Name: "device.model", OID: "1.3.6.1.4.1.318.1.1.8.1.5.0", Symbol: "PowerNet-MIB::atsIdentModelNumber.0", Flags: String},
		{Name: "ups.firmware", OID: "1.3.6.1.4.1.318.1.1.8.1.1.0", Symbol: "PowerNet-MIB::atsIdentHardwareRev.0", Flags: String},
		{Name: "ups.firmware.aux", OID: "1.3.6.1.4.1.318.1.1.8.1.2.0", Symbol: "PowerNet-MIB::atsIdentFirmwareRev.0", Flags: String},
		{Name: "device.serial", OID: "1.3.6.1.4.1.318.1.1.8.1.6.0", Symbol: "PowerNet-MIB::atsIdentSerialNumber.0", Flags: String},
		{Name: "ups.mfr.date", OID: "1.3.6.1.4.1.318.1.1.8.1.4.0", Symbol: "PowerNet-MIB::atsIdentDateOfManufacture.0", Flags: String},
		{Name: "ups.id", OID: "1.3.6.1.4.1.318.1.1.8.4.1.0", Symbol: "PowerNet-MIB::atsConfigProductName.0", Flags: String},
		{Name: "input.voltage.nominal", OID: "1.3.6.1.4.1.318.1.1.8.1.7.0", Symbol: "PowerNet-MIB::atsIdentNominalLineVoltage.0"},
		{Name: "input.frequency.nominal", OID: "1.3.6.1.4.1.318.1.1.8.1.8.0", Symbol: "PowerNet-MIB::atsIdentNominalLineFrequency.0"},
		{Name: "input.source", OID: "1.3.6.1.4.1.318.1.1.8.5.1.2.0", Symbol: "PowerNet-MIB::atsStatusSelectedSource.0"},
		{Name: "input.source.preferred", OID: "1.3.6.1.4.1.318.1.1.8.4.2.0", Symbol: "PowerNet-MIB::atsConfigPreferredSource.0", Set: SetInteger},
		{Name: "input.1.voltage", OID: "1.3.6.1.4.1.318.1.1.8.5.3.3.1.3.1.1.1", Symbol: "PowerNet-MIB::atsInputVoltage.1.1.1"},
		{Name: "input.2.voltage", OID: "1.3.6.1.4.1.318.1.1.8.5.3.3.1.3.2.1.1", Symbol: "PowerNet-MIB::atsInputVoltage.2.1.1"},
		{Name: "input.1.frequency", OID: "1.3.6.1.4.1.318.1.1.8.5.3.2.1.4.1", Symbol: "PowerNet-MIB::atsInputFrequency.1"},
		{Name: "input.2.frequency", OID: "1.3.6.1.4.1.318.1.1.8.5.3.2.1.4.2", Symbol: "PowerNet-MIB::atsInputFrequency.2"},
		{Name: "input.sensitivity", OID: "1.3.6.1.4.1.318.1.1.8.4.4.0", Symbol: "PowerNet-MIB::atsConfigVoltageSensitivity.0", Set: SetInteger, Lookup: apcAtsSensitivity},
		{Name: "input.count", OID: "1.3.6.1.4.1.318.1.1.8.5.3.1.0", Symbol: "PowerNet-MIB::atsNumInputs.0"},
		{Name: "output.frequency", OID: "1.3.6.1.4.1.318.1.1.8.5.4.2.1.4.1", Symbol: "PowerNet-MIB::atsOutputFrequency.1"},
		{Name: "output.voltage", OID: "1.3.6.1.4.1.318.1.1.8.5.4.5.1.6.1", Symbol: "PowerNet-MIB::atsOutputBankOutputVoltage.1"},
		{Name: "ups.status", OID: "1.3.6.1.4.1.318.1.1.8.5.1.15.0", Symbol: "PowerNet-MIB::atsStatusVoltageOutStatus.0", Poll: Fast, Flags: Status, Lookup: apcAtsOutputStatus},
		{Name: "outlet.group.count", OID: "1.3.6.1.4.1.318.1.1.8.5.4.4.0", Symbol: "PowerNet-MIB::atsOutputBankTableSize.0"},
		{Name: "outlet.group.%i.id", OID: "1.3.6.1.4.1.318.1.1.8.5.4.5.1.1.%i", Symbol: "PowerNet-MIB::atsOutputBankTableIndex.%i", Flags: Group},
		{Name: "outlet.group.%i.name", OID: "1.3.6.1.4.1.318.1.1.8.5.4.5.1.3.%i", Symbol: "PowerNet-MIB::atsOutputBank.%i", Poll: Once, Flags: String | Group, Lookup: apcAtsOutletgroupsName},
		{Name: "outlet.group.%i.current", OID: "1.3.6.1.4.1.318.1.1.8.5.4.5.1.4.%i", Symbol: "PowerNet-MIB::atsOutputBankCurrent.%i", Mult: 0.1, Flags: Group},
		{Name: "outlet.group.%i.status", OID: "1.3.6.1.4.1.318.1.1.8.5.4.5.1.5.%i", Symbol: "PowerNet-MIB::atsOutputBankState.%i", Poll: Fast, Flags: String | Group, Lookup: apcAtsOutletgroupsStatus},
		{Name: "outlet.group.%i.voltage", OID: "1.3.6.1.4.1.318.1.1.8.5.4.5.1.6.%i", Symbol: "PowerNet-MIB::atsOutputBankOutputVoltage.%i", Flags: Group},
		{Name: "outlet.group.%i.realpower", OID: "1.3.6.1.4.1.318.1.1.8.5.4.5.1.15.%i", Symbol: "PowerNet-MIB::atsOutputBankPower.%i", Flags: NegInvalid | Group},
	}),
}

// Lookups (SNMP value → NUT value).
var (
	apcAtsSensitivity        = Lookup{{1, "high"}, {2, "low"}}                  // apc_ats_sensitivity_info
	apcAtsOutputStatus       = Lookup{{1, "OFF"}, {2, "OL"}}                    // apc_ats_output_status_info
	apcAtsOutletgroupsName   = Lookup{{1, "total"}, {2, "bank1"}, {3, "bank2"}} // apc_ats_outletgroups_name_info
	apcAtsOutletgroupsStatus = Lookup{{1, "OL"}, {2, ""}, {3, ""}, {4, "OVER"}} // apc_ats_outletgroups_status_info
)
