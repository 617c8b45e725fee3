package snmptrap_test

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/gosnmp/gosnmp"

	"github.com/powerchain/powerchain/internal/snmptest"
	"github.com/powerchain/powerchain/internal/snmputil"
	"github.com/powerchain/powerchain/internal/testlog"
	"github.com/powerchain/powerchain/internal/waittest"
	"github.com/powerchain/powerchain/mib"
	"github.com/powerchain/powerchain/snmptrap"
)

var loopback = netip.MustParseAddr("127.0.0.1")

// listen starts a listener on a free loopback port for the test.
func listen(t *testing.T) (*snmptrap.Listener, string, *testlog.Buffer) {
	t.Helper()
	logs := &testlog.Buffer{}
	log := slog.New(slog.NewTextHandler(logs, nil))
	l, err := snmptrap.Listen(context.Background(), []string{"127.0.0.1:0"}, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(l.Close)
	return l, l.Addrs()[0].String(), logs
}

// woken adds an agent whose traps arrive on the channel.
func woken(t *testing.T, l *snmptrap.Listener, a snmptrap.Agent) (<-chan snmptrap.Trap, func()) {
	t.Helper()
	ch := make(chan snmptrap.Trap, 16)
	a.Wake = func(tr snmptrap.Trap) { ch <- tr }
	if a.Addrs == nil {
		a.Addrs = []netip.Addr{loopback}
	}
	remove, err := l.Add(a)
	if err != nil {
		t.Fatal(err)
	}
	return ch, remove
}

func next(t *testing.T, ch <-chan snmptrap.Trap) snmptrap.Trap {
	t.Helper()
	select {
	case tr := <-ch:
		return tr
	case <-time.After(10 * time.Second):
		t.Fatal("no trap woke the agent")
		return snmptrap.Trap{}
	}
}

// waitStats waits until the counts satisfy ok (a trap that must not wake
// anything is seen through the count it adds).
func waitStats(t *testing.T, l *snmptrap.Listener, what string, ok func(snmptrap.Stats) bool) {
	t.Helper()
	if !waittest.Until(10*time.Second, 10*time.Millisecond, func() bool { return ok(l.Stats()) }) {
		t.Fatalf("%s: stats %+v", what, l.Stats())
	}
}

var usmUser = &snmputil.V3{SecLevel: "authPriv", SecName: "pcuser", AuthProtocol: "SHA", AuthPassword: "auth-pass-1",
	PrivProtocol: "AES", PrivPassword: "priv-pass-1"}

// TestNetSNMPTraps: Net-SNMP's snmptrap sends the MIBs' own traps in
// every version and form; the agent is woken with the notification named
// as the MIB names it and what it asks to read.
func TestNetSNMPTraps(t *testing.T) {
	l, addr, _ := listen(t)
	v2, _ := woken(t, l, snmptrap.Agent{Name: "v2", Version: gosnmp.Version2c, Community: "traps"})
	l3, addr3, logs3 := listen(t)
	v3, _ := woken(t, l3, snmptrap.Agent{Name: "v3", Version: gosnmp.Version3, V3: usmUser})
	v3auth, _ := woken(t, l3, snmptrap.Agent{Name: "v3auth", Addrs: []netip.Addr{netip.MustParseAddr("127.0.0.3")}, Version: gosnmp.Version3,
		V3: &snmputil.V3{SecLevel: "authNoPriv", SecName: "monitor", AuthProtocol: "MD5", AuthPassword: "md5-pass-1"}})
	v3none, _ := woken(t, l3, snmptrap.Agent{Name: "v3none", Addrs: []netip.Addr{netip.MustParseAddr("127.0.0.4")}, Version: gosnmp.Version3,
		V3: &snmputil.V3{SecName: "plain"}})
	usm := []string{"-v", "3", "-e", "0x80001f8880aabbccdd01", "-u", "pcuser", "-l", "authPriv", "-a", "SHA", "-A", "auth-pass-1", "-x", "AES", "-X", "priv-pass-1"}
	for _, c := range []struct {
		name    string
		ch      <-chan snmptrap.Trap
		args    []string
		version gosnmp.SnmpVersion
		symbol  string
		read    mib.TrapRead
	}{
		{"v2c UPS-MIB", v2, []string{"-v", "2c", "-c", "traps", addr, "", "1.3.6.1.2.1.33.2.1"}, gosnmp.Version2c, "UPS-MIB::upsTrapOnBattery", mib.ReadStatus},
		{"v2c inform", v2, []string{"-v", "2c", "-c", "traps", "-Ci", addr, "", "1.3.6.1.2.1.33.2.2"}, gosnmp.Version2c, "UPS-MIB::upsTrapTestCompleted", mib.ReadAll},
		{"v1 PowerNet", v2, []string{"-v", "1", "-c", "traps", addr, "1.3.6.1.4.1.318", "127.0.0.1", "6", "5", ""}, gosnmp.Version1, "PowerNet-MIB::upsOnBattery", mib.ReadStatus},
		{"v1 rPDU outlet", v2, []string{"-v", "1", "-c", "traps", addr, "1.3.6.1.4.1.318", "127.0.0.1", "6", "269", ""}, gosnmp.Version1, "PowerNet-MIB::rPDUOutletOff", mib.ReadStatus},
		{"v1 UPS-MIB (SMIv2 as v1)", v2, []string{"-v", "1", "-c", "traps", addr, "1.3.6.1.2.1.33.2", "127.0.0.1", "6", "3", ""}, gosnmp.Version1, "UPS-MIB::upsTrapAlarmEntryAdded", mib.ReadStatus},
		{"v1 MGE", v2, []string{"-v", "1", "-c", "traps", addr, "1.3.6.1.4.1.705.1.11", "127.0.0.1", "6", "11", ""}, gosnmp.Version1, "MG-SNMP-UPS-MIB::upsmgOnBattery", mib.ReadStatus},
		{"v1 coldStart", v2, []string{"-v", "1", "-c", "traps", addr, "1.3.6.1.4.1.318", "127.0.0.1", "0", "0", ""}, gosnmp.Version1, "SNMPv2-MIB::coldStart", mib.ReadAll},
		{"v2c unknown trap", v2, []string{"-v", "2c", "-c", "traps", addr, "", "1.3.6.1.4.1.318.0.46"}, gosnmp.Version2c, "", mib.ReadStatus},
		{"v3 authPriv XUPS", v3, append(append([]string{}, usm...), addr3, "", "1.3.6.1.4.1.534.1.11.4.1.0.3"), gosnmp.Version3, "XUPS-MIB::xupstdOnBattery", mib.ReadStatus},
		{"v3 authPriv ePDU", v3, append(append([]string{}, usm...), addr3, "", "1.3.6.1.4.1.534.6.6.7.0.33"), gosnmp.Version3, "EATON-EPDU-MIB::notifyOutletControlStatus", mib.ReadStatus},
		{"v3 authNoPriv", v3auth, []string{"-v", "3", "-e", "0x80001f8880aabbccdd02", "-u", "monitor", "-l", "authNoPriv", "-a", "MD5", "-A", "md5-pass-1",
			"--clientaddr=127.0.0.3", addr3, "", "1.3.6.1.2.1.33.2.4"}, gosnmp.Version3, "UPS-MIB::upsTrapAlarmEntryRemoved", mib.ReadStatus},
		{"v3 noAuthNoPriv", v3none, []string{"-v", "3", "-e", "0x80001f8880aabbccdd03", "-u", "plain", "-l", "noAuthNoPriv",
			"--clientaddr=127.0.0.4", addr3, "", "1.3.6.1.4.1.318.0.268"}, gosnmp.Version3, "PowerNet-MIB::rPDUOutletOn", mib.ReadStatus},
	} {
		t.Run(c.name, func(t *testing.T) {
			snmptest.SendTrap(t, c.args...)
			tr := next(t, c.ch)
			if tr.Version != c.version || tr.Symbol != c.symbol || tr.Read != c.read {
				t.Errorf("got %+v; want %s %s read %d", tr, c.version, c.symbol, c.read)
			}
		})
	}
	if s := l.Stats(); s.Rejected+s.UnknownSource+s.Dropped != 0 {
		t.Errorf("v1/v2c listener: %+v", s)
	}
	if s := l3.Stats(); s.Rejected+s.UnknownSource+s.Dropped != 0 {
		t.Errorf("v3 listener: %+v\n%s", s, logs3)
	}
}

// TestRefused: traps without the section's credentials, from addresses no
// device reads, and packets that are no trap wake nothing, are counted
// and logged at most once per cause in the interval; the listener goes on.
func TestRefused(t *testing.T) {
	l, addr, logs := listen(t)
	ch, remove := woken(t, l, snmptrap.Agent{Name: "ups1", Version: gosnmp.Version2c, Community: "traps"})
	other, _ := woken(t, l, snmptrap.Agent{Name: "pdu3", Addrs: []netip.Addr{netip.MustParseAddr("127.0.0.3")}, Version: gosnmp.Version3, V3: usmUser})
	const onBattery = "1.3.6.1.2.1.33.2.1"

	snmptest.SendTrap(t, "-v", "2c", "-c", "wrong", addr, "", onBattery)
	waitStats(t, l, "wrong community", func(s snmptrap.Stats) bool { return s.Rejected == 1 })
	snmptest.SendTrap(t, "-v", "2c", "-c", "traps", "--clientaddr=127.0.0.2", addr, "", onBattery)
	waitStats(t, l, "unknown source", func(s snmptrap.Stats) bool { return s.UnknownSource == 1 })
	// SNMPv2c to a v3 section: its community is not asked for.
	snmptest.SendTrap(t, "-v", "2c", "-c", "public", "--clientaddr=127.0.0.3", addr, "", onBattery)
	waitStats(t, l, "v2c to a v3 section", func(s snmptrap.Stats) bool { return s.Rejected == 2 })
	for _, args := range [][]string{
		{"-u", "pcuser", "-l", "authPriv", "-a", "SHA", "-A", "wrong-pass-1", "-x", "AES", "-X", "priv-pass-1"},
		{"-u", "pcuser", "-l", "authNoPriv", "-a", "SHA", "-A", "auth-pass-1"}, // below the section's level
		{"-u", "intruder", "-l", "noAuthNoPriv"},
	} {
		snmptest.SendTrap(t, append(append([]string{"-v", "3", "-e", "0x80001f8880aabbccdd09", "--clientaddr=127.0.0.3"}, args...), addr, "", onBattery)...)
	}
	// gosnmp's decoder refuses the wrong password and the unknown user;
	// the level below the section's is refused by it or by the listener.
	waitStats(t, l, "bad SNMPv3", func(s snmptrap.Stats) bool { return s.Dropped+s.Rejected == 2+3 && s.Dropped >= 2 })
	refusedV3 := l.Stats().Dropped

	// Garbage, truncated traps and a request instead of a trap.
	c, err := net.Dial("udp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	good := v2cTrap(t, "traps", onBattery)
	get := &gosnmp.SnmpPacket{Version: gosnmp.Version2c, Community: "traps", PDUType: gosnmp.GetRequest, RequestID: 7,
		Variables: []gosnmp.SnmpPDU{{Name: ".1.3.6.1.2.1.1.1.0", Type: gosnmp.Null}}}
	req, err := get.MarshalMsg()
	if err != nil {
		t.Fatal(err)
	}
	junk := [][]byte{{}, {0x30}, []byte("GET / HTTP/1.0\r\n\r\n"), good[:len(good)/2], good[:len(good)-1], req, make([]byte, 9000)}
	for i := range 200 {
		junk = append(junk, append([]byte{0x30, 0x82, 0xff, 0xff}, byte(i)))
	}
	for _, j := range junk {
		c.Write(j)
	}
	want := refusedV3 + uint64(len(junk)-1) // the empty datagram may not count
	waitStats(t, l, "garbage", func(s snmptrap.Stats) bool { return s.Dropped >= want })
	if n := strings.Count(logs.String(), "dropped a packet"); n > 2 {
		t.Errorf("%d log lines for %d dropped packets (at most one per 10 s, and a summary):\n%s", n, l.Stats().Dropped, logs)
	}

	// Still listening: a good trap wakes the agent; the others never woke.
	snmptest.SendTrap(t, "-v", "2c", "-c", "traps", addr, "", onBattery)
	if tr := next(t, ch); tr.Symbol != "UPS-MIB::upsTrapOnBattery" {
		t.Errorf("after the garbage: %+v", tr)
	}
	if len(ch) != 0 || len(other) != 0 {
		t.Errorf("refused traps woke an agent: %d %d", len(ch), len(other))
	}
	// Removed: the address is no device's any more.
	remove()
	snmptest.SendTrap(t, "-v", "2c", "-c", "traps", addr, "", onBattery)
	waitStats(t, l, "removed agent", func(s snmptrap.Stats) bool { return s.UnknownSource == 2 })
	if s := l.Stats(); s.Woke != 1 {
		t.Errorf("woke %d times, want 1: %+v", s.Woke, s)
	}
}

// TestRelayedV1: a v1 trap forwarded by another host is the agent's by its
// agent-addr; two sections of one agent with different communities are
// each woken by their own.
func TestRelayedV1(t *testing.T) {
	l, addr, _ := listen(t)
	agent := netip.MustParseAddr("192.0.2.7")
	ups, _ := woken(t, l, snmptrap.Agent{Name: "ups", Addrs: []netip.Addr{agent}, Version: gosnmp.Version1, Community: "a"})
	pdu, _ := woken(t, l, snmptrap.Agent{Name: "pdu", Addrs: []netip.Addr{agent}, Version: gosnmp.Version2c, Community: "b"})
	snmptest.SendTrap(t, "-v", "1", "-c", "b", addr, "1.3.6.1.4.1.318", agent.String(), "6", "269", "")
	if tr := next(t, pdu); tr.Symbol != "PowerNet-MIB::rPDUOutletOff" || tr.From != loopback {
		t.Errorf("relayed: %+v", tr)
	}
	if len(ups) != 0 {
		t.Error("the other community's section was woken")
	}
}

// TestCloseReleases: Close frees the port at once, and a context's end
// closes the listener.
func TestCloseReleases(t *testing.T) {
	addr := fmt.Sprintf("127.0.0.1:%d", snmptest.FreeUDPPort(t))
	ctx, cancel := context.WithCancel(context.Background())
	l, err := snmptrap.Listen(ctx, []string{addr}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := snmptrap.Listen(context.Background(), []string{addr}, nil); err == nil {
		t.Fatal("a second listener bound the same port")
	}
	cancel()
	for i := 0; ; i++ {
		l2, err := snmptrap.Listen(context.Background(), []string{addr}, nil)
		if err == nil {
			l2.Close()
			break
		}
		if i == 500 {
			t.Fatalf("the port stays bound after the context ended: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	l.Close() // again: nothing happens
}

func v2cTrap(t *testing.T, community, oid string) []byte {
	t.Helper()
	p := &gosnmp.SnmpPacket{Version: gosnmp.Version2c, Community: community, PDUType: gosnmp.SNMPv2Trap, RequestID: 1,
		Variables: []gosnmp.SnmpPDU{{Name: ".1.3.6.1.2.1.1.3.0", Type: gosnmp.TimeTicks, Value: uint32(1)},
			{Name: ".1.3.6.1.6.3.1.1.4.1.0", Type: gosnmp.ObjectIdentifier, Value: "." + oid}}}
	b, err := p.MarshalMsg()
	if err != nil {
		t.Fatal(err)
	}
	return b
}
