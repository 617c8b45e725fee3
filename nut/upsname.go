// Package nut holds the NUT network protocol: names, tokenising, quoting,
// requests, replies and error codes.
package nut

import (
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
)

// DefaultPort is the IANA port of the NUT protocol.
const DefaultPort = 3493

// UPSName is a device address as NUT clients write it:
// "ups[@host[:port]]", where host may be an [IPv6] literal.
type UPSName struct {
	UPS  string
	Host string // "" when not given
	Port int    // 0 when not given
}

// ParseUPSName parses "ups[@host[:port]]".
func ParseUPSName(s string) (UPSName, error) {
	var n UPSName
	ups, hostport, hasHost := strings.Cut(s, "@")
	if err := CheckDeviceName(ups); err != nil {
		return n, fmt.Errorf("%q: %w", s, err)
	}
	n.UPS = ups
	if !hasHost {
		return n, nil
	}
	host, port, err := ParseHostPort(hostport)
	if err != nil {
		return n, fmt.Errorf("%q: %w", s, err)
	}
	n.Host, n.Port = host, port
	return n, nil
}

// String formats the name back as "ups@host:port", leaving out what is
// not set.
func (n UPSName) String() string {
	s := n.UPS
	if n.Host != "" {
		s += "@" + JoinHostPort(n.Host, n.Port)
	}
	return s
}

// Addr is "host:port" for dialling, with NUT's defaults (localhost:3493).
func (n UPSName) Addr() string {
	h, p := n.Host, n.Port
	if h == "" {
		h = "localhost"
	}
	if p == 0 {
		p = DefaultPort
	}
	return net.JoinHostPort(h, strconv.Itoa(p))
}

// ParseHostPort parses "host", "host:port", "[v6]" or "[v6]:port".
// A bare IPv6 literal without brackets is taken as a host without port.
func ParseHostPort(s string) (host string, port int, err error) {
	if s == "" {
		return "", 0, fmt.Errorf("empty host")
	}
	portStr := ""
	switch {
	case strings.HasPrefix(s, "["):
		end := strings.Index(s, "]")
		if end < 0 {
			return "", 0, fmt.Errorf("host %q: missing ]", s)
		}
		host = s[1:end]
		rest := s[end+1:]
		if rest != "" {
			if !strings.HasPrefix(rest, ":") {
				return "", 0, fmt.Errorf("host %q: junk after ]", s)
			}
			portStr = rest[1:]
		}
		if net.ParseIP(host) == nil {
			return "", 0, fmt.Errorf("host %q: not an IPv6 address", s)
		}
	case strings.Count(s, ":") > 1:
		host = s
		if net.ParseIP(host) == nil {
			return "", 0, fmt.Errorf("host %q: not an address", s)
		}
	default:
		var hasPort bool
		host, portStr, hasPort = strings.Cut(s, ":")
		if hasPort && portStr == "" {
			return "", 0, fmt.Errorf("host %q: empty port", s)
		}
	}
	if host == "" {
		return "", 0, fmt.Errorf("%q: empty host", s)
	}
	for _, c := range host {
		if !(c == '.' || c == '-' || c == '_' || c == ':' || c == '%' ||
			c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return "", 0, fmt.Errorf("host %q: character %q is not allowed", host, c)
		}
	}
	if portStr != "" {
		p, err := strconv.Atoi(portStr)
		if err != nil || p < 1 || p > 65535 {
			return "", 0, fmt.Errorf("port %q: not a number from 1 to 65535", portStr)
		}
		port = p
	}
	return host, port, nil
}

// JoinHostPort formats host and port (0 = none), bracketing IPv6.
func JoinHostPort(host string, port int) string {
	if port == 0 {
		if strings.Contains(host, ":") {
			return "[" + host + "]"
		}
		return host
	}
	return net.JoinHostPort(host, strconv.Itoa(port))
}

// CheckDeviceName rejects device names that cannot be used in NUT
// addresses and protocol lines.
func CheckDeviceName(s string) error {
	if s == "" {
		return fmt.Errorf("empty device name")
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c > '~' || strings.IndexByte(`@:[]"\#=/`, c) >= 0 {
			return fmt.Errorf("device name %q: character %q is not allowed", s, c)
		}
	}
	return nil
}

// IsLocalHost reports whether a host names this machine: empty (NUT's
// default, localhost), a loopback name or address, this host's name (or
// its first label), or an address of one of its interfaces.
func IsLocalHost(h string) bool {
	switch h {
	case "", "localhost", "ip6-localhost":
		return true
	}
	if name, err := os.Hostname(); err == nil {
		short, _, _ := strings.Cut(name, ".")
		if strings.EqualFold(h, name) || strings.EqualFold(h, short) {
			return true
		}
	}
	ip := net.ParseIP(h)
	if ip == nil {
		return false
	}
	if ip.IsLoopback() {
		return true
	}
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.Equal(ip) {
			return true
		}
	}
	return false
}
