package daemon

import (
	"context"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/powerchain/powerchain/internal/testlog"
	"github.com/powerchain/powerchain/internal/waittest"
)

// TestStaleLoggedLikeNUT: a device whose simulation file goes away turns
// stale, and back once the file is there again; the daemon says both in
// NUT's upsd's words, once each.
func TestStaleLoggedLikeNUT(t *testing.T) {
	dir := t.TempDir()
	dev := filepath.Join(dir, "ups.dev")
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	write("ups.conf", "[ups1]\n\tdriver = dummy-ups\n\tport = ups.dev\n")
	write("upsd.conf", "MAXAGE 15\n")
	write("upsd.users", "")
	write("ups.dev", "ups.status: OL\nbattery.charge: 100\n")
	var logs testlog.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	d, err := Start(ctx, Options{ConfDir: dir, Listen: []string{"127.0.0.1:0"}, Log: slog.New(slog.NewTextHandler(&logs, nil)),
		Ready: func([]net.Addr) {}})
	if err != nil {
		t.Fatal(err)
	}
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		if !waittest.Until(30*time.Second, 50*time.Millisecond, cond) {
			t.Fatalf("%s: not within 30 s; log:\n%s", what, logs.String())
		}
	}
	state := func() string {
		dev, ok := d.Store().Get("ups1")
		if !ok {
			return "no device"
		}
		return d.Server().State(dev)
	}
	waitFor("fresh data", func() bool { return state() == "OK" })
	time.Sleep(2 * staleLook) // seen fresh
	if err := os.Remove(dev); err != nil {
		t.Fatal(err)
	}
	const staleLine, freshLine = "Data for UPS [ups1] is stale - check driver", "UPS [ups1] data is no longer stale"
	waitFor("the stale line", func() bool { return strings.Contains(logs.String(), staleLine) })
	write("ups.dev", "ups.status: OB\nbattery.charge: 90\n")
	waitFor("the fresh line", func() bool { return strings.Contains(logs.String(), freshLine) })
	time.Sleep(2 * staleLook)
	if n, m := strings.Count(logs.String(), staleLine), strings.Count(logs.String(), freshLine); n != 1 || m != 1 {
		t.Errorf("stale logged %d times, fresh %d times, want once each:\n%s", n, m, logs.String())
	}
}
