package usbhid

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/powerchain/powerchain/hid"
)

// apc: NUT 2.8.0 drivers/apc-hid.c. The table is tables/apc.tab;
// here is what it names that cannot be data.

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
