package monitor_test

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/powerchain/powerchain/chain"
	"github.com/powerchain/powerchain/client"
	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/daemon"
	"github.com/powerchain/powerchain/demo"
	"github.com/powerchain/powerchain/internal/clienttest"
	"github.com/powerchain/powerchain/internal/testlog"
	"github.com/powerchain/powerchain/internal/waittest"
	"github.com/powerchain/powerchain/monitor"
)

func TestMain(m *testing.M) { testlog.Main(m) }

// rig is the design's rack served by powerchain, with a monitor for srv1
// (two PSUs) whose shutdown command writes a file.
type rig struct {
	t        *testing.T
	dir      string
	addr     string
	admin    *client.Client
	mon      *monitor.Monitor
	stopSrv  context.CancelFunc
	mu       sync.Mutex
	notified []string
	done     chan struct{}
	cycles   atomic.Int64 // cycles the monitor has ended
}

func newRig(t *testing.T, monitorLines string) *rig {
	t.Helper()
	r := &rig{t: t, dir: t.TempDir(), done: make(chan struct{})}
	// Static UPS data, so that the test's changes stay.
	if err := demo.WriteSteadyTo(r.dir, demo.OnLine); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	r.stopSrv = cancel
	t.Cleanup(cancel)
	if _, err := daemon.Start(ctx, daemon.Options{ConfDir: r.dir, Listen: []string{"127.0.0.1:0"},
		Ready: func(a []net.Addr) { r.addr = a[0].String() }}); err != nil {
		t.Fatal(err)
	}
	cctx, ccancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(ccancel)
	r.admin = clienttest.Login(cctx, t, r.addr, "admin", "demo-admin")
	notify := filepath.Join(r.dir, "notify.sh")
	os.WriteFile(notify, []byte("#!/bin/sh\necho \"$NOTIFYTYPE|$UPSNAME|$1\" >> "+filepath.Join(r.dir, "notify.log")+"\n"), 0o755)
	var flags strings.Builder
	for _, typ := range append(append([]string{}, conf.NotifyTypes...), conf.ChainNotifyTypes...) {
		fmt.Fprintf(&flags, "NOTIFYFLAG %s SYSLOG+EXEC\n", typ)
	}
	// monitorLines come last: a setting there wins over these.
	cfgText := fmt.Sprintf(`MINSUPPLIES 1
POLLFREQ 1
POLLFREQALERT 1
DEADTIME 3
HOSTSYNC 1
FINALDELAY 0
NOCOMMWARNTIME 2
SHUTDOWNCMD "touch %s"
POWERDOWNFLAG %s
NOTIFYCMD %s
`, filepath.Join(r.dir, "shutdown"), filepath.Join(r.dir, "killpower"), notify) + flags.String() +
		strings.ReplaceAll(monitorLines, "ADDR", r.addr)
	cfg := conf.ParseUpsmonConf(conf.Parse(filepath.Join(r.dir, "upsmon.conf"), []byte(cfgText)))
	var err error
	r.mon, err = monitor.New(cfg, slog.Default())
	if err != nil {
		t.Fatal(err)
	}
	r.mon.Notifier.Sent = func(typ, ups, msg string) {
		r.mu.Lock()
		r.notified = append(r.notified, typ+" "+ups)
		r.mu.Unlock()
	}
	r.mon.Cycle = func(context.Context, *chain.Graph) { r.cycles.Add(1) }
	mctx, mcancel := context.WithCancel(context.Background())
	t.Cleanup(func() { mcancel(); <-r.done })
	go func() { r.mon.Run(mctx); close(r.done) }()
	return r
}

const srv1 = "MONITOR srv1-psu1@ADDR 1 monitor demo-monitor primary\nMONITOR srv1-psu2@ADDR 1 monitor demo-monitor primary\n"

func (r *rig) set(ups, name, value string) {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := r.admin.Set(ctx, ups, name, value); err != nil {
		r.t.Fatalf("SET %s %s: %v", ups, name, err)
	}
}

func (r *rig) cmd(ups, cmd string) {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := r.admin.InstCmd(ctx, ups, cmd); err != nil {
		r.t.Fatalf("INSTCMD %s %s: %v", ups, cmd, err)
	}
}

func (r *rig) shutDown() bool {
	_, err := os.Stat(filepath.Join(r.dir, "shutdown"))
	return err == nil
}

// waitNotified waits (≤ 15 s) until a notification "TYPE ups" was sent.
func (r *rig) waitNotified(want string) {
	r.t.Helper()
	sent := func() bool {
		r.mu.Lock()
		defer r.mu.Unlock()
		return slices.ContainsFunc(r.notified, func(n string) bool { return strings.HasPrefix(n, want) })
	}
	if !waittest.Until(15*time.Second, 50*time.Millisecond, sent) {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.t.Fatalf("no %q notification; sent: %q", want, r.notified)
	}
}

func (r *rig) waitShutdown() {
	r.t.Helper()
	select {
	case <-r.mon.ShutdownDone():
	case <-time.After(20 * time.Second):
		r.mu.Lock()
		defer r.mu.Unlock()
		r.t.Fatalf("no shutdown; notifications %q", r.notified)
	}
	if !r.shutDown() {
		r.t.Fatal("SHUTDOWNCMD did not run")
	}
}

// waitCycles waits until the monitor has ended n more cycles (read
// every supply and the chain, a POLLFREQ apart) than when called, or has
// shut down. A count, not a time: on a loaded machine a cycle can take
// longer than its POLLFREQ.
func (r *rig) waitCycles(n int64) {
	r.t.Helper()
	want := r.cycles.Load() + n
	if !waittest.Until(60*time.Second, 20*time.Millisecond, func() bool {
		select {
		case <-r.mon.ShutdownDone():
			return true
		default:
			return r.cycles.Load() >= want
		}
	}) {
		r.t.Fatalf("the monitor ended %d cycles, want %d", r.cycles.Load(), want)
	}
}

// polled waits until the monitor has read every supply once.
func (r *rig) polled() {
	r.t.Helper()
	if !waittest.Until(60*time.Second, 20*time.Millisecond, func() bool { return r.cycles.Load() > 0 }) {
		r.t.Fatal("the monitor never ended its first cycle")
	}
}

// settle lets the monitor poll a few times (more than DEADTIME: a
// cycle lasts at least POLLFREQ).
func (r *rig) settle() { r.t.Helper(); r.waitCycles(4) }

// settleWithoutShutdown lets the monitor poll a few times (settle) and
// fails the test, saying why it should not have, if it shut down.
func (r *rig) settleWithoutShutdown(why string) {
	r.t.Helper()
	r.settle()
	if r.shutDown() {
		r.t.Fatal(why)
	}
}

func TestHealthyRackNoShutdown(t *testing.T) {
	r := newRig(t, srv1)
	r.settleWithoutShutdown("shut down with every supply healthy")
}

func TestUPS2LowLosesRedundancyOnly(t *testing.T) {
	r := newRig(t, srv1)
	r.polled()
	r.set("ups2", "ups.status", "OB LB")
	r.waitNotified(monitor.SupplyLost + " srv1-psu2@")
	r.waitNotified(monitor.NoRedundancy + " srv1-psu1@")
	r.settleWithoutShutdown("shut down while psu1 on ups1 still delivers")
	r.set("ups2", "ups.status", "OL")
	r.waitNotified(monitor.RedundancyOK)
	r.waitNotified(monitor.SupplyOK + " srv1-psu2@")
}

// The design's scenario: PSU1 faulty, PSU2 on PDU2 → UPS2, and UPS2 goes
// to low battery: the server must shut down, although PSU2 reports OL.
func TestDesignScenarioShutsDown(t *testing.T) {
	r := newRig(t, srv1)
	r.polled()
	r.set("srv1-psu1", "ups.status", "OFF")
	r.waitNotified(monitor.NoRedundancy)
	if r.shutDown() {
		t.Fatal("shut down with psu2 still delivering")
	}
	r.set("ups2", "ups.status", "OB LB")
	r.waitShutdown()
	r.mu.Lock()
	got := append([]string(nil), r.notified...)
	r.mu.Unlock()
	if last := got[len(got)-1]; !strings.HasPrefix(last, monitor.Shutdown) {
		t.Errorf("last notification %q, want SHUTDOWN: %q", last, got)
	}
	// The primary set FSD on the supplies it manages before shutting down,
	// and wrote POWERDOWNFLAG.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if st, err := r.admin.Get(ctx, "srv1-psu2", "ups.status"); err != nil || !strings.HasPrefix(st, "FSD") {
		t.Errorf("srv1-psu2 ups.status %q %v, want FSD first", st, err)
	}
	if _, err := os.Stat(filepath.Join(r.dir, "killpower")); err != nil {
		t.Error("POWERDOWNFLAG not written")
	}
	// NOTIFYCMD ran with NOTIFYTYPE, UPSNAME and the message.
	b, _ := os.ReadFile(filepath.Join(r.dir, "notify.log"))
	// UPSNAME names the supplies lost (NUT's upsmon leaves it empty).
	if want := fmt.Sprintf("SHUTDOWN|srv1-psu1@%s, srv1-psu2@%s|Auto logout and shutdown proceeding", r.addr, r.addr); !strings.Contains(string(b), want) {
		t.Errorf("notify.log:\n%s", b)
	}
}

func TestOutletOffAndFaultyPSUShutsDown(t *testing.T) {
	r := newRig(t, srv1)
	r.polled()
	r.cmd("pdu2", "outlet.1.load.off")
	r.waitNotified(monitor.SupplyLost + " srv1-psu2@")
	r.set("srv1-psu1", "ups.status", "OFF")
	r.waitShutdown()
}

func TestDeadWhileOnBatteryIsCritical(t *testing.T) {
	r := newRig(t, "MONITOR ups1@ADDR 1 monitor demo-monitor primary\n")
	r.polled()
	r.set("ups1", "ups.status", "OB DISCHRG")
	r.waitNotified(monitor.OnBatt + " ups1@")
	r.stopSrv() // the server dies mid-outage
	r.waitNotified(monitor.CommBad + " ups1@")
	r.waitShutdown()
}

func TestDeadWhileOnLineIsNotCritical(t *testing.T) {
	r := newRig(t, "MONITOR ups1@ADDR 1 monitor demo-monitor primary\n")
	r.polled()
	r.stopSrv()
	r.waitNotified(monitor.CommBad + " ups1@")
	r.waitNotified(monitor.NoComm + " ups1@")
	r.settleWithoutShutdown("shut down because a server on line power went away")
}

// TestMinSuppliesZeroOnlyWatches: "MINSUPPLIES 0" (what setup writes
// for a host that only watches PDUs) is zero, as in NUT: no shutdown.
func TestMinSuppliesZeroOnlyWatches(t *testing.T) {
	r := newRig(t, "MONITOR pdu1@ADDR 0 monitor demo-monitor primary\nMINSUPPLIES 0\n")
	r.polled()
	r.set("pdu1", "ups.status", "OB LB")
	r.waitNotified(monitor.OnBatt + " pdu1@")
	r.waitNotified(monitor.LowBatt + " pdu1@")
	r.settleWithoutShutdown("shut down with MINSUPPLIES 0")
}

// TestForcedShutdown is upsmon -c fsd.
func TestForcedShutdown(t *testing.T) {
	r := newRig(t, srv1)
	r.polled()
	r.mon.ForceShutdown()
	r.waitShutdown()
	// Every notification names its devices: a forced shutdown, all the
	// supplies of the host.
	r.mu.Lock()
	defer r.mu.Unlock()
	want := fmt.Sprintf("%s srv1-psu1@%s, srv1-psu2@%s", monitor.Shutdown, r.addr, r.addr)
	if last := r.notified[len(r.notified)-1]; last != want {
		t.Errorf("last notification %q, want %q", last, want)
	}
}

// TestPDUWithoutStatus: a PDU whose ups.status is empty (as APC's rack
// PDUs under snmp-ups, NUT's and powerchain's) is a supply while its data
// is fresh and its input present; NUT's upsmon would call it dead. When
// its input goes, the host shuts down.
func TestPDUWithoutStatus(t *testing.T) {
	r := newRig(t, "MONITOR pdu1@ADDR 1 monitor demo-monitor primary\n")
	r.set("pdu1", "ups.status", "")
	r.waitCycles(2) // one read it whole
	r.mu.Lock()
	r.notified = nil
	r.mu.Unlock()
	r.settle()
	r.mu.Lock()
	sent := append([]string(nil), r.notified...)
	r.mu.Unlock()
	if r.shutDown() || len(sent) > 0 {
		t.Fatalf("a PDU without status, fresh and with input: shut down %v, notifications %q", r.shutDown(), sent)
	}
	r.set("pdu1", "input.voltage", "0")
	r.waitNotified(monitor.SupplyLost + " pdu1@")
	r.waitShutdown()
}
