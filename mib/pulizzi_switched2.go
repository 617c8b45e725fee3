package mib

// PulizziSwitched2: Eaton G1 Pulizzi switched ePDUs, sysObjectID …20677.2;
// same table as pulizzi_switched1. NUT 2.8.0:
// drivers/eaton-pdu-pulizzi-mib.c (eaton_pulizzi_switched_mib), mapping
// 0.5.
var PulizziSwitched2 = &MIB{
	Name: "pulizzi_switched2", Version: "0.5", Type: "pdu",
	SysOIDs:  []string{"1.3.6.1.4.1.20677.2"},
	ProbeOID: "1.3.6.1.4.1.20677.1",
	Vars:     pulizziRows,
	Cmds:     pulizziCmds,
}
