// Package snmptrap receives SNMP traps — v1, v2c, and v3 with USM
// authentication and privacy, decoded by gosnmp — and hands each to the
// agent that sent it, found by the trap's source address (or a v1 trap's
// agent-addr) and checked against the credentials of that agent's
// ups.conf section. The SNMP driver adds its agent and reads the
// device at once when a trap comes (package mib says what each trap asks
// to read; a trap it does not know reads the status).
//
// One Listener may serve every snmp-ups device of a server (serve's
// shared listener, passed to the drivers in their context: NewContext,
// FromContext) or one device on a port of its own. Traps from addresses
// no device reads, traps without the right credentials and packets that
// are no trap are counted (Stats) and logged at most once per cause
// every 10 seconds; nothing a sender does reaches further than that.
package snmptrap

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gosnmp/gosnmp"

	"github.com/powerchain/powerchain/internal/lograte"
	"github.com/powerchain/powerchain/internal/snmputil"
	"github.com/powerchain/powerchain/mib"
)

// DefaultPort is SNMP's trap port.
const DefaultPort = 162

// warnEvery is how often one kind of warning a sender can cause is
// logged.
const warnEvery = 10 * time.Second

// Agent is a device's SNMP agent as its driver reads it.
type Agent struct {
	// Name names the device in logs.
	Name string
	// Addrs are the addresses the agent's traps come from.
	Addrs []netip.Addr
	// Version, Community and V3 are the ups.conf section's. A v1 or v2c
	// section takes v1 and v2c traps with its community; a v3 section
	// takes v3 traps of its user, authenticated and decrypted with its
	// passwords, at its security level or above.
	Version   gosnmp.SnmpVersion
	Community string
	V3        *snmputil.V3
	// Wake is called for each trap the agent sends, on the listener's
	// goroutine: it must not block.
	Wake func(Trap)
}

// Trap is one trap from an agent.
type Trap struct {
	From    netip.Addr
	Version gosnmp.SnmpVersion
	// OID is the notification in SNMPv2's form (snmpTrapOID.0); a v1
	// trap's is found as RFC 3584 says (and as the MIB numbers it).
	OID string
	// Symbol is the notification's MIB name, "" when mib does not know
	// it.
	Symbol string
	// Read is what the trap asks the driver to read (ReadStatus for one
	// mib does not know).
	Read mib.TrapRead
}

// Name is the trap's MIB name, else its OID.
func (t Trap) Name() string {
	if t.Symbol != "" {
		return t.Symbol
	}
	return t.OID
}

// Stats count what a listener received.
type Stats struct {
	// Traps are the traps (and informs) it decoded.
	Traps uint64
	// Woke are the traps that woke a device's driver.
	Woke uint64
	// UnknownSource are traps from an address no device reads.
	UnknownSource uint64
	// Rejected are traps from a device's agent without the credentials
	// of its section (another community, user, password or version).
	Rejected uint64
	// Dropped are packets that were no trap the listener could read
	// (garbage, SNMPv3 of an unknown user or with a wrong password, a
	// request instead of a trap).
	Dropped uint64
}

// Listener receives traps on one or more UDP addresses.
type Listener struct {
	log  *slog.Logger
	warn *lograte.Logger

	traps, woke, unknown, rejected, dropped atomic.Uint64

	mu     sync.RWMutex
	agents map[netip.Addr][]*agent
	// sockets' decoders share the SNMPv3 users of the agents (gosnmp's
	// TrapSecurityParametersTable).
	sockets []*socket
	closed  bool
	wg      sync.WaitGroup
	stop    func() bool // ends the wait for Listen's context
}

// agent is an Agent as added, with its USM parameters.
type agent struct {
	Agent
	usm   *gosnmp.UsmSecurityParameters
	level gosnmp.SnmpV3MsgFlags
}

// socket is one address: its UDP socket and gosnmp's decoder.
type socket struct {
	conn   *net.UDPConn
	params *gosnmp.GoSNMP
}

// Listen receives traps on each address ("host:port") until ctx ends or
// Close; an address that cannot be bound is an error and nothing listens.
// log gets its warnings (slog.Default() when nil).
//
// gosnmp decodes each datagram (UnmarshalTrap, its TrapListener's
// decoder) and answers informs as that listener does; the read loop is
// the listener's own, so that one datagram's failure stays that
// datagram's: gosnmp's loop ends, taking the process with it, on a
// 27-byte datagram once SNMPv3 users are set (a nil dereference in
// UnmarshalTrap that FuzzTrap found), and logs bad datagrams without
// their sender.
func Listen(ctx context.Context, addrs []string, log *slog.Logger) (*Listener, error) {
	if log == nil {
		log = slog.Default()
	}
	if len(addrs) == 0 {
		return nil, errors.New("snmptrap: no address to listen on")
	}
	l := &Listener{log: log, warn: lograte.New(log, warnEvery), agents: map[netip.Addr][]*agent{}}
	for _, a := range addrs {
		ua, err := net.ResolveUDPAddr("udp", a)
		if err == nil {
			var c *net.UDPConn
			if c, err = net.ListenUDP("udp", ua); err == nil {
				l.sockets = append(l.sockets, newSocket(c))
				continue
			}
		}
		l.Close()
		return nil, fmt.Errorf("receiving SNMP traps on %s: %w", a, err)
	}
	for _, s := range l.sockets {
		l.wg.Add(1)
		go l.serve(s)
	}
	l.stop = context.AfterFunc(ctx, l.Close)
	return l, nil
}

func newSocket(c *net.UDPConn) *socket {
	// gosnmp authenticates and decrypts only for a v3 "connection"; v1
	// and v2c traps decode whatever it says.
	s := &socket{conn: c, params: &gosnmp.GoSNMP{Version: gosnmp.Version3, SecurityModel: gosnmp.UserSecurityModel}}
	s.params.SetTrapSecurityParametersTable(gosnmp.NewSnmpV3SecurityParametersTable(gosnmp.Logger{}))
	return s
}

// serve reads s's datagrams until the listener closes.
func (l *Listener) serve(s *socket) {
	defer l.wg.Done()
	buf := make([]byte, 1<<16)
	for {
		n, from, err := s.conn.ReadFromUDP(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			l.warn.Warn("SNMP trap listener: reading failed", "addr", s.conn.LocalAddr().String(), "err", err)
			continue
		}
		l.datagram(s, buf[:n], from)
	}
}

// datagram decodes one datagram and hands on the trap it holds.
func (l *Listener) datagram(s *socket, b []byte, from *net.UDPAddr) {
	defer func() {
		if p := recover(); p != nil {
			l.drop(from.String(), fmt.Sprintf("the decoder panicked: %v", p))
		}
	}()
	p, err := s.params.UnmarshalTrap(b, false)
	if err != nil {
		l.drop(from.String(), err.Error())
		return
	}
	l.handle(p, from)
	if p.PDUType == gosnmp.InformRequest {
		// As gosnmp's listener answers: the same variables, no error.
		p.PDUType, p.Error, p.ErrorIndex = gosnmp.GetResponse, gosnmp.NoError, 0
		if out, err := p.MarshalMsg(); err == nil {
			s.conn.WriteToUDP(out, from)
		}
	}
}

// Addrs are the addresses the listener is bound to.
func (l *Listener) Addrs() []net.Addr {
	var out []net.Addr
	for _, s := range l.sockets {
		out = append(out, s.conn.LocalAddr())
	}
	return out
}

// Close stops listening.
func (l *Listener) Close() {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return
	}
	l.closed = true
	if l.stop != nil {
		l.stop()
	}
	l.mu.Unlock()
	for _, s := range l.sockets {
		s.conn.Close()
	}
	l.wg.Wait()
}

// Stats returns the counts so far.
func (l *Listener) Stats() Stats {
	return Stats{Traps: l.traps.Load(), Woke: l.woke.Load(), UnknownSource: l.unknown.Load(),
		Rejected: l.rejected.Load(), Dropped: l.dropped.Load()}
}

// Add makes the listener hand the agent's traps to a.Wake until remove
// is called.
func (l *Listener) Add(a Agent) (remove func(), err error) {
	if len(a.Addrs) == 0 || a.Wake == nil {
		return nil, fmt.Errorf("snmptrap: agent %s: no address or no Wake", a.Name)
	}
	e := &agent{Agent: a}
	e.Addrs = make([]netip.Addr, len(a.Addrs))
	if a.Version == gosnmp.Version3 {
		if a.V3 == nil {
			return nil, fmt.Errorf("snmptrap: agent %s: SNMPv3 without its settings", a.Name)
		}
		var g gosnmp.GoSNMP
		if err := a.V3.Apply(&g); err != nil {
			return nil, fmt.Errorf("snmptrap: agent %s: %w", a.Name, err)
		}
		e.usm, e.level = g.SecurityParameters.(*gosnmp.UsmSecurityParameters), g.MsgFlags
	}
	for i, ad := range a.Addrs {
		e.Addrs[i] = ad.Unmap() // as sources are compared
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, ad := range e.Addrs {
		l.agents[ad] = append(l.agents[ad], e)
	}
	if e.usm != nil {
		l.setUsers()
	}
	return func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		for _, ad := range e.Addrs {
			rest := slices.DeleteFunc(l.agents[ad], func(x *agent) bool { return x == e })
			if len(rest) == 0 {
				delete(l.agents, ad)
			} else {
				l.agents[ad] = rest
			}
		}
		if e.usm != nil {
			l.setUsers()
		}
	}, nil
}

// setUsers gives every socket's decoder the SNMPv3 users of the agents
// (once each); l.mu is held.
func (l *Listener) setUsers() {
	table := gosnmp.NewSnmpV3SecurityParametersTable(gosnmp.Logger{})
	var added []*gosnmp.UsmSecurityParameters
	for _, as := range l.agents {
		for _, a := range as {
			if a.usm == nil || slices.ContainsFunc(added, func(u *gosnmp.UsmSecurityParameters) bool { return sameUser(u, a.usm) }) {
				continue
			}
			added = append(added, a.usm)
			if err := table.Add(a.usm.UserName, a.usm.Copy()); err != nil {
				l.log.Error("SNMPv3 user of an agent not usable for traps", "device", a.Name, "err", err)
			}
		}
	}
	for _, s := range l.sockets {
		s.params.SetTrapSecurityParametersTable(table)
	}
}

// sameUser reports whether two USM users are the same credentials.
func sameUser(a, b *gosnmp.UsmSecurityParameters) bool {
	return a.UserName == b.UserName && a.AuthenticationProtocol == b.AuthenticationProtocol &&
		a.AuthenticationPassphrase == b.AuthenticationPassphrase && a.PrivacyProtocol == b.PrivacyProtocol &&
		a.PrivacyPassphrase == b.PrivacyPassphrase
}

// handle is gosnmp's OnNewTrap: it finds the agents the trap is from and
// wakes those whose credentials it has.
func (l *Listener) handle(p *gosnmp.SnmpPacket, from *net.UDPAddr) {
	src := from.AddrPort().Addr().Unmap()
	switch p.PDUType {
	case gosnmp.Trap, gosnmp.SNMPv2Trap, gosnmp.InformRequest:
	default:
		l.drop(from.String(), "a "+p.PDUType.String()+", not a trap")
		return
	}
	l.traps.Add(1)
	t := Trap{From: src, Version: p.Version, OID: trapOID(p), Read: mib.ReadStatus}
	if k, ok := mib.TrapByOID(t.OID); ok {
		t.Symbol, t.Read = k.Symbol, k.Read
	}
	l.mu.RLock()
	cands := l.agents[src]
	if len(cands) == 0 && p.Version == gosnmp.Version1 {
		if a, err := netip.ParseAddr(p.AgentAddress); err == nil {
			cands = l.agents[a.Unmap()]
		}
	}
	var wake []*agent
	for _, a := range cands {
		if a.accepts(p) {
			wake = append(wake, a)
		}
	}
	l.mu.RUnlock()
	switch {
	case len(cands) == 0:
		l.unknown.Add(1)
		l.warn.Warn("SNMP trap from an address no snmp-ups device reads; ignored", "from", src, "trap", t.Name(), "version", "v"+p.Version.String())
	case len(wake) == 0:
		l.rejected.Add(1)
		var names []string
		for _, a := range cands {
			names = append(names, a.Name)
		}
		l.warn.Warn("SNMP trap from a device's agent without the credentials of its ups.conf section (version, community, or SNMPv3 user and passwords); ignored",
			"from", src, "devices", strings.Join(names, ","), "version", "v"+p.Version.String(), "trap", t.Name())
	default:
		l.woke.Add(1)
		for _, a := range wake {
			a.Wake(t)
		}
	}
}

// drop counts and logs a packet that was no trap the listener reads.
func (l *Listener) drop(from, reason string) {
	l.dropped.Add(1)
	if len(reason) > 160 {
		reason = reason[:160] + "…"
	}
	l.warn.Warn("SNMP trap listener: dropped a packet that is no trap it can read", "from", from, "reason", reason)
}

// accepts reports whether the trap carries the credentials of a's
// section.
func (a *agent) accepts(p *gosnmp.SnmpPacket) bool {
	switch {
	case a.usm == nil:
		return (p.Version == gosnmp.Version1 || p.Version == gosnmp.Version2c) && p.Community == a.Community
	case p.Version != gosnmp.Version3:
		return false
	}
	u, ok := p.SecurityParameters.(*gosnmp.UsmSecurityParameters)
	if !ok || u.UserName != a.usm.UserName {
		return false
	}
	level := p.MsgFlags & gosnmp.AuthPriv
	if level < a.level {
		return false
	}
	// The decoder tried every user of that name; the one that
	// authenticated (or decrypted) the trap must be this section's.
	return level == gosnmp.NoAuthNoPriv || sameUser(u, a.usm)
}

// snmpTrapOID is snmpTrapOID.0, the varbind naming an SNMPv2 trap.
const snmpTrapOID = "1.3.6.1.6.3.1.1.4.1.0"

// trapOID names the notification: SNMPv2's snmpTrapOID.0; for a v1
// trap, RFC 3584's mapping (a generic trap is its snmpTraps OID, an
// enterprise-specific one enterprise.0.specific), or enterprise.specific
// where that is what mib knows (an SMIv2 notification sent as v1, as
// UPS-MIB's are).
func trapOID(p *gosnmp.SnmpPacket) string {
	if p.Version != gosnmp.Version1 {
		for _, v := range p.Variables {
			if strings.TrimPrefix(v.Name, ".") == snmpTrapOID {
				if s, ok := v.Value.(string); ok {
					return strings.TrimPrefix(s, ".")
				}
			}
		}
		return ""
	}
	if p.GenericTrap >= 0 && p.GenericTrap < 6 {
		return "1.3.6.1.6.3.1.1.5." + strconv.Itoa(p.GenericTrap+1)
	}
	ent, spec := strings.TrimPrefix(p.Enterprise, "."), strconv.Itoa(p.SpecificTrap)
	rfc, direct := ent+".0."+spec, ent+"."+spec
	if _, ok := mib.TrapByOID(rfc); !ok {
		if _, ok := mib.TrapByOID(direct); ok {
			return direct
		}
	}
	return rfc
}

type ctxKey struct{}

// NewContext returns ctx carrying l, for the drivers started with it.
func NewContext(ctx context.Context, l *Listener) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// FromContext returns the listener ctx carries, or nil.
func FromContext(ctx context.Context) *Listener {
	l, _ := ctx.Value(ctxKey{}).(*Listener)
	return l
}

// Resolve returns the addresses of an agent's host (an address, or a
// name looked up now).
func Resolve(ctx context.Context, host string) ([]netip.Addr, error) {
	if a, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return []netip.Addr{a.Unmap()}, nil
	}
	as, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil, err
	}
	for i := range as {
		as[i] = as[i].Unmap()
	}
	return as, nil
}
