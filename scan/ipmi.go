package scan

import (
	"bytes"
	"context"
	"fmt"
	"net/netip"
	"time"

	"github.com/bougou/go-ipmi/pkg/client"
	"github.com/bougou/go-ipmi/pkg/types"
)

// BusIPMI names the IPMI bus in parsable output.
const BusIPMI = "IPMI"

// IPMIOptions configure the IPMI bus (BMCs over LAN).
type IPMIOptions struct {
	Options
	User, Password string
	Port           int // UDP port of the BMCs; 623 when 0
	CipherSuite    int // RMCP+ cipher suite; 3 when 0
}

// IPMI finds the BMCs of a range with one paced sweep of RMCP presence
// pings (ASF's ping and pong on UDP 623, which BMCs answer before any
// login), then logs in to each BMC that answered (RMCP+) and lists its
// power supplies: the logical FRU devices whose locator records say
// entity 0Ah (power supply), each a nut-ipmipsu section (port idN@host).
func IPMI(ctx context.Context, hosts []netip.Addr, o IPMIOptions) []Device {
	port := o.Port
	if port == 0 {
		port = 623
	}
	probe := datagram{port: port,
		request: func(id uint32) ([]byte, error) { return presencePing(rmcpTag(id)), nil },
		answers: func(b []byte, id uint32) bool { return isPresencePong(b, rmcpTag(id)) },
	}
	return discover(ctx, hosts, o.Options, BusIPMI, newPacer(o.Rate), probe, func(ctx context.Context, h netip.Addr) []Device {
		return powerSupplies(ctx, h, port, o)
	})
}

// ASF's presence ping and pong in an RMCP message (DMTF's ASF 2.0, 3.2.4):
// RMCP version 6, no acknowledgement (sequence FFh), class ASF; then
// ASF's IANA enterprise number 4542, the message type, a tag the pong
// repeats, and the data length.
const (
	asfPing = 0x80
	asfPong = 0x40
)

var asfHeader = []byte{0x06, 0x00, 0xff, 0x06, 0x00, 0x00, 0x11, 0xbe}

// rmcpTag is the message tag for a sweep's request ID: 0-FEh (FFh asks
// for no answer).
func rmcpTag(id uint32) byte { return byte(id % 0xff) }

func presencePing(tag byte) []byte {
	return append(append([]byte(nil), asfHeader...), asfPing, tag, 0x00, 0x00)
}

// isPresencePong reports whether b is a pong with the tag.
func isPresencePong(b []byte, tag byte) bool {
	return len(b) >= 12 && bytes.Equal(b[:8], asfHeader) && b[8] == asfPong && b[9] == tag
}

// powerSupplies logs in to the BMC at h and lists its power supplies.
func powerSupplies(ctx context.Context, h netip.Addr, port int, o IPMIOptions) []Device {
	cs := o.CipherSuite
	if cs == 0 {
		cs = 3
	}
	ctx, cancel := context.WithTimeout(ctx, 4*o.timeout()*time.Duration(o.retries()+1))
	defer cancel()
	c, err := client.NewClient(h.String(), port, o.User, o.Password)
	if err != nil {
		return nil
	}
	c.WithInterface(client.InterfaceLanplus).WithCipherSuiteID(types.CipherSuiteID(cs))
	c.WithTimeout(o.timeout()).WithRetry(o.retries())
	if err := c.Connect(ctx); err != nil {
		return nil
	}
	defer c.Close(context.Background())
	sdrs, err := c.GetSDRs(ctx, types.SDRRecordTypeFRUDeviceLocator)
	if err != nil {
		return nil
	}
	var out []Device
	for _, s := range sdrs {
		l := s.FRUDeviceLocator
		if l == nil || !l.IsLogicalFRUDevice || uint8(l.FRUEntityID) != 0x0a {
			continue
		}
		d := Device{Bus: BusIPMI, Driver: "nut-ipmipsu",
			Port: fmt.Sprintf("id%d@%s", l.FRUDeviceID_SlaveAddress, hostPort(h, port, 623))}
		if fru, err := c.GetFRU(ctx, l.FRUDeviceID_SlaveAddress, ""); err == nil && fru.BoardInfoArea != nil {
			d.Desc = printable(string(fru.BoardInfoArea.ProductName))
		}
		d.Options = append(d.Options, Option{"username", o.User}, Option{"password", o.Password})
		if cs != 3 {
			d.Options = append(d.Options, Option{"cipher_suite", fmt.Sprint(cs)})
		}
		out = append(out, d)
	}
	return out
}
