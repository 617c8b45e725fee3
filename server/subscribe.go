package server

import (
	"context"
	"errors"
	"os"
	"strconv"
	"time"

	"github.com/powerchain/powerchain/device"
	"github.com/powerchain/powerchain/nut"
)

// SUBSCRIBE: powerchain's change notification (docs/push-protocol.md), a
// command no NUT client sends. The session becomes a stream of the
// changes of some or all devices as GET would serve them, each numbered
// in the store's change feed.

// Subscription follows the changes of a server's devices as the server
// serves them: values as GET VAR answers them (ups.status with FSD), the
// state GET answers with (OK, DATA-STALE after MAXAGE or when the driver
// says so, DRIVER-NOT-CONNECTED), devices added and removed. It is what a
// SUBSCRIBE session sends, and what other publishers of the server's
// changes read. One goroutine uses it.
type Subscription struct {
	s       *Server
	cur     *device.Cursor
	start   nut.Position
	how     string
	devices map[string]bool // nil: every device, also those added later

	buf      []device.Event
	told     map[string]string // device → the state last told
	touched  map[string]bool   // devices whose state to check after a batch
	checkAll bool              // check every device's state (first call, a timer)
	due      time.Time         // when a device's data may turn stale next
	reloads  uint64            // the server's reloads when states were last all checked
}

// Subscribe follows the named devices (none: every device, and devices
// added later) from since: the zero Position starts with the next change
// (nut.StartNow); a position of this server's feed whose later changes
// are all still held resumes after it (nut.StartResumed); any other
// starts with the next change and says that the caller must read the
// devices again (nut.StartResync). A device the server does not have is
// nut.ErrUnknownUPS, as for GET.
func (s *Server) Subscribe(since nut.Position, devices ...string) (*Subscription, error) {
	w := &Subscription{s: s, told: map[string]string{}, touched: map[string]bool{}, checkAll: true,
		buf: make([]device.Event, 0, 64)}
	for _, name := range devices {
		if _, ok := s.store.Get(name); !ok {
			return nil, nut.ErrUnknownUPS
		}
		if w.devices == nil {
			w.devices = map[string]bool{}
		}
		w.devices[name] = true
	}
	feed := s.store.Feed()
	switch resumed := false; {
	case since.Feed == "":
		w.cur, w.how = feed.Tail(), nut.StartNow
	default:
		if w.cur, resumed = feed.Since(since.Feed, since.Seq); resumed {
			w.how = nut.StartResumed
		} else {
			w.how = nut.StartResync
		}
	}
	w.start = nut.Position{Feed: feed.ID(), Seq: w.cur.Pos()}
	return w, nil
}

// Start is where the stream starts (its changes follow that position)
// and how: nut.StartNow, StartResumed or StartResync.
func (w *Subscription) Start() (nut.Position, string) { return w.start, w.how }

// Pos is the sequence number of the last change read.
func (w *Subscription) Pos() uint64 { return w.cur.Pos() }

// Next waits until there are changes (or ctx ends) and returns them,
// appended to buf from its start; the first call returns the state of
// every device followed. It returns an error wrapping device.ErrLapped
// when the reader fell so far behind that changes it had not read are no
// longer held.
func (w *Subscription) Next(ctx context.Context, buf []nut.Change) ([]nut.Change, error) {
	buf = buf[:0]
	for {
		// Taken before the states are checked: a reload after it wakes
		// the wait below; one since the last call (while the caller
		// wrote what it returned) has every state checked now.
		reloaded, reloads := w.s.nextReload()
		if reloads != w.reloads {
			w.reloads, w.checkAll = reloads, true
		}
		evs, err := w.cur.Read(w.buf)
		w.buf = evs
		if err != nil {
			return buf, err
		}
		for _, e := range evs {
			buf = w.translate(buf, e)
		}
		now := time.Now()
		if !w.due.IsZero() && !now.Before(w.due) {
			w.checkAll = true
		}
		buf = w.states(buf, now)
		if len(buf) > 0 {
			return buf, nil
		}
		if len(evs) > 0 {
			continue // changes of devices not followed: read on
		}
		var timeout <-chan time.Time
		var t *time.Timer
		if !w.due.IsZero() {
			t = time.NewTimer(w.due.Sub(now))
			timeout = t.C
		}
		select {
		case <-w.cur.Wait():
		case <-timeout:
		case <-reloaded:
			w.checkAll = true
		case <-ctx.Done():
		}
		if t != nil {
			t.Stop()
		}
		if ctx.Err() != nil {
			return buf, ctx.Err()
		}
	}
}

// follows reports whether the subscription is about a device.
func (w *Subscription) follows(name string) bool { return w.devices == nil || w.devices[name] }

// translate appends the line an event makes, if any.
func (w *Subscription) translate(buf []nut.Change, e device.Event) []nut.Change {
	if !w.follows(e.Device) {
		return buf
	}
	c := nut.Change{Seq: e.Seq, UPS: e.Device}
	switch e.Kind {
	case device.Added:
		c.Kind = nut.ChangeAdd
		delete(w.told, e.Device)
		w.touched[e.Device] = true
	case device.Removed:
		c.Kind = nut.ChangeRemove
		delete(w.told, e.Device)
		delete(w.touched, e.Device)
	case device.VarSet:
		c.Kind, c.Name, c.Value = nut.ChangeVar, e.Name, w.s.served(e.Device, e.Name, e.Value)
	case device.VarDeleted:
		c.Kind, c.Name = nut.ChangeDelVar, e.Name
	case device.Meta:
		c.Kind = nut.ChangeMeta
	case device.FSDSet:
		d, ok := w.s.store.Get(e.Device)
		if !ok {
			return buf
		}
		v, ok := d.Snapshot().Var("ups.status")
		if !ok {
			return buf // served nowhere: GET VAR ups.status has no such variable
		}
		c.Kind, c.Name, c.Value = nut.ChangeVar, v.Name, w.s.served(e.Device, v.Name, v.Value)
	default: // Connected, Disconnected, Stale, Fresh
		w.touched[e.Device] = true
		return buf
	}
	return append(buf, c)
}

// states appends a STATE line for every device followed whose state is
// not the one last told, checking the devices touched by events (all of
// them when checkAll), and sets when to check again.
func (w *Subscription) states(buf []nut.Change, now time.Time) []nut.Change {
	check := func(d *device.Device) {
		state, expires := w.s.state(d, now)
		if w.told[d.Name()] != state {
			w.told[d.Name()] = state
			buf = append(buf, nut.Change{Seq: w.cur.Pos(), Kind: nut.ChangeState, UPS: d.Name(), Value: state})
		}
		if !expires.IsZero() && (w.due.IsZero() || expires.Before(w.due)) {
			w.due = expires
		}
	}
	if w.checkAll {
		w.checkAll, w.due = false, time.Time{}
		clear(w.touched)
		for _, d := range w.s.store.Devices() {
			if w.follows(d.Name()) {
				check(d)
			}
		}
		return buf
	}
	for name := range w.touched {
		if d, ok := w.s.store.Get(name); ok {
			check(d)
		}
		delete(w.touched, name)
	}
	return buf
}

// staleRecheck is how often a device whose data is stale by its age is
// looked at again: no event says that a silent driver has come back.
const staleRecheck = time.Second

// state is what GET answers for a device's data now (nut.StateOK or the
// error) and when to look again: when fresh data turns stale by MAXAGE,
// or soon while it is stale by age.
func (s *Server) state(d *device.Device, now time.Time) (string, time.Time) {
	snap := d.Snapshot()
	maxAge := s.cfg.Load().maxAge()
	switch {
	case !snap.Connected:
		return string(nut.ErrDriverNotConnected), time.Time{}
	case snap.Updated.IsZero():
		return string(nut.ErrDataStale), time.Time{} // the driver said so: it says when it is fresh
	case snap.Stale(now, maxAge):
		return string(nut.ErrDataStale), now.Add(staleRecheck)
	}
	return nut.StateOK, snap.Updated.Add(maxAge + time.Millisecond)
}

// Served is a variable's value as GET VAR serves it (ups.status begins
// with FSD once the flag is set), and State what GET answers for a
// device's data now (nut.StateOK or the error): a full read for other
// publishers of the server's changes, beside Subscribe.
func (s *Server) Served(ups, name, value string) string { return s.served(ups, name, value) }

// State: see Served.
func (s *Server) State(d *device.Device) string {
	state, _ := s.state(d, time.Now())
	return state
}

// Subscribers is the number of SUBSCRIBE sessions being served.
func (s *Server) Subscribers() int { return int(s.subscribers.Load()) }

// subscribe answers SUBSCRIBE <since> [<ups> …] and then streams the
// changes until the client leaves, falls too far behind or the server
// stops. It runs only on a goroutine (the command may block).
func (ss *session) subscribe(ctx context.Context, _ string, args []string) bool {
	since, err := nut.ParsePosition(args[0])
	if err != nil {
		ss.err(nut.ErrInvalidArgument)
		return false
	}
	sub, err := ss.s.Subscribe(since, args[1:]...)
	var ne nut.Error
	if errors.As(err, &ne) {
		ss.err(ne)
		return false
	}
	pos, how := sub.Start()
	ss.replyf("OK %s %s %s\n", nut.Subscribe, pos, how)
	ss.stream(ctx, sub)
	return true
}

// stream sends a subscription's changes, a PING after nut.PingInterval of
// silence, and a DROPPED line with the reason when the server ends it.
func (ss *session) stream(ctx context.Context, sub *Subscription) {
	ss.s.subscribers.Add(1)
	defer ss.s.subscribers.Add(-1)
	if !ss.send() {
		return
	}
	// The client has nothing more to say: reading only notices that it
	// has gone. Bytes that came with SUBSCRIBE are dropped.
	ss.start, ss.n = 0, 0
	cctx, leave := context.WithCancel(ctx)
	defer leave()
	conn := ss.conn
	conn.SetReadDeadline(time.Time{})
	go func() {
		defer leave()
		var b [512]byte
		for {
			if _, err := conn.Read(b[:]); err != nil {
				return
			}
		}
	}()
	var changes []nut.Change
	for {
		pctx, cancel := context.WithTimeout(cctx, nut.PingInterval)
		var err error
		changes, err = sub.Next(pctx, changes)
		cancel()
		ss.now = time.Now()
		end := true
		switch {
		case errors.Is(err, device.ErrLapped):
			ss.s.warn("subscriber too slow; dropped", "from", ss.addr, "err", err)
			changes = append(changes, nut.Change{Seq: sub.Pos(), Kind: nut.ChangeDropped, Name: nut.DropTooSlow,
				Value: "fell more than " + strconv.Itoa(ss.s.store.Feed().Size()) + " changes behind"})
		case ctx.Err() != nil:
			changes = append(changes, nut.Change{Seq: sub.Pos(), Kind: nut.ChangeDropped, Name: nut.DropShutdown,
				Value: "the server is stopping"})
		case cctx.Err() != nil:
			return // the client left
		case err != nil: // silent for nut.PingInterval
			changes = append(changes, nut.Change{Seq: sub.Pos(), Kind: nut.ChangePing})
			end = false
		default:
			end = false
		}
		for _, c := range changes {
			ss.out = nut.AppendChange(ss.out, c)
		}
		if !ss.send() || end {
			return
		}
	}
}

// streamChunk is the most a stream writes at once: a client that reads,
// however slowly, is not cut off by the write timeout (which bounds one
// write) but falls behind, and is told so.
const streamChunk = 64 << 10

// send writes the pending lines a chunk at a time, each within
// writeTimeout.
func (ss *session) send() bool {
	defer ss.sent()
	for b := ss.out; len(b) > 0; {
		n := min(len(b), streamChunk)
		ss.conn.SetWriteDeadline(time.Now().Add(writeTimeout))
		if _, err := ss.conn.Write(b[:n]); err != nil {
			if errors.Is(err, os.ErrDeadlineExceeded) {
				ss.s.warn("subscriber not reading disconnected", "from", ss.addr, "timeout", writeTimeout)
			}
			return false
		}
		b = b[n:]
	}
	return true
}
