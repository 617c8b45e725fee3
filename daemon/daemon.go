// Package daemon is powerchain's integrated NUT server: it reads a NUT
// configuration directory, runs the driver of every ups.conf device in
// this process, and serves them all with the NUT protocol.
package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/powerchain/powerchain/chain"
	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/device"
	"github.com/powerchain/powerchain/dnssd"
	"github.com/powerchain/powerchain/driver"
	"github.com/powerchain/powerchain/driver/hosted"
	"github.com/powerchain/powerchain/driver/nutsock"
	"github.com/powerchain/powerchain/nut"
	"github.com/powerchain/powerchain/server"
	"github.com/powerchain/powerchain/snmptrap"

	_ "github.com/powerchain/powerchain/driver/all" // every driver
)

// Options adjust a daemon beyond its config directory.
type Options struct {
	ConfDir string
	// Listen replaces upsd.conf's LISTEN lines when not empty ("host:port").
	Listen []string
	// Ready, when set, receives the bound addresses once listening.
	Ready func(addrs []net.Addr)
	// External serves devices from their drivers' NUT state sockets (as
	// NUT's upsd does) instead of running drivers in-process. The
	// sockets are in upsd.conf's STATEPATH, else StatePath, else
	// $NUT_STATEPATH or NUT's default. Without it, the devices whose
	// driver powerchain does not have (or that ups.conf's
	// powerchain_hosted names) run NUT's program (package hosted), with
	// its socket in that same directory.
	External  bool
	StatePath string
	// RequireFiles refuses to start without upsd.conf and upsd.users, as
	// NUT's upsd does; without it their absence is logged and NUT's
	// defaults (no users) apply.
	RequireFiles bool
	Log          *slog.Logger
	// Level, when set, is raised to debug by upsd.conf's DEBUG_MIN.
	Level *slog.LevelVar
	// Announce publishes the server as a _nut._tcp DNS-SD service:
	// "" when a listener is not on loopback, "yes" always, "no" never.
	Announce string
	// Limits bound what one client can make the server do (zero fields:
	// the defaults).
	Limits server.Limits
	// Sessions is how the server serves plain sessions (io_uring ring or
	// goroutines; zero: the default).
	Sessions server.SessionPath
	// Traps replaces upsd.conf's POWERCHAIN_TRAPS lines when not empty:
	// the addresses ("host:port") of the SNMP trap listener shared by the
	// snmp-ups devices.
	Traps []string
	// Site and Rack replace upsd.conf's POWERCHAIN_SITE and
	// POWERCHAIN_RACK when not empty: where the server stands, announced
	// with DNS-SD (site=, rack=).
	Site, Rack string
}

// Daemon is a running integrated server.
type Daemon struct {
	opts  Options
	store *device.Store
	srv   *server.Server
	log   *slog.Logger
	// statePath is where External drivers' sockets are, fixed at start
	// as NUT's upsd fixes it.
	statePath string
	maxAge    atomic.Int64 // nanoseconds, for External drivers' pings

	mu      sync.Mutex
	running map[string]*running
	self    atomic.Value // string: an address this server answers on, for its own chain
	ctx     context.Context
	wg      sync.WaitGroup
	// cfg is the configuration in use (for what a reload keeps); a
	// reload holds reloading while it reads and replaces it.
	reloading sync.Mutex
	cfg       *config
	// traps is the snmp-ups devices' shared trap listener, nil for none.
	traps *snmptrap.Listener
	// reannounce asks the DNS-SD announcement to say the record again
	// (a reload may change the place and the devices).
	reannounce chan struct{}
}

type running struct {
	cfg    driver.Config
	cancel context.CancelFunc
	// hosted, when not nil, is how NUT's program runs the device.
	hosted *hosted.Config
}

// Store is the daemon's device store.
func (d *Daemon) Store() *device.Store { return d.store }

// Server is the daemon's protocol server.
func (d *Daemon) Server() *server.Server { return d.srv }

// Traps is the SNMP trap listener the snmp-ups devices share, nil when
// none listens.
func (d *Daemon) Traps() *snmptrap.Listener { return d.traps }

// driverConfigs lists the devices NUT's upsd serves: the sections with a
// driver and a port, in ups.conf order, which is the order NUT's upsd
// lists them in at start.
func driverConfigs(cd *conf.Dir) []driver.Config {
	var out []driver.Config
	for _, dev := range cd.UPS().Devices {
		if dev.Driver == "" || dev.Port == "" {
			continue // NUT ignores an incomplete section; validation says so
		}
		out = append(out, DriverConfig(cd, dev))
	}
	return out
}

// DriverConfig is what a device's driver gets from its ups.conf section.
func DriverConfig(cd *conf.Dir, dev conf.Device) driver.Config {
	settings := map[string]string{}
	for _, e := range dev.Settings {
		if v, ok := dev.Setting(e.Key); ok {
			settings[e.Key] = v
		}
	}
	parent := ""
	if dev.Parent != "" {
		parent = dev.ParsedParent.String()
	}
	return driver.Config{Name: dev.Name, Driver: dev.Driver, Port: dev.Port, Desc: dev.Desc,
		Parent: parent, Settings: settings, ConfDir: cd.Path}
}

// Run starts everything and serves until ctx ends. reload delivers a
// signal to re-read the configuration (SIGHUP); nil for none.
func Run(ctx context.Context, opts Options, reload <-chan struct{}) error {
	d, err := Start(ctx, opts)
	if err != nil {
		return err
	}
	for {
		select {
		case <-ctx.Done():
			d.Wait()
			return nil
		case <-reload:
			if err := d.Reload(); err != nil {
				d.log.Error("reload failed; keeping the running configuration", "err", err)
			}
		}
	}
}

// Wait returns once the listeners and drivers have stopped, after the
// context given to Start has ended.
func (d *Daemon) Wait() { d.wg.Wait() }

// Start loads the configuration, starts drivers and listeners and returns
// at once; everything stops when ctx ends. It refuses to start where
// NUT's upsd refuses (see config.go), and logs as warnings what NUT's
// upsd logs.
func Start(ctx context.Context, opts Options) (*Daemon, error) {
	log := opts.Log
	if log == nil {
		log = slog.Default()
	}
	for _, p := range []struct{ flag, v string }{{"site", opts.Site}, {"rack", opts.Rack}} {
		if p.v == "" {
			continue
		}
		if err := conf.CheckPlace(p.v); err != nil {
			return nil, fmt.Errorf("%s: %w", p.flag, err)
		}
	}
	d := &Daemon{opts: opts, store: device.NewStore(), log: log, running: map[string]*running{}, ctx: ctx,
		reannounce: make(chan struct{}, 1)}
	cfg, err := d.readConfig(false)
	if err != nil {
		return nil, err
	}
	lines := cfg.upsd.Listen
	if len(opts.Listen) > 0 {
		if lines, err = flagListeners(opts.Listen); err != nil {
			return nil, err
		}
	}
	lns, err := listen(ctx, lines, log)
	if err != nil {
		return nil, err
	}
	d.cfg = cfg
	d.statePath = cfg.statePath
	d.listenTraps(ctx, cfg.upsd.Traps)
	d.apply(cfg)
	d.srv = server.New(d.store, cfg.server)
	d.syncDrivers(cfg.devices, false)
	var bound []net.Addr
	for _, ln := range lns {
		bound = append(bound, ln.Addr())
		d.wg.Add(1)
		go func() {
			defer d.wg.Done()
			if err := d.srv.Serve(ctx, ln); err != nil {
				log.Error("listener stopped", "addr", ln.Addr().String(), "err", err)
			}
		}()
	}
	d.self.Store(selfAddr(bound))
	d.announce(ctx, bound)
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		d.watchStale(ctx)
	}()
	if opts.Ready != nil {
		opts.Ready(bound)
	}
	return d, nil
}

// listenTraps starts the snmp-ups devices' shared trap listener
// (Options.Traps, else upsd.conf's POWERCHAIN_TRAPS lines) and gives it
// to the drivers through their context. It is fixed at start, as LISTEN
// is; one that cannot be bound is logged and the devices are polled only.
func (d *Daemon) listenTraps(ctx context.Context, addrs []string) {
	if len(d.opts.Traps) > 0 {
		addrs = d.opts.Traps
	}
	if len(addrs) == 0 {
		return
	}
	l, err := snmptrap.Listen(ctx, addrs, d.log)
	if err != nil {
		d.log.Error("no SNMP trap listener; snmp-ups devices are polled only", "err", err)
		return
	}
	d.traps, d.ctx = l, snmptrap.NewContext(d.ctx, l)
	var bound []string
	for _, a := range l.Addrs() {
		bound = append(bound, a.String())
	}
	d.log.Info("receiving SNMP traps for the snmp-ups devices", "addrs", strings.Join(bound, " "))
}

// apply sets what the daemon itself takes from upsd.conf.
func (d *Daemon) apply(cfg *config) {
	maxAge := time.Duration(cfg.upsd.MaxAge) * time.Second
	d.maxAge.Store(int64(max(maxAge, time.Second)))
	if cfg.upsd.DebugMin > 0 && d.opts.Level != nil && d.opts.Level.Level() > slog.LevelDebug {
		d.log.Info("applying DEBUG_MIN from upsd.conf", "debug_min", cfg.upsd.DebugMin)
		d.opts.Level.Set(slog.LevelDebug)
	}
}

// selfAddr is where the server can ask itself: its first listener, on
// loopback when it listens on every address.
func selfAddr(bound []net.Addr) string {
	for _, a := range bound {
		if t, ok := a.(*net.TCPAddr); ok {
			ip := t.IP
			switch {
			case ip.IsUnspecified() && ip.To4() != nil:
				ip = net.IPv4(127, 0, 0, 1)
			case ip.IsUnspecified():
				ip = net.IPv6loopback
			}
			return net.JoinHostPort(ip.String(), strconv.Itoa(t.Port))
		}
	}
	return ""
}

// chainGuard refuses an instant command that would leave a load of this
// server's power chain without any healthy supply path (upsd.conf
// POWERCHAIN_GUARD yes). Loads on other servers whose parents are here
// are not seen: the chain is followed upward from this server.
func (d *Daemon) chainGuard(ctx context.Context, ups, cmd string) error {
	if _, cuts := chain.CutBy(cmd); !cuts {
		return nil
	}
	self, _ := d.self.Load().(string)
	if self == "" {
		return nil
	}
	g := chain.Discover(ctx, []string{self}, chain.Options{})
	lost := g.LastPaths(ups+"@"+self, cmd)
	if len(lost) == 0 {
		return nil
	}
	var names []string
	for _, l := range lost {
		names = append(names, chain.Ref(l.Name, "", self))
	}
	return fmt.Errorf("%s on %s would cut the last healthy supply path of %s", cmd, ups, strings.Join(names, ", "))
}

// announce publishes the first listener worth announcing (avahi over
// D-Bus, or the built-in responder) until ctx ends.
func (d *Daemon) announce(ctx context.Context, bound []net.Addr) {
	if d.opts.Announce == "no" {
		return
	}
	var pick *net.TCPAddr
	for _, a := range bound {
		t, ok := a.(*net.TCPAddr)
		if !ok {
			continue
		}
		if !t.IP.IsLoopback() || d.opts.Announce == "yes" {
			pick = t
			break
		}
	}
	if pick == nil {
		return
	}
	host, _ := os.Hostname()
	// Run waits for the goodbye before the process exits.
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		txt := d.announcement(ctx).TXT()
		svc := dnssd.Service{Instance: dnssd.InstanceName(host, pick.Port), Port: pick.Port, TXT: txt}
		a, err := dnssd.Announce(ctx, svc, d.log)
		if err != nil {
			d.log.Warn("not announced with DNS-SD", "err", err)
			return
		}
		d.log.Info("announced", "service", dnssd.ServiceType, "name", svc.Instance, "via", a.Via)
		for {
			select {
			case <-a.Withdrawn():
				return
			case <-d.reannounce:
			}
			ann := d.announcement(ctx)
			next := ann.TXT()
			if slices.Equal(next, txt) {
				continue
			}
			if err := a.SetTXT(next); err != nil {
				d.log.Warn("DNS-SD record not updated", "err", err)
				continue
			}
			txt = next
			d.log.Info("announced again", "service", dnssd.ServiceType, "name", svc.Instance, "site", ann.Site, "rack", ann.Rack, "devices", len(ann.Devices))
		}
	}()
}

// Place is where the server stands: Options.Site and Options.Rack, else
// upsd.conf's POWERCHAIN_SITE and POWERCHAIN_RACK as last (re)loaded; ""
// when neither says.
func (d *Daemon) Place() (site, rack string) {
	d.reloading.Lock()
	defer d.reloading.Unlock()
	return d.placeIn(d.cfg)
}

// placeIn is the place a configuration gives.
func (d *Daemon) placeIn(cfg *config) (site, rack string) {
	site, rack = cfg.upsd.Site, cfg.upsd.Rack
	if d.opts.Site != "" {
		site = d.opts.Site
	}
	if d.opts.Rack != "" {
		rack = d.opts.Rack
	}
	return site, rack
}

// announcement is what the DNS-SD record says of the devices: their
// types, the chain's roots and the hosts they feed, once each driver has
// published its device's type (at most 10 s after the start).
func (d *Daemon) announcement(ctx context.Context) dnssd.Announcement {
	for range 50 {
		ready := true
		for _, dev := range d.store.Devices() {
			ready = ready && dev.Snapshot().Value("device.type") != ""
		}
		if ready {
			break
		}
		select {
		case <-ctx.Done():
		case <-time.After(200 * time.Millisecond):
		}
	}
	a := dnssd.Announcement{Role: dnssd.RoleServer, Protocol: nut.ProtocolVersion}
	a.Site, a.Rack = d.Place()
	for _, dev := range d.store.Devices() {
		s := dev.Snapshot()
		parent, err := nut.ParseParent(s.Value("device.parent"))
		a.Devices = append(a.Devices, dnssd.DeviceInfo{Name: dev.Name(), Type: s.Value("device.type"),
			Root: err == nil && parent.IsMains(), Host: s.Value("device.host")})
	}
	return a
}

// Reload re-reads the configuration as NUT's upsd does on SIGHUP: the
// devices of ups.conf (new ones started, removed ones stopped, changed
// ones restarted; none left is a warning), upsd.conf's limits and
// upsd.users' users take effect for the next request of every client,
// which stay connected. LISTEN and STATEPATH keep their values from the
// start; the DNS-SD record is said again when the server's place or
// devices changed. An unreadable upsd.conf changes nothing, an unreadable
// upsd.users keeps the users. Where NUT's upsd would exit (ups.conf
// gone, MAXCONN 0) nothing changes and the error is returned: powerchain
// keeps serving.
func (d *Daemon) Reload() error {
	d.reloading.Lock()
	defer d.reloading.Unlock()
	d.log.Info("reloading configuration")
	cfg, err := d.readConfig(true)
	if err != nil {
		return err
	}
	old := d.cfg
	d.cfg = cfg
	if !slices.EqualFunc(cfg.upsd.Listen, old.upsd.Listen, sameListener) && len(d.opts.Listen) == 0 {
		d.log.Info("LISTEN changes take effect at the next start, as with NUT's upsd")
	}
	d.apply(cfg)
	d.srv.Reload(cfg.server)
	d.syncDrivers(cfg.devices, true)
	if len(cfg.devices) == 0 {
		d.log.Warn("no UPS defined in ups.conf any more: serving none")
	}
	site, rack := d.placeIn(cfg)
	if oldSite, oldRack := d.placeIn(old); site != oldSite || rack != oldRack {
		d.log.Info("the server's place changed", "site", site, "rack", rack)
	}
	// The DNS-SD record says the place and devices as they are now.
	select {
	case d.reannounce <- struct{}{}:
	default:
	}
	d.log.Info("configuration reloaded")
	return nil
}

func sameListener(a, b conf.Listener) bool {
	return a.Addr == b.Addr && a.Port == b.Port && a.Service == b.Service
}

func sameConfig(a, b driver.Config) bool {
	return a.Driver == b.Driver && a.Port == b.Port && a.Desc == b.Desc && a.Parent == b.Parent &&
		maps.Equal(a.Settings, b.Settings)
}

// syncDrivers runs the drivers of list: those already running with the
// same section go on, changed ones restart, others stop and new ones
// start. New devices are listed after the others at start and before
// them on a reload (first), as NUT's upsd lists them.
func (d *Daemon) syncDrivers(list []driver.Config, first bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	want := map[string]driver.Config{}
	for _, c := range list {
		want[c.Name] = c
	}
	hostedFor := func(cfg driver.Config) *hosted.Config {
		if d.opts.External || !d.cfg.hosted.Hosts(cfg) {
			return nil
		}
		h := d.cfg.hosted
		return &h
	}
	sameHosting := func(a, b *hosted.Config) bool {
		return a == nil && b == nil || a != nil && b != nil && a.Same(*b)
	}
	for name, r := range d.running {
		if cfg, ok := want[name]; !ok || !sameConfig(cfg, r.cfg) || !sameHosting(r.hosted, hostedFor(cfg)) {
			r.cancel()
			delete(d.running, name)
			if !ok {
				d.store.Remove(name)
			}
		}
	}
	var added []*device.Device
	for _, cfg := range list {
		name := cfg.Name
		if _, ok := d.running[name]; ok {
			continue
		}
		dev := device.New(name, cfg.Desc)
		if _, known := d.store.Get(name); known || !first {
			d.store.Add(dev)
		} else {
			added = append(added, dev)
		}
		ctx, cancel := context.WithCancel(d.ctx)
		h := hostedFor(cfg)
		d.running[name] = &running{cfg: cfg, cancel: cancel, hosted: h}
		d.log.Debug("starting driver", "device", name, "driver", cfg.Driver, "external", d.opts.External, "hosted", h != nil)
		d.wg.Add(1)
		go func() {
			defer d.wg.Done()
			maxAge := func() time.Duration { return time.Duration(d.maxAge.Load()) }
			switch {
			case d.opts.External:
				hosted.Attach(ctx, nutsock.SocketPath(d.statePath, cfg.Driver, cfg.Name), cfg, dev, maxAge, d.log)
				return
			case h != nil:
				hosted.Run(ctx, *h, cfg, dev, hosted.Options{MaxAge: maxAge, Log: d.log})
				return
			}
			if err := driver.Run(ctx, cfg, dev, 5*time.Second); err != nil && !errors.Is(err, context.Canceled) {
				d.log.Error("driver not started", "device", name, "err", err)
			}
		}()
	}
	d.store.AddFirst(added...)
}
