package hid

import (
	"math/bits"
	"testing"
)

// FuzzParse feeds the parser mutations of the real descriptors. Whatever
// it accepts must be consistent: fields inside their reports, values
// inside their logical range, paths that print and read back the same,
// and logical values that survive being written and read again.
func FuzzParse(f *testing.F) {
	for _, b := range realDescriptors(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := Parse(b)
		if err != nil {
			return
		}
		for i := range d.Fields {
			fl := &d.Fields[i]
			n := d.ReportLen(fl.ReportID)
			if fl.Size < 1 || (fl.Offset+fl.Size+7)/8+1 > n || n > MaxReport {
				t.Fatalf("field %+v outside its %d-byte report", fl, n)
			}
			// Any bytes decode to a value in range.
			report := make([]byte, n)
			copy(report, b)
			if v := fl.Logical(report); fl.LogicalMin <= fl.LogicalMax && (v < fl.LogicalMin || v > fl.LogicalMax) {
				t.Fatalf("field %+v reads %d from % x", fl, v, report)
			}
			_ = fl.Value(report)
			// Paths print and read back the same.
			s := FormatPath(fl.Path, PowerDevice)
			p, err := ParsePath(s, PowerDevice)
			if err != nil {
				t.Fatalf("path %q does not read back: %v", s, err)
			}
			if FormatPath(p, PowerDevice) != s {
				t.Fatalf("path %q reads back as %q", s, FormatPath(p, PowerDevice))
			}
			// A field wide enough for its range keeps what is written.
			need := bits.Len64(max(magnitude(fl.LogicalMax), magnitude(fl.LogicalMin)))
			if fl.LogicalMin < 0 {
				need++
			}
			if fl.Size >= need && fl.Size <= 64 && fl.LogicalMin <= fl.LogicalMax {
				for _, v := range []int64{fl.LogicalMin, fl.LogicalMax} {
					fl.SetLogical(report, v)
					if got := fl.Logical(report); got != v {
						t.Fatalf("field %+v: wrote %d, read %d", fl, v, got)
					}
				}
			}
		}
	})
}
