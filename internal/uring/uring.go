//go:build linux

// Package uring is the small part of Linux's io_uring that the protocol
// server uses: one ring per thread, single issuer, task work deferred to
// the wait (kernel 6.1 or later), and the socket operations recv, send,
// read, cancel. There is no io_uring module among the Go modules that
// can be had here, so these hundred lines speak the system call
// interface (io_uring_setup(2), io_uring_enter(2)) directly.
package uring

import (
	"errors"
	"fmt"
	"sync/atomic"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Operation codes (enum io_uring_op).
const (
	OpRead   = 22
	OpSend   = 26
	OpRecv   = 27
	OpCancel = 14
)

// RecvSendPollFirst (in SQE.Ioprio) makes a recv or send wait for
// readiness first instead of trying at once: for a recv right after a
// reply, when the next request cannot be there yet.
const RecvSendPollFirst = 1

const (
	setupCQSize       = 1 << 3
	setupSingleIssuer = 1 << 12
	setupDeferTaskrun = 1 << 13
	enterGetEvents    = 1 << 0
	enterExtArg       = 1 << 3
	featSingleMmap    = 1 << 0
	featNoDrop        = 1 << 1
	featExtArg        = 1 << 8
	offSQRing         = 0
	offSQEs           = 0x10000000
)

// SQE is a submission queue entry (struct io_uring_sqe, 64 bytes).
type SQE struct {
	Opcode   uint8
	Flags    uint8
	Ioprio   uint16
	Fd       int32
	Off      uint64
	Addr     uint64
	Len      uint32
	OpFlags  uint32
	UserData uint64
	BufIndex uint16
	_        uint16
	_        int32
	_        [2]uint64
}

// CQE is a completion queue entry (struct io_uring_cqe, 16 bytes).
type CQE struct {
	UserData uint64
	Res      int32
	Flags    uint32
}

type params struct {
	sqEntries, cqEntries, flags, sqThreadCPU, sqThreadIdle, features, wqFd uint32
	_                                                                      [3]uint32
	sqOff                                                                  struct {
		head, tail, ringMask, ringEntries, flags, dropped, array, _ uint32
		_                                                           uint64
	}
	cqOff struct {
		head, tail, ringMask, ringEntries, overflow, cqes, flags, _ uint32
		_                                                           uint64
	}
}

type getEventsArg struct {
	sigmask   uint64
	sigmaskSz uint32
	_         uint32 // min_wait_usec (6.12), unused
	ts        uint64
}

// Ring is one io_uring instance. It is not safe for concurrent use: the
// kernel holds it to the thread that created it (single issuer), so
// that thread must stay locked (runtime.LockOSThread) while it is used.
type Ring struct {
	fd        int
	rings     []byte
	sqesMem   []byte
	sqHead    *uint32
	sqTail    *uint32
	sqMask    uint32
	sqEntries uint32
	sqes      []SQE
	cqHead    *uint32
	cqTail    *uint32
	cqMask    uint32
	cqes      []CQE
	tail      uint32 // SQEs handed out
	submitted uint32 // SQEs the kernel has been told of
	// The wait's arguments live here, not on the stack: the kernel
	// reads them through addresses the compiler cannot see.
	arg getEventsArg
	ts  unix.Timespec
}

// ErrUnsupported says the kernel (or a sandbox's seccomp filter, or
// kernel.io_uring_disabled) refuses what New needs.
var ErrUnsupported = errors.New("io_uring not available")

// New sets up a ring with entries submission slots (a power of two) and
// four times as many completion slots.
func New(entries uint32) (*Ring, error) {
	p := params{flags: setupSingleIssuer | setupDeferTaskrun | setupCQSize, cqEntries: 4 * entries}
	fd, _, errno := unix.Syscall(unix.SYS_IO_URING_SETUP, uintptr(entries), uintptr(unsafe.Pointer(&p)), 0)
	if errno != 0 {
		return nil, fmt.Errorf("%w: io_uring_setup: %v", ErrUnsupported, errno)
	}
	r := &Ring{fd: int(fd)}
	const need = featSingleMmap | featNoDrop | featExtArg
	if p.features&need != need {
		unix.Close(r.fd)
		return nil, fmt.Errorf("%w: kernel lacks features %#x", ErrUnsupported, need&^p.features)
	}
	size := max(p.sqOff.array+p.sqEntries*4, p.cqOff.cqes+p.cqEntries*uint32(unsafe.Sizeof(CQE{})))
	var err error
	if r.rings, err = unix.Mmap(r.fd, offSQRing, int(size), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED|unix.MAP_POPULATE); err != nil {
		unix.Close(r.fd)
		return nil, fmt.Errorf("io_uring rings: %w", err)
	}
	if r.sqesMem, err = unix.Mmap(r.fd, offSQEs, int(p.sqEntries)*int(unsafe.Sizeof(SQE{})), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED|unix.MAP_POPULATE); err != nil {
		unix.Munmap(r.rings)
		unix.Close(r.fd)
		return nil, fmt.Errorf("io_uring entries: %w", err)
	}
	base := unsafe.Pointer(&r.rings[0])
	at := func(off uint32) *uint32 { return (*uint32)(unsafe.Add(base, off)) }
	r.sqHead, r.sqTail = at(p.sqOff.head), at(p.sqOff.tail)
	r.sqMask, r.sqEntries = *at(p.sqOff.ringMask), p.sqEntries
	r.cqHead, r.cqTail, r.cqMask = at(p.cqOff.head), at(p.cqOff.tail), *at(p.cqOff.ringMask)
	r.sqes = unsafe.Slice((*SQE)(unsafe.Pointer(&r.sqesMem[0])), p.sqEntries)
	r.cqes = unsafe.Slice((*CQE)(unsafe.Add(base, p.cqOff.cqes)), p.cqEntries)
	// Slot i of the indirection array always names entry i.
	array := unsafe.Slice(at(p.sqOff.array), p.sqEntries)
	for i := range array {
		array[i] = uint32(i)
	}
	r.tail = atomic.LoadUint32(r.sqTail)
	r.submitted = r.tail
	return r, nil
}

// Close releases the ring; the kernel cancels what is still pending.
func (r *Ring) Close() error {
	unix.Munmap(r.sqesMem)
	unix.Munmap(r.rings)
	return unix.Close(r.fd)
}

// Next returns a zeroed submission entry to fill in. When all are taken
// it first submits them.
func (r *Ring) Next() (*SQE, error) {
	if r.tail-atomic.LoadUint32(r.sqHead) >= r.sqEntries {
		if err := r.Submit(0, 0); err != nil {
			return nil, err
		}
		if r.tail-atomic.LoadUint32(r.sqHead) >= r.sqEntries {
			return nil, errors.New("io_uring submission queue full")
		}
	}
	s := &r.sqes[r.tail&r.sqMask]
	*s = SQE{}
	r.tail++
	return s, nil
}

// Submit hands the filled entries to the kernel and, when wait > 0,
// waits until that many completions are in or timeout has passed
// (timeout <= 0: no limit).
func (r *Ring) Submit(wait uint32, timeout time.Duration) error {
	atomic.StoreUint32(r.sqTail, r.tail)
	flags := uintptr(0)
	var argp, argsz uintptr
	if wait > 0 {
		flags |= enterGetEvents
		if timeout > 0 {
			r.ts = unix.NsecToTimespec(int64(timeout))
			r.arg.ts = uint64(uintptr(unsafe.Pointer(&r.ts)))
			flags |= enterExtArg
			argp, argsz = uintptr(unsafe.Pointer(&r.arg)), unsafe.Sizeof(r.arg)
		}
	}
	for {
		n, _, errno := unix.Syscall6(unix.SYS_IO_URING_ENTER, uintptr(r.fd), uintptr(r.tail-r.submitted), uintptr(wait), flags, argp, argsz)
		if errno == 0 {
			// On an error the kernel has taken none (it reports how
			// many it took when that is more than none).
			r.submitted += uint32(n)
		}
		switch errno {
		case 0, unix.ETIME:
			return nil
		case unix.EINTR:
			if wait > 0 {
				// The Go runtime's preemption signal: the caller
				// collects what is in and waits again.
				return nil
			}
			continue
		case unix.EAGAIN, unix.EBUSY:
			// Short of memory or completion space for a moment: the
			// caller collects completions and submits again.
			return nil
		default:
			return fmt.Errorf("io_uring_enter: %w", errno)
		}
	}
}

// Completions calls f for each completion that is in, and returns how
// many there were.
func (r *Ring) Completions(f func(CQE)) int {
	head := *r.cqHead
	tail := atomic.LoadUint32(r.cqTail)
	n := 0
	for ; head != tail; head++ {
		c := r.cqes[head&r.cqMask]
		atomic.StoreUint32(r.cqHead, head+1)
		f(c)
		n++
	}
	return n
}
