package hid

import (
	"math"
	"math/bits"
)

// Logical returns the field's logical value in a report (report[0] is
// the report ID; bytes missing from a short report read as zero). As NUT
// does, bits above those that LogicalMin..LogicalMax need are dropped
// (firmwares send garbage there), the value is sign-extended when
// LogicalMin is negative, and then clamped to the logical range.
func (f *Field) Logical(report []byte) int64 {
	var raw uint64
	n := f.Size
	if n > 64 {
		n = 64
	}
	bit := f.Offset + 8
	for w := 0; w < n; w, bit = w+1, bit+1 {
		if i := bit >> 3; i < len(report) && report[i]&(1<<(bit&7)) != 0 {
			raw |= 1 << w
		}
	}
	magMax, magMin := magnitude(f.LogicalMax), magnitude(f.LogicalMin)
	signbit := uint64(1) << bits.Len64(max(magMax, magMin))
	mask := signbit - 1
	if f.LogicalMin < 0 {
		mask |= signbit
	}
	raw &= mask
	v := int64(raw)
	if f.LogicalMin < 0 && raw&signbit != 0 {
		v = int64(raw | ^mask)
	}
	return clamp(v, f.LogicalMin, f.LogicalMax)
}

// clamp limits v to lo..hi, lo first (as NUT does when a descriptor gives
// a range upside down).
func clamp(v, lo, hi int64) int64 {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// magnitude is |v| without its sign bit: v for v ≥ 0, -(v+1) otherwise.
func magnitude(v int64) uint64 {
	if v >= 0 {
		return uint64(v)
	}
	return uint64(-(v + 1))
}

// SetLogical writes a logical value into a report (two's complement in
// Size bits), leaving the other bits as they are. The report must be at
// least ReportLen bytes.
func (f *Field) SetLogical(report []byte, v int64) {
	bit := f.Offset + 8
	for w := 0; w < f.Size; w, bit = w+1, bit+1 {
		i := bit >> 3
		if i >= len(report) {
			return
		}
		if w < 64 && v&(1<<w) != 0 {
			report[i] |= 1 << (bit & 7)
		} else if w >= 64 && v < 0 {
			report[i] |= 1 << (bit & 7)
		} else {
			report[i] &^= 1 << (bit & 7)
		}
	}
}

// Physical converts a logical value to physical units: linearly from
// the logical to the physical range when both physical limits are given
// (and not both zero), clamped to the physical range.
func (f *Field) Physical(logical int64) float64 {
	if !f.usesPhysical() {
		return float64(logical)
	}
	factor := float64(f.PhysicalMax-f.PhysicalMin) / float64(f.LogicalMax-f.LogicalMin)
	p := float64(logical-f.LogicalMin)*factor + float64(f.PhysicalMin)
	if p > float64(f.PhysicalMax) {
		return float64(f.PhysicalMax)
	}
	if p < float64(f.PhysicalMin) {
		return float64(f.PhysicalMin)
	}
	return p
}

// ToLogical is the reverse of Physical, truncating toward zero and
// clamping to the logical range.
func (f *Field) ToLogical(physical float64) int64 {
	if !f.usesPhysical() {
		return truncate(physical)
	}
	factor := float64(f.LogicalMax-f.LogicalMin) / float64(f.PhysicalMax-f.PhysicalMin)
	l := truncate((physical-float64(f.PhysicalMin))*factor) + f.LogicalMin
	return clamp(l, f.LogicalMin, f.LogicalMax)
}

func (f *Field) usesPhysical() bool {
	if !f.HasPhysical || (f.PhysicalMin == 0 && f.PhysicalMax == 0) {
		return false
	}
	return f.PhysicalMax > f.PhysicalMin && f.LogicalMax > f.LogicalMin
}

// truncate converts toward zero as NUT does, except that a value within
// a millionth of a whole number is that number (13.5 V in 10 mV units is
// 1349.9999999999998 in floating point, and is meant as 1350); it
// saturates where int64 cannot hold the value.
func truncate(x float64) int64 {
	switch {
	case x != x:
		return 0
	case x >= 9.2e18:
		return 1<<63 - 1
	case x <= -9.2e18:
		return -1 << 63
	}
	if r := math.Round(x); math.Abs(x-r) < 1e-6 {
		return int64(r)
	}
	return int64(x)
}

// Units whose exponent NUT counts from 10^7 (the Power Device class
// defines volts, volt-amperes and watts in SI units of 10^-7 in the
// exponent's base), so a Unit Exponent of 7 means 1.
const (
	UnitVolt     uint32 = 0x00f0d121
	UnitVoltAmps uint32 = 0x0000d121 // also watts, as the class encodes them
)

// Exponent returns the power of ten the field's values are scaled by:
// the Unit Exponent, less 7 for volts and VA/W.
func (f *Field) Exponent() int {
	e := int(f.UnitExp)
	if f.Unit == UnitVolt || f.Unit == UnitVoltAmps {
		e -= 7
	}
	return e
}

// Value returns the field's value in a report in physical units with the
// unit exponent applied: what NUT prints as a field's value.
func (f *Field) Value(report []byte) float64 {
	return f.Physical(f.Logical(report)) * pow10(f.Exponent())
}

// Put writes a value (in the units Value returns) into a report, leaving
// the report's other fields as they are.
func (f *Field) Put(report []byte, value float64) {
	f.SetLogical(report, f.ToLogical(value/pow10(f.Exponent())))
}

// pow10 is 10^e computed as NUT computes it (a product of tens or of
// tenths, innermost first), so that values print to the same digits.
func pow10(e int) float64 {
	switch {
	case e > 0:
		return 10 * pow10(e-1)
	case e < 0:
		return 0.1 * pow10(e+1)
	}
	return 1
}
