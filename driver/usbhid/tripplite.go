package usbhid

// tripplite: NUT 2.8.0 drivers/tripplite-hid.c. The table is tables/tripplite.tab;
// here is what it names that cannot be data.

// trippliteFuncs are the functions tripplite.tab names.
var trippliteFuncs = funcs{"trippliteClaim": trippliteClaim, "trippliteSetup": trippliteSetup,
	"newTrippliteState": newTrippliteState, "trippliteChemistry": trippliteChemistry,
	// The battery voltage and the input/output values, scaled by the
	// model's factors.
	"trippliteBattvolt": stateScaledText("%.1f", func(s *trippliteState) float64 { return s.battery }),
	"trippliteIovolt":   stateScaledText("%.1f", func(s *trippliteState) float64 { return s.voltage }),
	"trippliteIofreq":   stateScaledText("%.1f", func(s *trippliteState) float64 { return s.frequency }),
	"trippliteIoamp":    stateScaledText("%.1f", func(s *trippliteState) float64 { return s.current })}

func newTrippliteState() any {
	return &trippliteState{battery: 1, voltage: 1, frequency: 1, current: 1}
}

// trippliteChemistry: battery.type by string index, except on two
// products whose firmware gets it wrong.
func trippliteChemistry(c *Conv, v float64) (string, bool) {
	if id, _ := c.Get("ups.productid"); id == "1003" || id == "2005" {
		return "unknown", true
	}
	return c.String(int(v))
}

// trippliteState holds the model's scale factors.
type trippliteState struct{ battery, voltage, frequency, current float64 }

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
