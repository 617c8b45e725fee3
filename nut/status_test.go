package nut

import "testing"

func TestParseStatus(t *testing.T) {
	tests := []struct {
		in       string
		flags    StatusFlag
		str      string
		empty    bool
		critical bool
	}{
		{in: "", empty: true, str: ""},
		{in: "   ", empty: true, str: ""},
		{in: "OL", flags: OL, str: "OL"},
		{in: "OL CHRG", flags: OL | CHRG, str: "OL CHRG"},
		{in: "OB DISCHRG", flags: OB | DISCHRG, str: "OB DISCHRG"},
		{in: "OB LB", flags: OB | LB, str: "OB LB", critical: true},
		{in: "ob  lb", flags: OB | LB, str: "ob lb", critical: true},
		{in: "OB LB CAL", flags: OB | LB | CAL, str: "OB LB CAL"},
		{in: "OL LB", flags: OL | LB, str: "OL LB"},
		{in: "FSD OL", flags: FSD | OL, str: "FSD OL", critical: true},
		{in: "ALARM OL RB", flags: ALARM | OL | RB, str: "ALARM OL RB"},
		{in: "OFF", flags: OFF, str: "OFF"},
		{in: "OL BYPASS OVER TRIM BOOST HB ECO", flags: OL | BYPASS | OVER | TRIM | BOOST | HB | ECO, str: "OL BYPASS OVER TRIM BOOST HB ECO"},
		{in: "WAIT", str: "WAIT"},
		{in: "OLX LBB", str: "OLX LBB"},
		{in: "OL\tOB", flags: OL | OB, str: "OL OB"},
	}
	for _, tt := range tests {
		st := ParseStatus(tt.in)
		if st.Flags() != tt.flags {
			t.Errorf("ParseStatus(%q).Flags() = %v, want %v", tt.in, st.Flags(), tt.flags)
		}
		if st.String() != tt.str {
			t.Errorf("ParseStatus(%q).String() = %q, want %q", tt.in, st.String(), tt.str)
		}
		if st.IsEmpty() != tt.empty {
			t.Errorf("ParseStatus(%q).IsEmpty() = %v", tt.in, st.IsEmpty())
		}
		if st.Critical() != tt.critical {
			t.Errorf("ParseStatus(%q).Critical() = %v", tt.in, st.Critical())
		}
	}
}

func TestStatusHas(t *testing.T) {
	st := ParseStatus("OB LB vendorword")
	for _, tt := range []struct {
		f    StatusFlag
		want bool
	}{{OB, true}, {LB, true}, {OB | LB, true}, {OB | OL, false}, {OL, false}, {0, false}} {
		if got := st.Has(tt.f); got != tt.want {
			t.Errorf("Has(%v) = %v", tt.f, got)
		}
	}
	for _, tt := range []struct {
		w    string
		want bool
	}{{"OB", true}, {"ob", true}, {"VENDORWORD", true}, {"OL", false}, {"SD", false}} {
		if got := st.HasWord(tt.w); got != tt.want {
			t.Errorf("HasWord(%q) = %v", tt.w, got)
		}
	}
}

func TestStatusFlagString(t *testing.T) {
	if got := (OB | LB | FSD).String(); got != "OB LB FSD" {
		t.Errorf("got %q", got)
	}
	for _, w := range flagNames {
		f, ok := LookupStatusFlag(w)
		if !ok || f.String() != w {
			t.Errorf("LookupStatusFlag(%q) = %v, %v", w, f, ok)
		}
	}
	if _, ok := LookupStatusFlag("SD"); ok {
		t.Error("SD is not a NUT status word")
	}
}
