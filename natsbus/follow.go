package natsbus

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"maps"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/powerchain/powerchain/internal/lograte"
	"github.com/powerchain/powerchain/nut"
)

// Follower keeps every device of the servers of a site (or of every
// site) current from their publishers' messages: it asks for a full read
// of each server it learns of, applies the changes that follow in the
// order of their numbers, and reads the server again whenever a number is
// skipped, the server restarted (a new feed) or a ping says it published
// more than arrived. Events come from the JetStream stream through a
// durable consumer, so a follower that restarts reads on where it
// stopped; without JetStream they come as they are published.
type Follower struct {
	Conn     *nats.Conn
	Subjects Subjects
	// Site limits the following to one site ("": every site).
	Site string
	// Durable names the JetStream consumer of the events; with it (and
	// OnEvents) the stream's events are read from where this name last
	// stopped, or from the start of the stream for a new name.
	Durable string
	// OnEvents receives events in the stream's order, from one
	// goroutine; they are acknowledged once it returns nil, and given
	// again otherwise.
	OnEvents func(ctx context.Context, evs []Event) error
	// Domain is the JetStream domain of the events' stream ("": the one
	// of the server connected to).
	Domain string
	// Silence is how long a server may be silent before it is taken for
	// lost: 3 × DefaultPingEvery when zero.
	Silence time.Duration
	Log     *slog.Logger

	inbox string
	warn  *lograte.Logger
	live  chan Event // events as published, when JetStream is off
	// liveEvents: JetStream is off, events come from the subscription.
	liveEvents atomic.Bool

	mu      sync.Mutex
	servers map[string]*followed
	order   []string // keys of servers, sorted
	changed chan struct{}
}

// Server is a followed server as it stands; it is never changed once
// handed out.
type Server struct {
	Site, Name string
	// Addr is where NUT clients reach the server, as it says.
	Addr string
	// Place is where the server says it stands, in its last full read
	// (empty from an older server, or one placed nowhere).
	Place   Place
	Feed    string
	Devices []*Device // by name
	// Heard is when the server last published anything.
	Heard time.Time
	// Alive: heard from within the Silence and not stopping; Err says
	// why not.
	Alive bool
	Err   string
}

// followed is what a follower holds of a server.
type followed struct {
	site, name, addr, feed string
	place                  Place
	msg                    uint64 // the last message applied
	synced                 bool   // a full read is applied and nothing since was missed
	everSynced             bool
	asked                  time.Time   // when a full read was last asked for
	pending                []*nats.Msg // messages that came while waiting for a full read
	parts                  []Snapshot  // parts of a full read being put together
	devices                map[string]*Device
	heard                  time.Time
	stopped                bool
	view                   *Server // the devices by name; nil when they changed
}

// maxPending bounds the messages kept of a server while its full read is
// awaited; past it they are dropped, and the read asked for again.
const maxPending = 10000

// askEvery is how often a full read of one server is asked for at most.
const askEvery = 2 * time.Second

func key(site, server string) string { return site + "\x00" + server }

// Run follows until ctx ends.
func (f *Follower) Run(ctx context.Context) error {
	if f.Log == nil {
		f.Log = slog.Default()
	}
	if f.Silence <= 0 {
		f.Silence = 3 * DefaultPingEvery
	}
	f.warn = lograte.New(f.Log, time.Minute)
	f.mu.Lock()
	if f.servers == nil {
		f.servers = map[string]*followed{}
	}
	if f.changed == nil {
		f.changed = make(chan struct{})
	}
	f.mu.Unlock()
	f.live = make(chan Event, 1024)
	f.inbox = f.Conn.NewRespInbox()
	main, err := f.Conn.Subscribe(f.Subjects.Site(f.Site), f.handle)
	if err != nil {
		return err
	}
	defer main.Unsubscribe()
	replies, err := f.Conn.Subscribe(f.inbox, func(m *nats.Msg) {
		if len(m.Data) > 0 { // not "no responders"
			f.snapshot(m.Data)
		}
	})
	if err != nil {
		return err
	}
	defer replies.Unsubscribe()
	for _, s := range []*nats.Subscription{main, replies} {
		s.SetPendingLimits(-1, 256<<20)
	}
	f.Conn.PublishRequest(f.Subjects.Read(f.Site), f.inbox, nil)
	var wg sync.WaitGroup
	defer wg.Wait()
	if f.OnEvents != nil {
		wg.Add(2)
		go func() { defer wg.Done(); f.events(ctx) }()
		go func() { defer wg.Done(); f.liveLoop(ctx) }()
	}
	t := time.NewTicker(time.Second)
	defer t.Stop()
	reconnects := f.Conn.Stats().Reconnects
	alive := map[string]bool{}
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		if r := f.Conn.Stats().Reconnects; r != reconnects {
			// Messages may have been lost meanwhile: the pings would tell,
			// a full read tells sooner.
			reconnects = r
			f.Conn.PublishRequest(f.Subjects.Read(f.Site), f.inbox, nil)
		}
		f.tick(alive)
	}
}

// tick asks again for the full reads still awaited, and tells of servers
// that fell silent.
func (f *Follower) tick(alive map[string]bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := time.Now()
	flipped := false
	for k, fs := range f.servers {
		if !fs.synced {
			f.ask(fs)
		}
		a := fs.alive(now, f.Silence)
		if alive[k] != a {
			alive[k], flipped = a, true
		}
	}
	if flipped {
		f.notify()
	}
}

func (fs *followed) alive(now time.Time, silence time.Duration) bool {
	return !fs.stopped && now.Sub(fs.heard) < silence
}

// Changed returns a channel that is closed at the next change of what
// Servers returns.
func (f *Follower) Changed() <-chan struct{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.changed == nil {
		f.changed = make(chan struct{})
	}
	return f.changed
}

// notify closes the Changed channel; f.mu held.
func (f *Follower) notify() {
	if f.changed != nil {
		close(f.changed)
	}
	f.changed = make(chan struct{})
}

// Servers returns the servers followed (those read in full at least
// once), by site and name.
func (f *Follower) Servers() []*Server {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := time.Now()
	out := make([]*Server, 0, len(f.order))
	for _, k := range f.order {
		fs := f.servers[k]
		if !fs.everSynced {
			continue
		}
		if fs.view == nil {
			v := &Server{Site: fs.site, Name: fs.name, Addr: fs.addr, Place: fs.place, Feed: fs.feed, Devices: make([]*Device, 0, len(fs.devices))}
			for _, d := range fs.devices {
				v.Devices = append(v.Devices, d)
			}
			sort.Slice(v.Devices, func(i, j int) bool { return v.Devices[i].Name < v.Devices[j].Name })
			fs.view = v
		}
		v := *fs.view
		v.Heard = fs.heard
		v.Alive = fs.alive(now, f.Silence)
		switch {
		case fs.stopped:
			v.Err = "the server is stopping"
		case !v.Alive:
			v.Err = "no word from the server for " + now.Sub(fs.heard).Round(time.Second).String()
		}
		out = append(out, &v)
	}
	return out
}

// server returns what is held of a server, new if need be; f.mu held.
func (f *Follower) server(site, name string) *followed {
	k := key(site, name)
	fs := f.servers[k]
	if fs == nil {
		fs = &followed{site: site, name: name, devices: map[string]*Device{}}
		f.servers[k] = fs
		i := sort.SearchStrings(f.order, k)
		f.order = append(f.order, "")
		copy(f.order[i+1:], f.order[i:])
		f.order[i] = k
	}
	return fs
}

// ask asks a server for a full read, at most every askEvery; f.mu held.
func (f *Follower) ask(fs *followed) {
	if time.Since(fs.asked) < askEvery {
		return
	}
	fs.asked = time.Now()
	f.Conn.PublishRequest(f.Subjects.Server(fs.site, fs.name, KindRead), f.inbox, nil)
}

// handle takes a message of the site's subjects.
func (f *Follower) handle(m *nats.Msg) {
	p, ok := f.Subjects.Parse(m.Subject)
	if !ok {
		return
	}
	switch p.Kind {
	case KindSnapshot:
		f.snapshot(m.Data)
	case KindPing:
		f.ping(p, m)
	case KindVars, KindState, KindInfo, KindEvent:
		f.mu.Lock()
		fs := f.server(p.Site, p.Server)
		fs.heard = time.Now()
		if fs.synced && m.Header.Get(HeaderFeed) == fs.feed {
			f.apply(fs, m)
		} else {
			f.hold(fs, m)
		}
		f.mu.Unlock()
	}
}

// hold keeps a message until the server's full read comes; f.mu held.
func (f *Follower) hold(fs *followed, m *nats.Msg) {
	fs.synced = false
	if len(fs.pending) >= maxPending {
		fs.pending = nil
		fs.asked = time.Time{}
	}
	fs.pending = append(fs.pending, m)
	f.ask(fs)
}

// msgNumber is a message's number, 0 when it has none.
func msgNumber(m *nats.Msg) uint64 {
	n, _ := strconv.ParseUint(m.Header.Get(HeaderMsg), 10, 64)
	return n
}

// apply applies a server's next message, or holds it and asks for a
// full read when messages were missed; f.mu held.
func (f *Follower) apply(fs *followed, m *nats.Msg) {
	n := msgNumber(m)
	switch {
	case n <= fs.msg:
		return // the full read has it
	case n != fs.msg+1:
		f.hold(fs, m)
		return
	}
	fs.msg = n
	p, _ := f.Subjects.Parse(m.Subject)
	switch p.Kind {
	case KindVars, KindState:
		fs.lines(m.Data)
	case KindInfo:
		var info Info
		if err := json.Unmarshal(m.Data, &info); err != nil {
			f.warn.Warn("NATS: a device's description could not be read", "subject", m.Subject, "err", err)
			return
		}
		d := fs.mutable(p.Device, nil)
		d.Desc, d.RW, d.Cmds = info.Desc, info.RW, info.Cmds
	case KindEvent:
		if f.liveEvents.Load() {
			var ev Event
			if json.Unmarshal(m.Data, &ev) == nil {
				select {
				case f.live <- ev:
				default:
					f.warn.Warn("NATS: events coming faster than they are recorded; some were dropped")
				}
			}
		}
		return
	}
	fs.view = nil
	f.notify()
}

// mutable returns a device of the server that may be changed: a copy
// of the one held, made once per message (copied records which).
func (fs *followed) mutable(name string, copied map[string]bool) *Device {
	d := fs.devices[name]
	switch {
	case d == nil:
		d = &Device{Name: name, Vars: map[string]string{}}
	case copied == nil || !copied[name]:
		c := *d
		c.Vars = maps.Clone(d.Vars)
		if c.Vars == nil {
			c.Vars = map[string]string{}
		}
		d = &c
	default:
		return d
	}
	fs.devices[name] = d
	if copied != nil {
		copied[name] = true
	}
	return d
}

// lines applies the change lines of a message.
func (fs *followed) lines(body []byte) {
	copied := map[string]bool{}
	for len(body) > 0 {
		line := body
		if i := bytes.IndexByte(body, '\n'); i >= 0 {
			line, body = body[:i], body[i+1:]
		} else {
			body = nil
		}
		c, err := nut.ParseChange(string(line))
		if err != nil {
			continue
		}
		switch c.Kind {
		case nut.ChangeVar:
			fs.mutable(c.UPS, copied).Vars[c.Name] = c.Value
		case nut.ChangeDelVar:
			delete(fs.mutable(c.UPS, copied).Vars, c.Name)
		case nut.ChangeState:
			fs.mutable(c.UPS, copied).State = c.Value
		case nut.ChangeAdd:
			fs.devices[c.UPS] = &Device{Name: c.UPS, Vars: map[string]string{}}
			copied[c.UPS] = true
		case nut.ChangeRemove:
			delete(fs.devices, c.UPS)
			delete(copied, c.UPS)
		}
	}
}

// snapshot applies (a part of) a full read.
func (f *Follower) snapshot(data []byte) {
	var s Snapshot
	if err := json.Unmarshal(data, &s); err != nil {
		f.warn.Warn("NATS: a full read could not be read", "err", err)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	fs := f.server(s.Site, s.Server)
	fs.heard = time.Now()
	if fs.synced && fs.feed == s.Feed && s.Msg < fs.msg {
		return // older than what is held
	}
	devices := s.Devices
	if s.Parts > 1 {
		if len(fs.parts) > 0 && (fs.parts[0].Feed != s.Feed || fs.parts[0].Msg != s.Msg || fs.parts[0].Parts != s.Parts) {
			fs.parts = nil
		}
		for _, p := range fs.parts {
			if p.Part == s.Part {
				return
			}
		}
		fs.parts = append(fs.parts, s)
		if len(fs.parts) < s.Parts {
			return
		}
		devices = nil
		for _, p := range fs.parts {
			devices = append(devices, p.Devices...)
		}
		fs.parts = nil
	}
	fs.addr, fs.place, fs.feed, fs.msg = s.Addr, s.Place, s.Feed, s.Msg
	fs.synced, fs.everSynced, fs.stopped = true, true, false
	fs.devices = make(map[string]*Device, len(devices))
	for i := range devices {
		d := &devices[i]
		if d.Vars == nil {
			d.Vars = map[string]string{}
		}
		fs.devices[d.Name] = d
	}
	pending := fs.pending
	fs.pending = nil
	for _, m := range pending {
		if !fs.synced {
			fs.pending = append(fs.pending, m)
		} else if m.Header.Get(HeaderFeed) == fs.feed {
			f.apply(fs, m)
		}
	}
	fs.view = nil
	f.notify()
}

// ping takes a server's ping: alive, or stopping; and whether messages
// were missed.
func (f *Follower) ping(p Parsed, m *nats.Msg) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fs := f.server(p.Site, p.Server)
	fs.heard = time.Now()
	if bytes.HasPrefix(m.Data, []byte(nut.ChangeDropped)) {
		fs.stopped = true
		f.notify()
		return
	}
	if fs.stopped {
		fs.stopped = false
		f.notify()
	}
	if !fs.synced || m.Header.Get(HeaderFeed) != fs.feed || msgNumber(m) > fs.msg {
		fs.synced = false
		f.ask(fs)
	}
}

// events reads the stream's events through the durable consumer, until
// ctx ends; without JetStream it leaves events to the subscription.
func (f *Follower) events(ctx context.Context) {
	if f.Durable == "" {
		f.liveEvents.Store(true)
		return
	}
	js, err := newJetStream(f.Conn, f.Domain)
	if err != nil {
		f.Log.Error("NATS: JetStream unusable; events are read as they come", "err", err)
		f.liveEvents.Store(true)
		return
	}
	for wait := time.Duration(0); ; wait = min(max(2*wait, time.Second), 5*time.Second) {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		err := f.consume(ctx, js)
		switch {
		case ctx.Err() != nil:
			return
		case errors.Is(err, jetstream.ErrJetStreamNotEnabled), errors.Is(err, jetstream.ErrJetStreamNotEnabledForAccount):
			f.Log.Warn("NATS without JetStream: events are read as they come, and none from before", "err", err)
			f.liveEvents.Store(true)
			return
		case err != nil:
			f.warn.Warn("NATS: reading the events' stream failed; trying again", "err", err)
		}
	}
}

// pullExpiry is how long one pull for events waits.
const pullExpiry = 5 * time.Second

// eventBatch is the most events given to OnEvents at once.
const eventBatch = 256

// consume reads events until an error or ctx ends.
func (f *Follower) consume(ctx context.Context, js jetstream.JetStream) error {
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	cons, err := js.CreateOrUpdateConsumer(cctx, f.Subjects.StreamName(), jetstream.ConsumerConfig{
		Durable:           f.Durable,
		Description:       "powerchain: a follower's events",
		FilterSubject:     f.Subjects.Events(f.Site),
		DeliverPolicy:     jetstream.DeliverAllPolicy,
		AckPolicy:         jetstream.AckAllPolicy,
		AckWait:           time.Minute,
		MaxAckPending:     4 * eventBatch,
		InactiveThreshold: 7 * 24 * time.Hour,
	})
	cancel()
	if err != nil {
		return err
	}
	// Pulls of 5 s (heartbeats every 2.5 s), not the library's 30 s:
	// when the node that leads the consumer is lost, a pull to it goes
	// unanswered, and the next one reaches the new leader.
	it, err := cons.Messages(jetstream.PullMaxMessages(eventBatch), jetstream.PullExpiry(pullExpiry))
	if err != nil {
		return err
	}
	defer it.Stop()
	stop := context.AfterFunc(ctx, it.Stop)
	defer stop()
	var evs []Event
	for {
		m, err := it.Next()
		if err != nil {
			return err
		}
		evs = evs[:0]
		for {
			var ev Event
			if err := json.Unmarshal(m.Data(), &ev); err != nil {
				f.warn.Warn("NATS: an event could not be read", "subject", m.Subject(), "err", err)
			} else {
				if md, err := m.Metadata(); err == nil {
					ev.Stream = md.Sequence.Stream
				}
				evs = append(evs, ev)
			}
			if len(evs) >= eventBatch {
				break
			}
			next, err := it.Next(jetstream.NextMaxWait(20 * time.Millisecond))
			if err != nil {
				break
			}
			m = next
		}
		for len(evs) > 0 {
			err := f.OnEvents(ctx, evs)
			if err == nil {
				break
			}
			f.warn.Warn("NATS: events could not be recorded; trying again", "err", err)
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(5 * time.Second):
			}
		}
		if err := m.Ack(); err != nil { // AckAll: this one and every one before
			return err
		}
	}
}

// liveLoop gives OnEvents the events taken from the subscription.
func (f *Follower) liveLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-f.live:
			evs := []Event{ev}
			for len(evs) < eventBatch && len(f.live) > 0 {
				evs = append(evs, <-f.live)
			}
			if err := f.OnEvents(ctx, evs); err != nil {
				f.warn.Warn("NATS: events could not be recorded", "err", err)
			}
		}
	}
}
