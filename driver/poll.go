package driver

import (
	"context"
	"log/slog"
	"time"

	"github.com/powerchain/powerchain/device"
)

// Class is what a poll reads.
type Class int

const (
	// Full is everything the driver knows to read: the first poll after
	// connecting, every Schedule.FullEvery, and when the driver asks.
	Full Class = iota
	// Status is what changes often (ups.status, outlet states), read at
	// every other poll.
	Status
)

func (c Class) String() string {
	if c == Status {
		return "status"
	}
	return "full"
}

// Waker carries a driver's requests for a poll now to its loop (as
// Schedule.Wake): after a write, so that it shows, or when the device
// itself says something changed (an input report, a trap, an alarm). It
// holds one request; a Full one is never lost to a Status one waiting.
type Waker chan Class

// NewWaker returns a Waker for a driver and its Schedule.
func NewWaker() Waker { return make(Waker, 1) }

// Ask requests a poll of class c without waiting: a request already
// waiting covers a Status one, and becomes Full for a Full one.
func (w Waker) Ask(c Class) {
	for {
		select {
		case w <- c:
			return
		default:
		}
		if c == Status {
			return
		}
		select { // a waiting request, Full or not, makes way for this Full one
		case <-w:
		default:
		}
	}
}

// Driver feeds one device. It has no loop of its own: Run connects it,
// polls it on its schedule, retries with backoff, marks the device stale
// after failed polls and logs, the same way for every driver (the shape
// of node_exporter's collectors). A new driver is one file: a type with
// these three methods and a Factory registered in init().
type Driver interface {
	// Connect reaches the device and finds what it is. It may publish
	// what will not change and set dev's handler, and returns how the
	// device wants to be polled. An error is retried with backoff.
	Connect(ctx context.Context, dev *device.Device) (Schedule, error)
	// Poll reads the device (everything for Full) and returns the changes
	// to publish as one version (nil for none), or an error.
	Poll(ctx context.Context, class Class) (func(*device.Tx), error)
	// Close ends what Connect began; Connect may be called again after it.
	Close()
}

// Schedule is how a driver wants to be polled.
type Schedule struct {
	// Interval is the time between polls (pollinterval); DefaultInterval
	// when 0.
	Interval time.Duration
	// FullEvery is the time between Full polls (pollfreq); 0 makes every
	// poll Full.
	FullEvery time.Duration
	// StaleAfter failed polls in a row the data is marked stale;
	// DefaultStaleAfter when 0.
	StaleAfter int
	// Reconnect failed polls in a row the driver is closed and connected
	// again; 0 never.
	Reconnect int
	// Wake, when not nil, asks for a poll of that class at once (after a
	// write, so that it shows).
	Wake <-chan Class
}

// Defaults of a Schedule, and the longest wait between connection
// attempts.
const (
	DefaultInterval   = 2 * time.Second
	DefaultStaleAfter = 3
	MaxBackoff        = time.Minute
)

// clock is time as the loop sees it; tests give it a fake one.
type clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Loop is the loop Run runs a driver in, for a driver made otherwise:
// until ctx ends it connects drv, polls it into dev on its schedule,
// marks dev stale after failed polls and not connected while drv is
// down, and connects again after retry, twice as long after each failure
// in a row (up to MaxBackoff), logging to log.
func Loop(ctx context.Context, drv Driver, dev *device.Device, retry time.Duration, log *slog.Logger) {
	l := &loop{drv: drv, dev: dev, clock: realClock{}, retry: retry, log: log}
	l.run(ctx)
}

// loop runs one driver for one device until its context ends.
type loop struct {
	drv   Driver
	dev   *device.Device
	clock clock
	log   *slog.Logger
	// retry is the first wait after a failed connection attempt; each
	// failure in a row doubles it, up to MaxBackoff.
	retry time.Duration
}

// run connects the driver and polls it, connecting again (with backoff)
// when Connect fails or the schedule says to, until ctx ends.
func (l *loop) run(ctx context.Context) {
	var wait time.Duration
	logged := "" // the connection failure last logged: logged once while it repeats
	for {
		if wait > 0 {
			select {
			case <-ctx.Done():
				return
			case <-l.clock.After(wait):
			}
		}
		sched, err := l.drv.Connect(ctx, l.dev)
		if ctx.Err() != nil {
			if err == nil {
				l.drv.Close()
			}
			l.dev.SetConnected(false)
			return
		}
		if err != nil {
			l.dev.SetConnected(false)
			wait = l.backoff(wait)
			if msg := err.Error(); msg != logged {
				l.log.Warn("cannot connect; retrying (logged again only if the reason changes)", "err", err, "retry", wait)
				logged = msg
			}
			continue
		}
		if logged != "" {
			l.log.Info("connected")
			logged = ""
		}
		wait = 0
		reconnect := l.poll(ctx, sched)
		l.drv.Close()
		l.dev.SetConnected(false)
		if !reconnect {
			return
		}
	}
}

// backoff is the wait after a failed attempt that followed a wait of w.
func (l *loop) backoff(w time.Duration) time.Duration {
	return min(max(2*w, l.retry), MaxBackoff)
}

// poll polls on the schedule until ctx ends (false) or the driver must
// connect again (true).
func (l *loop) poll(ctx context.Context, s Schedule) bool {
	interval, staleAfter := s.Interval, s.StaleAfter
	if interval <= 0 {
		interval = DefaultInterval
	}
	if staleAfter <= 0 {
		staleAfter = DefaultStaleAfter
	}
	failures := 0
	wantFull, woken := true, false
	var lastFull time.Time
	next := l.clock.Now()
	for {
		now := l.clock.Now()
		class := Status
		if wantFull || s.FullEvery <= 0 || now.Sub(lastFull) >= s.FullEvery {
			class = Full
		}
		vals, err := l.drv.Poll(ctx, class)
		now = l.clock.Now()
		if ctx.Err() != nil {
			return false
		}
		if err != nil {
			failures++
			if failures == 1 || failures == staleAfter {
				l.log.Warn("poll failed", "err", err, "failures", failures, "stale", failures >= staleAfter)
			}
			if failures >= staleAfter {
				l.dev.MarkStale()
			}
			if s.Reconnect > 0 && failures >= s.Reconnect {
				return true
			}
		} else {
			if failures >= staleAfter {
				l.log.Info("device answers again", "failures", failures)
			}
			failures = 0
			if class == Full {
				wantFull, lastFull = false, now
			}
			if vals != nil {
				l.dev.Update(vals)
			}
			l.dev.DataOK(now)
		}
		// Polls keep to the interval's beat, as a time.Ticker's ticks
		// do: one that ran late is followed by the next at once, and a
		// poll on request leaves the beat as it was.
		if !woken {
			if next = next.Add(interval); next.Before(now) {
				next = now
			}
		}
		woken = false
		select {
		case <-ctx.Done():
			return false
		case <-l.clock.After(next.Sub(now)):
		case c := <-s.Wake:
			wantFull, woken = wantFull || c == Full, true
		}
	}
}
