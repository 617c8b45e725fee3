// Package dummy is the dummy-ups driver: it plays NUT simulation files
// (.dev: a upsc dump; .seq: a sequence with TIMER pauses) as NUT's
// dummy-ups 2.8.0 does — the same variables, types, writable variables
// and instant commands — and lets clients change every variable with SET
// VAR. Beyond NUT, and only with "simulate_switching" in its ups.conf
// section, it simulates switching: outlets follow outlet.N.load.off|on|cycle
// and the whole device follows load.off|on.
package dummy

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/powerchain/powerchain/device"
	"github.com/powerchain/powerchain/driver"
	"github.com/powerchain/powerchain/internal/parseconf"
	"github.com/powerchain/powerchain/nut"
)

func init() {
	driver.Register("dummy-ups", New)
	// nut-scanner writes NUT servers' devices as driver "nutclient": the
	// repeater serves them.
	driver.Register("nutclient", func(cfg driver.Config) (driver.Driver, error) {
		if !strings.Contains(cfg.Port, "@") {
			return nil, driver.BadOption("port", errors.New("nutclient: port must be ups@host[:port]"))
		}
		return New(cfg)
	})
}

// Mode is how the simulation file is played.
type Mode string

// The modes of NUT's dummy-ups.
const (
	Once Mode = "dummy-once" // play to the end, then re-read when the file changes
	Loop Mode = "dummy-loop" // play again from the start at the end
)

// Step is one line of a simulation file: a variable and its value, or a
// TIMER pause.
type Step struct {
	Name  string
	Value string
	// NoValue marks a line with a name but no value. NUT 2.8.0's dummy-ups
	// then reuses the value of the line before (its buffer is not reset),
	// and we do the same so that dumps read identically.
	NoValue bool
	Pause   time.Duration // for TIMER lines
	Line    int
}

// maxValueLen is the longest value NUT's dummy-ups keeps from a file line
// (its 128-byte buffer, terminator included).
const maxValueLen = 127

// Bounds on a simulation file: a port may name anything (/dev/zero, a
// file another program keeps growing); what is larger is refused.
const (
	MaxFileSize = 1 << 20 // bytes
	MaxLineLen  = 4096    // bytes per physical line
)

// ParseSim reads a .dev or .seq file as NUT's dummy-ups does: words split
// by NUT's parser, "name:" first, the value the other words joined by one
// space, driver.* skipped, "TIMER n" a pause of n seconds. A line longer
// than MaxLineLen or more than driver.MaxVars variables is an error
// ("line N: …").
func ParseSim(src []byte) ([]Step, error) {
	if len(src) > MaxFileSize {
		return nil, fmt.Errorf("larger than %d bytes", MaxFileSize)
	}
	for n, rest := 1, src; len(rest) > 0; n++ {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			i = len(rest)
		}
		if i > MaxLineLen {
			return nil, fmt.Errorf("line %d: longer than %d bytes", n, MaxLineLen)
		}
		rest = rest[min(i+1, len(rest)):]
	}
	var steps []Step
	names := map[string]bool{}
	for _, l := range parseconf.Tokenize(src) {
		if l.Err != "" || len(l.Args) == 0 {
			continue
		}
		a := l.Args
		if strings.HasPrefix(a[0], "TIMER") {
			n := 0
			if len(a) > 1 {
				n = nut.Atoi(a[1])
			}
			steps = append(steps, Step{Pause: time.Duration(n) * time.Second, Line: l.Num})
			continue
		}
		name, _, _ := strings.Cut(a[0], ":")
		if strings.HasPrefix(name, "driver.") {
			continue
		}
		if !names[name] {
			if len(names) == driver.MaxVars {
				return nil, fmt.Errorf("line %d: more than %d variables", l.Num, driver.MaxVars)
			}
			names[name] = true
		}
		v := strings.Join(a[1:], " ")
		if len(v) > maxValueLen && name != "ups.status" {
			v = v[:maxValueLen]
		}
		steps = append(steps, Step{Name: name, Value: v, NoValue: len(a) == 1, Line: l.Num})
	}
	return steps, nil
}

// varType is what NUT's dummy-ups knows of a variable: string (with a
// maximum length) or number. Unknown variables are strings of 32. NUT
// looks names up ignoring case.
type varType struct {
	str bool
	len int
}

// knownVars are the variables NUT's dummy-ups 2.8.0 declares, with their
// types (drivers/dummy-ups.h). Its table has ups.serial twice, as a string
// of 32 and of 16; its lookup finds the first.
var knownVars = func() map[string]varType {
	m := map[string]varType{}
	for _, s := range strings.Fields(`ups.mfr:s32 ups.model:s32 ups.status:s32 ups.serial:s32 ups.load:n
		ups.alarm:s32 ups.time:s16 ups.date:s16 ups.mfr.date:s16 ups.firmware:s16 ups.firmware.aux:s16
		ups.temperature:n ups.id:s16 ups.delay.start:n ups.delay.reboot:n ups.delay.shutdown:n
		ups.test.interval:n ups.test.result:s16 input.voltage:n input.voltage.maximum:n
		input.voltage.minimum:n input.voltage.nominal:n input.transfer.reason:s1 input.transfer.low:n
		input.transfer.high:n input.sensitivity:s1 input.quality:s6 input.frequency:n
		input.transfer.boost.low:n input.transfer.boost.high:n input.transfer.trim.low:n
		input.transfer.trim.high:n output.voltage:n output.frequency:n output.current:n
		battery.charge:n battery.charge.low:n battery.voltage:n battery.current:n battery.runtime:n
		battery.runtime.low:n battery.charge.restart:n battery.temperature:n battery.voltage.nominal:n
		ambient.temperature:n ambient.temperature.alarm:n ambient.temperature.high:n
		ambient.temperature.low:n ambient.humidity:n ambient.humidity.alarm:n ambient.humidity.high:n
		ambient.humidity.low:n`) {
		name, t, _ := strings.Cut(s, ":")
		vt := varType{str: t[0] == 's'}
		if vt.str {
			vt.len, _ = strconv.Atoi(t[1:])
		}
		m[name] = vt
	}
	return m
}()

// setVar applies one variable as dummy-ups' setvar does: an empty value
// removes the variable; known ones get their type, others are strings.
func setVar(tx *device.Tx, name, value string) {
	if value == "" && name != "ups.status" {
		tx.Delete(name)
		return
	}
	tx.Set(name, value)
	vt, ok := knownVars[strings.ToLower(name)]
	if !ok {
		vt = varType{str: true, len: 32}
	}
	if vt.str {
		tx.SetFlags(name, device.RW|device.String)
		tx.SetAux(name, vt.len)
	} else {
		tx.SetFlags(name, device.RW)
	}
}

// SimulateSwitching is the ups.conf setting (a flag, or yes/no) that makes
// dummy-ups simulate switching beyond NUT's: load.on and load.off switch
// the device (ups.status OL / OFF), outlet.N.load.off|on|cycle switch each
// outlet.N.status. Without it the device offers NUT's commands only
// (load.off, which does nothing).
const SimulateSwitching = "simulate_switching"

// Dummy plays a simulation file into a device.
type Dummy struct {
	cfg       driver.Config
	path      string
	mode      Mode
	interval  time.Duration
	switching bool // SimulateSwitching

	mu  sync.Mutex
	dev *device.Device

	// What is being played; only the driver loop's goroutine uses it.
	steps   []Step
	pos     int       // the next step
	mtime   time.Time // of the file the steps came from
	resume  time.Time // when the current TIMER pause ends
	started bool      // the first part was played
}

// New makes a dummy-ups driver from its ups.conf section.
func New(cfg driver.Config) (driver.Driver, error) {
	if cfg.Port == "" {
		return nil, driver.BadOption("port", errors.New("dummy-ups: no port (a .dev or .seq file, or ups@host for a repeater)"))
	}
	if strings.Contains(cfg.Port, "@") {
		if _, err := nut.ParseUPSName(cfg.Port); err != nil {
			return nil, driver.BadOption("port", fmt.Errorf("dummy-ups: repeater port: %w", err))
		}
		return newRepeater(cfg)
	}
	d := &Dummy{cfg: cfg, interval: 2 * time.Second}
	d.path = cfg.Port
	if !filepath.IsAbs(d.path) {
		d.path = filepath.Join(cfg.ConfDir, d.path)
	}
	switch m, _ := cfg.Get("mode"); m {
	case "dummy-loop", "dummy":
		d.mode = Loop
	case "dummy-once":
		d.mode = Once
	case "":
		d.mode = Once
		if strings.HasSuffix(cfg.Port, ".seq") {
			d.mode = Loop
		}
	case "repeater":
		return newRepeater(cfg)
	default:
		return nil, driver.BadOption("mode", fmt.Errorf("dummy-ups: unsupported mode %q", m))
	}
	if s, ok := cfg.Get("pollinterval"); ok {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			return nil, driver.BadOption("pollinterval", fmt.Errorf("dummy-ups: invalid pollinterval %q", s))
		}
		d.interval = time.Duration(n) * time.Second
	}
	if s, ok := cfg.Get(SimulateSwitching); ok {
		switch strings.ToLower(s) {
		case "", "yes", "true", "on", "1":
			d.switching = true
		case "no", "false", "off", "0":
		default:
			return nil, driver.BadOption(SimulateSwitching, fmt.Errorf("dummy-ups: %s = %q: want yes or no", SimulateSwitching, s))
		}
	}
	return d, nil
}

// Connect reads the file and publishes what NUT's dummy-ups starts with.
func (d *Dummy) Connect(ctx context.Context, dev *device.Device) (driver.Schedule, error) {
	d.mu.Lock()
	d.dev = dev
	d.mu.Unlock()
	dev.SetHandler(d)
	steps, mtime, err := d.read()
	if err != nil {
		return driver.Schedule{}, err
	}
	d.steps, d.mtime, d.pos, d.started, d.resume = steps, mtime, 0, false, time.Time{}
	dev.Update(func(tx *device.Tx) {
		tx.Set("driver.parameter.mode", string(d.mode))
		tx.Set("driver.parameter.pollinterval", strconv.Itoa(int(d.interval/time.Second)))
		for _, n := range []string{"ups.mfr", "ups.model", "ups.status"} {
			setVar(tx, n, map[string]string{"ups.mfr": "Dummy Manufacturer", "ups.model": "Dummy UPS", "ups.status": "OL"}[n])
		}
		// NUT's dummy-ups offers load.off, and does nothing with it.
		tx.AddCmd("load.off")
		if d.switching {
			tx.AddCmd("load.on")
		}
	})
	// A file that is gone is certain: stale at the first failed poll.
	return driver.Schedule{Interval: d.interval, StaleAfter: 1}, nil
}

// Poll plays the next part of the file: up to the next TIMER once the
// pause is over; at the end, a loop plays the file again, and once
// plays it again only when it changed. A file gone or unreadable is an
// error.
func (d *Dummy) Poll(ctx context.Context, class driver.Class) (func(*device.Tx), error) {
	now := time.Now()
	if now.Before(d.resume) {
		return nil, nil
	}
	if d.started && d.pos >= len(d.steps) {
		fresh, mtime, err := d.reread(d.mtime)
		if err != nil {
			d.mtime = time.Time{} // read it again whenever it is back
			return nil, err
		}
		if fresh != nil {
			d.steps, d.mtime, d.pos = fresh, mtime, 0
		}
	}
	if d.started && d.pos >= len(d.steps) {
		return nil, nil
	}
	first := !d.started
	d.started = true
	apply, wait := d.play()
	d.resume = now.Add(wait)
	return func(tx *device.Tx) {
		apply(tx)
		if first {
			// NUT copies ups.* identity to device.* once, after the
			// first read.
			for _, k := range []string{"mfr", "model", "serial"} {
				if v, ok := tx.Get("ups." + k); ok {
					tx.Set("device."+k, v)
				}
			}
		}
		d.addOutletCmds(tx)
	}, nil
}

// Close does nothing: a file holds no connection.
func (d *Dummy) Close() {}

// reread is what to play after the end of the file: in a loop the file
// again, once only a file that changed (mtime differs from the one
// played; nil steps when it did not). A file that is gone or unreadable
// is an error.
func (d *Dummy) reread(mtime time.Time) ([]Step, time.Time, error) {
	if d.mode == Once {
		st, err := os.Stat(d.path)
		if err != nil {
			return nil, mtime, fmt.Errorf("dummy-ups: %w", err)
		}
		if st.ModTime().Equal(mtime) {
			return nil, mtime, nil
		}
	}
	return d.read()
}

// read reads and parses the simulation file, bounded by MaxFileSize.
func (d *Dummy) read() ([]Step, time.Time, error) {
	src, mtime, err := readFile(d.path)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("dummy-ups: can't open definition file: %w", err)
	}
	steps, err := ParseSim(src)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("dummy-ups: %s: %w", d.path, err)
	}
	return steps, mtime, nil
}

// readFile reads a regular file of at most MaxFileSize bytes and returns
// its modification time.
func readFile(path string) ([]byte, time.Time, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, time.Time{}, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, time.Time{}, err
	}
	if !st.Mode().IsRegular() {
		return nil, time.Time{}, fmt.Errorf("%s: not a regular file", path)
	}
	src, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, time.Time{}, err
	}
	if len(src) > MaxFileSize {
		return nil, time.Time{}, fmt.Errorf("%s: larger than %d bytes", path, MaxFileSize)
	}
	return src, st.ModTime(), nil
}

// play takes the steps from d.pos up to the next TIMER (or the end) and
// returns them as changes, and how long the TIMER pauses.
func (d *Dummy) play() (func(*device.Tx), time.Duration) {
	from, wait := d.pos, time.Duration(0)
	for d.pos < len(d.steps) {
		s := d.steps[d.pos]
		d.pos++
		if s.Name == "" {
			wait = s.Pause
			break
		}
	}
	steps := d.steps[from:d.pos]
	return func(tx *device.Tx) {
		last := ""
		for _, s := range steps {
			if s.Name == "" {
				continue
			}
			v := s.Value
			if s.NoValue && s.Name != "ups.status" {
				v = last
			}
			if s.Name != "ups.status" {
				last = v
			}
			setVar(tx, s.Name, v)
		}
	}, wait
}

var outletStatus = regexp.MustCompile(`^outlet\.((?:group\.)?\d+)\.status$`)

// addOutletCmds offers switching for every simulated outlet and outlet
// group (outlet.group.N), when switching is simulated.
func (d *Dummy) addOutletCmds(tx *device.Tx) {
	if !d.switching {
		return
	}
	tx.Each(func(name string) {
		if m := outletStatus.FindStringSubmatch(name); m != nil && m[1] != "0" {
			for _, c := range []string{"load.off", "load.on", "load.cycle"} {
				tx.AddCmd("outlet." + m[1] + "." + c)
			}
		}
	})
}

// SetVar sets any variable, as NUT's dummy-ups allows.
func (d *Dummy) SetVar(ctx context.Context, name, value string) error {
	d.dev.Update(func(tx *device.Tx) { setVar(tx, name, value) })
	return nil
}

// errNotSimulated is the answer to load.off when switching is not
// simulated (NUT's dummy-ups offers the command and does nothing).
var errNotSimulated = fmt.Errorf("dummy-ups does nothing with instant commands unless %s is set in ups.conf: %w", SimulateSwitching, device.ErrCmdUnhandled)

// InstCmd switches the simulated device or one of its outlets.
func (d *Dummy) InstCmd(ctx context.Context, name, param string) error {
	dev := d.dev
	snap := dev.Snapshot()
	if !snap.HasCmd(name) {
		return nut.ErrCmdNotSupported
	}
	if !d.switching {
		return errNotSimulated
	}
	switch name {
	case "load.off":
		dev.Update(func(tx *device.Tx) { tx.Set("ups.status", "OFF") })
		return nil
	case "load.on":
		dev.Update(func(tx *device.Tx) { tx.Set("ups.status", "OL") })
		return nil
	}
	prefix, action, ok := strings.Cut(strings.TrimPrefix(name, "outlet."), ".load.")
	if !ok {
		return nut.ErrCmdNotSupported
	}
	status := "outlet." + prefix + ".status"
	switch action {
	case "off", "on":
		dev.Update(func(tx *device.Tx) { tx.Set(status, action) })
	case "cycle":
		dev.Update(func(tx *device.Tx) { tx.Set(status, "off") })
		go func() {
			delay := time.Second
			if v := snap.Value("outlet." + prefix + ".delay.start"); v != "" {
				if n, err := strconv.Atoi(v); err == nil && n >= 0 && n < 60 {
					delay = time.Duration(n) * time.Second
				}
			}
			time.Sleep(delay)
			dev.Update(func(tx *device.Tx) { tx.Set(status, "on") })
		}()
	default:
		return nut.ErrCmdNotSupported
	}
	return nil
}
