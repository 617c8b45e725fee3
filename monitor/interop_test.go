package monitor_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/powerchain/powerchain/chain"
	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/internal/nuttest"
	"github.com/powerchain/powerchain/internal/testlog"
	"github.com/powerchain/powerchain/internal/waittest"
	"github.com/powerchain/powerchain/monitor"
)

const debianUpsmon = "/lib/nut/upsmon"

// startDebianUpsmon runs Debian's upsmon in the foreground, privileged
// (-p), with an upsmon.conf whose SHUTDOWNCMD touches a file it returns.
func startDebianUpsmon(t *testing.T, monitorLine string) (flag string) {
	t.Helper()
	env := nuttest.NewEnv(t)
	flag = filepath.Join(env.ConfDir, "debian-shutdown")
	env.WriteFile("upsmon.conf", monitorLine+fmt.Sprintf(`MINSUPPLIES 1
POLLFREQ 1
POLLFREQALERT 1
DEADTIME 3
HOSTSYNC 5
FINALDELAY 0
SHUTDOWNCMD "touch %s"
`, flag), 0o640)
	env.Start(debianUpsmon, "-p")
	return flag
}

// waitLogins waits until n monitors are logged in to ups.
func (r *rig) waitLogins(ups string, n int) {
	r.t.Helper()
	var got int
	var err error
	if !waittest.Until(30*time.Second, 100*time.Millisecond, func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		got, err = r.admin.NumLogins(ctx, ups)
		return err == nil && got >= n
	}) {
		r.t.Fatalf("Debian upsmon never logged in (NUMLOGINS %s %d, %v; want %d)", ups, got, err, n)
	}
}

func waitFile(t *testing.T, path string, within time.Duration) {
	t.Helper()
	if !waittest.Until(within, 100*time.Millisecond, func() bool {
		_, err := os.Stat(path)
		return err == nil
	}) {
		t.Fatalf("%s did not appear within %s", path, within)
	}
}

// TestDebianSecondaryFollowsPowerchainPrimary: Debian's upsmon logs in to
// powerchain's server as a secondary; powerchain's monitor (primary)
// forces a shutdown; FSD reaches the secondary, which shuts down first.
func TestDebianSecondaryFollowsPowerchainPrimary(t *testing.T) {
	nuttest.Require(t, debianUpsmon)
	r := newRig(t, "MONITOR ups1@ADDR 1 monitor demo-monitor primary\n")
	flag := startDebianUpsmon(t, fmt.Sprintf("MONITOR ups1@%s 1 monitor demo-monitor secondary\n", r.addr))
	r.waitLogins("ups1", 2) // both monitors
	r.mon.ForceShutdown()
	waitFile(t, flag, 15*time.Second)
	r.waitShutdown()
}

// TestDebianPrimaryAgainstPowerchain: Debian's upsmon as primary on
// powerchain's server sets FSD and shuts down when the UPS is OB LB.
func TestDebianPrimaryAgainstPowerchain(t *testing.T) {
	nuttest.Require(t, debianUpsmon)
	r := newRig(t, "MONITOR ups2@ADDR 1 monitor demo-monitor secondary\n")
	flag := startDebianUpsmon(t, fmt.Sprintf("MONITOR ups1@%s 1 monitor demo-monitor primary\n", r.addr))
	r.waitLogins("ups1", 1)
	r.set("ups1", "ups.status", "OB LB")
	waitFile(t, flag, 15*time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if st, err := r.admin.Get(ctx, "ups1", "ups.status"); err != nil || !strings.HasPrefix(st, "FSD") {
		t.Errorf("Debian primary did not set FSD on powerchain's server: %q %v", st, err)
	}
}

// TestPowerchainMonitorAgainstDebianUpsd: powerchain's monitor watches a
// device of Debian's upsd + dummy-ups and shuts down on OB LB. NUT's upsd
// has no change notification: the monitor asks once (upsd answers ERR
// UNKNOWN-COMMAND and logs nothing), says so, and polls.
func TestPowerchainMonitorAgainstDebianUpsd(t *testing.T) {
	nuttest.Require(t, nuttest.Upsd, nuttest.DummyUPS, nuttest.Upsrw)
	env, port := nuttest.NewDummyEnv(t, "ups1", "ups.status: OL\nbattery.charge: 100\n",
		"[admin]\n\tpassword = adminpw\n\tactions = SET\n[mon]\n\tpassword = monpw\n\tupsmon primary\n")
	env.StartNUT("ups1")
	env.WaitRW("ups1", port, "ups.status")
	flag := filepath.Join(env.ConfDir, "shutdown")
	text := fmt.Sprintf("MONITOR ups1@127.0.0.1:%d 1 mon monpw primary\nMINSUPPLIES 1\nPOLLFREQ 1\nPOLLFREQALERT 1\nFINALDELAY 0\nHOSTSYNC 1\nSHUTDOWNCMD \"touch %s\"\n", port, flag)
	cfg := conf.ParseUpsmonConf(conf.Parse(filepath.Join(env.ConfDir, "upsmon.conf"), []byte(text)))
	var logs testlog.Buffer
	m, err := monitor.New(cfg, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	m.Notifier.Sent = func(typ, ups, msg string) { seen = append(seen, typ) }
	var cycles atomic.Int64
	m.Cycle = func(context.Context, *chain.Graph) { cycles.Add(1) }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { m.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	if !waittest.Until(60*time.Second, 20*time.Millisecond, func() bool { return cycles.Load() > 0 }) {
		t.Fatal("the monitor never ended its first cycle")
	}
	env.Run(nuttest.Upsrw, "-s", "ups.status=OB LB", "-u", "admin", "-p", "adminpw", fmt.Sprintf("ups1@127.0.0.1:%d", port))
	waitFile(t, flag, 15*time.Second)
	<-done
	if got := strings.Join(seen, " "); !strings.Contains(got, "ONBATT") || !strings.Contains(got, "LOWBATT") || !strings.HasSuffix(got, "SHUTDOWN") {
		t.Errorf("notifications: %s", got)
	}
	if st := env.WaitVar("ups1", port, "ups.status"); !strings.HasPrefix(st, "FSD") {
		t.Errorf("FSD not set on Debian's upsd: %q", st)
	}
	if !strings.Contains(logs.String(), "offers no change notification") || m.Subscribed() != 0 {
		t.Errorf("change notification from Debian's upsd (%d servers):\n%s", m.Subscribed(), logs.String())
	}
}
