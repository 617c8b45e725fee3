package snmpups

import (
	"bufio"
	"encoding/hex"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gosnmp/gosnmp"

	"github.com/powerchain/powerchain/internal/snmputil"
	"github.com/powerchain/powerchain/mib"
)

// rows are every variable of every table, in a fixed order.
func rows() []mib.Var {
	var out []mib.Var
	for _, m := range mib.All() {
		out = append(out, m.Vars...)
	}
	return out
}

// snmprecPDU reads one line of an snmpsim recording (OID|tag|value) as
// the PDU an agent would send; ok false for tags it cannot stand for.
func snmprecPDU(line string) (gosnmp.SnmpPDU, bool) {
	f := strings.SplitN(line, "|", 3)
	if len(f) != 3 {
		return gosnmp.SnmpPDU{}, false
	}
	oid, tag, val := f[0], f[1], f[2]
	if strings.HasSuffix(tag, "x") {
		b, err := hex.DecodeString(val)
		if err != nil {
			return gosnmp.SnmpPDU{}, false
		}
		val, tag = string(b), strings.TrimSuffix(tag, "x")
	}
	tag, _, _ = strings.Cut(tag, ":")
	p := gosnmp.SnmpPDU{Name: "." + oid}
	num := func() uint64 { n, _ := strconv.ParseUint(val, 10, 64); return n }
	switch tag {
	case "2":
		n, _ := strconv.Atoi(val)
		p.Type, p.Value = gosnmp.Integer, n
	case "4":
		p.Type, p.Value = gosnmp.OctetString, []byte(val)
	case "6":
		p.Type, p.Value = gosnmp.ObjectIdentifier, val
	case "64":
		p.Type, p.Value = gosnmp.IPAddress, val
	case "65":
		p.Type, p.Value = gosnmp.Counter32, uint32(num())
	case "66":
		p.Type, p.Value = gosnmp.Gauge32, uint32(num())
	case "67":
		p.Type, p.Value = gosnmp.TimeTicks, uint32(num())
	case "70":
		p.Type, p.Value = gosnmp.Counter64, num()
	default:
		return p, false
	}
	return p, true
}

// response is an SNMPv2c GetResponse carrying pdus, as bytes on the wire.
func response(pdus []gosnmp.SnmpPDU) ([]byte, error) {
	p := &gosnmp.SnmpPacket{Version: gosnmp.Version2c, Community: "public", PDUType: gosnmp.GetResponse,
		RequestID: 1, Variables: pdus, Logger: gosnmp.NewLogger(nil)}
	return p.MarshalMsg()
}

// FuzzConvert decodes bytes as an agent's response, as gosnmp does, and
// converts each variable by a row of the tables as the driver does
// (snmputil.Value): no panic; strings printable; a number variable gets
// a number or one of its enumeration's words. Seeds: the values of the
// recordings in testdata/snmprec and its parity folder, each with the row
// of its OID.
func FuzzConvert(f *testing.F) {
	all := rows()
	byOID := map[string]int{}
	for i, v := range all {
		byOID[oidOf(v.OID)] = i
	}
	files, _ := filepath.Glob("../../testdata/snmprec/*.snmprec")
	parity, _ := filepath.Glob("../../testdata/snmprec/parity/*.snmprec")
	for _, path := range append(files, parity...) {
		file, err := os.Open(path)
		if err != nil {
			f.Fatal(err)
		}
		sc := bufio.NewScanner(file)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			p, ok := snmprecPDU(sc.Text())
			if !ok {
				continue
			}
			row, ok := byOID[strings.TrimPrefix(p.Name, ".")]
			if !ok {
				continue
			}
			b, err := response([]gosnmp.SnmpPDU{p})
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b, uint16(row))
		}
		file.Close()
	}
	// An agent that answers a number with an object identifier (its
	// sysObjectID, say).
	for i, v := range all {
		if !v.Is(mib.String) && len(v.Lookup) == 0 && v.OID != "" {
			b, err := response([]gosnmp.SnmpPDU{{Name: "." + oidOf(v.OID), Type: gosnmp.ObjectIdentifier, Value: ".1.3.6.1.4.1.318.1.3.4.6"}})
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b, uint16(i))
			break
		}
	}
	dec := &gosnmp.GoSNMP{Version: gosnmp.Version2c, Community: "public", Logger: gosnmp.NewLogger(nil)}
	f.Fuzz(func(t *testing.T, packet []byte, row uint16) {
		pkt, err := decode(dec, packet)
		if err != nil || pkt == nil {
			return
		}
		for i, pdu := range pkt.Variables {
			v := all[(int(row)+i)%len(all)]
			pdu.Name = "." + oidOf(v.OID)
			s, ok := snmputil.Value(v, pdu)
			if !ok {
				continue
			}
			if strings.ContainsFunc(s, func(r rune) bool { return r < ' ' || r == 0x7f }) {
				t.Fatalf("%s from %v: %q", v.Name, pdu, s)
			}
			if v.Is(mib.String) || v.Is(mib.Status) || v.Is(mib.Alarm) || v.Convert != mib.NoConvert || v.OID == "" {
				continue
			}
			if _, err := strconv.ParseFloat(s, 64); err != nil {
				if _, isWord := v.Lookup.Value(s); !isWord {
					t.Fatalf("number %s from %s %v: %q", v.Name, pdu.Type, pdu.Value, s)
				}
			}
		}
	})
}

// oidOf is a row's OID for instance 1 of unit 0.
func oidOf(oid string) string {
	return strings.ReplaceAll(strings.ReplaceAll(oid, "%u", "0"), "%i", "1")
}

// decode is gosnmp's decoding of a packet; a panic in it (which gosnmp's
// own requests recover from) counts as a packet that does not decode.
func decode(g *gosnmp.GoSNMP, b []byte) (p *gosnmp.SnmpPacket, err error) {
	defer func() {
		if recover() != nil {
			p, err = nil, os.ErrInvalid
		}
	}()
	return g.SnmpDecodePacket(b)
}
