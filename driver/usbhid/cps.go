package usbhid

import (
	"fmt"
	"strconv"

	"github.com/powerchain/powerchain/hid"
)

// cps: NUT 2.8.0 drivers/cps-hid.c ("CyberPower HID 0.6"). Facts (paths, usages,
// values) from NUT; the table is in this package's form.

var cpsSub = &Subdriver{
	Name:     "cps",
	Version:  "CyberPower HID 0.6",
	Mfr:      "CPS",
	Usages:   cpsUsages,
	Rows:     cpsRows,
	Setup:    cpsSetup,
	Fix:      cpsFix,
	NewState: newCPSState,
}

// cpsFuncs are the functions cps.tab names.
var cpsFuncs = funcs{"cpsSetup": cpsSetup, "cpsFix": cpsFix, "newCPSState": newCPSState,
	"cpsBattvolt": cpsBattvolt, "cpsBattcharge": cpsBattcharge}

func newCPSState() any { return &cpsState{scale: 1} }

var cpsUsages = hid.Names{}

var (
	cpsBattvoltInfo   = &Lookup{Name: "cps_battvolt", Fun: cpsBattvolt}
	cpsBattchargeInfo = &Lookup{Name: "cps_battcharge", Fun: cpsBattcharge}
)

// cpsState: 0764:0501 units may report the battery voltage 1.5 times
// too high; once both voltages are known, a reading more than 1.4 times
// the nominal one turns on a 2/3 scale for the rest of the run.
type cpsState struct {
	mightScale, checked bool
	scale               float64
}

func cpsSetup(c *Conv) {
	if d := c.Device(); d.Vendor == 0x0764 && d.Product == 0x0501 {
		c.State().(*cpsState).mightScale = true
	}
}

// cpsBattcharge: some report more than 100 %.
func cpsBattcharge(_ *Conv, v float64) (string, bool) {
	return fmt.Sprintf("%.0f", min(v, 100)), true
}

func cpsBattvolt(c *Conv, v float64) (string, bool) {
	st := c.State().(*cpsState)
	if st.mightScale && !st.checked {
		if s, ok := c.Get("battery.voltage.nominal"); ok {
			if nom, _ := strconv.ParseFloat(s, 64); nom != 0 {
				if v/nom > 1.4 {
					st.scale = 2.0 / 3
				}
				st.checked = true
			}
		}
	}
	return fmt.Sprintf("%.1f", st.scale*v), true
}

// cpsFix: 0764:0501 firmwares copy the high transfer point's range onto
// the output voltage; such an output voltage gets 0..511. (NUT 2.8.0 also
// meant to fix the input voltage, report 15, but does not change it.)
func cpsFix(c *Conv, d *hid.Descriptor) {
	if dev := c.Device(); dev.Vendor != 0x0764 || dev.Product != 0x0501 {
		return
	}
	hvt := d.ByReport(16, 0x00840054) // HighVoltageTransfer
	out := d.ByReport(18, 0x00840030) // Voltage
	if hvt != nil && out != nil && hvt.LogicalMin == out.LogicalMin && hvt.LogicalMax == out.LogicalMax {
		out.LogicalMin, out.LogicalMax = 0, 511
	}
}

var cpsRows = []Row{
	{Kind: Var, Name: "battery.type", Path: "UPS.PowerSummary.iDeviceChemistry", Lookup: stringidConversion},
	{Kind: Var, Name: "battery.mfr.date", Path: "UPS.PowerSummary.iOEMInformation", Lookup: stringidConversion},
	{Kind: Var, Name: "battery.charge.warning", Path: "UPS.PowerSummary.WarningCapacityLimit", Format: "%.0f"},
	{Kind: Var, Name: "battery.charge.low", Path: "UPS.PowerSummary.RemainingCapacityLimit", Format: "%.0f", Flags: SemiStatic | RW | String, Len: 10},
	{Kind: Var, Name: "battery.charge", Path: "UPS.PowerSummary.RemainingCapacity", Lookup: cpsBattchargeInfo},
	{Kind: Var, Name: "battery.runtime", Path: "UPS.PowerSummary.RunTimeToEmpty", Format: "%.0f"},
	{Kind: Var, Name: "battery.runtime.low", Path: "UPS.PowerSummary.RemainingTimeLimit", Format: "%.0f", Flags: SemiStatic | RW | String, Len: 10},
	{Kind: Var, Name: "battery.voltage.nominal", Path: "UPS.PowerSummary.ConfigVoltage", Format: "%.0f"},
	{Kind: Var, Name: "battery.voltage", Path: "UPS.PowerSummary.Voltage", Lookup: cpsBattvoltInfo},
	{Kind: Var, Name: "ups.load", Path: "UPS.Output.PercentLoad", Format: "%.0f"},
	{Kind: Var, Name: "ups.beeper.status", Path: "UPS.PowerSummary.AudibleAlarmControl", Lookup: beeperInfo},
	{Kind: Var, Name: "ups.test.result", Path: "UPS.Output.Test", Lookup: testReadInfo},
	{Kind: Var, Name: "ups.realpower.nominal", Path: "UPS.Output.ConfigActivePower", Format: "%.0f"},
	{Kind: Server, Name: "ups.delay.start", Path: "UPS.Output.DelayBeforeStartup", Format: "30", Flags: RW | String, Len: 10},
	{Kind: Server, Name: "ups.delay.shutdown", Path: "UPS.Output.DelayBeforeShutdown", Format: "20", Flags: RW | String, Len: 10},
	{Kind: Var, Name: "ups.timer.start", Path: "UPS.Output.DelayBeforeStartup", Format: "%.0f", Flags: Quick},
	{Kind: Var, Name: "ups.timer.shutdown", Path: "UPS.Output.DelayBeforeShutdown", Format: "%.0f", Flags: Quick},
	{Kind: Var, Name: "ups.timer.reboot", Path: "UPS.Output.DelayBeforeReboot", Format: "%.0f", Flags: Quick},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.ACPresent", Flags: Quick, Lookup: onlineInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.Charging", Flags: Quick, Lookup: chargingInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.Discharging", Flags: Quick, Lookup: dischargingInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit", Flags: Quick, Lookup: lowbattInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.FullyCharged", Lookup: fullychargedInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.RemainingTimeLimitExpired", Lookup: timelimitexpiredInfo},
	{Kind: Status, Path: "UPS.Output.Boost", Lookup: boostInfo},
	{Kind: Status, Path: "UPS.Output.Overload", Lookup: overloadInfo},
	{Kind: Var, Name: "input.frequency", Path: "UPS.Input.Frequency", Format: "%.1f"},
	{Kind: Var, Name: "input.voltage.nominal", Path: "UPS.Input.ConfigVoltage", Format: "%.0f"},
	{Kind: Var, Name: "input.voltage", Path: "UPS.Input.Voltage", Format: "%.1f"},
	{Kind: Var, Name: "input.transfer.low", Path: "UPS.Input.LowVoltageTransfer", Format: "%.0f", Flags: SemiStatic | RW | String, Len: 10},
	{Kind: Var, Name: "input.transfer.high", Path: "UPS.Input.HighVoltageTransfer", Format: "%.0f", Flags: SemiStatic | RW | String, Len: 10},
	{Kind: Var, Name: "output.frequency", Path: "UPS.Output.Frequency", Format: "%.1f"},
	{Kind: Var, Name: "output.voltage", Path: "UPS.Output.Voltage", Format: "%.1f"},
	{Kind: Var, Name: "output.voltage.nominal", Path: "UPS.Output.ConfigVoltage", Format: "%.0f"},
	{Kind: Cmd, Name: "test.battery.start.quick", Path: "UPS.Output.Test", Format: "1"},
	{Kind: Cmd, Name: "test.battery.start.deep", Path: "UPS.Output.Test", Format: "2"},
	{Kind: Cmd, Name: "test.battery.stop", Path: "UPS.Output.Test", Format: "3"},
	{Kind: Cmd, Name: "load.off.delay", Path: "UPS.Output.DelayBeforeShutdown", Format: "20"},
	{Kind: Cmd, Name: "load.on.delay", Path: "UPS.Output.DelayBeforeStartup", Format: "30"},
	{Kind: Cmd, Name: "shutdown.stop", Path: "UPS.Output.DelayBeforeShutdown", Format: "-1"},
	{Kind: Cmd, Name: "shutdown.reboot", Path: "UPS.Output.DelayBeforeReboot", Format: "10"},
	{Kind: Cmd, Name: "beeper.on", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "2"},
	{Kind: Cmd, Name: "beeper.off", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "3"},
	{Kind: Cmd, Name: "beeper.enable", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "2"},
	{Kind: Cmd, Name: "beeper.disable", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "1"},
	{Kind: Cmd, Name: "beeper.mute", Path: "UPS.PowerSummary.AudibleAlarmControl", Format: "3"},
}
