package console_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/powerchain/powerchain/console"
	"github.com/powerchain/powerchain/device"
	"github.com/powerchain/powerchain/internal/abuse"
	"github.com/powerchain/powerchain/internal/natstest"
	"github.com/powerchain/powerchain/internal/proctest"
	"github.com/powerchain/powerchain/natsbus"
	"github.com/powerchain/powerchain/server"
)

// The fleet benchmark's shape: servers × devices, changes per second (1%
// of the devices), how long the console is measured once it shows the
// whole fleet, and the polling console's interval (its default).
const (
	fleetServers    = 500
	fleetDevices    = 20
	fleetChanges    = fleetServers * fleetDevices / 100
	fleetWindow     = 40 * time.Second
	fleetPollPeriod = 5 * time.Second
	stampVar        = console.FleetStampVar
)

// BenchmarkFleetNATS: a fleet of 500 simulated servers × 20 devices (a
// chain of 2 UPSes, 4 PDUs and 14 power supplies each), 1% of the devices
// changing per second, followed by one console: polling every server
// (every 5 s, NUT's protocol) and by NATS (the servers publish, the
// console subscribes). The fleet runs in a process of its own (with
// nats-server), the console in another; the table gives the staleness of
// what the console shows (a change's time to a snapshot that shows it),
// the console's CPU, memory and bytes through its sockets, and the
// fleet's CPU, over the same window.
//
//	go test -run '^$' -bench FleetNATS -benchtime 1x -timeout 10m ./console
func BenchmarkFleetNATS(b *testing.B) {
	var rows []fleetResult
	for _, mode := range []string{"poll", "nats"} {
		r, err := runFleet(b, mode)
		if err != nil {
			b.Fatalf("%s: %v", mode, err)
		}
		rows = append(rows, r)
	}
	load, _ := os.ReadFile("/proc/loadavg")
	fmt.Printf("\nfleet: %d servers × %d devices, %d changes/s, console measured for %s once it showed every device; load average %s\n",
		fleetServers, fleetDevices, fleetChanges, fleetWindow, strings.Join(strings.Fields(string(load))[:3], " "))
	fmt.Printf("%-22s %9s %9s %9s %13s %12s %10s %10s %14s %10s %13s %10s\n", "console", "stale p50", "p99", "max", "shown/changed",
		"console CPU", "CPU/s", "RSS", "socket bytes", "snapshots", "CPU/snapshot", "fleet CPU")
	for _, r := range rows {
		per := time.Duration(0)
		if r.Snapshots > 0 {
			per = r.CPU / time.Duration(r.Snapshots)
		}
		fmt.Printf("%-22s %9s %9s %9s %6d/%-6d %12s %9.1f%% %7d MiB %14s %10d %13s %10s\n", r.Mode, ms(r.P50), ms(r.P99), ms(r.Max), r.Shown, r.Changed,
			r.CPU.Round(10*time.Millisecond), 100*r.CPU.Seconds()/r.Window.Seconds(), r.RSSKiB/1024, bytesOf(r.Read+r.Written), r.Snapshots,
			ms(per), r.FleetCPU.Round(10*time.Millisecond))
	}
	if len(rows) == 2 && rows[0].CPU > 0 {
		fmt.Printf("NATS: staleness p99 %s (goal < 1 s), console CPU %.0f%% of polling's\n", ms(rows[1].P99), 100*rows[1].CPU.Seconds()/rows[0].CPU.Seconds())
	}
}

func ms(d time.Duration) string { return strconv.FormatInt(d.Milliseconds(), 10) + " ms" }

func bytesOf(n int64) string {
	switch {
	case n >= 10<<20:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 10<<10:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}

// fleetResult is what the console's process measured.
type fleetResult struct {
	Mode           string
	P50, P99, Max  time.Duration
	Shown, Changed int
	CPU            time.Duration
	Window         time.Duration
	RSSKiB         int
	Read, Written  int64
	Snapshots      int
	FleetCPU       time.Duration
}

// runFleet starts the fleet's process and the console's, and returns the
// console's measurement with the fleet's CPU over the same window.
func runFleet(b *testing.B, mode string) (fleetResult, error) {
	dir := b.TempDir()
	fleet, _, err := startRole(b, "fleet", mode, dir, "ready", 2*time.Minute)
	if err != nil {
		return fleetResult{}, err
	}
	defer proctest.Stop(fleet, 10*time.Second)
	con, conOut, err := startRole(b, "console", mode, dir, "measuring", 3*time.Minute)
	if err != nil {
		return fleetResult{}, err
	}
	defer proctest.Stop(con, 10*time.Second)
	fleetCPU := abuse.CPUTime(fleet.Process.Pid)
	changed0, err := askChanges(dir)
	if err != nil {
		return fleetResult{}, err
	}
	line, err := readLine(conOut, fleetWindow+time.Minute)
	if err != nil {
		return fleetResult{}, fmt.Errorf("console: %v", err)
	}
	var r fleetResult
	if err := json.Unmarshal([]byte(line), &r); err != nil {
		return r, fmt.Errorf("console: %q: %v", line, err)
	}
	r.FleetCPU = abuse.CPUTime(fleet.Process.Pid) - fleetCPU
	changed1, err := askChanges(dir)
	if err != nil {
		return r, err
	}
	r.Changed = changed1 - changed0
	return r, nil
}

// startRole runs this test binary as the fleet or the console and waits
// until it says first (within d); one that does not is stopped.
func startRole(b *testing.B, role, mode, dir, first string, d time.Duration) (*exec.Cmd, *bufio.Reader, error) {
	cmd := exec.Command(os.Args[0], "-test.run=^$", "-test.bench=^BenchmarkFleetProcess$", "-test.benchtime=1x", "-test.timeout=0")
	cmd.Env = append(os.Environ(), "FLEET_ROLE="+role, "FLEET_MODE="+mode, "FLEET_DIR="+dir)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, err
	}
	if _, err := cmd.StdinPipe(); err != nil { // closed when the test ends: the child ends
		return nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, err
	}
	r := bufio.NewReader(out)
	if line, err := readLine(r, d); err != nil || line != first {
		proctest.Stop(cmd, 10*time.Second)
		return nil, nil, fmt.Errorf("%s: %q %v", role, line, err)
	}
	return cmd, r, nil
}

// readLine reads the next line a child prints that is meant for the
// benchmark (prefixed "fleet: "), within d.
func readLine(r *bufio.Reader, d time.Duration) (string, error) {
	type res struct {
		s   string
		err error
	}
	c := make(chan res, 1)
	go func() {
		for {
			s, err := r.ReadString('\n')
			if err != nil {
				c <- res{s, err}
				return
			}
			if v, ok := strings.CutPrefix(s, "fleet: "); ok {
				c <- res{strings.TrimSpace(v), nil}
				return
			}
		}
	}()
	select {
	case x := <-c:
		return x.s, x.err
	case <-time.After(d):
		return "", fmt.Errorf("nothing in %s", d)
	}
}

// askChanges reads how many changes the fleet has made (it writes the
// count to a file every 100 ms).
func askChanges(dir string) (int, error) {
	time.Sleep(150 * time.Millisecond)
	b, err := os.ReadFile(filepath.Join(dir, "changes"))
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(strings.TrimSpace(string(b)))
}

// BenchmarkFleetProcess is BenchmarkFleetNATS's fleet or console, in a
// process of its own (FLEET_ROLE); it does nothing otherwise.
func BenchmarkFleetProcess(b *testing.B) {
	role, mode, dir := os.Getenv("FLEET_ROLE"), os.Getenv("FLEET_MODE"), os.Getenv("FLEET_DIR")
	if role == "" {
		b.Skip("run by BenchmarkFleetNATS")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { io.Copy(io.Discard, os.Stdin); cancel() }() // the parent went
	var err error
	switch role {
	case "fleet":
		err = runFleetServers(ctx, b, mode, dir)
	case "console":
		err = runFleetConsole(ctx, mode, dir)
	}
	if err != nil && ctx.Err() == nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", role, err)
		os.Exit(1)
	}
}

// runFleetServers simulates the servers: a store and a protocol server
// each, listening on loopback for the polling console, or publishing on
// NATS (nats-server in this process too); changes 1% of the devices a
// second.
func runFleetServers(ctx context.Context, b *testing.B, mode, dir string) error {
	type sim struct {
		store *device.Store
		srv   *server.Server
	}
	sims := make([]sim, fleetServers)
	var devices []*device.Device
	for s := range sims {
		st := device.NewStoreSize(1024) // a small feed: 500 of them
		for i := range fleetDevices {
			name, vars := console.FleetDevice(s, i)
			d := device.New(name, "")
			d.Update(func(tx *device.Tx) {
				for k, v := range vars {
					tx.Set(k, v)
				}
				tx.AddCmd("beeper.toggle")
			})
			d.DataOK(time.Now())
			st.Add(d)
			devices = append(devices, d)
		}
		sims[s] = sim{store: st, srv: server.New(st, &server.Config{MaxAge: time.Hour})}
	}
	switch mode {
	case "poll":
		var addrs []string
		for _, sm := range sims {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				return err
			}
			addrs = append(addrs, ln.Addr().String())
			go sm.srv.Serve(ctx, ln)
		}
		if err := os.WriteFile(filepath.Join(dir, "sources"), []byte(strings.Join(addrs, "\n")+"\n"), 0o644); err != nil {
			return err
		}
	case "nats":
		ns := natstest.Start(b, natstest.Options(b))
		url := ns.ClientURL()
		if err := os.WriteFile(filepath.Join(dir, "nats"), []byte(url), 0o644); err != nil {
			return err
		}
		for i, sm := range sims {
			nc, err := natsbus.Connect(natsbus.ConnOptions{URL: url, Name: fmt.Sprintf("bench server %d", i)})
			if err != nil {
				return err
			}
			defer nc.Close()
			p := &natsbus.Publisher{Conn: nc, Server: sm.srv, Store: sm.store, Site: fmt.Sprintf("site%d", i/50),
				Name: fmt.Sprintf("srv%03d", i), Addr: fmt.Sprintf("srv%03d.bench:3493", i)}
			go p.Run(ctx)
		}
	}
	// Changes: every 10 ms one device; one in ten switches ups.status
	// (an event), the others move a reading.
	var mu sync.Mutex
	changes := 0
	go func() {
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for ctx.Err() == nil {
			<-t.C
			mu.Lock()
			n := changes
			mu.Unlock()
			os.WriteFile(filepath.Join(dir, "changes.tmp"), []byte(strconv.Itoa(n)), 0o644)
			os.Rename(filepath.Join(dir, "changes.tmp"), filepath.Join(dir, "changes"))
		}
	}()
	fmt.Println("fleet: ready")
	t := time.NewTicker(time.Second / fleetChanges)
	defer t.Stop()
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		d := devices[rand.IntN(len(devices))]
		d.Update(func(tx *device.Tx) {
			tx.Set("input.voltage", strconv.Itoa(220+rand.IntN(20)))
			if i%10 == 0 {
				if v, _ := tx.Get("ups.status"); v == "OL" {
					tx.Set("ups.status", "OL CHRG")
				} else {
					tx.Set("ups.status", "OL")
				}
			}
			tx.Set(stampVar, strconv.FormatInt(time.Now().UnixNano(), 10))
		})
		mu.Lock()
		changes++
		mu.Unlock()
	}
}

// runFleetConsole runs a console on the fleet and measures, once it
// shows every device, the staleness of what it shows and what it costs.
func runFleetConsole(ctx context.Context, mode, dir string) error {
	o := console.Options{Listen: "127.0.0.1:0", Interval: fleetPollPeriod, Timeout: 10 * time.Second}
	switch mode {
	case "poll":
		b, err := os.ReadFile(filepath.Join(dir, "sources"))
		if err != nil {
			return err
		}
		o.Sources = strings.Fields(string(b))
	case "nats":
		url, err := os.ReadFile(filepath.Join(dir, "nats"))
		if err != nil {
			return err
		}
		o.NATS = &console.NATSOptions{Conn: natsbus.ConnOptions{URL: string(url)}, Durable: "bench"}
	}
	con, err := console.New(o)
	if err != nil {
		return err
	}
	var mu sync.Mutex
	type key struct{ source, name string }
	shown := map[key]string{}
	var stale []time.Duration
	measuring, snapshots := false, 0
	full := make(chan struct{})
	onSnapshot := con.Poller.OnSnapshot
	con.Poller.OnSnapshot = func(prev, cur *console.Snapshot) {
		onSnapshot(prev, cur)
		now := time.Now()
		mu.Lock()
		defer mu.Unlock()
		for _, d := range cur.Changed() {
			v := d.Vars[stampVar]
			k := key{d.Source, d.Name}
			if v == "" || shown[k] == v {
				continue
			}
			shown[k] = v
			if ns, _ := strconv.ParseInt(v, 10, 64); measuring && ns > 0 {
				stale = append(stale, now.Sub(time.Unix(0, ns)))
			}
		}
		if measuring {
			snapshots++
		}
		if !measuring && len(cur.Devices) == fleetServers*fleetDevices && full != nil {
			close(full)
			full = nil
		}
	}
	go con.Run(ctx, nil)
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-full:
	case <-time.After(2 * time.Minute):
		return fmt.Errorf("the console did not show the whole fleet in 2 minutes")
	}
	pid := os.Getpid()
	mu.Lock()
	measuring = true
	mu.Unlock()
	if f := os.Getenv("FLEET_CPUPROFILE"); f != "" { // the console's, in mode.f
		out, err := os.Create(f + "." + mode)
		if err != nil {
			return err
		}
		pprof.StartCPUProfile(out)
		defer func() { pprof.StopCPUProfile(); out.Close() }()
	}
	cpu0 := abuse.CPUTime(pid)
	r0, w0 := abuse.IO(pid)
	start := time.Now()
	fmt.Println("fleet: measuring")
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(fleetWindow):
	}
	if os.Getenv("FLEET_CPUPROFILE") != "" {
		pprof.StopCPUProfile()
	}
	mu.Lock()
	measuring = false
	samples := slices.Clone(stale)
	n := snapshots
	mu.Unlock()
	r := fleetResult{Mode: map[string]string{"poll": "polling (every 5 s)", "nats": "NATS (subscription)"}[mode],
		CPU: abuse.CPUTime(pid) - cpu0, Window: time.Since(start), RSSKiB: abuse.RSS(pid), Shown: len(samples), Snapshots: n}
	r1, w1 := abuse.IO(pid)
	r.Read, r.Written = r1-r0, w1-w0
	slices.Sort(samples)
	if len(samples) > 0 {
		r.P50, r.P99, r.Max = samples[len(samples)/2], samples[len(samples)*99/100], samples[len(samples)-1]
	}
	out, _ := json.Marshal(r)
	fmt.Printf("fleet: %s\n", out)
	<-ctx.Done()
	return nil
}
