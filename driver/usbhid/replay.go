package usbhid

import (
	"bufio"
	"context"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// Replay is a recorded device: its report descriptor, the answers it
// gave to GET_REPORT (per report ID, in order; the last one repeats),
// the Input reports it sent, its strings, and what NUT's usbhid-ups
// published for it. It is an Opener and the Transport of the one device
// it holds; writes are recorded, and later reads of that report return
// what was written, as a device that stores its settings does.
//
// The file format is sections of lines; see testdata/*.replay.
type Replay struct {
	Dev        Device
	Descriptor []byte
	// NUT is what NUT published (the [nut] section, upsc lines in
	// order); Settings the ups.conf keys NUT ran with ([settings]).
	NUT      [][2]string
	Settings map[string]string
	// Paths is NUT's decode of each object ([paths]), for the parser's
	// tests.
	Paths []string
	// Differ names the variables whose value cannot match NUT's in this
	// recording, and why ([differences], "name: reason").
	Differ map[string]string

	mu       sync.Mutex
	features map[uint8][][]byte
	inputs   [][]byte
	strs     map[int]string
	writes   [][]byte
	gone     bool
	wake     chan struct{}
}

// LoadReplay reads a replay file.
func LoadReplay(path string) (*Replay, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := &Replay{Settings: map[string]string{}, Differ: map[string]string{}, features: map[uint8][][]byte{}, strs: map[int]string{},
		wake: make(chan struct{})}
	r.Dev.Path = path
	section := ""
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			section = line[1 : len(line)-1]
			continue
		}
		if err := r.line(section, line); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(r.Descriptor) == 0 {
		return nil, fmt.Errorf("%s: no [descriptor]", path)
	}
	return r, nil
}

func (r *Replay) line(section, line string) error {
	bytes := func() ([]byte, error) { return hex.DecodeString(strings.ReplaceAll(line, " ", "")) }
	switch section {
	case "device":
		key, val, _ := strings.Cut(line, " ")
		if strings.HasPrefix(val, `"`) {
			s, err := strconv.Unquote(val)
			if err != nil {
				return fmt.Errorf("%s: %w", key, err)
			}
			val = s
		}
		hex16 := func() (uint16, error) { n, err := strconv.ParseUint(val, 16, 16); return uint16(n), err }
		var err error
		switch key {
		case "vendor":
			r.Dev.Vendor, err = hex16()
		case "product":
			r.Dev.Product, err = hex16()
		case "release":
			r.Dev.Release, err = hex16()
		case "bus":
			r.Dev.Bus = val
		case "device":
			r.Dev.DevNum = val
		case "manufacturer":
			r.Dev.Manufacturer = val
		case "product-string":
			r.Dev.ProductName = val
		case "serial":
			r.Dev.Serial = val
		case "string":
			idx, text, _ := strings.Cut(val, " ")
			i, err := strconv.Atoi(idx)
			if err != nil {
				return fmt.Errorf("string index %q", idx)
			}
			if r.strs[i], err = strconv.Unquote(text); err != nil {
				return fmt.Errorf("string %d: %w", i, err)
			}
		default:
			return fmt.Errorf("unknown device key %q", key)
		}
		return err
	case "descriptor":
		b, err := bytes()
		r.Descriptor = append(r.Descriptor, b...)
		return err
	case "feature", "input":
		b, err := bytes()
		if err != nil || len(b) == 0 {
			return fmt.Errorf("bad report %q", line)
		}
		if section == "feature" {
			r.features[b[0]] = append(r.features[b[0]], b)
		} else {
			r.inputs = append(r.inputs, b)
		}
	case "paths":
		r.Paths = append(r.Paths, line)
	case "differences":
		k, v, ok := strings.Cut(line, ": ")
		if !ok {
			return fmt.Errorf("want name: reason: %q", line)
		}
		r.Differ[k] = v
	case "settings":
		k, v, ok := strings.Cut(line, " = ")
		if !ok {
			return fmt.Errorf("want key = value: %q", line)
		}
		r.Settings[k] = v
	case "nut":
		k, v, ok := strings.Cut(line, ": ")
		if !ok {
			return fmt.Errorf("want name: value: %q", line)
		}
		if i := strings.Index(v, "\t#"); i >= 0 { // a DDL annotation
			v = v[:i]
		}
		r.NUT = append(r.NUT, [2]string{k, v})
	default:
		return fmt.Errorf("line outside a known section: %q", line)
	}
	return nil
}

// Devices lists the recorded device (none while it is unplugged).
func (r *Replay) Devices(context.Context) ([]Device, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.gone {
		return nil, nil
	}
	return []Device{r.Dev}, nil
}

// Open returns the recording as the device's transport.
func (r *Replay) Open(_ context.Context, d Device) (Transport, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.gone {
		return nil, fmt.Errorf("open %s: %w", d.Path, syscall.ENODEV)
	}
	return r, nil
}

// Unplug makes the device disappear (every call fails as an unplugged
// device's do) or come back.
func (r *Replay) Unplug(gone bool) {
	r.mu.Lock()
	r.gone = gone
	close(r.wake) // a waiting ReadInput sees it
	r.wake = make(chan struct{})
	r.mu.Unlock()
}

// Inject queues an Input report, as if the device sent it now; the
// Feature report of the same ID then reads the same (a device reports
// one state both ways).
func (r *Replay) Inject(report []byte) {
	r.mu.Lock()
	b := append([]byte(nil), report...)
	r.inputs = append(r.inputs, b)
	r.features[b[0]] = [][]byte{b}
	close(r.wake)
	r.wake = make(chan struct{})
	r.mu.Unlock()
}

// Writes returns the Feature reports written so far.
func (r *Replay) Writes() [][]byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([][]byte(nil), r.writes...)
}

// ReportDescriptor returns the recorded report descriptor.
func (r *Replay) ReportDescriptor(context.Context) ([]byte, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.gone {
		return nil, ErrGone
	}
	return r.Descriptor, nil
}

// GetFeature answers with the next recorded answer for the report.
func (r *Replay) GetFeature(_ context.Context, buf []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.gone {
		return 0, ErrGone
	}
	answers := r.features[buf[0]]
	if len(answers) == 0 {
		return 0, fmt.Errorf("report 0x%02x: %w", buf[0], syscall.EPIPE) // a stall
	}
	a := answers[0]
	if len(answers) > 1 {
		r.features[buf[0]] = answers[1:]
	}
	return copy(buf, a), nil
}

// SetFeature records a write; the report then reads back as written.
func (r *Replay) SetFeature(_ context.Context, buf []byte) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.gone {
		return ErrGone
	}
	b := append([]byte(nil), buf...)
	r.writes = append(r.writes, b)
	r.features[b[0]] = [][]byte{b}
	return nil
}

// ReadInput returns the next Input report, waiting for one to be
// injected when all were read.
func (r *Replay) ReadInput(ctx context.Context, buf []byte) (int, error) {
	for {
		r.mu.Lock()
		if r.gone {
			r.mu.Unlock()
			return 0, ErrGone
		}
		if len(r.inputs) > 0 {
			n := copy(buf, r.inputs[0])
			r.inputs = r.inputs[1:]
			r.mu.Unlock()
			return n, nil
		}
		wake := r.wake
		r.mu.Unlock()
		select {
		case <-ctx.Done():
			return 0, ErrNoReport
		case <-wake:
		}
	}
}

// String returns a recorded string descriptor.
func (r *Replay) String(_ context.Context, index int) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s, ok := r.strs[index]
	if !ok {
		return "", fmt.Errorf("string %d: %w", index, syscall.EPIPE)
	}
	return s, nil
}

// Close does nothing: the recording stays for the next Open.
func (r *Replay) Close() error { return nil }
