package scan

import (
	"context"
	"net/netip"

	"github.com/powerchain/powerchain/dnssd"
)

// MDNS browses _nut._tcp (through avahi-daemon, or by querying the
// network) for the timeout, then lists the devices of every server found,
// as repeater sections (nut-scanner -A).
func MDNS(ctx context.Context, o Options) ([]Device, error) {
	found, _, err := dnssd.Browse(ctx, o.timeout())
	if err != nil && len(found) == 0 {
		return nil, err
	}
	type target struct {
		addr netip.Addr
		port int
	}
	var targets []target
	for _, f := range found {
		for _, a := range f.Addrs {
			if ip, err := netip.ParseAddr(a); err == nil {
				targets = append(targets, target{ip, f.Port})
				break
			}
		}
	}
	return each(ctx, targets, o, func(ctx context.Context, t target) []Device {
		return serverDevices(ctx, BusMDNS, t.addr, t.port, o.timeout())
	}), nil
}
