package console

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/performance"
	"github.com/chromedp/chromedp"

	"github.com/powerchain/powerchain/chain"
	"github.com/powerchain/powerchain/internal/debtest"
	"github.com/powerchain/powerchain/nut"
)

// synthSnapshot is the shape of BenchmarkConsoleScale's fleet without its
// servers: 100 sources of 50 devices (a UPS, two PDUs, 47 PSUs).
func synthSnapshot(servers, perServer int) *Snapshot {
	s := &Snapshot{At: time.Now(), Graph: chain.NewGraph()}
	for sv := 0; sv < servers; sv++ {
		src := fmt.Sprintf("127.0.0.1:%d", 20000+sv)
		s.Sources = append(s.Sources, Source{Addr: src, OK: true, LastOK: time.Now(), Duration: "12ms", Devices: perServer})
		add := func(name, typ, parent, host string, vars map[string]string) {
			n := addDevice(s, src, name, typ, parent, host, vars)
			for i := 1; i <= 8 && typ == "pdu"; i++ {
				n.Outlets[i] = "on"
			}
		}
		add("ups", "ups", "", "", map[string]string{"ups.status": "OL", "battery.charge": "100", "ups.load": "40", "ups.realpower": "900", "input.voltage": "230"})
		for p := 1; p <= 2; p++ {
			add(fmt.Sprintf("pdu%d", p), "pdu", "ups", "", map[string]string{"input.realpower": "450", "outlet.count": "8"})
		}
		for i := 3; i < perServer; i++ {
			add(fmt.Sprintf("psu%d", i), "psu", fmt.Sprintf("pdu%d:outlet%d", 1+i%2, 1+i%8), fmt.Sprintf("host%d-%d", sv, i/2), map[string]string{"ups.status": "OL", "input.voltage": "230"})
		}
	}
	s.Loads = s.Graph.Loads(nil)
	s.stamp(nil)
	return s
}

// addDevice adds device name of server src to s, its variables vars with
// device.type, device.parent and device.host set from typ, parent and
// host (the last two where given), and its node to s.Graph, which it
// returns.
func addDevice(s *Snapshot, src, name, typ, parent, host string, vars map[string]string) *chain.Node {
	vars["device.type"] = typ
	if parent != "" {
		vars["device.parent"] = parent
	}
	if host != "" {
		vars["device.host"] = host
	}
	d := &Device{Source: src, Name: name, Vars: vars}
	s.Devices = append(s.Devices, d)
	p, _ := nut.ParseParent(parent)
	n := &chain.Node{ID: d.ID(), Name: name, Server: src, Type: typ, Status: vars["ups.status"], Host: host, Parent: p, Outlets: map[int]string{}, Readings: map[string]string{}}
	if !p.IsMains() {
		n.ParentID = p.Device + "@" + src
	}
	s.Graph.Add(n)
	return n
}

// fleetPlaces puts servers in sites of ten racks, one server a rack.
func fleetPlaces(servers []string) map[string]Place {
	out := map[string]Place{}
	for i, s := range servers {
		out[s] = Place{Site: fmt.Sprintf("Site %02d", i/10+1), Rack: fmt.Sprintf("Rack %02d", i%10+1)}
	}
	return out
}

// BenchmarkOverviewSynth: the 5,000-device overview in Chromium from a
// synthetic snapshot (no servers): a quick loop for page work.
func BenchmarkOverviewSynth(b *testing.B) {
	debtest.Require(b, "chromium", "/usr/bin/chromium")
	c, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	snap := synthSnapshot(100, 50)
	var servers []string
	for _, src := range snap.Sources {
		servers = append(servers, src.Addr)
	}
	snap.derive(nil, fleetPlaces(servers))
	c.Poller.last = snap
	srv := httptest.NewServer(c.Handler())
	defer srv.Close()
	t0 := time.Now()
	r, err := http.Get(srv.URL + "/")
	if err != nil {
		b.Fatal(err)
	}
	n, _ := io.Copy(io.Discard, r.Body)
	r.Body.Close()
	fmt.Printf("overview over HTTP: %s, %d KiB\n", time.Since(t0).Round(time.Millisecond), n/1024)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath("/usr/bin/chromium"), chromedp.NoSandbox)
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()
	chromedp.Run(bctx, chromedp.Navigate("about:blank"))
	chromedp.Do(bctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, performance.Enable, performance.EnableParams{TimeDomain: performance.EnableTimeDomainThreadTicks})
		return err
	}))
	metrics := func() map[string]float64 {
		m := map[string]float64{}
		chromedp.Do(bctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			r, err := cdp.Call(ctx, t, performance.GetMetrics, cdp.Empty{})
			for _, x := range r.Metrics {
				m[x.Name] = x.Value
			}
			return err
		}))
		return m
	}
	for i := 0; i < 3; i++ {
		m0 := metrics()
		nt, err := navTimings(bctx, srv.URL+"/", "#devices")
		if err != nil {
			b.Fatal(err)
		}
		m1 := metrics()
		fmt.Printf("overview in Chromium: %s; renderer main thread CPU %.0f ms (script %.0f, style %.0f, layout %.0f), nodes %.0f\n", nt,
			1000*(m1["TaskDuration"]-m0["TaskDuration"]), 1000*(m1["ScriptDuration"]-m0["ScriptDuration"]),
			1000*(m1["RecalcStyleDuration"]-m0["RecalcStyleDuration"]), 1000*(m1["LayoutDuration"]-m0["LayoutDuration"]), m1["Nodes"])
		chromedp.Run(bctx, chromedp.Navigate("about:blank"))
	}
	if nt, err := navTimings(bctx, srv.URL+"/?open=all", `#devices tr[data-id^="psu49@"]`); err == nil {
		fmt.Printf("overview with every rack open in Chromium: %s\n", nt)
	}
	if nt, err := navTimings(bctx, srv.URL+"/chain", "#chain"); err == nil {
		fmt.Printf("chain in Chromium: %s\n", nt)
	}
}
