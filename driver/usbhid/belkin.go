package usbhid

import (
	"cmp"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/powerchain/powerchain/hid"
)

// belkin: NUT 2.8.0 drivers/belkin-hid.c ("Belkin/Liebert HID 0.18"). Facts (paths, usages,
// values) from NUT; the table is in this package's form.

var belkinSub = &Subdriver{
	Name:     "belkin",
	Version:  "Belkin/Liebert HID 0.18",
	Mfr:      "Belkin",
	Usages:   belkinUsages,
	Rows:     belkinRows,
	Claim:    belkinClaim,
	Format:   belkinFormat,
	NewState: newBelkinState,
}

// belkinFuncs are the functions belkin.tab names.
var belkinFuncs = funcs{"belkinClaim": belkinClaim, "belkinFormat": belkinFormat, "newBelkinState": newBelkinState,
	"liebertConfigVoltage": liebertConfigVoltage, "liebertLineVoltage": liebertLineVoltage,
	"belkinFirmware": belkinFirmware, "belkinUPSType": belkinUPSType, "belkinSensitivity": belkinSensitivity}

func newBelkinState() any { return &belkinState{configMult: 1, lineMult: 1} }

var belkinUsages = hid.Names{
	{Name: "BELKINConfig", Usage: 0x00860026},
	{Name: "BELKINConfigVoltage", Usage: 0x00860040},
	{Name: "BELKINConfigFrequency", Usage: 0x00860042},
	{Name: "BELKINConfigApparentPower", Usage: 0x00860043},
	{Name: "BELKINConfigBatteryVoltage", Usage: 0x00860044},
	{Name: "BELKINConfigOverloadTransfer", Usage: 0x00860045},
	{Name: "BELKINLowVoltageTransfer", Usage: 0x00860053},
	{Name: "BELKINHighVoltageTransfer", Usage: 0x00860054},
	{Name: "BELKINLowVoltageTransferMax", Usage: 0x0086005b},
	{Name: "BELKINLowVoltageTransferMin", Usage: 0x0086005c},
	{Name: "BELKINHighVoltageTransferMax", Usage: 0x0086005d},
	{Name: "BELKINHighVoltageTransferMin", Usage: 0x0086005e},
	{Name: "BELKINControls", Usage: 0x00860027},
	{Name: "BELKINLoadOn", Usage: 0x00860050},
	{Name: "BELKINLoadOff", Usage: 0x00860051},
	{Name: "BELKINLoadToggle", Usage: 0x00860052},
	{Name: "BELKINDelayBeforeReboot", Usage: 0x00860055},
	{Name: "BELKINDelayBeforeStartup", Usage: 0x00860056},
	{Name: "BELKINDelayBeforeShutdown", Usage: 0x00860057},
	{Name: "BELKINTest", Usage: 0x00860058},
	{Name: "BELKINAudibleAlarmControl", Usage: 0x0086005a},
	{Name: "BELKINDevice", Usage: 0x00860029},
	{Name: "BELKINVoltageSensitivity", Usage: 0x00860074},
	{Name: "BELKINModelString", Usage: 0x00860075},
	{Name: "BELKINModelStringOffset", Usage: 0x00860076},
	{Name: "BELKINUPSType", Usage: 0x0086007c},
	{Name: "BELKINPowerState", Usage: 0x0086002a},
	{Name: "BELKINInput", Usage: 0x0086001a},
	{Name: "BELKINOutput", Usage: 0x0086001c},
	{Name: "BELKINBatterySystem", Usage: 0x00860010},
	{Name: "BELKINVoltage", Usage: 0x00860030},
	{Name: "BELKINFrequency", Usage: 0x00860032},
	{Name: "BELKINPower", Usage: 0x00860034},
	{Name: "BELKINPercentLoad", Usage: 0x00860035},
	{Name: "BELKINTemperature", Usage: 0x00860036},
	{Name: "BELKINCharge", Usage: 0x00860039},
	{Name: "BELKINRunTimeToEmpty", Usage: 0x0086006c},
	{Name: "BELKINStatus", Usage: 0x00860028},
	{Name: "BELKINBatteryStatus", Usage: 0x00860022},
	{Name: "BELKINPowerStatus", Usage: 0x00860021},
}

var (
	liebertOnlineInfo        = nonzero("liebert_online_info", "online")
	liebertDischargingInfo   = nonzero("liebert_discharging_info", "dischrg")
	liebertChargingInfo      = nonzero("liebert_charging_info", "chrg")
	liebertLowbattInfo       = nonzero("liebert_lowbatt_info", "lowbatt")
	liebertReplacebattInfo   = nonzero("liebert_replacebatt_info", "replacebatt")
	liebertShutdownimmInfo   = nonzero("liebert_shutdownimm_info", "shutdownimm")
	liebertConfigVoltageInfo = &Lookup{Name: "liebert_config_voltage_info", Fun: liebertConfigVoltage}
	liebertLineVoltageInfo   = &Lookup{Name: "liebert_line_voltage_info", Fun: liebertLineVoltage}

	belkinFirmwareConversion    = &Lookup{Name: "belkin_firmware_conversion", Fun: belkinFirmware}
	belkinUpstypeConversion     = &Lookup{Name: "belkin_upstype_conversion", Fun: belkinUPSType}
	belkinSensitivityConversion = &Lookup{Name: "belkin_sensitivity_conversion", Fun: belkinSensitivity}
	belkinTestInfo              = &Lookup{Name: "belkin_test_info", Pairs: []Pair{{0, "No test initiated"}, {1, "Done and passed"}, {2, "Done and warning"}, {3, "Done and error"}, {4, "Aborted"}, {5, "In progress"}}}
	// BELKINPowerStatus and BELKINBatteryStatus bits.
	belkinOverloadConversion      = mask("belkin_overload_conversion", 0x0010, "overload")
	belkinOverheatConversion      = mask("belkin_overheat_conversion", 0x0040, "overheat")
	belkinCommfaultConversion     = mask("belkin_commfault_conversion", 0x0080, "commfault")
	belkinAwaitingpowerConversion = mask("belkin_awaitingpower_conversion", 0x2000, "awaitingpower")
	belkinOnlineConversion        = mask("belkin_online_conversion", 0x0001, "!online") // set: AC failed
	belkinLowbattConversion       = mask("belkin_lowbatt_conversion", 0x0004, "lowbatt")
	belkinDepletedConversion      = mask("belkin_depleted_conversion", 0x0040, "depleted")
	belkinReplacebattConversion   = mask("belkin_replacebatt_conversion", 0x0080, "replacebatt")
)

// belkinFirmware: the firmware version is the UPS type's high bits.
func belkinFirmware(_ *Conv, v float64) (string, bool) {
	return strconv.FormatInt(int64(v)>>4, 10), true
}

// belkinUPSType: the UPS type's low 4 bits.
func belkinUPSType(_ *Conv, v float64) (string, bool) {
	switch int64(v) & 0x0f {
	case 1:
		return "offline", true
	case 2:
		return "line-interactive", true
	case 3:
		return "simple online", true
	case 4:
		return "simple offline", true
	case 5:
		return "simple line-interactive", true
	}
	return "online", true
}

// belkinSensitivity: the voltage sensitivity.
func belkinSensitivity(_ *Conv, v float64) (string, bool) {
	switch int64(v) {
	case 1:
		return "reduced", true
	case 2:
		return "low", true
	}
	return "normal", true
}

// belkinState holds the correction factors of Liebert units whose
// report descriptor puts the voltages' exponent 7 places off.
type belkinState struct{ configMult, lineMult float64 }

// liebertConfigVoltage: a nominal voltage of 1e-7 means the exponent is
// off, and the line voltages' with it. (NUT reads ConfigVoltage after the
// line voltages, so their factor applies from the next update on.)
func liebertConfigVoltage(c *Conv, v float64) (string, bool) {
	st := c.State().(*belkinState)
	if v < 1 && math.Abs(v-1e-7) < 1e-9 {
		st.configMult, st.lineMult = 1e8, 1e7
	}
	return fmt.Sprintf("%.1f", v*st.configMult), true
}

func liebertLineVoltage(c *Conv, v float64) (string, bool) {
	st := c.State().(*belkinState)
	if v < 1 && math.Abs(v-1e-7) < 1e-9 {
		st.lineMult = 1e7
	}
	return fmt.Sprintf("%.1f", v*st.lineMult), true
}

// belkinClaim: a Belkin USB hub (050d:0218) is never a UPS.
func belkinClaim(d *Device, o *Options, s Support) bool {
	if s == PossiblySupported && d.Vendor == 0x050d && d.Product == 0x0218 {
		return false
	}
	return commonClaim(s, o)
}

// belkinFormat: the manufacturer string without leading blanks ("Belkin"
// if none), "unknown" for a missing product, the serial from
// UPS.PowerSummary.iSerialNumber when the device has no USB serial.
func belkinFormat(c *Conv) {
	d := c.Device()
	c.Set("ups.mfr", cmp.Or(strings.TrimLeft(d.Manufacturer, " "), "Belkin"))
	c.Set("ups.model", cmp.Or(d.ProductName, "unknown"))
	if serial := cmp.Or(d.Serial, c.ItemString("UPS.PowerSummary.iSerialNumber")); serial != "" {
		c.Set("ups.serial", serial)
	}
}

var belkinRows = []Row{
	{Kind: Var, Name: "battery.charge", Path: "UPS.BELKINBatterySystem.BELKINCharge", Format: "%.0f"},
	{Kind: Var, Name: "battery.charge.low", Path: "UPS.PowerSummary.RemainingCapacityLimit", Format: "%.0f"},
	{Kind: Var, Name: "battery.charge.warning", Path: "UPS.PowerSummary.WarningCapacityLimit", Format: "%.0f"},
	{Kind: Var, Name: "battery.runtime", Path: "UPS.PowerSummary.RunTimeToEmpty", Format: "%.0f"},
	{Kind: Var, Name: "battery.type", Path: "UPS.PowerSummary.iDeviceChemistry", Lookup: stringidConversion},
	{Kind: Var, Name: "battery.voltage", Path: "UPS.BELKINBatterySystem.BELKINVoltage", Lookup: divideBy10Conversion},
	{Kind: Var, Name: "battery.voltage.nominal", Path: "UPS.BELKINConfig.BELKINConfigBatteryVoltage", Format: "%.0f"},
	{Kind: Var, Name: "input.frequency", Path: "UPS.BELKINPowerState.BELKINInput.BELKINFrequency", Lookup: divideBy10Conversion},
	{Kind: Var, Name: "input.frequency.nominal", Path: "UPS.BELKINConfig.BELKINConfigFrequency", Format: "%.0f"},
	{Kind: Var, Name: "input.sensitivity", Path: "UPS.BELKINDevice.BELKINVoltageSensitivity", Flags: RW | String, Len: 10, Lookup: belkinSensitivityConversion},
	{Kind: Var, Name: "input.transfer.high", Path: "UPS.BELKINConfig.BELKINHighVoltageTransfer", Format: "%.0f", Flags: RW | String, Len: 10},
	{Kind: Var, Name: "input.transfer.high.max", Path: "UPS.BELKINConfig.BELKINHighVoltageTransferMax", Format: "%.0f"},
	{Kind: Var, Name: "input.transfer.high.min", Path: "UPS.BELKINConfig.BELKINHighVoltageTransferMin", Format: "%.0f"},
	{Kind: Var, Name: "input.transfer.low", Path: "UPS.BELKINConfig.BELKINLowVoltageTransfer", Format: "%.0f", Flags: RW | String, Len: 10},
	{Kind: Var, Name: "input.transfer.low.max", Path: "UPS.BELKINConfig.BELKINLowVoltageTransferMax", Format: "%.0f"},
	{Kind: Var, Name: "input.transfer.low.min", Path: "UPS.BELKINConfig.BELKINLowVoltageTransferMin", Format: "%.0f"},
	{Kind: Var, Name: "input.voltage", Path: "UPS.BELKINPowerState.BELKINInput.BELKINVoltage", Lookup: divideBy10Conversion},
	{Kind: Var, Name: "input.voltage.nominal", Path: "UPS.BELKINConfig.BELKINConfigVoltage", Format: "%.0f"},
	{Kind: Var, Name: "output.frequency", Path: "UPS.BELKINPowerState.BELKINOutput.BELKINFrequency", Lookup: divideBy10Conversion},
	{Kind: Var, Name: "output.voltage", Path: "UPS.BELKINPowerState.BELKINOutput.BELKINVoltage", Lookup: divideBy10Conversion},
	{Kind: Var, Name: "ups.beeper.status", Path: "UPS.BELKINControls.BELKINAudibleAlarmControl", Lookup: beeperInfo},
	{Kind: Server, Name: "ups.delay.start", Path: "UPS.BELKINControls.BELKINDelayBeforeStartup", Format: "30", Flags: RW | String, Len: 10},
	{Kind: Server, Name: "ups.delay.shutdown", Path: "UPS.BELKINControls.BELKINDelayBeforeShutdown", Format: "20", Flags: RW | String, Len: 10},
	{Kind: Var, Name: "ups.timer.start", Path: "UPS.BELKINControls.BELKINDelayBeforeStartup", Format: "%.0f", Flags: Quick},
	{Kind: Var, Name: "ups.timer.shutdown", Path: "UPS.BELKINControls.BELKINDelayBeforeShutdown", Format: "%.0f", Flags: Quick},
	{Kind: Var, Name: "ups.timer.reboot", Path: "UPS.BELKINControls.BELKINDelayBeforeReboot", Format: "%.0f", Flags: Quick},
	{Kind: Var, Name: "ups.firmware", Path: "UPS.BELKINDevice.BELKINUPSType", Lookup: belkinFirmwareConversion},
	{Kind: Var, Name: "ups.load", Path: "UPS.BELKINPowerState.BELKINOutput.BELKINPercentLoad", Format: "%.0f"},
	{Kind: Var, Name: "ups.load.high", Path: "UPS.BELKINConfig.BELKINConfigOverloadTransfer", Format: "%.0f"},
	{Kind: Var, Name: "ups.mfr.date", Path: "UPS.PowerSummary.ManufacturerDate", Lookup: dateConversion},
	{Kind: Var, Name: "ups.power.nominal", Path: "UPS.BELKINConfig.BELKINConfigApparentPower", Format: "%.0f"},
	{Kind: Var, Name: "ups.serial", Path: "UPS.PowerSummary.iSerialNumber", Lookup: stringidConversion},
	{Kind: Var, Name: "ups.test.result", Path: "UPS.BELKINControls.BELKINTest", Lookup: belkinTestInfo},
	{Kind: Var, Name: "ups.type", Path: "UPS.BELKINDevice.BELKINUPSType", Lookup: belkinUpstypeConversion},
	{Kind: Var, Name: "battery.charge", Path: "UPS.PowerSummary.RemainingCapacity", Format: "%.0f", Flags: Quick},
	{Kind: Var, Name: "input.frequency", Path: "UPS.Input.Frequency", Lookup: divideBy10Conversion},
	{Kind: Var, Name: "input.voltage", Path: "UPS.Input.Voltage", Lookup: liebertLineVoltageInfo},
	{Kind: Var, Name: "output.voltage", Path: "UPS.Output.Voltage", Lookup: liebertLineVoltageInfo},
	{Kind: Var, Name: "battery.voltage", Path: "UPS.PowerSummary.Voltage", Lookup: liebertLineVoltageInfo},
	{Kind: Var, Name: "battery.voltage.nominal", Path: "UPS.PowerSummary.ConfigVoltage", Flags: Static, Lookup: liebertConfigVoltageInfo},
	{Kind: Var, Name: "ups.load", Path: "UPS.Output.PercentLoad", Format: "%.0f"},
	{Kind: Status, Path: "UPS.PowerSummary.Discharging", Flags: Quick, Lookup: liebertDischargingInfo},
	{Kind: Status, Path: "UPS.PowerSummary.Charging", Flags: Quick, Lookup: liebertChargingInfo},
	{Kind: Status, Path: "UPS.PowerSummary.ShutdownImminent", Lookup: liebertShutdownimmInfo},
	{Kind: Status, Path: "UPS.PowerSummary.ACPresent", Flags: Quick, Lookup: liebertOnlineInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.Discharging", Flags: Quick, Lookup: liebertDischargingInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.Charging", Flags: Quick, Lookup: liebertChargingInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.ShutdownImminent", Lookup: liebertShutdownimmInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.ACPresent", Flags: Quick, Lookup: liebertOnlineInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.NeedReplacement", Flags: Quick, Lookup: liebertReplacebattInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit", Flags: Quick, Lookup: liebertLowbattInfo},
	{Kind: Status, Path: "UPS.BELKINStatus.BELKINPowerStatus", Lookup: belkinOverloadConversion},
	{Kind: Status, Path: "UPS.BELKINStatus.BELKINPowerStatus", Lookup: belkinOverheatConversion},
	{Kind: Status, Path: "UPS.BELKINStatus.BELKINPowerStatus", Lookup: belkinCommfaultConversion},
	{Kind: Status, Path: "UPS.BELKINStatus.BELKINPowerStatus", Lookup: belkinAwaitingpowerConversion},
	{Kind: Status, Path: "UPS.BELKINStatus.BELKINPowerStatus", Flags: Quick, Lookup: belkinOnlineConversion},
	{Kind: Status, Path: "UPS.BELKINStatus.BELKINBatteryStatus", Flags: Quick, Lookup: belkinDepletedConversion},
	{Kind: Status, Path: "UPS.BELKINStatus.BELKINBatteryStatus", Lookup: belkinReplacebattConversion},
	{Kind: Status, Path: "UPS.BELKINStatus.BELKINBatteryStatus", Flags: Quick, Lookup: belkinLowbattConversion},
	{Kind: Cmd, Name: "test.battery.start.quick", Path: "UPS.BELKINControls.BELKINTest", Format: "1"},
	{Kind: Cmd, Name: "test.battery.start.deep", Path: "UPS.BELKINControls.BELKINTest", Format: "2"},
	{Kind: Cmd, Name: "test.battery.stop", Path: "UPS.BELKINControls.BELKINTest", Format: "3"},
	{Kind: Cmd, Name: "beeper.on", Path: "UPS.BELKINControls.BELKINAudibleAlarmControl", Format: "2"},
	{Kind: Cmd, Name: "beeper.off", Path: "UPS.BELKINControls.BELKINAudibleAlarmControl", Format: "3"},
	{Kind: Cmd, Name: "beeper.disable", Path: "UPS.BELKINControls.BELKINAudibleAlarmControl", Format: "1"},
	{Kind: Cmd, Name: "beeper.enable", Path: "UPS.BELKINControls.BELKINAudibleAlarmControl", Format: "2"},
	{Kind: Cmd, Name: "beeper.mute", Path: "UPS.BELKINControls.BELKINAudibleAlarmControl", Format: "3"},
	{Kind: Cmd, Name: "load.off", Path: "UPS.BELKINControls.BELKINDelayBeforeShutdown", Format: "1"},
	{Kind: Cmd, Name: "load.on", Path: "UPS.BELKINControls.BELKINDelayBeforeStartup", Format: "1"},
	{Kind: Cmd, Name: "load.off.delay", Path: "UPS.BELKINControls.BELKINDelayBeforeShutdown", Format: "20"},
	{Kind: Cmd, Name: "load.on.delay", Path: "UPS.BELKINControls.BELKINDelayBeforeStartup", Format: "30"},
	{Kind: Cmd, Name: "shutdown.stop", Path: "UPS.BELKINControls.BELKINDelayBeforeShutdown", Format: "-1"},
	{Kind: Cmd, Name: "shutdown.reboot", Path: "UPS.BELKINControls.BELKINDelayBeforeReboot", Format: "10"},
}
