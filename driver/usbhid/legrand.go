package usbhid

// legrand: NUT 2.8.0 drivers/legrand-hid.c. The table is tables/legrand.tab;
// here is what it names that cannot be data.

// legrandFuncs are the functions legrand.tab names.
var legrandFuncs = funcs{"legrandSetup": legrandSetup}

// legrandSetup: both Keor models have no interrupt pipe.
func legrandSetup(c *Conv) {
	if c.Listed() {
		c.s.noInterrupt = true
	}
}
