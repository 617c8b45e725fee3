package console

import (
	"context"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/powerchain/powerchain/natsbus"
	"github.com/powerchain/powerchain/nut"
)

// NATSOptions say how the console follows a fleet on NATS (console
// --nats, docs/fleet.md).
type NATSOptions struct {
	Conn natsbus.ConnOptions
	// Prefix of the subjects ("": natsbus.DefaultPrefix).
	Prefix string
	// Site limits the console to one site ("": every site).
	Site string
	// Durable names the console's consumer of the events' stream: a
	// console that restarts under the same name reads the events it
	// missed; a new name reads the stream's whole history. Default:
	// DefaultDurable.
	Durable string
	// Domain is the JetStream domain of the events' stream ("": the one
	// of the server connected to).
	Domain string
}

// DefaultDurable is the name of a console's consumer of the events'
// stream unless told otherwise: "console-" and the host's name.
func DefaultDurable() string {
	host, _ := os.Hostname()
	var b strings.Builder
	for _, c := range host {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' {
			b.WriteRune(c)
		} else {
			b.WriteByte('_')
		}
	}
	return "console-" + b.String()
}

// natsFeed is the Feed of the servers that publish on NATS: what a
// natsbus.Follower holds of them, a Wake at each change, and their
// devices' events from the stream.
type natsFeed struct {
	f    *natsbus.Follower
	name string

	mu sync.Mutex
	// handed are the devices the last Read gave, by server address: a
	// device that did not change is handed out again as the same object.
	handed map[string]handedServer
}

// handedServer is what Read gave of a server, and what it was made from.
type handedServer struct {
	from  []*natsbus.Device
	alive bool
	err   string
	devs  []*Device
}

// followNATS connects to NATS and adds the fleet there to the feeds.
func (c *Console) followNATS(o *NATSOptions) error {
	if o.Conn.Name == "" {
		host, _ := os.Hostname()
		o.Conn.Name = "powerchain console " + host
	}
	if o.Conn.Log == nil {
		o.Conn.Log = c.log
	}
	nc, err := natsbus.Connect(o.Conn)
	if err != nil {
		return err
	}
	durable := o.Durable
	if durable == "" {
		durable = DefaultDurable()
	}
	name := "nats"
	if o.Site != "" {
		name += ":" + o.Site
	}
	c.nats = &natsFeed{name: name, f: &natsbus.Follower{Conn: nc, Subjects: natsbus.Subjects{Prefix: o.Prefix}, Site: o.Site,
		Durable: durable, Domain: o.Domain, OnEvents: c.natsEvents, Log: c.log}}
	c.Poller.Feeds = append(c.Poller.Feeds, c.nats)
	return nil
}

// run follows until ctx ends, waking the Poller at each change.
func (n *natsFeed) run(ctx context.Context, p *Poller) {
	defer n.f.Conn.Close()
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-n.f.Changed():
				p.Wake()
			}
		}
	}()
	if err := n.f.Run(ctx); err != nil {
		n.f.Log.Error("following NATS failed", "err", err)
	}
}

func (n *natsFeed) Name() string { return n.name }

// Read gives the servers followed, each named by the address its NUT
// clients use (else its name) and placed at its site and rack, with their
// devices.
func (n *natsFeed) Read(context.Context) ([]Source, []*Device, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	var srcs []Source
	var devs []*Device
	handed := make(map[string]handedServer, len(n.handed))
	for _, s := range n.f.Servers() {
		addr := s.Addr
		if addr == "" {
			addr = s.Name
		}
		// Placed where the server says it stands, as a DNS-SD-announced
		// one is; an older server's site is its subjects'.
		pl := Place{Site: s.Place.Site, Rack: s.Place.Rack}
		if pl.Site == "" {
			pl.Site = s.Site
		}
		srcs = append(srcs, Source{Addr: addr, OK: s.Alive, Err: s.Err, LastOK: s.Heard, Place: pl, Feed: n.name})
		was := n.handed[addr]
		// The follower hands out a server's devices as the same list
		// until one of them changes.
		if len(was.from) == len(s.Devices) && (len(s.Devices) == 0 || &was.from[0] == &s.Devices[0]) && was.alive == s.Alive && was.err == s.Err {
			handed[addr] = was
			devs = append(devs, was.devs...)
			continue
		}
		hs := handedServer{from: s.Devices, alive: s.Alive, err: s.Err, devs: make([]*Device, 0, len(s.Devices))}
		for _, d := range s.Devices {
			// Vars, RW and Cmds are never changed once handed out.
			dev := newDevice(addr, d.Name, d.Desc, d.Vars)
			dev.RW, dev.Cmds = d.RW, d.Cmds
			switch {
			case !s.Alive:
				dev.Stale, dev.Err = true, s.Err
			case d.State != nut.StateOK:
				dev.Stale, dev.Err = true, d.State
			}
			// A device that did not change is the same object still (a
			// full read of the server gives every device new maps).
			if i := slices.IndexFunc(was.devs, func(o *Device) bool { return o.Name == d.Name }); i >= 0 && was.devs[i].same(dev) {
				dev = was.devs[i]
			}
			hs.devs = append(hs.devs, dev)
		}
		handed[addr] = hs
		devs = append(devs, hs.devs...)
	}
	n.handed = handed
	return srcs, devs, nil
}

// natsEvents records the events of the servers followed.
func (c *Console) natsEvents(ctx context.Context, evs []natsbus.Event) error {
	out := make([]Event, 0, len(evs))
	for _, e := range evs {
		src := e.Addr
		if src == "" {
			src = e.Server
		}
		ev := Event{At: e.At, Source: src, Device: e.Device, Kind: e.Kind, Message: e.Message}
		switch {
		case e.Var == "ups.status":
			ev.Status, ev.Alarm = e.To, nut.ParseStatus(e.To).HasAny(alarmFlags)
		case e.Kind == natsbus.EventStatus: // the data's state
			ev.Alarm = e.To != nut.StateOK
		case e.Kind == natsbus.EventDevice:
			ev.Alarm = e.Message == natsbus.DeviceGone
		}
		out = append(out, ev)
	}
	if err := c.addEvents(ctx, out); err != nil {
		return err
	}
	c.broadcast("refresh")
	return nil
}

// ownEvents leaves out of the events that the differences between two
// snapshots make those that the servers followed on NATS tell
// themselves, through the stream: their devices' events. A server lost
// or back, and the chain's loads, are the console's to tell.
func (c *Console) ownEvents(evs []Event, cur *Snapshot) []Event {
	if c.nats == nil {
		return evs
	}
	told := map[string]bool{}
	for _, s := range cur.Sources {
		if s.Feed == c.nats.name {
			told[s.Addr] = true
		}
	}
	out := evs[:0]
	for _, e := range evs {
		if e.Kind == "source" || !told[e.Source] {
			out = append(out, e)
		}
	}
	return out
}

// recordNow reports whether a snapshot's history is recorded: at the
// polls' pace, however often changes heard on NATS bring a refresh.
func (c *Console) recordNow(cur *Snapshot) bool {
	if c.nats == nil {
		return true
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if cur.At.Sub(c.recorded) < c.Poller.Interval*9/10 {
		return false
	}
	c.recorded = cur.At
	return true
}
