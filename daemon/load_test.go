package daemon

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// The closed-loop load generator runs on one OS thread with its own epoll
// set, as wrk does: a goroutine per connection would spend more CPU in
// the generator than the servers spend answering, and on a 2-core machine
// that CPU is taken from the server under test.

// dial opens conns connections to 127.0.0.1:port, one after the other,
// each once the kernel has completed its handshake (whether or not the
// server has accepted it yet), and says how long that took.
func dial(b *testing.B, port, conns int) ([]int, time.Duration) {
	t0 := time.Now()
	var fds []int
	for i := 0; i < conns; i++ {
		fd, err := connect(port)
		if err != nil {
			closeAll(fds)
			b.Fatalf("connection %d to port %d: %v", i, port, err)
		}
		fds = append(fds, fd)
	}
	return fds, time.Since(t0)
}

// connect opens one non-blocking TCP connection to 127.0.0.1:port and
// waits (30 s at most) for the kernel to complete the handshake.
func connect(port int) (int, error) {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return -1, fmt.Errorf("socket: %w", err)
	}
	err = unix.Connect(fd, &unix.SockaddrInet4{Port: port, Addr: [4]byte{127, 0, 0, 1}})
	if errors.Is(err, unix.EINPROGRESS) || errors.Is(err, unix.EINTR) {
		err = awaitConnected(fd, time.Now().Add(30*time.Second))
	}
	if err != nil {
		unix.Close(fd)
		return -1, err
	}
	unix.SetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1)
	return fd, nil
}

// awaitConnected waits until a non-blocking connect has completed and
// returns its outcome.
func awaitConnected(fd int, deadline time.Time) error {
	for {
		pfd := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLOUT}}
		n, err := unix.Poll(pfd, int(time.Until(deadline).Milliseconds()))
		switch {
		case errors.Is(err, unix.EINTR):
			continue
		case err != nil:
			return err
		case n == 0:
			return unix.ETIMEDOUT
		}
		soerr, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_ERROR)
		if err != nil {
			return err
		}
		if soerr != 0 {
			return unix.Errno(soerr)
		}
		return nil
	}
}

func closeAll(fds []int) {
	for _, fd := range fds {
		unix.Close(fd)
	}
}

// loadRun is what one closed-loop run measured.
type loadRun struct {
	lat     []time.Duration // in the order the replies came
	elapsed time.Duration
	cpu     time.Duration // the server's CPU time from first request to last reply
}

// closedLoop sends req on every connection of fds, each sending its next
// request as soon as the previous reply is complete, until total requests
// are answered or maxTime has passed (at least 3 per connection). cpu
// reads the server's CPU time so far.
func closedLoop(fds []int, req string, total int, maxTime time.Duration, cpu func() time.Duration) (loadRun, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var run loadRun
	conns := len(fds)
	ep, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return run, fmt.Errorf("epoll: %w", err)
	}
	defer unix.Close(ep)

	line := []byte(req + "\n")
	end := []byte(replyEnd(req))
	perConn := max(total/conns, 3)
	type conn struct {
		buf  []byte
		sent time.Time
		done int
	}
	cs := make([]conn, conns)
	run.lat = make([]time.Duration, 0, perConn*conns)
	cpu0 := cpu()
	start := time.Now()
	deadline := start.Add(maxTime)
	for i, fd := range fds {
		// The event carries the connection's index, not its descriptor.
		if err := unix.EpollCtl(ep, unix.EPOLL_CTL_ADD, fd, &unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(i)}); err != nil {
			return run, fmt.Errorf("epoll add: %w", err)
		}
		cs[i].sent = time.Now()
		if _, err := unix.Write(fd, line); err != nil {
			return run, fmt.Errorf("write: %w", err)
		}
	}
	events := make([]unix.EpollEvent, 256)
	rbuf := make([]byte, 64<<10)
	open := conns
	for open > 0 {
		n, err := unix.EpollWait(ep, events, 10000)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return run, fmt.Errorf("epoll wait: %w", err)
		}
		if n == 0 {
			return run, fmt.Errorf("no reply for 10 s (%d connections waiting)", open)
		}
		for _, ev := range events[:n] {
			fd, c := fds[ev.Fd], &cs[ev.Fd]
			m, err := unix.Read(fd, rbuf)
			if errors.Is(err, unix.EAGAIN) {
				continue
			}
			if err != nil || m == 0 {
				return run, fmt.Errorf("connection closed by the server: %v", err)
			}
			c.buf = append(c.buf, rbuf[:m]...)
			if !complete(c.buf, end) {
				continue
			}
			now := time.Now()
			run.lat = append(run.lat, now.Sub(c.sent))
			c.buf = c.buf[:0]
			c.done++
			if c.done >= perConn || c.done >= 3 && now.After(deadline) {
				unix.EpollCtl(ep, unix.EPOLL_CTL_DEL, fd, nil)
				open--
				continue
			}
			c.sent = now
			if _, err := unix.Write(fd, line); err != nil {
				return run, fmt.Errorf("write: %w", err)
			}
		}
	}
	run.elapsed = time.Since(start)
	run.cpu = cpu() - cpu0
	return run, nil
}

// complete reports whether buf holds a whole reply: the line that ends it,
// or an error line.
func complete(buf, end []byte) bool {
	if len(buf) == 0 || buf[len(buf)-1] != '\n' {
		return false
	}
	if bytes.HasPrefix(buf, []byte("ERR ")) {
		return true
	}
	return bytes.HasSuffix(buf, end)
}
