package usbups

import (
	"strings"
	"testing"
)

// TestScanFakeSysfs: a sysfs tree with two USB UPSes, a serial-adapter UPS
// (nutdrv_qx), a keyboard, a root hub and an interface directory.
func TestScanFakeSysfs(t *testing.T) {
	found, others, err := Scan("testdata/sysfs")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range found {
		got = append(got, d.ID.Driver+" "+d.Manufacturer+"/"+d.ProductName+" bus "+d.Bus)
	}
	want := []string{
		"usbhid-ups American Power Conversion/Back-UPS ES 700G FW:871.O2 .I USB FW:O2 bus 1",
		"usbhid-ups EATON/Ellipse ECO bus 1",
		"nutdrv_qx /USB to Serial bus 2",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("found:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if others != 2 {
		t.Errorf("%d other USB devices, want 2 (keyboard, hub)", others)
	}
	if _, _, err := Scan("testdata/no-such-sysfs"); err == nil {
		t.Error("no error for a missing sysfs")
	}
}

func TestUdevRules(t *testing.T) {
	var b strings.Builder
	if err := UdevRules(&b, "nut"); err != nil {
		t.Fatal(err)
	}
	rules := b.String()
	hidraw := 0
	for _, id := range table() {
		if id.Driver == "usbhid-ups" {
			hidraw++
			if id.Sub == "" {
				t.Errorf("%04x:%04x: usbhid-ups without a subdriver", id.Vendor, id.Product)
			}
		} else if id.Sub != "" {
			t.Errorf("%04x:%04x: subdriver %q for %s", id.Vendor, id.Product, id.Sub, id.Driver)
		}
	}
	if n := strings.Count(rules, `SUBSYSTEM=="hidraw"`); n != hidraw {
		t.Errorf("%d hidraw rules for %d usbhid-ups entries", n, hidraw)
	}
	if n := strings.Count(rules, "ATTR{idVendor}"); n != len(table()) {
		t.Errorf("%d rules for %d table entries", n, len(table()))
	}
	for _, want := range []string{`ATTR{idVendor}=="051d", ATTR{idProduct}=="0002", MODE="664", GROUP="nut"`, `LABEL="powerchain_usbups_end"`} {
		if !strings.Contains(rules, want) {
			t.Errorf("rules lack %s", want)
		}
	}
	seen := map[[2]uint16]bool{}
	for _, id := range table() {
		k := [2]uint16{id.Vendor, id.Product}
		if seen[k] {
			t.Errorf("%04x:%04x twice", id.Vendor, id.Product)
		}
		seen[k] = true
		if id.Driver == "" {
			t.Errorf("%04x:%04x has no driver", id.Vendor, id.Product)
		}
	}
}

// TestTable reads ids.tab as first use does (which would panic on an
// error) and reports the error with its file:line.
func TestTable(t *testing.T) {
	ids, err := parseIDs("ids.tab", idsTab)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != len(table()) || len(ids) < 100 {
		t.Fatalf("%d devices, first use read %d", len(ids), len(table()))
	}
	if id, ok := Lookup(0x06da, 0xffff); !ok || id.Driver != "usbhid-ups" || id.Maker != "Phoenixtec Power Co., Ltd" || id.Sub != "mge liebert" {
		t.Errorf("06da:ffff = %+v, %v", id, ok)
	}
}

// BenchmarkParseIDs is what the first use of the table pays, once, to read ids.tab.
func BenchmarkParseIDs(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseIDs("ids.tab", idsTab); err != nil {
			b.Fatal(err)
		}
	}
}
