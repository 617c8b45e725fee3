package console_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/powerchain/powerchain/console"
	"github.com/powerchain/powerchain/daemon"
)

// BenchmarkConsoleScale: 100 powerchain servers on loopback with 50
// simulated devices each (5,000 devices: a UPS, two PDUs and 47 PSUs per
// server, chained), one console polling them all; prints the refresh
// time, the process's CPU time and memory, and the overview's load time
// in headless Chromium.
//
//	go test -run '^$' -bench ConsoleScale -benchtime 1x ./console
func BenchmarkConsoleScale(b *testing.B) {
	const servers, perServer = 100, 50
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var sources []string
	for s := 0; s < servers; s++ {
		dir := b.TempDir()
		var conf strings.Builder
		conf.WriteString("[ups]\n\tdriver = dummy-ups\n\tport = ups.dev\n")
		for p := 1; p <= 2; p++ {
			fmt.Fprintf(&conf, "[pdu%d]\n\tdriver = dummy-ups\n\tport = pdu.dev\n\toverride.device.parent = ups\n", p)
		}
		for i := 3; i < perServer; i++ {
			fmt.Fprintf(&conf, "[psu%d]\n\tdriver = dummy-ups\n\tport = psu.dev\n\toverride.device.parent = pdu%d:outlet%d\n\toverride.device.host = host%d-%d\n",
				i, 1+i%2, 1+i%8, s, i/2)
		}
		os.WriteFile(filepath.Join(dir, "ups.conf"), []byte(conf.String()), 0o644)
		os.WriteFile(filepath.Join(dir, "ups.dev"), []byte("device.type: ups\nups.status: OL\nbattery.charge: 100\nups.load: 40\nups.realpower: 900\ninput.voltage: 230\n"), 0o644)
		os.WriteFile(filepath.Join(dir, "pdu.dev"), []byte("device.type: pdu\noutlet.count: 8\noutlet.1.status: on\noutlet.2.status: on\noutlet.3.status: on\noutlet.4.status: on\noutlet.5.status: on\noutlet.6.status: on\noutlet.7.status: on\noutlet.8.status: on\ninput.realpower: 450\n"), 0o644)
		os.WriteFile(filepath.Join(dir, "psu.dev"), []byte("device.type: psu\nups.status: OL\ninput.voltage: 230\n"), 0o644)
		ready := make(chan string, 1)
		if _, err := daemon.Start(ctx, daemon.Options{ConfDir: dir, Listen: []string{"127.0.0.1:0"}, Announce: "no",
			Ready: func(a []net.Addr) { ready <- a[0].String() }}); err != nil {
			b.Fatal(err)
		}
		sources = append(sources, <-ready)
	}
	time.Sleep(2 * time.Second)
	con, err := console.New(console.Options{Listen: "127.0.0.1:0", Sources: sources, Interval: 5 * time.Second,
		Timeout: 5 * time.Second, DBPath: filepath.Join(b.TempDir(), "h.sqlite")})
	if err != nil {
		b.Fatal(err)
	}
	var ru0 syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
	var took []time.Duration
	var snap *console.Snapshot
	for i := 0; i < 3; i++ {
		t0 := time.Now()
		snap = con.Poller.Refresh(ctx)
		took = append(took, time.Since(t0))
	}
	var ru1 syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)
	cpu := time.Duration((ru1.Utime.Nano() + ru1.Stime.Nano()) - (ru0.Utime.Nano() + ru0.Stime.Nano()))
	failed := 0
	for _, s := range snap.Sources {
		if !s.OK {
			failed++
		}
	}
	fmt.Printf("\nconsole scale: %d servers, %d devices (%d sources failed), %d loads in the chain\n", servers, len(snap.Devices), failed, len(snap.Loads))
	fmt.Printf("  refresh of everything (poll + chain discovery): %s, %s, %s\n", took[0].Round(time.Millisecond), took[1].Round(time.Millisecond), took[2].Round(time.Millisecond))
	fmt.Printf("  CPU for 3 refreshes (this process, servers included): %s; max RSS %d MiB\n", cpu.Round(time.Millisecond), ru1.Maxrss/1024)

	urlc := make(chan string, 1)
	go con.Run(ctx, func(u string) { urlc <- u })
	url := <-urlc
	t0 := time.Now()
	r, err := http.Get(url + "/")
	if err == nil {
		n, _ := io.Copy(io.Discard, r.Body)
		r.Body.Close()
		fmt.Printf("  overview over HTTP: %s, %d KiB\n", time.Since(t0).Round(time.Millisecond), n/1024)
	}
	if _, err := os.Stat(chromium); err == nil {
		opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium), chromedp.NoSandbox)
		actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
		defer acancel()
		bctx, bcancel := chromedp.NewContext(actx)
		defer bcancel()
		chromedp.Do(bctx, chromedp.Navigate("about:blank"))
		t0 = time.Now()
		if err := chromedp.Do(bctx, chromedp.Navigate(url+"/"), chromedp.WaitVisible(chromedp.CSS("#devices"))); err == nil {
			fmt.Printf("  overview in Chromium (navigate to table visible): %s\n", time.Since(t0).Round(time.Millisecond))
		}
		t0 = time.Now()
		if err := chromedp.Do(bctx, chromedp.Navigate(url+"/chain"), chromedp.WaitVisible(chromedp.CSS("#chain"))); err == nil {
			fmt.Printf("  power chain in Chromium: %s\n", time.Since(t0).Round(time.Millisecond))
		}
	}
}
