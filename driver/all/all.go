// Package all links every driver into a program: importing it registers
// them all with package driver. A new driver is its own package (one file
// that registers a Factory in init) and a line here.
package all

import (
	_ "github.com/powerchain/powerchain/driver/dummy"   // dummy-ups, nutclient
	_ "github.com/powerchain/powerchain/driver/ipmipsu" // nut-ipmipsu, ipmi-psu
	_ "github.com/powerchain/powerchain/driver/netxml"  // netxml-ups
	_ "github.com/powerchain/powerchain/driver/snmpups" // snmp-ups
	_ "github.com/powerchain/powerchain/driver/usbhid"  // usbhid-ups
)
