package conf

import (
	"maps"
	"slices"
	"strings"
)

// NUTDriverPackages maps each driver program of NUT 2.8.0
// (drivers/Makefile.am: every bus and platform) to the Debian package
// that installs it in /lib/nut — from the file lists of Debian 12's
// 2.8.0-7 packages (dpkg -L nut-server nut-snmp nut-xml nut-ipmi,
// dpkg-deb -c nut-modbus nut-powerman-pdu nut-i2c). "" where Debian
// builds no such driver (macosx-ups). A ups.conf "driver =" names one of
// them, or one of powerchain's own; the package is what a user installs
// to run NUT's program (see driver/hosted).
var NUTDriverPackages = map[string]string{
	"adelsystem_cbi": "nut-modbus", "al175": "nut-server", "apcsmart": "nut-server",
	"apcsmart-old": "nut-server", "apcupsd-ups": "nut-server", "asem": "nut-i2c",
	"bcmxcp": "nut-server", "bcmxcp_usb": "nut-server", "belkin": "nut-server",
	"belkinunv": "nut-server", "bestfcom": "nut-server", "bestfortress": "nut-server",
	"bestuferrups": "nut-server", "bestups": "nut-server", "blazer_ser": "nut-server",
	"blazer_usb": "nut-server", "clone": "nut-server", "clone-outlet": "nut-server",
	"dummy-ups": "nut-server", "etapro": "nut-server", "everups": "nut-server",
	"gamatronic": "nut-server", "generic_modbus": "nut-modbus", "genericups": "nut-server",
	"huawei-ups2000": "nut-modbus", "isbmex": "nut-server", "ivtscd": "nut-server",
	"liebert": "nut-server", "liebert-esp2": "nut-server", "macosx-ups": "",
	"masterguard": "nut-server", "metasys": "nut-server", "mge-shut": "nut-server",
	"mge-utalk": "nut-server", "microdowell": "nut-server", "microsol-apc": "nut-server",
	"netxml-ups": "nut-xml", "nut-ipmipsu": "nut-ipmi", "nutdrv_atcl_usb": "nut-server",
	"nutdrv_qx": "nut-server", "nutdrv_siemens-sitop": "nut-server", "oneac": "nut-server",
	"optiups": "nut-server", "phoenixcontact_modbus": "nut-modbus", "pijuice": "nut-i2c",
	"powercom": "nut-server", "powerman-pdu": "nut-powerman-pdu", "powerpanel": "nut-server",
	"rhino": "nut-server", "richcomm_usb": "nut-server", "riello_ser": "nut-server",
	"riello_usb": "nut-server", "safenet": "nut-server", "snmp-ups": "nut-snmp",
	"socomec_jbus": "nut-modbus", "solis": "nut-server", "tripplite": "nut-server",
	"tripplite_usb": "nut-server", "tripplitesu": "nut-server", "upscode2": "nut-server",
	"usbhid-ups": "nut-server", "victronups": "nut-server",
}

// NUTDrivers are the driver programs of NUT 2.8.0, sorted: the keys of
// NUTDriverPackages.
var NUTDrivers = slices.Sorted(maps.Keys(NUTDriverPackages))

// IsNUTDriver reports whether name is one of NUT 2.8.0's drivers.
func IsNUTDriver(name string) bool {
	_, ok := NUTDriverPackages[name]
	return ok
}

// UPSConfGlobals are the settings NUT 2.8.0 reads before the first
// section of ups.conf (its drivers, upsdrvctl); it ignores any other.
var UPSConfGlobals = []string{"chroot", "debug_min", "driverpath", "group", "maxretry",
	"maxstartdelay", "nowait", "pollinterval", "retrydelay", "synchronous", "user"}

// HostedKey is powerchain's own global setting of ups.conf: the devices
// (section names, separated by spaces or commas; the key may be
// repeated) whose NUT driver program powerchain runs even where it has a
// driver of that name itself. NUT's programs ignore it, as they ignore
// every global they do not know.
const HostedKey = "powerchain_hosted"

// HostedNames splits a powerchain_hosted value into the section names it
// holds (separated by spaces or commas).
func HostedNames(v string) []string {
	return strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' })
}

// PowerchainGlobals are the global settings of ups.conf that only
// powerchain reads.
var PowerchainGlobals = []string{HostedKey}

// isUPSConfGlobal reports whether a global setting of ups.conf is read
// by NUT or by powerchain.
func isUPSConfGlobal(key string) bool {
	return slices.Contains(UPSConfGlobals, key) || slices.Contains(PowerchainGlobals, key)
}
