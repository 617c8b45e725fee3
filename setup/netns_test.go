package setup_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/powerchain/powerchain/demo"
	"github.com/powerchain/powerchain/dnssd"
	"github.com/powerchain/powerchain/internal/netnstest"
	"github.com/powerchain/powerchain/internal/nuttest"
	"github.com/powerchain/powerchain/setup"
)

// node is a new machine's side of the namespace lab: its config and
// state directories, the files its upsmon writes.
type node struct {
	dir, state, shutdown, notify string
}

// rackAndNode puts the design's rack on a powerchain server in namespace
// A (10.77.0.1) and prepares a new node in namespace B whose upsmon.conf
// has only fast timings and a notification log.
func rackAndNode(t *testing.T, l *netnstest.Lab) node {
	t.Helper()
	rack := filepath.Join(l.Tmp, "rack")
	os.MkdirAll(rack, 0o755)
	// Static UPS data, so that the test's changes stay; the rack listens
	// on A's address; a user for the nodes' upsmon.
	if err := demo.WriteSteadyTo(rack, demo.OnLine); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(rack, "upsd.conf"), []byte("LISTEN "+netnstest.AddrA+" 3493\n"), 0o640)
	b, _ := os.ReadFile(filepath.Join(rack, "upsd.users"))
	os.WriteFile(filepath.Join(rack, "upsd.users"), append(b, rackUsers...), 0o640)
	l.Start(l.A, l.Bin, "serve", "-c", rack, "--announce", "no")

	n := node{dir: filepath.Join(l.Tmp, "node"), state: filepath.Join(l.Tmp, "node-state")}
	os.MkdirAll(n.dir, 0o755)
	os.MkdirAll(n.state, 0o755)
	n.shutdown = filepath.Join(n.state, "shutdown")
	n.notify = filepath.Join(n.state, "notify.log")
	script := filepath.Join(n.state, "notify.sh")
	os.WriteFile(script, []byte("#!/bin/sh\necho \"$NOTIFYTYPE|$UPSNAME\" >> "+n.notify+"\n"), 0o755)
	var mon strings.Builder
	fmt.Fprintf(&mon, "POLLFREQ 1\nPOLLFREQALERT 1\nDEADTIME 3\nHOSTSYNC 1\nFINALDELAY 0\nNOTIFYCMD %s\n", script)
	for _, typ := range []string{"SHUTDOWN", "NOREDUNDANCY", "SUPPLYLOST", "COMMBAD"} {
		fmt.Fprintf(&mon, "NOTIFYFLAG %s SYSLOG+EXEC\n", typ)
	}
	os.WriteFile(filepath.Join(n.dir, "upsmon.conf"), []byte(mon.String()), 0o640)
	os.WriteFile(filepath.Join(n.state, "pw"), []byte("node-pw\n"), 0o600)
	l.Eventually(20*time.Second, "the rack's server answers in A", func() bool {
		out, err := l.Run(l.A, l.Bin, "upsc", "srv1-psu2@"+netnstest.AddrA, "ups.status")
		return err == nil && out == "OL\n"
	})
	return n
}

// TestNewNodeJoinsInOneCommand is the spec's "PowerChain information in
// each new physical node deployment": srv1 joins the rack's server with
// one command, its chain resolves from there, its upsmon stays up while
// srv1 has a supply left and shuts it down in the design's scenario (PSU1
// faulty, UPS2 on battery and low).
func TestNewNodeJoinsInOneCommand(t *testing.T) {
	l := netnstest.New(t, netnstest.Options{})
	n := rackAndNode(t, l)
	rack := netnstest.AddrA + ":3493"

	out, err := l.Run(l.B, l.Bin, "setup", "-c", n.dir, "--server", netnstest.AddrA, "--host", "srv1",
		"--user", "node", "--password-file", filepath.Join(n.state, "pw"), "--shutdown-cmd", "touch "+n.shutdown, "--yes", "--json")
	if err != nil {
		t.Fatalf("setup: %v\n%s", err, out)
	}
	var rep struct {
		Written []string
		Join    setup.JoinResult
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("setup --json: %v\n%s", err, out)
	}
	if got := strings.Join(rep.Join.Added, " "); got != "srv1-psu1@"+rack+" srv1-psu2@"+rack || rep.Join.MinSupplies != 1 || rep.Join.Mode != "netclient" {
		t.Errorf("setup --json: %s", out)
	}
	if strings.Contains(out, "node-pw") {
		t.Errorf("setup prints the password:\n%s", out)
	}
	mon, _ := os.ReadFile(filepath.Join(n.dir, "upsmon.conf"))
	for _, want := range []string{"MONITOR srv1-psu1@" + rack + " 1 node node-pw secondary\n", "MONITOR srv1-psu2@" + rack + " 1 node node-pw secondary\n", "MINSUPPLIES 1\n"} {
		if !strings.Contains(string(mon), want) {
			t.Errorf("upsmon.conf lacks %q:\n%s", want, mon)
		}
	}

	// On the node, the chain resolves through the rack's server.
	out, err = l.Run(l.B, l.Bin, "chain", "-c", n.dir)
	for _, want := range []string{"srv1: healthy (2 of 2 paths healthy)", "  srv1-psu1 -> pdu1:outlet1 -> ups1 -> main  healthy"} {
		if err != nil || !strings.Contains(out, want) {
			t.Errorf("chain on the node lacks %q: %v\n%s", want, err, out)
		}
	}

	// upsmon on the node: healthy, then PSU1 faulty (redundancy lost, no
	// shutdown), then UPS2 on battery and low: shut down.
	upsmon := l.Start(l.B, "env", "NUT_CONFPATH="+n.dir, "NUT_STATEPATH="+n.state, l.Bin, "upsmon", "-F", "-D")
	notified := func(want string) func() bool {
		return func() bool { b, _ := os.ReadFile(n.notify); return strings.Contains(string(b), want) }
	}
	// The monitor judges the supplies after each cycle it logs, and a
	// shutdown ends its cycles: once cycle k+1 is logged, the cycles up to
	// k have been judged without shutting down.
	cycles := func() int { return strings.Count(l.Output(upsmon), `msg="cycle ended"`) }
	noShutdownFor := func(judged int, why string) {
		t.Helper()
		want := cycles() + judged + 1
		l.Eventually(60*time.Second, fmt.Sprintf("the monitor's cycle %d, or a shutdown", want), func() bool {
			_, err := os.Stat(n.shutdown)
			return err == nil || cycles() >= want
		})
		if _, err := os.Stat(n.shutdown); err == nil {
			t.Fatal(why)
		}
	}
	noShutdownFor(4, "the node shut down with every supply healthy")
	set := func(dev, value string) {
		t.Helper()
		if out, err := l.Run(l.A, l.Bin, "upsrw", "-s", "ups.status="+value, "-u", "admin", "-p", "demo-admin", dev+"@"+netnstest.AddrA); err != nil {
			t.Fatalf("upsrw %s: %v\n%s", dev, err, out)
		}
	}
	set("srv1-psu1", "OFF")
	l.Eventually(15*time.Second, "NOREDUNDANCY on the node", notified("NOREDUNDANCY|srv1-psu2@"+rack))
	noShutdownFor(2, "the node shut down with PSU2 still delivering")
	set("ups2", "OB LB")
	l.Eventually(20*time.Second, "the node's upsmon runs SHUTDOWNCMD", func() bool { _, err := os.Stat(n.shutdown); return err == nil })
	// NOTIFYCMD runs beside the shutdown, as NUT's upsmon forks it: its
	// line may come after SHUTDOWNCMD's.
	l.Eventually(20*time.Second, "the SHUTDOWN notification naming both supplies", notified("SHUTDOWN|srv1-psu1@"+rack+", srv1-psu2@"+rack+"\n"))
}

// TestNewNodeFindsServerByDNSSD: NUT's own upsd (Debian's, with its
// dummy-ups drivers) serves the rack in namespace A and does not announce
// itself; powerchain's upsmon, primary there, announces it. In namespace
// B (avahi-daemon), powerchain browse reads the record (role, devices and
// types, chain roots, hosts fed), and powerchain setup without --server
// finds the server by DNS-SD and joins it. (B's avahi-daemon also
// announces B itself from NUT's /etc/avahi/services/nut.service, with no
// server behind it: setup leaves this host's own announcements out.)
func TestNewNodeFindsServerByDNSSD(t *testing.T) {
	nuttest.Require(t, nuttest.Upsd, nuttest.DummyUPS)
	l := netnstest.New(t, netnstest.Options{Avahi: true})
	rack := filepath.Join(l.Tmp, "rack")
	state := filepath.Join(l.Tmp, "rack-state")
	for _, d := range []string{rack, state} {
		os.MkdirAll(d, 0o755)
	}
	files := map[string]string{
		"ups.conf": "[ups1]\n\tdriver = dummy-ups\n\tport = ups.dev\n" +
			"[srv1-psu1]\n\tdriver = dummy-ups\n\tport = psu.dev\n\toverride.device.parent = ups1\n\toverride.device.host = srv1\n" +
			"[srv1-psu2]\n\tdriver = dummy-ups\n\tport = psu.dev\n\toverride.device.parent = ups1\n\toverride.device.host = srv1\n",
		"ups.dev":     "device.type: ups\nups.status: OL\n",
		"psu.dev":     "device.type: psu\nups.status: OL\n",
		"upsd.conf":   "LISTEN " + netnstest.AddrA + " 3493\n",
		"upsd.users":  "[mon]\n\tpassword = mon-pw\n\tupsmon primary\n" + rackUsers,
		"upsmon.conf": "MONITOR ups1@" + netnstest.AddrA + " 1 mon mon-pw primary\nMINSUPPLIES 1\nPOLLFREQ 1\nSHUTDOWNCMD \"/bin/true\"\n",
	}
	for name, text := range files {
		os.WriteFile(filepath.Join(rack, name), []byte(text), 0o640)
	}
	nutEnv := []string{"NUT_CONFPATH=" + rack, "NUT_STATEPATH=" + state}
	for _, dev := range []string{"ups1", "srv1-psu1", "srv1-psu2"} {
		l.Start(l.A, "env", append(nutEnv, nuttest.DummyUPS, "-a", dev, "-F", "-u", "root")...)
	}
	l.Start(l.A, "env", append(nutEnv, nuttest.Upsd, "-F", "-u", "root")...)
	l.Eventually(20*time.Second, "NUT's upsd answers in A with device.host", func() bool {
		out, err := l.Run(l.A, nuttest.Upsc, "srv1-psu2@"+netnstest.AddrA, "device.host")
		return err == nil && strings.HasSuffix(out, "srv1\n")
	})
	l.Start(l.A, "env", append(nutEnv, l.Bin, "upsmon", "-F", "--announce", "yes")...)

	// powerchain browse in B (through avahi) reads the record.
	instance := dnssd.UpsmonInstanceName(hostname(t), 3493)
	var f dnssd.Found
	var last string
	l.Eventually(30*time.Second, "powerchain browse in B sees the upsmon's announcement", func() bool {
		last, _ = l.Run(l.B, l.Bin, "browse", "--json", "-t", "2")
		var found []dnssd.Found
		json.Unmarshal([]byte(last), &found)
		for _, x := range found {
			if x.Instance == instance {
				f = x
				return true
			}
		}
		return false
	})
	want := dnssd.Announcement{Role: dnssd.RolePrimary, Protocol: "1.3", Total: 3, Hosts: []string{"srv1"}, Devices: []dnssd.DeviceInfo{
		{Name: "srv1-psu1", Type: "psu"}, {Name: "srv1-psu2", Type: "psu"}, {Name: "ups1", Type: "ups", Root: true}}}
	if !reflect.DeepEqual(f.Announcement, want) || f.Port != 3493 || len(f.Addrs) == 0 || f.Addrs[0] != netnstest.AddrA {
		t.Errorf("browse: %+v\nwant announcement %+v\n%s", f, want, last)
	}

	// setup in B finds the server by DNS-SD and joins it.
	node := filepath.Join(l.Tmp, "node")
	os.MkdirAll(node, 0o755)
	pw := filepath.Join(l.Tmp, "pw")
	os.WriteFile(pw, []byte("node-pw\n"), 0o600)
	out, err := l.Run(l.B, l.Bin, "setup", "-c", node, "--host", "srv1", "--user", "node", "--password-file", pw,
		"--sysfs", "/nonexistent", "--yes")
	srv := netnstest.AddrA + ":3493"
	if err != nil || !strings.Contains(out, "MONITOR srv1-psu1@"+srv+" 1  (srv1-psu1 -> ups1 -> main: healthy)") {
		t.Errorf("setup by DNS-SD: %v\n%s", err, out)
	}
	mon, _ := os.ReadFile(filepath.Join(node, "upsmon.conf"))
	if !strings.Contains(string(mon), "MONITOR srv1-psu2@"+srv+" 1 node node-pw secondary\n") {
		t.Errorf("upsmon.conf:\n%s", mon)
	}
}

func hostname(t *testing.T) string {
	h, err := os.Hostname()
	if err != nil {
		t.Fatal(err)
	}
	return h
}
