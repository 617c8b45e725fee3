package usbhid

import "github.com/powerchain/powerchain/hid"

// salicru: NUT 2.8.0 drivers/salicru-hid.c ("Salicru HID 0.3"). Facts (paths, usages,
// values) from NUT; the table is in this package's form.

var salicruSub = &Subdriver{
	Name:    "salicru",
	Version: "Salicru HID 0.3",
	Mfr:     "Salicru",
	Usages:  salicruUsages,
	Rows:    salicruRows,
}

var salicruUsages = hid.Names{}

var salicruRows = []Row{
	{Kind: Var, Name: "battery.type", Path: "UPS.PowerSummary.iDeviceChemistry", Lookup: stringidConversion},
	{Kind: Var, Name: "battery.charge", Path: "UPS.PowerSummary.RemainingCapacity", Format: "%.0f"},
	{Kind: Var, Name: "battery.charge.warning", Path: "UPS.PowerSummary.WarningCapacityLimit", Format: "%.0f"},
	{Kind: Var, Name: "battery.charge.low", Path: "UPS.PowerSummary.RemainingCapacityLimit", Format: "%.0f", Flags: SemiStatic | RW | String, Len: 10},
	{Kind: Var, Name: "battery.runtime", Path: "UPS.PowerSummary.RunTimeToEmpty", Format: "%.0f"},
	{Kind: Var, Name: "battery.runtime.low", Path: "UPS.PowerSummary.RemainingTimeLimit", Format: "%.0f", Flags: SemiStatic | RW | String, Len: 10},
	{Kind: Var, Name: "battery.voltage.nominal", Path: "UPS.PowerSummary.ConfigVoltage", Format: "%.0f"},
	{Kind: Var, Name: "battery.voltage", Path: "UPS.PowerSummary.Voltage", Format: "%.2f"},
	{Kind: Var, Name: "ups.load", Path: "UPS.Output.PercentLoad", Format: "%.0f"},
	{Kind: Var, Name: "ups.beeper.status", Path: "UPS.PowerSummary.AudibleAlarmControl", Lookup: beeperInfo},
	{Kind: Var, Name: "ups.test.result", Path: "UPS.Output.Test", Lookup: testReadInfo},
	{Kind: Var, Name: "ups.realpower.nominal", Path: "UPS.Output.ConfigActivePower", Format: "%.0f"},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.ACPresent", Flags: Quick, Lookup: onlineInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.Charging", Flags: Quick, Lookup: chargingInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.Discharging", Flags: Quick, Lookup: dischargingInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit", Flags: Quick, Lookup: lowbattInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.FullyCharged", Lookup: fullychargedInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.RemainingTimeLimitExpired", Lookup: timelimitexpiredInfo},
	{Kind: Status, Path: "UPS.Output.CommunicationLost", Lookup: commfaultInfo},
	{Kind: Status, Path: "UPS.Output.Boost", Lookup: boostInfo},
	{Kind: Status, Path: "UPS.Output.Overload", Lookup: overloadInfo},
	{Kind: Var, Name: "input.frequency", Path: "UPS.Input.Frequency", Format: "%.1f"},
	{Kind: Var, Name: "input.voltage.nominal", Path: "UPS.Input.ConfigVoltage", Format: "%.0f"},
	{Kind: Var, Name: "input.voltage", Path: "UPS.Input.Voltage", Format: "%.1f"},
	{Kind: Var, Name: "input.transfer.high", Path: "UPS.PowerConverter.Output.HighVoltageTransfer", Format: "%.0f", Flags: Static},
	{Kind: Var, Name: "input.transfer.low", Path: "UPS.PowerConverter.Output.LowVoltageTransfer", Format: "%.0f", Flags: Static},
	{Kind: Var, Name: "output.frequency", Path: "UPS.Output.Frequency", Format: "%.1f"},
	{Kind: Var, Name: "output.voltage", Path: "UPS.Output.Voltage", Format: "%.1f"},
	{Kind: Var, Name: "output.voltage.nominal", Path: "UPS.Output.ConfigVoltage", Format: "%.0f"},
	{Kind: Var, Name: "ups.load", Path: "UPS.PowerSummary.PercentLoad", Format: "%.0f"},
	{Kind: Var, Name: "ups.test.result", Path: "UPS.BatterySystem.Battery.Test", Lookup: testReadInfo},
	{Kind: Var, Name: "ups.realpower.nominal", Path: "UPS.Flow.[4].ConfigActivePower", Format: "%.0f"},
	{Kind: Var, Name: "ups.realpower", Path: "UPS.PowerConverter.Output.ActivePower", Format: "%.0f"},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.Overload", Lookup: overloadInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.OverTemperature", Lookup: overheatInfo},
	{Kind: Var, Name: "input.frequency", Path: "UPS.PowerConverter.Input.[1].Frequency", Format: "%.1f"},
	{Kind: Var, Name: "input.voltage", Path: "UPS.PowerConverter.Input.[1].Voltage", Format: "%.1f"},
	{Kind: Var, Name: "output.frequency", Path: "UPS.PowerConverter.Output.Frequency", Format: "%.1f"},
	{Kind: Var, Name: "output.voltage", Path: "UPS.PowerConverter.Output.Voltage", Format: "%.1f"},
	{Kind: Var, Name: "output.voltage.nominal", Path: "UPS.PowerSummary.ConfigVoltage", Format: "%.0f"},
	{Kind: Var, Name: "ups.test.result", Path: "UPS.BatterySystem.Battery.Test", Lookup: testReadInfo},
	{Kind: Cmd, Name: "test.battery.start.quick", Path: "UPS.BatterySystem.Battery.Test", Format: "1"},
	{Kind: Cmd, Name: "test.battery.start.deep", Path: "UPS.BatterySystem.Battery.Test", Format: "2"},
	{Kind: Cmd, Name: "test.battery.stop", Path: "UPS.BatterySystem.Battery.Test", Format: "3"},
}
