package snmpups_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gosnmp/gosnmp"

	"github.com/powerchain/powerchain/client"
	"github.com/powerchain/powerchain/daemon"
	"github.com/powerchain/powerchain/internal/clienttest"
	"github.com/powerchain/powerchain/internal/snmptest"
	"github.com/powerchain/powerchain/internal/waittest"
	"github.com/powerchain/powerchain/mib"
	"github.com/powerchain/powerchain/snmptrap"
)

// serveDaemon starts powerchain's server with the ups.conf text and
// options until the test ends, and returns a client (not logged in) and
// the daemon.
func serveDaemon(t *testing.T, upsConf string, opts daemon.Options) (*client.Client, *daemon.Daemon) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	addr, d := startDaemon(t, ctx, upsConf, opts)
	cctx, ccancel := context.WithTimeout(ctx, 30*time.Second)
	t.Cleanup(ccancel)
	return clienttest.Dial(cctx, t, addr), d
}

// startDaemon starts powerchain's server with the ups.conf text and
// options (the test's directory and a listener filled in) until ctx ends,
// and returns its address and the daemon. Users: admin (password pw, may
// SET and INSTCMD) and mon (password monpw, upsmon primary).
func startDaemon(tb testing.TB, ctx context.Context, upsConf string, opts daemon.Options) (string, *daemon.Daemon) {
	tb.Helper()
	dir := tb.TempDir()
	os.WriteFile(filepath.Join(dir, "ups.conf"), []byte(upsConf), 0o644)
	os.WriteFile(filepath.Join(dir, "upsd.users"), []byte("[admin]\n\tpassword = pw\n\tactions = SET\n\tinstcmds = ALL\n"+
		"[mon]\n\tpassword = monpw\n\tupsmon primary\n"), 0o640)
	ready := make(chan string, 1)
	opts.ConfDir, opts.Listen = dir, []string{"127.0.0.1:0"}
	opts.Ready = func(a []net.Addr) { ready <- a[0].String() }
	d, err := daemon.Start(ctx, opts)
	if err != nil {
		tb.Fatal(err)
	}
	return <-ready, d
}

// writableData makes the lines of a recording whose OID matches re
// writable (snmpsim's writecache variation keeps what a SET wrote).
func writableData(b []byte, re *regexp.Regexp) []byte {
	line := regexp.MustCompile(`(?m)^(` + re.String() + `)\|(\d+)\|(.*)$`)
	return line.ReplaceAll(b, []byte("$1|$2:writecache|value=$3"))
}

// ietfUPS is a synthetic UPS-MIB agent whose output source and battery
// status can be set, without the overload alarm (synthetic recordings
// answer 1 everywhere).
func ietfUPS() []byte {
	b := regexp.MustCompile(`(?m)^1\.3\.6\.1\.2\.1\.33\.1\.6\.3\.8\|.*\n`).ReplaceAll(synthetic(mib.ByName("ietf")), nil)
	return writableData(b, regexp.MustCompile(regexp.QuoteMeta(upsOutputSource)+"|"+regexp.QuoteMeta(upsBatteryStatus)))
}

// Status OIDs the trap tests change on the agents.
const (
	upsOutputSource      = "1.3.6.1.2.1.33.1.4.1.0"        // UPS-MIB: normal(3), battery(5)
	upsBatteryStatus     = "1.3.6.1.2.1.33.1.2.1.0"        // UPS-MIB: batteryNormal(2), batteryLow(3)
	upsBasicOutputStatus = "1.3.6.1.4.1.318.1.1.1.4.1.1.0" // PowerNet-MIB: onLine(2), onBattery(3)
	upsmgOutputOnBattery = "1.3.6.1.4.1.705.1.7.3.0"       // MG-SNMP-UPS-MIB: yes(1), no(2)
)

// setAgent changes what the agent answers for INTEGERs (OID, value,
// OID, value …) in one SET: the device's own change of state, which its
// card announces with a trap.
func setAgent(tb testing.TB, agent *snmptest.Agent, community string, oidValues ...any) {
	tb.Helper()
	host, port, _ := net.SplitHostPort(agent.Addr)
	p, _ := strconv.Atoi(port)
	g := &gosnmp.GoSNMP{Target: host, Port: uint16(p), Community: community, Version: gosnmp.Version2c, Timeout: 5 * time.Second, Retries: 2}
	if err := g.Connect(); err != nil {
		tb.Fatal(err)
	}
	defer g.Conn.Close()
	var pdus []gosnmp.SnmpPDU
	for i := 0; i+1 < len(oidValues); i += 2 {
		pdus = append(pdus, gosnmp.SnmpPDU{Name: oidValues[i].(string), Type: gosnmp.Integer, Value: oidValues[i+1]})
	}
	res, err := g.Set(pdus)
	if err != nil || res.Error != gosnmp.NoError {
		tb.Fatalf("SET %v on the agent: %v %v", oidValues, err, res)
	}
}

// hour is the status interval and full-read period of the devices in
// the trap tests: without a trap, nothing is read again during a test.
const hour = "\tpollinterval = 3600\n\tpollfreq = 3600\n"

// outletStatus is the OID and lookup the table reads outlet 1's state
// with.
func outletStatus(t *testing.T, m *mib.MIB) (string, mib.Lookup) {
	t.Helper()
	for _, v := range m.Vars {
		if v.Name == "outlet.%i.status" {
			return strings.ReplaceAll(v.OID, "%i", "1"), v.Lookup
		}
	}
	t.Fatalf("%s has no outlet.%%i.status", m.Name)
	return "", nil
}

// TestTrapWakesRead: an agent's state changes and its card sends the
// MIB's trap (Net-SNMP's snmptrap, v1 and v2c) to serve's shared trap
// listener; the device's new state is visible through the server right
// after, although its driver reads it only once an hour. Only the
// device the trap is from is read (the others' agents see no request);
// traps from an unknown address or with another community read nothing.
func TestTrapWakesRead(t *testing.T) {
	pduOID, pduLookup := outletStatus(t, mib.ByName("apc_pdu"))
	off, _ := pduLookup.Value("off")
	apc, err := os.ReadFile("../../testdata/snmprec/apc-ap8641.snmprec")
	if err != nil {
		t.Fatal(err)
	}
	eaton, err := os.ReadFile("../../testdata/snmprec/eaton-9px-partial.snmprec")
	if err != nil {
		t.Fatal(err)
	}
	agent := snmptest.SimData(t, map[string][]byte{
		"ietf":  ietfUPS(),
		"apcc":  writableData(synthetic(mib.ByName("apcc")), regexp.MustCompile(regexp.QuoteMeta(upsBasicOutputStatus))),
		"mge":   writableData(eaton, regexp.MustCompile(regexp.QuoteMeta(upsmgOutputOnBattery))),
		"apcpd": writableData(apc, regexp.MustCompile(regexp.QuoteMeta(pduOID))),
	})
	setAgent(t, agent, "ietf", upsOutputSource, 3)
	setAgent(t, agent, "apcc", upsBasicOutputStatus, 2)
	var conf strings.Builder
	for _, name := range []string{"ietf", "apcc", "mge", "apcpd"} {
		conf.WriteString(section(name, agent, name, hour))
	}
	c, d := serveDaemon(t, conf.String(), daemon.Options{Traps: []string{"127.0.0.1:0"}})
	waitValue(t, c, "ietf", "ups.status", "OL")
	waitValue(t, c, "apcc", "ups.status", "OL")
	waitValue(t, c, "mge", "ups.status", "OL")
	waitValue(t, c, "apcpd", "outlet.1.status", "on")
	traps := d.Traps().Addrs()[0].String()

	for _, tc := range []struct {
		name, oid string
		value     int
		trap      []string
		variable  string
		want      string
	}{
		{"ietf", upsOutputSource, 5, []string{"-v", "2c", "-c", "ietf", traps, "", "1.3.6.1.2.1.33.2.1"}, "ups.status", "OB"},
		{"apcc", upsBasicOutputStatus, 3, []string{"-v", "2c", "-c", "apcc", traps, "", "1.3.6.1.4.1.318.0.5"}, "ups.status", "OB"},
		{"mge", upsmgOutputOnBattery, 1, []string{"-v", "1", "-c", "mge", traps, "1.3.6.1.4.1.705.1.11", "127.0.0.1", "6", "11", ""}, "ups.status", "OB"},
		{"apcpd", pduOID, int(off), []string{"-v", "1", "-c", "apcpd", traps, "1.3.6.1.4.1.318", "127.0.0.1", "6", "269", "",
			"1.3.6.1.4.1.318.1.1.12.3.3.1.1.1.1", "i", "1"}, "outlet.1.status", "off"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := map[string]int{}
			for _, other := range []string{"ietf", "apcc", "mge", "apcpd"} {
				before[other] = len(agent.Requests(other))
			}
			setAgent(t, agent, tc.name, tc.oid, tc.value)
			snmptest.SendTrap(t, tc.trap...)
			waitValue(t, c, tc.name, tc.variable, tc.want)
			for other, n := range before {
				if other != tc.name && len(agent.Requests(other)) != n {
					t.Errorf("the trap from %s's agent made %s's driver read too", tc.name, other)
				}
			}
		})
	}

	woke := d.Traps().Stats().Woke
	snmptest.SendTrap(t, "-v", "2c", "-c", "ietf", "--clientaddr=127.0.0.2", traps, "", "1.3.6.1.2.1.33.2.1")
	snmptest.SendTrap(t, "-v", "2c", "-c", "not-ietf", traps, "", "1.3.6.1.2.1.33.2.1")
	waitStats(t, d.Traps(), func(s snmptrap.Stats) bool { return s.UnknownSource == 1 && s.Rejected == 1 })
	if s := d.Traps().Stats(); s.Woke != woke {
		t.Errorf("refused traps woke a driver: %+v", s)
	}
}

// TestTrapOwnPort: a section with powerchain_traps receives its agent's
// traps on that port, with no listener in serve.
func TestTrapOwnPort(t *testing.T) {
	agent := snmptest.SimData(t, map[string][]byte{"ietf": ietfUPS()})
	setAgent(t, agent, "ietf", upsOutputSource, 3)
	port := snmptest.FreeUDPPort(t)
	c, d := serveDaemon(t, section("ups", agent, "ietf", hour+fmt.Sprintf("\tpowerchain_traps = 127.0.0.1:%d\n", port)), daemon.Options{})
	if d.Traps() != nil {
		t.Fatal("serve listens for traps unasked")
	}
	waitValue(t, c, "ups", "ups.status", "OL")
	setAgent(t, agent, "ietf", upsOutputSource, 5)
	snmptest.SendTrap(t, "-v", "2c", "-c", "ietf", fmt.Sprintf("127.0.0.1:%d", port), "", "1.3.6.1.2.1.33.2.1")
	waitValue(t, c, "ups", "ups.status", "OB")
}

// TestTrapV3: the agent reads and traps over SNMPv3 (authPriv, SHA and
// AES, as the section says); Eaton's XUPS-MIB xupstdOnBattery, sent by
// Net-SNMP's snmptrap to serve's listener, shows the UPS on battery at
// once; a trap with another password reads nothing.
func TestTrapV3(t *testing.T) {
	eaton, err := os.ReadFile("../../testdata/snmprec/eaton-9px-partial.snmprec")
	if err != nil {
		t.Fatal(err)
	}
	user := snmptest.SimUser{Name: "pcuser", AuthProtocol: "SHA", AuthKey: "auth-pass-1", PrivProtocol: "AES", PrivKey: "priv-pass-1"}
	agent := snmptest.SimV3(t, user, writableData(eaton, regexp.MustCompile(regexp.QuoteMeta(upsmgOutputOnBattery))))
	v3 := "\tsnmp_version = v3\n\tsecLevel = authPriv\n\tsecName = pcuser\n\tauthProtocol = SHA\n\tauthPassword = auth-pass-1\n\tprivProtocol = AES\n\tprivPassword = priv-pass-1\n"
	conf := strings.ReplaceAll(section("ups", agent, "unused", hour+v3), "\tsnmp_version = v2c\n", "")
	c, d := serveDaemon(t, conf, daemon.Options{Traps: []string{"127.0.0.1:0"}})
	waitValue(t, c, "ups", "ups.status", "OL")
	traps := d.Traps().Addrs()[0].String()
	usm := func(auth string) []string {
		return []string{"-v", "3", "-e", "0x80001f8880aabbccdd42", "-u", "pcuser", "-l", "authPriv", "-a", "SHA", "-A", auth, "-x", "AES", "-X", "priv-pass-1",
			traps, "", "1.3.6.1.4.1.534.1.11.4.1.0.3"}
	}
	snmptest.SendTrap(t, usm("wrong-pass-1")...)
	waitStats(t, d.Traps(), func(s snmptrap.Stats) bool { return s.Dropped == 1 })
	setAgent(t, agent, snmptest.V3Community, upsmgOutputOnBattery, 1)
	snmptest.SendTrap(t, usm("auth-pass-1")...)
	waitValue(t, c, "ups", "ups.status", "OB")
	if s := d.Traps().Stats(); s.Woke != 1 {
		t.Errorf("stats %+v, want one trap that woke the driver", s)
	}
}

func waitStats(t *testing.T, l *snmptrap.Listener, ok func(snmptrap.Stats) bool) {
	t.Helper()
	if !waittest.Until(15*time.Second, 20*time.Millisecond, func() bool { return ok(l.Stats()) }) {
		t.Fatalf("trap listener stats %+v", l.Stats())
	}
}
