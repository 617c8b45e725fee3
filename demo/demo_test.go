package demo_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/daemon"
	"github.com/powerchain/powerchain/demo"
	"github.com/powerchain/powerchain/internal/clienttest"
	"github.com/powerchain/powerchain/internal/nuttest"
	"github.com/powerchain/powerchain/internal/servetest"
	"github.com/powerchain/powerchain/internal/testlog"
	"github.com/powerchain/powerchain/nut"
)

// TestRackServes starts the embedded rack and checks the design's chain:
// 2 UPS on mains, a PDU on each, and 3 servers × 2 PSUs on both PDUs.
func TestRackServes(t *testing.T) {
	testlog.Silence()
	dir := t.TempDir()
	if err := demo.WriteTo(dir); err != nil {
		t.Fatal(err)
	}
	cd, err := conf.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if errs := cd.Validate().Err(); errs != nil {
		t.Fatalf("the demo config does not validate: %v", errs)
	}
	addr := servetest.Serve(t, daemon.Options{ConfDir: dir}).String()
	cctx, ccancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer ccancel()
	cli := clienttest.Dial(cctx, t, addr)
	upses, err := cli.ListUPS(cctx)
	if err != nil || len(upses) != 10 {
		t.Fatalf("devices: %d %v", len(upses), err)
	}
	parents := map[string]string{}
	for _, u := range upses {
		var v string
		for {
			v, err = cli.Get(cctx, u.Name, "device.parent")
			if err == nil || cctx.Err() != nil {
				break
			}
			time.Sleep(20 * time.Millisecond) // drivers are starting
		}
		if err != nil {
			t.Fatalf("%s device.parent: %v", u.Name, err)
		}
		if _, err := nut.ParseParent(v); err != nil {
			t.Errorf("%s: %v", u.Name, err)
		}
		parents[u.Name] = v
	}
	want := map[string]string{"ups1": "main", "ups2": "main", "pdu1": "ups1", "pdu2": "ups2",
		"srv1-psu1": "pdu1:outlet1", "srv1-psu2": "pdu2:outlet1", "srv2-psu1": "pdu1:outlet2",
		"srv2-psu2": "pdu2:outlet2", "srv3-psu1": "pdu1:outlet3", "srv3-psu2": "pdu2:outlet3"}
	for k, v := range want {
		if parents[k] != v {
			t.Errorf("%s parent %q, want %q", k, parents[k], v)
		}
	}
	if typ, _ := cli.Get(cctx, "srv1-psu1", "device.type"); typ != "psu" {
		t.Errorf("psu device.type %q", typ)
	}
	// Debian's upsc sees the same.
	nuttest.Require(t, nuttest.Upsc)
	env := nuttest.NewEnv(t)
	out := env.Run(nuttest.Upsc, "-L", addr)
	if !strings.Contains(out, "ups1: Rack A UPS, feed A") {
		t.Errorf("upsc -L:\n%s", out)
	}
}

// TestWriteToNewDir: demo --dir names a directory that need not exist
// yet; WriteTo makes it, and the files load.
func TestWriteToNewDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new", "etc")
	if err := demo.WriteTo(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := conf.LoadDir(dir); err != nil {
		t.Fatal(err)
	}
	// What serve would warn about at every demo start.
	st, err := os.Stat(filepath.Join(dir, "upsd.conf"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o640 {
		t.Errorf("upsd.conf: mode %v, want 0640", st.Mode().Perm())
	}
}
