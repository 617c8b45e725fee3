package powerwake

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"syscall"
	"time"
)

// WOLPort is where magic packets go (the discard port, which Wake-on-LAN
// tools use and network cards ignore: they look for the pattern in any
// frame).
const WOLPort = 9

// wolCopies is how many magic packets a wake sends (a lost one is lost),
// wolGap the time between them.
const (
	wolCopies = 3
	wolGap    = 100 * time.Millisecond
)

// Magic is the Wake-on-LAN magic packet for a MAC address: six bytes of
// 0xff, then the address sixteen times.
func Magic(mac net.HardwareAddr) []byte {
	b := bytes.Repeat([]byte{0xff}, 6)
	for range 16 {
		b = append(b, mac...)
	}
	return b
}

// MagicMAC reads the MAC address a magic packet wakes, or nil when the
// bytes are not a magic packet.
func MagicMAC(b []byte) net.HardwareAddr {
	if len(b) < 102 || !bytes.Equal(b[:6], bytes.Repeat([]byte{0xff}, 6)) {
		return nil
	}
	mac := b[6:12]
	for i := 1; i < 16; i++ {
		if !bytes.Equal(b[6+6*i:12+6*i], mac) {
			return nil
		}
	}
	return net.HardwareAddr(bytes.Clone(mac))
}

// Broadcast is where a magic packet for a host at ip goes: the broadcast
// address of the local IPv4 network ip is on (from this machine's
// interfaces), so that the frame reaches a machine that is off and
// answers no ARP; ip itself when no local network holds it (a router
// that forwards directed broadcasts, or a static ARP entry); the limited
// broadcast when ip is unknown.
func Broadcast(ip net.IP) (net.IP, error) {
	if ip == nil {
		return net.IPv4bcast, nil
	}
	ip4 := ip.To4()
	if ip4 == nil {
		return nil, fmt.Errorf("%s: Wake-on-LAN goes to an IPv4 broadcast; give the host's IPv4 address", ip)
	}
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil, err
	}
	for _, a := range addrs {
		n, ok := a.(*net.IPNet)
		if !ok || n.IP.To4() == nil || !n.Contains(ip4) || n.IP.IsLoopback() {
			continue
		}
		mask := net.IP(n.Mask).To4()
		if len(n.Mask) == net.IPv6len {
			mask = net.IP(n.Mask[12:])
		}
		bc := make(net.IP, 4)
		for i := range bc {
			bc[i] = n.IP.To4()[i] | ^mask[i]
		}
		return bc, nil
	}
	return ip4, nil
}

// SendWOL sends magic packets for mac to dst on WOLPort.
func SendWOL(ctx context.Context, mac net.HardwareAddr, dst net.IP) error {
	lc := net.ListenConfig{Control: func(_, _ string, c syscall.RawConn) error {
		var serr error
		err := c.Control(func(fd uintptr) {
			serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_BROADCAST, 1)
		})
		if err != nil {
			return err
		}
		return serr
	}}
	pc, err := lc.ListenPacket(ctx, "udp4", ":0")
	if err != nil {
		return fmt.Errorf("wake-on-lan: %w", err)
	}
	defer pc.Close()
	pkt := Magic(mac)
	to := &net.UDPAddr{IP: dst, Port: WOLPort}
	for i := range wolCopies {
		if i > 0 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(wolGap):
			}
		}
		if _, err := pc.WriteTo(pkt, to); err != nil {
			return fmt.Errorf("wake-on-lan to %s: %w", to, err)
		}
	}
	return nil
}
