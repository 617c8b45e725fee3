package usbhid

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/powerchain/powerchain/device"
	"github.com/powerchain/powerchain/driver"
	"github.com/powerchain/powerchain/internal/testlog"
)

// TestReplayFileLater: a port whose recording is not there is a device
// not connected yet, as an unplugged UPS is: the driver starts, retries
// with backoff (logging the cause once), and reads the file once it
// appears, without a restart.
func TestReplayFileLater(t *testing.T) {
	logs := testlog.Capture(t)
	dir := t.TempDir()
	cfg := driver.Config{Name: "u1", Driver: "usbhid-ups", Port: "later.replay", ConfDir: dir, Settings: map[string]string{}}
	dev := device.New("u1", "")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- driver.Run(ctx, cfg, dev, time.Millisecond) }()
	defer func() { cancel(); <-done }()

	// Attempts fail while the file is missing (the backoff doubles from
	// 1 ms, so several run before the first log line is seen).
	waitUntil(t, func() bool { return strings.Contains(logs.String(), "cannot connect") })
	select {
	case err := <-done:
		t.Fatalf("driver gave up on a missing file: %v", err)
	default:
	}
	if dev.Snapshot().Connected {
		t.Fatal("connected without its file")
	}
	rec, err := os.ReadFile(filepath.Join("testdata", "apc-back-ups-cs-500.replay"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "later.replay"), rec, 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor(t, dev, "the recording's device", func(s *device.Snapshot) bool { return s.Connected && s.Value("ups.status") != "" })
	if n := strings.Count(logs.String(), "cannot connect"); n != 1 {
		t.Errorf("%d log lines for one cause:\n%s", n, logs)
	}
	if !strings.Contains(logs.String(), "later.replay: no such file") {
		t.Errorf("the log does not name the missing file:\n%s", logs)
	}
}

// waitUntil polls cond (what the driver logged) for up to 10 s.
func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	for i := 0; i < 1000; i++ {
		if cond() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("condition not met within 10 s")
}
