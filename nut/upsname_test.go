package nut

import "testing"

func TestParseUPSName(t *testing.T) {
	tests := []struct {
		in      string
		want    UPSName
		addr    string
		wantErr bool
	}{
		{in: "ups1", want: UPSName{UPS: "ups1"}, addr: "localhost:3493"},
		{in: "ups1@host", want: UPSName{UPS: "ups1", Host: "host"}, addr: "host:3493"},
		{in: "ups1@host:3494", want: UPSName{UPS: "ups1", Host: "host", Port: 3494}, addr: "host:3494"},
		{in: "ups1@[::1]:3494", want: UPSName{UPS: "ups1", Host: "::1", Port: 3494}, addr: "[::1]:3494"},
		{in: "ups1@::1", want: UPSName{UPS: "ups1", Host: "::1"}, addr: "[::1]:3493"},
		{in: "@host", wantErr: true},
		{in: "ups@", wantErr: true},
		{in: "ups@host:", wantErr: true},
		{in: "u ps@host", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParseUPSName(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseUPSName(%q) error %v", tt.in, err)
			continue
		}
		if tt.wantErr {
			continue
		}
		if got != tt.want || got.Addr() != tt.addr {
			t.Errorf("ParseUPSName(%q) = %+v (%s), want %+v (%s)", tt.in, got, got.Addr(), tt.want, tt.addr)
		}
		if back, _ := ParseUPSName(got.String()); back != got {
			t.Errorf("String round trip of %q: %q", tt.in, got.String())
		}
	}
}
