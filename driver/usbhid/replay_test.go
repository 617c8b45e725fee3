package usbhid

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/powerchain/powerchain/device"
	"github.com/powerchain/powerchain/driver"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// notOurs are variables that describe NUT's own build and process, not
// the device: no other implementation can or should publish the same.
func notOurs(name string) bool {
	return strings.HasPrefix(name, "driver.version") || name == "driver.parameter.synchronous" || name == "driver.state"
}

// replayDevice opens a recording as the driver would open the device,
// and returns what the driver published.
func replayDevice(t *testing.T, r *Replay) (*Driver, *device.Device) {
	t.Helper()
	settings := map[string]string{}
	for k, v := range r.Settings {
		settings[k] = v
	}
	cfg := driver.Config{Name: "ups", Driver: "usbhid-ups", Port: settings["port"], Settings: settings}
	drv, err := NewWith(cfg, r)
	if err != nil {
		t.Fatal(err)
	}
	dev := device.New("ups", "")
	driver.Prepare(cfg, dev)
	drv.mu.Lock()
	defer drv.mu.Unlock()
	s, err := drv.connect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	drv.s = s
	s.publish(dev)
	return drv, dev
}

// TestReplayMatchesNUT replays each recorded device and compares every
// variable NUT's usbhid-ups published for it: same names, same values.
// The table it writes (testdata/replay.golden) is the one in the README.
func TestReplayMatchesNUT(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.replay")
	if len(files) == 0 {
		t.Fatal("no recordings")
	}
	var table []string
	for _, file := range files {
		r, err := LoadReplay(file)
		if err != nil {
			t.Fatal(err)
		}
		base := filepath.Base(file)
		_, dev := replayDevice(t, r)
		snap := dev.Snapshot()
		nutVars := map[string]bool{}
		matched, compared := 0, 0
		var differ []string
		for _, kv := range r.NUT {
			name, want := kv[0], kv[1]
			nutVars[name] = true
			if notOurs(name) {
				continue
			}
			compared++
			got, ok := snap.Var(name)
			switch {
			case ok && got.Value == want:
				matched++
			case r.Differ[name] != "":
				differ = append(differ, fmt.Sprintf("%s (%q, NUT %q: %s)", name, got.Value, want, r.Differ[name]))
			case !ok:
				t.Errorf("%s: %s missing (NUT: %q)", base, name, want)
			default:
				t.Errorf("%s: %s = %q, NUT %q", base, name, got.Value, want)
			}
		}
		var extra []string
		for _, v := range snap.Vars {
			if !nutVars[v.Name] {
				extra = append(extra, v.Name+"="+v.Value)
			}
		}
		sort.Strings(extra)
		table = append(table, fmt.Sprintf("| %s | %04x:%04x | %d | %d | %s | %s |", strings.TrimSuffix(base, ".replay"),
			r.Dev.Vendor, r.Dev.Product, compared, matched, orNone(differ), orNone(extra)))
	}
	got := "| device | USB ID | NUT vars | matched | differ (why) | extra |\n|---|---|---|---|---|---|\n" + strings.Join(table, "\n") + "\n"
	golden := "testdata/replay.golden"
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("replay table changed (go test -update to accept):\n%s", got)
	}
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "—"
	}
	return strings.Join(s, "; ")
}
