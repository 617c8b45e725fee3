package daemon

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/powerchain/powerchain/internal/nuttest"
)

// BenchmarkCompareNUT runs powerchain's server (one process, 100 devices
// with in-process drivers) and Debian's NUT 2.8.0 (upsd + 100 dummy-ups
// processes) on the same .dev data, side by side in one run, and prints
// requests/s, p50/p99 latency for GET VAR and LIST VAR at 1, 10, 100 and
// 1,000 connections, and resident memory, with the ratios.
//
//	make bench   (go test -run '^$' -bench CompareNUT -benchtime 1x ./daemon)
func BenchmarkCompareNUT(b *testing.B) {
	nuttest.Require(b, nuttest.Upsd, nuttest.DummyUPS)
	const devices = 100
	dev, err := os.ReadFile("../testdata/ddl/APC__Smart-UPS_750__usbhid-ups__2.8.0__01.dev")
	if err != nil {
		b.Fatal(err)
	}
	env := nuttest.NewEnv(b)
	var conf strings.Builder
	for i := 0; i < devices; i++ {
		fmt.Fprintf(&conf, "[d%03d]\n\tdriver = dummy-ups\n\tport = ups.dev\n", i)
	}
	nutPort, pcPort := nuttest.FreePort(b), nuttest.FreePort(b)
	env.WriteFile("ups.conf", conf.String(), 0o644)
	env.WriteFile("ups.dev", string(dev), 0o644)
	env.WriteFile("upsd.conf", fmt.Sprintf("LISTEN 127.0.0.1 %d\nMAXCONN 4096\n", nutPort), 0o640)
	env.WriteFile("upsd.users", "", 0o640)

	// powerchain: one process.
	bin := filepath.Join(b.TempDir(), "powerchain")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/powerchain").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	ctx, cancel := context.WithCancel(context.Background())
	pc := exec.CommandContext(ctx, bin, "serve", "-c", env.ConfDir, "--listen", fmt.Sprintf("127.0.0.1:%d", pcPort))
	if err := pc.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() { cancel(); pc.Wait() }()

	// NUT: a driver process per device, then upsd.
	var drivers []*exec.Cmd
	for i := 0; i < devices; i++ {
		drivers = append(drivers, env.Start(nuttest.DummyUPS, "-a", fmt.Sprintf("d%03d", i)))
	}
	waitAll := func(port int) {
		for i := 0; i < devices; i++ {
			env.WaitVar(fmt.Sprintf("d%03d", i), port, "ups.status")
		}
	}
	time.Sleep(500 * time.Millisecond)
	upsd := env.Start(nuttest.Upsd)
	waitAll(nutPort)
	waitAll(pcPort)

	nutRSS := rss(upsd.Process.Pid)
	for _, d := range drivers {
		nutRSS += rss(d.Process.Pid)
	}
	pcRSS := rss(pc.Process.Pid)

	fmt.Printf("\npowerchain vs Debian NUT 2.8.0, %d devices, same .dev data, loopback\n", devices)
	fmt.Printf("%-9s %5s | %12s %9s %9s | %12s %9s %9s | %8s %8s\n", "request", "conns",
		"pc req/s", "pc p50", "pc p99", "NUT req/s", "NUT p50", "NUT p99", "req/s x", "p99 x")
	for _, req := range []string{"GET VAR d000 ups.status", "LIST VAR d000"} {
		for _, conns := range []int{1, 10, 100, 1000} {
			p := loadTest(b, pcPort, req, conns)
			n := loadTest(b, nutPort, req, conns)
			fmt.Printf("%-9s %5d | %12.0f %9s %9s | %12.0f %9s %9s | %8.2f %8.2f\n",
				strings.Join(strings.Fields(req)[:2], " "), conns,
				p.rate, p.p50, p.p99, n.rate, n.p50, n.p99, p.rate/n.rate, float64(n.p99)/float64(p.p99))
		}
	}
	// Paced load: the connections of a real site each ask every so often;
	// latency counts from the moment a request was due, so a slow reply
	// also delays the next ones (no coordinated omission).
	fmt.Printf("\npaced load (each connection sends on a fixed schedule for 2 s; latency from when each request was due)\n")
	fmt.Printf("%-9s %5s %9s | %9s %9s %9s | %9s %9s %9s | %8s\n", "request", "conns", "req/s", "pc p50", "pc p99", "pc max", "NUT p50", "NUT p99", "NUT max", "p99 x")
	for _, req := range []string{"GET VAR d000 ups.status", "LIST VAR d000"} {
		for _, pc := range []struct {
			conns    int
			interval time.Duration
		}{{100, 50 * time.Millisecond}, {100, 20 * time.Millisecond}, {1000, 500 * time.Millisecond}} {
			p := pacedTest(b, pcPort, req, pc.conns, pc.interval, 2*time.Second)
			n := pacedTest(b, nutPort, req, pc.conns, pc.interval, 2*time.Second)
			fmt.Printf("%-9s %5d %9.0f | %9s %9s %9s | %9s %9s %9s | %8.2f\n",
				strings.Join(strings.Fields(req)[:2], " "), pc.conns, float64(pc.conns)*float64(time.Second)/float64(pc.interval),
				p.p50, p.p99, p.max, n.p50, n.p99, n.max, float64(n.p99)/float64(p.p99))
		}
	}
	fmt.Printf("\nresident memory for %d devices: powerchain %.1f MiB (1 process), NUT %.1f MiB (%d processes): powerchain uses %.2f of NUT's\n",
		devices, float64(pcRSS)/1024, float64(nutRSS)/1024, devices+1, float64(pcRSS)/float64(nutRSS))
	fmt.Println("(req/s x: powerchain's throughput over NUT's; p99 x: NUT's p99 latency over powerchain's; above 1 favours powerchain)")
}

// rss is a process's resident set in KiB.
func rss(pid int) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmRSS:") {
			n, _ := strconv.Atoi(strings.Fields(l)[1])
			return n
		}
	}
	return 0
}

type result struct {
	rate          float64
	p50, p99, max time.Duration
}

// exchange sends one request and reads its whole reply.
func exchange(c net.Conn, r *bufio.Reader, line []byte, end string) bool {
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.Write(line); err != nil {
		return false
	}
	for {
		l, err := r.ReadString('\n')
		if err != nil {
			return false
		}
		if strings.HasSuffix(l, end) || strings.HasPrefix(l, "ERR") {
			return true
		}
	}
}

func replyEnd(req string) string {
	if strings.HasPrefix(req, "LIST ") {
		return "END " + req + "\n"
	}
	return "\n"
}

// onConns opens conns connections to port, runs each (in parallel) with
// its index, and returns all the latencies they measured and how long
// they ran.
func onConns(b *testing.B, port, conns int, each func(i int, c net.Conn, r *bufio.Reader) []time.Duration) ([]time.Duration, time.Duration) {
	var cs []net.Conn
	for i := 0; i < conns; i++ {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			b.Fatalf("connection %d: %v", i, err)
		}
		cs = append(cs, c)
	}
	var mu sync.Mutex
	var lat []time.Duration
	var wg sync.WaitGroup
	start := time.Now()
	for i, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer c.Close()
			mine := each(i, c, bufio.NewReaderSize(c, 64<<10))
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if len(lat) == 0 {
		b.Fatalf("no replies from port %d", port)
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	return lat, elapsed
}

func percentiles(lat []time.Duration, _ time.Duration) result {
	return result{p50: lat[len(lat)/2].Round(time.Microsecond), p99: lat[len(lat)*99/100].Round(time.Microsecond),
		max: lat[len(lat)-1].Round(time.Microsecond)}
}

// pacedTest opens conns connections; each sends req every interval,
// the connections spread evenly over the interval, for about dur.
func pacedTest(b *testing.B, port int, req string, conns int, interval, dur time.Duration) result {
	end, line := replyEnd(req), []byte(req+"\n")
	start := time.Now().Add(50 * time.Millisecond)
	return percentiles(onConns(b, port, conns, func(i int, c net.Conn, r *bufio.Reader) []time.Duration {
		var mine []time.Duration
		for due := start.Add(interval * time.Duration(i) / time.Duration(conns)); due.Before(start.Add(dur)); due = due.Add(interval) {
			// Count from when the request was due if the previous reply
			// made it late, else from when it was sent (the load
			// generator's own timer lateness is not the server's).
			t0 := due
			if d := time.Until(due); d > 0 {
				time.Sleep(d)
				t0 = time.Now()
			}
			if !exchange(c, r, line, end) {
				break
			}
			mine = append(mine, time.Since(t0))
		}
		return mine
	}))
}

// loadTest sends req on conns connections in parallel, each waiting for its
// reply before the next, for about a second or 30,000 requests in all.
func loadTest(b *testing.B, port int, req string, conns int) result {
	const (
		maxTotal = 30000
		maxTime  = time.Second
	)
	end, line := replyEnd(req), []byte(req+"\n")
	perConn := max(maxTotal/conns, 3)
	var deadline time.Time
	var once sync.Once
	lat, elapsed := onConns(b, port, conns, func(_ int, c net.Conn, r *bufio.Reader) []time.Duration {
		once.Do(func() { deadline = time.Now().Add(maxTime) })
		mine := make([]time.Duration, 0, perConn)
		for i := 0; i < perConn && (i < 3 || time.Now().Before(deadline)); i++ {
			t0 := time.Now()
			if !exchange(c, r, line, end) {
				break
			}
			mine = append(mine, time.Since(t0))
		}
		return mine
	})
	res := percentiles(lat, elapsed)
	res.rate = float64(len(lat)) / elapsed.Seconds()
	return res
}
