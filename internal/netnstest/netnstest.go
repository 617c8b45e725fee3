// Package netnstest builds, for a test, two network namespaces joined by
// a veth pair (10.77.0.1 in A, 10.77.0.2 in B, multicast routed over it)
// so that tests can run servers, nodes and mDNS between two "machines"
// without touching the machine's real interfaces; and the powerchain
// binary to run in them. Optionally B runs its own D-Bus system bus and
// avahi-daemon (A never does).
//
// It needs root and ip(8); a missing tool skips the test on a
// developer's machine and fails it in CI (CI=true).
package netnstest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/powerchain/powerchain/internal/proctest"
	"github.com/powerchain/powerchain/internal/testlog"
	"github.com/powerchain/powerchain/internal/waittest"
)

// Addresses of the two namespaces on the veth pair.
const (
	AddrA = "10.77.0.1"
	AddrB = "10.77.0.2"
)

// Options choose what runs in the namespaces.
type Options struct {
	// Avahi runs a D-Bus system bus and avahi-daemon in B.
	Avahi bool
}

// Lab is the two namespaces of one test.
type Lab struct {
	t      testing.TB
	A, B   string // namespace names
	VethA  string // interface names
	VethB  string
	Bus    string // D-Bus address in B ("" without Avahi)
	Bin    string // the powerchain binary
	Tmp    string // a directory for the test's files (mode 0755)
	procs  []*exec.Cmd
	output map[*exec.Cmd]*testlog.Buffer
}

var labs atomic.Int32

// Need skips (or in CI fails) the test unless the programs exist and the
// test runs as root.
func Need(t testing.TB, paths ...string) {
	t.Helper()
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is missing: .ci/run must install it", p)
			}
			t.Skipf("%s is missing", p)
		}
	}
	if os.Geteuid() != 0 {
		if os.Getenv("CI") != "" {
			t.Fatal("network namespaces need root")
		}
		t.Skip("network namespaces need root")
	}
}

// New makes the namespaces (removed when the test ends), builds the
// powerchain binary, and starts avahi in B if asked.
func New(t testing.TB, o Options) *Lab {
	t.Helper()
	need := []string{"/usr/sbin/ip"}
	if o.Avahi {
		need = append(need, "/usr/sbin/avahi-daemon", "/usr/bin/avahi-browse", "/usr/bin/avahi-publish", "/usr/bin/dbus-daemon")
	}
	Need(t, need...)
	id := fmt.Sprintf("%d%d", os.Getpid()%100000, labs.Add(1)%10)
	l := &Lab{t: t, A: "pcA" + id, B: "pcB" + id, VethA: "pva" + id, VethB: "pvb" + id, Tmp: t.TempDir(), output: map[*exec.Cmd]*testlog.Buffer{}}
	os.Chmod(l.Tmp, 0o755)
	l.sh("ip", "netns", "add", l.A)
	t.Cleanup(func() { exec.Command("ip", "netns", "del", l.A).Run() })
	l.sh("ip", "netns", "add", l.B)
	t.Cleanup(func() { exec.Command("ip", "netns", "del", l.B).Run() })
	l.sh("ip", "link", "add", l.VethA, "type", "veth", "peer", "name", l.VethB)
	l.sh("ip", "link", "set", l.VethA, "netns", l.A)
	l.sh("ip", "link", "set", l.VethB, "netns", l.B)
	for _, x := range []struct{ ns, dev, ip string }{{l.A, l.VethA, AddrA + "/24"}, {l.B, l.VethB, AddrB + "/24"}} {
		l.sh("ip", "netns", "exec", x.ns, "ip", "link", "set", "lo", "up")
		l.sh("ip", "netns", "exec", x.ns, "ip", "addr", "add", x.ip, "dev", x.dev)
		l.sh("ip", "netns", "exec", x.ns, "ip", "link", "set", x.dev, "up")
		l.sh("ip", "netns", "exec", x.ns, "ip", "route", "add", "224.0.0.0/4", "dev", x.dev)
	}
	t.Cleanup(l.stopAll)
	if o.Avahi {
		l.startAvahi()
	}
	l.Bin = filepath.Join(l.Tmp, "powerchain")
	if out, err := exec.Command("go", "build", "-o", l.Bin, "github.com/powerchain/powerchain/cmd/powerchain").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return l
}

// startAvahi runs a D-Bus system bus and avahi-daemon in B.
func (l *Lab) startAvahi() {
	busSock := filepath.Join(l.Tmp, "system_bus_socket")
	l.Bus = "unix:path=" + busSock
	os.WriteFile(filepath.Join(l.Tmp, "bus.conf"), []byte(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>`+l.Bus+`</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
`), 0o644)
	l.Start(l.B, "dbus-daemon", "--config-file="+filepath.Join(l.Tmp, "bus.conf"), "--nofork", "--nopidfile")
	l.WaitFile(busSock)
	os.WriteFile(filepath.Join(l.Tmp, "avahi.conf"), []byte("[server]\nhost-name="+l.B+"\nuse-ipv4=yes\nuse-ipv6=no\nallow-interfaces="+l.VethB+
		"\nenable-dbus=yes\n[publish]\npublish-hinfo=no\npublish-workstation=no\n"), 0o644)
	// avahi-daemon keeps its PID file in /run/avahi-daemon, shared by
	// every namespace: a second one (another test's, the machine's)
	// refuses to start. ip netns exec gives each program a mount namespace
	// of its own, so a tmpfs there is this daemon's alone. The same goes
	// for /etc/avahi/services: what the machine's packages put there
	// (nut-server's nut.service) must not be announced from B. B's daemon
	// has a host name of its own, since A's responder announces the
	// machine's (both namespaces share it).
	l.Start(l.B, "sh", "-c", "mkdir -p /run/avahi-daemon && mount -t tmpfs tmpfs /run/avahi-daemon && "+
		"{ ! [ -d /etc/avahi/services ] || mount -t tmpfs tmpfs /etc/avahi/services; } && exec avahi-daemon --no-drop-root --no-chroot --no-rlimits -f "+filepath.Join(l.Tmp, "avahi.conf"))
	l.Eventually(15*time.Second, "avahi-daemon answers on D-Bus", func() bool {
		_, err := l.Run(l.B, "avahi-browse", "-tp", "_nut._tcp")
		return err == nil
	})
}

func (l *Lab) sh(name string, args ...string) {
	l.t.Helper()
	if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
		l.t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

// Env is the environment of a process in ns: B's processes use B's bus
// (when there is one); A's find no bus at all.
func (l *Lab) Env(ns string) []string {
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + l.Tmp}
	if ns == l.B && l.Bus != "" {
		return append(env, "DBUS_SYSTEM_BUS_ADDRESS="+l.Bus)
	}
	return append(env, "DBUS_SYSTEM_BUS_ADDRESS=unix:path="+filepath.Join(l.Tmp, "no-bus-here"))
}

// Command is a program to run in ns with the namespace's environment.
func (l *Lab) Command(ctx context.Context, ns, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, "ip", append([]string{"netns", "exec", ns, name}, args...)...)
	cmd.Env = l.Env(ns)
	return cmd
}

// Start runs a program in ns in the background until the test ends (or
// Stop); its output is logged if the test fails.
func (l *Lab) Start(ns, name string, args ...string) *exec.Cmd {
	l.t.Helper()
	cmd := l.Command(context.Background(), ns, name, args...)
	out := &testlog.Buffer{} // read (Output) while the program writes
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		l.t.Fatalf("start %s: %v", name, err)
	}
	l.procs = append(l.procs, cmd)
	l.output[cmd] = out
	return cmd
}

// Output is what a started program has printed so far.
func (l *Lab) Output(cmd *exec.Cmd) string { return l.output[cmd].String() }

// Stop ends a started program: SIGTERM, SIGKILL after 5 s.
func (l *Lab) Stop(cmd *exec.Cmd) {
	proctest.Stop(cmd, 5*time.Second)
}

func (l *Lab) stopAll() {
	for i := len(l.procs) - 1; i >= 0; i-- {
		p := l.procs[i]
		if p.ProcessState == nil {
			l.Stop(p)
		}
		if l.t.Failed() {
			l.t.Logf("%s %s output:\n%s", p.Args[3], strings.Join(p.Args[4:], " "), l.output[p].String())
		}
	}
}

// Run runs a program in ns (at most 20 s) and returns its combined output.
func (l *Lab) Run(ns, name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	out, err := l.Command(ctx, ns, name, args...).CombinedOutput()
	return string(out), err
}

// WaitFile waits (≤ 10 s) until a file exists.
func (l *Lab) WaitFile(p string) {
	l.t.Helper()
	l.Eventually(10*time.Second, p+" exists", func() bool { _, err := os.Stat(p); return err == nil })
}

// Eventually polls cond every 200 ms and fails the test if it does not
// hold within the time.
func (l *Lab) Eventually(within time.Duration, what string, cond func() bool) {
	l.t.Helper()
	if !waittest.Until(within, 200*time.Millisecond, cond) {
		l.t.Fatalf("not within %s: %s", within, what)
	}
}
