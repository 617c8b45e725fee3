package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/nut"
)

// defaultListen is what NUT's upsd listens on without LISTEN lines, in the
// order it adds them (server_load): ::1, then 127.0.0.1.
var defaultListen = []conf.Listener{{Addr: "::1", Port: nut.DefaultPort}, {Addr: "127.0.0.1", Port: nut.DefaultPort}}

// flagListeners turns "host:port" flags into LISTEN lines.
func flagListeners(addrs []string) ([]conf.Listener, error) {
	var out []conf.Listener
	for _, a := range addrs {
		host, port, err := net.SplitHostPort(a)
		if err != nil {
			return nil, fmt.Errorf("listen address %q: %w", a, err)
		}
		l := conf.Listener{Addr: host, Service: port}
		if l.Numeric() {
			if l.Port, err = strconv.Atoi(port); err != nil || l.Port > 65535 {
				return nil, fmt.Errorf("listen address %q: port is not a number from 0 to 65535", a)
			}
		}
		out = append(out, l)
	}
	return out, nil
}

// listen opens the listeners as NUT 2.8.0's upsd does (server_load,
// setuptcp): the LISTEN lines from the last to the first, each bound to
// the first address of its name that can be bound; a line that cannot
// be is logged and skipped, except the last line of the file, without
// which NUT refuses to start. A name or port that does not resolve
// refuses the start too.
func listen(ctx context.Context, lines []conf.Listener, log *slog.Logger) ([]net.Listener, error) {
	if len(lines) == 0 {
		lines = defaultListen
	}
	var lns []net.Listener
	fail := func(err error) ([]net.Listener, error) {
		for _, ln := range lns {
			ln.Close()
		}
		return nil, err
	}
	for i := len(lines) - 1; i >= 0; i-- {
		l := lines[i]
		where := listenWhere(l)
		port := l.Port
		if !l.Numeric() {
			p, err := net.DefaultResolver.LookupPort(ctx, "tcp", l.Service)
			if err != nil {
				return fail(fmt.Errorf("%sLISTEN %s: %w", linePrefix(l), where, err))
			}
			port = p
		}
		ips, err := resolve(ctx, l.Addr)
		if err != nil {
			return fail(fmt.Errorf("%sLISTEN %s: %w", linePrefix(l), where, err))
		}
		var ln net.Listener
		for _, ip := range ips {
			if ln, err = listenTCP(ctx, ip, port); err == nil {
				break
			}
		}
		if ln == nil {
			if i == len(lines)-1 {
				return fail(fmt.Errorf("%snot listening on %s (%v), the last LISTEN line: NUT's upsd does not start without it", linePrefix(l), where, err))
			}
			log.Warn(linePrefix(l)+"not listening on "+where, "err", err)
			continue
		}
		log.Info("listening on "+where, "addr", ln.Addr().String())
		lns = append(lns, ln)
	}
	return lns, nil
}

// listenWhere names a LISTEN line's address as NUT's log does.
func listenWhere(l conf.Listener) string {
	port := l.Service
	if port == "" {
		port = strconv.Itoa(l.Port)
	}
	return l.Addr + " port " + port
}

// linePrefix is "path:line: " for a line of upsd.conf, "" for a flag.
func linePrefix(l conf.Listener) string {
	if l.Line == nil {
		return ""
	}
	return fmt.Sprintf("upsd.conf:%d: ", l.Line.Num)
}

// resolve returns a LISTEN address's IP addresses in the order
// getaddrinfo gives them to NUT: an address as written, a name's
// addresses sorted by RFC 6724's first rules (usable ones first, then
// by precedence: ::1, IPv6, then IPv4).
func resolve(ctx context.Context, host string) ([]netip.Addr, error) {
	if ip, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{ip}, nil
	}
	ips, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		var dnsErr *net.DNSError
		if errors.As(err, &dnsErr) {
			return nil, fmt.Errorf("%s: %s", host, dnsErr.Err)
		}
		return nil, err
	}
	for i, ip := range ips {
		ips[i] = ip.Unmap()
	}
	usable := map[netip.Addr]bool{}
	for _, ip := range ips {
		usable[ip] = routable(ip)
	}
	slices.SortStableFunc(ips, func(a, b netip.Addr) int {
		if usable[a] != usable[b] {
			if usable[a] {
				return -1
			}
			return 1
		}
		return precedence(b) - precedence(a)
	})
	return ips, nil
}

// routable reports whether the system has a source address for ip (RFC
// 6724 rule 1), found as getaddrinfo does: connecting a UDP socket,
// which sends nothing.
func routable(ip netip.Addr) bool {
	c, err := net.DialUDP("udp", nil, net.UDPAddrFromAddrPort(netip.AddrPortFrom(ip, 9)))
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// precedence is RFC 6724's default policy table for the addresses a
// server listens on.
func precedence(ip netip.Addr) int {
	switch {
	case ip == netip.IPv6Loopback():
		return 50
	case ip.Is4():
		return 35
	case netip.MustParsePrefix("2002::/16").Contains(ip):
		return 30
	case netip.MustParsePrefix("2001::/32").Contains(ip):
		return 5
	case netip.MustParsePrefix("fc00::/7").Contains(ip):
		return 3
	case netip.MustParsePrefix("fec0::/10").Contains(ip), netip.MustParsePrefix("3ffe::/16").Contains(ip):
		return 1
	}
	return 40
}

// listenTCP binds one address as NUT does: IPv4 addresses as IPv4
// sockets, IPv6 ones as IPv6 sockets that accept IPv4 too when the
// system's default says so (net.ipv6.bindv6only), as NUT's sockets do.
func listenTCP(ctx context.Context, ip netip.Addr, port int) (net.Listener, error) {
	network := "tcp4"
	if ip.Is6() {
		network = "tcp6"
	}
	lc := net.ListenConfig{Control: func(network, address string, c syscall.RawConn) error {
		if network != "tcp6" {
			return nil
		}
		var serr error
		err := c.Control(func(fd uintptr) {
			serr = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_IPV6, syscall.IPV6_V6ONLY, bindV6Only())
		})
		if err != nil {
			return err
		}
		return serr
	}}
	return lc.Listen(ctx, network, netip.AddrPortFrom(ip, uint16(port)).String())
}

// bindV6Only is the system's default for IPV6_V6ONLY.
func bindV6Only() int {
	b, err := os.ReadFile("/proc/sys/net/ipv6/bindv6only")
	if err != nil || strings.TrimSpace(string(b)) != "1" {
		return 0
	}
	return 1
}
