package server

import (
	"net/netip"
	"sync"
	"time"

	"github.com/powerchain/powerchain/nut"
)

// Limits bound what one client can make the server do. A zero field
// takes its default, chosen so that no NUT client (upsmon, upsc, upsrw,
// PyNUTClient) ever meets it.
type Limits struct {
	// MaxLine bounds one request in bytes (default nut.MaxLineLength,
	// 4096: NUT keeps 32 words of 512 characters, a request any NUT
	// client sends is far shorter). A longer one is answered ERR TOO-LONG
	// and the connection closed.
	MaxLine int
	// MaxPipelined is how many requests of one client the server answers
	// before their replies have gone out (default 32): a client that
	// sends many requests without reading the replies is answered a batch
	// at a time, and the rest wait in the kernel until it reads. NUT's
	// clients send one request and wait for its reply.
	MaxPipelined int
	// IdleTimeout closes a connection that has not completed a request
	// for this long (default 60 s, NUT's upsd's fixed value; upsmon asks
	// every POLLFREQ, 5 s by default).
	IdleTimeout time.Duration
	// ConnRate is how many new connections per second one client address
	// may open (default 100; negative: no limit), after a burst of
	// ConnBurst (default MAXCONN: as many as the server takes at all). A
	// connection over the rate is closed at once. A monitor keeps its
	// connection; a script running upsc opens one per call.
	ConnRate  float64
	ConnBurst int
}

// The defaults of Limits.
const (
	DefaultMaxPipelined = 32
	DefaultIdleTimeout  = 60 * time.Second
	DefaultConnRate     = 100
)

// withDefaults returns l with its zero fields set to the defaults, for a
// server taking maxConn connections.
func (l Limits) withDefaults(maxConn int) Limits {
	if l.MaxLine <= 0 {
		l.MaxLine = nut.MaxLineLength
	}
	if l.MaxPipelined <= 0 {
		l.MaxPipelined = DefaultMaxPipelined
	}
	if l.IdleTimeout <= 0 {
		l.IdleTimeout = DefaultIdleTimeout
	}
	if l.ConnRate == 0 {
		l.ConnRate = DefaultConnRate
	}
	if l.ConnBurst <= 0 {
		l.ConnBurst = maxConn
	}
	return l
}

// replyCap is how many reply bytes a batch of pipelined requests may
// gather before they are sent (one reply may be longer: a LIST VAR of a
// big device).
const replyCap = 64 << 10

// maxRateAddrs bounds the addresses connRate remembers; past it, a new
// address is let in unmetered until the full buckets are swept out.
const maxRateAddrs = 16384

// connRate meters new connections per client address with token
// buckets.
type connRate struct {
	mu      sync.Mutex
	buckets map[netip.Addr]*bucket
	swept   time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

// allow reports whether addr may open one more connection now.
func (r *connRate) allow(addr netip.Addr, now time.Time, l Limits) bool {
	if l.ConnRate < 0 || !addr.IsValid() {
		return true
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.buckets == nil {
		r.buckets = map[netip.Addr]*bucket{}
	}
	b := r.buckets[addr]
	if b == nil {
		if len(r.buckets) >= maxRateAddrs {
			r.sweep(now, l)
			if len(r.buckets) >= maxRateAddrs {
				return true
			}
		}
		b = &bucket{tokens: float64(l.ConnBurst), at: now}
		r.buckets[addr] = b
	}
	b.tokens = min(float64(l.ConnBurst), b.tokens+now.Sub(b.at).Seconds()*l.ConnRate)
	b.at = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// sweep forgets the addresses whose buckets have filled up again (at
// most once a second).
func (r *connRate) sweep(now time.Time, l Limits) {
	if now.Sub(r.swept) < time.Second {
		return
	}
	r.swept = now
	full := time.Duration(float64(l.ConnBurst) / l.ConnRate * float64(time.Second))
	for a, b := range r.buckets {
		if now.Sub(b.at) >= full {
			delete(r.buckets, a)
		}
	}
}
