//go:build !linux

package scan

import (
	"errors"
	"net"
	"net/netip"
	"os"
)

// tuneSocket asks for a large receive buffer; ICMP errors on an
// unconnected socket are not reported here, so a refused address waits
// for its timeout.
func tuneSocket(c *net.UDPConn, v4 bool) { c.SetReadBuffer(4 << 20) }

// readLoop reads datagrams until the read deadline passes or the socket
// is closed.
func readLoop(c *net.UDPConn, got func(from netip.AddrPort, b []byte), refused func(to netip.AddrPort)) {
	buf := make([]byte, 65536)
	for {
		n, from, err := c.ReadFromUDPAddrPort(buf)
		if err != nil {
			if errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		got(from, buf[:n])
	}
}

// openFiles is how many connections a scan may hold open at once.
func openFiles() int { return 1000 }
