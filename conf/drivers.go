package conf

import "slices"

// NUTDrivers are the driver programs of NUT 2.8.0 (drivers/Makefile.am:
// every bus and platform; Debian installs them in /lib/nut from
// nut-server, nut-snmp, nut-xml, nut-ipmi, nut-modbus and
// nut-powerman-pdu), sorted. A ups.conf "driver =" names one of them, or
// one of powerchain's own.
var NUTDrivers = []string{
	"adelsystem_cbi", "al175", "apcsmart", "apcsmart-old", "apcupsd-ups", "asem",
	"bcmxcp", "bcmxcp_usb", "belkin", "belkinunv", "bestfcom", "bestfortress",
	"bestuferrups", "bestups", "blazer_ser", "blazer_usb", "clone", "clone-outlet",
	"dummy-ups", "etapro", "everups", "gamatronic", "generic_modbus", "genericups",
	"huawei-ups2000", "isbmex", "ivtscd", "liebert", "liebert-esp2", "macosx-ups",
	"masterguard", "metasys", "mge-shut", "mge-utalk", "microdowell", "microsol-apc",
	"netxml-ups", "nut-ipmipsu", "nutdrv_atcl_usb", "nutdrv_qx", "nutdrv_siemens-sitop",
	"oneac", "optiups", "phoenixcontact_modbus", "pijuice", "powercom", "powerman-pdu",
	"powerpanel", "rhino", "richcomm_usb", "riello_ser", "riello_usb", "safenet",
	"snmp-ups", "socomec_jbus", "solis", "tripplite", "tripplite_usb", "tripplitesu",
	"upscode2", "usbhid-ups", "victronups",
}

// IsNUTDriver reports whether name is one of NUT 2.8.0's drivers.
func IsNUTDriver(name string) bool {
	_, ok := slices.BinarySearch(NUTDrivers, name)
	return ok
}

// UPSConfGlobals are the settings NUT 2.8.0 reads before the first
// section of ups.conf (its drivers, upsdrvctl); it ignores any other.
var UPSConfGlobals = []string{"chroot", "debug_min", "driverpath", "group", "maxretry",
	"maxstartdelay", "nowait", "pollinterval", "retrydelay", "synchronous", "user"}
