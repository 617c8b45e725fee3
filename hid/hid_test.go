package hid

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The real devices: report descriptors and NUT's decode of them, kept
// with the driver's replay files (their SOURCES names each origin).
const devices = "../driver/usbhid/testdata"

// sections reads a replay file's [name] sections (comments dropped).
func sections(t testing.TB, path string) map[string][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][]string{}
	cur := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "":
		case strings.HasPrefix(line, "["):
			cur = strings.Trim(line, "[]")
		default:
			out[cur] = append(out[cur], line)
		}
	}
	return out
}

func hexBytes(t testing.TB, lines ...string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(strings.Join(lines, ""), " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// realDescriptors returns every real descriptor we have, by file name.
func realDescriptors(t testing.TB) map[string][]byte {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(devices, "*.replay"))
	more, _ := filepath.Glob(filepath.Join(devices, "descriptors", "*.hex"))
	out := map[string][]byte{}
	for _, f := range files {
		out[filepath.Base(f)] = hexBytes(t, sections(t, f)["descriptor"]...)
	}
	for _, f := range more {
		out[filepath.Base(f)] = hexBytes(t, sections(t, f)[""]...)
	}
	if len(out) < 5 {
		t.Fatalf("%d real descriptors found under %s", len(out), devices)
	}
	return out
}

// TestNUTDecode: every object NUT's debug walk printed for a device
// exists here with the same path, type, report, offset and size, and
// reads the same value from the bytes the device sent; and no object
// exists that NUT did not print.
func TestNUTDecode(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(devices, "*.replay"))
	for _, file := range files {
		s := sections(t, file)
		if len(s["paths"]) == 0 {
			continue
		}
		t.Run(filepath.Base(file), func(t *testing.T) {
			d, err := Parse(hexBytes(t, s["descriptor"]...))
			if err != nil {
				t.Fatal(err)
			}
			reports := map[uint8][]byte{}
			for _, line := range s["feature"] {
				b := hexBytes(t, line)
				if _, ok := reports[b[0]]; !ok {
					buf := make([]byte, d.ReportLen(b[0]))
					copy(buf, b)
					reports[b[0]] = buf
				}
			}
			names := map[string]*Field{}
			for i := range d.Fields {
				f := &d.Fields[i]
				names[FormatPath(f.Path, PowerDevice)+" "+f.Kind.String()] = f
			}
			for _, line := range s["paths"] {
				w := strings.Fields(line)
				key := w[0] + " " + w[1]
				f := names[key]
				if f == nil {
					t.Errorf("%s: no such field", key)
					continue
				}
				delete(names, key)
				got := fmt.Sprintf("0x%02x %d %d", f.ReportID, f.Offset, f.Size)
				if want := strings.Join(w[2:5], " "); got != want {
					t.Errorf("%s: report, offset, size %s, NUT %s", key, got, want)
				}
				if w[5] == "-" {
					continue
				}
				if v := strconv.FormatFloat(f.Value(reports[f.ReportID]), 'g', 6, 64); v != w[5] {
					t.Errorf("%s: value %s, NUT %s", key, v, w[5])
				}
			}
			for key := range names {
				t.Errorf("%s: a field NUT does not have", key)
			}
		})
	}
}

func TestRealDescriptors(t *testing.T) {
	for name, b := range realDescriptors(t) {
		d, err := Parse(b)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		for _, f := range d.Fields {
			if end := f.Offset + f.Size; (end+7)/8+1 > d.ReportLen(f.ReportID) {
				t.Errorf("%s: %s ends at bit %d of a %d-byte report", name, FormatPath(f.Path, PowerDevice), end, d.ReportLen(f.ReportID))
			}
		}
	}
}

// TestParseItems covers the item rules one by one on small descriptors.
func TestParseItems(t *testing.T) {
	for _, tc := range []struct {
		name string
		desc string
		want []string // path kind id offset size logmin logmax exp
		err  string
		warn int
	}{
		{name: "usages taken in order, the rest padding",
			desc: "05 84 09 04 a1 01 85 02 75 04 95 03 15 00 25 0f 09 30 09 31 b1 02 09 32 81 02 c0",
			want: []string{"UPS.Voltage Feature 2 0 4 0 15 0", "UPS.Current Feature 2 4 4 0 15 0", "UPS.Frequency Input 2 0 4 0 15 0"}},
		{name: "vendor collection type adds an index node",
			desc: "05 84 09 04 a1 01 09 1e a1 84 85 01 75 08 95 01 26 ff 00 09 40 b1 02 c0 09 1a a1 00 09 30 b1 02 c0 c0",
			want: []string{"UPS.Flow.[4].ConfigVoltage Feature 1 0 8 0 255 0", "UPS.Input.Voltage Feature 1 8 8 0 255 0"}},
		{name: "logical maximum overflowing its sign bit",
			desc: "05 84 09 04 a1 01 85 01 75 08 95 01 15 00 25 ff 09 30 b1 02 c0",
			want: []string{"UPS.Voltage Feature 1 0 8 0 255 0"}, warn: 1},
		{name: "unit exponent above 7 is negative",
			desc: "05 84 09 04 a1 01 85 01 75 10 95 01 15 00 27 ff ff 00 00 55 0e 09 30 b1 02 c0",
			want: []string{"UPS.Voltage Feature 1 0 16 0 65535 -2"}},
		{name: "4-byte usage is a whole usage",
			desc: "05 84 09 04 a1 01 85 01 75 08 95 01 0b 60 00 86 ff b1 02 c0",
			want: []string{"UPS.ff860060 Feature 1 0 8 0 0 0"}},
		{name: "push and pop",
			desc: "05 84 09 04 a1 01 85 01 75 08 95 01 a4 75 10 09 30 b1 02 b4 09 31 b1 02 c0",
			want: []string{"UPS.Voltage Feature 1 0 16 0 0 0", "UPS.Current Feature 1 16 8 0 0 0"}},
		{name: "long item skipped",
			desc: "05 84 09 04 a1 01 fe 02 10 aa bb 85 01 75 08 95 01 09 30 b1 02 c0",
			want: []string{"UPS.Voltage Feature 1 0 8 0 0 0"}},
		{name: "truncated last item", desc: "05 84 09 04 a1 01 85 01 75 08 95 01 09 30 b1 02 c0 27 ff",
			want: []string{"UPS.Voltage Feature 1 0 8 0 0 0"}, warn: 1},
		{name: "end collection without collection", desc: "05 84 09 30 75 08 95 01 b1 02 c0 c0", err: "End Collection without"},
		{name: "pop without push", desc: "b4", err: "Pop without Push"},
		{name: "nothing", desc: "05 84 09 04 a1 01 c0", err: "no fields"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Parse(hexBytes(t, tc.desc))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range d.Fields {
				got = append(got, fmt.Sprintf("%s %s %d %d %d %d %d %d", FormatPath(f.Path, PowerDevice), f.Kind, f.ReportID, f.Offset, f.Size, f.LogicalMin, f.LogicalMax, f.UnitExp))
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("fields:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			if len(d.Warnings) != tc.warn {
				t.Errorf("warnings %q, want %d", d.Warnings, tc.warn)
			}
		})
	}
}

// TestValues covers decoding (sign, garbage bits, clamping, physical
// range, unit exponents) and encoding.
func TestValues(t *testing.T) {
	for _, tc := range []struct {
		name   string
		f      Field
		report string
		want   float64
	}{
		{"unsigned", Field{Offset: 0, Size: 16, LogicalMax: 65535}, "01 2c 01", 300},
		{"signed -1", Field{Offset: 0, Size: 16, LogicalMin: -1, LogicalMax: 32767}, "01 ff ff", -1},
		{"garbage above the range dropped", Field{Offset: 0, Size: 32, LogicalMax: 0xffff}, "01 00 0a 08 80", 0x0a00},
		{"clamped", Field{Offset: 0, Size: 8, LogicalMax: 100}, "01 7f", 100},
		{"bits above the range dropped", Field{Offset: 0, Size: 8, LogicalMax: 100}, "01 c8", 72},
		{"bit 9 of a status word", Field{Offset: 9, Size: 1, LogicalMax: 1}, "01 00 02", 1},
		{"volts with exponent 5", Field{Offset: 0, Size: 16, LogicalMax: 65534, Unit: UnitVolt, UnitExp: 5}, "01 4e 05", 13.58},
		{"physical range", Field{Offset: 0, Size: 8, LogicalMax: 255, PhysicalMin: 0, PhysicalMax: 510, HasPhysical: true}, "01 0a", 20},
		{"short report reads zero", Field{Offset: 8, Size: 16, LogicalMax: 65535}, "01 05", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := hexBytes(t, tc.report)
			if got := tc.f.Value(r); fmt.Sprintf("%.6g", got) != fmt.Sprintf("%.6g", tc.want) {
				t.Errorf("value %v, want %v", got, tc.want)
			}
		})
	}
	f := Field{Offset: 4, Size: 16, LogicalMin: -1, LogicalMax: 32767}
	r := []byte{7, 0x0f, 0, 0xf0}
	f.Put(r, -1)
	if fmt.Sprintf("% x", r) != "07 ff ff ff" {
		t.Errorf("put -1: % x", r)
	}
	f.Put(r, 20)
	if fmt.Sprintf("% x", r) != "07 4f 01 f0" || f.Value(r) != 20 {
		t.Errorf("put 20: % x (reads %v)", r, f.Value(r))
	}
	v := Field{Size: 16, LogicalMax: 65535, Unit: UnitVolt, UnitExp: 5}
	r = []byte{9, 0, 0}
	v.Put(r, 13.5)
	if fmt.Sprintf("%.6g", v.Value(r)) != "13.5" {
		t.Errorf("13.5 V round trip: % x reads %v", r, v.Value(r))
	}
}

func TestPaths(t *testing.T) {
	vendor := Names{{"APCStatusFlag", 0xff860060}, {"TLCharging", 0x00840044}}
	for _, s := range []string{"UPS.PowerSummary.APCStatusFlag", "UPS.Flow.[4].ConfigVoltage", "UPS.ff000001.TLCharging", "UPS.PowerSummary.PresentStatus.ACPresent"} {
		p, err := ParsePath(s, vendor, PowerDevice)
		if err != nil {
			t.Fatal(err)
		}
		if back := FormatPath(p, vendor, PowerDevice); back != s {
			t.Errorf("%s → %x → %s", s, p, back)
		}
	}
	if p, _ := ParsePath("ups.powersummary.voltage", PowerDevice); FormatPath(p, PowerDevice) != "UPS.PowerSummary.Voltage" {
		t.Errorf("names are not case-insensitive: %x", p)
	}
	if _, err := ParsePath("UPS.NoSuchThing", PowerDevice); err == nil {
		t.Error("unknown usage accepted")
	}
	if u, _ := PowerDevice.Lookup("VoltageOutOfRange"); u != 0x00840063 {
		t.Errorf("VoltageOutOfRange is %08x, want the Power Device page's", u)
	}
}
