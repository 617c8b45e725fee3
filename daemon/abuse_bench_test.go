package daemon

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os/exec"
	"sync/atomic"
	"testing"
	"time"

	"github.com/powerchain/powerchain/internal/abuse"
	"github.com/powerchain/powerchain/internal/nuttest"
	"github.com/powerchain/powerchain/internal/waittest"
)

// BenchmarkAbuse runs issue 14's hostile mix against powerchain's server
// (the io_uring path and the goroutine path, each a `powerchain serve`
// process) and Debian's upsd 2.8.0 in one run: one dummy-ups device,
// MAXCONN 4096, 2,000 idle connections opened first, then for 8 s twenty
// clients that reconnect in a loop and each time send garbage, an endless
// line, a request one byte every 50 ms, 2,000 pipelined LIST VAR never
// read, or 5,000 lines of FOO; beside them a good client, in a process of
// its own, asks GET VAR every 5 ms. It prints what the good client saw,
// how many idle connections were accepted and still answer afterwards,
// the server's sockets before and after, its peak RSS and log lines.
//
//	make bench   (go test -run '^$' -bench Abuse -benchtime 1x ./daemon)
func BenchmarkAbuse(b *testing.B) {
	nuttest.Require(b, nuttest.Upsd, nuttest.DummyUPS)
	bin := nuttest.Powerchain(b)
	const (
		idle     = 2000
		abusers  = 20
		duration = 8 * time.Second
	)
	fmt.Printf("\nabuse: 1 dummy-ups device, MAXCONN 4096, %d idle connections, then %v of %d reconnecting abusers\n", idle, duration, abusers)
	fmt.Printf("(garbage, endless line, 1 byte/50 ms, 2,000 pipelined LIST VAR unread, 5,000 FOO) and a good client\n")
	fmt.Printf("(own process) asking GET VAR every 5 ms; latency from when each request was due\n")
	fmt.Printf("%-22s | %9s %9s | %7s %9s %9s %9s %6s %8s | %9s %9s | %8s %9s %8s\n", "server", "idle open", "idle ok",
		"answers", "p50", "p99", "max", "errors", "refusals", "socks pre", "socks end", "peak RSS", "log lines", "abuse cx")
	for _, s := range []struct {
		name  string
		start func(b *testing.B, env *nuttest.Env, port int, log *lineCounter) []int
	}{
		{"powerchain-io_uring", func(b *testing.B, env *nuttest.Env, port int, log *lineCounter) []int {
			return startServe(b, bin, env, port, log, "ring")
		}},
		{"powerchain-goroutines", func(b *testing.B, env *nuttest.Env, port int, log *lineCounter) []int {
			return startServe(b, bin, env, port, log, "goroutines")
		}},
		{"NUT-upsd-2.8.0", startNUT},
	} {
		b.Run(s.name, func(b *testing.B) {
			port := nuttest.FreePort(b)
			env := benchEnv(b, "[ups1]\n\tdriver = dummy-ups\n\tport = ups.dev\n", port)
			var log lineCounter
			pids := s.start(b, env, port, &log)
			env.WaitVar("ups1", port, "ups.status")
			addr := fmt.Sprintf("127.0.0.1:%d", port)

			conns := abuse.OpenIdle(context.Background(), addr, idle, abuse.Loopbacks(30, 8), time.Now().Add(10*time.Second))
			time.Sleep(500 * time.Millisecond)
			before := abuse.Sockets(port)
			good, err := abuse.StartGood(addr, "127.0.0.1", "GET VAR ups1 ups.status", "VAR ups1 ups.status", 5*time.Millisecond, duration+time.Second)
			if err != nil {
				b.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), duration)
			var st abuse.Stats
			abuse.Mix{Addr: addr, UPS: "ups1", Abusers: abusers, Sources: abuse.Loopbacks(2, abusers)}.Run(ctx, &st)
			cancel()
			res, err := good.Wait()
			if err != nil {
				b.Fatal(err)
			}
			// The abusers are gone: give the server a moment to notice.
			waittest.Until(5*time.Second, 100*time.Millisecond, func() bool { return abuse.Sockets(port) <= before })
			after := abuse.Sockets(port)
			served := abuse.Served(conns)
			abuse.CloseAll(conns)
			fmt.Printf("%-22s | %9d %9d | %7d %9s %9s %9s %6d %8d | %9d %9d | %6.1f MB %9d %8d\n", s.name, len(conns), served,
				res.Answers, res.P50.Round(time.Microsecond), res.P99.Round(time.Microsecond), res.Max.Round(time.Microsecond),
				res.Errors, res.Refusals, before, after, float64(abuse.PeakRSS(pids...))/1024, log.n.Load(), st.Connections.Load())
			if res.FirstError != "" {
				fmt.Printf("%-22s   first error: %s\n", "", res.FirstError)
			}
		})
	}
	fmt.Println("(idle ok: idle connections that still answer VER after the abuse; socks: the server's established or")
	fmt.Println("peer-closed sockets on its port before the abuse and 5 s after it; peak RSS: VmHWM of the server's processes)")
}

// lineCounter counts the lines written to it.
type lineCounter struct{ n atomic.Int64 }

func (c *lineCounter) Write(p []byte) (int, error) {
	c.n.Add(int64(bytes.Count(p, []byte("\n"))))
	return len(p), nil
}

// startServe runs `powerchain serve` on env's directory, its plain
// sessions on the given path and its output to log (nil: nowhere), until
// the benchmark ends and returns its pid.
func startServe(b *testing.B, bin string, env *nuttest.Env, port int, log io.Writer, sessions string) []int {
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "serve", "-c", env.ConfDir, "--listen", fmt.Sprintf("127.0.0.1:%d", port), "--announce", "no", "--sessions", sessions)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { cancel(); cmd.Wait() })
	return []int{cmd.Process.Pid}
}

// startNUT runs Debian's dummy-ups and upsd on env's directory until the
// benchmark ends and returns their pids.
func startNUT(b *testing.B, env *nuttest.Env, port int, log *lineCounter) []int {
	var pids []int
	for _, args := range [][]string{{nuttest.DummyUPS, "-a", "ups1"}, {nuttest.Upsd}} {
		ctx, cancel := context.WithCancel(context.Background())
		cmd := exec.CommandContext(ctx, args[0], append([]string{"-F", "-u", "root"}, args[1:]...)...)
		cmd.Env = env.Environ()
		cmd.Stdout, cmd.Stderr = log, log
		cmd.WaitDelay = 2 * time.Second
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { cancel(); cmd.Wait() })
		pids = append(pids, cmd.Process.Pid)
		time.Sleep(500 * time.Millisecond) // the driver's socket first
	}
	return pids
}
