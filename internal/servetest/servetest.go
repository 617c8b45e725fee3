// Package servetest runs powerchain's server (package daemon) inside a
// test's process until the test ends. (The daemon package's own tests
// cannot import it.)
package servetest

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/powerchain/powerchain/daemon"
	"github.com/powerchain/powerchain/internal/waittest"
)

// Serve starts the server with opts, stops it when the test ends, and
// returns the address of its first listener. Without opts.Listen it
// listens on a free loopback port (127.0.0.1:0); opts.Ready is its own.
// A server that does not start fails the test.
func Serve(t testing.TB, opts daemon.Options) *net.TCPAddr {
	t.Helper()
	_, addr := Start(t, opts)
	return addr
}

// Start is Serve that returns the server too (its store, its protocol
// server).
func Start(t testing.TB, opts daemon.Options) (*daemon.Daemon, *net.TCPAddr) {
	t.Helper()
	if len(opts.Listen) == 0 {
		opts.Listen = []string{"127.0.0.1:0"}
	}
	var addr *net.TCPAddr
	opts.Ready = func(a []net.Addr) { addr = a[0].(*net.TCPAddr) }
	return Run(t, opts), addr
}

// Run starts the server with opts as they are (without opts.Listen, it
// listens where the directory's upsd.conf says) and stops it when the
// test ends. A server that does not start fails the test.
func Run(t testing.TB, opts daemon.Options) *daemon.Daemon {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	d, err := daemon.Start(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// WaitData waits (≤ 60 s) until every device of d has had data from its
// driver, so that a test's first request reads values, not ERR
// DATA-STALE or an empty device; a device still without data fails the
// test.
func WaitData(t testing.TB, d *daemon.Daemon) {
	t.Helper()
	var missing []string
	if !waittest.Until(60*time.Second, 10*time.Millisecond, func() bool {
		missing = missing[:0]
		for _, dev := range d.Store().Devices() {
			if s := dev.Snapshot(); !s.Connected || s.Updated.IsZero() {
				missing = append(missing, dev.Name())
			}
		}
		return len(missing) == 0
	}) {
		t.Fatalf("no data from the drivers of %v", missing)
	}
}
