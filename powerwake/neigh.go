package powerwake

import (
	"encoding/binary"
	"fmt"
	"net"
	"syscall"

	"golang.org/x/sys/unix"
)

// Neighbours reads the kernel's neighbour table (ARP for IPv4, NDP for
// IPv6) over rtnetlink: the link-layer address of every neighbour whose
// entry holds one (reachable, stale, delayed, probed or permanent; not
// incomplete or failed), by IP address.
func Neighbours() (map[string]net.HardwareAddr, error) {
	rib, err := syscall.NetlinkRIB(unix.RTM_GETNEIGH, unix.AF_UNSPEC)
	if err != nil {
		return nil, fmt.Errorf("neighbour table: %w", err)
	}
	msgs, err := syscall.ParseNetlinkMessage(rib)
	if err != nil {
		return nil, fmt.Errorf("neighbour table: %w", err)
	}
	out := map[string]net.HardwareAddr{}
	for _, m := range msgs {
		if m.Header.Type != unix.RTM_NEWNEIGH || len(m.Data) < unix.SizeofNdMsg {
			continue
		}
		// struct ndmsg: family, pad, pad, ifindex (4), state (2), flags, type.
		state := binary.NativeEndian.Uint16(m.Data[8:10])
		if state&(unix.NUD_INCOMPLETE|unix.NUD_FAILED) != 0 {
			continue
		}
		var ip net.IP
		var mac net.HardwareAddr
		for b := m.Data[unix.SizeofNdMsg:]; len(b) >= 4; {
			l := int(binary.NativeEndian.Uint16(b[0:2]))
			if l < 4 || l > len(b) {
				break
			}
			switch binary.NativeEndian.Uint16(b[2:4]) {
			case unix.NDA_DST:
				ip = net.IP(append([]byte(nil), b[4:l]...))
			case unix.NDA_LLADDR:
				mac = net.HardwareAddr(append([]byte(nil), b[4:l]...))
			}
			b = b[min(len(b), (l+3)&^3):]
		}
		if ip != nil && len(mac) == 6 && !allZero(mac) {
			out[ip.String()] = mac
		}
	}
	return out, nil
}

func allZero(b []byte) bool {
	for _, x := range b {
		if x != 0 {
			return false
		}
	}
	return true
}
