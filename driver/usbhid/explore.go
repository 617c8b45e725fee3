package usbhid

// explore: NUT 2.8.0 drivers/explore-hid.c; the table is tables/explore.tab.

// exploreFuncs are the functions explore.tab names.
var exploreFuncs = funcs{"exploreClaim": exploreClaim}

// exploreClaim: explore claims whatever the explore option selects (with
// vendorid): it maps nothing, for looking at unsupported devices.
func exploreClaim(_ *Device, o *Options, _ Support) bool { return o.Explore }
