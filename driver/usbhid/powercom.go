package usbhid

import (
	"strconv"

	"github.com/powerchain/powerchain/hid"
)

// powercom: NUT 2.8.0 drivers/powercom-hid.c ("PowerCOM HID 0.6"). Facts (paths, usages,
// values) from NUT; the table is in this package's form.

var powercomSub = &Subdriver{
	Name:    "powercom",
	Version: "PowerCOM HID 0.6",
	Mfr:     "PowerCOM",
	Usages:  powercomUsages,
	Rows:    powercomRows,
	Claim:   powercomClaim,
	Setup:   powercomSetup,
}

// powercomFuncs are the functions powercom.tab names.
var powercomFuncs = funcs{"powercomClaim": powercomClaim, "powercomSetup": powercomSetup,
	"powercomStartup": powercomStartup, "powercomStartupNuf": powercomStartupNuf,
	"powercomShutdown": powercomShutdown, "powercomShutdownNuf": powercomShutdownNuf,
	"powercomStayoffNuf": powercomStayoffNuf, "powercomTrim": powercomTrim, "powercomBoost": powercomBoost}

var powercomUsages = hid.Names{
	{Name: "PowercomUPS", Usage: 0x00020004},
	{Name: "PowercomBatterySystem", Usage: 0x00020010},
	{Name: "PowercomPowerConverter", Usage: 0x00020016},
	{Name: "PowercomInput", Usage: 0x0002001a},
	{Name: "PowercomOutput", Usage: 0x0002001c},
	{Name: "PowercomVoltage", Usage: 0x00020030},
	{Name: "PowercomFrequency", Usage: 0x00020032},
	{Name: "PowercomPercentLoad", Usage: 0x00020035},
	{Name: "PowercomTemperature", Usage: 0x00020036},
	{Name: "PowercomDelayBeforeStartup", Usage: 0x00020056},
	{Name: "PowercomDelayBeforeShutdown", Usage: 0x00020057},
	{Name: "PowercomTest", Usage: 0x00020058},
	{Name: "PowercomShutdownRequested", Usage: 0x00020068},
	{Name: "PowercomInternalChargeController", Usage: 0x00020081},
	{Name: "PowercomPrimaryBatterySupport", Usage: 0x00020082},
	{Name: "PowercomDesignCapacity", Usage: 0x00020083},
	{Name: "PowercomSpecificationInfo", Usage: 0x00020084},
	{Name: "PowercomManufacturerDate", Usage: 0x00020085},
	{Name: "PowercomSerialNumber", Usage: 0x00020086},
	{Name: "PowercomManufacturerName", Usage: 0x00020087},
	{Name: "POWERCOM1", Usage: 0x0084002f},
	{Name: "POWERCOM2", Usage: 0xff860060},
	{Name: "POWERCOM3", Usage: 0xff860080},
	{Name: "PCMDelayBeforeStartup", Usage: 0x00ff0056},
	{Name: "PCMDelayBeforeShutdown", Usage: 0x00ff0057},
}

var (
	powercomStartupInfo  = &Lookup{Name: "powercom_startup_info", Fun: powercomStartup, Nuf: powercomStartupNuf}
	powercomShutdownInfo = &Lookup{Name: "powercom_shutdown_info", Fun: powercomShutdown, Nuf: powercomShutdownNuf}
	powercomStayoffInfo  = &Lookup{Name: "powercom_stayoff_info", Nuf: powercomStayoffNuf}
	powercomBeeperInfo   = &Lookup{Name: "powercom_beeper_info", Pairs: []Pair{{1, "enabled"}, {2, "disabled"}}}

	powercomVoltageConversion = scaled("powercom_voltage_conversion", 4, "%0.0f")
	// The two status words' bits.
	powercomUpsfailConversion     = mask("powercom_upsfail_conversion", 0x0001, "fanfail")
	powercomReplacebattConversion = mask("powercom_replacebatt_conversion", 0x0002, "replacebatt")
	powercomTestConversion        = mask("powercom_test_conversion", 0x0004, "cal")
	powercomShutdownimmConversion = mask("powercom_shutdownimm_conversion", 0x0010, "shutdownimm")
	powercomOnlineConversion      = mask("powercom_online_conversion", 0x0001, "!online")
	powercomLowbattConversion     = mask("powercom_lowbatt_conversion", 0x0002, "lowbatt")
	powercomTrimConversion        = &Lookup{Name: "powercom_trim_conversion", Fun: powercomTrim}
	powercomBoostConversion       = &Lookup{Name: "powercom_boost_conversion", Fun: powercomBoost}
	powercomOverloadConversion    = mask("powercom_overload_conversion", 0x0020, "overload")
)

// powercomBuckBoost: bits 0x18 of the status word are 0x08 when trimming,
// 0x18 when boosting.
func powercomBuckBoost(v float64, want int64, word string) (string, bool) {
	if int64(v)&0x18 == want {
		return word, true
	}
	return "!" + word, true
}

func powercomTrim(_ *Conv, v float64) (string, bool)  { return powercomBuckBoost(v, 0x08, "trim") }
func powercomBoost(_ *Conv, v float64) (string, bool) { return powercomBuckBoost(v, 0x18, "boost") }

// powercomStartup: the start delay is minutes with its two bytes swapped.
func powercomStartup(_ *Conv, v float64) (string, bool) {
	i := uint16(int64(v))
	return strconv.Itoa(60 * int(i<<8|i>>8)), true
}

// powercomStartupNuf writes seconds (the value, else ups.delay.start) as
// minutes, bytes swapped.
func powercomStartupNuf(c *Conv, s string) (float64, bool) {
	if s == "" {
		s, _ = c.Get("ups.delay.start")
	}
	n := atol(s) / 60
	if n < 0 || n > 0xffff {
		return 0, true
	}
	v := uint16(n)
	return float64(v<<8 | v>>8), true
}

// powercomShutdown: the shutdown delay is minutes in the low byte and
// seconds in the high one.
func powercomShutdown(_ *Conv, v float64) (string, bool) {
	i := uint16(int64(v))
	return strconv.Itoa(60*int(i&0xff) + int(i>>8)), true
}

// powercomDelayNuf encodes a shutdown delay in seconds (the value, else
// ups.delay.shutdown; 0 would mean the longest delay, so 1) with a flag:
// 0x4000 restarts when mains return, 0x8000 stays off.
func powercomDelayNuf(c *Conv, s string, flag uint16) (float64, bool) {
	if s == "" {
		s, _ = c.Get("ups.delay.shutdown")
	}
	n := atol(s)
	if n < 0 || n > 0xffff {
		return 0, true
	}
	v := max(uint16(n), 1)
	return float64((v%60)<<8 + v/60 | flag), true
}

func powercomShutdownNuf(c *Conv, s string) (float64, bool) { return powercomDelayNuf(c, s, 0x4000) }
func powercomStayoffNuf(c *Conv, s string) (float64, bool)  { return powercomDelayNuf(c, s, 0x8000) }

// powercomSetup: 0d9f:0001 units give their values only as Input
// reports of 8 bytes.
func powercomSetup(c *Conv) {
	if c.Listed() && c.Device().Product == 0x0001 {
		c.s.interruptOnly, c.s.interruptSize = true, 8
	}
}

// powercomClaim: 0d9f:0002 is a serial UPS (NUT's powercom driver).
func powercomClaim(d *Device, o *Options, s Support) bool {
	if s == PossiblySupported && d.Product == 0x0002 {
		return false
	}
	return commonClaim(s, o)
}

var powercomRows = []Row{
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.ACPresent", Lookup: onlineInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.BatteryPresent", Lookup: nobatteryInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit", Lookup: lowbattInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.Charging", Lookup: chargingInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.CommunicationLost", Lookup: commfaultInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.Discharging", Lookup: dischargingInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.NeedReplacement", Lookup: replacebattInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.Overload", Lookup: overloadInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.RemainingTimeLimitExpired", Lookup: timelimitexpiredInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.ShutdownImminent", Lookup: shutdownimmInfo},
	{Kind: Status, Path: "UPS.PresentStatus.ACPresent", Lookup: onlineInfo},
	{Kind: Status, Path: "UPS.PresentStatus.BatteryPresent", Lookup: nobatteryInfo},
	{Kind: Status, Path: "UPS.PresentStatus.BelowRemainingCapacityLimit", Lookup: lowbattInfo},
	{Kind: Status, Path: "UPS.PresentStatus.Boost", Lookup: boostInfo},
	{Kind: Status, Path: "UPS.PresentStatus.Buck", Lookup: trimInfo},
	{Kind: Status, Path: "UPS.PresentStatus.Charging", Lookup: chargingInfo},
	{Kind: Status, Path: "UPS.PresentStatus.CommunicationLost", Lookup: commfaultInfo},
	{Kind: Status, Path: "UPS.PresentStatus.Discharging", Lookup: dischargingInfo},
	{Kind: Status, Path: "UPS.PresentStatus.NeedReplacement", Lookup: replacebattInfo},
	{Kind: Status, Path: "UPS.PresentStatus.Overload", Lookup: overloadInfo},
	{Kind: Status, Path: "UPS.PresentStatus.RemainingTimeLimitExpired", Lookup: timelimitexpiredInfo},
	{Kind: Status, Path: "UPS.PresentStatus.ShutdownImminent", Lookup: shutdownimmInfo},
	{Kind: Var, Name: "battery.charge", Path: "UPS.PowerSummary.RemainingCapacity", Format: "%.0f"},
	{Kind: Var, Name: "battery.charge", Path: "UPS.Battery.RemainingCapacity", Format: "%.0f"},
	{Kind: Var, Name: "battery.charge.low", Path: "UPS.PowerSummary.RemainingCapacityLimit", Format: "%.0f"},
	{Kind: Var, Name: "battery.charge.warning", Path: "UPS.PowerSummary.WarningCapacityLimit", Format: "%.0f"},
	{Kind: Var, Name: "battery.runtime", Path: "UPS.PowerSummary.RunTimeToEmpty", Format: "%.0f"},
	{Kind: Var, Name: "battery.date", Path: "UPS.Battery.ManufacturerDate", Flags: Static, Lookup: dateConversion},
	{Kind: Var, Name: "battery.type", Path: "UPS.PowerSummary.iDeviceChemistry", Flags: Static, Lookup: stringidConversion},
	{Kind: Var, Name: "ups.beeper.status", Path: "UPS.PowerSummary.AudibleAlarmControl", Lookup: powercomBeeperInfo},
	{Kind: Var, Name: "ups.beeper.status", Path: "UPS.AudibleAlarmControl", Lookup: powercomBeeperInfo},
	{Kind: Var, Name: "ups.load", Path: "UPS.Output.PercentLoad", Format: "%.0f"},
	{Kind: Var, Name: "ups.date", Path: "UPS.PowerSummary.ManufacturerDate", Flags: Static, Lookup: dateConversion},
	{Kind: Var, Name: "ups.test.result", Path: "UPS.Battery.Test", Lookup: testReadInfo},
	{Kind: Server, Name: "ups.delay.start", Path: "UPS.PowerSummary.DelayBeforeStartup", Format: "60", Flags: RW | String, Len: 8},
	{Kind: Var, Name: "ups.timer.start", Path: "UPS.PowerSummary.DelayBeforeStartup", Lookup: powercomStartupInfo},
	{Kind: Server, Name: "ups.delay.shutdown", Path: "UPS.PowerSummary.DelayBeforeShutdown", Format: "20", Flags: RW | String, Len: 8},
	{Kind: Var, Name: "ups.timer.shutdown", Path: "UPS.PowerSummary.DelayBeforeShutdown", Flags: Quick, Lookup: powercomShutdownInfo},
	{Kind: Server, Name: "ups.delay.shutdown", Path: "UPS.PowerSummary.PCMDelayBeforeShutdown", Format: "20", Flags: RW | String, Len: 8},
	{Kind: Var, Name: "ups.timer.shutdown", Path: "UPS.PowerSummary.PCMDelayBeforeShutdown", Flags: Quick, Lookup: powercomShutdownInfo},
	{Kind: Var, Name: "input.voltage", Path: "UPS.Input.Voltage", Format: "%.1f"},
	{Kind: Var, Name: "input.voltage.nominal", Path: "UPS.Input.ConfigVoltage", Format: "%.0f", Flags: Static},
	{Kind: Var, Name: "input.frequency", Path: "UPS.Input.Frequency", Format: "%.1f"},
	{Kind: Var, Name: "output.voltage", Path: "UPS.Output.Voltage", Format: "%.1f"},
	{Kind: Var, Name: "output.voltage.nominal", Path: "UPS.Output.ConfigVoltage", Format: "%.0f", Flags: Static},
	{Kind: Var, Name: "output.frequency", Path: "UPS.Output.Frequency", Format: "%.1f"},
	{Kind: Cmd, Name: "beeper.toggle", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "1"},
	{Kind: Cmd, Name: "beeper.enable", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "1"},
	{Kind: Cmd, Name: "beeper.disable", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "0"},
	{Kind: Cmd, Name: "test.battery.start.quick", Path: "UPS.Battery.Test", Format: "1"},
	{Kind: Cmd, Name: "load.on.delay", Path: "UPS.PowerSummary.DelayBeforeStartup", Lookup: powercomStartupInfo},
	{Kind: Cmd, Name: "shutdown.return", Path: "UPS.PowerSummary.DelayBeforeShutdown", Lookup: powercomShutdownInfo},
	{Kind: Cmd, Name: "shutdown.stayoff", Path: "UPS.PowerSummary.DelayBeforeShutdown", Lookup: powercomStayoffInfo},
	{Kind: Cmd, Name: "load.on", Path: "UPS.PowerSummary.PCMDelayBeforeStartup", Format: "0", Lookup: powercomStartupInfo},
	{Kind: Cmd, Name: "load.off", Path: "UPS.PowerSummary.PCMDelayBeforeShutdown", Format: "0", Lookup: powercomStayoffInfo},
	{Kind: Cmd, Name: "shutdown.return", Path: "UPS.PowerSummary.PCMDelayBeforeShutdown", Lookup: powercomShutdownInfo},
	{Kind: Cmd, Name: "shutdown.stayoff", Path: "UPS.PowerSummary.PCMDelayBeforeShutdown", Lookup: powercomStayoffInfo},
	{Kind: Var, Name: "ups.serial", Path: "PowercomUPS.PowercomSerialNumber", Lookup: stringidConversion},
	{Kind: Var, Name: "ups.mfr", Path: "PowercomUPS.PowercomManufacturerName", Lookup: stringidConversion},
	{Kind: Var, Name: "ups.mfr.date", Path: "PowercomUPS.PowercomManufacturerDate", Lookup: dateConversion},
	{Kind: Var, Name: "battery.temperature", Path: "PowercomUPS.PowercomBatterySystem.PowercomTemperature", Format: "%.0f"},
	{Kind: Var, Name: "battery.temperature", Path: "UPS.Battery.Temperature", Format: "%.1f"},
	{Kind: Var, Name: "battery.charge", Path: "PowercomUPS.PowercomBatterySystem.PowercomVoltage", Format: "%.0f"},
	{Kind: Var, Name: "input.frequency", Path: "PowercomUPS.PowercomPowerConverter.PowercomInput.PowercomFrequency", Format: "%.0f"},
	{Kind: Var, Name: "input.voltage", Path: "PowercomUPS.PowercomPowerConverter.PowercomInput.PowercomVoltage", Lookup: powercomVoltageConversion},
	{Kind: Var, Name: "output.voltage", Path: "PowercomUPS.PowercomPowerConverter.PowercomOutput.PowercomVoltage", Lookup: powercomVoltageConversion},
	{Kind: Var, Name: "ups.load", Path: "PowercomUPS.PowercomPowerConverter.PowercomOutput.PowercomPercentLoad", Format: "%.0f"},
	{Kind: Status, Path: "PowercomUPS.PowercomPowerConverter.PowercomOutput.PowercomInternalChargeController", Flags: Quick, Lookup: powercomUpsfailConversion},
	{Kind: Status, Path: "PowercomUPS.PowercomPowerConverter.PowercomOutput.PowercomInternalChargeController", Flags: Quick, Lookup: powercomReplacebattConversion},
	{Kind: Status, Path: "PowercomUPS.PowercomPowerConverter.PowercomOutput.PowercomInternalChargeController", Flags: Quick, Lookup: powercomTestConversion},
	{Kind: Status, Path: "PowercomUPS.PowercomPowerConverter.PowercomOutput.PowercomInternalChargeController", Flags: Quick, Lookup: powercomShutdownimmConversion},
	{Kind: Status, Path: "PowercomUPS.PowercomPowerConverter.PowercomOutput.PowercomPrimaryBatterySupport", Flags: Quick, Lookup: powercomOnlineConversion},
	{Kind: Status, Path: "PowercomUPS.PowercomPowerConverter.PowercomOutput.PowercomPrimaryBatterySupport", Flags: Quick, Lookup: powercomLowbattConversion},
	{Kind: Status, Path: "PowercomUPS.PowercomPowerConverter.PowercomOutput.PowercomPrimaryBatterySupport", Flags: Quick, Lookup: powercomTrimConversion},
	{Kind: Status, Path: "PowercomUPS.PowercomPowerConverter.PowercomOutput.PowercomPrimaryBatterySupport", Flags: Quick, Lookup: powercomBoostConversion},
	{Kind: Status, Path: "PowercomUPS.PowercomPowerConverter.PowercomOutput.PowercomPrimaryBatterySupport", Flags: Quick, Lookup: powercomOverloadConversion},
	{Kind: Var, Name: "output.frequency", Path: "PowercomUPS.PowercomPowerConverter.PowercomOutput.PowercomFrequency", Format: "%.0f"},
	{Kind: Var, Name: "ups.test.result", Path: "PowercomUPS.PowercomPowerConverter.PowercomTest", Lookup: testReadInfo},
	{Kind: Var, Name: "ups.delay.shutdown", Path: "PowercomUPS.PowercomPowerConverter.PowercomDelayBeforeShutdown", Format: "%.0f"},
	{Kind: Var, Name: "ups.delay.start", Path: "PowercomUPS.PowercomPowerConverter.PowercomDelayBeforeStartup", Format: "%.0f"},
	{Kind: Cmd, Name: "load.off", Path: "PowercomUPS.PowercomPowerConverter.PowercomDelayBeforeShutdown", Format: "0"},
}
