package dummy

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/powerchain/powerchain/device"
	"github.com/powerchain/powerchain/driver"
	"github.com/powerchain/powerchain/internal/testlog"
	"github.com/powerchain/powerchain/internal/waittest"
)

const pdu = `device.type: pdu
outlet.count: 2
outlet.1.status: on
outlet.2.status: on
ups.status: OL
`

// start runs a dummy-ups on a file with the given settings until the test
// ends, and returns the device once it has data.
func start(t *testing.T, content string, settings map[string]string) (*Dummy, *device.Device) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "pdu.dev"), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	drv, err := New(driver.Config{Name: "pdu", Driver: "dummy-ups", Port: "pdu.dev", ConfDir: dir, Settings: settings})
	if err != nil {
		t.Fatal(err)
	}
	dev := device.New("pdu", "")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { driver.Loop(ctx, drv, dev, time.Second, slog.Default()); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	if !waittest.Until(10*time.Second, 5*time.Millisecond, func() bool { return dev.Snapshot().Connected }) {
		t.Fatal("no data")
	}
	return drv.(*Dummy), dev
}

// TestSwitching: without simulate_switching the device offers what NUT's
// dummy-ups offers (load.off, doing nothing); with it, load.on/off switch
// the device and outlet.N.load.* each outlet.
func TestSwitching(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		settings  map[string]string
		switching bool
	}{
		{nil, false},
		{map[string]string{SimulateSwitching: "no"}, false},
		{map[string]string{SimulateSwitching: ""}, true}, // a flag, as NUT writes flags
		{map[string]string{SimulateSwitching: "yes"}, true},
	}
	for _, tt := range tests {
		d, dev := start(t, pdu, tt.settings)
		cmds := dev.Snapshot().Cmds
		want := []string{"load.off"}
		if tt.switching {
			want = []string{"load.off", "load.on", "outlet.1.load.cycle", "outlet.1.load.off", "outlet.1.load.on",
				"outlet.2.load.cycle", "outlet.2.load.off", "outlet.2.load.on"}
		}
		if !slices.Equal(cmds, want) {
			t.Errorf("%v: commands %v, want %v", tt.settings, cmds, want)
		}
		err := d.InstCmd(ctx, "load.off", "")
		if got := dev.Snapshot().Value("ups.status"); tt.switching != (got == "OFF") || tt.switching != (err == nil) {
			t.Errorf("%v: load.off: %v, ups.status %q", tt.settings, err, got)
		}
		if !tt.switching && !strings.Contains(err.Error(), SimulateSwitching) {
			t.Errorf("the refusal does not say how to simulate switching: %v", err)
		}
		if tt.switching {
			if err := d.InstCmd(ctx, "outlet.2.load.off", ""); err != nil || dev.Snapshot().Value("outlet.2.status") != "off" {
				t.Errorf("outlet.2.load.off: %v, status %q", err, dev.Snapshot().Value("outlet.2.status"))
			}
		}
	}
	if _, err := New(driver.Config{Port: "x.dev", Settings: map[string]string{SimulateSwitching: "maybe"}}); err == nil ||
		!strings.Contains(err.Error(), SimulateSwitching) {
		t.Errorf("simulate_switching = maybe: %v", err)
	}
}

// TestParseSimBounds: a file too large, a line too long or too many
// variables is refused with the line where it happened.
func TestParseSimBounds(t *testing.T) {
	many := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "x.%d: 1\n", i)
		}
		return b.String()
	}
	tests := []struct {
		name, src, err string
	}{
		{"ok", pdu, ""},
		{"long line", "ups.status: OL\nups.mfr: " + strings.Repeat("x", MaxLineLen) + "\n", "line 2: longer than 4096 bytes"},
		{"long last line", "ups.mfr: " + strings.Repeat("x", MaxLineLen), "line 1: longer than 4096 bytes"},
		{"line at the limit", "ups.mfr: " + strings.Repeat("x", MaxLineLen-9) + "\n", ""},
		{"too large", strings.Repeat("ups.status: OL\n", MaxFileSize/15+1), "larger than 1048576 bytes"},
		{"variables at the limit", many(driver.MaxVars), ""},
		{"too many variables", many(driver.MaxVars + 1), "line 10001: more than 10000 variables"},
		{"one variable many times", strings.Repeat("ups.load: 1\n", driver.MaxVars+1), ""},
	}
	for _, tt := range tests {
		_, err := ParseSim([]byte(tt.src))
		if got := errString(err); got != tt.err {
			t.Errorf("%s: error %q, want %q", tt.name, got, tt.err)
		}
	}
}

// TestReadFileBounds: what is not a regular file, or is larger than
// MaxFileSize, is refused before it is read whole.
func TestReadFileBounds(t *testing.T) {
	big := filepath.Join(t.TempDir(), "big.dev")
	if err := os.WriteFile(big, make([]byte, MaxFileSize+1), 0o644); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		"/dev/zero": "/dev/zero: not a regular file",
		big:         big + ": larger than 1048576 bytes",
	} {
		if _, _, err := readFile(path); errString(err) != want {
			t.Errorf("%s: %v, want %s", path, err, want)
		}
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestFileGone: a simulation file that is deleted makes the data stale
// at the next poll, with one log line however long it stays away, and
// fresh again when it is back; in both modes.
func TestFileGone(t *testing.T) {
	for _, mode := range []string{"dummy-once", "dummy-loop"} {
		logBuf := testlog.Capture(t)
		dir := t.TempDir()
		path := filepath.Join(dir, "ups.dev")
		if err := os.WriteFile(path, []byte("ups.status: OB\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		drv, err := New(driver.Config{Name: "ups", Port: path, Settings: map[string]string{"mode": mode}})
		if err != nil {
			t.Fatal(err)
		}
		d := drv.(*Dummy)
		d.interval = 10 * time.Millisecond
		dev := device.New("ups", "")
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { driver.Loop(ctx, d, dev, time.Second, slog.Default()); close(done) }()
		waitFor(t, func() bool { return dev.Snapshot().Value("ups.status") == "OB" && !dev.Snapshot().Updated.IsZero() })

		os.Remove(path)
		waitFor(t, func() bool { return dev.Snapshot().Updated.IsZero() })
		time.Sleep(20 * d.interval) // many polls while it is gone
		if s := dev.Snapshot(); !s.Updated.IsZero() {
			t.Errorf("%s: fresh again while the file is gone", mode)
		}
		if n := strings.Count(logBuf.String(), "poll failed"); n != 1 || !strings.Contains(logBuf.String(), "no such file") {
			t.Errorf("%s: %d warnings, want one that says why:\n%s", mode, n, logBuf.String())
		}

		if err := os.WriteFile(path, []byte("ups.status: OL\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		waitFor(t, func() bool { return dev.Snapshot().Value("ups.status") == "OL" && !dev.Snapshot().Updated.IsZero() })
		if !strings.Contains(logBuf.String(), "device answers again") {
			t.Errorf("%s: recovery not logged:\n%s", mode, logBuf.String())
		}
		cancel()
		<-done
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	if !waittest.Until(10*time.Second, 5*time.Millisecond, cond) {
		t.Fatal("condition not met in 10 s")
	}
}
