// Package abuse drives a NUT server as a hostile network does, for the
// server's robustness test and the benchmark that compares it with NUT's
// upsd: idle connections, clients that reconnect in a loop and each time
// misbehave in one way (garbage, an endless line, a request one byte at a
// time, pipelined requests never read, floods of unknown commands, resets
// in the middle of a reply, half-closed and silent connections, connects
// closed at once), and a good client that asks every few milliseconds and
// records what it saw.
package abuse

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Kind is one way an abuser misbehaves on a connection.
type Kind int

// The kinds of abuse, each run on a fresh connection.
const (
	Garbage   Kind = iota // 4 KiB of random bytes, then close
	LongLine              // "GET VAR " and 1 MiB without a newline
	Slow                  // a request one byte every 50 ms
	Pipeline              // 2,000 "LIST VAR ups" lines, replies never read
	Flood                 // 5,000 lines of "FOO"
	Reset                 // LIST VAR, then a reset (SO_LINGER 0) before the reply is read
	HalfClose             // a request, then shutdown(SHUT_WR); the reply is read
	Silent                // half a request, then nothing until the abuse ends
	Churn                 // 50 connects, each closed at once
	TLSJunk               // STARTTLS, then bytes that are no TLS handshake
)

// Classic is the mix of issue 14: garbage, an endless line, a slow
// request, pipelined LIST VAR never read, and a flood of unknown commands.
var Classic = []Kind{Garbage, LongLine, Slow, Pipeline, Flood}

// All is every kind.
var All = []Kind{Garbage, LongLine, Slow, Pipeline, Flood, Reset, HalfClose, Silent, Churn, TLSJunk}

var kindNames = [...]string{"garbage", "long-line", "slow", "pipeline", "flood", "reset", "half-close", "silent", "churn", "tls-junk"}

func (k Kind) String() string { return kindNames[k] }

// Mix is a set of abusers against one server.
type Mix struct {
	Addr    string // host:port of the server
	UPS     string // a device the server serves
	Abusers int    // concurrent abusers, each reconnecting in a loop
	Kinds   []Kind // abuser i does Kinds[i%len(Kinds)] (Classic when empty)
	// Sources are local addresses abusers connect from, in turn (each
	// abuser keeps one): on loopback, 127.0.0.2 … model hostile peers
	// apart from the good client. Empty: the system's choice.
	Sources []string
}

// Stats counts what the abusers did.
type Stats struct {
	Connections atomic.Int64 // connections opened
	DialErrors  atomic.Int64 // connects that failed (refused, timed out)
}

// Run runs the abusers until ctx ends.
func (m Mix) Run(ctx context.Context, st *Stats) {
	kinds := m.Kinds
	if len(kinds) == 0 {
		kinds = Classic
	}
	var wg sync.WaitGroup
	for i := 0; i < m.Abusers; i++ {
		var src string
		if len(m.Sources) > 0 {
			src = m.Sources[i%len(m.Sources)]
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := &abuser{mix: m, d: dialer(src), st: st}
			for ctx.Err() == nil {
				a.once(ctx, kinds[i%len(kinds)])
			}
		}()
	}
	wg.Wait()
}

// dialer connects from src (any address when "").
func dialer(src string) *net.Dialer {
	d := &net.Dialer{Timeout: 2 * time.Second}
	if src != "" {
		d.LocalAddr = &net.TCPAddr{IP: net.ParseIP(src)}
	}
	return d
}

type abuser struct {
	mix Mix
	d   *net.Dialer
	st  *Stats
}

// once runs one connection's worth of abuse of kind k.
func (a *abuser) once(ctx context.Context, k Kind) {
	if k == Churn {
		for i := 0; i < 50 && ctx.Err() == nil; i++ {
			if c := a.dial(ctx); c != nil {
				c.Close()
			}
		}
		return
	}
	c := a.dial(ctx)
	if c == nil {
		return
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.SetDeadline(time.Now()) })
	defer stop()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	ups := a.mix.UPS
	switch k {
	case Garbage:
		b := make([]byte, 4096)
		rand.Read(b)
		c.Write(b)
	case LongLine:
		c.Write(append([]byte("GET VAR "), bytes.Repeat([]byte("x"), 1<<20)...))
	case Slow:
		for _, ch := range []byte("GET VAR " + ups + " ups.status\n") {
			if _, err := c.Write([]byte{ch}); err != nil {
				return
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
		c.Read(make([]byte, 512))
	case Pipeline:
		c.Write([]byte(strings.Repeat("LIST VAR "+ups+"\n", 2000)))
	case Flood:
		c.Write([]byte(strings.Repeat("FOO\n", 5000)))
	case Reset:
		c.Write([]byte("LIST VAR " + ups + "\n"))
		c.(*net.TCPConn).SetLinger(0)
	case HalfClose:
		c.Write([]byte("GET VAR " + ups + " ups.status\n"))
		c.(*net.TCPConn).CloseWrite()
		io.Copy(io.Discard, c)
	case Silent:
		c.Write([]byte("GET VAR " + ups))
		c.SetDeadline(time.Time{})
		<-ctx.Done()
	case TLSJunk:
		c.Write([]byte("STARTTLS\n"))
		buf := make([]byte, 64)
		n, _ := c.Read(buf)
		if bytes.HasPrefix(buf[:n], []byte("OK STARTTLS")) {
			junk := make([]byte, 2048)
			rand.Read(junk)
			junk[0] = 0x16 // a handshake record type, then nonsense
			c.Write(junk)
			io.Copy(io.Discard, c)
		}
	}
}

func (a *abuser) dial(ctx context.Context) net.Conn {
	a.st.Connections.Add(1)
	c, err := a.d.DialContext(ctx, "tcp", a.mix.Addr)
	if err != nil {
		if ctx.Err() == nil {
			a.st.DialErrors.Add(1)
			// A refusing or full server: do not spin.
			time.Sleep(10 * time.Millisecond)
		}
		return nil
	}
	return c
}

// OpenIdle opens n connections to addr that send nothing, from the
// sources in turn, with up to 64 connects in flight; it stops trying at
// deadline. It returns the connections whose handshake completed.
func OpenIdle(ctx context.Context, addr string, n int, sources []string, deadline time.Time) []net.Conn {
	ctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	var mu sync.Mutex
	var out []net.Conn
	var wg sync.WaitGroup
	sem := make(chan struct{}, 64)
	for i := 0; i < n; i++ {
		var src string
		if len(sources) > 0 {
			src = sources[i%len(sources)]
		}
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			d := dialer(src)
			d.Timeout = 0
			c, err := d.DialContext(ctx, "tcp", addr)
			if err != nil {
				return
			}
			mu.Lock()
			out = append(out, c)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}

// Served asks VER on each connection and counts those that answer within
// 10 s in all.
func Served(conns []net.Conn) int {
	var n atomic.Int64
	var wg sync.WaitGroup
	deadline := time.Now().Add(10 * time.Second)
	sem := make(chan struct{}, 64)
	for _, c := range conns {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			c.SetDeadline(deadline)
			if _, err := c.Write([]byte("VER\n")); err != nil {
				return
			}
			buf := make([]byte, 256)
			if m, err := c.Read(buf); err == nil && bytes.HasPrefix(buf[:m], []byte("Network UPS Tools")) {
				n.Add(1)
			}
		}()
	}
	wg.Wait()
	return int(n.Load())
}

// CloseAll closes connections.
func CloseAll(conns []net.Conn) {
	for _, c := range conns {
		c.Close()
	}
}

// Loopbacks returns the n addresses 127.0.0.first … (Linux answers all
// of 127.0.0.0/8 on lo); first+n stays below 255.
func Loopbacks(first, n int) []string {
	var out []string
	for i := first; i < first+n && i < 255; i++ {
		out = append(out, fmt.Sprintf("127.0.0.%d", i))
	}
	return out
}
