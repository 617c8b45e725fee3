//go:build linux

package uring

import (
	"runtime"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

func TestEventfdRead(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	r, err := New(8)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	efd, err := unix.Eventfd(0, unix.EFD_CLOEXEC)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(efd)
	// A wait that ends by its timeout, with nothing submitted.
	if err := r.Submit(1, 10*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	var buf [8]byte
	sqe, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	sqe.Opcode, sqe.Fd = OpRead, int32(efd)
	sqe.Addr, sqe.Len = uint64(uintptr(unsafe.Pointer(&buf[0]))), 8
	sqe.UserData = 42
	t0 := time.Now()
	if err := r.Submit(1, 100*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if n := r.Completions(func(c CQE) { t.Errorf("early completion %+v", c) }); n != 0 || time.Since(t0) < 90*time.Millisecond {
		t.Errorf("the wait ended after %v with %d completions", time.Since(t0), n)
	}
	unix.Write(efd, []byte{1, 0, 0, 0, 0, 0, 0, 0})
	if err := r.Submit(1, time.Second); err != nil {
		t.Fatal(err)
	}
	var got []CQE
	r.Completions(func(c CQE) { got = append(got, c) })
	if len(got) != 1 || got[0].UserData != 42 || got[0].Res != 8 || buf[0] != 1 {
		t.Fatalf("completions %+v, buffer %v", got, buf)
	}
}
