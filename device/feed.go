package device

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
)

// EventKind is what changed.
type EventKind uint8

// The kinds of change a feed records.
const (
	// Added: the device is in the store now, new or in place of one of
	// the same name (whose state readers forget); its variables follow.
	Added EventKind = iota + 1
	// Removed: the device has left the store.
	Removed
	// VarSet: a variable was created or given a new value (Value).
	VarSet
	// VarDeleted: a variable was removed.
	VarDeleted
	// Meta: flags, lengths, enumerations, ranges, instant commands or
	// the description changed; readers read them again.
	Meta
	// Connected: a driver feeds the device.
	Connected
	// Disconnected: no driver feeds the device.
	Disconnected
	// Stale: the driver says its data is not usable (MarkStale).
	Stale
	// Fresh: the data is usable again, or for the first time.
	Fresh
	// FSDSet: the forced-shutdown flag was set (Store.SetFSD).
	FSDSet
)

var kindNames = [...]string{Added: "added", Removed: "removed", VarSet: "var", VarDeleted: "var-deleted",
	Meta: "meta", Connected: "connected", Disconnected: "disconnected", Stale: "stale", Fresh: "fresh", FSDSet: "fsd"}

// String names the kind ("var", "added", …), for logs and subjects.
func (k EventKind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", k)
}

// Event is one change of a device in a store.
type Event struct {
	Seq    uint64 // the feed's sequence number: 1, 2, 3 … with no gap
	Kind   EventKind
	Device string
	Name   string // VarSet, VarDeleted: the variable
	Value  string // VarSet: its new value
}

// DefaultFeedSize is how many events a store's feed holds.
const DefaultFeedSize = 1 << 16

// Feed is the ordered record of every change to a store's devices, each
// an Event with the next sequence number. It holds the last events (a
// ring of fixed size) and is followed with Cursors. Writers never wait
// for readers: a reader that falls a whole ring behind loses its place
// (ErrLapped) and must read the devices again. The feed's ID changes with
// every store, so a sequence number of another store (a restarted
// server) is never taken for one of this one.
type Feed struct {
	id string

	mu   sync.Mutex
	ring []Event // len is a power of two
	last uint64  // sequence number of the last event; 0: none yet
	// wake is closed at the next event; nil while no reader waits.
	wake chan struct{}
}

func newFeed(size int) *Feed {
	n := 1
	for n < size {
		n <<= 1
	}
	var b [8]byte
	rand.Read(b[:])
	return &Feed{id: hex.EncodeToString(b[:]), ring: make([]Event, n)}
}

// ID identifies the feed (and its store) among others: random, 16
// hexadecimal digits.
func (f *Feed) ID() string { return f.id }

// Size is how many events the feed holds.
func (f *Feed) Size() int { return len(f.ring) }

// Last is the sequence number of the last event (0 before the first).
func (f *Feed) Last() uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.last
}

// publish records events in order, numbering them.
func (f *Feed) publish(evs ...Event) {
	if len(evs) == 0 {
		return
	}
	f.mu.Lock()
	mask := uint64(len(f.ring) - 1)
	for _, e := range evs {
		f.last++
		e.Seq = f.last
		f.ring[f.last&mask] = e
	}
	if f.wake != nil {
		close(f.wake)
		f.wake = nil
	}
	f.mu.Unlock()
}

// oldest is the sequence number of the oldest event held; f.mu held.
func (f *Feed) oldest() uint64 {
	if n := uint64(len(f.ring)); f.last > n {
		return f.last - n + 1
	}
	return 1
}

// ErrLapped is returned by Cursor.Read when events the cursor had not
// read are no longer held: its reader was too slow, and must read the
// devices again and follow from Feed.Tail.
var ErrLapped = errors.New("change feed: events were overwritten before they were read")

// Cursor is a reader's place in a feed. It is used by one goroutine.
type Cursor struct {
	f    *Feed
	next uint64 // sequence number of the next event to read
}

// Tail returns a cursor after the last event: it reads what happens next.
func (f *Feed) Tail() *Cursor {
	f.mu.Lock()
	defer f.mu.Unlock()
	return &Cursor{f: f, next: f.last + 1}
}

// Since returns a cursor after event seq of the feed named id, when every
// event after it is still held: a reader that saw events up to seq
// misses nothing. Otherwise (another feed, events overwritten, a number
// the feed has not reached) it returns a cursor at the tail and false:
// the reader must read the devices again.
func (f *Feed) Since(id string, seq uint64) (*Cursor, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if id != f.id || seq > f.last || seq+1 < f.oldest() {
		return &Cursor{f: f, next: f.last + 1}, false
	}
	return &Cursor{f: f, next: seq + 1}, true
}

// Pos is the sequence number of the last event the cursor has passed.
func (c *Cursor) Pos() uint64 { return c.next - 1 }

// Read appends to buf (from its start) the events after the cursor, at
// most cap(buf) of them (64 when buf has no capacity), and moves past
// them. It does not wait; with nothing new it returns none. It returns
// ErrLapped when the next event has been overwritten.
func (c *Cursor) Read(buf []Event) ([]Event, error) {
	max := cap(buf)
	if max == 0 {
		max = 64
	}
	buf = buf[:0]
	f := c.f
	f.mu.Lock()
	defer f.mu.Unlock()
	if c.next < f.oldest() {
		return buf, fmt.Errorf("%w (%d events behind)", ErrLapped, f.last-c.next+1)
	}
	mask := uint64(len(f.ring) - 1)
	for ; c.next <= f.last && len(buf) < max; c.next++ {
		buf = append(buf, f.ring[c.next&mask])
	}
	return buf, nil
}

// closed is a channel that is always closed.
var closed = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// Wait returns a channel that is closed once there is an event after the
// cursor (at once when there is one already).
func (c *Cursor) Wait() <-chan struct{} {
	f := c.f
	f.mu.Lock()
	defer f.mu.Unlock()
	if c.next <= f.last {
		return closed
	}
	if f.wake == nil {
		f.wake = make(chan struct{})
	}
	return f.wake
}
