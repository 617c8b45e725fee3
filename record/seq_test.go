package record

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/powerchain/powerchain/client"
	"github.com/powerchain/powerchain/driver/dummy"
)

// Every value a .seq line holds reads back the same through dummy-ups's
// parser (powerchain's, which reads files as NUT 2.8.0's does).
func TestValueRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		v, enc string
	}{
		{"OL", "OL"},
		{"OB DISCHRG LB", "OB DISCHRG LB"},
		{"230.1", "230.1"},
		{"", `""`},
		{"two  spaces", `"two  spaces"`},
		{" lead", `" lead"`},
		{"a=b", `"a=b"`},
		{`say "hi"`, `"say \"hi\""`},
		{`back\slash`, `"back\\slash"`},
		{"#1 rack", `"\#1 rack"`},
		{"tab\there", ""},
		{"caf\xc3\xa9", ""},
	} {
		enc, err := Value(tc.v)
		if tc.enc == "" {
			if err == nil {
				t.Errorf("Value(%q) = %q, want an error", tc.v, enc)
			}
			continue
		}
		if err != nil || enc != tc.enc {
			t.Errorf("Value(%q) = %q, %v; want %q", tc.v, enc, err, tc.enc)
			continue
		}
		steps, err := dummy.ParseSim([]byte("x.y: " + enc + "\n"))
		if err != nil || len(steps) != 1 || steps[0].Value != tc.v {
			t.Errorf("%q written as %q reads back as %+v, %v", tc.v, enc, steps, err)
		}
	}
}

// call is one call on a Seq at an offset from its start.
type call struct {
	at    time.Duration
	name  string
	value string
	del   bool
	sync  []client.Var
	flush bool
}

func TestSeq(t *testing.T) {
	start := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	dump := []client.Var{{Name: "battery.charge", Value: "100"}, {Name: "ups.status", Value: "OL"},
		{Name: "input.voltage", Value: "230.1"}}
	for _, tc := range []struct {
		name    string
		changes []call
		end     time.Duration
	}{
		{"nothing happens", nil, 10 * time.Second},
		{"an outage", []call{
			{at: 3 * time.Second, name: "ups.status", value: "OB DISCHRG"},
			{at: 3*time.Second + 100*time.Millisecond, name: "input.voltage", value: "0.0"},
			{at: 5 * time.Second, name: "battery.charge", value: "70"},
			{at: 9 * time.Second, name: "ups.status", value: "OL CHRG"},
			{at: 9 * time.Second, name: "input.voltage", value: "229.8"},
		}, 12 * time.Second},
		// Within half a second of the start: still a step of its own
		// (TIMER is at least 1); set and set back within one second is
		// no step at all; the last value of a second wins.
		{"same second", []call{
			{at: 200 * time.Millisecond, name: "ups.status", value: "OB"},
			{at: 2 * time.Second, name: "battery.charge", value: "99"},
			{at: 2*time.Second + 300*time.Millisecond, name: "battery.charge", value: "100"},
			{at: 4 * time.Second, name: "battery.charge", value: "98"},
			{at: 4*time.Second + 400*time.Millisecond, name: "battery.charge", value: "97"},
		}, 4 * time.Second},
		{"removed and new variables", []call{
			{at: time.Second, name: "input.voltage", del: true},
			{at: time.Second, name: "ups.alarm", value: `Replace "battery"`},
			{at: 2 * time.Second, name: "never.there", del: true},
			{at: 3 * time.Second, name: "input.voltage", value: "231"},
		}, 3 * time.Second},
		// A whole reading (polling): what differs, what is gone; a step is
		// written once its second is over.
		{"readings", []call{
			{at: 5 * time.Second, sync: []client.Var{{Name: "battery.charge", Value: "100"}, {Name: "ups.status", Value: "OB"}}},
			{at: 5*time.Second + 600*time.Millisecond, flush: true},
			{at: 10 * time.Second, sync: []client.Var{{Name: "battery.charge", Value: "90"}, {Name: "ups.status", Value: "OB"}}},
			{at: 15 * time.Second, sync: []client.Var{{Name: "battery.charge", Value: "90"}, {Name: "ups.status", Value: "OB"}}},
		}, 20 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			s, err := NewSeq(&b, "a test\nof two lines", start, dump)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range tc.changes {
				at := start.Add(c.at)
				switch {
				case c.flush:
					err = s.Flush(at)
				case c.sync != nil:
					err = s.Sync(at, c.sync)
				case c.del:
					err = s.Delete(at, c.name)
				default:
					err = s.Set(at, c.name, c.value)
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			if err := s.Close(start.Add(tc.end)); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "seq", filepath.Base(t.Name())+".seq")
			if os.Getenv("UPDATE_GOLDEN") != "" {
				os.MkdirAll(filepath.Dir(golden), 0o755)
				os.WriteFile(golden, b.Bytes(), 0o644)
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if b.String() != string(want) {
				t.Errorf("got\n%s\nwant\n%s", b.String(), want)
			}
			// dummy-ups reads it, and its pauses add up to the recording.
			steps, err := dummy.ParseSim(b.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			var total time.Duration
			for _, st := range steps {
				total += st.Pause
			}
			if total != tc.end {
				t.Errorf("TIMERs add up to %s, the recording lasted %s", total, tc.end)
			}
		})
	}
}
