package dummy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/powerchain/powerchain/device"
	"github.com/powerchain/powerchain/driver"
)

// FuzzParseSim reads bytes as a .dev or .seq file and plays them into a
// device as the driver does: no panic, and what is played stays within
// the bounds (variables, value length, no control characters).
func FuzzParseSim(f *testing.F) {
	for _, glob := range []string{"../../testdata/ddl/*.dev", "../../demo/rack/*.seq", "../../demo/rack/*.dev"} {
		files, _ := filepath.Glob(glob)
		for _, p := range files {
			b, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
	f.Add([]byte("ups.status: OB LB\nTIMER 5\nups.status:\nbattery.charge: \"4 2\" # comment\n\\\nTIMER\nx\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		steps, err := ParseSim(src)
		if err != nil {
			return
		}
		dev := device.New("x", "")
		d := &Dummy{switching: true, steps: steps}
		for d.pos < len(d.steps) {
			apply, _ := d.play()
			dev.Update(apply)
		}
		dev.Update(d.addOutletCmds)
		s := dev.Snapshot()
		if len(s.Vars) > driver.MaxVars {
			t.Fatalf("%d variables", len(s.Vars))
		}
		for _, v := range s.Vars {
			if strings.ContainsFunc(v.Name+v.Value, func(r rune) bool { return r < ' ' || r > 0x7f }) {
				t.Fatalf("%q = %q: a character NUT's parser does not keep", v.Name, v.Value)
			}
			if len(v.Value) > maxValueLen && v.Name != "ups.status" {
				t.Fatalf("%s: value of %d bytes", v.Name, len(v.Value))
			}
		}
	})
}
