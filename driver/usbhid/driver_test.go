package usbhid

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/powerchain/powerchain/device"
	"github.com/powerchain/powerchain/driver"
	"github.com/powerchain/powerchain/nut"
)

func load(t *testing.T, name string) *Replay {
	t.Helper()
	r, err := LoadReplay(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func writes(r *Replay) string {
	var w []string
	for _, b := range r.Writes() {
		w = append(w, fmt.Sprintf("% x", b))
	}
	return strings.Join(w, " | ")
}

// TestCommandsAndWrites: instant commands and writable variables become
// Feature report writes of the value the table gives, into the report as
// last read; the variable reads back after the write.
func TestCommandsAndWrites(t *testing.T) {
	r := load(t, "apc-back-ups-bk650m2-ch.replay")
	drv, dev := replayDevice(t, r)
	ctx := context.Background()
	snap := dev.Snapshot()
	for _, c := range []string{"beeper.disable", "beeper.enable", "beeper.mute", "beeper.off", "beeper.on",
		"load.off", "load.off.delay", "shutdown.reboot", "shutdown.stop", "test.battery.start.deep",
		"test.battery.start.quick", "test.battery.stop"} {
		if !snap.HasCmd(c) {
			t.Errorf("command %s missing (have %q)", c, snap.Cmds)
		}
	}
	if snap.HasCmd("shutdown.return") || snap.HasCmd("load.on") {
		t.Errorf("shutdown.return/load.on offered without a start delay on the device: %q", snap.Cmds)
	}
	for _, tc := range []struct {
		run  func() error
		want string // the report written
	}{
		{func() error { return drv.InstCmd(ctx, "beeper.disable", "") }, "18 01"},
		{func() error { return drv.InstCmd(ctx, "beeper.off", "") }, "18 01"}, // renamed beeper.disable
		{func() error { return drv.InstCmd(ctx, "load.off.delay", "") }, "15 14 00"},
		{func() error { return drv.InstCmd(ctx, "load.off.delay", "120") }, "15 78 00"},
		{func() error { return drv.InstCmd(ctx, "load.off", "") }, "15 00 00"},
		{func() error { return drv.InstCmd(ctx, "shutdown.stop", "") }, "15 ff ff"},
		{func() error { return drv.InstCmd(ctx, "test.battery.start.quick", "") }, "21 01"},
		{func() error { return drv.SetVar(ctx, "battery.charge.low", "40") }, "11 28"},
		{func() error { return drv.SetVar(ctx, "input.sensitivity", "high") }, "35 02"},
		{func() error { return drv.SetVar(ctx, "input.transfer.low", "170") }, "32 aa 00"},
	} {
		before := len(r.Writes())
		if err := tc.run(); err != nil {
			t.Errorf("%s: %v", tc.want, err)
			continue
		}
		w := r.Writes()
		if len(w) != before+1 || fmt.Sprintf("% x", w[len(w)-1]) != tc.want {
			t.Errorf("wrote %s, want %s", writes(r), tc.want)
		}
	}
	// A server-side variable changes without a write.
	n := len(r.Writes())
	if err := drv.SetVar(ctx, "ups.delay.shutdown", "60"); err != nil || len(r.Writes()) != n {
		t.Errorf("ups.delay.shutdown: %v, writes %s", err, writes(r))
	}
	for _, tc := range []struct {
		err  error
		call func() error
	}{
		{nut.ErrCmdNotSupported, func() error { return drv.InstCmd(ctx, "shutdown.return", "") }},
		{nut.ErrCmdNotSupported, func() error { return drv.InstCmd(ctx, "no.such.command", "") }},
		{nut.ErrVarNotSupported, func() error { return drv.SetVar(ctx, "battery.charge", "5") }},
		{nut.ErrVarNotSupported, func() error { return drv.SetVar(ctx, "no.such.var", "5") }},
	} {
		if err := tc.call(); !errors.Is(err, tc.err) {
			t.Errorf("error %v, want %v", err, tc.err)
		}
	}
	// The next poll (full, after a write) reads the written values back.
	changes, err := drv.Poll(ctx, driver.Status)
	if err != nil {
		t.Fatal(err)
	}
	dev.Update(changes)
	snap = dev.Snapshot()
	for name, want := range map[string]string{"battery.charge.low": "40", "input.sensitivity": "high",
		"input.transfer.low": "170", "ups.delay.shutdown": "60"} {
		if got := snap.Value(name); got != want {
			t.Errorf("%s = %q after the write, want %q", name, got, want)
		}
	}
	if v, _ := snap.Var("battery.charge.low"); v.Flags&device.RW == 0 || v.Aux != 10 {
		t.Errorf("battery.charge.low flags %v aux %d: want RW, STRING:10 as NUT", v.Flags, v.Aux)
	}
}

// TestShutdown: NUT's -k order, here falling through to shutdown.reboot
// (the BK650M2 has no start delay, so no shutdown.return).
func TestShutdown(t *testing.T) {
	r := load(t, "apc-back-ups-bk650m2-ch.replay")
	drv, _ := replayDevice(t, r)
	if err := drv.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := writes(r); got != "40 0a" {
		t.Errorf("shutdown wrote %s, want shutdown.reboot (APCDelayBeforeReboot 10)", got)
	}
}

func waitFor(t *testing.T, dev *device.Device, what string, ok func(*device.Snapshot) bool) {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		ch := dev.Changed()
		if ok(dev.Snapshot()) {
			return
		}
		select {
		case <-ch:
		case <-deadline:
			s := dev.Snapshot()
			t.Fatalf("timed out waiting for %s (status %q, updated %v)", what, s.Value("ups.status"), s.Updated)
		}
	}
}

// runReplay runs the driver on a recording in driver's loop, as serve
// does, with the given poll interval; the returned stop ends it.
func runReplay(t *testing.T, r *Replay, poll time.Duration) (*Driver, *device.Device, func()) {
	t.Helper()
	cfg := driver.Config{Name: "ups", Driver: "usbhid-ups", Port: "auto", Settings: map[string]string{}}
	drv, err := NewWith(cfg, r)
	if err != nil {
		t.Fatal(err)
	}
	drv.opts.PollInterval, drv.opts.PollFreq = poll, poll
	dev := device.New("ups", "")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { driver.Loop(ctx, drv, dev, 10*time.Millisecond, drv.log); close(done) }()
	return drv, dev, func() {
		cancel()
		<-done
	}
}

func fresh(s *device.Snapshot) bool { return !s.Stale(time.Now(), time.Minute) }

// TestInputReport: a status change the device sends as an Input report
// shows in ups.status at once, without waiting for a poll (here an hour
// away; a poll would also read the recorded, online, report again).
func TestInputReport(t *testing.T) {
	r := load(t, "apc-back-ups-bk650m2-ch.replay")
	r.inputs = nil // the recorded ones came while NUT dumped; start quiet
	_, dev, stop := runReplay(t, r, time.Hour)
	defer stop()
	waitFor(t, dev, "the first data", func(s *device.Snapshot) bool { return fresh(s) && s.Value("ups.status") == "OL DISCHRG" })
	// AC lost: Discharging and BatteryPresent set, ACPresent clear (in
	// both reports that carry it).
	r.Inject([]byte{0x13, 0x00})
	r.Inject([]byte{0x16, 0x0a, 0x00, 0x00, 0x00})
	waitFor(t, dev, "OB from an Input report", func(s *device.Snapshot) bool { return s.Value("ups.status") == "OB DISCHRG" })
	r.Inject([]byte{0x16, 0x1a, 0x00, 0x00, 0x00}) // and now ShutdownImminent
	waitFor(t, dev, "LB from an Input report", func(s *device.Snapshot) bool { return s.Value("ups.status") == "OB DISCHRG LB" })
}

// TestUnplugReplug: an unplugged device goes stale and the driver keeps
// trying; plugged back, it serves again.
func TestUnplugReplug(t *testing.T) {
	r := load(t, "apc-back-ups-bk650m2-ch.replay")
	_, dev, stop := runReplay(t, r, 20*time.Millisecond)
	defer stop()
	waitFor(t, dev, "the first data", func(s *device.Snapshot) bool { return fresh(s) && s.Value("battery.charge") == "100" })
	r.Unplug(true)
	waitFor(t, dev, "stale after unplugging", func(s *device.Snapshot) bool { return !fresh(s) })
	r.Unplug(false)
	waitFor(t, dev, "fresh after plugging back", func(s *device.Snapshot) bool { return fresh(s) && s.Value("battery.charge") == "100" })
}

// TestHidrawSysfs finds a USB UPS's hidraw node in a sysfs tree the way
// the kernel lays it out, and skips what is not a USB HID device.
func TestHidrawSysfs(t *testing.T) {
	root := t.TempDir()
	sys, dev := filepath.Join(root, "sys"), filepath.Join(root, "dev")
	usb := filepath.Join(sys, "devices", "pci0000:00", "0000:00:14.0", "usb1", "1-2")
	hid := filepath.Join(usb, "1-2:1.0", "0003:051D:0002.0004")
	write := func(dir, name, content string) {
		t.Helper()
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for k, v := range map[string]string{"idVendor": "051d\n", "idProduct": "0002\n", "bcdDevice": "0106\n",
		"manufacturer": "American Power Conversion\n", "product": "Back-UPS 500 FW: 6.5.I USB FW: c1 \n",
		"serial": "AB0427******\n", "busnum": "1\n", "devnum": "7\n"} {
		write(usb, k, v)
	}
	write(filepath.Join(usb, "1-2:1.0"), "bInterfaceNumber", "00\n")
	write(hid, "uevent", "")
	bt := filepath.Join(sys, "devices", "virtual", "misc", "uhid", "0005:046D:B342.0001")
	write(bt, "uevent", "")
	for n, target := range map[string]string{"hidraw4": hid, "hidraw1": bt} {
		if err := os.MkdirAll(filepath.Join(sys, "class", "hidraw", n), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, filepath.Join(sys, "class", "hidraw", n, "device")); err != nil {
			t.Fatal(err)
		}
	}
	devs, err := Hidraw{Sys: sys, Dev: dev}.Devices(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := Device{Vendor: 0x051d, Product: 0x0002, Release: 0x0106, Manufacturer: "American Power Conversion",
		ProductName: "Back-UPS 500 FW: 6.5.I USB FW: c1 ", Serial: "AB0427******", Bus: "001", DevNum: "007",
		Path: filepath.Join(dev, "hidraw4")}
	if len(devs) != 1 || devs[0] != want {
		t.Fatalf("devices %+v, want %+v", devs, want)
	}
	// The node is missing: a clear error, and the driver stays stale.
	_, err = Hidraw{Sys: sys, Dev: dev}.Open(context.Background(), devs[0])
	if err == nil || !errors.Is(err, ErrGone) || !strings.Contains(err.Error(), devs[0].Path) {
		t.Errorf("open of a missing node: %v", err)
	}
}

// TestOpenErrors: each way an open fails says which node and what to do.
func TestOpenErrors(t *testing.T) {
	d := Device{Vendor: 0x051d, Product: 0x0002, Path: "/dev/hidraw3"}
	for _, tc := range []struct {
		err  error
		want []string
	}{
		{syscall.EACCES, []string{"/dev/hidraw3", "permission denied", `SUBSYSTEM=="hidraw", ATTRS{idVendor}=="051d", ATTRS{idProduct}=="0002"`, "udevadm trigger"}},
		{syscall.EBUSY, []string{"/dev/hidraw3", "busy"}},
		{syscall.ENOENT, []string{"/dev/hidraw3", "unplugged"}},
	} {
		err := openError(d, &fs.PathError{Op: "open", Path: d.Path, Err: tc.err})
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%v: %q lacks %q", tc.err, err, w)
			}
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: not one line: %q", tc.err, err)
		}
	}
}

// TestPortNodeMissing: a port naming a hidraw node that is not there
// (a typo, a UPS on another node) says which node and which are present,
// not only that no UPS matched.
func TestPortNodeMissing(t *testing.T) {
	r := load(t, "apc-back-ups-cs-500.replay")
	cfg := driver.Config{Name: "ups", Driver: "usbhid-ups", Port: "/dev/hidraw-powerchain-none", Settings: map[string]string{}}
	drv, err := NewWith(cfg, r)
	if err != nil {
		t.Fatal(err)
	}
	_, err = drv.Connect(context.Background(), device.New("ups", ""))
	if err == nil || !errors.Is(err, errNoDevice) || !strings.Contains(err.Error(), "port /dev/hidraw-powerchain-none is no HID device here (present: ") {
		t.Errorf("Connect: %v", err)
	}
}
