// Package daemon is powerchain's integrated NUT server: it reads a NUT
// configuration directory, runs the driver of every ups.conf device in
// this process, and serves them all with the NUT protocol.
package daemon

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/device"
	"github.com/powerchain/powerchain/dnssd"
	"github.com/powerchain/powerchain/driver"
	"github.com/powerchain/powerchain/driver/nutsock"
	"github.com/powerchain/powerchain/nut"
	"github.com/powerchain/powerchain/server"

	_ "github.com/powerchain/powerchain/driver/all" // every driver
)

// Options adjust a daemon beyond its config directory.
type Options struct {
	ConfDir string
	// Listen replaces upsd.conf's LISTEN lines when not empty ("host:port").
	Listen []string
	// Ready, when set, receives the bound addresses once listening.
	Ready func(addrs []net.Addr)
	// External serves devices from their drivers' NUT state sockets in
	// StatePath (as NUT's upsd does) instead of running drivers in-process.
	External  bool
	StatePath string
	Log       *slog.Logger
	// Announce publishes the server as a _nut._tcp DNS-SD service:
	// "" when a listener is not on loopback, "yes" always, "no" never.
	Announce string
	// Limits bound what one client can make the server do (zero fields:
	// the defaults).
	Limits server.Limits
	// Sessions is how the server serves plain sessions (io_uring ring or
	// goroutines; zero: the default).
	Sessions server.SessionPath
}

// Daemon is a running integrated server.
type Daemon struct {
	opts  Options
	store *device.Store
	srv   *server.Server
	log   *slog.Logger

	mu      sync.Mutex
	running map[string]*running
	ctx     context.Context
	wg      sync.WaitGroup
}

type running struct {
	cfg    driver.Config
	cancel context.CancelFunc
}

// Store is the daemon's device store.
func (d *Daemon) Store() *device.Store { return d.store }

// Server is the daemon's protocol server.
func (d *Daemon) Server() *server.Server { return d.srv }

// load reads and validates the directory.
func load(dir string) (*conf.Dir, error) {
	cd, err := conf.LoadDir(dir)
	if err != nil {
		return nil, err
	}
	if cd.Files[conf.UPSConfFile] == nil {
		return nil, fmt.Errorf("%s/ups.conf: no such file", dir)
	}
	if err := cd.Validate().Err(); err != nil {
		return nil, err
	}
	return cd, nil
}

func serverConfig(cd *conf.Dir) (*server.Config, error) {
	u := cd.Upsd()
	cfg := &server.Config{MaxAge: time.Duration(u.MaxAge) * time.Second, MaxConn: u.MaxConn, Users: cd.Users().Users,
		// NUT forgets a result once it is a whole second past the
		// delay, so TRACKINGDELAY 0 keeps it about a second.
		TrackingDelay: time.Duration(max(u.TrackingDelay, 1)) * time.Second}
	if u.CertFile != "" {
		cert, err := tls.LoadX509KeyPair(u.CertFile, u.CertFile)
		if err != nil {
			return nil, fmt.Errorf("upsd.conf CERTFILE %s: %w", u.CertFile, err)
		}
		cfg.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	return cfg, nil
}

// driverConfigs lists the devices in ups.conf order, which is the order
// NUT's upsd lists them in.
func driverConfigs(cd *conf.Dir) []driver.Config {
	var out []driver.Config
	for _, dev := range cd.UPS().Devices {
		out = append(out, DriverConfig(cd, dev))
	}
	return out
}

// DriverConfig is what a device's driver gets from its ups.conf section.
func DriverConfig(cd *conf.Dir, dev conf.Device) driver.Config {
	settings := map[string]string{}
	for _, e := range dev.Settings {
		settings[e.Key] = e.Value()
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
			d.wg.Wait()
			return nil
		case <-reload:
			if err := d.Reload(); err != nil {
				d.log.Error("reload failed; keeping the running configuration", "err", err)
			}
		}
	}
}

// Start loads the configuration, starts drivers and listeners and returns
// at once; everything stops when ctx ends.
func Start(ctx context.Context, opts Options) (*Daemon, error) {
	log := opts.Log
	if log == nil {
		log = slog.Default()
	}
	cd, err := load(opts.ConfDir)
	if err != nil {
		return nil, err
	}
	scfg, err := serverConfig(cd)
	if err != nil {
		return nil, err
	}
	if opts.External && opts.StatePath == "" {
		opts.StatePath = nutsock.StatePath()
	}
	d := &Daemon{opts: opts, store: device.NewStore(), log: log, running: map[string]*running{}, ctx: ctx}
	scfg.Limits, scfg.Sessions = opts.Limits, opts.Sessions
	d.srv = server.New(d.store, scfg)
	addrs := opts.Listen
	if len(addrs) == 0 {
		for _, l := range cd.Upsd().Listen {
			addrs = append(addrs, net.JoinHostPort(l.Addr, strconv.Itoa(l.Port)))
		}
	}
	if len(addrs) == 0 {
		addrs = []string{"127.0.0.1:3493", "[::1]:3493"}
	}
	var lns []net.Listener
	for _, a := range addrs {
		ln, err := net.Listen("tcp", a)
		if err != nil {
			for _, l := range lns {
				l.Close()
			}
			return nil, fmt.Errorf("listen %s: %w", a, err)
		}
		lns = append(lns, ln)
	}
	d.syncDrivers(driverConfigs(cd))
	var bound []net.Addr
	for _, ln := range lns {
		bound = append(bound, ln.Addr())
		log.Info("listening", "addr", ln.Addr().String())
		d.wg.Add(1)
		go func() {
			defer d.wg.Done()
			if err := d.srv.Serve(ctx, ln); err != nil {
				log.Error("listener stopped", "addr", ln.Addr().String(), "err", err)
			}
		}()
	}
	d.announce(ctx, bound)
	if opts.Ready != nil {
		opts.Ready(bound)
	}
	return d, nil
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
	var names []string
	for _, dev := range d.store.Devices() {
		names = append(names, dev.Name())
	}
	svc := dnssd.Service{Instance: dnssd.InstanceName(host, pick.Port), Port: pick.Port,
		TXT: dnssd.TXT(nut.ProtocolVersion, names)}
	via, withdrawn, err := dnssd.Publish(ctx, svc, d.log)
	if err != nil {
		d.log.Warn("not announced with DNS-SD", "err", err)
		return
	}
	// Run waits for the goodbye before the process exits.
	d.wg.Add(1)
	go func() { <-withdrawn; d.wg.Done() }()
	d.log.Info("announced", "service", dnssd.ServiceType, "name", svc.Instance, "via", via)
}

// Reload re-reads the configuration: users and limits take effect for
// the next request of every client, devices whose section changed are
// restarted, new ones started and removed ones stopped. Clients stay
// connected. On error nothing changes.
func (d *Daemon) Reload() error {
	cd, err := load(d.opts.ConfDir)
	if err != nil {
		return err
	}
	scfg, err := serverConfig(cd)
	if err != nil {
		return err
	}
	scfg.Limits, scfg.Sessions = d.opts.Limits, d.opts.Sessions
	d.srv.Reload(scfg)
	d.syncDrivers(driverConfigs(cd))
	d.log.Info("configuration reloaded")
	return nil
}

func sameConfig(a, b driver.Config) bool {
	return a.Driver == b.Driver && a.Port == b.Port && a.Desc == b.Desc && a.Parent == b.Parent &&
		maps.Equal(a.Settings, b.Settings)
}

func (d *Daemon) syncDrivers(list []driver.Config) {
	d.mu.Lock()
	defer d.mu.Unlock()
	want := map[string]driver.Config{}
	for _, c := range list {
		want[c.Name] = c
	}
	for name, r := range d.running {
		if cfg, ok := want[name]; !ok || !sameConfig(cfg, r.cfg) {
			r.cancel()
			delete(d.running, name)
			if !ok {
				d.store.Remove(name)
			}
		}
	}
	for _, cfg := range list {
		name := cfg.Name
		if _, ok := d.running[name]; ok {
			continue
		}
		dev := device.New(name, cfg.Desc)
		d.store.Add(dev)
		ctx, cancel := context.WithCancel(d.ctx)
		d.running[name] = &running{cfg: cfg, cancel: cancel}
		d.wg.Add(1)
		go func() {
			defer d.wg.Done()
			if d.opts.External {
				d.attach(ctx, cfg, dev)
				return
			}
			if err := driver.Run(ctx, cfg, dev, 5*time.Second); err != nil && !errors.Is(err, context.Canceled) {
				d.log.Error("driver not started", "device", name, "err", err)
			}
		}()
	}
}

// attach feeds dev from its external driver's socket, reconnecting while
// ctx lasts; NUT's upsd does the same.
func (d *Daemon) attach(ctx context.Context, cfg driver.Config, dev *device.Device) {
	dev.SetDesc(cfg.Desc)
	if cfg.Parent != "" {
		// The chain is configuration: served whatever the driver publishes.
		dev.Update(func(tx *device.Tx) { tx.SetImmutable("device.parent", cfg.Parent) })
	}
	path := nutsock.SocketPath(d.opts.StatePath, cfg.Driver, cfg.Name)
	maxAge := d.maxAge()
	logged := false
	for ctx.Err() == nil {
		err := nutsock.Attach(ctx, path, dev, maxAge)
		dev.SetConnected(false)
		if ctx.Err() != nil {
			return
		}
		if !logged {
			d.log.Warn("can't connect to driver; retrying", "device", cfg.Name, "socket", path, "err", err)
			logged = true
		}
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}

func (d *Daemon) maxAge() time.Duration {
	cd, err := conf.LoadDir(d.opts.ConfDir)
	if err == nil {
		if n := cd.Upsd().MaxAge; n > 0 {
			return time.Duration(n) * time.Second
		}
	}
	return 15 * time.Second
}
