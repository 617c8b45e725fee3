package usbhid

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/powerchain/powerchain/hid"
)

// apc: NUT 2.8.0 drivers/apc-hid.c ("APC HID 0.98"). Facts (paths, usages,
// values) from NUT; the table is in this package's form.

var apcSub = &Subdriver{
	Name:    "apc",
	Version: "APC HID 0.98",
	Mfr:     "APC",
	Usages:  apcUsages,
	Rows:    apcRows,
	Setup:   apcSetup,
	Fix:     apcFix,
	Format:  apcFormat,
}

// apcSetup: old Back-UPS ES 525 and CS firmwares answer short reports
// unless asked for whole buffers; the "5G" units (051d:0003) use the
// interrupt pipe for a protocol of their own.
func apcSetup(c *Conv) {
	d := c.Device()
	switch d.Product {
	case 0x0002:
		for _, p := range []string{"Back-UPS ES 525", "Back-UPS CS"} {
			if strings.HasPrefix(d.ProductName, p) {
				c.s.maxReport = true
			}
		}
	case 0x0003:
		c.s.noInterrupt = true
	}
}

// apcFix widens the input voltage ranges of 051d:0002 units whose high
// transfer point's logical maximum exceeds them (Back-UPS XS 1400U on
// 230 V mains).
func apcFix(c *Conv, d *hid.Descriptor) {
	if dev := c.Device(); dev.Vendor != 0x051d || dev.Product != 0x0002 {
		return
	}
	hvt := d.ByReport(0x33, 0x00840054) // HighVoltageTransfer
	if hvt == nil {
		return
	}
	if v := d.ByReport(0x31, 0x00840030); v != nil && hvt.LogicalMax > v.LogicalMax { // Voltage
		v.LogicalMin, v.LogicalMax = 0, 2*hvt.LogicalMax
	}
	if v := d.ByReport(0x30, 0x00840040); v != nil && hvt.LogicalMax > v.LogicalMax { // ConfigVoltage
		v.LogicalMax = 255
	}
}

// apcFormat: the product string carries the firmware: "Back-UPS 500 FW:
// 6.5.I USB FW: c1" is model "Back-UPS 500", ups.firmware " 6.5.I" and
// ups.firmware.aux " c1".
func apcFormat(c *Conv) {
	d := c.Device()
	model := d.ProductName
	if model == "" {
		model = "unknown"
	}
	if i := strings.Index(model, "FW:"); i >= 0 {
		fw := model[i+len("FW:"):]
		model = model[:max(i-1, 0)]
		if j := strings.Index(fw, "USB FW:"); j >= 0 {
			c.Set("ups.firmware.aux", fw[j+len("USB FW:"):])
			fw = fw[:max(j-1, 0)]
		}
		c.Set("ups.firmware", fw)
	}
	c.Set("ups.model", model)
	c.Set("ups.mfr", cmp.Or(d.Manufacturer, "APC"))
	if d.Serial != "" {
		c.Set("ups.serial", d.Serial)
	}
}

// apcDate reads APC's dates, hexadecimal digits read as
// decimal ones: 0x102202 is 2002/10/22 (years before 70 are 20xx).
func apcDate(_ *Conv, v float64) (string, bool) {
	n := int64(v)
	if n == 0 {
		return "not set", true
	}
	digits := func(shift uint) int64 { return (n>>shift)&0xf + 10*((n>>(shift+4))&0xf) }
	year, month, day := digits(0), digits(16), digits(8)
	if year >= 70 {
		year += 1900
	} else {
		year += 2000
	}
	return fmt.Sprintf("%04d/%02d/%02d", year, month, day), true
}

// apcDateNuf packs a YYYY/MM/DD date APC's way.
func apcDateNuf(_ *Conv, s string) (float64, bool) {
	var year, month, day int64
	fmt.Sscanf(s, "%d/%d/%d", &year, &month, &day)
	if year >= 2070 || month > 12 || day > 31 {
		return 0, true
	}
	year %= 100
	bcd := func(n int64, shift uint) int64 { return (n/10&0xf)<<(shift+4) + (n%10)<<shift }
	return float64(bcd(year, 0) + bcd(month, 16) + bcd(day, 8)), true
}

// apcFuncs are the functions apc.tab names.
var apcFuncs = funcs{"apcSetup": apcSetup, "apcFix": apcFix, "apcFormat": apcFormat, "apcDate": apcDate, "apcDateNuf": apcDateNuf}

var apcUsages = hid.Names{
	{Name: "APCGeneralCollection", Usage: 0xff860005},
	{Name: "APCEnvironment", Usage: 0xff860006},
	{Name: "APCProbe1", Usage: 0xff860007},
	{Name: "APCProbe2", Usage: 0xff860008},
	{Name: "APCBattReplaceDate", Usage: 0xff860016},
	{Name: "APCBattCapBeforeStartup", Usage: 0xff860019},
	{Name: "APC_UPS_FirmwareRevision", Usage: 0xff860042},
	{Name: "APCLineFailCause", Usage: 0xff860052},
	{Name: "APCStatusFlag", Usage: 0xff860060},
	{Name: "APCSensitivity", Usage: 0xff860061},
	{Name: "APCPanelTest", Usage: 0xff860072},
	{Name: "APCShutdownAfterDelay", Usage: 0xff860076},
	{Name: "APC_USB_FirmwareRevision", Usage: 0xff860079},
	{Name: "APCDelayBeforeReboot", Usage: 0xff86007c},
	{Name: "APCDelayBeforeShutdown", Usage: 0xff86007d},
	{Name: "APCDelayBeforeStartup", Usage: 0xff86007e},
	{Name: "BUPHibernate", Usage: 0x00850058},
	{Name: "BUPBattCapBeforeStartup", Usage: 0x00860012},
	{Name: "BUPDelayBeforeStartup", Usage: 0x00860076},
	{Name: "BUPSelfTest", Usage: 0x00860010},
}

var apcDateConversion = &Lookup{Name: "apc_date_conversion", Fun: apcDate, Nuf: apcDateNuf}
var apcstatusflagInfo = &Lookup{Name: "apcstatusflag_info", Pairs: []Pair{{8, "!off"}, {16, "!off"}, {0, "off"}}}
var apcLinefailcauseVrangeInfo = &Lookup{Name: "apc_linefailcause_vrange_info", Pairs: []Pair{{1, "vrange"}, {2, "vrange"}, {4, "vrange"}, {8, "vrange"}, {9, "vrange"}, {0, "!vrange"}}}
var apcLinefailcauseFrangeInfo = &Lookup{Name: "apc_linefailcause_frange_info", Pairs: []Pair{{7, "frange"}, {0, "!frange"}}}
var apcSensitivityInfo = &Lookup{Name: "apc_sensitivity_info", Pairs: []Pair{{0, "low"}, {1, "medium"}, {2, "high"}}}

var apcRows = []Row{
	{Kind: Var, Name: "battery.charge", Path: "UPS.PowerSummary.RemainingCapacity", Format: "%.0f"},
	{Kind: Var, Name: "battery.charge.low", Path: "UPS.PowerSummary.RemainingCapacityLimit", Format: "%.0f", Flags: SemiStatic | RW | String, Len: 10},
	{Kind: Var, Name: "battery.charge.warning", Path: "UPS.PowerSummary.WarningCapacityLimit", Format: "%.0f"},
	{Kind: Var, Name: "battery.runtime", Path: "UPS.Battery.RunTimeToEmpty", Format: "%.0f"},
	{Kind: Var, Name: "battery.runtime", Path: "UPS.PowerSummary.RunTimeToEmpty", Format: "%.0f"},
	{Kind: Var, Name: "battery.runtime.low", Path: "UPS.Battery.RemainingTimeLimit", Format: "%.0f", Flags: SemiStatic | RW | String, Len: 10},
	{Kind: Var, Name: "battery.runtime.low", Path: "UPS.PowerSummary.RemainingTimeLimit", Format: "%.0f", Flags: SemiStatic | RW | String, Len: 10},
	{Kind: Var, Name: "battery.voltage", Path: "UPS.Battery.Voltage", Format: "%.1f"},
	{Kind: Var, Name: "battery.voltage", Path: "UPS.PowerSummary.Voltage", Format: "%.1f"},
	{Kind: Var, Name: "battery.voltage.nominal", Path: "UPS.Battery.ConfigVoltage", Format: "%.1f"},
	{Kind: Var, Name: "battery.voltage.nominal", Path: "UPS.PowerSummary.ConfigVoltage", Format: "%.1f"},
	{Kind: Var, Name: "battery.temperature", Path: "UPS.Battery.Temperature", Lookup: kelvinCelsiusConversion},
	{Kind: Var, Name: "battery.type", Path: "UPS.PowerSummary.iDeviceChemistry", Lookup: stringidConversion},
	{Kind: Var, Name: "battery.mfr.date", Path: "UPS.Battery.ManufacturerDate", Flags: SemiStatic | RW | String, Len: 10, Lookup: dateConversion},
	{Kind: Var, Name: "battery.mfr.date", Path: "UPS.PowerSummary.APCBattReplaceDate", Lookup: apcDateConversion},
	{Kind: Var, Name: "battery.date", Path: "UPS.Battery.APCBattReplaceDate", Lookup: apcDateConversion},
	{Kind: Var, Name: "ups.load", Path: "UPS.Output.PercentLoad", Format: "%.1f"},
	{Kind: Var, Name: "ups.load", Path: "UPS.PowerConverter.PercentLoad", Format: "%.0f"},
	{Kind: Server, Name: "ups.delay.start", Path: "UPS.PowerSummary.DelayBeforeStartup", Format: "30", Flags: RW | String, Len: 10},
	{Kind: Server, Name: "ups.delay.shutdown", Path: "UPS.PowerSummary.DelayBeforeShutdown", Format: "20", Flags: RW | String, Len: 10},
	{Kind: Var, Name: "ups.timer.start", Path: "UPS.PowerSummary.DelayBeforeStartup", Format: "%.0f", Flags: Quick},
	{Kind: Var, Name: "ups.timer.shutdown", Path: "UPS.PowerSummary.DelayBeforeShutdown", Format: "%.0f", Flags: Quick},
	{Kind: Var, Name: "ups.timer.reboot", Path: "UPS.PowerSummary.DelayBeforeReboot", Format: "%.0f", Flags: Quick},
	{Kind: Server, Name: "ups.delay.start", Path: "UPS.Output.DelayBeforeStartup", Format: "30", Flags: RW | String, Len: 10},
	{Kind: Server, Name: "ups.delay.shutdown", Path: "UPS.Output.DelayBeforeShutdown", Format: "20", Flags: RW | String, Len: 10},
	{Kind: Var, Name: "ups.timer.start", Path: "UPS.Output.DelayBeforeStartup", Format: "%.0f", Flags: Quick},
	{Kind: Var, Name: "ups.timer.shutdown", Path: "UPS.Output.DelayBeforeShutdown", Format: "%.0f", Flags: Quick},
	{Kind: Var, Name: "ups.timer.reboot", Path: "UPS.Output.DelayBeforeReboot", Format: "%.0f", Flags: Quick},
	{Kind: Server, Name: "ups.delay.start", Path: "UPS.APCGeneralCollection.APCDelayBeforeStartup", Format: "30", Flags: RW | String, Len: 10},
	{Kind: Server, Name: "ups.delay.shutdown", Path: "UPS.APCGeneralCollection.APCDelayBeforeShutdown", Format: "20", Flags: RW | String, Len: 10},
	{Kind: Var, Name: "ups.timer.start", Path: "UPS.APCGeneralCollection.APCDelayBeforeStartup", Format: "%.0f", Flags: Quick},
	{Kind: Var, Name: "ups.timer.shutdown", Path: "UPS.APCGeneralCollection.APCDelayBeforeShutdown", Format: "%.0f", Flags: Quick},
	{Kind: Var, Name: "ups.timer.reboot", Path: "UPS.APCGeneralCollection.APCDelayBeforeReboot", Format: "%.0f", Flags: Quick},
	{Kind: Var, Name: "ups.test.result", Path: "UPS.Battery.Test", Lookup: testReadInfo},
	{Kind: Var, Name: "ups.beeper.status", Path: "UPS.PowerSummary.AudibleAlarmControl", Lookup: beeperInfo},
	{Kind: Var, Name: "ups.mfr.date", Path: "UPS.ManufacturerDate", Lookup: dateConversion},
	{Kind: Var, Name: "ups.mfr.date", Path: "UPS.PowerSummary.ManufacturerDate", Lookup: dateConversion},
	{Kind: Var, Name: "ups.realpower.nominal", Path: "UPS.PowerConverter.ConfigActivePower", Format: "%.0f"},
	{Kind: Var, Name: "ups.realpower.nominal", Path: "UPS.Output.ConfigActivePower", Format: "%.0f"},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.ACPresent", Flags: Quick, Lookup: onlineInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.Discharging", Flags: Quick, Lookup: dischargingInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.Charging", Flags: Quick, Lookup: chargingInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.ShutdownImminent", Lookup: shutdownimmInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit", Flags: Quick, Lookup: lowbattInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.Overload", Lookup: overloadInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.NeedReplacement", Lookup: replacebattInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.RemainingTimeLimitExpired", Lookup: timelimitexpiredInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.BatteryPresent", Lookup: nobatteryInfo},
	{Kind: Status, Path: "UPS.PowerSummary.Charging", Flags: Quick, Lookup: chargingInfo},
	{Kind: Status, Path: "UPS.PowerSummary.Discharging", Flags: Quick, Lookup: dischargingInfo},
	{Kind: Status, Path: "UPS.PowerSummary.ACPresent", Flags: Quick, Lookup: onlineInfo},
	{Kind: Status, Path: "UPS.PowerSummary.BelowRemainingCapacityLimit", Flags: Quick, Lookup: lowbattInfo},
	{Kind: Status, Path: "UPS.PowerSummary.ShutdownImminent", Lookup: shutdownimmInfo},
	{Kind: Status, Path: "UPS.PowerSummary.APCStatusFlag", Flags: Quick, Lookup: apcstatusflagInfo},
	{Kind: Status, Path: "UPS.Input.APCLineFailCause", Lookup: apcLinefailcauseVrangeInfo},
	{Kind: Status, Path: "UPS.Input.APCLineFailCause", Lookup: apcLinefailcauseFrangeInfo},
	{Kind: Var, Name: "input.voltage", Path: "UPS.Input.Voltage", Format: "%.1f"},
	{Kind: Var, Name: "input.voltage.nominal", Path: "UPS.Input.ConfigVoltage", Format: "%.0f"},
	{Kind: Var, Name: "input.transfer.low", Path: "UPS.Output.LowVoltageTransfer", Format: "%.0f", Flags: SemiStatic | RW | String, Len: 10},
	{Kind: Var, Name: "input.transfer.high", Path: "UPS.Output.HighVoltageTransfer", Format: "%.0f", Flags: SemiStatic | RW | String, Len: 10},
	{Kind: Var, Name: "input.transfer.low", Path: "UPS.Input.LowVoltageTransfer", Format: "%.0f", Flags: SemiStatic | RW | String, Len: 10},
	{Kind: Var, Name: "input.transfer.high", Path: "UPS.Input.HighVoltageTransfer", Format: "%.0f", Flags: SemiStatic | RW | String, Len: 10},
	{Kind: Var, Name: "input.sensitivity", Path: "UPS.Input.APCSensitivity", Flags: SemiStatic | RW | String, Len: 10, Lookup: apcSensitivityInfo},
	{Kind: Var, Name: "output.voltage", Path: "UPS.Output.Voltage", Format: "%.1f"},
	{Kind: Var, Name: "output.voltage.nominal", Path: "UPS.Output.ConfigVoltage", Format: "%.1f"},
	{Kind: Var, Name: "output.current", Path: "UPS.Output.Current", Format: "%.2f"},
	{Kind: Var, Name: "output.frequency", Path: "UPS.Output.Frequency", Format: "%.1f"},
	{Kind: Var, Name: "ambient.temperature", Path: "UPS.APCEnvironment.APCProbe1.Temperature", Lookup: kelvinCelsiusConversion},
	{Kind: Var, Name: "ambient.humidity", Path: "UPS.APCEnvironment.APCProbe1.Humidity", Format: "%.1f"},
	{Kind: Cmd, Name: "test.battery.start.quick", Path: "UPS.BatterySystem.Battery.Test", Format: "1"},
	{Kind: Cmd, Name: "test.battery.start.quick", Path: "UPS.Battery.Test", Format: "1"},
	{Kind: Cmd, Name: "test.battery.start.deep", Path: "UPS.BatterySystem.Battery.Test", Format: "2"},
	{Kind: Cmd, Name: "test.battery.start.deep", Path: "UPS.Battery.Test", Format: "2"},
	{Kind: Cmd, Name: "test.battery.stop", Path: "UPS.BatterySystem.Battery.Test", Format: "3"},
	{Kind: Cmd, Name: "test.battery.stop", Path: "UPS.Battery.Test", Format: "3"},
	{Kind: Cmd, Name: "test.panel.start", Path: "UPS.APCPanelTest", Format: "1"},
	{Kind: Cmd, Name: "test.panel.stop", Path: "UPS.APCPanelTest", Format: "0"},
	{Kind: Cmd, Name: "test.panel.start", Path: "UPS.PowerSummary.APCPanelTest", Format: "1"},
	{Kind: Cmd, Name: "test.panel.stop", Path: "UPS.PowerSummary.APCPanelTest", Format: "0"},
	{Kind: Cmd, Name: "load.off.delay", Path: "UPS.PowerSummary.DelayBeforeShutdown", Format: "20"},
	{Kind: Cmd, Name: "load.on.delay", Path: "UPS.PowerSummary.DelayBeforeStartup", Format: "30"},
	{Kind: Cmd, Name: "shutdown.stop", Path: "UPS.PowerSummary.DelayBeforeShutdown", Format: "-1"},
	{Kind: Cmd, Name: "shutdown.reboot", Path: "UPS.PowerSummary.DelayBeforeReboot", Format: "10"},
	{Kind: Cmd, Name: "load.off.delay", Path: "UPS.Output.DelayBeforeShutdown", Format: "20"},
	{Kind: Cmd, Name: "load.on.delay", Path: "UPS.Output.DelayBeforeStartup", Format: "30"},
	{Kind: Cmd, Name: "shutdown.stop", Path: "UPS.Output.DelayBeforeShutdown", Format: "-1"},
	{Kind: Cmd, Name: "shutdown.reboot", Path: "UPS.Output.DelayBeforeReboot", Format: "10"},
	{Kind: Cmd, Name: "load.off.delay", Path: "UPS.APCGeneralCollection.APCDelayBeforeShutdown", Format: "20"},
	{Kind: Cmd, Name: "load.on.delay", Path: "UPS.APCGeneralCollection.APCDelayBeforeStartup", Format: "30"},
	{Kind: Cmd, Name: "shutdown.stop", Path: "UPS.APCGeneralCollection.APCDelayBeforeShutdown", Format: "-1"},
	{Kind: Cmd, Name: "shutdown.reboot", Path: "UPS.APCGeneralCollection.APCDelayBeforeReboot", Format: "10"},
	{Kind: Cmd, Name: "shutdown.return", Path: "UPS.Output.APCDelayBeforeReboot", Format: "1"},
	{Kind: Cmd, Name: "beeper.on", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "2"},
	{Kind: Cmd, Name: "beeper.off", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "3"},
	{Kind: Cmd, Name: "beeper.enable", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "2"},
	{Kind: Cmd, Name: "beeper.disable", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "1"},
	{Kind: Cmd, Name: "beeper.mute", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "3"},
}
