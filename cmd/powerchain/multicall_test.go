package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/powerchain/powerchain/internal/nuttest"
	"github.com/powerchain/powerchain/internal/snmptest"
	"github.com/powerchain/powerchain/internal/waittest"
)

var (
	buildOnce sync.Once
	binDir    string
	buildErr  error
)

// binary builds powerchain once and links it under the names given,
// returning the directory that holds them.
func binary(t *testing.T, names ...string) string {
	t.Helper()
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "powerchain-bin-")
		if buildErr != nil {
			return
		}
		out, err := exec.Command("go", "build", "-o", filepath.Join(binDir, "powerchain"), ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	for _, n := range names {
		link := filepath.Join(binDir, n)
		if _, err := os.Lstat(link); err != nil {
			if err := os.Symlink("powerchain", link); err != nil {
				t.Fatal(err)
			}
		}
	}
	return binDir
}

// startOwn runs a multi-call name of powerchain in the foreground with the
// env's NUT directories until the test ends.
func startOwn(t *testing.T, env *nuttest.Env, name string, args ...string) *exec.Cmd {
	t.Helper()
	return startOwnAs(t, env, nil, name, args...)
}

// startOwnAs is startOwn with the process attributes given (its
// credentials, say).
func startOwnAs(t *testing.T, env *nuttest.Env, attr *syscall.SysProcAttr, name string, args ...string) *exec.Cmd {
	t.Helper()
	dir := binary(t, name)
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, filepath.Join(dir, name), append([]string{"-F"}, args...)...)
	cmd.Env = env.Environ()
	cmd.SysProcAttr = attr
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.WaitDelay = 2 * time.Second
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		cmd.Wait()
		if t.Failed() {
			t.Logf("powerchain %s output:\n%s", name, out.String())
		}
	})
	return cmd
}

const outletDev = "device.type: pdu\noutlet.1.status: on\noutlet.2.status: on\nups.status: OL\n"

// rootWithGroups is root with supplementary groups (root, adm), as a
// shell's or an init system's root may be: what a driver must shed.
var rootWithGroups = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 0, Gid: 0, Groups: []uint32{0, 4}}}

// identity is a process's real, effective, saved and file-system user and
// group ids and its supplementary groups, as /proc/PID/status lists them.
type identity struct{ uid, gid, groups string }

func identityOf(t *testing.T, pid int) identity {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	var id identity
	fields := map[string]*string{"Uid": &id.uid, "Gid": &id.gid, "Groups": &id.groups}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, _ := strings.Cut(line, ":")
		if f := fields[k]; f != nil {
			*f = strings.Join(strings.Fields(v), " ")
		}
	}
	return id
}

// userIdentity is what a process that became name through initgroups,
// setgid and setuid shows in /proc/PID/status.
func userIdentity(t *testing.T, name string) identity {
	t.Helper()
	u, err := user.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	groups, err := u.GroupIds()
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(groups, func(a, b string) int { x, _ := strconv.Atoi(a); y, _ := strconv.Atoi(b); return x - y })
	four := func(id string) string { return strings.Join([]string{id, id, id, id}, " ") }
	return identity{uid: four(u.Uid), gid: four(u.Gid), groups: strings.Join(slices.Compact(groups), " ")}
}

// nutCanUse opens the env's directories to the nut user: the driver reads
// its .dev file and makes its socket as nut.
func nutCanUse(t *testing.T, env *nuttest.Env) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root")
	}
	nutUser, err := user.Lookup("nut")
	if err != nil {
		t.Fatal(err)
	}
	uid, _ := strconv.Atoi(nutUser.Uid)
	for d := env.ConfDir; d != "/tmp" && d != "/" && d != "."; d = filepath.Dir(d) {
		os.Chmod(d, 0o755)
	}
	if err := os.Chown(env.StateDir, uid, -1); err != nil {
		t.Fatal(err)
	}
}

// TestOwnDriverSwitchesUser: started by root, powerchain's driver process
// switches user before it opens its state socket as NUT's drivers do: -u,
// else ups.conf's user, else nut (NUT's built-in user on Debian), "root"
// honoured; the supplementary groups become the user's (initgroups), so
// none of root's stay. The socket is the user's, so that NUT's upsd,
// running as that user, can open it.
func TestOwnDriverSwitchesUser(t *testing.T) {
	for _, tc := range []struct {
		name, global, section string
		args                  []string
		want                  string
	}{
		{name: "default", want: "nut"},
		{name: "global", global: "user = nut\n", want: "nut"},
		{name: "section", global: "user = root\n", section: "\tuser = nut\n", want: "nut"},
		{name: "flag", global: "user = root\n", args: []string{"-u", "nut"}, want: "nut"},
		{name: "root", args: []string{"-u", "root"}, want: "root"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := nuttest.NewEnv(t)
			nutCanUse(t, env)
			env.WriteFile("ups.conf", tc.global+"[pdu1]\n\tdriver = dummy-ups\n\tport = pdu1.dev\n"+tc.section, 0o644)
			env.WriteFile("pdu1.dev", outletDev, 0o644)
			cmd := startOwnAs(t, env, rootWithGroups, "dummy-ups", append([]string{"-a", "pdu1"}, tc.args...)...)
			sock := filepath.Join(env.StateDir, "dummy-ups-pdu1")
			waitFor(t, func() bool { _, err := os.Stat(sock); return err == nil })
			want := userIdentity(t, tc.want)
			if got := identityOf(t, cmd.Process.Pid); got != want {
				t.Errorf("driver runs as %+v, want %s's %+v", got, tc.want, want)
			}
			st, err := os.Stat(sock)
			if err != nil {
				t.Fatal(err)
			}
			if owner := fmt.Sprint(st.Sys().(*syscall.Stat_t).Uid); owner != strings.Fields(want.uid)[0] {
				t.Errorf("socket %s belongs to uid %s, want %s's", sock, owner, tc.want)
			}
		})
	}
}

// TestOwnDriverUnknownUser: a user that does not exist is an error the
// driver names, as NUT's "user ... not found", and it serves nothing.
func TestOwnDriverUnknownUser(t *testing.T) {
	env := nuttest.NewEnv(t)
	env.WriteFile("ups.conf", "user = nosuchuser-pc\n[pdu1]\n\tdriver = dummy-ups\n\tport = pdu1.dev\n", 0o644)
	env.WriteFile("pdu1.dev", outletDev, 0o644)
	cmd := exec.Command(filepath.Join(binary(t, "dummy-ups"), "dummy-ups"), "-F", "-a", "pdu1")
	cmd.Env = env.Environ()
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "user nosuchuser-pc not found") {
		t.Errorf("dummy-ups with an unknown user: %v\n%s", err, out)
	}
}

// TestOwnUpsdSwitchesUser: powerchain's upsd started by root without -u
// switches to nut, with nut's groups only, once it listens (NUT's upsd
// does the same).
func TestOwnUpsdSwitchesUser(t *testing.T) {
	env := nuttest.NewEnv(t)
	nutCanUse(t, env)
	port := nuttest.FreePort(t)
	env.WriteFile("ups.conf", "[pdu1]\n\tdriver = dummy-ups\n\tport = pdu1.dev\n", 0o644)
	env.WriteFile("upsd.conf", fmt.Sprintf("LISTEN 127.0.0.1 %d\n", port), 0o644)
	env.WriteFile("upsd.users", "", 0o644)
	cmd := startOwnAs(t, env, rootWithGroups, "upsd")
	want := userIdentity(t, "nut")
	var got identity
	waitFor(t, func() bool { got = identityOf(t, cmd.Process.Pid); return got == want })
}

// TestUpsdrvctlDriverSwitchesUser: "upsdrvctl start" without -u, run by
// root, leaves powerchain's driver running as nut with nut's groups only.
func TestUpsdrvctlDriverSwitchesUser(t *testing.T) {
	env := nuttest.NewEnv(t)
	nutCanUse(t, env)
	env.WriteDummy("pdu1", outletDev)
	dir := binary(t, "upsdrvctl", "dummy-ups")
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command(filepath.Join(dir, "upsdrvctl"), args...)
		cmd.Env = env.Environ()
		cmd.SysProcAttr = rootWithGroups
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("upsdrvctl %v: %v\n%s", args, err, out)
		}
	}
	run("start")
	t.Cleanup(func() { run("stop") })
	waitSocket(t, env, "dummy-ups-pdu1")
	b, err := os.ReadFile(filepath.Join(env.StateDir, "dummy-ups-pdu1.pid"))
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := identityOf(t, pid), userIdentity(t, "nut"); got != want {
		t.Errorf("driver runs as %+v, want nut's %+v", got, want)
	}
}

// TestDebianDriverFeedsPowerchainUpsd: Debian's /lib/nut/dummy-ups serves
// its state socket; powerchain running as upsd serves the device.
func TestDebianDriverFeedsPowerchainUpsd(t *testing.T) {
	nuttest.Require(t, nuttest.DummyUPS, nuttest.Upsc, nuttest.Upsrw)
	env, port := nuttest.NewDummyEnv(t, "pdu1", outletDev, "[admin]\n\tpassword = adminpw\n\tactions = SET\n\tinstcmds = ALL\n", `desc = "From NUT"`)
	env.StartDriver("pdu1")
	startOwn(t, env, "upsd", "-u", "root")
	if got := env.WaitVar("pdu1", port, "outlet.2.status"); got != "on" {
		t.Fatalf("outlet.2.status = %q", got)
	}
	target := fmt.Sprintf("pdu1@127.0.0.1:%d", port)
	if out := env.Run(nuttest.Upsc, "-L", fmt.Sprintf("127.0.0.1:%d", port)); !strings.Contains(out, "pdu1: From NUT") {
		t.Errorf("upsc -L: %s", out)
	}
	// SET VAR travels through the socket to NUT's driver and back.
	out := env.Run(nuttest.Upsrw, "-s", "outlet.1.status=off", "-u", "admin", "-p", "adminpw", target)
	if !strings.Contains(out, "OK") {
		t.Errorf("upsrw: %s", out)
	}
	waitOff(t, env, target, "outlet.1.status")
}

// TestPowerchainDriverFeedsDebianUpsd: powerchain run as dummy-ups -a NAME
// serves the state socket; Debian's /lib/nut/upsd serves the device and
// forwards outlet commands to it.
func TestPowerchainDriverFeedsDebianUpsd(t *testing.T) {
	nuttest.Require(t, nuttest.Upsd, nuttest.Upsc, nuttest.Upscmd)
	env, port := nuttest.NewDummyEnv(t, "pdu1", outletDev, "[admin]\n\tpassword = adminpw\n\tactions = SET\n\tinstcmds = ALL\n", "simulate_switching", "override.device.parent = ups1@localhost")
	ownDriverForUpsd(t, env, "dummy-ups", "pdu1")
	if got := env.WaitVar("pdu1", port, "device.parent"); got != "ups1@localhost" {
		t.Errorf("device.parent = %q", got)
	}
	target := fmt.Sprintf("pdu1@127.0.0.1:%d", port)
	out := env.Run(nuttest.Upscmd, "-l", target)
	if !strings.Contains(out, "outlet.2.load.off") {
		t.Fatalf("upscmd -l through Debian upsd: %s", out)
	}
	out = env.Run(nuttest.Upscmd, "-w", "-u", "admin", "-p", "adminpw", target, "outlet.2.load.off")
	if !strings.Contains(out, "SUCCESS") {
		t.Errorf("upscmd -w: %s", out)
	}
	waitOff(t, env, target, "outlet.2.status")
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	if !waittest.Until(10*time.Second, 50*time.Millisecond, cond) {
		t.Fatal("condition not met within 10 s")
	}
}

// ownDriverForUpsd runs powerchain as the NUT driver program driver for
// the device name of ups.conf, as root, and once its state socket is
// there starts Debian's upsd.
func ownDriverForUpsd(t *testing.T, env *nuttest.Env, driver, name string) {
	t.Helper()
	startOwn(t, env, driver, "-u", "root", "-a", name)
	waitSocket(t, env, driver+"-"+name)
	env.StartUpsd()
}

// waitSocket waits for the driver state socket name to appear in the
// env's state directory.
func waitSocket(t *testing.T, env *nuttest.Env, name string) {
	t.Helper()
	waitFor(t, func() bool { _, err := os.Stat(filepath.Join(env.StateDir, name)); return err == nil })
}

// waitOff waits until NUT's upsc reads the variable of target (an
// outlet's status) as off.
func waitOff(t *testing.T, env *nuttest.Env, target, variable string) {
	t.Helper()
	waitFor(t, func() bool {
		o, _ := env.Output(nuttest.Upsc, target, variable)
		return strings.HasSuffix(strings.TrimSpace(o), "off")
	})
}

// upsdrvctlForUpsd writes upsConf as ups.conf (its devices run from
// pdu1.dev, outletDev) and an upsd.conf on a free port, runs powerchain's
// "upsdrvctl start" with the env's directories, then Debian's upsd. It
// returns the env, upsd's port and a runner of more upsdrvctl commands;
// "upsdrvctl stop" runs when the test ends.
func upsdrvctlForUpsd(t *testing.T, upsConf string) (env *nuttest.Env, port int, ctl func(args ...string) string) {
	t.Helper()
	env = nuttest.NewEnv(t)
	port = nuttest.FreePort(t)
	env.WriteFile("ups.conf", upsConf, 0o644)
	env.WriteFile("pdu1.dev", outletDev, 0o644)
	env.WriteUpsd(port, "")
	dir := binary(t, "upsdrvctl", "dummy-ups")
	ctl = func(args ...string) string {
		t.Helper()
		cmd := exec.Command(filepath.Join(dir, "upsdrvctl"), args...)
		cmd.Env = env.Environ()
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("upsdrvctl %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	ctl("start")
	t.Cleanup(func() {
		cmd := exec.Command(filepath.Join(dir, "upsdrvctl"), "stop")
		cmd.Env = env.Environ()
		cmd.Run()
	})
	env.StartUpsd()
	return env, port, ctl
}

// TestUpsdrvctlStartStop: powerchain's upsdrvctl starts its drivers as
// background NUT driver processes for Debian's upsd, and stops them.
func TestUpsdrvctlStartStop(t *testing.T) {
	nuttest.Require(t, nuttest.Upsd, nuttest.Upsc)
	env, port, ctl := upsdrvctlForUpsd(t, "user = root\n[pdu1]\n\tdriver = dummy-ups\n\tport = pdu1.dev\n[pdu2]\n\tdriver = dummy-ups\n\tport = pdu1.dev\n")
	for _, d := range []string{"pdu1", "pdu2"} {
		if got := env.WaitVar(d, port, "outlet.1.status"); got != "on" {
			t.Errorf("%s outlet.1.status = %q", d, got)
		}
	}
	ctl("stop", "pdu2")
	if _, err := os.Stat(filepath.Join(env.StateDir, "dummy-ups-pdu2")); err == nil {
		t.Error("pdu2's socket still there after stop")
	}
	if _, err := os.Stat(filepath.Join(env.StateDir, "dummy-ups-pdu1")); err != nil {
		t.Error("pdu1's driver stopped too")
	}
}

// TestRepeaterOfDebianUpsd: powerchain's dummy-ups in repeater mode
// (port = ups@host:port) mirrors a device of Debian's upsd.
func TestRepeaterOfDebianUpsd(t *testing.T) {
	nuttest.Require(t, nuttest.Upsd, nuttest.DummyUPS, nuttest.Upsc)
	env, nutPort := nuttest.NewDummyEnv(t, "pdu1", outletDev, "")
	env.StartNUT("pdu1")
	env.WaitVar("pdu1", nutPort, "outlet.1.status")

	rep := writeConf(t, map[string]string{
		"ups.conf": fmt.Sprintf("[mirror]\n\tdriver = dummy-ups\n\tport = pdu1@127.0.0.1:%d\n", nutPort),
	})
	addr, _ := serveDir(t, rep)
	out := eventually(t, "outlet.2.status: on", "upsc", "mirror@"+addr)
	if !strings.Contains(out, "device.type: pdu") || !strings.Contains(out, "driver.parameter.mode: repeater") {
		t.Errorf("repeater:\n%s", out)
	}
}

// TestPowerchainSNMPDriverFeedsDebianUpsd: powerchain run as snmp-ups -a
// NAME polls Net-SNMP's snmpd (made to look like an APC PDU) and serves
// the state socket; Debian's upsd serves it, and Debian's upscmd switches
// an outlet through both down to an SNMP SET.
func TestPowerchainSNMPDriverFeedsDebianUpsd(t *testing.T) {
	nuttest.Require(t, nuttest.Upsd, nuttest.Upsc, nuttest.Upscmd)
	agent := snmptest.Snmpd(t, snmptest.APCLike)
	env := nuttest.NewEnv(t)
	port := nuttest.FreePort(t)
	env.WriteFile("ups.conf", fmt.Sprintf("[pdu1]\n\tdriver = snmp-ups\n\tport = %s\n\tsnmp_version = v2c\n\tcommunity = rw\n\tpollinterval = 1\n", agent.Addr), 0o644)
	env.WriteUpsd(port, "[admin]\n\tpassword = adminpw\n\tinstcmds = ALL\n")
	ownDriverForUpsd(t, env, "snmp-ups", "pdu1")
	if got := env.WaitVar("pdu1", port, "device.model"); got != "AP7900" {
		t.Errorf("device.model = %q", got)
	}
	target := fmt.Sprintf("pdu1@127.0.0.1:%d", port)
	if got := env.WaitVar("pdu1", port, "outlet.2.status"); got != "on" {
		t.Fatalf("outlet.2.status = %q", got)
	}
	out := env.Run(nuttest.Upscmd, "-w", "-u", "admin", "-p", "adminpw", target, "outlet.2.load.off")
	if !strings.Contains(out, "SUCCESS") {
		t.Errorf("upscmd -w: %s", out)
	}
	waitOff(t, env, target, "outlet.2.status")
}

// TestFenceNutThroughDebianUpsd: fence_nut (multi-call) reads its options
// from standard input as the cluster passes them, with the password from
// a password_script (so never on a command line), and fences an outlet of
// Debian's upsd fed by powerchain's dummy-ups driver process.
func TestFenceNutThroughDebianUpsd(t *testing.T) {
	nuttest.Require(t, nuttest.Upsd, nuttest.Upsc)
	env, port := nuttest.NewDummyEnv(t, "pdu1", outletDev, "[fencer]\n\tpassword = s3cret\n\tinstcmds = ALL\n", "simulate_switching")
	ownDriverForUpsd(t, env, "dummy-ups", "pdu1")
	env.WaitVar("pdu1", port, "outlet.2.status")
	script := filepath.Join(env.ConfDir, "pw.sh")
	os.WriteFile(script, []byte("#!/bin/sh\necho s3cret\n"), 0o700)
	dir := binary(t, "fence_nut")
	fenceNut := func(action string, extra ...string) (int, string) {
		cmd := exec.Command(filepath.Join(dir, "fence_nut"))
		cmd.Stdin = strings.NewReader(fmt.Sprintf("# from the cluster\nagent=fence_nut\nups=pdu1@127.0.0.1:%d\nlogin=fencer\npasswd_script=%s\nport=2\naction=%s\npower_timeout=5\n%s", port, script, action, strings.Join(extra, "\n")))
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		}
		return code, string(out)
	}
	if code, out := fenceNut("monitor"); code != 0 {
		t.Errorf("monitor: %d %s", code, out)
	}
	// The limit of the login check: NUT's upsd looks for the command
	// before it checks the password, so the probe cannot tell a wrong
	// password from a good one (powerchain's server can; see package
	// fence's tests). The off then fails.
	if code, out := fenceNut("monitor", "passwd=wrong"); code != 0 {
		t.Errorf("monitor with a wrong password on NUT's upsd: %d %s", code, out)
	}
	if code, out := fenceNut("off", "passwd=wrong"); code != 1 || !strings.Contains(out, "correct privileges") {
		t.Errorf("off with a wrong password on NUT's upsd: %d %s", code, out)
	}
	if code, out := fenceNut("off"); code != 0 || !strings.Contains(out, "Success: Powered OFF") {
		t.Fatalf("off: %d %s", code, out)
	}
	if got := env.WaitVar("pdu1", port, "outlet.2.status"); got != "off" {
		t.Errorf("Debian upsc sees outlet.2.status %q", got)
	}
	if code, out := fenceNut("status"); code != 2 {
		t.Errorf("status: %d %s", code, out)
	}
	if code, out := fenceNut("on"); code != 0 {
		t.Errorf("on: %d %s", code, out)
	}
}

// TestUpsdrvctlLikeNUT: for NUT's driver programs, powerchain's upsdrvctl
// runs the command lines Debian's upsdrvctl runs (compared in testing
// mode, -t), in the same order (shutdown: by sdorder).
func TestUpsdrvctlLikeNUT(t *testing.T) {
	nuttest.Require(t, "/sbin/upsdrvctl")
	env := nuttest.NewEnv(t)
	env.WriteFile("ups.conf", "powerchain_hosted = d1\n[s1]\n\tdriver = blazer_ser\n\tport = /dev/ttyS0\n\tsdorder = 2\n"+
		"[d1]\n\tdriver = dummy-ups\n\tport = d1.dev\n[q1]\n\tdriver = nutdrv_qx\n\tport = /dev/ttyS1\n\tsdorder = 1\n", 0o644)
	dir := binary(t, "upsdrvctl")
	execLines := func(prog string, args ...string) string {
		cmd := exec.Command(prog, args...)
		cmd.Env = env.Environ()
		out, _ := cmd.CombinedOutput()
		var lines []string
		for _, l := range strings.Split(string(out), "\n") {
			if _, rest, ok := strings.Cut(l, "exec: "); ok {
				lines = append(lines, strings.TrimSpace(rest))
			}
		}
		return strings.Join(lines, "\n")
	}
	for _, args := range [][]string{
		{"-t", "start"},
		{"-t", "start", "d1"},
		{"-t", "-u", "nut", "start"},
		{"-t", "-D", "-d", "-u", "nut", "start", "q1"},
		{"-t", "-r", "/srv/nut", "start"},
		{"-t", "shutdown"},
		{"-t", "-u", "nut", "-D", "-d", "shutdown", "s1"},
	} {
		want := execLines("/sbin/upsdrvctl", args...)
		got := execLines(filepath.Join(dir, "upsdrvctl"), args...)
		if got != want || want == "" {
			t.Errorf("upsdrvctl %s:\n%s\nNUT's:\n%s", strings.Join(args, " "), got, want)
		}
	}
}

// TestUpsdrvctlHostedForDebianUpsd: upsdrvctl starts NUT's own dummy-ups
// (named in powerchain_hosted) in the background as NUT's upsdrvctl does,
// Debian's upsd serves it, and upsdrvctl stop ends it.
func TestUpsdrvctlHostedForDebianUpsd(t *testing.T) {
	nuttest.Require(t, nuttest.Upsd, nuttest.DummyUPS, nuttest.Upsc)
	env, port, ctl := upsdrvctlForUpsd(t, "user = root\npowerchain_hosted = nut1\n[nut1]\n\tdriver = dummy-ups\n\tport = pdu1.dev\n[own1]\n\tdriver = dummy-ups\n\tport = pdu1.dev\n")
	if got := env.WaitVar("nut1", port, "driver.version.internal"); got == "" {
		t.Error("nut1 is not NUT's dummy-ups")
	}
	if got := env.WaitVar("own1", port, "driver.version"); got != "powerchain" {
		t.Errorf("own1 driver.version %q", got)
	}
	pid, err := os.ReadFile(filepath.Join(env.StateDir, "dummy-ups-nut1.pid"))
	if err != nil {
		t.Fatal(err)
	}
	comm, _ := os.ReadFile("/proc/" + strings.TrimSpace(string(pid)) + "/comm")
	if strings.TrimSpace(string(comm)) != "dummy-ups" {
		t.Errorf("pid file names %q", comm)
	}
	ctl("stop", "nut1")
	waitFor(t, func() bool { _, err := os.Stat("/proc/" + strings.TrimSpace(string(pid))); return err != nil })
}
