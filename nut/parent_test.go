package nut

import "testing"

func TestParseParent(t *testing.T) {
	tests := []struct {
		in      string
		want    Parent
		str     string
		outletN int
		wantErr bool
	}{
		{in: "", want: Parent{}, str: "main"},
		{in: "main", want: Parent{}, str: "main"},
		{in: "ups1", want: Parent{Device: "ups1"}, str: "ups1"},
		{in: "pdu1:outlet1@localhost", want: Parent{Device: "pdu1", Outlet: "outlet1", Host: "localhost"}, str: "pdu1:outlet1@localhost", outletN: 1},
		{in: "pdu1:3", want: Parent{Device: "pdu1", Outlet: "3"}, str: "pdu1:3", outletN: 3},
		{in: "ups2@10.0.0.2:3494", want: Parent{Device: "ups2", Host: "10.0.0.2", Port: 3494}, str: "ups2@10.0.0.2:3494"},
		{in: "pdu2:outlet4@[::1]:3493", want: Parent{Device: "pdu2", Outlet: "outlet4", Host: "::1", Port: 3493}, str: "pdu2:outlet4@[::1]:3493", outletN: 4},
		{in: "pdu:", wantErr: true},
		{in: ":1", wantErr: true},
		{in: "a:b:c", wantErr: true},
		{in: "a@", wantErr: true},
		{in: "a@h:0", wantErr: true},
		{in: "a@h:99999", wantErr: true},
		{in: "a@h:x", wantErr: true},
		{in: "a b", wantErr: true},
		{in: "a@[::1", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParseParent(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseParent(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if tt.wantErr {
			continue
		}
		if got != tt.want {
			t.Errorf("ParseParent(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
		if s := got.String(); s != tt.str {
			t.Errorf("String(%q) = %q, want %q", tt.in, s, tt.str)
		}
		if n, ok := got.OutletNumber(); tt.outletN != 0 && (!ok || n != tt.outletN) {
			t.Errorf("OutletNumber(%q) = %d %v", tt.in, n, ok)
		}
	}
}
