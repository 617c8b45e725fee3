// Package usbhid is usbhid-ups: USB HID power devices (UPSes) read over
// Linux hidraw, without libusb and without cgo, as NUT's usbhid-ups reads
// them.
//
// A device is found among the hidraw nodes by its vendor:product (the
// table in usbups says which usbhid-ups subdriver lists it) and NUT's
// selection options; its report descriptor is parsed (package hid) and
// the first subdriver, in NUT's claim order, that claims it maps HID
// paths to NUT variables with its table: one file per subdriver, named as
// NUT names it (apc.go for apc-hid.c). Values are read with Feature
// reports, status changes arrive as Input reports, and instant commands
// and writable variables are Feature report writes.
//
// The driver talks to the device through Transport: hidraw on Linux, or
// Replay, a recorded device (the tests replay real devices' recordings
// and compare with what NUT published for them).
package usbhid

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/powerchain/powerchain/device"
	"github.com/powerchain/powerchain/driver"
	"github.com/powerchain/powerchain/hid"
	"github.com/powerchain/powerchain/nut"
)

func init() { driver.Register("usbhid-ups", New) }

// Driver serves one USB HID UPS.
type Driver struct {
	name   string
	opts   *Options
	opener Opener
	log    *slog.Logger

	mu       sync.Mutex
	s        *session // nil while the device is not open
	prev     *session // the last connection: reconnects keep its state
	exact    *Device  // the device first opened: reconnects take only it
	poke     chan struct{}
	lastFull time.Time
	lastErr  string
	// gap is the pause between the two writes of shutdown.return and
	// shutdown.stayoff: some units refuse commands that come too fast
	// (NUT waits 125 ms).
	gap time.Duration
}

// New makes the driver for a ups.conf section, on the machine's hidraw
// nodes; a port naming a .replay file (relative to the configuration
// directory) plays that recording instead, as dummy-ups plays a .dev.
func New(cfg driver.Config) (driver.Driver, error) {
	if strings.HasSuffix(cfg.Port, ".replay") {
		path := cfg.Port
		if !filepath.IsAbs(path) {
			path = filepath.Join(cfg.ConfDir, path)
		}
		r, err := LoadReplay(path)
		if err != nil {
			return nil, fmt.Errorf("usbhid-ups: %w", err)
		}
		return NewWith(cfg, r)
	}
	return NewWith(cfg, Hidraw{})
}

// NewWith makes the driver with another way to find and open devices (a
// Replay in tests).
func NewWith(cfg driver.Config, o Opener) (*Driver, error) {
	opts, err := ParseOptions(cfg)
	if err != nil {
		return nil, err
	}
	return &Driver{name: cfg.Name, opts: opts, opener: o, poke: make(chan struct{}, 1), gap: 125 * time.Millisecond,
		log: slog.With("device", cfg.Name, "driver", "usbhid-ups")}, nil
}

// errNoDevice: no device that the options select is present.
var errNoDevice = errors.New("no matching USB HID UPS found")

// sameDevice is NUT's exact matcher: a reconnect takes the device that
// was opened first, not another one the options would also select.
func sameDevice(a, b *Device) bool {
	return a.Vendor == b.Vendor && a.Product == b.Product && a.Manufacturer == b.Manufacturer &&
		a.ProductName == b.ProductName && a.Serial == b.Serial && a.Bus == b.Bus
}

// selects reports whether the driver would open a device.
func (d *Driver) selects(dv *Device) bool {
	if d.exact != nil {
		return sameDevice(dv, d.exact)
	}
	if strings.HasPrefix(d.opts.Port, "/dev/") && dv.Path != d.opts.Port {
		return false // port names the node
	}
	if choose(dv, d.opts) == nil {
		return false
	}
	return d.opts.Matches(dv)
}

// connect finds, opens and initialises the device (NUT's upsdrv_initups
// and the INIT walk). d.mu is held.
func (d *Driver) connect(ctx context.Context) (*session, error) {
	devs, err := d.opener.Devices(ctx)
	if err != nil {
		return nil, err
	}
	var dv *Device
	for i := range devs {
		if d.selects(&devs[i]) {
			dv = &devs[i]
			break
		}
	}
	if dv == nil {
		if ex, ok := d.opener.(interface{ Unreachable(devs []Device) string }); ok {
			if why := ex.Unreachable(devs); why != "" {
				return nil, fmt.Errorf("%w; %s", errNoDevice, why)
			}
		}
		return nil, errNoDevice
	}
	tr, err := d.opener.Open(ctx, *dv)
	if err != nil {
		return nil, err
	}
	s, err := d.initialise(ctx, tr, *dv)
	if err != nil {
		tr.Close()
		return nil, err
	}
	if d.exact == nil {
		d.exact = dv
	}
	return s, nil
}

func (d *Driver) initialise(ctx context.Context, tr Transport, dv Device) (*session, error) {
	for _, s := range []*string{&dv.Manufacturer, &dv.ProductName, &dv.Serial} {
		*s = driver.Printable([]byte(*s)) // they become values
	}
	raw, err := tr.ReportDescriptor(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: report descriptor: %w", dv.Path, err)
	}
	s := &session{opts: d.opts, tr: tr, dev: dv, raw: raw, log: d.log, gen: 1, gap: d.gap,
		reports: map[uint8]*report{}, vars: map[string]*dvar{}, deleted: map[string]bool{},
		cmds: map[string]bool{}, skipReport: map[uint8]bool{},
		interruptOnly: d.opts.InterruptOnly, interruptSize: d.opts.InterruptSize, maxReport: d.opts.MaxReport}
	if s.sub = choose(&dv, d.opts); s.sub == nil {
		return nil, fmt.Errorf("%s: %04x:%04x: no subdriver claims it", dv.Path, dv.Vendor, dv.Product)
	}
	s.tables = []hid.Names{s.sub.Usages, hid.PowerDevice}
	if s.sub.NewState != nil {
		s.state = s.sub.NewState()
	}
	c := &Conv{s}
	if s.sub.Setup != nil {
		s.sub.Setup(c)
	}
	if p := d.prev; p != nil && p.sub == s.sub && bytes.Equal(p.raw, raw) {
		// The same device again: keep what NUT keeps across a reconnect
		// (the variables, the rows' bindings, the status bits).
		s.desc, s.rows, s.vars, s.cmds, s.status = p.desc, p.rows, p.vars, p.cmds, p.status
		s.state = p.state
	} else {
		if s.desc, err = hid.Parse(raw); err != nil {
			return nil, fmt.Errorf("%s: %w", dv.Path, err)
		}
		for _, w := range s.desc.Warnings {
			d.log.Info("report descriptor", "note", w)
		}
		if s.sub.Fix != nil {
			s.sub.Fix(c, s.desc)
		}
		s.rows = make([]bound, len(s.sub.Rows))
		for i := range s.sub.Rows {
			s.rows[i].row = &s.sub.Rows[i]
		}
	}
	if s.sub.Format != nil {
		s.sub.Format(c)
	} else {
		defaultFormat(c)
	}
	s.set("ups.vendorid", fmt.Sprintf("%04x", dv.Vendor))
	s.set("ups.productid", fmt.Sprintf("%04x", dv.Product))
	s.set("driver.version.data", s.sub.Version)
	s.set("driver.parameter.pollfreq", strconv.Itoa(int(d.opts.PollFreq/time.Second)))
	s.set("driver.parameter.pollinterval", strconv.Itoa(int(d.opts.PollInterval/time.Second)))
	if err := s.walk(ctx, walkInit); err != nil {
		return nil, fmt.Errorf("%s: %w", dv.Path, err)
	}
	for name, val := range map[string]string{"battery.charge.low": d.opts.LowBatt,
		"ups.delay.start": d.opts.OnDelay, "ups.delay.shutdown": d.opts.OffDelay} {
		if _, ok := s.vars[name]; ok && val != "" {
			s.set(name, strconv.FormatInt(atol(val), 10))
		}
	}
	off, on := s.findRow("load.off.delay") != nil, s.findRow("load.on.delay") != nil
	if off {
		s.cmds["load.off"] = true
	}
	if on {
		s.cmds["load.on"] = true
	}
	if off && on {
		s.cmds["shutdown.return"] = true
		s.cmds["shutdown.stayoff"] = true
	}
	for _, n := range []string{"mfr", "model", "serial"} {
		if v, ok := s.vars["ups."+n]; ok {
			s.set("device."+n, v.value)
		}
	}
	s.statusVars(true)
	d.log.Info("device opened", "path", dv.Path, "id", fmt.Sprintf("%04x:%04x", dv.Vendor, dv.Product),
		"subdriver", s.sub.Version, "fields", len(s.desc.Fields))
	return s, nil
}

// defaultFormat: ups.mfr, ups.model and ups.serial are the USB strings,
// the subdriver's Mfr when the device names no manufacturer.
func defaultFormat(c *Conv) {
	d := c.Device()
	for name, v := range map[string]string{"ups.mfr": cmp.Or(d.Manufacturer, c.s.sub.Mfr),
		"ups.model": d.ProductName, "ups.serial": d.Serial} {
		if v != "" {
			c.Set(name, v)
		}
	}
}

// update reads the device (NUT's upsdrv_updateinfo without the interrupt
// part, which the reader goroutine does). d.mu is held.
func (d *Driver) update(ctx context.Context, s *session, now time.Time) error {
	full := s.changed || now.Sub(d.lastFull) >= d.opts.PollFreq
	mode := walkQuick
	if full {
		mode = walkFull
		s.alarmBuf = nil
	}
	if err := s.walk(ctx, mode); err != nil {
		return err
	}
	if full {
		d.lastFull = now
		s.changed = false
	}
	s.statusVars(full)
	return nil
}

// Run serves the device until ctx ends: it opens it (retrying every
// pollinterval while it is absent, busy or refused, with the data stale),
// reads it every pollinterval (everything every pollfreq), applies Input
// reports as they arrive, and reopens it when it goes away.
func (d *Driver) Run(ctx context.Context, dev *device.Device) error {
	dev.SetHandler(d)
	for {
		d.mu.Lock()
		s, err := d.connect(ctx)
		if err == nil {
			d.s, d.prev, d.lastFull, d.lastErr = s, s, time.Now(), ""
			s.publish(dev)
		}
		d.mu.Unlock()
		if err != nil {
			if msg := err.Error(); msg != d.lastErr {
				d.log.Warn("cannot open the UPS; retrying every pollinterval", "err", msg)
				d.lastErr = msg
			}
			dev.MarkStale()
		} else {
			dev.DataOK(time.Now())
			err = d.serve(ctx, dev, s)
			d.mu.Lock()
			d.s = nil
			s.tr.Close()
			d.mu.Unlock()
			dev.MarkStale()
			if ctx.Err() == nil {
				d.log.Warn("lost the UPS; reconnecting", "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(d.opts.PollInterval):
		}
	}
}

// serve polls an open device until it fails or ctx ends.
func (d *Driver) serve(ctx context.Context, dev *device.Device, s *session) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	inputs := make(chan []byte, 64)
	readErr := make(chan error, 1)
	if !d.opts.PollOnly && !s.noInterrupt {
		go d.readInputs(ctx, s, inputs, readErr)
	}
	tick := time.NewTicker(d.opts.PollInterval)
	defer tick.Stop()
	for {
		var err error
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err = <-readErr:
			return err
		case buf := <-inputs:
			// A status change the device announced: publish it now.
			d.mu.Lock()
			s.fileInput(buf)
			for n := len(inputs); n > 0; n-- {
				s.fileInput(<-inputs)
			}
			s.statusVars(false)
			s.publish(dev)
			d.mu.Unlock()
			dev.DataOK(time.Now())
			continue
		case <-tick.C:
		case <-d.poke:
		}
		d.mu.Lock()
		err = d.update(ctx, s, time.Now())
		if err == nil {
			s.publish(dev)
		}
		d.mu.Unlock()
		if err != nil {
			return err
		}
		dev.DataOK(time.Now())
	}
}

// readInputs reads Input reports (NUT's interrupt pipe) until ctx ends or
// the device fails.
func (d *Driver) readInputs(ctx context.Context, s *session, out chan<- []byte, fail chan<- error) {
	size := s.interruptSize
	if size == 0 {
		size = 512
	}
	buf := make([]byte, size)
	for ctx.Err() == nil {
		n, err := s.tr.ReadInput(ctx, buf)
		switch {
		case errors.Is(err, ErrNoReport):
			continue
		case err != nil:
			fail <- err
			return
		case n > 0:
			select {
			case out <- append([]byte(nil), buf[:n]...):
			case <-ctx.Done():
			}
		}
	}
}

// SetVar writes a variable (device.Handler).
func (d *Driver) SetVar(ctx context.Context, name, value string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.s == nil {
		return nut.ErrDriverNotConnected
	}
	if err := d.s.setVar(ctx, name, value); err != nil {
		return err
	}
	d.repoll()
	return nil
}

// InstCmd runs an instant command (device.Handler); a non-empty param
// replaces the table's value.
func (d *Driver) InstCmd(ctx context.Context, name, param string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.s == nil {
		return nut.ErrDriverNotConnected
	}
	if err := d.s.instCmd(ctx, name, param, param != ""); err != nil {
		return err
	}
	d.repoll()
	return nil
}

// Shutdown asks the UPS to cut the load and restore it when power
// returns, as NUT's usbhid-ups -k does: shutdown.return, else
// shutdown.reboot, else load.off.delay.
func (d *Driver) Shutdown(ctx context.Context) error {
	var err error
	for _, c := range []string{"shutdown.return", "shutdown.reboot", "load.off.delay"} {
		if err = d.InstCmd(ctx, c, ""); err == nil {
			return nil
		}
	}
	return fmt.Errorf("usbhid-ups: shutdown failed: %w", err)
}

// repoll asks the loop for a full update now (a write changed data).
func (d *Driver) repoll() {
	select {
	case d.poke <- struct{}{}:
	default:
	}
}
