// Package ipmipsu is the power-supply driver NUT calls nut-ipmipsu: one
// power supply of a server, read from its BMC — the local one, or over
// the network with IPMI 2.0 (RMCP+) or 1.5 — from the FRU (identity,
// rating) and the SDR sensors of its entity (state bits, input voltage
// and current). Instant commands drive the chassis power.
package ipmipsu

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bougou/go-ipmi/pkg/client"
	"github.com/bougou/go-ipmi/pkg/command/chassis"
	"github.com/bougou/go-ipmi/pkg/command/sensor"
	"github.com/bougou/go-ipmi/pkg/command/storage"
	"github.com/bougou/go-ipmi/pkg/types"

	"github.com/powerchain/powerchain/device"
	"github.com/powerchain/powerchain/driver"
	"github.com/powerchain/powerchain/nut"
)

func init() {
	driver.Register("nut-ipmipsu", New)
	driver.Register("ipmi-psu", New)
}

// DefaultPollInterval is NUT's driver default.
const DefaultPollInterval = 2 * time.Second

// IPMI codes this driver reads.
const (
	entityPowerSupply = 0x0a
	sensorVoltage     = 0x02
	sensorCurrent     = 0x03
	sensorPowerSupply = 0x08
	recordPowerSupply = 0x00 // FRU multirecord: power supply information
)

// Options are the ups.conf keys of the driver.
type Options struct {
	FRU          uint8  // port = idN
	Host         string // "" for the local BMC
	Port         int
	User, Pass   string
	CipherSuite  int    // RMCP+ cipher suite (default 3)
	AuthType     string // IPMI 1.5 (lan) when set: none, md2, md5, straight
	PollInterval time.Duration
	// ChassisControl must be "yes" for load.on/off/cycle to be offered:
	// they switch the whole server, not only this supply, and the users
	// who may send them must name them in upsd.users (ALL is not enough).
	ChassisControl bool
}

// ParseOptions reads port = idN[@HOST[:PORT]] and the other keys.
func ParseOptions(cfg driver.Config) (Options, error) {
	o := Options{CipherSuite: 3, PollInterval: DefaultPollInterval, Port: 623}
	id, host, remote := strings.Cut(cfg.Port, "@")
	n, err := strconv.Atoi(strings.TrimPrefix(strings.ToLower(id), "id"))
	if !strings.HasPrefix(strings.ToLower(id), "id") || err != nil || n < 0 || n > 254 {
		return o, driver.BadOption("port", fmt.Errorf("nut-ipmipsu: port %q: want idN or idN@HOST[:PORT] (N the FRU device ID)", cfg.Port))
	}
	o.FRU = uint8(n)
	if remote {
		h, p, err := net.SplitHostPort(host)
		if err != nil {
			h = strings.Trim(host, "[]")
		} else if o.Port, err = strconv.Atoi(p); err != nil || o.Port < 1 || o.Port > 65535 {
			return o, driver.BadOption("port", fmt.Errorf("nut-ipmipsu: port %q: bad UDP port", cfg.Port))
		}
		o.Host = h
	}
	get := func(k string) string { v, _ := cfg.Get(k); return v }
	o.User, o.Pass = get("username"), get("password")
	if s := get("cipher_suite"); s != "" {
		if o.CipherSuite, err = strconv.Atoi(s); err != nil || o.CipherSuite < 0 || o.CipherSuite > 17 {
			return o, driver.BadOption("cipher_suite", fmt.Errorf("nut-ipmipsu: cipher_suite %q: want 0-17", s))
		}
	}
	switch a := strings.ToLower(get("authtype")); a {
	case "", "none", "md2", "md5", "straight", "password":
		o.AuthType = a
	default:
		return o, driver.BadOption("authtype", fmt.Errorf("nut-ipmipsu: authtype %q: want none, md2, md5 or straight", a))
	}
	if s := get("pollinterval"); s != "" {
		secs, err := strconv.Atoi(s)
		if err != nil || secs < 1 {
			return o, driver.BadOption("pollinterval", fmt.Errorf("nut-ipmipsu: pollinterval %q: want a number of seconds", s))
		}
		o.PollInterval = time.Duration(secs) * time.Second
	}
	o.ChassisControl = strings.EqualFold(get("chassis_control"), "yes")
	if o.Host != "" && o.User == "" {
		return o, driver.BadOption("port", errors.New("nut-ipmipsu: a remote BMC needs username (and password)"))
	}
	return o, nil
}

// Driver reads one power supply.
type Driver struct {
	name string
	opts Options
	log  *slog.Logger

	mu     sync.Mutex
	c      *client.Client
	status *types.SDRFull // power-supply sensor
	volts  *types.SDRFull
	amps   *types.SDRFull
	wake   driver.Waker // a poll now, after a chassis command
}

// New makes the driver from its ups.conf section.
func New(cfg driver.Config) (driver.Driver, error) {
	o, err := ParseOptions(cfg)
	if err != nil {
		return nil, err
	}
	return &Driver{name: cfg.Name, opts: o, log: slog.With("device", cfg.Name, "driver", "nut-ipmipsu"),
		wake: driver.NewWaker()}, nil
}

func (d *Driver) connect(ctx context.Context) error {
	var c *client.Client
	var err error
	if d.opts.Host == "" {
		c, err = client.NewOpenClient()
	} else {
		c, err = client.NewClient(d.opts.Host, d.opts.Port, d.opts.User, d.opts.Pass)
		if err == nil {
			if d.opts.AuthType != "" {
				c.WithInterface(client.InterfaceLan)
			} else {
				c.WithInterface(client.InterfaceLanplus)
				c.WithCipherSuiteID(types.CipherSuiteID(d.opts.CipherSuite))
			}
			c.WithTimeout(2 * time.Second).WithRetry(1)
		}
	}
	if err != nil {
		return fmt.Errorf("nut-ipmipsu: %w", err)
	}
	if _, err := guard("session", func() (struct{}, error) { return struct{}{}, c.Connect(ctx) }); err != nil {
		return fmt.Errorf("nut-ipmipsu: BMC %s: %w", d.where(), err)
	}
	d.c = c
	return nil
}

func (d *Driver) where() string {
	if d.opts.Host == "" {
		return "local"
	}
	return net.JoinHostPort(d.opts.Host, strconv.Itoa(d.opts.Port))
}

// Connect opens a session with the BMC and reads the FRU and the SDRs
// once: identity, rating, and which sensors are the supply's.
func (d *Driver) Connect(ctx context.Context, dev *device.Device) (driver.Schedule, error) {
	d.mu.Lock()
	err := d.connect(ctx)
	d.mu.Unlock()
	if err != nil {
		return driver.Schedule{}, err
	}
	static, err := d.identify(ctx)
	if err != nil {
		d.Close()
		return driver.Schedule{}, err
	}
	dev.Update(func(tx *device.Tx) {
		tx.Set("device.type", "psu")
		for _, kv := range static {
			tx.Set(kv[0], kv[1])
		}
		if d.opts.ChassisControl {
			for _, c := range []string{"load.on", "load.off", "load.cycle"} {
				tx.AddCmd(c)
			}
		}
	})
	// Chassis power switches the whole server: a user must be given
	// these commands by name in upsd.users.
	dev.RequireExplicit("load.on", "load.off", "load.cycle")
	dev.SetHandler(d)
	return driver.Schedule{Interval: d.opts.PollInterval, Wake: d.wake}, nil
}

// Poll reads the sensors.
func (d *Driver) Poll(ctx context.Context, class driver.Class) (func(*device.Tx), error) {
	vals, err := d.poll(ctx)
	if err != nil {
		return nil, fmt.Errorf("BMC %s: %w", d.where(), err)
	}
	return func(tx *device.Tx) {
		for _, kv := range vals {
			if kv[1] == "" {
				tx.Delete(kv[0])
			} else {
				tx.Set(kv[0], kv[1])
			}
		}
	}, nil
}

// Close ends the session with the BMC.
func (d *Driver) Close() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.c != nil {
		guard("closing the session", func() (struct{}, error) { return struct{}{}, d.c.Close(context.Background()) })
	}
}

// maxSDRs bounds the walk of the SDR repository: a BMC's chain of next
// record IDs may be endless or loop.
const maxSDRs = 4096

// identify reads the FRU (identity, rating) and finds the supply's
// sensors through the FRU device locator record of its FRU ID.
func (d *Driver) identify(ctx context.Context) ([][2]string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := [][2]string{{"ups.id", strconv.Itoa(int(d.opts.FRU))}}
	data, err := guard("FRU data", func() ([]byte, error) { return d.c.GetFRUData(ctx, d.opts.FRU) })
	if err != nil {
		if e, ok := types.IsResponseError(err); !ok || e.CompletionCode() != types.CodeRequestedDataNotPresent {
			return nil, fmt.Errorf("nut-ipmipsu: FRU %d: %w", d.opts.FRU, err)
		}
	} else if vals, err := fruValues(data); err != nil {
		d.log.Warn("FRU data unreadable; identity and rating left out", "fru", d.opts.FRU, "err", err)
	} else {
		out = append(out, vals...)
	}
	sdrs, err := d.readSDRs(ctx)
	if err != nil {
		return nil, fmt.Errorf("nut-ipmipsu: reading the SDR repository: %w", err)
	}
	s, err := findSensors(sdrs, d.opts.FRU)
	if err != nil {
		return nil, fmt.Errorf("nut-ipmipsu: %w", err)
	}
	d.status, d.volts, d.amps = s.status, s.volts, s.amps
	d.log.Info("power supply found", "bmc", d.where(), "fru", d.opts.FRU, "entity", fmt.Sprintf("%d.%d", s.entity, s.instance))
	return out, nil
}

// readSDRs walks the SDR repository, at most maxSDRs records, each once;
// records it cannot parse are left out.
func (d *Driver) readSDRs(ctx context.Context) ([]*types.SDR, error) {
	var out []*types.SDR
	seen := map[uint16]bool{}
	for id := uint16(0); id != 0xffff; {
		if seen[id] {
			return nil, fmt.Errorf("record %#04x listed twice: the repository's chain loops", id)
		}
		if len(seen) == maxSDRs {
			return nil, fmt.Errorf("more than %d records", maxSDRs)
		}
		seen[id] = true
		res, err := guard("SDR", func() (*storage.GetSDRResponse, error) { return d.c.GetSDR(ctx, id) })
		if err != nil {
			return nil, fmt.Errorf("record %#04x: %w", id, err)
		}
		if sdr, err := parseSDR(res.RecordData, res.NextRecordID); err == nil {
			out = append(out, sdr)
		}
		id = res.NextRecordID
	}
	return out, nil
}

// parseSDR parses one SDR record.
func parseSDR(data []byte, next uint16) (*types.SDR, error) {
	return guard("SDR", func() (*types.SDR, error) { return types.ParseSDR(data, next) })
}

// fruValues reads a power supply's identity and rating from its FRU
// inventory data: the board area (the product area where the board has no
// value) and the power-supply information multirecord.
func fruValues(data []byte) ([][2]string, error) {
	fru, err := guard("FRU data", func() (*types.FRU, error) { return types.ParseFRU(data) })
	if err != nil {
		return nil, err
	}
	var out [][2]string
	add := func(name string, b []byte) {
		if v := strings.TrimSpace(driver.Printable(b)); v != "" && !has(out, name) {
			out = append(out, [2]string{name, v})
		}
	}
	if b := fru.BoardInfoArea; b != nil {
		add("device.mfr", b.Manufacturer)
		add("device.model", b.ProductName)
		add("device.serial", b.SerialNumber)
		add("device.part", b.PartNumber)
		if !b.MfgDateTime.IsZero() && b.MfgDateTime.Year() > 1996 {
			// NUT formats the board's date with strftime("%D - %T").
			out = append(out, [2]string{"device.mfr.date", b.MfgDateTime.UTC().Format("01/02/06 - 15:04:05")})
		}
	}
	if p := fru.ProductInfoArea; p != nil {
		add("device.mfr", p.Manufacturer)
		add("device.model", p.Name)
		add("device.serial", p.SerialNumber)
		add("device.part", p.PartModel)
	}
	for _, r := range fru.MultiRecords {
		if uint8(r.RecordType) == recordPowerSupply {
			out = append(out, psuRecord(r.RecordData)...)
		}
	}
	return out, nil
}

// psuRecord reads the rating from a power supply information multirecord
// (Platform Management FRU Information Storage Definition, 18.1).
func psuRecord(b []byte) [][2]string {
	if len(b) < 16 {
		return nil
	}
	var out [][2]string
	le := func(i int) int { return int(b[i]) | int(b[i+1])<<8 }
	if w := le(0) & 0x0fff; w > 0 {
		out = append(out, [2]string{"ups.realpower.nominal", strconv.Itoa(w)})
	}
	if v := le(6) / 100; v > 0 { // 10 mV units
		out = append(out, [2]string{"input.voltage.minimum", strconv.Itoa(v)})
	}
	if v := le(8) / 100; v > 0 {
		out = append(out, [2]string{"input.voltage.maximum", strconv.Itoa(v)})
	}
	if b[14] > 0 {
		out = append(out, [2]string{"input.frequency.low", strconv.Itoa(int(b[14]))})
	}
	if b[15] > 0 {
		out = append(out, [2]string{"input.frequency.high", strconv.Itoa(int(b[15]))})
	}
	return out
}

// sensors are a power supply's sensors: its entity and the full sensor
// records of its state, input voltage and input current.
type sensors struct {
	entity, instance    uint8
	status, volts, amps *types.SDRFull
}

// findSensors finds the sensors of a FRU's entity: the FRU device locator
// record of the FRU ID names the entity, whose full sensor records are
// the supply's.
func findSensors(sdrs []*types.SDR, fru uint8) (sensors, error) {
	s := sensors{entity: entityPowerSupply}
	found := false
	for _, r := range sdrs {
		if l := r.FRUDeviceLocator; l != nil && l.IsLogicalFRUDevice && l.FRUDeviceID_SlaveAddress == fru {
			s.entity, s.instance, found = uint8(l.FRUEntityID), uint8(l.FRUEntityInstance), true
		}
	}
	if !found {
		return s, fmt.Errorf("no FRU device locator record for FRU %d: cannot tell its sensors", fru)
	}
	for _, r := range sdrs {
		f := r.Full
		if f == nil || uint8(f.SensorEntityID) != s.entity || uint8(f.SensorEntityInstance) != s.instance {
			continue
		}
		switch uint8(f.SensorType) {
		case sensorPowerSupply:
			s.status = f
		case sensorVoltage:
			s.volts = f
		case sensorCurrent:
			s.amps = f
		}
	}
	if s.status == nil {
		return s, fmt.Errorf("FRU %d (entity %d.%d) has no power-supply sensor", fru, s.entity, s.instance)
	}
	return s, nil
}

// guard runs a call into go-ipmi, which may panic on malformed bytes from
// a BMC (fuzzing found such FRU data), and turns a panic into an error.
func guard[T any](what string, fn func() (T, error)) (v T, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%s: malformed reply from the BMC (%v)", what, p)
		}
	}()
	return fn()
}

func has(kvs [][2]string, k string) bool {
	for _, kv := range kvs {
		if kv[0] == k {
			return true
		}
	}
	return false
}

// poll reads the sensors; a value "" deletes the variable.
func (d *Driver) poll(ctx context.Context) ([][2]string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	r, err := guard("sensor reading", func() (*sensor.GetSensorReadingResponse, error) {
		return d.c.GetSensorReading(ctx, uint8(d.status.SensorNumber))
	})
	if err != nil {
		return nil, err
	}
	st := r.ActiveStates
	var status, alarms []string
	switch {
	case r.ReadingUnavailable || r.SensorScanningDisabled:
		return nil, errors.New("power-supply sensor reading unavailable")
	case !st.State_0:
		status, alarms = []string{"OFF"}, []string{"Power supply absent"}
	case st.State_1:
		status, alarms = []string{"OFF"}, []string{"Power supply failure detected"}
	case st.State_3 || st.State_4:
		status, alarms = []string{"OFF"}, []string{"Power supply input lost"}
	default:
		status = []string{"OL"}
	}
	if st.State_2 {
		alarms = append(alarms, "Predictive failure")
	}
	if st.State_5 {
		alarms = append(alarms, "Input out of range")
	}
	if st.State_6 {
		alarms = append(alarms, "Configuration error")
	}
	if len(alarms) > 0 && status[0] == "OL" {
		status = append(status, "ALARM")
	}
	out := [][2]string{{"ups.status", strings.Join(status, " ")}, {"ups.alarm", strings.Join(alarms, "; ")}}
	for _, s := range []struct {
		f    *types.SDRFull
		name string
	}{{d.volts, "input.voltage"}, {d.amps, "input.current"}} {
		if s.f == nil {
			continue
		}
		r, err := guard("sensor reading", func() (*sensor.GetSensorReadingResponse, error) {
			return d.c.GetSensorReading(ctx, uint8(s.f.SensorNumber))
		})
		if err != nil || r.ReadingUnavailable {
			out = append(out, [2]string{s.name, ""})
			continue
		}
		out = append(out, [2]string{s.name, fmt.Sprintf("%.2f", s.f.ConvertReading(r.Reading))})
	}
	return out, nil
}

// InstCmd switches the chassis: load.on, load.off, load.cycle.
func (d *Driver) InstCmd(ctx context.Context, name, param string) error {
	ctl := map[string]chassis.ChassisControl{"load.on": chassis.ChassisControlPowerUp,
		"load.off": chassis.ChassisControlPowerDown, "load.cycle": chassis.ChassisControlPowerCycle}
	c, ok := ctl[name]
	if !ok || !d.opts.ChassisControl {
		return nut.ErrCmdNotSupported
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, err := guard("chassis control", func() (*chassis.ChassisControlResponse, error) { return d.c.ChassisControl(ctx, c) }); err != nil {
		return fmt.Errorf("%s: chassis control: %w", name, err)
	}
	d.log.Warn("chassis power switched", "cmd", name, "bmc", d.where())
	d.wake.Ask(driver.Status)
	return nil
}

// SetVar: nothing of a power supply is writable.
func (d *Driver) SetVar(ctx context.Context, name, value string) error {
	return nut.ErrVarNotSupported
}
