// Package snmpups is the SNMP driver (NUT's snmp-ups) for UPSes, PDUs and
// ATSes. What each OID means comes from package mib; how a table is read
// (NUT 2.8.0's walk and value rules) from internal/snmputil's Table; this
// package connects, polls on the driver loop's schedule, publishes, and
// turns SET VAR and INSTCMD into SNMP SETs.
package snmpups

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gosnmp/gosnmp"

	"github.com/powerchain/powerchain/device"
	"github.com/powerchain/powerchain/driver"
	"github.com/powerchain/powerchain/internal/snmputil"
	"github.com/powerchain/powerchain/mib"
	"github.com/powerchain/powerchain/nut"
)

func init() { driver.Register("snmp-ups", New) }

// Defaults of NUT's snmp-ups.
const (
	DefaultPollInterval = 2 * time.Second
	DefaultPollFreq     = 30 * time.Second
	DefaultRetries      = 5
	DefaultTimeout      = time.Second
	// staleAfter failed polls in a row the data is marked stale (NUT's
	// snmp-ups counts the same).
	staleAfter = 3
	// maxOIDs per GET request.
	maxOIDs = 48
)

// Options are the ups.conf keys of the driver.
type Options struct {
	Host, Port   string
	Version      gosnmp.SnmpVersion
	Community    string
	V3           *snmputil.V3
	MIBs         string
	PollInterval time.Duration
	PollFreq     time.Duration
	Retries      int
	Timeout      time.Duration
	PollOnly     bool
}

// ParseOptions reads a ups.conf section's snmp-ups keys.
func ParseOptions(cfg driver.Config) (Options, error) {
	o := Options{Community: "public", MIBs: "auto", PollInterval: DefaultPollInterval, PollFreq: DefaultPollFreq,
		Retries: DefaultRetries, Timeout: DefaultTimeout, Version: gosnmp.Version1}
	if cfg.Port == "" {
		return o, driver.BadOption("port", errors.New("snmp-ups: no port (the agent's host[:port])"))
	}
	h, p, err := net.SplitHostPort(cfg.Port)
	if err != nil {
		h, p = strings.Trim(cfg.Port, "[]"), "161"
	}
	o.Host, o.Port = h, p
	get := func(k string) string { v, _ := cfg.Get(k); return v }
	switch v := get("snmp_version"); v {
	case "", "v1":
	case "v2c":
		o.Version = gosnmp.Version2c
	case "v3":
		o.Version = gosnmp.Version3
	default:
		return o, driver.BadOption("snmp_version", fmt.Errorf("snmp-ups: snmp_version %q: want v1, v2c or v3", v))
	}
	if c := get("community"); c != "" {
		o.Community = c
	}
	if m := get("mibs"); m != "" {
		o.MIBs = m
		if m != "auto" && mib.ByName(m) == nil {
			return o, driver.BadOption("mibs", fmt.Errorf("snmp-ups: mibs %q unknown (known: auto, %s)", m, strings.Join(mib.Names(), ", ")))
		}
	}
	secs := func(key string, dst *time.Duration) error {
		if s := get(key); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 {
				return driver.BadOption(key, fmt.Errorf("snmp-ups: %s %q: want a number of seconds", key, s))
			}
			*dst = time.Duration(n) * time.Second
		}
		return nil
	}
	for k, d := range map[string]*time.Duration{"pollinterval": &o.PollInterval, "pollfreq": &o.PollFreq, "snmp_timeout": &o.Timeout} {
		if err := secs(k, d); err != nil {
			return o, err
		}
	}
	if s := get("snmp_retries"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return o, driver.BadOption("snmp_retries", fmt.Errorf("snmp-ups: snmp_retries %q: want a number", s))
		}
		o.Retries = n
	}
	_, o.PollOnly = cfg.Get("pollonly")
	if o.Version == gosnmp.Version3 {
		o.V3 = &snmputil.V3{SecLevel: get("secLevel"), SecName: get("secName"), AuthProtocol: get("authProtocol"),
			AuthPassword: get("authPassword"), PrivProtocol: get("privProtocol"), PrivPassword: get("privPassword")}
		if err := o.V3.Apply(&gosnmp.GoSNMP{}); err != nil {
			return o, fmt.Errorf("snmp-ups: %w", err)
		}
	}
	return o, nil
}

// Driver polls one SNMP agent into one device.
type Driver struct {
	name string
	opts Options
	log  *slog.Logger

	mu    sync.Mutex // serialises use of conn and table
	conn  *gosnmp.GoSNMP
	mib   *mib.MIB
	table *snmputil.Table
	// published is what the device shows, so that a poll publishes
	// changes only; flagged the writable variables given their flags.
	published map[string]string
	flagged   map[string]bool
	bad       map[string]bool // variables whose unusable answer was logged
	cmds      map[string]snmputil.Command
	vars      map[string]snmputil.Writable
	wake      driver.Waker // a full poll now, after a SET or a trap
	traps     traps        // the agent's traps wake polls (trap.go)

	// Requests counts SNMP requests sent (GET, GETBULK/GETNEXT, SET).
	Requests int
}

// New makes the driver from its ups.conf section.
func New(cfg driver.Config) (driver.Driver, error) {
	o, err := ParseOptions(cfg)
	if err != nil {
		return nil, err
	}
	d := &Driver{name: cfg.Name, opts: o, log: slog.With("device", cfg.Name, "driver", "snmp-ups"), wake: driver.NewWaker()}
	if d.traps.listen, err = parseTraps(cfg); err != nil {
		return nil, err
	}
	return d, nil
}

func (d *Driver) connect(ctx context.Context) error {
	g := &gosnmp.GoSNMP{Target: d.opts.Host, Community: d.opts.Community, Version: d.opts.Version,
		Timeout: d.opts.Timeout, Retries: d.opts.Retries, MaxOids: maxOIDs, Context: ctx,
		ExponentialTimeout: false, MaxRepetitions: 24}
	port, err := strconv.Atoi(d.opts.Port)
	if err != nil {
		return fmt.Errorf("snmp-ups: port %q", d.opts.Port)
	}
	g.Port = uint16(port)
	if d.opts.V3 != nil {
		if err := d.opts.V3.Apply(g); err != nil {
			return fmt.Errorf("snmp-ups: %w", err)
		}
	}
	if err := g.Connect(); err != nil {
		return fmt.Errorf("snmp-ups: %s: %w", d.opts.Host, err)
	}
	d.conn = g
	return nil
}

// Connect opens the agent's socket and detects its table as NUT does
// (sysObjectID and model OID, else the first table whose model OID
// answers; NUT's mibs= option restricts the choice), or, for an agent
// without the model OID, by the table its sysObjectID names.
func (d *Driver) Connect(ctx context.Context, dev *device.Device) (driver.Schedule, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.connect(ctx); err != nil {
		return driver.Schedule{}, err
	}
	t, err := d.detect()
	if err != nil {
		d.conn.Conn.Close()
		return driver.Schedule{}, fmt.Errorf("no supported device yet: %w", err)
	}
	d.mib, d.table = t.MIB, t
	d.published, d.flagged, d.bad, d.cmds, d.vars = map[string]string{}, map[string]bool{}, map[string]bool{}, nil, nil
	d.log.Info("device detected", "mib", t.MIB.Name, "type", t.MIB.Type, "unit", t.Unit)
	dev.SetHandler(d)
	d.startTraps(ctx)
	return driver.Schedule{Interval: d.opts.PollInterval, FullEvery: d.opts.PollFreq, StaleAfter: staleAfter, Wake: d.wake}, nil
}

// detect picks the table and makes its reader: the daisy-chain unit,
// the outlets a walk lists where the table has no count.
func (d *Driver) detect() (*snmputil.Table, error) {
	m, sysOID, _, err := snmputil.Identify(d.conn, d.opts.MIBs, &d.Requests)
	if err != nil {
		return nil, err
	}
	if m == nil {
		return nil, fmt.Errorf("no mapping table matches this agent (sysObjectID %q; mibs=%s)", sysOID, d.opts.MIBs)
	}
	unit, err := snmputil.FindUnit(d.conn, m, &d.Requests)
	if err != nil {
		return nil, err
	}
	t := &snmputil.Table{MIB: m, Unit: unit}
	if m.OutletIndex != "" {
		bulk := d.opts.Version != gosnmp.Version1 && !d.opts.PollOnly
		outlets, err := snmputil.Numbers(d.conn, "", m.OutletIndex, bulk, &d.Requests)
		if err != nil {
			d.log.Warn("finding the outlets failed", "err", err)
		}
		t.Instances = map[mib.Kind][]int{mib.Outlets: outlets}
	}
	return t, nil
}

// Poll reads everything (Full) or the Fast variables (Status).
func (d *Driver) Poll(ctx context.Context, class driver.Class) (func(*device.Tx), error) {
	c := snmputil.Full
	if class == driver.Status {
		c = snmputil.Fast
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	r, err := d.table.Read(d.conn, c, &d.Requests)
	if err != nil {
		return nil, err
	}
	if r.Commands != nil {
		d.cmds = map[string]snmputil.Command{}
		for _, c := range r.Commands {
			d.cmds[c.Name] = c
		}
	}
	if class == driver.Full {
		d.vars = r.Writable
	}
	for _, u := range r.Unusable {
		if !d.bad[u.Name] {
			d.bad[u.Name] = true
			v := fmt.Sprint(u.Value)
			if b, ok := u.Value.([]byte); ok {
				v = strconv.Quote(string(b))
			}
			if len(v) > 64 {
				v = v[:64] + "…"
			}
			d.log.Warn("agent's value unusable; variable left out", "var", u.Name, "oid", u.OID, "type", u.Type.String(), "value", v)
		}
	}
	return d.publish(r, class == driver.Full), nil
}

// Close closes the agent's socket.
func (d *Driver) Close() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.conn != nil && d.conn.Conn != nil {
		d.conn.Conn.Close()
	}
	d.stopTraps()
}

// publish returns the update of the device from a reading: what changed,
// the flags and enumerations of writable variables, the commands (once).
func (d *Driver) publish(r *snmputil.Reading, full bool) func(*device.Tx) {
	changed := map[string]string{}
	if len(d.published) == 0 {
		changed["device.type"] = d.mib.Type
		changed["driver.version.data"] = d.mib.Name + " MIB " + d.mib.Version
	}
	for k, v := range r.Vars {
		if old, ok := d.published[k]; !ok || old != v {
			changed[k] = v
		}
	}
	changed["ups.status"] = r.Status
	if r.Alarm != "" {
		changed["ups.alarm"] = r.Alarm
	}
	_, hadAlarm := d.published["ups.alarm"]
	dropAlarm := r.Alarm == "" && hadAlarm
	if dropAlarm {
		delete(d.published, "ups.alarm")
	}
	if l := d.table.Instances[mib.Outlets]; len(l) > 0 && full {
		changed["outlet.count"] = strconv.Itoa(len(l))
	}
	for k, v := range changed {
		d.published[k] = v
	}
	var flag []snmputil.Writable
	var flagNames []string
	for name, w := range d.vars {
		if !d.flagged[name] {
			if _, shown := d.published[name]; shown {
				d.flagged[name] = true
				flag, flagNames = append(flag, w), append(flagNames, name)
			}
		}
	}
	var cmds []string
	if r.Commands != nil {
		for _, c := range r.Commands {
			cmds = append(cmds, c.Name)
		}
	}
	return func(tx *device.Tx) {
		for k, v := range changed {
			tx.Set(k, v)
		}
		if dropAlarm {
			tx.Delete("ups.alarm")
		}
		for i, w := range flag {
			name := flagNames[i]
			f := device.RW
			if w.Var.Set == mib.SetString {
				f |= device.String
				tx.SetAux(name, max(w.Var.Size, 1))
			}
			tx.SetFlags(name, f)
			for _, p := range w.Var.Lookup {
				tx.AddEnum(name, p.Text)
			}
		}
		for _, c := range cmds {
			tx.AddCmd(c)
		}
	}
}

// InstCmd sends the SET of a command: its value, or INSTCMD's parameter
// when given (which a command with mib.Arg needs); the agent's refusal
// is an error.
func (d *Driver) InstCmd(ctx context.Context, name, param string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	c, ok := d.cmds[name]
	if !ok {
		return nut.ErrCmdNotSupported
	}
	v := c.Cmd.Value
	switch {
	case param != "":
		n, err := strconv.ParseInt(strings.TrimSpace(param), 10, 64)
		if err != nil {
			return nut.ErrInvalidValue
		}
		v = n
	case c.Cmd.Is(mib.Arg):
		return nut.ErrInvalidValue
	}
	if err := d.set(c.OID, gosnmp.Integer, int(v)); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	d.repoll()
	return nil
}

// SetVar writes a variable as its table says (mib.SetType): text as an
// OCTET STRING, enumerations through their lookup, numbers unscaled,
// seconds as TimeTicks. The value is published at once (as NUT does),
// then everything is read again.
func (d *Driver) SetVar(ctx context.Context, name, value string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	t, ok := d.vars[name]
	if !ok {
		return nut.ErrVarNotSupported
	}
	var err error
	switch {
	case t.Var.Set == mib.SetString:
		err = d.set(t.OID, gosnmp.OctetString, value)
	case len(t.Var.Lookup) > 0:
		n, ok := t.Var.Lookup.Value(value)
		if !ok {
			return nut.ErrInvalidValue
		}
		err = d.set(t.OID, gosnmp.Integer, int(n))
	default:
		f, perr := strconv.ParseFloat(value, 64)
		if perr != nil {
			return nut.ErrInvalidValue
		}
		mult := t.Var.Mult
		if mult == 0 {
			mult = 1
		}
		if t.Var.Set == mib.SetTimeTicks {
			err = d.set(t.OID, gosnmp.TimeTicks, uint32(math.Round(f/mult))*100)
		} else {
			err = d.set(t.OID, gosnmp.Integer, int(math.Round(f/mult)))
		}
	}
	if err != nil {
		return fmt.Errorf("SET %s: %w", name, err)
	}
	d.table.Set(name, value)
	d.repoll()
	return nil
}

func (d *Driver) set(oid string, typ gosnmp.Asn1BER, v any) error {
	d.Requests++
	pkt, err := d.conn.Set([]gosnmp.SnmpPDU{{Name: oid, Type: typ, Value: v}})
	if err != nil {
		return err
	}
	if pkt.Error != gosnmp.NoError {
		return fmt.Errorf("agent refused SET %s: %s", oid, pkt.Error)
	}
	return nil
}

// repoll asks the loop for a full poll now, so a switched outlet or a
// written value shows.
func (d *Driver) repoll() { d.wake.Ask(driver.Full) }
