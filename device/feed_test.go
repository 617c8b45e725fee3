package device

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

// events reads everything after the cursor, as "seq kind device name=value".
func events(t *testing.T, c *Cursor) []string {
	t.Helper()
	var out []string
	for {
		evs, err := c.Read(make([]Event, 0, 3))
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) == 0 {
			return out
		}
		for _, e := range evs {
			s := fmt.Sprintf("%d %s %s", e.Seq, e.Kind, e.Device)
			if e.Name != "" {
				s += " " + e.Name + "=" + e.Value
			}
			out = append(out, s)
		}
	}
}

// TestFeedRecordsChanges: every change of a store's devices is an event,
// numbered from 1 without gaps; a batch is its net changes, in the order
// of their first change; a device outside the store records nothing.
func TestFeedRecordsChanges(t *testing.T) {
	s := NewStore()
	d := New("ups1", "")
	d.Update(func(tx *Tx) { tx.Set("ups.status", "OL"); tx.Set("battery.charge", "100") })
	d.DataOK(time.Now())
	c := s.Feed().Tail()
	s.Add(d) // its state so far follows the addition
	d.Update(func(tx *Tx) {
		tx.Set("ups.status", "OB")
		tx.Set("battery.charge", "90")
		tx.Set("ups.status", "OB LB")
		tx.Set("new.var", "x")
		tx.Delete("new.var")
	})
	d.Update(func(tx *Tx) { tx.Set("ups.status", "OB LB") }) // no change: no event
	d.Update(func(tx *Tx) { tx.SetFlags("battery.charge", RW); tx.AddCmd("load.off") })
	d.Update(func(tx *Tx) { tx.SetImmutable("device.parent", "pdu1:1") })
	d.Update(func(tx *Tx) { tx.SetImmutable("device.parent", "pdu1:1") }) // no change
	d.SetDesc("rack")
	d.MarkStale()
	d.DataOK(time.Now()) // fresh again
	d.DataOK(time.Now()) // already fresh: no event
	d.SetConnected(false)
	d.SetConnected(false)
	d.DataOK(time.Now())
	s.SetFSD("ups1")
	s.SetFSD("ups1")
	d2 := New("ups1", "")
	s.AddFirst(d2) // replaces d: d's changes are no longer recorded
	d.Update(func(tx *Tx) { tx.Set("ups.status", "OL") })
	s.Remove("ups1")
	s.Remove("ups1")
	d2.Update(func(tx *Tx) { tx.Set("ups.status", "OL") })

	want := []string{
		"1 added ups1", "2 var ups1 battery.charge=100", "3 var ups1 ups.status=OL", "4 connected ups1", "5 fresh ups1",
		"6 var ups1 ups.status=OB LB", "7 var ups1 battery.charge=90", "8 var-deleted ups1 new.var=",
		"9 meta ups1", "10 var ups1 device.parent=pdu1:1", "11 meta ups1", "12 meta ups1",
		"13 stale ups1", "14 fresh ups1", "15 disconnected ups1", "16 connected ups1", "17 fsd ups1",
		"18 added ups1", "19 removed ups1",
	}
	if got := events(t, c); !slices.Equal(got, want) {
		t.Errorf("events:\n%q\nwant\n%q", got, want)
	}
	if s.Feed().Last() != 19 || !s.FSD("ups1") {
		t.Errorf("last %d, FSD %v", s.Feed().Last(), s.FSD("ups1"))
	}
}

// TestFeedCursors: a cursor resumes after a position while the feed still
// holds what follows, and is lapped (ErrLapped) when its reader falls a
// whole feed behind; another feed's position is not resumed.
func TestFeedCursors(t *testing.T) {
	s := NewStoreSize(5) // 8 events
	d := New("ups1", "")
	slow := s.Feed().Tail()
	s.Add(d) // event 1
	set := func(n int) {
		for i := 0; i < n; i++ {
			d.Update(func(tx *Tx) { tx.Set("x", fmt.Sprint(s.Feed().Last())) })
		}
	}
	f := s.Feed()
	if f.Size() != 8 || len(f.ID()) != 16 || f.ID() == NewStore().Feed().ID() {
		t.Fatalf("size %d, id %q", f.Size(), f.ID())
	}
	set(4) // 2..5
	if c, ok := f.Since(f.ID(), 1); !ok || c.Pos() != 1 || len(events(t, c)) != 4 {
		t.Error("resuming after 1 while 2..5 are held")
	}
	if c, ok := f.Since(f.ID(), 5); !ok || len(events(t, c)) != 0 {
		t.Error("resuming at the last event")
	}
	for _, tc := range []struct {
		name string
		id   string
		seq  uint64
	}{{"ahead of the feed", f.ID(), 6}, {"another feed", "0000000000000000", 3}} {
		if c, ok := f.Since(tc.id, tc.seq); ok || c.Pos() != 5 {
			t.Errorf("%s: resumed %v at %d", tc.name, ok, c.Pos())
		}
	}
	select {
	case <-f.Tail().Wait():
		t.Error("a cursor at the tail does not wait")
	default:
	}
	set(4) // 6..9: event 1 is overwritten
	if _, ok := f.Since(f.ID(), 0); ok {
		t.Error("resumed before an overwritten event")
	}
	if c, ok := f.Since(f.ID(), 1); !ok || len(events(t, c)) != 8 {
		t.Error("resuming after 1 while 2..9 are held")
	}
	if _, err := slow.Read(nil); !errors.Is(err, ErrLapped) {
		t.Errorf("a cursor behind the feed: %v", err)
	}
}

// TestFeedConcurrent: writers on many devices and readers that wait:
// every reader sees every event once, in order (run with -race).
func TestFeedConcurrent(t *testing.T) {
	s := NewStore()
	const devices, updates = 8, 200
	var ds []*Device
	for i := 0; i < devices; i++ {
		d := New(fmt.Sprint("ups", i), "")
		s.Add(d)
		ds = append(ds, d)
	}
	total := s.Feed().Last() + devices*updates
	var readers sync.WaitGroup
	for r := 0; r < 3; r++ {
		c, _ := s.Feed().Since(s.Feed().ID(), 0)
		readers.Add(1)
		go func() {
			defer readers.Done()
			var seq uint64
			buf := make([]Event, 0, 16)
			for seq < total {
				select {
				case <-c.Wait():
				case <-time.After(10 * time.Second):
					t.Errorf("reader stuck at %d of %d", seq, total)
					return
				}
				evs, err := c.Read(buf)
				if err != nil {
					t.Error(err)
					return
				}
				for _, e := range evs {
					if e.Seq != seq+1 {
						t.Errorf("event %d after %d", e.Seq, seq)
						return
					}
					seq = e.Seq
				}
			}
		}()
	}
	var writers sync.WaitGroup
	for _, d := range ds {
		writers.Add(1)
		go func() {
			defer writers.Done()
			for i := 0; i < updates; i++ {
				d.Update(func(tx *Tx) { tx.Set("n", fmt.Sprint(i)) })
			}
		}()
	}
	writers.Wait()
	readers.Wait()
}
