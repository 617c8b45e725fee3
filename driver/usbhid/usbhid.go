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
// reports when driver's loop polls; status changes arrive as Input
// reports, applied at once and published by a Status poll the driver
// asks for (Schedule.Wake); instant commands and writable variables are
// Feature report writes.
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
	"slices"
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

	mu         sync.Mutex
	s          *session // nil while the device is not open
	prev       *session // the last connection: reconnects keep its state
	exact      *Device  // the device first opened: reconnects take only it
	wake       driver.Waker
	readErr    error // the Input reader found the device gone
	stopReader context.CancelFunc
	readers    sync.WaitGroup
	// gap is the pause between the two writes of shutdown.return and
	// shutdown.stayoff: some units refuse commands that come too fast
	// (NUT waits 125 ms).
	gap time.Duration
}

// New makes the driver for a ups.conf section, on the machine's hidraw
// nodes; a port naming a .replay file (relative to the configuration
// directory) plays that recording instead, as dummy-ups plays a .dev.
// Nothing is opened yet: Connect reads the recording (or finds the
// node), so one that is not there is retried as an absent device is.
func New(cfg driver.Config) (driver.Driver, error) {
	if strings.HasSuffix(cfg.Port, ".replay") {
		path := cfg.Port
		if !filepath.IsAbs(path) {
			path = filepath.Join(cfg.ConfDir, path)
		}
		return NewWith(cfg, &replayFile{path: path})
	}
	return NewWith(cfg, Hidraw{})
}

// replayFile plays the recording of a file, read at the first connection
// attempt that finds it and kept from then on (reconnects play on).
type replayFile struct {
	path string
	mu   sync.Mutex
	r    *Replay
}

func (f *replayFile) replay() (*Replay, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.r == nil {
		r, err := LoadReplay(f.path)
		if err != nil {
			return nil, fmt.Errorf("usbhid-ups: %w", err)
		}
		f.r = r
	}
	return f.r, nil
}

// Devices lists the recorded device, reading the file first.
func (f *replayFile) Devices(ctx context.Context) ([]Device, error) {
	r, err := f.replay()
	if err != nil {
		return nil, err
	}
	return r.Devices(ctx)
}

// Open opens the recorded device.
func (f *replayFile) Open(ctx context.Context, d Device) (Transport, error) {
	r, err := f.replay()
	if err != nil {
		return nil, err
	}
	return r.Open(ctx, d)
}

// NewWith makes the driver with another way to find and open devices (a
// Replay in tests).
func NewWith(cfg driver.Config, o Opener) (*Driver, error) {
	opts, err := ParseOptions(cfg)
	if err != nil {
		return nil, err
	}
	return &Driver{name: cfg.Name, opts: opts, opener: o, wake: driver.NewWaker(), gap: 125 * time.Millisecond,
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
		if p := d.opts.Port; strings.HasPrefix(p, "/dev/") && !slices.ContainsFunc(devs, func(x Device) bool { return x.Path == p }) {
			var present []string
			for _, x := range devs {
				present = append(present, x.Path)
			}
			if len(present) == 0 {
				present = []string{"none"}
			}
			return nil, fmt.Errorf("%w: port %s is no HID device here (present: %s)", errNoDevice, p, strings.Join(present, ", "))
		}
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

// Connect finds, opens and reads the device (NUT's upsdrv_initups and
// its first walk), publishes what it read, and starts reading its Input
// reports. driver.Loop polls it every pollinterval (everything every
// pollfreq) and reconnects when a poll finds it gone; a reconnect takes
// the same device back with the state NUT keeps across one.
func (d *Driver) Connect(ctx context.Context, dev *device.Device) (driver.Schedule, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	s, err := d.connect(ctx)
	if err != nil {
		return driver.Schedule{}, err
	}
	d.s, d.prev, d.readErr = s, s, nil
	dev.SetHandler(d)
	s.publish(dev)
	if !d.opts.PollOnly && !s.noInterrupt {
		rctx, cancel := context.WithCancel(context.Background())
		d.stopReader = cancel
		d.readers.Add(1)
		go d.readInputs(rctx, s)
	}
	// Any failed poll is a device gone (errors of single items only skip
	// them): its data is stale and the driver connects again, as NUT's.
	return driver.Schedule{Interval: d.opts.PollInterval, FullEvery: d.opts.PollFreq, StaleAfter: 1, Reconnect: 1, Wake: d.wake}, nil
}

// Poll reads the device: the Quick rows for a Status poll (NUT's quick
// update), every row but the static ones for a Full poll, and the
// SemiStatic ones too after a write.
func (d *Driver) Poll(ctx context.Context, class driver.Class) (func(*device.Tx), error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	s := d.s
	if s == nil {
		return nil, errNoDevice
	}
	if d.readErr != nil {
		return nil, d.readErr
	}
	full := class == driver.Full || s.changed
	mode := walkQuick
	if full {
		mode = walkFull
		s.alarmBuf = nil
	}
	if err := s.walk(ctx, mode); err != nil {
		return nil, err
	}
	if full {
		s.changed = false
	}
	s.statusVars(full)
	return s.changes(), nil
}

// Close stops reading Input reports and closes the device.
func (d *Driver) Close() {
	d.mu.Lock()
	stop, s := d.stopReader, d.s
	d.s, d.stopReader = nil, nil
	d.mu.Unlock()
	if stop != nil {
		stop()
	}
	if s != nil {
		s.tr.Close() // ends a read in progress
	}
	d.readers.Wait()
}

// readInputs reads Input reports (NUT's interrupt pipe) until ctx ends or
// the device fails, applies each at once and asks the loop for a Status
// poll, so that a status change the UPS announces is published without
// waiting for the next poll.
func (d *Driver) readInputs(ctx context.Context, s *session) {
	defer d.readers.Done()
	size := s.interruptSize
	if size == 0 {
		size = 512
	}
	buf := make([]byte, size)
	for ctx.Err() == nil {
		n, err := s.tr.ReadInput(ctx, buf)
		switch {
		case ctx.Err() != nil, errors.Is(err, ErrNoReport):
			continue
		case err != nil:
			d.mu.Lock()
			d.readErr = err
			d.mu.Unlock()
			d.ask(driver.Status)
			return
		case n > 0:
			d.mu.Lock()
			if d.s == s {
				s.fileInput(buf[:n])
			}
			d.mu.Unlock()
			d.ask(driver.Status)
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
	d.ask(driver.Full)
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
	d.ask(driver.Full)
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

// ask asks the loop for a poll of a class now (a Full one after a
// write, so that it shows; a Status one after an Input report).
func (d *Driver) ask(c driver.Class) { d.wake.Ask(c) }
