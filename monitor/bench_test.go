package monitor_test

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/internal/clienttest"
	"github.com/powerchain/powerchain/internal/nuttest"
	"github.com/powerchain/powerchain/internal/testlog"
	"github.com/powerchain/powerchain/internal/waittest"
	"github.com/powerchain/powerchain/monitor"
)

// latencySettings is one upsmon.conf timing profile of the benchmark.
type latencySettings struct {
	name     string
	lines    string        // appended to upsmon.conf
	pollFreq time.Duration // for spreading the trials over the poll phase
	trials   int
}

// BenchmarkShutdownLatency measures the time from a device going OB LB
// (a SET VAR ups.status through the server) to the moment SHUTDOWNCMD
// runs, side by side in one run: Debian's NUT 2.8.0 (dummy-ups → upsd →
// upsmon, three processes), powerchain's monitor polling powerchain's
// server (in-process dummy-ups) as NUT's upsmon does, and the same
// monitor hearing the change by push (SUBSCRIBE). NUT's defaults except
// FINALDELAY 0, so the figures are detection, decision and the start of
// SHUTDOWNCMD (sh -c date, which stamps the time); the last row is that
// start alone, run by the benchmark after each trial: the floor under
// all three on this machine at that time.
//
// The trials start the outage at the same offsets into the monitor's
// poll period for all three (spread evenly over it, the contenders
// taking turns), so that none gets luckier poll phases; n = 20, so p99
// is the largest trial.
//
//	make bench
func BenchmarkShutdownLatency(b *testing.B) {
	nuttest.Require(b, nuttest.Upsd, nuttest.DummyUPS, debianUpsmon)
	p := latencySettings{name: "NUT defaults (POLLFREQ 5, POLLFREQALERT 5) except FINALDELAY 0", lines: "FINALDELAY 0\n",
		pollFreq: 5 * time.Second, trials: 20}
	contenders := []struct {
		name  string
		trial func(b *testing.B, p latencySettings, offset time.Duration) (took, decided time.Duration)
	}{
		{"Debian NUT 2.8.0", nutShutdownTrial},
		{"powerchain, polling", func(b *testing.B, p latencySettings, offset time.Duration) (time.Duration, time.Duration) {
			return powerchainShutdownTrial(b, p, offset, false)
		}},
		{"powerchain, push", func(b *testing.B, p latencySettings, offset time.Duration) (time.Duration, time.Duration) {
			return powerchainShutdownTrial(b, p, offset, true)
		}},
	}
	lat := make([][]time.Duration, len(contenders))
	dec := make([][]time.Duration, len(contenders))
	var floor []time.Duration
	for i := 0; i < p.trials; i++ {
		offset := time.Duration((float64(i) + 0.5) / float64(p.trials) * float64(p.pollFreq))
		for k, c := range contenders {
			took, decided := c.trial(b, p, offset)
			lat[k] = append(lat[k], took)
			if decided > 0 {
				dec[k] = append(dec[k], decided)
			}
		}
		floor = append(floor, commandStart(b))
	}
	row := func(name string, ds []time.Duration) {
		fmt.Printf("  %-34s p50 %9s  p99 %9s  max %9s  min %9s\n", name,
			ms(percentile(ds, 50)), ms(percentile(ds, 99)), ms(percentile(ds, 100)), ms(percentile(ds, 0)))
	}
	fmt.Printf("\nshutdown latency: OB LB set on the server → SHUTDOWNCMD runs (primary, one UPS)\n")
	fmt.Printf("%s, %d trials each\n", p.name, p.trials)
	for k, c := range contenders {
		row(c.name, lat[k])
	}
	row("(starting SHUTDOWNCMD alone)", floor)
	fmt.Printf("OB LB set → the monitor decides (logs the shutdown; before SHUTDOWNCMD starts)\n")
	for k, c := range contenders {
		if len(dec[k]) > 0 {
			row(c.name, dec[k])
		}
	}
}

// stampCommand is the benchmark's SHUTDOWNCMD: it writes when it ran.
func stampCommand(stamp string) string { return "date +%s%N > " + stamp }

// stamped reads the time a stampCommand wrote.
func stamped(stamp string) (time.Time, bool) {
	raw, err := os.ReadFile(stamp)
	ns, perr := strconv.ParseInt(strings.TrimSpace(string(raw)), 10, 64)
	return time.Unix(0, ns), err == nil && perr == nil
}

// commandStart is how long the shell takes to run the benchmark's
// SHUTDOWNCMD on this machine at this moment, started from this process:
// the floor under every contender's figure (each runs it through sh -c).
func commandStart(b *testing.B) time.Duration {
	stamp := filepath.Join(b.TempDir(), "stamp")
	start := time.Now()
	if out, err := exec.Command("/bin/sh", "-c", stampCommand(stamp)).CombinedOutput(); err != nil {
		b.Fatalf("%v: %s", err, out)
	}
	at, ok := stamped(stamp)
	if !ok {
		b.Fatal("the command wrote no time")
	}
	return at.Sub(start)
}

// upsmonConf is the benchmark's upsmon.conf: NUT's defaults unless the
// profile overrides them, and a SHUTDOWNCMD that records when it ran.
func upsmonConf(target, stamp string, p latencySettings) string {
	return fmt.Sprintf("MONITOR %s 1 mon monpw primary\nMINSUPPLIES 1\nSHUTDOWNCMD \"%s\"\n%s", target, stampCommand(stamp), p.lines)
}

const benchUsers = "[admin]\n\tpassword = adminpw\n\tactions = SET\n[mon]\n\tpassword = monpw\n\tupsmon primary\n"

func nutShutdownTrial(b *testing.B, p latencySettings, offset time.Duration) (took, decided time.Duration) {
	env := nuttest.NewEnv(b)
	port := nuttest.FreePort(b)
	env.WriteDummy("ups1", "ups.status: OL\nbattery.charge: 100\n")
	env.WriteUpsd(port, benchUsers)
	stamp := filepath.Join(env.ConfDir, "shutdown-at")
	env.WriteFile("upsmon.conf", upsmonConf(fmt.Sprintf("ups1@127.0.0.1:%d", port), stamp, p), 0o640)
	drv := env.Start(nuttest.DummyUPS, "-a", "ups1")
	upsd := env.Start(nuttest.Upsd)
	// dummy-ups publishes ups.status WAIT until it has read its file; an
	// upsmon that sees WAIT first keeps its 5 s start-up poll interval.
	if !waittest.Until(5*time.Second, 50*time.Millisecond, func() bool { return env.WaitVar("ups1", port, "ups.status") == "OL" }) {
		b.Fatal("dummy-ups never reported OL")
	}
	mon := env.Start(debianUpsmon, "-p")
	defer func() { env.Stop(mon); env.Stop(upsd); env.Stop(drv) }()
	_, took = outage(b, fmt.Sprintf("127.0.0.1:%d", port), stamp, offset)
	return took, 0
}

func powerchainShutdownTrial(b *testing.B, p latencySettings, offset time.Duration, push bool) (took, decided time.Duration) {
	dir, server, _ := oneUPS(b, "")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stamp := filepath.Join(dir, "shutdown-at")
	text := upsmonConf("ups1@"+server, stamp, p)
	cfg := conf.ParseUpsmonConf(conf.Parse(filepath.Join(dir, "upsmon.conf"), []byte(text)))
	decision := &testlog.At{Message: "Executing automatic power-fail shutdown"}
	m, err := monitor.New(cfg, slog.New(decision))
	if err != nil {
		b.Fatal(err)
	}
	m.PollOnly = !push
	done := make(chan struct{})
	go func() { m.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	for push && m.Subscribed() == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	start, took := outage(b, server, stamp, offset)
	at, ok := decision.Time()
	if !ok {
		b.Fatal("the monitor logged no shutdown decision")
	}
	return took, at.Sub(start)
}

// outage waits until the monitor has logged in, lets offset pass, sets
// ups.status to OB LB and returns when it began and how long until
// SHUTDOWNCMD ran.
func outage(b *testing.B, server, stamp string, offset time.Duration) (time.Time, time.Duration) {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	admin := clienttest.Login(ctx, b, server, "admin", "adminpw")
	// NUT's dummy-ups makes its variables writable a moment after upsd
	// sees them: wait until an idempotent SET is accepted.
	for {
		if err := admin.Set(ctx, "ups1", "ups.status", "OL"); err == nil {
			break
		}
		if ctx.Err() != nil {
			b.Fatal("ups.status never became writable")
		}
		time.Sleep(20 * time.Millisecond)
	}
	for {
		if n, err := admin.NumLogins(ctx, "ups1"); err == nil && n >= 1 {
			break
		}
		if ctx.Err() != nil {
			b.Fatal("the monitor never logged in")
		}
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(offset)
	start := time.Now()
	if err := admin.Set(ctx, "ups1", "ups.status", "OB LB"); err != nil {
		b.Fatal(err)
	}
	for ctx.Err() == nil {
		if at, ok := stamped(stamp); ok {
			return start, at.Sub(start)
		}
		time.Sleep(5 * time.Millisecond)
	}
	b.Fatalf("SHUTDOWNCMD did not run within a minute of OB LB")
	return start, 0
}

// percentile is the nearest-rank percentile q (0: the least, 100: the
// largest) of ds.
func percentile(ds []time.Duration, q float64) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := int(math.Ceil(q/100*float64(len(s)))) - 1
	return s[max(0, min(i, len(s)-1))]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }
