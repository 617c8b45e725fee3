package scan

import (
	"context"
	"net/netip"
	"time"

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
// powerchain serves it with its dummy-ups repeater). The connections are
// opened at the options' rate (each a SYN) and waited for concurrently,
// as many at once as the process may open files (see connectEach).
func NUT(ctx context.Context, hosts []netip.Addr, o NUTOptions) []Device {
	port := o.Port
	if port == 0 {
		port = nut.DefaultPort
	}
	tr := o.track(BusNUT, len(hosts))
	defer tr.finish()
	d := client.Dialer{Timeout: o.timeout() * time.Duration(o.retries()+1)} // the kernel sends the SYN again itself
	return connectEach(ctx, hosts, o.Options, tr, func(ctx context.Context, h netip.Addr) []Device {
		c, err := d.Dial(ctx, hostPort(h, port, -1))
		if err != nil {
			tr.failed(err)
			return nil
		}
		defer c.Close()
		tr.answered.Add(1)
		return listedDevices(ctx, c, BusNUT, hostPort(h, port, nut.DefaultPort))
	})
}

// serverDevices connects to a NUT server and lists its devices as
// repeater sections.
func serverDevices(ctx context.Context, bus string, h netip.Addr, port int, timeout time.Duration) []Device {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	c, err := client.Dial(ctx, hostPort(h, port, -1))
	if err != nil {
		return nil
	}
	defer c.Close()
	return listedDevices(ctx, c, bus, hostPort(h, port, nut.DefaultPort))
}

// listedDevices reads a server's LIST UPS into sections whose port is
// NAME@hostport; a name NUT's addresses cannot carry (a hostile or broken
// server's) is left out.
func listedDevices(ctx context.Context, c *client.Client, bus, hostport string) []Device {
	list, err := c.ListUPS(ctx)
	if err != nil {
		return nil
	}
	var out []Device
	for _, u := range list {
		if nut.CheckDeviceName(u.Name) != nil {
			continue
		}
		out = append(out, Device{Bus: bus, Driver: "nutclient", Port: u.Name + "@" + hostport})
	}
	return out
}
