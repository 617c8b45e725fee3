// Package console is powerchain's management console: it polls any number
// of NUT servers (powerchain's or NUT's own) with bounded concurrency,
// keeps events and metric history in SQLite, and serves the whole power
// infrastructure as web pages (overview, power chain, device detail,
// events, power use), a JSON API, Server-Sent Events and Prometheus
// metrics named as nut_exporter names them.
package console

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
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
	// id is ID when the device's maker set it (newDevice): every
	// refresh asks for it many times over thousands of devices.
	id string
	// facts are what the console derives from the device, worked out
	// once: a device that does not change is carried from snapshot to
	// snapshot as the same object (stamp), facts and all.
	facts atomic.Pointer[devFacts]
}

// deviceFacts is what every refresh needs of a device, read from its
// variables once.
type devFacts struct {
	alert, alertDetail string // devAlert
	rank               int    // typeRank of device.type
	location           string // device.location, trimmed
	watts              float64
	wattsVia           string // the variable, "" when none
	// powerKey holds every variable the power use reads of the device.
	powerKey string
	// node is the device as the power chain knows it; discovery gets a
	// copy (it sets the copy's IDs).
	node *chain.Node
}

// fact works out (once) what the console derives from the device.
func (d *Device) fact() *devFacts {
	if f := d.facts.Load(); f != nil {
		return f
	}
	f := &devFacts{rank: typeRank(d.Vars["device.type"]), location: strings.TrimSpace(d.Vars["device.location"])}
	f.alert, f.alertDetail = alertOf(d)
	f.watts, f.wattsVia, _ = wattsOf(d)
	f.powerKey = powerKey(d, f)
	n := chain.NewNode(d.Source, d.Name, d.Desc)
	n.Stale = d.Stale
	for k, v := range d.Vars {
		n.SetVar(k, v)
	}
	f.node = n
	d.facts.Store(f)
	return f
}

// newDevice is a device of a server, its ID made once.
func newDevice(source, name, desc string, vars map[string]string) *Device {
	return &Device{Source: source, Name: name, Desc: desc, Vars: vars, id: name + "@" + source}
}

// same reports whether the device shows the same as o.
func (d *Device) same(o *Device) bool {
	return d == o || d.sameButVars(o) && sameVars(d.Vars, o.Vars)
}

// sameButVars reports whether the device shows the same as o but for
// the variables, not compared.
func (d *Device) sameButVars(o *Device) bool {
	return d.Source == o.Source && d.Name == o.Name && d.Desc == o.Desc && d.Stale == o.Stale && d.Err == o.Err &&
		slices.Equal(d.RW, o.RW) && slices.Equal(d.Cmds, o.Cmds)
}

// sameVars reports whether two devices' variables are the same: at once
// when they are one map (a feed hands the same map out until the device
// changes).
func sameVars(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	return len(a) == 0 || sameMap(a, b) || maps.Equal(a, b)
}

// sameMap reports whether a and b are one map.
func sameMap(a, b map[string]string) bool {
	return reflect.ValueOf(a).UnsafePointer() == reflect.ValueOf(b).UnsafePointer()
}

// Var returns a variable.
func (d *Device) Var(name string) string { return d.Vars[name] }

// ID names the device across sources.
func (d *Device) ID() string {
	if d.id != "" {
		return d.id
	}
	return d.Name + "@" + d.Source
}

// Source is one NUT server and how its last read went.
type Source struct {
	Addr     string    `json:"addr"`
	OK       bool      `json:"ok"`
	Err      string    `json:"error,omitempty"`
	LastOK   time.Time `json:"last_ok"`
	Duration string    `json:"poll_duration"`
	Devices  int       `json:"devices"`
	// Place is where the server's devices stand as its feed or its
	// DNS-SD announcement says (the Poller's Places override it).
	Place Place `json:"place,omitzero"`
	// Feed names the feed the server's devices came from; "" for a
	// server the console polls.
	Feed string `json:"feed,omitempty"`
}

// A Feed supplies the devices of NUT servers to the console other than
// by polling them (a subscription to a fleet's message bus, say). The
// Poller reads every feed on each refresh, beside the servers it polls,
// and the power chain is built from what both read. A feed that learns
// of a change calls the Poller's Wake to have it shown at once.
type Feed interface {
	// Name names the feed in the sources' list and in errors.
	Name() string
	// Read returns the servers the feed covers, how reading each went
	// and their devices (each Device's Source naming its server). It
	// is called on every refresh and should answer from what the feed
	// holds, without waiting on the network.
	Read(ctx context.Context) ([]Source, []*Device, error)
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
	// byID finds the devices; changed lists those new or changed since
	// the snapshot before (every device in the first); sameMembers is
	// true when the devices are those of the snapshot before, in order.
	byID        map[string]*Device
	changed     []*Device
	sameMembers bool
	// read are the devices in the order the refresh read them, and
	// sortedAt where each stands in Devices.
	read     []*Device
	sortedAt []int32
	// orderKept is true when the devices are prev's, in prev's order.
	orderKept bool
	// loadsKept is true when the loads are the snapshot before's.
	loadsKept bool
	// graphLocal is true when every node of the chain is a device the
	// refresh read or a parent missing on a server it read: nothing came
	// from, or failed on, a server asked over the network.
	graphLocal bool
	// chainUpdated is true when the chain is the snapshot before's with
	// the changed devices replaced (not discovered again).
	chainUpdated bool
}

// Changed lists the devices that are new or changed since the snapshot
// before (all of them in the first), in the snapshot's order. A device
// that did not change is the same object in both snapshots.
func (s *Snapshot) Changed() []*Device { return s.changed }

// stamp numbers the snapshot after prev and notes what changed since.
func (s *Snapshot) stamp(prev *Snapshot) {
	s.stampDevices(prev)
	s.stampChain(prev)
}

// stampDevices numbers the snapshot after prev and notes which devices
// changed: a device that shows the same as in prev is replaced by prev's
// object (which keeps its since and facts).
func (s *Snapshot) stampDevices(prev *Snapshot) {
	if prev == nil {
		s.byID = make(map[string]*Device, len(s.Devices))
		s.Version = 1
		for _, d := range s.Devices {
			d.since = 1
			s.byID[d.ID()] = d
		}
		s.changed = s.Devices
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
	s.changed = nil
	if s.orderKept && prev.byID != nil { // prev's devices, each where it stood
		s.sameMembers = true
		for i, d := range s.Devices {
			switch o := prev.Devices[i]; {
			case o == d:
			case o.same(d):
				s.Devices[i] = o
			default:
				d.since, s.devicesSince = s.Version, s.Version
				s.changed = append(s.changed, d)
			}
		}
		s.byID = prev.byID
		if len(s.changed) > 0 {
			s.byID = maps.Clone(prev.byID)
			for _, d := range s.changed {
				s.byID[d.ID()] = d
			}
		}
		return
	}
	s.byID = make(map[string]*Device, len(s.Devices))
	old := prev.byID
	if old == nil { // a snapshot made by hand
		old = make(map[string]*Device, len(prev.Devices))
		for _, d := range prev.Devices {
			old[d.ID()] = d
		}
	}
	s.sameMembers = len(prev.Devices) == len(s.Devices)
	for i, d := range s.Devices {
		id := d.ID()
		if s.sameMembers && prev.Devices[i].ID() != id {
			s.sameMembers = false
		}
		if o, ok := old[id]; ok && o.same(d) {
			s.Devices[i] = o
			d = o
		} else {
			d.since, s.devicesSince = s.Version, s.Version
			s.changed = append(s.changed, d)
		}
		s.byID[id] = d
	}
	if !s.sameMembers {
		s.membersSince, s.devicesSince = s.Version, s.Version
	}
}

// stampChain notes whether the power chain changed since prev.
func (s *Snapshot) stampChain(prev *Snapshot) {
	if prev != nil && !sameGraph(prev.Graph, s.Graph) { // the loads follow from the graph
		s.chainSince = s.Version
	}
}

// sameStates reports whether two lists of sources are the same servers
// in the same order, each read as well (or as badly) as in the other.
func sameStates(a, b []Source) bool {
	return slices.EqualFunc(a, b, func(x, y Source) bool { return x.Addr == y.Addr && x.OK == y.OK && x.Err == y.Err })
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
		if x != y && (stateOf(x) != stateOf(y) || !maps.Equal(x.Outlets, y.Outlets)) {
			return false
		}
	}
	return true
}

// Device finds a device by source and name.
func (s *Snapshot) Device(source, name string) *Device {
	if s.byID != nil {
		return s.byID[name+"@"+source]
	}
	for _, d := range s.Devices {
		if d.Source == source && d.Name == name {
			return d
		}
	}
	return nil
}

// Poller refreshes all sources periodically.
type Poller struct {
	// Sources are the NUT servers polled, host:port.
	Sources []string
	// Feeds supply the devices of more servers (see Feed).
	Feeds       []Feed
	Interval    time.Duration
	Timeout     time.Duration
	Concurrency int
	Log         *slog.Logger
	// Places are the sites and racks of the sources, by address (set
	// before Run; SetPlaces after).
	Places map[string]Place
	// OnSnapshot is called after each refresh (events, history, SSE).
	OnSnapshot func(prev, cur *Snapshot)

	mu     sync.RWMutex
	last   *Snapshot
	places map[string]Place // found (DNS-SD), by address
	// publish orders concurrent refreshes' numbering without keeping
	// readers of Last waiting.
	publish sync.Mutex
	wake    chan struct{}
	once    sync.Once
}

// minWakeGap is the least time between two refreshes a Wake brings.
const minWakeGap = 250 * time.Millisecond

// AddSources adds servers to poll (found by DNS-SD, say); known ones are
// ignored. It reports the ones added.
func (p *Poller) AddSources(addrs ...string) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var added []string
	for _, a := range addrs {
		if !slices.Contains(p.Sources, a) {
			p.Sources = append(p.Sources, a)
			added = append(added, a)
		}
	}
	return added
}

// RemoveSources stops polling servers (gone from a --sources file read
// again); the next refresh shows them no more. It reports the ones
// removed.
func (p *Poller) RemoveSources(addrs ...string) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var removed []string
	p.Sources = slices.DeleteFunc(p.Sources, func(a string) bool {
		if slices.Contains(addrs, a) {
			removed = append(removed, a)
			return true
		}
		return false
	})
	return removed
}

// SetPlaces replaces the Places given (a --sources file read again).
func (p *Poller) SetPlaces(places map[string]Place) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.Places = places
}

// SetPlace records where a server's devices stand as it announces
// (DNS-SD); the Places given override it. An empty Place forgets what
// was recorded (the announcement says no more).
func (p *Poller) SetPlace(addr string, pl Place) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if pl == (Place{}) {
		delete(p.places, addr)
		return
	}
	if p.places == nil {
		p.places = map[string]Place{}
	}
	p.places[addr] = pl
}

// Known reports whether addr is one of the servers shown: polled, or
// read through a feed.
func (p *Poller) Known(addr string) bool {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if slices.Contains(p.Sources, addr) {
		return true
	}
	if p.last != nil {
		for _, s := range p.last.Sources {
			if s.Addr == addr && s.Feed != "" {
				return true
			}
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

func (p *Poller) wakeChan() chan struct{} {
	p.once.Do(func() { p.wake = make(chan struct{}, 1) })
	return p.wake
}

// Wake asks Run for a refresh now (a feed heard of a change); wakes that
// come while one is pending are one, and refreshes a wake brings are
// minWakeGap apart at least, and twice as far apart as a refresh takes.
func (p *Poller) Wake() {
	select {
	case p.wakeChan() <- struct{}{}:
	default:
	}
}

// Run refreshes every Interval, and on Wake, until ctx ends.
func (p *Poller) Run(ctx context.Context) {
	if p.Interval <= 0 {
		p.Interval = 5 * time.Second
	}
	t := time.NewTicker(p.Interval)
	defer t.Stop()
	wake := p.wakeChan()
	for {
		start := time.Now()
		p.Refresh(ctx)
		took := time.Since(start) // OnSnapshot's work included
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-wake:
			// Refreshes brought by wakes never take more than half the
			// time: a fleet that changes all the time does not keep a
			// core busy.
			if gap := max(minWakeGap, 2*took) - time.Since(start); gap > 0 {
				select {
				case <-ctx.Done():
					return
				case <-time.After(gap):
				}
			}
		}
	}
}

// read is what one refresh read: the servers and their devices.
type read struct {
	sources []Source
	devices [][]*Device // per source
}

// Refresh polls every source once (at most Concurrency at a time, each
// within Timeout), reads the feeds, builds the power chain from what
// they gave, and publishes the snapshot.
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
	sources := slices.Clone(p.Sources)
	places, given := maps.Clone(p.places), p.Places
	p.mu.RUnlock()
	prev := p.Last()
	lastOK := map[string]time.Time{}
	if prev != nil {
		for _, ps := range prev.Sources {
			lastOK[ps.Addr] = ps.LastOK
		}
	}
	rd := read{sources: make([]Source, len(sources)), devices: make([][]*Device, len(sources))}
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
			s := Source{Addr: addr, OK: err == nil, Duration: time.Since(t0).Round(time.Millisecond).String(), Devices: len(d), LastOK: lastOK[addr]}
			if err != nil {
				s.Err = err.Error()
			} else {
				s.LastOK = time.Now()
			}
			rd.sources[i], rd.devices[i] = s, d
		}()
	}
	wg.Wait()
	for _, f := range p.Feeds {
		srcs, devs, err := f.Read(ctx)
		if err != nil {
			rd.sources = append(rd.sources, Source{Addr: f.Name(), Feed: f.Name(), Err: err.Error(), LastOK: lastOK[f.Name()]})
			rd.devices = append(rd.devices, nil)
		}
		by := map[string]int{}
		for _, s := range srcs {
			if s.Feed == "" {
				s.Feed = f.Name()
			}
			by[s.Addr] = len(rd.sources)
			rd.sources = append(rd.sources, s)
			rd.devices = append(rd.devices, nil)
		}
		for _, d := range devs {
			i, ok := by[d.Source]
			if !ok {
				i, by[d.Source] = len(rd.sources), len(rd.sources)
				rd.sources = append(rd.sources, Source{Addr: d.Source, OK: true, Feed: f.Name(), LastOK: time.Now()})
				rd.devices = append(rd.devices, nil)
			}
			rd.devices[i] = append(rd.devices[i], d)
		}
	}
	snap := &Snapshot{At: time.Now(), Sources: rd.sources, Devices: []*Device{}}
	var servers []string
	for i, d := range rd.devices {
		snap.Devices = append(snap.Devices, d...)
		snap.Sources[i].Devices = len(d)
		servers = append(servers, snap.Sources[i].Addr)
		if pl, ok := places[snap.Sources[i].Addr]; ok && snap.Sources[i].Place == (Place{}) {
			snap.Sources[i].Place = pl
		}
	}
	// The rest is numbered against the snapshot before: one refresh at
	// a time.
	p.publish.Lock()
	prev = p.Last()
	snap.order(prev)
	snap.stampDevices(prev)
	p.chain(ctx, snap, prev, servers, rd)
	snap.stampChain(prev)
	snap.derive(prev, placesOf(snap, given))
	snap.Took = time.Since(start)
	p.mu.Lock()
	p.last = snap
	p.mu.Unlock()
	p.publish.Unlock()
	if p.OnSnapshot != nil {
		p.OnSnapshot(prev, snap)
	}
	return snap
}

// order sorts the devices by ID. When they come as prev's came (the
// same devices in the same order, as feeds and polls give them), they
// take the order prev took without a sort.
func (s *Snapshot) order(prev *Snapshot) {
	s.read = s.Devices
	if prev != nil && prev.read != nil && len(prev.read) == len(s.Devices) {
		same := true
		for i, d := range s.Devices {
			if o := prev.read[i]; o != d && o.ID() != d.ID() {
				same = false
				break
			}
		}
		if same {
			out := make([]*Device, len(s.Devices))
			for i, at := range prev.sortedAt {
				out[at] = s.Devices[i]
			}
			s.Devices, s.sortedAt, s.orderKept = out, prev.sortedAt, true
			return
		}
	}
	at := make(map[*Device]int32, len(s.Devices))
	for i, d := range s.Devices {
		at[d] = int32(i)
	}
	sorted := slices.Clone(s.Devices)
	slices.SortStableFunc(sorted, func(a, b *Device) int { return strings.Compare(a.ID(), b.ID()) })
	s.sortedAt = make([]int32, len(sorted))
	for i, d := range sorted {
		s.sortedAt[at[d]] = int32(i)
	}
	s.Devices = sorted
}

// chain builds the snapshot's power chain. When the devices are prev's
// and no changed device names another parent, it is prev's chain with
// the changed devices replaced (and prev's loads when their health is
// the same); otherwise it is discovered again from what the refresh read.
func (p *Poller) chain(ctx context.Context, snap, prev *Snapshot, servers []string, rd read) {
	if prev != nil && prev.Graph != nil && snap.sameMembers && prev.graphLocal &&
		sameStates(prev.Sources, snap.Sources) {
		nodes := make([]*chain.Node, len(snap.changed))
		for i, d := range snap.changed {
			nodes[i] = d.nodeCopy()
		}
		if g, loadsSame, ok := prev.Graph.Update(nodes); ok {
			snap.Graph, snap.graphLocal, snap.chainUpdated = g, true, true
			if loadsSame {
				snap.Loads, snap.loadsKept = prev.Loads, true
			} else {
				snap.Loads = g.Loads(nil)
			}
			return
		}
	}
	for _, devs := range rd.devices { // prev's objects, facts worked out
		for i, d := range devs {
			devs[i] = snap.byID[d.ID()]
		}
	}
	gctx, cancel := context.WithTimeout(ctx, p.Timeout*2)
	defer cancel()
	snap.Graph = chain.Discover(gctx, servers, chain.Options{MaxServers: len(servers) + 8,
		Source: rd.chainSource(p.Timeout)})
	snap.Loads = snap.Graph.Loads(nil)
	read := make(map[string]bool, len(servers))
	for _, addr := range servers {
		read[addr] = true
	}
	snap.graphLocal = true
	for id, n := range snap.Graph.Nodes {
		if snap.byID[id] == nil && !read[n.Server] {
			snap.graphLocal = false
			break
		}
	}
}

// placesOf is where each server's devices stand: the places given, else
// what its feed or announcement says.
func placesOf(s *Snapshot, given map[string]Place) map[string]Place {
	out := map[string]Place{}
	for _, src := range s.Sources {
		if src.Place != (Place{}) {
			out[src.Addr] = src.Place
		}
	}
	for addr, pl := range given {
		out[addr] = pl
	}
	return out
}

// chainSource answers the chain's discovery from what the refresh read;
// servers it did not read (parents on other servers) are asked over
// NUT's protocol.
func (rd read) chainSource(timeout time.Duration) chain.Source {
	return readSource{rd: rd, nut: chain.NUTSource{Timeout: timeout}}
}

type readSource struct {
	rd  read
	nut chain.NUTSource
}

func (r readSource) Devices(ctx context.Context, server string) ([]*chain.Node, error) {
	i := slices.IndexFunc(r.rd.sources, func(s Source) bool { return s.Addr == server })
	if i < 0 {
		return r.nut.Devices(ctx, server)
	}
	if s := r.rd.sources[i]; !s.OK {
		return nil, errors.New(s.Err)
	}
	out := make([]*chain.Node, 0, len(r.rd.devices[i]))
	for _, d := range r.rd.devices[i] {
		out = append(out, d.nodeCopy())
	}
	return out, nil
}

// nodeCopy is the device as the power chain knows it, a node of its own
// (discovery sets its IDs; its maps are shared and never written).
func (d *Device) nodeCopy() *chain.Node {
	n := *d.fact().node
	return &n
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
		d := newDevice(addr, u.Name, u.Desc, map[string]string{})
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
