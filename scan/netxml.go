package scan

import (
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"net"
	"net/netip"
	"strconv"
	"time"
)

// BusXML names the NetXML bus in parsable output.
const BusXML = "XML"

// NetXMLOptions configure the Eaton NetXML bus.
type NetXMLOptions struct {
	Options
	Port int // UDP port of the cards; 4679 when 0
}

// NetXML sends NetXML's <SCAN_REQUEST/> to UDP port 4679 of each host,
// as NUT's nut-scanner does, and lists the cards that answer with XML as
// netxml-ups sections (port http://IP; desc from the "type" attribute).
// ePDUs (class DEV.PDU) speak a newer protocol netxml-ups lacks and are
// left out, as NUT does.
func NetXML(ctx context.Context, hosts []netip.Addr, o NetXMLOptions) []Device {
	port := o.Port
	if port == 0 {
		port = 4679
	}
	return each(ctx, hosts, o.Options, func(ctx context.Context, h netip.Addr) []Device {
		c, err := net.DialUDP("udp", nil, net.UDPAddrFromAddrPort(netip.AddrPortFrom(h, uint16(port))))
		if err != nil {
			return nil
		}
		defer c.Close()
		deadline := time.Now().Add(o.timeout())
		if dl, ok := ctx.Deadline(); ok && dl.Before(deadline) {
			deadline = dl
		}
		c.SetDeadline(deadline)
		if _, err := c.Write([]byte("<SCAN_REQUEST/>")); err != nil {
			return nil
		}
		buf := make([]byte, 65536)
		n, err := c.Read(buf)
		if err != nil {
			return nil
		}
		desc, ok := netXMLAnswer(buf[:n])
		if !ok {
			return nil
		}
		d := Device{Bus: BusXML, Driver: "netxml-ups", Port: "http://" + h.String()}
		if port != 4679 {
			d.Warnings = append(d.Warnings, "the card answered on UDP port "+strconv.Itoa(port)+"; netxml-ups talks HTTP to it")
		}
		d.Desc = desc
		return []Device{d}
	})
}

// netXMLAnswer checks a card's reply: well-formed XML, not an ePDU; the
// last "type" attribute is the description.
func netXMLAnswer(b []byte) (desc string, ok bool) {
	dec := xml.NewDecoder(bytes.NewReader(b))
	seen := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return desc, seen
		}
		if err != nil {
			return "", false
		}
		se, isStart := tok.(xml.StartElement)
		if !isStart {
			continue
		}
		seen = true
		for _, a := range se.Attr {
			switch a.Name.Local {
			case "class":
				if a.Value == "DEV.PDU" {
					return "", false
				}
			case "type":
				desc = printable(a.Value)
			}
		}
	}
}
