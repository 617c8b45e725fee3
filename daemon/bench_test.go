package daemon

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/powerchain/powerchain/internal/abuse"
	"github.com/powerchain/powerchain/internal/nuttest"
)

// benchEnv is the configuration directory both servers of a benchmark
// read: ups.conf as given, ups.dev (a Smart-UPS 750's dump) for its
// devices, and upsd listening on port with MAXCONN 4096.
func benchEnv(b *testing.B, upsConf string, port int) *nuttest.Env {
	b.Helper()
	dev, err := os.ReadFile("../testdata/ddl/APC__Smart-UPS_750__usbhid-ups__2.8.0__01.dev")
	if err != nil {
		b.Fatal(err)
	}
	env := nuttest.NewEnv(b)
	env.WriteFile("ups.conf", upsConf, 0o644)
	env.WriteFile("ups.dev", string(dev), 0o644)
	env.WriteFile("upsd.conf", fmt.Sprintf("LISTEN 127.0.0.1 %d\nMAXCONN 4096\n", port), 0o640)
	env.WriteFile("upsd.users", "", 0o640)
	return env
}

// BenchmarkCompareNUT runs powerchain's server (one process, 100 devices
// with in-process drivers; twice: sessions on the io_uring ring, and on
// goroutines) and Debian's NUT 2.8.0 (upsd + 100 dummy-ups processes) on
// the same .dev data, side by side in one run, and prints
// requests/s, p50/p99 latency for GET VAR and LIST VAR at 1, 10, 100 and
// 1,000 connections, and resident memory, with the ratios.
//
//	make bench   (go test -run '^$' -bench CompareNUT -benchtime 1x ./daemon)
func BenchmarkCompareNUT(b *testing.B) {
	nuttest.Require(b, nuttest.Upsd, nuttest.DummyUPS)
	const devices = 100
	var conf strings.Builder
	for i := 0; i < devices; i++ {
		fmt.Fprintf(&conf, "[d%03d]\n\tdriver = dummy-ups\n\tport = ups.dev\n", i)
	}
	nutPort, pcPort, grPort := nuttest.FreePort(b), nuttest.FreePort(b), nuttest.FreePort(b)
	env := benchEnv(b, conf.String(), nutPort)

	// powerchain: one process per session path (io_uring ring,
	// goroutines), each serving every device.
	bin := nuttest.Powerchain(b)
	pc, gr := startServe(b, bin, env, pcPort, nil, "ring"), startServe(b, bin, env, grPort, nil, "goroutines")

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
	waitAll(grPort)

	nutRSS := abuse.RSS(upsd.Process.Pid)
	for _, d := range drivers {
		nutRSS += abuse.RSS(d.Process.Pid)
	}
	pcRSS := abuse.RSS(pc...)
	grRSS := abuse.RSS(gr...)

	fmt.Printf("\npowerchain vs Debian NUT 2.8.0, %d devices, same .dev data, loopback\n", devices)
	nutPids := []int{upsd.Process.Pid}
	for _, d := range drivers {
		nutPids = append(nutPids, d.Process.Pid)
	}
	sides := []side{{pids: pc, port: pcPort}, {pids: gr, port: grPort}, {pids: nutPids, port: nutPort}}
	fmt.Printf("closed loop (each connection sends its next request when the reply is in; load generator: one thread,\n")
	fmt.Printf("epoll; %d rounds, each running the three servers back to back (which first rotates) on the same open\n", rounds)
	fmt.Printf("connections; req/s: median round; req/s x: median of the rounds' ratios to NUT, lowest-highest beside it)\n")
	fmt.Printf("%-9s %5s %-10s | %9s %8s %8s %7s | %7s %11s %7s %7s\n", "request", "conns", "server",
		"req/s", "p50", "p99", "cpu", "req/s x", "x, rounds", "p99 x", "cpu x")
	reqs := []string{"GET VAR d000 ups.status", "LIST VAR d000"}
	lines := map[string][]string{}
	var dials []string
	names := []string{"pc ring", "pc gorout", "NUT"}
	for _, conns := range []int{1, 10, 100, 1000} {
		var dialed []string
		for i := range sides {
			var took time.Duration
			sides[i].fds, took = dial(b, sides[i].port, conns)
			dialed = append(dialed, fmt.Sprintf("%s %s", names[i], took.Round(time.Millisecond)))
		}
		dials = append(dials, fmt.Sprintf("%d: %s", conns, strings.Join(dialed, ", ")))
		for _, req := range reqs {
			res, ratios := loadTest(b, sides, req)
			nut := res[len(res)-1]
			for i, r := range res {
				row := fmt.Sprintf("%-9s %5d %-10s | %9.0f %8s %8s %7s |", strings.Join(strings.Fields(req)[:2], " "), conns, names[i],
					r.rate, r.p50, r.p99, r.cpu)
				if i < len(ratios) {
					x := ratios[i]
					row += fmt.Sprintf(" %7.2f %11s %7.2f %7.2f", x[len(x)/2], fmt.Sprintf("%.2f-%.2f", x[0], x[len(x)-1]),
						float64(nut.p99)/float64(r.p99), float64(nut.cpu)/float64(r.cpu))
				}
				lines[req] = append(lines[req], row)
			}
			lines[req] = append(lines[req], fmt.Sprintf("%-9s %5d %-10s   cpu per request, goroutines over ring: %.2f", "", conns, "",
				float64(res[1].cpu)/float64(res[0].cpu)))
		}
		for _, sd := range sides {
			closeAll(sd.fds)
		}
	}
	for _, req := range reqs {
		fmt.Println(strings.Join(lines[req], "\n"))
	}
	fmt.Printf("(cpu: the server's CPU time per request, all of its processes; req/s x and cpu x above 1 favour powerchain)\n")
	fmt.Printf("opening the connections (each until the kernel has completed the handshake), by count: %s\n", strings.Join(dials, "; "))
	if testing.Short() {
		return // -short: the closed-loop table only
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
	fmt.Printf("\nresident memory for %d devices: powerchain %.1f MiB (ring) and %.1f MiB (goroutines), 1 process each; NUT %.1f MiB (%d processes): powerchain uses %.2f of NUT's\n",
		devices, float64(pcRSS)/1024, float64(grRSS)/1024, float64(nutRSS)/1024, devices+1, float64(pcRSS)/float64(nutRSS))
	fmt.Println("(req/s x: powerchain's throughput over NUT's; p99 x: NUT's p99 latency over powerchain's; above 1 favours powerchain)")
}

type result struct {
	rate          float64
	p50, p99, max time.Duration
	cpu           time.Duration // server CPU per request
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
func onConns(b *testing.B, port, conns int, each func(i int, start time.Time, c net.Conn, r *bufio.Reader) []time.Duration) ([]time.Duration, time.Duration) {
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
	// The clock starts once every connection is open: a server slow to
	// accept (NUT's upsd, listen backlog 16, lets SYNs be retried for
	// seconds) is measured by the closed-loop table's dial time, not
	// counted as request latency here.
	start := time.Now()
	for i, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer c.Close()
			mine := each(i, start, c, bufio.NewReaderSize(c, 64<<10))
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
	return percentiles(onConns(b, port, conns, func(i int, start time.Time, c net.Conn, r *bufio.Reader) []time.Duration {
		start = start.Add(50 * time.Millisecond)
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

// rounds is how many closed-loop runs each server gets per request and
// connection count, alternating, so that a slow patch of the shared
// machine hits both.
const rounds = 5

// side is one server under test: the processes whose CPU time it is
// charged and its connections.
type side struct {
	pids []int
	port int
	fds  []int
}

// loadTest runs req closed-loop on each side's connections in rounds of
// about a second (or 200,000 requests) each, the servers back to back in
// each round and which goes first rotating, charging each server's CPU
// time (pids) to its requests. The rate is the median round's; the
// ratios are each side's rate over the last side's (NUT), one per round,
// sorted (each of two runs a few seconds apart, so that the shared
// machine's drift cancels); latency percentiles are over all rounds.
func loadTest(b *testing.B, sides []side, req string) ([]result, [][]float64) {
	runs := make([][]loadRun, len(sides))
	ratios := make([][]float64, len(sides)-1)
	for r := 0; r < rounds; r++ {
		rate := make([]float64, len(sides))
		for k := range sides {
			i := (k + r) % len(sides)
			run, err := closedLoop(sides[i].fds, req, 200000, time.Second, func() time.Duration { return abuse.CPUTime(sides[i].pids...) })
			if err != nil {
				b.Fatal(err)
			}
			runs[i] = append(runs[i], run)
			rate[i] = float64(len(run.lat)) / run.elapsed.Seconds()
		}
		for i := range ratios {
			ratios[i] = append(ratios[i], rate[i]/rate[len(rate)-1])
		}
	}
	var res []result
	for i := range sides {
		res = append(res, summarize(runs[i]))
	}
	for _, x := range ratios {
		sort.Float64s(x)
	}
	return res, ratios
}

func summarize(runs []loadRun) result {
	var lat []time.Duration
	var rates []float64
	var cpu time.Duration
	for _, r := range runs {
		lat = append(lat, r.lat...)
		rates = append(rates, float64(len(r.lat))/r.elapsed.Seconds())
		cpu += r.cpu
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	sort.Float64s(rates)
	res := percentiles(lat, 0)
	res.rate = rates[len(rates)/2]
	res.cpu = (cpu / time.Duration(len(lat))).Round(100 * time.Nanosecond)
	return res
}
