package nut

import (
	"errors"
	"testing"
)

// TestChangeLines: every kind of stream line is written and read back,
// a value's quotes and escapes included; malformed lines are refused.
func TestChangeLines(t *testing.T) {
	for _, tt := range []struct {
		c    Change
		line string
	}{
		{Change{Seq: 7, Kind: ChangeVar, UPS: "ups1", Name: "ups.status", Value: "OB LB"}, `VAR 7 ups1 ups.status "OB LB"`},
		{Change{Seq: 8, Kind: ChangeVar, UPS: "ups1", Name: "ups.id", Value: `a "b" \ #c`}, `VAR 8 ups1 ups.id "a \"b\" \\ \#c"`},
		{Change{Seq: 9, Kind: ChangeDelVar, UPS: "ups1", Name: "battery.runtime"}, "DELVAR 9 ups1 battery.runtime"},
		{Change{Seq: 10, Kind: ChangeMeta, UPS: "ups1"}, "META 10 ups1"},
		{Change{Seq: 10, Kind: ChangeState, UPS: "ups1", Value: string(ErrDataStale)}, "STATE 10 ups1 DATA-STALE"},
		{Change{Seq: 11, Kind: ChangeAdd, UPS: "pdu1"}, "ADD 11 pdu1"},
		{Change{Seq: 12, Kind: ChangeRemove, UPS: "pdu1"}, "REMOVE 12 pdu1"},
		{Change{Seq: 12, Kind: ChangePing}, "PING 12"},
		{Change{Seq: 12, Kind: ChangeDropped, Name: DropTooSlow, Value: "fell 65536 changes behind"}, `DROPPED 12 TOO-SLOW "fell 65536 changes behind"`},
	} {
		got := string(AppendChange(nil, tt.c))
		if got != tt.line+"\n" {
			t.Errorf("%+v: %q, want %q", tt.c, got, tt.line)
		}
		back, err := ParseChange(tt.line)
		if err != nil || back != tt.c {
			t.Errorf("%q: read back %+v %v", tt.line, back, err)
		}
	}
	for _, bad := range []string{"", "VAR", "VAR x ups1 a \"b\"", "VAR 1 ups1 a", "VAR 1 ups1 a b c", "PING 1 x",
		"STATE 1 ups1", "ADD 1", "NOTIFY 1 ups1", "DROPPED 1 TOO-SLOW"} {
		if c, err := ParseChange(bad); !errors.Is(err, ErrBadChange) {
			t.Errorf("%q: %+v %v, want ErrBadChange", bad, c, err)
		}
	}
}

func TestPositions(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want Position
		ok   bool
	}{
		{"NOW", Position{}, true},
		{"now", Position{}, true},
		{"0123456789abcdef:42", Position{"0123456789abcdef", 42}, true},
		{"f:0", Position{"f", 0}, true},
		{":1", Position{}, false},
		{"f:", Position{}, false},
		{"f:-1", Position{}, false},
		{"f", Position{}, false},
		{"ups1", Position{}, false},
	} {
		got, err := ParsePosition(tt.in)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("%q: %+v %v", tt.in, got, err)
		}
		if tt.ok && got.String() != tt.in && tt.in != "now" {
			t.Errorf("%q written back as %q", tt.in, got.String())
		}
	}
}
