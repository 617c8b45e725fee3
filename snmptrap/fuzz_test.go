package snmptrap

import (
	"io"
	"log/slog"
	"net"
	"net/netip"
	"testing"

	"github.com/gosnmp/gosnmp"

	"github.com/powerchain/powerchain/internal/lograte"
	"github.com/powerchain/powerchain/internal/snmputil"
)

// FuzzTrap: any datagram on the trap port, decoded as gosnmp's listener
// decodes it and handed to the listener's dispatch: nothing panics, a
// decoded trap is counted once (woke, unknown source or rejected), and
// only a trap with the section's credentials wakes its agent.
func FuzzTrap(f *testing.F) {
	seeds := []*gosnmp.SnmpPacket{
		{Version: gosnmp.Version2c, Community: "traps", PDUType: gosnmp.SNMPv2Trap, RequestID: 1, Variables: []gosnmp.SnmpPDU{
			{Name: ".1.3.6.1.2.1.1.3.0", Type: gosnmp.TimeTicks, Value: uint32(1)},
			{Name: ".1.3.6.1.6.3.1.1.4.1.0", Type: gosnmp.ObjectIdentifier, Value: ".1.3.6.1.2.1.33.2.1"}}},
		{Version: gosnmp.Version1, Community: "traps", PDUType: gosnmp.Trap, SnmpTrap: gosnmp.SnmpTrap{
			Enterprise: ".1.3.6.1.4.1.318", AgentAddress: "127.0.0.1", GenericTrap: 6, SpecificTrap: 5}},
		{Version: gosnmp.Version1, Community: "traps", PDUType: gosnmp.Trap, SnmpTrap: gosnmp.SnmpTrap{
			Enterprise: ".1.3.6.1.2.1.33.2", AgentAddress: "192.0.2.1", GenericTrap: 6, SpecificTrap: 3}},
		{Version: gosnmp.Version2c, Community: "traps", PDUType: gosnmp.InformRequest, RequestID: 2, Variables: []gosnmp.SnmpPDU{
			{Name: ".1.3.6.1.6.3.1.1.4.1.0", Type: gosnmp.ObjectIdentifier, Value: ".1.3.6.1.4.1.534.1.11.4.1.0.3"}}},
		{Version: gosnmp.Version2c, Community: "traps", PDUType: gosnmp.GetRequest, RequestID: 3, Variables: []gosnmp.SnmpPDU{
			{Name: ".1.3.6.1.2.1.1.1.0", Type: gosnmp.Null}}},
	}
	for _, p := range seeds {
		b, err := p.MarshalMsg()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, false)
		f.Add(b, true)
	}
	f.Add([]byte{0x30, 0x03, 0x02, 0x01, 0x03}, false)
	v3 := &snmputil.V3{SecLevel: "authPriv", SecName: "pcuser", AuthProtocol: "SHA", AuthPassword: "auth-pass-1",
		PrivProtocol: "AES", PrivPassword: "priv-pass-1"}
	conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		f.Fatal(err)
	}
	defer conn.Close()
	sink, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		f.Fatal(err)
	}
	defer sink.Close()
	f.Fuzz(func(t *testing.T, b []byte, relayed bool) {
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		l := &Listener{log: log, warn: lograte.New(log, warnEvery), agents: map[netip.Addr][]*agent{}}
		s := newSocket(conn)
		l.sockets = []*socket{s}
		woke := map[string]int{}
		for _, a := range []Agent{
			{Name: "v2", Addrs: []netip.Addr{netip.MustParseAddr("127.0.0.1")}, Version: gosnmp.Version2c, Community: "traps"},
			{Name: "v3", Addrs: []netip.Addr{netip.MustParseAddr("127.0.0.1")}, Version: gosnmp.Version3, V3: v3},
		} {
			a.Wake = func(Trap) { woke[a.Name]++ }
			if _, err := l.Add(a); err != nil {
				t.Fatal(err)
			}
		}
		// Informs are answered to the test's own socket (never read),
		// or to a documentation address.
		from := sink.LocalAddr().(*net.UDPAddr)
		if relayed {
			from = &net.UDPAddr{IP: net.IPv4(192, 0, 2, 9), Port: 40000}
		}
		l.datagram(s, b, from)
		st := l.Stats()
		if st.Traps != st.Woke+st.UnknownSource+st.Rejected {
			t.Fatalf("a trap counted %+v", st)
		}
		if st.Traps+st.Dropped != 1 {
			t.Fatalf("one packet, counts %+v", st)
		}
		if len(woke) == 0 {
			return
		}
		p, err := s.params.UnmarshalTrap(b, false) // it did not panic above
		if err != nil || woke["v2"] > 0 && (p.Community != "traps" || p.Version == gosnmp.Version3) || woke["v3"] > 0 && p.Version != gosnmp.Version3 {
			t.Fatalf("woke %v for %v", woke, p)
		}
	})
}
