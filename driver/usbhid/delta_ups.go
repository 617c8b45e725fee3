package usbhid

// delta_ups: NUT 2.8.0 drivers/delta_ups-hid.c. The table is tables/delta_ups.tab;
// here is what it names that cannot be data.

// deltaUPSFuncs are the functions delta_ups.tab names.
var deltaUPSFuncs = funcs{"deltaUPSFormat": deltaUPSFormat, "deltaUPSType": deltaUPSType}

// deltaUPSType: the UPS type's low 4 bits.
func deltaUPSType(_ *Conv, v float64) (string, bool) {
	t := int64(v) & 0xf
	switch {
	case t == 6:
		t = 4
	case t > 2 && t <= 5:
		t -= 2
	}
	if t > 4 {
		return "", false
	}
	return [...]string{"online", "offline", "line-interactive", "3-phase", "split-phase"}[t], true
}

// deltaUPSFormat: the model is the string at DeltaModelName when there is
// one, else the USB product.
func deltaUPSFormat(c *Conv) {
	defaultFormat(c)
	if m := c.ItemString("UPS.DeltaCustom.[1].DeltaModelName"); m != "" {
		c.Set("ups.model", m)
	}
}
