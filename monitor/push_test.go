package monitor_test

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/powerchain/powerchain/client"
	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/daemon"
	"github.com/powerchain/powerchain/internal/clienttest"
	"github.com/powerchain/powerchain/internal/waittest"
	"github.com/powerchain/powerchain/monitor"
)

// noPolls are upsmon.conf timings under which no poll after the first
// comes within a test: what the monitor learns, it learns by push.
const noPolls = "POLLFREQ 3600\nPOLLFREQALERT 3600\nDEADTIME 10800\n"

// waitSubscribed waits until the monitor hears n servers' changes.
func waitSubscribed(t *testing.T, m *monitor.Monitor, n int) {
	t.Helper()
	if !waittest.Until(15*time.Second, 20*time.Millisecond, func() bool { return m.Subscribed() == n }) {
		t.Fatalf("the monitor follows %d servers' changes, want %d", m.Subscribed(), n)
	}
}

// TestPushShutsDownWithoutPolling: against powerchain's server the
// monitor hears OB LB when it happens: with an hour between polls it
// still notifies ONBATT and LOWBATT, sets FSD and runs SHUTDOWNCMD.
func TestPushShutsDownWithoutPolling(t *testing.T) {
	dir, srv, _ := oneUPS(t, "")
	flag := filepath.Join(dir, "shutdown")
	text := fmt.Sprintf("MONITOR ups1@%s 1 mon monpw primary\nFINALDELAY 0\nSHUTDOWNCMD \"touch %s\"\n%s", srv, flag, noPolls)
	m, err := monitor.New(conf.ParseUpsmonConf(conf.Parse(filepath.Join(dir, "upsmon.conf"), []byte(text))), slog.Default())
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var seen []string
	m.Notifier.Sent = func(typ, ups, msg string) { mu.Lock(); seen = append(seen, typ); mu.Unlock() }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { m.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	waitSubscribed(t, m, 1)

	cctx, ccancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer ccancel()
	admin := clienttest.Login(cctx, t, srv, "admin", "adminpw")
	if err := admin.Set(cctx, "ups1", "ups.status", "OB LB"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-m.ShutdownDone():
	case <-cctx.Done():
		t.Fatal("no shutdown: the change was not heard")
	}
	waitFile(t, flag, time.Second)
	mu.Lock()
	defer mu.Unlock()
	if got := strings.Join(seen, " "); got != "ONBATT LOWBATT SHUTDOWN" {
		t.Errorf("notifications %q, want ONBATT LOWBATT SHUTDOWN", got)
	}
	if st, err := admin.Get(cctx, "ups1", "ups.status"); err != nil || st != "FSD OB LB" {
		t.Errorf("ups.status %q %v, want FSD set by the primary", st, err)
	}
}

// TestPushThroughTheChain: the design's scenario with an hour between
// polls: PSU1 is off, then UPS2 (which no MONITOR line names, upstream
// of PSU2) goes on battery and low; the change brings the chain's
// reading forward and the host shuts down.
func TestPushThroughTheChain(t *testing.T) {
	r := newRig(t, srv1+noPolls)
	waitSubscribed(t, r.mon, 1)
	r.set("srv1-psu1", "ups.status", "OFF")
	r.waitNotified(monitor.NoRedundancy)
	if r.shutDown() {
		t.Fatal("shut down with psu2 still delivering")
	}
	r.set("ups2", "ups.status", "OB LB")
	r.waitNotified(monitor.SupplyLost + " srv1-psu2@")
	r.waitShutdown()
}

// TestPushResumesAfterServerRestart: the server goes away and comes back
// on the same port; the monitor subscribes again (the new server's feed
// is another: it reads everything) and still hears changes at once.
func TestPushResumesAfterServerRestart(t *testing.T) {
	r := newRig(t, "MONITOR ups1@ADDR 1 monitor demo-monitor primary\n"+noPolls)
	waitSubscribed(t, r.mon, 1)
	r.restartServer()
	waitSubscribed(t, r.mon, 1)
	r.set("ups1", "ups.status", "OB")
	r.waitNotified(monitor.OnBatt + " ups1@")
}

// restartServer stops the rig's server and starts it again on the same
// address.
func (r *rig) restartServer() {
	r.t.Helper()
	r.stopSrv()
	ctx, cancel := context.WithCancel(context.Background())
	r.stopSrv = cancel
	r.t.Cleanup(cancel)
	for i := 0; ; i++ {
		_, err := daemon.Start(ctx, daemon.Options{ConfDir: r.dir, Listen: []string{r.addr}})
		if err == nil {
			break
		}
		if i == 200 {
			r.t.Fatalf("server not restarted: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	cctx, ccancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer ccancel()
	var err error
	if r.admin, err = client.Dial(cctx, r.addr); err != nil {
		r.t.Fatal(err)
	}
	if err := r.admin.Authenticate(cctx, "admin", "demo-admin"); err != nil {
		r.t.Fatal(err)
	}
}
