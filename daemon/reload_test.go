package daemon

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/powerchain/powerchain/client"
)

// TestReloadAddsDevicesAndUsers: a reload picks up a new device, a removed
// device and a new user, while an open client connection goes on.
func TestReloadAddsDevicesAndUsers(t *testing.T) {
	dir := rackDir(t)
	d, port := startDir(t, dir)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cli, err := client.Dial(ctx, fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
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
	// A broken config is refused and the running one stays.
	os.WriteFile(filepath.Join(dir, "ups.conf"), []byte("[broken]\n\tport = x\n"), 0o640)
	if err := d.Reload(); err == nil {
		t.Error("reload accepted a device without driver")
	}
	if _, err := cli.Get(ctx, "pdu2", "ups.status"); err != nil {
		t.Errorf("after a refused reload: %v", err)
	}
}
