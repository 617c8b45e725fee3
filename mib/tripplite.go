package mib

// TrippLite: Tripp Lite cards answering the UPS-MIB: the ietf table under
// the name tripplite, matched on sysObjectID 1.3.6.1.4.1.850.1. NUT 2.8.0:
// drivers/ietf-mib.c (ietf_mib), mapping 1.54.
var TrippLite = &MIB{
	Name: "tripplite", Version: "1.54", Type: "ups",
	SysOIDs: []string{"1.3.6.1.4.1.850.1"},
	Vars:    upsMIBRows,
	Cmds:    upsMIBCmds,
}
