package mib

// TrippLiteATS: Tripp Lite ATS/PDUs (TRIPPLITE-PRODUCTS tlpAts); NUT
// 2.8.0 has no table for them. See trippLite.
var TrippLiteATS = trippLite("tripplite_ats", "ats", "4", "Ats", []Var{
	// tlpAtsInputPhaseTable, indexed by device, phase and input source.
	{Name: "input.1.frequency", OID: "1.3.6.1.4.1.850.1.1.3.4.3.1.2.1.4.1.1.1", Symbol: "TRIPPLITE-PRODUCTS::tlpAtsInputPhaseFrequency.1.1.1", Mult: 0.1},
	{Name: "input.2.frequency", OID: "1.3.6.1.4.1.850.1.1.3.4.3.1.2.1.4.1.1.2", Symbol: "TRIPPLITE-PRODUCTS::tlpAtsInputPhaseFrequency.1.1.2", Mult: 0.1},
	{Name: "input.1.voltage", OID: "1.3.6.1.4.1.850.1.1.3.4.3.1.2.1.5.1.1.1", Symbol: "TRIPPLITE-PRODUCTS::tlpAtsInputPhaseVoltage.1.1.1", Mult: 0.1},
	{Name: "input.2.voltage", OID: "1.3.6.1.4.1.850.1.1.3.4.3.1.2.1.5.1.1.2", Symbol: "TRIPPLITE-PRODUCTS::tlpAtsInputPhaseVoltage.1.1.2", Mult: 0.1},
	{Name: "output.voltage", OID: "1.3.6.1.4.1.850.1.1.3.4.3.2.1.1.4.1.1", Symbol: "TRIPPLITE-PRODUCTS::tlpAtsOutputVoltage.1.1", Mult: 0.1},
	{Name: "output.frequency", OID: "1.3.6.1.4.1.850.1.1.3.4.3.2.1.1.11.1.1", Symbol: "TRIPPLITE-PRODUCTS::tlpAtsOutputFrequency.1.1", Mult: 0.1},
})

// trippLite makes the table of a Tripp Lite PDU or ATS/PDU
// (TRIPPLITE-PRODUCTS). Both report sysObjectID 1.3.6.1.4.1.850.1.1.1;
// the tlpPdu or tlpAts branch that has devices (tlp*IdentNum* > 0) tells
// them apart. The mapping follows the MIB: tlpDeviceTable for identity,
// the outlet table (tlpPduOutlet*, tlpAtsOutlet*: branch 2 or 4, named
// kind) with State off(1)/on(2), Controllable true(1)/false(2) and
// Command turnOff(1)/turnOn(2)/cycle(3).
func trippLite(name, typ, branch, kind string, extra []Var) *MIB {
	outlet := "1.3.6.1.4.1.850.1.1.3." + branch + ".3.3.1.1."
	sym := "TRIPPLITE-PRODUCTS::tlp" + kind + "Outlet"
	identNum := "1.3.6.1.4.1.850.1.1.3." + branch + ".1.1.0" // tlp<kind>IdentNum<kind>
	vars := rows(system(SysName, ReadOnly), []Var{
		uptime,
		{Name: "device.mfr", OID: "1.3.6.1.4.1.850.1.1.1.2.1.4.1", Symbol: "TRIPPLITE-PRODUCTS::tlpDeviceManufacturer.1", Flags: String, Poll: Once},
		{Name: "device.model", OID: "1.3.6.1.4.1.850.1.1.1.2.1.5.1", Symbol: "TRIPPLITE-PRODUCTS::tlpDeviceModel.1", Flags: String, Poll: Once},
		{Name: "ups.id", OID: "1.3.6.1.4.1.850.1.1.1.2.1.6.1", Symbol: "TRIPPLITE-PRODUCTS::tlpDeviceName.1", Flags: String, Poll: Once},
		{Name: "device.serial", OID: "1.3.6.1.4.1.850.1.1.2.1.1.5.1", Symbol: "TRIPPLITE-PRODUCTS::tlpDeviceIdentSerialNum.1", Flags: String, Poll: Once},
		{Name: "device.mfr.date", OID: "1.3.6.1.4.1.850.1.1.2.1.1.6.1", Symbol: "TRIPPLITE-PRODUCTS::tlpDeviceIdentDateInstalled.1", Flags: String, Poll: Once},
		{Name: "ups.firmware.aux", OID: "1.3.6.1.2.1.33.1.1.4.0", Symbol: "UPS-MIB::upsIdentAgentSoftwareVersion.0", Flags: String, Poll: Once},
		{Name: "outlet.%i.id", OID: outlet + "1.1.%i", Symbol: sym + "Index.1.%i", Flags: Outlet, Poll: Once},
		{Name: "outlet.%i.name", OID: outlet + "2.1.%i", Symbol: sym + "Name.1.%i", Flags: String | Outlet},
		{Name: "outlet.%i.desc", OID: outlet + "3.1.%i", Symbol: sym + "Description.1.%i", Flags: String | Outlet, Set: SetString, Size: 64},
		{Name: "outlet.%i.status", OID: outlet + "4.1.%i", Symbol: sym + "State.1.%i", Flags: String | Outlet, Poll: Fast,
			Lookup: Lookup{{0, "unknown"}, {1, "off"}, {2, "on"}}},
		{Name: "outlet.%i.switchable", OID: outlet + "5.1.%i", Symbol: sym + "Controllable.1.%i", Flags: String | Outlet, Poll: Once,
			Lookup: Lookup{{1, "yes"}, {2, "no"}}},
	}, extra)
	command := func(name string, v int64) Cmd {
		return Cmd{Name: name, OID: outlet + "6.1.%i", Symbol: sym + "Command.1.%i", Value: v, Flags: Outlet}
	}
	return &MIB{
		Name: name, Version: "0.2", Type: typ,
		SysOIDs:     []string{"1.3.6.1.4.1.850.1.1.1"},
		Requires:    identNum,
		OutletIndex: outlet + "1.1",
		Vars:        vars,
		Cmds:        []Cmd{command("outlet.%i.load.off", 1), command("outlet.%i.load.on", 2), command("outlet.%i.load.cycle", 3)},
	}
}
