package usbhid

import "github.com/powerchain/powerchain/hid"

// liebert: NUT 2.8.0 drivers/liebert-hid.c ("Phoenixtec/Liebert HID 0.41"). Facts (paths, usages,
// values) from NUT; the table is in this package's form.

var liebertSub = &Subdriver{
	Name:    "liebert",
	Version: "Phoenixtec/Liebert HID 0.41",
	Mfr:     "Liebert",
	Usages:  liebertUsages,
	Rows:    liebertRows,
}

var liebertUsages = hid.Names{}

var liebertRows = []Row{
	{Kind: Var, Name: "battery.voltage", Path: "UPS.PowerSummary.Voltage", Format: "%.2f"},
	{Kind: Var, Name: "battery.voltage.nominal", Path: "UPS.PowerSummary.ConfigVoltage", Format: "%.2f", Flags: Static},
	{Kind: Var, Name: "battery.charge", Path: "UPS.PowerSummary.RemainingCapacity", Format: "%.0f"},
	{Kind: Var, Name: "battery.runtime", Path: "UPS.PowerSummary.RunTimeToEmpty", Format: "%.0f"},
	{Kind: Var, Name: "battery.type", Path: "UPS.PowerSummary.iDeviceChemistry", Lookup: stringidConversion},
	{Kind: Var, Name: "ups.load", Path: "UPS.PowerSummary.PercentLoad", Format: "%.0f"},
	{Kind: Var, Name: "output.voltage", Path: "UPS.PowerConverter.Output.Voltage", Format: "%.1f"},
	{Kind: Var, Name: "output.frequency", Path: "UPS.PowerConverter.Output.Frequency", Format: "%.2f"},
	{Kind: Var, Name: "output.transfer.high", Path: "UPS.PowerConverter.Output.HighVoltageTransfer", Format: "%.1f", Flags: SemiStatic},
	{Kind: Var, Name: "output.transfer.low", Path: "UPS.PowerConverter.Output.LowVoltageTransfer", Format: "%.1f", Flags: SemiStatic},
	{Kind: Var, Name: "input.voltage", Path: "UPS.PowerConverter.Input.[1].Voltage", Format: "%.1f"},
	{Kind: Var, Name: "input.frequency", Path: "UPS.PowerConverter.Input.[1].Frequency", Format: "%.2f"},
	{Kind: Var, Name: "input.transfer.low", Path: "UPS.PowerConverter.Output.ffff0057", Format: "%.0f", Flags: SemiStatic},
	{Kind: Var, Name: "input.transfer.high", Path: "UPS.PowerConverter.Output.ffff0058", Format: "%.0f", Flags: SemiStatic},
	{Kind: Var, Name: "input.frequency.transfer.low", Path: "UPS.PowerConverter.Output.ffff00f9", Format: "%.0f", Flags: SemiStatic},
	{Kind: Var, Name: "input.frequency.transfer.high", Path: "UPS.PowerConverter.Output.ffff00f8", Format: "%.0f", Flags: SemiStatic},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.ACPresent", Flags: Quick, Lookup: onlineInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit", Flags: Quick, Lookup: lowbattInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.Charging", Flags: Quick, Lookup: chargingInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.Discharging", Flags: Quick, Lookup: dischargingInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.Overload", Lookup: overloadInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.ShutdownImminent", Lookup: shutdownimmInfo},
}
