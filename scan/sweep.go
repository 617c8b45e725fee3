package scan

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"syscall"
	"time"
)

// A sweep reaches every address of a range over UDP from one socket per
// address family: the first request of each address leaves at the
// pacer's rate, every address's timeout runs at the same time as the
// others', answers are matched to their address by source and by what
// the protocol carries (SNMP's request ID, RMCP's message tag), and an
// ICMP error ends an address at once. A range so costs about
// addresses/rate + timeout × (retries+1), where a scanner of one thread
// per address costs ⌈addresses/threads⌉ × timeout.

// datagram is the exchange a sweep makes with each address.
type datagram struct {
	port int
	// request is the datagram for an address whose request ID is id.
	request func(id uint32) ([]byte, error)
	// answers reports whether b, from the address, answers its request.
	answers func(b []byte, id uint32) bool
}

// States of an address in a sweep.
const (
	toSend   = iota // not sent yet, or to be sent again
	inFlight        // sent, waiting for its answer or timeout
	answered
	refused // ICMP error, or the local firewall refused the send
	silent  // no answer to any try
)

type sweepTarget struct {
	id    uint32
	tries int // requests sent
	state uint8
}

// due is when an address's try times out.
type due struct {
	i   int
	at  time.Time
	try int
}

type sweeper struct {
	hosts  []netip.Addr
	p      datagram
	tr     *tracker
	answer func(i int, b []byte)

	mu      sync.Mutex
	targets []sweepTarget
	left    int // addresses without a result
	index   map[netip.Addr]int
	wake    chan struct{}
}

// sweep sends p's request to every host at pace's rate (o.Retries more
// times to the silent ones, each try waited for o.Timeout) and calls
// answer, from its reading goroutine, for each host whose answer
// matches; answer must not block. It returns when every host has a
// result or ctx is done (answers found until then were given). The
// tracker counts sent, answered, refused and silent addresses, and the
// refused and silent ones as done; an answered one is done when its
// caller is through with it.
func sweep(ctx context.Context, hosts []netip.Addr, o Options, pace *pacer, tr *tracker, p datagram, answer func(i int, b []byte)) error {
	s := &sweeper{hosts: hosts, p: p, tr: tr, answer: answer, targets: make([]sweepTarget, len(hosts)),
		left: len(hosts), index: make(map[netip.Addr]int, len(hosts)), wake: make(chan struct{}, 1)}
	var seed [4]byte
	rand.Read(seed[:])
	base := binary.BigEndian.Uint32(seed[:])
	for i, h := range hosts {
		s.index[h.Unmap()] = i
		// Request IDs are distinct within the range and not guessable
		// from outside; kept positive for protocols that read them signed.
		s.targets[i].id = (base + uint32(i)) & 0x7fffffff
	}
	conns := map[bool]*net.UDPConn{} // by "is IPv4"
	var readers sync.WaitGroup
	defer func() {
		for _, c := range conns {
			c.SetReadDeadline(time.Now())
		}
		readers.Wait()
		for _, c := range conns {
			c.Close()
		}
	}()
	for _, h := range hosts {
		v4 := h.Unmap().Is4()
		if conns[v4] != nil {
			continue
		}
		network := "udp6"
		if v4 {
			network = "udp4"
		}
		c, err := net.ListenUDP(network, nil)
		if err != nil {
			return err
		}
		conns[v4] = c
		tuneSocket(c, v4)
		readers.Add(1)
		go func() {
			defer readers.Done()
			readLoop(c, s.got, s.refusedBy)
		}()
	}

	timeout, retries := o.timeout(), o.retries()
	next := 0       // the next address never sent
	var again []int // addresses to send again, in order
	var dues []due  // timeouts, in the order they fall
	for {
		now := time.Now()
		s.mu.Lock()
		for len(dues) > 0 && !dues[0].at.After(now) {
			d := dues[0]
			dues = dues[1:]
			t := &s.targets[d.i]
			if t.state != inFlight || t.tries != d.try {
				continue
			}
			if t.tries <= retries {
				t.state = toSend
				again = append(again, d.i)
				continue
			}
			s.end(t, silent)
		}
		left := s.left
		s.mu.Unlock()
		pending := len(again) + len(hosts) - next
		if left == 0 || ctx.Err() != nil {
			return ctx.Err()
		}
		if pending > 0 {
			n := pace.take(ctx, pending)
			backoff := false
			for range n {
				var i int
				if len(again) > 0 {
					i, again = again[0], again[1:]
				} else {
					i, next = next, next+1
				}
				switch d, ok, retry := s.send(conns[hosts[i].Unmap().Is4()], i, timeout); {
				case ok:
					dues = append(dues, d)
				case retry:
					again = append([]int{i}, again...)
					backoff = true
				}
				if backoff {
					break
				}
			}
			if backoff {
				time.Sleep(5 * time.Millisecond) // the kernel's queues are full
			}
			continue
		}
		// Everything is sent: wait for the next timeout, or for the last
		// result to come in.
		var timer *time.Timer
		var fired <-chan time.Time
		if len(dues) > 0 {
			timer = time.NewTimer(time.Until(dues[0].at))
			fired = timer.C
		}
		select {
		case <-ctx.Done():
		case <-s.wake:
		case <-fired:
		}
		if timer != nil {
			timer.Stop()
		}
	}
}

// discover sweeps hosts with probe and, while the sweep goes on, runs
// identify (the slow part: a conversation) for each host that answers,
// o.Threads at once. It returns the devices in host order; an
// interrupted scan returns what was identified.
func discover(ctx context.Context, hosts []netip.Addr, o Options, bus string, pace *pacer, probe datagram,
	identify func(context.Context, netip.Addr) []Device) []Device {
	tr := o.track(bus, len(hosts))
	defer tr.finish()
	results := make([][]Device, len(hosts))
	sem := make(chan struct{}, o.threads())
	var wg sync.WaitGroup
	err := sweep(ctx, hosts, o, pace, tr, probe, func(i int, _ []byte) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer tr.done.Add(1)
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			defer func() { <-sem }()
			results[i] = identify(ctx, hosts[i])
			tr.found.Add(int64(len(results[i])))
		}()
	})
	if err != nil && ctx.Err() == nil {
		slog.Warn(bus+" scan", "err", err)
	}
	wg.Wait()
	return flatten(results)
}

// send sends host i its request. It returns the try's timeout when sent;
// retry when the kernel had no room for it (send it again soon).
func (s *sweeper) send(c *net.UDPConn, i int, timeout time.Duration) (d due, ok, retry bool) {
	s.mu.Lock()
	t := &s.targets[i]
	if t.state != toSend {
		s.mu.Unlock()
		return due{}, false, false // answered while waiting to be sent again
	}
	// In flight before it leaves: on loopback the ICMP error comes back
	// before the send returns.
	t.state, t.tries = inFlight, t.tries+1
	id, try := t.id, t.tries
	s.mu.Unlock()
	b, err := s.p.request(id)
	if err == nil {
		to := netip.AddrPortFrom(s.hosts[i], uint16(s.p.port))
		for range 8 {
			_, err = c.WriteToUDPAddrPort(b, to)
			if !pendingICMP(err) {
				break
			}
			// The send took up an ICMP error about an earlier request
			// (its details wait in the error queue) and did not leave.
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err == nil {
		s.tr.sentOne()
		return due{i: i, at: time.Now().Add(timeout), try: try}, true, false
	}
	if t.state != inFlight || t.tries != try {
		return due{}, false, false // ended meanwhile
	}
	if errors.Is(err, syscall.ENOBUFS) || errors.Is(err, syscall.EAGAIN) || errors.Is(err, syscall.ENOMEM) {
		t.state, t.tries = toSend, t.tries-1
		return due{}, false, true
	}
	// EPERM from a local firewall, no route (an unreachable error that
	// came back on every try is the send's own), …: nothing to wait for.
	s.end(t, refused)
	return due{}, false, false
}

// pendingICMP reports whether a send failed with the error an earlier
// ICMP message left on the socket rather than its own.
func pendingICMP(err error) bool {
	return errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EHOSTUNREACH) ||
		errors.Is(err, syscall.ENETUNREACH) || errors.Is(err, syscall.EHOSTDOWN)
}

// end gives an address its result; s.mu is held.
func (s *sweeper) end(t *sweepTarget, state uint8) {
	t.state = state
	switch state {
	case answered:
		s.tr.answered.Add(1)
	case refused:
		s.tr.refused.Add(1)
		s.tr.done.Add(1)
	case silent:
		s.tr.silent.Add(1)
		s.tr.done.Add(1)
	}
	if s.left--; s.left == 0 {
		select {
		case s.wake <- struct{}{}:
		default:
		}
	}
}

// target returns the address's index when from is one of the sweep's
// addresses and port and it has been sent its request.
func (s *sweeper) target(from netip.AddrPort) (int, *sweepTarget, bool) {
	if int(from.Port()) != s.p.port {
		return 0, nil, false
	}
	i, ok := s.index[from.Addr().Unmap()]
	if !ok {
		return 0, nil, false
	}
	t := &s.targets[i]
	return i, t, t.tries > 0
}

// got takes a datagram from the network. An answer that comes after its
// address's last timeout, while the sweep still listens, counts too: on
// a busy machine it may have waited in the socket for the reader.
func (s *sweeper) got(from netip.AddrPort, b []byte) {
	s.mu.Lock()
	i, t, ok := s.target(from)
	var id uint32
	if ok {
		id = t.id
	}
	s.mu.Unlock()
	if !ok || !s.p.answers(b, id) {
		return
	}
	s.mu.Lock()
	switch t.state {
	case inFlight, toSend:
		s.end(t, answered)
	case silent:
		t.state = answered
		s.tr.silent.Add(-1)
		s.tr.done.Add(-1)
		s.tr.answered.Add(1)
		s.tr.late.Add(1)
	default:
		s.mu.Unlock()
		return // a duplicate answer, or an address already refused
	}
	s.mu.Unlock()
	s.answer(i, b)
}

// refusedBy takes an ICMP error about a request sent to addr.
func (s *sweeper) refusedBy(to netip.AddrPort) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, t, ok := s.target(to); ok && (t.state == inFlight || t.state == toSend) {
		s.end(t, refused)
	}
}
