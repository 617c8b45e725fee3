package scan

import (
	"context"
	"sync"
	"time"
)

// DefaultRate is the packets per second a scan sends unless told
// otherwise: little enough for any data-centre network and its
// firewalls, enough for a /16 in about half a minute.
const DefaultRate = 2000

// pacer spaces the packets of a scan at a rate: a token bucket holding
// 50 ms of packets, at most maxBurst, so that they leave in small bursts
// rather than one every few hundred microseconds, and a sender the
// scheduler woke late catches up instead of falling below the rate.
// Every request of a scan, first probes, retries and the identification
// of answering hosts, takes its turn here.
type pacer struct {
	every time.Duration // between packets
	burst time.Duration // the bucket's depth, as time
	mu    sync.Mutex
	tat   time.Time // when the packets granted so far would all have left at the rate
}

// maxBurst bounds the packets a pacer lets go at once.
const maxBurst = 256

func newPacer(rate int) *pacer {
	if rate <= 0 {
		rate = DefaultRate
	}
	every := time.Second / time.Duration(rate)
	if every <= 0 {
		every = 1
	}
	return &pacer{every: every, burst: max(every, min(50*time.Millisecond, maxBurst*every))}
}

// take waits until at least one packet may leave and returns how many,
// up to limit, may leave now; 0 once ctx is done.
func (p *pacer) take(ctx context.Context, limit int) int {
	for {
		if ctx.Err() != nil || limit <= 0 {
			return 0
		}
		now := time.Now()
		p.mu.Lock()
		if floor := now.Add(-p.burst); p.tat.Before(floor) {
			p.tat = floor // a full bucket holds no more than burst
		}
		n := min(int(now.Sub(p.tat)/p.every), limit)
		if n >= 1 {
			p.tat = p.tat.Add(time.Duration(n) * p.every)
			p.mu.Unlock()
			return n
		}
		wait := p.tat.Add(p.every).Sub(now)
		p.mu.Unlock()
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
		case <-t.C:
		}
	}
}

// wait waits for one packet's turn.
func (p *pacer) wait(ctx context.Context) bool { return p.take(ctx, 1) == 1 }
