// Package console is powerchain's management console: it polls any number
// of NUT servers (powerchain's or NUT's own) with bounded concurrency,
// keeps events and metric history in SQLite, and serves the whole power
// infrastructure as web pages (overview, power chain, device detail,
// events, power use), a JSON API, Server-Sent Events and Prometheus
// metrics named as nut_exporter names them.
package console

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/powerchain/powerchain/chain"
	"github.com/powerchain/powerchain/client"
	"github.com/powerchain/powerchain/nut"
)

// Device is one device as the console last saw it.
type Device struct {
	Source string            `json:"source"`
	Name   string            `json:"name"`
	Desc   string            `json:"desc,omitempty"`
	Vars   map[string]string `json:"vars"`
	RW     []string          `json:"rw,omitempty"`
	Cmds   []string          `json:"cmds,omitempty"`
	Stale  bool              `json:"stale"`
	Err    string            `json:"error,omitempty"`
	// since is the snapshot version in which the device last changed.
	since uint64
}

// same reports whether the device shows the same as o.
func (d *Device) same(o *Device) bool {
	return d.Source == o.Source && d.Name == o.Name && d.Desc == o.Desc && d.Stale == o.Stale && d.Err == o.Err &&
		maps.Equal(d.Vars, o.Vars) && slices.Equal(d.RW, o.RW) && slices.Equal(d.Cmds, o.Cmds)
}

// Var returns a variable.
func (d *Device) Var(name string) string { return d.Vars[name] }

// ID names the device across sources.
func (d *Device) ID() string { return d.Name + "@" + d.Source }

// Source is one NUT server and how its last poll went.
type Source struct {
	Addr     string    `json:"addr"`
	OK       bool      `json:"ok"`
	Err      string    `json:"error,omitempty"`
	LastOK   time.Time `json:"last_ok"`
	Duration string    `json:"poll_duration"`
	Devices  int       `json:"devices"`
}

// Snapshot is everything one refresh saw.
type Snapshot struct {
	At      time.Time     `json:"at"`
	Sources []Source      `json:"sources"`
	Devices []*Device     `json:"devices"`
	Graph   *chain.Graph  `json:"-"`
	Loads   []chain.Load  `json:"loads"`
	Took    time.Duration `json:"-"`
	// Version numbers the snapshots of a Poller (1, 2, …). The others
	// are the versions in which the set of devices, any device, and the
	// power chain last changed: what open pages need to catch up on.
	Version                                uint64 `json:"-"`
	membersSince, devicesSince, chainSince uint64
	// sourcesSince and alertsSince are the versions in which the
	// sources' states and the alarm banner last changed.
	sourcesSince, alertsSince uint64
	fleet                     *fleet
}

// stamp numbers the snapshot after prev and notes what changed since.
func (s *Snapshot) stamp(prev *Snapshot) {
	if prev == nil {
		s.Version = 1
		for _, d := range s.Devices {
			d.since = 1
		}
		s.membersSince, s.devicesSince, s.chainSince, s.sourcesSince = 1, 1, 1, 1
		return
	}
	s.Version = prev.Version + 1
	s.membersSince, s.devicesSince, s.chainSince, s.sourcesSince = prev.membersSince, prev.devicesSince, prev.chainSince, prev.sourcesSince
	if !slices.EqualFunc(prev.Sources, s.Sources, func(a, b Source) bool {
		return a.Addr == b.Addr && a.OK == b.OK && a.Err == b.Err && a.Devices == b.Devices
	}) {
		s.sourcesSince = s.Version
	}
	old := make(map[string]*Device, len(prev.Devices))
	for _, d := range prev.Devices {
		old[d.ID()] = d
	}
	for _, d := range s.Devices {
		if o, ok := old[d.ID()]; ok && o.same(d) {
			d.since = o.since
		} else {
			d.since, s.devicesSince = s.Version, s.Version
		}
	}
	if !slices.EqualFunc(prev.Devices, s.Devices, func(a, b *Device) bool { return a.ID() == b.ID() }) {
		s.membersSince, s.devicesSince = s.Version, s.Version
	}
	if !sameGraph(prev.Graph, s.Graph) { // the loads follow from the graph
		s.chainSince = s.Version
	}
}

// nodeState is a chain node without its outlets, comparable.
type nodeState struct {
	id, name, server, desc, typ, status, host, parentID, err string
	parent                                                   nut.Parent
	stale                                                    bool
}

func stateOf(n *chain.Node) nodeState {
	return nodeState{n.ID, n.Name, n.Server, n.Desc, n.Type, n.Status, n.Host, n.ParentID, n.Err, n.Parent, n.Stale}
}

// sameGraph reports whether two power chains hold the same devices with
// the same state.
func sameGraph(a, b *chain.Graph) bool {
	if a == nil || b == nil || len(a.Nodes) != len(b.Nodes) {
		return a == b
	}
	for id, x := range a.Nodes {
		y, ok := b.Nodes[id]
		if !ok {
			return false
		}
		if stateOf(x) != stateOf(y) || !maps.Equal(x.Outlets, y.Outlets) {
			return false
		}
	}
	return true
}

// Device finds a device by source and name.
func (s *Snapshot) Device(source, name string) *Device {
	for _, d := range s.Devices {
		if d.Source == source && d.Name == name {
			return d
		}
	}
	return nil
}

// Poller refreshes all sources periodically.
type Poller struct {
	Sources     []string
	Interval    time.Duration
	Timeout     time.Duration
	Concurrency int
	Log         *slog.Logger
	// Places are the sites and racks of the sources, by address.
	Places map[string]Place
	// OnSnapshot is called after each refresh (events, history, SSE).
	OnSnapshot func(prev, cur *Snapshot)

	mu   sync.RWMutex
	last *Snapshot
	// publish orders concurrent refreshes' numbering without keeping
	// readers of Last waiting.
	publish sync.Mutex
}

// AddSources adds servers to poll (found by DNS-SD, say); known ones are
// ignored. It reports the ones added.
func (p *Poller) AddSources(addrs ...string) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var added []string
	for _, a := range addrs {
		known := false
		for _, s := range p.Sources {
			known = known || s == a
		}
		if !known {
			p.Sources = append(p.Sources, a)
			added = append(added, a)
		}
	}
	return added
}

// Known reports whether addr is one of the sources.
func (p *Poller) Known(addr string) bool {
	p.mu.RLock()
	defer p.mu.RUnlock()
	for _, s := range p.Sources {
		if s == addr {
			return true
		}
	}
	return false
}

// Last returns the latest snapshot (nil before the first refresh).
func (p *Poller) Last() *Snapshot {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.last
}

// Run refreshes until ctx ends.
func (p *Poller) Run(ctx context.Context) {
	if p.Interval <= 0 {
		p.Interval = 5 * time.Second
	}
	t := time.NewTicker(p.Interval)
	defer t.Stop()
	for {
		p.Refresh(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Refresh polls every source once (at most Concurrency at a time, each
// within Timeout) and publishes the snapshot.
func (p *Poller) Refresh(ctx context.Context) *Snapshot {
	start := time.Now()
	if p.Timeout <= 0 {
		p.Timeout = 3 * time.Second
	}
	conc := p.Concurrency
	if conc <= 0 {
		conc = 16
	}
	p.mu.RLock()
	sources := append([]string(nil), p.Sources...)
	p.mu.RUnlock()
	srcs := make([]Source, len(sources))
	devs := make([][]*Device, len(sources))
	sem := make(chan struct{}, conc)
	var wg sync.WaitGroup
	for i, addr := range sources {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			t0 := time.Now()
			d, err := p.pollSource(ctx, addr)
			s := Source{Addr: addr, OK: err == nil, Duration: time.Since(t0).Round(time.Millisecond).String(), Devices: len(d)}
			if err != nil {
				s.Err = err.Error()
				if prev := p.Last(); prev != nil {
					for _, ps := range prev.Sources {
						if ps.Addr == addr {
							s.LastOK = ps.LastOK
						}
					}
				}
			} else {
				s.LastOK = time.Now()
			}
			srcs[i], devs[i] = s, d
		}()
	}
	wg.Wait()
	snap := &Snapshot{At: time.Now(), Sources: srcs, Devices: []*Device{}}
	for _, d := range devs {
		snap.Devices = append(snap.Devices, d...)
	}
	sort.SliceStable(snap.Devices, func(i, j int) bool { return snap.Devices[i].ID() < snap.Devices[j].ID() })
	gctx, cancel := context.WithTimeout(ctx, p.Timeout*2)
	snap.Graph = chain.Discover(gctx, sources, chain.Options{MaxServers: len(sources) + 8,
		Source: chain.NUTSource{Timeout: p.Timeout}})
	cancel()
	snap.Loads = snap.Graph.Loads(nil)
	snap.Took = time.Since(start)
	p.publish.Lock()
	prev := p.Last()
	snap.stamp(prev)
	snap.derive(prev, p.Places)
	p.mu.Lock()
	p.last = snap
	p.mu.Unlock()
	p.publish.Unlock()
	if p.OnSnapshot != nil {
		p.OnSnapshot(prev, snap)
	}
	return snap
}

func (p *Poller) pollSource(ctx context.Context, addr string) ([]*Device, error) {
	ctx, cancel := context.WithTimeout(ctx, p.Timeout)
	defer cancel()
	c, err := client.Dial(ctx, addr)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	list, err := c.ListUPS(ctx)
	if err != nil {
		return nil, fmt.Errorf("LIST UPS: %w", err)
	}
	var out []*Device
	for _, u := range list {
		d := &Device{Source: addr, Name: u.Name, Desc: u.Desc, Vars: map[string]string{}}
		vars, err := c.Vars(ctx, u.Name)
		if err != nil {
			d.Stale, d.Err = true, err.Error()
			out = append(out, d)
			continue
		}
		for _, v := range vars {
			d.Vars[v.Name] = v.Value
		}
		if rw, err := c.RW(ctx, u.Name); err == nil {
			for _, v := range rw {
				d.RW = append(d.RW, v.Name)
			}
		}
		d.Cmds, _ = c.Commands(ctx, u.Name)
		out = append(out, d)
	}
	return out, nil
}

// number parses a variable as a float.
func number(s string) (float64, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return f, err == nil
}
