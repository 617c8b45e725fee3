package mib

import (
	"fmt"
	"reflect"
	"testing"
)

// diff lists the fields in which got differs from want, by path.
func diff(path string, got, want reflect.Value, out *[]string) {
	if reflect.DeepEqual(got.Interface(), want.Interface()) {
		return
	}
	switch want.Kind() {
	case reflect.Pointer:
		if got.IsNil() || want.IsNil() {
			break
		}
		diff(path, got.Elem(), want.Elem(), out)
		return
	case reflect.Struct:
		for i := 0; i < want.NumField(); i++ {
			diff(path+"."+want.Type().Field(i).Name, got.Field(i), want.Field(i), out)
		}
		return
	case reflect.Slice:
		n := max(got.Len(), want.Len())
		for i := 0; i < n; i++ {
			p := fmt.Sprintf("%s[%d]", path, i)
			switch {
			case i >= got.Len():
				*out = append(*out, fmt.Sprintf("%s: missing, want %+v", p, want.Index(i)))
			case i >= want.Len():
				*out = append(*out, fmt.Sprintf("%s: extra %+v", p, got.Index(i)))
			default:
				diff(p, got.Index(i), want.Index(i), out)
			}
		}
		if got.IsNil() != want.IsNil() {
			*out = append(*out, fmt.Sprintf("%s: nil %v, want nil %v", path, got.IsNil(), want.IsNil()))
		}
		return
	}
	*out = append(*out, fmt.Sprintf("%s = %#v, want %#v", path, got.Interface(), want.Interface()))
}

// TestLoadedEqualsGo: the tables read from tables/*.tab are the Go
// tables, field by field.
func TestLoadedEqualsGo(t *testing.T) {
	if len(loaded.mibs) != len(detection) {
		t.Errorf("%d tables loaded, %d in Go", len(loaded.mibs), len(detection))
	}
	for i := range min(len(loaded.mibs), len(detection)) {
		got, want := loaded.mibs[i], detection[i]
		var d []string
		diff(want.Name, reflect.ValueOf(got), reflect.ValueOf(want), &d)
		for _, l := range d {
			t.Error(l)
		}
		if !reflect.DeepEqual(got, want) && len(d) == 0 {
			t.Errorf("%s: not equal, no difference found", want.Name)
		}
	}
	var d []string
	diff("TrapSets", reflect.ValueOf(loaded.traps), reflect.ValueOf(TrapSets), &d)
	for _, l := range d {
		t.Error(l)
	}
	if !reflect.DeepEqual(loaded.traps, TrapSets) && len(d) == 0 {
		t.Error("trap sets: not equal, no difference found")
	}
}
