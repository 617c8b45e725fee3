package scan

import (
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"log/slog"
	"net/netip"
	"strconv"
)

// BusXML names the NetXML bus in parsable output.
const BusXML = "XML"

// NetXMLOptions configure the Eaton NetXML bus.
type NetXMLOptions struct {
	Options
	Port int // UDP port of the cards; 4679 when 0
}

// NetXML sends NetXML's <SCAN_REQUEST/> to UDP port 4679 of each host,
// as NUT's nut-scanner does, in one paced sweep, and lists the cards that
// answer with XML as netxml-ups sections (port http://IP; desc from the
// "type" attribute). ePDUs (class DEV.PDU) speak a newer protocol
// netxml-ups lacks and are left out, as NUT does.
func NetXML(ctx context.Context, hosts []netip.Addr, o NetXMLOptions) []Device {
	port := o.Port
	if port == 0 {
		port = 4679
	}
	tr := o.track(BusXML, len(hosts))
	defer tr.finish()
	results := make([][]Device, len(hosts))
	request := []byte("<SCAN_REQUEST/>")
	probe := datagram{port: port,
		request: func(uint32) ([]byte, error) { return request, nil },
		answers: func([]byte, uint32) bool { return true }, // the request carries no ID: the source is the match
	}
	err := sweep(ctx, hosts, o.Options, newPacer(o.Rate), tr, probe, func(i int, b []byte) {
		defer tr.done.Add(1)
		desc, ok := netXMLAnswer(b)
		if !ok {
			return
		}
		d := Device{Bus: BusXML, Driver: "netxml-ups", Port: "http://" + hosts[i].String(), Desc: desc}
		if port != 4679 {
			d.Warnings = append(d.Warnings, "the card answered on UDP port "+strconv.Itoa(port)+"; netxml-ups talks HTTP to it")
		}
		results[i] = []Device{d}
		tr.found.Add(1)
	})
	if err != nil && ctx.Err() == nil {
		slog.Warn("NetXML scan", "err", err)
	}
	return flatten(results)
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
