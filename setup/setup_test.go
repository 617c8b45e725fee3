package setup_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/daemon"
	"github.com/powerchain/powerchain/internal/ipmitest"
	"github.com/powerchain/powerchain/internal/nuttest"
	"github.com/powerchain/powerchain/internal/servetest"
	"github.com/powerchain/powerchain/internal/snmptest"
	"github.com/powerchain/powerchain/internal/testlog"
	"github.com/powerchain/powerchain/internal/waittest"
	"github.com/powerchain/powerchain/scan"
	"github.com/powerchain/powerchain/setup"
)

func snapshot(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	m := map[string][]byte{}
	for _, n := range conf.FileNames {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err == nil {
			m[n] = b
		}
	}
	return m
}

// TestScanToRunningServer: from a scan of simulated devices (two SNMP
// agents, a simulation file) to a running server whose devices Debian's
// upsc reads; a second run changes nothing; a new device is added alone,
// and the user's comments stay.
func TestScanToRunningServer(t *testing.T) {
	nuttest.Require(t, nuttest.Upsc)
	rec := func(name string) []byte {
		b, err := os.ReadFile("../testdata/snmprec/" + name + ".snmprec")
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	snmptest.SimHosts(t, map[string][]byte{"127.0.0.41:161": rec("apc-ap8641"), "127.0.0.42:161": rec("eaton-9px-partial")})
	dir := t.TempDir()
	port := nuttest.FreePort(t)
	os.WriteFile(filepath.Join(dir, "ups.conf"), []byte("# my rack: keep this comment\n[old]\n\tdriver = dummy-ups\n\tport = old.dev\n"), 0o640)
	os.WriteFile(filepath.Join(dir, "old.dev"), []byte("ups.status: OL\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "lab-ups.seq"), []byte("ups.status: OL\nbattery.charge: 90\n"), 0o644)

	find := func() []scan.Device {
		hosts, _ := scan.Range("127.0.0.40", "127.0.0.43", "", scan.MaxHosts)
		// snmpsim (Python) answers slowly on a loaded machine: a timeout
		// of a second once lost both agents under make check.
		found := scan.SNMP(context.Background(), hosts, scan.SNMPOptions{Options: scan.Options{Timeout: 5 * time.Second}})
		sim, err := scan.Simulation(dir)
		if err != nil {
			t.Fatal(err)
		}
		return append(found, sim...)
	}
	opts := setup.Options{Dir: dir, Listen: fmt.Sprintf("127.0.0.1:%d", port)}
	res, err := setup.Apply(find(), opts)
	if err != nil {
		t.Fatalf("setup: %v (%v)", err, res)
	}
	if got := strings.Join(res.Added, " "); got != "ap8641 eaton-9px lab-ups" {
		t.Errorf("added %q", got)
	}
	if !slices.Equal(res.Known, []string{"old"}) {
		t.Errorf("known %q", res.Known)
	}
	if len(res.Secrets) != 2 {
		t.Errorf("new users %v, want monitor and admin", res.Secrets)
	}
	st, _ := os.Stat(filepath.Join(dir, "upsd.users"))
	if st.Mode().Perm() != 0o640 {
		t.Errorf("upsd.users mode %v", st.Mode().Perm())
	}
	// "upsmon = primary" works in NUT but logs "Unknown upsmon type =".
	if users, _ := os.ReadFile(filepath.Join(dir, "upsd.users")); !strings.Contains(string(users), "\tupsmon primary\n") {
		t.Errorf("upsd.users:\n%s", users)
	}

	// The written directory runs, and Debian's upsc reads every device.
	servetest.Run(t, daemon.Options{ConfDir: dir})
	e := nuttest.NewEnv(t)
	for dev, want := range map[string]string{"ap8641": "AP8641", "eaton-9px": "Eaton 9PX", "lab-ups": "Dummy UPS", "old": "Dummy UPS"} {
		if got := e.WaitVar(dev, port, "device.model"); got != want {
			t.Errorf("upsc %s device.model = %q, want %q", dev, got, want)
		}
	}

	// Again: nothing changes.
	before := snapshot(t, dir)
	res, err = setup.Apply(find(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Added) != 0 || len(res.Written) != 0 || len(res.Secrets) != 0 {
		t.Errorf("second run: added %v, wrote %v, users %v", res.Added, res.Written, res.Secrets)
	}
	after := snapshot(t, dir)
	for n := range before {
		if !bytes.Equal(before[n], after[n]) {
			t.Errorf("%s changed on a second run", n)
		}
	}

	// A new device: only it is added; the comment and sections stay.
	os.WriteFile(filepath.Join(dir, "spare.dev"), []byte("ups.status: OL\n"), 0o644)
	res, err = setup.Apply(find(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Added, []string{"spare"}) {
		t.Errorf("third run added %v", res.Added)
	}
	ups, _ := os.ReadFile(filepath.Join(dir, "ups.conf"))
	if !bytes.HasPrefix(ups, before["ups.conf"]) || !strings.Contains(string(ups), "# my rack: keep this comment") {
		t.Errorf("ups.conf was rewritten, not appended to:\n%s", ups)
	}
	mon, _ := os.ReadFile(filepath.Join(dir, "upsmon.conf"))
	if !strings.Contains(string(mon), "MONITOR spare@localhost:") || !strings.Contains(string(mon), fmt.Sprintf("MONITOR eaton-9px@localhost:%d 1 monitor", port)) {
		t.Errorf("upsmon.conf:\n%s", mon)
	}
}

// TestRefusesBrokenConfig: a directory whose files have errors is left
// alone, with the errors reported.
func TestRefusesBrokenConfig(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "ups.conf"), []byte("[a]\n\tport = x.dev\n"), 0o640) // no driver
	_, err := setup.Apply([]scan.Device{{Bus: scan.BusSimulation, Driver: "dummy-ups", Port: "y.dev"}}, setup.Options{Dir: dir})
	if err == nil || !strings.Contains(err.Error(), "ups.conf:") {
		t.Errorf("broken config: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "upsd.users")); err == nil {
		t.Error("files written into a broken configuration")
	}
}

// TestCompletesNUTsStockUpsmonConf: the upsmon.conf Debian's nut-client
// installs has MINSUPPLIES 1 and no MONITOR line (NUT's upsmon refuses
// it); setup adds the MONITOR line that makes it whole, where another
// error of the existing files refuses (TestRefusesBrokenConfig).
func TestCompletesNUTsStockUpsmonConf(t *testing.T) {
	dir := t.TempDir()
	stock := "MINSUPPLIES 1\nSHUTDOWNCMD \"/sbin/shutdown -h +0\"\nPOLLFREQ 5\nPOWERDOWNFLAG /etc/killpower\n"
	os.WriteFile(filepath.Join(dir, "upsmon.conf"), []byte(stock), 0o640)
	os.WriteFile(filepath.Join(dir, "nut.conf"), []byte("MODE=none\n"), 0o640)
	os.WriteFile(filepath.Join(dir, "y.dev"), []byte("ups.status: OL\n"), 0o640)
	res, err := setup.Apply([]scan.Device{{Bus: scan.BusSimulation, Driver: "dummy-ups", Port: "y.dev"}}, setup.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	mon, _ := os.ReadFile(filepath.Join(dir, "upsmon.conf"))
	if !slices.Contains(res.Written, "upsmon.conf") || !strings.HasPrefix(string(mon), stock) || !strings.Contains(string(mon), "\nMONITOR ") {
		t.Errorf("written %v; upsmon.conf:\n%s", res.Written, mon)
	}
}

// TestSetupIPMISupplies: the power supplies an IPMI scan finds become
// nut-ipmipsu sections that run, and count as supplies for upsmon.
func TestSetupIPMISupplies(t *testing.T) {
	nuttest.Require(t, nuttest.Upsc)
	sim := ipmitest.Start(t, ipmitest.TwoSupplies())
	hosts, _ := scan.Range("127.0.0.1", "", "", scan.MaxHosts)
	found := scan.IPMI(context.Background(), hosts, scan.IPMIOptions{Options: scan.Options{Timeout: time.Second},
		User: ipmitest.User, Password: ipmitest.Password, Port: sim.Port})
	dir := t.TempDir()
	port := nuttest.FreePort(t)
	res, err := setup.Apply(found, setup.Options{Dir: dir, Listen: fmt.Sprintf("127.0.0.1:%d", port)})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(res.Added, " "); got != "psu1-127-0-0-1 psu2-127-0-0-1" {
		t.Fatalf("added %q", got)
	}
	servetest.Run(t, daemon.Options{ConfDir: dir})
	e := nuttest.NewEnv(t)
	if got := e.WaitVar("psu2-127-0-0-1", port, "device.type"); got != "psu" {
		t.Errorf("device.type %q", got)
	}
	mon, _ := os.ReadFile(filepath.Join(dir, "upsmon.conf"))
	if !strings.Contains(string(mon), fmt.Sprintf("MONITOR psu1-127-0-0-1@localhost:%d 1 ", port)) {
		t.Errorf("upsmon.conf:\n%s", mon)
	}
}

// fakeUSB is a sysfs with one USB UPS plugged in: the APC Back-UPS 500
// that driver/usbhid's recording apc-back-ups-cs-500.replay holds, with
// the strings that recording shows.
func fakeUSB(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	dev := filepath.Join(root, "bus/usb/devices/1-1")
	for dir, files := range map[string]map[string]string{
		dev: {"idVendor": "051d", "idProduct": "0002", "busnum": "1", "devnum": "3",
			"manufacturer": "American Power Conversion", "product": "Back-UPS 500 FW: 6.5.I USB FW: c1 "},
		dev + ":1.0": {"bInterfaceClass": "03"},
	} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, v := range files {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(v+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return root
}

// TestUSBToRunningServer: setup on a (fake) sysfs with a USB UPS writes a
// section that the server runs: natively, with the recording of that UPS
// as its port (no USB device is attached to this machine), every value
// the recording's UPS gave NUT shows in Debian's upsc; or, named in
// powerchain_hosted, through NUT's usbhid-ups, whose device is listed and
// not connected (there is no USB bus here) while the server runs on.
func TestUSBToRunningServer(t *testing.T) {
	nuttest.Require(t, nuttest.Upsc, "/lib/nut/usbhid-ups")
	found, err := scan.USB(fakeUSB(t))
	if err != nil || len(found) != 1 || found[0].Driver != "usbhid-ups" {
		t.Fatalf("scan: %v %+v", err, found)
	}

	t.Run("native", func(t *testing.T) {
		dir := t.TempDir()
		port := nuttest.FreePort(t)
		res, err := setup.Apply(found, setup.Options{Dir: dir, Listen: fmt.Sprintf("127.0.0.1:%d", port)})
		if err != nil || len(res.Added) != 1 {
			t.Fatalf("setup: %v %+v", err, res)
		}
		name := res.Added[0]
		if got := res.Runs[name].String(); got != "native (powerchain's usbhid-ups)" {
			t.Errorf("runs %q", got)
		}
		// The UPS is the recording: the user's port = auto becomes the
		// recording; the other settings stay as setup wrote them.
		rec, err := os.ReadFile("../driver/usbhid/testdata/apc-back-ups-cs-500.replay")
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, "ups.replay"), rec, 0o644)
		cd, _ := conf.LoadDir(dir)
		f := cd.File(conf.UPSConfFile)
		if err := f.Set(name, "port", "ups.replay"); err != nil {
			t.Fatal(err)
		}
		conf.WriteFileAtomic(f.Path, f.Bytes(), 0o640)
		t.Logf("ups.conf:\n%s", f.Bytes())

		servetest.Run(t, daemon.Options{ConfDir: dir})
		e := nuttest.NewEnv(t)
		for v, want := range map[string]string{"ups.model": "Back-UPS 500", "battery.charge": "100", "ups.status": "OL",
			"battery.runtime": "2580", "driver.name": "usbhid-ups"} {
			if got := e.WaitVar(name, port, v); got != want {
				t.Errorf("upsc %s %s = %q, want %q", name, v, got, want)
			}
		}
	})

	t.Run("hosted", func(t *testing.T) {
		e := nuttest.NewEnv(t)
		cd, _ := conf.LoadDir(e.ConfDir)
		cands, _ := setup.Plan(cd, found)
		name := cands[0].Name
		// NUT's program runs as root here (its default, nut, could not
		// use the test's directories).
		e.WriteFile("ups.conf", "user = root\n"+conf.HostedKey+" = "+name+"\n", 0o640)
		port := nuttest.FreePort(t)
		res, err := setup.Apply(found, setup.Options{Dir: e.ConfDir, Listen: fmt.Sprintf("127.0.0.1:%d", port)})
		if err != nil {
			t.Fatalf("setup: %v %+v", err, res)
		}
		if got := res.Runs[name].String(); got != "through NUT's driver /lib/nut/usbhid-ups" {
			t.Errorf("runs %q", got)
		}
		logs := &testlog.Buffer{}
		servetest.Run(t, daemon.Options{ConfDir: e.ConfDir, StatePath: e.StateDir,
			Log: slog.New(slog.NewTextHandler(logs, nil))})
		target := fmt.Sprintf("%s@127.0.0.1:%d", name, port)
		waittest.Until(15*time.Second, 50*time.Millisecond, func() bool { return strings.Contains(logs.String(), "No matching HID UPS found") })
		out, err := e.Output(nuttest.Upsc, target)
		if err == nil || !strings.Contains(out, "Driver not connected") {
			t.Errorf("upsc %s: %v %q", target, err, out)
		}
		if list := e.Run(nuttest.Upsc, "-l", fmt.Sprintf("127.0.0.1:%d", port)); !strings.Contains(list, name) {
			t.Errorf("upsc -l: %q", list)
		}
		if n := strings.Count(logs.String(), "No matching HID UPS found"); n != 1 {
			t.Errorf("logged %d times:\n%s", n, logs)
		}
	})
}
