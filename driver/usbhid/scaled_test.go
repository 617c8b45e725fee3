package usbhid

import "testing"

// TestStateScaled: the conversions that scale a reading by a factor the
// model's state holds (Tripp Lite's and openUPS's, set at Setup) print
// the reading times that factor with NUT's precision.
func TestStateScaled(t *testing.T) {
	trip := &Conv{s: &session{state: &trippliteState{battery: 0.1, voltage: 0.1, frequency: 0.1, current: 0.1}}}
	open := &Conv{s: &session{state: &openupsState{vin: 0.01, vout: 0.02, ccharge: 0.001, cdischarge: 0.002}}}
	for _, tc := range []struct {
		fs   funcs
		name string
		c    *Conv
		v    float64
		want string
	}{
		{trippliteFuncs, "trippliteBattvolt", trip, 137, "13.7"},
		{trippliteFuncs, "trippliteIovolt", trip, 2301, "230.1"},
		{trippliteFuncs, "trippliteIofreq", trip, 499, "49.9"},
		{trippliteFuncs, "trippliteIoamp", trip, 12, "1.2"},
		{openupsFuncs, "openupsVin", open, 1234, "12.34"},
		{openupsFuncs, "openupsVout", open, 600, "12.00"},
		{openupsFuncs, "openupsCcharge", open, 1500, "1.500"},
		{openupsFuncs, "openupsCdischarge", open, 1500, "3.000"},
	} {
		f, ok := tc.fs[tc.name].(textFunc)
		if !ok {
			t.Fatalf("%s: not a conversion (%T)", tc.name, tc.fs[tc.name])
		}
		if got, ok := f(tc.c, tc.v); !ok || got != tc.want {
			t.Errorf("%s(%v) = %q, %v; want %q", tc.name, tc.v, got, ok, tc.want)
		}
	}
}
