package usbhid

import "github.com/powerchain/powerchain/hid"

// idowell: NUT 2.8.0 drivers/idowell-hid.c ("iDowell HID 0.2"). Facts (paths, usages,
// values) from NUT; the table is in this package's form.

var idowellSub = &Subdriver{
	Name:    "idowell",
	Version: "iDowell HID 0.2",
	Mfr:     "iDowell",
	Usages:  idowellUsages,
	Rows:    idowellRows,
}

var idowellUsages = hid.Names{}

var idowellRows = []Row{
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.ACPresent", Flags: Quick, Lookup: onlineInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit", Flags: Quick, Lookup: lowbattInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.Charging", Flags: Quick, Lookup: chargingInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.CommunicationLost", Lookup: commfaultInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.Discharging", Flags: Quick, Lookup: dischargingInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.Good", Lookup: offInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.InternalFailure", Lookup: commfaultInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.NeedReplacement", Lookup: replacebattInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.Overload", Lookup: overloadInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.ShutdownImminent", Lookup: shutdownimmInfo},
	{Kind: Var, Name: "battery.charge", Path: "UPS.PowerSummary.RemainingCapacity", Format: "%.0f"},
	{Kind: Var, Name: "battery.charge.low", Path: "UPS.PowerSummary.RemainingCapacityLimit", Format: "%.0f", Flags: Static},
	{Kind: Var, Name: "battery.runtime", Path: "UPS.PowerSummary.RunTimeToEmpty", Format: "%.0f"},
	{Kind: Var, Name: "battery.type", Path: "UPS.PowerSummary.iDeviceChemistry", Flags: Static, Lookup: stringidConversion},
	{Kind: Server, Name: "ups.delay.start", Path: "UPS.PowerSummary.DelayBeforeStartup", Format: "30", Flags: RW | String, Len: 10},
	{Kind: Server, Name: "ups.delay.shutdown", Path: "UPS.PowerSummary.DelayBeforeShutdown", Format: "20", Flags: RW | String, Len: 10},
	{Kind: Var, Name: "ups.timer.start", Path: "UPS.PowerSummary.DelayBeforeStartup", Format: "%.0f", Flags: Quick},
	{Kind: Var, Name: "ups.timer.shutdown", Path: "UPS.PowerSummary.DelayBeforeShutdown", Format: "%.0f", Flags: Quick},
	{Kind: Var, Name: "ups.load", Path: "UPS.PowerSummary.PercentLoad", Format: "%.0f"},
	{Kind: Var, Name: "ups.power.nominal", Path: "UPS.Flow.[4].ConfigApparentPower", Format: "%.0f", Flags: Static},
	{Kind: Var, Name: "input.transfer.high", Path: "UPS.PowerConverter.Output.HighVoltageTransfer", Format: "%.0f", Flags: Static},
	{Kind: Var, Name: "input.transfer.low", Path: "UPS.PowerConverter.Output.LowVoltageTransfer", Format: "%.0f", Flags: Static},
	{Kind: Var, Name: "output.voltage", Path: "UPS.PowerConverter.Output.Voltage", Format: "%.1f"},
	{Kind: Var, Name: "output.voltage.nominal", Path: "UPS.Flow.[4].ConfigVoltage", Format: "%.0f", Flags: Static},
	{Kind: Var, Name: "output.frequency.nominal", Path: "UPS.Flow.[4].ConfigFrequency", Format: "%.0f", Flags: Static},
	{Kind: Cmd, Name: "load.off.delay", Path: "UPS.PowerSummary.DelayBeforeShutdown", Format: "20"},
	{Kind: Cmd, Name: "load.on.delay", Path: "UPS.PowerSummary.DelayBeforeStartup", Format: "30"},
	{Kind: Cmd, Name: "shutdown.stop", Path: "UPS.PowerSummary.DelayBeforeShutdown", Format: "-1"},
}
