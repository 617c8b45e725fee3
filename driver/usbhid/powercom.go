package usbhid

import (
	"strconv"
)

// powercom: NUT 2.8.0 drivers/powercom-hid.c. The table is tables/powercom.tab;
// here is what it names that cannot be data.

// powercomFuncs are the functions powercom.tab names.
var powercomFuncs = funcs{"powercomClaim": powercomClaim, "powercomSetup": powercomSetup,
	"powercomStartup": powercomStartup, "powercomStartupNuf": powercomStartupNuf,
	"powercomShutdown": powercomShutdown, "powercomShutdownNuf": powercomShutdownNuf,
	"powercomStayoffNuf": powercomStayoffNuf, "powercomTrim": powercomTrim, "powercomBoost": powercomBoost}

// powercomBuckBoost: bits 0x18 of the status word are 0x08 when trimming,
// 0x18 when boosting.
func powercomBuckBoost(v float64, want int64, word string) (string, bool) {
	if int64(v)&0x18 == want {
		return word, true
	}
	return "!" + word, true
}

func powercomTrim(_ *Conv, v float64) (string, bool)  { return powercomBuckBoost(v, 0x08, "trim") }
func powercomBoost(_ *Conv, v float64) (string, bool) { return powercomBuckBoost(v, 0x18, "boost") }

// powercomStartup: the start delay is minutes with its two bytes swapped.
func powercomStartup(_ *Conv, v float64) (string, bool) {
	i := uint16(int64(v))
	return strconv.Itoa(60 * int(i<<8|i>>8)), true
}

// powercomStartupNuf writes seconds (the value, else ups.delay.start) as
// minutes, bytes swapped.
func powercomStartupNuf(c *Conv, s string) (float64, bool) {
	if s == "" {
		s, _ = c.Get("ups.delay.start")
	}
	n := atol(s) / 60
	if n < 0 || n > 0xffff {
		return 0, true
	}
	v := uint16(n)
	return float64(v<<8 | v>>8), true
}

// powercomShutdown: the shutdown delay is minutes in the low byte and
// seconds in the high one.
func powercomShutdown(_ *Conv, v float64) (string, bool) {
	i := uint16(int64(v))
	return strconv.Itoa(60*int(i&0xff) + int(i>>8)), true
}

// powercomDelayNuf encodes a shutdown delay in seconds (the value, else
// ups.delay.shutdown; 0 would mean the longest delay, so 1) with a flag:
// 0x4000 restarts when mains return, 0x8000 stays off.
func powercomDelayNuf(c *Conv, s string, flag uint16) (float64, bool) {
	if s == "" {
		s, _ = c.Get("ups.delay.shutdown")
	}
	n := atol(s)
	if n < 0 || n > 0xffff {
		return 0, true
	}
	v := max(uint16(n), 1)
	return float64((v%60)<<8 + v/60 | flag), true
}

func powercomShutdownNuf(c *Conv, s string) (float64, bool) { return powercomDelayNuf(c, s, 0x4000) }
func powercomStayoffNuf(c *Conv, s string) (float64, bool)  { return powercomDelayNuf(c, s, 0x8000) }

// powercomSetup: 0d9f:0001 units give their values only as Input
// reports of 8 bytes.
func powercomSetup(c *Conv) {
	if c.Listed() && c.Device().Product == 0x0001 {
		c.s.interruptOnly, c.s.interruptSize = true, 8
	}
}

// powercomClaim: 0d9f:0002 is a serial UPS (NUT's powercom driver).
func powercomClaim(d *Device, o *Options, s Support) bool {
	if s == PossiblySupported && d.Product == 0x0002 {
		return false
	}
	return commonClaim(s, o)
}
