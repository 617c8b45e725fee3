package usbhid

import "github.com/powerchain/powerchain/hid"

// arduino: NUT 2.8.0 drivers/arduino-hid.c ("Arduino HID 0.2"). Facts (paths, usages,
// values) from NUT; the table is in this package's form.

var arduinoSub = &Subdriver{
	Name:    "arduino",
	Version: "Arduino HID 0.2",
	Mfr:     "Arduino",
	Usages:  arduinoUsages,
	Rows:    arduinoRows,
	Iface:   2, // the sketch's HID interface
}

var arduinoUsages = hid.Names{}

var arduinoRows = []Row{
	{Kind: Server, Name: "ups.delay.start", Path: "UPS.PowerSummary.DelayBeforeStartup", Format: "30", Flags: RW | String, Len: 10},
	{Kind: Server, Name: "ups.delay.shutdown", Path: "UPS.PowerSummary.DelayBeforeShutdown", Format: "20", Flags: RW | String, Len: 10},
	{Kind: Var, Name: "ups.timer.start", Path: "UPS.PowerSummary.DelayBeforeStartup", Format: "%.0f", Flags: Quick},
	{Kind: Var, Name: "ups.timer.shutdown", Path: "UPS.PowerSummary.DelayBeforeShutdown", Format: "%.0f", Flags: Quick},
	{Kind: Var, Name: "ups.timer.reboot", Path: "UPS.PowerSummary.DelayBeforeReboot", Format: "%.0f", Flags: Quick},
	{Kind: Cmd, Name: "load.off.delay", Path: "UPS.PowerSummary.DelayBeforeShutdown", Format: "20"},
	{Kind: Cmd, Name: "load.on.delay", Path: "UPS.PowerSummary.DelayBeforeStartup", Format: "30"},
	{Kind: Cmd, Name: "shutdown.stop", Path: "UPS.PowerSummary.DelayBeforeShutdown", Format: "-1"},
	{Kind: Cmd, Name: "shutdown.reboot", Path: "UPS.PowerSummary.DelayBeforeReboot", Format: "10"},
}
