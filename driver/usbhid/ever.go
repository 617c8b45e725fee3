package usbhid

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"

	"github.com/powerchain/powerchain/hid"
)

// ever: NUT 2.8.0 drivers/ever-hid.c ("Ever HID 0.1"). Facts (paths, usages,
// values) from NUT; the table is in this package's form.

var everSub = &Subdriver{
	Name:     "ever",
	Version:  "Ever HID 0.1",
	Mfr:      "Ever",
	Usages:   everUsages,
	Rows:     everRows,
	NewState: newEverState,
}

var everUsages = hid.Names{
	{Name: "EVER1", Usage: 0x00000000},
	{Name: "EVER2", Usage: 0xff000000},
	{Name: "EVER3", Usage: 0xff000001},
	{Name: "EVER4", Usage: 0xff000002},
	{Name: "EVER5", Usage: 0xff000003},
	{Name: "EVER6", Usage: 0xff000004},
	{Name: "EVER7", Usage: 0xff000005},
	{Name: "EVER8", Usage: 0xff000006},
	{Name: "EVER9", Usage: 0xff000007},
	{Name: "EVER10", Usage: 0xff000008},
	{Name: "EVER11", Usage: 0xff000009},
	{Name: "EVER12", Usage: 0xff000010},
	{Name: "EVER13", Usage: 0xff000011},
	{Name: "EVER14", Usage: 0xff000012},
	{Name: "EVER15", Usage: 0xff000013},
	{Name: "EVER16", Usage: 0xff000014},
	{Name: "EVER17", Usage: 0xff000015},
	{Name: "EVER18", Usage: 0xff000016},
	{Name: "EVER19", Usage: 0xff000017},
	{Name: "EVER20", Usage: 0xff000018},
	{Name: "EVER21", Usage: 0xff000019},
	{Name: "EVER22", Usage: 0xff00001a},
	{Name: "EVER23", Usage: 0xff00001b},
	{Name: "EVER24", Usage: 0xff00001c},
	{Name: "EVER25", Usage: 0xff00001d},
	{Name: "EVER26", Usage: 0xff00001e},
	{Name: "EVER27", Usage: 0xff00001f},
	{Name: "EVER28", Usage: 0xff000020},
	{Name: "EVER29", Usage: 0xff000021},
	{Name: "EVER30", Usage: 0xff000022},
	{Name: "EVER31", Usage: 0xff000023},
	{Name: "EVER32", Usage: 0xff000030},
	{Name: "EVER33", Usage: 0xff000031},
	{Name: "EVER34", Usage: 0xff000032},
	{Name: "EVER35", Usage: 0xff000033},
	{Name: "EVER36", Usage: 0xff000034},
	{Name: "EVER37", Usage: 0xff000035},
	{Name: "EVER38", Usage: 0xff000036},
	{Name: "EVER39", Usage: 0xff000037},
	{Name: "EVER40", Usage: 0xff000038},
	{Name: "EVER41", Usage: 0xff000039},
	{Name: "EVER42", Usage: 0xff000040},
	{Name: "EVER43", Usage: 0xff000041},
	{Name: "EVER44", Usage: 0xff000042},
	{Name: "EVER45", Usage: 0xff000043},
	{Name: "EVER46", Usage: 0xff000044},
	{Name: "EVER47", Usage: 0xff000045},
	{Name: "EVER48", Usage: 0xff000046},
	{Name: "EVER49", Usage: 0xff000050},
	{Name: "EVER50", Usage: 0xff000051},
	{Name: "EVER51", Usage: 0xff000052},
	{Name: "EVER52", Usage: 0xff000053},
	{Name: "EVER53", Usage: 0xff000054},
	{Name: "EVER54", Usage: 0xff000060},
	{Name: "EVER55", Usage: 0xff000061},
	{Name: "EVER56", Usage: 0xff000062},
	{Name: "EVER57", Usage: 0xff000063},
	{Name: "EVER58", Usage: 0xff000064},
	{Name: "EVER59", Usage: 0xff000066},
	{Name: "EVER60", Usage: 0xff000067},
	{Name: "EVER61", Usage: 0xff000068},
	{Name: "EVER62", Usage: 0xff000069},
	{Name: "EVER63", Usage: 0xff00006a},
	{Name: "EVER64", Usage: 0xff00006b},
	{Name: "EVER65", Usage: 0xff00006c},
	{Name: "EVER66", Usage: 0xff00006d},
	{Name: "EVER67", Usage: 0xff00006e},
	{Name: "EVER68", Usage: 0xff00006f},
	{Name: "EVER69", Usage: 0xff000070},
	{Name: "EVER70", Usage: 0xff000071},
	{Name: "EVER71", Usage: 0xff000072},
	{Name: "EVER72", Usage: 0xff000073},
	{Name: "EVER73", Usage: 0xff000074},
	{Name: "EVER74", Usage: 0xff000075},
	{Name: "EVER75", Usage: 0xff000076},
	{Name: "EVER76", Usage: 0xff000077},
	{Name: "EVER77", Usage: 0xff000078},
	{Name: "EVER78", Usage: 0xff000079},
	{Name: "EVER79", Usage: 0xff00007a},
	{Name: "EVER80", Usage: 0xff00007b},
	{Name: "EVER81", Usage: 0xff00007c},
	{Name: "EVER82", Usage: 0xff00007d},
	{Name: "EVER83", Usage: 0xff00007e},
	{Name: "EVER84", Usage: 0xff00007f},
	{Name: "EVER85", Usage: 0xff000080},
	{Name: "EVER86", Usage: 0xff000081},
	{Name: "EVER87", Usage: 0xff000082},
	{Name: "EVER88", Usage: 0xff000083},
	{Name: "EVER89", Usage: 0xff000084},
	{Name: "EVER90", Usage: 0xff000085},
	{Name: "EVER91", Usage: 0xff000086},
	{Name: "EVER92", Usage: 0xff000087},
	{Name: "EVER93", Usage: 0xff000088},
	{Name: "EVER94", Usage: 0xff000089},
	{Name: "EVER95", Usage: 0xff00008a},
	{Name: "EVER96", Usage: 0xff00008b},
	{Name: "EVER97", Usage: 0xff000090},
	{Name: "EVER98", Usage: 0xff000091},
	{Name: "EVER99", Usage: 0xff000092},
	{Name: "EVER100", Usage: 0xff000093},
	{Name: "EVER101", Usage: 0xff000094},
	{Name: "EVER102", Usage: 0xff000095},
	{Name: "EVER103", Usage: 0xff000096},
	{Name: "EVER104", Usage: 0xff000097},
}

var (
	everFormatHardware = &Lookup{Name: "ever_format_hardware", Fun: everHardware}
	everFormatVersion  = &Lookup{Name: "ever_format_version", Fun: everVersion}
	// These read whole reports from the buffer, not the decoded value.
	everMacAddress = &Lookup{Name: "ever_mac_address", Fun: everMACAddress}
	everIpAddress  = &Lookup{Name: "ever_ip_address", Fun: everIPAddress}
	everPackets    = &Lookup{Name: "ever_packets", Fun: everPacketCount}
	everWorkmode   = &Lookup{Name: "ever_workmode", Fun: everWorkMode}
	everMessages   = &Lookup{Name: "ever_messages", Fun: everMessageBits}
	everAlarms     = &Lookup{Name: "ever_alarms", Fun: everAlarmBits}
	everOnOffInfo  = &Lookup{Name: "ever_on_off_info", Fun: everOnOff}
)

// everFuncs are the functions ever.tab names.
var everFuncs = funcs{"newEverState": newEverState, "everHardware": everHardware, "everVersion": everVersion, "everMACAddress": everMACAddress, "everIPAddress": everIPAddress, "everPacketCount": everPacketCount, "everWorkMode": everWorkMode, "everMessageBits": everMessageBits, "everAlarmBits": everAlarmBits, "everOnOff": everOnOff}

func newEverState() any { return &everState{} }

func everHardware(_ *Conv, v float64) (string, bool) {
	// rev.<letter>v<nn>: the high byte 1..26 is A..Z (0 is "0").
	n := uint(v)
	rev := "0"
	if r := (n >> 8) & 0xff; r >= 1 && r <= 26 {
		rev = string(rune('A' + r - 1))
	} else if r > 26 {
		rev = "?"
	}
	return fmt.Sprintf("rev.%sv%02d", rev, n&0xff), true
}

func everVersion(_ *Conv, v float64) (string, bool) {
	n := uint(v)
	return fmt.Sprintf("v%X.%Xb%02d", (n>>12)&0xf, (n>>8)&0xf, n&0xff), true
}

func everMACAddress(c *Conv, _ float64) (string, bool) {
	var parts []string
	for _, b := range c.Report(210)[1:] {
		parts = append(parts, fmt.Sprintf("%02x", b))
	}
	return strings.Join(parts, ":"), true
}

func everIPAddress(c *Conv, _ float64) (string, bool) {
	// Four rows read four reports in turn: notification destination,
	// address, netmask, gateway.
	st := c.State().(*everState)
	id := []uint8{211, 230, 231, 232}[st.ip]
	st.ip = (st.ip + 1) % 4
	var parts []string
	for _, b := range c.Report(id)[1:] {
		parts = append(parts, strconv.Itoa(int(b)))
	}
	return strings.Join(parts, "."), true
}

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

var everRows = []Row{
	{Kind: Var, Name: "experimental.battery.batteryid", Path: "UPS.BatterySystem.Battery.BatteryID", Format: "%.0f"},
	{Kind: Var, Name: "experimental.battery.systemid", Path: "UPS.BatterySystem.BatterySystemID", Format: "%.0f"},
	{Kind: Var, Name: "experimental.battery.chargerid", Path: "UPS.BatterySystem.Charger.ChargerID", Format: "%.0f"},
	{Kind: Var, Name: "experimental.battery.input_flowid", Path: "UPS.BatterySystem.Input.FlowID", Format: "%.0f"},
	{Kind: Var, Name: "experimental.battery.input_id", Path: "UPS.BatterySystem.Input.InputID", Format: "%.0f"},
	{Kind: Var, Name: "experimental.battery.output_flowid", Path: "UPS.BatterySystem.Output.FlowID", Format: "%.0f"},
	{Kind: Var, Name: "experimental.battery.output_id", Path: "UPS.BatterySystem.Output.OutputID", Format: "%.0f"},
	{Kind: Var, Name: "experimental.id.firmware_version_inverter", Path: "UPS.EVER1.EVER13", Lookup: everFormatVersion},
	{Kind: Var, Name: "experimental.id.firmware_version_interfaces", Path: "UPS.EVER1.EVER14", Lookup: everFormatVersion},
	{Kind: Var, Name: "experimental.id.hardware_version", Path: "UPS.EVER1.EVER15", Lookup: everFormatHardware},
	{Kind: Var, Name: "experimental.id.protocol_version_inverter", Path: "UPS.EVER1.EVER16", Lookup: everFormatVersion},
	{Kind: Var, Name: "experimental.id.protocol_version_interfaces", Path: "UPS.EVER1.EVER17", Lookup: everFormatVersion},
	{Kind: Var, Name: "ups.temperature", Path: "UPS.EVER1.EVER42", Lookup: kelvinCelsiusConversion},
	{Kind: Var, Name: "battery.temperature", Path: "UPS.EVER1.EVER43", Lookup: kelvinCelsiusConversion},
	{Kind: Var, Name: "powerfactor", Path: "UPS.EVER1.EVER44", Format: "%.0f"},
	{Kind: Var, Name: "experimental.control.ups_on", Path: "UPS.EVER1.EVER45.EVER46", Format: "%.0f", Flags: RW | Number},
	{Kind: Var, Name: "experimental.control.clear_fault", Path: "UPS.EVER1.EVER45.EVER47", Format: "%.0f", Flags: RW | Number},
	{Kind: Var, Name: "experimental.control.clear_battery_fault", Path: "UPS.EVER1.EVER45.EVER48", Format: "%.0f", Flags: RW | Number},
	{Kind: Var, Name: "experimental.control.epo_blocked", Path: "UPS.EVER1.EVER49.EVER50", Format: "%.0f", Flags: RW | Number},
	{Kind: Var, Name: "experimental.control.green_mode", Path: "UPS.EVER1.EVER49.EVER51", Format: "%.0f", Flags: RW | Number},
	{Kind: Var, Name: "experimental.control.button_sound", Path: "UPS.EVER1.EVER49.EVER52", Format: "%.0f", Flags: RW | Number},
	{Kind: Var, Name: "experimental.control.audible_alarm", Path: "UPS.EVER1.EVER49.EVER53", Format: "%.0f", Flags: RW | Number},
	{Kind: Var, Name: "output.voltage", Path: "UPS.EVER1.EVER54", Format: "%.0f", Flags: RW | String, Len: 3},
	{Kind: Var, Name: "experimental.config.overload_clearance_threshold", Path: "UPS.EVER1.EVER59", Format: "%.0f", Flags: RW | String, Len: 2},
	{Kind: Var, Name: "experimental.config.stb_charge", Path: "UPS.EVER1.EVER60", Format: "%.0f", Flags: RW | String, Len: 2},
	{Kind: Var, Name: "battery.packs.external", Path: "UPS.EVER1.EVER61", Format: "%.0f", Flags: RW | String, Len: 1},
	{Kind: Var, Name: "experimental.statistics.mains_loss_counter", Path: "UPS.EVER1.EVER62", Format: "%.0f"},
	{Kind: Var, Name: "experimental.statistics.lowering_AVR_trigger_counter", Path: "UPS.EVER1.EVER63", Format: "%.0f"},
	{Kind: Var, Name: "experimental.statistics.rising_AVR_trigger_counter", Path: "UPS.EVER1.EVER64", Format: "%.0f"},
	{Kind: Var, Name: "experimental.statistics.overload_counter", Path: "UPS.EVER1.EVER65", Format: "%.0f"},
	{Kind: Var, Name: "experimental.statistics.short_circuit_counter", Path: "UPS.EVER1.EVER66", Format: "%.0f"},
	{Kind: Var, Name: "experimental.statistics.discharge_counter", Path: "UPS.EVER1.EVER67", Format: "%.0f"},
	{Kind: Var, Name: "experimental.statistics.overheat_counter", Path: "UPS.EVER1.EVER68", Format: "%.0f"},
	{Kind: Var, Name: "experimental.statistics.mains_operation_time", Path: "UPS.EVER1.EVER69", Format: "%.0f"},
	{Kind: Var, Name: "experimental.statistics.autonomous_operation_time", Path: "UPS.EVER1.EVER70", Format: "%.0f"},
	{Kind: Var, Name: "experimental.statistics.overload_operation_time", Path: "UPS.EVER1.EVER71", Format: "%.0f"},
	{Kind: Var, Name: "experimental.networkcard.mac_address", Path: "UPS.EVER1.EVER72", Lookup: everMacAddress},
	{Kind: Var, Name: "experimental.networkcard.notification_destination_ip", Path: "UPS.EVER1.EVER73", Lookup: everIpAddress},
	{Kind: Var, Name: "experimental.networkcard.send_packets", Path: "UPS.EVER1.EVER77", Lookup: everPackets},
	{Kind: Var, Name: "experimental.networkcard.received_packets", Path: "UPS.EVER1.EVER78", Lookup: everPackets},
	{Kind: Var, Name: "experimental.networkcard.send_packets_err", Path: "UPS.EVER1.EVER79", Lookup: everPackets},
	{Kind: Var, Name: "experimental.networkcard.received_packets_err", Path: "UPS.EVER1.EVER80", Lookup: everPackets},
	{Kind: Var, Name: "experimental.networkcard.config_dhcp_enabled", Path: "UPS.EVER1.EVER85.EVER86", Format: "%.0f"},
	{Kind: Var, Name: "experimental.networkcard.config_ethernet_enabled", Path: "UPS.EVER1.EVER85.EVER87", Format: "%.0f"},
	{Kind: Var, Name: "experimental.networkcard.config_http_enabled", Path: "UPS.EVER1.EVER85.EVER88", Format: "%.0f"},
	{Kind: Var, Name: "experimental.networkcard.config_snmp_enabled", Path: "UPS.EVER1.EVER85.EVER89", Format: "%.0f"},
	{Kind: Var, Name: "experimental.networkcard.config_snmp_trap_enabled", Path: "UPS.EVER1.EVER85.EVER90", Format: "%.0f"},
	{Kind: Var, Name: "experimental.networkcard.config_readonly", Path: "UPS.EVER1.EVER85.EVER91", Format: "%.0f"},
	{Kind: Var, Name: "experimental.networkcard.config_restart_eth", Path: "UPS.EVER1.EVER85.EVER96", Format: "%.0f"},
	{Kind: Var, Name: "experimental.networkcard.ip_address", Path: "UPS.EVER1.EVER93", Lookup: everIpAddress},
	{Kind: Var, Name: "experimental.networkcard.network_mask", Path: "UPS.EVER1.EVER94", Lookup: everIpAddress},
	{Kind: Var, Name: "experimental.networkcard.default_gateway", Path: "UPS.EVER1.EVER95", Lookup: everIpAddress},
	{Kind: Var, Name: "ups.realpower.nominal", Path: "UPS.Flow.ConfigActivePower", Format: "%.0f"},
	{Kind: Var, Name: "ups.power.nominal", Path: "UPS.Flow.ConfigApparentPower", Format: "%.0f"},
	{Kind: Var, Name: "output.frequency.nominal", Path: "UPS.Flow.ConfigFrequency", Format: "%.0f"},
	{Kind: Var, Name: "output.voltage.nominal", Path: "UPS.Flow.ConfigVoltage", Format: "%.0f"},
	{Kind: Var, Name: "experimental.ups.flow_id", Path: "UPS.Flow.FlowID", Format: "%.0f"},
	{Kind: Var, Name: "outlet.1.id", Path: "UPS.OutletSystem.Outlet.OutletID", Format: "%.0f"},
	{Kind: Var, Name: "experimental.outlet.1.present", Path: "UPS.OutletSystem.Outlet.PresentStatus.Present", Lookup: yesNoInfo},
	{Kind: Var, Name: "outlet.1.switchable", Path: "UPS.OutletSystem.Outlet.PresentStatus.Switchable", Lookup: yesNoInfo},
	{Kind: Var, Name: "outlet.1.status", Path: "UPS.OutletSystem.Outlet.PresentStatus.SwitchOn/Off", Format: "%.0f"},
	{Kind: Var, Name: "experimental.outlet.1.undefined", Path: "UPS.OutletSystem.Outlet.PresentStatus.Undefined", Format: "%.0f"},
	{Kind: Var, Name: "experimental.outlet.1.system_id", Path: "UPS.OutletSystem.OutletSystemID", Format: "%.0f"},
	{Kind: Var, Name: "experimental.outlet.1.switch_off_control", Path: "UPS.OutletSystem.Outlet.SwitchOffControl", Format: "%.0f", Flags: RW | Number},
	{Kind: Var, Name: "experimental.outlet.1.switch_on_control", Path: "UPS.OutletSystem.Outlet.SwitchOnControl", Format: "%.0f", Flags: RW | Number},
	{Kind: Var, Name: "experimental.powerconverter.input_flow_id", Path: "UPS.PowerConverter.Input.FlowID", Format: "%.0f"},
	{Kind: Var, Name: "input.frequency", Path: "UPS.PowerConverter.Input.Frequency", Format: "%.0f"},
	{Kind: Var, Name: "experimental.powerconverter.input_id", Path: "UPS.PowerConverter.Input.InputID", Format: "%.0f"},
	{Kind: Var, Name: "input.voltage", Path: "UPS.PowerConverter.Input.Voltage", Format: "%.0f"},
	{Kind: Var, Name: "ups.realpower", Path: "UPS.PowerConverter.Output.ActivePower", Format: "%.0f"},
	{Kind: Var, Name: "ups.power", Path: "UPS.PowerConverter.Output.ApparentPower", Format: "%.0f"},
	{Kind: Var, Name: "output.current", Path: "UPS.PowerConverter.Output.Current", Format: "%.0f"},
	{Kind: Var, Name: "experimental.powerconverter.output_flowid", Path: "UPS.PowerConverter.Output.FlowID", Format: "%.0f"},
	{Kind: Var, Name: "output.frequency", Path: "UPS.PowerConverter.Output.Frequency", Format: "%.0f"},
	{Kind: Var, Name: "experimental.powerconverter.output_id", Path: "UPS.PowerConverter.Output.OutputID", Format: "%.0f"},
	{Kind: Var, Name: "ups.load", Path: "UPS.PowerConverter.Output.PercentLoad", Format: "%.0f"},
	{Kind: Var, Name: "output.voltage", Path: "UPS.PowerConverter.Output.Voltage", Format: "%.0f"},
	{Kind: Var, Name: "experimental.powerconverter.powerconverterid", Path: "UPS.PowerConverter.PowerConverterID", Format: "%.0f"},
	{Kind: Var, Name: "experimental.powersummary.capacity_granularity_1", Path: "UPS.PowerSummary.CapacityGranularity1", Format: "%.0f"},
	{Kind: Var, Name: "experimental.powersummary.capacity_granularity_2", Path: "UPS.PowerSummary.CapacityGranularity2", Format: "%.0f"},
	{Kind: Var, Name: "experimental.powersummary.capacity_mode", Path: "UPS.PowerSummary.CapacityMode", Format: "%.0f"},
	{Kind: Server, Name: "ups.delay.shutdown", Path: "UPS.PowerSummary.DelayBeforeShutdown", Format: "20", Flags: RW | String, Len: 10},
	{Kind: Var, Name: "battery.capacity", Path: "UPS.PowerSummary.DesignCapacity", Format: "%.0f"},
	{Kind: Var, Name: "experimental.powersummary.flow_id", Path: "UPS.PowerSummary.FlowID", Format: "%.0f"},
	{Kind: Var, Name: "battery.capacity", Path: "UPS.PowerSummary.FullChargeCapacity", Format: "%.0f"},
	{Kind: Var, Name: "battery.type", Path: "UPS.PowerSummary.iDeviceChemistry", Format: "%.0f"},
	{Kind: Var, Name: "ups.load", Path: "UPS.PowerSummary.PercentLoad", Format: "%.0f"},
	{Kind: Var, Name: "experimental.powersummary.rechargeable", Path: "UPS.PowerSummary.Rechargeable", Format: "%.0f"},
	{Kind: Var, Name: "battery.charge", Path: "UPS.PowerSummary.RemainingCapacity", Format: "%.0f"},
	{Kind: Var, Name: "battery.runtime.low", Path: "UPS.PowerSummary.RemainingTimeLimit", Format: "%.0f", Flags: RW | Number},
	{Kind: Var, Name: "battery.runtime", Path: "UPS.PowerSummary.RunTimeToEmpty", Format: "%.0f"},
	{Kind: Var, Name: "battery.voltage", Path: "UPS.PowerSummary.Voltage", Format: "%.0f"},
	{Kind: Var, Name: "ups.timer.shutdown", Path: "UPS.PowerSummary.DelayBeforeShutdown", Format: "%.0f", Flags: Quick},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.ACPresent", Flags: Quick, Lookup: onlineInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.AwaitingPower", Flags: Quick, Lookup: awaitingpowerInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.BatteryPresent", Lookup: nobatteryInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.CommunicationLost", Lookup: commfaultInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.Discharging", Flags: Quick, Lookup: dischargingInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.NeedReplacement", Lookup: replacebattInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.Overload", Flags: Quick, Lookup: overloadInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.OverTemperature", Lookup: overheatInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.ShutdownImminent", Lookup: shutdownimmInfo},
	{Kind: Status, Path: "UPS.EVER1.EVER18.EVER19", Lookup: overloadInfo},
	{Kind: Status, Path: "UPS.EVER1.EVER18.EVER20", Lookup: lowbattInfo},
	{Kind: Status, Path: "UPS.EVER1.EVER18.EVER21", Lookup: boostInfo},
	{Kind: Status, Path: "UPS.EVER1.EVER18.EVER22", Lookup: trimInfo},
	{Kind: Status, Path: "UPS.EVER1.EVER18.EVER25", Lookup: chargingInfo},
	{Kind: Status, Path: "UPS.EVER1.EVER18.EVER28", Lookup: replacebattInfo},
	{Kind: Status, Path: "UPS.EVER1.EVER32.EVER33", Lookup: overloadInfo},
	{Kind: Status, Path: "UPS.EVER1.EVER32.EVER40", Lookup: commfaultInfo},
	{Kind: Status, Path: "UPS.EVER1.EVER97.EVER102", Lookup: everOnOffInfo},
	{Kind: Var, Name: "experimental.status.workmode", Path: "UPS.EVER1.EVER97.EVER98", Lookup: everWorkmode},
	{Kind: Var, Name: "experimental.status.messages", Path: "UPS.EVER1.EVER18.EVER28", Lookup: everMessages},
	{Kind: Var, Name: "experimental.status.alarms", Path: "UPS.EVER1.EVER32.EVER33", Lookup: everAlarms},
	{Kind: Cmd, Name: "load.off.delay", Path: "UPS.PowerSummary.DelayBeforeShutdown", Format: "20"},
	{Kind: Cmd, Name: "shutdown.return", Path: "UPS.PowerSummary.DelayBeforeShutdown", Format: "20"},
}
