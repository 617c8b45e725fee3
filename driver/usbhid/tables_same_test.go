package usbhid

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"testing"
)

// TestTablesMatchGo is the proof that the .tab files say what the Go
// tables said: every subdriver, usage, row and lookup loaded from
// tables/ equals the Go one, functions compared by code pointer (or, for
// the conversions the tables parameterise, by their results).
func TestTablesMatchGo(t *testing.T) {
	loaded, err := loadSubdrivers(tableFiles)
	if err != nil {
		t.Fatal(err)
	}
	var got, want []string
	for _, s := range loaded {
		got = append(got, s.Name)
	}
	for _, s := range subdrivers {
		want = append(want, s.Name)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("subdrivers %v, want %v", got, want)
	}
	for i, w := range subdrivers {
		for _, d := range diffSubdriver(loaded[i], w) {
			t.Errorf("%s: %s", w.Name, d)
		}
	}
}

func samePointer(a, b any) bool {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	if va.IsNil() || vb.IsNil() {
		return va.IsNil() == vb.IsNil()
	}
	return va.Pointer() == vb.Pointer()
}

func diffSubdriver(g, w *Subdriver) []string {
	var d []string
	add := func(format string, a ...any) { d = append(d, fmt.Sprintf(format, a...)) }
	if g.Name != w.Name || g.Version != w.Version || g.Mfr != w.Mfr || g.Iface != w.Iface {
		add("header %q %q %q %d, want %q %q %q %d", g.Name, g.Version, g.Mfr, g.Iface, w.Name, w.Version, w.Mfr, w.Iface)
	}
	for _, f := range []struct {
		what string
		g, w any
	}{{"claim", g.Claim, w.Claim}, {"setup", g.Setup, w.Setup}, {"fix", g.Fix, w.Fix}, {"format", g.Format, w.Format}, {"state", g.NewState, w.NewState}} {
		if !samePointer(f.g, f.w) {
			add("%s function differs", f.what)
		}
	}
	if g.NewState != nil && w.NewState != nil && !reflect.DeepEqual(g.NewState(), w.NewState()) {
		add("new state %#v, want %#v", g.NewState(), w.NewState())
	}
	if len(g.Usages) != len(w.Usages) {
		add("%d usages, want %d", len(g.Usages), len(w.Usages))
	}
	for i := range min(len(g.Usages), len(w.Usages)) {
		if g.Usages[i] != w.Usages[i] {
			add("usage %d: %+v, want %+v", i+1, g.Usages[i], w.Usages[i])
		}
	}
	if len(g.Rows) != len(w.Rows) {
		add("%d rows, want %d", len(g.Rows), len(w.Rows))
	}
	for i := range min(len(g.Rows), len(w.Rows)) {
		gr, wr := g.Rows[i], w.Rows[i]
		where := fmt.Sprintf("row %d (%s %s %s)", i+1, wr.Kind, wr.Name, wr.Path)
		if gr.Kind != wr.Kind || gr.Name != wr.Name || gr.Path != wr.Path || gr.Format != wr.Format || gr.Flags != wr.Flags || gr.Len != wr.Len {
			add("%s: %s %q %q format %q flags %#x len %d, want %s %q %q format %q flags %#x len %d", where,
				gr.Kind, gr.Name, gr.Path, gr.Format, gr.Flags, gr.Len, wr.Kind, wr.Name, wr.Path, wr.Format, wr.Flags, wr.Len)
		}
		if (gr.Lookup == nil) != (wr.Lookup == nil) {
			add("%s: lookup %v, want %v", where, gr.Lookup, wr.Lookup)
			continue
		}
		if wr.Lookup != nil {
			for _, ld := range diffLookup(gr.Lookup, wr.Lookup) {
				add("%s: lookup %s: %s", where, wr.Lookup.Name, ld)
			}
		}
	}
	return d
}

// probes are the values a parameterised conversion is compared on: every
// bit of a 16-bit status word, and values around the scales used.
var probes = func() []float64 {
	p := []float64{0, -1, 0.5, 1e-7, 3, 5, 7, 9, 12.5, 100, 230, 1234.5, 0x18, 0xffff}
	for i := range 16 {
		p = append(p, float64(int(1)<<i))
	}
	return p
}()

func diffLookup(g, w *Lookup) []string {
	var d []string
	if g.Name != w.Name {
		d = append(d, fmt.Sprintf("name %q", g.Name))
	}
	if len(g.Pairs) != len(w.Pairs) || (len(w.Pairs) > 0 && !reflect.DeepEqual(g.Pairs, w.Pairs)) {
		d = append(d, fmt.Sprintf("pairs %v, want %v", g.Pairs, w.Pairs))
	}
	if !samePointer(g.Nuf, w.Nuf) {
		d = append(d, "reverse conversion differs")
	}
	if (g.Fun == nil) != (w.Fun == nil) {
		return append(d, "conversion present in one only")
	}
	if g.Fun == nil || samePointer(g.Fun, w.Fun) {
		return d
	}
	if registered(w.Fun) || registered(g.Fun) {
		return append(d, "conversion differs")
	}
	// A conversion made from parameters (nonzero=, mask=, scale=):
	// stateless, so compared by its results.
	for _, v := range probes {
		gt, gok := probe(g.Fun, v)
		wt, wok := probe(w.Fun, v)
		if gt != wt || gok != wok {
			d = append(d, fmt.Sprintf("conversion of %v: %q %v, want %q %v", v, gt, gok, wt, wok))
		}
	}
	return d
}

// registered reports whether f is one of the functions tables name.
func registered(f any) bool {
	p := reflect.ValueOf(f).Pointer()
	for _, fs := range append(slices.Collect(maps.Values(subdriverFuncs)), commonFuncs) {
		for _, r := range fs {
			if reflect.ValueOf(r).Pointer() == p {
				return true
			}
		}
	}
	return false
}

func probe(f func(*Conv, float64) (string, bool), v float64) (text string, ok bool) {
	defer func() {
		if recover() != nil {
			text, ok = "(panics)", false
		}
	}()
	return f(nil, v)
}
