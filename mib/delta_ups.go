package mib

// DeltaUPS: Delta UPS cards (DeltaUPS-MIB, enterprise 2254.2.4). NUT
// 2.8.0: drivers/delta_ups-mib.c (delta_ups_mib), mapping 0.5.
var DeltaUPS = &MIB{
	Name: "delta_ups", Version: "0.5", Type: "ups",
	SysOIDs: []string{"1.3.6.1.4.1.2254.2.4"},
	Vars: rows(system(SysDescr, SetString), []Var{
		{Name: "ups.mfr", OID: "1.3.6.1.4.1.2254.2.4.1.1.0", Symbol: "DeltaUPS-MIB::dupsIdentManufacturer.0", Flags: String},
		{Name: "ups.model", OID: "1.3.6.1.4.1.2254.2.4.1.2.0", Symbol: "DeltaUPS-MIB::dupsIdentModel.0", Flags: String},
		{Name: "ups.firmware", OID: "1.3.6.1.4.1.2254.2.4.1.4.0", Symbol: "DeltaUPS-MIB::dupsIdentAgentSoftwareVersion.0", Flags: String},
		{Name: "ups.firmware.aux", OID: "1.3.6.1.4.1.2254.2.4.1.3.0", Symbol: "DeltaUPS-MIB::dupsIdentUPSSoftwareVersion.0", Flags: String},
		{Name: "ups.type", OID: "1.3.6.1.4.1.2254.2.4.1.19.0", Symbol: "DeltaUPS-MIB::dupsType.0", Lookup: deltaUpsUpstype},
		{Name: "ups.load", OID: "1.3.6.1.4.1.2254.2.4.5.7.0", Symbol: "DeltaUPS-MIB::dupsOutputLoad1.0"},
		{Name: "ups.power", OID: "1.3.6.1.4.1.2254.2.4.1.7.0", Symbol: "DeltaUPS-MIB::dupsRatingOutputVA.0"},
		{Name: "output.voltage.nominal", OID: "1.3.6.1.4.1.2254.2.4.1.8.0", Symbol: "DeltaUPS-MIB::dupsRatingOutputVoltage.0"},
		{Name: "output.voltage", OID: "1.3.6.1.4.1.2254.2.4.5.4.0", Symbol: "DeltaUPS-MIB::dupsOutputVoltage1.0", Mult: 0.1},
		{Name: "output.frequency.nominal", OID: "1.3.6.1.4.1.2254.2.4.1.9.0", Symbol: "DeltaUPS-MIB::dupsRatingOutputFrequency.0"},
		{Name: "output.current", OID: "1.3.6.1.4.1.2254.2.4.5.5.0", Symbol: "DeltaUPS-MIB::dupsOutputCurrent1.0", Mult: 0.1},
		{Name: "input.voltage.nominal", OID: "1.3.6.1.4.1.2254.2.4.1.10.0", Symbol: "DeltaUPS-MIB::dupsRatingInputVoltage.0"},
		{Name: "input.voltage", OID: "1.3.6.1.4.1.2254.2.4.4.3.0", Symbol: "DeltaUPS-MIB::dupsInputVoltage1.0", Mult: 0.1},
		{Name: "input.frequency.nominal", OID: "1.3.6.1.4.1.2254.2.4.1.11.0", Symbol: "DeltaUPS-MIB::dupsRatingInputFrequency.0"},
		{Name: "input.frequency", OID: "1.3.6.1.4.1.2254.2.4.4.2.0", Symbol: "DeltaUPS-MIB::dupsInputFrequency1.0", Mult: 0.1},
		{Name: "ups.status", OID: "1.3.6.1.4.1.2254.2.4.5.1.0", Symbol: "DeltaUPS-MIB::dupsOutputSource.0", Poll: Fast, Flags: Status, Lookup: deltaUpsPwr},
	}),
}

// Lookups (SNMP value → NUT value).
var (
	deltaUpsUpstype = Lookup{{1, "on-line"}, {2, "off-line"}, {3, "line-interactive"}, {4, "3phase"}, {5, "splite-phase"}} // delta_ups_upstype_info
	deltaUpsPwr     = Lookup{{0, "OL"}, {1, "OB"}, {2, "BYPASS"}, {3, "TRIM"}, {4, "BOOST"}, {5, "BYPASS"}, {7, "OFF"}}    // delta_ups_pwr_info
)
