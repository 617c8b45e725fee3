package device

import (
	"slices"
	"testing"
)

// TestStoreAddFirst: devices added first go before the others in the
// order given; one already there is replaced in place.
func TestStoreAddFirst(t *testing.T) {
	s := NewStore()
	s.Add(New("a", ""))
	s.Add(New("b", ""))
	b2 := New("b", "new")
	s.AddFirst(New("x", ""), b2, New("y", ""))
	var names []string
	for _, d := range s.Devices() {
		names = append(names, d.Name())
	}
	if !slices.Equal(names, []string{"x", "y", "a", "b"}) {
		t.Errorf("devices %v, want [x y a b]", names)
	}
	if got, _ := s.Get("b"); got != b2 {
		t.Error("AddFirst did not replace a device of the same name")
	}
}
