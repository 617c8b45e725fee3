package usbhid

import (
	"fmt"

	"github.com/powerchain/powerchain/hid"
)

// tripplite: NUT 2.8.0 drivers/tripplite-hid.c ("TrippLite HID 0.84"). Facts (paths, usages,
// values) from NUT; the table is in this package's form.

var trippliteSub = &Subdriver{
	Name:     "tripplite",
	Version:  "TrippLite HID 0.84",
	Usages:   trippliteUsages,
	Rows:     trippliteRows,
	Claim:    trippliteClaim,
	Setup:    trippliteSetup,
	NewState: newTrippliteState,
}

// trippliteFuncs are the functions tripplite.tab names.
var trippliteFuncs = funcs{"trippliteClaim": trippliteClaim, "trippliteSetup": trippliteSetup,
	"newTrippliteState": newTrippliteState, "trippliteChemistry": trippliteChemistry,
	"trippliteBattvolt": trippliteBattvolt, "trippliteIovolt": trippliteIovolt,
	"trippliteIofreq": trippliteIofreq, "trippliteIoamp": trippliteIoamp}

func newTrippliteState() any {
	return &trippliteState{battery: 1, voltage: 1, frequency: 1, current: 1}
}

var trippliteUsages = hid.Names{
	{Name: "TLCustom", Usage: 0xffff0010},
	{Name: "TLDelayBeforeStartup", Usage: 0xffff0056},
	{Name: "TLLowVoltageTransferMax", Usage: 0xffff0057},
	{Name: "TLLowVoltageTransferMin", Usage: 0xffff0058},
	{Name: "TLHighVoltageTransferMax", Usage: 0xffff0059},
	{Name: "TLHighVoltageTransferMin", Usage: 0xffff005a},
	{Name: "OutletState", Usage: 0xffff007a},
	{Name: "OutletCount", Usage: 0xffff007b},
	{Name: "UPSFirmwareVersion", Usage: 0xffff007c},
	{Name: "CommunicationProtocolVersion", Usage: 0xffff007d},
	{Name: "CommunicationVersion", Usage: 0xffff007e},
	{Name: "iUPSPartNumber", Usage: 0xffff007f},
	{Name: "AutoOnDelay", Usage: 0xffff0080},
	{Name: "TLWatchdog", Usage: 0xffff0092},
	{Name: "TLOutletsAvailableMask", Usage: 0xffff0095},
	{Name: "TLOutletsStatusMask", Usage: 0xffff0096},
	{Name: "TLCharging", Usage: 0x00840044},
	{Name: "TLDischarging", Usage: 0x00840045},
	{Name: "TLNeedReplacement", Usage: 0x0084004b},
	{Name: "TLACPresent", Usage: 0x008400d0},
}

var (
	// tripplite_chemistry: battery.type by string index, except on two
	// products whose firmware gets it wrong.
	trippliteChemistryInfo = &Lookup{Name: "tripplite_chemistry", Fun: trippliteChemistry}
	trippliteBattvoltInfo  = &Lookup{Name: "tripplite_battvolt", Fun: trippliteBattvolt}
	trippliteIovoltInfo    = &Lookup{Name: "tripplite_iovolt", Fun: trippliteIovolt}
	trippliteIofreqInfo    = &Lookup{Name: "tripplite_iofreq", Fun: trippliteIofreq}
	trippliteIoampInfo     = &Lookup{Name: "tripplite_ioamp", Fun: trippliteIoamp}
)

func trippliteChemistry(c *Conv, v float64) (string, bool) {
	if id, _ := c.Get("ups.productid"); id == "1003" || id == "2005" {
		return "unknown", true
	}
	return c.String(int(v))
}

// trippliteState holds the model's scale factors.
type trippliteState struct{ battery, voltage, frequency, current float64 }

// The battery voltage and the input/output values, scaled by the model's
// factors.
func trippliteBattvolt(c *Conv, v float64) (string, bool) {
	return fmt.Sprintf("%.1f", v*c.State().(*trippliteState).battery), true
}

func trippliteIovolt(c *Conv, v float64) (string, bool) {
	return fmt.Sprintf("%.1f", v*c.State().(*trippliteState).voltage), true
}

func trippliteIofreq(c *Conv, v float64) (string, bool) {
	return fmt.Sprintf("%.1f", v*c.State().(*trippliteState).frequency), true
}

func trippliteIoamp(c *Conv, v float64) (string, bool) {
	return fmt.Sprintf("%.1f", v*c.State().(*trippliteState).current), true
}

// trippliteSetup sets the scales of the listed models: the older Tripp
// Lite products (09ae:10xx, 20xx) report the battery voltage in tenths;
// 3016 and 3024 (Smart1500LCD, AVR750U, newer units) scale everything
// their own way. 09ae:1330's report 0x54 is never read (firmware bug).
func trippliteSetup(c *Conv) {
	st, d := c.State().(*trippliteState), c.Device()
	if !c.Listed() || d.Vendor != 0x09ae {
		return
	}
	switch {
	case d.Product == 0x3016 || d.Product == 0x3024:
		*st = trippliteState{battery: 100000, voltage: 100000, frequency: 0.01, current: 0.01}
	case d.Product&0xff00 == 0x1000 || d.Product&0xff00 == 0x2000:
		st.battery = 0.1
	case d.Product == 0x1330:
		c.s.skipReport[0x54] = true
	}
}

// trippliteClaim: 09ae:0001 is served by tripplite_usb; other HP
// products only with productid (and silently).
func trippliteClaim(d *Device, o *Options, s Support) bool {
	if s == PossiblySupported && d.Vendor == 0x09ae && d.Product == 0x0001 {
		return false
	}
	return commonClaim(s, o)
}

var trippliteRows = []Row{
	{Kind: Var, Name: "device.part", Path: "UPS.TLCustom.[1].iUPSPartNumber", Flags: Static, Lookup: stringidConversion},
	{Kind: Var, Name: "battery.charge", Path: "UPS.PowerSummary.RemainingCapacity", Format: "%.0f"},
	{Kind: Var, Name: "battery.charge", Path: "UPS.BatterySystem.Battery.RemainingCapacity", Format: "%.0f"},
	{Kind: Var, Name: "battery.charge.low", Path: "UPS.PowerSummary.RemainingCapacityLimit", Format: "%.0f", Flags: SemiStatic | RW | String, Len: 5},
	{Kind: Var, Name: "battery.charge.warning", Path: "UPS.PowerSummary.WarningCapacityLimit", Format: "%.0f"},
	{Kind: Var, Name: "battery.runtime", Path: "UPS.PowerSummary.RunTimeToEmpty", Format: "%.0f"},
	{Kind: Var, Name: "battery.voltage.nominal", Path: "UPS.BatterySystem.Battery.ConfigVoltage", Format: "%.1f", Flags: Static},
	{Kind: Var, Name: "battery.voltage", Path: "UPS.BatterySystem.Battery.Voltage", Lookup: trippliteBattvoltInfo},
	{Kind: Var, Name: "battery.type", Path: "UPS.PowerSummary.iDeviceChemistry", Flags: Static, Lookup: trippliteChemistryInfo},
	{Kind: Var, Name: "battery.temperature", Path: "UPS.BatterySystem.Temperature", Lookup: kelvinCelsiusConversion},
	{Kind: Server, Name: "ups.delay.start", Path: "UPS.OutletSystem.Outlet.DelayBeforeStartup", Format: "30", Flags: RW | String, Len: 10},
	{Kind: Server, Name: "ups.delay.start", Path: "UPS.OutletSystem.Outlet.TLDelayBeforeStartup", Format: "30", Flags: RW | String, Len: 10},
	{Kind: Server, Name: "ups.delay.shutdown", Path: "UPS.OutletSystem.Outlet.DelayBeforeShutdown", Format: "20", Flags: RW | String, Len: 10},
	{Kind: Var, Name: "ups.timer.start", Path: "UPS.OutletSystem.Outlet.DelayBeforeStartup", Format: "%.0f", Flags: Quick},
	{Kind: Var, Name: "ups.timer.start", Path: "UPS.OutletSystem.Outlet.TLDelayBeforeStartup", Format: "%.0f", Flags: Quick},
	{Kind: Var, Name: "ups.timer.shutdown", Path: "UPS.OutletSystem.Outlet.DelayBeforeShutdown", Format: "%.0f", Flags: Quick},
	{Kind: Var, Name: "ups.timer.reboot", Path: "UPS.OutletSystem.Outlet.DelayBeforeReboot", Format: "%.0f", Flags: Quick},
	{Kind: Var, Name: "ups.test.result", Path: "UPS.BatterySystem.Test", Lookup: testReadInfo},
	{Kind: Var, Name: "ups.beeper.status", Path: "UPS.PowerSummary.AudibleAlarmControl", Lookup: beeperInfo},
	{Kind: Var, Name: "ups.power.nominal", Path: "UPS.Flow.ConfigApparentPower", Format: "%.0f", Flags: Static},
	{Kind: Var, Name: "ups.power", Path: "UPS.OutletSystem.Outlet.ActivePower", Format: "%.1f"},
	{Kind: Var, Name: "ups.power", Path: "UPS.PowerConverter.Output.ActivePower", Format: "%.1f"},
	{Kind: Var, Name: "ups.load", Path: "UPS.OutletSystem.Outlet.PercentLoad", Format: "%.0f"},
	{Kind: Var, Name: "ups.firmware", Path: "UPS.TLCustom.[1].UPSFirmwareVersion", Format: "%.0f", Flags: Static},
	{Kind: Var, Name: "ups.watchdog.status", Path: "UPS.OutletSystem.Outlet.TLWatchdog", Format: "%.0f"},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.InternalFailure", Lookup: commfaultInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.ShutdownImminent", Lookup: shutdownimmInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.ACPresent", Flags: Quick, Lookup: onlineInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit", Flags: Quick, Lookup: lowbattInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.FullyCharged", Flags: Quick, Lookup: fullychargedInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.Charging", Flags: Quick, Lookup: chargingInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.Discharging", Flags: Quick, Lookup: dischargingInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.FullyDischarged", Flags: Quick, Lookup: depletedInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.NeedReplacement", Lookup: replacebattInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.TLACPresent", Flags: Quick, Lookup: onlineInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.TLDischarging", Flags: Quick, Lookup: dischargingInfo},
	{Kind: Var, Name: "ups.load.nominal", Path: "UPS.Flow.ConfigPercentLoad", Format: "%.0f"},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.TLCharging", Flags: Quick, Lookup: chargingInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.TLNeedReplacement", Lookup: replacebattInfo},
	{Kind: Status, Path: "UPS.PowerConverter.PresentStatus.VoltageOutOfRange", Lookup: vrangeInfo},
	{Kind: Status, Path: "UPS.PowerConverter.PresentStatus.Buck", Lookup: trimInfo},
	{Kind: Status, Path: "UPS.PowerConverter.PresentStatus.Boost", Lookup: boostInfo},
	{Kind: Status, Path: "UPS.PowerConverter.PresentStatus.Overload", Lookup: overloadInfo},
	{Kind: Status, Path: "UPS.PowerConverter.PresentStatus.OverTemperature", Lookup: overheatInfo},
	{Kind: Status, Path: "UPS.PowerConverter.PresentStatus.InternalFailure", Lookup: commfaultInfo},
	{Kind: Status, Path: "UPS.PowerConverter.PresentStatus.AwaitingPower", Lookup: awaitingpowerInfo},
	{Kind: Var, Name: "input.voltage.nominal", Path: "UPS.PowerSummary.Input.ConfigVoltage", Format: "%.0f", Flags: Static},
	{Kind: Var, Name: "input.voltage", Path: "UPS.PowerSummary.Input.Voltage", Lookup: trippliteIovoltInfo},
	{Kind: Var, Name: "input.voltage", Path: "UPS.PowerConverter.Input.Voltage", Lookup: trippliteIovoltInfo},
	{Kind: Var, Name: "input.frequency", Path: "UPS.PowerConverter.Input.Frequency", Lookup: trippliteIofreqInfo},
	{Kind: Var, Name: "input.transfer.low", Path: "UPS.PowerConverter.Output.LowVoltageTransfer", Format: "%.1f", Flags: SemiStatic | RW | String, Len: 5},
	{Kind: Var, Name: "input.transfer.low.max", Path: "UPS.PowerConverter.Output.TLLowVoltageTransferMax", Format: "%.0f", Flags: Static},
	{Kind: Var, Name: "input.transfer.low.min", Path: "UPS.PowerConverter.Output.TLLowVoltageTransferMin", Format: "%.0f", Flags: Static},
	{Kind: Var, Name: "input.transfer.high", Path: "UPS.PowerConverter.Output.HighVoltageTransfer", Format: "%.1f", Flags: SemiStatic | RW | String, Len: 5},
	{Kind: Var, Name: "input.transfer.high.max", Path: "UPS.PowerConverter.Output.TLHighVoltageTransferMax", Format: "%.0f", Flags: Static},
	{Kind: Var, Name: "input.transfer.high.min", Path: "UPS.PowerConverter.Output.TLHighVoltageTransferMin", Format: "%.0f", Flags: Static},
	{Kind: Var, Name: "output.voltage.nominal", Path: "UPS.Flow.ConfigVoltage", Format: "%.0f", Flags: Static},
	{Kind: Var, Name: "output.voltage", Path: "UPS.PowerConverter.Output.Voltage", Lookup: trippliteIovoltInfo},
	{Kind: Var, Name: "output.voltage", Path: "UPS.PowerSummary.Voltage", Lookup: trippliteIovoltInfo},
	{Kind: Var, Name: "output.current", Path: "UPS.PowerConverter.Output.Current", Lookup: trippliteIoampInfo},
	{Kind: Var, Name: "output.frequency.nominal", Path: "UPS.Flow.ConfigFrequency", Format: "%.0f", Flags: Static},
	{Kind: Var, Name: "output.frequency", Path: "UPS.PowerConverter.Output.Frequency", Lookup: trippliteIofreqInfo},
	{Kind: Cmd, Name: "test.battery.start.quick", Path: "UPS.BatterySystem.Test", Format: "1"},
	{Kind: Cmd, Name: "test.battery.start.deep", Path: "UPS.BatterySystem.Test", Format: "2"},
	{Kind: Cmd, Name: "test.battery.stop", Path: "UPS.BatterySystem.Test", Format: "3"},
	{Kind: Cmd, Name: "load.off.delay", Path: "UPS.OutletSystem.Outlet.DelayBeforeShutdown", Format: "20"},
	{Kind: Cmd, Name: "load.on.delay", Path: "UPS.OutletSystem.Outlet.DelayBeforeStartup", Format: "30"},
	{Kind: Cmd, Name: "load.on.delay", Path: "UPS.OutletSystem.Outlet.TLDelayBeforeStartup", Format: "30"},
	{Kind: Cmd, Name: "shutdown.stop", Path: "UPS.OutletSystem.Outlet.DelayBeforeShutdown", Format: "-1"},
	{Kind: Cmd, Name: "shutdown.reboot", Path: "UPS.OutletSystem.Outlet.DelayBeforeReboot", Format: "10"},
	{Kind: Cmd, Name: "shutdown.reboot", Path: "UPS.OutletSystem.Outlet.TLWatchdog", Format: "10"},
	{Kind: Cmd, Name: "reset.watchdog", Path: "UPS.OutletSystem.Outlet.TLWatchdog", Format: "60"},
	{Kind: Cmd, Name: "beeper.on", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "2"},
	{Kind: Cmd, Name: "beeper.off", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "3"},
	{Kind: Cmd, Name: "beeper.disable", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "1"},
	{Kind: Cmd, Name: "beeper.enable", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "2"},
	{Kind: Cmd, Name: "beeper.mute", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "3"},
}
