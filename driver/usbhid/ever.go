package usbhid

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
)

// ever: NUT 2.8.0 drivers/ever-hid.c. The table is tables/ever.tab;
// here is what it names that cannot be data.

// everFuncs are the functions ever.tab names.
var everFuncs = funcs{"newEverState": newEverState, "everHardware": everHardware, "everVersion": everVersion,
	"everMACAddress": everMACAddress, "everIPAddress": everIPAddress, "everPacketCount": everPacketCount,
	"everWorkMode": everWorkMode, "everMessageBits": everMessageBits, "everAlarmBits": everAlarmBits,
	"everOnOff": everOnOff}

func newEverState() any { return &everState{} }

// everHardware: rev.<letter>v<nn>, the high byte 1..26 is A..Z (0 is "0").
func everHardware(_ *Conv, v float64) (string, bool) {
	n := uint(v)
	rev := "0"
	if r := (n >> 8) & 0xff; r >= 1 && r <= 26 {
		rev = string(rune('A' + r - 1))
	} else if r > 26 {
		rev = "?"
	}
	return fmt.Sprintf("rev.%sv%02d", rev, n&0xff), true
}

// everVersion: vMAJOR.MINORbBUILD.
func everVersion(_ *Conv, v float64) (string, bool) {
	n := uint(v)
	return fmt.Sprintf("v%X.%Xb%02d", (n>>12)&0xf, (n>>8)&0xf, n&0xff), true
}

// The conversions below read whole reports from the buffer, not the
// decoded value.

// everMACAddress: report 210 as aa:bb:cc:dd:ee:ff.
func everMACAddress(c *Conv, _ float64) (string, bool) {
	var parts []string
	for _, b := range c.Report(210)[1:] {
		parts = append(parts, fmt.Sprintf("%02x", b))
	}
	return strings.Join(parts, ":"), true
}

// everIPAddress: four rows read four reports in turn (notification
// destination, address, netmask, gateway) as dotted quads.
func everIPAddress(c *Conv, _ float64) (string, bool) {
	st := c.State().(*everState)
	id := []uint8{211, 230, 231, 232}[st.ip]
	st.ip = (st.ip + 1) % 4
	var parts []string
	for _, b := range c.Report(id)[1:] {
		parts = append(parts, strconv.Itoa(int(b)))
	}
	return strings.Join(parts, "."), true
}

// everPacketCount: four rows read four packet counters in turn.
func everPacketCount(c *Conv, _ float64) (string, bool) {
	st := c.State().(*everState)
	id := []uint8{215, 216, 217, 218}[st.packets]
	st.packets = (st.packets + 1) % 4
	b := c.Report(id)
	if len(b) < 5 {
		return "", true
	}
	return strconv.Itoa(int(int32(binary.LittleEndian.Uint32(b[1:5])))), true
}

// everWorkMode: the work mode of report 74.
func everWorkMode(c *Conv, _ float64) (string, bool) {
	switch everReportWord(c, 74, false) {
	case 2:
		return "STOP", true
	case 4:
		return "ONLINE", true
	case 8:
		return "ONBATTERY", true
	case 16:
		return "WATCH", true
	case 32:
		return "WAITING", true
	case 64:
		return "EMERGENCY", true
	}
	return "UNKNOWN", true
}

// everMessageBits and everAlarmBits: the bits of reports 75 and 76 set.
func everMessageBits(c *Conv, _ float64) (string, bool) {
	return everBits(everReportWord(c, 75, true), []everBit{{0x04, "BOOST"}, {0x08, "BUCK"},
		{0x10, "BOOST_BLOCKED"}, {0x20, "BUCK_BLOCKED"}, {0x40, "CHARGING"}, {0x80, "FAN_ON"},
		{0x100, "EPO_BLOCKED"}, {0x200, "NEED_REPLACMENT"}, {0xc00, "OVERHEAT"},
		{0x1000, "WAITING_FOR_MIN_CHARGE"}, {0x2000, "MAINS_OUT_OF_RANGE"}}), true
}

func everAlarmBits(c *Conv, _ float64) (string, bool) {
	return everBits(everReportWord(c, 76, true), []everBit{{0x01, "OVERLOAD"}, {0x02, "SHORT-CIRCUIT"},
		{0x0c, "OVERHEAT"}, {0x10, "EPO"}, {0x20, "INERNAL_ERROR"}, {0x40, "REVERSE_POWER_SUPPLY"},
		{0x80, "NO_INETERNAL_COMM"}, {0x100, "CRITICAL_BATT_VOLTAGE"}}), true
}

// everOnOff: OFF unless the work mode is online or on battery.
func everOnOff(c *Conv, _ float64) (string, bool) {
	if w := everReportWord(c, 74, false); w != 4 && w != 8 {
		return "off", true
	}
	return "!off", true
}

// everState: the address and packet rows take their reports in turn.
type everState struct{ ip, packets int }

// everReportWord reads byte 1 (and 2 when wide, little-endian) of a
// buffered report.
func everReportWord(c *Conv, id uint8, wide bool) int {
	b := c.Report(id)
	n := 0
	if len(b) > 1 {
		n = int(b[1])
	}
	if wide && len(b) > 2 {
		n |= int(b[2]) << 8
	}
	return n
}

type everBit struct {
	mask int
	word string
}

// everBits lists the words of the bits set, in table order.
func everBits(n int, table []everBit) string {
	var w []string
	for _, b := range table {
		if n&b.mask != 0 {
			w = append(w, b.word)
		}
	}
	return strings.Join(w, " ")
}
