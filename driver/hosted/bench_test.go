package hosted_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/internal/abuse"
	"github.com/powerchain/powerchain/internal/nuttest"
	"github.com/powerchain/powerchain/internal/waittest"
)

// BenchmarkHostedCompareNUT: Debian's dummy-ups as a hosted driver of
// powerchain's serve against the same program under Debian's upsd.
//
// Memory: serve running its own dummy-ups (hosted) against upsd with a
// dummy-ups, each pair in its own directories; serve with powerchain's
// own dummy-ups (native) beside them.
//
// Latency, from the driver's state update to a client seeing it: one
// Debian dummy-ups serves its socket to both servers at once (upsd, and
// serve, which attaches to a driver that already serves the socket);
// the benchmark connects to that socket too and sends the driver "SET
// ups.load N". The driver publishes the new value to every connection at
// once; the moment the benchmark's connection receives it is the update.
// A NUT client (GET VAR, as upsc asks) polls one server in a closed loop
// from just before the update until the value shows. Updates alternate
// between the servers (serve with its io_uring sessions, serve with a
// goroutine per session, upsd), with a pause between them, so that only
// one client polls at a time.
func BenchmarkHostedCompareNUT(b *testing.B) {
	nuttest.Require(b, nuttest.Upsd, nuttest.DummyUPS)
	const updates = 600
	dev, err := os.ReadFile(ddl)
	if err != nil {
		b.Fatal(err)
	}
	bin := nuttest.Powerchain(b)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	serve := func(e *nuttest.Env, port int, extra ...string) *exec.Cmd {
		cmd := exec.CommandContext(ctx, bin, append([]string{"serve", "-c", e.ConfDir, "--listen", fmt.Sprintf("127.0.0.1:%d", port), "--announce", "no"}, extra...)...)
		cmd.Env = e.Environ()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() })
		return cmd
	}
	newEnv := func(ups string) *nuttest.Env {
		e := nuttest.NewEnv(b)
		e.WriteFile("ups.conf", ups, 0o644)
		e.WriteFile("ups1.dev", string(dev), 0o644)
		e.WriteFile("upsd.users", "", 0o640)
		return e
	}
	const section = "[ups1]\n\tdriver = dummy-ups\n\tport = ups1.dev\n"
	hostedConf := "user = root\n" + conf.HostedKey + " = ups1\n" + section

	// Memory, each server with its own driver.
	hostedEnv, nativeEnv, nutEnv := newEnv(hostedConf), newEnv(section), newEnv(section)
	hp, np, up := nuttest.FreePort(b), nuttest.FreePort(b), nuttest.FreePort(b)
	nutEnv.WriteFile("upsd.conf", fmt.Sprintf("LISTEN 127.0.0.1 %d\n", up), 0o640)
	hostedServe, nativeServe := serve(hostedEnv, hp), serve(nativeEnv, np)
	nutDriver := nutEnv.Start(nuttest.DummyUPS, "-a", "ups1")
	nutUpsd := nutEnv.Start(nuttest.Upsd)
	hostedEnv.WaitVar("ups1", hp, "driver.version.internal")
	nativeEnv.WaitVar("ups1", np, "ups.status")
	nutEnv.WaitVar("ups1", up, "driver.version.internal")
	time.Sleep(2 * time.Second) // a few polls
	hostedDriver := childOf(hostedServe.Process.Pid, "dummy-ups")
	rss := func(pids ...int) float64 { return float64(abuse.RSS(pids...)) / 1024 }
	fmt.Printf("\nresident memory (VmRSS; peak VmHWM), one device, Debian's dummy-ups on a real UPS's dump:\n")
	fmt.Printf("  powerchain serve + hosted dummy-ups  %5.1f MiB (serve %.1f + driver %.1f; peak %.1f)\n",
		rss(hostedServe.Process.Pid, hostedDriver), rss(hostedServe.Process.Pid), rss(hostedDriver),
		float64(abuse.PeakRSS(hostedServe.Process.Pid, hostedDriver))/1024)
	fmt.Printf("  NUT upsd + dummy-ups                 %5.1f MiB (upsd %.1f + driver %.1f; peak %.1f)\n",
		rss(nutUpsd.Process.Pid, nutDriver.Process.Pid), rss(nutUpsd.Process.Pid), rss(nutDriver.Process.Pid),
		float64(abuse.PeakRSS(nutUpsd.Process.Pid, nutDriver.Process.Pid))/1024)
	fmt.Printf("  powerchain serve, native dummy-ups   %5.1f MiB (peak %.1f)\n",
		rss(nativeServe.Process.Pid), float64(abuse.PeakRSS(nativeServe.Process.Pid))/1024)

	// Latency: one driver, both servers on its socket.
	e := newEnv(hostedConf)
	nutPort, pcPort, grPort := nuttest.FreePort(b), nuttest.FreePort(b), nuttest.FreePort(b)
	e.WriteFile("upsd.conf", fmt.Sprintf("LISTEN 127.0.0.1 %d\n", nutPort), 0o640)
	e.Start(nuttest.DummyUPS, "-a", "ups1")
	sock := filepath.Join(e.StateDir, "dummy-ups-ups1")
	waittest.Until(5*time.Second, 50*time.Millisecond, func() bool { return dialable(sock) })
	e.Start(nuttest.Upsd)
	pc, gr := serve(e, pcPort), serve(e, grPort, "--sessions", "goroutines")
	for _, p := range []int{nutPort, pcPort, grPort} {
		e.WaitVar("ups1", p, "driver.version.internal")
	}
	for _, s := range []*exec.Cmd{pc, gr} {
		if c := childOf(s.Process.Pid, "dummy-ups"); c != 0 {
			b.Fatalf("serve started a driver of its own (pid %d) instead of attaching", c)
		}
	}

	drv, err := net.Dial("unix", sock)
	if err != nil {
		b.Fatal(err)
	}
	defer drv.Close()
	published := make(chan publication, 16)
	go func() {
		r := bufio.NewReader(drv)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			if v, ok := strings.CutPrefix(strings.TrimSpace(line), "SETINFO ups.load "); ok {
				published <- publication{strings.Trim(v, `"`), time.Now()}
			}
		}
	}()
	type side struct {
		name string
		port int
		c    net.Conn
		r    *bufio.Reader
		lat  []time.Duration
	}
	sides := []*side{{name: "powerchain serve (hosted)", port: pcPort}, {name: "  … --sessions goroutines", port: grPort},
		{name: "NUT upsd", port: nutPort}}
	for _, s := range sides {
		if s.c, err = net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", s.port)); err != nil {
			b.Fatal(err)
		}
		defer s.c.Close()
		s.r = bufio.NewReader(s.c)
	}
	b.ResetTimer()
	for i := 0; i < updates; i++ {
		s := sides[i%len(sides)]
		want := strconv.Itoa(1000 + i)
		seen := make(chan time.Time, 1)
		stop := make(chan struct{})
		go func() {
			req := []byte("GET VAR ups1 ups.load\n")
			for {
				select {
				case <-stop:
					return
				default:
				}
				s.c.Write(req)
				line, err := s.r.ReadString('\n')
				now := time.Now()
				if err != nil {
					close(seen)
					return
				}
				if strings.TrimSpace(line) == `VAR ups1 ups.load "`+want+`"` {
					seen <- now
					return
				}
			}
		}()
		time.Sleep(2 * time.Millisecond) // the poller is going
		fmt.Fprintf(drv, "SET ups.load %s\n", want)
		var pub publication
		for pub.value != want {
			select {
			case pub = <-published:
			case <-time.After(5 * time.Second):
				b.Fatalf("the driver did not publish ups.load %s", want)
			}
		}
		select {
		case t1, ok := <-seen:
			if !ok {
				b.Fatalf("%s: connection lost", s.name)
			}
			s.lat = append(s.lat, max(t1.Sub(pub.at), 0))
		case <-time.After(5 * time.Second):
			close(stop)
			b.Fatalf("%s never showed ups.load %s", s.name, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
	b.StopTimer()
	fmt.Printf("\nDebian's dummy-ups publishes ups.load (SET on its socket) → a NUT client polling GET VAR sees it; %d updates per server:\n", updates/len(sides))
	fmt.Printf("  %-28s %9s %9s %9s %9s\n", "server", "p50", "p90", "p99", "max")
	for _, s := range sides {
		slices.Sort(s.lat)
		q := func(p float64) time.Duration { return s.lat[min(len(s.lat)-1, int(p*float64(len(s.lat))))] }
		fmt.Printf("  %-28s %9s %9s %9s %9s\n", s.name, q(0.5).Round(time.Microsecond), q(0.9).Round(time.Microsecond),
			q(0.99).Round(time.Microsecond), s.lat[len(s.lat)-1].Round(time.Microsecond))
	}
}

// publication is a value the driver published, and when it arrived.
type publication struct {
	value string
	at    time.Time
}

func dialable(path string) bool {
	c, err := net.Dial("unix", path)
	if err == nil {
		c.Close()
	}
	return err == nil
}
