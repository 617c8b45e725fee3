package ipmipsu_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/powerchain/powerchain/client"
	"github.com/powerchain/powerchain/daemon"
	"github.com/powerchain/powerchain/internal/clienttest"
	"github.com/powerchain/powerchain/internal/debtest"
	"github.com/powerchain/powerchain/internal/ipmitest"
	"github.com/powerchain/powerchain/internal/servetest"
	"github.com/powerchain/powerchain/internal/testlog"
	"github.com/powerchain/powerchain/internal/waittest"
	"github.com/powerchain/powerchain/nut"
)

func TestMain(m *testing.M) { testlog.Main(m) }

var made = time.Date(2021, 3, 4, 5, 6, 0, 0, time.UTC)

// server: two supplies, PSU1 healthy (230 V in), PSU2 failing (no input
// reading).
func server() []ipmitest.PSU {
	base := ipmitest.PSU{Mfr: "DELTA", Model: "DPS-750AB-1 A", Part: "754381-B21", Made: made, Watts: 750,
		VinLow: 90, VinHigh: 264, FreqLow: 47, FreqHigh: 63, Present: true}
	p1, p2 := base, base
	p1.FRU, p1.Instance, p1.Sensor, p1.VoltSensor, p1.Serial, p1.InputVoltage = 1, 1, 0x60, 0x62, "5DMLE0ABCDE123", 230
	p2.FRU, p2.Instance, p2.Sensor, p2.VoltSensor, p2.Serial, p2.Failure = 2, 2, 0x61, 0x63, "5DMLE0ABCDE124", true
	return []ipmitest.PSU{p1, p2}
}

func serve(t *testing.T, sim *ipmitest.Sim, extra string) *client.Client {
	t.Helper()
	dir := t.TempDir()
	section := func(name string, fru int, keys string) string {
		return fmt.Sprintf("[%s]\n\tdriver = nut-ipmipsu\n\tport = id%d@127.0.0.1:%d\n\tusername = %s\n\tpassword = %s\n\tpollinterval = 1\n%s",
			name, fru, sim.Port, ipmitest.User, ipmitest.Password, keys)
	}
	conf := section("psu1", 1, "\tcipher_suite = 3\n\tchassis_control = yes\n\toverride.device.parent = pdu1:outlet1\n") +
		section("psu2", 2, "") + section("psu1-v15", 1, "\tauthtype = md5\n") + extra
	os.WriteFile(filepath.Join(dir, "ups.conf"), []byte(conf), 0o640)
	os.WriteFile(filepath.Join(dir, "upsd.users"), []byte("[admin]\n\tpassword = pw\n\tinstcmds = ALL\n\tinstcmds = load.on load.off load.cycle\n"+
		"[ops]\n\tpassword = pw\n\tinstcmds = ALL\n"), 0o640)
	addr := servetest.Serve(t, daemon.Options{ConfDir: dir}).String()
	cctx, ccancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(ccancel)
	return clienttest.Login(cctx, t, addr, "admin", "pw")
}

// waitValue waits until the variable reads want, for at most 20 s.
func waitValue(t *testing.T, c *client.Client, ups, name, want string) {
	t.Helper()
	clienttest.WaitValue(t, c, ups, name, want, 20*time.Second)
}

func ipmitool(t *testing.T, sim *ipmitest.Sim, args ...string) string {
	t.Helper()
	base := []string{"-I", "lanplus", "-C", "3", "-H", "127.0.0.1", "-p", fmt.Sprint(sim.Port), "-U", ipmitest.User, "-P", ipmitest.Password}
	out, err := exec.Command("ipmitool", append(base, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("ipmitool %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestPowerSuppliesOverLAN: two supplies read over RMCP+ (cipher suite 3)
// and IPMI 1.5: identity and rating from the FRU, state from the sensor
// bits (PSU2 failing), input voltage; a sensor change is followed; the
// supply sits in the chain under its PDU outlet.
func TestPowerSuppliesOverLAN(t *testing.T) {
	sim := ipmitest.Start(t, server())
	c := serve(t, sim, "")
	for name, want := range map[string]string{
		"device.type": "psu", "device.mfr": "DELTA", "device.model": "DPS-750AB-1 A", "device.serial": "5DMLE0ABCDE123",
		"device.part": "754381-B21", "device.mfr.date": "03/04/21 - 05:06:00", "ups.id": "1",
		"ups.realpower.nominal": "750", "input.voltage.minimum": "90", "input.voltage.maximum": "264",
		"input.frequency.low": "47", "input.frequency.high": "63", "input.voltage": "230.00", "ups.status": "OL",
		"device.parent": "pdu1:outlet1",
	} {
		waitValue(t, c, "psu1", name, want)
	}
	waitValue(t, c, "psu1-v15", "ups.status", "OL") // the same supply over IPMI 1.5
	waitValue(t, c, "psu2", "ups.status", "OFF")
	waitValue(t, c, "psu2", "ups.alarm", "Power supply failure detected")
	if out := ipmitool(t, sim, "sensor", "get", "PSU2 Status"); !strings.Contains(out, "Failure detected") {
		t.Errorf("ipmitool disagrees: %s", out)
	}

	// The failure clears; PSU1 loses its input.
	sim.SetBit(0x61, ipmitest.BitFailure, false)
	waitValue(t, c, "psu2", "ups.status", "OL")
	sim.SetBit(0x60, ipmitest.BitInputLost, true)
	waitValue(t, c, "psu1", "ups.status", "OFF")
	waitValue(t, c, "psu1", "ups.alarm", "Power supply input lost")
	sim.SetBit(0x60, ipmitest.BitInputLost, false)
	sim.SetBit(0x60, ipmitest.BitPredictive, true)
	waitValue(t, c, "psu1", "ups.status", "OL ALARM")
	sim.SetBit(0x60, ipmitest.BitPresence, false)
	waitValue(t, c, "psu1", "ups.status", "OFF")
	waitValue(t, c, "psu1", "ups.alarm", "Power supply absent; Predictive failure")
}

// TestChassisControl: load.off/on/cycle reach the BMC (ipmitool's power
// status follows); supplies without chassis_control = yes do not offer
// them.
func TestChassisControl(t *testing.T) {
	sim := ipmitest.Start(t, server())
	c := serve(t, sim, "")
	waitValue(t, c, "psu1", "ups.status", "OL")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmds, err := c.Commands(ctx, "psu1")
	if err != nil || strings.Join(cmds, " ") != "load.cycle load.off load.on" {
		t.Errorf("psu1 commands %v %v", cmds, err)
	}
	if cmds, _ := c.Commands(ctx, "psu2"); len(cmds) != 0 {
		t.Errorf("psu2 offers %v without chassis_control = yes", cmds)
	}
	// A user with "instcmds = ALL" only may not switch a server off.
	ops := clienttest.Login(ctx, t, c.Addr(), "ops", "pw")
	if err := ops.InstCmd(ctx, "psu1", "load.off"); !errors.Is(err, nut.ErrAccessDenied) {
		t.Errorf("load.off by a user without it named: %v, want ACCESS-DENIED", err)
	}
	if sim.Power() != "1" {
		t.Fatal("the chassis was switched off by a user without the right")
	}
	if err := c.InstCmd(ctx, "psu1", "load.off"); err != nil {
		t.Fatal(err)
	}
	if out := ipmitool(t, sim, "chassis", "power", "status"); !strings.Contains(out, "is off") || sim.Power() != "0" {
		t.Errorf("after load.off: %s (power %s)", out, sim.Power())
	}
	if err := c.InstCmd(ctx, "psu1", "load.on"); err != nil {
		t.Fatal(err)
	}
	if out := ipmitool(t, sim, "chassis", "power", "status"); !strings.Contains(out, "is on") {
		t.Errorf("after load.on: %s", out)
	}
	if err := c.InstCmd(ctx, "psu1", "load.cycle"); err != nil {
		t.Fatal(err)
	}
	// A power cycle is off, then on again after the BMC's interval.
	var out string
	if !waittest.Until(15*time.Second, 500*time.Millisecond, func() bool {
		out = ipmitool(t, sim, "chassis", "power", "status")
		return strings.Contains(out, "is on")
	}) {
		t.Fatalf("after load.cycle the chassis stays off: %s", out)
	}
}

// TestBadBMC: a wrong password and an unreachable BMC give no data and a
// clear error, and the server answers for the other supplies.
func TestBadBMC(t *testing.T) {
	sim := ipmitest.Start(t, server())
	extra := fmt.Sprintf("[wrongpw]\n\tdriver = nut-ipmipsu\n\tport = id1@127.0.0.1:%d\n\tusername = %s\n\tpassword = nope\n", sim.Port, ipmitest.User) +
		"[nobmc]\n\tdriver = nut-ipmipsu\n\tport = id1@127.0.0.1:9\n\tusername = x\n\tpassword = y\n"
	c := serve(t, sim, extra)
	waitValue(t, c, "psu1", "ups.status", "OL")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, dev := range []string{"wrongpw", "nobmc"} {
		if _, err := c.Get(ctx, dev, "ups.status"); err == nil {
			t.Errorf("%s has data", dev)
		}
	}
}

// TestDebianNutIpmipsuHasNoLAN: side by side on the same simulator,
// Debian's NUT 2.8.0 nut-ipmipsu cannot reach a BMC over the network (it
// refuses the LAN settings, and without them looks only for a local BMC),
// which powerchain's driver reads (TestPowerSuppliesOverLAN).
func TestDebianNutIpmipsuHasNoLAN(t *testing.T) {
	const nutDriver = "/lib/nut/nut-ipmipsu"
	debtest.Require(t, "nut-ipmi", nutDriver)
	sim := ipmitest.Start(t, server())
	for _, tc := range []struct{ section, want string }{
		{fmt.Sprintf("port = id1\n\tusername = %s\n\tpassword = %s\n", ipmitest.User, ipmitest.Password), "'username' is not a valid variable name"},
		{"port = id1\n", "could not find inband device"},
	} {
		dir := t.TempDir()
		os.MkdirAll(filepath.Join(dir, "state"), 0o755)
		os.WriteFile(filepath.Join(dir, "ups.conf"), []byte("[psu]\n\tdriver = nut-ipmipsu\n\t"+tc.section), 0o644)
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		cmd := exec.CommandContext(ctx, nutDriver, "-a", "psu", "-F", "-u", "root")
		cmd.Env = append(os.Environ(), "NUT_CONFPATH="+dir, "NUT_STATEPATH="+filepath.Join(dir, "state"))
		out, _ := cmd.CombinedOutput()
		cancel()
		if !strings.Contains(string(out), tc.want) {
			t.Errorf("NUT's nut-ipmipsu with %q (simulator on port %d):\n%s", tc.section, sim.Port, out)
		}
	}
}
