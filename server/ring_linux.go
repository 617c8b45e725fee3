//go:build linux

package server

import (
	"context"
	"log/slog"
	"net"
	"os"
	"runtime"
	"sync"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/powerchain/powerchain/internal/uring"
)

// A ring serves plain TCP sessions from one locked OS thread through an
// io_uring: the replies of a whole batch of clients and the receives
// that follow them go to the kernel in one system call, and the thread
// sleeps until a request is in. NUT's upsd does the same work with a
// poll(2) loop and two system calls per request; a goroutine per session
// adds the Go scheduler's park and wake-up to each. Requests that may
// wait (SET, INSTCMD with a driver, STARTTLS) move their session to a
// goroutine for good, as does a client too slow to take a reply at once.
//
// There is one ring per process, started by the first Serve and kept
// until the process ends (its thread sleeps when there is nothing to
// do): every listener of every Server shares it, so a process running
// many servers (tests, the console's benchmark) does not run as many
// threads.
type ring struct {
	r      *uring.Ring
	wakeFd int
	wake   [8]byte // the eventfd read's buffer (the kernel writes it)
	tid    int     // the ring's thread (a test checks no blocking handler runs on it)

	mu     sync.Mutex
	inbox  []*ringConn
	stops  []*serveGroup
	broken bool // the ring failed: Serve falls back to goroutines

	conns     map[uint32]*ringConn
	sending   int // sends pending
	nextID    uint32
	lastSweep time.Time
}

// serveGroup is the sessions one Serve call handed to the ring: they end
// with its context, and its WaitGroup counts them.
type serveGroup struct {
	s       *Server
	ctx     context.Context
	wg      *sync.WaitGroup
	stopped bool // under ring.mu
}

// ringConn is one session the ring serves (its session holds the
// received bytes and the reply).
type ringConn struct {
	id        uint32
	fd        int
	ss        *session
	grp       *serveGroup
	sending   bool // ss.out is with the kernel
	sentSince time.Time
	quit      bool // close once the reply is out
	canceled  bool // a cancel of the pending operation is on its way
	closing   bool // its group has stopped: close once nothing is pending
}

const (
	kindWake = iota + 1
	kindRecv
	kindSend
	kindCancel
)

func userData(id uint32, kind uint64) uint64 { return uint64(id)<<8 | kind }

var shared struct {
	once sync.Once
	rg   *ring
	err  error
}

// ringFor returns the process's ring and a group for one Serve call, or
// nil (and a goroutine per session serves everyone) where io_uring
// cannot be used.
func (s *Server) ringFor(ctx context.Context, wg *sync.WaitGroup) (*ring, *serveGroup) {
	path := s.cfg.Load().Sessions
	if path == DefaultPath {
		path = defaultPath
	}
	if path != RingPath {
		return nil, nil
	}
	shared.once.Do(func() {
		rg := &ring{conns: map[uint32]*ringConn{}}
		ready := make(chan error, 1)
		go rg.run(ready)
		if shared.err = <-ready; shared.err == nil {
			shared.rg = rg
		} else {
			s.log.Info("io_uring not used; a goroutine serves each session", "err", shared.err)
		}
	})
	if shared.err != nil {
		return nil, nil
	}
	rg := shared.rg
	grp := &serveGroup{s: s, ctx: ctx, wg: wg}
	context.AfterFunc(ctx, func() {
		rg.mu.Lock()
		grp.stopped = true
		rg.stops = append(rg.stops, grp)
		rg.pokeLocked()
		rg.mu.Unlock()
	})
	return rg, grp
}

// adopt takes a newly accepted connection into the ring. It reports false
// when it could not, and conn is then still the caller's.
func (rg *ring) adopt(conn net.Conn, grp *serveGroup) bool {
	tc, ok := conn.(*net.TCPConn)
	if !ok {
		return false
	}
	raw, err := tc.SyscallConn()
	if err != nil {
		return false
	}
	fd := -1
	if cerr := raw.Control(func(f uintptr) { fd, err = unix.FcntlInt(f, unix.F_DUPFD_CLOEXEC, 0) }); cerr != nil || err != nil {
		return false
	}
	rg.mu.Lock()
	broken := rg.broken
	rg.mu.Unlock()
	if broken {
		unix.Close(fd)
		return false
	}
	// The session is made and the original descriptor closed outside
	// rg.mu: the ring's thread takes that lock too, and must not wait
	// while an accepting goroutine is descheduled in system calls.
	ss := grp.s.newSession(nil, hostOf(conn.RemoteAddr()))
	conn.Close() // the duplicate keeps the socket open
	rg.mu.Lock()
	defer rg.mu.Unlock()
	if rg.broken || grp.stopped {
		unix.Close(fd)
		grp.s.endSession(ss)
		return true
	}
	grp.wg.Add(1)
	rg.inbox = append(rg.inbox, &ringConn{fd: fd, ss: ss, grp: grp})
	if len(rg.inbox) == 1 {
		rg.pokeLocked() // a wake-up is on its way for a longer inbox
	}
	grp.s.adopted.Add(1)
	return true
}

// pokeLocked wakes the ring's thread; rg.mu is held.
func (rg *ring) pokeLocked() {
	if rg.broken {
		return
	}
	one := [8]byte{1}
	unix.Write(rg.wakeFd, one[:])
}

func (rg *ring) run(ready chan<- error) {
	// The kernel ties a single-issuer ring to the thread that uses it.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	rg.tid = unix.Gettid()
	r, err := uring.New(4096)
	if err != nil {
		ready <- err
		return
	}
	rg.r = r
	// A blocking eventfd: io_uring completes a read of a non-blocking one
	// with EAGAIN at once instead of waiting for it.
	if rg.wakeFd, err = unix.Eventfd(0, unix.EFD_CLOEXEC); err != nil {
		r.Close()
		ready <- err
		return
	}
	if err = rg.armWake(); err == nil {
		err = r.Submit(0, 0)
	}
	if err != nil {
		r.Close()
		unix.Close(rg.wakeFd)
		ready <- err
		return
	}
	ready <- nil
	for {
		// The once-a-second sweep looks for idle sessions and replies
		// the kernel has held too long; with no session the wait needs
		// no timer.
		var timeout time.Duration
		if len(rg.conns) > 0 {
			timeout = time.Second
		}
		if err := r.Submit(1, timeout); err != nil {
			slog.Error("io_uring failed; closing its sessions, new ones get a goroutine each", "err", err)
			break
		}
		r.Completions(rg.complete)
		rg.sweep()
	}
	rg.mu.Lock()
	rg.broken = true
	inbox := rg.inbox
	rg.inbox = nil
	unix.Close(rg.wakeFd)
	rg.mu.Unlock()
	r.Close() // cancels what is pending
	for _, rc := range rg.conns {
		rg.close(rc)
	}
	for _, rc := range inbox {
		rg.close(rc)
	}
}

func (rg *ring) armWake() error {
	sqe, err := rg.r.Next()
	if err != nil {
		return err
	}
	sqe.Opcode, sqe.Fd = uring.OpRead, int32(rg.wakeFd)
	sqe.Addr, sqe.Len = uint64(uintptr(unsafe.Pointer(&rg.wake[0]))), uint32(len(rg.wake))
	sqe.UserData = userData(0, kindWake)
	return nil
}

func (rg *ring) complete(c uring.CQE) {
	id, kind := uint32(c.UserData>>8), c.UserData&0xff
	if kind == kindWake {
		rg.takeInbox()
		if err := rg.armWake(); err != nil {
			slog.Error("io_uring: cannot wait for new sessions", "err", err)
		}
		return
	}
	rc := rg.conns[id]
	if rc == nil || kind == kindCancel {
		return
	}
	rc.canceled = false
	if kind == kindSend {
		rc.sending = false
		rg.sending--
	}
	if rc.closing {
		rg.close(rc)
		return
	}
	switch kind {
	case kindRecv:
		if c.Res <= 0 {
			if c.Res == -int32(unix.ECANCELED) && !rc.closing {
				rc.grp.s.warn("idle client disconnected", "from", rc.ss.addr, "idle", rc.grp.s.limits().IdleTimeout)
			}
			rg.close(rc)
			return
		}
		rc.ss.n += int(c.Res)
		rg.process(rc)
	case kindSend:
		ss := rc.ss
		switch {
		case c.Res < 0:
			rg.close(rc)
		case int(c.Res) < len(ss.out):
			// The client's receive buffer is full: a goroutine
			// writes the rest, and drops the client after
			// writeTimeout if it never reads.
			ss.out = ss.out[c.Res:]
			rg.handoff(rc)
		case rc.quit:
			rg.close(rc)
		default:
			ss.sent()
			rg.process(rc)
		}
	}
}

func (rg *ring) takeInbox() {
	rg.mu.Lock()
	inbox, stops := rg.inbox, rg.stops
	rg.inbox, rg.stops = nil, nil
	for _, rc := range inbox {
		rc.closing = rc.grp.stopped
	}
	rg.mu.Unlock()
	for _, grp := range stops {
		// Each session of a stopped Serve has one operation pending:
		// cancel it, and close the session when it completes.
		for _, rc := range rg.conns {
			if rc.grp == grp && !rc.closing {
				rc.closing = true
				rg.cancel(rc)
			}
		}
	}
	for _, rc := range inbox {
		if rc.closing {
			rg.close(rc)
			continue
		}
		rg.nextID++
		for rg.nextID == 0 || rg.conns[rg.nextID] != nil {
			rg.nextID++
		}
		rc.id = rg.nextID
		rg.conns[rc.id] = rc
		rg.recv(rc, false)
	}
}

// process answers a batch of the complete requests in the session's
// buffer, then sends the replies or, with none, receives more.
func (rg *ring) process(rc *ringConn) {
	ss := rc.ss
	p := ss.answer(rc.grp.ctx, true)
	for p == batchFull && len(ss.out) == 0 {
		p = ss.answer(rc.grp.ctx, true) // a batch of requests NUT answers nothing to
	}
	switch {
	case p == handOver:
		rg.handoff(rc) // the request is still in the buffer: the goroutine answers it
	case len(ss.out) > 0:
		rc.quit = p == quit
		rg.send(rc)
	case p == quit:
		rg.close(rc)
	default:
		ss.compact()
		rg.recv(rc, true)
	}
}

func (rg *ring) recv(rc *ringConn, pollFirst bool) {
	sqe, err := rg.r.Next()
	if err != nil {
		rg.close(rc)
		return
	}
	ss := rc.ss
	sqe.Opcode, sqe.Fd = uring.OpRecv, int32(rc.fd)
	sqe.Addr, sqe.Len = uint64(uintptr(unsafe.Pointer(&ss.in[ss.n]))), uint32(len(ss.in)-ss.n)
	if pollFirst {
		sqe.Ioprio = uring.RecvSendPollFirst
	}
	sqe.UserData = userData(rc.id, kindRecv)
}

func (rg *ring) send(rc *ringConn) {
	sqe, err := rg.r.Next()
	if err != nil {
		rg.close(rc)
		return
	}
	out := rc.ss.out
	sqe.Opcode, sqe.Fd = uring.OpSend, int32(rc.fd)
	sqe.Addr, sqe.Len = uint64(uintptr(unsafe.Pointer(&out[0]))), uint32(len(out))
	sqe.OpFlags = unix.MSG_NOSIGNAL
	sqe.UserData = userData(rc.id, kindSend)
	rc.sending, rc.sentSince = true, rc.ss.now
	rg.sending++
}

// sweep cancels, once a second, replies that a client has not taken for
// writeTimeout and receives from clients that have completed no request
// for the idle timeout; their sessions then close.
func (rg *ring) sweep() {
	now := time.Now()
	if now.Sub(rg.lastSweep) < time.Second {
		return
	}
	rg.lastSweep = now
	for _, rc := range rg.conns {
		switch {
		case rc.sending:
			if now.Sub(rc.sentSince) > writeTimeout {
				rc.grp.s.warn("client not reading its replies disconnected", "from", rc.ss.addr, "timeout", writeTimeout)
				rg.cancel(rc)
			}
		case now.Sub(rc.ss.heard) > rc.grp.s.limits().IdleTimeout:
			rg.cancel(rc)
		}
	}
}

// cancel asks the kernel to end a session's pending operation early; its
// completion then comes with ECANCELED (or its result, if it was done).
func (rg *ring) cancel(rc *ringConn) {
	if rc.canceled {
		return
	}
	sqe, err := rg.r.Next()
	if err != nil {
		return
	}
	target := uint64(kindRecv)
	if rc.sending {
		target = kindSend
	}
	sqe.Opcode, sqe.Fd = uring.OpCancel, -1
	sqe.Addr = userData(rc.id, target)
	sqe.UserData = userData(rc.id, kindCancel)
	rc.canceled = true
}

// close ends a session that has nothing pending in the ring.
func (rg *ring) close(rc *ringConn) {
	delete(rg.conns, rc.id)
	unix.Close(rc.fd)
	rc.grp.s.endSession(rc.ss)
	rc.grp.wg.Done()
}

// handoff moves a session that has nothing pending in the ring to a
// goroutine, with its unanswered bytes and unsent reply.
func (rg *ring) handoff(rc *ringConn) {
	delete(rg.conns, rc.id)
	s, ss := rc.grp.s, rc.ss
	f := os.NewFile(uintptr(rc.fd), "nut-session")
	conn, err := net.FileConn(f) // a duplicate
	f.Close()
	if err != nil {
		s.log.Warn("cannot move a session off io_uring; closing it", "from", ss.addr, "err", err)
		s.endSession(ss)
		rc.grp.wg.Done()
		return
	}
	s.mu.Lock()
	ss.conn = conn
	s.mu.Unlock()
	go func() {
		defer rc.grp.wg.Done() // the Add was the ring's
		s.serveSession(rc.grp.ctx, ss)
	}()
}
