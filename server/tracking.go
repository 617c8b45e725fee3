package server

import (
	"crypto/rand"
	"fmt"
	"strings"
	"sync"
	"time"
)

// DefaultTrackingDelay is how long a TRACKING result is kept when
// upsd.conf sets no TRACKINGDELAY (NUT's default).
const DefaultTrackingDelay = time.Hour

// maxTracked bounds the TRACKING table: a client that runs commands in a
// loop with tracking on pushes out the oldest results instead of growing
// the table for the whole delay.
const maxTracked = 16384

// tracker holds the results of tracked SET VAR and INSTCMD requests by
// id, as NUT's upsd does, for the tracking delay.
type tracker struct {
	mu      sync.Mutex
	results map[string]string // id → PENDING, SUCCESS, ERR …
	order   []tracked         // oldest first
}

type tracked struct {
	id string
	at time.Time
}

// add registers a new pending request and returns its id: a random
// (version 4) UUID in upper case, as NUT 2.8.0 prints them.
func (t *tracker) add(now time.Time, delay time.Duration) string {
	var u [16]byte
	rand.Read(u[:])
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	id := fmt.Sprintf("%X-%X-%X-%X-%X", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.results == nil {
		t.results = map[string]string{}
	}
	t.expire(now, delay)
	if len(t.order) >= maxTracked {
		delete(t.results, t.order[0].id)
		t.order = t.order[1:]
	}
	// Re-slicing from the front: append moves the live entries to a new
	// array when the old one fills, so it stays at most twice their size.
	t.results[id] = "PENDING"
	t.order = append(t.order, tracked{id, now})
	return id
}

// expire forgets the results older than delay; t.mu is held.
func (t *tracker) expire(now time.Time, delay time.Duration) {
	n := 0
	for n < len(t.order) && now.Sub(t.order[n].at) > delay {
		delete(t.results, t.order[n].id)
		n++
	}
	t.order = t.order[n:]
}

// set records a request's result, unless it has expired meanwhile.
func (t *tracker) set(id, result string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.results[id]; ok {
		t.results[id] = result
	}
}

// get is GET TRACKING's reply for id (NUT compares ids without case):
// the result, or ERR UNKNOWN for an id it does not know (or no longer).
func (t *tracker) get(id string, now time.Time, delay time.Duration) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.expire(now, delay)
	if r, ok := t.results[strings.ToUpper(id)]; ok {
		return r
	}
	return "ERR UNKNOWN"
}

// len is how many results the table holds.
func (t *tracker) len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.results)
}
