package usbhid

import (
	"fmt"
	"strings"
	"testing"

	"github.com/powerchain/powerchain/hid"
	"github.com/powerchain/powerchain/usbups"
)

// claimOrder is NUT 2.8.0's: explore first, then mge, then the others
// alphabetically.
var claimOrder = []string{"explore", "mge", "apc", "arduino", "belkin", "cps", "delta_ups", "ever",
	"idowell", "legrand", "liebert", "openups", "powercom", "powervar", "salicru", "tripplite"}

// TestLoadTables reads every embedded table as first use does (which
// would panic on an error) and reports the error with its file:line.
func TestLoadTables(t *testing.T) {
	subs, err := loadSubdrivers(tableFiles)
	if err != nil {
		t.Fatal(err)
	}
	if len(subs) != len(subdrivers()) {
		t.Fatalf("%d subdrivers, first use read %d", len(subs), len(subdrivers()))
	}
	usages, rows, lookups := 0, 0, map[*Lookup]bool{}
	for _, s := range subs {
		usages += len(s.Usages)
		rows += len(s.Rows)
		for _, r := range s.Rows {
			if r.Lookup != nil {
				lookups[r.Lookup] = true
			}
		}
	}
	t.Logf("%d subdrivers, %d usages, %d rows, %d lookups", len(subs), usages, rows, len(lookups))
}

// TestTables lints the subdriver tables for the mistakes a hand-kept
// table invites.
func TestTables(t *testing.T) {
	if len(subdrivers()) != 16 {
		t.Fatalf("%d subdrivers, NUT 2.8.0 has 16", len(subdrivers()))
	}
	for i, s := range subdrivers() {
		if s.Name != claimOrder[i] || s.Version == "" {
			t.Errorf("subdriver %d: %q %q", i, s.Name, s.Version)
		}
		names := map[string]bool{}
		for _, n := range s.Usages {
			if names[strings.ToLower(n.Name)] {
				t.Errorf("%s: usage %s named twice", s.Name, n.Name)
			}
			names[strings.ToLower(n.Name)] = true
		}
		for j, r := range s.Rows {
			where := fmt.Sprintf("%s row %d (%s %s)", s.Name, j+1, r.Kind, r.Name)
			if _, err := hid.ParsePath(r.Path, s.Usages, hid.PowerDevice); err != nil {
				t.Errorf("%s: %v", where, err)
			}
			switch r.Kind {
			case Status, Alarm:
				if r.Lookup == nil || r.Name != "" {
					t.Errorf("%s: status and alarm rows have a lookup and no name", where)
				}
			case Var:
				if r.Lookup == nil && !strings.HasPrefix(r.Format, "%") {
					t.Errorf("%s: neither a lookup nor a printf verb (%q)", where, r.Format)
				}
			case Server:
				if r.Format == "" || r.Flags&RW == 0 {
					t.Errorf("%s: a server-side variable needs a default and RW", where)
				}
			case Cmd:
				if r.Flags&(RW|String|Number) != 0 {
					t.Errorf("%s: a command with variable flags", where)
				}
			}
			if r.Kind != Status && r.Kind != Alarm && r.Name == "" {
				t.Errorf("%s: no name", where)
			}
			if r.Flags&String != 0 && r.Len == 0 {
				t.Errorf("%s: a string without a length", where)
			}
			if r.Flags&Enum != 0 && (r.Lookup == nil || len(r.Lookup.Pairs) == 0) {
				t.Errorf("%s: an enumeration without values", where)
			}
		}
	}
	// Every usbhid-ups ID of usbups is some subdriver's, and every
	// subdriver (but explore) has IDs.
	has := map[string]bool{}
	for _, id := range usbups.All() {
		if id.Driver != "usbhid-ups" {
			continue
		}
		for _, sub := range strings.Fields(id.Sub) {
			if SubdriverByName(sub) == nil {
				t.Errorf("%04x:%04x: unknown subdriver %q", id.Vendor, id.Product, sub)
			}
			has[sub] = true
		}
	}
	for _, s := range subdrivers() {
		if !has[s.Name] && s.Name != "explore" {
			t.Errorf("%s lists no USB device", s.Name)
		}
	}
}

// TestClaims checks NUT's claim rules and order on devices of each kind.
func TestClaims(t *testing.T) {
	for _, tc := range []struct {
		dev       Device
		productid string
		explore   bool
		want      string
	}{
		{dev: Device{Vendor: 0x051d, Product: 0x0002}, want: "apc"},
		{dev: Device{Vendor: 0x051d, Product: 0x0099}, want: ""},
		{dev: Device{Vendor: 0x051d, Product: 0x0099}, productid: "0099", want: "apc"},
		{dev: Device{Vendor: 0x0463, Product: 0xffff}, want: "mge"},
		{dev: Device{Vendor: 0x06da, Product: 0xffff}, want: "liebert"},
		{dev: Device{Vendor: 0x06da, Product: 0xffff, Manufacturer: "AEG Power"}, want: "mge"},
		{dev: Device{Vendor: 0x03f0, Product: 0x1fe0}, want: "tripplite"},
		{dev: Device{Vendor: 0x03f0, Product: 0x1fe0}, productid: "1fe0", want: "mge"},
		{dev: Device{Vendor: 0x05dd, Product: 0xa011}, want: "tripplite"},
		{dev: Device{Vendor: 0x05dd, Product: 0xa011}, productid: "a011", want: "delta_ups"},
		{dev: Device{Vendor: 0x09ae, Product: 0x0001}, productid: "0001", want: ""},
		{dev: Device{Vendor: 0x0d9f, Product: 0x0002}, productid: "0002", want: ""},
		{dev: Device{Vendor: 0x050d, Product: 0x0218}, productid: "0218", want: ""},
		{dev: Device{Vendor: 0x10af, Product: 0x0004}, want: "belkin"},
		{dev: Device{Vendor: 0x2341, Product: 0x8036, Iface: 2}, want: "arduino"},
		{dev: Device{Vendor: 0x2341, Product: 0x8036, Iface: 0}, want: ""},
		{dev: Device{Vendor: 0x1234, Product: 0x5678}, explore: true, want: "explore"},
		{dev: Device{Vendor: 0x1234, Product: 0x5678}, want: ""},
	} {
		o := &Options{ProductID: tc.productid, Explore: tc.explore}
		got := ""
		if s := choose(&tc.dev, o); s != nil {
			got = s.Name
		}
		if got != tc.want {
			t.Errorf("%04x:%04x %q productid=%q explore=%v: %q, want %q", tc.dev.Vendor, tc.dev.Product,
				tc.dev.Manufacturer, tc.productid, tc.explore, got, tc.want)
		}
	}
}

// BenchmarkLoadTables is what start-up pays once to read the tables.
func BenchmarkLoadTables(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := loadSubdrivers(tableFiles); err != nil {
			b.Fatal(err)
		}
	}
}
