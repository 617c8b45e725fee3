package usbhid

import (
	"cmp"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// belkin: NUT 2.8.0 drivers/belkin-hid.c. The table is tables/belkin.tab;
// here is what it names that cannot be data.

// belkinFuncs are the functions belkin.tab names.
var belkinFuncs = funcs{"belkinClaim": belkinClaim, "belkinFormat": belkinFormat, "newBelkinState": newBelkinState,
	"liebertConfigVoltage": liebertConfigVoltage, "liebertLineVoltage": liebertLineVoltage,
	"belkinFirmware": belkinFirmware, "belkinUPSType": belkinUPSType, "belkinSensitivity": belkinSensitivity}

func newBelkinState() any { return &belkinState{configMult: 1, lineMult: 1} }

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
