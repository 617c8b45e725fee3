package mib

// EatonATS30: Eaton ATS 30 (enterprise 534.10.1). NUT 2.8.0:
// drivers/eaton-ats30-mib.c (eaton_ats30_mib), mapping 0.03.
var EatonATS30 = &MIB{
	Name: "eaton_ats30", Version: "0.03", Type: "ats",
	SysOIDs:  []string{"1.3.6.1.4.1.534.10.1"},
	ProbeOID: "1.3.6.1.4.1.534.10.1.2.1.0",
	Vars: rows(system(SysDescr, SetString), []Var{
		constant("device.type", "ats"),
		{Name: "device.mfr", OID: "1.3.6.1.4.1.534.10.1.1.1.0", Symbol: "EATON-OIDS::sts.1.1.1.0", Poll: Once, Flags: String},
		{Name: "device.model", OID: "1.3.6.1.4.1.534.10.1.2.1.0", Symbol: "EATON-OIDS::sts.1.2.1.0", Poll: Once, Flags: String},
		{Name: "ups.firmware", OID: "1.3.6.1.4.1.534.10.1.2.2.0", Symbol: "EATON-OIDS::sts.1.2.2.0", Flags: String},
		{Name: "device.serial", OID: "1.3.6.1.4.1.534.10.1.2.4.0", Symbol: "EATON-OIDS::sts.1.2.4.0", Flags: String},
		{Name: "input.1.id", OID: "1.3.6.1.4.1.534.10.1.3.1.1.1.1", Symbol: "EATON-OIDS::sts.1.3.1.1.1.1"},
		{Name: "input.2.id", OID: "1.3.6.1.4.1.534.10.1.3.1.1.1.2", Symbol: "EATON-OIDS::sts.1.3.1.1.1.2"},
		{Name: "input.1.voltage", OID: "1.3.6.1.4.1.534.10.1.3.1.1.2.1", Symbol: "EATON-OIDS::sts.1.3.1.1.2.1", Mult: 0.1},
		{Name: "input.2.voltage", OID: "1.3.6.1.4.1.534.10.1.3.1.1.2.2", Symbol: "EATON-OIDS::sts.1.3.1.1.2.2", Mult: 0.1},
		{Name: "input.1.frequency", OID: "1.3.6.1.4.1.534.10.1.3.1.1.3.1", Symbol: "EATON-OIDS::sts.1.3.1.1.3.1", Mult: 0.1},
		{Name: "input.2.frequency", OID: "1.3.6.1.4.1.534.10.1.3.1.1.3.2", Symbol: "EATON-OIDS::sts.1.3.1.1.3.2", Mult: 0.1},
		{Name: "output.voltage", OID: "1.3.6.1.4.1.534.10.1.3.2.1.0", Symbol: "EATON-OIDS::sts.1.3.2.1.0", Mult: 0.1},
		{Name: "output.current", OID: "1.3.6.1.4.1.534.10.1.3.2.2.0", Symbol: "EATON-OIDS::sts.1.3.2.2.0", Mult: 0.1},
		{Name: "ups.temperature", OID: "1.3.6.1.4.1.534.10.1.3.3.0", Symbol: "EATON-OIDS::sts.1.3.3.0"},
		{Name: "device.uptime", OID: "1.3.6.1.4.1.534.10.1.3.5.0", Symbol: "EATON-OIDS::sts.1.3.5.0"},
		{Name: "input.source", OID: "1.3.6.1.4.1.534.10.1.3.7.0", Symbol: "EATON-OIDS::sts.1.3.7.0", Lookup: eatonAts30Source},
		{Name: "ups.status", OID: "1.3.6.1.4.1.534.10.1.4.5.0", Symbol: "EATON-OIDS::sts.1.4.5.0", Poll: Fast, Flags: Status, Lookup: eatonAts30Status},
		{Name: "input.source.preferred", OID: "1.3.6.1.4.1.534.10.1.6.5.0", Symbol: "EATON-OIDS::sts.1.6.5.0", Set: SetInteger},
		{Name: "input.sensitivity", OID: "1.3.6.1.4.1.534.10.1.6.6.0", Symbol: "EATON-OIDS::sts.1.6.6.0", Set: SetInteger, Lookup: eatonAts30InputSensitivity},
	}),
}

// Lookups (SNMP value → NUT value).
var (
	eatonAts30Source           = Lookup{{1, "init"}, {2, "diagnosis"}, {3, "off"}, {4, "1"}, {5, "2"}, {6, "safe"}, {7, "fault"}}                                                                                                                                             // eaton_ats30_source_info
	eatonAts30Status           = Lookup{{0, "OL"}, {1, "OL"}, {2, "OFF"}, {3, "OFF"}, {4, "OL OVER"}, {5, "OL OVER"}, {6, "OFF OVER"}, {7, "OFF OVER"}, {8, "OL"}, {9, "OL"}, {10, "OFF"}, {11, "OFF"}, {12, "OL OVER"}, {13, "OL OVER"}, {14, "OFF OVER"}, {15, "OFF OVER"}} // eaton_ats30_status_info
	eatonAts30InputSensitivity = Lookup{{1, "high"}, {2, "low"}}                                                                                                                                                                                                              // eaton_ats30_input_sensitivity
)
