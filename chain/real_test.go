package chain_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/powerchain/powerchain/chain"
	"github.com/powerchain/powerchain/daemon"
	"github.com/powerchain/powerchain/internal/nuttest"
	"github.com/powerchain/powerchain/internal/servetest"
	"github.com/powerchain/powerchain/internal/snmptest"
	"github.com/powerchain/powerchain/internal/testlog"
	"github.com/powerchain/powerchain/internal/waittest"
)

func TestMain(m *testing.M) { testlog.Main(m) }

const debianSnmpUps = "/lib/nut/snmp-ups"

// The real PDU and ATS recordings the project has: SNMP walks served by
// snmpsimd (testdata/snmprec) and upsc dumps of NUT's snmp-ups from the
// NUT Devices Dumps Library (testdata/ddl), each with an outlet that is
// on and, where the device has one, an outlet that is off.
var (
	snmpRecordings = []struct {
		name     string // recording, community, device name
		typ      string
		outlets  []int
		want     map[int]string
		debian   bool
		debianNo string // why Debian's snmp-ups cannot serve it
	}{
		{name: "apc-ap8641", typ: "pdu", outlets: []int{1, 10}, want: map[int]string{1: "on", 10: "off"}, debian: true},
		{name: "tripplite-pdumh20atnet", typ: "ats", outlets: []int{1, 9},
			debianNo: `NUT 2.8.0 has no Tripp Lite PDU/ATS table: its snmp-ups says "No supported device detected"`},
	}
	ddlRecordings = []struct {
		name, file string
		outlet     int
		state      string
	}{
		// ups.status "ALARM" (low humidity): no word about power.
		{"eaton-epdu", "Eaton__EPDU_MI_38U-A__snmp-ups__2.7.4__01.dev", 1, "on"},
		// Outlets not switchable: no outlet.N.status.
		{"raritan-px2", "Raritan__PX2-1486__snmp-ups__2.7.4-12-gf1a0d64__01.dev", 1, ""},
	}
)

// serve starts powerchain's server on the directory's config and returns
// its address.
func serve(t *testing.T, dir string, external bool, statePath string) string {
	t.Helper()
	return servetest.Serve(t, daemon.Options{ConfDir: dir, External: external, StatePath: statePath}).String()
}

// psuSection is a power supply (dummy-ups, OL) fed by parent.
func psuSection(dir, name, parent string) string {
	os.WriteFile(filepath.Join(dir, name+".dev"), []byte("device.type: psu\nups.status: OL\ninput.voltage: 230\n"), 0o644)
	return fmt.Sprintf("[%s]\n\tdriver = dummy-ups\n\tport = %s.dev\n\toverride.device.parent = %s\n", name, name, parent)
}

func snmpSection(name string, agent *snmptest.Agent) string {
	return fmt.Sprintf("[%s]\n\tdriver = snmp-ups\n\tport = %s\n\tsnmp_version = v2c\n\tcommunity = %s\n\tsnmp_timeout = 1\n\tsnmp_retries = 1\n\tpollinterval = 1\n",
		name, agent.Addr, name)
}

func ddlSection(name, file string) string {
	abs, _ := filepath.Abs(filepath.Join("../testdata/ddl", file))
	return fmt.Sprintf("[%s]\n\tdriver = dummy-ups\n\tport = %s\n", name, abs)
}

// waitGraph discovers the chain until every device has fresh data (≤ 30 s).
func waitGraph(t *testing.T, servers []string, devices ...string) *chain.Graph {
	t.Helper()
	var g *chain.Graph
	if !waittest.Until(30*time.Second, 300*time.Millisecond, func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		g = chain.Discover(ctx, servers, chain.Options{})
		ready := true
		for _, id := range devices {
			n := g.Nodes[id]
			ready = ready && n != nil && !n.Stale && n.Err == "" && n.Type != ""
		}
		return ready
	}) {
		for _, id := range devices {
			t.Logf("%s: %+v", id, g.Nodes[id])
		}
		t.Fatalf("devices without fresh data after 30 s")
	}
	return g
}

// checkPDU checks a PDU or ATS without a status about power and the
// loads on its outlets: the device healthy (fresh, input present), a path
// through an outlet that is on healthy, through one that is off impaired
// by that outlet. (The Tripp Lite recording's outlet states change with
// time, as snmpsim's numeric variation plays them: the expectation is
// taken from the state the same discovery read.)
//
// want holds the states a recording fixes ("" for an outlet that
// publishes none); outlets not in it must have a state.
func checkPDU(t *testing.T, g *chain.Graph, pdu, typ string, outlets []int, want map[int]string, psu func(outlet int) string) {
	t.Helper()
	n := g.Nodes[pdu]
	if n.Type != typ {
		t.Errorf("%s: device.type %q, want %q", pdu, n.Type, typ)
	}
	if h, why := g.DeviceHealth(n, nil); h != chain.Healthy {
		t.Errorf("%s: %s (%s), want healthy: fresh, input present (%v)", pdu, h, why, n.Readings)
	}
	for _, o := range outlets {
		p := g.PathOf(psu(o), nil)
		st, known := n.Outlets[o]
		if w, fixed := want[o]; fixed && w != st || !fixed && !known {
			t.Errorf("%s outlet %d: state %q (known %v), want %q", pdu, o, st, known, want[o])
		}
		switch {
		case !known || st == "on":
			if p.Health != chain.Healthy {
				t.Errorf("load on %s outlet %d (%q): %s: %s", pdu, o, st, p.Health, p.Why)
			}
		default:
			want := chain.Ref(pdu, fmt.Sprintf("outlet%d", o), "") + ": outlet is " + st
			if p.Health != chain.Impaired || p.Why != want {
				t.Errorf("load on %s outlet %d: %s %q, want impaired %q", pdu, o, p.Health, p.Why, want)
			}
		}
	}
}

// checkAll checks every recording's PDU on server pdus with the power
// supplies on server psus (only those Debian's drivers serve, if debian).
func checkAll(t *testing.T, g *chain.Graph, pdus, psus string, debian bool) {
	t.Helper()
	for _, r := range snmpRecordings {
		if debian && !r.debian {
			continue
		}
		checkPDU(t, g, r.name+"@"+pdus, r.typ, r.outlets, r.want, func(o int) string { return fmt.Sprintf("%s-psu%d@%s", r.name, o, psus) })
	}
	for _, r := range ddlRecordings {
		checkPDU(t, g, r.name+"@"+pdus, "pdu", []int{r.outlet}, map[int]string{r.outlet: r.state}, func(o int) string { return fmt.Sprintf("%s-psu%d@%s", r.name, o, psus) })
	}
}

// TestRealPDUsInProcess: the real recordings through powerchain's
// snmp-ups (and dummy-ups for the dumps), with power supplies on their
// outlets on the same server.
func TestRealPDUsInProcess(t *testing.T) {
	var recs []string
	for _, r := range snmpRecordings {
		recs = append(recs, filepath.Join("../testdata/snmprec", r.name+".snmprec"))
	}
	agent := snmptest.Sim(t, recs...)
	dir := t.TempDir()
	var conf strings.Builder
	var devices []string
	for _, r := range snmpRecordings {
		conf.WriteString(snmpSection(r.name, agent))
		for _, o := range r.outlets {
			conf.WriteString(psuSection(dir, fmt.Sprintf("%s-psu%d", r.name, o), fmt.Sprintf("%s:outlet%d", r.name, o)))
		}
		devices = append(devices, r.name)
	}
	for _, r := range ddlRecordings {
		conf.WriteString(ddlSection(r.name, r.file))
		conf.WriteString(psuSection(dir, fmt.Sprintf("%s-psu%d", r.name, r.outlet), fmt.Sprintf("%s:outlet%d", r.name, r.outlet)))
		devices = append(devices, r.name)
	}
	os.WriteFile(filepath.Join(dir, "ups.conf"), []byte(conf.String()), 0o644)
	addr := serve(t, dir, false, "")
	for i := range devices {
		devices[i] += "@" + addr
	}
	checkAll(t, waitGraph(t, []string{addr}, devices...), addr, addr, false)

	// The agent stops answering: after three failed polls the driver
	// marks the PDU stale, and the load on its outlet that was on is
	// impaired.
	agent.Stop()
	checkStale(t, addr, "apc-ap8641@"+addr, "apc-ap8641-psu1@"+addr)
}

// TestRealPDUsDebianDrivers: the same recordings through Debian's NUT
// 2.8.0 snmp-ups and dummy-ups, as driver processes under powerchain's
// upsd, with the power supplies on a second powerchain server (the chain
// crosses servers). A driver that stops makes its device stale, and the
// loads behind it impaired.
func TestRealPDUsDebianDrivers(t *testing.T) {
	nuttest.Require(t, debianSnmpUps, nuttest.DummyUPS)
	var recs []string
	for _, r := range snmpRecordings {
		recs = append(recs, filepath.Join("../testdata/snmprec", r.name+".snmprec"))
	}
	agent := snmptest.Sim(t, recs...)
	env := nuttest.NewEnv(t)
	var conf strings.Builder
	var devices []string
	for _, r := range snmpRecordings {
		if !r.debian {
			t.Logf("%s: not through Debian's snmp-ups: %s", r.name, r.debianNo)
			continue
		}
		conf.WriteString(snmpSection(r.name, agent))
		devices = append(devices, r.name)
	}
	for _, r := range ddlRecordings {
		conf.WriteString(ddlSection(r.name, r.file))
		devices = append(devices, r.name)
	}
	env.WriteFile("ups.conf", conf.String(), 0o644)
	upsd := serve(t, env.ConfDir, true, env.StateDir)
	started := map[string]func(){}
	for _, r := range snmpRecordings {
		if r.debian {
			cmd := env.Start(debianSnmpUps, "-a", r.name)
			started[r.name] = func() { env.Stop(cmd) }
		}
	}
	for _, r := range ddlRecordings {
		env.Start(nuttest.DummyUPS, "-a", r.name)
	}

	psuDir := t.TempDir()
	var psus strings.Builder
	for _, r := range snmpRecordings {
		if r.debian {
			for _, o := range r.outlets {
				psus.WriteString(psuSection(psuDir, fmt.Sprintf("%s-psu%d", r.name, o), fmt.Sprintf("%s:outlet%d@%s", r.name, o, upsd)))
			}
		}
	}
	for _, r := range ddlRecordings {
		psus.WriteString(psuSection(psuDir, fmt.Sprintf("%s-psu%d", r.name, r.outlet), fmt.Sprintf("%s:outlet%d@%s", r.name, r.outlet, upsd)))
	}
	os.WriteFile(filepath.Join(psuDir, "ups.conf"), []byte(psus.String()), 0o644)
	rack := serve(t, psuDir, false, "")

	for i := range devices {
		devices[i] += "@" + upsd
	}
	checkAll(t, waitGraph(t, []string{rack}, devices...), upsd, rack, true)

	// The driver stops: upsd says the driver is not connected, the PDU is
	// stale, and the load on its outlet that was on is impaired.
	started["apc-ap8641"]()
	checkStale(t, rack, "apc-ap8641@"+upsd, "apc-ap8641-psu1@"+rack)
}

// checkStale waits (≤ 30 s) until the device has no fresh data and checks
// that the load on it is impaired for that.
func checkStale(t *testing.T, server, id, psu string) {
	t.Helper()
	var g *chain.Graph
	if !waittest.Until(30*time.Second, 300*time.Millisecond, func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		g = chain.Discover(ctx, []string{server}, chain.Options{})
		n := g.Nodes[id]
		return n != nil && n.Stale
	}) {
		t.Fatalf("%s never went stale: %+v", id, g.Nodes[id])
	}
	want := id + ": no fresh data"
	if p := g.PathOf(psu, nil); p.Health != chain.Impaired || p.Why != want {
		t.Errorf("%s: %s %q, want impaired %q", psu, p.Health, p.Why, want)
	}
}
