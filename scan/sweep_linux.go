//go:build linux

package scan

import (
	"net"
	"net/netip"

	"golang.org/x/sys/unix"
)

// sweepBuffer is the receive buffer a sweep asks for, so that a burst of
// answers waits for the reader instead of being dropped.
const sweepBuffer = 4 << 20

// tuneSocket asks the kernel to queue ICMP errors on the unconnected
// socket (IP_RECVERR: a closed port or an unreachable host then ends its
// address at once, as it does for a connected socket) and for a large
// receive buffer (beyond net.core.rmem_max where the process may).
func tuneSocket(c *net.UDPConn, v4 bool) {
	rc, err := c.SyscallConn()
	if err != nil {
		return
	}
	rc.Control(func(fd uintptr) {
		if v4 {
			unix.SetsockoptInt(int(fd), unix.SOL_IP, unix.IP_RECVERR, 1)
		} else {
			unix.SetsockoptInt(int(fd), unix.SOL_IPV6, unix.IPV6_RECVERR, 1)
		}
		if unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RCVBUFFORCE, sweepBuffer) != nil {
			unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RCVBUF, sweepBuffer)
		}
	})
}

// readLoop reads datagrams (got) and ICMP errors about the requests sent
// (refused, with the address the request went to) until the socket's
// read deadline passes or it is closed. got and refused may not keep the
// buffer they are given.
func readLoop(c *net.UDPConn, got func(from netip.AddrPort, b []byte), refused func(to netip.AddrPort)) {
	rc, err := c.SyscallConn()
	if err != nil {
		return
	}
	buf := make([]byte, 65536)
	oob := make([]byte, 1024)
	broken := false
	for !broken {
		err := rc.Read(func(fd uintptr) bool {
			for {
				drainErrors(int(fd), buf, oob, refused)
				n, from, err := unix.Recvfrom(int(fd), buf, unix.MSG_DONTWAIT)
				switch err {
				case nil:
					if ap, ok := addrPort(from); ok {
						got(ap, buf[:n])
					}
				case unix.EAGAIN:
					return false // wait for the next datagram or error
				case unix.EBADF, unix.ENOTSOCK, unix.EFAULT, unix.EINVAL:
					broken = true
					return true
				default:
					// EINTR, or the pending ICMP error (ECONNREFUSED,
					// EHOSTUNREACH …) whose details wait in the error queue.
				}
			}
		})
		if err != nil {
			return // the deadline passed, or closed
		}
	}
}

// drainErrors reads the socket's error queue: each ICMP error names the
// destination of the request that caused it.
func drainErrors(fd int, buf, oob []byte, refused func(netip.AddrPort)) {
	for {
		_, oobn, _, to, err := unix.Recvmsg(fd, buf, oob, unix.MSG_ERRQUEUE|unix.MSG_DONTWAIT)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return // EAGAIN: empty
		}
		msgs, err := unix.ParseSocketControlMessage(oob[:oobn])
		if err != nil {
			continue
		}
		for _, m := range msgs {
			isErr := m.Header.Level == unix.SOL_IP && m.Header.Type == unix.IP_RECVERR ||
				m.Header.Level == unix.SOL_IPV6 && m.Header.Type == unix.IPV6_RECVERR
			// struct sock_extended_err: ee_errno (4 bytes), then ee_origin.
			if !isErr || len(m.Data) < 5 {
				continue
			}
			if origin := m.Data[4]; origin != unix.SO_EE_ORIGIN_ICMP && origin != unix.SO_EE_ORIGIN_ICMP6 {
				continue
			}
			if ap, ok := addrPort(to); ok {
				refused(ap)
			}
		}
	}
}

func addrPort(sa unix.Sockaddr) (netip.AddrPort, bool) {
	switch a := sa.(type) {
	case *unix.SockaddrInet4:
		return netip.AddrPortFrom(netip.AddrFrom4(a.Addr), uint16(a.Port)), true
	case *unix.SockaddrInet6:
		return netip.AddrPortFrom(netip.AddrFrom16(a.Addr), uint16(a.Port)), true
	}
	return netip.AddrPort{}, false
}

// openFiles is how many connections a scan may hold open at once: the
// process's limit of open files (which Go raises to the hard limit at
// start), less a reserve for everything else.
func openFiles() int {
	var r unix.Rlimit
	if unix.Getrlimit(unix.RLIMIT_NOFILE, &r) != nil || r.Cur > 1<<20 {
		return 1 << 16
	}
	return max(int(r.Cur)-256, 32)
}
