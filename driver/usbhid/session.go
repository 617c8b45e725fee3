package usbhid

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"time"

	"github.com/powerchain/powerchain/device"
	"github.com/powerchain/powerchain/driver"
	"github.com/powerchain/powerchain/hid"
	"github.com/powerchain/powerchain/nut"
)

// dvar is one variable as the driver keeps it (NUT's dstate).
type dvar struct {
	value string
	flags device.Flag
	aux   int
	enum  []string
}

// bound is a row with the field its path resolved to (nil: not on this
// device, or a later alternative of a name an earlier row gave).
type bound struct {
	row   *Row
	field *hid.Field
	tried bool // resolution attempted
}

// report is a buffered report, the walk it was read in, and how long
// the device's last answer was.
type report struct {
	buf    []byte
	gen    uint64
	answer int
}

// session is one opened device and the driver's state for it: what
// NUT's usbhid-ups keeps in its globals.
type session struct {
	opts   *Options
	sub    *Subdriver
	tr     Transport
	dev    Device
	raw    []byte // the report descriptor as read
	desc   *hid.Descriptor
	tables []hid.Names
	rows   []bound
	log    *slog.Logger

	reports map[uint8]*report
	gen     uint64 // walk generation; a report of this generation is fresh

	vars        map[string]*dvar
	deleted     map[string]bool // deleted since the last publish
	cmds        map[string]bool
	status      status
	alarmBuf    []string
	alarmActive bool
	changed     bool // a write happened: SEMI_STATIC rows are read again
	// gap is the pause between the two writes of a composite command.
	gap time.Duration

	// Quirks the subdriver's Setup sets.
	noInterrupt   bool
	interruptOnly bool
	interruptSize int
	maxReport     bool
	skipReport    map[uint8]bool
	state         any
}

// Conv is what conversions, quirks and formats see of the device they
// work for.
type Conv struct{ s *session }

// Device returns the USB device.
func (c *Conv) Device() *Device { return &c.s.dev }

// Listed reports whether the device's vendor:product is in the
// subdriver's USB table (not only its vendor).
func (c *Conv) Listed() bool {
	return c.s.sub.support(c.s.dev.Vendor, c.s.dev.Product) == Supported
}

// State returns the subdriver's state (Subdriver.NewState).
func (c *Conv) State() any { return c.s.state }

// Get returns a variable's value.
func (c *Conv) Get(name string) (string, bool) {
	v, ok := c.s.vars[name]
	if !ok {
		return "", false
	}
	return v.value, true
}

// Set sets a variable.
func (c *Conv) Set(name, value string) { c.s.set(name, value) }

// Delete removes a variable.
func (c *Conv) Delete(name string) { c.s.del(name) }

// String returns a USB string descriptor; "" (and true) when the device
// does not give it, as NUT publishes an empty string then.
func (c *Conv) String(index int) (string, bool) {
	if index < 0 || index > 255 {
		return "", false
	}
	s, err := c.s.tr.String(context.Background(), index)
	if err != nil {
		return "", true
	}
	return driver.Printable([]byte(strings.TrimRight(s, "\n"))), true
}

// ItemValue reads the value at a path (NUT's HIDGetItemValue).
func (c *Conv) ItemValue(path string) (float64, bool) {
	f := c.s.resolve(path)
	if f == nil {
		return 0, false
	}
	v, err := c.s.read(context.Background(), f)
	return v, err == nil
}

// ItemString reads the string whose index is at a path ("" when there
// is none).
func (c *Conv) ItemString(path string) string {
	v, ok := c.ItemValue(path)
	if !ok {
		return ""
	}
	s, _ := c.String(int(v))
	return s
}

// Report returns the buffered bytes of a report: the last read or
// received, zeros when there was none (ReportLen bytes, the ID first).
func (c *Conv) Report(id uint8) []byte {
	if r := c.s.reports[id]; r != nil {
		return r.buf
	}
	b := make([]byte, c.s.desc.ReportLen(id))
	b[0] = id
	return b
}

// Status reports whether a status word's bit is set.
func (c *Conv) Status(word string) bool {
	b, ok := statusNames[word]
	return ok && c.s.status&b != 0
}

func (s *session) set(name, value string) {
	v := s.vars[name]
	if v == nil {
		v = &dvar{}
		s.vars[name] = v
	}
	v.value = value
	delete(s.deleted, name)
}

func (s *session) del(name string) {
	if _, ok := s.vars[name]; ok {
		delete(s.vars, name)
		s.deleted[name] = true
	}
}

// resolve finds the field of a row's path: the first Feature field the
// path begins (Input with interruptonly).
func (s *session) resolve(path string) *hid.Field {
	p, err := hid.ParsePath(path, s.tables...)
	if err != nil {
		return nil
	}
	kind := hid.Feature
	if s.interruptOnly {
		kind = hid.Input
	}
	return s.desc.Find(p, kind)
}

// errSkip: this item failed to read this time (stall, timeout); the
// walk goes on.
var errSkip = errors.New("usbhid: item not read")

// refresh makes the buffered report of a field current, reading it
// unless it was read (or arrived as an Input report) in this walk.
func (s *session) refresh(ctx context.Context, f *hid.Field) (*report, error) {
	r := s.reports[f.ReportID]
	if r == nil {
		r = &report{buf: make([]byte, s.desc.ReportLen(f.ReportID))}
		r.buf[0] = f.ReportID
		s.reports[f.ReportID] = r
	}
	if s.interruptOnly || r.gen == s.gen {
		return r, nil
	}
	n := len(r.buf)
	if s.maxReport && n < 64 {
		n = 64
	}
	buf := make([]byte, n)
	buf[0] = f.ReportID
	got, err := s.tr.GetFeature(ctx, buf)
	if err != nil {
		if errors.Is(err, ErrGone) {
			return nil, err
		}
		s.log.Debug("report not read", "report", fmt.Sprintf("0x%02x", f.ReportID), "err", err)
		return nil, errSkip
	}
	if got <= 0 {
		return nil, errSkip
	}
	copy(r.buf, buf[:min(got, n)])
	r.buf[0] = f.ReportID
	r.gen, r.answer = s.gen, got
	return r, nil
}

// read returns a field's value in physical units.
func (s *session) read(ctx context.Context, f *hid.Field) (float64, error) {
	r, err := s.refresh(ctx, f)
	if err != nil {
		return 0, err
	}
	return f.Value(r.buf), nil
}

// write sets a field to a value and sends its whole report (the other
// fields as last read), then lets every report be read again.
func (s *session) write(ctx context.Context, f *hid.Field, v float64) error {
	if f.Flags == hid.Constant {
		return fmt.Errorf("usbhid: %s is a constant", hid.FormatPath(f.Path, s.tables...))
	}
	r := s.reports[f.ReportID]
	if r == nil {
		r = &report{buf: make([]byte, s.desc.ReportLen(f.ReportID))}
		r.buf[0] = f.ReportID
		s.reports[f.ReportID] = r
	}
	f.Put(r.buf, v)
	// Send as many bytes as the device's reads give, when they are fewer
	// than the descriptor makes the report (some descriptors declare
	// padding the firmware never sends), but all that the field needs.
	n := len(r.buf)
	if r.answer > 0 && r.answer < n {
		n = max(r.answer, (f.Offset+f.Size+7)/8+1)
	}
	if err := s.tr.SetFeature(ctx, r.buf[:n]); err != nil {
		return err
	}
	for _, r := range s.reports {
		r.gen = 0
	}
	return nil
}

// fileInput stores an Input report and applies every Input field of it
// that a row maps (through the row's Feature field of the same path, or
// the Input field itself).
func (s *session) fileInput(buf []byte) {
	if len(buf) == 0 {
		return
	}
	if !s.desc.NumberedReports {
		buf = append([]byte{0}, buf...)
	}
	id := buf[0]
	r := s.reports[id]
	if r == nil {
		r = &report{buf: make([]byte, s.desc.ReportLen(id))}
		s.reports[id] = r
	}
	copy(r.buf, buf)
	r.gen = s.gen + 1 // fresh for the next walk
	for i := range s.desc.Fields {
		in := &s.desc.Fields[i]
		if in.ReportID != id || in.Kind != hid.Input {
			continue
		}
		target := s.desc.Find(in.Path, hid.Feature)
		if s.interruptOnly {
			target = s.desc.Find(in.Path, hid.Input)
		} else if target == nil {
			target = s.desc.Find(in.Path, hid.Input)
		}
		if target == nil {
			continue
		}
		for j := range s.rows {
			b := &s.rows[j]
			if b.field == target && b.row.Kind != Server {
				s.apply(b.row, in.Value(buf))
				break
			}
		}
	}
}

// apply turns a value into what its row publishes; false when nothing
// was (the lookup had no answer, or the row feeds status or alarms).
func (s *session) apply(row *Row, v float64) bool {
	c := &Conv{s}
	if row.Lookup != nil {
		text, ok := row.Lookup.Text(c, v)
		if !ok {
			return false
		}
		switch row.Kind {
		case Status:
			s.status.apply(text)
			return false
		case Alarm:
			s.alarmBuf = append(s.alarmBuf, text)
			return false
		}
		s.set(row.Name, text)
		return true
	}
	if row.Kind == Status || row.Kind == Alarm {
		return false
	}
	s.set(row.Name, cformat(row.Format, v))
	return true
}

// cformat prints a number with a row's printf verb.
func cformat(format string, v float64) string {
	if format == "" || format == "%s" {
		format = "%.0f"
	}
	return fmt.Sprintf(format, v)
}

type walkMode int

const (
	walkInit walkMode = iota
	walkQuick
	walkFull
)

// walk reads the rows of a mode, as NUT's hid_ups_walk does.
func (s *session) walk(ctx context.Context, mode walkMode) error {
	s.gen++
	for i := range s.rows {
		b := &s.rows[i]
		row := b.row
		switch mode {
		case walkInit:
			if !b.tried {
				b.tried = true
				b.field = s.resolve(row.Path)
				if b.field == nil {
					continue
				}
				if row.Kind == Server {
					if _, ok := s.vars[row.Name]; !ok {
						s.set(row.Name, row.Format)
						s.flags(row)
					}
					continue
				}
				if row.Kind == Var {
					if _, ok := s.vars[row.Name]; ok {
						b.field = nil // an earlier alternative gave it
						continue
					}
				}
			}
			if b.field == nil || row.Kind == Server {
				continue
			}
		case walkQuick:
			if b.field == nil || row.Flags&Quick == 0 {
				continue
			}
		case walkFull:
			if b.field == nil || row.Kind == Server || row.Kind == Cmd || row.Flags&Static != 0 {
				continue
			}
			if row.Flags&SemiStatic != 0 && !s.changed {
				continue
			}
		}
		if s.skipReport[b.field.ReportID] {
			continue
		}
		v, err := s.read(ctx, b.field)
		if errors.Is(err, ErrGone) {
			return err
		}
		if err != nil {
			continue
		}
		if row.Kind == Cmd {
			s.cmds[row.Name] = true
			continue
		}
		if !s.apply(row, v) || mode != walkInit {
			continue
		}
		s.flags(row)
		if row.Flags&Enum != 0 && row.Flags&RW != 0 && row.Lookup != nil {
			c := &Conv{s}
			for _, p := range row.Lookup.Pairs {
				if _, ok := row.Lookup.Text(c, float64(p.Value)); ok {
					s.addEnum(row.Name, p.Text)
				}
			}
		}
	}
	return nil
}

// flags sets a row's variable flags and string length.
func (s *session) flags(row *Row) {
	v := s.vars[row.Name]
	if v == nil {
		return
	}
	v.flags = 0
	if row.Flags&RW != 0 {
		v.flags |= device.RW
	}
	if row.Flags&String != 0 {
		v.flags |= device.String
		v.aux = row.Len
	}
	if row.Flags&Number != 0 {
		v.flags |= device.Number
	}
}

func (s *session) addEnum(name, value string) {
	v := s.vars[name]
	for _, e := range v.enum {
		if e == value {
			return
		}
	}
	v.enum = append(v.enum, value)
}

// statusVars derives ups.status, input.transfer.reason and, on full
// updates, ups.alarm from the status bits and the alarm rows.
func (s *session) statusVars(full bool) {
	if r := s.status.transferReason(); r != "" {
		s.set("input.transfer.reason", r)
	} else {
		s.del("input.transfer.reason")
	}
	if full {
		alarms := append(s.alarmBuf, s.status.alarms()...)
		s.alarmBuf = nil
		if len(alarms) > 0 {
			s.set("ups.alarm", strings.Join(alarms, " "))
			s.alarmActive = true
		} else {
			s.del("ups.alarm")
			s.alarmActive = false
		}
	}
	words := s.status.words(s.opts.OnlineDischarge)
	if s.alarmActive {
		words = append([]string{"ALARM"}, words...)
	}
	s.set("ups.status", strings.Join(words, " "))
}

// findRow returns the first bound row of a name (variable or command),
// ignoring case, as NUT's find_nut_info does.
func (s *session) findRow(name string) *bound {
	for i := range s.rows {
		b := &s.rows[i]
		if b.field != nil && strings.EqualFold(b.row.Name, name) {
			return b
		}
	}
	return nil
}

// instCmd runs an instant command.
func (s *session) instCmd(ctx context.Context, name, param string, hasParam bool) error {
	switch strings.ToLower(name) {
	case "beeper.off":
		return s.instCmd(ctx, "beeper.disable", "", false)
	case "beeper.on":
		return s.instCmd(ctx, "beeper.enable", "", false)
	}
	b := s.findRow(name)
	if b == nil {
		return s.composite(ctx, strings.ToLower(name))
	}
	if b.row.Kind != Cmd {
		return nut.ErrCmdNotSupported
	}
	val := b.row.Format
	if hasParam {
		val = param
	}
	var v float64
	if b.row.Lookup != nil {
		v = b.row.Lookup.Value(&Conv{s}, val)
	} else {
		v = float64(atol(val))
	}
	if err := s.write(ctx, b.field, v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	s.changed = true
	return nil
}

// composite runs the commands NUT builds from others when the table has
// no row of that name.
func (s *session) composite(ctx context.Context, name string) error {
	get := func(n string) (string, bool) { v, ok := s.vars[n]; return valueOf(v), ok }
	switch name {
	case "load.on":
		return s.instCmd(ctx, "load.on.delay", "0", true)
	case "load.off":
		return s.instCmd(ctx, "load.off.delay", "0", true)
	case "shutdown.return", "shutdown.stayoff":
		auto, start := "yes", ""
		if name == "shutdown.stayoff" {
			auto, start = "no", "-1"
		}
		if _, ok := s.vars["ups.start.auto"]; ok {
			_ = s.setVar(ctx, "ups.start.auto", auto)
		}
		var err error
		if start != "" {
			err = s.instCmd(ctx, "load.on.delay", start, true)
		} else {
			v, ok := get("ups.delay.start")
			err = s.instCmd(ctx, "load.on.delay", v, ok)
		}
		if err != nil {
			return err
		}
		// Some units refuse commands that come too fast (NUT waits too).
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(s.gap):
		}
		v, ok := get("ups.delay.shutdown")
		return s.instCmd(ctx, "load.off.delay", v, ok)
	}
	return nut.ErrCmdNotSupported
}

func valueOf(v *dvar) string {
	if v == nil {
		return ""
	}
	return v.value
}

// setVar writes a variable.
func (s *session) setVar(ctx context.Context, name, value string) error {
	b := s.findRow(name)
	if b == nil || b.row.Flags&RW == 0 {
		return nut.ErrVarNotSupported
	}
	if b.row.Kind == Server {
		s.set(b.row.Name, value)
		return nil
	}
	var v float64
	if b.row.Lookup != nil {
		v = b.row.Lookup.Value(&Conv{s}, value)
	} else {
		v = float64(atol(value))
	}
	if err := s.write(ctx, b.field, v); err != nil {
		return fmt.Errorf("SET %s: %w", name, err)
	}
	s.changed = true
	return nil
}

// atol reads a leading integer as C's atol does ("20s" is 20, "x" is 0).
func atol(s string) int64 {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	var n int64
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n
}

// changes returns the driver's variables and commands as a change to a
// device, taken now (the session may change before it is applied).
func (s *session) changes() func(*device.Tx) {
	type v struct {
		name string
		dvar
	}
	vars := make([]v, 0, len(s.vars))
	for n, x := range s.vars {
		vars = append(vars, v{n, dvar{x.value, x.flags, x.aux, append([]string(nil), x.enum...)}})
	}
	sort.Slice(vars, func(i, j int) bool { return vars[i].name < vars[j].name })
	deleted := make([]string, 0, len(s.deleted))
	for n := range s.deleted {
		deleted = append(deleted, n)
	}
	clear(s.deleted)
	cmds := make([]string, 0, len(s.cmds))
	for c := range s.cmds {
		cmds = append(cmds, c)
	}
	return func(tx *device.Tx) {
		for _, n := range deleted {
			tx.Delete(n)
		}
		for _, x := range vars {
			tx.Set(x.name, x.value)
			if x.flags != 0 {
				tx.SetFlags(x.name, x.flags)
			}
			if x.aux != 0 {
				tx.SetAux(x.name, x.aux)
			}
			for _, e := range x.enum {
				tx.AddEnum(x.name, e)
			}
		}
		for _, c := range cmds {
			tx.AddCmd(c)
		}
	}
}

// publish writes the driver's variables and commands to the device.
func (s *session) publish(dev *device.Device) { dev.Update(s.changes()) }
