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
	defer cancel()
	pc := exec.CommandContext(ctx, bin, "serve", "-c", env.ConfDir, "--listen", fmt.Sprintf("127.0.0.1:%d", pcPort))
	if err := pc.Start(); err != nil {
		b.Fatal(err)
	}
	defer pc.Wait()

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
	rate     float64
	p50, p99 time.Duration
}

// loadTest sends req on conns connections in parallel, each waiting for its
// reply before the next, for about a second or 30,000 requests in all.
func loadTest(b *testing.B, port int, req string, conns int) result {
	const (
		maxTotal = 30000
		maxTime  = time.Second
	)
	end := "\n"
	if strings.HasPrefix(req, "LIST ") {
		end = "END " + req + "\n"
	}
	var mu sync.Mutex
	var lat []time.Duration
	var wg sync.WaitGroup
	perConn := maxTotal / conns
	if perConn < 3 {
		perConn = 3
	}
	var cs []net.Conn
	for i := 0; i < conns; i++ {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			b.Fatalf("connection %d: %v", i, err)
		}
		cs = append(cs, c)
	}
	start := time.Now()
	deadline := start.Add(maxTime)
	for _, c := range cs {
		wg.Add(1)
		go func(c net.Conn) {
			defer wg.Done()
			defer c.Close()
			r := bufio.NewReaderSize(c, 64<<10)
			mine := make([]time.Duration, 0, perConn)
			line := []byte(req + "\n")
			for i := 0; i < perConn && (i < 3 || time.Now().Before(deadline)); i++ {
				t0 := time.Now()
				c.SetDeadline(t0.Add(10 * time.Second))
				if _, err := c.Write(line); err != nil {
					break
				}
				ok := true
				for {
					l, err := r.ReadString('\n')
					if err != nil {
						ok = false
						break
					}
					if strings.HasSuffix(l, end) || strings.HasPrefix(l, "ERR") {
						break
					}
				}
				if !ok {
					break
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}(c)
	}
	wg.Wait()
	elapsed := time.Since(start)
	if len(lat) == 0 {
		b.Fatalf("no replies from port %d", port)
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	return result{rate: float64(len(lat)) / elapsed.Seconds(), p50: lat[len(lat)/2].Round(time.Microsecond),
		p99: lat[len(lat)*99/100].Round(time.Microsecond)}
}
