package scan

import (
	"bytes"
	"context"
	"encoding/binary"
	"net"
	"net/netip"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"
)

// testProtocol is a sweep exchange for tests: the request is the 4-byte
// ID, the answer repeats it.
func testProtocol(port int) datagram {
	return datagram{port: port,
		request: func(id uint32) ([]byte, error) { return binary.BigEndian.AppendUint32(nil, id), nil },
		answers: func(b []byte, id uint32) bool { return bytes.Equal(b, binary.BigEndian.AppendUint32(nil, id)) },
	}
}

// responders binds a UDP socket on each address (same port) and answers
// each request as behave says for that address: the datagrams to send
// back for the n-th request received (1-based).
func responders(t *testing.T, behave map[string]func(req []byte, n int) [][]byte) int {
	t.Helper()
	var addrs []string
	for a := range behave {
		addrs = append(addrs, a)
	}
	sort.Strings(addrs)
try:
	for range 20 {
		var conns []net.PacketConn
		port := 0
		for _, a := range addrs {
			c, err := net.ListenPacket("udp4", net.JoinHostPort(a, strconv.Itoa(port)))
			if err != nil {
				for _, c := range conns {
					c.Close()
				}
				continue try
			}
			port = c.LocalAddr().(*net.UDPAddr).Port
			conns = append(conns, c)
		}
		for i, c := range conns {
			t.Cleanup(func() { c.Close() })
			f := behave[addrs[i]]
			go func() {
				buf := make([]byte, 512)
				for n := 1; ; n++ {
					k, from, err := c.ReadFrom(buf)
					if err != nil {
						return
					}
					for _, b := range f(buf[:k], n) {
						c.WriteTo(b, from)
					}
				}
			}()
		}
		return port
	}
	t.Fatal("no port free on every address")
	return 0
}

// TestSweep: each address gets its result: answered at once, answered
// only on the second try, answered twice (counted once), answered with
// another request's ID or never (silent after its tries), no socket at
// all (refused by the ICMP error, at once); every answer given once.
func TestSweep(t *testing.T) {
	echo := func(req []byte, n int) [][]byte { return [][]byte{req} }
	port := responders(t, map[string]func([]byte, int) [][]byte{
		"127.0.0.71": echo,
		"127.0.0.72": func(req []byte, n int) [][]byte { return [][]byte{{0, 0, 0, 1}} },
		"127.0.0.73": func(req []byte, n int) [][]byte {
			if n < 2 {
				return nil
			}
			return [][]byte{req}
		},
		"127.0.0.74": func([]byte, int) [][]byte { return nil },
		"127.0.0.76": func(req []byte, n int) [][]byte { return [][]byte{req, req} },
	})
	hosts, _ := Range("127.0.0.71", "127.0.0.76", "", MaxHosts)
	o := Options{Timeout: 300 * time.Millisecond, Retries: 1}
	tr := o.track(BusSNMP, len(hosts))
	var mu sync.Mutex
	got := map[string]int{}
	err := sweep(context.Background(), hosts, o, newPacer(0), tr, testProtocol(port), func(i int, b []byte) {
		mu.Lock()
		got[hosts[i].String()]++
		mu.Unlock()
		tr.done.Add(1)
	})
	if err != nil {
		t.Fatal(err)
	}
	p := tr.now(true)
	want := map[string]int{"127.0.0.71": 1, "127.0.0.73": 1, "127.0.0.76": 1}
	if len(got) != len(want) || got["127.0.0.71"] != 1 || got["127.0.0.73"] != 1 || got["127.0.0.76"] != 1 {
		t.Errorf("answers %v, want %v", got, want)
	}
	if p.Answered != 3 || p.Silent != 2 || p.Refused != 1 || p.Done != 6 || p.Sent != 9 {
		t.Errorf("progress %+v: want 3 answered, 2 silent, 1 refused, 6 done, 9 sent", p)
	}
}

// TestSweepCancelled: a sweep interrupted while silent addresses wait
// returns without waiting for their timeout, and the answer that came
// before is kept.
func TestSweepCancelled(t *testing.T) {
	silent := func([]byte, int) [][]byte { return nil }
	port := responders(t, map[string]func([]byte, int) [][]byte{
		"127.0.0.81": func(req []byte, n int) [][]byte { return [][]byte{req} },
		"127.0.0.82": silent, "127.0.0.83": silent, "127.0.0.84": silent,
	})
	hosts, _ := Range("127.0.0.81", "127.0.0.84", "", MaxHosts)
	o := Options{Timeout: time.Hour}
	ctx, cancel := context.WithCancel(context.Background())
	var found []int
	done := make(chan error)
	go func() {
		done <- sweep(ctx, hosts, o, newPacer(0), o.track(BusSNMP, len(hosts)), testProtocol(port), func(i int, b []byte) {
			found = append(found, i)
			cancel()
		})
	}()
	select {
	case err := <-done:
		if err != context.Canceled || len(found) != 1 || found[0] != 0 {
			t.Errorf("sweep ended with %v, answers from %v", err, found)
		}
	case <-time.After(time.Minute): // a guard against a hang, not a measure
		t.Fatal("the interrupted sweep did not return")
	}
}

// TestPacer: a pacer grants no more than its bucket at once, and nothing
// once the context is done.
func TestPacer(t *testing.T) {
	for _, tc := range []struct{ rate, burst int }{{2000, 100}, {100000, 256}, {10, 1}} {
		p := newPacer(tc.rate)
		if n := p.take(context.Background(), 1<<20); n < 1 || n > tc.burst {
			t.Errorf("rate %d: first take granted %d, want 1..%d", tc.rate, n, tc.burst)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if n := newPacer(1).take(ctx, 5); n != 0 {
		t.Errorf("take after cancel granted %d", n)
	}
}

// TestSweepLateAnswer: an answer that comes after its address's last
// timeout, while the sweep still listens, makes the address answered
// (late) instead of silent; a second answer changes nothing.
func TestSweepLateAnswer(t *testing.T) {
	h := netip.MustParseAddr("127.0.0.91")
	tr := Options{}.track(BusSNMP, 1)
	s := &sweeper{hosts: []netip.Addr{h}, p: testProtocol(161), tr: tr, targets: []sweepTarget{{id: 7}},
		left: 1, index: map[netip.Addr]int{h: 0}, wake: make(chan struct{}, 1)}
	answers := 0
	s.answer = func(int, []byte) { answers++ }
	s.targets[0].tries = 2
	s.end(&s.targets[0], silent)
	from := netip.AddrPortFrom(h, 161)
	s.got(from, []byte{0, 0, 0, 8}) // another request's ID
	s.got(from, []byte{0, 0, 0, 7})
	s.got(from, []byte{0, 0, 0, 7})
	if p := tr.now(true); answers != 1 || p.Answered != 1 || p.Late != 1 || p.Silent != 0 || p.Done != 0 {
		t.Errorf("%d answers given, progress %+v: want 1 answered, 1 late, 0 silent, 0 done (the caller's)", answers, p)
	}
}
