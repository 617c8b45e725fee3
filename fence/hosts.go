package fence

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/powerchain/powerchain/chain"
)

// Target is one outlet (or outlet group, or a whole device) that a plug
// stands for: fencing a host switches every outlet that feeds it.
type Target struct {
	Dev  Device
	Plug string
}

// Multi is a Device whose plugs may stand for several outlets, on it and
// on other devices: Targets returns them, or nil when the plug is one of
// the device's own outlets.
type Multi interface {
	Targets(ctx context.Context, plug string) ([]Target, error)
}

// HostLister is a Device that can list the hosts it can fence as plugs.
type HostLister interface {
	Hosts(ctx context.Context) ([]Outlet, error)
}

// Feed is an outlet nearest to one of a host's supplies: switching it off
// cuts that supply and nothing beyond the host's own path.
type Feed struct {
	Device string // the node ID of the device with the outlet
	Outlet int
	Supply string // the node ID of the supply it feeds
}

// String names the outlet as device.parent does: device:outletN@host:port.
func (f Feed) String() string { return chain.Ref(f.Device, "outlet"+strconv.Itoa(f.Outlet), "") }

// HostFeeds finds, in the power chain, the outlets that feed a host: for
// each supply of the load named host (device.host, or a device that stands
// alone) the outlet nearest to it on its way to the mains. A supply with
// no outlet on its way cannot be cut, so the host cannot be fenced: an
// error names it. The second result is false when no load has that name.
func HostFeeds(g *chain.Graph, host string) ([]Feed, bool, error) {
	var load *chain.Load
	for _, l := range g.Loads(nil) {
		name, _, _ := strings.Cut(l.Name, "@")
		if strings.EqualFold(l.Name, host) || strings.EqualFold(name, host) {
			load = &l
			break
		}
	}
	if load == nil {
		return nil, false, nil
	}
	var feeds []Feed
	for _, s := range load.Supplies {
		f, ok := nearestOutlet(g, s)
		if !ok {
			return nil, true, fmt.Errorf("%s: supply %s has no outlet on its way to the mains that could be switched off", host, s)
		}
		feeds = append(feeds, f)
	}
	return feeds, true, nil
}

// hostFeeds is HostFeeds for a plug that names a host: ErrNoPlug when no
// load has that name.
func hostFeeds(g *chain.Graph, plug string) ([]Feed, error) {
	feeds, found, err := HostFeeds(g, plug)
	switch {
	case err != nil:
		return nil, err
	case !found:
		return nil, ErrNoPlug
	}
	return feeds, nil
}

// withStatus fills in each host's status through dev: on while any outlet
// that feeds it is on, unknown when that cannot be read.
func withStatus(ctx context.Context, dev Device, hosts []Outlet) []Outlet {
	for i := range hosts {
		on, err := anyOn(ctx, dev, hosts[i].ID)
		hosts[i].On, hosts[i].Known = on, err == nil
	}
	return hosts
}

func nearestOutlet(g *chain.Graph, supply string) (Feed, bool) {
	cur := g.Nodes[supply]
	for hop := 0; cur != nil && hop < chain.MaxHops; hop++ {
		if cur.ParentID == "" {
			return Feed{}, false
		}
		if n, ok := cur.Parent.OutletNumber(); ok && cur.Parent.Outlet != "" {
			return Feed{Device: cur.ParentID, Outlet: n, Supply: supply}, true
		}
		cur = g.Nodes[cur.ParentID]
	}
	return Feed{}, false
}

// HostsFedBy lists the hosts (loads) that an outlet of one of the devices
// (nil: any) feeds, as plugs: the host's name, and as alias the outlets
// that feed it (named without "@home").
func HostsFedBy(g *chain.Graph, devices map[string]bool, home string) []Outlet {
	var out []Outlet
	for _, l := range g.Loads(nil) {
		name, _, _ := strings.Cut(l.Name, "@")
		feeds, _, err := HostFeeds(g, l.Name)
		if err != nil {
			continue
		}
		mine := false
		var names []string
		for _, f := range feeds {
			mine = mine || devices == nil || devices[f.Device]
			names = append(names, chain.Ref(f.Device, "outlet"+strconv.Itoa(f.Outlet), home))
		}
		if mine && len(feeds) > 0 {
			out = append(out, Outlet{ID: name, Alias: "host " + name + " (" + strings.Join(names, ", ") + ")"})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
