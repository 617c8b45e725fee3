// Package dnssd announces NUT servers as DNS-SD services (_nut._tcp) and
// finds them: through avahi-daemon over D-Bus when it runs (the system
// bus, or $DBUS_SYSTEM_BUS_ADDRESS), otherwise with a built-in multicast
// DNS responder and querier. An announcement is withdrawn (goodbye
// packets) when its context ends.
package dnssd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/godbus/dbus/v5"
	hmdns "github.com/hashicorp/mdns"
	avahi "github.com/holoplot/go-avahi"
	"github.com/miekg/dns"
)

// ServiceType is NUT's DNS-SD service type.
const ServiceType = "_nut._tcp"

// Service is an announcement.
type Service struct {
	Instance string   // "ups server on host"
	Port     int      // the upsd port
	TXT      []string // key=value strings
}

// Found is a service seen on the network.
type Found struct {
	Instance string   `json:"instance"`
	Host     string   `json:"host"`
	Addrs    []string `json:"addrs"`
	Port     int      `json:"port"`
	TXT      []string `json:"txt,omitempty"`
	// Announcement is what the TXT record says (ParseTXT).
	Announcement Announcement `json:"announcement"`
}

// Via names how a service is announced or browsed.
const (
	ViaAvahi   = "avahi"
	ViaBuiltin = "built-in responder"
)

// InstanceName names a server's announcement: "powerchain on HOST", with
// ":PORT" when not NUT's port. Dots would split the DNS label, so the
// host is its first label.
func InstanceName(host string, port int) string { return instanceName("powerchain on ", host, port) }

// UpsmonInstanceName names the announcement an upsmon primary makes of
// the server on its host: "powerchain upsmon on HOST[:PORT]".
func UpsmonInstanceName(host string, port int) string {
	return instanceName("powerchain upsmon on ", host, port)
}

func instanceName(prefix, host string, port int) string {
	host, _, _ = strings.Cut(host, ".")
	name := prefix + host
	if port != 3493 {
		name += fmt.Sprintf(":%d", port)
	}
	return name
}

// avahiServer connects to avahi-daemon on the system bus.
func avahiServer() (*dbus.Conn, *avahi.Server, error) {
	conn, err := dbus.ConnectSystemBus()
	if err != nil {
		return nil, nil, err
	}
	srv, err := avahi.ServerNew(conn)
	if err != nil {
		conn.Close()
		return nil, nil, err
	}
	if _, err := srv.GetVersionString(); err != nil { // avahi is not on the bus
		srv.Close()
		conn.Close()
		return nil, nil, err
	}
	return conn, srv, nil
}

// Publish announces s until ctx ends, then withdraws it. It returns how
// (ViaAvahi or ViaBuiltin) and a channel closed once withdrawn.
func Publish(ctx context.Context, s Service, lg *slog.Logger) (string, <-chan struct{}, error) {
	a, err := Announce(ctx, s, lg)
	if err != nil {
		return "", nil, err
	}
	return a.Via, a.Withdrawn(), nil
}

// Announced is a service Announce announces.
type Announced struct {
	// Via is how: ViaAvahi or ViaBuiltin.
	Via  string
	done chan struct{}
	// mu orders SetTXT and the withdrawal.
	mu     sync.Mutex
	closed bool
	setTXT func(txt []string) error
}

// Withdrawn is closed once the announcement is withdrawn (its context
// ended).
func (a *Announced) Withdrawn() <-chan struct{} { return a.done }

// SetTXT replaces the service's TXT record: avahi-daemon updates it in
// place; the built-in responder answers with the new one and announces
// it at once, telling caches to drop the old (RFC 6762 §8.4, §10.2). It
// does nothing once the announcement is withdrawn.
func (a *Announced) SetTXT(txt []string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return nil
	}
	return a.setTXT(txt)
}

// withdraw runs stop once ctx ends, then closes done.
func (a *Announced) withdraw(ctx context.Context, stop func()) {
	<-ctx.Done()
	a.mu.Lock()
	a.closed = true
	stop()
	a.mu.Unlock()
	close(a.done)
}

// Announce announces s until ctx ends, then withdraws it; its TXT record
// may change meanwhile (Announced.SetTXT).
func Announce(ctx context.Context, s Service, lg *slog.Logger) (*Announced, error) {
	if lg == nil {
		lg = slog.Default()
	}
	if strings.Contains(s.Instance, ".") {
		return nil, fmt.Errorf("mDNS: instance name %q contains a dot", s.Instance)
	}
	a := &Announced{done: make(chan struct{})}
	if conn, srv, err := avahiServer(); err == nil {
		eg, err := srv.EntryGroupNew()
		if err == nil {
			err = eg.AddService(avahi.InterfaceUnspec, avahi.ProtoUnspec, 0, s.Instance, ServiceType, "local", "", uint16(s.Port), txtBytes(s.TXT))
		}
		if err == nil {
			err = eg.Commit()
		}
		if err != nil {
			srv.Close()
			conn.Close()
			return nil, fmt.Errorf("avahi: announcing %q: %w", s.Instance, err)
		}
		a.Via = ViaAvahi
		a.setTXT = func(txt []string) error {
			if err := eg.UpdateServiceTxt(avahi.InterfaceUnspec, avahi.ProtoUnspec, 0, s.Instance, ServiceType, "local", txtBytes(txt)); err != nil {
				return fmt.Errorf("avahi: updating %q: %w", s.Instance, err)
			}
			return nil
		}
		go a.withdraw(ctx, func() {
			srv.EntryGroupFree(eg) // avahi sends the goodbyes
			srv.Close()
			conn.Close()
		})
		return a, nil
	} else {
		lg.Debug("avahi-daemon not reachable on D-Bus; using the built-in responder", "err", err)
	}
	host, _ := os.Hostname()
	host = strings.TrimSuffix(strings.Split(host, ".")[0], ".") + ".local."
	ips := localIPs()
	if len(ips) == 0 {
		return nil, errors.New("mDNS: no up, multicast-capable interface with an address")
	}
	newZone := func(txt []string) (*hmdns.MDNSService, error) {
		z, err := hmdns.NewMDNSService(s.Instance, ServiceType, "local.", host, s.Port, ips, txt)
		if err != nil {
			return nil, fmt.Errorf("mDNS: %w", err)
		}
		return z, nil
	}
	first, err := newZone(s.TXT)
	if err != nil {
		return nil, err
	}
	zone := &swapZone{}
	zone.z.Store(first)
	srv, err := hmdns.NewServer(&hmdns.Config{Zone: zone, Logger: quiet})
	if err != nil {
		return nil, fmt.Errorf("mDNS responder: %w", err)
	}
	// Announce at once (RFC 6762 §8.3), so browsers see it without
	// asking again; then answer queries until ctx ends.
	sendRecords(first, 120, false, lg)
	a.Via = ViaBuiltin
	a.setTXT = func(txt []string) error {
		z, err := newZone(txt)
		if err != nil {
			return err
		}
		zone.z.Store(z)
		sendRecords(z, 120, true, lg)
		return nil
	}
	go a.withdraw(ctx, func() {
		sendRecords(zone.z.Load(), 0, false, lg) // goodbye
		srv.Shutdown()
	})
	return a, nil
}

// swapZone answers with the records of the service as it is now.
type swapZone struct {
	z atomic.Pointer[hmdns.MDNSService]
}

func (s *swapZone) Records(q dns.Question) []dns.RR { return s.z.Load().Records(q) }

func txtBytes(txt []string) [][]byte {
	out := make([][]byte, len(txt))
	for i, t := range txt {
		out[i] = []byte(t)
	}
	return out
}

var quiet = log.New(io.Discard, "", 0)

// localIPs are the addresses of the up, multicast-capable, non-loopback
// interfaces.
func localIPs() []net.IP {
	ifs, _ := net.Interfaces()
	var ips []net.IP
	for _, ifc := range ifs {
		if ifc.Flags&net.FlagUp == 0 || ifc.Flags&net.FlagMulticast == 0 || ifc.Flags&net.FlagLoopback != 0 {
			continue
		}
		addrs, _ := ifc.Addrs()
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil {
				ips = append(ips, n.IP)
			}
		}
	}
	return ips
}

var mdnsGroup = &net.UDPAddr{IP: net.IPv4(224, 0, 0, 251), Port: 5353}

// sendRecords multicasts the service's records with the given TTL (0 is
// the goodbye), from port 5353 as RFC 6762 requires of responses. flush
// sets the TXT record's cache-flush bit: the record changed, and caches
// drop the one they hold (RFC 6762 §10.2).
func sendRecords(zone *hmdns.MDNSService, ttl uint32, flush bool, lg *slog.Logger) {
	msg := new(dns.Msg)
	msg.Response, msg.Authoritative = true, true
	q := dns.Question{Name: ServiceType + ".local.", Qtype: dns.TypePTR, Qclass: dns.ClassINET}
	for _, rr := range zone.Records(q) {
		rr.Header().Ttl = ttl
		if flush && rr.Header().Rrtype == dns.TypeTXT {
			rr.Header().Class |= 1 << 15
		}
		msg.Answer = append(msg.Answer, rr)
	}
	pkt, err := msg.Pack()
	if err != nil {
		lg.Warn("mDNS: packing an announcement failed", "err", err)
		return
	}
	lc := net.ListenConfig{Control: func(network, address string, c syscall.RawConn) error {
		var serr error
		c.Control(func(fd uintptr) {
			serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 1)
			if serr == nil {
				serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, 0xf /* SO_REUSEPORT */, 1)
			}
		})
		return serr
	}}
	pc, err := lc.ListenPacket(context.Background(), "udp4", "0.0.0.0:5353")
	if err != nil {
		lg.Warn("mDNS: cannot send from port 5353", "err", err)
		return
	}
	defer pc.Close()
	for i := 0; i < 2; i++ { // twice, a second apart at most, as the RFC suggests
		if _, err := pc.WriteTo(pkt, mdnsGroup); err != nil {
			lg.Warn("mDNS: sending an announcement failed", "err", err)
			return
		}
		if ttl == 0 {
			time.Sleep(50 * time.Millisecond)
		}
	}
}

// Browse lists the _nut._tcp services seen within timeout, through
// avahi-daemon when it runs, otherwise by querying the network itself.
func Browse(ctx context.Context, timeout time.Duration) ([]Found, string, error) {
	found, via, err := browse(ctx, timeout)
	for i := range found {
		found[i].Announcement = ParseTXT(found[i].TXT)
	}
	return found, via, err
}

func browse(ctx context.Context, timeout time.Duration) ([]Found, string, error) {
	if conn, srv, err := avahiServer(); err == nil {
		defer conn.Close()
		defer srv.Close()
		found, err := browseAvahi(ctx, srv, timeout)
		return found, ViaAvahi, err
	}
	found, err := query(ctx, timeout)
	return found, ViaBuiltin, err
}

func browseAvahi(ctx context.Context, srv *avahi.Server, timeout time.Duration) ([]Found, error) {
	b, err := srv.ServiceBrowserNew(avahi.InterfaceUnspec, avahi.ProtoInet, ServiceType, "local", 0)
	if err != nil {
		return nil, fmt.Errorf("avahi browse: %w", err)
	}
	defer srv.ServiceBrowserFree(b)
	deadline := time.After(timeout)
	var found []Found
	seen := map[string]bool{}
	for {
		select {
		case <-ctx.Done():
			return found, nil
		case <-deadline:
			sort.Slice(found, func(i, j int) bool { return found[i].Instance < found[j].Instance })
			return found, nil
		case s := <-b.AddChannel:
			if seen[s.Name] {
				continue
			}
			r, err := srv.ResolveService(s.Interface, s.Protocol, s.Name, s.Type, s.Domain, avahi.ProtoInet, 0)
			if err != nil {
				continue
			}
			seen[s.Name] = true
			f := Found{Instance: r.Name, Host: r.Host, Addrs: []string{r.Address}, Port: int(r.Port)}
			for _, t := range r.Txt {
				f.TXT = append(f.TXT, string(t))
			}
			found = append(found, f)
		}
	}
}

// query asks for _nut._tcp on every up, multicast-capable interface, as
// a full mDNS querier does (from port 5353, answers multicast), twice a
// second apart, and assembles the PTR, SRV, TXT and A records it hears
// within timeout.
func query(ctx context.Context, timeout time.Duration) ([]Found, error) {
	ifs, err := net.Interfaces()
	if err != nil {
		return nil, err
	}
	var conns []*net.UDPConn
	for i := range ifs {
		ifc := &ifs[i]
		if ifc.Flags&net.FlagUp == 0 || ifc.Flags&net.FlagMulticast == 0 {
			continue
		}
		c, err := net.ListenMulticastUDP("udp4", ifc, mdnsGroup)
		if err != nil {
			continue
		}
		conns = append(conns, c)
	}
	if len(conns) == 0 {
		return nil, errors.New("mDNS: no multicast-capable interface to ask on")
	}
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	q := new(dns.Msg)
	q.SetQuestion(ServiceType+".local.", dns.TypePTR)
	q.RecursionDesired = false
	pkt, err := q.Pack()
	if err != nil {
		return nil, err
	}
	recs := make(chan dns.RR, 256)
	deadline := time.Now().Add(timeout)
	var wg sync.WaitGroup
	for _, c := range conns {
		c.SetReadDeadline(deadline)
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 9000)
			for {
				n, _, err := c.ReadFromUDP(buf)
				if err != nil {
					return
				}
				var m dns.Msg
				if m.Unpack(buf[:n]) != nil || !m.Response {
					continue
				}
				for _, rr := range append(append(m.Answer, m.Ns...), m.Extra...) {
					select {
					case recs <- rr:
					default:
					}
				}
			}
		}()
	}
	send := func() {
		for _, c := range conns {
			c.WriteToUDP(pkt, mdnsGroup)
		}
	}
	send()
	go func() {
		select {
		case <-time.After(time.Second):
			send()
		case <-ctx.Done():
		}
	}()
	go func() { wg.Wait(); close(recs) }()
	ptrs := map[string]bool{}
	srvs := map[string]*dns.SRV{}
	txts := map[string][]string{}
	addrs := map[string][]string{}
	for {
		select {
		case <-ctx.Done():
			for _, c := range conns {
				c.SetReadDeadline(time.Now())
			}
		case rr, ok := <-recs:
			if !ok {
				return assemble(ptrs, srvs, txts, addrs), nil
			}
			name := strings.ToLower(rr.Header().Name)
			switch r := rr.(type) {
			case *dns.PTR:
				if name == strings.ToLower(ServiceType+".local.") && r.Hdr.Ttl > 0 {
					ptrs[r.Ptr] = true
				}
			case *dns.SRV:
				srvs[name] = r
			case *dns.TXT:
				txts[name] = r.Txt
			case *dns.A:
				if !slices.Contains(addrs[name], r.A.String()) {
					addrs[name] = append(addrs[name], r.A.String())
				}
			}
		}
	}
}

func assemble(ptrs map[string]bool, srvs map[string]*dns.SRV, txts map[string][]string, addrs map[string][]string) []Found {
	var out []Found
	for inst := range ptrs {
		key := strings.ToLower(inst)
		srv, ok := srvs[key]
		if !ok {
			continue
		}
		name := strings.TrimSuffix(inst, "."+ServiceType+".local.")
		name = unescape(name)
		out = append(out, Found{Instance: name, Host: strings.TrimSuffix(srv.Target, "."), Port: int(srv.Port),
			Addrs: addrs[strings.ToLower(srv.Target)], TXT: txts[key]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Instance < out[j].Instance })
	return out
}

// unescape turns a DNS label's presentation form ("a\\ b", "\\032")
// back into text.
func unescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 >= len(s) {
			b.WriteByte(s[i])
			continue
		}
		if i+3 < len(s) && isDigit(s[i+1]) && isDigit(s[i+2]) && isDigit(s[i+3]) {
			n := int(s[i+1]-'0')*100 + int(s[i+2]-'0')*10 + int(s[i+3]-'0')
			b.WriteByte(byte(n))
			i += 3
			continue
		}
		b.WriteByte(s[i+1])
		i++
	}
	return b.String()
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
