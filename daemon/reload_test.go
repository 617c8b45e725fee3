package daemon

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/powerchain/powerchain/internal/clienttest"
)

// TestReloadAddsDevicesAndUsers: a reload picks up a new device, a removed
// device and a new user, while an open client connection goes on; a
// reload NUT's upsd would die of changes nothing.
func TestReloadAddsDevicesAndUsers(t *testing.T) {
	dir := rackDir(t)
	d, port := startDir(t, dir)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cli := clienttest.Dial(ctx, t, fmt.Sprintf("127.0.0.1:%d", port))
	if _, err := cli.Get(ctx, "pdu1", "ups.status"); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "ups.conf"), []byte("[pdu2]\n\tdriver = dummy-ups\n\tport = pdu1.dev\n\tsimulate_switching\n"), 0o640)
	os.WriteFile(filepath.Join(dir, "upsd.users"), []byte("[late]\n\tpassword = latepw\n\tinstcmds = ALL\n"), 0o640)
	if err := d.Reload(); err != nil {
		t.Fatal(err)
	}
	for {
		v, err := cli.Get(ctx, "pdu2", "ups.status")
		if err == nil && v == "OL" {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("pdu2 after reload: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := cli.Get(ctx, "pdu1", "ups.status"); err == nil {
		t.Error("pdu1 still served after it left ups.conf")
	}
	if err := cli.Authenticate(ctx, "late", "latepw"); err != nil {
		t.Fatal(err)
	}
	if err := cli.InstCmd(ctx, "pdu2", "outlet.1.load.off"); err != nil {
		t.Errorf("new user after reload: %v", err)
	}
	// Without ups.conf NUT's upsd exits; powerchain refuses the reload
	// and keeps serving.
	os.Remove(filepath.Join(dir, "ups.conf"))
	if err := d.Reload(); err == nil {
		t.Error("reload accepted a directory without ups.conf")
	}
	if _, err := cli.Get(ctx, "pdu2", "ups.status"); err != nil {
		t.Errorf("after a refused reload: %v", err)
	}
	// A section without driver is ignored, as NUT does: with no device
	// left, none is served.
	os.WriteFile(filepath.Join(dir, "ups.conf"), []byte("[broken]\n\tport = x\n"), 0o640)
	if err := d.Reload(); err != nil {
		t.Fatal(err)
	}
	if _, err := cli.Get(ctx, "pdu2", "ups.status"); err == nil || !strings.Contains(err.Error(), "UNKNOWN-UPS") {
		t.Errorf("pdu2 after a reload without it: %v", err)
	}
	if n := len(d.Store().Devices()); n != 0 {
		t.Errorf("%d devices served from a ups.conf with none complete", n)
	}
}
