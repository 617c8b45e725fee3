package usbhid

import (
	"fmt"
	"strconv"

	"github.com/powerchain/powerchain/hid"
)

// cps: NUT 2.8.0 drivers/cps-hid.c. The table is tables/cps.tab;
// here is what it names that cannot be data.

// cpsFuncs are the functions cps.tab names.
var cpsFuncs = funcs{"cpsSetup": cpsSetup, "cpsFix": cpsFix, "newCPSState": newCPSState,
	"cpsBattvolt": cpsBattvolt, "cpsBattcharge": cpsBattcharge}

func newCPSState() any { return &cpsState{scale: 1} }

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
