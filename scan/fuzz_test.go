package scan

import (
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"

	"github.com/gosnmp/gosnmp"

	"github.com/powerchain/powerchain/client"
	"github.com/powerchain/powerchain/mib"
	"github.com/powerchain/powerchain/nut"
)

// writable checks that devices made from a reply are sound: a NUT address
// where there is one, a description NUT can hold, and every one written
// by WriteUPSConf.
func writable(t *testing.T, devs []Device) {
	t.Helper()
	for _, d := range devs {
		if d.Driver == "nutclient" {
			if _, err := nut.ParseUPSName(d.Port); err != nil {
				t.Fatalf("port %q: %v", d.Port, err)
			}
		}
		if strings.IndexFunc(d.Desc, func(r rune) bool { return r < ' ' || r > '~' }) >= 0 || len(d.Desc) > maxDesc {
			t.Fatalf("desc %q", d.Desc)
		}
	}
	if err := WriteUPSConf(io.Discard, devs); err != nil {
		t.Fatalf("WriteUPSConf: %v", err)
	}
}

// FuzzNUTServerReply: whatever a NUT server answers to LIST UPS, the NUT
// and DNS-SD buses make sections that hold a valid address and are
// written, or none.
func FuzzNUTServerReply(f *testing.F) {
	for _, seed := range []string{
		"BEGIN LIST UPS\nUPS ups1 \"Main UPS\"\nUPS pdu1 \"Description unavailable\"\nEND LIST UPS\n",
		"BEGIN LIST UPS\nUPS \"with space\" \"x\"\nUPS a@b \"\"\nUPS \"q\\\"uote\" \"\"\nUPS ok \"\"\nEND LIST UPS\n",
		"BEGIN LIST UPS\nUPS\nUPS x\nEND LIST UPS\n",
		"BEGIN LIST UPS\r\nUPS ups1 \"d\"\r\nEND LIST UPS\r\n",
		"ERR ACCESS-DENIED\n",
		"BEGIN LIST UPS\n",
		"\x00\xffWHAT?\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, reply []byte) {
		cli, srv := net.Pipe()
		go func() {
			go io.Copy(io.Discard, srv)
			srv.Write(reply)
			srv.Close()
		}()
		c := client.NewClient(cli)
		defer c.Close()
		writable(t, listedDevices(context.Background(), c, BusNUT, "127.0.0.1"))
	})
}

// FuzzNetXMLAnswer: whatever a host answers to NetXML's SCAN_REQUEST,
// the description taken from it is printable and bounded.
func FuzzNetXMLAnswer(f *testing.F) {
	for _, seed := range []string{
		`<?xml version="1.0" encoding="ISO-8859-1"?><SCAN_ANSWER><DEVICE class="DEV.UPS" type="Eaton 5PX" name="ups1" protocol="XML.V4"/></SCAN_ANSWER>`,
		`<SCAN_ANSWER><DEVICE class="DEV.PDU" type="ePDU"/></SCAN_ANSWER>`,
		`<a type="x&#10;y&#0;z"/>`,
		`<a type="` + strings.Repeat("é", 300) + `"/>`,
		`<a><b type="first"/><c type="second"/></a>`,
		`not xml at all`,
		`<open`,
		"",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		desc, ok := netXMLAnswer(b)
		if !ok {
			return
		}
		writable(t, []Device{{Bus: BusXML, Driver: "netxml-ups", Port: "http://127.0.0.1", Desc: desc}})
	})
}

// FuzzSNMPReply: an SNMP response, as gosnmp decodes it for the scanner,
// through what the scanner does with its values: the sysObjectID looked
// up in the tables, model and sysDescr made a description.
func FuzzSNMPReply(f *testing.F) {
	g := &gosnmp.GoSNMP{Version: gosnmp.Version2c, Community: "public"}
	for _, vars := range [][]gosnmp.SnmpPDU{
		{{Name: mib.SysObjectID, Type: gosnmp.ObjectIdentifier, Value: ".1.3.6.1.4.1.318.1.3.4.5"}},
		{{Name: mib.SysDescr, Type: gosnmp.OctetString, Value: []byte("APC Web/SNMP Management Card (MB:v4.1.0 PF:v6.5.6)")}},
		{{Name: mib.SysDescr, Type: gosnmp.OctetString, Value: []byte("Onduleur \xe9\x00\n\x7f " + strings.Repeat("x", 300))}},
		{{Name: "1.3.6.1.4.1.318.1.1.4.4.1.0", Type: gosnmp.Integer, Value: 8}, {Name: mib.SysUpTime, Type: gosnmp.TimeTicks, Value: uint32(12345)}},
		{{Name: mib.SysObjectID, Type: gosnmp.NoSuchObject}},
	} {
		p := &gosnmp.SnmpPacket{Version: gosnmp.Version2c, Community: "public", PDUType: gosnmp.GetResponse, RequestID: 1, Variables: vars}
		if b, err := p.MarshalMsg(); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := g.SnmpDecodePacket(b)
		if err != nil {
			return
		}
		var devs []Device
		for _, v := range p.Variables {
			if v.Name == mib.SysObjectID || strings.TrimPrefix(v.Name, ".") == mib.SysObjectID {
				mib.Candidates(strings.TrimPrefix(fmt.Sprint(v.Value), "."))
			}
			gosnmp.ToBigInt(v.Value)
			devs = append(devs, Device{Bus: BusSNMP, Driver: "snmp-ups", Port: "127.0.0.1", Desc: text(v)})
		}
		writable(t, devs)
	})
}
