//go:build linux

package server

import (
	"errors"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/powerchain/powerchain/internal/uring"
)

// requireRing skips where the kernel (or a sandbox's seccomp filter)
// refuses io_uring: the server then serves every session from a
// goroutine, which the "goroutines" subtests cover.
func requireRing(t *testing.T) {
	r, err := uring.New(8)
	if errors.Is(err, uring.ErrUnsupported) {
		t.Skipf("this kernel refuses io_uring: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
}

// onRingThread reports whether the caller runs on the io_uring ring's
// thread (locked to the ring's goroutine: nothing else runs there).
func onRingThread() bool {
	return shared.rg != nil && unix.Gettid() == shared.rg.tid
}
