package usbhid

import "github.com/powerchain/powerchain/hid"

// delta_ups: NUT 2.8.0 drivers/delta_ups-hid.c ("Delta UPS HID 0.6"). Facts (paths, usages,
// values) from NUT; the table is in this package's form.

var deltaUPSSub = &Subdriver{
	Name:    "delta_ups",
	Version: "Delta UPS HID 0.6",
	Mfr:     "Delta",
	Usages:  deltaUpsUsages,
	Rows:    deltaUpsRows,
	Format:  deltaUPSFormat,
}

var deltaUpsUsages = hid.Names{
	{Name: "DELTA1", Usage: 0x00000000},
	{Name: "DELTA2", Usage: 0xff000055},
	{Name: "DeltaCustom", Usage: 0xffff0010},
	{Name: "DELTA4", Usage: 0xffff0056},
	{Name: "DeltaConfigTransferLowMax", Usage: 0xffff0057},
	{Name: "DeltaConfigTransferLowMin", Usage: 0xffff0058},
	{Name: "DeltaConfigTransferHighMax", Usage: 0xffff0059},
	{Name: "DeltaConfigTransferHighMin", Usage: 0xffff005a},
	{Name: "DELTA9", Usage: 0xffff0060},
	{Name: "DeltaConfigExternalBatteryPack", Usage: 0xffff0061},
	{Name: "DELTA11", Usage: 0xffff0062},
	{Name: "DELTA12", Usage: 0xffff0063},
	{Name: "DELTA13", Usage: 0xffff0064},
	{Name: "DELTA14", Usage: 0xffff0065},
	{Name: "DELTA15", Usage: 0xffff0066},
	{Name: "DELTA16", Usage: 0xffff0067},
	{Name: "DELTA17", Usage: 0xffff0068},
	{Name: "DeltaModelName", Usage: 0xffff0075},
	{Name: "DELTA19", Usage: 0xffff0076},
	{Name: "DeltaUPSType", Usage: 0xffff007c},
	{Name: "DELTA21", Usage: 0xffff007d},
	{Name: "DeltaConfigStartPowerRestoreDelay", Usage: 0xffff0081},
	{Name: "DeltaOutputSource", Usage: 0xffff0091},
	{Name: "DELTA24", Usage: 0xffff0092},
	{Name: "DELTA25", Usage: 0xffff0093},
	{Name: "DELTA26", Usage: 0xffff0094},
	{Name: "DELTA27", Usage: 0xffff0095},
	{Name: "DELTA28", Usage: 0xffff0096},
	{Name: "DELTA29", Usage: 0xffff0097},
	{Name: "DELTA30", Usage: 0xffff0098},
	{Name: "DELTA31", Usage: 0xffff0099},
	{Name: "DELTA32", Usage: 0xffff009a},
	{Name: "DeltaConfigSensitivity", Usage: 0xffff009b},
	{Name: "DeltaConfigStartPowerRestore", Usage: 0xffff009c},
}

var deltaUpsSensitivityInfo = &Lookup{Name: "delta_ups_sensitivity_info", Pairs: []Pair{{0, "normal"}, {1, "reduced"}, {2, "low"}}}
var deltaUpsTypeInfo = &Lookup{Name: "delta_ups_type_info", Fun: deltaUPSType}

// deltaUPSFuncs are the functions delta_ups.tab names.
var deltaUPSFuncs = funcs{"deltaUPSFormat": deltaUPSFormat, "deltaUPSType": deltaUPSType}

// deltaUPSType: the UPS type's low 4 bits.
func deltaUPSType(_ *Conv, v float64) (string, bool) {
	t := int64(v) & 0xf
	switch {
	case t == 6:
		t = 4
	case t > 2 && t <= 5:
		t -= 2
	}
	if t > 4 {
		return "", false
	}
	return [...]string{"online", "offline", "line-interactive", "3-phase", "split-phase"}[t], true
}

// deltaUPSFormat: the model is the string at DeltaModelName when there is
// one, else the USB product.
func deltaUPSFormat(c *Conv) {
	defaultFormat(c)
	if m := c.ItemString("UPS.DeltaCustom.[1].DeltaModelName"); m != "" {
		c.Set("ups.model", m)
	}
}

var deltaUpsOutputSourceInfo = &Lookup{Name: "delta_ups_output_source_info", Pairs: []Pair{{0, "normal"}, {1, "battery"}, {2, "bypass/reserve"}, {3, "reducing"}, {4, "boosting"}, {5, "manual bypass"}, {6, "other"}, {7, "no output"}, {8, "on eco"}}}

var deltaUpsRows = []Row{
	{Kind: Var, Name: "input.sensitivity", Path: "UPS.DeltaCustom.[1].DeltaConfigSensitivity", Flags: RW, Lookup: deltaUpsSensitivityInfo},
	{Kind: Var, Name: "input.voltage.nominal", Path: "UPS.PowerSummary.Input.ConfigVoltage", Format: "%.1f", Flags: SemiStatic},
	{Kind: Var, Name: "input.voltage", Path: "UPS.PowerSummary.Input.Voltage", Format: "%.1f", Flags: Quick},
	{Kind: Var, Name: "input.voltage", Path: "UPS.PowerConverter.Input.Voltage", Format: "%.1f", Flags: Quick},
	{Kind: Var, Name: "input.transfer.low", Path: "UPS.PowerConverter.Output.LowVoltageTransfer", Format: "%.1f", Flags: RW},
	{Kind: Var, Name: "input.transfer.high", Path: "UPS.PowerConverter.Output.HighVoltageTransfer", Format: "%.1f", Flags: RW},
	{Kind: Var, Name: "input.transfer.low.min", Path: "UPS.PowerConverter.Output.DeltaConfigTransferLowMin", Format: "%.1f", Flags: Static},
	{Kind: Var, Name: "input.transfer.low.max", Path: "UPS.PowerConverter.Output.DeltaConfigTransferLowMax", Format: "%.1f", Flags: Static},
	{Kind: Var, Name: "input.transfer.high.min", Path: "UPS.PowerConverter.Output.DeltaConfigTransferHighMin", Format: "%.1f", Flags: Static},
	{Kind: Var, Name: "input.transfer.high.max", Path: "UPS.PowerConverter.Output.DeltaConfigTransferHighMax", Format: "%.1f", Flags: Static},
	{Kind: Var, Name: "input.source", Path: "UPS.OutletSystem.Outlet.DeltaOutputSource", Lookup: deltaUpsOutputSourceInfo},
	{Kind: Var, Name: "input.frequency", Path: "UPS.PowerConverter.Input.Frequency", Format: "%.1f", Flags: Quick},
	{Kind: Var, Name: "battery.voltage.nominal", Path: "UPS.BatterySystem.Battery.ConfigVoltage", Format: "%.1f", Flags: Static},
	{Kind: Var, Name: "battery.voltage", Path: "UPS.BatterySystem.Battery.Voltage", Format: "%.1f", Flags: Quick},
	{Kind: Var, Name: "battery.charge", Path: "UPS.PowerSummary.RemainingCapacity", Format: "%.0f", Flags: Quick},
	{Kind: Var, Name: "battery.charge", Path: "UPS.BatterySystem.Battery.RemainingCapacity", Format: "%.0f"},
	{Kind: Var, Name: "battery.charge.low", Path: "UPS.PowerSummary.RemainingCapacityLimit", Format: "%.0f", Flags: SemiStatic | RW | String, Len: 5},
	{Kind: Var, Name: "battery.charge.warning", Path: "UPS.PowerSummary.WarningCapacityLimit", Format: "%.0f", Flags: SemiStatic},
	{Kind: Var, Name: "battery.temperature", Path: "UPS.BatterySystem.Temperature", Flags: Quick, Lookup: kelvinCelsiusConversion},
	{Kind: Var, Name: "battery.runtime", Path: "UPS.PowerSummary.RunTimeToEmpty", Format: "%.0f", Flags: Quick},
	{Kind: Var, Name: "battery.type", Path: "UPS.PowerSummary.iDeviceChemistry", Flags: Static, Lookup: stringidConversion},
	{Kind: Var, Name: "battery.capacity", Path: "UPS.PowerSummary.DesignCapacity", Format: "%.0f", Flags: SemiStatic},
	{Kind: Var, Name: "battery.capacity", Path: "UPS.PowerSummary.FullChargeCapacity", Format: "%.0f", Flags: SemiStatic},
	{Kind: Var, Name: "output.voltage.nominal", Path: "UPS.Flow.ConfigVoltage", Format: "%.1f", Flags: SemiStatic},
	{Kind: Var, Name: "output.frequency.nominal", Path: "UPS.Flow.ConfigFrequency", Format: "%.1f", Flags: SemiStatic},
	{Kind: Var, Name: "output.voltage", Path: "UPS.PowerConverter.Output.Voltage", Format: "%.1f", Flags: Quick},
	{Kind: Var, Name: "output.frequency", Path: "UPS.PowerConverter.Output.Frequency", Format: "%.1f", Flags: Quick},
	{Kind: Var, Name: "output.current", Path: "UPS.PowerConverter.Output.Current", Format: "%.1f", Flags: Quick},
	{Kind: Var, Name: "ups.beeper.status", Path: "UPS.PowerSummary.AudibleAlarmControl", Flags: Quick, Lookup: beeperInfo},
	{Kind: Var, Name: "ups.test.result", Path: "UPS.BatterySystem.Test", Lookup: testReadInfo},
	{Kind: Var, Name: "ups.type", Path: "UPS.DeltaCustom.[1].DeltaUPSType", Flags: Static, Lookup: deltaUpsTypeInfo},
	{Kind: Var, Name: "ups.start.auto", Path: "UPS.DeltaCustom.[1].DeltaConfigStartPowerRestore", Flags: RW, Lookup: yesNoInfo},
	{Kind: Var, Name: "ups.power.nominal", Path: "UPS.Flow.ConfigApparentPower", Format: "%.0f", Flags: Static},
	{Kind: Var, Name: "ups.realpower", Path: "UPS.OutletSystem.Outlet.ActivePower", Format: "%.1f", Flags: Quick},
	{Kind: Var, Name: "ups.realpower", Path: "UPS.PowerConverter.Output.ActivePower", Format: "%.1f", Flags: Quick},
	{Kind: Var, Name: "ups.load", Path: "UPS.OutletSystem.Outlet.PercentLoad", Format: "%.1f", Flags: Quick},
	{Kind: Var, Name: "ups.delay.start", Path: "UPS.OutletSystem.Outlet.DeltaConfigStartPowerRestoreDelay", Format: "%.0f", Flags: RW},
	{Kind: Var, Name: "ups.timer.start", Path: "UPS.OutletSystem.Outlet.DelayBeforeStartup", Format: "%.0f", Flags: Quick},
	{Kind: Var, Name: "ups.timer.shutdown", Path: "UPS.OutletSystem.Outlet.DelayBeforeShutdown", Format: "%.0f", Flags: Quick},
	{Kind: Var, Name: "ups.timer.reboot", Path: "UPS.OutletSystem.Outlet.DelayBeforeReboot", Format: "%.0f", Flags: Quick},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.Good", Flags: Quick, Lookup: offInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.InternalFailure", Flags: Quick, Lookup: commfaultInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.ShutdownImminent", Flags: Quick, Lookup: shutdownimmInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.ACPresent", Flags: Quick, Lookup: onlineInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit", Flags: Quick, Lookup: lowbattInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.FullyCharged", Flags: Quick, Lookup: fullychargedInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.Charging", Flags: Quick, Lookup: chargingInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.Discharging", Flags: Quick, Lookup: dischargingInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.FullyDischarged", Flags: Quick, Lookup: depletedInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.NeedReplacement", Flags: Quick, Lookup: replacebattInfo},
	{Kind: Status, Path: "UPS.PowerConverter.PresentStatus.VoltageOutOfRange", Flags: Quick, Lookup: vrangeInfo},
	{Kind: Status, Path: "UPS.PowerConverter.PresentStatus.Buck", Flags: Quick, Lookup: trimInfo},
	{Kind: Status, Path: "UPS.PowerConverter.PresentStatus.Boost", Flags: Quick, Lookup: boostInfo},
	{Kind: Status, Path: "UPS.PowerConverter.PresentStatus.Overload", Flags: Quick, Lookup: overloadInfo},
	{Kind: Status, Path: "UPS.PowerConverter.PresentStatus.Used", Flags: Quick, Lookup: nobatteryInfo},
	{Kind: Status, Path: "UPS.PowerConverter.PresentStatus.OverTemperature", Flags: Quick, Lookup: overheatInfo},
	{Kind: Status, Path: "UPS.PowerConverter.PresentStatus.InternalFailure", Flags: Quick, Lookup: commfaultInfo},
	{Kind: Status, Path: "UPS.PowerConverter.PresentStatus.AwaitingPower", Flags: Quick, Lookup: awaitingpowerInfo},
	{Kind: Cmd, Name: "beeper.on", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "2"},
	{Kind: Cmd, Name: "beeper.off", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "3"},
	{Kind: Cmd, Name: "beeper.enable", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "2"},
	{Kind: Cmd, Name: "beeper.disable", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "1"},
	{Kind: Cmd, Name: "beeper.mute", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "3"},
	{Kind: Cmd, Name: "test.battery.start.quick", Path: "UPS.BatterySystem.Test", Format: "1"},
	{Kind: Cmd, Name: "test.battery.start.deep", Path: "UPS.BatterySystem.Test", Format: "2"},
	{Kind: Cmd, Name: "test.battery.stop", Path: "UPS.BatterySystem.Test", Format: "3"},
	{Kind: Cmd, Name: "load.on.delay", Path: "UPS.OutletSystem.Outlet.DelayBeforeStartup", Format: "30"},
	{Kind: Cmd, Name: "load.off.delay", Path: "UPS.OutletSystem.Outlet.DelayBeforeShutdown", Format: "20"},
	{Kind: Cmd, Name: "shutdown.stop", Path: "UPS.OutletSystem.Outlet.DelayBeforeShutdown", Format: "-1"},
	{Kind: Cmd, Name: "shutdown.reboot", Path: "UPS.OutletSystem.Outlet.DelayBeforeReboot", Format: "10"},
}
