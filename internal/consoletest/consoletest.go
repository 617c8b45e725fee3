// Package consoletest runs powerchain's management console (package
// console) inside a test's process until the test ends.
package consoletest

import (
	"context"
	"sync"
	"testing"

	"github.com/powerchain/powerchain/console"
)

// New makes a console with opts, listening on a free loopback port
// (127.0.0.1:0) unless opts.Listen says otherwise; a console that
// cannot be made fails the test.
func New(t testing.TB, opts console.Options) *console.Console {
	t.Helper()
	if opts.Listen == "" {
		opts.Listen = "127.0.0.1:0"
	}
	con, err := console.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return con
}

// Serve runs con until the test ends, or until stop, which waits for
// it to end; it returns the console's URL once it serves.
func Serve(t testing.TB, con *console.Console) (url string, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	urlc := make(chan string, 1)
	go func() {
		defer close(done)
		con.Run(ctx, func(u string) { urlc <- u })
	}()
	select {
	case url = <-urlc:
	case <-done:
		cancel()
		t.Fatal("the console ended before it served")
	}
	stop = sync.OnceFunc(func() { cancel(); <-done })
	t.Cleanup(stop)
	return url, stop
}

// Start makes a console with opts (New) and serves it until the test
// ends (Serve).
func Start(t testing.TB, opts console.Options) (con *console.Console, url string) {
	t.Helper()
	con = New(t, opts)
	url, _ = Serve(t, con)
	return con, url
}
