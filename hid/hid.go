// Package hid reads USB HID report descriptors and the reports they
// describe, as NUT's usbhid-ups understands them: every Input, Output and
// Feature field that carries a usage becomes a Field named by its usage
// path (UPS.PowerSummary.RemainingCapacity), with its report ID, bit
// offset and size, logical and physical limits and unit; Field.Value
// decodes a report and Field.Put encodes a write.
//
// The parser follows the HID 1.11 specification where NUT's parser
// (drivers/hidparser.c) does too, and NUT's choices where they make a
// difference to which fields exist and what they read:
//   - each field of a main item takes the next pending usage; once the
//     usages are used up the remaining fields are padding (no Field),
//     though they still take room in the report;
//   - Usage Minimum/Maximum, designators and strings are not used;
//   - a collection whose type is 0x80 or more (vendor-defined) adds an
//     index node [n] after its usage;
//   - a Logical Maximum below the Logical Minimum is read again as an
//     unsigned number (firmwares that overflow the sign bit);
//   - a Unit Exponent above 7 is a negative 4-bit number.
//
// It differs from NUT where NUT is wrong by the specification and no
// device depends on it: Push and Pop save and restore the global state,
// reports without a report ID (ID 0) keep their offsets, and bit offsets
// are not limited to 255.
package hid

import (
	"errors"
	"fmt"
)

// Usage is a usage page and usage ID: page<<16 | id.
type Usage uint32

// Page returns the usage page.
func (u Usage) Page() uint16 { return uint16(u >> 16) }

// ID returns the usage ID within its page.
func (u Usage) ID() uint16 { return uint16(u) }

// Index returns the n of an index node [n] (a vendor-defined collection
// type), and whether u is one.
func (u Usage) Index() (int, bool) {
	if u&0xffff0000 == indexNode {
		return int(u & 0xffff), true
	}
	return 0, false
}

const indexNode = 0x00ff0000

// IndexNode returns the path node [n].
func IndexNode(n int) Usage { return indexNode | Usage(n&0xffff) }

// Kind is the report type of a field.
type Kind uint8

// Report types, numbered as hidraw and the HID GET_REPORT request number
// them.
const (
	Input   Kind = 1
	Output  Kind = 2
	Feature Kind = 3
)

func (k Kind) String() string {
	switch k {
	case Input:
		return "Input"
	case Output:
		return "Output"
	case Feature:
		return "Feature"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Main item data bits (the value of an Input, Output or Feature item).
const (
	Constant uint32 = 1 << 0 // not data: padding or a fixed value
	Variable uint32 = 1 << 1 // one field per usage (not an array)
	Relative uint32 = 1 << 2
	Volatile uint32 = 1 << 7
)

// Field is one usage-carrying field of a report.
type Field struct {
	// Path is the usages of the enclosing collections (with index nodes
	// for vendor-defined collection types) followed by the field's own.
	Path     []Usage
	Kind     Kind
	ReportID uint8
	// Offset and Size are in bits, counted from the first byte after the
	// report ID.
	Offset, Size int
	// Flags is the main item's data (Constant, Variable, …).
	Flags                    uint32
	LogicalMin, LogicalMax   int64
	PhysicalMin, PhysicalMax int64
	// HasPhysical: both physical limits were given.
	HasPhysical bool
	Unit        uint32
	UnitExp     int8
}

// Usage returns the field's own usage (the last node of its path).
func (f *Field) Usage() Usage { return f.Path[len(f.Path)-1] }

// Descriptor is a parsed report descriptor.
type Descriptor struct {
	// Fields in descriptor order.
	Fields []Field
	// Warnings are what was accepted but looks wrong (NUT logs the same).
	Warnings []string
	// NumberedReports: the descriptor declares report IDs, so every
	// report starts with its ID byte.
	NumberedReports bool
	length          [256]int // bytes after the ID, per report ID, over all kinds
}

// ReportLen returns the length in bytes of a report, its ID byte
// included: what a GET_REPORT asks for (the longest of its Input, Output
// and Feature layouts, as NUT sizes its report buffers).
func (d *Descriptor) ReportLen(id uint8) int { return d.length[id] + 1 }

// Reports returns the report IDs that have fields, in ascending order.
func (d *Descriptor) Reports() []uint8 {
	var ids []uint8
	for id := 0; id < 256; id++ {
		if d.length[id] > 0 {
			ids = append(ids, uint8(id))
		}
	}
	return ids
}

// Find returns the first field of a kind whose path begins with path,
// as NUT looks up a mapped path, or nil.
func (d *Descriptor) Find(path []Usage, kind Kind) *Field {
	for i := range d.Fields {
		f := &d.Fields[i]
		if f.Kind != kind || len(f.Path) < len(path) {
			continue
		}
		same := true
		for j, u := range path {
			if f.Path[j] != u {
				same = false
				break
			}
		}
		if same {
			return f
		}
	}
	return nil
}

// Limits a descriptor must keep; beyond them Parse refuses it (a real
// power device is far inside them).
const (
	MaxDescriptor = 65535 // bytes: wDescriptorLength is 16 bits
	MaxFields     = 4096
	MaxDepth      = 32    // nested collections
	MaxUsages     = 1024  // pending usages of one main item
	MaxReport     = 16384 // bytes of one report (the kernel's HID_MAX_BUFFER_SIZE)
)

// ErrEmpty is returned for a descriptor with no usable field.
var ErrEmpty = errors.New("hid: report descriptor has no fields")

type globals struct {
	page                 uint16
	logMin, logMax       int64
	phyMin, phyMax       int64
	hasPhyMin, hasPhyMax bool
	unit                 uint32
	unitExp              int8
	size, count          int
	reportID             uint8
}

// item sizes by the low two bits of the prefix.
var itemSize = [4]int{0, 1, 2, 4}

// signed reads an item's data as a signed number of its size.
func signed(v uint32, n int) int64 {
	switch n {
	case 1:
		return int64(int8(v))
	case 2:
		return int64(int16(v))
	case 4:
		return int64(int32(v))
	}
	return int64(v)
}

// Parse reads a report descriptor.
func Parse(b []byte) (*Descriptor, error) {
	if len(b) > MaxDescriptor {
		return nil, fmt.Errorf("hid: report descriptor of %d bytes (at most %d)", len(b), MaxDescriptor)
	}
	d := &Descriptor{}
	var (
		g       globals
		stack   []globals
		usages  []Usage
		path    []Usage
		offsets = map[[2]uint8]int{} // (report ID, kind) → bits used
	)
	for pos := 0; pos < len(b); {
		at := pos
		prefix := b[pos]
		pos++
		if prefix == 0xfe { // long item: size, tag, data — skipped
			if pos+2 > len(b) {
				d.Warnings = append(d.Warnings, fmt.Sprintf("truncated long item at byte %d ignored", at))
				break
			}
			pos += 2 + int(b[pos])
			continue
		}
		n := itemSize[prefix&3]
		if pos+n > len(b) {
			d.Warnings = append(d.Warnings, fmt.Sprintf("truncated item 0x%02x at byte %d ignored", prefix, at))
			break
		}
		var v uint32
		for i := 0; i < n; i++ {
			v |= uint32(b[pos+i]) << (8 * i)
		}
		pos += n
		switch prefix & 0xfc {
		// Main items.
		case 0x80, 0x90, 0xb0: // Input, Output, Feature
			kind := map[uint8]Kind{0x80: Input, 0x90: Output, 0xb0: Feature}[prefix&0xfc]
			if g.size > 0 && g.count > 0 {
				key := [2]uint8{g.reportID, uint8(kind)}
				for i := 0; i < g.count; i++ {
					var u Usage
					if i < len(usages) {
						u = usages[i]
					}
					off := offsets[key]
					if u != 0 {
						if len(d.Fields) >= MaxFields {
							return nil, fmt.Errorf("hid: more than %d fields", MaxFields)
						}
						f := Field{
							Path: append(append(make([]Usage, 0, len(path)+1), path...), u),
							Kind: kind, ReportID: g.reportID, Offset: off, Size: g.size,
							Flags: v, LogicalMin: g.logMin, LogicalMax: g.logMax,
							PhysicalMin: g.phyMin, PhysicalMax: g.phyMax,
							HasPhysical: g.hasPhyMin && g.hasPhyMax,
							Unit:        g.unit, UnitExp: g.unitExp,
						}
						d.Fields = append(d.Fields, f)
					}
					end := off + g.size
					offsets[key] = end
					if bytes := (end + 7) / 8; bytes > d.length[g.reportID] {
						if bytes+1 > MaxReport {
							return nil, fmt.Errorf("hid: report 0x%02x longer than %d bytes (item at byte %d)", g.reportID, MaxReport, at)
						}
						d.length[g.reportID] = bytes
					}
				}
			}
			usages = usages[:0]
		case 0xa0: // Collection
			if len(path) >= MaxDepth {
				return nil, fmt.Errorf("hid: collections nested deeper than %d (byte %d)", MaxDepth, at)
			}
			var u Usage
			if len(usages) > 0 {
				u = usages[0]
			}
			path = append(path, u)
			if v >= 0x80 {
				path = append(path, IndexNode(int(v&0x7f)))
			}
			usages = usages[:0]
		case 0xc0: // End Collection
			if len(path) == 0 {
				return nil, fmt.Errorf("hid: End Collection without a collection (byte %d)", at)
			}
			top := path[len(path)-1]
			path = path[:len(path)-1]
			if _, ok := top.Index(); ok && len(path) > 0 {
				path = path[:len(path)-1]
			}
			usages = usages[:0]

		// Global items.
		case 0x04: // Usage Page
			g.page = uint16(v)
		case 0x14: // Logical Minimum
			g.logMin = signed(v, n)
		case 0x24: // Logical Maximum
			g.logMax = signed(v, n)
			if g.logMax < g.logMin {
				d.Warnings = append(d.Warnings, fmt.Sprintf("report 0x%02x: Logical Maximum %d below Logical Minimum %d, read as %d", g.reportID, g.logMax, g.logMin, v))
				g.logMax = int64(v)
			}
		case 0x34: // Physical Minimum
			g.phyMin, g.hasPhyMin = signed(v, n), true
		case 0x44: // Physical Maximum
			g.phyMax, g.hasPhyMax = signed(v, n), true
		case 0x54: // Unit Exponent
			e := int8(uint8(v))
			if e > 7 {
				e |= -16 // a 4-bit two's complement number
			}
			g.unitExp = e
		case 0x64: // Unit
			g.unit = v
		case 0x74: // Report Size
			if v > 1024 {
				return nil, fmt.Errorf("hid: report size %d bits (byte %d)", v, at)
			}
			g.size = int(v)
		case 0x84: // Report ID
			g.reportID = uint8(v)
			d.NumberedReports = true
		case 0x94: // Report Count
			if v > 8*MaxReport {
				return nil, fmt.Errorf("hid: report count %d (byte %d)", v, at)
			}
			g.count = int(v)
		case 0xa4: // Push
			stack = append(stack, g)
			if len(stack) > MaxDepth {
				return nil, fmt.Errorf("hid: Push nested deeper than %d (byte %d)", MaxDepth, at)
			}
		case 0xb4: // Pop
			if len(stack) == 0 {
				return nil, fmt.Errorf("hid: Pop without Push (byte %d)", at)
			}
			g = stack[len(stack)-1]
			stack = stack[:len(stack)-1]

		// Local items.
		case 0x08: // Usage
			if len(usages) >= MaxUsages {
				return nil, fmt.Errorf("hid: more than %d usages before a main item (byte %d)", MaxUsages, at)
			}
			if n == 4 {
				usages = append(usages, Usage(v))
			} else {
				usages = append(usages, Usage(g.page)<<16|Usage(v&0xffff))
			}
		}
	}
	if len(d.Fields) == 0 {
		return nil, ErrEmpty
	}
	return d, nil
}

// ByReport returns the first field of a report (of any kind) whose own
// usage is u, as subdrivers' descriptor fixes look fields up.
func (d *Descriptor) ByReport(id uint8, u Usage) *Field {
	for i := range d.Fields {
		if f := &d.Fields[i]; f.ReportID == id && f.Usage() == u {
			return f
		}
	}
	return nil
}
