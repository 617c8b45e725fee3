package hosted_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/daemon"
	"github.com/powerchain/powerchain/device"
	"github.com/powerchain/powerchain/driver/hosted"
	"github.com/powerchain/powerchain/internal/nuttest"
	"github.com/powerchain/powerchain/internal/servetest"
	"github.com/powerchain/powerchain/internal/testlog"
	"github.com/powerchain/powerchain/internal/waittest"
)

// ddl is a real device's dump, as Debian's dummy-ups plays it.
const ddl = "../../testdata/ddl/APC__Smart-UPS_1500__usbhid-ups__2.6.4__01.dev"

// debugLog logs everything, debug lines included, into a buffer.
func debugLog() (*slog.Logger, *testlog.Buffer) {
	b := &testlog.Buffer{}
	return slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug})), b
}

// serve starts powerchain's server on the directory, its hosted drivers'
// sockets in the env's state directory, and returns its port.
func serve(t *testing.T, e *nuttest.Env, log *slog.Logger) int {
	t.Helper()
	// Once the server has stopped (the cleanup below this one), its
	// hosted programs get SIGTERM: wait until they are gone.
	t.Cleanup(func() {
		waittest.Until(5*time.Second, 50*time.Millisecond, func() bool { return len(children("", e.StateDir)) == 0 })
	})
	return servetest.Serve(t, daemon.Options{ConfDir: e.ConfDir, StatePath: e.StateDir, Log: log, Announce: "no"}).Port
}

// children lists the pids of this process's children running program
// (any when "") with NUT_STATEPATH=state (any when "").
func children(program, state string) []int {
	return childrenOf(os.Getpid(), program, state)
}

// childOf is the pid of a child of pid running program, 0 when none.
func childOf(pid int, program string) int {
	if c := childrenOf(pid, program, ""); len(c) > 0 {
		return c[0]
	}
	return 0
}

// childrenOf lists the children of parent running program (any when
// "") with NUT_STATEPATH=state (any when "").
func childrenOf(parent int, program, state string) []int {
	var pids []int
	ents, _ := os.ReadDir("/proc")
	want := strconv.Itoa(parent)
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid …
		s := string(stat)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(s[i+1:])
		comm := s[strings.IndexByte(s, '(')+1 : i]
		if len(f) < 2 || f[1] != want || program != "" && comm != program {
			continue
		}
		env, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "environ"))
		if state == "" || slices.Contains(strings.Split(string(env), "\x00"), "NUT_STATEPATH="+state) {
			pids = append(pids, pid)
		}
	}
	return pids
}

// upscAll is Debian's upsc listing of a device, once its driver has
// given it all (upsd says WAIT until then).
func upscAll(t *testing.T, e *nuttest.Env, ups string, port int) string {
	t.Helper()
	waittest.Until(10*time.Second, 100*time.Millisecond, func() bool { return e.WaitVar(ups, port, "ups.status") != "WAIT" })
	return e.Run(nuttest.Upsc, fmt.Sprintf("%s@127.0.0.1:%d", ups, port))
}

// TestDummyUPSHostedLikeNUT: Debian's dummy-ups run by serve (forced
// with powerchain_hosted, since powerchain has a dummy-ups of its own)
// shows in Debian's upsc exactly what it shows through Debian's upsd,
// driver.* variables included.
func TestDummyUPSHostedLikeNUT(t *testing.T) {
	nuttest.Require(t, nuttest.Upsd, nuttest.DummyUPS, nuttest.Upsc)
	dev, err := os.ReadFile(ddl)
	if err != nil {
		t.Fatal(err)
	}
	section := "[ups1]\n\tdriver = dummy-ups\n\tport = ups1.dev\n\tdesc = \"hosted\"\n"

	nut, nutPort := nuttest.NewDummyEnv(t, "ups1", string(dev), "", `desc = "hosted"`)
	nut.StartNUT("ups1")

	pc := nuttest.NewEnv(t)
	pc.WriteFile("ups.conf", "user = root\n"+conf.HostedKey+" = ups1\n"+section, 0o644)
	pc.WriteFile("ups1.dev", string(dev), 0o644)
	log, logs := debugLog()
	port := serve(t, pc, log)

	want := upscAll(t, nut, "ups1", nutPort)
	got := upscAll(t, pc, "ups1", port)
	if got != want {
		t.Errorf("upsc through powerchain:\n%s\nthrough NUT's upsd:\n%s", got, want)
	}
	if !strings.Contains(got, "driver.version.internal: ") {
		t.Errorf("not NUT's dummy-ups:\n%s", got)
	}
	if pids := children("dummy-ups", pc.StateDir); len(pids) != 1 {
		t.Errorf("dummy-ups children: %v", pids)
	}
	if t.Failed() {
		t.Log(logs.String())
	}
}

// TestHostedRestarts: a hosted program that dies is started again; the
// device is not connected meanwhile, and both are logged once.
func TestHostedRestarts(t *testing.T) {
	nuttest.Require(t, nuttest.DummyUPS, nuttest.Upsc)
	e := nuttest.NewEnv(t)
	e.WriteFile("ups.conf", conf.HostedKey+" = ups1\nuser = root\n[ups1]\n\tdriver = dummy-ups\n\tport = ups1.dev\n", 0o644)
	e.WriteFile("ups1.dev", "ups.status: OL\n", 0o644)
	log, logs := debugLog()
	port := serve(t, e, log)
	e.WaitUPS("ups1", port)
	pids := children("dummy-ups", e.StateDir)
	if len(pids) != 1 {
		t.Fatalf("dummy-ups children: %v", pids)
	}
	if err := exec.Command("kill", "-KILL", strconv.Itoa(pids[0])).Run(); err != nil {
		t.Fatal(err)
	}
	target := fmt.Sprintf("ups1@127.0.0.1:%d", port)
	sawDown := false
	// The first retry is after 5 s.
	waittest.Until(20*time.Second, 100*time.Millisecond, func() bool {
		out, err := e.Output(nuttest.Upsc, target, "ups.status")
		if err != nil && strings.Contains(out, "Driver not connected") {
			sawDown = true
		}
		return err == nil && sawDown
	})
	if !sawDown {
		t.Error("upsc never saw the driver down")
	}
	if got := e.WaitVar("ups1", port, "ups.status"); got != "OL" {
		t.Errorf("after the restart: ups.status %q", got)
	}
	if n := strings.Count(logs.String(), "NUT driver stopped"); n != 1 {
		t.Errorf("%d lines about the stop:\n%s", n, logs)
	}
	if !strings.Contains(logs.String(), "killed by killed") || !strings.Contains(logs.String(), "NUT driver running again") {
		t.Errorf("log:\n%s", logs)
	}
}

// TestNoDevice: NUT's programs started where their device is missing
// (a serial port that does not exist, no USB bus) exit at once; the
// device stays not connected, the reason is logged once in one line,
// and the restarts back off instead of looping.
func TestNoDevice(t *testing.T) {
	tests := []struct {
		driver, port, want string
	}{
		{"blazer_ser", "/dev/ttyS-powerchain-none", "Unable to open /dev/ttyS-powerchain-none: No such file or directory"},
		{"nutdrv_qx", "/dev/ttyS-powerchain-none", "Unable to open /dev/ttyS-powerchain-none: No such file or directory"},
		{"usbhid-ups", "auto", "No matching HID UPS found"},
	}
	for _, tt := range tests {
		t.Run(tt.driver, func(t *testing.T) {
			nuttest.Require(t, "/lib/nut/"+tt.driver)
			e := nuttest.NewEnv(t)
			e.WriteFile("ups.conf", fmt.Sprintf("user = root\n[ups1]\n\tdriver = %s\n\tport = %s\n", tt.driver, tt.port), 0o644)
			cd, err := conf.LoadDir(e.ConfDir)
			if err != nil {
				t.Fatal(err)
			}
			dc := daemon.DriverConfig(cd, cd.UPS().Devices[0])
			c := hosted.FromUPSConf(cd.UPS(), e.ConfDir, e.StateDir)
			c.Forced["ups1"] = true // usbhid-ups is powerchain's too
			log, logs := debugLog()
			dev := device.New("ups1", "")
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			hosted.Run(ctx, c, dc, dev, hosted.Options{Retry: 20 * time.Millisecond, Log: log})

			var warns []string
			for _, l := range strings.Split(logs.String(), "\n") {
				if strings.Contains(l, "level=WARN") || strings.Contains(l, "level=ERROR") {
					warns = append(warns, l)
				}
			}
			if len(warns) != 1 || !strings.Contains(warns[0], tt.want) {
				t.Errorf("want one warning with %q, got:\n%s", tt.want, strings.Join(warns, "\n"))
			}
			// 20 ms doubling: at most 8 starts fit in 3 s.
			if starts := strings.Count(logs.String(), "started NUT driver"); starts < 2 || starts > 8 {
				t.Errorf("%d starts in 3 s:\n%s", starts, logs)
			}
			if dev.Snapshot().Connected {
				t.Error("device connected without a driver")
			}
		})
	}
}

// TestNoDeviceServed: through serve and Debian's upsc, a hosted
// usbhid-ups with no UPS attached is a listed device whose driver is not
// connected; the server runs on.
func TestNoDeviceServed(t *testing.T) {
	nuttest.Require(t, "/lib/nut/usbhid-ups", nuttest.Upsc)
	e := nuttest.NewEnv(t)
	e.WriteFile("ups.conf", "user = root\n"+conf.HostedKey+" = usb\n[usb]\n\tdriver = usbhid-ups\n\tport = auto\n[sim]\n\tdriver = dummy-ups\n\tport = sim.dev\n", 0o644)
	e.WriteFile("sim.dev", "ups.status: OL\n", 0o644)
	log, logs := debugLog()
	port := serve(t, e, log)
	e.WaitUPS("sim", port)
	if out := e.Run(nuttest.Upsc, "-l", fmt.Sprintf("127.0.0.1:%d", port)); !strings.Contains(out, "usb\n") {
		t.Errorf("upsc -l: %q", out)
	}
	waittest.Until(10*time.Second, 50*time.Millisecond, func() bool { return strings.Contains(logs.String(), "No matching HID UPS found") })
	out, err := e.Output(nuttest.Upsc, fmt.Sprintf("usb@127.0.0.1:%d", port))
	if err == nil || !strings.Contains(out, "Driver not connected") {
		t.Errorf("upsc usb: %v %q", err, out)
	}
	if !strings.Contains(logs.String(), "No matching HID UPS found") {
		t.Errorf("log:\n%s", logs)
	}
}

// TestMissingProgram: a driver neither powerchain nor the installed NUT
// has is one line that names the Debian package to install.
func TestMissingProgram(t *testing.T) {
	empty := t.TempDir()
	tests := []struct{ driver, want string }{
		{"usbhid-ups", "apt-get install nut-server"},
		{"blazer_ser", "apt-get install nut-server"},
		{"snmp-ups", "apt-get install nut-snmp"},
		{"netxml-ups", "apt-get install nut-xml"},
		{"nut-ipmipsu", "apt-get install nut-ipmi"},
		{"generic_modbus", "apt-get install nut-modbus"},
		{"macosx-ups", "Debian's NUT has no such program"},
		{"no-such-ups", "neither powerchain"},
	}
	for _, tt := range tests {
		_, err := hosted.Config{DriverPath: empty}.Program(tt.driver)
		if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %v", tt.driver, err)
		}
	}
	// In serve: logged once, at error level, and the server runs.
	e := nuttest.NewEnv(t)
	e.WriteFile("ups.conf", "driverpath = "+empty+"\n[u]\n\tdriver = blazer_ser\n\tport = /dev/ttyS0\n", 0o644)
	log, logs := debugLog()
	serve(t, e, log)
	waittest.Until(10*time.Second, 20*time.Millisecond, func() bool { return strings.Contains(logs.String(), "apt-get install") })
	if n := strings.Count(logs.String(), "level=ERROR"); n != 1 || !strings.Contains(logs.String(), "apt-get install nut-server") {
		t.Errorf("log:\n%s", logs)
	}
}

// TestArgs: the arguments are NUT's upsdrvctl's.
func TestArgs(t *testing.T) {
	tests := []struct {
		c    hosted.Config
		want []string
	}{
		{hosted.Config{}, []string{"-a", "ups1"}},
		{hosted.Config{User: "nut"}, []string{"-a", "ups1", "-u", "nut"}},
		{hosted.Config{Debug: 2, Chroot: "/srv", User: "nut"}, []string{"-DD", "-a", "ups1", "-r", "/srv", "-u", "nut"}},
	}
	for _, tt := range tests {
		if got := tt.c.Args("ups1"); !slices.Equal(got, tt.want) {
			t.Errorf("%+v: %q, want %q", tt.c, got, tt.want)
		}
	}
}

// TestPrivilegeDrop: with "user = nut" in ups.conf, NUT's program runs as
// nut (it switches itself, as under NUT's upsdrvctl), and serve still
// reads its socket.
func TestPrivilegeDrop(t *testing.T) {
	nuttest.Require(t, nuttest.DummyUPS, nuttest.Upsc)
	if os.Geteuid() != 0 {
		t.Skip("needs root")
	}
	nutUser, err := user.Lookup("nut")
	if err != nil {
		t.Fatal(err)
	}
	e := nuttest.NewEnv(t)
	// The program reads its .dev file as nut, and opens its socket in
	// the state directory as nut.
	for d := e.ConfDir; d != "/tmp" && d != "/" && d != "."; d = filepath.Dir(d) {
		os.Chmod(d, 0o755)
	}
	uid, _ := strconv.Atoi(nutUser.Uid)
	if err := os.Chown(e.StateDir, uid, -1); err != nil {
		t.Fatal(err)
	}
	e.WriteFile("ups.conf", "user = nut\n"+conf.HostedKey+" = ups1\n[ups1]\n\tdriver = dummy-ups\n\tport = ups1.dev\n", 0o644)
	e.WriteFile("ups1.dev", "ups.status: OL\n", 0o644)
	log, logs := debugLog()
	port := serve(t, e, log)
	if got := e.WaitVar("ups1", port, "ups.status"); got != "OL" {
		t.Errorf("ups.status %q", got)
	}
	pids := children("dummy-ups", e.StateDir)
	if len(pids) != 1 {
		t.Fatalf("children %v\n%s", pids, logs)
	}
	st, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pids[0]))
	for _, l := range strings.Split(string(st), "\n") {
		if f := strings.Fields(l); len(f) >= 3 && f[0] == "Uid:" && (f[1] != nutUser.Uid || f[2] != nutUser.Uid) {
			t.Errorf("dummy-ups runs as %s, want nut (%s)", l, nutUser.Uid)
		}
	}
}

// TestHostedUpdates: a hosted NUT 2.8.0 program outlives its updates.
// Those programs never drop a client that closes without a word, and
// abort at their next update writing to it: serve must not open a
// connection to a program's socket only to see whether it answers.
func TestHostedUpdates(t *testing.T) {
	nuttest.Require(t, nuttest.DummyUPS)
	e := nuttest.NewEnv(t)
	e.WriteFile("ups.conf", conf.HostedKey+" = ups1\nuser = root\n[ups1]\n\tdriver = dummy-ups\n\tport = ups1.dev\n", 0o644)
	e.WriteFile("ups1.dev", "ups.status: OL\nups.load: 10\n", 0o644)
	cd, err := conf.LoadDir(e.ConfDir)
	if err != nil {
		t.Fatal(err)
	}
	c := hosted.FromUPSConf(cd.UPS(), e.ConfDir, e.StateDir)
	log, logs := debugLog()
	dev := device.New("ups1", "")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		hosted.Run(ctx, c, daemon.DriverConfig(cd, cd.UPS().Devices[0]), dev, hosted.Options{Log: log})
	}()
	defer func() { cancel(); <-done }()

	// wait waits until the device shows ups.load as want.
	wait := func(want string) {
		t.Helper()
		if !waittest.Until(20*time.Second, 100*time.Millisecond, func() bool {
			s := dev.Snapshot()
			return s.Connected && s.Value("ups.load") == want
		}) {
			t.Fatalf("ups.load never %s; log:\n%s", want, logs)
		}
	}
	wait("10")
	pids := children("dummy-ups", e.StateDir)
	if len(pids) != 1 {
		t.Fatalf("dummy-ups children: %v", pids)
	}
	for _, v := range []string{"42", "43", "44"} {
		h := dev.Handler()
		if h == nil {
			t.Fatalf("no driver to set ups.load %s; log:\n%s", v, logs)
		}
		sctx, scancel := context.WithTimeout(ctx, 20*time.Second) // a program gone never answers
		err := h.SetVar(sctx, "ups.load", v)
		scancel()
		if err != nil {
			t.Fatalf("set ups.load %s: %v; log:\n%s", v, err, logs)
		}
		wait(v)
	}
	if got := children("dummy-ups", e.StateDir); !slices.Equal(got, pids) {
		t.Errorf("dummy-ups was %v, now %v", pids, got)
	}
	if strings.Contains(logs.String(), "NUT driver stopped") {
		t.Errorf("the program stopped:\n%s", logs)
	}
}
