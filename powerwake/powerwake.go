// Package powerwake is PowerWake: when power comes back after an outage
// took hosts down, it wakes them — in the order of the power chain, one
// every POWERWAKEDELAY so that the UPS does not meet every power supply's
// inrush at once — by Wake-on-LAN (a MAC from upsmon.conf, or the one the
// neighbour table had when the host went down) or by powering the
// chassis on through the host's nut-ipmipsu devices (their load.on).
//
// It follows the power chain as the monitor reads it (monitor.Cycle): a
// host (a load of the chain, the device.host of its power supplies) is
// taken down by the outage when every one of its supplies is cut upstream
// (chain.UpstreamCut: a UPS on battery and low or in forced shutdown, a
// device or an outlet off) — what makes upsmon shut it down. It is woken
// once every supply path above its power supplies has been healthy, and
// every UPS on them has held POWERWAKECHARGE percent, for POWERWAKEHOLD.
// Which hosts are down, and the MAC addresses learned, are kept in a
// state file, so that a monitor that restarts (its own host went down
// too) still wakes them.
package powerwake

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/powerchain/powerchain/chain"
	"github.com/powerchain/powerchain/client"
	"github.com/powerchain/powerchain/conf"
)

// Notification types a Waker sends (the monitor's, NOTIFYFLAG's).
const (
	Woken  = "WAKE"     // a host was woken
	Failed = "WAKEFAIL" // a host could not be woken
)

// maxTries is how many times a host that cannot be woken is tried (each
// after POWERWAKEHOLD) before PowerWake gives up on it.
const maxTries = 3

// host is one POWERWAKE line and what is known of it.
type host struct {
	conf.WakeHost
	// Down is when the outage took the host down (zero: it is up).
	Down time.Time
	// Learned is the MAC the neighbour table had for the host's address.
	Learned net.HardwareAddr

	back    time.Time // power has been back since (zero: it is not)
	queued  bool
	waking  bool // Run is waking it
	tries   int
	rank    int      // place in the chain's order
	bmcs    []target // its nut-ipmipsu devices, one per BMC
	missing bool     // the chain has no such load (told once)
}

// target is a nut-ipmipsu device on a NUT server, and its BMC.
type target struct{ server, ups, bmc string }

// Waker wakes the hosts of upsmon.conf's POWERWAKE lines. Observe is
// called with every reading of the power chain, Run does the waking.
type Waker struct {
	cfg  conf.PowerWake
	log  *slog.Logger
	path string
	// Notify, when set, tells of a host woken (Woken) or not (Failed): the
	// monitor's Notifier.Notify, whose EXEC reaches the console.
	Notify func(ctx context.Context, typ, host string)
	// Neighbours reads the neighbour table (Neighbours by default).
	Neighbours func() (map[string]net.HardwareAddr, error)

	now func() time.Time // time.Now; tests set it

	mu       sync.Mutex
	hosts    []*host
	queue    []*host
	dirty    bool // the state file is behind
	learn    bool // a host's MAC is to be learned
	lastWake time.Time
	kick     chan struct{}
}

// New makes a Waker of upsmon.conf's PowerWake settings; state is the
// file that keeps which hosts are down ("" keeps nothing). A state file
// that cannot be read is logged and started afresh.
func New(cfg conf.PowerWake, state string, log *slog.Logger) *Waker {
	if log == nil {
		log = slog.Default()
	}
	w := &Waker{cfg: cfg, log: log, path: state, Neighbours: Neighbours, now: time.Now, kick: make(chan struct{}, 1)}
	for _, h := range cfg.Hosts {
		w.hosts = append(w.hosts, &host{WakeHost: h})
	}
	w.load()
	return w
}

// saved is the state file: by host name.
type saved struct {
	Hosts map[string]savedHost `json:"hosts"`
}

type savedHost struct {
	Down time.Time `json:"down,omitzero"`
	MAC  string    `json:"mac,omitempty"`
}

func (w *Waker) load() {
	if w.path == "" {
		return
	}
	b, err := os.ReadFile(w.path)
	if errors.Is(err, os.ErrNotExist) {
		return
	}
	var s saved
	if err == nil {
		err = json.Unmarshal(b, &s)
	}
	if err != nil {
		w.log.Error("PowerWake: state file unreadable; starting afresh", "file", w.path, "err", err)
		return
	}
	for _, h := range w.hosts {
		sh, ok := s.Hosts[h.Name]
		if !ok {
			continue
		}
		h.Down = sh.Down
		if mac, err := net.ParseMAC(sh.MAC); err == nil {
			h.Learned = mac
		}
		if !h.Down.IsZero() {
			w.log.Info("PowerWake: host down since the outage, to wake when power is back", "host", h.Name, "since", h.Down.Format(time.RFC3339))
		}
	}
}

// save writes the state file (under w.mu).
func (w *Waker) save() {
	if w.path == "" {
		w.dirty = false
		return
	}
	s := saved{Hosts: map[string]savedHost{}}
	for _, h := range w.hosts {
		sh := savedHost{Down: h.Down}
		if h.Learned != nil {
			sh.MAC = h.Learned.String()
		}
		s.Hosts[h.Name] = sh
	}
	b, _ := json.MarshalIndent(s, "", "  ")
	if err := conf.WriteFileAtomic(w.path, append(b, '\n'), 0o640); err != nil {
		w.log.Error("PowerWake: cannot save its state", "err", err)
		return
	}
	w.dirty = false
}

// Keep takes over what another Waker (the one before a reload of
// upsmon.conf) knew of the hosts both have: which are down, the MAC
// addresses learned, since when power is back.
func (w *Waker) Keep(old *Waker) {
	old.mu.Lock()
	defer old.mu.Unlock()
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, h := range w.hosts {
		for _, o := range old.hosts {
			if o.Name == h.Name {
				h.Down, h.Learned, h.back, h.tries = o.Down, o.Learned, o.back, o.tries
			}
		}
	}
	w.lastWake, w.dirty = old.lastWake, true
}

// Down lists the hosts taken down by the outage and not woken yet.
func (w *Waker) Down() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []string
	for _, h := range w.hosts {
		if !h.Down.IsZero() {
			out = append(out, h.Name)
		}
	}
	return out
}

// Observe follows the power through a reading of the chain: hosts whose
// every supply is cut are down; those down whose power has been back for
// the hold time are queued for waking, in the chain's order. It does no
// I/O (it runs in the monitor's cycle); Run does.
func (w *Waker) Observe(ctx context.Context, g *chain.Graph) {
	now := w.now()
	rank := order(g)
	loads := map[string]chain.Load{}
	for _, l := range g.Loads(nil) {
		loads[l.Name] = l
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	var due []*host
	for _, h := range w.hosts {
		l, ok := loads[h.Name]
		if !ok {
			if !h.missing {
				w.log.Warn("PowerWake: the power chain has no such host (the device.host of its power supplies)", "host", h.Name)
				h.missing = true
			}
			continue
		}
		h.missing = false
		h.rank, h.bmcs = len(rank), nil
		for _, s := range l.Supplies {
			h.rank = min(h.rank, rank[s])
			if n := g.Nodes[s]; n != nil && (n.Driver == "nut-ipmipsu" || n.Driver == "ipmi-psu") {
				h.bmcs = appendBMC(h.bmcs, n)
			}
		}
		if cut, why := allCut(g, l.Supplies); cut {
			if h.Down.IsZero() {
				h.Down, h.tries, w.dirty = now, 0, true
				w.log.Info("PowerWake: host taken down by the outage; it will be woken when power is back", "host", h.Name, "why", why)
			}
			h.back = time.Time{}
			w.dequeue(h)
			if h.Auto {
				w.learn = true // while its entry is fresh
			}
			continue
		}
		if h.Auto && h.Down.IsZero() && h.Learned == nil {
			w.learn = true
		}
		if h.Down.IsZero() {
			continue
		}
		if back, why := powerBack(g, l.Supplies, float64(w.cfg.Charge.Int())); !back {
			if !h.back.IsZero() {
				w.log.Info("PowerWake: power gone again before the host was woken", "host", h.Name, "why", why)
			}
			h.back = time.Time{}
			w.dequeue(h)
			continue
		}
		if h.back.IsZero() {
			h.back = now
			w.log.Info("PowerWake: power is back for the host", "host", h.Name, "hold", w.cfg.Hold.Seconds().String())
		}
		if !h.queued && !h.waking && now.Sub(h.back) >= w.cfg.Hold.Seconds() {
			due = append(due, h)
		}
	}
	sort.SliceStable(due, func(i, j int) bool { return due[i].rank < due[j].rank })
	for _, h := range due {
		h.queued = true
		w.queue = append(w.queue, h)
	}
	if len(due) > 0 || w.dirty || w.learn {
		select {
		case w.kick <- struct{}{}:
		default:
		}
	}
}

func (w *Waker) dequeue(h *host) {
	if !h.queued {
		return
	}
	h.queued = false
	for i, q := range w.queue {
		if q == h {
			w.queue = append(w.queue[:i], w.queue[i+1:]...)
			return
		}
	}
}

// appendBMC adds a nut-ipmipsu device unless one of the same BMC (its
// port without the sensor id: "id1@10.0.0.5" and "id2@10.0.0.5") is in.
func appendBMC(list []target, n *chain.Node) []target {
	bmc := n.DriverPort
	if _, addr, ok := strings.Cut(n.DriverPort, "@"); ok {
		bmc = addr
	}
	for _, t := range list {
		if t.server == n.Server && t.bmc == bmc {
			return list
		}
	}
	return append(list, target{server: n.Server, ups: n.Name, bmc: bmc})
}

// allCut reports whether every supply of a host is cut upstream.
func allCut(g *chain.Graph, supplies []string) (bool, string) {
	var whys []string
	for _, s := range supplies {
		cut, why, _ := g.UpstreamCut(s)
		if !cut {
			return false, ""
		}
		whys = append(whys, why)
	}
	return len(supplies) > 0, strings.Join(whys, "; ")
}

// powerBack reports whether every supply path above a host's power
// supplies is healthy (the supplies' own state is the host's: off while
// it is) and every device on them that has a battery holds charge
// percent; else why not.
func powerBack(g *chain.Graph, supplies []string, charge float64) (bool, string) {
	for _, s := range supplies {
		n := g.Nodes[s]
		if n == nil {
			return false, s + ": not known"
		}
		if n.Parent.IsMains() {
			continue
		}
		parent := g.Nodes[n.ParentID]
		if parent == nil {
			return false, n.Parent.String() + ": not known"
		}
		if num, ok := n.Parent.OutletNumber(); ok && n.Parent.Outlet != "" {
			if st, known := parent.Outlets[num]; known && st != "on" {
				return false, chain.Ref(parent.ID, n.Parent.Outlet, "") + " is " + st
			}
		}
		p := g.PathOf(n.ParentID, nil)
		if p.Health != chain.Healthy {
			return false, p.Why
		}
		for _, l := range p.Links {
			if v, ok := g.Nodes[l.ID].Readings["battery.charge"]; ok {
				if c, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && c < charge {
					return false, fmt.Sprintf("%s: battery.charge %s, below %g", l.ID, v, charge)
				}
			}
		}
	}
	return true, ""
}

// order ranks the devices of the chain as it runs from the mains: roots
// by ID, each device's children by the outlet that feeds them, then by
// ID, depth first.
func order(g *chain.Graph) map[string]int {
	kids := map[string][]*chain.Node{}
	for _, n := range g.Nodes {
		if n.ParentID != "" {
			kids[n.ParentID] = append(kids[n.ParentID], n)
		}
	}
	outlet := func(n *chain.Node) int {
		if num, ok := n.Parent.OutletNumber(); ok && n.Parent.Outlet != "" {
			return num
		}
		return -1
	}
	for _, list := range kids {
		sort.Slice(list, func(i, j int) bool {
			a, b := outlet(list[i]), outlet(list[j])
			if a != b {
				return a < b
			}
			return list[i].ID < list[j].ID
		})
	}
	rank := map[string]int{}
	var visit func(n *chain.Node)
	visit = func(n *chain.Node) {
		if _, seen := rank[n.ID]; seen {
			return
		}
		rank[n.ID] = len(rank)
		for _, k := range kids[n.ID] {
			visit(k)
		}
	}
	for _, r := range g.Roots() {
		visit(r)
	}
	for _, id := range g.IDs() { // loops the roots do not reach
		visit(g.Nodes[id])
	}
	return rank
}

// Run learns MAC addresses, keeps the state file, and wakes the hosts
// queued, one every POWERWAKEDELAY, until ctx ends.
func (w *Waker) Run(ctx context.Context) {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		w.mu.Lock()
		learn := w.learn
		w.learn = false
		w.mu.Unlock()
		if learn {
			w.learnMACs(ctx)
		}
		w.mu.Lock()
		if w.dirty {
			w.save()
		}
		var next *host
		wait := time.Hour
		if len(w.queue) > 0 {
			wait = time.Until(w.lastWake.Add(w.cfg.Delay.Seconds()))
			if wait <= 0 {
				next, w.queue = w.queue[0], w.queue[1:]
				next.queued, next.waking = false, true
				w.lastWake = time.Now()
				wait = w.cfg.Delay.Seconds()
			}
		}
		w.mu.Unlock()
		if next != nil {
			w.wake(ctx, next)
			continue
		}
		timer.Reset(wait)
		select {
		case <-ctx.Done():
			return
		case <-w.kick:
		case <-timer.C:
		}
	}
}

// learnMACs looks the addresses of the wol auto hosts up in the
// neighbour table: a host that is up, or just went down (its entry is
// still there), gets its MAC remembered.
func (w *Waker) learnMACs(ctx context.Context) {
	w.mu.Lock()
	var hs []*host
	for _, h := range w.hosts {
		if h.Auto && !h.queued && (h.Down.IsZero() || h.back.IsZero()) {
			hs = append(hs, h)
		}
	}
	w.mu.Unlock()
	if len(hs) == 0 {
		return
	}
	table, err := w.Neighbours()
	if err != nil {
		w.log.Warn("PowerWake: cannot read the neighbour table", "err", err)
		return
	}
	for _, h := range hs {
		ip, err := resolve(ctx, h.Addr)
		if err != nil {
			continue
		}
		mac, ok := table[ip.String()]
		if !ok {
			continue
		}
		w.mu.Lock()
		if h.Learned.String() != mac.String() {
			h.Learned, w.dirty = mac, true
			w.log.Info("PowerWake: MAC learned from the neighbour table", "host", h.Name, "address", ip.String(), "mac", mac.String())
		}
		w.mu.Unlock()
	}
}

// resolve is the host's IPv4 address (else IPv6), from a literal or a
// name, within a second.
func resolve(ctx context.Context, addr string) (net.IP, error) {
	if ip := net.ParseIP(addr); ip != nil {
		return ip, nil
	}
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	ips, err := net.DefaultResolver.LookupIP(ctx, "ip", addr)
	if err != nil || len(ips) == 0 {
		return nil, fmt.Errorf("%s: no address: %v", addr, err)
	}
	for _, ip := range ips {
		if ip.To4() != nil {
			return ip, nil
		}
	}
	return ips[0], nil
}

// wake wakes one host and tells how it went.
func (w *Waker) wake(ctx context.Context, h *host) {
	how, err := w.wakeHost(ctx, h)
	w.mu.Lock()
	h.waking = false
	if err == nil {
		h.Down, h.back, h.tries, w.dirty = time.Time{}, time.Time{}, 0, true
	} else if h.tries++; h.tries >= maxTries {
		h.Down, h.back, w.dirty = time.Time{}, time.Time{}, true
		err = fmt.Errorf("%w (tried %d times; PowerWake gives up on it until the next outage)", err, h.tries)
	} else {
		h.back = time.Now() // tried again after the hold time
	}
	if w.dirty {
		w.save()
	}
	w.mu.Unlock()
	if err != nil {
		w.log.Error("PowerWake: cannot wake host", "host", h.Name, "err", err)
		w.notify(ctx, Failed, h.Name)
		return
	}
	w.log.Info("PowerWake: host woken", "host", h.Name, "how", how)
	w.notify(ctx, Woken, h.Name)
}

func (w *Waker) notify(ctx context.Context, typ, name string) {
	if w.Notify != nil {
		w.Notify(ctx, typ, name)
	}
}

// wakeHost sends the wake-up: magic packets, or load.on to each BMC.
func (w *Waker) wakeHost(ctx context.Context, h *host) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	switch h.Method {
	case conf.WakeOnLAN:
		mac := h.MAC
		if mac == nil {
			mac = h.Learned
		}
		if mac == nil {
			return "", fmt.Errorf("no MAC address: the neighbour table never had one for %s", h.Addr)
		}
		var ip net.IP
		if h.Addr != "" {
			var err error
			if ip, err = resolve(ctx, h.Addr); err != nil {
				w.log.Warn("PowerWake: the host's address does not resolve; sending to the limited broadcast", "host", h.Name, "err", err)
			}
		}
		dst, err := Broadcast(ip)
		if err != nil {
			return "", err
		}
		if err := SendWOL(ctx, mac, dst); err != nil {
			return "", err
		}
		return fmt.Sprintf("Wake-on-LAN for %s to %s:%d", mac, dst, WOLPort), nil
	case conf.WakeIPMI:
		w.mu.Lock()
		bmcs := append([]target(nil), h.bmcs...)
		w.mu.Unlock()
		if len(bmcs) == 0 {
			return "", errors.New("no nut-ipmipsu device of the host in the power chain")
		}
		var done []string
		for _, b := range bmcs {
			if err := w.powerOn(ctx, b.server, b.ups); err != nil {
				return "", fmt.Errorf("load.on on %s@%s: %w", b.ups, b.server, err)
			}
			done = append(done, b.ups+"@"+b.server)
		}
		return "IPMI chassis power on (load.on) through " + strings.Join(done, ", "), nil
	}
	return "", fmt.Errorf("unknown method %q", h.Method)
}

// powerOn runs load.on on a device as POWERWAKEUSER.
func (w *Waker) powerOn(ctx context.Context, server, ups string) error {
	c, err := client.DialAs(ctx, server, w.cfg.Username, w.cfg.Password.Reveal())
	if err != nil {
		return err
	}
	defer c.Close()
	return c.InstCmd(ctx, ups, "load.on")
}
