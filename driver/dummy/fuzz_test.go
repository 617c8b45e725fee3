package dummy

import (
	"strings"
	"testing"

	"github.com/powerchain/powerchain/device"
	"github.com/powerchain/powerchain/driver"
	"github.com/powerchain/powerchain/internal/fuzztest"
)

// FuzzParseSim reads bytes as a .dev or .seq file and plays them into a
// device as the driver does: no panic, and what is played stays within
// the bounds (variables, value length, no control characters).
func FuzzParseSim(f *testing.F) {
	fuzztest.AddFiles(f, "../../testdata/ddl/*.dev", "../../demo/rack/*.seq", "../../demo/rack/*.dev")
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
