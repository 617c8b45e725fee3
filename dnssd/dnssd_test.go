package dnssd

import (
	"strings"
	"testing"
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
	txt := TXT("1.3", []string{"ups1", "pdu1"})
	if strings.Join(txt, " ") != "txtvers=1 protovers=1.3 devices=ups1,pdu1" {
		t.Errorf("TXT: %q", txt)
	}
	many := make([]string, 100)
	for i := range many {
		many[i] = "device-with-a-long-name"
	}
	for _, s := range TXT("1.3", many) {
		if len(s) > 255 {
			t.Errorf("TXT string of %d bytes", len(s))
		}
	}
	for in, want := range map[string]string{`powerchain\032on\032vm`: "powerchain on vm", `a\ b\.c`: "a b.c", `plain`: "plain"} {
		if got := unescape(in); got != want {
			t.Errorf("unescape(%q) = %q, want %q", in, got, want)
		}
	}
}
