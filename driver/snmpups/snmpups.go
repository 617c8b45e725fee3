// Package snmpups is the SNMP driver (NUT's snmp-ups) for UPSes, PDUs and
// ATSes. What each OID means comes from package mib; this package polls,
// converts as NUT does, and turns SET VAR and INSTCMD into SNMP SETs.
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
		return o, errors.New("snmp-ups: no port (the agent's host[:port])")
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
		return o, fmt.Errorf("snmp-ups: snmp_version %q: want v1, v2c or v3", v)
	}
	if c := get("community"); c != "" {
		o.Community = c
	}
	if m := get("mibs"); m != "" {
		o.MIBs = m
		if m != "auto" && len(mib.ByName(m)) == 0 {
			return o, fmt.Errorf("snmp-ups: mibs %q unknown (known: auto, %s)", m, strings.Join(mib.Names(), ", "))
		}
	}
	secs := func(key string, dst *time.Duration) error {
		if s := get(key); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 {
				return fmt.Errorf("snmp-ups: %s %q: want a number of seconds", key, s)
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
			return o, fmt.Errorf("snmp-ups: snmp_retries %q: want a number", s)
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

	mu      sync.Mutex // serialises use of conn
	conn    *gosnmp.GoSNMP
	mib     *mib.MIB
	outlets []int
	groups  []int
	values  map[string]string // last values, for phases and statics
	bad     map[string]bool   // variables whose unusable answer was logged
	static  map[string]bool   // static entries already read
	cmds    map[string]cmdTarget
	vars    map[string]varTarget
	wake    chan driver.Class // a full poll now, after a SET

	// Requests counts SNMP requests sent (GET, GETBULK/GETNEXT, SET).
	Requests int
}

type cmdTarget struct {
	oid   string
	value int64
}

type varTarget struct {
	oid string
	v   mib.Var
}

// New makes the driver from its ups.conf section.
func New(cfg driver.Config) (driver.Driver, error) {
	o, err := ParseOptions(cfg)
	if err != nil {
		return nil, err
	}
	return &Driver{name: cfg.Name, opts: o, log: slog.With("device", cfg.Name, "driver", "snmp-ups"), wake: make(chan driver.Class, 1)}, nil
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

// Connect opens the agent's socket and detects its table: sysObjectID,
// then probe OIDs (NUT's mibs= option restricts the choice).
func (d *Driver) Connect(ctx context.Context, dev *device.Device) (driver.Schedule, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.connect(ctx); err != nil {
		return driver.Schedule{}, err
	}
	m, err := d.detect()
	if err != nil {
		d.conn.Conn.Close()
		return driver.Schedule{}, fmt.Errorf("no supported device yet: %w", err)
	}
	d.mib = m
	d.values, d.static, d.cmds, d.vars = map[string]string{}, map[string]bool{}, nil, nil
	d.outlets = d.findOutlets()
	d.groups = d.count(m.GroupCount)
	d.log.Info("device detected", "mib", m.Name, "type", m.Type, "outlets", len(d.outlets))
	dev.SetHandler(d)
	return driver.Schedule{Interval: d.opts.PollInterval, FullEvery: d.opts.PollFreq, StaleAfter: staleAfter, Wake: d.wake}, nil
}

// Poll reads everything (Full) or the status variables.
func (d *Driver) Poll(ctx context.Context, class driver.Class) (func(*device.Tx), error) {
	full := class == driver.Full
	d.mu.Lock()
	vals, err := d.poll(full)
	var cmds []string
	if err == nil && full {
		cmds = d.findCommands()
	}
	d.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return func(tx *device.Tx) { d.publish(tx, vals, full, cmds) }, nil
}

// Close closes the agent's socket.
func (d *Driver) Close() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.conn != nil && d.conn.Conn != nil {
		d.conn.Conn.Close()
	}
}

// detect picks the MIB (the mibs= option, sysObjectID, probe OIDs).
func (d *Driver) detect() (*mib.MIB, error) {
	m, sysOID, _, err := snmputil.Identify(d.conn, d.opts.MIBs, &d.Requests)
	if err != nil {
		return nil, err
	}
	if m == nil {
		return nil, fmt.Errorf("no mapping table matches this agent (sysObjectID %q; mibs=%s)", sysOID, d.opts.MIBs)
	}
	return m, nil
}

// findOutlets returns the outlet numbers: from the count OID, else from a
// walk of the index column.
func (d *Driver) findOutlets() []int {
	bulk := d.opts.Version != gosnmp.Version1 && !d.opts.PollOnly
	out, err := snmputil.Numbers(d.conn, d.mib.OutletCount, d.mib.OutletIndex, bulk, &d.Requests)
	if err != nil {
		d.log.Warn("finding the outlets failed", "err", err)
	}
	return out
}

// count reads a count OID and returns 1..n (none for absurd counts).
func (d *Driver) count(oid string) []int {
	out, _ := snmputil.Numbers(d.conn, oid, "", false, &d.Requests)
	return out
}

// entry is one variable of the table for one outlet (or none).
type entry struct {
	v    mib.Var
	name string
	oid  string
	dflt string
}

func expand(s string, n int) string { return strings.ReplaceAll(s, "%i", strconv.Itoa(n)) }

// entries lists the table's variables with templates expanded.
func (d *Driver) entries() []entry {
	var out []entry
	for _, v := range d.mib.Vars {
		if v.Flags&(mib.Outlet|mib.Group) == 0 {
			out = append(out, entry{v: v, name: v.Name, oid: v.OID, dflt: v.Default})
			continue
		}
		nums := d.outlets
		if v.Is(mib.Group) {
			nums = d.groups
		}
		for _, n := range nums {
			out = append(out, entry{v: v, name: expand(v.Name, n), oid: expand(v.OID, n), dflt: expand(v.Default, n)})
		}
	}
	return out
}

func (d *Driver) phaseOK(v mib.Var) bool {
	ph := func(name string) string {
		if p, ok := d.values[name]; ok {
			return p
		}
		return "1"
	}
	switch {
	case v.Is(mib.Input1):
		return ph("input.phases") == "1"
	case v.Is(mib.Input3):
		return ph("input.phases") == "3"
	case v.Is(mib.Output1):
		return ph("output.phases") == "1"
	case v.Is(mib.Output3):
		return ph("output.phases") == "3"
	}
	return true
}

// poll reads the table (all of it when full, else status and outlet
// states) and returns NUT variables.
func (d *Driver) poll(full bool) (map[string]string, error) {
	es := d.entries()
	var oids []string
	seen := map[string]bool{}
	want := func(e entry) bool {
		if e.oid == "" {
			return false
		}
		if e.v.Poll == mib.Once && d.static[e.name] {
			return false
		}
		return full || e.v.Poll == mib.Fast
	}
	for _, e := range es {
		if want(e) && !seen[e.oid] {
			seen[e.oid] = true
			oids = append(oids, e.oid)
		}
	}
	res, err := d.get(oids)
	if err != nil {
		return nil, err
	}
	vals := map[string]string{}
	var status []string
	hasStatus := false
	done := map[string]bool{} // Unique entries that answered
	// Phases first: entries depend on them.
	for _, n := range []string{"input.phases", "output.phases"} {
		for _, e := range es {
			if e.name == n {
				if s, ok := convert(e, res); ok {
					d.values[n] = s
				}
			}
		}
	}
	for _, e := range es {
		if !d.phaseOK(e.v) || done[e.name] {
			continue
		}
		if e.v.Is(mib.Status) {
			hasStatus = true
			if pdu, ok := res[e.oid]; ok {
				if n, ok := intValue(pdu); ok {
					if words, ok := e.v.Lookup.Text(n); ok {
						for _, w := range strings.Fields(words) {
							if !contains(status, w) {
								status = append(status, w)
							}
						}
					}
				}
			}
			continue
		}
		if e.oid != "" && !want(e) {
			continue
		}
		s, ok := convert(e, res)
		if pdu, answered := res[e.oid]; answered && !ok {
			d.unusable(e, pdu)
		}
		if !ok {
			if (e.oid == "" || e.v.Is(mib.Absent)) && e.dflt != "" {
				s, ok = e.dflt, true
			}
			if !ok {
				continue
			}
		}
		vals[e.name] = s
		if e.v.Is(mib.Unique) {
			done[e.name] = true
		}
	}
	if full || hasStatus {
		vals["ups.status"] = strings.Join(status, " ")
	}
	for k, v := range vals {
		d.values[k] = v
	}
	return vals, nil
}

// unusable logs, once per variable, an answer that cannot be converted
// (wrong type, out of range, marked invalid).
func (d *Driver) unusable(e entry, pdu gosnmp.SnmpPDU) {
	if d.bad == nil {
		d.bad = map[string]bool{}
	}
	if d.bad[e.name] {
		return
	}
	d.bad[e.name] = true
	v := fmt.Sprint(pdu.Value)
	if b, ok := pdu.Value.([]byte); ok {
		v = strconv.Quote(string(b))
	}
	if len(v) > 64 {
		v = v[:64] + "…"
	}
	d.log.Warn("agent's value unusable; variable left out", "var", e.name, "oid", e.oid, "type", pdu.Type.String(), "value", v)
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// convert turns an SNMP reading into a NUT value as snmp-ups does.
func convert(e entry, res map[string]gosnmp.SnmpPDU) (string, bool) {
	pdu, ok := res[e.oid]
	if !ok || e.oid == "" {
		return "", false
	}
	v := e.v
	if s, isStr := pdu.Value.([]byte); isStr {
		if !v.Is(mib.String) {
			n, err := strconv.ParseInt(strings.TrimSpace(string(s)), 10, 64)
			if err != nil {
				return "", false
			}
			return number(v, n)
		}
		return driver.Printable(s), true
	}
	if pdu.Type == gosnmp.ObjectIdentifier {
		oid := strings.TrimPrefix(fmt.Sprint(pdu.Value), ".")
		if v.Is(mib.String) {
			return oid, true
		}
		// Where a number belongs NUT reads the object the identifier
		// points to, else takes its last sub-identifier; the driver takes
		// the last sub-identifier.
		n, err := strconv.ParseInt(oid[strings.LastIndexByte(oid, '.')+1:], 10, 64)
		if err != nil {
			return "", false
		}
		return number(v, n)
	}
	n, ok := intValue(pdu)
	if !ok {
		return "", false
	}
	if v.Is(mib.String) {
		if t, ok := v.Lookup.Text(n); ok {
			return t, true
		}
		return strconv.FormatInt(n, 10), true
	}
	return number(v, n)
}

func number(v mib.Var, n int64) (string, bool) {
	if v.Is(mib.NegInvalid) && n < 0 || v.Is(mib.ZeroInvalid) && n == 0 {
		return "", false
	}
	if t, ok := v.Lookup.Text(n); ok {
		return t, true
	}
	mult := v.Mult
	if mult == 0 {
		mult = 1
	}
	f := float64(n) * mult
	if v.Decimals > 0 {
		return strconv.FormatFloat(f, 'f', v.Decimals, 64), true
	}
	if f == math.Trunc(f) && math.Abs(f) < 1<<31 {
		return strconv.FormatInt(int64(f), 10), true
	}
	return strconv.FormatFloat(float64(float32(f)), 'f', 2, 32), true
}

// intValue reads an integer-like PDU; TimeTicks become seconds.
func intValue(p gosnmp.SnmpPDU) (int64, bool) {
	switch p.Type {
	case gosnmp.Integer, gosnmp.Gauge32, gosnmp.Counter32, gosnmp.Uinteger32, gosnmp.Counter64:
		b := gosnmp.ToBigInt(p.Value)
		if !b.IsInt64() {
			return 0, false
		}
		return b.Int64(), true
	case gosnmp.TimeTicks:
		return gosnmp.ToBigInt(p.Value).Int64() / 100, true
	case gosnmp.OctetString:
		s, _ := p.Value.([]byte)
		n, err := strconv.ParseInt(strings.TrimSpace(string(s)), 10, 64)
		return n, err == nil
	}
	return 0, false
}

// get reads OIDs in multi-OID requests and returns those that exist.
func (d *Driver) get(oids []string) (map[string]gosnmp.SnmpPDU, error) {
	return snmputil.Get(d.conn, oids, maxOIDs, &d.Requests)
}

// publish writes a poll's values into the device, and the commands
// found (once).
func (d *Driver) publish(tx *device.Tx, vals map[string]string, full bool, cmds []string) {
	if full && !d.static["device.type"] {
		tx.Set("device.type", d.mib.Type)
		tx.Set("driver.version.data", d.mib.Name+" MIB "+d.mib.Version)
		d.static["device.type"] = true
	}
	for _, e := range d.entries() {
		val, ok := vals[e.name]
		if !ok {
			continue
		}
		tx.Set(e.name, val)
		if e.v.Poll == mib.Once {
			d.static[e.name] = true
		}
		if e.v.Writable() {
			f := device.RW
			if e.v.Is(mib.String) && len(e.v.Lookup) == 0 {
				f |= device.String
				tx.SetAux(e.name, max(e.v.Size, 1))
			}
			tx.SetFlags(e.name, f)
			for _, p := range e.v.Lookup {
				tx.AddEnum(e.name, p.Text)
			}
		}
	}
	if s, ok := vals["ups.status"]; ok {
		tx.Set("ups.status", s)
	}
	if len(d.outlets) > 0 && d.mib.OutletCount == "" {
		tx.Set("outlet.count", strconv.Itoa(len(d.outlets)))
	}
	// NUT copies the UPS identity to device.* for UPSes.
	for _, k := range []string{"mfr", "model", "serial"} {
		if v, ok := vals["ups."+k]; ok {
			tx.Set("device."+k, v)
		}
	}
	for _, c := range cmds {
		tx.AddCmd(c)
	}
}

// findCommands checks, once, which of the table's instant commands the
// agent has OIDs for, and returns them; d.mu is held.
func (d *Driver) findCommands() []string {
	if d.cmds != nil {
		return nil
	}
	type named struct {
		name string
		t    cmdTarget
	}
	var list []named
	for _, c := range d.mib.Cmds {
		if c.Flags&(mib.Outlet|mib.Group) != 0 {
			nums := d.outlets
			if c.Is(mib.Group) {
				nums = d.groups
			}
			for _, n := range nums {
				list = append(list, named{expand(c.Name, n), cmdTarget{expand(c.OID, n), c.Value}})
			}
		} else {
			list = append(list, named{c.Name, cmdTarget{c.OID, c.Value}})
		}
	}
	var all []string
	for _, c := range list {
		all = append(all, c.t.oid)
	}
	have, err := d.get(all)
	if err != nil {
		d.log.Warn("checking commands failed", "err", err)
		return nil
	}
	d.cmds, d.vars = map[string]cmdTarget{}, map[string]varTarget{}
	var out []string
	for _, c := range list {
		if _, ok := have[c.t.oid]; ok {
			d.cmds[c.name] = c.t
			out = append(out, c.name)
		}
	}
	for _, e := range d.entries() {
		if e.v.Writable() && e.oid != "" {
			d.vars[e.name] = varTarget{oid: e.oid, v: e.v}
		}
	}
	return out
}

// InstCmd sends the SET of a command; the agent's refusal is an error.
func (d *Driver) InstCmd(ctx context.Context, name, param string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	t, ok := d.cmds[name]
	if !ok {
		return nut.ErrCmdNotSupported
	}
	if err := d.set(t.oid, gosnmp.Integer, int(t.value)); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	d.repoll()
	return nil
}

// SetVar writes a variable as its table says (mib.SetType): text as an
// OCTET STRING, enumerations through their lookup, numbers unscaled.
func (d *Driver) SetVar(ctx context.Context, name, value string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	t, ok := d.vars[name]
	if !ok {
		return nut.ErrVarNotSupported
	}
	var err error
	switch {
	case t.v.Set == mib.SetString:
		err = d.set(t.oid, gosnmp.OctetString, value)
	case len(t.v.Lookup) > 0:
		n, ok := t.v.Lookup.Value(value)
		if !ok {
			return nut.ErrInvalidValue
		}
		err = d.set(t.oid, gosnmp.Integer, int(n))
	default:
		f, perr := strconv.ParseFloat(value, 64)
		if perr != nil {
			return nut.ErrInvalidValue
		}
		mult := t.v.Mult
		if mult == 0 {
			mult = 1
		}
		err = d.set(t.oid, gosnmp.Integer, int(math.Round(f/mult)))
	}
	if err != nil {
		return fmt.Errorf("SET %s: %w", name, err)
	}
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
func (d *Driver) repoll() {
	select {
	case d.wake <- driver.Full:
	default:
	}
}
