package mib

// PXGXUPS: Eaton Power Xpert Gateway UPS card (sysObjectID
// 1.3.6.1.4.1.534.2.12) reading the same XUPS-MIB table as pw. NUT 2.8.0:
// drivers/powerware-mib.c (pw_mib), mapping 0.104.
var PXGXUPS = &MIB{
	Name: "pxgx_ups", Version: "0.104", Type: "ups",
	SysOIDs:  []string{"1.3.6.1.4.1.534.2.12"},
	ProbeOID: "1.3.6.1.4.1.534.1.1.2.0",
	Vars:     xupsRows,
	Cmds:     xupsCmds,
	Alarms:   xupsAlarms,
}
