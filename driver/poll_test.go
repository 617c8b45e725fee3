package driver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/powerchain/powerchain/device"
	"github.com/powerchain/powerchain/internal/testlog"
)

// fakeClock is a clock the test moves: every After the loop asks for is
// reported on asked, and fires when the test advances past it.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	waits []fakeWait
	asked chan time.Duration
}

type fakeWait struct {
	at time.Time
	ch chan time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), asked: make(chan time.Duration)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	ch := make(chan time.Time, 1)
	c.mu.Lock()
	c.waits = append(c.waits, fakeWait{c.now.Add(d), ch})
	c.mu.Unlock()
	c.asked <- d
	return ch
}

// advance moves the clock by d and fires the waits that are due.
func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	keep := c.waits[:0]
	for _, w := range c.waits {
		if w.at.After(c.now) {
			keep = append(keep, w)
			continue
		}
		w.ch <- c.now
	}
	c.waits = keep
}

// fakeDriver answers Connect and Poll from scripts (nil: success) and
// records what the loop asked.
type fakeDriver struct {
	mu       sync.Mutex
	sched    Schedule
	connects []error
	polls    []error
	classes  []Class
	nConnect int
	nClose   int
	block    bool // Poll waits for its context to end
}

func (f *fakeDriver) Connect(ctx context.Context, dev *device.Device) (Schedule, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nConnect++
	if len(f.connects) > 0 {
		err := f.connects[0]
		f.connects = f.connects[1:]
		return f.sched, err
	}
	return f.sched, nil
}

func (f *fakeDriver) Poll(ctx context.Context, class Class) (func(*device.Tx), error) {
	f.mu.Lock()
	f.classes = append(f.classes, class)
	n := len(f.classes)
	var err error
	if len(f.polls) > 0 {
		err = f.polls[0]
		f.polls = f.polls[1:]
	}
	block := f.block
	f.mu.Unlock()
	if block {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	if err != nil {
		return nil, err
	}
	return func(tx *device.Tx) { tx.Set("poll.count", fmt.Sprint(n)) }, nil
}

func (f *fakeDriver) Close() {
	f.mu.Lock()
	f.nClose++
	f.mu.Unlock()
}

func (f *fakeDriver) counts() (connects, closes int, classes []Class) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.nConnect, f.nClose, append([]Class(nil), f.classes...)
}

// start runs the loop in a goroutine; stop cancels it and waits.
func start(t *testing.T, drv Driver, retry time.Duration) (*fakeClock, *device.Device, *testlog.Buffer, func()) {
	t.Helper()
	logs := &testlog.Buffer{}
	clk := newFakeClock()
	dev := device.New("ups", "")
	l := &loop{drv: drv, dev: dev, clock: clk, retry: retry, log: slog.New(slog.NewTextHandler(logs, nil))}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { l.run(ctx); close(done) }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			// A wait the loop asks for while stopping is let go.
			for {
				select {
				case <-done:
					return
				case <-clk.asked:
				}
			}
		})
	}
	t.Cleanup(stop)
	return clk, dev, logs, stop
}

// asked waits until the loop asks to wait (so it is blocked: the test
// may look at the device) and checks how long.
func asked(t *testing.T, clk *fakeClock, want time.Duration) {
	t.Helper()
	select {
	case d := <-clk.asked:
		if d != want {
			t.Fatalf("the loop waits %s, want %s", d, want)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the loop never waited")
	}
}

// tick is asked, then lets that time pass.
func tick(t *testing.T, clk *fakeClock, want time.Duration) {
	t.Helper()
	asked(t, clk, want)
	clk.advance(want)
}

func stale(dev *device.Device) bool { return dev.Snapshot().Updated.IsZero() }

// TestStaleAfterFailures: the data stays fresh through N-1 failed polls,
// is stale at the Nth, fresh again at the next good poll; two log lines
// for the failures (the first and the one that made it stale) and one
// for the recovery.
func TestStaleAfterFailures(t *testing.T) {
	boom := errors.New("agent silent")
	drv := &fakeDriver{sched: Schedule{Interval: 2 * time.Second, StaleAfter: 3},
		polls: []error{nil, boom, boom, boom, boom, boom, nil}}
	clk, dev, logs, stop := start(t, drv, 5*time.Second)
	wantStale := []bool{false, false, false, true, true, true, false}
	for i, want := range wantStale {
		asked(t, clk, 2*time.Second) // after poll i+1
		if got := stale(dev); got != want {
			t.Fatalf("after poll %d: stale %v, want %v", i+1, got, want)
		}
		if !dev.Snapshot().Connected {
			t.Fatalf("after poll %d: not connected", i+1)
		}
		if i < len(wantStale)-1 {
			clk.advance(2 * time.Second)
		}
	}
	stop()
	out := logs.String()
	if n := strings.Count(out, "poll failed"); n != 2 || !strings.Contains(out, "agent silent") {
		t.Errorf("%d failure lines, want 2 that say why:\n%s", n, out)
	}
	if strings.Count(out, "device answers again") != 1 {
		t.Errorf("recovery not logged once:\n%s", out)
	}
	if dev.Snapshot().Value("poll.count") != "7" {
		t.Errorf("the good polls' values were not published: %q", dev.Snapshot().Value("poll.count"))
	}
	if _, closes, _ := drv.counts(); closes != 1 {
		t.Errorf("Close called %d times, want once", closes)
	}
}

// TestReconnect: with Reconnect set, the driver is closed and connected
// again after that many failed polls, and polls resume.
func TestReconnect(t *testing.T) {
	boom := errors.New("connection reset")
	drv := &fakeDriver{sched: Schedule{Interval: time.Second, FullEvery: time.Hour, StaleAfter: 1, Reconnect: 2},
		polls: []error{nil, boom, boom, nil}}
	clk, dev, _, stop := start(t, drv, 5*time.Second)
	tick(t, clk, time.Second)  // after poll 1, good
	asked(t, clk, time.Second) // after poll 2, failed: stale
	if !stale(dev) {
		t.Error("not stale after a failed poll with StaleAfter 1")
	}
	clk.advance(time.Second)
	// Poll 3 fails: closed, connected again at once, poll 4 is good.
	if d := <-clk.asked; d != time.Second || stale(dev) {
		t.Errorf("after reconnecting: wait %s, stale %v", d, stale(dev))
	}
	stop()
	connects, closes, classes := drv.counts()
	if connects != 2 || closes != 2 {
		t.Errorf("%d connects, %d closes, want 2 and 2", connects, closes)
	}
	if fmt.Sprint(classes) != fmt.Sprint([]Class{Full, Status, Status, Full}) {
		t.Errorf("polls %v: want full, status, status, then full after reconnecting", classes)
	}
}

// TestBackoff: failed connection attempts wait retry, then twice as long
// each time up to MaxBackoff; the same failure is logged once, a new one
// again; a connection resets the backoff.
func TestBackoff(t *testing.T) {
	refused := errors.New("connection refused")
	drv := &fakeDriver{sched: Schedule{Interval: time.Second},
		connects: []error{refused, refused, refused, refused, refused, refused, errors.New("no such host"), nil}}
	clk, dev, logs, stop := start(t, drv, 5*time.Second)
	for _, want := range []time.Duration{5, 10, 20, 40, 60, 60, 60} {
		asked(t, clk, want*time.Second)
		if dev.Snapshot().Connected {
			t.Fatal("connected while Connect fails")
		}
		clk.advance(want * time.Second)
	}
	asked(t, clk, time.Second) // connected and polled: the poll interval
	if !dev.Snapshot().Connected {
		t.Error("not connected after a good poll")
	}
	stop()
	out := logs.String()
	if strings.Count(out, "connection refused") != 1 || strings.Count(out, "no such host") != 1 ||
		strings.Count(out, "level=INFO msg=connected") != 1 {
		t.Errorf("logs:\n%s", out)
	}
	for _, d := range []time.Duration{0, time.Millisecond, 5 * time.Second, 31 * time.Second, MaxBackoff, time.Hour} {
		l := &loop{retry: 5 * time.Second}
		if b := l.backoff(d); b < min(l.retry, MaxBackoff) || b > MaxBackoff {
			t.Errorf("backoff after %s = %s, outside [retry, MaxBackoff]", d, b)
		}
	}
}

// TestClasses: the first poll and one every FullEvery are Full, the
// others Status; a wake-up for Full polls everything at once and keeps
// the beat.
func TestClasses(t *testing.T) {
	wake := make(chan Class, 1)
	drv := &fakeDriver{sched: Schedule{Interval: 2 * time.Second, FullEvery: 6 * time.Second, Wake: wake}}
	clk, _, _, stop := start(t, drv, time.Second)
	for range 4 {
		tick(t, clk, 2*time.Second)
	}
	// Polls so far at 0 2 4 6 8 s: F S S F S. Now wake for Full 1 s later.
	if d := <-clk.asked; d != 2*time.Second {
		t.Fatalf("wait %s", d)
	}
	clk.advance(time.Second)
	wake <- Full
	tick(t, clk, time.Second)    // the beat goes on: a Status poll at 10 s
	asked(t, clk, 2*time.Second) // and the next at 12 s
	stop()
	_, _, classes := drv.counts()
	want := []Class{Full, Status, Status, Full, Status, Full, Status}
	if fmt.Sprint(classes) != fmt.Sprint(want) {
		t.Errorf("classes %v, want %v", classes, want)
	}
}

// TestCancel: the loop ends when its context does, while waiting and
// while a poll is under way; the driver is closed and the device not
// connected.
func TestCancel(t *testing.T) {
	for _, block := range []bool{false, true} {
		drv := &fakeDriver{sched: Schedule{Interval: time.Second}, block: block}
		clk, dev, _, stop := start(t, drv, time.Second)
		if !block {
			tick(t, clk, time.Second)
		} else {
			for {
				if _, _, c := drv.counts(); len(c) > 0 {
					break
				}
				time.Sleep(time.Millisecond)
			}
		}
		stop()
		if _, closes, _ := drv.counts(); closes != 1 || dev.Snapshot().Connected {
			t.Errorf("block %v: %d closes, connected %v", block, closes, dev.Snapshot().Connected)
		}
	}
}

func TestWaker(t *testing.T) {
	for _, tt := range []struct {
		asks []Class
		want Class
	}{
		{[]Class{Status}, Status},
		{[]Class{Full}, Full},
		{[]Class{Status, Full}, Full}, // a SET's Full read after a trap's Status one
		{[]Class{Full, Status}, Full},
		{[]Class{Status, Status}, Status},
		{[]Class{Full, Full}, Full},
	} {
		w := NewWaker()
		for _, c := range tt.asks {
			w.Ask(c)
		}
		if got := <-w; got != tt.want {
			t.Errorf("%v: got %v, want %v", tt.asks, got, tt.want)
		}
		select {
		case c := <-w:
			t.Errorf("%v: a second request %v waits", tt.asks, c)
		default:
		}
	}
}
