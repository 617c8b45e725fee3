package scan

import (
	"context"
	"fmt"
	"net/netip"
	"strings"

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

// IPMI logs in to the BMC of each host (RMCP+) and lists its power
// supplies: the logical FRU devices whose locator records say entity
// 0Ah (power supply), each a nut-ipmipsu section (port idN@host).
func IPMI(ctx context.Context, hosts []netip.Addr, o IPMIOptions) []Device {
	port := o.Port
	if port == 0 {
		port = 623
	}
	cs := o.CipherSuite
	if cs == 0 {
		cs = 3
	}
	return each(ctx, hosts, o.Options, func(ctx context.Context, h netip.Addr) []Device {
		ctx, cancel := context.WithTimeout(ctx, 4*o.timeout())
		defer cancel()
		c, err := client.NewClient(h.String(), port, o.User, o.Password)
		if err != nil {
			return nil
		}
		c.WithInterface(client.InterfaceLanplus).WithCipherSuiteID(types.CipherSuiteID(cs))
		c.WithTimeout(o.timeout()).WithRetry(0)
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
				d.Desc = strings.TrimSpace(string(fru.BoardInfoArea.ProductName))
			}
			d.Options = append(d.Options, Option{"username", o.User}, Option{"password", o.Password})
			if cs != 3 {
				d.Options = append(d.Options, Option{"cipher_suite", fmt.Sprint(cs)})
			}
			out = append(out, d)
		}
		return out
	})
}
