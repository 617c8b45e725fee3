package scan

import (
	"context"
	"net/netip"

	"github.com/powerchain/powerchain/client"
	"github.com/powerchain/powerchain/nut"
)

// NUTOptions configure the NUT-server bus.
type NUTOptions struct {
	Options
	Port int // upsd port; 3493 when 0
}

// NUT connects to the upsd port of each host and lists its devices, each
// a repeater section (driver "nutclient", as nut-scanner writes it;
// powerchain serves it with its dummy-ups repeater).
func NUT(ctx context.Context, hosts []netip.Addr, o NUTOptions) []Device {
	port := o.Port
	if port == 0 {
		port = nut.DefaultPort
	}
	return each(ctx, hosts, o.Options, func(ctx context.Context, h netip.Addr) []Device {
		ctx, cancel := context.WithTimeout(ctx, o.timeout())
		defer cancel()
		addr := hostPort(h, port, -1)
		c, err := client.Dial(ctx, addr)
		if err != nil {
			return nil
		}
		defer c.Close()
		list, err := c.ListUPS(ctx)
		if err != nil {
			return nil
		}
		var out []Device
		for _, u := range list {
			out = append(out, Device{Bus: BusNUT, Driver: "nutclient", Port: u.Name + "@" + hostPort(h, port, nut.DefaultPort)})
		}
		return out
	})
}
