package usbhid

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/powerchain/powerchain/device"
	"github.com/powerchain/powerchain/driver"
	"github.com/powerchain/powerchain/hid"
	"github.com/powerchain/powerchain/usbups"
)

// synthDescriptor builds a report descriptor that has every path of a
// subdriver's table: one 16-bit Feature and Input field per path, each
// in a report of its own, inside nested collections (a vendor-defined
// collection type for an index node). It returns the descriptor and
// the report IDs.
func synthDescriptor(t testing.TB, s *Subdriver) ([]byte, []uint8) {
	t.Helper()
	type node struct {
		usage    hid.Usage
		index    int // collection type 0x80+index when > 0
		children []*node
		field    bool
	}
	root := &node{}
	child := func(n *node, u hid.Usage, index int) *node {
		for _, c := range n.children {
			if c.usage == u && c.index == index {
				return c
			}
		}
		c := &node{usage: u, index: index}
		n.children = append(n.children, c)
		return c
	}
	seen := map[string]bool{}
	for _, r := range s.Rows {
		if seen[r.Path] {
			continue
		}
		seen[r.Path] = true
		p, err := hid.ParsePath(r.Path, s.Usages, hid.PowerDevice)
		if err != nil {
			t.Fatal(err)
		}
		// An index node is a "[n]" in the path (a vendor usage of page
		// 0x00ff looks the same as a number).
		tokens := strings.Split(r.Path, ".")
		n := root
		for i := 0; i < len(p); i++ {
			idx := 0
			if i+1 < len(p) && strings.HasPrefix(tokens[i+1], "[") {
				idx, _ = p[i+1].Index()
			}
			n = child(n, p[i], idx)
			if idx > 0 {
				i++
			}
		}
		n.field = true
	}
	var b []byte
	var ids []uint8
	usage := func(u hid.Usage) { b = append(b, 0x0b, byte(u), byte(u>>8), byte(u>>16), byte(u>>24)) }
	var emit func(n *node)
	emit = func(n *node) {
		if n.field {
			id := uint8(len(ids) + 1)
			ids = append(ids, id)
			b = append(b, 0x85, id, 0x75, 0x10, 0x95, 0x01, 0x16, 0x00, 0x80, 0x26, 0xff, 0x7f)
			usage(n.usage)
			b = append(b, 0xb1, 0x02)
			usage(n.usage)
			b = append(b, 0x81, 0x02)
		}
		if len(n.children) > 0 {
			usage(n.usage)
			typ := byte(0x00)
			if n.index > 0 {
				typ = 0x80 | byte(n.index)
			}
			b = append(b, 0xa1, typ)
			for _, c := range n.children {
				emit(c)
			}
			b = append(b, 0xc0)
		}
	}
	for _, c := range root.children {
		emit(c)
	}
	if len(ids) > 255 {
		t.Fatalf("%s: %d paths, more than report IDs", s.Name, len(ids))
	}
	return b, ids
}

// synthReplay is a device of a subdriver whose every report answers
// with values taken in turn from vals.
func synthReplay(t testing.TB, s *Subdriver, vals []byte) *Replay {
	desc, ids := synthDescriptor(t, s)
	r := &Replay{Descriptor: desc, Settings: map[string]string{}, Differ: map[string]string{},
		features: map[uint8][][]byte{}, strs: map[int]string{}, wake: make(chan struct{})}
	for _, id := range usbups.All() { // the last listed: not 0d9f:0001, which reads only Input reports
		if id.Serves(s.Name) {
			r.Dev.Vendor, r.Dev.Product = id.Vendor, id.Product
		}
	}
	r.Dev.Iface, r.Dev.Path = s.Iface, "synthetic"
	r.Dev.Manufacturer, r.Dev.ProductName, r.Dev.Serial = "Maker", "Model", "SN1"
	if len(vals) == 0 {
		vals = []byte{1, 0}
	}
	for i, id := range ids {
		for k := 0; k < 2; k++ { // two answers, then the last repeats
			off := (i*4 + k*2) % len(vals)
			r.features[id] = append(r.features[id], []byte{id, vals[off], vals[(off+1)%len(vals)]})
		}
	}
	for i := 0; i < 256; i++ {
		r.strs[i] = fmt.Sprintf("string %d", i)
	}
	return r
}

func openSynth(t testing.TB, s *Subdriver, r *Replay) (*Driver, *device.Device) {
	cfg := driver.Config{Name: "ups", Driver: "usbhid-ups", Port: "auto", Settings: map[string]string{}}
	drv, err := NewWith(cfg, r)
	if err != nil {
		t.Fatal(err)
	}
	drv.log, drv.gap = drv.log.With("test", s.Name), 0
	dev := device.New("ups", "")
	drv.mu.Lock()
	defer drv.mu.Unlock()
	sess, err := drv.connect(context.Background())
	if err != nil {
		t.Fatalf("%s: %v", s.Name, err)
	}
	if sess.sub != s {
		t.Fatalf("%04x:%04x claimed by %s, want %s", r.Dev.Vendor, r.Dev.Product, sess.sub.Name, s.Name)
	}
	drv.s = sess
	sess.publish(dev)
	return drv, dev
}

// TestEveryRow: on a device that has every path of its table, each
// subdriver publishes a variable for each name (unless its conversion
// declines the value), offers each command, and each command and
// writable variable becomes a write.
func TestEveryRow(t *testing.T) {
	ctx := context.Background()
	for _, s := range subdrivers() {
		if s.Name == "explore" {
			continue
		}
		t.Run(s.Name, func(t *testing.T) {
			r := synthReplay(t, s, []byte{1, 0})
			drv, dev := openSynth(t, s, r)
			snap := dev.Snapshot()
			c := &Conv{drv.s}
			for _, row := range s.Rows {
				switch row.Kind {
				case Var, Server:
					if _, ok := snap.Var(row.Name); ok {
						continue
					}
					if row.Lookup != nil {
						if _, ok := row.Lookup.Text(c, 1); !ok {
							continue // declined (a family or a setting it does not apply to)
						}
					}
					t.Errorf("%s (%s) not published", row.Name, row.Path)
				case Cmd:
					if !snap.HasCmd(row.Name) {
						t.Errorf("command %s (%s) not offered", row.Name, row.Path)
					}
				}
			}
			for _, cmd := range snap.Cmds {
				n := len(r.Writes())
				if err := drv.InstCmd(ctx, cmd, ""); err != nil {
					t.Errorf("%s: %v", cmd, err)
				} else if len(r.Writes()) == n {
					t.Errorf("%s wrote nothing", cmd)
				}
			}
			for _, v := range snap.Vars {
				if v.Flags&device.RW == 0 {
					continue
				}
				val := "1"
				if len(v.Enum) > 0 {
					val = v.Enum[0]
				}
				if err := drv.SetVar(ctx, v.Name, val); err != nil {
					t.Errorf("SET %s %s: %v", v.Name, val, err)
				}
			}
		})
	}
}

// FuzzTables feeds every subdriver a device with every path of its table
// and arbitrary values, Input reports and writes: no conversion may
// panic, and every value published is printable.
func FuzzTables(f *testing.F) {
	f.Add([]byte{1, 0, 0, 0}, []byte{1, 2, 3})
	f.Add([]byte{0xff, 0xff, 0x00, 0x80, 0x7f, 0x12}, []byte{0x05, 0xff})
	f.Add([]byte{0x0e, 0x01, 0x64, 0x00, 0x08, 0x40}, []byte{})
	f.Fuzz(func(t *testing.T, vals, input []byte) {
		for _, s := range subdrivers() {
			if s.Name != "explore" { // explore has no table
				fuzzOne(t, s, vals, input)
			}
		}
	})
}

// fuzzOne runs one subdriver on one fuzz input.
func fuzzOne(t *testing.T, s *Subdriver, vals, input []byte) {
	ctx := context.Background()
	r := synthReplay(t, s, vals)
	drv, dev := openSynth(t, s, r)
	if len(input) > 0 {
		drv.mu.Lock()
		drv.s.fileInput(input)
		drv.mu.Unlock()
	}
	changes, err := drv.Poll(ctx, driver.Full)
	if err != nil {
		t.Fatal(err)
	}
	dev.Update(changes)
	snap := dev.Snapshot()
	for _, cmd := range snap.Cmds {
		_ = drv.InstCmd(ctx, cmd, string(input))
	}
	for _, v := range snap.Vars {
		if v.Flags&device.RW != 0 {
			_ = drv.SetVar(ctx, v.Name, string(vals))
		}
		if strings.IndexFunc(v.Value, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
			t.Fatalf("%s: %s = %q", s.Name, v.Name, v.Value)
		}
	}
	if len(snap.Vars) > driver.MaxVars {
		t.Fatalf("%s: %d variables", s.Name, len(snap.Vars))
	}
}

// TestSynthDescriptor: the builder's descriptors parse into one field per
// path, each found where its row looks.
func TestSynthDescriptor(t *testing.T) {
	for _, s := range subdrivers() {
		b, ids := synthDescriptor(t, s)
		d, err := hid.Parse(b)
		if s.Name == "explore" {
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", s.Name, err)
		}
		if got := len(d.Fields); got != 2*len(ids) {
			t.Errorf("%s: %d fields for %d paths", s.Name, got, len(ids))
		}
		var missing []string
		for _, r := range s.Rows {
			p, _ := hid.ParsePath(r.Path, s.Usages, hid.PowerDevice)
			if d.Find(p, hid.Feature) == nil {
				missing = append(missing, r.Path)
			}
		}
		sort.Strings(missing)
		if len(missing) > 0 {
			t.Errorf("%s: paths not found: %q", s.Name, missing)
		}
	}
}
