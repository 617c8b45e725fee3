// Package ipmitest runs Debian's ipmi_sim (OpenIPMI's BMC simulator) on
// 127.0.0.1 for tests, with power supplies built from a description:
// their sensors, SDRs (full sensor records and FRU device locators) and
// FRU data (board area and a power-supply multirecord), and a chassis
// whose power the tests can read. Sensors change at run time through the
// simulator's console.
package ipmitest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/powerchain/powerchain/internal/debtest"
	"github.com/powerchain/powerchain/internal/netnstest"
	"github.com/powerchain/powerchain/internal/waittest"
)

// Binary is OpenIPMI's simulator.
const Binary = "/usr/bin/ipmi_sim"

// User and Password of the simulator's administrator.
const (
	User     = "ipmiusr"
	Password = "test"
)

// PSU describes one power supply of the simulated server.
type PSU struct {
	FRU          uint8 // FRU device ID (NUT's port = idN)
	Instance     uint8 // entity instance of entity 0x0a (power supply)
	Sensor       uint8 // number of its power-supply sensor
	VoltSensor   uint8 // number of its input-voltage sensor (0: none)
	Mfr, Model   string
	Serial, Part string
	Made         time.Time
	Watts        int     // overall capacity
	VinLow       float64 // input voltage range, volts
	VinHigh      float64
	FreqLow      int // input frequency range, Hz
	FreqHigh     int
	InputVoltage float64 // reading of the voltage sensor (2 V per count)
	// State bits of the power-supply sensor (IPMI sensor type 08h).
	Present, Failure, Predictive, InputLost bool
}

// TwoSupplies is a server's pair of DELTA 750 W power supplies, FRU
// devices and entity instances 1 and 2, power-supply sensors 0x60 and
// 0x61, both present and healthy.
func TwoSupplies() []PSU {
	psu := PSU{Mfr: "DELTA", Model: "DPS-750AB-1 A", Serial: "S", Part: "P", Made: time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC),
		Watts: 750, VinLow: 90, VinHigh: 264, FreqLow: 47, FreqHigh: 63, Present: true}
	p1, p2 := psu, psu
	p1.FRU, p1.Instance, p1.Sensor = 1, 1, 0x60
	p2.FRU, p2.Instance, p2.Sensor = 2, 2, 0x61
	return []PSU{p1, p2}
}

// Sensor-specific offsets of the power-supply sensor type (08h).
const (
	BitPresence   = 0
	BitFailure    = 1
	BitPredictive = 2
	BitInputLost  = 3
)

// Sim is a running simulator.
type Sim struct {
	Addr  string // 127.0.0.1:port (UDP)
	Port  int
	power string // file holding the chassis power state ("0"/"1")
	stdin io.WriteCloser
	out   *bytes.Buffer
	cmd   *exec.Cmd
}

func hexBytes(b []byte) string {
	parts := make([]string, len(b))
	for i, x := range b {
		parts[i] = fmt.Sprintf("0x%02x", x)
	}
	return strings.Join(parts, " ")
}

func idString(s string) []byte { return append([]byte{0xc0 | byte(len(s))}, s...) }

// fullSDR is an IPMI full sensor record (type 01h).
func fullSDR(id uint16, num, entity, inst, stype, evtype, units, m byte, name string) []byte {
	body := []byte{
		0x20, 0x00, num, // owner: BMC, LUN 0, sensor number
		entity, inst,
		0x7f, // initialisation: scanning, events, thresholds, hysteresis, type
		0x40, // capabilities: auto re-arm
		stype, evtype,
		0xff, 0x7f, 0xff, 0x7f, 0xff, 0x7f, // event and reading masks
		0x00, units, 0x00, // units: unsigned; base unit; no modifier
		0x00,                            // linear
		m, 0x00, 0x00, 0x00, 0x00, 0x00, // M, tolerance, B, accuracy, exponents
		0x00,       // analog flags
		0, 0xff, 0, // nominal, normal max, normal min
		0xff, 0x00, // sensor max, min
		0, 0, 0, 0, 0, 0, // thresholds
		0, 0, // hysteresis
		0, 0, // reserved
		0, // OEM
	}
	body = append(body, idString(name)...)
	return append([]byte{byte(id), byte(id >> 8), 0x51, 0x01, byte(len(body))}, body...)
}

// fruLocator is an FRU device locator record (type 11h) for a logical
// FRU device of the BMC.
func fruLocator(id uint16, fru, entity, inst byte, name string) []byte {
	body := []byte{0x20, fru, 0x80, 0x00, 0x00, 0x10, 0x00, entity, inst, 0x00}
	body = append(body, idString(name)...)
	return append([]byte{byte(id), byte(id >> 8), 0x51, 0x11, byte(len(body))}, body...)
}

func zeroSum(b []byte) byte {
	var s byte
	for _, x := range b {
		s += x
	}
	return -s
}

// fru is the FRU data of a power supply: common header, board area and a
// power-supply information multirecord.
func fru(p PSU) []byte {
	board := []byte{0x01, 0x00, 0x00}
	mins := uint32(p.Made.Sub(time.Date(1996, 1, 1, 0, 0, 0, 0, time.UTC)) / time.Minute)
	board = append(board, byte(mins), byte(mins>>8), byte(mins>>16))
	for _, s := range []string{p.Mfr, p.Model, p.Serial, p.Part, ""} {
		board = append(board, idString(s)...)
	}
	board = append(board, 0xc1)
	for (len(board)+1)%8 != 0 {
		board = append(board, 0)
	}
	board[1] = byte((len(board) + 1) / 8)
	board = append(board, zeroSum(board))

	mv := func(v float64) (byte, byte) { n := uint16(v * 100); return byte(n), byte(n >> 8) } // 10 mV units
	data := make([]byte, 24)
	data[0], data[1] = byte(p.Watts), byte(p.Watts>>8)&0x0f
	data[6], data[7] = mv(p.VinLow)
	data[8], data[9] = mv(p.VinHigh)
	data[14], data[15] = byte(p.FreqLow), byte(p.FreqHigh)
	rec := []byte{0x00, 0x82, byte(len(data)), zeroSum(data), 0}
	rec[4] = zeroSum(rec[:4])
	rec = append(rec, data...)

	boardOff := 1 // in 8-byte units, after the 8-byte header
	multiOff := boardOff + len(board)/8
	hdr := []byte{0x01, 0, 0, byte(boardOff), 0, byte(multiOff), 0}
	hdr = append(hdr, zeroSum(hdr))
	out := append(append(hdr, board...), rec...)
	return out
}

const all15 = "111111111111111"

// Emu is the simulator's emulation script for a BMC with these supplies.
func Emu(psus []PSU) string {
	var b strings.Builder
	b.WriteString("mc_setbmc 0x20\nmc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr\nsel_enable 0x20 1000 0x0a\n")
	id := uint16(1)
	for _, p := range psus {
		fmt.Fprintf(&b, "sensor_add 0x20 0 0x%02x 0x08 0x6f\n", p.Sensor)
		fmt.Fprintf(&b, "sensor_set_event_support 0x20 0 0x%02x enable scanning per-state %s %s %s %s\n", p.Sensor, all15, all15, all15, all15)
		fmt.Fprintf(&b, "main_sdr_add 0x20 %s\n", hexBytes(fullSDR(id, p.Sensor, 0x0a, p.Instance, 0x08, 0x6f, 0, 0, fmt.Sprintf("PSU%d Status", p.Instance))))
		id++
		if p.VoltSensor != 0 {
			fmt.Fprintf(&b, "sensor_add 0x20 0 0x%02x 0x02 0x01\n", p.VoltSensor)
			fmt.Fprintf(&b, "sensor_set_event_support 0x20 0 0x%02x enable scanning per-state %s %s %s %s\n", p.VoltSensor, all15, all15, all15, all15)
			fmt.Fprintf(&b, "main_sdr_add 0x20 %s\n", hexBytes(fullSDR(id, p.VoltSensor, 0x0a, p.Instance, 0x02, 0x01, 4, 2, fmt.Sprintf("PSU%d Vin", p.Instance))))
			id++
		}
		fmt.Fprintf(&b, "main_sdr_add 0x20 %s\n", hexBytes(fruLocator(id, p.FRU, 0x0a, p.Instance, fmt.Sprintf("PSU%d FRU", p.Instance))))
		id++
		data := fru(p)
		fmt.Fprintf(&b, "mc_add_fru_data 0x20 %d %d data %s\n", p.FRU, len(data), hexBytes(data))
	}
	b.WriteString("mc_enable 0x20\n")
	for _, p := range psus {
		for bit, on := range map[int]bool{BitPresence: p.Present, BitFailure: p.Failure, BitPredictive: p.Predictive, BitInputLost: p.InputLost} {
			if on {
				fmt.Fprintf(&b, "sensor_set_bit 0x20 0 0x%02x %d 1 0\n", p.Sensor, bit)
			}
		}
		if p.VoltSensor != 0 {
			fmt.Fprintf(&b, "sensor_set_value 0x20 0 0x%02x %d 0\n", p.VoltSensor, int(p.InputVoltage/2))
		}
	}
	return b.String()
}

// Start runs ipmi_sim on a free 127.0.0.1 UDP port until the test ends.
func Start(t testing.TB, psus []PSU) *Sim { return StartIn(t, "", psus) }

// StartIn runs ipmi_sim in the named network namespace (a netnstest
// Lab's; "" is the test's own), on a free UDP port of its 127.0.0.1.
func StartIn(t testing.TB, netns string, psus []PSU) *Sim {
	t.Helper()
	inNS := func(fn func() error) error {
		if netns == "" {
			return fn()
		}
		return netnstest.Enter(netns, fn)
	}
	debtest.Require(t, "openipmi", Binary)
	dir := t.TempDir()
	var port int
	if err := inNS(func() error {
		c, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		port = c.LocalAddr().(*net.UDPAddr).Port
		return c.Close()
	}); err != nil {
		t.Fatal(err)
	}
	s := &Sim{Addr: fmt.Sprintf("127.0.0.1:%d", port), Port: port, power: filepath.Join(dir, "power")}
	os.WriteFile(s.power, []byte("1\n"), 0o644)
	script := filepath.Join(dir, "chassis")
	os.WriteFile(script, []byte(`#!/bin/sh
# ipmi_sim chassis control: DEVICE get PARM... | DEVICE set PARM VALUE...
state=`+s.power+`
shift
op=$1; shift
case $op in
get) for p in "$@"; do [ "$p" = power ] && echo "power:$(cat $state)"; done ;;
set) while [ $# -ge 2 ]; do [ "$1" = power ] && echo "$2" > $state; shift 2; done ;;
esac
exit 0
`), 0o755)
	lan := fmt.Sprintf(`name "psusim"
set_working_mc 0x20
  startlan 1
    addr 127.0.0.1 %d
    priv_limit admin
    allowed_auths_callback none md2 md5 straight
    allowed_auths_user none md2 md5 straight
    allowed_auths_operator none md2 md5 straight
    allowed_auths_admin none md2 md5 straight
    guid a123456789abcdefa123456789abcdef
  endlan
  chassis_control "%s 0x20"
  user 1 true  ""        "test" user     10       none md2 md5 straight
  user 2 true  "%s" "%s" admin    10       none md2 md5 straight
`, port, script, User, Password)
	os.WriteFile(filepath.Join(dir, "lan.conf"), []byte(lan), 0o644)
	os.WriteFile(filepath.Join(dir, "bmc.emu"), []byte(Emu(psus)), 0o644)
	state := filepath.Join(dir, "state")
	os.Mkdir(state, 0o755)
	ctx, cancel := context.WithCancel(context.Background())
	args := []string{Binary, "-c", filepath.Join(dir, "lan.conf"), "-f", filepath.Join(dir, "bmc.emu"), "-s", state}
	if netns != "" {
		args = append([]string{"ip", "netns", "exec", netns}, args...)
	}
	s.cmd = exec.CommandContext(ctx, args[0], args[1:]...)
	s.out = &bytes.Buffer{}
	s.cmd.Stdout, s.cmd.Stderr = s.out, s.out
	var err error
	if s.stdin, err = s.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	s.cmd.WaitDelay = 2 * time.Second
	if err := s.cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.stdin.Close()
		cancel()
		s.cmd.Wait()
		if t.Failed() {
			t.Logf("ipmi_sim output:\n%s", s.out.String())
		}
	})
	// Wait until the UDP port is taken.
	if !waittest.Until(10*time.Second, 50*time.Millisecond, func() bool {
		return inNS(func() error {
			c, err := net.ListenPacket("udp", s.Addr)
			if err != nil {
				return err
			}
			return c.Close()
		}) != nil
	}) {
		t.Fatal("ipmi_sim did not bind its port")
	}
	time.Sleep(300 * time.Millisecond)
	return s
}

// Command sends a console command (man ipmi_sim_cmd) to the simulator.
func (s *Sim) Command(line string) error {
	_, err := io.WriteString(s.stdin, line+"\n")
	return err
}

// SetBit sets or clears a state bit of a sensor, with an event.
func (s *Sim) SetBit(sensor uint8, bit int, on bool) error {
	v := 0
	if on {
		v = 1
	}
	return s.Command(fmt.Sprintf("sensor_set_bit 0x20 0 0x%02x %d %d 1", sensor, bit, v))
}

// SetPower sets the chassis power state as the server itself would (its
// operating system powering it off): "0" or "1".
func (s *Sim) SetPower(state string) error {
	return os.WriteFile(s.power, []byte(state+"\n"), 0o644)
}

// Power reads the chassis power state the BMC was told ("0" or "1").
func (s *Sim) Power() string {
	b, _ := os.ReadFile(s.power)
	return strings.TrimSpace(string(b))
}
