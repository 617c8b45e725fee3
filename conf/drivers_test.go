package conf

import (
	"os"
	"slices"
	"testing"
)

// TestNUTDrivers: the list is sorted and holds every driver Debian's NUT
// packages installed here.
func TestNUTDrivers(t *testing.T) {
	if !slices.IsSorted(NUTDrivers) {
		t.Error("NUTDrivers is not sorted")
	}
	ents, err := os.ReadDir("/lib/nut")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	for _, e := range ents {
		if n := e.Name(); n != "upsd" && n != "upsmon" && !IsNUTDriver(n) {
			t.Errorf("/lib/nut/%s is not in NUTDrivers", n)
		}
	}
}
