package mib

// AphelGenesisII: Eaton G1 ePDUs of the Aphel 'Genesis II' (basic) line
// (enterprise 17373). NUT 2.8.0: drivers/eaton-pdu-genesis2-mib.c
// (eaton_aphel_genesisII_mib), mapping 0.52.
var AphelGenesisII = &MIB{
	Name: "aphel_genesisII", Version: "0.52", Type: "pdu",
	SysOIDs:  []string{"1.3.6.1.4.1.17373"},
	ProbeOID: "1.3.6.1.4.1.17373.3.1.1.0",
	Vars: rows(system(SysDescr, SetString), []Var{
		constant("device.mfr", "EATON | Powerware"),
		{Name: "device.model", OID: "1.3.6.1.4.1.17373.3.1.1.0", Symbol: "SNMPv2-SMI::enterprises.17373.3.1.1.0", Poll: Once, Flags: String},
		constant("device.type", "pdu"),
		{Name: "device.macaddr", OID: "1.3.6.1.4.1.17373.3.1.4.0", Symbol: "SNMPv2-SMI::enterprises.17373.3.1.4.0", Flags: String},
		constant("ups.mfr", "EATON | Powerware"),
		{Name: "ups.model", OID: "1.3.6.1.4.1.17373.3.1.1.0", Symbol: "SNMPv2-SMI::enterprises.17373.3.1.1.0", Poll: Once, Flags: String},
		{Name: "ups.id", OID: "1.3.6.1.4.1.17373.3.1.3.0", Symbol: "SNMPv2-SMI::enterprises.17373.3.1.3.0", Poll: Once, Flags: String},
		{Name: "ups.firmware", OID: "1.3.6.1.4.1.17373.3.1.2.0", Symbol: "SNMPv2-SMI::enterprises.17373.3.1.2.0", Poll: Once, Flags: String},
		constant("ups.type", "pdu"),
		{Name: "outlet.1.current", OID: "1.3.6.1.4.1.17373.3.2.1.0", Symbol: "SNMPv2-SMI::enterprises.17373.3.2.1.0", Mult: 0.1, Flags: NegInvalid},
		{Name: "outlet.2.current", OID: "1.3.6.1.4.1.17373.3.2.2.0", Symbol: "SNMPv2-SMI::enterprises.17373.3.2.2.0", Mult: 0.1, Flags: NegInvalid},
		{Name: "outlet.3.current", OID: "1.3.6.1.4.1.17373.3.2.3.0", Symbol: "SNMPv2-SMI::enterprises.17373.3.2.3.0", Mult: 0.1, Flags: NegInvalid},
		{Name: "outlet.4.current", OID: "1.3.6.1.4.1.17373.3.2.4.0", Symbol: "SNMPv2-SMI::enterprises.17373.3.2.4.0", Mult: 0.1, Flags: NegInvalid},
		{Name: "outlet.5.current", OID: "1.3.6.1.4.1.17373.3.2.5.0", Symbol: "SNMPv2-SMI::enterprises.17373.3.2.5.0", Mult: 0.1, Flags: NegInvalid},
		{Name: "outlet.6.current", OID: "1.3.6.1.4.1.17373.3.2.6.0", Symbol: "SNMPv2-SMI::enterprises.17373.3.2.6.0", Mult: 0.1, Flags: NegInvalid},
		{Name: "outlet.7.current", OID: "1.3.6.1.4.1.17373.3.2.7.0", Symbol: "SNMPv2-SMI::enterprises.17373.3.2.7.0", Mult: 0.1, Flags: NegInvalid},
		{Name: "outlet.8.current", OID: "1.3.6.1.4.1.17373.3.2.8.0", Symbol: "SNMPv2-SMI::enterprises.17373.3.2.8.0", Mult: 0.1, Flags: NegInvalid},
	}),
}
