package usbhid

import "github.com/powerchain/powerchain/hid"

// legrand: NUT 2.8.0 drivers/legrand-hid.c ("Legrand HID 0.2"). Facts (paths, usages,
// values) from NUT; the table is in this package's form.

var legrandSub = &Subdriver{
	Name:    "legrand",
	Version: "Legrand HID 0.2",
	Mfr:     "Legrand",
	Usages:  legrandUsages,
	Rows:    legrandRows,
	Setup:   legrandSetup,
}

// legrandFuncs are the functions legrand.tab names.
var legrandFuncs = funcs{"legrandSetup": legrandSetup}

// legrandSetup: both Keor models have no interrupt pipe.
func legrandSetup(c *Conv) {
	if c.Listed() {
		c.s.noInterrupt = true
	}
}

var legrandUsages = hid.Names{}

// The firmware gets some exponents wrong by these factors.
var (
	legrandTimes10Info   = scaled("legrand_times10_info", 10, "%0.1f")
	legrandTimes100kInfo = scaled("legrand_times100k_info", 100000, "%0.1f")
	legrandTimes1MInfo   = scaled("legrand_times1M_info", 1000000, "%0.1f")
	legrandTimes10MInfo  = scaled("legrand_times10M_info", 10000000, "%0.1f")
)

var legrandRows = []Row{
	{Kind: Var, Name: "input.voltage", Path: "UPS.Input.Voltage", Format: "%.0f"},
	{Kind: Var, Name: "input.voltage", Path: "UPS.PowerConverter.Input.Voltage", Lookup: legrandTimes1MInfo},
	{Kind: Var, Name: "input.transfer.high", Path: "UPS.Input.HighVoltageTransfer", Format: "%.0f", Flags: Static},
	{Kind: Var, Name: "input.transfer.high", Path: "UPS.PowerConverter.Output.HighVoltageTransfer", Flags: Static, Lookup: legrandTimes10Info},
	{Kind: Var, Name: "input.transfer.low", Path: "UPS.Input.LowVoltageTransfer", Format: "%.0f", Flags: Static},
	{Kind: Var, Name: "input.transfer.low", Path: "UPS.PowerConverter.Output.LowVoltageTransfer", Format: "%.0f", Flags: Static},
	{Kind: Var, Name: "input.voltage.nominal", Path: "UPS.Input.ConfigVoltage", Format: "%.0f", Flags: Static},
	{Kind: Var, Name: "input.voltage.nominal", Path: "UPS.Flow.ConfigVoltage", Format: "%.0f", Flags: Static},
	{Kind: Var, Name: "battery.voltage.nominal", Path: "UPS.PowerSummary.ConfigVoltage", Flags: Static, Lookup: divideBy10Conversion},
	{Kind: Var, Name: "battery.voltage.nominal", Path: "UPS.BatterySystem.Battery.ConfigVoltage", Format: "%.0f", Flags: Static},
	{Kind: Var, Name: "battery.voltage", Path: "UPS.PowerSummary.Voltage", Lookup: divideBy10Conversion},
	{Kind: Var, Name: "battery.voltage", Path: "UPS.BatterySystem.Battery.Voltage", Lookup: legrandTimes100kInfo},
	{Kind: Var, Name: "battery.charge", Path: "UPS.PowerSummary.RemainingCapacity", Format: "%.0f"},
	{Kind: Var, Name: "battery.runtime", Path: "UPS.PowerSummary.RuntimeToEmpty", Format: "%.0f"},
	{Kind: Var, Name: "battery.charge.warning", Path: "UPS.PowerSummary.WarningCapacityLimit", Format: "%.0f", Flags: Static},
	{Kind: Var, Name: "battery.charge.low", Path: "UPS.PowerSummary.RemainingCapacityLimit", Format: "%.0f", Flags: Static},
	{Kind: Var, Name: "output.voltage", Path: "UPS.Output.Voltage", Format: "%.0f"},
	{Kind: Var, Name: "output.voltage", Path: "UPS.PowerConverter.Output.Voltage", Lookup: legrandTimes10MInfo},
	{Kind: Var, Name: "output.frequency", Path: "UPS.Output.Frequency", Format: "%.0f"},
	{Kind: Var, Name: "ups.load", Path: "UPS.Output.PercentLoad", Format: "%.0f"},
	{Kind: Var, Name: "ups.load", Path: "UPS.OutletSystem.Outlet.PercentLoad", Format: "%.0f"},
	{Kind: Var, Name: "ups.realpower.nominal", Path: "UPS.Output.ConfigActivePower", Format: "%.0f", Flags: Static},
	{Kind: Var, Name: "ups.realpower.nominal", Path: "UPS.Flow.ConfigApparentPower", Format: "%.0f", Flags: Static},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.ACPresent", Flags: Quick, Lookup: onlineInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit", Flags: Quick, Lookup: lowbattInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.Charging", Flags: Quick, Lookup: chargingInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.Discharging", Flags: Quick, Lookup: dischargingInfo},
	{Kind: Status, Path: "UPS.Output.Overload", Flags: Quick, Lookup: overloadInfo},
	{Kind: Server, Name: "ups.delay.shutdown", Path: "UPS.OutletSystem.Outlet.DelayBeforeShutdown", Format: "20", Flags: RW | String, Len: 10},
	{Kind: Server, Name: "ups.delay.start", Path: "UPS.OutletSystem.Outlet.DelayBeforeStartup", Format: "30", Flags: RW | String, Len: 10},
	{Kind: Server, Name: "ups.delay.shutdown", Path: "UPS.Output.DelayBeforeShutdown", Format: "20", Flags: RW | String, Len: 10},
	{Kind: Server, Name: "ups.delay.start", Path: "UPS.Output.DelayBeforeStartup", Format: "30", Flags: RW | String, Len: 10},
	{Kind: Cmd, Name: "load.off.delay", Path: "UPS.OutletSystem.Outlet.DelayBeforeShutdown", Format: "20"},
	{Kind: Cmd, Name: "load.on.delay", Path: "UPS.OutletSystem.Outlet.DelayBeforeStartup", Format: "30"},
	{Kind: Cmd, Name: "load.off.delay", Path: "UPS.Output.DelayBeforeShutdown", Format: "20"},
	{Kind: Cmd, Name: "load.on.delay", Path: "UPS.Output.DelayBeforeStartup", Format: "30"},
	{Kind: Cmd, Name: "test.battery.start.quick", Path: "UPS.BatterySystem.Battery.Test", Format: "1"},
	{Kind: Cmd, Name: "test.battery.start.deep", Path: "UPS.BatterySystem.Battery.Test", Format: "2"},
	{Kind: Cmd, Name: "test.battery.stop", Path: "UPS.BatterySystem.Battery.Test", Format: "3"},
	{Kind: Cmd, Name: "test.battery.start.quick", Path: "UPS.Output.Test", Format: "1"},
	{Kind: Cmd, Name: "test.battery.start.deep", Path: "UPS.Output.Test", Format: "2"},
	{Kind: Cmd, Name: "test.battery.stop", Path: "UPS.Output.Test", Format: "3"},
	{Kind: Cmd, Name: "beeper.enable", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "2"},
	{Kind: Cmd, Name: "beeper.disable", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "3"},
}
