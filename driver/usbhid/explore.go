package usbhid

import "github.com/powerchain/powerchain/hid"

// explore: NUT 2.8.0 drivers/explore-hid.c ("EXPLORE HID 0.2"). Facts (paths, usages,
// values) from NUT; the table is in this package's form.

var exploreSub = &Subdriver{
	Name:    "explore",
	Version: "EXPLORE HID 0.2",
	Usages:  exploreUsages,
	Rows:    exploreRows,
	// explore claims whatever the explore option selects (with
	// vendorid): it maps nothing, for looking at unsupported devices.
	Claim: exploreClaim,
}

func exploreClaim(_ *Device, o *Options, _ Support) bool { return o.Explore }

// exploreFuncs are the functions explore.tab names.
var exploreFuncs = funcs{"exploreClaim": exploreClaim}

var exploreUsages = hid.Names{}

var exploreRows = []Row{}
