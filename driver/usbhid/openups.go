package usbhid

import (
	"fmt"
	"strconv"

	"github.com/powerchain/powerchain/hid"
)

// openups: NUT 2.8.0 drivers/openups-hid.c ("openUPS HID 0.5"). Facts (paths, usages,
// values) from NUT; the table is in this package's form.

var openupsSub = &Subdriver{
	Name:     "openups",
	Version:  "openUPS HID 0.5",
	Mfr:      "openUPS",
	Usages:   openupsUsages,
	Rows:     openupsRows,
	Setup:    openupsSetup,
	NewState: newOpenUPSState,
}

// openupsFuncs are the functions openups.tab names.
var openupsFuncs = funcs{"openupsSetup": openupsSetup, "newOpenUPSState": newOpenUPSState, "openupsOff": openupsOff,
	"openupsVin": openupsVin, "openupsVout": openupsVout, "openupsCcharge": openupsCcharge,
	"openupsCdischarge": openupsCdischarge, "openupsTemperature": openupsTemperature}

func newOpenUPSState() any { return &openupsState{vin: 1, vout: 1, ccharge: 1, cdischarge: 1} }

var openupsUsages = hid.Names{
	{Name: "Cell1", Usage: 0x00000001},
	{Name: "Cell2", Usage: 0x00000002},
	{Name: "Cell3", Usage: 0x00000003},
	{Name: "Cell4", Usage: 0x00000004},
	{Name: "Cell5", Usage: 0x00000005},
	{Name: "Cell6", Usage: 0x00000006},
}

var (
	openupsChargingInfo    = nonzero("openups_charging_info", "chrg")
	openupsDischargingInfo = nonzero("openups_discharging_info", "dischrg")
	openupsOnlineInfo      = nonzero("openups_online_info", "online")
	openupsNobatteryInfo   = nonzero("openups_nobattery_info", "nobattery")
	openupsOffInfo         = &Lookup{Name: "openups_off_info", Fun: openupsOff}
	openupsVinInfo         = &Lookup{Name: "openups_vin_info", Fun: openupsVin}
	openupsVoutInfo        = &Lookup{Name: "openups_vout_info", Fun: openupsVout}
	openupsCchargeInfo     = &Lookup{Name: "openups_ccharge_info", Fun: openupsCcharge}
	openupsCdischargeInfo  = &Lookup{Name: "openups_cdischarge_info", Fun: openupsCdischarge}
	openupsTemperatureInfo = &Lookup{Name: "openups_temperature_info", Fun: openupsTemperature}
)

// openupsState holds the scale factors of the model (d004 and d005
// measure differently).
type openupsState struct{ vin, vout, ccharge, cdischarge float64 }

func openupsSetup(c *Conv) {
	st := c.State().(*openupsState)
	switch c.Device().Product {
	case 0xd004:
		*st = openupsState{vin: 0.03545 * 100, vout: 0.02571 * 100, ccharge: 0.8274 / 10, cdischarge: 16.113 / 10}
	case 0xd005:
		*st = openupsState{vin: 0.1, vout: 0.1, ccharge: 0.1, cdischarge: 0.1}
	}
}

// openupsOff: a good UPS is not off.
func openupsOff(_ *Conv, v float64) (string, bool) {
	if v != 0 {
		return "!off", true
	}
	return "off", true
}

// The voltages and currents, scaled by the model's factors.
func openupsVin(c *Conv, v float64) (string, bool) {
	return fmt.Sprintf("%.2f", v*c.State().(*openupsState).vin), true
}

func openupsVout(c *Conv, v float64) (string, bool) {
	return fmt.Sprintf("%.2f", v*c.State().(*openupsState).vout), true
}

func openupsCcharge(c *Conv, v float64) (string, bool) {
	return fmt.Sprintf("%.3f", v*c.State().(*openupsState).ccharge), true
}

func openupsCdischarge(c *Conv, v float64) (string, bool) {
	return fmt.Sprintf("%.3f", v*c.State().(*openupsState).cdischarge), true
}

// openupsThermistor: ADC readings at -40 °C, -35 °C … 125 °C.
var openupsThermistor = []uint{0x31, 0x40, 0x53, 0x68, 0x82, 0xA0, 0xC3, 0xE9, 0x113, 0x13F, 0x16E,
	0x19F, 0x1CF, 0x200, 0x22F, 0x25C, 0x286, 0x2AE, 0x2D3, 0x2F4, 0x312, 0x32D, 0x345, 0x35A, 0x36D,
	0x37E, 0x38C, 0x399, 0x3A5, 0x3AF, 0x3B7, 0x3BF, 0x3C6, 0x3CC}

// openupsTemperature interpolates the thermistor table.
func openupsTemperature(_ *Conv, v float64) (string, bool) {
	t := uint(v * 100)
	tbl := openupsThermistor
	switch {
	case t <= tbl[0]:
		return "-40", true
	case t >= tbl[len(tbl)-1]:
		return "125", true
	}
	pos := 0
	for i := len(tbl) - 1; i >= 0; i-- {
		if t >= tbl[i] {
			pos = i
			break
		}
	}
	if t == tbl[pos] {
		return strconv.Itoa(pos*5 - 40), true
	}
	t1, t2 := float64(pos*5-40), float64((pos+1)*5-40)
	d1, d2 := tbl[pos], tbl[pos+1]
	return fmt.Sprintf("%.2f", float64(t-d1)*(t2-t1)/float64(d2-d1)+t1), true
}

var openupsRows = []Row{
	{Kind: Var, Name: "ups.serial", Path: "UPS.PowerSummary.iSerialNumber", Lookup: stringidConversion},
	{Kind: Var, Name: "battery.type", Path: "UPS.PowerSummary.iDeviceChemistry", Flags: Static, Lookup: stringidConversion},
	{Kind: Var, Name: "battery.mfr.date", Path: "UPS.PowerSummary.iOEMInformation", Flags: Static, Lookup: stringidConversion},
	{Kind: Var, Name: "battery.voltage", Path: "UPS.PowerSummary.Voltage", Format: "%.2f", Flags: Quick},
	{Kind: Var, Name: "battery.current", Path: "UPS.PowerSummary.Current", Format: "%.3f", Flags: Quick},
	{Kind: Var, Name: "battery.capacity", Path: "UPS.PowerSummary.DesignCapacity", Format: "%.0f", Flags: Static},
	{Kind: Var, Name: "battery.charge", Path: "UPS.PowerSummary.RemainingCapacity", Format: "%.0f", Flags: Quick},
	{Kind: Var, Name: "battery.charge.low", Path: "UPS.PowerSummary.RemainingCapacityLimit", Format: "%.0f", Flags: Quick},
	{Kind: Var, Name: "battery.charge.warning", Path: "UPS.PowerSummary.WarningCapacityLimit", Format: "%.0f"},
	{Kind: Var, Name: "battery.runtime", Path: "UPS.PowerSummary.RunTimeToEmpty", Format: "%.0f", Flags: Quick},
	{Kind: Var, Name: "battery.temperature", Path: "UPS.PowerSummary.Temperature", Flags: Quick, Lookup: openupsTemperatureInfo},
	{Kind: Var, Name: "output.voltage", Path: "UPS.PowerSummary.Output.Voltage", Flags: Quick, Lookup: openupsVoutInfo},
	{Kind: Var, Name: "output.current", Path: "UPS.PowerSummary.Output.Current", Flags: Quick, Lookup: openupsCdischargeInfo},
	{Kind: Var, Name: "input.voltage", Path: "UPS.PowerSummary.Input.Voltage", Flags: Quick, Lookup: openupsVinInfo},
	{Kind: Var, Name: "input.current", Path: "UPS.PowerSummary.Input.Current", Flags: Quick, Lookup: openupsCchargeInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.Good", Flags: Quick, Lookup: openupsOffInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.InternalFailure", Flags: Quick, Lookup: commfaultInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.Overload", Flags: Quick, Lookup: overloadInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.OverTemperature", Flags: Quick, Lookup: overheatInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.ShutdownImminent", Flags: Quick, Lookup: shutdownimmInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit", Flags: Quick, Lookup: lowbattInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.RemainingTimeLimitExpired", Flags: Quick, Lookup: timelimitexpiredInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.Charging", Flags: Quick, Lookup: openupsChargingInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.Discharging", Flags: Quick, Lookup: openupsDischargingInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.NeedReplacement", Lookup: replacebattInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.ACPresent", Flags: Quick, Lookup: openupsOnlineInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.BatteryPresent", Flags: Quick, Lookup: openupsNobatteryInfo},
}
