package dnssd

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/powerchain/powerchain/conf"
)

func TestNamesAndTXT(t *testing.T) {
	for _, tc := range []struct {
		host string
		port int
		want string
	}{
		{"rack7", 3493, "powerchain on rack7"},
		{"rack7.example.com", 3493, "powerchain on rack7"},
		{"rack7", 3494, "powerchain on rack7:3494"},
	} {
		if got := InstanceName(tc.host, tc.port); got != tc.want {
			t.Errorf("InstanceName(%q, %d) = %q, want %q", tc.host, tc.port, got, tc.want)
		}
	}
	for in, want := range map[string]string{`powerchain\032on\032vm`: "powerchain on vm", `a\ b\.c`: "a b.c", `plain`: "plain"} {
		if got := unescape(in); got != want {
			t.Errorf("unescape(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAnnouncementTXT(t *testing.T) {
	a := Announcement{Role: RoleServer, Protocol: "1.3", Devices: []DeviceInfo{
		{Name: "ups1", Type: "ups", Root: true}, {Name: "pdu1", Type: "pdu"},
		{Name: "srv1-psu1", Type: "psu", Host: "srv1"}, {Name: "srv1-psu2", Type: "psu", Host: "srv1"}, {Name: "srv2-psu1", Type: "psu", Host: "srv2"},
	}}
	want := []string{"txtvers=1", "protovers=1.3", "role=server", "ndevices=5", "roots=ups1", "hosts=srv1,srv2",
		"devices=ups1:ups,pdu1:pdu,srv1-psu1:psu,srv1-psu2:psu,srv2-psu1:psu", "device_list=ups1;pdu1;srv1-psu1;srv1-psu2;srv2-psu1"}
	txt := a.TXT()
	if !reflect.DeepEqual(txt, want) {
		t.Errorf("TXT:\n%q\nwant\n%q", txt, want)
	}
	back := ParseTXT(txt)
	if back.Role != RoleServer || back.Protocol != "1.3" || back.Total != 5 || !back.Complete() ||
		!reflect.DeepEqual(back.Hosts, []string{"srv1", "srv2"}) || len(back.Devices) != 5 ||
		back.Devices[0] != (DeviceInfo{Name: "ups1", Type: "ups", Root: true}) || back.Devices[2] != (DeviceInfo{Name: "srv1-psu1", Type: "psu"}) {
		t.Errorf("ParseTXT: %+v", back)
	}
	for _, tt := range []struct {
		host string
		want bool
	}{{"srv1", true}, {"SRV2.example.net", true}, {"srv3", false}, {"srv", false}} {
		if got := back.Feeds(tt.host); got != tt.want {
			t.Errorf("Feeds(%q) = %v", tt.host, got)
		}
	}
}

// TestAnnouncementPlace: site= and rack= say where the server stands,
// as written (spaces, case and non-ASCII kept); one of them alone, or a
// name conf.CheckPlace refuses, leaves the other key out.
func TestAnnouncementPlace(t *testing.T) {
	devs := []DeviceInfo{{Name: "ups1", Type: "ups", Root: true}}
	for _, tt := range []struct {
		site, rack string
		want       []string // the keys after ndevices
		back       [2]string
	}{
		{"Paris DC1", "R7 – top", []string{"site=Paris DC1", "rack=R7 – top"}, [2]string{"Paris DC1", "R7 – top"}},
		{"lyon", "", []string{"site=lyon"}, [2]string{"lyon", ""}},
		{"", "b12", []string{"rack=b12"}, [2]string{"", "b12"}},
		{"*", "a\nb", nil, [2]string{}},
		{strings.Repeat("x", conf.MaxPlace+1), "r1", []string{"rack=r1"}, [2]string{"", "r1"}},
	} {
		txt := Announcement{Role: RoleServer, Protocol: "1.3", Devices: devs, Site: tt.site, Rack: tt.rack}.TXT()
		want := append(append([]string{"txtvers=1", "protovers=1.3", "role=server", "ndevices=1"}, tt.want...),
			"roots=ups1", "hosts=", "devices=ups1:ups", "device_list=ups1")
		if !reflect.DeepEqual(txt, want) {
			t.Errorf("site %q rack %q: TXT\n%q\nwant\n%q", tt.site, tt.rack, txt, want)
		}
		if back := ParseTXT(txt); [2]string{back.Site, back.Rack} != tt.back {
			t.Errorf("site %q rack %q: read back as site %q rack %q", tt.site, tt.rack, back.Site, back.Rack)
		}
	}
	// Keys without regard to case, as RFC 6763 has them.
	if back := ParseTXT([]string{"SITE=Paris", "Rack=R1"}); back.Site != "Paris" || back.Rack != "R1" {
		t.Errorf("upper-case keys: %+v", back)
	}
}

// TestAnnouncementLimits: a server with 5,000 devices still announces a
// record within DNS-SD's limits; the lists are cut at whole items and
// ndevices tells a reader that there are more.
func TestAnnouncementLimits(t *testing.T) {
	// The longest site and rack a configuration may give, in characters
	// of two bytes.
	long := strings.Repeat("é", conf.MaxPlace/2)
	a := Announcement{Role: RoleServer, Protocol: "1.3", Site: long, Rack: long}
	for i := range 5000 {
		a.Devices = append(a.Devices, DeviceInfo{Name: fmt.Sprintf("rack%02d-server%03d-psu%d", i/200, i/2, i%2), Type: "psu", Root: i%7 == 0, Host: fmt.Sprintf("rack%02d-server%03d", i/200, i/2)})
	}
	txt := a.TXT()
	size := 0
	for _, s := range txt {
		if len(s) > MaxTXTString {
			t.Errorf("TXT string of %d bytes: %.40s…", len(s), s)
		}
		if strings.HasSuffix(s, ",") || strings.HasSuffix(s, ";") || strings.HasSuffix(s, ":") {
			t.Errorf("TXT string cut inside an item: …%s", s[len(s)-20:])
		}
		size += 1 + len(s)
	}
	if size > MaxTXTRecord {
		t.Errorf("TXT record of %d bytes", size)
	}
	back := ParseTXT(txt)
	if back.Total != 5000 || back.Complete() || len(back.Devices) == 0 || back.Site != long || back.Rack != long {
		t.Errorf("ParseTXT: %d devices of %d", len(back.Devices), back.Total)
	}
	// Foreign records: NUT's device_list, powerchain's older plain names.
	for _, tt := range []struct {
		txt  []string
		want []DeviceInfo
	}{
		{[]string{"txtvers=1", "protovers=1.0.0", "device_list=dev1;dev2"}, []DeviceInfo{{Name: "dev1"}, {Name: "dev2"}}},
		{[]string{"txtvers=1", "protovers=1.3", "devices=ups1,pdu1"}, []DeviceInfo{{Name: "ups1"}, {Name: "pdu1"}}},
		{nil, []DeviceInfo{}},
	} {
		if got := ParseTXT(tt.txt); !reflect.DeepEqual(got.Devices, tt.want) || got.Total != len(tt.want) {
			t.Errorf("ParseTXT(%q) = %+v", tt.txt, got)
		}
	}
}
