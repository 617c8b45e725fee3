package setup_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/daemon"
	"github.com/powerchain/powerchain/demo"
	"github.com/powerchain/powerchain/internal/servetest"
	"github.com/powerchain/powerchain/setup"
)

// rackUsers adds the user a new node's upsmon logs in as.
const rackUsers = "\n[node]\n\tpassword = node-pw\n\tupsmon secondary\n"

// startRack serves the design's rack (srv1's power supplies say
// device.host = srv1) on loopback and returns its address.
func startRack(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := demo.WriteTo(dir); err != nil {
		t.Fatal(err)
	}
	f, _ := os.OpenFile(filepath.Join(dir, "upsd.users"), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(rackUsers)
	f.Close()
	return servetest.Serve(t, daemon.Options{ConfDir: dir}).String()
}

func join(t *testing.T, o setup.JoinOptions) (*setup.JoinResult, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return setup.Join(ctx, o)
}

func TestJoinByDeviceHost(t *testing.T) {
	rack := startRack(t)
	dir := t.TempDir()
	// The node's own settings stay.
	os.WriteFile(filepath.Join(dir, "upsmon.conf"), []byte("# node settings\nPOLLFREQ 2\n"), 0o640)
	o := setup.JoinOptions{Dir: dir, Servers: []string{rack}, Host: "SRV1.example.net", User: "node", Password: "node-pw"}
	res, err := join(t, o)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"srv1-psu1@" + rack, "srv1-psu2@" + rack}
	if !slices.Equal(res.Added, want) || res.MinSupplies != 1 || res.Mode != "netclient" || !res.Changed {
		t.Errorf("join: %+v", res)
	}
	for _, s := range res.Supplies {
		if s.Health != "healthy" || !strings.HasSuffix(s.Path, " -> main") || s.PowerValue != 1 {
			t.Errorf("supply %+v", s)
		}
	}
	mon, _ := os.ReadFile(filepath.Join(dir, "upsmon.conf"))
	wantMon := "# node settings\nPOLLFREQ 2\n" +
		"MONITOR srv1-psu1@" + rack + " 1 node node-pw secondary\n" +
		"MONITOR srv1-psu2@" + rack + " 1 node node-pw secondary\n" +
		"MINSUPPLIES 1\nSHUTDOWNCMD \"/sbin/shutdown -h +0\"\n"
	if string(mon) != wantMon {
		t.Errorf("upsmon.conf:\n%s\nwant:\n%s", mon, wantMon)
	}
	if nc, _ := os.ReadFile(filepath.Join(dir, "nut.conf")); string(nc) != "MODE=netclient\n" {
		t.Errorf("nut.conf: %q", nc)
	}
	if _, err := os.Stat(filepath.Join(dir, "ups.conf")); err == nil {
		t.Error("ups.conf written: a node relays nothing")
	}
	cd, err := conf.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if errs := cd.Validate().Err(); errs != nil {
		t.Errorf("the node's configuration: %v", errs)
	}

	// Again: nothing changes.
	before, _ := os.ReadFile(filepath.Join(dir, "upsmon.conf"))
	res, err = join(t, o)
	if err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(filepath.Join(dir, "upsmon.conf"))
	if res.Changed || len(res.Written) != 0 || len(res.Kept) != 2 || !bytes.Equal(before, after) {
		t.Errorf("second join: %+v", res)
	}
}

func TestJoinRefusals(t *testing.T) {
	rack := startRack(t)
	tests := []struct {
		name string
		o    setup.JoinOptions
		want string
		is   error
	}{
		{"wrong password", setup.JoinOptions{Host: "srv1", User: "node", Password: "nope"}, "user node cannot log in as upsmon", nil},
		{"a user without upsmon rights", setup.JoinOptions{Host: "srv1", User: "admin", Password: "demo-admin"}, "LOGIN srv1-psu1", nil},
		{"nothing says what feeds the host", setup.JoinOptions{Host: "srv9", User: "node", Password: "node-pw"}, `has device.host "srv9"`, setup.ErrNoSupplies},
		{"an outlet", setup.JoinOptions{Supplies: []string{"pdu1:outlet4"}, User: "node", Password: "node-pw"}, "upsmon watches devices, not outlets", nil},
		{"an unknown supply", setup.JoinOptions{Supplies: []string{"ghost"}, User: "node", Password: "node-pw"}, `supply "ghost": no such device`, nil},
		{"no server", setup.JoinOptions{Host: "srv1", User: "node", Password: "node-pw", Servers: []string{"127.0.0.1:1"}}, "server 127.0.0.1:1:", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			tt.o.Dir = dir
			if tt.o.Servers == nil {
				tt.o.Servers = []string{rack}
			}
			_, err := join(t, tt.o)
			if err == nil || !strings.Contains(err.Error(), tt.want) || tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("err %v, want %q", err, tt.want)
			}
			if files, _ := os.ReadDir(dir); len(files) != 0 {
				t.Errorf("files written after a refusal: %v", files)
			}
		})
	}
}

// TestJoinNamedSupplies: a host without power supplies of its own in the
// chain names what feeds it; --min-supplies says how many it needs.
func TestJoinNamedSupplies(t *testing.T) {
	rack := startRack(t)
	dir := t.TempDir()
	res, err := join(t, setup.JoinOptions{Dir: dir, Servers: []string{rack}, Supplies: []string{"ups1", "ups2@" + rack}, MinSupplies: 2,
		User: "node", Password: "node-pw", ShutdownCmd: "/usr/sbin/poweroff"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Added, []string{"ups1@" + rack, "ups2@" + rack}) || res.MinSupplies != 2 {
		t.Errorf("join: %+v", res)
	}
	mon, _ := os.ReadFile(filepath.Join(dir, "upsmon.conf"))
	if !strings.Contains(string(mon), "MINSUPPLIES 2\n") || !strings.Contains(string(mon), "SHUTDOWNCMD /usr/sbin/poweroff\n") {
		t.Errorf("upsmon.conf:\n%s", mon)
	}
}

// TestJoinFoundServers: servers found by browsing are joined when they
// answer and left out, with the reason, when they do not.
func TestJoinFoundServers(t *testing.T) {
	rack := startRack(t)
	dir := t.TempDir()
	res, err := join(t, setup.JoinOptions{Dir: dir, Found: []string{"127.0.0.1:1", rack}, Host: "srv3", User: "node", Password: "node-pw"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Servers, []string{rack}) || len(res.Skipped) != 1 || !strings.HasPrefix(res.Skipped[0], "127.0.0.1:1: ") ||
		!slices.Equal(res.Added, []string{"srv3-psu1@" + rack, "srv3-psu2@" + rack}) {
		t.Errorf("join: %+v", res)
	}
	_, err = join(t, setup.JoinOptions{Dir: t.TempDir(), Found: []string{"127.0.0.1:1"}, Host: "srv3", User: "node", Password: "node-pw"})
	if !errors.Is(err, setup.ErrNoSupplies) {
		t.Errorf("no found server answers: %v", err)
	}
}
