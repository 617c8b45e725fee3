package conf

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/powerchain/powerchain/internal/debtest"
)

// TestNUTDrivers: the list is sorted and holds every driver Debian's NUT
// packages installed here.
func TestNUTDrivers(t *testing.T) {
	if !slices.IsSorted(NUTDrivers) {
		t.Error("NUTDrivers is not sorted")
	}
	debtest.Require(t, "nut-server", "/lib/nut")
	ents, err := os.ReadDir("/lib/nut")
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, e := range ents {
		if n := e.Name(); n != "upsd" && n != "upsmon" {
			if !IsNUTDriver(n) {
				t.Errorf("/lib/nut/%s is not in NUTDrivers", n)
			}
			paths = append(paths, filepath.Join("/lib/nut", n))
		}
	}
	// The package of each installed driver is the table's.
	out, err := exec.Command("dpkg", append([]string{"-S"}, paths...)...).Output()
	if err != nil {
		t.Fatalf("dpkg -S: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, path, _ := strings.Cut(line, ": ")
		if want := NUTDriverPackages[filepath.Base(path)]; want != pkg {
			t.Errorf("%s is in Debian's %s, the table says %q", path, pkg, want)
		}
	}
}
