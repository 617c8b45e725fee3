package dnssd_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/powerchain/powerchain/dnssd"
)

// The mDNS tests run in two network namespaces the test creates, joined
// by a veth pair (10.77.0.1 in A, 10.77.0.2 in B) — never on the
// machine's real interfaces. Namespace B runs its own D-Bus system bus and
// avahi-daemon; namespace A has neither, so powerchain there uses its
// built-in responder.

type lab struct {
	t      *testing.T
	a, b   string // namespace names
	bus    string // D-Bus address in B
	bin    string // powerchain binary
	tmp    string
	procs  []*exec.Cmd
	output map[*exec.Cmd]*bytes.Buffer
}

func need(t *testing.T, paths ...string) {
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

func newLab(t *testing.T) *lab {
	t.Helper()
	need(t, "/usr/sbin/ip", "/usr/sbin/avahi-daemon", "/usr/bin/avahi-browse", "/usr/bin/avahi-publish", "/usr/bin/dbus-daemon")
	id := os.Getpid() % 100000
	l := &lab{t: t, a: fmt.Sprintf("pcA%d", id), b: fmt.Sprintf("pcB%d", id), tmp: t.TempDir(), output: map[*exec.Cmd]*bytes.Buffer{}}
	os.Chmod(l.tmp, 0o755)
	va, vb := fmt.Sprintf("pva%d", id), fmt.Sprintf("pvb%d", id)
	l.sh("ip", "netns", "add", l.a)
	t.Cleanup(func() { exec.Command("ip", "netns", "del", l.a).Run() })
	l.sh("ip", "netns", "add", l.b)
	t.Cleanup(func() { exec.Command("ip", "netns", "del", l.b).Run() })
	l.sh("ip", "link", "add", va, "type", "veth", "peer", "name", vb)
	l.sh("ip", "link", "set", va, "netns", l.a)
	l.sh("ip", "link", "set", vb, "netns", l.b)
	for _, x := range []struct{ ns, dev, ip string }{{l.a, va, "10.77.0.1/24"}, {l.b, vb, "10.77.0.2/24"}} {
		l.sh("ip", "netns", "exec", x.ns, "ip", "link", "set", "lo", "up")
		l.sh("ip", "netns", "exec", x.ns, "ip", "addr", "add", x.ip, "dev", x.dev)
		l.sh("ip", "netns", "exec", x.ns, "ip", "link", "set", x.dev, "up")
		l.sh("ip", "netns", "exec", x.ns, "ip", "route", "add", "224.0.0.0/4", "dev", x.dev)
	}
	// D-Bus and avahi-daemon in B.
	busSock := filepath.Join(l.tmp, "system_bus_socket")
	l.bus = "unix:path=" + busSock
	os.WriteFile(filepath.Join(l.tmp, "bus.conf"), []byte(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>`+l.bus+`</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
`), 0o644)
	l.start(l.b, "dbus-daemon", "--config-file="+filepath.Join(l.tmp, "bus.conf"), "--nofork", "--nopidfile")
	l.waitFile(busSock)
	os.WriteFile(filepath.Join(l.tmp, "avahi.conf"), []byte("[server]\nuse-ipv4=yes\nuse-ipv6=no\nallow-interfaces="+vb+
		"\nenable-dbus=yes\n[publish]\npublish-hinfo=no\npublish-workstation=no\n"), 0o644)
	l.start(l.b, "avahi-daemon", "--no-drop-root", "--no-chroot", "--no-rlimits", "-f", filepath.Join(l.tmp, "avahi.conf"))
	l.eventually(15*time.Second, "avahi-daemon answers on D-Bus", func() bool {
		_, err := l.run(l.b, "avahi-browse", "-tp", "_nut._tcp")
		return err == nil
	})
	// The powerchain binary.
	l.bin = filepath.Join(l.tmp, "powerchain")
	if out, err := exec.Command("go", "build", "-o", l.bin, "../cmd/powerchain").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	t.Cleanup(l.stopAll)
	return l
}

func (l *lab) sh(name string, args ...string) {
	l.t.Helper()
	if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
		l.t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

// env is the environment of a process in ns: B's processes use B's bus;
// A's find no bus at all.
func (l *lab) env(ns string) []string {
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + l.tmp}
	if ns == l.b {
		env = append(env, "DBUS_SYSTEM_BUS_ADDRESS="+l.bus)
	} else {
		env = append(env, "DBUS_SYSTEM_BUS_ADDRESS=unix:path="+filepath.Join(l.tmp, "no-bus-here"))
	}
	return env
}

func (l *lab) start(ns, name string, args ...string) *exec.Cmd {
	l.t.Helper()
	cmd := exec.Command("ip", append([]string{"netns", "exec", ns, name}, args...)...)
	cmd.Env = l.env(ns)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		l.t.Fatalf("start %s: %v", name, err)
	}
	l.procs = append(l.procs, cmd)
	l.output[cmd] = &out
	return cmd
}

func (l *lab) stop(cmd *exec.Cmd) {
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		cmd.Process.Kill()
		<-done
	}
}

func (l *lab) stopAll() {
	for i := len(l.procs) - 1; i >= 0; i-- {
		p := l.procs[i]
		if p.ProcessState == nil {
			l.stop(p)
		}
		if l.t.Failed() {
			l.t.Logf("%s output:\n%s", strings.Join(p.Args[3:], " "), l.output[p].String())
		}
	}
}

func (l *lab) run(ns, name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ip", append([]string{"netns", "exec", ns, name}, args...)...)
	cmd.Env = l.env(ns)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// avahiBrowse runs avahi-browse in B for two seconds (with -t it may
// leave before the answers come) and returns what it printed.
func (l *lab) avahiBrowse() string {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ip", "netns", "exec", l.b, "avahi-browse", "-rp", "_nut._tcp")
	cmd.Env = l.env(l.b)
	out, _ := cmd.CombinedOutput()
	return string(out)
}

func (l *lab) waitFile(p string) {
	l.eventually(10*time.Second, p+" exists", func() bool { _, err := os.Stat(p); return err == nil })
}

func (l *lab) eventually(within time.Duration, what string, cond func() bool) {
	l.t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			l.t.Fatalf("not within %s: %s", within, what)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func (l *lab) confDir(devices ...string) string {
	dir, _ := os.MkdirTemp(l.tmp, "etc")
	var ups strings.Builder
	for _, d := range devices {
		fmt.Fprintf(&ups, "[%s]\n\tdriver = dummy-ups\n\tport = sim.dev\n", d)
	}
	os.WriteFile(filepath.Join(dir, "ups.conf"), []byte(ups.String()), 0o640)
	os.WriteFile(filepath.Join(dir, "sim.dev"), []byte("ups.status: OL\n"), 0o644)
	return dir
}

// TestBuiltinResponderSeenByAvahi: powerchain in A (no avahi there)
// announces with its own responder; avahi-browse in B resolves it, with
// the TXT record; when powerchain stops, the goodbye removes it.
func TestBuiltinResponderSeenByAvahi(t *testing.T) {
	l := newLab(t)
	srv := l.start(l.a, l.bin, "serve", "-c", l.confDir("rack-ups", "rack-pdu"), "--listen", "10.77.0.1:3493")
	var seen string
	l.eventually(20*time.Second, "avahi-browse in B sees powerchain in A", func() bool {
		seen = l.avahiBrowse()
		return strings.Contains(seen, "10.77.0.1;3493;")
	})
	for _, want := range []string{"protovers=1.3", "devices=rack-ups,rack-pdu", `powerchain\032on\032`} {
		if !strings.Contains(seen, want) {
			t.Errorf("avahi-browse output lacks %q:\n%s", want, seen)
		}
	}
	if !strings.Contains(l.output[srv].String(), "via=\"built-in responder\"") {
		t.Errorf("powerchain in A did not use its built-in responder:\n%s", l.output[srv].String())
	}
	l.stop(srv)
	l.eventually(15*time.Second, "the announcement is withdrawn", func() bool {
		return !strings.Contains(l.avahiBrowse(), "10.77.0.1;3493;")
	})
}

// TestAvahiPublishAndBrowse: powerchain in B announces through
// avahi-daemon over D-Bus; avahi-publish in B announces another server;
// powerchain in A browses with its own querier and sees both, and its
// scanner (-A) lists the devices of the powerchain server it found.
func TestAvahiPublishAndBrowse(t *testing.T) {
	l := newLab(t)
	srv := l.start(l.b, l.bin, "serve", "-c", l.confDir("b-ups"), "--listen", "10.77.0.2:3493")
	l.start(l.b, "avahi-publish", "-s", "external nut", "_nut._tcp", "3494", "protovers=1.3")
	var found []dnssd.Found
	var last string
	defer func() {
		if t.Failed() {
			t.Logf("last browse in A:\n%s", last)
		}
	}()
	l.eventually(20*time.Second, "powerchain in A browses both services", func() bool {
		out, err := l.run(l.a, l.bin, "browse", "--json", "-t", "2")
		last = out
		if err != nil || json.Unmarshal([]byte(out), &found) != nil {
			return false
		}
		names := ""
		for _, f := range found {
			names += f.Instance + "|"
		}
		return strings.Contains(names, "external nut|") && strings.Contains(names, "powerchain on ")
	})
	for _, f := range found {
		if f.Instance == "external nut" && (f.Port != 3494 || len(f.Addrs) == 0 || f.Addrs[0] != "10.77.0.2") {
			t.Errorf("external nut: %+v", f)
		}
	}
	if !strings.Contains(l.output[srv].String(), "via=avahi") {
		t.Errorf("powerchain in B did not announce through avahi:\n%s", l.output[srv].String())
	}
	out, err := l.run(l.a, l.bin, "scan", "-A", "-q", "-P", "-t", "2")
	if err != nil || !strings.Contains(out, `AVAHI:driver="nutclient",port="b-ups@10.77.0.2"`) {
		t.Errorf("scan -A in A: %v\n%s", err, out)
	}
}

// TestConsoleBrowsesServers: a console in A with --browse finds the
// powerchain server that B announces through avahi and shows its devices.
func TestConsoleBrowsesServers(t *testing.T) {
	l := newLab(t)
	l.start(l.b, l.bin, "serve", "-c", l.confDir("b-ups", "b-pdu"), "--listen", "10.77.0.2:3493")
	l.start(l.a, l.bin, "console", "--browse", "--listen", "127.0.0.1:18080", "--db", filepath.Join(l.tmp, "console.sqlite"))
	var last string
	l.eventually(30*time.Second, "the console in A shows B's devices", func() bool {
		last, _ = l.run(l.a, "curl", "-s", "http://127.0.0.1:18080/api/devices")
		return strings.Contains(last, `"name": "b-pdu"`) && strings.Contains(last, `"source": "10.77.0.2:3493"`)
	})
}
