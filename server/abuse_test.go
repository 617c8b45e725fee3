package server

import (
	"bufio"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/powerchain/powerchain/internal/abuse"
	"github.com/powerchain/powerchain/internal/nuttest"
	"github.com/powerchain/powerchain/internal/waittest"
)

// TestAbuse: a hostile network against a server with 500 idle clients —
// every kind of abuse (garbage, endless lines, a byte at a time,
// pipelines never read, floods, resets mid-reply, half-closed and silent
// connections, connect-and-close churn, TLS junk after STARTTLS) from 20
// reconnecting clients for 3 s. A good client asking every 5 ms is never
// refused and never sees an error; once the abusers are gone every one of
// their sessions is released; the idle clients are still served.
// (TestLimits has the idle timeout, which releases peers that vanish
// without closing.) Behaviour only: the benchmark
// (BenchmarkAbuse in daemon) measures the times.
func TestAbuse(t *testing.T) { bothPaths(t, abused) }

func abused(t *testing.T) {
	srv, _, _, addr := testServer(t)
	withTLS(t, srv)

	idle := abuse.OpenIdle(context.Background(), addr, 500, abuse.Loopbacks(30, 4), time.Now().Add(30*time.Second))
	defer abuse.CloseAll(idle)
	if len(idle) != 500 {
		t.Fatalf("%d of 500 idle connections opened", len(idle))
	}
	waitSessions(t, srv, len(idle))

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	var st abuse.Stats
	done := make(chan struct{})
	go func() {
		abuse.Mix{Addr: addr, UPS: "ups1", Abusers: 20, Kinds: abuse.All, Sources: abuse.Loopbacks(2, 20)}.Run(ctx, &st)
		close(done)
	}()
	res := abuse.Good(ctx, addr, "127.0.0.1", "GET VAR ups1 ups.status", "VAR ups1 ups.status", 5*time.Millisecond)
	<-done
	t.Logf("good client: %v; abusers: %d connections", res, st.Connections.Load())
	if res.Errors != 0 || res.Refusals != 0 || res.Answers == 0 {
		t.Errorf("good client: %v", res)
	}
	waitSessions(t, srv, len(idle))
	if n := abuse.Served(idle); n != len(idle) {
		t.Errorf("%d of %d idle clients answered after the abuse", n, len(idle))
	}
}

// withTLS gives srv a certificate: STARTTLS works.
func withTLS(t *testing.T, srv *Server) {
	t.Helper()
	pem := filepath.Join(t.TempDir(), "server.pem")
	nuttest.SelfSigned(t, pem)
	cert, err := tls.LoadX509KeyPair(pem, pem)
	if err != nil {
		t.Fatal(err)
	}
	cfg := *srv.cfg.Load()
	cfg.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.Reload(&cfg)
}

// waitSessions waits until the server serves want sessions; it fails the
// test if that takes more than 30 s (the abusers' sessions must all be
// released, the silent ones by the idle timeout).
func waitSessions(t *testing.T, srv *Server, want int) {
	t.Helper()
	if !waittest.Until(30*time.Second, 50*time.Millisecond, func() bool { return srv.Sessions() == want }) {
		t.Fatalf("%d sessions, want %d", srv.Sessions(), want)
	}
}

// TestLimits: the per-client limits on both paths.
func TestLimits(t *testing.T) { bothPaths(t, limits) }

func limits(t *testing.T) {
	srv, _, _, addr := testServer(t)
	cfg := *srv.cfg.Load()
	cfg.Limits = Limits{MaxLine: 64, MaxPipelined: 4, IdleTimeout: time.Second, ConnRate: 1, ConnBurst: 3}
	srv.Reload(&cfg)

	t.Run("line length", func(t *testing.T) {
		c := dialFrom(t, addr, "127.0.0.2")
		if got := c.ask("GET VAR ups1 "+strings.Repeat("x", 60), 1); got != "ERR TOO-LONG\n" {
			t.Errorf("a 73-byte request with MaxLine 64: %q", got)
		}
		c.expectClosed()
	})
	t.Run("pipelined requests answered in batches", func(t *testing.T) {
		c := dialFrom(t, addr, "127.0.0.3")
		const n = 50
		c.conn.Write([]byte(strings.Repeat("GET VAR ups1 ups.status\n", n)))
		for i := 0; i < n; i++ {
			if l, err := c.r.ReadString('\n'); err != nil || l != "VAR ups1 ups.status \"OL\"\n" {
				t.Fatalf("reply %d: %q %v", i, l, err)
			}
		}
	})
	t.Run("idle timeout", func(t *testing.T) {
		silent := dialFrom(t, addr, "127.0.0.4")
		silent.conn.Write([]byte("GET VAR ups1")) // and never the end of it
		busy := dialFrom(t, addr, "127.0.0.4")
		for i := 0; i < 8; i++ {
			if got := busy.ask("VER", 1); !strings.HasPrefix(got, "Network UPS Tools") {
				t.Fatalf("a client asking every 300 ms: %q", got)
			}
			time.Sleep(300 * time.Millisecond)
		}
		silent.expectClosed()
	})
	t.Run("connection rate", func(t *testing.T) {
		for i := 0; i < 3; i++ {
			if got := dialFrom(t, addr, "127.0.0.5").ask("VER", 1); !strings.HasPrefix(got, "Network UPS Tools") {
				t.Fatalf("connection %d of the burst: %q", i, got)
			}
		}
		dialFrom(t, addr, "127.0.0.5").expectClosed()
		if got := dialFrom(t, addr, "127.0.0.6").ask("VER", 1); !strings.HasPrefix(got, "Network UPS Tools") {
			t.Errorf("another address: %q", got)
		}
	})
}

// dialFrom connects to addr from the local address src.
func dialFrom(t *testing.T, addr, src string) *conversation {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &conversation{t: t, conn: c, r: bufio.NewReader(c)}
}

// expectClosed reads until the server closes the connection (10 s at
// most) and fails if it does not.
func (c *conversation) expectClosed() {
	c.t.Helper()
	c.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.Copy(io.Discard, c.r); err != nil && !isReset(err) {
		c.t.Errorf("the server did not close the connection: %v", err)
	}
}

func isReset(err error) bool { return strings.Contains(fmt.Sprint(err), "connection reset") }
