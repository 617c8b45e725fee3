package snmpups_test

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"net"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/gosnmp/gosnmp"

	"github.com/powerchain/powerchain/client"
	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/daemon"
	"github.com/powerchain/powerchain/driver/snmpups"
	"github.com/powerchain/powerchain/internal/snmptest"
	"github.com/powerchain/powerchain/internal/testlog"
	"github.com/powerchain/powerchain/monitor"
)

// BenchmarkTrapDecision measures, side by side in one run, the time
// from a UPS's agent going on battery with its battery low (OB LB: one
// SET on snmpsimd) to powerchain's upsmon deciding to shut the host down
// (its shutdown log line), the monitor hearing the server by push: with
// the card's UPS-MIB upsTrapOnBattery sent to the driver's trap port at
// once, and without traps (the driver reads the status every
// pollinterval). snmp-ups's defaults (pollinterval 2 s, pollfreq 30 s),
// NUT's upsmon defaults except FINALDELAY 0; a server and a monitor per
// trial; the trials start the outage at offsets spread evenly over the
// status interval after the driver's first read, the two taking turns.
//
//	go test -run '^$' -bench TrapDecision -benchtime 1x ./driver/snmpups
func BenchmarkTrapDecision(b *testing.B) {
	const trials = 20
	agent := snmptest.SimData(b, map[string][]byte{"ups": ietfUPS()})
	contenders := []struct {
		name  string
		traps bool
	}{{"snmp-ups with traps", true}, {"snmp-ups polling", false}}
	took := make([][]time.Duration, len(contenders))
	for i := range trials {
		offset := time.Duration((float64(i) + 0.5) / trials * float64(snmpups.DefaultPollInterval))
		for k, c := range contenders {
			took[k] = append(took[k], trapTrial(b, agent, c.traps, offset))
		}
	}
	fmt.Printf("\nSNMP agent OB LB → powerchain's upsmon decides to shut down (on push), %d trials each\n", trials)
	fmt.Printf("snmp-ups defaults (pollinterval %v, pollfreq %v), upsmon defaults except FINALDELAY 0\n",
		snmpups.DefaultPollInterval, snmpups.DefaultPollFreq)
	for k, c := range contenders {
		ds := took[k]
		fmt.Printf("  %-22s p50 %9s  p99 %9s  max %9s  min %9s\n", c.name,
			millis(nearestRank(ds, 50)), millis(nearestRank(ds, 99)), millis(nearestRank(ds, 100)), millis(nearestRank(ds, 0)))
	}
}

// trapTrial runs one: a server with the agent's UPS (and a trap port
// when traps), a monitor on push; offset into the status interval after
// the driver's first read, the agent goes OB LB (and the card's trap
// goes out); it returns how long until the monitor decided.
func trapTrial(b *testing.B, agent *snmptest.Agent, traps bool, offset time.Duration) time.Duration {
	b.Helper()
	setAgent(b, agent, "ups", upsOutputSource, 3, upsBatteryStatus, 2)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	trapAddr := fmt.Sprintf("127.0.0.1:%d", snmptest.FreeUDPPort(b))
	extra := ""
	if traps {
		extra = "\tpowerchain_traps = " + trapAddr + "\n"
	}
	addr, d := startDaemon(b, ctx, section("ups", agent, "ups", extra), daemon.Options{})
	defer d.Wait()
	defer cancel()
	first := waitStatus(b, ctx, addr, "OL")

	decided := &testlog.At{Message: "Executing automatic power-fail shutdown"}
	text := fmt.Sprintf("MONITOR ups@%s 1 mon monpw primary\nMINSUPPLIES 1\nSHUTDOWNCMD \"true\"\nFINALDELAY 0\n", addr)
	cfg := conf.ParseUpsmonConf(conf.Parse(filepath.Join(b.TempDir(), "upsmon.conf"), []byte(text)))
	m, err := monitor.New(cfg, slog.New(decided))
	if err != nil {
		b.Fatal(err)
	}
	done := make(chan struct{})
	go func() { m.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	for m.Subscribed() == 0 {
		if ctx.Err() != nil {
			b.Fatal("the monitor never subscribed")
		}
		time.Sleep(5 * time.Millisecond)
	}
	// The driver reads the status every interval after its first read.
	at := first.Add(offset)
	for time.Until(at) < 50*time.Millisecond {
		at = at.Add(snmpups.DefaultPollInterval)
	}
	time.Sleep(time.Until(at))
	setAgent(b, agent, "ups", upsOutputSource, 5, upsBatteryStatus, 3)
	start := time.Now()
	if traps {
		sendTrap(b, trapAddr, "ups", "1.3.6.1.2.1.33.2.1")
	}
	for {
		if at, ok := decided.Time(); ok {
			return at.Sub(start)
		}
		if time.Since(start) > 30*time.Second {
			b.Fatal("the monitor decided nothing within 30 s of OB LB")
		}
		time.Sleep(time.Millisecond)
	}
}

// waitStatus returns when the server first shows the device's status.
func waitStatus(b *testing.B, ctx context.Context, addr, want string) time.Time {
	b.Helper()
	cctx, ccancel := context.WithTimeout(ctx, 30*time.Second)
	defer ccancel()
	c, err := client.Dial(cctx, addr)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	for {
		if st, _ := c.Get(cctx, "ups", "ups.status"); st == want {
			return time.Now()
		}
		if cctx.Err() != nil {
			b.Fatalf("ups.status never %s", want)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// sendTrap sends an SNMPv2c trap as a card does, from this process (a
// process started per trap would add its start to every figure).
func sendTrap(b *testing.B, addr, community, oid string) {
	b.Helper()
	host, port, _ := net.SplitHostPort(addr)
	p, _ := strconv.Atoi(port)
	g := &gosnmp.GoSNMP{Target: host, Port: uint16(p), Community: community, Version: gosnmp.Version2c, Timeout: time.Second}
	if err := g.Connect(); err != nil {
		b.Fatal(err)
	}
	defer g.Conn.Close()
	if _, err := g.SendTrap(gosnmp.SnmpTrap{Variables: []gosnmp.SnmpPDU{
		{Name: ".1.3.6.1.6.3.1.1.4.1.0", Type: gosnmp.ObjectIdentifier, Value: "." + oid}}}); err != nil {
		b.Fatal(err)
	}
}

// nearestRank is the nearest-rank percentile q of ds (0: the least).
func nearestRank(ds []time.Duration, q float64) time.Duration {
	s := slices.Sorted(slices.Values(ds))
	i := int(math.Ceil(q/100*float64(len(s)))) - 1
	return s[max(0, min(i, len(s)-1))]
}

func millis(d time.Duration) string {
	return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
}
