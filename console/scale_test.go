package console_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/powerchain/powerchain/console"
	"github.com/powerchain/powerchain/daemon"
	"github.com/powerchain/powerchain/internal/clienttest"
	"github.com/powerchain/powerchain/internal/consoletest"
	"github.com/powerchain/powerchain/internal/servetest"
	"github.com/powerchain/powerchain/internal/waittest"
)

// BenchmarkConsoleScale: 100 powerchain servers on loopback with 50
// simulated devices each (5,000 devices: a UPS, two PDUs and 47 PSUs per
// server, chained), one console polling them all; prints the refresh
// time, the process's CPU time and memory, the overview's load time in
// headless Chromium, and what one open overview tab downloads per live
// update: while one UPS changes between polls, and while nothing does.
//
//	go test -run '^$' -bench ConsoleScale -benchtime 1x -timeout 30m ./console
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
		os.WriteFile(filepath.Join(dir, "upsd.users"), []byte("[admin]\n\tpassword = bench\n\tactions = SET\n"), 0o640)
		sources = append(sources, servetest.Serve(b, daemon.Options{ConfDir: dir, Announce: "no"}).String())
	}
	time.Sleep(2 * time.Second)
	con := consoletest.New(b, console.Options{Sources: sources, Interval: 5 * time.Second,
		Timeout: 5 * time.Second, DBPath: filepath.Join(b.TempDir(), "h.sqlite"), Places: console.FleetPlaces(sources)})
	var refreshes atomic.Int64
	onSnap := con.Poller.OnSnapshot
	con.Poller.OnSnapshot = func(prev, cur *console.Snapshot) { onSnap(prev, cur); refreshes.Add(1) }
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

	url, _ := consoletest.Serve(b, con)
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
		for i := range 3 {
			if nt, err := console.NavTimings(bctx, url+"/", "#devices"); err == nil {
				fmt.Printf("  overview in Chromium (%d): %s\n", i+1, nt)
			} else {
				b.Log(err)
			}
		}
		// Every rack open: the 5,000 rows.
		if nt, err := console.NavTimings(bctx, url+"/?open=all", `#devices tr[data-id^="psu49@"]`); err == nil {
			fmt.Printf("  overview with every rack open in Chromium: %s\n", nt)
		} else {
			b.Log(err)
		}
		if nt, err := console.NavTimings(bctx, url+"/chain", "#chain"); err == nil {
			fmt.Printf("  power chain in Chromium: %s\n", nt)
		} else {
			b.Log(err)
		}
		liveUpdates(ctx, b, bctx, con, sources[0], &refreshes)
	}
}

// liveUpdates opens the overview in a tab served through a byte counter
// and reports what the console sends that tab per refresh (its event
// stream, and the answers to the requests the page makes), with one UPS
// switching between OL and OB before every poll, then with nothing
// changing.
func liveUpdates(ctx context.Context, b *testing.B, bctx context.Context, con *console.Console, server string, refreshes *atomic.Int64) {
	var sent, inflight atomic.Int64
	var counting atomic.Bool
	h := con.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/stream" { // never ends: count while measuring
			h.ServeHTTP(countingWriter{w, &sent, &counting}, r)
			return
		}
		// A request made while measuring counts whole, however long
		// the answer takes.
		var n atomic.Int64
		var on atomic.Bool
		on.Store(counting.Load())
		inflight.Add(1)
		h.ServeHTTP(countingWriter{w, &n, &on}, r)
		sent.Add(n.Load())
		inflight.Add(-1)
	}))
	defer func() {
		srv.CloseClientConnections() // the page's event stream never ends
		srv.Close()
	}()
	if err := chromedp.Do(bctx, chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#devices"))); err != nil {
		b.Log(err)
		return
	}
	cl := clienttest.Login(ctx, b, server, "admin", "bench")
	const rounds = 4
	settle := func() {
		waittest.Until(time.Minute, 50*time.Millisecond, func() bool { return inflight.Load() <= 0 })
	}
	measure := func(change bool) float64 {
		waitRefresh(refreshes, refreshes.Load()+1)
		settle()
		sent.Store(0)
		counting.Store(true)
		start := refreshes.Load()
		for i := range rounds {
			if change {
				st := "OB"
				if i%2 == 1 {
					st = "OL"
				}
				if err := cl.Set(ctx, "ups", "ups.status", st); err != nil {
					b.Fatal(err)
				}
			}
			waitRefresh(refreshes, start+int64(i)+1)
		}
		time.Sleep(time.Second) // the page's request after the last refresh
		counting.Store(false)
		settle()
		return float64(sent.Load()) / rounds
	}
	changed := measure(true)
	quiet := measure(false)
	fmt.Printf("  live update of an open overview, per refresh: %.1f KiB with one UPS changed, %.1f KiB with nothing changed\n", changed/1024, quiet/1024)
}

func waitRefresh(n *atomic.Int64, want int64) {
	waittest.Until(2*time.Minute, 50*time.Millisecond, func() bool { return n.Load() >= want })
}

// countingWriter counts the bytes of a response while on is set,
// streamed ones too.
type countingWriter struct {
	http.ResponseWriter
	n  *atomic.Int64
	on *atomic.Bool
}

func (c countingWriter) Write(b []byte) (int, error) {
	n, err := c.ResponseWriter.Write(b)
	if c.on.Load() {
		c.n.Add(int64(n))
	}
	return n, err
}

func (c countingWriter) Flush() { c.ResponseWriter.(http.Flusher).Flush() }
